// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The netfilter hooks: IPv6 packets to pool6 become IPv4 packets from
 * pool4, and IPv4 packets to a pool4 transport address with a BIB entry
 * become IPv6 packets (RFC 6146 section 3, RFC 7915).
 *
 * Packets are translated in place: the layer-4 header and payload stay
 * where they are and only the network header is replaced, so an
 * established flow allocates nothing unless the headroom is too small,
 * and GRO/GSO packets keep their offsets (only gso_type changes).
 * Each direction runs: parse, find or create the session, route, then
 * rewrite layer 4 (checksums incrementally) and layer 3, and send.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "checksum.h"
#include "icmp.h"
#include "icmp_error.h"
#include "instance.h"
#include "tcp.h"
#include "translate.h"

#define IPV4_MIN_MTU_NO_DF 1260	/* RFC 7915 section 5.1: DF above this */

/* What the translation of one packet needs, gathered before rewriting. */
struct xlat_pkt {
	struct nat64_instance *inst;
	struct sk_buff *skb;
	u8 proto;		/* IPPROTO_ICMP stands for ICMPv6 as well */
	unsigned int l4_offset;	/* from skb->data, before rewriting */
	unsigned int l4_len;
	u16 src_port;		/* host order; ICMP: the echo identifier */
	u16 dst_port;		/* ICMP: the identifier on the pool4 side */
	bool echo_request;
	bool icmp_error;	/* translated by icmp_error.c */
	struct nat64_tcp_segment tcp;
};

static unsigned int drop(struct xlat_pkt *pkt, enum nat64_stat why)
{
	nat64_stats_inc(&pkt->inst->stats, why);
	kfree_skb(pkt->skb);
	return NF_STOLEN;
}

static unsigned int l4_hdr_len(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return sizeof(struct tcphdr);
	case IPPROTO_UDP:
		return sizeof(struct udphdr);
	}
	return sizeof(struct icmphdr);	/* same size as struct icmp6hdr */
}

/* Reads the ports or identifier; the header is pulled and linear. */
static int parse_l4(struct xlat_pkt *pkt, u8 proto, bool from_v6)
{
	struct sk_buff *skb = pkt->skb;
	void *hdr;

	if (!pskb_may_pull(skb, pkt->l4_offset + l4_hdr_len(proto)))
		return -NAT64_STAT_DROP_TRUNCATED;
	hdr = skb->data + pkt->l4_offset;

	switch (proto) {
	case IPPROTO_TCP: {
		const struct tcphdr *th = hdr;

		pkt->src_port = ntohs(th->source);
		pkt->dst_port = ntohs(th->dest);
		pkt->tcp.from_v6 = from_v6;
		pkt->tcp.syn = th->syn;
		pkt->tcp.fin = th->fin;
		pkt->tcp.rst = th->rst;
		break;
	}
	case IPPROTO_UDP: {
		const struct udphdr *uh = hdr;

		pkt->src_port = ntohs(uh->source);
		pkt->dst_port = ntohs(uh->dest);
		break;
	}
	default: {
		const struct icmphdr *icmp = hdr;
		struct nat64_icmp_map map;
		bool ok = from_v6 ?
			nat64_icmp6_to4_type(icmp->type, icmp->code, &map) :
			nat64_icmp4_to6_type(icmp->type, icmp->code, &map);

		if (!ok)
			return -NAT64_STAT_DROP_UNSUPPORTED;
		pkt->proto = proto;
		pkt->icmp_error = map.is_error;
		if (map.is_error)
			return 0;
		pkt->echo_request = icmp->type == (from_v6 ? ICMPV6_ECHO_REQUEST :
						   ICMP_ECHO);
		/* The identifier plays the port on the side it is mapped. */
		pkt->src_port = from_v6 ? ntohs(icmp->un.echo.id) : 0;
		pkt->dst_port = from_v6 ? 0 : ntohs(icmp->un.echo.id);
		/* ICMP sums its whole message: resolve a pending offload. */
		if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
			return -NAT64_STAT_DROP_NO_MEMORY;
		break;
	}
	}
	pkt->proto = proto;
	return 0;
}

