// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * pool4: the IPv4 transport addresses that IPv6 clients are masked behind.
 *
 * The pool is kept as ranges (prefix + port range), never expanded into
 * one record per address, so adding a /16 costs one record. Readers see
 * an immutable snapshot under RCU. The transport addresses of the ranges
 * that match a (mark, protocol) pair form one virtual sequence, address
 * after address, which the allocator in bib.c walks from a hashed start.
 * Deterministic entries (RFC 7422) are outside that sequence: each of
 * their subscribers has its own share of them, and nobody else a port.
 */

#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "pool4.h"

struct nat64_pool4 *nat64_pool4_alloc(unsigned int count)
{
	struct nat64_pool4 *pool;

	pool = kzalloc(struct_size(pool, ranges, count), GFP_KERNEL);
	if (pool)
		pool->count = count;
	return pool;
}

void nat64_pool4_free(struct nat64_pool4 *pool)
{
	kfree(pool);
}

/* @plen is 1 to 32: a /0 would not fit the u32. */
static u32 range_addr_count(const struct nat64_pool4_range *r)
{
	return 1U << (32 - r->plen);
}

static u32 range_port_count(const struct nat64_pool4_range *r)
{
	return r->port_max - r->port_min + 1;
}

/* The number of transport addresses @r lends. */
static u64 range_size(const struct nat64_pool4_range *r)
{
	return (u64)range_addr_count(r) * range_port_count(r);
}

static bool range_has_addr(const struct nat64_pool4_range *r, __be32 addr)
{
	u32 mask = r->plen ? ~0U << (32 - r->plen) : 0;

	return (ntohl(addr) & mask) == ntohl(r->prefix);
}

/*
 * The first entry (of any mark) that owns @addr#@port for @proto, or
 * NULL. A port-block entry shares its transport addresses with no other
 * (configfs refuses the overlap), so for those it is the only one.
 */
const struct nat64_pool4_range *
nat64_pool4_find_range(const struct nat64_pool4 *pool, u8 proto, __be32 addr,
		       u16 port)
{
	const struct nat64_pool4_range *r;

	for (r = pool->ranges; r < pool->ranges + pool->count; r++)
		if (r->proto == proto && range_has_addr(r, addr) &&
		    port >= r->port_min && port <= r->port_max)
			return r;
	return NULL;
}

/* Does any entry (of any mark) own @addr#@port for @proto? */
bool nat64_pool4_contains(const struct nat64_pool4 *pool, u8 proto,
			  __be32 addr, u16 port)
{
	return nat64_pool4_find_range(pool, proto, addr, port);
}

/*
 * The first entry for @mark and @proto that lends ports in blocks, or
 * NULL if they are lent one by one. Entries of one mark and protocol
 * agree on it (configfs sees to that).
 */
const struct nat64_pool4_range *
nat64_pool4_block_range(const struct nat64_pool4 *pool, u32 mark, u8 proto)
{
	const struct nat64_pool4_range *r;

	for (r = pool->ranges; r < pool->ranges + pool->count; r++)
		if (r->mark == mark && r->proto == proto && r->block_size)
			return r;
	return NULL;
}

/* Is @addr#@port lent in blocks (a dynamic mapping there is in one)? */
bool nat64_pool4_in_block(const struct nat64_pool4 *pool, u8 proto,
			  __be32 addr, u16 port)
{
	const struct nat64_pool4_range *r;

	r = nat64_pool4_find_range(pool, proto, addr, port);
	return r && r->block_size;
}

/* Is @r in the sequence of dynamic transport addresses of @mark, @proto? */
static bool range_dynamic(const struct nat64_pool4_range *r, u32 mark,
			  u8 proto)
{
	return r->mark == mark && r->proto == proto && !r->deterministic;
}

/* How many transport addresses can mask packets of @mark and @proto. */
u64 nat64_pool4_size(const struct nat64_pool4 *pool, u32 mark, u8 proto)
{
	const struct nat64_pool4_range *r;
	u64 size = 0;

	for (r = pool->ranges; r < pool->ranges + pool->count; r++)
		if (range_dynamic(r, mark, proto))
			size += range_size(r);
	return size;
}

/**
 * nat64_pool4_locate() - the @index-th transport address, and its address's
 * place in the sequence for @mark and @proto
 * @pool: the pool
 * @mark: the packet's mark
 * @proto: its protocol
 * @index: below nat64_pool4_size()
 * @slot: filled in on success
 *
 * Return: false if @index is past the end.
 */
bool nat64_pool4_locate(const struct nat64_pool4 *pool, u32 mark, u8 proto,
			u64 index, struct nat64_pool4_slot *slot)
{
	const struct nat64_pool4_range *r;
	u64 base = 0;

	for (r = pool->ranges; r < pool->ranges + pool->count; r++) {
		u32 ports = range_port_count(r);
		u64 size, addr;
		u32 port;

		if (!range_dynamic(r, mark, proto))
			continue;
		size = (u64)range_addr_count(r) * ports;
		if (index < size) {
			addr = div_u64_rem(index, ports, &port);
			slot->taddr.addr = htonl(ntohl(r->prefix) + (u32)addr);
			slot->taddr.port = r->port_min + port;
			slot->first = base + index - port;
			slot->ports = ports;
			return true;
		}
		index -= size;
		base += size;
	}
	return false;
}

/* Is @addr a pool4 address for @proto, whatever the port and mark? */
bool nat64_pool4_has_addr(const struct nat64_pool4 *pool, u8 proto,
			  __be32 addr)
{
	const struct nat64_pool4_range *r;

	for (r = pool->ranges; r < pool->ranges + pool->count; r++)
		if (r->proto == proto && range_has_addr(r, addr))
			return true;
	return false;
}

