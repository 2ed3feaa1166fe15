// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The BIB and the session table (RFC 6146 section 3).
 *
 * Four rhashtables: BIB entries by IPv6 transport address and by IPv4
 * transport address, each holding its first session; further sessions
 * by (BIB entry, IPv4 remote transport address), and one further
 * session per (BIB entry, IPv4 remote address) for address-dependent
 * filtering. A new flow makes one object, in the first two tables. The
 * packet path of an established flow does one RCU lookup (two for a
 * further session) and one store; it takes no lock and allocates
 * nothing. Creating and removing entries happens under the table lock,
 * which records what changed in an event log that is emitted once the
 * lock is dropped. Sessions expire lazily: packets only move their
 * deadline forward, and a worker sweeps the table in batches. A flush
 * replaces the tables whole and frees the old ones after a grace period,
 * without waiting for it.
 */

#include <linux/jiffies.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "bib.h"
#include "instance.h"
#include "events.h"

/*
 * A sweep visits every session, so it runs no more often than the
 * shortest timeout needs: every eighth of it, 1 to 10 s apart. A session
 * outlives its timeout by at most that (RFC 6146 timeouts are lower
 * bounds). The worker wakes each second to see whether one is due, so
 * a shorter timeout set at run time applies within a second.
 */
#define GC_TICK HZ
#define GC_INTERVAL_MIN HZ
#define GC_INTERVAL_MAX (10 * HZ)
#define GC_BATCH 1024
#define SWEEP_CHUNK 16
/* Walks a one-off sweep (pool4 purge, static deletion) makes at most. */
#define SWEEP_PASSES_MAX 8
/* Objects a flush hands back to the slab at a time. */
#define FREE_BATCH 64
/* In nat64_tables.bib_ids; XA_MARK_0 tracks free ids. */
#define STATIC_MARK XA_MARK_1

static struct kmem_cache *bib_cache;
static struct kmem_cache *session_cache;

static const struct rhashtable_params by6_params = {
	.head_offset = offsetof(struct nat64_bib_entry, node6),
	.key_offset = offsetof(struct nat64_bib_entry, key6),
	.key_len = sizeof(struct nat64_bib_key6),
	.automatic_shrinking = true,
};

static const struct rhashtable_params by4_params = {
	.head_offset = offsetof(struct nat64_bib_entry, node4),
	.key_offset = offsetof(struct nat64_bib_entry, key4),
	.key_len = sizeof(struct nat64_bib_key4),
	.automatic_shrinking = true,
};

static const struct rhashtable_params session_params = {
	.head_offset = offsetof(struct nat64_session_node, node),
	.key_offset = offsetof(struct nat64_session_node, s.key),
	.key_len = sizeof(struct nat64_session_key),
	.automatic_shrinking = true,
};

/* Hashes (bib, addr), the key's leading part: one leader per group. */
static const struct rhashtable_params peer_params = {
	.head_offset = offsetof(struct nat64_session_node, peer_node),
	.key_offset = offsetof(struct nat64_session_node, s.key),
	.key_len = offsetof(struct nat64_session_key, port),
	.automatic_shrinking = true,
};

/* The session_ids xarray holds sessions, and frees them as nodes. */
static_assert(offsetof(struct nat64_session_node, s) == 0);

static struct nat64_session_node *session_node(struct nat64_session *s)
{
	return container_of(s, struct nat64_session_node, s);
}

static bool session_is_first(const struct nat64_session *s)
{
	return s == &s->key.bib->first;
}

/* Frees the tables a flush replaced: in process context, after readers. */
static struct workqueue_struct *tables_wq;

/*
 * SLAB_ACCOUNT: entries made by a configuration request (static ones, a
 * flush's copies) are charged to the requester's memory cgroup, and so
 * are those of packets handled in a task's context (written to a tun
 * device, sent locally) to that task's. Packets in softirq charge
 * nobody. Either way the caps bound what packets can make.
 */
int nat64_bib_cache_init(void)
{
	bib_cache = KMEM_CACHE(nat64_bib_entry, SLAB_ACCOUNT);
	if (!bib_cache)
		return -ENOMEM;
	session_cache = KMEM_CACHE(nat64_session_node, SLAB_ACCOUNT);
	if (!session_cache)
		goto err_session;
	if (nat64_subscriber_cache_init())
		goto err_subscriber;
	tables_wq = alloc_workqueue("nat64_tables", WQ_UNBOUND, 0);
	if (!tables_wq)
		goto err_wq;
	return 0;

err_wq:
	nat64_subscriber_cache_exit();
err_subscriber:
	kmem_cache_destroy(session_cache);
err_session:
	kmem_cache_destroy(bib_cache);
	return -ENOMEM;
}

void nat64_bib_cache_exit(void)
{
	/* Flushed tables: queued by an RCU callback, freed by the queue. */
	rcu_barrier();
	destroy_workqueue(tables_wq);
	rcu_barrier();	/* reapers' pending batches use the caches */
	nat64_subscriber_cache_exit();
	kmem_cache_destroy(session_cache);
	kmem_cache_destroy(bib_cache);
}

static void tables_put_work(struct work_struct *work);

/* Context: process. Empty tables, with one user. */
static struct nat64_tables *tables_new(void)
{
	struct nat64_tables *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	if (rhashtable_init(&t->by6, &by6_params))
		goto err_by6;
	if (rhashtable_init(&t->by4, &by4_params))
		goto err_by4;
	if (rhashtable_init(&t->sessions, &session_params))
		goto err_sessions;
	if (rhashtable_init(&t->peers, &peer_params))
		goto err_peers;
	if (nat64_subscribers_init(&t->subscribers))
		goto err_subscribers;
	if (nat64_port_blocks_init(&t->blocks))
		goto err_blocks;
	xa_init_flags(&t->bib_ids, XA_FLAGS_ALLOC);
	xa_init_flags(&t->session_ids, XA_FLAGS_ALLOC);
	refcount_set(&t->users, 1);
	INIT_RCU_WORK(&t->free_work, tables_put_work);
	return t;

err_blocks:
	nat64_subscribers_destroy(&t->subscribers);
err_subscribers:
	rhashtable_destroy(&t->peers);
err_peers:
	rhashtable_destroy(&t->sessions);
err_sessions:
	rhashtable_destroy(&t->by4);
err_by4:
	rhashtable_destroy(&t->by6);
err_by6:
	kfree(t);
	return NULL;
}

/*
 * Frees every object @xa points to, then @xa. Ids follow creation order,
 * and so, mostly, do addresses in the slab: this walks memory in order,
 * where a walk of a hash table jumps at random, a cache miss per entry.
 * Context: process, with nothing else using @xa.
 */
