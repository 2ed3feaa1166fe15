/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_NETLINK_H
#define _NAT64_NETLINK_H

#include <linux/types.h>

int nat64_netlink_init(void);
void nat64_netlink_exit(void);

#endif /* _NAT64_NETLINK_H */
