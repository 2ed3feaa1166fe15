// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: the BIB and session tables and the pool4 allocator, on an
 * instance with no hooks. Included by bib.c.
 *
 * Suites of a module run before its init function, so the suite makes
 * and drops the slab caches itself.
 */

#include <kunit/test.h>

#define TEST_PORT_MIN 100
#define TEST_PORT_MAX 103

/* A sweep that must have walked both tables whole (no memory ran out). */
static unsigned int sweep_whole(struct kunit *test,
				struct nat64_instance *inst,
				session_doomed_fn doomed, const void *arg)
{
	unsigned int removed;
	bool whole;

	removed = sweep(inst, doomed, arg, &whole);
	KUNIT_EXPECT_TRUE(test, whole);
	return removed;
}

static struct nat64_instance *bib_fixture(struct kunit *test,
					  unsigned int ports)
{
	struct nat64_instance *inst;
	struct nat64_pool4 *pool;

	inst = kunit_kzalloc(test, sizeof(*inst), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, inst);
	inst->settings.timeout_udp = 300;
	inst->settings.timeout_icmp = 60;
	inst->settings.max_bib_entries = 1000;
	inst->settings.max_sessions = 1000;
	inst->settings.max_sessions_per_bib = 1000;
	inst->settings.max_iterations = 4096;
	KUNIT_ASSERT_EQ(test, nat64_stats_init(&inst->stats), 0);
	KUNIT_ASSERT_EQ(test, nat64_bib_init(&inst->bib), 0);

	pool = nat64_pool4_alloc(1);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->ranges[0] = (struct nat64_pool4_range) {
		.proto = IPPROTO_UDP, .plen = 32, .prefix = htonl(0xc0000201),
		.port_min = TEST_PORT_MIN,
		.port_max = TEST_PORT_MIN + ports - 1,
	};
	RCU_INIT_POINTER(inst->pool4, pool);
	test->priv = inst;
	return inst;
}

/* What the events sink saw, for bib_test_events. */
static struct {
	struct kunit *test;
	struct nat64_instance *inst;
	unsigned int seen[NAT64_EVENT_BLOCK_DEL + 1];
} event_probe;

static void bib_test_exit(struct kunit *test)
{
	struct nat64_instance *inst = test->priv;

	if (!inst)
		return;
	if (event_probe.test == test) {	/* even if the test failed early */
		nat64_events_set_sink(NULL);
		event_probe.test = NULL;
	}
	nat64_bib_destroy(&inst->bib);
	nat64_stats_destroy(&inst->stats);
	nat64_pool4_free(rcu_dereference_protected(inst->pool4, true));
}

static unsigned int held_entries(struct nat64_instance *inst)
{
	unsigned int entries, sessions;

	nat64_bib_counts(&inst->bib, &entries, &sessions);
	return entries;
}

static unsigned int held_sessions(struct nat64_instance *inst)
{
	unsigned int entries, sessions;

	nat64_bib_counts(&inst->bib, &entries, &sessions);
	return sessions;
}

static int bib_test_suite_init(struct kunit_suite *suite)
{
	return nat64_bib_cache_init();
}

static void bib_test_suite_exit(struct kunit_suite *suite)
{
	nat64_bib_cache_exit();
}

static struct nat64_flow6 udp_flow(u16 host, u16 sport)
{
	struct nat64_flow6 flow = {
		.proto = IPPROTO_UDP,
		.src = { .s6_addr = { 0x20, 0x01, 0x0d, 0xb8 } },
		.src_port = sport,
		.dst = htonl(0xc6336405),	/* 198.51.100.5 */
		.dst_port = 53,
	};

	flow.src.s6_addr[14] = host >> 8;
	flow.src.s6_addr[15] = host & 0xff;
	return flow;
}

static struct nat64_session *create6(struct nat64_instance *inst,
				     const struct nat64_flow6 *flow,
				     enum nat64_stat *why)
{
	struct nat64_session *s;

	rcu_read_lock();
	s = nat64_session_create6(inst, flow, HZ, why);
	rcu_read_unlock();
	return s;
}

