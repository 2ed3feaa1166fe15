// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The last stage of the packet path: routes, what the next hop's MTU
 * allows (RFC 7915 4.1 and 5.1), fragmentation, the ICMP errors the
 * translator itself sends, and the way out.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "instance.h"
#include "output.h"

#define TOO_BIG (-NAT64_STAT_DROP_TOO_BIG)

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

/* What a "too big" error is bounded by on a side it does not go to. */
u32 nat64_route4_mtu(struct net *net, u32 mark, __be32 saddr, __be32 daddr)
{
	struct rtable *rt = nat64_route4(net, mark, saddr, daddr, 0, 0);
	u32 mtu;

	if (IS_ERR(rt))
		return IP_MAX_MTU;
	mtu = dst_mtu(&rt->dst);
	ip_rt_put(rt);
	return mtu;
}

u32 nat64_route6_mtu(struct net *net, u32 mark, const struct in6_addr *saddr,
		     const struct in6_addr *daddr)
{
	struct dst_entry *dst = nat64_route6(net, mark, saddr, daddr, 0);
	u32 mtu;

	if (!dst)
		return IP_MAX_MTU;
	mtu = dst_mtu(dst);
	dst_release(dst);
	return mtu;
}

/*
 * Only to a unicast address: a session's remote passed scope.c when it
 * was made, but routes change.
 */
bool nat64_route4_forbidden(const struct rtable *rt)
{
	return rt->rt_type != RTN_UNICAST;
}

/* Never to the translator itself: a BIB entry's address is a client's. */
bool nat64_route6_forbidden(const struct dst_entry *dst,
			    const struct in6_addr *daddr)
{
	const struct rt6_info *rt = (const struct rt6_info *)dst;

	return (rt->rt6i_flags & (RTF_LOCAL | RTF_ANYCAST)) ||
	       ipv6_addr_is_multicast(daddr) || ipv6_addr_loopback(daddr);
}

/**
 * nat64_out4_check() - may a 6 -> 4 packet take @rt?
 * @pkt: the packet, not yet rewritten
 * @rt: its IPv4 route
 * @df: whether it will carry DF
 *
 * Only to a unicast address. A packet with DF that does not fit gets an
 * ICMPv6 Packet Too Big now: ip_output() would tell pool4 instead.
 * Return: 0, or a negative enum nat64_stat.
 */
int nat64_out4_check(struct nat64_pkt *pkt, struct rtable *rt, bool df)
{
	struct sk_buff *skb = pkt->skb;
	unsigned int mtu = dst_mtu(&rt->dst);
	bool fits;

	if (nat64_route4_forbidden(rt))
		return -NAT64_STAT_DROP_FORBIDDEN_ADDRESS;
	if (skb_is_gso(skb))
		fits = skb_gso_validate_network_len(skb, mtu + pkt->l3_len -
						    sizeof(struct iphdr));
	else
		fits = !df || sizeof(struct iphdr) + pkt->l4.len <= mtu;
	if (fits)
		return 0;
	nat64_icmp6_send(skb, ICMPV6_PKT_TOOBIG, 0,
			 max_t(u32, mtu + 20, IPV6_MIN_MTU));
	return TOO_BIG;
}

/**
 * nat64_out6_check() - may a 4 -> 6 packet take @dst, and how?
 * @pkt: the packet, not yet rewritten
 * @daddr: its new destination
 * @dst: its IPv6 route
 * @frag_mtu: 0 if it leaves whole, or the size of its fragments
 *
 * Never to the translator itself. RFC 7915 4.1: DF set and too big for
 * the route means
 * Fragmentation Needed to the IPv4 source; DF clear means fragments of
 * no more than lowest_ipv6_mtu, since nothing says the path takes more.
 * Return: 0, or a negative enum nat64_stat.
 */
int nat64_out6_check(struct nat64_pkt *pkt, const struct in6_addr *daddr,
		     struct dst_entry *dst, unsigned int *frag_mtu)
{
	unsigned int len = sizeof(struct ipv6hdr) + pkt->l4.len;
	unsigned int lowest = READ_ONCE(pkt->inst->settings.lowest_ipv6_mtu);
	unsigned int mtu = dst_mtu(dst);
	struct sk_buff *skb = pkt->skb;

	if (nat64_route6_forbidden(dst, daddr))
		return -NAT64_STAT_DROP_FORBIDDEN_ADDRESS;
	*frag_mtu = 0;
	if (skb_is_gso(skb)) {
		if (skb_gso_validate_network_len(skb, mtu + pkt->l3_len -
						 sizeof(struct ipv6hdr)))
			return 0;
	} else if (len <= min(mtu, lowest) || (pkt->df && len <= mtu)) {
		return 0;
	} else if (!pkt->df) {
		*frag_mtu = min(mtu, lowest);
		return 0;
	}
	nat64_icmp4_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			 htonl(mtu - 20));
	return TOO_BIG;
}