static void free_indexed(struct xarray *xa, struct kmem_cache *cache)
{
	XA_STATE(xas, xa, 0);
	void *objs[FREE_BATCH];
	unsigned int n = 0;
	void *obj;

	rcu_read_lock();	/* only for the walk's lockdep checks */
	xas_for_each(&xas, obj, ULONG_MAX) {
		objs[n++] = obj;
		if (n < FREE_BATCH)
			continue;
		xas_pause(&xas);
		rcu_read_unlock();
		kmem_cache_free_bulk(cache, n, objs);
		n = 0;
		cond_resched();
		rcu_read_lock();
	}
	rcu_read_unlock();
	if (n)
		kmem_cache_free_bulk(cache, n, objs);
	xa_destroy(xa);
}

/*
 * Frees the tables and everything in them; nothing is unlinked. Every
 * entry is in an id xarray as well as in the hash tables (both change
 * under bib->lock), so the xarrays say what to free. The hash tables go
 * first: destroying them stops their resize worker, which reads entries.
 * Subscriber records, one per many entries, are freed from their table.
 * Context: process, when no reader can reach the tables any more.
 */
static void tables_free(struct nat64_tables *t)
{
	nat64_port_blocks_destroy(&t->blocks);
	nat64_subscribers_destroy(&t->subscribers);
	rhashtable_destroy(&t->peers);
	rhashtable_destroy(&t->sessions);
	rhashtable_destroy(&t->by4);
	rhashtable_destroy(&t->by6);
	free_indexed(&t->session_ids, session_cache);
	free_indexed(&t->bib_ids, bib_cache);
	kfree(t);
}

/**
 * nat64_tables_get() - hold the current tables, for a long walk
 * @bib: the BIB
 *
 * A flush that replaces them meanwhile leaves them to the last user.
 * Context: process. Return: the tables; give them back with
 * nat64_tables_put().
 */
struct nat64_tables *nat64_tables_get(struct nat64_bib *bib)
{
	struct nat64_tables *t;

	rcu_read_lock();
	t = rcu_dereference(bib->tables);
	/* Never zero here: a flush puts the old tables after a grace period. */
	refcount_inc(&t->users);
	rcu_read_unlock();
	return t;
}

/* How many BIB entries and sessions the tables hold now. */
void nat64_bib_counts(struct nat64_bib *bib, unsigned int *entries,
		      unsigned int *sessions)
{
	struct nat64_tables *t;

	rcu_read_lock();
	t = rcu_dereference(bib->tables);
	*entries = READ_ONCE(t->bib_count);
	*sessions = READ_ONCE(t->session_count);
	rcu_read_unlock();
}

/* Context: process. */
void nat64_tables_put(struct nat64_tables *t)
{
	if (refcount_dec_and_test(&t->users))
		tables_free(t);
}

static void tables_put_work(struct work_struct *work)
{
	nat64_tables_put(container_of(to_rcu_work(work), struct nat64_tables,
				      free_work));
}

static void nat64_bib_gc_work(struct work_struct *work);

int nat64_bib_init(struct nat64_bib *bib)
{
	struct nat64_tables *t = tables_new();

	if (!t)
		return -ENOMEM;
	RCU_INIT_POINTER(bib->tables, t);
	spin_lock_init(&bib->lock);
	mutex_init(&bib->mutex);
	bib->bib_next = 0;
	bib->session_next = 0;
	bib->gc_last = jiffies;
	nat64_port_select_init(&bib->select);
	nat64_reaper_init(&bib->bib_reaper, bib_cache);
	nat64_reaper_init(&bib->session_reaper, session_cache);
	nat64_subscriber_reaper_init(&bib->subscriber_reaper);
	INIT_DELAYED_WORK(&bib->gc_work, nat64_bib_gc_work);
	return 0;
}

void nat64_bib_start_gc(struct nat64_bib *bib)
{
	queue_delayed_work(system_power_efficient_wq, &bib->gc_work, GC_TICK);
}

void nat64_bib_stop_gc(struct nat64_bib *bib)
{
	cancel_delayed_work_sync(&bib->gc_work);
}

/* The packet path and the worker are gone when this runs. */
void nat64_bib_destroy(struct nat64_bib *bib)
{
	nat64_tables_put(rcu_dereference_protected(bib->tables, true));
	nat64_reaper_destroy(&bib->session_reaper);
	nat64_reaper_destroy(&bib->bib_reaper);
	nat64_reaper_destroy(&bib->subscriber_reaper);
	mutex_destroy(&bib->mutex);
}

static void session_key_init(struct nat64_session_key *key,
			     const struct nat64_bib_entry *bibe,
			     __be32 remote, u16 remote_port)
{
	memset(key, 0, sizeof(*key));
	key->bib = bibe;
	key->addr = remote;
	key->port = remote_port;
}

static void bib_key6_init(struct nat64_bib_key6 *key, u8 proto,
			  const struct in6_addr *addr, u16 port)
{
	memset(key, 0, sizeof(*key));
	key->addr = *addr;
	key->port = port;
	key->proto = proto;
}

static void bib_key4_init(struct nat64_bib_key4 *key, u8 proto,
			  __be32 addr, u16 port)
{
	memset(key, 0, sizeof(*key));
	key->addr = addr;
	key->port = port;
	key->proto = proto;
}

static struct nat64_bib_entry *bib_find6(struct nat64_tables *t,
					 const struct nat64_flow6 *flow)
{
	struct nat64_bib_key6 key;

	bib_key6_init(&key, flow->proto, &flow->src, flow->src_port);
	return rhashtable_lookup(&t->by6, &key, by6_params);
}

/* Under rcu_read_lock(). */
struct nat64_bib_entry *nat64_bib_find4(struct nat64_bib *bib, u8 proto,
					__be32 addr, u16 port)
{
	struct nat64_bib_key4 key;

	bib_key4_init(&key, proto, addr, port);
	return rhashtable_lookup(&nat64_tables(bib)->by4, &key, by4_params);
}

/*
 * Under rcu_read_lock(), or the lock: the leader of the further sessions
 * of (@bibe, @remote).
 */
static struct nat64_session_node *session_leader(struct nat64_tables *t,
						 const struct nat64_bib_entry *bibe,
						 __be32 remote)
{
	struct nat64_session_key key;

	session_key_init(&key, bibe, remote, 0);
	return rhashtable_lookup(&t->peers, &key, peer_params);
}

/* Under rcu_read_lock(), or the lock. */
static struct nat64_session *session_find(struct nat64_tables *t,
					  const struct nat64_bib_entry *bibe,
					  __be32 remote, u16 remote_port)
{
	struct nat64_session *first = nat64_bib_first_session(bibe);
	struct nat64_session_node *node;
	struct nat64_session_key key;

	/* The common case: the entry's only session, in the entry. */
	if (first && first->key.addr == remote && first->key.port == remote_port)
		return first;
	session_key_init(&key, bibe, remote, remote_port);
	node = rhashtable_lookup(&t->sessions, &key, session_params);
	return node ? &node->s : NULL;
}