static void bib_test_create_and_find(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 flow = udp_flow(1, 5000);
	const struct nat64_bib_entry *bibe;
	struct nat64_session *s, *found;
	enum nat64_stat why;

	s = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, s);
	bibe = s->key.bib;
	KUNIT_EXPECT_EQ(test, ntohl(bibe->key4.addr), 0xc0000201U);
	KUNIT_EXPECT_GE(test, bibe->key4.port, TEST_PORT_MIN);
	KUNIT_EXPECT_LE(test, bibe->key4.port, TEST_PORT_MAX);

	rcu_read_lock();
	found = nat64_session_find6(&inst->bib, &flow);
	KUNIT_EXPECT_PTR_EQ(test, found, s);
	KUNIT_EXPECT_PTR_EQ(test, nat64_bib_find4(&inst->bib, IPPROTO_UDP,
						  bibe->key4.addr,
						  bibe->key4.port),
			    (struct nat64_bib_entry *)bibe);
	KUNIT_EXPECT_PTR_EQ(test, nat64_session_find4(&inst->bib, bibe,
						      flow.dst, 53), s);
	KUNIT_EXPECT_NULL(test, nat64_session_find4(&inst->bib, bibe,
						    flow.dst, 54));
	/* What address-dependent filtering asks: any port of an address. */
	KUNIT_EXPECT_TRUE(test, nat64_session_peer_known(&inst->bib, bibe,
							 flow.dst));
	KUNIT_EXPECT_FALSE(test, nat64_session_peer_known(&inst->bib, bibe,
							  htonl(0x0a000001)));
	rcu_read_unlock();

	/* Creating again finds the same session: no duplicate. */
	KUNIT_EXPECT_PTR_EQ(test, create6(inst, &flow, &why), s);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 1U);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 1U);
}

/* Endpoint-independent mapping: one BIB entry for every destination. */
static void bib_test_endpoint_independent(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 a = udp_flow(1, 5000), b = a;
	struct nat64_session *sa, *sb, *s4;
	enum nat64_stat why;

	b.dst = htonl(0xcb007105);
	sa = create6(inst, &a, &why);
	sb = create6(inst, &b, &why);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_ASSERT_NOT_NULL(test, sb);
	KUNIT_EXPECT_PTR_NE(test, sa, sb);
	KUNIT_EXPECT_PTR_EQ(test, sa->key.bib, sb->key.bib);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 1U);

	/* Sessions of one remote address on other ports share a list. */
	b = a;
	b.dst_port = 54;
	KUNIT_ASSERT_NOT_NULL(test, create6(inst, &b, &why));
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, nat64_session_find4(&inst->bib, sa->key.bib,
						      a.dst, a.dst_port), sa);
	KUNIT_EXPECT_EQ(test, nat64_session_find4(&inst->bib, sa->key.bib,
						  a.dst, 54)->key.port, 54);
	rcu_read_unlock();

	/* Endpoint-independent filtering: a third IPv4 node gets in. */
	rcu_read_lock();
	s4 = nat64_session_create4(inst, (struct nat64_bib_entry *)sa->key.bib,
				   htonl(0x0a000001), 1234, HZ, &why);
	rcu_read_unlock();
	KUNIT_EXPECT_NOT_NULL(test, s4);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 4U);
}

static void bib_test_exhaustion(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	u16 seen[4] = {};
	enum nat64_stat why;
	unsigned int i, j;

	for (i = 0; i < 4; i++) {
		struct nat64_flow6 flow = udp_flow(i + 1, 5000 + i);
		struct nat64_session *s = create6(inst, &flow, &why);

		KUNIT_ASSERT_NOT_NULL(test, s);
		seen[i] = s->key.bib->key4.port;
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, seen[i], seen[j]);
	}
	{
		struct nat64_flow6 flow = udp_flow(9, 6000);

		why = NAT64_STAT_COUNT;
		KUNIT_EXPECT_NULL(test, create6(inst, &flow, &why));
		KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_POOL4_EXHAUSTED);
	}
	/* Existing flows are untouched. */
	KUNIT_EXPECT_EQ(test, held_entries(inst), 4U);
}

/* RFC 4787 REQ-4: the source port's parity, while ports allow. */
static void bib_test_parity(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	enum nat64_stat why;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct nat64_flow6 odd = udp_flow(10 + i, 5001);
		struct nat64_flow6 even = udp_flow(20 + i, 5000);
		struct nat64_session *so = create6(inst, &odd, &why);
		struct nat64_session *se = create6(inst, &even, &why);

		KUNIT_ASSERT_NOT_NULL(test, so);
		KUNIT_ASSERT_NOT_NULL(test, se);
		KUNIT_EXPECT_EQ(test, so->key.bib->key4.port & 1, 1);
		KUNIT_EXPECT_EQ(test, se->key.bib->key4.port & 1, 0);
	}
}

/* Different clients start their search in different places. */
static void bib_test_spread(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 1000);
	enum nat64_stat why;
	unsigned int i, low = 0;

	for (i = 0; i < 64; i++) {
		struct nat64_flow6 flow = udp_flow(100 + i, 7000);
		struct nat64_session *s = create6(inst, &flow, &why);

		KUNIT_ASSERT_NOT_NULL(test, s);
		if (s->key.bib->key4.port < TEST_PORT_MIN + 500)
			low++;
	}
	/* A sequential allocator would put all 64 in the low half. */
	KUNIT_EXPECT_LT(test, low, 60U);
	KUNIT_EXPECT_GT(test, low, 4U);
}

