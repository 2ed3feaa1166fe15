// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The first stage of the packet path: each family's packet is checked
 * once, here, and what later stages need is recorded in struct nat64_pkt
 * (packet.h): validated offsets and lengths, ports, TCP flags, ICMP type,
 * and for an ICMP error the packet it quotes. Nothing after this stage
 * reads a header field that was not checked here.
 *
 * The stack has vouched for little at PREROUTING: ip_rcv() checked the
 * IPv4 header (version, IHL, total length, checksum) and trimmed the skb
 * to it, ipv6_rcv() the IPv6 payload length; defragmentation has run.
 * Options, extension headers, transport headers and everything an ICMP
 * error quotes are unchecked. Offsets are unsigned and bounded by the IP
 * lengths (at most 65535 + 40), so their sums cannot wrap.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <asm/unaligned.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "icmp.h"
#include "parse.h"
#include "stats.h"

/* Longer chains are not what any sender of translatable traffic builds. */
#define MAX_EXTHDRS 8

#define TRUNCATED (-NAT64_STAT_DROP_TRUNCATED)
#define UNSUPPORTED (-NAT64_STAT_DROP_UNSUPPORTED)

static unsigned int l4_min_len(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return sizeof(struct tcphdr);
	case IPPROTO_UDP:
		return sizeof(struct udphdr);
	}
	return sizeof(struct icmphdr);	/* the size of struct icmp6hdr */
}

/*
 * GRO and tap devices (virtio headers) hand over segmentation offloads;
 * only those whose segmentation translation keeps right are taken: TCP
 * (its family is retyped) and UDP_L4 (which has none).
 */
#define GSO_TRANSLATABLE (SKB_GSO_TCPV4 | SKB_GSO_TCPV6 | SKB_GSO_TCP_ECN | \
			  SKB_GSO_TCP_FIXEDID | SKB_GSO_DODGY | SKB_GSO_UDP_L4)

static bool gso_translatable(const struct sk_buff *skb)
{
	return !skb_is_gso(skb) ||
	       !(skb_shinfo(skb)->gso_type & ~GSO_TRANSLATABLE);
}

/* TCP, UDP or ICMP of either family, as the packet numbers them. */
static int l4_proto(u8 proto, bool from_v6, u8 *out)
{
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	    proto == (from_v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP)) {
		*out = proto == IPPROTO_ICMPV6 ? IPPROTO_ICMP : proto;
		return 0;
	}
	return UNSUPPORTED;
}

/* The ICMP header's type: an error, or a query translated by its id. */
static int parse_icmp(struct nat64_l4 *l4, const struct icmphdr *icmp,
		      bool from_v6)
{
	struct nat64_icmp_map map;
	bool known = from_v6 ?
		nat64_icmp6_to4_type(icmp->type, icmp->code, &map) :
		nat64_icmp4_to6_type(icmp->type, icmp->code, &map);

	if (!known)
		return UNSUPPORTED;
	l4->icmp_type = icmp->type;
	l4->icmp_code = icmp->code;
	l4->icmp_error = map.is_error;
	if (!map.is_error) {
		l4->src_port = ntohs(icmp->un.echo.id);
		l4->dst_port = l4->src_port;
	}
	return 0;
}

/*
 * The outer transport header: pulled into the linear data, its lengths
 * checked against l4->len (what the IP header says, and the skb holds).
 */
static int parse_l4(struct sk_buff *skb, struct nat64_l4 *l4, bool from_v6)
{
	const void *hdr;

	if (!gso_translatable(skb))
		return UNSUPPORTED;
	if (l4->len < l4_min_len(l4->proto) ||
	    !pskb_may_pull(skb, l4->offset + l4_min_len(l4->proto)))
		return TRUNCATED;
	hdr = skb->data + l4->offset;

	switch (l4->proto) {
	case IPPROTO_TCP: {
		const struct tcphdr *th = hdr;

		if (th->doff * 4 < sizeof(*th) || th->doff * 4 > l4->len)
			return TRUNCATED;
		l4->src_port = ntohs(th->source);
		l4->dst_port = ntohs(th->dest);
		l4->tcp.from_v6 = from_v6;
		l4->tcp.syn = th->syn;
		l4->tcp.fin = th->fin;
		l4->tcp.rst = th->rst;
		l4->tcp_ack = th->ack;
		return 0;
	}
	case IPPROTO_UDP: {
		const struct udphdr *uh = hdr;

		/* A length that disagrees with IP's: one of them lies. */
		if (ntohs(uh->len) != l4->len)
			return TRUNCATED;
		l4->src_port = ntohs(uh->source);
		l4->dst_port = ntohs(uh->dest);
		return 0;
	}
	}
	return parse_icmp(l4, hdr, from_v6);
}