/* ---- sessions ---- */

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
static void session_update(struct xlat_pkt *pkt, struct nat64_session *s)
{
	enum nat64_tcp_timer timer;
	u32 state, next;

	if (pkt->proto != IPPROTO_TCP) {
		nat64_session_touch(s, proto_timeout(pkt->inst, pkt->proto));
		return;
	}
	state = READ_ONCE(s->tcp_state);
	next = nat64_tcp_next(state, &pkt->tcp, &timer);
	if (next != state)
		cmpxchg(&s->tcp_state, state, next);
	if (timer != NAT64_TCP_TIMER_KEEP)
		nat64_session_touch(s, tcp_timeout(pkt->inst, timer));
}

/* The first lifetime of a session the packet opens. */
static unsigned long initial_timeout(struct xlat_pkt *pkt)
{
	enum nat64_tcp_timer timer;

	if (pkt->proto != IPPROTO_TCP)
		return proto_timeout(pkt->inst, pkt->proto);
	nat64_tcp_next(NAT64_TCP_CLOSED, &pkt->tcp, &timer);
	return tcp_timeout(pkt->inst, timer);
}

/* Only a SYN opens a TCP session (RFC 6146 3.5.2.2, CLOSED state). */
static bool may_open_session(const struct xlat_pkt *pkt)
{
	return pkt->proto != IPPROTO_TCP || pkt->tcp.syn;
}

/* ---- checksums ---- */

static __be16 type_code(u8 type, u8 code)
{
	return htons(type << 8 | code);
}

/*
 * ICMPv6 sums a pseudo-header and ICMP does not. The checksum is adjusted,
 * not recomputed, so that a corrupt message stays detectably corrupt.
 */
static void rewrite_icmp_echo(struct sk_buff *skb, __wsum pseudo, bool to6,
			      u16 id)
{
	struct icmphdr *icmp = icmp_hdr(skb);
	struct nat64_icmp_map map;
	__be16 old_tc = type_code(icmp->type, icmp->code);
	__wsum sum = ~csum_unfold(icmp->checksum);

	if (to6)
		nat64_icmp4_to6_type(icmp->type, icmp->code, &map);
	else
		nat64_icmp6_to4_type(icmp->type, icmp->code, &map);
	icmp->type = map.type;
	icmp->code = map.code;
	sum = to6 ? csum_add(sum, pseudo) : csum_sub(sum, pseudo);
	icmp->checksum = csum_fold(sum);
	csum_replace2(&icmp->checksum, old_tc, type_code(map.type, map.code));
	csum_replace2(&icmp->checksum, icmp->un.echo.id, htons(id));
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
static bool udp4_lacks_checksum(const struct xlat_pkt *pkt)
{
	return pkt->proto == IPPROTO_UDP && !udp_hdr(pkt->skb)->check &&
	       pkt->skb->ip_summed != CHECKSUM_PARTIAL;
}

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
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		skb->ip_summed = CHECKSUM_NONE;
}

/* ---- the packet leaves its old family behind ---- */

static void xlat_reset_skb(struct sk_buff *skb, __be16 protocol)
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

/* ---- IPv6 to IPv4 ---- */

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
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		return parse_l4(pkt, nexthdr, true);
	case IPPROTO_ICMPV6:
		return parse_l4(pkt, IPPROTO_ICMP, true);
	}
	return -NAT64_STAT_DROP_UNSUPPORTED;
}

static struct nat64_session *state6(struct xlat_pkt *pkt,
				    const struct nat64_flow6 *flow,
				    enum nat64_stat *why)
{
	struct nat64_instance *inst = pkt->inst;
	struct nat64_session *session;

	session = nat64_session_find6(&inst->bib, flow);
	if (!session) {
		if (!may_open_session(pkt)) {
			*why = NAT64_STAT_DROP_NO_SESSION;
			return NULL;
		}
		session = nat64_session_create6(inst, flow,
						initial_timeout(pkt), why);
		if (!session)
			return NULL;
	}
	session_update(pkt, session);
	return session;
}

struct rtable *nat64_route4(struct net *net, u32 mark, __be32 saddr,
			    __be32 daddr, u8 tos, u8 proto)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.saddr = saddr,
		.flowi4_tos = RT_TOS(tos),
		.flowi4_proto = proto,
		.flowi4_mark = mark,
		/* pool4 addresses need not be assigned to an interface. */
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
	};

	return ip_route_output_key(net, &fl4);
}

/*
 * RFC 7915 5.1: DF on packets over 1260 bytes, unless the IPv6 source
 * fragmented (defrag reassembled it and noted the largest fragment).
 */
