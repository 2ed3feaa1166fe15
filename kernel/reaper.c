// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Batched RCU-deferred freeing of table entries.
 *
 * Removal happens under a spinlock, in softirq as well as in process
 * context, so the page a batch lives in is allocated atomically. It is
 * allocated *before* anything is unpublished: nat64_reaper_reserve()
 * makes room for every object the caller may remove under this hold of
 * its lock, and fails, with nothing changed, if there is no memory. A
 * removal that has begun can then always finish.
 */

#include <linux/rcupdate.h>

#include "reaper.h"

struct nat64_reap_batch {
	struct rcu_head rcu;
	struct kmem_cache *cache;
	unsigned int count;
	void *objs[];
};

#define REAP_BATCH_OBJS \
	((PAGE_SIZE - sizeof(struct nat64_reap_batch)) / sizeof(void *))

void nat64_reaper_init(struct nat64_reaper *reaper, struct kmem_cache *cache)
{
	reaper->cache = cache;
	reaper->batch = NULL;
}

static void reap_batch_rcu(struct rcu_head *head)
{
	struct nat64_reap_batch *batch;

	batch = container_of(head, struct nat64_reap_batch, rcu);
	kmem_cache_free_bulk(batch->cache, batch->count, batch->objs);
	kfree(batch);
}

/**
 * nat64_reaper_reserve() - make room for @n more objects
 * @reaper: the reaper
 * @n: how many the caller may defer before it next reserves
 *
 * Context: any, under the owner's lock.
 * Return: false if a new batch was needed and no memory was free.
 */
bool nat64_reaper_reserve(struct nat64_reaper *reaper, unsigned int n)
{
	struct nat64_reap_batch *batch = reaper->batch;

	if (WARN_ON_ONCE(n > REAP_BATCH_OBJS))
		return false;
	if (batch && batch->count + n <= REAP_BATCH_OBJS)
		return true;
	batch = kmalloc(PAGE_SIZE, GFP_ATOMIC | __GFP_NOWARN);
	if (!batch)
		return false;
	batch->cache = reaper->cache;
	batch->count = 0;
	/* The current batch, if any, holds objects: it is full enough. */
	nat64_reaper_submit(reaper);
	reaper->batch = batch;
	return true;
}

/**
 * nat64_reaper_defer() - free @obj after the current grace period
 * @reaper: the reaper, with room reserved
 * @obj: an object of the reaper's cache, unreachable to new readers
 */
void nat64_reaper_defer(struct nat64_reaper *reaper, void *obj)
{
	struct nat64_reap_batch *batch = reaper->batch;

	/* A caller that did not reserve: leaking beats a use-after-free. */
	if (WARN_ON_ONCE(!batch || batch->count >= REAP_BATCH_OBJS))
		return;
	batch->objs[batch->count++] = obj;
}

/* Starts the grace period for what the current batch holds, if anything. */
void nat64_reaper_submit(struct nat64_reaper *reaper)
{
	struct nat64_reap_batch *batch = reaper->batch;

	if (!batch || !batch->count)
		return;
	call_rcu(&batch->rcu, reap_batch_rcu);
	reaper->batch = NULL;
}

/* The caches must outlive the submitted batches: see rcu_barrier(). */
void nat64_reaper_destroy(struct nat64_reaper *reaper)
{
	nat64_reaper_submit(reaper);
	kfree(reaper->batch);
	reaper->batch = NULL;
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "reaper_test.c"
#endif