/* Where an IPv6 extension header chain ends, and what it held. */
struct exthdr_walk {
	unsigned int offset;	/* in: after the IPv6 header; out: of l4 */
	unsigned int end;	/* what the chain may not pass */
	u8 nexthdr;		/* in: the IPv6 header's; out: the last one */
	bool fragment;		/* a Fragment header: an atomic or first one */
	u32 routing;		/* offset of an unfollowed route's Segments Left */
};

/*
 * Skips hop-by-hop, destination options, routing and fragment headers.
 * A fragment that is not the first (or, when @whole, any real fragment:
 * defragmentation ran before us) cannot be translated. Reads through
 * skb_header_pointer(), so nothing needs to be linear.
 */
static int walk_exthdrs(const struct sk_buff *skb, struct exthdr_walk *w,
			bool whole)
{
	unsigned int n, len;
	u8 buf[4];
	const u8 *h;
	u16 frag;

	for (n = 0; ; n++) {
		switch (w->nexthdr) {
		case NEXTHDR_HOP:
		case NEXTHDR_DEST:
		case NEXTHDR_ROUTING:
		case NEXTHDR_FRAGMENT:
			break;
		default:
			return 0;
		}
		if (n == MAX_EXTHDRS)
			return UNSUPPORTED;
		if (w->offset + 8 > w->end)
			return TRUNCATED;
		h = skb_header_pointer(skb, w->offset, sizeof(buf), buf);
		if (!h)
			return TRUNCATED;
		if (w->nexthdr == NEXTHDR_FRAGMENT) {
			len = 8;
			frag = get_unaligned_be16(h + 2);
			if ((frag & IP6_OFFSET) || (whole && (frag & IP6_MF)))
				return UNSUPPORTED;
			w->fragment = true;
		} else {
			len = (h[1] + 1) * 8;
			if (w->nexthdr == NEXTHDR_ROUTING && h[3] && !w->routing)
				w->routing = w->offset + 3;
		}
		if (len > w->end - w->offset)
			return TRUNCATED;
		w->nexthdr = h[0];
		w->offset += len;
	}
}

/**
 * nat64_parse6() - check an IPv6 packet addressed to pool6
 * @pkt: the packet; ->skb and ->inst set, its IPv6 header at skb->data
 *
 * Return: 0, or a negative enum nat64_stat. -NAT64_STAT_DROP_ROUTING_HEADER
 * leaves the offending field's offset in ->problem_pointer.
 */
int nat64_parse6(struct nat64_pkt *pkt)
{
	struct sk_buff *skb = pkt->skb;
	const struct ipv6hdr *ip6;
	struct exthdr_walk w = {};
	int err;

	if (!pskb_may_pull(skb, sizeof(*ip6)))
		return TRUNCATED;
	ip6 = ipv6_hdr(skb);
	/* Zero: a jumbogram's, which no IPv4 packet could carry. */
	if (!ip6->payload_len)
		return UNSUPPORTED;
	w.end = sizeof(*ip6) + ntohs(ip6->payload_len);
	if (w.end > skb->len)
		return TRUNCATED;
	if (w.end < skb->len && pskb_trim_rcsum(skb, w.end))
		return -NAT64_STAT_DROP_NO_MEMORY;
	pkt->from_v6 = true;
	pkt->ttl = ip6->hop_limit;
	pkt->tos = ipv6_get_dsfield(ip6);

	w.offset = sizeof(*ip6);
	w.nexthdr = ip6->nexthdr;
	err = walk_exthdrs(skb, &w, true);
	if (err)
		return err;
	/* RFC 7915 5.1: a route still to be followed is not ours to end. */
	if (w.routing) {
		pkt->problem_pointer = w.routing;
		return -NAT64_STAT_DROP_ROUTING_HEADER;
	}
	err = l4_proto(w.nexthdr, true, &pkt->l4.proto);
	if (err)
		return err;
	pkt->l3_len = w.offset;
	pkt->l4.offset = w.offset;
	pkt->l4.len = w.end - w.offset;
	return parse_l4(skb, &pkt->l4, true);
}

