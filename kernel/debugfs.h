/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_DEBUGFS_H
#define _NAT64_DEBUGFS_H

struct nat64_instance;

void nat64_debugfs_init(void);
void nat64_debugfs_exit(void);
void nat64_debugfs_add(struct nat64_instance *inst);
void nat64_debugfs_remove(struct nat64_instance *inst);

#endif /* _NAT64_DEBUGFS_H */