static bool wants_df(const struct xlat_pkt *pkt, bool was_fragmented)
{
	return !was_fragmented &&
	       sizeof(struct iphdr) + pkt->l4_len > IPV4_MIN_MTU_NO_DF;
}

/* RFC 7915 5.1; TTL already checked. */
static void write_iphdr(struct sk_buff *skb, const struct ipv6hdr *ip6,
			__be32 saddr, __be32 daddr, u8 proto,
			unsigned int l4_len, bool df, struct net *net)
{
	struct iphdr *iph = ip_hdr(skb);
	unsigned int tot_len = sizeof(*iph) + l4_len;

	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = ipv6_get_dsfield(ip6);
	iph->tot_len = htons(tot_len);
	iph->frag_off = df ? htons(IP_DF) : 0;
	iph->ttl = ip6->hop_limit - 1;
	iph->protocol = proto;
	iph->saddr = saddr;
	iph->daddr = daddr;
	__ip_select_ident(net, iph, skb_is_gso(skb) ?
			  skb_shinfo(skb)->gso_segs : 1);
	ip_send_check(iph);
}

static void rewrite6to4(struct xlat_pkt *pkt, const struct ipv6hdr *ip6,
			const struct nat64_bib_entry *bibe, __be32 daddr,
			bool df, struct net *net)
{
	struct sk_buff *skb = pkt->skb;
	__be32 addrs4[2] = { bibe->key4.addr, daddr };

	skb_pull(skb, pkt->l4_offset);
	skb_reset_transport_header(skb);
	if (pkt->proto == IPPROTO_ICMP)
		rewrite_icmp_echo(skb,
				  nat64_pseudo6_sum(&ip6->saddr, &ip6->daddr,
						    pkt->l4_len, IPPROTO_ICMPV6),
				  false, bibe->key4.port);
	else
		rewrite_tcpudp(skb, pkt->proto,
			       nat64_addr_diff_6to4(&ip6->saddr, addrs4),
			       true, bibe->key4.port);
	skb_push(skb, sizeof(struct iphdr));
	skb_reset_network_header(skb);
	xlat_reset_skb(skb, htons(ETH_P_IP));
	gso_retype(skb, SKB_GSO_TCPV6, SKB_GSO_TCPV4);
	write_iphdr(skb, ip6, bibe->key4.addr, daddr, pkt->proto, pkt->l4_len,
		    df, net);
}

/*
 * A translated packet with DF that does not fit the IPv4 route: the IPv6
 * source learns the MTU now (ip_output() would tell pool4 instead).
 */
static bool too_big4(struct xlat_pkt *pkt, struct rtable *rt, bool df)
{
	unsigned int mtu = dst_mtu(&rt->dst);

	if (skb_is_gso(pkt->skb))
		return !skb_gso_validate_network_len(pkt->skb, mtu +
						     pkt->l4_offset -
						     sizeof(struct iphdr));
	return df && sizeof(struct iphdr) + pkt->l4_len > mtu;
}

static unsigned int xlat4to6(struct xlat_pkt *pkt, struct net *net);
static int parse4(struct xlat_pkt *pkt);

/* An IPv6 node reaching another through its pool4 mapping (RFC 6146 3.8). */
static bool is_hairpin(struct xlat_pkt *pkt, __be32 daddr)
{
	struct nat64_pool4 *pool = rcu_dereference(pkt->inst->pool4);

	return pkt->proto != IPPROTO_ICMP &&
	       nat64_pool4_contains(pool, pkt->proto, daddr, pkt->dst_port);
}

/* The IPv4 packet never leaves: it goes straight back through 4 -> 6. */
static unsigned int hairpin(struct xlat_pkt *pkt, const struct ipv6hdr *ip6,
			    const struct nat64_bib_entry *bibe, __be32 daddr,
			    struct net *net)
{
	struct xlat_pkt pkt4 = { .inst = pkt->inst, .skb = pkt->skb };

	if (skb_ensure_writable(pkt->skb, pkt->l4_offset +
				l4_hdr_len(pkt->proto)))
		return drop(pkt, NAT64_STAT_DROP_NO_MEMORY);
	rewrite6to4(pkt, ip6, bibe, daddr, false, net);
	nat64_stats_inc(&pkt->inst->stats, NAT64_STAT_XLAT_6TO4);
	if (parse4(&pkt4))
		return drop(pkt, NAT64_STAT_DROP_UNSUPPORTED);
	nat64_stats_inc(&pkt->inst->stats, NAT64_STAT_RX4);
	return xlat4to6(&pkt4, net);
}

