// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: port blocks (port_block.c) on the tables of an instance with no
 * hooks. Included by bib.c after subscriber_test.c, whose fixture and
 * helpers it uses: blocks are made and returned where mappings are.
 */

#define PB_PORT_MIN 2000

/*
 * UDP ports PB_PORT_MIN.. (@ports of them) of the @addrs addresses from
 * 192.0.2.0 (a power of two), lent in blocks of @size, @max to one
 * subscriber, which is a /64.
 */
static struct nat64_instance *pb_fixture(struct kunit *test, u32 addrs,
					 u16 ports, u16 size, u16 max)
{
	struct nat64_instance *inst = bib_fixture(test, 1);
	struct nat64_pool4 *pool = nat64_pool4_alloc(1);

	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->ranges[0] = (struct nat64_pool4_range) {
		.proto = IPPROTO_UDP, .plen = 32 - ilog2(addrs),
		.prefix = htonl(0xc0000200),
		.port_min = PB_PORT_MIN, .port_max = PB_PORT_MIN + ports - 1,
		.block_size = size, .max_blocks = max,
	};
	nat64_pool4_free(rcu_replace_pointer(inst->pool4, pool, true));
	inst->settings.subscriber_prefix_len = 64;
	inst->settings.block_hold_time = 120;
	inst->settings.log_sessions = NAT64_LOG_SESSIONS_AUTO;
	return inst;
}

static struct nat64_port_blocks *pb_blocks(struct nat64_instance *inst)
{
	return &rcu_dereference_protected(inst->bib.tables, true)->blocks;
}

/* The block lent that holds @bibe's transport address, or NULL. */
static struct nat64_port_block *pb_block_of(struct nat64_instance *inst,
					    const struct nat64_bib_entry *bibe)
{
	struct nat64_port_block *b, *found = NULL;
	unsigned long id;

	spin_lock_bh(&inst->bib.lock);
	xa_for_each(&pb_blocks(inst)->ids, id, b)
		if (b->key.proto == bibe->key4.proto &&
		    b->key.addr == bibe->key4.addr &&
		    bibe->key4.port >= b->key.first &&
		    bibe->key4.port <= b->last)
			found = b;
	spin_unlock_bh(&inst->bib.lock);
	return found;
}

static unsigned int pb_count(struct nat64_instance *inst)
{
	return READ_ONCE(pb_blocks(inst)->count);
}

/* A new mapping of subscriber @net's host 1, or NULL. */
static const struct nat64_bib_entry *pb_map(struct nat64_instance *inst,
					    u16 net, u16 sport,
					    enum nat64_stat *why)
{
	struct nat64_flow6 flow = sub_flow(IPPROTO_UDP, net, 1, sport);
	struct nat64_session *s = create6(inst, &flow, why);

	return s ? s->key.bib : NULL;
}

/*
 * Every mapping of a subscriber is in one of its blocks, a block is one
 * subscriber's, and a block's ports are contiguous and aligned.
 */
static void pb_test_confined(struct kunit *test)
{
	struct nat64_instance *inst = pb_fixture(test, 4, 256, 64, 2);
	struct nat64_port_block *first = NULL, *b;
	const struct nat64_bib_entry *bibe;
	unsigned int i, in_first = 0;
	enum nat64_stat why;

	for (i = 0; i < 128; i++) {
		bibe = pb_map(inst, 1, 5000 + i, &why);
		KUNIT_ASSERT_NOT_NULL(test, bibe);
		b = pb_block_of(inst, bibe);
		KUNIT_ASSERT_NOT_NULL(test, b);
		first = first ?: b;
		in_first += b == first;
		KUNIT_EXPECT_EQ(test, (b->key.first - PB_PORT_MIN) % 64, 0);
		KUNIT_EXPECT_EQ(test, b->last - b->key.first, 63);
		KUNIT_EXPECT_EQ(test, b->owner.plen, 64);
		KUNIT_EXPECT_EQ(test, b->owner.prefix.s6_addr[7], 1);
		/* Paired pooling: its second block is on its address. */
		KUNIT_EXPECT_EQ(test, b->key.addr, first->key.addr);
	}
	/* The first block fills before another is taken. */
	KUNIT_EXPECT_EQ(test, in_first, 64U);
	KUNIT_EXPECT_EQ(test, pb_count(inst), 2U);
	/* Another subscriber: a block of its own. */
	bibe = pb_map(inst, 2, 5000, &why);
	KUNIT_ASSERT_NOT_NULL(test, bibe);
	b = pb_block_of(inst, bibe);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->owner.prefix.s6_addr[7], 2);
	KUNIT_EXPECT_EQ(test, pb_count(inst), 3U);
}

