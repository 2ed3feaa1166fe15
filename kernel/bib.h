/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_BIB_H
#define _NAT64_BIB_H

#include <linux/in6.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "pool4.h"
#include "port_block.h"
#include "port_select.h"
#include "reaper.h"
#include "settings.h"
#include "stats.h"
#include "subscriber.h"

struct nat64_instance;

/* Keys are hashed as raw bytes: every padding byte must stay zero. */
struct nat64_bib_key6 {
	struct in6_addr addr;
	u16 port;
	u8 proto;
	u8 pad;
};

struct nat64_bib_key4 {
	__be32 addr;
	u16 port;
	u8 proto;
	u8 pad;
};

/*
 * What RFC 6146 calls a session: a BIB entry and the IPv4 remote it
 * talks to, hashed (when it is in the session table) by the whole key.
 */
struct nat64_session_key {
	const struct nat64_bib_entry *bib;
	__be32 addr;
	u16 port;
	u16 pad;
};

/*
 * The deadline is 32-bit jiffies, as conntrack's: a timeout is at most
 * NAT64_MAX_TIMEOUT (a week), far inside the 2^31 jiffies a comparison
 * spans, and the 4 bytes saved make an entry with its first session 80
 * bytes.
 */
struct nat64_session {
	struct nat64_session_key key;
	u32 expires;			/* jiffies32; written without a lock */
	u32 tcp_state;			/* enum nat64_tcp_state, cmpxchg */
};

static inline u32 nat64_session_deadline(unsigned long timeout)
{
	return (u32)jiffies + (u32)timeout;
}

/* Jiffies until @s expires, 0 if it has. */
static inline unsigned long nat64_session_left(const struct nat64_session *s)
{
	s32 left = (s32)(READ_ONCE(s->expires) - (u32)jiffies);

	return left > 0 ? left : 0;
}

/* Where an entry's first session stands; it never comes back. */
enum nat64_first_state {
	NAT64_FIRST_NONE,		/* a static entry's: never had one */
	NAT64_FIRST_LIVE,
	NAT64_FIRST_GONE,
};

/*
 * A BIB entry binds an IPv6 transport address to a pool4 transport
 * address (RFC 6146 section 3.1). It lives as long as it has sessions,
 * or forever if static.
 *
 * Most entries only ever have the session they were made for: it lives
 * inside the entry, so that a new flow costs one allocation and two
 * hash inserts, and finding the entry finds its session. Once that
 * session goes the slot stays empty (a reader may still hold it), and
 * sessions made later, like those of static entries, are separate
 * objects in the session table.
 */
struct nat64_bib_entry {
	struct rhash_head node6;
	struct rhash_head node4;
	struct nat64_bib_key6 key6;
	struct nat64_bib_key4 key4;
	unsigned int sessions;		/* under nat64_bib.lock */
	u32 id;				/* in nat64_tables.bib_ids */
	bool is_static;
	/*
	 * The prefix length of the subscriber record this entry counts in,
	 * NAT64_SUB_NONE if none (static entries): subscriber_prefix_len
	 * may change before the entry goes. A byte of padding, where a
	 * pointer would make every entry 8 bytes bigger.
	 */
	u8 sub_plen;
	u8 first_state;			/* enum nat64_first_state */
	struct nat64_session first;
};

/*
 * A session other than its entry's first, in the session table.
 * Address-dependent filtering asks whether an entry talks to an address
 * at all, on any port: the first session, or the peers table, answers
 * that. The table holds one further session of each (entry, address),
 * the group's leader; the others hang off the leader's list, which only
 * the lock's holder walks.
 */
struct nat64_session_node {
	struct nat64_session s;		/* first: the id xarray holds &s */
	u32 id;				/* in nat64_tables.session_ids */
	struct rhash_head node;		/* in nat64_tables.sessions */
	struct rhash_head peer_node;	/* in nat64_tables.peers, if leader */
	struct list_head peers;		/* same (bib, addr); under the lock */
};

/*
 * Under rcu_read_lock(): @bibe's first session, if it is still there.
 * Sessions change where their entries do not (the deadline, the TCP
 * state), so the session is writable through an entry that is not.
 */
static inline struct nat64_session *
nat64_bib_first_session(const struct nat64_bib_entry *bibe)
{
	return READ_ONCE(bibe->first_state) == NAT64_FIRST_LIVE ?
	       (struct nat64_session *)&bibe->first : NULL;
}

/*
 * The tables a flush replaces whole: swapping in empty ones costs one
 * pointer store, and the old ones are freed in one pass, not unlinked
 * entry by entry. Every entry and further session also has an id (a
 * first session is found through its entry's), handed out
 * cyclically and kept for life, so that a dump resumes in order: what it
 * has not reached yet it shows once. What arrives meanwhile usually comes
 * after its cursor, and is shown; after 2^32 creations, ids start again
 * from the lowest free one, and a newcomer may land behind it instead.
 * A session dump walks the entries' ids (their first sessions), then the
 * further sessions' ids: a mapping made once it has moved to the second
 * part is not shown (a dump is no snapshot).
 */
