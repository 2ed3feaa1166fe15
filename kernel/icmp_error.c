// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * ICMP error translation (RFC 7915 sections 4.2-4.4 and 5.2-5.3, RFC 6146
 * section 3.5.3). The packet in error, quoted inside the message, went the
 * other way through the translator: its session is found from it, and it
 * is translated back to what it was before. Errors are rare and their
 * inner header changes size, so each is built as a new packet; the data
 * path never comes here.
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
#include <net/ipv6.h>

#include "checksum.h"
#include "icmp.h"
#include "icmp_error.h"
#include "instance.h"
#include "translate.h"

#define ICMP4_ERROR_MAX 576		/* RFC 1812 4.3.2.3 */
#define ICMP6_ERROR_MAX IPV6_MIN_MTU	/* RFC 4443 2.4 (c) */

/* The packet in error, as quoted in the message. */
struct inner {
	u8 proto;		/* IPPROTO_ICMP for both families */
	unsigned int offset;	/* of its network header, in the skb */
	unsigned int l4_offset;	/* of its transport header, in the skb */
	unsigned int l4_len;	/* as its header says; the quote may be shorter */
	u16 src_port;		/* ICMP: the echo identifier, in both */
	u16 dst_port;
	u8 ttl;
	u8 tos;
};

/* An error built from scratch: outer header, ICMP header, inner header. */
struct built {
	struct sk_buff *skb;
	void *outer;
	void *icmp;
	void *inner;
	u8 *l4;
	unsigned int copy;	/* bytes of the inner transport quoted */
};

static unsigned int drop(struct nat64_instance *inst, struct sk_buff *skb,
			 enum nat64_stat why)
{
	nat64_stats_inc(&inst->stats, why);
	kfree_skb(skb);
	return NF_STOLEN;
}

static bool is_echo(u8 type, bool icmp6)
{
	return icmp6 ? type == ICMPV6_ECHO_REQUEST || type == ICMPV6_ECHO_REPLY :
		       type == ICMP_ECHO || type == ICMP_ECHOREPLY;
}

/* Ports, or the echo identifier; the first 8 bytes must be quoted. */
static int inner_ports(struct sk_buff *skb, struct inner *in, u8 proto,
		       bool icmp6)
{
	const u8 *l4;

	if (!pskb_may_pull(skb, in->l4_offset + 8))
		return -NAT64_STAT_DROP_TRUNCATED;
	l4 = skb->data + in->l4_offset;
	in->proto = proto;
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
		in->src_port = get_unaligned_be16(l4);
		in->dst_port = get_unaligned_be16(l4 + 2);
		return 0;
	}
	if (!is_echo(l4[0], icmp6))
		return -NAT64_STAT_DROP_UNSUPPORTED;	/* no error on errors */
	in->src_port = get_unaligned_be16(l4 + 4);
	in->dst_port = in->src_port;
	return 0;
}

/*
 * Rewrites the quoted transport header for new addresses (@diff, what
 * they add to its checksum) and one new port. Only its first 8 bytes are
 * sure to be quoted, so the checksum is adjusted, never recomputed. A UDP
 * header without checksum keeps none.
 */
static void inner_l4_rewrite(u8 *l4, u8 proto, __wsum diff, bool src_port,
			     u16 port, bool to6)
{
	__be16 new_port = htons(port);
	__sum16 *check;
	__be16 *portp;

	if (proto == IPPROTO_ICMP) {
		struct icmphdr *icmp = (struct icmphdr *)l4;
		__be16 old_tc = htons(icmp->type << 8 | icmp->code);
		struct nat64_icmp_map map;

		if (to6)
			nat64_icmp4_to6_type(icmp->type, icmp->code, &map);
		else
			nat64_icmp6_to4_type(icmp->type, icmp->code, &map);
		icmp->type = map.type;
		icmp->code = map.code;
		check = &icmp->checksum;
		csum_replace2(check, old_tc, htons(map.type << 8 | map.code));
		portp = &icmp->un.echo.id;
	} else {
		check = proto == IPPROTO_TCP ? &((struct tcphdr *)l4)->check :
					       &((struct udphdr *)l4)->check;
		portp = (__be16 *)(l4 + (src_port ? 0 : 2));
	}
	if (proto != IPPROTO_UDP || *check) {
		csum_replace_by_diff(check, diff);
		csum_replace2(check, *portp, new_port);
	}
	*portp = new_port;
}

