/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_ICMP_ERROR_H
#define _NAT64_ICMP_ERROR_H

#include <linux/skbuff.h>

struct nat64_instance;

unsigned int nat64_icmp6_error(struct nat64_instance *inst,
			       struct sk_buff *skb, unsigned int icmp_offset,
			       struct net *net);
unsigned int nat64_icmp4_error(struct nat64_instance *inst,
			       struct sk_buff *skb, unsigned int icmp_offset,
			       struct net *net);

#endif /* _NAT64_ICMP_ERROR_H */
