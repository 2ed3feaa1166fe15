/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_REAPER_H
#define _NAT64_REAPER_H

#include <linux/slab.h>

struct nat64_reap_batch;

/*
 * Frees objects of one kmem_cache once RCU readers are done with them,
 * a page of pointers per grace period: the objects need no rcu_head of
 * their own (16 bytes each, a million times over), and the slab gets
 * them back in bulk. The owner serialises every call with its lock.
 */
struct nat64_reaper {
	struct kmem_cache *cache;
	struct nat64_reap_batch *batch;	/* filling; NULL if none */
};

void nat64_reaper_init(struct nat64_reaper *reaper, struct kmem_cache *cache);
bool nat64_reaper_reserve(struct nat64_reaper *reaper, unsigned int n);
void nat64_reaper_defer(struct nat64_reaper *reaper, void *obj);
void nat64_reaper_submit(struct nat64_reaper *reaper);
void nat64_reaper_destroy(struct nat64_reaper *reaper);

#endif /* _NAT64_REAPER_H */