static struct sk_buff *build_alloc(struct built *b, unsigned int hdrs,
				   unsigned int copy)
{
	b->skb = alloc_skb(LL_MAX_HEADER + hdrs + copy, GFP_ATOMIC);
	if (!b->skb)
		return NULL;
	skb_reserve(b->skb, LL_MAX_HEADER);
	skb_put(b->skb, hdrs + copy);
	skb_reset_network_header(b->skb);
	b->outer = b->skb->data;
	b->copy = copy;
	return b->skb;
}

static unsigned int build_send(struct nat64_instance *inst,
			       struct sk_buff *skb, struct built *b,
			       struct dst_entry *dst, __be16 protocol,
			       enum nat64_stat stat)
{
	b->skb->protocol = protocol;
	b->skb->mark = skb->mark;
	skb_dst_set(b->skb, dst);
	nat64_stats_inc(&inst->stats, stat);
	consume_skb(skb);
	dst_output(dev_net(dst->dev), NULL, b->skb);
	return NF_STOLEN;
}

/* ---- ICMPv6 error to ICMP error ---- */

static int parse_inner6(struct sk_buff *skb, unsigned int icmp_offset,
			struct inner *in)
{
	const struct ipv6hdr *ip6;
	__be16 frag_off;
	u8 nexthdr;
	int off;

	in->offset = icmp_offset + sizeof(struct icmp6hdr);
	if (!pskb_may_pull(skb, in->offset + sizeof(*ip6)))
		return -NAT64_STAT_DROP_TRUNCATED;
	ip6 = (struct ipv6hdr *)(skb->data + in->offset);
	nexthdr = ip6->nexthdr;
	in->ttl = ip6->hop_limit;
	in->tos = ipv6_get_dsfield(ip6);
	off = ipv6_skip_exthdr(skb, in->offset + sizeof(*ip6), &nexthdr,
			       &frag_off);
	if (off < 0 || frag_off)
		return -NAT64_STAT_DROP_UNSUPPORTED;
	in->l4_offset = off;
	in->l4_len = ntohs(ip6->payload_len) -
		     min_t(unsigned int, ntohs(ip6->payload_len),
			   off - in->offset - sizeof(*ip6));
	if (nexthdr == IPPROTO_ICMPV6)
		nexthdr = IPPROTO_ICMP;
	else if (nexthdr != IPPROTO_TCP && nexthdr != IPPROTO_UDP)
		return -NAT64_STAT_DROP_UNSUPPORTED;
	return inner_ports(skb, in, nexthdr, true);
}

/* RFC 7915 figure 6: offsets in the IPv6 header to those in IPv4's. */
static int param_pointer_6to4(u32 ptr)
{
	if (ptr <= 1)
		return ptr;	/* version, traffic class */
	if (ptr == 4 || ptr == 5)
		return 2;	/* payload length: total length */
	if (ptr == 6)
		return 9;	/* next header: protocol */
	if (ptr == 7)
		return 8;	/* hop limit: TTL */
	if (ptr >= 8 && ptr <= 23)
		return 12;	/* source address */
	if (ptr >= 24 && ptr <= 39)
		return 16;	/* destination address */
	return -1;
}

static bool map_header_6to4(const struct icmp6hdr *in, struct icmphdr *out)
{
	struct nat64_icmp_map map;
	int ptr;

	if (!nat64_icmp6_to4_type(in->icmp6_type, in->icmp6_code, &map))
		return false;
	memset(out, 0, sizeof(*out));
	out->type = map.type;
	out->code = map.code;
	if (in->icmp6_type == ICMPV6_PKT_TOOBIG) {
		/* The IPv4 header is 20 bytes shorter (RFC 7915 5.2). */
		out->un.frag.mtu = htons(clamp_t(u32, ntohl(in->icmp6_mtu),
						 68 + 20, 0xffff) - 20);
	} else if (map.type == ICMP_PARAMETERPROB) {
		ptr = param_pointer_6to4(ntohl(in->icmp6_pointer));
		if (ptr < 0)
			return false;
		out->un.gateway = htonl((u32)ptr << 24);
	}
	return true;
}

