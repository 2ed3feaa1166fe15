// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Choosing the pool4 transport address of a new BIB entry (RFC 6146
 * section 3.5.1.1, RFC 6056).
 *
 * The transport addresses for a (mark, protocol) pair form one sequence,
 * address after address (pool4.c). A keyed hash of the IPv6 source picks
 * where a client starts; each bucket of clients remembers where, relative
 * to that start, its last mapping went, and the next search goes on from
 * the port after it, round the same IPv4 address. So a client fills one
 * address before it uses another: "paired" pooling (RFC 4787 REQ-2),
 * with no per-client state.
 *
 * Clients meet on an address. Crawling through another client's run of
 * ports one at a time costs a lookup per port, and once the run is longer
 * than the search bound, reports exhaustion with the pool mostly free
 * (an earlier version did). So the crawl is short; then random ports of
 * the same address are tried, then random ports of the client's other
 * addresses, in an order the hash gives each client: short of a full pool
 * a few tries find a free one, and a client that must move keeps to few
 * addresses. Each step keeps the source port's parity (RFC 4787 REQ-4)
 * while that is possible; the last gives it up. A pool no larger than the
 * bound is searched one by one, so a small pool is exhausted only when
 * full.
 */

#include <linux/in.h>
#include <linux/random.h>

#include "bib.h"
#include "port_select.h"

/*
 * Lookups spent after the last mapping, then on random ports of its
 * address, then on each other address: few, as most addresses met there may be full.
 */
#define CRAWL_TRIES 32
#define SAME_ADDR_TRIES 32
#define OTHER_ADDR_TRIES 4

struct search {
	struct nat64_bib *bib;
	const struct nat64_pool4 *pool;
	const struct nat64_flow6 *flow;
	u64 hash;		/* of the client */
	u64 size;
	int parity;		/* of the source port; -1: none wanted */
	u32 budget;		/* lookups left */
	u64 found;		/* index of the result */
};

void nat64_port_select_init(struct nat64_port_select *ps)
{
	get_random_bytes(&ps->secret, sizeof(ps->secret));
	memset(ps->resume, 0, sizeof(ps->resume));
}

/*
 * Is the @index-th transport address free, and of the wanted parity?
 * Costs one lookup, if the parity is right.
 */
static bool try_index(struct search *s, u64 index, struct nat64_taddr4 *taddr)
{
	struct nat64_pool4_slot slot;

	if (!nat64_pool4_locate(s->pool, s->flow->mark, s->flow->proto, index,
				&slot))
		return false;
	if (s->parity >= 0 && (slot.taddr.port & 1) != s->parity)
		return false;
	s->budget--;
	if (nat64_bib_find4(s->bib, s->flow->proto, slot.taddr.addr,
			    slot.taddr.port))
		return false;
	*taddr = slot.taddr;
	s->found = index;
	return true;
}

/* Every index from @start on, round the sequence: a small pool's search. */
static bool crawl_all(struct search *s, u64 start, struct nat64_taddr4 *taddr)
{
	u64 step, index = start;

	for (step = 0; step < s->size && s->budget; step++) {
		if (try_index(s, index, taddr))
			return true;
		if (++index == s->size)
			index = 0;
	}
	return false;
}

/*
 * The ports of @last's address after it, round to it; @lookups of them.
 * A client's mappings fill its address before they leave it.
 */
static bool crawl_address(struct search *s, u64 last, u32 lookups,
			  struct nat64_taddr4 *taddr)
{
	u32 budget_left = s->budget > lookups ? s->budget - lookups : 0;
	struct nat64_pool4_slot slot;
	u32 offset, step;

	if (!nat64_pool4_locate(s->pool, s->flow->mark, s->flow->proto, last,
				&slot))
		return false;
	offset = last - slot.first;
	for (step = 1; step <= slot.ports && s->budget > budget_left; step++)
		if (try_index(s, slot.first + (offset + step) % slot.ports,
			      taddr))
			return true;
	return false;
}

/*
 * A random index among the ports of @index's address; with the wanted
 * parity if the address has ports of both.
 */