/* Past max_blocks full blocks a subscriber is refused; others are not. */
static void pb_test_subscriber_limit(struct kunit *test)
{
	struct nat64_instance *inst = pb_fixture(test, 4, 256, 16, 3);
	enum nat64_stat why;
	unsigned int i;

	for (i = 0; i < 48; i++)
		KUNIT_ASSERT_NOT_NULL(test, pb_map(inst, 1, 5000 + i, &why));
	why = NAT64_STAT_COUNT;
	KUNIT_EXPECT_NULL(test, pb_map(inst, 1, 6000, &why));
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_SUBSCRIBER_BLOCKS);
	KUNIT_EXPECT_EQ(test, pb_count(inst), 3U);
	KUNIT_EXPECT_NOT_NULL(test, pb_map(inst, 2, 6000, &why));
	/* Its mapped ports still reach new peers. */
	KUNIT_EXPECT_EQ(test, held_sessions(inst), 49U);
}

/* When every block is lent, a newcomer is refused; holders go on. */
static void pb_test_exhaustion(struct kunit *test)
{
	struct nat64_instance *inst = pb_fixture(test, 1, 150, 64, 4);
	const struct nat64_bib_entry *a, *b;
	enum nat64_stat why;

	a = pb_map(inst, 1, 5000, &why);
	b = pb_map(inst, 2, 5000, &why);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	/* 150 ports: two blocks; the 22 ports of the tail are not lent. */
	KUNIT_EXPECT_PTR_NE(test, pb_block_of(inst, a), pb_block_of(inst, b));
	KUNIT_EXPECT_LT(test, a->key4.port, PB_PORT_MIN + 128);
	KUNIT_EXPECT_LT(test, b->key4.port, PB_PORT_MIN + 128);
	why = NAT64_STAT_COUNT;
	KUNIT_EXPECT_NULL(test, pb_map(inst, 3, 5000, &why));
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_POOL4_EXHAUSTED);
	KUNIT_EXPECT_NOT_NULL(test, pb_map(inst, 1, 5001, &why));
	KUNIT_EXPECT_NOT_NULL(test, pb_map(inst, 2, 5001, &why));
	KUNIT_EXPECT_EQ(test, pb_count(inst), 2U);
}

/*
 * A block without mappings is held: its subscriber may use it again,
 * nobody else may until block_hold_time has passed.
 */
static void pb_test_hold(struct kunit *test)
{
	struct nat64_instance *inst = pb_fixture(test, 1, 64, 64, 1);
	unsigned long held_at;
	enum nat64_stat why;

	KUNIT_ASSERT_NOT_NULL(test, pb_map(inst, 1, 5000, &why));
	expire_all(inst);
	KUNIT_EXPECT_EQ(test, held_entries(inst), 0U);
	KUNIT_EXPECT_EQ(test, pb_count(inst), 1U);
	/* The record stays with its block, which it finds again. */
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 1U);
	KUNIT_EXPECT_NULL(test, pb_map(inst, 2, 5000, &why));
	KUNIT_EXPECT_EQ(test, why, NAT64_STAT_DROP_POOL4_EXHAUSTED);
	KUNIT_EXPECT_NOT_NULL(test, pb_map(inst, 1, 5001, &why));
	expire_all(inst);
	held_at = jiffies;
	KUNIT_EXPECT_EQ(test, nat64_port_blocks_expire(inst, held_at), 0U);
	KUNIT_EXPECT_EQ(test, nat64_port_blocks_expire(inst, held_at +
						       110 * HZ), 0U);
	KUNIT_EXPECT_EQ(test, pb_count(inst), 1U);
	KUNIT_EXPECT_EQ(test, nat64_port_blocks_expire(inst, held_at + 121 * HZ),
			1U);
	KUNIT_EXPECT_EQ(test, pb_count(inst), 0U);
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 0U);
	KUNIT_EXPECT_NOT_NULL(test, pb_map(inst, 2, 5000, &why));
	KUNIT_EXPECT_EQ(test, pb_count(inst), 1U);
}