#define MANY_CLIENTS 16
#define MANY_FLOWS 512

/*
 * Many clients with many flows each, filling half the pool: none may be
 * refused, and each client stays on few IPv4 addresses (paired pooling).
 * Their runs of mappings meet; the search once crawled through another
 * client's run a port at a time and gave up at max_iterations.
 */
static void bib_test_many_clients(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_pool4 *pool = nat64_pool4_alloc(1);
	unsigned int client, n, refused = 0, addresses = 0;
	u64 used[MANY_CLIENTS] = {};	/* bit i: 192.0.2.i */
	enum nat64_stat why;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	/* 64 addresses of 256 ports: 16384 transport addresses. */
	pool->ranges[0] = (struct nat64_pool4_range) {
		.proto = IPPROTO_UDP, .plen = 26, .prefix = htonl(0xc0000200),
		.port_min = 1024, .port_max = 1279,
	};
	nat64_pool4_free(rcu_replace_pointer(inst->pool4, pool, true));
	inst->settings.max_iterations = 256;
	inst->settings.max_bib_entries = MANY_CLIENTS * MANY_FLOWS;
	inst->settings.max_sessions = MANY_CLIENTS * MANY_FLOWS;

	for (n = 0; n < MANY_FLOWS; n++) {
		for (client = 0; client < MANY_CLIENTS; client++) {
			struct nat64_flow6 flow = udp_flow(client + 1,
							   10000 + n);
			struct nat64_session *s = create6(inst, &flow, &why);

			if (!s) {
				refused++;
				continue;
			}
			used[client] |= BIT_ULL(ntohl(s->key.bib->key4.addr) &
						63);
		}
	}
	for (client = 0; client < MANY_CLIENTS; client++)
		addresses += hweight64(used[client]);
	KUNIT_EXPECT_EQ(test, refused, 0U);
	/*
	 * 512 mappings need 2 addresses of 256 ports. Where a client starts
	 * is random, and clients sharing a resume slot push each other on:
	 * runs have given up to 84 addresses for the 16; allow 8 each.
	 * Without pairing, each client would use nearly all 64.
	 */
	KUNIT_EXPECT_LE(test, addresses, MANY_CLIENTS * 8);
	kunit_info(test, "%u clients on %u IPv4 addresses\n", MANY_CLIENTS,
		   addresses);
}

static void bib_test_session_cap(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 flow = udp_flow(1, 5000);
	enum nat64_stat why;

	inst->settings.max_sessions = 2;
	KUNIT_ASSERT_NOT_NULL(test, create6(inst, &flow, &why));
	flow.dst_port = 54;
	KUNIT_ASSERT_NOT_NULL(test, create6(inst, &flow, &why));
	flow.dst_port = 55;
	KUNIT_EXPECT_NULL(test, create6(inst, &flow, &why));
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_TABLE_FULL);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 2U);

	/* A new client needs a BIB entry: that cap holds too. */
	inst->settings.max_sessions = 100;
	inst->settings.max_bib_entries = 1;
	flow = udp_flow(2, 5000);
	KUNIT_EXPECT_NULL(test, create6(inst, &flow, &why));
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_TABLE_FULL);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 1U);
}

static void bib_test_expiry(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 a = udp_flow(1, 5000), b = udp_flow(2, 5000);
	struct nat64_session *sa, *sb;
	enum nat64_stat why;
	u32 now = jiffies;

	sa = create6(inst, &a, &why);
	sb = create6(inst, &b, &why);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_ASSERT_NOT_NULL(test, sb);
	WRITE_ONCE(sa->expires, now - 1);
	nat64_session_touch(sb, 100 * HZ);

	mutex_lock(&inst->bib.mutex);
	KUNIT_EXPECT_EQ(test, sweep_whole(test, inst, session_expired, &now), 1U);
	mutex_unlock(&inst->bib.mutex);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 1U);
	/* The expired session was the BIB entry's last: it went too. */
	KUNIT_EXPECT_EQ(test, held_entries(inst), 1U);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, nat64_session_find6(&inst->bib, &a));
	KUNIT_EXPECT_PTR_EQ(test, nat64_session_find6(&inst->bib, &b), sb);
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, nat64_bib_flush(inst), 0);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 0U);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 0U);
}

static unsigned int purge(struct nat64_instance *inst,
			  const struct nat64_pool4 *old,
			  const struct nat64_pool4 *new)
{
	unsigned int removed;

	mutex_lock(&inst->bib.mutex);
	removed = bib_purge(inst, old, new);
	mutex_unlock(&inst->bib.mutex);
	return removed;
}

