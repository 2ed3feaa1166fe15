/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_NETNS_H
#define NAT64_TOOL_NETNS_H

#include <stddef.h>

#define NETNS_RUN_DIR "/run/netns"

/* netns.c: network namespaces, as "ip netns" names them. */
int netns_path(const char *word, char *path, size_t size);
int netns_inum(const char *path, unsigned long *inum, const char **why);
unsigned long netns_self(void);
int netns_name(unsigned long inum, char *name, size_t size);
int netns_find(unsigned long inum, char *path, size_t size);
int netns_enter(const char *path);
int netns_initial_userns(void);
int netns_run_in(const char *path, int (*fn)(void *), void *arg);

#endif /* NAT64_TOOL_NETNS_H */
