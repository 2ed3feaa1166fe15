// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The netfilter hooks: IPv6 packets to pool6 become IPv4 packets from
 * pool4, and IPv4 packets to a pool4 transport address with a session
 * become IPv6 packets (RFC 6146 section 3, RFC 7915).
 *
 * Packets are translated in place: the layer-4 header and payload stay
 * where they are and only the network header is replaced, so an
 * established flow allocates nothing unless the headroom is too small.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "icmp.h"
#include "instance.h"
#include "translate.h"

/* What the translation of one packet needs, gathered before rewriting. */
struct xlat_pkt {
	struct nat64_instance *inst;
	struct sk_buff *skb;
	u8 proto;		/* IPPROTO_ICMP for both ICMP and ICMPv6 */
	unsigned int l4_offset;	/* from skb->data, before rewriting */
	unsigned int l4_len;
	u16 src_port;		/* host order; ICMP: the echo identifier */
	u16 dst_port;
};

static unsigned int drop(struct xlat_pkt *pkt, enum nat64_stat why)
{
	nat64_stats_inc(&pkt->inst->stats, why);
	kfree_skb(pkt->skb);
	return NF_STOLEN;
}

/* Pseudo-header sum, not folded and not complemented. */
static __wsum pseudo6_sum(const struct in6_addr *saddr,
			  const struct in6_addr *daddr, u32 len, u8 proto)
{
	return csum_unfold(~csum_ipv6_magic(saddr, daddr, len, proto, 0));
}

/*
 * ICMPv6 sums a pseudo-header and ICMP does not; adjust the checksum
 * incrementally so that a corrupt message stays detectably corrupt.
 */
static void icmp_csum_adjust(__sum16 *check, __wsum pseudo, bool to6,
			     __be16 old_type_code, __be16 new_type_code)
{
	__wsum sum = ~csum_unfold(*check);

	sum = to6 ? csum_add(sum, pseudo) : csum_sub(sum, pseudo);
	*check = csum_fold(sum);
	csum_replace2(check, old_type_code, new_type_code);
}

static __be16 type_code(u8 type, u8 code)
{
	return htons(type << 8 | code);
}

/* Drop a checksum the hardware vouched for over bytes we rewrite. */
static void xlat_fix_ip_summed(struct sk_buff *skb)
{
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
}

/* Leave the old family's state behind before the packet goes out again. */
static void xlat_reset_skb(struct sk_buff *skb, __be16 protocol)
{
	skb->protocol = protocol;
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb_clear_tstamp(skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	xlat_fix_ip_summed(skb);
}

/* ---- IPv6 to IPv4 ---- */

static int parse6_icmp(struct xlat_pkt *pkt)
{
	struct icmp6hdr *icmp6;

	if (!pskb_may_pull(pkt->skb, pkt->l4_offset + sizeof(*icmp6)))
		return -NAT64_STAT_DROP_TRUNCATED;
	icmp6 = (struct icmp6hdr *)(pkt->skb->data + pkt->l4_offset);
	if (icmp6->icmp6_type != ICMPV6_ECHO_REQUEST &&
	    icmp6->icmp6_type != ICMPV6_ECHO_REPLY)
		return -NAT64_STAT_DROP_UNSUPPORTED;
	pkt->src_port = ntohs(icmp6->icmp6_identifier);
	pkt->dst_port = 0;
	return 0;
}

static int parse6(struct xlat_pkt *pkt)
{
	struct sk_buff *skb = pkt->skb;
	__be16 frag_off;
	u8 nexthdr;
	int offset;

	nexthdr = ipv6_hdr(skb)->nexthdr;
	offset = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
				  &frag_off);
	if (offset < 0)
		return -NAT64_STAT_DROP_TRUNCATED;
	if (frag_off)	/* defrag runs first; a fragment here is unexpected */
		return -NAT64_STAT_DROP_UNSUPPORTED;
	pkt->l4_offset = offset;
	pkt->l4_len = skb->len - offset;

	switch (nexthdr) {
	case IPPROTO_ICMPV6:
		pkt->proto = IPPROTO_ICMP;
		return parse6_icmp(pkt);
	}
	return -NAT64_STAT_DROP_UNSUPPORTED;
}

static void rewrite_icmp6_to4(struct xlat_pkt *pkt, const struct in6_addr *saddr,
			      const struct in6_addr *daddr, u16 id4)
{
	struct icmphdr *icmp = icmp_hdr(pkt->skb);
	struct nat64_icmp_map map;
	__be16 old_tc, id = htons(id4);

	nat64_icmp6_to4_type(icmp->type, icmp->code, &map);
	old_tc = type_code(icmp->type, icmp->code);
	icmp->type = map.type;
	icmp->code = map.code;
	icmp_csum_adjust(&icmp->checksum,
			 pseudo6_sum(saddr, daddr, pkt->l4_len, IPPROTO_ICMPV6),
			 false, old_tc, type_code(map.type, map.code));
	csum_replace2(&icmp->checksum, icmp->un.echo.id, id);
	icmp->un.echo.id = id;
}