static void bib_test_purge(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 flow = udp_flow(1, 5000);
	struct nat64_pool4 *pool = rcu_dereference_protected(inst->pool4, true);
	struct nat64_pool4 *other = nat64_pool4_alloc(1);
	enum nat64_stat why;

	KUNIT_ASSERT_NOT_NULL(test, other);
	other->ranges[0] = pool->ranges[0];
	other->ranges[0].prefix = htonl(0xc0000202);
	KUNIT_ASSERT_NOT_NULL(test, create6(inst, &flow, &why));

	KUNIT_EXPECT_EQ(test, purge(inst, pool, pool), 0U);
	/* Only state of the transport addresses that left is removed. */
	KUNIT_EXPECT_EQ(test, purge(inst, other, other), 0U);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 1U);
	KUNIT_EXPECT_EQ(test, purge(inst, pool, other), 1U);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 0U);
	nat64_pool4_free(other);
}

static void bib_test_static(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 2);
	struct nat64_bib_entry *bibe;
	struct nat64_tables *old;
	struct nat64_bib_key6 key6;
	struct nat64_bib_key4 key4;
	struct nat64_flow6 flow;
	struct nat64_session *s;
	enum nat64_stat why;
	const char *msg;
	u32 id;

	flow = udp_flow(7, 80);
	bib_key6_init(&key6, IPPROTO_UDP, &flow.src, 80);
	bib_key4_init(&key4, IPPROTO_UDP, htonl(0xc0000201), TEST_PORT_MIN);
	KUNIT_ASSERT_EQ(test, nat64_bib_add_static(inst, &key6, &key4, &msg), 0);
	KUNIT_EXPECT_EQ(test, nat64_bib_add_static(inst, &key6, &key4, &msg),
			-EEXIST);
	key4.addr = htonl(0xc0000299);
	KUNIT_EXPECT_EQ(test, nat64_bib_add_static(inst, &key6, &key4, &msg),
			-EINVAL);
	key4.addr = htonl(0xc0000201);

	/* The server's own traffic uses its static mapping. */
	s = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->key.bib->key4.port, TEST_PORT_MIN);
	KUNIT_EXPECT_TRUE(test, s->key.bib->is_static);
	/* Dynamic mappings avoid its port: one port is left, then none. */
	flow = udp_flow(8, 5000);
	s = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->key.bib->key4.port, TEST_PORT_MIN + 1);
	flow = udp_flow(9, 5000);
	KUNIT_EXPECT_NULL(test, create6(inst, &flow, &why));

	/*
	 * A flush leaves the static entry in place, in new tables, with its
	 * id (dump cursors); the old tables last while someone holds them.
	 */
	old = nat64_tables_get(&inst->bib);
	rcu_read_lock();
	id = nat64_bib_find4(&inst->bib, IPPROTO_UDP, key4.addr,
			     TEST_PORT_MIN)->id;
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, nat64_bib_flush(inst), 0);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 1U);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 0U);
	KUNIT_EXPECT_EQ(test, old->session_count, 2U);
	nat64_tables_put(old);
	rcu_read_lock();
	bibe = nat64_bib_find4(&inst->bib, IPPROTO_UDP, key4.addr,
			       TEST_PORT_MIN);
	KUNIT_ASSERT_NOT_NULL(test, bibe);
	KUNIT_EXPECT_TRUE(test, bibe->is_static);
	KUNIT_EXPECT_EQ(test, bibe->id, id);
	rcu_read_unlock();
	flow = udp_flow(7, 80);
	s = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->key.bib->key4.port, TEST_PORT_MIN);

	/* Deleting the copy takes its sessions with it. */
	KUNIT_EXPECT_EQ(test, nat64_bib_del_static(inst, &key6, &key4), 0);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 0U);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 0U);
	KUNIT_EXPECT_EQ(test, nat64_bib_del_static(inst, &key6, &key4),
			-ENOENT);
}

/* An IPv4 session of @bibe's, as endpoint-independent filtering makes. */
static struct nat64_session *create4(struct nat64_instance *inst,
				     struct nat64_bib_entry *bibe,
				     __be32 remote, u16 port,
				     enum nat64_stat *why)
{
	struct nat64_session *s;

	rcu_read_lock();
	s = nat64_session_create4(inst, bibe, remote, port, HZ, why);
	rcu_read_unlock();
	return s;
}

static bool peer_known(struct nat64_instance *inst,
		       const struct nat64_bib_entry *bibe, __be32 remote)
{
	bool known;

	rcu_read_lock();
	known = nat64_session_peer_known(&inst->bib, bibe, remote);
	rcu_read_unlock();
	return known;
}

static bool session_is(const struct nat64_session *session, const void *arg)
{
	return session == arg;
}