static bool random_port_of(const struct search *s, u64 index, u64 *result)
{
	struct nat64_pool4_slot slot;
	u32 offset;

	if (!nat64_pool4_locate(s->pool, s->flow->mark, s->flow->proto, index,
				&slot))
		return false;
	offset = get_random_u32() % slot.ports;
	if (s->parity >= 0 &&
	    ((slot.taddr.port - (index - slot.first) + offset) & 1) !=
	    s->parity) {
		if (slot.ports < 2)
			return false;
		offset ^= 1;
		if (offset >= slot.ports)
			offset -= 2;
	}
	*result = slot.first + offset;
	return true;
}

/* Random ports of @index's address, @tries of them. */
static bool same_address(struct search *s, u64 index, u32 tries,
			 struct nat64_taddr4 *taddr)
{
	u64 candidate;

	while (tries-- && s->budget)
		if (random_port_of(s, index, &candidate) &&
		    try_index(s, candidate, taddr))
			return true;
	return false;
}

/*
 * The client's other addresses, in an order of its own: random ports of
 * each, @tries per address, until @budget_left lookups are left. A
 * client that must leave an address goes where it went before.
 */
static bool elsewhere(struct search *s, u32 tries, u32 budget_left,
		      struct nat64_taddr4 *taddr)
{
	u64 index, k, rounds = s->budget;

	/* Bounded apart from the budget: one-port addresses may cost none. */
	for (k = 1; k <= rounds && s->budget > budget_left; k++) {
		div64_u64_rem(siphash_2u64(s->hash, k, &s->bib->select.secret),
			      s->size, &index);
		if (same_address(s, index, min(tries, s->budget - budget_left),
				 taddr))
			return true;
	}
	return false;
}

static bool search_large(struct search *s, u64 last,
			 struct nat64_taddr4 *taddr)
{
	if (crawl_address(s, last, CRAWL_TRIES, taddr) ||
	    same_address(s, last, SAME_ADDR_TRIES, taddr) ||
	    elsewhere(s, OTHER_ADDR_TRIES, s->budget / 2, taddr))
		return true;
	s->parity = -1;
	return elsewhere(s, OTHER_ADDR_TRIES, 0, taddr);
}

static bool search_small(struct search *s, u64 start,
			 struct nat64_taddr4 *taddr)
{
	int parity = s->parity;

	if (crawl_all(s, start, taddr))
		return true;
	if (parity < 0)
		return false;
	s->parity = -1;
	s->budget = s->size;
	return crawl_all(s, start, taddr);
}

/**
 * nat64_port_select() - pick a free pool4 transport address for @flow
 * @bib: the BIB, whose by4 table says what is in use
 * @pool: the pool4 snapshot
 * @flow: the new flow: its mark, protocol and IPv6 source
 * @max_iterations: most transport addresses to look up
 * @taddr: the result
 *
 * Context: under the BIB lock and rcu_read_lock().
 * Return: false if none was found: the pool is full, or nearly.
 */
bool nat64_port_select(struct nat64_bib *bib, const struct nat64_pool4 *pool,
		       const struct nat64_flow6 *flow, u32 max_iterations,
		       struct nat64_taddr4 *taddr)
{
	struct nat64_port_select *ps = &bib->select;
	struct search s = {
		.bib = bib,
		.pool = pool,
		.flow = flow,
		.parity = flow->proto == IPPROTO_ICMP ? -1 : flow->src_port & 1,
	};
	u64 hash_index, *resume, last;
	bool found;

	s.size = nat64_pool4_size(pool, flow->mark, flow->proto);
	if (!s.size)
		return false;
	s.hash = siphash(&flow->src, sizeof(flow->src), &ps->secret);
	resume = &ps->resume[s.hash % NAT64_PORT_SELECT_SLOTS];
	div64_u64_rem(s.hash, s.size, &hash_index);
	/* Where the bucket's last search ended; the pool may have shrunk. */
	div64_u64_rem(*resume, s.size, &last);
	last += hash_index;
	if (last >= s.size)
		last -= s.size;

	if (s.size <= max_iterations) {
		s.budget = s.size;
		found = search_small(&s, last + 1 < s.size ? last + 1 : 0,
				     taddr);
	} else {
		s.budget = max_iterations;
		found = search_large(&s, last, taddr);
	}
	/* The bucket's next search starts after this one's result. */
	if (found)
		*resume = s.found >= hash_index ? s.found - hash_index :
			  s.found + s.size - hash_index;
	return found;
}
