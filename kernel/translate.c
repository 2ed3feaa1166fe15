// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The netfilter hooks: IPv6 packets to pool6 become IPv4 packets from
 * pool4, and IPv4 packets to a pool4 transport address with a BIB entry
 * become IPv6 packets (RFC 6146 section 3, RFC 7915).
 *
 * A packet goes one way through the stages, each in its own file:
 *
 *   parse.c   check the packet once, record offsets, lengths and ports
 *   state.c   RFC 6146: its BIB entry and session, filtering, TCP state
 *   output.c  route and MTU (the errors they cause are sent there)
 *   xlat.c    rewrite the headers from what parse recorded
 *   output.c  fragment and send
 *
 * This file only strings them together. Hairpinning (RFC 6146 3.8): an
 * IPv6 packet to a pool4 address becomes IPv4 and goes straight into the
 * IPv4 pipeline, once; it is never routed to the translator's own stack.
 */

#include <linux/bottom_half.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/preempt.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "instance.h"
#include "output.h"
#include "parse.h"
#include "scope.h"
#include "state.h"
#include "translate.h"
#include "xlat.h"

static unsigned int drop(struct nat64_pkt *pkt, enum nat64_stat why)
{
	nat64_stats_inc(&pkt->inst->stats, why);
	kfree_skb(pkt->skb);
	return NF_STOLEN;
}

static void count(struct nat64_pkt *pkt, enum nat64_stat what)
{
	nat64_stats_inc(&pkt->inst->stats, what);
}

static unsigned int xlat4to6(struct nat64_pkt *pkt, bool hairpin);
static unsigned int error4to6(struct nat64_pkt *pkt, bool hairpin);

/* A translated IPv4 packet that never leaves: it goes back through 4 -> 6. */
static unsigned int hairpin4(struct nat64_pkt *pkt6, struct sk_buff *skb)
{
	struct nat64_pkt pkt = {
		.inst = pkt6->inst,
		.net = pkt6->net,
		.skb = skb,
	};
	int err;

	count(&pkt, NAT64_STAT_RX4);
	err = nat64_parse4(&pkt);
	if (!err && pkt.l4.icmp_error)
		err = nat64_parse_quote4(&pkt);
	if (err)
		return drop(&pkt, -err);
	return pkt.l4.icmp_error ? error4to6(&pkt, true) :
				   xlat4to6(&pkt, true);
}

/* ---- IPv6 to IPv4 ---- */

/* RFC 7915 5.1: DF unless the IPv6 source fragmented (and so can). */
static bool wants_df(const struct nat64_pkt *pkt)
{
	return !IP6CB(pkt->skb)->frag_max_size &&
	       nat64_xlat_wants_df(sizeof(struct iphdr) + pkt->l4.len);
}

/*
 * A hairpinned SYN to a transport address no BIB entry holds is held
 * as the IPv6 packet it is, so that its sender hears of it in ICMPv6.
 */
static bool hold_hairpin_syn(struct nat64_pkt *pkt,
			     const struct nat64_bib_entry *bibe, __be32 dst4)
{
	struct nat64_syn4 syn = {
		.saddr = bibe->key4.addr,
		.sport = bibe->key4.port,
		.daddr = dst4,
		.dport = pkt->l4.dst_port,
	};

	if (!nat64_state_holds_syn(pkt) ||
	    nat64_bib_find4(&pkt->inst->bib, IPPROTO_TCP, dst4, syn.dport))
		return false;
	if (nat64_synhold_add(pkt->inst, pkt->skb, &syn, true))
		count(pkt, NAT64_STAT_SYN_HELD);
	else
		drop(pkt, NAT64_STAT_DROP_SYN_HOLD_FULL);
	return true;
}

/*
 * An IPv6 packet to a pool4 address hairpins only to a pool4 transport
 * address: a port pool4 lends, or one a static BIB entry holds (an echo's
 * identifier becomes its sender's own mapping's). Any other port of that
 * address is the host's own, never the translator's to reach.
 */
static bool hairpin_target(struct nat64_pkt *pkt, __be32 dst4)
{
	u8 proto = pkt->l4.proto;
	u16 port = pkt->l4.dst_port;

	return proto == IPPROTO_ICMP ||
	       nat64_pool4_contains(rcu_dereference(pkt->inst->pool4), proto,
				    dst4, port) ||
	       nat64_bib_find4(&pkt->inst->bib, proto, dst4, port);
}

