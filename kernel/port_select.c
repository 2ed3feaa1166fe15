// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Choosing the pool4 transport address of a new BIB entry (RFC 6146
 * section 3.5.1.1; RFC 6056; RFC 6888 REQ-13 to REQ-15).
 *
 * The transport addresses for a (mark, protocol) pair form one sequence,
 * address after address (pool4.c). A keyed hash of the client (its IPv6
 * source) and of a step number picks an address of it: one order of
 * addresses per client, unknown to others (the keyed offset of RFC 6056
 * algorithms 3 and 4). Each bucket of clients remembers its step, so a
 * client's mappings stay on one address while it has free ports there,
 * and go on to the next of its order when that one is full: "paired"
 * pooling (RFC 4787 REQ-2) with no per-client state.
 *
 * Within the address each try is a port drawn at random among those of
 * the source port's parity (RFC 4787 REQ-4): RFC 6056 algorithm 5's
 * random increment with N as large as the address, so one mapping tells
 * an observer nothing of the next but the address, which pairing makes
 * public anyway. (A smaller N spaces out reuse; here a port in use is
 * never chosen, and reuse is the BIB's business.)
 *
 * The work is bounded: at most NAT64_PORT_SELECT_MAX_TRIES tries, fewer
 * if max_iterations says so. A try is a lookup, or an address without a
 * port of the wanted parity. A quarter of the tries go to the client's
 * address, then two to each next one of its order; a quarter are kept
 * back for a last round on ports of the other parity. A pool no larger
 * than the bound is searched whole instead, so it is exhausted only when
 * full. Every loop spends tries or walks that small pool: none runs
 * longer however the packets come.
 */

#include <linux/in.h>
#include <linux/random.h>

#include "bib.h"
#include "port_select.h"

/*
 * Tries at each address a client moves to. Spread thin: where clients
 * keep to their addresses, a nearly full pool is nearly full addresses,
 * and sampling many finds the free ports fastest.
 */
#define MOVE_TRIES 2

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
struct port_select_fake;
static bool port_select_fake_in_use(struct port_select_fake *fake, u8 proto,
				    const struct nat64_taddr4 *taddr);
#endif

struct search {
	struct nat64_port_select *ps;
	struct nat64_bib *bib;
	const struct nat64_pool4 *pool;
	const struct nat64_flow6 *flow;
#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
	struct port_select_fake *fake;	/* KUnit: what is in use, not @bib */
#endif
	u64 hash;		/* of the client, keyed */
	u64 size;		/* of the sequence */
	u32 step;		/* of the client's bucket */
	int parity;		/* of the source port; -1: none wanted */
	u32 tries;		/* left */
};

void nat64_port_select_init(struct nat64_port_select *ps)
{
	get_random_bytes(&ps->secret, sizeof(ps->secret));
	memset(ps->step, 0, sizeof(ps->step));
}

static bool taddr_in_use(const struct search *s,
			 const struct nat64_taddr4 *taddr)
{
#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
	if (s->fake)
		return port_select_fake_in_use(s->fake, s->flow->proto, taddr);
#endif
	return nat64_bib_find4(s->bib, s->flow->proto, taddr->addr,
			       taddr->port);
}

/*
 * The address of the @index-th transport address: @slot->taddr is its
 * lowest port, the @slot->first-th of the sequence.
 */
static bool locate_address(const struct search *s, u64 index,
			   struct nat64_pool4_slot *slot)
{
	if (!nat64_pool4_locate(s->pool, s->flow->mark, s->flow->proto, index,
				slot))
		return false;
	slot->taddr.port -= index - slot->first;
	return true;
}

/* The address at @step of the client's order. */
static bool client_address(const struct search *s, u32 step,
			   struct nat64_pool4_slot *slot)
{
	u64 index;

	div64_u64_rem(siphash_2u64(s->hash, step, &s->ps->secret), s->size,
		      &index);
	return locate_address(s, index, slot);
}

/*
 * Up to @n tries at random ports of @slot's address, of the wanted
 * parity; no more than it has of them, as more would only repeat.
 */
static bool try_address(struct search *s, const struct nat64_pool4_slot *slot,
			u32 n, struct nat64_taddr4 *taddr)
{
	struct nat64_taddr4 candidate = { .addr = slot->taddr.addr };
	u32 skip = 0, stride = 1, count = slot->ports;

	if (s->parity >= 0) {
		/* The offsets skip, skip + 2, ... have the wanted parity. */
		skip = (slot->taddr.port & 1) != s->parity;
		stride = 2;
		count = (slot->ports - skip + 1) / 2;
	}
	if (!count) {
		/* Of no use, and a try all the same: the walk must end. */
		s->tries -= !!s->tries;
		return false;
	}
	for (n = min(n, count); n && s->tries; n--) {
		s->tries--;
		candidate.port = slot->taddr.port + skip +
				 stride * get_random_u32_below(count);
		if (!taddr_in_use(s, &candidate)) {
			*taddr = candidate;
			return true;
		}
	}
	return false;
}

/*
 * @n tries: a quarter at the client's address, then a few at each next
 * one of its order. @moves: how many steps on the result is.
 *
 * A quarter (24 of 96): the client leaves its address once that many
 * fail, one new mapping in 12 when it is 90% full (0.9^24), so it leaves
 * at about 90%. More tries would keep it there longer, and the nearly
 * full addresses that makes would cost their clients more lookups.
 */
static bool walk(struct search *s, u32 n, u32 *moves,
		 struct nat64_taddr4 *taddr)
{
	u32 end = s->tries - min(n, s->tries);
	struct nat64_pool4_slot slot;
	u32 move;

	*moves = 0;
	if (!client_address(s, s->step, &slot))
		return false;
	if (try_address(s, &slot, DIV_ROUND_UP(n, 4), taddr))
		return true;
	/* Each round spends a try, even at an address of no use. */
	for (move = 1; s->tries > end; move++) {
		if (!client_address(s, s->step + move, &slot))
			return false;
		if (try_address(s, &slot, min_t(u32, MOVE_TRIES,
						s->tries - end), taddr)) {
			*moves = move;
			return true;
		}
	}
	return false;
}

static bool search_large(struct search *s, u32 *step,
			 struct nat64_taddr4 *taddr)
{
	u32 moves, keep = s->parity < 0 ? 0 : s->tries / 4;
	bool found;

	found = walk(s, s->tries - keep, &moves, taddr);
	if (!found && s->tries) {
		/* The wanted parity is full where the client goes. */
		s->parity = !s->parity;
		found = walk(s, s->tries, &moves, taddr);
	}
	/* The bucket's next mappings go where this one found room. */
	if (found && moves)
		WRITE_ONCE(*step, s->step + moves);
	return found;
}

/*
 * Every port of @slot's address once, of parity @parity (-1: any), from
 * @rotation on.
 */
static bool sweep_address(const struct search *s,
			  const struct nat64_pool4_slot *slot, u32 rotation,
			  int parity, struct nat64_taddr4 *taddr)
{
	struct nat64_taddr4 candidate = { .addr = slot->taddr.addr };
	u32 i, offset = rotation % slot->ports;

	for (i = 0; i < slot->ports; i++) {
		candidate.port = slot->taddr.port + offset;
		if (++offset == slot->ports)
			offset = 0;
		if ((parity < 0 || (candidate.port & 1) == parity) &&
		    !taddr_in_use(s, &candidate)) {
			*taddr = candidate;
			return true;
		}
	}
	return false;
}

/*
 * Every port of every address once, of parity @parity (-1: any), from the
 * address whose first port is the @home-th on, round the sequence; within
 * each address from @rotation on.
 */
static bool sweep(const struct search *s, u64 home, u32 rotation,
		  int parity, struct nat64_taddr4 *taddr)
{
	struct nat64_pool4_slot slot;
	u64 index = home, done;

	for (done = 0; done < s->size; done += slot.ports) {
		if (!locate_address(s, index, &slot))
			return false;
		if (sweep_address(s, &slot, rotation, parity, taddr))
			return true;
		index = slot.first + slot.ports;
		if (index >= s->size)
			index = 0;
	}
	return false;
}

/* At most s->tries transport addresses: each is looked up once. */
static bool search_small(const struct search *s, struct nat64_taddr4 *taddr)
{
	u32 rotation = get_random_u32();
	struct nat64_pool4_slot home;

	if (!client_address(s, s->step, &home))
		return false;
	if (s->parity < 0)
		return sweep(s, home.first, rotation, -1, taddr);
	/* The other parity only once the wanted one is all taken. */
	return sweep(s, home.first, rotation, s->parity, taddr) ||
	       sweep(s, home.first, rotation, !s->parity, taddr);
}

/* @s: its bib (or fake), pool and flow set; the rest is filled in. */
static bool port_select(struct search *s, u32 max_iterations,
			struct nat64_taddr4 *taddr)
{
	const struct nat64_flow6 *flow = s->flow;
	u32 *step;

	s->tries = min_t(u32, max_iterations, NAT64_PORT_SELECT_MAX_TRIES);
	s->size = nat64_pool4_size(s->pool, flow->mark, flow->proto);
	if (!s->size)
		return false;
	s->hash = siphash(&flow->src, sizeof(flow->src), &s->ps->secret);
	step = &s->ps->step[(u32)s->hash % NAT64_PORT_SELECT_BUCKETS];
	s->step = READ_ONCE(*step);
	s->parity = flow->proto == IPPROTO_ICMP ? -1 : flow->src_port & 1;
	if (s->size <= s->tries)
		return search_small(s, taddr);
	return search_large(s, step, taddr);
}

/**
 * nat64_port_select() - pick a free pool4 transport address for @flow
 * @bib: the BIB, whose by4 table says what is in use
 * @pool: the pool4 snapshot
 * @flow: the new flow: its mark, protocol and IPv6 source
 * @max_iterations: most transport addresses to try; the search never
 *	tries more than NAT64_PORT_SELECT_MAX_TRIES
 * @taddr: the result, written only on success
 *
 * Context: under the BIB lock and rcu_read_lock().
 * Return: false if none was found: the pool is full, or nearly.
 */
bool nat64_port_select(struct nat64_bib *bib, const struct nat64_pool4 *pool,
		       const struct nat64_flow6 *flow, u32 max_iterations,
		       struct nat64_taddr4 *taddr)
{
	struct search s = {
		.ps = &bib->select,
		.bib = bib,
		.pool = pool,
		.flow = flow,
	};

	return port_select(&s, max_iterations, taddr);
}

/*
 * Up to @n tries (and s->tries) at random ports of parity @parity (-1:
 * any) in [@first, @last] of @addr.
 */
static bool range_random(struct search *s, __be32 addr, u16 first, u16 last,
			 int parity, u32 n, struct nat64_taddr4 *taddr)
{
	struct nat64_taddr4 candidate = { .addr = addr };
	u32 skip = 0, stride = 1, count = last - first + 1;

	if (parity >= 0) {
		skip = (first & 1) != parity;
		stride = 2;
		count = (count - skip + 1) / 2;
	}
	if (!count)
		return false;	/* one port, of the other parity */
	for (; n && s->tries; n--) {
		s->tries--;
		candidate.port = first + skip + stride * get_random_u32_below(count);
		if (!taddr_in_use(s, &candidate)) {
			*taddr = candidate;
			return true;
		}
	}
	return false;
}

/*
 * Every port of [@first, @last] once, from a random one on: those of
 * s->parity first, then the others. The caller makes sure the range is
 * no longer than the tries it may spend.
 */
static bool range_sweep(const struct search *s, __be32 addr, u16 first,
			u16 last, struct nat64_taddr4 *taddr)
{
	struct nat64_taddr4 candidate = { .addr = addr };
	u32 count = last - first + 1, start, i;
	int round;

	start = get_random_u32_below(count);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < count; i++) {
			candidate.port = first + (start + i) % count;
			/* Round 0 the wanted parity, round 1 the rest. */
			if (s->parity >= 0 &&
			    ((candidate.port & 1) == s->parity) == round)
				continue;
			if (s->parity < 0 && round)
				return false;
			if (!taddr_in_use(s, &candidate)) {
				*taddr = candidate;
				return true;
			}
		}
	}
	return false;
}