/**
 * nat64_session_peer_known() - does @bibe talk to @remote, on any port?
 * @bib: the tables
 * @bibe: the BIB entry
 * @remote: an IPv4 address
 *
 * Address-dependent filtering (RFC 4787) lets in only what this says.
 * Context: under rcu_read_lock().
 */
bool nat64_session_peer_known(struct nat64_bib *bib,
			      const struct nat64_bib_entry *bibe, __be32 remote)
{
	struct nat64_session *first = nat64_bib_first_session(bibe);

	return (first && first->key.addr == remote) ||
	       session_leader(nat64_tables(bib), bibe, remote);
}

/* Under rcu_read_lock(). */
struct nat64_session *nat64_session_find6(struct nat64_bib *bib,
					  const struct nat64_flow6 *flow)
{
	struct nat64_tables *t = nat64_tables(bib);
	struct nat64_bib_entry *bibe = bib_find6(t, flow);

	return bibe ? session_find(t, bibe, flow->dst, flow->dst_port) : NULL;
}

/* Under rcu_read_lock(). */
struct nat64_session *nat64_session_find4(struct nat64_bib *bib,
					  const struct nat64_bib_entry *bibe,
					  __be32 remote, u16 remote_port)
{
	return session_find(nat64_tables(bib), bibe, remote, remote_port);
}

void nat64_session_touch(struct nat64_session *session, unsigned long timeout)
{
	u32 expires = nat64_session_deadline(timeout);

	/* Most packets of a flow find the deadline already current. */
	if (READ_ONCE(session->expires) != expires)
		WRITE_ONCE(session->expires, expires);
}

/*
 * Under bib->lock, before anything is unpublished: room to free @n
 * sessions and the BIB entries and subscriber records each may take with
 * it (one creation or removal drops at most one of each).
 */
static bool reserve_removal(struct nat64_bib *bib, unsigned int n)
{
	return nat64_reaper_reserve(&bib->session_reaper, n) &&
	       nat64_reaper_reserve(&bib->bib_reaper, n) &&
	       nat64_reaper_reserve(&bib->subscriber_reaper, n);
}

/*
 * Under bib->lock: the record @bibe counts in, or NULL. A counted entry
 * always has one: the record goes with its last entry.
 */
static struct nat64_subscriber *
entry_subscriber(struct nat64_tables *t, const struct nat64_bib_entry *bibe)
{
	struct nat64_subscriber *sub;

	if (bibe->sub_plen == NAT64_SUB_NONE)
		return NULL;
	sub = nat64_subscriber_find(&t->subscribers, &bibe->key6.addr,
				    bibe->sub_plen);
	WARN_ON_ONCE(!sub);
	return sub;
}

/* Under bib->lock, with room reserved. */
static void bib_unlink(struct nat64_bib *bib, struct nat64_bib_entry *bibe,
		       struct nat64_event_log *log)
{
	struct nat64_tables *t = nat64_tables(bib);
	struct nat64_subscriber *sub;

	xa_erase(&t->bib_ids, bibe->id);
	rhashtable_remove_fast(&t->by4, &bibe->node4, by4_params);
	rhashtable_remove_fast(&t->by6, &bibe->node6, by6_params);
	t->bib_count--;
	sub = entry_subscriber(t, bibe);
	if (sub) {
		nat64_port_block_release(bib, sub, bibe->key4.proto,
					 bibe->key4.addr, bibe->key4.port);
		nat64_subscriber_del_entry(&t->subscribers,
					   &bib->subscriber_reaper, sub,
					   bibe->key6.proto);
	}
	nat64_event_record(log, NAT64_EVENT_BIB_DEL, bibe);
	nat64_reaper_defer(&bib->bib_reaper, bibe);
}

/*
 * Under bib->lock, with room reserved; publishes @bibe in both tables,
 * or frees it.
 */
static int bib_link(struct nat64_bib *bib, struct nat64_bib_entry *bibe,
		    struct nat64_event_log *log)
{
	struct nat64_tables *t = nat64_tables(bib);
	int err;

	err = rhashtable_insert_fast(&t->by6, &bibe->node6, by6_params);
	if (err) {
		kmem_cache_free(bib_cache, bibe);	/* never published */
		return err;
	}
	err = rhashtable_insert_fast(&t->by4, &bibe->node4, by4_params);
	if (err)
		goto err_by4;
	err = xa_alloc_cyclic(&t->bib_ids, &bibe->id, bibe, xa_limit_32b,
			      &bib->bib_next, GFP_ATOMIC);
	if (err < 0)
		goto err_id;
	if (bibe->is_static)
		xa_set_mark(&t->bib_ids, bibe->id, STATIC_MARK);
	t->bib_count++;
	nat64_event_record(log, NAT64_EVENT_BIB_NEW, bibe);
	return 0;

err_id:
	rhashtable_remove_fast(&t->by4, &bibe->node4, by4_params);
err_by4:
	/* A reader may have found it in by6 meanwhile. */
	rhashtable_remove_fast(&t->by6, &bibe->node6, by6_params);
	nat64_reaper_defer(&bib->bib_reaper, bibe);
	return err;
}

static struct nat64_bib_entry *bib_entry_new(u8 proto,
					     const struct in6_addr *addr6,
					     u16 port6, __be32 addr4, u16 port4,
					     gfp_t gfp)
{
	struct nat64_bib_entry *bibe;

	bibe = kmem_cache_zalloc(bib_cache, gfp);
	if (!bibe)
		return NULL;
	bib_key6_init(&bibe->key6, proto, addr6, port6);
	bib_key4_init(&bibe->key4, proto, addr4, port4);
	bibe->sub_plen = NAT64_SUB_NONE;	/* until a mapping counts it */
	return bibe;
}

/*
 * Under bib->lock, with room reserved: the record a new mapping of @flow
 * counts in, made if need be, or NULL if the subscriber may have no more
 * ports of the protocol. Records are kept whatever the limits, so that a
 * limit set at run time finds the counts right.
 */
static struct nat64_subscriber *subscriber_of(struct nat64_instance *inst,
					      struct nat64_tables *t,
					      const struct nat64_flow6 *flow,
					      enum nat64_stat *why)
{
	unsigned int plen = READ_ONCE(inst->settings.subscriber_prefix_len);
	unsigned int max = READ_ONCE(inst->settings.max_ports_per_subscriber);
	struct nat64_subscriber *sub;

