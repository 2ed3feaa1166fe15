// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: per-subscriber limits (RFC 6888 REQ-3, REQ-4) on the tables of
 * an instance with no hooks. Included by bib.c after bib_test.c, whose
 * fixture and helpers it uses.
 */

/* 2001:db8:0:<net>::<host>: @net is the /64, its high byte the /56. */
static struct nat64_flow6 sub_flow(u8 proto, u16 net, u16 host, u16 sport)
{
	struct nat64_flow6 flow = udp_flow(host, sport);

	flow.proto = proto;
	flow.src.s6_addr[6] = net >> 8;
	flow.src.s6_addr[7] = net & 0xff;
	return flow;
}

/* How many of @n new mappings, sport @sport on, get through. */
static unsigned int open_flows(struct nat64_instance *inst, u8 proto,
			       u16 net, u16 host, u16 sport, unsigned int n,
			       enum nat64_stat *why)
{
	unsigned int i, opened = 0;

	for (i = 0; i < n; i++) {
		struct nat64_flow6 flow = sub_flow(proto, net, host, sport + i);

		opened += !!create6(inst, &flow, why);
	}
	return opened;
}

/* Removes every session, as if their timeouts had all passed. */
static void expire_all(struct nat64_instance *inst)
{
	u32 later = jiffies + 1000 * HZ;
	bool whole;

	mutex_lock(&inst->bib.mutex);
	sweep(inst, session_expired, &later, &whole);
	mutex_unlock(&inst->bib.mutex);
}

/* The record @bibe counts in, or NULL. */
static struct nat64_subscriber *subscriber(struct nat64_instance *inst,
					   const struct nat64_bib_entry *bibe)
{
	struct nat64_subscriber *sub;

	spin_lock_bh(&inst->bib.lock);
	sub = entry_subscriber(nat64_tables(&inst->bib), bibe);
	spin_unlock_bh(&inst->bib.lock);
	return sub;
}

static unsigned int subscriber_records(struct nat64_instance *inst)
{
	return atomic_read(&rcu_dereference_protected(inst->bib.tables,
						      true)->subscribers.nelems);
}

static struct nat64_instance *sub_fixture(struct kunit *test,
					  unsigned int plen, unsigned int max)
{
	struct nat64_instance *inst = bib_fixture(test, 64);
	struct nat64_pool4 *pool = nat64_pool4_alloc(2);

	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->ranges[0] = (struct nat64_pool4_range) {
		.proto = IPPROTO_TCP, .plen = 32, .prefix = htonl(0xc0000201),
		.port_min = 1000, .port_max = 1063,
	};
	pool->ranges[1] = rcu_dereference_protected(inst->pool4,
						    true)->ranges[0];
	nat64_pool4_free(rcu_replace_pointer(inst->pool4, pool, true));
	inst->settings.subscriber_prefix_len = plen;
	inst->settings.max_ports_per_subscriber = max;
	return inst;
}

/* Two hosts of one /64 share its ports; another /64 has its own. */
static void subscriber_test_slash64(struct kunit *test)
{
	struct nat64_instance *inst = sub_fixture(test, 64, 3);
	struct nat64_flow6 flow = sub_flow(IPPROTO_UDP, 1, 1, 5000);
	enum nat64_stat why = NAT64_STAT_COUNT;

	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 5000, 2,
					 &why), 2U);
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 2, 5000, 3,
					 &why), 1U);
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_SUBSCRIBER_LIMIT);
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 2, 1, 5000, 4,
					 &why), 3U);
	/* A limit on mappings: a mapped port still reaches new peers. */
	flow.dst_port = 54;
	KUNIT_EXPECT_NOT_NULL(test, create6(inst, &flow, &why));
	/* Per protocol: TCP ports of the full subscriber are its own. */
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_TCP, 1, 1, 5000, 4,
					 &why), 3U);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 9U);
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 2U);
}

static void subscriber_test_slash56(struct kunit *test)
{
	struct nat64_instance *inst = sub_fixture(test, 56, 3);
	enum nat64_stat why;

	/* 2001:db8:0:100::/64 and 2001:db8:0:1ff::/64 are one /56. */
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 0x100, 1, 5000, 2,
					 &why), 2U);
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 0x1ff, 1, 5000, 2,
					 &why), 1U);
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 0x200, 1, 5000, 4,
					 &why), 3U);
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 2U);
}

static void subscriber_test_slash128(struct kunit *test)
{
	struct nat64_instance *inst = sub_fixture(test, 128, 3);
	enum nat64_stat why;

	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 5000, 4,
					 &why), 3U);
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 2, 5000, 4,
					 &why), 3U);
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 2U);
}

/* Counts are kept with no limit set, so a limit set later holds. */
static void subscriber_test_runtime(struct kunit *test)
{
	struct nat64_instance *inst = sub_fixture(test, 64, 0);
	struct nat64_flow6 flow = sub_flow(IPPROTO_UDP, 1, 1, 5000);
	struct nat64_session *s;
	enum nat64_stat why;

	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 5000, 5,
					 &why), 5U);
	inst->settings.max_ports_per_subscriber = 3;
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 6000, 1,
					 &why), 0U);
	inst->settings.max_ports_per_subscriber = 6;
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 6000, 2,
					 &why), 1U);

	/* A new prefix length: new mappings count in new records. */
	inst->settings.subscriber_prefix_len = 128;
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 7000, 7,
					 &why), 6U);
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 2U);
	/* The old entries still find their /64 record when they go. */
	rcu_read_lock();
	s = nat64_session_find6(&inst->bib, &flow);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->key.bib->sub_plen, 64);
	KUNIT_ASSERT_NOT_NULL(test, subscriber(inst, s->key.bib));
	KUNIT_EXPECT_EQ(test, subscriber(inst, s->key.bib)->ports[NAT64_SUB_UDP],
			6U);
	expire_all(inst);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 0U);
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 0U);
}