/* A block with mappings is never returned, however long it lives. */
static void pb_test_busy_kept(struct kunit *test)
{
	struct nat64_instance *inst = pb_fixture(test, 1, 128, 64, 2);
	enum nat64_stat why;

	KUNIT_ASSERT_NOT_NULL(test, pb_map(inst, 1, 5000, &why));
	KUNIT_EXPECT_EQ(test, nat64_port_blocks_expire(inst, jiffies +
						       100000 * HZ), 0U);
	KUNIT_EXPECT_EQ(test, pb_count(inst), 1U);
}

/* Static entries are outside blocks: refused in a block entry's ports. */
static void pb_test_static(struct kunit *test)
{
	struct nat64_instance *inst = pb_fixture(test, 1, 128, 64, 2);
	struct nat64_flow6 flow = sub_flow(IPPROTO_UDP, 1, 1, 80);
	struct nat64_bib_key6 key6 = { .addr = flow.src, .port = 80,
				       .proto = IPPROTO_UDP };
	struct nat64_bib_key4 key4 = { .addr = htonl(0xc0000200),
				       .port = PB_PORT_MIN + 3,
				       .proto = IPPROTO_UDP };
	const char *msg;

	KUNIT_EXPECT_EQ(test, nat64_bib_add_static(inst, &key6, &key4, &msg),
			-EINVAL);
	/* Outside the entry's ports, the address may be forwarded. */
	key4.port = 80;
	KUNIT_EXPECT_EQ(test, nat64_bib_add_static(inst, &key6, &key4, &msg),
			0);
}

/* A pool4 change drops the blocks whose entry left or changed. */
static void pb_test_prune(struct kunit *test)
{
	struct nat64_instance *inst = pb_fixture(test, 4, 128, 64, 2);
	struct nat64_pool4 *pool, *old;
	enum nat64_stat why;

	KUNIT_ASSERT_NOT_NULL(test, pb_map(inst, 1, 5000, &why));
	KUNIT_ASSERT_NOT_NULL(test, pb_map(inst, 2, 5000, &why));
	pool = nat64_pool4_alloc(1);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->ranges[0] = rcu_dereference_protected(inst->pool4,
						    true)->ranges[0];
	/* Same ports, other blocks: the old ones are not lent any more. */
	pool->ranges[0].block_size = 32;
	old = nat64_bib_replace_pool4(inst, pool, true);
	synchronize_rcu();
	nat64_pool4_free(old);
	KUNIT_EXPECT_EQ(test, pb_count(inst), 0U);
	/*
	 * The mappings' transport addresses are still pool4's: they stay,
	 * in no block, and so do their subscribers' records.
	 */
	KUNIT_EXPECT_EQ(test, held_entries(inst), 2U);
	KUNIT_EXPECT_EQ(test, subscriber_records(inst), 2U);
	/* A new mapping takes a block of the new size. */
	KUNIT_EXPECT_NOT_NULL(test, pb_map(inst, 1, 5001, &why));
	KUNIT_EXPECT_EQ(test, pb_count(inst), 1U);
}

/* A flush returns every block at once, and ends their subscribers. */
static void pb_test_flush(struct kunit *test)
{
	struct nat64_instance *inst = pb_fixture(test, 1, 64, 64, 1);
	enum nat64_stat why;

	KUNIT_ASSERT_NOT_NULL(test, pb_map(inst, 1, 5000, &why));
	KUNIT_EXPECT_EQ(test, nat64_bib_flush(inst), 0);
	KUNIT_EXPECT_EQ(test, pb_count(inst), 0U);
	KUNIT_EXPECT_NOT_NULL(test, pb_map(inst, 2, 5000, &why));
}

