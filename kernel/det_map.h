/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Deterministic mapping (RFC 7422): a pool4 entry that serves the
 * subscribers of one IPv6 prefix gives subscriber i of it one IPv4
 * address and one contiguous range of ports, computed from i and the
 * entry alone, never stored: so the configuration answers "who had this
 * transport address" for as long as it is kept.
 *
 * The layout is RFC 7422's, addresses first: subscriber i gets address
 * i mod A and the (i div A)-th block of B ports of it, where A is the
 * entry's addresses (or S, the subscribers, if fewer) and B the ports of
 * the entry divided among the S / A subscribers of an address. Neighbour
 * subscribers so land on different addresses. Ports past the last whole
 * block (the tail) belong to no subscriber.
 *
 * Shared by the kernel and tools/nat64, which defines u8, u16, u32 and
 * u64 before including this: pure functions on fixed-width integers.
 */

#ifndef _NAT64_DET_MAP_H
#define _NAT64_DET_MAP_H

#ifdef __KERNEL__
#include <linux/types.h>
#endif

/* At most 2^32 subscribers: the index is a u32 and every product a u64. */
#define NAT64_DET_MAX_SUB_BITS 32
/* The fewest ports a subscriber may get: fewer is an outage, not a NAT. */
#define NAT64_DET_MIN_PORTS 8

/*
 * An entry's geometry: 2^@addr_bits addresses (0 to 31: a pool4 prefix
 * is /1 to /32), ports @port_min to @port_max of each, and 2^@sub_bits
 * subscribers (the subscriber length less the IPv6 prefix length).
 */
struct nat64_det_geom {
	u32 addr_bits;
	u32 sub_bits;
	u16 port_min;
	u16 port_max;
};

/* Subscriber i's share: the @offset-th address, ports @first to @last. */
struct nat64_det_share {
	u32 offset;
	u16 first;
	u16 last;
};

enum nat64_det_error {
	NAT64_DET_OK,
	NAT64_DET_TOO_MANY,	/* sub_bits beyond NAT64_DET_MAX_SUB_BITS */
	NAT64_DET_BAD_POOL,	/* addr_bits beyond 31, or ports reversed */
	NAT64_DET_FEW_PORTS,	/* fewer than NAT64_DET_MIN_PORTS each */
};

static inline u64 nat64_det_subscribers(const struct nat64_det_geom *g)
{
	return 1ULL << g->sub_bits;
}

/* A: the addresses that serve someone. */
static inline u64 nat64_det_addresses(const struct nat64_det_geom *g)
{
	return g->sub_bits < g->addr_bits ? 1ULL << g->sub_bits :
					    1ULL << g->addr_bits;
}

/* How many subscribers share one address. */
static inline u64 nat64_det_per_address(const struct nat64_det_geom *g)
{
	return g->sub_bits > g->addr_bits ?
	       1ULL << (g->sub_bits - g->addr_bits) : 1;
}

static inline u32 nat64_det_ports(const struct nat64_det_geom *g)
{
	return (u32)g->port_max - g->port_min + 1;
}

/* B: the ports of each subscriber. */
static inline u32 nat64_det_block(const struct nat64_det_geom *g)
{
	return (u32)(nat64_det_ports(g) / nat64_det_per_address(g));
}

/* Can @g be used? The other functions assume it can. */
static inline enum nat64_det_error
nat64_det_check(const struct nat64_det_geom *g)
{
	if (g->sub_bits > NAT64_DET_MAX_SUB_BITS)
		return NAT64_DET_TOO_MANY;
	if (g->addr_bits > 31 || g->port_min > g->port_max)
		return NAT64_DET_BAD_POOL;
	if (nat64_det_block(g) < NAT64_DET_MIN_PORTS)
		return NAT64_DET_FEW_PORTS;
	return NAT64_DET_OK;
}

/* f(i), for @i below nat64_det_subscribers(). */
static inline void nat64_det_forward(const struct nat64_det_geom *g, u64 i,
				     struct nat64_det_share *share)
{
	u64 addrs = nat64_det_addresses(g);
	u32 block = nat64_det_block(g);
	/* i / addrs < per_address, so first + block - 1 <= port_max. */
	u32 first = g->port_min + (u32)(i / addrs) * block;

	share->offset = (u32)(i % addrs);
	share->first = (u16)first;
	share->last = (u16)(first + block - 1);
}

/*
 * g(@offset, @port): the subscriber whose share holds port @port of the
 * @offset-th address. Return: false if none does (an address past A, a
 * port outside the entry's or in the tail).
 */
static inline bool nat64_det_inverse(const struct nat64_det_geom *g,
				     u64 offset, u32 port, u64 *i)
{
	u64 addrs = nat64_det_addresses(g), j;

	if (offset >= addrs || port < g->port_min || port > g->port_max)
		return false;
	j = (port - g->port_min) / nat64_det_block(g);
	if (j >= nat64_det_per_address(g))
		return false;
	*i = j * addrs + offset;
	return true;
}

/* Bit @bit (0: the most significant) of a 128-bit address. */
static inline u32 nat64_det_bit(const u8 *addr, u32 bit)
{
	return (addr[bit / 8] >> (7 - bit % 8)) & 1;
}

/* Do the first @plen (0 to 128) bits of @a and @b agree? */
static inline bool nat64_det_prefix_equal(const u8 *a, const u8 *b, u32 plen)
{
	u32 bit;

	for (bit = 0; bit < plen && bit < 128; bit++)
		if (nat64_det_bit(a, bit) != nat64_det_bit(b, bit))
			return false;
	return true;
}

/*
 * The subscriber index of IPv6 address @addr: its @sub_bits bits after
 * the first @plen. @plen + @sub_bits is at most 128, @sub_bits at most
 * 32 (nat64_det_check()).
 */
static inline u64 nat64_det_index(const u8 *addr, u32 plen, u32 sub_bits)
{
	u64 i = 0;
	u32 bit;

	for (bit = plen; bit < plen + sub_bits && bit < 128; bit++)
		i = i << 1 | nat64_det_bit(addr, bit);
	return i;
}

/* Subscriber @i's prefix: @prefix with the index bits set to @i. */
static inline void nat64_det_subscriber(const u8 *prefix, u32 plen,
					u32 sub_bits, u64 i, u8 *out)
{
	u32 bit, n;

	for (n = 0; n < 16; n++)
		out[n] = prefix[n];
	for (bit = plen + sub_bits; bit-- > plen && bit < 128; i >>= 1) {
		out[bit / 8] &= ~(1U << (7 - bit % 8));
		out[bit / 8] |= (i & 1) << (7 - bit % 8);
	}
}

#endif /* _NAT64_DET_MAP_H */
