/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_CFS_H
#define NAT64_TOOL_CFS_H

#include <stddef.h>

#define CFS_MOUNT "/sys/kernel/config"
#define CFS_ROOT CFS_MOUNT "/nat64"

/* cfs.c: the configfs tree, wherever this process stands. */
int cfs_open(void);
int cfs_read(const char *rel, char *buf, size_t size);
int cfs_write(const char *rel, const char *value);
int cfs_mkdir(const char *rel);
int cfs_rmdir(const char *rel);
char **cfs_list(const char *rel, size_t *n);
char **cfs_list_type(const char *rel, int type, size_t *n);
void cfs_list_free(char **names, size_t n);
int cfs_writable(void);

#endif /* NAT64_TOOL_CFS_H */