/* RFC 7915 section 5.1: DF only when the packet is too big for IPv4's minimum MTU. */
static void write_iphdr(struct sk_buff *skb, const struct ipv6hdr *ip6,
			const struct nat64_bib_entry *bibe, __be32 daddr,
			u8 proto, unsigned int l4_len, struct net *net)
{
	struct iphdr *iph = ip_hdr(skb);
	unsigned int tot_len = sizeof(*iph) + l4_len;

	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = ipv6_get_dsfield(ip6);
	iph->tot_len = htons(tot_len);
	iph->frag_off = tot_len > 1260 ? htons(IP_DF) : 0;
	iph->ttl = ip6->hop_limit - 1;
	iph->protocol = proto;
	iph->saddr = bibe->key4.addr;
	iph->daddr = daddr;
	__ip_select_ident(net, iph, 1);
	ip_send_check(iph);
}

static int route4(struct net *net, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct flowi4 fl4 = {
		.daddr = iph->daddr,
		.saddr = iph->saddr,
		.flowi4_tos = RT_TOS(iph->tos),
		.flowi4_proto = iph->protocol,
		.flowi4_mark = skb->mark,
		/* pool4 addresses need not be assigned to an interface. */
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb_dst_set(skb, &rt->dst);
	return 0;
}

static unsigned int xlat6to4(struct xlat_pkt *pkt, struct net *net)
{
	struct nat64_instance *inst = pkt->inst;
	struct sk_buff *skb = pkt->skb;
	struct ipv6hdr ip6 = *ipv6_hdr(skb);
	struct nat64_session *session;
	struct nat64_flow6 flow = {
		.proto = pkt->proto,
		.mark = skb->mark,
		.src = ip6.saddr,
		.src_port = pkt->src_port,
		.dst = nat64_addr_6to4(&inst->pool6, &ip6.daddr),
		.dst_port = pkt->dst_port,
	};
	enum nat64_stat why;
	const struct nat64_bib_entry *bibe;

	if (ip6.hop_limit <= 1) {
		icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
		return drop(pkt, NAT64_STAT_DROP_TTL_EXPIRED);
	}

	session = nat64_session_find6(&inst->bib, &flow);
	if (!session) {
		session = nat64_session_create6(inst, &flow, &why);
		if (!session)
			return drop(pkt, why);
	}
	nat64_session_touch(session, nat64_timeout(&inst->settings.timeout_icmp));
	bibe = session->key.bib;

	if (skb_ensure_writable(skb, pkt->l4_offset + sizeof(struct icmphdr)))
		return drop(pkt, NAT64_STAT_DROP_NO_MEMORY);

	skb_pull(skb, pkt->l4_offset);
	skb_reset_transport_header(skb);
	rewrite_icmp6_to4(pkt, &ip6.saddr, &ip6.daddr, bibe->key4.port);
	skb_push(skb, sizeof(struct iphdr));
	skb_reset_network_header(skb);
	xlat_reset_skb(skb, htons(ETH_P_IP));
	write_iphdr(skb, &ip6, bibe, flow.dst, IPPROTO_ICMP, pkt->l4_len, net);

	if (route4(net, skb))
		return drop(pkt, NAT64_STAT_DROP_NO_ROUTE);
	nat64_stats_inc(&inst->stats, NAT64_STAT_XLAT_6TO4);
	dst_output(net, NULL, skb);
	return NF_STOLEN;
}

unsigned int nat64_hook6(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	struct xlat_pkt pkt = { .inst = priv, .skb = skb };
	int err;

	if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
	    !nat64_prefix6_contains(&pkt.inst->pool6, &ipv6_hdr(skb)->daddr))
		return NF_ACCEPT;
	nat64_stats_inc(&pkt.inst->stats, NAT64_STAT_RX6);

	err = parse6(&pkt);
	if (err)
		return drop(&pkt, -err);
	return xlat6to4(&pkt, state->net);
}

/* ---- IPv4 to IPv6 ---- */

static int parse4_icmp(struct xlat_pkt *pkt)
{
	struct icmphdr *icmp;

	if (!pskb_may_pull(pkt->skb, pkt->l4_offset + sizeof(*icmp)))
		return -NAT64_STAT_DROP_TRUNCATED;
	icmp = (struct icmphdr *)(pkt->skb->data + pkt->l4_offset);
	if (icmp->type != ICMP_ECHO && icmp->type != ICMP_ECHOREPLY)
		return -NAT64_STAT_DROP_UNSUPPORTED;
	/* pool4 owns the identifier, which plays the local port. */
	pkt->dst_port = ntohs(icmp->un.echo.id);
	pkt->src_port = 0;
	return 0;
}

static int parse4(struct xlat_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(pkt->skb);

	if (ip_is_fragment(iph))	/* defrag runs first */
		return -NAT64_STAT_DROP_UNSUPPORTED;
	pkt->l4_offset = ip_hdrlen(pkt->skb);
	pkt->l4_len = ntohs(iph->tot_len) - pkt->l4_offset;

	switch (iph->protocol) {
	case IPPROTO_ICMP:
		pkt->proto = IPPROTO_ICMP;
		return parse4_icmp(pkt);
	}
	return -NAT64_STAT_DROP_UNSUPPORTED;
}