	sub = nat64_subscriber_find(&t->subscribers, &flow->src, plen);
	if (!sub) {
		/* A newcomer holds no port: under any limit. */
		sub = nat64_subscriber_new(&t->subscribers, &flow->src, plen);
		if (!sub)
			*why = NAT64_STAT_DROP_NO_MEMORY;
		return sub;
	}
	if (nat64_subscriber_ports_full(sub, flow->proto, max)) {
		*why = NAT64_STAT_DROP_SUBSCRIBER_LIMIT;
		return NULL;
	}
	return sub;
}

/*
 * Under bib->lock, with room reserved: a new mapping for @flow, with the
 * flow's session inside it, both counted and published at once.
 */
static struct nat64_session *bib_create6(struct nat64_instance *inst,
					 const struct nat64_flow6 *flow,
					 unsigned long timeout,
					 struct nat64_event_log *log,
					 enum nat64_stat *why)
{
	struct nat64_bib *bib = &inst->bib;
	struct nat64_tables *t = nat64_tables(bib);
	unsigned int per_sub = READ_ONCE(inst->settings.max_sessions_per_subscriber);
	struct nat64_bib_entry *bibe;
	struct nat64_subscriber *sub;
	u32 tries = READ_ONCE(inst->settings.max_iterations);
	struct nat64_pool4_share share;
	struct nat64_taddr4 taddr;
	struct nat64_pool4 *pool;

	/* The entry is for a session: both tables must have room. */
	if (t->bib_count >= READ_ONCE(inst->settings.max_bib_entries) ||
	    t->session_count >= READ_ONCE(inst->settings.max_sessions)) {
		*why = NAT64_STAT_DROP_TABLE_FULL;
		return NULL;
	}
	sub = subscriber_of(inst, t, flow, why);
	if (!sub)
		return NULL;
	if (nat64_subscriber_sessions_full(sub, per_sub)) {
		*why = NAT64_STAT_DROP_SUBSCRIBER_LIMIT;
		goto err;
	}
	/* Replaced under bib->lock: see nat64_bib_replace_pool4(). */
	pool = rcu_dereference(inst->pool4);
	if (pool && nat64_pool4_share_of(pool, flow->mark, flow->proto,
					 &flow->src, &share)) {
		/* RFC 7422: its own share or nothing; full, it is at a limit. */
		*why = NAT64_STAT_DROP_SUBSCRIBER_LIMIT;
		if (!nat64_port_select_range(bib, flow, share.addr, share.first,
					     share.last, tries, &taddr))
			goto err;
	} else if (!nat64_port_block_select(inst, sub, flow, log, &taddr,
					    why)) {
		goto err;
	}
	*why = NAT64_STAT_DROP_NO_MEMORY;
	bibe = bib_entry_new(flow->proto, &flow->src, flow->src_port,
			     taddr.addr, taddr.port, GFP_ATOMIC);
	if (bibe) {
		session_key_init(&bibe->first.key, bibe, flow->dst,
				 flow->dst_port);
		/* Alive from the start: the worker must not reap it unused. */
		bibe->first.expires = nat64_session_deadline(timeout);
		bibe->sessions = 1;
	}
	if (!bibe || bib_link(bib, bibe, log)) {
		nat64_port_block_release(bib, sub, flow->proto, taddr.addr,
					 taddr.port);
		goto err;
	}
	/*
	 * Live only once linked for good: a lockless reader that found the
	 * entry while a failed link took it back must not translate with a
	 * port that goes back to the pool. Until then it finds no session
	 * and waits on the lock.
	 */
	WRITE_ONCE(bibe->first_state, NAT64_FIRST_LIVE);
	bibe->sub_plen = sub->key.plen;
	nat64_subscriber_add_entry(sub, flow->proto);
	sub->sessions++;
	t->session_count++;
	nat64_event_record(log, NAT64_EVENT_SESSION_NEW, &bibe->first);
	nat64_stats_inc(&inst->stats, NAT64_STAT_BIB_CREATED);
	nat64_stats_inc(&inst->stats, NAT64_STAT_SESSION_CREATED);
	return &bibe->first;

err:
	nat64_subscriber_forget_unused(&t->subscribers,
				       &bib->subscriber_reaper, sub);
	return NULL;
}

/*
 * Under bib->lock: makes @session its group's leader, in the peers
 * table, or a follower on the leader's list.
 */
static int session_join_peers(struct nat64_tables *t,
			      struct nat64_session_node *node)
{
	struct nat64_session_node *leader;

	leader = session_leader(t, node->s.key.bib, node->s.key.addr);
	if (leader) {
		list_add(&node->peers, &leader->peers);
		return 0;
	}
	INIT_LIST_HEAD(&node->peers);
	return rhashtable_insert_fast(&t->peers, &node->peer_node,
				      peer_params);
}

/* Under bib->lock: a follower takes over from a leader that leaves. */
static void session_leave_peers(struct nat64_tables *t,
				struct nat64_session_node *node)
{
	struct nat64_session_node *next;

	if (session_leader(t, node->s.key.bib, node->s.key.addr) != node) {
		list_del(&node->peers);
		return;
	}
	if (list_empty(&node->peers)) {
		rhashtable_remove_fast(&t->peers, &node->peer_node,
				       peer_params);
		return;
	}
	next = list_first_entry(&node->peers, struct nat64_session_node,
				peers);
	/* Cannot fail: @node is in the table, and the lock is held. */
	WARN_ON_ONCE(rhashtable_replace_fast(&t->peers, &node->peer_node,
					     &next->peer_node, peer_params));
	list_del(&node->peers);
}

/* Under bib->lock: publishes a further session, or frees it. */
static int session_link(struct nat64_bib *bib, struct nat64_session_node *node)
{
	struct nat64_tables *t = nat64_tables(bib);

	if (rhashtable_insert_fast(&t->sessions, &node->node,
				   session_params)) {
		kmem_cache_free(session_cache, node);	/* unseen */
		return -ENOMEM;
	}
	if (session_join_peers(t, node))
		goto err_peers;
	if (xa_alloc_cyclic(&t->session_ids, &node->id, &node->s,
			    xa_limit_32b, &bib->session_next, GFP_ATOMIC) < 0) {
		session_leave_peers(t, node);
		goto err_peers;
	}
	return 0;

err_peers:
	rhashtable_remove_fast(&t->sessions, &node->node, session_params);
	nat64_reaper_defer(&bib->session_reaper, node);
	return -ENOMEM;
}

/*
 * Under bib->lock: while a pool4 change sweeps away the mappings of the
 * transport addresses that left, they take no new session, which the
 * sweep might already have passed.
 */