/* Removes @s as a sweep would. Return: whether it was there. */
static bool remove_one(struct nat64_instance *inst, struct nat64_session *s)
{
	unsigned int removed;
	bool whole;

	mutex_lock(&inst->bib.mutex);
	removed = sweep(inst, session_is, s, &whole);
	mutex_unlock(&inst->bib.mutex);
	return removed == 1 && whole;
}

/*
 * A new mapping holds its flow's session; later ones are separate, in
 * the session table. The first can go while the others stay, and its
 * slot is not reused: the same flow again is a further session.
 */
static void bib_test_first_session(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 flow = udp_flow(1, 5000), other = flow;
	__be32 remote = htonl(0xcb007101);
	struct nat64_session *first, *s4, *s6, *again;
	struct nat64_bib_entry *bibe;
	u32 now = jiffies;
	enum nat64_stat why;

	other.dst_port = 54;
	first = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, first);
	bibe = (struct nat64_bib_entry *)first->key.bib;
	KUNIT_EXPECT_PTR_EQ(test, first, &bibe->first);
	s6 = create6(inst, &other, &why);
	s4 = create4(inst, bibe, remote, 7000, &why);
	KUNIT_ASSERT_NOT_NULL(test, s6);
	KUNIT_ASSERT_NOT_NULL(test, s4);
	KUNIT_EXPECT_PTR_NE(test, s6, &bibe->first);
	KUNIT_EXPECT_PTR_NE(test, s4, &bibe->first);
	KUNIT_EXPECT_PTR_EQ(test, s6->key.bib, first->key.bib);
	KUNIT_EXPECT_EQ(test, bibe->sessions, 3U);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 1U);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 3U);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, nat64_session_find6(&inst->bib, &flow), first);
	KUNIT_EXPECT_PTR_EQ(test, nat64_session_find6(&inst->bib, &other), s6);
	KUNIT_EXPECT_PTR_EQ(test, nat64_session_find4(&inst->bib, bibe,
						      remote, 7000), s4);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, peer_known(inst, bibe, flow.dst));
	KUNIT_EXPECT_TRUE(test, peer_known(inst, bibe, remote));

	/* The first expires; the entry and the others stay. */
	WRITE_ONCE(first->expires, now - 1);
	nat64_session_touch(s6, 100 * HZ);
	nat64_session_touch(s4, 100 * HZ);
	mutex_lock(&inst->bib.mutex);
	KUNIT_EXPECT_EQ(test, sweep_whole(test, inst, session_expired, &now), 1U);
	mutex_unlock(&inst->bib.mutex);
	KUNIT_EXPECT_FALSE(test, remove_one(inst, first));
	KUNIT_EXPECT_EQ(test, held_entries(inst), 1U);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 2U);
	KUNIT_EXPECT_EQ(test, bibe->first_state, NAT64_FIRST_GONE);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, nat64_bib_find4(&inst->bib, IPPROTO_UDP,
						  bibe->key4.addr,
						  bibe->key4.port), bibe);
	KUNIT_EXPECT_PTR_EQ(test, nat64_session_find6(&inst->bib, &other), s6);
	/* Port 54 of the same address is still known to the filter. */
	KUNIT_EXPECT_TRUE(test, nat64_session_peer_known(&inst->bib, bibe,
							 flow.dst));
	KUNIT_EXPECT_NULL(test, nat64_session_find6(&inst->bib, &flow));
	rcu_read_unlock();

	/* The first's flow again: a further session of the same entry. */
	again = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, again);
	KUNIT_EXPECT_PTR_NE(test, again, &bibe->first);
	KUNIT_EXPECT_PTR_EQ(test, again->key.bib, first->key.bib);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 3U);

	/* The further ones go too; the entry goes with the last. */
	KUNIT_EXPECT_TRUE(test, remove_one(inst, s6));
	KUNIT_EXPECT_TRUE(test, remove_one(inst, again));
	KUNIT_EXPECT_TRUE(test, peer_known(inst, bibe, remote));
	KUNIT_EXPECT_FALSE(test, peer_known(inst, bibe, flow.dst));
	KUNIT_EXPECT_TRUE(test, remove_one(inst, s4));
	KUNIT_EXPECT_EQ(test, held_entries(inst), 0U);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 0U);
}

/* A flush frees entries with and without their first, and further ones. */
static void bib_test_first_session_flush(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 a = udp_flow(1, 5000), b = udp_flow(2, 5000);
	struct nat64_session *sa, *sb;
	enum nat64_stat why;

	sa = create6(inst, &a, &why);
	sb = create6(inst, &b, &why);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_ASSERT_NOT_NULL(test, sb);
	KUNIT_ASSERT_NOT_NULL(test, create4(inst, (struct nat64_bib_entry *)
					    sb->key.bib, htonl(0xcb007101),
					    7000, &why));
	KUNIT_EXPECT_TRUE(test, remove_one(inst, sb));
	KUNIT_EXPECT_EQ(test, held_entries(inst), 2U);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 2U);
	KUNIT_EXPECT_EQ(test, nat64_bib_flush(inst), 0);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 0U);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 0U);
	/* The new tables work: the same flow is a new mapping. */
	sa = create6(inst, &a, &why);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_EXPECT_PTR_EQ(test, sa, &sa->key.bib->first);
}

