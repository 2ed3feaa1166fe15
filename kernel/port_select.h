/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_PORT_SELECT_H
#define _NAT64_PORT_SELECT_H

#include <linux/siphash.h>

#include "pool4.h"

struct nat64_bib;
struct nat64_flow6;

#define NAT64_PORT_SELECT_SLOTS 64

/*
 * The allocator's state: a secret for hashing clients, and per bucket of
 * clients how far past its hashed start the last mapping was made.
 * Serialised by the caller (the BIB lock).
 */
struct nat64_port_select {
	siphash_key_t secret;
	u64 resume[NAT64_PORT_SELECT_SLOTS];
};

void nat64_port_select_init(struct nat64_port_select *ps);
bool nat64_port_select(struct nat64_bib *bib, const struct nat64_pool4 *pool,
		       const struct nat64_flow6 *flow, u32 max_iterations,
		       struct nat64_taddr4 *taddr);

#endif /* _NAT64_PORT_SELECT_H */