static unsigned int xlat6to4(struct nat64_pkt *pkt)
{
	__be32 dst4 = nat64_addr_6to4(&pkt->inst->pool6,
				      &ipv6_hdr(pkt->skb)->daddr);
	const struct nat64_bib_entry *bibe;
	struct nat64_state st;
	struct rtable *rt;
	bool hairpin, df;
	int err;

	if (pkt->ttl <= 1) {
		nat64_icmp6_send(pkt->skb, ICMPV6_TIME_EXCEED,
				 ICMPV6_EXC_HOPLIMIT, 0);
		return drop(pkt, NAT64_STAT_DROP_TTL_EXPIRED);
	}
	hairpin = nat64_pool4_has_addr(rcu_dereference(pkt->inst->pool4),
				       pkt->l4.proto, dst4);
	if (hairpin && !hairpin_target(pkt, dst4))
		return drop(pkt, NAT64_STAT_DROP_FORBIDDEN_ADDRESS);
	if (nat64_state6(pkt, dst4, hairpin, &st) != NAT64_XLAT) {
		/* RFC 6146 3.5.1.1: no mapping could be made for it. */
		if (st.why == NAT64_STAT_DROP_POOL4_EXHAUSTED ||
		    st.why == NAT64_STAT_DROP_TABLE_FULL ||
		    st.why == NAT64_STAT_DROP_SUBSCRIBER_LIMIT ||
		    st.why == NAT64_STAT_DROP_SUBSCRIBER_BLOCKS)
			nat64_icmp6_send(pkt->skb, ICMPV6_DEST_UNREACH,
					 ICMPV6_ADDR_UNREACH, 0);
		return drop(pkt, st.why);
	}
	bibe = st.session->key.bib;

	if (hairpin) {
		if (hold_hairpin_syn(pkt, bibe, dst4))
			return NF_STOLEN;
		err = nat64_xlat_6to4(pkt, &bibe->key4, dst4, false, pkt->net);
		if (err)
			return drop(pkt, -err);
		count(pkt, NAT64_STAT_XLAT_6TO4);
		return hairpin4(pkt, pkt->skb);
	}
	df = wants_df(pkt);
	rt = nat64_route4(pkt->net, pkt->skb->mark, bibe->key4.addr, dst4,
			  pkt->tos, pkt->l4.proto);
	if (IS_ERR(rt))
		return drop(pkt, NAT64_STAT_DROP_NO_ROUTE);
	err = nat64_out4_check(pkt, rt, df) ?:
	      nat64_xlat_6to4(pkt, &bibe->key4, dst4, df, pkt->net);
	if (err) {
		ip_rt_put(rt);
		return drop(pkt, -err);
	}
	count(pkt, NAT64_STAT_XLAT_6TO4);
	nat64_send4(pkt->skb, rt);
	return NF_STOLEN;
}

/* An ICMPv6 error about a packet that went 4 -> 6. */
static unsigned int error6to4(struct nat64_pkt *pkt)
{
	struct nat64_path_mtu path = { IP_MAX_MTU, IP_MAX_MTU };
	const struct nat64_bib_entry *bibe;
	struct nat64_state st;
	struct sk_buff *skb4;
	struct rtable *rt = NULL;
	__be32 remote4;
	bool hairpin;
	int err;

	err = nat64_parse_quote6(pkt);
	if (err)
		return drop(pkt, -err);
	if (nat64_state_error6(pkt, &st) != NAT64_XLAT)
		return drop(pkt, st.why);
	if (pkt->ttl <= 1)	/* no error is sent about an error */
		return drop(pkt, NAT64_STAT_DROP_TTL_EXPIRED);
	bibe = st.session->key.bib;
	remote4 = st.session->key.addr;
	hairpin = nat64_pool4_has_addr(rcu_dereference(pkt->inst->pool4),
				       pkt->quote.l4.proto, remote4);
	if (!hairpin) {
		rt = nat64_route4(pkt->net, pkt->skb->mark, bibe->key4.addr,
				  remote4, pkt->tos, IPPROTO_ICMP);
		if (IS_ERR(rt))
			return drop(pkt, NAT64_STAT_DROP_NO_ROUTE);
		path.v4 = dst_mtu(&rt->dst);
	}
	if (pkt->l4.icmp_type == ICMPV6_PKT_TOOBIG)
		path.v6 = nat64_route6_mtu(pkt->net, pkt->skb->mark,
					   &pkt->quote.v6.saddr,
					   &bibe->key6.addr);
	skb4 = nat64_xlat_error6to4(pkt, st.session, &path, pkt->net);
	err = IS_ERR(skb4) ? PTR_ERR(skb4) :
	      rt && nat64_route4_forbidden(rt) ?
	      -NAT64_STAT_DROP_FORBIDDEN_ADDRESS : 0;
	if (err) {
		if (rt)
			ip_rt_put(rt);
		if (!IS_ERR(skb4))
			kfree_skb(skb4);
		return drop(pkt, -err);
	}
	count(pkt, NAT64_STAT_XLAT_6TO4);
	consume_skb(pkt->skb);
	if (hairpin)
		return hairpin4(pkt, skb4);
	nat64_send4(skb4, rt);
	return NF_STOLEN;
}