#define MANY_PORTS 2000

/*
 * The sessions of one remote address, on many ports: each is one probe
 * away, and the group survives the removal of whichever is its leader.
 */
static void bib_test_peer_group(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 flow = udp_flow(1, 5000);
	__be32 remote = htonl(0xcb007101), other = htonl(0xcb007102);
	struct nat64_session **s, *leader;
	struct nat64_bib_entry *bibe;
	enum nat64_stat why;
	unsigned int i;

	s = kunit_kcalloc(test, MANY_PORTS, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	inst->settings.max_sessions = MANY_PORTS + 10;
	inst->settings.max_sessions_per_bib = MANY_PORTS + 10;
	leader = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, leader);
	bibe = (struct nat64_bib_entry *)leader->key.bib;
	for (i = 0; i < MANY_PORTS; i++) {
		s[i] = create4(inst, bibe, remote, 1000 + i, &why);
		KUNIT_ASSERT_NOT_NULL(test, s[i]);
	}
	rcu_read_lock();
	for (i = 0; i < MANY_PORTS; i++)
		KUNIT_EXPECT_PTR_EQ(test, nat64_session_find4(&inst->bib, bibe,
							      remote, 1000 + i),
				    s[i]);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, peer_known(inst, bibe, remote));
	KUNIT_EXPECT_FALSE(test, peer_known(inst, bibe, other));

	/* The first is the group's leader; its followers take over. */
	KUNIT_EXPECT_TRUE(test, remove_one(inst, s[0]));
	KUNIT_EXPECT_FALSE(test, remove_one(inst, s[0]));
	KUNIT_EXPECT_TRUE(test, peer_known(inst, bibe, remote));
	for (i = MANY_PORTS - 1; i > 1; i--)
		KUNIT_EXPECT_TRUE(test, remove_one(inst, s[i]));
	KUNIT_EXPECT_TRUE(test, peer_known(inst, bibe, remote));
	KUNIT_EXPECT_TRUE(test, remove_one(inst, s[1]));
	KUNIT_EXPECT_FALSE(test, peer_known(inst, bibe, remote));
	/* The IPv6 side's own session kept the entry. */
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 1U);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 1U);
	KUNIT_EXPECT_TRUE(test, peer_known(inst, bibe, flow.dst));
}

/* One mapping's peers cannot take the whole session table. */
static void bib_test_bib_session_cap(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 a = udp_flow(1, 5000), b = udp_flow(2, 5000);
	__be32 remote = htonl(0xcb007101);
	struct nat64_session *sa, *sb;
	struct nat64_bib_entry *bibe;
	enum nat64_stat why;

	inst->settings.max_sessions_per_bib = 3;
	sa = create6(inst, &a, &why);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	bibe = (struct nat64_bib_entry *)sa->key.bib;
	KUNIT_EXPECT_NOT_NULL(test, create4(inst, bibe, remote, 1, &why));
	KUNIT_EXPECT_NOT_NULL(test, create4(inst, bibe, remote, 2, &why));
	KUNIT_EXPECT_NULL(test, create4(inst, bibe, remote, 3, &why));
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_BIB_SESSIONS_FULL);
	/* The IPv6 node's own flows are not refused. */
	a.dst_port = 54;
	KUNIT_EXPECT_NOT_NULL(test, create6(inst, &a, &why));
	KUNIT_EXPECT_NULL(test, create4(inst, bibe, htonl(0xcb007102), 1,
					&why));
	/* Another mapping is not affected. */
	sb = create6(inst, &b, &why);
	KUNIT_ASSERT_NOT_NULL(test, sb);
	KUNIT_EXPECT_NOT_NULL(test, create4(inst, (struct nat64_bib_entry *)
					    sb->key.bib, remote, 3, &why));
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 6U);
}