/*
 * IPv4 options are never translated (RFC 7915 4.1), but an unexpired
 * source route means the packet is not for us to deliver. Malformed
 * options could hide one: such a packet is not translated either.
 */
static int parse_options4(struct nat64_pkt *pkt, const u8 *opt,
			  unsigned int len)
{
	unsigned int i = 0, optlen;

	while (i < len) {
		if (opt[i] == IPOPT_END)
			break;
		if (opt[i] == IPOPT_NOOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return TRUNCATED;
		optlen = opt[i + 1];
		if (optlen < 2 || optlen > len - i)
			return TRUNCATED;
		if (opt[i] == IPOPT_LSRR || opt[i] == IPOPT_SSRR) {
			/* RFC 791: past its end, the route is done. */
			if (optlen < 3 || opt[i + 2] < 4)
				return TRUNCATED;
			if (opt[i + 2] <= optlen)
				pkt->source_route = true;
		}
		i += optlen;
	}
	return 0;
}

/**
 * nat64_parse4() - check an IPv4 packet that may be addressed to pool4
 * @pkt: the packet; ->skb and ->inst set, its IPv4 header at skb->data
 *
 * An unexpired source route is recorded in ->source_route, not refused:
 * only a packet addressed to pool4 is the translator's to refuse.
 * Return: 0, or a negative enum nat64_stat.
 */
int nat64_parse4(struct nat64_pkt *pkt)
{
	struct sk_buff *skb = pkt->skb;
	const struct iphdr *iph;
	unsigned int ihl, end;
	int err;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return TRUNCATED;
	iph = ip_hdr(skb);
	ihl = iph->ihl * 4;
	end = ntohs(iph->tot_len);
	if (iph->version != 4 || ihl < sizeof(*iph) || end < ihl ||
	    end > skb->len || !pskb_may_pull(skb, ihl))
		return TRUNCATED;
	iph = ip_hdr(skb);
	if (end < skb->len && pskb_trim_rcsum(skb, end))
		return -NAT64_STAT_DROP_NO_MEMORY;
	if (ip_is_fragment(iph))	/* defragmentation ran first */
		return UNSUPPORTED;
	err = parse_options4(pkt, (const u8 *)(iph + 1), ihl - sizeof(*iph));
	if (err)
		return err;
	pkt->from_v6 = false;
	pkt->ttl = iph->ttl;
	pkt->tos = iph->tos;
	pkt->df = iph->frag_off & htons(IP_DF);
	err = l4_proto(iph->protocol, false, &pkt->l4.proto);
	if (err)
		return err;
	pkt->l3_len = ihl;
	pkt->l4.offset = ihl;
	pkt->l4.len = end - ihl;
	return parse_l4(skb, &pkt->l4, false);
}

static bool is_echo6(u8 type)
{
	return type == ICMPV6_ECHO_REQUEST || type == ICMPV6_ECHO_REPLY;
}

static bool is_echo4(u8 type)
{
	return type == ICMP_ECHO || type == ICMP_ECHOREPLY;
}

/*
 * The quoted transport header: whatever of it the error holds. Ports
 * take 4 bytes, an echo's identifier 6; with less, no session can be
 * found and nothing can be translated.
 */
static int parse_quote_l4(const struct sk_buff *skb, struct nat64_quote *q,
			  bool icmp6)
{
	u8 buf[8];
	const u8 *h;

	h = skb_header_pointer(skb, q->l4.offset, min(q->quoted, 8U), buf);
	if (!h)
		return TRUNCATED;
	if (q->l4.proto != IPPROTO_ICMP) {
		if (q->quoted < 4)
			return TRUNCATED;
		q->l4.src_port = get_unaligned_be16(h);
		q->l4.dst_port = get_unaligned_be16(h + 2);
		return 0;
	}
	if (q->quoted < 6)
		return TRUNCATED;
	/* Only queries were translated: there are no errors about errors. */
	if (h[1] || !(icmp6 ? is_echo6(h[0]) : is_echo4(h[0])))
		return UNSUPPORTED;
	q->l4.icmp_type = h[0];
	q->l4.src_port = get_unaligned_be16(h + 4);
	q->l4.dst_port = q->l4.src_port;
	return 0;
}

/* An error whose checksum fails would come out with a valid one. */
static bool icmp_checksum_ok(struct sk_buff *skb, const struct nat64_pkt *pkt)
{
	__wsum sum = skb_checksum(skb, pkt->l4.offset, pkt->l4.len, 0);

	if (pkt->from_v6)
		return !csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
					&ipv6_hdr(skb)->daddr, pkt->l4.len,
					IPPROTO_ICMPV6, sum);
	return !csum_fold(sum);
}