void nat64_pool4_det_geom(const struct nat64_pool4_range *r,
			  struct nat64_det_geom *g)
{
	g->addr_bits = 32 - r->plen;
	g->sub_bits = r->sub_len - r->subs_len;
	g->port_min = r->port_min;
	g->port_max = r->port_max;
}

/**
 * nat64_pool4_share_of() - the share of the deterministic entry that
 * serves @src for @mark and @proto
 * @pool: the pool
 * @mark: the packet's mark
 * @proto: its protocol
 * @src: its IPv6 source
 * @share: filled in on success
 *
 * Every entry in @pool was checked (nat64_det_check()) when it went live,
 * and the IPv6 prefixes of one mark and protocol do not overlap.
 *
 * Return: false if no deterministic entry serves @src: it is dynamic.
 */
bool nat64_pool4_share_of(const struct nat64_pool4 *pool, u32 mark, u8 proto,
			  const struct in6_addr *src,
			  struct nat64_pool4_share *share)
{
	const struct nat64_pool4_range *r;
	struct nat64_det_share s;
	struct nat64_det_geom g;

	for (r = pool->ranges; r < pool->ranges + pool->count; r++) {
		if (!r->deterministic || r->mark != mark || r->proto != proto ||
		    !ipv6_prefix_equal(src, &r->subs, r->subs_len))
			continue;
		nat64_pool4_det_geom(r, &g);
		nat64_det_forward(&g, nat64_det_index(src->s6_addr, r->subs_len,
						      g.sub_bits), &s);
		share->addr = htonl(ntohl(r->prefix) + s.offset);
		share->first = s.first;
		share->last = s.last;
		return true;
	}
	return false;
}

/* Would @a and @b both claim a subscriber of the same mark and protocol? */
bool nat64_pool4_subs_overlap(const struct nat64_pool4_range *a,
			      const struct nat64_pool4_range *b)
{
	return a->deterministic && b->deterministic && a->mark == b->mark &&
	       a->proto == b->proto &&
	       ipv6_prefix_equal(&a->subs, &b->subs,
				 min(a->subs_len, b->subs_len));
}

/**
 * nat64_pool4_parse_prefix() - parse "A.B.C.D" or "A.B.C.D/LEN"
 * @str: the text; a trailing newline is ignored
 * @prefix: the address, written only on success
 * @plen: the length, 32 when absent, written only on success
 * @why: on error, a short explanation for the operator
 *
 * Return: 0 or -EINVAL.
 */
int nat64_pool4_parse_prefix(const char *str, __be32 *prefix, u8 *plen,
			     const char **why)
{
	unsigned int len = 32;
	const char *end;
	size_t n = strcspn(str, "\n");
	__be32 addr;
	u32 mask;

	if (!in4_pton(str, n, (u8 *)&addr, '/', &end) ||
	    (end != str + n && *end != '/')) {
		*why = "not an IPv4 address or prefix";
		return -EINVAL;
	}
	if (end != str + n) {
		char digits[3] = {};

		if (str + n - end - 1 < 1 || str + n - end - 1 > 2) {
			*why = "prefix length must be 1 to 32";
			return -EINVAL;
		}
		memcpy(digits, end + 1, str + n - end - 1);
		if (kstrtouint(digits, 10, &len) || len < 1 || len > 32) {
			*why = "prefix length must be 1 to 32";
			return -EINVAL;
		}
	}
	mask = ~0U << (32 - len);
	if (ntohl(addr) & ~mask) {
		*why = "address bits beyond the prefix length must be zero";
		return -EINVAL;
	}
	*prefix = addr;
	*plen = len;
	return 0;
}

/**
 * nat64_pool4_parse_subs() - parse the IPv6 prefix a deterministic entry
 * serves, "ADDR/LEN"
 * @str: the text; a trailing newline is ignored
 * @prefix: the prefix, written only on success
 * @plen: its length, 0 to 128, written only on success
 * @why: on error, a short explanation for the operator
 *
 * Return: 0 or -EINVAL.
 */
int nat64_pool4_parse_subs(const char *str, struct in6_addr *prefix, u8 *plen,
			   const char **why)
{
	size_t n = strcspn(str, "\n");
	struct in6_addr addr, masked;
	unsigned int len;
	const char *end;
	char digits[4] = {};

	if (!in6_pton(str, n, addr.s6_addr, '/', &end) || *end != '/' ||
	    str + n - end - 1 < 1 || str + n - end - 1 > 3) {
		*why = "not an IPv6 prefix ADDR/LEN";
		return -EINVAL;
	}
	memcpy(digits, end + 1, str + n - end - 1);
	if (kstrtouint(digits, 10, &len) || len > 128) {
		*why = "prefix length must be 0 to 128";
		return -EINVAL;
	}
	ipv6_addr_prefix(&masked, &addr, len);
	if (!ipv6_addr_equal(&masked, &addr)) {
		*why = "address bits beyond the prefix length must be zero";
		return -EINVAL;
	}
	*prefix = addr;
	*plen = len;
	return 0;
}

/* Do @a and @b lend a transport address twice to the same packets? */
bool nat64_pool4_range_overlaps(const struct nat64_pool4_range *a,
				const struct nat64_pool4_range *b)
{
	u32 first_a = ntohl(a->prefix), first_b = ntohl(b->prefix);
	u32 last_a = first_a + (range_addr_count(a) - 1);
	u32 last_b = first_b + (range_addr_count(b) - 1);

	return a->mark == b->mark && a->proto == b->proto &&
	       first_a <= last_b && first_b <= last_a &&
	       a->port_min <= b->port_max && b->port_min <= a->port_max;
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "pool4_test.c"
#include "det_map_test.c"
#endif