/* Static entries are BIB entries: max_bib_entries counts them. */
static void bib_test_static_cap(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 flow = udp_flow(7, 80);
	struct nat64_bib_key6 key6;
	struct nat64_bib_key4 key4;
	enum nat64_stat why;
	const char *msg;

	inst->settings.max_bib_entries = 2;
	bib_key6_init(&key6, IPPROTO_UDP, &flow.src, 80);
	bib_key4_init(&key4, IPPROTO_UDP, htonl(0xc0000201), TEST_PORT_MIN);
	KUNIT_ASSERT_EQ(test, nat64_bib_add_static(inst, &key6, &key4, &msg), 0);
	key6.port = 81;
	key4.port = TEST_PORT_MIN + 1;
	KUNIT_ASSERT_EQ(test, nat64_bib_add_static(inst, &key6, &key4, &msg), 0);
	key6.port = 82;
	key4.port = TEST_PORT_MIN + 2;
	KUNIT_EXPECT_EQ(test, nat64_bib_add_static(inst, &key6, &key4, &msg),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 2U);
	flow = udp_flow(8, 5000);
	KUNIT_EXPECT_NULL(test, create6(inst, &flow, &why));
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_TABLE_FULL);
	/* A flush keeps them, and the count. */
	KUNIT_EXPECT_EQ(test, nat64_bib_flush(inst), 0);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 2U);
}

/*
 * A session the sweep found expired, then refreshed by a packet before
 * the sweep took the lock, keeps its flow.
 */
static void bib_test_sweep_recheck(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 flow = udp_flow(1, 5000);
	struct sweep_chunk *chunk;
	u32 now = jiffies;
	struct nat64_session *s;
	enum nat64_stat why;

	chunk = kunit_kzalloc(test, sizeof(*chunk), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	s = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, s);
	WRITE_ONCE(s->expires, now - 1);
	chunk->doomed = session_expired;
	chunk->arg = &now;

	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, session_expired(s, &now));	/* the walk */
	chunk->sessions[chunk->count++] = s;
	nat64_session_touch(s, 100 * HZ);			/* a packet */
	KUNIT_EXPECT_TRUE(test, sweep_chunk_remove(inst, chunk));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, chunk->removed, 0U);
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 1U);
}

static void event_probe_sink(struct nat64_instance *inst,
			     const struct nat64_event *event)
{
	bool unlocked = spin_trylock_bh(&event_probe.inst->bib.lock);

	/* Emitted after the lock is dropped: listeners add nothing to it. */
	KUNIT_EXPECT_TRUE(event_probe.test, unlocked);
	if (unlocked)
		spin_unlock_bh(&event_probe.inst->bib.lock);
	KUNIT_EXPECT_PTR_EQ(event_probe.test, inst, event_probe.inst);
	event_probe.seen[event->type]++;
}

static const struct nat64_event_sink event_probe_sink_ops = {
	.emit = event_probe_sink,
};

static void bib_test_events(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 flow = udp_flow(1, 5000);
	u32 now;
	struct nat64_session *s;
	enum nat64_stat why;

	memset(&event_probe, 0, sizeof(event_probe));
	event_probe.test = test;
	event_probe.inst = inst;
	nat64_events_set_sink(&event_probe_sink_ops);
	s = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, event_probe.seen[NAT64_EVENT_BIB_NEW], 1U);
	KUNIT_EXPECT_EQ(test, event_probe.seen[NAT64_EVENT_SESSION_NEW], 1U);
	now = jiffies + 2 * HZ;	/* past the session's lifetime */
	mutex_lock(&inst->bib.mutex);
	KUNIT_EXPECT_EQ(test, sweep_whole(test, inst, session_expired, &now), 1U);
	mutex_unlock(&inst->bib.mutex);
	KUNIT_EXPECT_EQ(test, event_probe.seen[NAT64_EVENT_SESSION_DEL], 1U);
	KUNIT_EXPECT_EQ(test, event_probe.seen[NAT64_EVENT_BIB_DEL], 1U);
	KUNIT_EXPECT_EQ(test, nat64_bib_flush(inst), 0);
	KUNIT_EXPECT_EQ(test, event_probe.seen[NAT64_EVENT_FLUSH], 1U);
}

/*
 * Ids are handed out cyclically: past 2^32 creations they start again
 * from the lowest free one. A dump walks ids in order from its cursor;
 * an entry keeps its id for life, so whatever existed when a dump began
 * is still shown exactly once, wrap or not.
 */
static void bib_test_id_wrap(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_bib_entry *bibe;
	struct nat64_flow6 flow;
	unsigned int i, shown = 0;
	enum nat64_stat why;
	unsigned long id;

	inst->bib.bib_next = U32_MAX - 1;
	for (i = 0; i < 4; i++) {
		flow = udp_flow(i + 1, 5000);
		KUNIT_ASSERT_NOT_NULL(test, create6(inst, &flow, &why));
	}
	rcu_read_lock();
	/* A dump that stopped at the last id before the wrap, and resumed. */
	xa_for_each_start(&nat64_tables(&inst->bib)->bib_ids, id, bibe,
			  U32_MAX - 1)
		shown++;
	KUNIT_EXPECT_EQ(test, shown, 2U);
	xa_for_each(&nat64_tables(&inst->bib)->bib_ids, id, bibe)
		shown++;
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, shown, 6U);	/* 2, then all 4 once */
	KUNIT_EXPECT_EQ(test, held_entries(inst), 4U);
}