/**
 * nat64_parse_quote6() - check the IPv6 packet an ICMPv6 error quotes
 * @pkt: the error, parsed by nat64_parse6()
 *
 * Return: 0, or a negative enum nat64_stat.
 */
int nat64_parse_quote6(struct nat64_pkt *pkt)
{
	struct nat64_quote *q = &pkt->quote;
	struct exthdr_walk w = {};
	struct ipv6hdr buf;
	const struct ipv6hdr *ip6;
	unsigned int payload, hdrs;
	int err;

	if (!icmp_checksum_ok(pkt->skb, pkt))
		return TRUNCATED;
	q->offset = pkt->l4.offset + sizeof(struct icmp6hdr);
	w.end = pkt->l4.offset + pkt->l4.len;
	if (q->offset + sizeof(buf) > w.end)
		return TRUNCATED;
	ip6 = skb_header_pointer(pkt->skb, q->offset, sizeof(buf), &buf);
	if (!ip6 || ip6->version != 6)
		return TRUNCATED;
	w.offset = q->offset + sizeof(*ip6);
	w.nexthdr = ip6->nexthdr;
	err = walk_exthdrs(pkt->skb, &w, false);
	if (err)
		return err;
	err = l4_proto(w.nexthdr, true, &q->l4.proto);
	if (err)
		return err;
	payload = ntohs(ip6->payload_len);
	hdrs = w.offset - q->offset - sizeof(*ip6);
	if (hdrs > payload)
		return TRUNCATED;
	q->l4.offset = w.offset;
	q->l4.len = payload - hdrs;
	/* None of ours: the IPv4 packet it was would not have fit. */
	if (q->l4.len > IP_MAX_MTU - sizeof(struct iphdr))
		return UNSUPPORTED;
	q->quoted = min(q->l4.len, w.end - w.offset);
	q->fragment = w.fragment;
	q->ttl = ip6->hop_limit;
	q->tos = ipv6_get_dsfield(ip6);
	q->v6.saddr = ip6->saddr;
	q->v6.daddr = ip6->daddr;
	return parse_quote_l4(pkt->skb, q, true);
}

/**
 * nat64_parse_quote4() - check the IPv4 packet an ICMP error quotes
 * @pkt: the error, parsed by nat64_parse4()
 *
 * Return: 0, or a negative enum nat64_stat.
 */
int nat64_parse_quote4(struct nat64_pkt *pkt)
{
	struct nat64_quote *q = &pkt->quote;
	unsigned int end = pkt->l4.offset + pkt->l4.len;
	unsigned int ihl, tot_len;
	const struct iphdr *iph;
	struct iphdr buf;
	int err;

	if (!icmp_checksum_ok(pkt->skb, pkt))
		return TRUNCATED;
	q->offset = pkt->l4.offset + sizeof(struct icmphdr);
	if (q->offset + sizeof(buf) > end)
		return TRUNCATED;
	iph = skb_header_pointer(pkt->skb, q->offset, sizeof(buf), &buf);
	if (!iph)
		return TRUNCATED;
	ihl = iph->ihl * 4;
	tot_len = ntohs(iph->tot_len);
	if (iph->version != 4 || ihl < sizeof(*iph) || tot_len < ihl ||
	    ihl > end - q->offset)
		return TRUNCATED;
	/* A later fragment quotes no ports. */
	if (iph->frag_off & htons(IP_OFFSET))
		return UNSUPPORTED;
	err = l4_proto(iph->protocol, false, &q->l4.proto);
	if (err)
		return err;
	q->l4.offset = q->offset + ihl;
	q->l4.len = tot_len - ihl;
	q->quoted = min(q->l4.len, end - q->l4.offset);
	q->ttl = iph->ttl;
	q->tos = iph->tos;
	q->v4.saddr = iph->saddr;
	q->v4.daddr = iph->daddr;
	return parse_quote_l4(pkt->skb, q, false);
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "parse_test.c"
#endif
