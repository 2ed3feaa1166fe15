// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Port blocks (bulk port allocation, RFC 6888 REQ-14; RFC 7422 section
 * 1). A pool4 entry with a block_size lends each of its addresses' ports
 * in blocks of that many contiguous ports (a tail shorter than a block
 * is not lent). A subscriber takes a block with its first mapping, and
 * its later mappings take random free ports in its blocks; it takes
 * another when they are full, up to the entry's max_blocks. One log
 * record per block then says who had every port of it, where one per
 * session would be tens of thousands a second.
 *
 * Which block: one drawn at random among those of the address of the
 * subscriber's other blocks (paired pooling, RFC 4787 REQ-2), else among
 * all of the entry's blocks; a bounded number of draws, or a sweep when
 * there are no more blocks than draws. Nothing is kept of the blocks
 * nobody holds, so memory follows what subscribers hold, not pool size.
 *
 * When a block's last mapping goes it is held for block_hold_time: its
 * subscriber may use it again meanwhile (its record stays with it), and
 * nobody else may, so that a port does not pass at once to another
 * subscriber while the remote end still talks to the old one. The GC
 * worker then returns it, and its BLOCK_DEL event says so.
 *
 * Everything here runs under the BIB lock, where mappings are made and
 * removed; a packet of an established flow never gets here. Static BIB
 * entries are outside blocks: bib.c refuses them in a block entry's
 * ports.
 */

#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "bib.h"
#include "events.h"
#include "instance.h"
#include "port_block.h"

/* Blocks drawn for a new one; the first few at the subscriber's address. */
#define BLOCK_TRIES 64
#define HOME_TRIES 16
/* Least port lookups spent in each of a subscriber's blocks with room. */
#define BLOCK_PORT_TRIES 8
/* Blocks returned or dropped under one hold of the lock. */
#define BLOCK_BATCH 16

static const struct rhashtable_params block_params = {
	.head_offset = offsetof(struct nat64_port_block, node),
	.key_offset = offsetof(struct nat64_port_block, key),
	.key_len = sizeof(struct nat64_port_block_key),
	.automatic_shrinking = true,
};

int nat64_port_blocks_init(struct nat64_port_blocks *pb)
{
	xa_init_flags(&pb->ids, XA_FLAGS_ALLOC);
	INIT_LIST_HEAD(&pb->held);
	pb->next_id = 0;
	pb->count = 0;
	return rhashtable_init(&pb->table, &block_params);
}

static void block_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* Context: process, when nothing can reach @pb any more. */
void nat64_port_blocks_destroy(struct nat64_port_blocks *pb)
{
	rhashtable_free_and_destroy(&pb->table, block_free, NULL);
	xa_destroy(&pb->ids);
}

static u32 range_addrs(const struct nat64_pool4_range *r)
{
	return 1U << (32 - r->plen);
}

static u32 blocks_per_addr(const struct nat64_pool4_range *r)
{
	return (r->port_max - r->port_min + 1U) / r->block_size;
}

static u64 range_blocks(const struct nat64_pool4_range *r)
{
	return r->block_size ? (u64)range_addrs(r) * blocks_per_addr(r) : 0;
}

/* Does entry @r lend @b's ports as one block? */
static bool block_of_range(const struct nat64_pool4_range *r,
			   const struct nat64_port_block *b)
{
	return r && r->block_size &&
	       (b->key.first - r->port_min) % r->block_size == 0 &&
	       b->last == b->key.first + r->block_size - 1 &&
	       b->last <= r->port_max;
}

/* Does @pool lend @b as it is? */
static bool block_lent(const struct nat64_pool4 *pool,
		       const struct nat64_port_block *b)
{
	return block_of_range(nat64_pool4_find_range(pool, b->key.proto,
						     b->key.addr,
						     b->key.first), b);
}