static void rewrite_icmp4_to6(struct xlat_pkt *pkt, const struct in6_addr *saddr,
			      const struct in6_addr *daddr, u16 id6)
{
	struct icmphdr *icmp = icmp_hdr(pkt->skb);
	struct nat64_icmp_map map;
	__be16 old_tc, id = htons(id6);

	nat64_icmp4_to6_type(icmp->type, icmp->code, &map);
	old_tc = type_code(icmp->type, icmp->code);
	icmp->type = map.type;
	icmp->code = map.code;
	icmp_csum_adjust(&icmp->checksum,
			 pseudo6_sum(saddr, daddr, pkt->l4_len, IPPROTO_ICMPV6),
			 true, old_tc, type_code(map.type, map.code));
	csum_replace2(&icmp->checksum, icmp->un.echo.id, id);
	icmp->un.echo.id = id;
}

static void write_ipv6hdr(struct sk_buff *skb, const struct iphdr *iph,
			  const struct in6_addr *saddr,
			  const struct in6_addr *daddr, u8 nexthdr,
			  unsigned int l4_len)
{
	struct ipv6hdr *ip6 = ipv6_hdr(skb);

	ip6_flow_hdr(ip6, iph->tos, 0);
	ip6->payload_len = htons(l4_len);
	ip6->nexthdr = nexthdr;
	ip6->hop_limit = iph->ttl - 1;
	ip6->saddr = *saddr;
	ip6->daddr = *daddr;
}

static int route6(struct net *net, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct flowi6 fl6 = {
		.daddr = ip6->daddr,
		.saddr = ip6->saddr,
		.flowi6_proto = ip6->nexthdr,
		.flowi6_mark = skb->mark,
	};
	struct dst_entry *dst;

	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		int err = dst->error;

		dst_release(dst);
		return err;
	}
	skb_dst_set(skb, dst);
	return 0;
}

/* icmp_send() picks its source from the input route, which PREROUTING lacks. */
static void send_time_exceeded4(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (!skb_dst(skb) &&
	    ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
				 skb->dev))
		return;
	icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
}

static unsigned int xlat4to6(struct xlat_pkt *pkt, struct net *net)
{
	struct nat64_instance *inst = pkt->inst;
	struct sk_buff *skb = pkt->skb;
	struct iphdr iph = *ip_hdr(skb);
	const struct nat64_bib_entry *bibe;
	struct nat64_session *session;
	struct in6_addr saddr;

	session = nat64_session_find4(&inst->bib, pkt->proto, iph.daddr,
				      pkt->dst_port, iph.saddr, pkt->src_port);
	if (!session)
		return drop(pkt, NAT64_STAT_DROP_NO_SESSION);
	if (iph.ttl <= 1) {
		send_time_exceeded4(skb);
		return drop(pkt, NAT64_STAT_DROP_TTL_EXPIRED);
	}
	nat64_session_touch(session, nat64_timeout(&inst->settings.timeout_icmp));
	bibe = session->key.bib;
	nat64_addr_4to6(&inst->pool6, iph.saddr, &saddr);

	if (skb_cow_head(skb, sizeof(struct ipv6hdr) - pkt->l4_offset) ||
	    skb_ensure_writable(skb, pkt->l4_offset + sizeof(struct icmphdr)))
		return drop(pkt, NAT64_STAT_DROP_NO_MEMORY);

	skb_pull(skb, pkt->l4_offset);
	skb_reset_transport_header(skb);
	rewrite_icmp4_to6(pkt, &saddr, &bibe->key6.addr, bibe->key6.port);
	skb_push(skb, sizeof(struct ipv6hdr));
	skb_reset_network_header(skb);
	xlat_reset_skb(skb, htons(ETH_P_IPV6));
	write_ipv6hdr(skb, &iph, &saddr, &bibe->key6.addr, IPPROTO_ICMPV6,
		      pkt->l4_len);

	if (route6(net, skb))
		return drop(pkt, NAT64_STAT_DROP_NO_ROUTE);
	nat64_stats_inc(&inst->stats, NAT64_STAT_XLAT_4TO6);
	dst_output(net, NULL, skb);
	return NF_STOLEN;
}

/* Is this IPv4 packet addressed to one of pool4's transport addresses? */
static bool addressed_to_pool4(struct xlat_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(pkt->skb);
	struct nat64_pool4 *pool = rcu_dereference(pkt->inst->pool4);

	return pool && nat64_pool4_contains(pool, pkt->proto, iph->daddr,
					    pkt->dst_port);
}

unsigned int nat64_hook4(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	struct xlat_pkt pkt = { .inst = priv, .skb = skb };
	int err;

	if (!pskb_may_pull(skb, sizeof(struct iphdr)))
		return NF_ACCEPT;
	err = parse4(&pkt);
	/* Not ours unless it is addressed to pool4; the host may want it. */
	if (err || !addressed_to_pool4(&pkt))
		return NF_ACCEPT;
	nat64_stats_inc(&pkt.inst->stats, NAT64_STAT_RX4);
	return xlat4to6(&pkt, state->net);
}
