/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_POOL4_H
#define _NAT64_POOL4_H

#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "det_map.h"

#define NAT64_POOL4_PORT_MIN_DEFAULT 61001
#define NAT64_POOL4_PORT_MAX_DEFAULT 65535

/* Port blocks (port_block.c): the sizes a pool4 entry may have. */
#define NAT64_POOL4_BLOCK_SIZE_MIN 8
#define NAT64_POOL4_BLOCK_SIZE_MAX 32768
#define NAT64_POOL4_MAX_BLOCKS_DEFAULT 4
#define NAT64_POOL4_MAX_BLOCKS_MAX 64

/* A transport address: an IPv4 address and a port or ICMP identifier. */
struct nat64_taddr4 {
	__be32 addr;
	u16 port;
};

/*
 * A transport address's place in a pool4 sequence: the ports of its IPv4
 * address are the indexes @first to @first + @ports - 1.
 */
struct nat64_pool4_slot {
	struct nat64_taddr4 taddr;
	u64 first;
	u32 ports;
};

/*
 * One pool4 entry: the ports @port_min..@port_max of every address in
 * @prefix/@plen, for protocol @proto, lent to packets that carry @mark.
 *
 * With a @block_size, each address's ports are lent in blocks of that
 * many, at most @max_blocks of them to one subscriber (port_block.c).
 *
 * With @deterministic, only to the subscribers of @subs/@subs_len, each
 * on its share (det_map.h); @sub_len is subscriber_prefix_len when the
 * entry went live, which cannot change while it is (configfs.c). An entry
 * is one or the other, or neither.
 */
struct nat64_pool4_range {
	u32 mark;
	u8 proto;
	u8 plen;
	__be32 prefix;
	u16 port_min;
	u16 port_max;
	u16 block_size;		/* 0: ports are lent one by one */
	u16 max_blocks;		/* per subscriber, if @block_size */
	bool deterministic;
	u8 subs_len;
	u8 sub_len;
	struct in6_addr subs;
};

/* A deterministic subscriber's share of a pool4 entry, as addresses. */
struct nat64_pool4_share {
	__be32 addr;
	u16 first;
	u16 last;
};

/* An immutable snapshot of the pool; writers replace it under RCU. */
struct nat64_pool4 {
	struct rcu_head rcu;
	unsigned int count;
	struct nat64_pool4_range ranges[];
};

struct nat64_pool4 *nat64_pool4_alloc(unsigned int count);
void nat64_pool4_free(struct nat64_pool4 *pool);

bool nat64_pool4_contains(const struct nat64_pool4 *pool, u8 proto,
			  __be32 addr, u16 port);
bool nat64_pool4_has_addr(const struct nat64_pool4 *pool, u8 proto,
			  __be32 addr);
const struct nat64_pool4_range *
nat64_pool4_find_range(const struct nat64_pool4 *pool, u8 proto, __be32 addr,
		       u16 port);
const struct nat64_pool4_range *
nat64_pool4_block_range(const struct nat64_pool4 *pool, u32 mark, u8 proto);
bool nat64_pool4_in_block(const struct nat64_pool4 *pool, u8 proto,
			  __be32 addr, u16 port);
u64 nat64_pool4_size(const struct nat64_pool4 *pool, u32 mark, u8 proto);
bool nat64_pool4_locate(const struct nat64_pool4 *pool, u32 mark, u8 proto,
			u64 index, struct nat64_pool4_slot *slot);

bool nat64_pool4_share_of(const struct nat64_pool4 *pool, u32 mark, u8 proto,
			  const struct in6_addr *src,
			  struct nat64_pool4_share *share);
void nat64_pool4_det_geom(const struct nat64_pool4_range *r,
			  struct nat64_det_geom *g);
bool nat64_pool4_subs_overlap(const struct nat64_pool4_range *a,
			      const struct nat64_pool4_range *b);

int nat64_pool4_parse_prefix(const char *str, __be32 *prefix, u8 *plen,
			     const char **why);
int nat64_pool4_parse_subs(const char *str, struct in6_addr *prefix, u8 *plen,
			   const char **why);
bool nat64_pool4_range_overlaps(const struct nat64_pool4_range *a,
				const struct nat64_pool4_range *b);

#endif /* _NAT64_POOL4_H */