struct nat64_tables {
	struct rhashtable by6;
	struct rhashtable by4;
	struct rhashtable sessions;
	struct rhashtable peers;
	struct rhashtable subscribers;	/* under nat64_bib.lock */
	struct nat64_port_blocks blocks;	/* under nat64_bib.lock */
	struct xarray bib_ids;		/* static entries carry STATIC_MARK */
	struct xarray session_ids;
	unsigned int bib_count;		/* under nat64_bib.lock */
	unsigned int session_count;	/* under nat64_bib.lock */
	refcount_t users;		/* the BIB, and debugfs readers */
	struct rcu_work free_work;	/* a flush's put, after readers */
};

/*
 * Established flows are found with one lock-free RCU lookup, of the BIB
 * entry holding the session (two for a further session). @lock only
 * serialises creation and removal, and the replacement of pool4, so that
 * no mapping is made from a pool a purge has already swept.
 */
struct nat64_bib {
	struct nat64_tables __rcu *tables;	/* changes under both locks */
	spinlock_t lock;		/* creation and removal */
	/*
	 * Serialises what walks the tables or replaces them (sweeps and
	 * flush) and changes to static entries, which a flush copies.
	 */
	struct mutex mutex;
	bool purging;			/* a pool4 change sweeps; @lock */
	u32 bib_next;			/* next ids; under @lock */
	u32 session_next;
	struct nat64_port_select select;	/* under @lock */
	/* Removed entries wait here for RCU readers; under @lock. */
	struct nat64_reaper bib_reaper;
	struct nat64_reaper session_reaper;
	struct nat64_reaper subscriber_reaper;
	struct delayed_work gc_work;
	unsigned long gc_last;		/* jiffies of the last sweep */
};

/* What a new session needs to know about the packet that creates it. */
struct nat64_flow6 {
	u8 proto;
	u32 mark;
	struct in6_addr src;
	u16 src_port;
	__be32 dst;
	u16 dst_port;
};

/* The current tables: under rcu_read_lock(), or either lock of @bib. */
static inline struct nat64_tables *nat64_tables(struct nat64_bib *bib)
{
	return rcu_dereference_check(bib->tables,
				     lockdep_is_held(&bib->lock) ||
				     lockdep_is_held(&bib->mutex));
}

int nat64_bib_cache_init(void);
void nat64_bib_cache_exit(void);
int nat64_bib_init(struct nat64_bib *bib);
void nat64_bib_destroy(struct nat64_bib *bib);
void nat64_bib_start_gc(struct nat64_bib *bib);
void nat64_bib_stop_gc(struct nat64_bib *bib);

struct nat64_session *nat64_session_find6(struct nat64_bib *bib,
					  const struct nat64_flow6 *flow);
struct nat64_bib_entry *nat64_bib_find4(struct nat64_bib *bib, u8 proto,
					__be32 addr, u16 port);
struct nat64_session *nat64_session_find4(struct nat64_bib *bib,
					  const struct nat64_bib_entry *bibe,
					  __be32 remote, u16 remote_port);
struct nat64_session *nat64_session_create6(struct nat64_instance *inst,
					    const struct nat64_flow6 *flow,
					    unsigned long timeout,
					    enum nat64_stat *why);
struct nat64_session *nat64_session_create4(struct nat64_instance *inst,
					    struct nat64_bib_entry *bibe,
					    __be32 remote, u16 remote_port,
					    unsigned long timeout,
					    enum nat64_stat *why);
bool nat64_session_peer_known(struct nat64_bib *bib,
			      const struct nat64_bib_entry *bibe, __be32 remote);
void nat64_session_touch(struct nat64_session *session,
			 unsigned long timeout);
int nat64_bib_add_static(struct nat64_instance *inst,
			 const struct nat64_bib_key6 *key6,
			 const struct nat64_bib_key4 *key4, const char **why);
int nat64_bib_del_static(struct nat64_instance *inst,
			 const struct nat64_bib_key6 *key6,
			 const struct nat64_bib_key4 *key4);
int nat64_bib_flush(struct nat64_instance *inst);
struct nat64_tables *nat64_tables_get(struct nat64_bib *bib);
void nat64_bib_counts(struct nat64_bib *bib, unsigned int *entries,
		      unsigned int *sessions);
void nat64_tables_put(struct nat64_tables *tables);
struct nat64_pool4 *nat64_bib_replace_pool4(struct nat64_instance *inst,
					    struct nat64_pool4 *pool,
					    bool purge);

#endif /* _NAT64_BIB_H */