static bool bib_leaving(struct nat64_instance *inst,
			const struct nat64_bib_entry *bibe)
{
	const struct nat64_bib_key4 *key4 = &bibe->key4;

	return inst->bib.purging && !bibe->is_static &&
	       !nat64_pool4_contains(rcu_dereference(inst->pool4),
				     key4->proto, key4->addr, key4->port);
}

/* Under bib->lock, with room reserved: a further session of @bibe. */
static struct nat64_session *session_create(struct nat64_instance *inst,
					    struct nat64_bib_entry *bibe,
					    __be32 remote, u16 remote_port,
					    unsigned long timeout,
					    struct nat64_event_log *log,
					    enum nat64_stat *why)
{
	struct nat64_bib *bib = &inst->bib;
	struct nat64_tables *t = nat64_tables(bib);
	unsigned int per_sub = READ_ONCE(inst->settings.max_sessions_per_subscriber);
	struct nat64_session_node *node;
	struct nat64_subscriber *sub;

	if (t->session_count >= READ_ONCE(inst->settings.max_sessions)) {
		*why = NAT64_STAT_DROP_TABLE_FULL;
		return NULL;
	}
	if (bib_leaving(inst, bibe)) {
		*why = NAT64_STAT_DROP_POOL4_EXHAUSTED;
		return NULL;
	}
	sub = entry_subscriber(t, bibe);
	if (sub && nat64_subscriber_sessions_full(sub, per_sub)) {
		*why = NAT64_STAT_DROP_SUBSCRIBER_LIMIT;
		return NULL;
	}
	node = kmem_cache_zalloc(session_cache, GFP_ATOMIC);
	if (!node)
		goto err_nomem;
	session_key_init(&node->s.key, bibe, remote, remote_port);
	/* Alive from the start: the worker must not reap it unused. */
	node->s.expires = nat64_session_deadline(timeout);
	if (session_link(bib, node))
		goto err_nomem;
	bibe->sessions++;
	if (sub)
		sub->sessions++;
	t->session_count++;
	nat64_event_record(log, NAT64_EVENT_SESSION_NEW, &node->s);
	nat64_stats_inc(&inst->stats, NAT64_STAT_SESSION_CREATED);
	return &node->s;

err_nomem:
	*why = NAT64_STAT_DROP_NO_MEMORY;
	return NULL;
}

/* A creation records at most a port block, an entry and a session. */
#define CREATE_EVENTS 3

/**
 * nat64_session_create6() - find or make the state for an IPv6 flow
 * @inst: the translator
 * @flow: the packet's protocol, mark and transport addresses
 * @timeout: the new session's first lifetime, in jiffies
 * @why: on failure, the drop reason to count
 *
 * Context: softirq, under rcu_read_lock(). The result stays valid until
 * rcu_read_unlock().
 */
struct nat64_session *nat64_session_create6(struct nat64_instance *inst,
					    const struct nat64_flow6 *flow,
					    unsigned long timeout,
					    enum nat64_stat *why)
{
	struct nat64_event events[CREATE_EVENTS];
	struct nat64_bib *bib = &inst->bib;
	struct nat64_session *session = NULL;
	struct nat64_event_log log;
	struct nat64_bib_entry *bibe;
	struct nat64_tables *t;

	nat64_event_log_init(&log, events, ARRAY_SIZE(events));
	spin_lock_bh(&bib->lock);
	if (!reserve_removal(bib, 1)) {
		*why = NAT64_STAT_DROP_NO_MEMORY;
		goto out;
	}
	/* Look again: another CPU may have won the race, or flushed. */
	t = nat64_tables(bib);
	bibe = bib_find6(t, flow);
	if (!bibe) {
		/* The usual case: a new mapping, with its session inside. */
		session = bib_create6(inst, flow, timeout, &log, why);
		goto out;
	}
	/*
	 * A dynamic entry has a session (it goes with its last); a static
	 * one stays without any.
	 */
	session = session_find(t, bibe, flow->dst, flow->dst_port);
	if (!session)
		session = session_create(inst, bibe, flow->dst,
					 flow->dst_port, timeout, &log, why);
out:
	spin_unlock_bh(&bib->lock);
	nat64_events_emit(inst, &log);
	return session;
}

/**
 * nat64_session_create4() - open a session from the IPv4 side
 * @inst: the translator
 * @bibe: the BIB entry the packet is addressed to, found under RCU
 * @remote: the packet's source
 * @remote_port: and its port
 * @timeout: the new session's first lifetime, in jiffies
 * @why: on failure, the drop reason to count
 *
 * With endpoint-independent filtering (RFC 4787), the default, any IPv4
 * node may reach a mapped IPv6 transport address; with address-dependent
 * filtering, only a node the IPv6 side has talked to. Context: as
 * nat64_session_create6().
 */
struct nat64_session *nat64_session_create4(struct nat64_instance *inst,
					    struct nat64_bib_entry *bibe,
					    __be32 remote, u16 remote_port,
					    unsigned long timeout,
					    enum nat64_stat *why)
{
	struct nat64_event events[CREATE_EVENTS];
	struct nat64_bib *bib = &inst->bib;
	struct nat64_session *session = NULL;
	struct nat64_event_log log;

	nat64_event_log_init(&log, events, ARRAY_SIZE(events));
	spin_lock_bh(&bib->lock);
	if (!reserve_removal(bib, 1)) {
		*why = NAT64_STAT_DROP_NO_MEMORY;
		goto out;
	}
	/* The worker may have unlinked the entry, or a flush its tables. */
	if (nat64_bib_find4(bib, bibe->key4.proto, bibe->key4.addr,
			    bibe->key4.port) != bibe) {
		*why = NAT64_STAT_DROP_NO_BIB;
		goto out;
	}
	session = session_find(nat64_tables(bib), bibe, remote, remote_port);
	if (session)
		goto out;
	/*
	 * Only IPv4 hosts are capped: filling the cap keeps them from the
	 * mapping, never its IPv6 node from its own flows.
	 */
	if (bibe->sessions >= READ_ONCE(inst->settings.max_sessions_per_bib)) {
		*why = NAT64_STAT_DROP_BIB_SESSIONS_FULL;
		goto out;
	}
	session = session_create(inst, bibe, remote, remote_port, timeout,
				 &log, why);
out:
	spin_unlock_bh(&bib->lock);
	nat64_events_emit(inst, &log);
	return session;
}

/*
 * Under bib->lock: takes @session out of the tables. A first session's
 * slot stays empty: a reader that found it may still be using it.
 * Return: false if it was gone already.
 */
static bool session_unlink(struct nat64_tables *t,
			   struct nat64_session *session)
{
	struct nat64_bib_entry *bibe = (struct nat64_bib_entry *)session->key.bib;
	struct nat64_session_node *node;

