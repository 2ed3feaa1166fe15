/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_SCOPE_H
#define _NAT64_SCOPE_H

#include <linux/types.h>

struct net;
struct nat64_pool4;

#define NAT64_SCOPE_SLOTS_BITS 6

/* A remote the routes called unicast, in generation @genid of them. */
struct nat64_scope_slot {
	__be32 addr;
	int genid;
};

struct nat64_scope_cpu {
	struct nat64_scope_slot slots[1 << NAT64_SCOPE_SLOTS_BITS];
};

/* An instance's, per CPU: see scope.c. */
struct nat64_scope_cache {
	struct nat64_scope_cpu __percpu *cpu;
};

int nat64_scope_cache_init(struct nat64_scope_cache *cache);
void nat64_scope_cache_destroy(struct nat64_scope_cache *cache);
bool nat64_scope_is_pool4(const struct nat64_pool4 *pool, __be32 addr);
bool nat64_scope_forbidden4(struct net *net, struct nat64_scope_cache *cache,
			    const struct nat64_pool4 *pool, __be32 addr);

#endif /* _NAT64_SCOPE_H */
