/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_ICMP_H
#define _NAT64_ICMP_H

#include <linux/types.h>

/* An ICMP type and code, and whether the message is an error. */
struct nat64_icmp_map {
	u8 type;
	u8 code;
	bool is_error;
};

bool nat64_icmp6_to4_type(u8 type6, u8 code6, struct nat64_icmp_map *out);
bool nat64_icmp4_to6_type(u8 type4, u8 code4, struct nat64_icmp_map *out);
int nat64_icmp6_to4_pointer(u32 ptr6);
int nat64_icmp4_to6_pointer(u32 ptr4);
u32 nat64_mtu_plateau(u32 tot_len);

#endif /* _NAT64_ICMP_H */
