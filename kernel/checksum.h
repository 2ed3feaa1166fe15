/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_CHECKSUM_H
#define _NAT64_CHECKSUM_H

#include <net/checksum.h>
#include <net/ip6_checksum.h>

/* Pseudo-header sum, not folded and not complemented. */
static inline __wsum nat64_pseudo6_sum(const struct in6_addr *saddr,
				       const struct in6_addr *daddr, u32 len,
				       u8 proto)
{
	return csum_unfold(~csum_ipv6_magic(saddr, daddr, len, proto, 0));
}

/*
 * What replacing IPv6 addresses (source then destination, 32 bytes) with
 * IPv4 ones (8 bytes) adds to a TCP or UDP checksum: the rest of the
 * pseudo-header (length, protocol) sums the same in both families.
 */
static inline __wsum nat64_addr_diff_6to4(const struct in6_addr *addrs6,
					  const __be32 *addrs4)
{
	return csum_sub(csum_partial(addrs4, 8, 0),
			csum_partial(addrs6, 32, 0));
}

#endif /* _NAT64_CHECKSUM_H */
