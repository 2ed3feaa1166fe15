/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_SYNHOLD_H
#define _NAT64_SYNHOLD_H

#include <linux/skbuff.h>
#include <linux/workqueue.h>

struct nat64_instance;

/* The IPv4 SYN a held packet is, or as a hairpinned IPv6 SYN became. */
struct nat64_syn4 {
	__be32 saddr;
	__be32 daddr;
	u16 sport;
	u16 dport;
};

/* IPv4 SYNs that found no BIB entry, oldest first (RFC 6146 3.5.2.2). */
struct nat64_synhold {
	struct sk_buff_head queue;
	struct delayed_work work;
};

void nat64_synhold_init(struct nat64_synhold *hold);
void nat64_synhold_stop(struct nat64_synhold *hold);
bool nat64_synhold_add(struct nat64_instance *inst, struct sk_buff *skb,
		       const struct nat64_syn4 *syn, bool v6);

#endif /* _NAT64_SYNHOLD_H */