/* Looks up the session of the packet in error, which went 4 -> 6. */
static struct nat64_session *session_of_inner6(struct nat64_instance *inst,
					       struct sk_buff *skb,
					       const struct inner *in)
{
	const struct ipv6hdr *ip6 = (void *)(skb->data + in->offset);
	struct nat64_flow6 flow = {
		.proto = in->proto,
		.mark = skb->mark,
		.src = ip6->daddr,
		.src_port = in->dst_port,
		.dst_port = in->proto == IPPROTO_ICMP ? 0 : in->src_port,
	};

	if (!nat64_prefix6_contains(&inst->pool6, &ip6->saddr))
		return NULL;
	flow.dst = nat64_addr_6to4(&inst->pool6, &ip6->saddr);
	return nat64_session_find6(&inst->bib, &flow);
}

static void build_inner4(struct built *b, struct sk_buff *skb,
			 const struct inner *in,
			 const struct nat64_bib_entry *bibe, __be32 remote4)
{
	const struct ipv6hdr *ip6 = (void *)(skb->data + in->offset);
	struct iphdr *iph = b->inner;
	__be32 addrs4[2] = { remote4, bibe->key4.addr };
	__wsum diff;

	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = in->tos;
	iph->tot_len = htons(sizeof(*iph) + in->l4_len);
	iph->ttl = in->ttl;
	iph->protocol = in->proto;
	iph->saddr = remote4;
	iph->daddr = bibe->key4.addr;
	ip_send_check(iph);

	skb_copy_bits(skb, in->l4_offset, b->l4, b->copy);
	diff = in->proto == IPPROTO_ICMP ?
	       ~nat64_pseudo6_sum(&ip6->saddr, &ip6->daddr, in->l4_len,
				  IPPROTO_ICMPV6) :
	       nat64_addr_diff_6to4(&ip6->saddr, addrs4);
	inner_l4_rewrite(b->l4, in->proto, diff, false, bibe->key4.port,
			 false);
}

/**
 * nat64_icmp6_error() - translate an ICMPv6 error about a translated packet
 * @inst: the translator
 * @skb: the error, its outer IPv6 header at skb->data
 * @icmp_offset: where its ICMPv6 header starts
 * @net: the namespace
 *
 * Return: a netfilter verdict; the skb is consumed.
 */
unsigned int nat64_icmp6_error(struct nat64_instance *inst,
			       struct sk_buff *skb, unsigned int icmp_offset,
			       struct net *net)
{
	const unsigned int hdrs = 2 * sizeof(struct iphdr) +
				  sizeof(struct icmphdr);
	const struct nat64_bib_entry *bibe;
	struct nat64_session *session;
	const struct ipv6hdr *outer;
	struct inner in;
	struct built b;
	struct iphdr *iph;
	struct icmphdr *icmp;
	struct rtable *rt;
	__be32 remote4;
	int err;

	err = parse_inner6(skb, icmp_offset, &in);
	if (err)
		return drop(inst, skb, -err);
	session = session_of_inner6(inst, skb, &in);
	if (!session)
		return drop(inst, skb, NAT64_STAT_DROP_NO_SESSION);
	outer = ipv6_hdr(skb);
	if (outer->hop_limit <= 1)
		return drop(inst, skb, NAT64_STAT_DROP_TTL_EXPIRED);
	bibe = session->key.bib;
	remote4 = session->key.addr;

	if (!build_alloc(&b, hdrs, min(skb->len - in.l4_offset,
				       ICMP4_ERROR_MAX - hdrs)))
		return drop(inst, skb, NAT64_STAT_DROP_NO_MEMORY);
	b.icmp = b.outer + sizeof(struct iphdr);
	icmp = b.icmp;
	b.inner = b.icmp + sizeof(struct icmphdr);
	b.l4 = b.inner + sizeof(struct iphdr);
	skb_set_transport_header(b.skb, sizeof(struct iphdr));
	if (!map_header_6to4((void *)(skb->data + icmp_offset), icmp)) {
		kfree_skb(b.skb);
		return drop(inst, skb, NAT64_STAT_DROP_UNSUPPORTED);
	}
	build_inner4(&b, skb, &in, bibe, remote4);
	icmp->checksum = csum_fold(csum_partial(icmp, b.skb->len -
						sizeof(struct iphdr), 0));

