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
 * passed it once; per packet, the route's type is checked instead.
 */

#include <linux/in.h>
#include <linux/rtnetlink.h>
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

/**
 * nat64_scope_forbidden4() - may @addr not be the IPv4 end of a session?
 * @net: the translator's namespace
 * @pool: its pool4
 * @addr: the IPv4 remote: an IPv6 packet's embedded destination, an IPv4
 *        packet's source
 *
 * Context: under rcu_read_lock().
 */
bool nat64_scope_forbidden4(struct net *net, const struct nat64_pool4 *pool,
			    __be32 addr)
{
	return reserved(addr) || inet_addr_type(net, addr) != RTN_UNICAST ||
	       nat64_scope_is_pool4(pool, addr);
}
