// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Header rewriting (RFC 7915 sections 4 and 5), from what parse.c
 * recorded and the state stage decided; nothing here looks anything up.
 *
 * A query or a TCP/UDP packet is translated in place: the transport
 * header and payload stay where they are and only the network header is
 * replaced, so an established flow allocates nothing unless the headroom
 * is too small, and GRO/GSO packets keep their offsets (only gso_type
 * changes). Checksums are adjusted, not recomputed, so that a corrupt
 * packet stays detectably corrupt.
 *
 * An ICMP error changes the size of the header it quotes, so it is built
 * as a new packet: outer header, ICMP header, the quoted packet's header
 * translated back, and as much of its transport as the error holds and
 * the new error may carry. Only bytes of the quote are touched: its
 * checksum is adjusted only if the quote holds it.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <asm/unaligned.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>

#include "checksum.h"
#include "icmp.h"
#include "instance.h"
#include "xlat.h"

#define IPV4_MAX_NO_DF 1260		/* RFC 7915 5.1: DF above this */
#define ICMP4_ERROR_MAX 576		/* RFC 1812 4.3.2.3 */
#define ICMP6_ERROR_MAX IPV6_MIN_MTU	/* RFC 4443 2.4 (c) */
#define IPV4_MIN_MTU 68			/* RFC 791 */

#define NO_MEMORY (-NAT64_STAT_DROP_NO_MEMORY)

/* RFC 7915 5.1: DF set on packets over 1260 bytes. */
bool nat64_xlat_wants_df(unsigned int tot_len)
{
	return tot_len > IPV4_MAX_NO_DF;
}

/* The bytes of a transport header that translation writes. */
static unsigned int l4_write_len(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return offsetofend(struct tcphdr, check);
	case IPPROTO_UDP:
		return sizeof(struct udphdr);
	}
	return sizeof(struct icmphdr);
}

static __be16 type_code(u8 type, u8 code)
{
	return htons(type << 8 | code);
}

/* Echo request and reply are the only queries translated. */
static u8 echo_type(u8 type, bool to6)
{
	if (to6)
		return type == ICMP_ECHO ? ICMPV6_ECHO_REQUEST :
					   ICMPV6_ECHO_REPLY;
	return type == ICMPV6_ECHO_REQUEST ? ICMP_ECHO : ICMP_ECHOREPLY;
}

/*
 * An echo in place: new type, identifier @id, and the ICMPv6
 * pseudo-header @pseudo added (to6) or taken out of the checksum.
 */
static void rewrite_echo(struct icmphdr *icmp, __wsum pseudo, bool to6, u16 id)
{
	u8 type = echo_type(icmp->type, to6);
	__wsum sum = ~csum_unfold(icmp->checksum);

	sum = to6 ? csum_add(sum, pseudo) : csum_sub(sum, pseudo);
	icmp->checksum = csum_fold(sum);
	csum_replace2(&icmp->checksum, type_code(icmp->type, 0),
		      type_code(type, 0));
	csum_replace2(&icmp->checksum, icmp->un.echo.id, htons(id));
	icmp->type = type;
	icmp->un.echo.id = htons(id);
}

/*
 * TCP and UDP sum the same pseudo-header fields in both families but the
 * addresses: @addr_diff is what the address change adds to the sum.
 * inet_proto_csum_replace*() also handle CHECKSUM_PARTIAL (GSO) packets.
 */
static void rewrite_tcpudp(struct sk_buff *skb, u8 proto, __wsum addr_diff,
			   bool src, u16 port)
{
	__sum16 *check;
	__be16 *portp;

	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = tcp_hdr(skb);

		check = &th->check;
		portp = src ? &th->source : &th->dest;
	} else {
		struct udphdr *uh = udp_hdr(skb);

		check = &uh->check;
		portp = src ? &uh->source : &uh->dest;
	}
	inet_proto_csum_replace_by_diff(check, skb, addr_diff, true, true);
	inet_proto_csum_replace2(check, skb, *portp, htons(port), false);
	*portp = htons(port);
	if (proto == IPPROTO_UDP && !*check &&
	    skb->ip_summed != CHECKSUM_PARTIAL)
		*check = CSUM_MANGLED_0;	/* zero means "none" in IPv4 */
}