/* Is @b one of the blocks @pool lends to flows of @mark and @proto? */
static bool block_fits(const struct nat64_pool4 *pool,
		       const struct nat64_port_block *b, u32 mark, u8 proto)
{
	const struct nat64_pool4_range *r;

	if (b->key.proto != proto)
		return false;
	r = nat64_pool4_find_range(pool, proto, b->key.addr, b->key.first);
	return r && r->mark == mark && block_of_range(r, b);
}

static u32 block_ports(const struct nat64_port_block *b)
{
	return b->last - b->key.first + 1U;
}

static bool block_taken(struct nat64_port_blocks *pb, u8 proto, __be32 addr,
			u16 first)
{
	struct nat64_port_block_key key = {
		.addr = addr, .first = first, .proto = proto,
	};

	return rhashtable_lookup_fast(&pb->table, &key, block_params);
}

/* A mapping takes a port of @b: it is no longer held. */
static void block_use(struct nat64_port_block *b)
{
	if (!b->used++)
		list_del_init(&b->held_node);
}

/* @b has no mapping left: the hold time starts. */
static void block_hold(struct nat64_port_blocks *pb, struct nat64_port_block *b)
{
	b->held_since = jiffies;
	list_add_tail(&b->held_node, &pb->held);
}

/* What looking for a port in blocks needs; all under the BIB lock. */
struct block_search {
	struct nat64_bib *bib;
	struct nat64_port_blocks *pb;
	const struct nat64_pool4 *pool;
	const struct nat64_pool4_range *range;	/* the first for the flow */
	const struct nat64_flow6 *flow;
	struct nat64_subscriber *sub;
	struct nat64_event_log *log;
	u32 budget;		/* port lookups, at most */
};

/* Under the BIB lock: lends @addr#@first.. to the subscriber. */
static struct nat64_port_block *block_take(struct block_search *s,
					   __be32 addr, u16 first, u16 size)
{
	struct nat64_port_block *b;

	b = kzalloc(sizeof(*b), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!b)
		return NULL;
	b->key.addr = addr;
	b->key.first = first;
	b->key.proto = s->flow->proto;
	b->last = first + size - 1;
	b->owner = s->sub->key;
	b->sub = s->sub;
	INIT_LIST_HEAD(&b->held_node);
	if (rhashtable_insert_fast(&s->pb->table, &b->node, block_params))
		goto err_table;
	/* Only the lock's holder reads the table: no reader saw @b yet. */
	if (xa_alloc_cyclic(&s->pb->ids, &b->id, b, xa_limit_32b,
			    &s->pb->next_id, GFP_ATOMIC) < 0)
		goto err_id;
	list_add_tail(&b->sub_node, &s->sub->blocks);
	s->pb->count++;
	nat64_event_record(s->log, NAT64_EVENT_BLOCK_NEW, b);
	return b;

err_id:
	rhashtable_remove_fast(&s->pb->table, &b->node, block_params);
err_table:
	kfree(b);
	return NULL;
}

/*
 * A free block of @r's address @addr: HOME_TRIES drawn at random, or all
 * of them from a random one on if there are no more than that.
 */
static struct nat64_port_block *take_at_addr(struct block_search *s,
					     const struct nat64_pool4_range *r,
					     __be32 addr)
{
	u32 per = blocks_per_addr(r), start, i, n;
	u16 first;

	if (!per)
		return NULL;
	start = get_random_u32_below(per);
	n = min_t(u32, per, HOME_TRIES);
	for (i = 0; i < n; i++) {
		u32 blk = per <= HOME_TRIES ? (start + i) % per :
			  get_random_u32_below(per);

		first = r->port_min + blk * r->block_size;
		if (!block_taken(s->pb, s->flow->proto, addr, first))
			return block_take(s, addr, first, r->block_size);
	}
	return NULL;
}

