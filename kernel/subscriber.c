// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Subscribers and what they hold (RFC 6888 REQ-3 and REQ-4), so that one
 * subscriber cannot take every port or session from the others.
 *
 * A subscriber is an IPv6 source address masked to subscriber_prefix_len.
 * Its record counts its dynamic BIB entries (ports), per protocol, and
 * their sessions. Counting happens only where entries and sessions are
 * made and removed, under the table lock: a packet of an established flow
 * never looks at a record. The records live in the tables a flush
 * replaces, and go with them.
 */

#include <linux/rhashtable.h>
#include <net/ipv6.h>

#include "subscriber.h"

static struct kmem_cache *subscriber_cache;

static const struct rhashtable_params subscriber_params = {
	.head_offset = offsetof(struct nat64_subscriber, node),
	.key_offset = offsetof(struct nat64_subscriber, key),
	.key_len = sizeof(struct nat64_subscriber_key),
	.automatic_shrinking = true,
};

/* SLAB_ACCOUNT, as the BIB's caches: a record costs memory too. */
int nat64_subscriber_cache_init(void)
{
	subscriber_cache = KMEM_CACHE(nat64_subscriber, SLAB_ACCOUNT);
	return subscriber_cache ? 0 : -ENOMEM;
}

/* After rcu_barrier(): the reapers' batches are freed to this cache. */
void nat64_subscriber_cache_exit(void)
{
	kmem_cache_destroy(subscriber_cache);
}

void nat64_subscriber_reaper_init(struct nat64_reaper *reaper)
{
	nat64_reaper_init(reaper, subscriber_cache);
}

int nat64_subscribers_init(struct rhashtable *ht)
{
	return rhashtable_init(ht, &subscriber_params);
}

static void subscriber_free(void *ptr, void *arg)
{
	kmem_cache_free(subscriber_cache, ptr);
}

/* Context: process, when nothing can reach @ht any more. */
void nat64_subscribers_destroy(struct rhashtable *ht)
{
	rhashtable_free_and_destroy(ht, subscriber_free, NULL);
}

static void subscriber_key_init(struct nat64_subscriber_key *key,
				const struct in6_addr *addr, unsigned int plen)
{
	memset(key, 0, sizeof(*key));
	ipv6_addr_prefix(&key->prefix, addr, plen);
	key->plen = plen;
}

/* Under the table lock: @addr's subscriber at @plen, if it holds any. */
struct nat64_subscriber *nat64_subscriber_find(struct rhashtable *ht,
					       const struct in6_addr *addr,
					       unsigned int plen)
{
	struct nat64_subscriber_key key;

	subscriber_key_init(&key, addr, plen);
	return rhashtable_lookup_fast(ht, &key, subscriber_params);
}

/*
 * Under the table lock, which a packet holds: GFP_ATOMIC. A record holds
 * nothing yet; the caller counts an entry in it or forgets it.
 */
struct nat64_subscriber *nat64_subscriber_new(struct rhashtable *ht,
					      const struct in6_addr *addr,
					      unsigned int plen)
{
	struct nat64_subscriber *sub;

	sub = kmem_cache_zalloc(subscriber_cache, GFP_ATOMIC);
	if (!sub)
		return NULL;
	subscriber_key_init(&sub->key, addr, plen);
	INIT_LIST_HEAD(&sub->blocks);
	if (rhashtable_insert_fast(ht, &sub->node, subscriber_params)) {
		kmem_cache_free(subscriber_cache, sub);	/* never published */
		return NULL;
	}
	return sub;
}

static enum nat64_sub_proto sub_proto(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return NAT64_SUB_TCP;
	case IPPROTO_UDP:
		return NAT64_SUB_UDP;
	default:
		return NAT64_SUB_ICMP;	/* identifiers count as ports */
	}
}

/* @max 0 is no limit. */
bool nat64_subscriber_ports_full(const struct nat64_subscriber *sub, u8 proto,
				 unsigned int max)
{
	return max && sub->ports[sub_proto(proto)] >= max;
}

bool nat64_subscriber_sessions_full(const struct nat64_subscriber *sub,
				    unsigned int max)
{
	return max && sub->sessions >= max;
}

void nat64_subscriber_add_entry(struct nat64_subscriber *sub, u8 proto)
{
	sub->ports[sub_proto(proto)]++;
	sub->entries++;
}

/*
 * Under the table lock, with room reserved in @reaper: a record that
 * holds nothing goes, after readers of the hash table's chains. Its
 * port blocks, held for a while after their last mapping, keep it: the
 * subscriber finds them again if it comes back meanwhile.
 */
void nat64_subscriber_forget_unused(struct rhashtable *ht,
				    struct nat64_reaper *reaper,
				    struct nat64_subscriber *sub)
{
	if (sub->entries || !list_empty(&sub->blocks))
		return;
	rhashtable_remove_fast(ht, &sub->node, subscriber_params);
	nat64_reaper_defer(reaper, sub);
}

/* Under the table lock, with room reserved: an entry of @sub went. */
void nat64_subscriber_del_entry(struct rhashtable *ht,
				struct nat64_reaper *reaper,
				struct nat64_subscriber *sub, u8 proto)
{
	sub->ports[sub_proto(proto)]--;
	sub->entries--;
	nat64_subscriber_forget_unused(ht, reaper, sub);
}
