/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_SUBSCRIBER_H
#define _NAT64_SUBSCRIBER_H

#include <linux/in6.h>
#include <linux/rhashtable-types.h>

#include "reaper.h"

/* A BIB entry's sub_plen when it counts against no subscriber. */
#define NAT64_SUB_NONE 0xff

/* The protocols a subscriber's ports are counted by. */
enum nat64_sub_proto {
	NAT64_SUB_TCP,
	NAT64_SUB_UDP,
	NAT64_SUB_ICMP,
	NAT64_SUB_PROTOS
};

/*
 * The prefix length is part of the key: once subscriber_prefix_len
 * changes, new mappings count against new records, and the old records
 * live on until their last entry goes. Hashed as raw bytes.
 */
struct nat64_subscriber_key {
	struct in6_addr prefix;
	u8 plen;
	u8 pad[3];
};

/*
 * A subscriber (RFC 6888 REQ-3, REQ-4): the IPv6 sources of one prefix,
 * and what their dynamic BIB entries hold. It lives as long as one of
 * them, or one of its port blocks (port_block.c). Every field is under
 * nat64_bib.lock, and only the lock's holder reaches a record: the
 * packet path of an established flow never does.
 */
struct nat64_subscriber {
	struct rhash_head node;		/* in nat64_tables.subscribers */
	struct nat64_subscriber_key key;
	unsigned int ports[NAT64_SUB_PROTOS];	/* dynamic BIB entries */
	unsigned int entries;		/* their sum */
	unsigned int sessions;		/* of those entries */
	struct list_head blocks;	/* struct nat64_port_block, oldest first */
};

int nat64_subscriber_cache_init(void);
void nat64_subscriber_cache_exit(void);
void nat64_subscriber_reaper_init(struct nat64_reaper *reaper);
int nat64_subscribers_init(struct rhashtable *ht);
void nat64_subscribers_destroy(struct rhashtable *ht);

struct nat64_subscriber *nat64_subscriber_find(struct rhashtable *ht,
					       const struct in6_addr *addr,
					       unsigned int plen);
struct nat64_subscriber *nat64_subscriber_new(struct rhashtable *ht,
					      const struct in6_addr *addr,
					      unsigned int plen);
bool nat64_subscriber_ports_full(const struct nat64_subscriber *sub, u8 proto,
				 unsigned int max);
bool nat64_subscriber_sessions_full(const struct nat64_subscriber *sub,
				    unsigned int max);
void nat64_subscriber_add_entry(struct nat64_subscriber *sub, u8 proto);
void nat64_subscriber_del_entry(struct rhashtable *ht,
				struct nat64_reaper *reaper,
				struct nat64_subscriber *sub, u8 proto);
void nat64_subscriber_forget_unused(struct rhashtable *ht,
				    struct nat64_reaper *reaper,
				    struct nat64_subscriber *sub);

#endif /* _NAT64_SUBSCRIBER_H */
