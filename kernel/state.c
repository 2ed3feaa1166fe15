// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The RFC 6146 decisions for one packet, all here: which BIB entry and
 * session it belongs to, whether it may make them (filtering, the TCP
 * state machine, the translator's own addresses), how long they live,
 * and whether an IPv4 SYN is held for a simultaneous open. The stage
 * reads only what parse.c recorded and the tables (bib.c); it writes
 * nothing of the packet.
 *
 * An ICMP query's identifier plays the port on the side it is mapped;
 * on the IPv4 remote's side a query session has port 0.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>

#include "instance.h"
#include "scope.h"
#include "state.h"

static enum nat64_verdict decide(struct nat64_state *st,
				 enum nat64_verdict verdict,
				 enum nat64_stat why)
{
	st->verdict = verdict;
	st->why = why;
	return verdict;
}

static enum nat64_verdict xlat(struct nat64_state *st,
			       struct nat64_session *session)
{
	st->session = session;
	return decide(st, NAT64_XLAT, 0);
}

static u16 remote_port(const struct nat64_l4 *l4, u16 port)
{
	return l4->proto == IPPROTO_ICMP ? 0 : port;
}

static unsigned long proto_timeout(struct nat64_instance *inst, u8 proto)
{
	return nat64_timeout(proto == IPPROTO_UDP ? &inst->settings.timeout_udp :
			     &inst->settings.timeout_icmp);
}

static unsigned long tcp_timeout(struct nat64_instance *inst,
				 enum nat64_tcp_timer timer)
{
	switch (timer) {
	case NAT64_TCP_TIMER_EST:
		return nat64_timeout(&inst->settings.timeout_tcp_est);
	case NAT64_TCP_TIMER_TRANS:
		return nat64_timeout(&inst->settings.timeout_tcp_trans);
	default:
		return NAT64_TCP_INCOMING_SYN_SECS * HZ;
	}
}

/* RFC 6146 3.5.2: the state moves without a lock; a lost race is benign. */
static void session_update(struct nat64_pkt *pkt, struct nat64_session *s)
{
	enum nat64_tcp_timer timer;
	u32 state, next;

	if (pkt->l4.proto != IPPROTO_TCP) {
		nat64_session_touch(s, proto_timeout(pkt->inst, pkt->l4.proto));
		return;
	}
	state = READ_ONCE(s->tcp_state);
	next = nat64_tcp_next(state, &pkt->l4.tcp, &timer);
	if (next != state)
		cmpxchg(&s->tcp_state, state, next);
	if (timer != NAT64_TCP_TIMER_KEEP)
		nat64_session_touch(s, tcp_timeout(pkt->inst, timer));
}

/* The first lifetime of a session the packet opens. */
static unsigned long initial_timeout(struct nat64_pkt *pkt)
{
	enum nat64_tcp_timer timer;

	if (pkt->l4.proto != IPPROTO_TCP)
		return proto_timeout(pkt->inst, pkt->l4.proto);
	nat64_tcp_next(NAT64_TCP_CLOSED, &pkt->l4.tcp, &timer);
	return tcp_timeout(pkt->inst, timer);
}

/* Only a SYN opens a TCP session (RFC 6146 3.5.2.2, CLOSED state). */
static bool may_open_session(const struct nat64_pkt *pkt)
{
	return pkt->l4.proto != IPPROTO_TCP || pkt->l4.tcp.syn;
}

static bool forbidden_remote(struct nat64_pkt *pkt, __be32 remote)
{
	struct nat64_instance *inst = pkt->inst;

	return nat64_scope_forbidden4(pkt->net, &inst->scope,
				      rcu_dereference(inst->pool4), remote);
}

/**
 * nat64_state6() - the session of an IPv6 packet, made if need be
 * @pkt: the packet, parsed; not an ICMP error
 * @dst4: the IPv4 address embedded in its destination
 * @hairpin: @dst4 is a pool4 address: the packet comes straight back
 * @st: the decision
 *
 * Context: softirq, under rcu_read_lock().
 */
enum nat64_verdict nat64_state6(struct nat64_pkt *pkt, __be32 dst4,
				bool hairpin, struct nat64_state *st)
{
	struct nat64_instance *inst = pkt->inst;
	struct nat64_flow6 flow = {
		.proto = pkt->l4.proto,
		.mark = pkt->skb->mark,
		.src = ipv6_hdr(pkt->skb)->saddr,
		.src_port = pkt->l4.src_port,
		.dst = dst4,
		.dst_port = remote_port(&pkt->l4, pkt->l4.dst_port),
	};
	struct nat64_session *session;
	enum nat64_stat why;

	session = nat64_session_find6(&inst->bib, &flow);
	if (!session) {
		if (!may_open_session(pkt))
			return decide(st, NAT64_DROP, NAT64_STAT_DROP_NO_SESSION);
		if (!hairpin && forbidden_remote(pkt, dst4))
			return decide(st, NAT64_DROP,
				   NAT64_STAT_DROP_FORBIDDEN_ADDRESS);
		session = nat64_session_create6(inst, &flow,
						initial_timeout(pkt), &why);
		if (!session)
			return decide(st, NAT64_DROP, why);
	}
	session_update(pkt, session);
	return xlat(st, session);
}

/**
 * nat64_state_holds_syn() - is this an IPv4 SYN RFC 6146 3.5.2.2 holds?
 * @pkt: a TCP packet to a pool4 transport address no BIB entry holds
 *
 * A SYN without ACK, unless IPv4-initiated TCP is refused altogether.
 */
bool nat64_state_holds_syn(const struct nat64_pkt *pkt)
{
	return pkt->l4.proto == IPPROTO_TCP && pkt->l4.tcp.syn &&
	       !pkt->l4.tcp_ack &&
	       !READ_ONCE(pkt->inst->settings.drop_external_tcp);
}

/* An IPv4 packet to a transport address without a BIB entry. */
static enum nat64_verdict no_bib4(struct nat64_pkt *pkt, bool hairpin,
				  struct nat64_state *st)
{
	const struct iphdr *iph = ip_hdr(pkt->skb);

	/* A hairpinned SYN was held before it became IPv4 (translate.c). */
	if (hairpin || !nat64_state_holds_syn(pkt))
		return decide(st, NAT64_DROP, NAT64_STAT_DROP_NO_BIB);
	if (forbidden_remote(pkt, iph->saddr))
		return decide(st, NAT64_DROP, NAT64_STAT_DROP_FORBIDDEN_ADDRESS);
	return decide(st, NAT64_HOLD, NAT64_STAT_SYN_HELD);
}

/*
 * May an IPv4 node open a session through @bibe? Endpoint-independent
 * filtering (RFC 4787) lets any in; address-dependent filtering only
 * one the IPv6 side has talked to.
 */
static enum nat64_stat filter4(struct nat64_pkt *pkt,
			       const struct nat64_bib_entry *bibe,
			       __be32 remote, bool hairpin)
{
	struct nat64_instance *inst = pkt->inst;

	if (!may_open_session(pkt))
		return NAT64_STAT_DROP_NO_SESSION;
	if (pkt->l4.proto == IPPROTO_TCP &&
	    READ_ONCE(inst->settings.drop_external_tcp))
		return NAT64_STAT_DROP_FILTERED;
	if (READ_ONCE(inst->settings.address_dependent_filtering) &&
	    !nat64_session_peer_known(&inst->bib, bibe, remote))
		return NAT64_STAT_DROP_ADDRESS_FILTERED;
	if (!hairpin && forbidden_remote(pkt, remote))
		return NAT64_STAT_DROP_FORBIDDEN_ADDRESS;
	return 0;
}

/**
 * nat64_state4() - the session of an IPv4 packet to a pool4 address
 * @pkt: the packet, parsed; not an ICMP error
 * @hairpin: it was an IPv6 packet to pool6 a moment ago
 * @st: the decision
 *
 * Context: softirq, under rcu_read_lock().
 */
enum nat64_verdict nat64_state4(struct nat64_pkt *pkt, bool hairpin,
				struct nat64_state *st)
{
	struct nat64_instance *inst = pkt->inst;
	const struct iphdr *iph = ip_hdr(pkt->skb);
	u16 port = remote_port(&pkt->l4, pkt->l4.src_port);
	struct nat64_bib_entry *bibe;
	struct nat64_session *session;
	enum nat64_stat why;

	bibe = nat64_bib_find4(&inst->bib, pkt->l4.proto, iph->daddr,
			       pkt->l4.dst_port);
	if (!bibe)
		return no_bib4(pkt, hairpin, st);
	session = nat64_session_find4(&inst->bib, bibe, iph->saddr, port);
	if (!session) {
		why = filter4(pkt, bibe, iph->saddr, hairpin);
		if (why)
			return decide(st, NAT64_DROP, why);
		session = nat64_session_create4(inst, bibe, iph->saddr, port,
						initial_timeout(pkt), &why);
		if (!session)
			return decide(st, NAT64_DROP, why);
	}
	session_update(pkt, session);
	return xlat(st, session);
}

/**
 * nat64_state_error6() - the session of the packet an ICMPv6 error quotes
 * @pkt: the error, its quote parsed; the quoted packet went 4 -> 6
 * @st: the decision; errors neither make nor refresh sessions
 *
 * Context: softirq, under rcu_read_lock().
 */
enum nat64_verdict nat64_state_error6(struct nat64_pkt *pkt,
				      struct nat64_state *st)
{
	const struct nat64_quote *q = &pkt->quote;
	struct nat64_instance *inst = pkt->inst;
	struct nat64_session *session;
	struct nat64_flow6 flow = {
		.proto = q->l4.proto,
		.mark = pkt->skb->mark,
		.src = q->v6.daddr,
		.src_port = q->l4.dst_port,
		.dst_port = remote_port(&q->l4, q->l4.src_port),
	};

	if (!nat64_prefix6_contains(&inst->pool6, &q->v6.saddr))
		return decide(st, NAT64_DROP, NAT64_STAT_DROP_NO_SESSION);
	flow.dst = nat64_addr_6to4(&inst->pool6, &q->v6.saddr);
	session = nat64_session_find6(&inst->bib, &flow);
	if (!session)
		return decide(st, NAT64_DROP, NAT64_STAT_DROP_NO_SESSION);
	return xlat(st, session);
}

/**
 * nat64_state_error4() - the session of the packet an ICMP error quotes
 * @pkt: the error, its quote parsed; the quoted packet went 6 -> 4
 * @hairpin: the error was an ICMPv6 error a moment ago
 * @st: the decision: PASS if the quoted packet is none of ours (the
 *      host's own traffic, which may use pool4's addresses)
 *
 * Context: softirq, under rcu_read_lock().
 */
enum nat64_verdict nat64_state_error4(struct nat64_pkt *pkt, bool hairpin,
				      struct nat64_state *st)
{
	const struct nat64_quote *q = &pkt->quote;
	const struct iphdr *iph = ip_hdr(pkt->skb);
	struct nat64_instance *inst = pkt->inst;
	struct nat64_session *session;
	struct nat64_bib_entry *bibe;

	/* The error goes to the source of the packet in error. */
	if (iph->daddr != q->v4.saddr)
		return decide(st, NAT64_PASS, 0);
	bibe = nat64_bib_find4(&inst->bib, q->l4.proto, q->v4.saddr,
			       q->l4.src_port);
	if (!bibe)
		return decide(st, NAT64_PASS, 0);
	session = nat64_session_find4(&inst->bib, bibe, q->v4.daddr,
				      remote_port(&q->l4, q->l4.dst_port));
	if (!session)
		return decide(st, NAT64_PASS, 0);
	if (!hairpin && forbidden_remote(pkt, iph->saddr))
		return decide(st, NAT64_DROP,
			      NAT64_STAT_DROP_FORBIDDEN_ADDRESS);
	return xlat(st, session);
}