static unsigned int xlat6to4(struct xlat_pkt *pkt, struct net *net)
{
	struct nat64_instance *inst = pkt->inst;
	struct sk_buff *skb = pkt->skb;
	struct ipv6hdr ip6 = *ipv6_hdr(skb);
	struct nat64_flow6 flow = {
		.proto = pkt->proto,
		.mark = skb->mark,
		.src = ip6.saddr,
		.src_port = pkt->src_port,
		.dst = nat64_addr_6to4(&inst->pool6, &ip6.daddr),
		.dst_port = pkt->dst_port,
	};
	const struct nat64_bib_entry *bibe;
	bool df = wants_df(pkt, IP6CB(skb)->frag_max_size);
	struct nat64_session *session;
	enum nat64_stat why;
	struct rtable *rt;

	if (ip6.hop_limit <= 1) {
		icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
		return drop(pkt, NAT64_STAT_DROP_TTL_EXPIRED);
	}
	session = state6(pkt, &flow, &why);
	if (!session) {
		/* RFC 6146 3.5.1.1: no mapping can be made for it. */
		if (why == NAT64_STAT_DROP_POOL4_EXHAUSTED ||
		    why == NAT64_STAT_DROP_TABLE_FULL)
			icmpv6_send(skb, ICMPV6_DEST_UNREACH,
				    ICMPV6_ADDR_UNREACH, 0);
		return drop(pkt, why);
	}
	bibe = session->key.bib;
	if (is_hairpin(pkt, flow.dst))
		return hairpin(pkt, &ip6, bibe, flow.dst, net);

	rt = nat64_route4(net, skb->mark, bibe->key4.addr, flow.dst,
			  ipv6_get_dsfield(&ip6), pkt->proto);
	if (IS_ERR(rt))
		return drop(pkt, NAT64_STAT_DROP_NO_ROUTE);
	if (too_big4(pkt, rt, df)) {
		u32 mtu = max_t(u32, dst_mtu(&rt->dst) + 20, IPV6_MIN_MTU);

		ip_rt_put(rt);
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		return drop(pkt, NAT64_STAT_DROP_TOO_BIG);
	}
	if (skb_ensure_writable(skb, pkt->l4_offset + l4_hdr_len(pkt->proto))) {
		ip_rt_put(rt);
		return drop(pkt, NAT64_STAT_DROP_NO_MEMORY);
	}

	rewrite6to4(pkt, &ip6, bibe, flow.dst, df, net);
	skb_dst_set(skb, &rt->dst);
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
	if (pkt.icmp_error)
		return nat64_icmp6_error(pkt.inst, skb, pkt.l4_offset,
					 state->net);
	return xlat6to4(&pkt, state->net);
}

/* ---- IPv4 to IPv6 ---- */

static int parse4(struct xlat_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(pkt->skb);

	if (ip_is_fragment(iph))	/* defrag runs first */
		return -NAT64_STAT_DROP_UNSUPPORTED;
	pkt->l4_offset = ip_hdrlen(pkt->skb);
	pkt->l4_len = ntohs(iph->tot_len) - pkt->l4_offset;

	switch (iph->protocol) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_ICMP:
		return parse_l4(pkt, iph->protocol, false);
	}
	return -NAT64_STAT_DROP_UNSUPPORTED;
}

/*
 * icmp_send() picks its source from the input route, which PREROUTING
 * lacks. Context: BH disabled, under rcu_read_lock().
 */
void nat64_send_icmp4(struct sk_buff *skb, int type, int code, __be32 info)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (!skb_dst(skb) &&
	    ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
				 skb->dev))
		return;
	icmp_send(skb, type, code, info);
}

/* An IPv4 SYN, no ACK, that nothing forbids: RFC 6146 3.5.2.2 holds it. */
static bool may_hold_syn(const struct xlat_pkt *pkt)
{
	const struct tcphdr *th;

	if (pkt->proto != IPPROTO_TCP || !pkt->tcp.syn ||
	    READ_ONCE(pkt->inst->settings.drop_external_tcp))
		return false;
	th = (const struct tcphdr *)(pkt->skb->data + pkt->l4_offset);
	return !th->ack;
}