void nat64_send4(struct sk_buff *skb, struct rtable *rt)
{
	skb_dst_set(skb, &rt->dst);
	dst_output(dev_net(rt->dst.dev), NULL, skb);
}

/*
 * One fragment of @skb's payload, @offset and @len of it, behind a copy
 * of its IPv6 header and a Fragment header.
 */
static struct sk_buff *fragment(struct sk_buff *skb, unsigned int offset,
				unsigned int len, __be32 id)
{
	const unsigned int hdrs = sizeof(struct ipv6hdr) +
				  sizeof(struct frag_hdr);
	struct net_device *dev = skb_dst(skb)->dev;
	unsigned int payload = skb->len - sizeof(struct ipv6hdr);
	struct sk_buff *frag;
	struct ipv6hdr *ip6;
	struct frag_hdr *fh;

	frag = alloc_skb(LL_RESERVED_SPACE(dev) + hdrs + len +
			 dev->needed_tailroom, GFP_ATOMIC);
	if (!frag)
		return NULL;
	skb_reserve(frag, LL_RESERVED_SPACE(dev));
	skb_put(frag, hdrs + len);
	skb_reset_network_header(frag);
	ip6 = ipv6_hdr(frag);
	*ip6 = *ipv6_hdr(skb);
	ip6->nexthdr = NEXTHDR_FRAGMENT;
	ip6->payload_len = htons(sizeof(*fh) + len);
	fh = (struct frag_hdr *)(ip6 + 1);
	fh->nexthdr = ipv6_hdr(skb)->nexthdr;
	fh->reserved = 0;
	fh->frag_off = htons(offset | (offset + len < payload ? IP6_MF : 0));
	fh->identification = id;
	if (skb_copy_bits(skb, sizeof(*ip6) + offset, fh + 1, len)) {
		kfree_skb(frag);
		return NULL;
	}
	frag->protocol = htons(ETH_P_IPV6);
	frag->mark = skb->mark;
	frag->priority = skb->priority;
	skb_dst_set(frag, dst_clone(skb_dst(skb)));
	return frag;
}

/*
 * RFC 7915 4.1: an IPv4 packet without DF that the IPv6 path may not
 * take whole leaves as fragments identified by its IPv4 Identification.
 * ip6_fragment() would pick an identification of its own.
 */
static int fragment6(struct sk_buff *skb, unsigned int mtu, __be32 id)
{
	unsigned int payload = skb->len - sizeof(struct ipv6hdr);
	unsigned int chunk = (mtu - sizeof(struct ipv6hdr) -
			      sizeof(struct frag_hdr)) & ~7U;
	struct net *net = dev_net(skb_dst(skb)->dev);
	struct sk_buff *frag;
	unsigned int offset;
	int err = 0;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	for (offset = 0; offset < payload && !err; offset += chunk) {
		frag = fragment(skb, offset, min(chunk, payload - offset), id);
		err = frag ? dst_output(net, NULL, frag) : -ENOMEM;
	}
	if (err)
		kfree_skb(skb);
	else
		consume_skb(skb);
	return err;
}

/**
 * nat64_send6() - send a translated IPv6 packet, in fragments if need be
 * @skb: the packet
 * @dst: its route, which the packet takes over
 * @frag_mtu: 0, or the largest fragment to send (at least IPV6_MIN_MTU)
 * @frag_id: the fragments' identification
 *
 * Return: what dst_output() returned, or -ENOMEM.
 */
int nat64_send6(struct sk_buff *skb, struct dst_entry *dst,
		unsigned int frag_mtu, __be32 frag_id)
{
	skb_dst_set(skb, dst);
	if (!frag_mtu || skb->len <= frag_mtu)
		return dst_output(dev_net(dst->dev), NULL, skb);
	return fragment6(skb, frag_mtu, frag_id);
}

/*
 * icmp_send() picks its source from the input route, which PREROUTING
 * lacks. Context: BH disabled, under rcu_read_lock().
 */
void nat64_icmp4_send(struct sk_buff *skb, int type, int code, __be32 info)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (!skb_dst(skb) &&
	    ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
				 skb->dev))
		return;
	icmp_send(skb, type, code, info);
}

void nat64_icmp6_send(struct sk_buff *skb, u8 type, u8 code, __u32 info)
{
	icmpv6_send(skb, type, code, info);
}