/* The @index-th of the blocks lent to the flow's mark and protocol. */
static bool locate_block(const struct block_search *s, u64 index,
			 const struct nat64_pool4_range **range, __be32 *addr,
			 u16 *first)
{
	const struct nat64_pool4 *pool = s->pool;
	const struct nat64_pool4_range *r;
	u32 blk;
	u64 n;

	for (r = pool->ranges; r < pool->ranges + pool->count; r++) {
		if (r->mark != s->flow->mark || r->proto != s->flow->proto)
			continue;
		n = range_blocks(r);
		if (index < n) {
			u64 a = div_u64_rem(index, blocks_per_addr(r), &blk);

			*range = r;
			*addr = htonl(ntohl(r->prefix) + (u32)a);
			*first = r->port_min + blk * r->block_size;
			return true;
		}
		index -= n;
	}
	return false;
}

/* A free block anywhere: BLOCK_TRIES draws, or a sweep of few blocks. */
static struct nat64_port_block *take_anywhere(struct block_search *s)
{
	const struct nat64_pool4_range *r;
	u64 total = 0, start, index;
	u32 i, n;
	__be32 addr;
	u16 first;

	for (r = s->pool->ranges; r < s->pool->ranges + s->pool->count; r++)
		if (r->mark == s->flow->mark && r->proto == s->flow->proto)
			total += range_blocks(r);
	if (!total)
		return NULL;
	div64_u64_rem(get_random_u64(), total, &start);
	n = min_t(u64, total, BLOCK_TRIES);
	for (i = 0; i < n; i++) {
		if (total <= BLOCK_TRIES)
			div64_u64_rem(start + i, total, &index);
		else
			div64_u64_rem(get_random_u64(), total, &index);
		if (!locate_block(s, index, &r, &addr, &first))
			return NULL;
		if (!block_taken(s->pb, s->flow->proto, addr, first))
			return block_take(s, addr, first, r->block_size);
	}
	return NULL;
}

/* A new block, at the address of the subscriber's @home block if it can. */
static struct nat64_port_block *take_block(struct block_search *s,
					   const struct nat64_port_block *home)
{
	const struct nat64_pool4_range *r;
	struct nat64_port_block *b;

	if (home) {
		r = nat64_pool4_find_range(s->pool, home->key.proto,
					   home->key.addr, home->key.first);
		b = take_at_addr(s, r, home->key.addr);
		if (b)
			return b;
	}
	return take_anywhere(s);
}

static bool port_in_block(struct block_search *s, struct nat64_port_block *b,
			  u32 tries, struct nat64_taddr4 *taddr)
{
	if (!nat64_port_select_range(s->bib, s->flow, b->key.addr, b->key.first,
				     b->last, tries, taddr))
		return false;
	block_use(b);
	return true;
}

/*
 * A port in one of the subscriber's blocks, or in a new one. @why says
 * which limit refused it.
 */
static bool block_search(struct block_search *s, struct nat64_taddr4 *taddr,
			 enum nat64_stat *why)
{
	struct nat64_port_block *b, *home = NULL;
	unsigned int held = 0, open = 0;
	u32 tries;

	list_for_each_entry(b, &s->sub->blocks, sub_node) {
		if (!block_fits(s->pool, b, s->flow->mark, s->flow->proto))
			continue;
		held++;
		home = home ?: b;
		open += b->used < block_ports(b);
	}
	/* The budget shared out, with a floor: a few lookups per block. */
	tries = open ? max_t(u32, s->budget / open, BLOCK_PORT_TRIES) : 0;
	list_for_each_entry(b, &s->sub->blocks, sub_node) {
		if (!open)
			break;
		if (b->used >= block_ports(b) ||
		    !block_fits(s->pool, b, s->flow->mark, s->flow->proto))
			continue;
		open--;
		if (port_in_block(s, b, tries, taddr))
			return true;
	}
	if (held >= max_t(u32, s->range->max_blocks, 1)) {
		*why = NAT64_STAT_DROP_SUBSCRIBER_BLOCKS;
		return false;
	}
	*why = NAT64_STAT_DROP_POOL4_EXHAUSTED;
	b = take_block(s, home);
	if (!b)
		return false;
	if (port_in_block(s, b, s->budget, taddr))
		return true;
	/* Its ports are all some older mapping's: held, then returned. */
	block_hold(s->pb, b);
	return false;
}