static struct nat64_session *state4(struct xlat_pkt *pkt, enum nat64_stat *why)
{
	struct nat64_instance *inst = pkt->inst;
	const struct iphdr *iph = ip_hdr(pkt->skb);
	struct nat64_bib_entry *bibe;
	struct nat64_session *session;

	bibe = nat64_bib_find4(&inst->bib, pkt->proto, iph->daddr,
			       pkt->dst_port);
	if (!bibe) {
		*why = may_hold_syn(pkt) ? NAT64_STAT_SYN_HELD :
					   NAT64_STAT_DROP_NO_BIB;
		return NULL;
	}
	session = nat64_session_find4(&inst->bib, bibe, iph->saddr,
				      pkt->src_port);
	if (!session) {
		if (!may_open_session(pkt)) {
			*why = NAT64_STAT_DROP_NO_SESSION;
			return NULL;
		}
		if (pkt->proto == IPPROTO_TCP &&
		    READ_ONCE(inst->settings.drop_external_tcp)) {
			*why = NAT64_STAT_DROP_FILTERED;
			return NULL;
		}
		if (READ_ONCE(inst->settings.address_dependent_filtering) &&
		    !nat64_session_peer_known(&inst->bib, bibe, iph->saddr)) {
			*why = NAT64_STAT_DROP_ADDRESS_FILTERED;
			return NULL;
		}
		session = nat64_session_create4(inst, bibe, iph->saddr,
						pkt->src_port,
						initial_timeout(pkt), why);
		if (!session)
			return NULL;
	}
	session_update(pkt, session);
	return session;
}

struct dst_entry *nat64_route6(struct net *net, u32 mark,
			       const struct in6_addr *saddr,
			       const struct in6_addr *daddr, u8 proto)
{
	struct flowi6 fl6 = {
		.daddr = *daddr,
		.saddr = *saddr,
		.flowi6_proto = proto,
		.flowi6_mark = mark,
	};
	struct dst_entry *dst;

	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		dst_release(dst);
		return NULL;
	}
	return dst;
}

/* RFC 7915 4.1; TTL already checked. */
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

static void rewrite4to6(struct xlat_pkt *pkt, const struct iphdr *iph,
			const struct nat64_bib_entry *bibe,
			const struct in6_addr *saddr)
{
	struct sk_buff *skb = pkt->skb;
	const struct in6_addr *daddr = &bibe->key6.addr;
	u8 nexthdr = pkt->proto;

	skb_pull(skb, pkt->l4_offset);
	skb_reset_transport_header(skb);
	if (pkt->proto == IPPROTO_ICMP) {
		nexthdr = IPPROTO_ICMPV6;
		rewrite_icmp_echo(skb,
				  nat64_pseudo6_sum(saddr, daddr, pkt->l4_len,
						    IPPROTO_ICMPV6),
				  true, bibe->key6.port);
	} else if (udp4_lacks_checksum(pkt)) {
		udp_hdr(skb)->dest = htons(bibe->key6.port);
		udp6_compute_checksum(skb, saddr, daddr, pkt->l4_len);
	} else {
		struct in6_addr addrs6[2] = { *saddr, *daddr };

		rewrite_tcpudp(skb, pkt->proto,
			       ~nat64_addr_diff_6to4(addrs6, &iph->saddr),
			       false, bibe->key6.port);
	}
	skb_push(skb, sizeof(struct ipv6hdr));
	skb_reset_network_header(skb);
	xlat_reset_skb(skb, htons(ETH_P_IPV6));
	gso_retype(skb, SKB_GSO_TCPV4, SKB_GSO_TCPV6);
	write_ipv6hdr(skb, iph, saddr, daddr, nexthdr, pkt->l4_len);
}

/*
 * RFC 7915 4.1: DF set and too big for the IPv6 route means Fragmentation
 * Needed to the IPv4 source; DF clear means the translator fragments, to
 * no more than lowest-ipv6-mtu since nothing says the path takes more.
 */
static bool fit6(struct xlat_pkt *pkt, const struct iphdr *iph,
		 struct dst_entry *dst)
{
	unsigned int len = sizeof(struct ipv6hdr) + pkt->l4_len;
	unsigned int mtu = dst_mtu(dst);
	unsigned int lowest = READ_ONCE(pkt->inst->settings.lowest_ipv6_mtu);