static unsigned int hook6(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	struct nat64_pkt pkt = { .inst = priv, .net = state->net, .skb = skb };
	int err;

	if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
	    !nat64_prefix6_contains(&pkt.inst->pool6, &ipv6_hdr(skb)->daddr))
		return NF_ACCEPT;
	count(&pkt, NAT64_STAT_RX6);
	/* A translated address comes from the translator, never to it. */
	if (nat64_prefix6_contains(&pkt.inst->pool6, &ipv6_hdr(skb)->saddr))
		return drop(&pkt, NAT64_STAT_DROP_FORBIDDEN_ADDRESS);
	err = nat64_parse6(&pkt);
	if (err == -NAT64_STAT_DROP_ROUTING_HEADER)
		nat64_icmp6_send(skb, ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD,
				 pkt.problem_pointer);
	if (err)
		return drop(&pkt, -err);
	return pkt.l4.icmp_error ? error6to4(&pkt) : xlat6to4(&pkt);
}

/* ---- IPv4 to IPv6 ---- */

static void hold_syn(struct nat64_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(pkt->skb);
	struct nat64_syn4 syn = {
		.saddr = iph->saddr,
		.sport = pkt->l4.src_port,
		.daddr = iph->daddr,
		.dport = pkt->l4.dst_port,
	};

	if (nat64_synhold_add(pkt->inst, pkt->skb, &syn, false))
		count(pkt, NAT64_STAT_SYN_HELD);
	else
		drop(pkt, NAT64_STAT_DROP_SYN_HOLD_FULL);
}

static unsigned int xlat4to6(struct nat64_pkt *pkt, bool hairpin)
{
	const struct nat64_bib_entry *bibe;
	struct nat64_state st;
	struct dst_entry *dst;
	unsigned int frag_mtu;
	struct in6_addr saddr;
	__be32 frag_id;
	int err;

	switch (nat64_state4(pkt, hairpin, &st)) {
	case NAT64_HOLD:
		hold_syn(pkt);
		return NF_STOLEN;
	case NAT64_XLAT:
		break;
	default:
		return drop(pkt, st.why);
	}
	bibe = st.session->key.bib;
	nat64_addr_4to6(&pkt->inst->pool6, ip_hdr(pkt->skb)->saddr, &saddr);
	/* RFC 7915 4.1: the fragments' identification is the packet's. */
	frag_id = htonl(ntohs(ip_hdr(pkt->skb)->id));

	dst = nat64_route6(pkt->net, pkt->skb->mark, &saddr, &bibe->key6.addr,
			   pkt->l4.proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 :
			   pkt->l4.proto);
	if (!dst)
		return drop(pkt, NAT64_STAT_DROP_NO_ROUTE);
	err = nat64_out6_check(pkt, &bibe->key6.addr, dst, &frag_mtu) ?:
	      nat64_xlat_4to6(pkt, &saddr, &bibe->key6, hairpin);
	if (err) {
		dst_release(dst);
		return drop(pkt, -err);
	}
	count(pkt, NAT64_STAT_XLAT_4TO6);
	nat64_send6(pkt->skb, dst, frag_mtu, frag_id);
	return NF_STOLEN;
}