	/* From pool4: the IPv6 node or router has no IPv4 address. */
	iph = b.outer;
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = ipv6_get_dsfield(outer);
	iph->tot_len = htons(b.skb->len);
	iph->ttl = outer->hop_limit - 1;
	iph->protocol = IPPROTO_ICMP;
	iph->saddr = bibe->key4.addr;
	iph->daddr = remote4;
	__ip_select_ident(net, iph, 1);
	ip_send_check(iph);

	rt = nat64_route4(net, skb->mark, iph->saddr, iph->daddr, iph->tos,
			  IPPROTO_ICMP);
	if (IS_ERR(rt)) {
		kfree_skb(b.skb);
		return drop(inst, skb, NAT64_STAT_DROP_NO_ROUTE);
	}
	return build_send(inst, skb, &b, &rt->dst, htons(ETH_P_IP),
			  NAT64_STAT_XLAT_6TO4);
}

/* ---- ICMP error to ICMPv6 error ---- */

static int parse_inner4(struct sk_buff *skb, unsigned int icmp_offset,
			struct inner *in)
{
	const struct iphdr *iph;
	unsigned int ihl;

	in->offset = icmp_offset + sizeof(struct icmphdr);
	if (!pskb_may_pull(skb, in->offset + sizeof(*iph)))
		return -NAT64_STAT_DROP_TRUNCATED;
	iph = (struct iphdr *)(skb->data + in->offset);
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph) ||
	    ntohs(iph->tot_len) < ihl)
		return -NAT64_STAT_DROP_TRUNCATED;
	if (ip_is_fragment(iph) && (iph->frag_off & htons(IP_OFFSET)))
		return -NAT64_STAT_DROP_UNSUPPORTED;	/* no ports quoted */
	in->ttl = iph->ttl;
	in->tos = iph->tos;
	in->l4_offset = in->offset + ihl;
	in->l4_len = ntohs(iph->tot_len) - ihl;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP &&
	    iph->protocol != IPPROTO_ICMP)
		return -NAT64_STAT_DROP_UNSUPPORTED;
	return inner_ports(skb, in, iph->protocol, false);
}

/* RFC 7915 figure 3: offsets in the IPv4 header to those in IPv6's. */
static int param_pointer_4to6(u8 ptr)
{
	static const s8 map[20] = {
		0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1,
		8, 8, 8, 8, 24, 24, 24, 24,
	};

	return ptr < ARRAY_SIZE(map) ? map[ptr] : -1;
}

static bool map_header_4to6(const struct icmphdr *in, struct icmp6hdr *out,
			    unsigned int route_mtu)
{
	struct nat64_icmp_map map;
	int ptr;

	if (!nat64_icmp4_to6_type(in->type, in->code, &map))
		return false;
	memset(out, 0, sizeof(*out));
	out->icmp6_type = map.type;
	out->icmp6_code = map.code;
	if (map.type == ICMPV6_PKT_TOOBIG) {
		/* RFC 7915 4.2: 20 bytes more, within the IPv6 route. */
		u32 mtu = ntohs(in->un.frag.mtu) + 20;

		mtu = min(mtu, route_mtu);
		out->icmp6_mtu = htonl(max_t(u32, mtu, IPV6_MIN_MTU));
	} else if (map.type == ICMPV6_PARAMPROB &&
		   map.code == ICMPV6_HDR_FIELD) {
		ptr = param_pointer_4to6(ntohl(in->un.gateway) >> 24);
		if (ptr < 0)
			return false;
		out->icmp6_pointer = htonl(ptr);
	}
	return true;
}

/* The packet in error went 6 -> 4: from a pool4 transport address. */
static struct nat64_session *session_of_inner4(struct nat64_instance *inst,
					       struct sk_buff *skb,
					       const struct inner *in)
{
	const struct iphdr *iph = (void *)(skb->data + in->offset);
	struct nat64_bib_entry *bibe;

	bibe = nat64_bib_find4(&inst->bib, in->proto, iph->saddr,
			       in->src_port);
	if (!bibe)
		return NULL;
	return nat64_session_find4(&inst->bib, bibe, iph->daddr,
				   in->proto == IPPROTO_ICMP ? 0 : in->dst_port);
}

