/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_PORT_BLOCK_H
#define _NAT64_PORT_BLOCK_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include <linux/xarray.h>

#include "pool4.h"
#include "stats.h"
#include "subscriber.h"

struct nat64_bib;
struct nat64_event_log;
struct nat64_flow6;
struct nat64_instance;

/* Hashed as raw bytes: the padding stays zero. */
struct nat64_port_block_key {
	__be32 addr;
	u16 first;
	u8 proto;
	u8 pad;
};

/*
 * A block of contiguous ports of one pool4 address, lent to one
 * subscriber (RFC 6888 bulk port allocation). It is made when the
 * subscriber needs it, and goes block_hold_time after its last mapping
 * (or when pool4 no longer has it). @key, @last and @owner never change:
 * events and dumps read them under RCU, after the lock is dropped.
 */
struct nat64_port_block {
	struct rhash_head node;		/* in nat64_port_blocks.table */
	struct nat64_port_block_key key;
	u16 last;
	u32 id;				/* in nat64_port_blocks.ids */
	struct nat64_subscriber_key owner;
	/* The rest is under nat64_bib.lock. */
	struct nat64_subscriber *sub;	/* which it lives in, on sub_node */
	struct list_head sub_node;
	struct list_head held_node;	/* in .held while unused, else empty */
	unsigned int used;		/* BIB entries in it */
	unsigned long held_since;	/* jiffies: when @used fell to 0 */
	struct rcu_head rcu;
};

/*
 * The blocks lent, in the tables a flush replaces (a flush returns them
 * all at once). Only what has been lent takes memory: a /16 of 64-port
 * blocks is 4.5 million blocks, of which the subscribers hold a few.
 */
struct nat64_port_blocks {
	struct rhashtable table;	/* by key: is a block free? */
	struct xarray ids;		/* by id: dumps, pool4 changes */
	u32 next_id;
	struct list_head held;		/* unused blocks, oldest first */
	unsigned int count;
};

int nat64_port_blocks_init(struct nat64_port_blocks *pb);
void nat64_port_blocks_destroy(struct nat64_port_blocks *pb);

bool nat64_port_block_select(struct nat64_instance *inst,
			     struct nat64_subscriber *sub,
			     const struct nat64_flow6 *flow,
			     struct nat64_event_log *log,
			     struct nat64_taddr4 *taddr, enum nat64_stat *why);
void nat64_port_block_release(struct nat64_bib *bib,
			      struct nat64_subscriber *sub, u8 proto,
			      __be32 addr, u16 port);
unsigned int nat64_port_blocks_expire(struct nat64_instance *inst,
				      unsigned long now);
unsigned int nat64_port_blocks_prune(struct nat64_instance *inst);

#endif /* _NAT64_PORT_BLOCK_H */
