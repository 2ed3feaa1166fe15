// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Which IPv4 addresses the translator refuses to talk to on anyone's
 * behalf. Translating to or from them would let an IPv6 client reach the
 * translator's own services and loopback, or flood a broadcast domain, and
 * an IPv4 host impersonate the translator itself: 0.0.0.0/8, 127.0.0.0/8,
 * 169.254.0.0/16 (link-local: not routed), 224.0.0.0/4 (multicast, which
 * stateful NAT64 does not translate), 240.0.0.0/4 (reserved) and the
 * broadcast addresses; and what the namespace's own routes call local or
 * broadcast, as the forwarding path would. pool4 addresses are the
 * translator's own too: they are reached by hairpinning, never as a
 * remote.
 *
 * This costs a lookup in the local routing table, so it is asked only
 * when a session is made, and for ICMP errors: a session's remote address
 * passed it once; per packet, the route's type is checked instead. New
 * sessions mostly go to few remotes (resolvers, popular servers), so
 * each CPU remembers the last remotes the table called unicast, with the
 * namespace's route generation of the time: any change to its routes,
 * local ones included, moves that on (rt_cache_flush(), which is how the
 * kernel's own cached routes learn it), and the answer is asked again.
 * Only answers that allow are kept: a sender of forbidden addresses pays
 * the lookup every time, as it did before, and cannot evict anything but
 * other remotes' shortcuts.
 */

#include <linux/hash.h>
#include <linux/in.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/route.h>

#include "pool4.h"
#include "scope.h"

/* ipv4_is_zeronet() means 0.0.0.0 alone since Linux 5.3. */
static bool reserved(__be32 addr)
{
	return (addr & htonl(0xff000000)) == 0 || ipv4_is_loopback(addr) ||
	       ipv4_is_linklocal_169(addr) || ipv4_is_multicast(addr) ||
	       (addr & htonl(0xf0000000)) == htonl(0xf0000000);
}

/* Is @addr one of pool4's, for any protocol? Context: RCU, as for @pool. */
bool nat64_scope_is_pool4(const struct nat64_pool4 *pool, __be32 addr)
{
	return pool && (nat64_pool4_has_addr(pool, IPPROTO_TCP, addr) ||
			nat64_pool4_has_addr(pool, IPPROTO_UDP, addr) ||
			nat64_pool4_has_addr(pool, IPPROTO_ICMP, addr));
}

int nat64_scope_cache_init(struct nat64_scope_cache *cache)
{
	/* Zeroed: no remote is 0.0.0.0 (reserved), so no slot matches. */
	cache->cpu = alloc_percpu(struct nat64_scope_cpu);
	return cache->cpu ? 0 : -ENOMEM;
}

void nat64_scope_cache_destroy(struct nat64_scope_cache *cache)
{
	free_percpu(cache->cpu);
}

/*
 * Is @addr a unicast destination in @net's routes? From this CPU's slots
 * while the routes have not changed. Context: bottom halves off (the
 * hooks see to it, translate.c): no other user of this CPU's slots can
 * run meanwhile.
 */
static bool routes_unicast(struct net *net, struct nat64_scope_cache *cache,
			   __be32 addr)
{
	struct nat64_scope_slot *slot;
	/* Read before the lookup: a change during it is a change after. */
	int genid = rt_genid_ipv4(net);

	slot = &this_cpu_ptr(cache->cpu)->slots[hash_32((__force u32)addr,
						 NAT64_SCOPE_SLOTS_BITS)];
	if (slot->addr == addr && slot->genid == genid)
		return true;
	if (inet_addr_type(net, addr) != RTN_UNICAST)
		return false;
	slot->addr = addr;
	slot->genid = genid;
	return true;
}

/**
 * nat64_scope_forbidden4() - may @addr not be the IPv4 end of a session?
 * @net: the translator's namespace
 * @cache: its remotes known to be unicast
 * @pool: its pool4
 * @addr: the IPv4 remote: an IPv6 packet's embedded destination, an IPv4
 *        packet's source
 *
 * Context: bottom halves off, under rcu_read_lock().
 */
bool nat64_scope_forbidden4(struct net *net, struct nat64_scope_cache *cache,
			    const struct nat64_pool4 *pool, __be32 addr)
{
	return reserved(addr) || !routes_unicast(net, cache, addr) ||
	       nat64_scope_is_pool4(pool, addr);
}
