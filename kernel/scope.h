/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_SCOPE_H
#define _NAT64_SCOPE_H

#include <linux/types.h>

struct net;
struct nat64_pool4;

bool nat64_scope_is_pool4(const struct nat64_pool4 *pool, __be32 addr);
bool nat64_scope_forbidden4(struct net *net, const struct nat64_pool4 *pool,
			    __be32 addr);

#endif /* _NAT64_SCOPE_H */