	if (session_is_first(session)) {
		if (bibe->first_state != NAT64_FIRST_LIVE)
			return false;
		WRITE_ONCE(bibe->first_state, NAT64_FIRST_GONE);
		return true;
	}
	node = session_node(session);
	if (rhashtable_remove_fast(&t->sessions, &node->node, session_params))
		return false;
	session_leave_peers(t, node);
	xa_erase(&t->session_ids, node->id);
	return true;
}

/* Under bib->lock, with room reserved. Return: false if already gone. */
static bool session_remove(struct nat64_instance *inst,
			   struct nat64_session *session,
			   struct nat64_event_log *log)
{
	struct nat64_bib *bib = &inst->bib;
	struct nat64_tables *t = nat64_tables(bib);
	/* The key's BIB pointer is the entry itself, held by this session. */
	struct nat64_bib_entry *bibe = (struct nat64_bib_entry *)session->key.bib;
	bool first = session_is_first(session);
	struct nat64_subscriber *sub;

	if (!session_unlink(t, session))
		return false;
	nat64_event_record(log, NAT64_EVENT_SESSION_DEL, session);
	t->session_count--;
	sub = entry_subscriber(t, bibe);
	if (sub)
		sub->sessions--;
	if (!--bibe->sessions && !bibe->is_static)
		bib_unlink(bib, bibe, log);
	/* A first session's memory is its entry's. */
	if (!first)
		nat64_reaper_defer(&bib->session_reaper, session_node(session));
	return true;
}

/**
 * nat64_bib_add_static() - add a static BIB entry (port forwarding)
 * @inst: the translator
 * @key6: the IPv6 transport address (and protocol)
 * @key4: the IPv4 transport address; its address must be in pool4
 * @why: on error, a message for the operator
 *
 * Return: 0, -EEXIST if either transport address is mapped already,
 * -EINVAL if the IPv4 address is not pool4's or the transport address
 * is lent in port blocks (a block's log names who had each of its ports,
 * and a static entry is nobody's), -ENOSPC if the BIB holds
 * max_bib_entries already, -ENOMEM.
 */
int nat64_bib_add_static(struct nat64_instance *inst,
			 const struct nat64_bib_key6 *key6,
			 const struct nat64_bib_key4 *key4, const char **why)
{
	struct nat64_bib *bib = &inst->bib;
	struct nat64_event_log log;
	struct nat64_bib_entry *bibe;
	struct nat64_pool4 *pool;
	struct nat64_event event;
	int err;

	nat64_event_log_init(&log, &event, 1);
	mutex_lock(&bib->mutex);	/* a flush copies the static entries */
	rcu_read_lock();
	spin_lock_bh(&bib->lock);
	err = -ENOMEM;
	*why = "out of memory";
	if (!reserve_removal(bib, 1))
		goto out;
	err = -EINVAL;
	pool = rcu_dereference(inst->pool4);
	*why = "the IPv4 address is not in pool4";
	if (!nat64_pool4_has_addr(pool, key4->proto, key4->addr))
		goto out;
	*why = "the IPv4 transport address is lent in port blocks";
	if (nat64_pool4_in_block(pool, key4->proto, key4->addr, key4->port))
		goto out;
	err = -EEXIST;
	*why = "the IPv6 or the IPv4 transport address is mapped already";
	if (nat64_bib_find4(bib, key4->proto, key4->addr, key4->port) ||
	    rhashtable_lookup(&nat64_tables(bib)->by6, key6, by6_params))
		goto out;
	err = -ENOSPC;
	*why = "the BIB holds max_bib_entries entries already";
	if (nat64_tables(bib)->bib_count >=
	    READ_ONCE(inst->settings.max_bib_entries))
		goto out;
	err = -ENOMEM;
	*why = "out of memory";
	bibe = bib_entry_new(key6->proto, &key6->addr, key6->port,
			     key4->addr, key4->port, GFP_ATOMIC);
	if (!bibe)
		goto out;
	bibe->is_static = true;
	err = bib_link(bib, bibe, &log);
out:
	spin_unlock_bh(&bib->lock);
	nat64_events_emit(inst, &log);
	rcu_read_unlock();
	mutex_unlock(&bib->mutex);
	return err;
}

/* Which sessions a sweep of the table removes. */
typedef bool (*session_doomed_fn)(const struct nat64_session *session,
				  const void *arg);

/*
 * Doomed sessions a sweep removes under one hold of the lock, and room
 * for what that records: each removal may take its BIB entry along.
 */
struct sweep_chunk {
	session_doomed_fn doomed;
	const void *arg;
	struct nat64_session *sessions[SWEEP_CHUNK];
	unsigned int count;
	unsigned int removed;
	struct nat64_event events[2 * SWEEP_CHUNK];
};

/*
 * Context: process, inside the walk's RCU read section, which keeps the
 * sessions' memory. A session is doomed again under the lock before it
 * goes: a packet may have refreshed it since the walk saw it.
 * Return: false if there was no memory to free them (then none was
 * removed, and the next sweep tries again).
 */
static bool sweep_chunk_remove(struct nat64_instance *inst,
			       struct sweep_chunk *chunk)
{
	struct nat64_bib *bib = &inst->bib;
	struct nat64_session *session;
	struct nat64_event_log log;
	unsigned int i;
	bool room;

	if (!chunk->count)
		return true;
	nat64_event_log_init(&log, chunk->events, ARRAY_SIZE(chunk->events));
	spin_lock_bh(&bib->lock);
	room = reserve_removal(bib, chunk->count);
	for (i = 0; room && i < chunk->count; i++) {
		session = chunk->sessions[i];
		if (chunk->doomed(session, chunk->arg))
			chunk->removed += session_remove(inst, session, &log);
	}
	spin_unlock_bh(&bib->lock);
	nat64_events_emit(inst, &log);
	chunk->count = 0;
	return room;
}

/*
 * The session a sweep's walk of @ht found: a further session, or the
 * first session of an entry if @ht holds entries (NULL if it has none).
 */
static struct nat64_session *walked_session(struct nat64_tables *t,
					    struct rhashtable *ht, void *obj)
{
	if (ht == &t->sessions)
		return &((struct nat64_session_node *)obj)->s;
	return nat64_bib_first_session(obj);
}

/*
 * Puts the doomed sessions of @ht in @chunk and removes them, a chunk at
 * a time. Context: process, under bib->mutex.
 * Return: false if it stopped for want of memory.
 */
static bool sweep_table(struct nat64_instance *inst, struct sweep_chunk *chunk,
			struct rhashtable *ht)
{
	struct nat64_tables *t = nat64_tables(&inst->bib);
	struct nat64_session *session;
	struct rhashtable_iter iter;
	unsigned int seen = 0;
	bool room = true;
	void *obj;