/*
 * A flush's copy that fails half-way is unlinked and freed: nothing of
 * it stays in the new tables, and kmemleak sees no orphan. (The hash
 * tables take duplicates; the id xarray does not, which is what fails.)
 */
static void bib_test_copy_unwinds(struct kunit *test)
{
	struct nat64_flow6 flow = udp_flow(1, 80);
	struct nat64_bib_entry *a, *b, *in6, *in4;
	struct nat64_tables *t;

	t = tables_new();
	KUNIT_ASSERT_NOT_NULL(test, t);
	a = bib_entry_new(IPPROTO_UDP, &flow.src, 80, htonl(0xc0000201), 100,
			  GFP_KERNEL);
	b = bib_entry_new(IPPROTO_UDP, &flow.src, 81, htonl(0xc0000201), 100,
			  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	a->id = 1;
	b->id = 2;
	KUNIT_EXPECT_EQ(test, tables_add_copy(t, a), 0);
	/* In both hash tables, then refused an id a's copy has. */
	b->key4.port = 101;
	b->id = 1;
	KUNIT_EXPECT_EQ(test, tables_add_copy(t, b), -EBUSY);
	KUNIT_EXPECT_EQ(test, t->bib_count, 1U);
	rcu_read_lock();
	in6 = rhashtable_lookup(&t->by6, &b->key6, by6_params);
	in4 = rhashtable_lookup(&t->by4, &b->key4, by4_params);
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, in6);
	KUNIT_EXPECT_NULL(test, in4);
	nat64_tables_put(t);
	kmem_cache_free(bib_cache, a);
	kmem_cache_free(bib_cache, b);
}

/*
 * While a pool4 change sweeps, a mapping whose address left takes no new
 * session, from either side: the sweep may have passed its bucket.
 */
static void bib_test_purge_race(struct kunit *test)
{
	struct nat64_instance *inst = bib_fixture(test, 4);
	struct nat64_flow6 flow = udp_flow(1, 5000);
	struct nat64_pool4 *pool = rcu_dereference_protected(inst->pool4, true);
	struct nat64_pool4 *other = nat64_pool4_alloc(1);
	struct nat64_bib_entry *bibe;
	struct nat64_session *s;
	enum nat64_stat why;

	KUNIT_ASSERT_NOT_NULL(test, other);
	other->ranges[0] = pool->ranges[0];
	other->ranges[0].prefix = htonl(0xc0000202);
	s = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, s);
	bibe = (struct nat64_bib_entry *)s->key.bib;
	rcu_assign_pointer(inst->pool4, other);
	inst->bib.purging = true;
	flow.dst_port = 54;
	KUNIT_EXPECT_NULL(test, create6(inst, &flow, &why));
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_POOL4_EXHAUSTED);
	KUNIT_EXPECT_NULL(test, create4(inst, bibe, htonl(0xcb007101), 1,
					&why));
	inst->bib.purging = false;	/* a quick change: they live on */
	KUNIT_EXPECT_NOT_NULL(test, create6(inst, &flow, &why));
	rcu_assign_pointer(inst->pool4, pool);
	nat64_pool4_free(other);
}

static struct kunit_case bib_test_cases[] = {
	KUNIT_CASE(bib_test_static),
	KUNIT_CASE(bib_test_create_and_find),
	KUNIT_CASE(bib_test_endpoint_independent),
	KUNIT_CASE(bib_test_exhaustion),
	KUNIT_CASE(bib_test_parity),
	KUNIT_CASE(bib_test_spread),
	KUNIT_CASE(bib_test_many_clients),
	KUNIT_CASE(bib_test_session_cap),
	KUNIT_CASE(bib_test_expiry),
	KUNIT_CASE(bib_test_purge),
	KUNIT_CASE(bib_test_purge_race),
	KUNIT_CASE(bib_test_peer_group),
	KUNIT_CASE(bib_test_first_session),
	KUNIT_CASE(bib_test_first_session_flush),
	KUNIT_CASE(bib_test_bib_session_cap),
	KUNIT_CASE(bib_test_static_cap),
	KUNIT_CASE(bib_test_sweep_recheck),
	KUNIT_CASE(bib_test_events),
	KUNIT_CASE(bib_test_id_wrap),
	KUNIT_CASE(bib_test_copy_unwinds),
	{}
};

static struct kunit_suite bib_test_suite = {
	.name = "nat64_bib",
	.suite_init = bib_test_suite_init,
	.suite_exit = bib_test_suite_exit,
	.exit = bib_test_exit,
	.test_cases = bib_test_cases,
};

kunit_test_suite(bib_test_suite);
