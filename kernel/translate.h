/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_TRANSLATE_H
#define _NAT64_TRANSLATE_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

unsigned int nat64_hook6(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state);
unsigned int nat64_hook4(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state);
void nat64_send_icmp4(struct sk_buff *skb, int type, int code, __be32 info);
struct rtable *nat64_route4(struct net *net, u32 mark, __be32 saddr,
			    __be32 daddr, u8 tos, u8 proto);
struct dst_entry *nat64_route6(struct net *net, u32 mark,
			       const struct in6_addr *saddr,
			       const struct in6_addr *daddr, u8 proto);

#endif /* _NAT64_TRANSLATE_H */