/* An ICMP error about a packet that went 6 -> 4. */
static unsigned int error4to6(struct nat64_pkt *pkt, bool hairpin)
{
	struct nat64_path_mtu path = { IP_MAX_MTU, IP_MAX_MTU };
	const struct nat64_bib_entry *bibe;
	struct in6_addr saddr;
	struct nat64_state st;
	struct dst_entry *dst;
	struct sk_buff *skb6;
	int err;

	if (nat64_state_error4(pkt, hairpin, &st) == NAT64_PASS)
		return hairpin ? drop(pkt, NAT64_STAT_DROP_NO_SESSION) :
				 NF_ACCEPT;
	if (!hairpin)
		count(pkt, NAT64_STAT_RX4);
	if (st.verdict == NAT64_DROP)
		return drop(pkt, st.why);
	if (pkt->ttl <= 1)	/* no error is sent about an error */
		return drop(pkt, NAT64_STAT_DROP_TTL_EXPIRED);
	bibe = st.session->key.bib;
	nat64_addr_4to6(&pkt->inst->pool6, ip_hdr(pkt->skb)->saddr, &saddr);

	dst = nat64_route6(pkt->net, pkt->skb->mark, &saddr, &bibe->key6.addr,
			   IPPROTO_ICMPV6);
	if (!dst)
		return drop(pkt, NAT64_STAT_DROP_NO_ROUTE);
	path.v6 = dst_mtu(dst);
	if (!hairpin && pkt->l4.icmp_type == ICMP_DEST_UNREACH &&
	    pkt->l4.icmp_code == ICMP_FRAG_NEEDED)
		path.v4 = nat64_route4_mtu(pkt->net, pkt->skb->mark,
					   bibe->key4.addr, st.session->key.addr);
	skb6 = nat64_xlat_error4to6(pkt, st.session, &saddr, &path, hairpin);
	err = IS_ERR(skb6) ? PTR_ERR(skb6) :
	      nat64_route6_forbidden(dst, &bibe->key6.addr) ?
	      -NAT64_STAT_DROP_FORBIDDEN_ADDRESS : 0;
	if (err) {
		dst_release(dst);
		if (!IS_ERR(skb6))
			kfree_skb(skb6);
		return drop(pkt, -err);
	}
	count(pkt, NAT64_STAT_XLAT_4TO6);
	consume_skb(pkt->skb);
	nat64_send6(skb6, dst, 0, 0);
	return NF_STOLEN;
}

/*
 * Is this IPv4 packet addressed to a pool4 transport address: one lent to
 * dynamic mappings, or one a static BIB entry holds? A ping is, only if
 * a BIB entry holds its identifier: otherwise the translator's own
 * address is pinged, and the host answers.
 */
static bool addressed_to_pool4(struct nat64_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(pkt->skb);
	struct nat64_pool4 *pool = rcu_dereference(pkt->inst->pool4);
	bool ping = pkt->l4.proto == IPPROTO_ICMP &&
		    pkt->l4.icmp_type == ICMP_ECHO;

	if (!ping && nat64_pool4_contains(pool, pkt->l4.proto, iph->daddr,
					  pkt->l4.dst_port))
		return true;
	return nat64_pool4_has_addr(pool, pkt->l4.proto, iph->daddr) &&
	       nat64_bib_find4(&pkt->inst->bib, pkt->l4.proto, iph->daddr,
			       pkt->l4.dst_port);
}

static unsigned int hook4(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	struct nat64_pkt pkt = { .inst = priv, .net = state->net, .skb = skb };

	/*
	 * What the translator cannot parse is not its own to refuse: pool4
	 * addresses may be the host's too, for other ports and protocols.
	 */
	if (nat64_parse4(&pkt))
		return NF_ACCEPT;
	if (pkt.l4.icmp_error)
		return nat64_parse_quote4(&pkt) ? NF_ACCEPT :
						  error4to6(&pkt, false);
	if (!addressed_to_pool4(&pkt))
		return NF_ACCEPT;
	count(&pkt, NAT64_STAT_RX4);
	/*
	 * Sessions with a pool4 address at the far end are hairpinned
	 * ones: such a source from outside is forged.
	 */
	if (nat64_scope_is_pool4(rcu_dereference(pkt.inst->pool4),
				 ip_hdr(skb)->saddr))
		return drop(&pkt, NAT64_STAT_DROP_FORBIDDEN_ADDRESS);
	if (pkt.ttl <= 1) {
		nat64_icmp4_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return drop(&pkt, NAT64_STAT_DROP_TTL_EXPIRED);
	}
	/* RFC 7915 4.1: a source route is not the translator's to end. */
	if (pkt.source_route) {
		nat64_icmp4_send(skb, ICMP_DEST_UNREACH, ICMP_SR_FAILED, 0);
		return drop(&pkt, NAT64_STAT_DROP_SOURCE_ROUTE);
	}
	return xlat4to6(&pkt, false);
}

/*
 * The packet path keeps per-CPU state (the counters, scope.c's answers)
 * and must run with bottom halves off. From the receive softirq it does;
 * but a packet that an NFQUEUE before this hook (at mangle, say) lets
 * through is reinjected from the verdict's sendmsg (nf_reinject()), in
 * process context, preemptible.
 */
static unsigned int with_bh_off(nf_hookfn *hook, void *priv,
				struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	unsigned int verdict;

	if (likely(in_softirq()))
		return hook(priv, skb, state);
	local_bh_disable();
	verdict = hook(priv, skb, state);
	local_bh_enable();
	return verdict;
}

unsigned int nat64_hook6(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	return with_bh_off(hook6, priv, skb, state);
}

unsigned int nat64_hook4(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	return with_bh_off(hook4, priv, skb, state);
}
