/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_POOL6_H
#define _NAT64_POOL6_H

#include <linux/in6.h>
#include <linux/types.h>

/* An RFC 6052 prefix: IPv4 addresses are embedded behind it. */
struct nat64_prefix6 {
	struct in6_addr addr;
	u8 len;
};

int nat64_prefix6_parse(const char *str, struct nat64_prefix6 *prefix,
			const char **why);
bool nat64_prefix6_contains(const struct nat64_prefix6 *prefix,
			    const struct in6_addr *addr);
__be32 nat64_addr_6to4(const struct nat64_prefix6 *prefix,
		       const struct in6_addr *addr);
void nat64_addr_4to6(const struct nat64_prefix6 *prefix, __be32 addr4,
		     struct in6_addr *addr6);

#endif /* _NAT64_POOL6_H */