static void build_inner6(struct built *b, struct sk_buff *skb,
			 const struct inner *in,
			 const struct nat64_bib_entry *bibe,
			 const struct in6_addr *remote6)
{
	const struct iphdr *iph = (void *)(skb->data + in->offset);
	struct ipv6hdr *ip6 = b->inner;
	__wsum diff;

	ip6_flow_hdr(ip6, in->tos, 0);
	ip6->payload_len = htons(in->l4_len);
	ip6->nexthdr = in->proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 : in->proto;
	ip6->hop_limit = in->ttl;
	ip6->saddr = bibe->key6.addr;
	ip6->daddr = *remote6;

	skb_copy_bits(skb, in->l4_offset, b->l4, b->copy);
	diff = in->proto == IPPROTO_ICMP ?
	       nat64_pseudo6_sum(&ip6->saddr, &ip6->daddr, in->l4_len,
				 IPPROTO_ICMPV6) :
	       ~nat64_addr_diff_6to4(&ip6->saddr, &iph->saddr);
	inner_l4_rewrite(b->l4, in->proto, diff, true, bibe->key6.port, true);
}

/**
 * nat64_icmp4_error() - translate an ICMP error about a translated packet
 * @inst: the translator
 * @skb: the error, its outer IPv4 header at skb->data
 * @icmp_offset: where its ICMP header starts
 * @net: the namespace
 *
 * Return: NF_ACCEPT if the quoted packet is none of ours (the host's own
 * traffic), otherwise NF_STOLEN, the skb consumed.
 */
unsigned int nat64_icmp4_error(struct nat64_instance *inst,
			       struct sk_buff *skb, unsigned int icmp_offset,
			       struct net *net)
{
	const unsigned int hdrs = 2 * sizeof(struct ipv6hdr) +
				  sizeof(struct icmp6hdr);
	const struct nat64_bib_entry *bibe;
	struct nat64_session *session;
	struct in6_addr src6, remote6;
	struct dst_entry *dst;
	const struct iphdr *outer;
	struct ipv6hdr *ip6;
	struct icmp6hdr *icmp6;
	struct inner in;
	struct built b;
	unsigned int len;

	if (parse_inner4(skb, icmp_offset, &in))
		return NF_ACCEPT;
	session = session_of_inner4(inst, skb, &in);
	if (!session)
		return NF_ACCEPT;
	outer = ip_hdr(skb);
	if (outer->ttl <= 1)
		return drop(inst, skb, NAT64_STAT_DROP_TTL_EXPIRED);
	bibe = session->key.bib;
	nat64_addr_4to6(&inst->pool6, outer->saddr, &src6);
	nat64_addr_4to6(&inst->pool6, session->key.addr, &remote6);

	dst = nat64_route6(net, skb->mark, &src6, &bibe->key6.addr,
			   IPPROTO_ICMPV6);
	if (!dst)
		return drop(inst, skb, NAT64_STAT_DROP_NO_ROUTE);
	if (!build_alloc(&b, hdrs, min(skb->len - in.l4_offset,
				       ICMP6_ERROR_MAX - hdrs))) {
		dst_release(dst);
		return drop(inst, skb, NAT64_STAT_DROP_NO_MEMORY);
	}
	b.icmp = b.outer + sizeof(struct ipv6hdr);
	icmp6 = b.icmp;
	b.inner = b.icmp + sizeof(struct icmp6hdr);
	b.l4 = b.inner + sizeof(struct ipv6hdr);
	skb_set_transport_header(b.skb, sizeof(struct ipv6hdr));
	if (!map_header_4to6((void *)(skb->data + icmp_offset), icmp6,
			     dst_mtu(dst))) {
		kfree_skb(b.skb);
		dst_release(dst);
		return drop(inst, skb, NAT64_STAT_DROP_UNSUPPORTED);
	}
	build_inner6(&b, skb, &in, bibe, &remote6);

	len = b.skb->len - sizeof(struct ipv6hdr);
	ip6 = b.outer;
	ip6_flow_hdr(ip6, outer->tos, 0);
	ip6->payload_len = htons(len);
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = outer->ttl - 1;
	ip6->saddr = src6;
	ip6->daddr = bibe->key6.addr;
	icmp6->icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len,
					     IPPROTO_ICMPV6,
					     csum_partial(icmp6, len, 0));
	return build_send(inst, skb, &b, dst, htons(ETH_P_IPV6),
			  NAT64_STAT_XLAT_4TO6);
}