static void subscriber_test_flush(struct kunit *test)
{
	struct nat64_instance *inst = sub_fixture(test, 64, 3);
	enum nat64_stat why;

	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 5000, 4,
					 &why), 3U);
	KUNIT_EXPECT_EQ(test, nat64_bib_flush(inst), 0);
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 0U);
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 6000, 4,
					 &why), 3U);
}

/* A session that expires takes its entry, and its port, along. */
static void subscriber_test_expiry(struct kunit *test)
{
	struct nat64_instance *inst = sub_fixture(test, 64, 3);
	struct nat64_flow6 flow = sub_flow(IPPROTO_UDP, 1, 1, 5000);
	u32 now = jiffies;
	struct nat64_session *s;
	enum nat64_stat why;

	s = create6(inst, &flow, &why);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 5001, 3,
					 &why), 2U);
	WRITE_ONCE(s->expires, now - 1);
	mutex_lock(&inst->bib.mutex);
	KUNIT_EXPECT_EQ(test, sweep_whole(test, inst, session_expired, &now), 1U);
	mutex_unlock(&inst->bib.mutex);
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 6000, 2,
					 &why), 1U);
	expire_all(inst);
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 0U);
}

static void subscriber_test_sessions(struct kunit *test)
{
	struct nat64_instance *inst = sub_fixture(test, 64, 0);
	struct nat64_flow6 a = sub_flow(IPPROTO_UDP, 1, 1, 5000);
	struct nat64_flow6 b = sub_flow(IPPROTO_UDP, 2, 1, 5000);
	struct nat64_bib_entry *bibe;
	struct nat64_session *s;
	enum nat64_stat why;

	inst->settings.max_sessions_per_subscriber = 2;
	s = create6(inst, &a, &why);
	KUNIT_ASSERT_NOT_NULL(test, s);
	bibe = (struct nat64_bib_entry *)s->key.bib;
	KUNIT_EXPECT_NOT_NULL(test, create4(inst, bibe, htonl(0xcb007101), 1,
					    &why));
	/* Neither side opens a third, nor does a new mapping. */
	KUNIT_EXPECT_NULL(test, create4(inst, bibe, htonl(0xcb007101), 2,
					&why));
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_SUBSCRIBER_LIMIT);
	a.dst_port = 54;
	KUNIT_EXPECT_NULL(test, create6(inst, &a, &why));
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_SUBSCRIBER_LIMIT);
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 6000, 1,
					 &why), 0U);
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_SUBSCRIBER_LIMIT);
	/* The refused mapping left no entry, and no count, behind. */
	KUNIT_EXPECT_EQ(test, held_entries(inst), 1U);
	KUNIT_ASSERT_NOT_NULL(test, subscriber(inst, bibe));
	KUNIT_EXPECT_EQ(test, subscriber(inst, bibe)->entries, 1U);
	KUNIT_EXPECT_EQ(test, subscriber(inst, bibe)->sessions, 2U);
	KUNIT_EXPECT_NOT_NULL(test, create6(inst, &b, &why));
	b.dst_port = 54;
	KUNIT_EXPECT_NOT_NULL(test, create6(inst, &b, &why));
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 4U);
}

/* A static entry is the operator's: it counts against nobody. */
static void subscriber_test_static(struct kunit *test)
{
	struct nat64_instance *inst = sub_fixture(test, 64, 1);
	struct nat64_flow6 flow = sub_flow(IPPROTO_UDP, 1, 1, 80);
	struct nat64_bib_key6 key6;
	struct nat64_bib_key4 key4;
	enum nat64_stat why;
	const char *msg;

	bib_key6_init(&key6, IPPROTO_UDP, &flow.src, 80);
	bib_key4_init(&key4, IPPROTO_UDP, htonl(0xc0000201), TEST_PORT_MIN);
	KUNIT_ASSERT_EQ(test, nat64_bib_add_static(inst, &key6, &key4, &msg), 0);
	KUNIT_EXPECT_NOT_NULL(test, create6(inst, &flow, &why));
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 0U);
	KUNIT_EXPECT_EQ(test, open_flows(inst, IPPROTO_UDP, 1, 1, 5000, 2,
					 &why), 1U);
}

static struct kunit_case subscriber_test_cases[] = {
	KUNIT_CASE(subscriber_test_slash64),
	KUNIT_CASE(subscriber_test_slash56),
	KUNIT_CASE(subscriber_test_slash128),
	KUNIT_CASE(subscriber_test_runtime),
	KUNIT_CASE(subscriber_test_flush),
	KUNIT_CASE(subscriber_test_expiry),
	KUNIT_CASE(subscriber_test_sessions),
	KUNIT_CASE(subscriber_test_static),
	{}
};

static struct kunit_suite subscriber_test_suite = {
	.name = "nat64_subscriber",
	.suite_init = bib_test_suite_init,
	.suite_exit = bib_test_suite_exit,
	.exit = bib_test_exit,
	.test_cases = subscriber_test_cases,
};

kunit_test_suite(subscriber_test_suite);