	pkt->skb->ignore_df = 0;
	if (skb_is_gso(pkt->skb))
		return skb_gso_validate_network_len(pkt->skb, mtu +
						    pkt->l4_offset -
						    sizeof(struct ipv6hdr));
	if (len <= min(mtu, lowest))
		return true;
	if (iph->frag_off & htons(IP_DF))
		return len <= mtu;
	pkt->skb->ignore_df = 1;	/* set after xlat_reset_skb() */
	return true;
}

static unsigned int xlat4to6(struct xlat_pkt *pkt, struct net *net)
{
	struct nat64_instance *inst = pkt->inst;
	struct sk_buff *skb = pkt->skb;
	struct iphdr iph = *ip_hdr(skb);
	const struct nat64_bib_entry *bibe;
	struct nat64_session *session;
	struct dst_entry *dst;
	struct in6_addr saddr;
	unsigned int frag_max;
	enum nat64_stat why;

	session = state4(pkt, &why);
	/* A ping to the translator's own address is the host's to answer. */
	if (!session && why == NAT64_STAT_DROP_NO_BIB && pkt->echo_request)
		return NF_ACCEPT;
	if (!session && why == NAT64_STAT_SYN_HELD) {
		if (!nat64_synhold_add(inst, skb))
			return drop(pkt, NAT64_STAT_DROP_SYN_HOLD_FULL);
		nat64_stats_inc(&inst->stats, NAT64_STAT_SYN_HELD);
		return NF_STOLEN;
	}
	if (!session)
		return drop(pkt, why);
	if (iph.ttl <= 1) {
		nat64_send_icmp4(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return drop(pkt, NAT64_STAT_DROP_TTL_EXPIRED);
	}
	bibe = session->key.bib;
	nat64_addr_4to6(&inst->pool6, iph.saddr, &saddr);

	dst = nat64_route6(net, skb->mark, &saddr, &bibe->key6.addr,
			   pkt->proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 :
			   pkt->proto);
	if (!dst)
		return drop(pkt, NAT64_STAT_DROP_NO_ROUTE);
	if (!fit6(pkt, &iph, dst)) {
		u32 mtu = dst_mtu(dst) - 20;

		dst_release(dst);
		nat64_send_icmp4(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		return drop(pkt, NAT64_STAT_DROP_TOO_BIG);
	}
	if (skb_cow_head(skb, sizeof(struct ipv6hdr) - pkt->l4_offset) ||
	    skb_ensure_writable(skb, pkt->l4_offset + l4_hdr_len(pkt->proto))) {
		dst_release(dst);
		return drop(pkt, NAT64_STAT_DROP_NO_MEMORY);
	}

	frag_max = skb->ignore_df ?
		   min(dst_mtu(dst), READ_ONCE(inst->settings.lowest_ipv6_mtu)) :
		   0;
	rewrite4to6(pkt, &iph, bibe, &saddr);
	IP6CB(skb)->frag_max_size = frag_max;
	skb_dst_set(skb, dst);
	nat64_stats_inc(&inst->stats, NAT64_STAT_XLAT_4TO6);
	dst_output(net, NULL, skb);
	return NF_STOLEN;
}

/*
 * Is this IPv4 packet addressed to a pool4 transport address: one lent to
 * dynamic mappings, or one a static BIB entry holds?
 */
static bool addressed_to_pool4(struct xlat_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(pkt->skb);
	struct nat64_pool4 *pool = rcu_dereference(pkt->inst->pool4);

	if (nat64_pool4_contains(pool, pkt->proto, iph->daddr, pkt->dst_port))
		return true;
	return nat64_pool4_has_addr(pool, pkt->proto, iph->daddr) &&
	       nat64_bib_find4(&pkt->inst->bib, pkt->proto, iph->daddr,
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
	if (!err && pkt.icmp_error)
		return nat64_icmp4_error(pkt.inst, skb, pkt.l4_offset,
					 state->net);
	/* Not ours unless it is addressed to pool4; the host may want it. */
	if (err || !addressed_to_pool4(&pkt))
		return NF_ACCEPT;
	nat64_stats_inc(&pkt.inst->stats, NAT64_STAT_RX4);
	return xlat4to6(&pkt, state->net);
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "translate_test.c"
#endif