	rhashtable_walk_enter(ht, &iter);
	rhashtable_walk_start(&iter);
	while ((obj = rhashtable_walk_next(&iter))) {
		if (IS_ERR(obj)) {
			if (PTR_ERR(obj) == -EAGAIN)
				continue;	/* resized: keep walking */
			break;
		}
		session = walked_session(t, ht, obj);
		if (session && chunk->doomed(session, chunk->arg)) {
			chunk->sessions[chunk->count++] = session;
			room = chunk->count < SWEEP_CHUNK ||
			       sweep_chunk_remove(inst, chunk);
			if (!room)
				break;
		}
		if (++seen % GC_BATCH == 0) {
			/* The chunk's pointers are good until walk_stop. */
			room = sweep_chunk_remove(inst, chunk);
			if (!room)
				break;
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	if (room)
		room = sweep_chunk_remove(inst, chunk);
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return room;
}

/*
 * Walks the entries, for their first sessions, then the further sessions.
 * @whole: set to whether the walk went through both tables, false if it
 * stopped for want of memory.
 * Context: process, under bib->mutex, which keeps the tables.
 * Return: how many sessions were removed.
 */
static unsigned int sweep(struct nat64_instance *inst, session_doomed_fn doomed,
			  const void *arg, bool *whole)
{
	struct nat64_bib *bib = &inst->bib;
	struct nat64_tables *t = nat64_tables(bib);
	struct sweep_chunk *chunk;
	unsigned int removed;

	lockdep_assert_held(&bib->mutex);
	/* Too big for the stack with its events; a sweep can wait for it. */
	chunk = kzalloc(sizeof(*chunk), GFP_KERNEL);
	if (!chunk) {
		*whole = false;	/* the next sweep tries again */
		return 0;
	}
	chunk->doomed = doomed;
	chunk->arg = arg;
	*whole = sweep_table(inst, chunk, &t->by6) &&
		 sweep_table(inst, chunk, &t->sessions);
	/* What was removed is freed now, not when a batch fills. */
	spin_lock_bh(&bib->lock);
	nat64_reaper_submit(&bib->session_reaper);
	nat64_reaper_submit(&bib->bib_reaper);
	nat64_reaper_submit(&bib->subscriber_reaper);
	spin_unlock_bh(&bib->lock);
	removed = chunk->removed;
	kfree(chunk);
	return removed;
}

/*
 * A one-off sweep that must not miss: a walk that removed entries may
 * skip some of the bucket it resumes in (rhashtable_walk_start() keeps
 * its place by count), so walk again until a whole pass removes
 * nothing. Such a pass has not been disturbed, and saw everything; one
 * that stopped for want of memory saw only part. Bounded, because
 * whoever makes doomed sessions meanwhile (a static entry's deletion
 * does not stop its peers) could keep it going, and memory may stay
 * short: what is left then goes with its timeout.
 * Context: process, under bib->mutex.
 */
static unsigned int sweep_all(struct nat64_instance *inst,
			      session_doomed_fn doomed, const void *arg)
{
	unsigned int removed = 0, pass, n;
	bool whole;

	for (pass = 0; pass < SWEEP_PASSES_MAX; pass++) {
		n = sweep(inst, doomed, arg, &whole);
		removed += n;
		if (!n && whole)
			break;
	}
	return removed;
}

static bool session_expired(const struct nat64_session *session,
			    const void *now)
{
	return !time_before32(*(const u32 *)now, READ_ONCE(session->expires));
}

struct pool4_change {
	const struct nat64_pool4 *old;
	const struct nat64_pool4 *new;
};

static bool session_left_pool4(const struct nat64_session *session,
			       const void *arg)
{
	const struct nat64_bib_key4 *key4 = &session->key.bib->key4;
	const struct pool4_change *change = arg;

	return nat64_pool4_contains(change->old, key4->proto, key4->addr,
				    key4->port) &&
	       !nat64_pool4_contains(change->new, key4->proto, key4->addr,
				     key4->port);
}

struct bib_keys {
	struct nat64_bib_key6 key6;
	struct nat64_bib_key4 key4;
};

static bool session_of_keys(const struct nat64_session *session,
			    const void *arg)
{
	const struct nat64_bib_entry *bibe = session->key.bib;
	const struct bib_keys *keys = arg;

	return !bibe->is_static &&
	       !memcmp(&bibe->key6, &keys->key6, sizeof(keys->key6)) &&
	       !memcmp(&bibe->key4, &keys->key4, sizeof(keys->key4));
}

/**
 * nat64_bib_del_static() - remove a static BIB entry and its sessions
 * @inst: the translator
 * @key6: the entry's IPv6 transport address (and protocol)
 * @key4: and its IPv4 transport address
 *
 * Context: process. Return: 0, or -ENOENT if no static entry maps both.
 */
int nat64_bib_del_static(struct nat64_instance *inst,
			 const struct nat64_bib_key6 *key6,
			 const struct nat64_bib_key4 *key4)
{
	struct bib_keys keys = { .key6 = *key6, .key4 = *key4 };
	struct nat64_bib *bib = &inst->bib;
	struct nat64_bib_entry *bibe;
	struct nat64_event_log log;
	struct nat64_event event;
	int err = -ENOENT;

	nat64_event_log_init(&log, &event, 1);
	mutex_lock(&bib->mutex);
	rcu_read_lock();
	spin_lock_bh(&bib->lock);
	if (!reserve_removal(bib, 1)) {
		err = -ENOMEM;
		goto out;
	}
	bibe = nat64_bib_find4(bib, key4->proto, key4->addr, key4->port);
	if (bibe && bibe->is_static && !memcmp(&bibe->key6, key6,
					       sizeof(*key6))) {
		/* Dynamic now: it goes with its last session. */
		bibe->is_static = false;
		xa_clear_mark(&nat64_tables(bib)->bib_ids, bibe->id,
			      STATIC_MARK);
		if (!bibe->sessions)
			bib_unlink(bib, bibe, &log);
		err = 0;
	}
out:
	spin_unlock_bh(&bib->lock);
	nat64_events_emit(inst, &log);
	rcu_read_unlock();
	if (!err)
		sweep_all(inst, session_of_keys, &keys);
	mutex_unlock(&bib->mutex);
	return err;
}

/*
 * Context: process, before @t is published: no reader can see it, so a
 * copy that fails half-way is unlinked and freed at once. @bibe's copy,
 * with its id.
 */
static int tables_add_copy(struct nat64_tables *t,
			   const struct nat64_bib_entry *bibe)
{
	struct nat64_bib_entry *copy;
	int err;

	copy = bib_entry_new(bibe->key6.proto, &bibe->key6.addr,
			     bibe->key6.port, bibe->key4.addr, bibe->key4.port,
			     GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	copy->is_static = true;
	copy->id = bibe->id;
	err = rhashtable_insert_fast(&t->by6, &copy->node6, by6_params);
	if (err)
		goto err_by6;
	err = rhashtable_insert_fast(&t->by4, &copy->node4, by4_params);
	if (err)
		goto err_by4;
	/* The _bh forms: this lock's class is also taken in softirq. */
	err = xa_insert_bh(&t->bib_ids, copy->id, copy, GFP_KERNEL_ACCOUNT);
	if (err)
		goto err_id;
	xa_lock_bh(&t->bib_ids);
	__xa_set_mark(&t->bib_ids, copy->id, STATIC_MARK);
	xa_unlock_bh(&t->bib_ids);
	t->bib_count++;
	return 0;

err_id:
	rhashtable_remove_fast(&t->by4, &copy->node4, by4_params);
err_by4:
	rhashtable_remove_fast(&t->by6, &copy->node6, by6_params);
err_by6:
	kmem_cache_free(bib_cache, copy);
	return err;
}

/* Under bib->mutex, which keeps the static entries as they are. */
static int copy_static_entries(struct nat64_tables *from,
			       struct nat64_tables *to)
{
	struct nat64_bib_entry *bibe;
	unsigned long id;
	int err;

	xa_for_each_marked(&from->bib_ids, id, bibe, STATIC_MARK) {
		err = tables_add_copy(to, bibe);
		if (err)
			return err;
		cond_resched();
	}
	return 0;
}

/**
 * nat64_bib_flush() - remove every dynamic session and BIB entry
 * @inst: the translator
 *
 * Publishes new tables holding copies of the static entries, then frees
 * the old ones whole once no packet can be reading them: one pass over
 * memory, where unlinking a million sessions one by one takes seconds.
 * The caller does not wait for that: a grace period under full traffic
 * can last long, and netlink requests run under genl_mutex. Listeners
 * get one flush event, not an event per session.
 *
 * Context: process. Return: 0, or -ENOMEM with nothing changed.
 */
int nat64_bib_flush(struct nat64_instance *inst)
{
	struct nat64_bib *bib = &inst->bib;
	struct nat64_tables *old, *new;
	struct nat64_event_log log;
	struct nat64_event event;
	int err;

	new = tables_new();
	if (!new)
		return -ENOMEM;
	mutex_lock(&bib->mutex);
	old = nat64_tables(bib);
	err = copy_static_entries(old, new);
	if (err) {
		mutex_unlock(&bib->mutex);
		nat64_tables_put(new);
		return err;
	}
	spin_lock_bh(&bib->lock);
	rcu_assign_pointer(bib->tables, new);
	spin_unlock_bh(&bib->lock);
	mutex_unlock(&bib->mutex);
	/* Packets may still be reading @old: it goes after them. */
	queue_rcu_work(tables_wq, &old->free_work);
	nat64_event_log_init(&log, &event, 1);
	nat64_event_record(&log, NAT64_EVENT_FLUSH, NULL);
	nat64_events_emit(inst, &log);
	return 0;
}

/*
 * Removes the sessions (and dynamic BIB entries) whose pool4 transport
 * address was in @old and is not in @new: pool4 removal without "quick".
 * State an earlier quick removal left behind stays until it expires.
 * Context: process, under bib->mutex.
 */
static unsigned int bib_purge(struct nat64_instance *inst,
			      const struct nat64_pool4 *old,
			      const struct nat64_pool4 *new)
{
	struct pool4_change change = { .old = old, .new = new };

	return sweep_all(inst, session_left_pool4, &change);
}

/**
 * nat64_bib_replace_pool4() - give an instance a new pool4
 * @inst: the instance
 * @pool: the new pool, which the instance takes over
 * @purge: remove the state of transport addresses @pool no longer has
 *
 * The pool changes under the table lock, which every new mapping holds
 * while it picks an address: a mapping is made from the old pool before
 * the sweep starts, and so is seen by it, or from the new one.
 *
 * Context: process. Return: the old pool, for the caller to free after
 * a grace period.
 */
struct nat64_pool4 *nat64_bib_replace_pool4(struct nat64_instance *inst,
					    struct nat64_pool4 *pool,
					    bool purge)
{
	struct nat64_bib *bib = &inst->bib;
	struct nat64_pool4 *old;

	mutex_lock(&bib->mutex);	/* keeps @old until the purge is done */
	spin_lock_bh(&bib->lock);
	old = rcu_replace_pointer(inst->pool4, pool,
				  lockdep_is_held(&bib->lock));
	bib->purging = purge;
	spin_unlock_bh(&bib->lock);
	if (purge) {
		bib_purge(inst, old, pool);
		spin_lock_bh(&bib->lock);
		bib->purging = false;
		spin_unlock_bh(&bib->lock);
	}
	nat64_port_blocks_prune(inst);
	mutex_unlock(&bib->mutex);
	return old;
}

static unsigned long gc_interval(const struct nat64_settings *settings)
{
	unsigned int udp = READ_ONCE(settings->timeout_udp);
	unsigned int icmp = READ_ONCE(settings->timeout_icmp);
	unsigned int tcp_est = READ_ONCE(settings->timeout_tcp_est);
	unsigned int tcp_trans = READ_ONCE(settings->timeout_tcp_trans);
	unsigned int shortest = min(min(udp, icmp), min(tcp_est, tcp_trans));

	return clamp_t(unsigned long, shortest * HZ / 8, GC_INTERVAL_MIN,
		       GC_INTERVAL_MAX);
}

static struct nat64_instance *bib_instance(struct nat64_bib *bib)
{
	return container_of(bib, struct nat64_instance, bib);
}

static void nat64_bib_gc_work(struct work_struct *work)
{
	struct nat64_bib *bib = container_of(to_delayed_work(work),
					     struct nat64_bib, gc_work);
	struct nat64_instance *inst = bib_instance(bib);
	unsigned long now = jiffies;
	u32 now32 = now;
	unsigned int removed;
	bool whole;	/* a sweep cut short goes on at the next interval */

	if (time_before(now, bib->gc_last + gc_interval(&inst->settings)))
		goto out;
	bib->gc_last = now;
	mutex_lock(&bib->mutex);
	removed = sweep(inst, session_expired, &now32, &whole);
	mutex_unlock(&bib->mutex);
	nat64_port_blocks_expire(inst, now);
	if (removed) {
		local_bh_disable();
		nat64_stats_add(&inst->stats, NAT64_STAT_SESSION_EXPIRED,
				removed);
		local_bh_enable();
	}
out:
	nat64_bib_start_gc(bib);
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "bib_test.c"
#include "subscriber_test.c"
#include "port_block_test.c"
#endif
