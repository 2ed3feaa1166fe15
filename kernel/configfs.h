/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_CONFIGFS_H
#define _NAT64_CONFIGFS_H

#include "pool4.h"
#include "pool6.h"

struct net;

int nat64_configfs_init(void);
void nat64_configfs_exit(void);
int nat64_configfs_add_builtin(struct net *net, const char *name,
			       const struct nat64_prefix6 *pool6,
			       const struct nat64_pool4_range *ranges,
			       unsigned int count);
void nat64_configfs_remove_builtin(void);

#endif /* _NAT64_CONFIGFS_H */