/**
 * nat64_port_block_select() - the pool4 transport address of a new mapping
 * @inst: the translator
 * @sub: the subscriber the mapping counts against
 * @flow: the new flow
 * @log: where a new block is recorded
 * @taddr: the result, written only on success
 * @why: on failure, the drop reason
 *
 * Ports of an entry without a block_size are chosen one by one
 * (nat64_port_select()); those of one with a block_size, in @sub's
 * blocks. A mapping made here is given back with
 * nat64_port_block_release() when its BIB entry goes.
 *
 * Context: under the BIB lock and rcu_read_lock().
 * Return: false if no address could be found.
 */
bool nat64_port_block_select(struct nat64_instance *inst,
			     struct nat64_subscriber *sub,
			     const struct nat64_flow6 *flow,
			     struct nat64_event_log *log,
			     struct nat64_taddr4 *taddr, enum nat64_stat *why)
{
	struct nat64_bib *bib = &inst->bib;
	u32 budget = READ_ONCE(inst->settings.max_iterations);
	/* Replaced under the BIB lock: see nat64_bib_replace_pool4(). */
	struct nat64_pool4 *pool = rcu_dereference(inst->pool4);
	struct block_search s = {
		.bib = bib,
		.pb = &nat64_tables(bib)->blocks,
		.pool = pool,
		.flow = flow,
		.sub = sub,
		.log = log,
		.budget = min_t(u32, budget, NAT64_PORT_SELECT_MAX_TRIES),
	};

	*why = NAT64_STAT_DROP_POOL4_EXHAUSTED;
	if (!pool)
		return false;
	s.range = nat64_pool4_block_range(pool, flow->mark, flow->proto);
	if (!s.range)
		return nat64_port_select(bib, pool, flow, budget, taddr);
	return block_search(&s, taddr, why);
}

/**
 * nat64_port_block_release() - a mapping of @sub's goes
 * @bib: the BIB
 * @sub: the subscriber it counted against
 * @proto: its protocol
 * @addr: its pool4 address
 * @port: and port
 *
 * If it was in a block of @sub's, and the block's last, the block is
 * held for block_hold_time. Context: under the BIB lock.
 */
void nat64_port_block_release(struct nat64_bib *bib,
			      struct nat64_subscriber *sub, u8 proto,
			      __be32 addr, u16 port)
{
	struct nat64_port_block *b;

	list_for_each_entry(b, &sub->blocks, sub_node) {
		if (b->key.proto != proto || b->key.addr != addr ||
		    port < b->key.first || port > b->last)
			continue;
		if (!WARN_ON_ONCE(!b->used) && !--b->used)
			block_hold(&nat64_tables(bib)->blocks, b);
		return;
	}
}

/*
 * Under the BIB lock, with room for a subscriber record reserved: @b
 * returns to the pool. Its mappings, if any are left (pool4 changed
 * under them), count in no block from now on.
 */
static void block_drop(struct nat64_bib *bib, struct nat64_port_block *b,
		       struct nat64_event_log *log)
{
	struct nat64_tables *t = nat64_tables(bib);

	rhashtable_remove_fast(&t->blocks.table, &b->node, block_params);
	xa_erase(&t->blocks.ids, b->id);
	list_del_init(&b->held_node);
	list_del(&b->sub_node);
	t->blocks.count--;
	nat64_subscriber_forget_unused(&t->subscribers,
				       &bib->subscriber_reaper, b->sub);
	nat64_event_record(log, NAT64_EVENT_BLOCK_DEL, b);
	/* Dumps and the event read it after the lock: */
	kfree_rcu(b, rcu);
}

