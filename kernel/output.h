/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_OUTPUT_H
#define _NAT64_OUTPUT_H

#include <linux/skbuff.h>
#include <net/route.h>

#include "packet.h"

struct rtable *nat64_route4(struct net *net, u32 mark, __be32 saddr,
			    __be32 daddr, u8 tos, u8 proto);
struct dst_entry *nat64_route6(struct net *net, u32 mark,
			       const struct in6_addr *saddr,
			       const struct in6_addr *daddr, u8 proto);
u32 nat64_route4_mtu(struct net *net, u32 mark, __be32 saddr, __be32 daddr);
u32 nat64_route6_mtu(struct net *net, u32 mark, const struct in6_addr *saddr,
		     const struct in6_addr *daddr);

bool nat64_route4_forbidden(const struct rtable *rt);
bool nat64_route6_forbidden(const struct dst_entry *dst,
			    const struct in6_addr *daddr);
int nat64_out4_check(struct nat64_pkt *pkt, struct rtable *rt, bool df);
int nat64_out6_check(struct nat64_pkt *pkt, const struct in6_addr *daddr,
		     struct dst_entry *dst, unsigned int *frag_mtu);
void nat64_send4(struct sk_buff *skb, struct rtable *rt);
int nat64_send6(struct sk_buff *skb, struct dst_entry *dst,
		unsigned int frag_mtu, __be32 frag_id);

void nat64_icmp4_send(struct sk_buff *skb, int type, int code, __be32 info);
void nat64_icmp6_send(struct sk_buff *skb, u8 type, u8 code, __u32 info);

#endif /* _NAT64_OUTPUT_H */