/*
 * @s: its bib (or fake) and flow set. A range no longer than the tries
 * is swept whole; a longer one gets three quarters of them at random
 * ports of the flow's parity, and the rest at ports of the other one.
 */
static bool port_select_range(struct search *s, __be32 addr, u16 first,
			      u16 last, u32 max_iterations,
			      struct nat64_taddr4 *taddr)
{
	u32 keep;

	if (first > last)
		return false;
	s->tries = min_t(u32, max_iterations, NAT64_PORT_SELECT_MAX_TRIES);
	s->parity = s->flow->proto == IPPROTO_ICMP ? -1 : s->flow->src_port & 1;
	if ((u32)last - first + 1 <= s->tries)
		return range_sweep(s, addr, first, last, taddr);
	if (s->parity < 0)
		return range_random(s, addr, first, last, -1, s->tries, taddr);
	keep = s->tries / 4;
	return range_random(s, addr, first, last, s->parity, s->tries - keep,
			    taddr) ||
	       range_random(s, addr, first, last, !s->parity, s->tries, taddr);
}

/**
 * nat64_port_select_range() - pick a free port of @addr in [@first, @last]
 * @bib: the BIB, whose by4 table says what is in use
 * @flow: the new flow: its protocol and source port (whose parity is
 *	preferred, RFC 4787 REQ-4; ICMP identifiers have none)
 * @addr: the pool4 address
 * @first: the lowest port it may have
 * @last: and the highest
 * @max_iterations: most ports to look up; never more than
 *	NAT64_PORT_SELECT_MAX_TRIES
 * @taddr: the result, written only on success
 *
 * A range no longer than the tries is searched whole, so it fails only
 * when full; a longer one is sampled at random, so it fails when nearly
 * full. Port blocks (port_block.c) and deterministic mapping pick their
 * ports with this.
 *
 * Context: under the BIB lock and rcu_read_lock().
 * Return: false if none was found.
 */
bool nat64_port_select_range(struct nat64_bib *bib,
			     const struct nat64_flow6 *flow, __be32 addr,
			     u16 first, u16 last, u32 max_iterations,
			     struct nat64_taddr4 *taddr)
{
	struct search s = {
		.ps = &bib->select,
		.bib = bib,
		.flow = flow,
	};

	return port_select_range(&s, addr, first, last, max_iterations, taddr);
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "port_select_test.c"
#endif