/* Under the BIB lock: returns up to a batch of blocks whose hold is over. */
static unsigned int expire_batch(struct nat64_instance *inst,
				 unsigned long now, struct nat64_event_log *log)
{
	unsigned long hold = nat64_timeout(&inst->settings.block_hold_time);
	struct nat64_bib *bib = &inst->bib;
	struct nat64_port_blocks *pb = &nat64_tables(bib)->blocks;
	struct nat64_port_block *b;
	unsigned int n = 0;

	if (!nat64_reaper_reserve(&bib->subscriber_reaper, BLOCK_BATCH))
		return 0;	/* the next round tries again */
	while (n < BLOCK_BATCH && !list_empty(&pb->held)) {
		b = list_first_entry(&pb->held, struct nat64_port_block,
				     held_node);
		/* Held oldest first: the first still held ends the walk. */
		if (time_before(now, b->held_since + hold))
			break;
		block_drop(bib, b, log);
		n++;
	}
	return n;
}

/**
 * nat64_port_blocks_expire() - return the blocks whose hold time is over
 * @inst: the translator
 * @now: the time, in jiffies (KUnit drives it)
 *
 * Context: process (the GC worker). Return: how many were returned.
 */
unsigned int nat64_port_blocks_expire(struct nat64_instance *inst,
				      unsigned long now)
{
	struct nat64_event events[BLOCK_BATCH];
	struct nat64_bib *bib = &inst->bib;
	struct nat64_event_log log;
	unsigned int n, total = 0;

	do {
		nat64_event_log_init(&log, events, ARRAY_SIZE(events));
		rcu_read_lock();
		spin_lock_bh(&bib->lock);
		n = expire_batch(inst, now, &log);
		spin_unlock_bh(&bib->lock);
		nat64_events_emit(inst, &log);
		rcu_read_unlock();
		total += n;
		cond_resched();
	} while (n == BLOCK_BATCH);
	return total;
}

/*
 * Under the BIB lock: drops up to a batch of the blocks from *@next on
 * that the current pool4 does not lend as they are.
 */
static unsigned int prune_batch(struct nat64_instance *inst,
				unsigned long *next, struct nat64_event_log *log,
				bool *done)
{
	struct nat64_bib *bib = &inst->bib;
	struct nat64_port_blocks *pb = &nat64_tables(bib)->blocks;
	const struct nat64_pool4 *pool = rcu_dereference(inst->pool4);
	struct nat64_port_block *b;
	unsigned int n = 0, seen = 0;
	unsigned long id;

	/*
	 * Without memory the rest stay: no mapping uses them, and they go
	 * once held, as any block does.
	 */
	*done = true;
	if (!nat64_reaper_reserve(&bib->subscriber_reaper, BLOCK_BATCH))
		return 0;
	xa_for_each_start(&pb->ids, id, b, *next) {
		if (n == BLOCK_BATCH || ++seen > 8 * BLOCK_BATCH) {
			*next = id;
			*done = false;
			return n;
		}
		if (pool && block_lent(pool, b))
			continue;
		block_drop(bib, b, log);
		n++;
	}
	return n;
}

/**
 * nat64_port_blocks_prune() - drop the blocks pool4 no longer lends
 * @inst: the translator, whose pool4 has just changed
 *
 * A block goes when its ports left pool4, or their entry changed its
 * block size: no new mapping is made in it, and its BLOCK_DEL event is
 * sent now. Mappings left in it (a "quick" change) expire as usual.
 *
 * Context: process, under the BIB mutex. Return: how many were dropped.
 */
unsigned int nat64_port_blocks_prune(struct nat64_instance *inst)
{
	struct nat64_event events[BLOCK_BATCH];
	struct nat64_bib *bib = &inst->bib;
	struct nat64_event_log log;
	unsigned int total = 0;
	unsigned long next = 0;
	bool done;

	lockdep_assert_held(&bib->mutex);
	do {
		nat64_event_log_init(&log, events, ARRAY_SIZE(events));
		rcu_read_lock();
		spin_lock_bh(&bib->lock);
		total += prune_batch(inst, &next, &log, &done);
		spin_unlock_bh(&bib->lock);
		nat64_events_emit(inst, &log);
		rcu_read_unlock();
		cond_resched();
	} while (!done);
	return total;
}

