/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_PORT_SELECT_H
#define _NAT64_PORT_SELECT_H

#include <linux/siphash.h>

#include "pool4.h"

struct nat64_bib;
struct nat64_flow6;

/*
 * The most transport addresses one new mapping tries, whatever
 * max_iterations says (nf_nat tries 128 too). Short of a nearly full
 * pool that is plenty: a pool whose ports are a fraction f in use fails
 * a search with probability about f^128, 1.4e-6 at 90%, 0.1% at 95%.
 */
#define NAT64_PORT_SELECT_MAX_TRIES 128

#define NAT64_PORT_SELECT_BUCKETS 256

/*
 * The allocator's state: a secret for hashing clients, and per bucket of
 * clients which of each client's addresses it is on (its "step" in an
 * order of addresses the hash gives it). Serialised by the caller (the
 * BIB lock); a lost update would only move a client.
 */
struct nat64_port_select {
	siphash_key_t secret;
	u32 step[NAT64_PORT_SELECT_BUCKETS];
};

void nat64_port_select_init(struct nat64_port_select *ps);
bool nat64_port_select(struct nat64_bib *bib, const struct nat64_pool4 *pool,
		       const struct nat64_flow6 *flow, u32 max_iterations,
		       struct nat64_taddr4 *taddr);
bool nat64_port_select_range(struct nat64_bib *bib,
			     const struct nat64_flow6 *flow, __be32 addr,
			     u16 first, u16 last, u32 max_iterations,
			     struct nat64_taddr4 *taddr);

#endif /* _NAT64_PORT_SELECT_H */