/* A new block is an event, and so is its return; mappings are not. */
static void pb_test_events(struct kunit *test)
{
	struct nat64_instance *inst = pb_fixture(test, 1, 64, 64, 1);
	enum nat64_stat why;

	memset(&event_probe, 0, sizeof(event_probe));
	event_probe.test = test;
	event_probe.inst = inst;
	nat64_events_set_sink(&event_probe_sink_ops);
	KUNIT_ASSERT_NOT_NULL(test, pb_map(inst, 1, 5000, &why));
	KUNIT_ASSERT_NOT_NULL(test, pb_map(inst, 1, 5001, &why));
	KUNIT_EXPECT_EQ(test, event_probe.seen[NAT64_EVENT_BLOCK_NEW], 1U);
	expire_all(inst);
	KUNIT_EXPECT_EQ(test, event_probe.seen[NAT64_EVENT_BLOCK_DEL], 0U);
	nat64_port_blocks_expire(inst, jiffies + 200 * HZ);
	KUNIT_EXPECT_EQ(test, event_probe.seen[NAT64_EVENT_BLOCK_DEL], 1U);
	/* Recorded all the same: the sink decides what log_sessions sends. */
	KUNIT_EXPECT_EQ(test, event_probe.seen[NAT64_EVENT_BIB_NEW], 2U);
}

/* Many subscribers on a /28: blocks never overlap, ports never repeat. */
static void pb_test_many(struct kunit *test)
{
	struct nat64_instance *inst = pb_fixture(test, 16, 1024, 64, 2);
	const struct nat64_bib_entry *bibe;
	struct nat64_port_block *b, *c;
	unsigned long i, j;
	enum nat64_stat why;
	u16 net;

	/*
	 * 3,200 mappings: above the fixture's table limits of 1,000, which
	 * would refuse them for a reason that is not the blocks'.
	 */
	inst->settings.max_bib_entries = 4000;
	inst->settings.max_sessions = 4000;

	/*
	 * 16 addresses of 16 blocks of 64, a quarter of them taken: 32
	 * subscribers with two each, 100 mappings in their 128 ports.
	 * Blocks no longer than the tries are searched whole, so every
	 * mapping finds a port. (Longer blocks are sampled at random, and
	 * may refuse a mapping when nearly full; the choice of a free
	 * block is a bounded random search too.)
	 */
	for (net = 1; net <= 32; net++) {
		for (i = 0; i < 100; i++) {
			why = NAT64_STAT_COUNT;
			bibe = pb_map(inst, net, 5000 + i, &why);
			KUNIT_ASSERT_NOT_NULL_MSG(test, bibe,
						  "subscriber %u, mapping %lu: drop reason %d",
						  net, i, why);
			b = pb_block_of(inst, bibe);
			KUNIT_ASSERT_NOT_NULL(test, b);
			KUNIT_ASSERT_EQ(test, b->owner.prefix.s6_addr[6] << 8 |
					b->owner.prefix.s6_addr[7], net);
		}
	}
	KUNIT_EXPECT_EQ(test, pb_count(inst), 64U);
	xa_for_each(&pb_blocks(inst)->ids, i, b)
		xa_for_each_start(&pb_blocks(inst)->ids, j, c, i + 1)
			KUNIT_EXPECT_FALSE(test, b->key.addr == c->key.addr &&
					   b->key.first == c->key.first);
}

static struct kunit_case port_block_test_cases[] = {
	KUNIT_CASE(pb_test_confined),
	KUNIT_CASE(pb_test_subscriber_limit),
	KUNIT_CASE(pb_test_exhaustion),
	KUNIT_CASE(pb_test_hold),
	KUNIT_CASE(pb_test_busy_kept),
	KUNIT_CASE(pb_test_static),
	KUNIT_CASE(pb_test_prune),
	KUNIT_CASE(pb_test_flush),
	KUNIT_CASE(pb_test_events),
	KUNIT_CASE(pb_test_many),
	{}
};

static struct kunit_suite port_block_test_suite = {
	.name = "nat64_port_block",
	.suite_init = bib_test_suite_init,
	.suite_exit = bib_test_suite_exit,
	.exit = bib_test_exit,
	.test_cases = port_block_test_cases,
};

kunit_test_suite(port_block_test_suite);