/* IPv4 UDP may carry no checksum; IPv6 UDP must (RFC 7915 4.5). */
static void udp6_compute_checksum(struct sk_buff *skb,
				  const struct in6_addr *saddr,
				  const struct in6_addr *daddr, unsigned int len)
{
	struct udphdr *uh = udp_hdr(skb);

	uh->check = 0;
	uh->check = csum_ipv6_magic(saddr, daddr, len, IPPROTO_UDP,
				    skb_checksum(skb, skb_transport_offset(skb),
						 len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

/* The packet leaves its old family behind. */
static void reset_skb(struct sk_buff *skb, __be16 protocol)
{
	skb->protocol = protocol;
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb_clear_tstamp(skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	/* A receive checksum covered bytes that are gone now. */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
}

static void gso_retype(struct sk_buff *skb, unsigned int from, unsigned int to)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);

	if (!skb_is_gso(skb) || !(shinfo->gso_type & from))
		return;
	shinfo->gso_type &= ~(from | SKB_GSO_TCP_FIXEDID);
	shinfo->gso_type |= to;
}

/*
 * The transport header is writable and in the linear data; ICMP, which
 * sums its whole message, has no checksum left to the device.
 */
static int make_l4_writable(struct nat64_pkt *pkt)
{
	struct sk_buff *skb = pkt->skb;

	if (skb_ensure_writable(skb, pkt->l4.offset +
				l4_write_len(pkt->l4.proto)))
		return NO_MEMORY;
	if (pkt->l4.proto == IPPROTO_ICMP &&
	    skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return NO_MEMORY;
	return 0;
}

/**
 * nat64_xlat_6to4() - turn an IPv6 packet into an IPv4 one, in place
 * @pkt: the packet, parsed; not an ICMP error
 * @src: its new source transport address (its BIB entry's)
 * @daddr: its new destination
 * @df: whether to set DF
 * @net: the namespace, for the IPv4 identification
 *
 * RFC 7915 5.1: the extension headers go with the IPv6 header; the hop
 * limit, which the caller checked, loses one.
 * Return: 0, or a negative enum nat64_stat; the skb is not consumed.
 */
int nat64_xlat_6to4(struct nat64_pkt *pkt, const struct nat64_bib_key4 *src,
		    __be32 daddr, bool df, struct net *net)
{
	struct sk_buff *skb = pkt->skb;
	__be32 addrs4[2] = { src->addr, daddr };
	unsigned int tot_len = sizeof(struct iphdr) + pkt->l4.len;
	struct ipv6hdr ip6;
	struct iphdr *iph;
	int err;

	err = make_l4_writable(pkt);
	if (err)
		return err;
	ip6 = *ipv6_hdr(skb);
	skb_pull(skb, pkt->l3_len);
	skb_reset_transport_header(skb);
	if (pkt->l4.proto == IPPROTO_ICMP)
		rewrite_echo(icmp_hdr(skb),
			     nat64_pseudo6_sum(&ip6.saddr, &ip6.daddr,
					       pkt->l4.len, IPPROTO_ICMPV6),
			     false, src->port);
	else
		rewrite_tcpudp(skb, pkt->l4.proto,
			       nat64_addr_diff_6to4(&ip6.saddr, addrs4), true,
			       src->port);

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	reset_skb(skb, htons(ETH_P_IP));
	gso_retype(skb, SKB_GSO_TCPV6, SKB_GSO_TCPV4);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = pkt->tos;
	iph->tot_len = htons(tot_len);
	iph->frag_off = df ? htons(IP_DF) : 0;
	iph->ttl = pkt->ttl - 1;
	iph->protocol = pkt->l4.proto;
	iph->saddr = src->addr;
	iph->daddr = daddr;
	__ip_select_ident(net, iph, skb_is_gso(skb) ?
			  skb_shinfo(skb)->gso_segs : 1);
	ip_send_check(iph);
	return 0;
}

/**
 * nat64_xlat_4to6() - turn an IPv4 packet into an IPv6 one, in place
 * @pkt: the packet, parsed; not an ICMP error
 * @saddr: its new source (pool6 and its IPv4 source)
 * @dst: its new destination transport address (its BIB entry's)
 * @hairpin: it was IPv6 a moment ago and lost a hop already
 *
 * RFC 7915 4.1: IPv4 options go with the IPv4 header.
 * Return: 0, or a negative enum nat64_stat; the skb is not consumed.
 */
int nat64_xlat_4to6(struct nat64_pkt *pkt, const struct in6_addr *saddr,
		    const struct nat64_bib_key6 *dst, bool hairpin)
{
	struct sk_buff *skb = pkt->skb;
	unsigned int grow = 0;
	struct ipv6hdr *ip6;
	__be32 addrs4[2];
	int err;

	/* The IPv6 header may be larger than the IPv4 one with options. */
	if (pkt->l3_len < sizeof(*ip6))
		grow = sizeof(*ip6) - pkt->l3_len;
	if (skb_cow_head(skb, grow))
		return NO_MEMORY;
	err = make_l4_writable(pkt);
	if (err)
		return err;
	memcpy(addrs4, &ip_hdr(skb)->saddr, sizeof(addrs4));
	skb_pull(skb, pkt->l3_len);
	skb_reset_transport_header(skb);
	if (pkt->l4.proto == IPPROTO_ICMP) {
		rewrite_echo(icmp_hdr(skb),
			     nat64_pseudo6_sum(saddr, &dst->addr, pkt->l4.len,
					       IPPROTO_ICMPV6),
			     true, dst->port);
	} else if (pkt->l4.proto == IPPROTO_UDP && !udp_hdr(skb)->check &&
		   skb->ip_summed != CHECKSUM_PARTIAL) {
		udp_hdr(skb)->dest = htons(dst->port);
		udp6_compute_checksum(skb, saddr, &dst->addr, pkt->l4.len);
	} else {
		struct in6_addr addrs6[2] = { *saddr, dst->addr };

		rewrite_tcpudp(skb, pkt->l4.proto,
			       ~nat64_addr_diff_6to4(addrs6, addrs4), false,
			       dst->port);
	}

	skb_push(skb, sizeof(*ip6));
	skb_reset_network_header(skb);
	reset_skb(skb, htons(ETH_P_IPV6));
	gso_retype(skb, SKB_GSO_TCPV4, SKB_GSO_TCPV6);
	ip6 = ipv6_hdr(skb);
	ip6_flow_hdr(ip6, pkt->tos, 0);
	ip6->payload_len = htons(pkt->l4.len);
	ip6->nexthdr = pkt->l4.proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 :
						       pkt->l4.proto;
	ip6->hop_limit = hairpin ? pkt->ttl : pkt->ttl - 1;
	ip6->saddr = *saddr;
	ip6->daddr = dst->addr;
	return 0;
}

/* ---- ICMP errors ---- */

/* An error built from scratch: outer header, ICMP header, the quote. */
struct built {
	struct sk_buff *skb;
	void *outer;
	void *icmp;
	void *inner;
	u8 *l4;
	unsigned int quoted;	/* bytes of the inner transport copied */
};

static bool build_alloc(struct built *b, unsigned int outer_len,
			unsigned int icmp_len, unsigned int inner_len,
			unsigned int quoted)
{
	unsigned int len = outer_len + icmp_len + inner_len + quoted;

	b->skb = alloc_skb(LL_MAX_HEADER + len, GFP_ATOMIC);
	if (!b->skb)
		return false;
	skb_reserve(b->skb, LL_MAX_HEADER);
	/* Every byte below is written before the error leaves. */
	skb_put(b->skb, len);
	skb_reset_network_header(b->skb);
	skb_set_transport_header(b->skb, outer_len);
	b->outer = b->skb->data;
	b->icmp = b->outer + outer_len;
	b->inner = b->icmp + icmp_len;
	b->l4 = b->inner + inner_len;
	b->quoted = quoted;
	return true;
}

/*
 * Rewrites the copy of the quoted transport header: one new port (or
 * echo identifier), and, for new addresses, @diff added to its checksum
 * -- if the checksum was quoted. A UDP header without checksum keeps
 * none. Ports (or type and identifier) were quoted: parse made sure.
 */
static void rewrite_quote_l4(u8 *l4, unsigned int quoted, u8 proto,
			     __wsum diff, bool src_port, u16 port, bool to6)
{
	__be16 new_port = htons(port);
	unsigned int check_at;
	__sum16 *check;
	__be16 *portp;

	switch (proto) {
	case IPPROTO_TCP:
		check_at = offsetof(struct tcphdr, check);
		portp = (__be16 *)(l4 + (src_port ? 0 : 2));
		break;
	case IPPROTO_UDP:
		check_at = offsetof(struct udphdr, check);
		portp = (__be16 *)(l4 + (src_port ? 0 : 2));
		break;
	default:
		check_at = offsetof(struct icmphdr, checksum);
		portp = (__be16 *)(l4 + offsetof(struct icmphdr, un.echo.id));
		break;
	}
	check = quoted >= check_at + sizeof(*check) ?
		(__sum16 *)(l4 + check_at) : NULL;
	if (proto == IPPROTO_UDP && check && !get_unaligned(check))
		check = NULL;
	if (proto == IPPROTO_ICMP) {
		u8 type = echo_type(l4[0], to6);

		if (check)
			csum_replace2(check, type_code(l4[0], 0),
				      type_code(type, 0));
		l4[0] = type;
	}
	if (check) {
		csum_replace_by_diff(check, diff);
		csum_replace2(check, get_unaligned(portp), new_port);
	}
	put_unaligned(new_port, portp);
}

/* The IPv4 error's ICMP header (RFC 7915 5.2); false: not translated. */
static bool map_header_6to4(const struct nat64_pkt *pkt, struct icmphdr *out,
			    const struct nat64_path_mtu *path)
{
	const struct icmp6hdr *in = (void *)(pkt->skb->data + pkt->l4.offset);
	struct nat64_icmp_map map;
	u32 mtu;
	int ptr;

	if (!nat64_icmp6_to4_type(in->icmp6_type, in->icmp6_code, &map))
		return false;
	memset(out, 0, sizeof(*out));
	out->type = map.type;
	out->code = map.code;
	if (in->icmp6_type == ICMPV6_PKT_TOOBIG) {
		/*
		 * The IPv4 header is 20 bytes shorter than the IPv6 one, 28
		 * if the packet in error carried a Fragment header; and no
		 * larger than either next hop allows.
		 */
		mtu = ntohl(in->icmp6_mtu);
		mtu -= min(mtu, pkt->quote.fragment ? 28U : 20U);
		mtu = min3(mtu, path->v4, path->v6 - min(path->v6, 20U));
		out->un.frag.mtu = htons(clamp_t(u32, mtu, IPV4_MIN_MTU,
						 0xffff));
	} else if (map.type == ICMP_PARAMETERPROB) {
		ptr = nat64_icmp6_to4_pointer(ntohl(in->icmp6_pointer));
		if (ptr < 0)
			return false;
		out->un.gateway = htonl((u32)ptr << 24);
	}
	return true;
}

/* The quoted IPv6 packet, which went 4 -> 6, as the IPv4 one it was. */
static void build_quote4(struct built *b, const struct nat64_pkt *pkt,
			 const struct nat64_session *session)
{
	const struct nat64_quote *q = &pkt->quote;
	const struct nat64_bib_entry *bibe = session->key.bib;
	__be32 addrs4[2] = { session->key.addr, bibe->key4.addr };
	unsigned int tot_len = sizeof(struct iphdr) + q->l4.len;
	struct iphdr *iph = b->inner;
	__wsum diff;

	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = q->tos;
	iph->tot_len = htons(tot_len);
	if (!q->fragment && nat64_xlat_wants_df(tot_len))
		iph->frag_off = htons(IP_DF);
	iph->ttl = q->ttl;
	iph->protocol = q->l4.proto;
	iph->saddr = session->key.addr;
	iph->daddr = bibe->key4.addr;
	ip_send_check(iph);

	skb_copy_bits(pkt->skb, q->l4.offset, b->l4, b->quoted);
	diff = q->l4.proto == IPPROTO_ICMP ?
	       ~nat64_pseudo6_sum(&q->v6.saddr, &q->v6.daddr, q->l4.len,
				  IPPROTO_ICMPV6) :
	       nat64_addr_diff_6to4(&q->v6.saddr, addrs4);
	rewrite_quote_l4(b->l4, b->quoted, q->l4.proto, diff, false,
			 bibe->key4.port, false);
}

/**
 * nat64_xlat_error6to4() - the ICMP error an ICMPv6 error becomes
 * @pkt: the ICMPv6 error, its quote parsed
 * @session: the session of the quoted packet
 * @path: the next-hop MTUs (for Packet Too Big)
 * @net: the namespace, for the IPv4 identification
 *
 * From the pool4 address (the IPv6 router that sent it has no IPv4
 * one) to the session's IPv4 remote. Context: softirq.
 * Return: the new error, without a route, or an ERR_PTR() of a negative
 * enum nat64_stat: RFC 7915 does not translate this error, or memory is
 * short.
 */
struct sk_buff *nat64_xlat_error6to4(const struct nat64_pkt *pkt,
				     const struct nat64_session *session,
				     const struct nat64_path_mtu *path,
				     struct net *net)
{
	const unsigned int hdrs = 2 * sizeof(struct iphdr) +
				  sizeof(struct icmphdr);
	const struct nat64_bib_entry *bibe = session->key.bib;
	struct built b;
	struct iphdr *iph;
	struct icmphdr *icmp;

	if (!build_alloc(&b, sizeof(struct iphdr), sizeof(struct icmphdr),
			 sizeof(struct iphdr),
			 min(pkt->quote.quoted, ICMP4_ERROR_MAX - hdrs)))
		return ERR_PTR(NO_MEMORY);
	icmp = b.icmp;
	if (!map_header_6to4(pkt, icmp, path)) {
		kfree_skb(b.skb);
		return ERR_PTR(-NAT64_STAT_DROP_UNSUPPORTED);
	}
	build_quote4(&b, pkt, session);
	icmp->checksum = csum_fold(csum_partial(icmp, b.skb->len -
						sizeof(struct iphdr), 0));

	iph = b.outer;
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = pkt->tos;
	iph->tot_len = htons(b.skb->len);
	iph->ttl = pkt->ttl - 1;
	iph->protocol = IPPROTO_ICMP;
	iph->saddr = bibe->key4.addr;
	iph->daddr = session->key.addr;
	__ip_select_ident(net, iph, 1);
	ip_send_check(iph);
	b.skb->protocol = htons(ETH_P_IP);
	b.skb->mark = pkt->skb->mark;
	return b.skb;
}

/* The ICMPv6 error's header (RFC 7915 4.2); false: not translated. */
static bool map_header_4to6(const struct nat64_pkt *pkt, struct icmp6hdr *out,
			    const struct nat64_path_mtu *path)
{
	const struct icmphdr *in = (void *)(pkt->skb->data + pkt->l4.offset);
	struct nat64_icmp_map map;
	u32 mtu;
	int ptr;

	if (!nat64_icmp4_to6_type(in->type, in->code, &map))
		return false;
	memset(out, 0, sizeof(*out));
	out->icmp6_type = map.type;
	out->icmp6_code = map.code;
	if (map.type == ICMPV6_PKT_TOOBIG) {
		/*
		 * 20 bytes more, within both next hops; a router that sent
		 * no MTU (before RFC 1191) leaves a plateau to guess.
		 */
		mtu = ntohs(in->un.frag.mtu);
		if (!mtu)
			mtu = nat64_mtu_plateau(sizeof(struct iphdr) +
						pkt->quote.l4.len);
		mtu = min3(mtu + 20, path->v6, path->v4 + 20);
		out->icmp6_mtu = htonl(max_t(u32, mtu, IPV6_MIN_MTU));
	} else if (map.type == ICMPV6_PARAMPROB) {
		/* Protocol unreachable points at the next header field. */
		ptr = map.code == ICMPV6_UNK_NEXTHDR ?
		      offsetof(struct ipv6hdr, nexthdr) :
		      nat64_icmp4_to6_pointer(ntohl(in->un.gateway) >> 24);
		if (ptr < 0)
			return false;
		out->icmp6_pointer = htonl(ptr);
	}
	return true;
}

/* The quoted IPv4 packet, which went 6 -> 4, as the IPv6 one it was. */
static void build_quote6(struct built *b, const struct nat64_pkt *pkt,
			 const struct nat64_session *session)
{
	const struct nat64_quote *q = &pkt->quote;
	const struct nat64_bib_entry *bibe = session->key.bib;
	struct ipv6hdr *ip6 = b->inner;
	__wsum diff;

	ip6_flow_hdr(ip6, q->tos, 0);
	ip6->payload_len = htons(q->l4.len);
	ip6->nexthdr = q->l4.proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 :
						     q->l4.proto;
	ip6->hop_limit = q->ttl;
	ip6->saddr = bibe->key6.addr;
	nat64_addr_4to6(&pkt->inst->pool6, session->key.addr, &ip6->daddr);

	skb_copy_bits(pkt->skb, q->l4.offset, b->l4, b->quoted);
	diff = q->l4.proto == IPPROTO_ICMP ?
	       nat64_pseudo6_sum(&ip6->saddr, &ip6->daddr, q->l4.len,
				 IPPROTO_ICMPV6) :
	       ~nat64_addr_diff_6to4(&ip6->saddr, &q->v4.saddr);
	rewrite_quote_l4(b->l4, b->quoted, q->l4.proto, diff, true,
			 bibe->key6.port, true);
}

/**
 * nat64_xlat_error4to6() - the ICMPv6 error an ICMP error becomes
 * @pkt: the ICMP error, its quote parsed
 * @session: the session of the quoted packet
 * @saddr: the new error's source: pool6 and the IPv4 router's address
 * @path: the next-hop MTUs (for Fragmentation Needed)
 * @hairpin: the error was IPv6 a moment ago and lost a hop already
 *
 * Context: softirq. Return: the new error, without a route, or an
 * ERR_PTR() of a negative enum nat64_stat.
 */
struct sk_buff *nat64_xlat_error4to6(const struct nat64_pkt *pkt,
				     const struct nat64_session *session,
				     const struct in6_addr *saddr,
				     const struct nat64_path_mtu *path,
				     bool hairpin)
{
	const unsigned int hdrs = 2 * sizeof(struct ipv6hdr) +
				  sizeof(struct icmp6hdr);
	const struct nat64_bib_entry *bibe = session->key.bib;
	struct icmp6hdr *icmp6;
	struct ipv6hdr *ip6;
	unsigned int len;
	struct built b;

	if (!build_alloc(&b, sizeof(struct ipv6hdr), sizeof(struct icmp6hdr),
			 sizeof(struct ipv6hdr),
			 min(pkt->quote.quoted, ICMP6_ERROR_MAX - hdrs)))
		return ERR_PTR(NO_MEMORY);
	icmp6 = b.icmp;
	if (!map_header_4to6(pkt, icmp6, path)) {
		kfree_skb(b.skb);
		return ERR_PTR(-NAT64_STAT_DROP_UNSUPPORTED);
	}
	build_quote6(&b, pkt, session);

	len = b.skb->len - sizeof(struct ipv6hdr);
	ip6 = b.outer;
	ip6_flow_hdr(ip6, pkt->tos, 0);
	ip6->payload_len = htons(len);
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = hairpin ? pkt->ttl : pkt->ttl - 1;
	ip6->saddr = *saddr;
	ip6->daddr = bibe->key6.addr;
	icmp6->icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len,
					     IPPROTO_ICMPV6,
					     csum_partial(icmp6, len, 0));
	b.skb->protocol = htons(ETH_P_IPV6);
	b.skb->mark = pkt->skb->mark;
	return b.skb;
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "xlat_test.c"
#endif
