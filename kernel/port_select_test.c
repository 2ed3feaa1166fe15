// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: choosing pool4 transport addresses. Included by port_select.c.
 *
 * The search is the real one; what is in use is a bitmap over the pool's
 * sequence (the fake) instead of a BIB, so that a /24 of 4535 ports can
 * be filled, and the fake counts the lookups the search makes. A BIB
 * behind nat64_port_select() is bib_test.c's business.
 */

#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

struct port_select_fake {
	const struct nat64_pool4 *pool;
	u32 mark;
	u8 proto;
	u64 size;
	unsigned long *used;	/* bit i: the i-th of the sequence */
	u64 in_use;
	u64 lookups;
	u64 strays;		/* lookups of what the sequence does not hold */
};

struct port_select_test {
	struct nat64_port_select ps;
	struct nat64_pool4 *pool;
	struct port_select_fake fake;
};

/* 192.0.2.0/24, ports 61001-65535: the default range on 256 addresses. */
static const struct nat64_pool4_range test_range_24 = {
	.proto = IPPROTO_UDP, .plen = 24, .prefix = htonl(0xc0000200),
	.port_min = NAT64_POOL4_PORT_MIN_DEFAULT,
	.port_max = NAT64_POOL4_PORT_MAX_DEFAULT,
};

#define TEST_PORTS_24 (NAT64_POOL4_PORT_MAX_DEFAULT - \
		       NAT64_POOL4_PORT_MIN_DEFAULT + 1)

/* Where @taddr is in the fake's sequence; false if it is not there. */
static bool fake_index(const struct port_select_fake *fake, u8 proto,
		       const struct nat64_taddr4 *taddr, u64 *index)
{
	const struct nat64_pool4_range *r;
	u64 base = 0;

	if (proto != fake->proto)
		return false;
	for (r = fake->pool->ranges; r < fake->pool->ranges + fake->pool->count;
	     r++) {
		u32 ports = r->port_max - r->port_min + 1;
		u64 addrs = 1ULL << (32 - r->plen);
		u32 addr = ntohl(taddr->addr) - ntohl(r->prefix);

		if (r->mark != fake->mark || r->proto != proto)
			continue;
		if (addr < addrs && taddr->port >= r->port_min &&
		    taddr->port <= r->port_max) {
			*index = base + (u64)addr * ports + taddr->port -
				 r->port_min;
			return true;
		}
		base += addrs * ports;
	}
	return false;
}

static bool port_select_fake_in_use(struct port_select_fake *fake, u8 proto,
				    const struct nat64_taddr4 *taddr)
{
	u64 index;

	fake->lookups++;
	if (!fake_index(fake, proto, taddr, &index)) {
		fake->strays++;
		return true;
	}
	return test_bit(index, fake->used);
}

/* The fake follows the transport addresses of @mark and @proto, none used. */
static void fake_reset(struct kunit *test, struct port_select_test *t,
		       u32 mark, u8 proto)
{
	struct port_select_fake *fake = &t->fake;

	vfree(fake->used);
	memset(fake, 0, sizeof(*fake));
	fake->pool = t->pool;
	fake->mark = mark;
	fake->proto = proto;
	fake->size = nat64_pool4_size(t->pool, mark, proto);
	fake->used = vzalloc(BITS_TO_LONGS(fake->size) * sizeof(long) + 1);
	KUNIT_ASSERT_NOT_NULL(test, fake->used);
}

static struct port_select_test *
test_setup(struct kunit *test, const struct nat64_pool4_range *ranges,
	   unsigned int count)
{
	struct port_select_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->pool = kunit_kzalloc(test, struct_size(t->pool, ranges, count),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->pool);
	t->pool->count = count;
	memcpy(t->pool->ranges, ranges, count * sizeof(*ranges));
	nat64_port_select_init(&t->ps);
	test->priv = t;
	fake_reset(test, t, ranges[0].mark, ranges[0].proto);
	return t;
}

static void port_select_test_exit(struct kunit *test)
{
	struct port_select_test *t = test->priv;

	if (t)
		vfree(t->fake.used);
}

static struct nat64_flow6 test_flow(u8 proto, u32 mark, u32 client,
				    u16 src_port)
{
	struct nat64_flow6 flow = {
		.proto = proto,
		.mark = mark,
		.src = { .s6_addr = { 0x20, 0x01, 0x0d, 0xb8 } },
		.src_port = src_port,
		.dst = htonl(0xc6336405),	/* 198.51.100.5 */
		.dst_port = 53,
	};

	flow.src.s6_addr32[3] = htonl(client);
	return flow;
}

/* A search as bib_create6() makes one. @tries: how many it spent. */
static bool fake_select(struct port_select_test *t,
			const struct nat64_flow6 *flow, u32 max_iterations,
			struct nat64_taddr4 *taddr, u32 *tries)
{
	struct search s = {
		.ps = &t->ps,
		.pool = t->pool,
		.flow = flow,
		.fake = &t->fake,
	};
	bool found = port_select(&s, max_iterations, taddr);

	if (tries)
		*tries = min_t(u32, max_iterations,
			       NAT64_PORT_SELECT_MAX_TRIES) - s.tries;
	return found;
}

static void fake_take(struct kunit *test, struct port_select_fake *fake,
		      u8 proto, const struct nat64_taddr4 *taddr)
{
	u64 index;

	KUNIT_ASSERT_TRUE(test, fake_index(fake, proto, taddr, &index));
	KUNIT_ASSERT_FALSE(test, test_bit(index, fake->used));
	__set_bit(index, fake->used);
	fake->in_use++;
}

static void fake_release(struct kunit *test, struct port_select_fake *fake,
			 u8 proto, const struct nat64_taddr4 *taddr)
{
	u64 index;

	KUNIT_ASSERT_TRUE(test, fake_index(fake, proto, taddr, &index));
	__clear_bit(index, fake->used);
	fake->in_use--;
}

/* A new mapping: found, in the pool, not in use before; now in use. */
static bool fake_map(struct kunit *test, struct port_select_test *t,
		     const struct nat64_flow6 *flow, u32 max_iterations,
		     struct nat64_taddr4 *taddr)
{
	if (!fake_select(t, flow, max_iterations, taddr, NULL))
		return false;
	fake_take(test, &t->fake, flow->proto, taddr);
	return true;
}

#define SUCCESSIVE 1000

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * What an observer of one client's mappings learns of its next one: the
 * address (paired pooling), not the port. The allocator this replaced
 * answered "the port after the last of this parity": a constant delta.
 */
static void port_select_test_unpredictable(struct kunit *test)
{
	struct port_select_test *t = test_setup(test, &test_range_24, 1);
	unsigned int i, distinct = 1, run = 1, most = 1, small = 0;
	struct nat64_taddr4 first, last, next;
	u64 sum = 0;
	int *delta;

	delta = kunit_kcalloc(test, SUCCESSIVE, sizeof(*delta), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, delta);
	for (i = 0; i <= SUCCESSIVE; i++) {
		struct nat64_flow6 flow = test_flow(IPPROTO_UDP, 0, 1,
						    20000 + i);

		KUNIT_ASSERT_TRUE(test, fake_map(test, t, &flow, 4096, &next));
		if (!i)
			first = next;
		else
			delta[i - 1] = (int)next.port - last.port;
		KUNIT_EXPECT_EQ(test, ntohl(next.addr), ntohl(first.addr));
		last = next;
	}
	for (i = 0; i < SUCCESSIVE; i++) {
		sum += abs(delta[i]);
		if (abs(delta[i]) <= 8)
			small++;
	}
	sort(delta, SUCCESSIVE, sizeof(*delta), cmp_int, NULL);
	for (i = 1; i < SUCCESSIVE; i++) {
		if (delta[i] != delta[i - 1]) {
			distinct++;
			run = 1;
		} else if (++run > most) {
			most = run;
		}
	}
	sum = div_u64(sum, SUCCESSIVE);
	kunit_info(test, "%u deltas: %u distinct, none more than %u times, %u within 8, mean size %llu\n",
		   SUCCESSIVE, distinct, most, small, sum);
	/*
	 * Uniform ports: 3000 runs in user space gave 868 distinct deltas on
	 * average (836 at the least), none more than 7 times, at most 11
	 * within 8, a mean size of ports / 3 (1511; 1383 at the least).
	 */
	KUNIT_EXPECT_GE(test, distinct, SUCCESSIVE / 2);
	KUNIT_EXPECT_LE(test, most, SUCCESSIVE / 100);
	KUNIT_EXPECT_LE(test, small, SUCCESSIVE / 50);
	KUNIT_EXPECT_GE(test, sum, TEST_PORTS_24 / 8ULL);
	KUNIT_EXPECT_EQ(test, t->fake.strays, 0ULL);
}

#define FILL_ADDRS 16
#define FILL_PORTS 256

/*
 * One client fills its address before it moves: each address it leaves
 * is at least half full, and most nearly full (5000 runs of this in user
 * space: never below 157 of 256, a mean never below 211).
 */
static void port_select_test_fills_before_moving(struct kunit *test)
{
	static const struct nat64_pool4_range range = {
		.proto = IPPROTO_UDP, .plen = 28, .prefix = htonl(0xc0000200),
		.port_min = 1024, .port_max = 1024 + FILL_PORTS - 1,
	};
	struct port_select_test *t = test_setup(test, &range, 1);
	unsigned int count[FILL_ADDRS] = {}, n, addr, leaves = 0, left = 0;
	unsigned int home = FILL_ADDRS, addresses = 0;
	struct nat64_taddr4 taddr;

	/* Half the pool: eight addresses at the least. */
	for (n = 0; n < FILL_ADDRS * FILL_PORTS / 2; n++) {
		struct nat64_flow6 flow = test_flow(IPPROTO_UDP, 0, 1,
						    20000 + n);

		KUNIT_ASSERT_TRUE(test, fake_map(test, t, &flow, 4096, &taddr));
		addr = ntohl(taddr.addr) & (FILL_ADDRS - 1);
		if (home < FILL_ADDRS && addr != home) {
			KUNIT_EXPECT_GE(test, count[home], FILL_PORTS / 2);
			leaves++;
			left += count[home];
		}
		if (!count[addr]++)
			addresses++;
		home = addr;
	}
	kunit_info(test, "%u moves; the addresses left were %u of %u full on average; %u addresses used\n",
		   leaves, leaves ? left / leaves : 0, FILL_PORTS, addresses);
	KUNIT_EXPECT_GE(test, leaves, FILL_ADDRS / 2 - 1);
	KUNIT_EXPECT_GE(test, left, leaves * (FILL_PORTS * 3 / 4));
	KUNIT_EXPECT_LE(test, addresses, FILL_ADDRS * 3 / 4);
}

#define CLIENTS 64
#define CLIENT_FLOWS 20

/* Clients keep to their addresses, and mostly to different ones. */
static void port_select_test_clients_apart(struct kunit *test)
{
	struct port_select_test *t = test_setup(test, &test_range_24, 1);
	__be32 home[CLIENTS];
	DECLARE_BITMAP(seen, 256) = {};
	struct nat64_taddr4 taddr;
	unsigned int c, n;

	for (n = 0; n < CLIENT_FLOWS; n++) {
		for (c = 0; c < CLIENTS; c++) {
			struct nat64_flow6 flow = test_flow(IPPROTO_UDP, 0,
							    c + 1, 1000 + n);

			KUNIT_ASSERT_TRUE(test, fake_map(test, t, &flow, 4096,
							 &taddr));
			if (!n) {
				home[c] = taddr.addr;
				__set_bit(ntohl(taddr.addr) & 255, seen);
			}
			KUNIT_EXPECT_EQ(test, ntohl(taddr.addr), ntohl(home[c]));
		}
	}
	/* 64 clients hashed onto 256 addresses: 57 distinct on average. */
	kunit_info(test, "%u clients on %u addresses\n", CLIENTS,
		   bitmap_weight(seen, 256));
	KUNIT_EXPECT_GE(test, bitmap_weight(seen, 256), 45U);
}

#define PARITY_PORTS 200
#define PARITY_KEPT 170

/*
 * RFC 4787 REQ-4: the source port's parity while the pool has ports of
 * it (5000 runs in user space kept it for all 2 x 170). The range starts
 * odd, so even ports are the odd offsets.
 */
static void port_select_test_parity(struct kunit *test)
{
	static const struct nat64_pool4_range range = {
		.proto = IPPROTO_UDP, .plen = 31, .prefix = htonl(0xc0000200),
		.port_min = 1001, .port_max = 1000 + PARITY_PORTS,
	};
	struct port_select_test *t = test_setup(test, &range, 1);
	struct nat64_taddr4 taddr;
	struct nat64_flow6 flow;
	unsigned int n, kept = 0;

	/* Of the 200 ports of each parity, 170 keep their source's. */
	for (n = 0; n < 2 * PARITY_KEPT; n++) {
		flow = test_flow(IPPROTO_UDP, 0, 1 + n % 3, 5000 + n);
		KUNIT_ASSERT_TRUE(test, fake_map(test, t, &flow, 4096, &taddr));
		if ((taddr.port & 1) == (flow.src_port & 1))
			kept++;
	}
	KUNIT_EXPECT_EQ(test, kept, 2 * PARITY_KEPT);

	/* Every even port taken: even sources get odd ports. */
	fake_reset(test, t, 0, IPPROTO_UDP);
	for (n = 0; n < t->fake.size; n++)
		if (n % PARITY_PORTS & 1)
			__set_bit(n, t->fake.used);
	for (n = 0; n < PARITY_PORTS / 4; n++) {
		flow = test_flow(IPPROTO_UDP, 0, 1 + n % 3, 5000 + 2 * n);
		KUNIT_ASSERT_TRUE(test, fake_map(test, t, &flow, 4096, &taddr));
		KUNIT_EXPECT_EQ(test, taddr.port & 1, 1);
	}
	KUNIT_EXPECT_EQ(test, t->fake.strays, 0ULL);
}

/* ICMP identifiers have no parity to keep: they get both. */
static void port_select_test_icmp_no_parity(struct kunit *test)
{
	struct nat64_pool4_range range = test_range_24;
	struct port_select_test *t;
	unsigned int n, odd = 0;
	struct nat64_taddr4 taddr;

	range.proto = IPPROTO_ICMP;
	t = test_setup(test, &range, 1);
	for (n = 0; n < SUCCESSIVE; n++) {
		struct nat64_flow6 flow = test_flow(IPPROTO_ICMP, 0, 1, 2 * n);

		KUNIT_ASSERT_TRUE(test, fake_map(test, t, &flow, 4096, &taddr));
		odd += taddr.port & 1;
	}
	KUNIT_EXPECT_GT(test, odd, SUCCESSIVE * 2 / 5);
	KUNIT_EXPECT_LT(test, odd, SUCCESSIVE * 3 / 5);
}

/*
 * Addresses of one port, odd: an even source port is of no use at any of
 * them. Each costs a try but no lookup, so the search stays bounded; the
 * last quarter of the tries, at odd ports, does the lookups.
 */
static void port_select_test_one_port_addresses(struct kunit *test)
{
	static const struct nat64_pool4_range range = {
		.proto = IPPROTO_UDP, .plen = 24, .prefix = htonl(0xc0000200),
		.port_min = 5001, .port_max = 5001,
	};
	struct port_select_test *t = test_setup(test, &range, 1);
	struct nat64_flow6 flow = test_flow(IPPROTO_UDP, 0, 1, 6000);
	struct nat64_taddr4 taddr;
	u64 lookups;
	u32 tries;
	int n;

	for (n = 0; n < 100; n++) {
		flow.src_port = 6000 + 2 * n;
		lookups = t->fake.lookups;
		KUNIT_ASSERT_TRUE(test, fake_select(t, &flow, 4096, &taddr,
						    &tries));
		fake_take(test, &t->fake, flow.proto, &taddr);
		KUNIT_EXPECT_EQ(test, taddr.port, 5001);
		KUNIT_EXPECT_LE(test, t->fake.lookups - lookups,
				NAT64_PORT_SELECT_MAX_TRIES / 4ULL);
	}
	/* Full: every try fails, and there are no more of them. */
	bitmap_fill(t->fake.used, t->fake.size);
	lookups = t->fake.lookups;
	KUNIT_EXPECT_FALSE(test, fake_select(t, &flow, 4096, &taddr, &tries));
	KUNIT_EXPECT_EQ(test, tries, NAT64_PORT_SELECT_MAX_TRIES);
	KUNIT_EXPECT_EQ(test, t->fake.lookups - lookups,
			NAT64_PORT_SELECT_MAX_TRIES / 4ULL);
}

/* Each (mark, protocol) gets the transport addresses of its entries only. */
static void port_select_test_ranges(struct kunit *test)
{
	static const struct nat64_pool4_range ranges[] = {
		{ .mark = 0, .proto = IPPROTO_UDP, .plen = 32,
		  .prefix = htonl(0xc0000201), .port_min = 1000,
		  .port_max = 1099 },
		{ .mark = 0, .proto = IPPROTO_UDP, .plen = 30,
		  .prefix = htonl(0xc0000208), .port_min = 2001,
		  .port_max = 2050 },
		{ .mark = 7, .proto = IPPROTO_UDP, .plen = 28,
		  .prefix = htonl(0xc6336400), .port_min = 40000,
		  .port_max = 40999 },
		{ .mark = 0, .proto = IPPROTO_TCP, .plen = 32,
		  .prefix = htonl(0xc0000201), .port_min = 1,
		  .port_max = 65535 },
		{ .mark = 0, .proto = IPPROTO_ICMP, .plen = 32,
		  .prefix = htonl(0xc0000201), .port_min = 0,
		  .port_max = 99 },
		{ .mark = 7, .proto = IPPROTO_TCP, .plen = 30,
		  .prefix = htonl(0xcb007100), .port_min = 500,
		  .port_max = 531 },
	};
	/* (mark, proto, mappings); the last two pools are small: filled. */
	static const struct { u32 mark; u8 proto; u32 mappings; } pools[] = {
		{ 0, IPPROTO_UDP, 200 }, { 7, IPPROTO_UDP, 1000 },
		{ 0, IPPROTO_TCP, 1000 }, { 0, IPPROTO_ICMP, 100 },
		{ 7, IPPROTO_TCP, 128 },
	};
	struct port_select_test *t = test_setup(test, ranges,
						ARRAY_SIZE(ranges));
	struct nat64_taddr4 taddr;
	struct nat64_flow6 flow;
	unsigned int p, n, first_range = 0;

	for (p = 0; p < ARRAY_SIZE(pools); p++) {
		fake_reset(test, t, pools[p].mark, pools[p].proto);
		for (n = 0; n < pools[p].mappings; n++) {
			flow = test_flow(pools[p].proto, pools[p].mark,
					 1 + n % 50, get_random_u16());
			/* In the pool and never twice: fake_map() checks. */
			KUNIT_ASSERT_TRUE(test, fake_map(test, t, &flow, 4096,
							 &taddr));
			if (!p && taddr.addr == htonl(0xc0000201))
				first_range++;
		}
		if (pools[p].mappings == t->fake.size) {
			KUNIT_EXPECT_FALSE(test, fake_select(t, &flow, 4096,
							     &taddr, NULL));
		}
		KUNIT_EXPECT_EQ(test, t->fake.strays, 0ULL);
	}
	/* Mark 0's UDP pool is both of its ranges. */
	KUNIT_EXPECT_GT(test, first_range, 0U);
	KUNIT_EXPECT_LT(test, first_range, pools[0].mappings);
	/* A mark without entries has nothing to look up. */
	flow = test_flow(IPPROTO_UDP, 9, 1, 5000);
	fake_reset(test, t, 9, IPPROTO_UDP);
	KUNIT_EXPECT_FALSE(test, fake_select(t, &flow, 4096, &taddr, NULL));
	KUNIT_EXPECT_EQ(test, t->fake.lookups, 0ULL);
}

/*
 * A pool no larger than the bound is searched whole: exhausted only when
 * full, each transport address looked up once.
 */
static void port_select_test_small_pool(struct kunit *test)
{
	static const struct nat64_pool4_range ranges[] = {
		{ .proto = IPPROTO_UDP, .plen = 32, .prefix = htonl(0xc0000201),
		  .port_min = 100, .port_max = 139 },
		{ .proto = IPPROTO_UDP, .plen = 31, .prefix = htonl(0xc0000204),
		  .port_min = 7000, .port_max = 7019 },
	};
	struct port_select_test *t = test_setup(test, ranges,
						ARRAY_SIZE(ranges));
	struct nat64_taddr4 taddr, freed;
	struct nat64_flow6 flow;
	unsigned int n;
	u64 lookups;

	for (n = 0; n < t->fake.size; n++) {
		flow = test_flow(IPPROTO_UDP, 0, 1 + n % 7, get_random_u16());
		KUNIT_ASSERT_TRUE(test, fake_map(test, t, &flow, 4096, &taddr));
		if (n == t->fake.size / 2)
			freed = taddr;
	}
	lookups = t->fake.lookups;
	KUNIT_EXPECT_FALSE(test, fake_select(t, &flow, 4096, &taddr, NULL));
	KUNIT_EXPECT_EQ(test, t->fake.lookups - lookups, t->fake.size);

	/* One freed: whoever comes next finds it. */
	fake_release(test, &t->fake, IPPROTO_UDP, &freed);
	flow = test_flow(IPPROTO_UDP, 0, 99, 5000);
	KUNIT_ASSERT_TRUE(test, fake_select(t, &flow, 4096, &taddr, NULL));
	KUNIT_EXPECT_EQ(test, ntohl(taddr.addr), ntohl(freed.addr));
	KUNIT_EXPECT_EQ(test, taddr.port, freed.port);

	/* max_iterations below the size: no whole search, and no more tries. */
	lookups = t->fake.lookups;
	if (fake_select(t, &flow, 10, &taddr, NULL)) {
		KUNIT_EXPECT_EQ(test, ntohl(taddr.addr), ntohl(freed.addr));
		KUNIT_EXPECT_EQ(test, taddr.port, freed.port);
	}
	KUNIT_EXPECT_LE(test, t->fake.lookups - lookups, 10ULL);
}

/* A small pool gives up parity only for its last ports. */
static void port_select_test_small_pool_parity(struct kunit *test)
{
	static const struct nat64_pool4_range range = {
		.proto = IPPROTO_UDP, .plen = 32, .prefix = htonl(0xc0000201),
		.port_min = 100, .port_max = 109,
	};
	struct port_select_test *t = test_setup(test, &range, 1);
	struct nat64_taddr4 taddr;
	struct nat64_flow6 flow;
	unsigned int n;

	for (n = 0; n < 10; n++) {
		/* Six even sources, then four odd ones. */
		flow = test_flow(IPPROTO_UDP, 0, 1 + n, n < 6 ? 2000 : 2001);
		KUNIT_ASSERT_TRUE(test, fake_map(test, t, &flow, 4096, &taddr));
		KUNIT_EXPECT_EQ(test, taddr.port & 1, n == 5 || n >= 6);
	}
	KUNIT_EXPECT_FALSE(test, fake_select(t, &flow, 4096, &taddr, NULL));
}

/* A pool of exactly the bound is still small: 128 ports, all found. */
static void port_select_test_pool_of_bound(struct kunit *test)
{
	static const struct nat64_pool4_range range = {
		.proto = IPPROTO_TCP, .plen = 30, .prefix = htonl(0xcb007100),
		.port_min = 500, .port_max = 500 + NAT64_PORT_SELECT_MAX_TRIES / 4 - 1,
	};
	struct port_select_test *t = test_setup(test, &range, 1);
	struct nat64_taddr4 taddr;
	struct nat64_flow6 flow;
	unsigned int n;

	KUNIT_ASSERT_EQ(test, t->fake.size, (u64)NAT64_PORT_SELECT_MAX_TRIES);
	for (n = 0; n < NAT64_PORT_SELECT_MAX_TRIES; n++) {
		flow = test_flow(IPPROTO_TCP, 0, 1, 30000 + n);
		KUNIT_ASSERT_TRUE(test, fake_map(test, t, &flow, 4096, &taddr));
	}
	KUNIT_EXPECT_FALSE(test, fake_select(t, &flow, 4096, &taddr, NULL));
}

/*
 * A full large pool costs the bound and no more; max_iterations below it
 * bounds the search instead.
 */
static void port_select_test_full_pool(struct kunit *test)
{
	static const u32 max_iterations[] = { 1 << 20, 4096, 129, 128, 20, 1 };
	struct port_select_test *t = test_setup(test, &test_range_24, 1);
	struct nat64_flow6 flow = test_flow(IPPROTO_UDP, 0, 1, 5000);
	struct nat64_taddr4 taddr;
	unsigned int i;
	u32 bound, tries;
	u64 lookups;

	bitmap_fill(t->fake.used, t->fake.size);
	for (i = 0; i < ARRAY_SIZE(max_iterations); i++) {
		bound = min_t(u32, max_iterations[i],
			      NAT64_PORT_SELECT_MAX_TRIES);
		lookups = t->fake.lookups;
		KUNIT_EXPECT_FALSE(test, fake_select(t, &flow,
						     max_iterations[i], &taddr,
						     &tries));
		KUNIT_EXPECT_EQ(test, t->fake.lookups - lookups, (u64)bound);
		KUNIT_EXPECT_EQ(test, tries, bound);
	}
	/* One port free: found or not, no more lookups either. */
	__clear_bit(t->fake.size / 3, t->fake.used);
	for (i = 0; i < 64; i++) {
		flow = test_flow(IPPROTO_UDP, 0, 1 + i, 5000 + i);
		lookups = t->fake.lookups;
		fake_select(t, &flow, 4096, &taddr, NULL);
		KUNIT_EXPECT_LE(test, t->fake.lookups - lookups,
				(u64)NAT64_PORT_SELECT_MAX_TRIES);
	}
	KUNIT_EXPECT_EQ(test, t->fake.strays, 0ULL);
}

#define MEASURE_CLIENTS 4096
#define MEASURE_MAPPINGS 1000

struct measure {
	u64 lookups;
	u64 worst;
	unsigned int refused;
};

/*
 * Each transport address in use with a chance of @percent in 100. From
 * prandom: get_random_u32() a million times takes a minute on the debug
 * kernel (its lockdep), and this needs no secrecy.
 */
static void fake_fill_random(struct port_select_fake *fake,
			     unsigned int percent)
{
	u32 threshold = div_u64((u64)percent << 32, 100);
	struct rnd_state rnd;
	u64 i;

	prandom_seed_state(&rnd, get_random_u64());
	bitmap_zero(fake->used, fake->size);
	for (i = 0; i < fake->size; i++) {
		if (prandom_u32_state(&rnd) < threshold)
			__set_bit(i, fake->used);
		if (!(i % 65536))
			cond_resched();
	}
	fake->in_use = bitmap_weight(fake->used, fake->size);
}

/* A new mapping from a random client, given back once counted. */
static void measure_one(struct kunit *test, struct port_select_test *t,
			struct measure *m)
{
	struct nat64_flow6 flow = test_flow(IPPROTO_UDP, 0,
					    get_random_u32_below(MEASURE_CLIENTS),
					    get_random_u16());
	u64 lookups = t->fake.lookups;
	struct nat64_taddr4 taddr;

	if (fake_select(t, &flow, 4096, &taddr, NULL)) {
		fake_take(test, &t->fake, flow.proto, &taddr);
		fake_release(test, &t->fake, flow.proto, &taddr);
	} else {
		m->refused++;
	}
	lookups = t->fake.lookups - lookups;
	m->lookups += lookups;
	m->worst = max(m->worst, lookups);
}

/*
 * Lookups per new mapping in a /24 of 4535 ports of which a given share,
 * drawn at random, is in use. (Filled by the allocator itself, whose
 * clients' mappings cluster, it takes more; the debug kernel is too slow
 * for that here: see the notes of the change.)
 */
static void port_select_test_measure(struct kunit *test)
{
	static const unsigned int levels[] = { 10, 50, 90, 99 };
	struct port_select_test *t = test_setup(test, &test_range_24, 1);
	unsigned int l, n;

	for (l = 0; l < ARRAY_SIZE(levels); l++) {
		struct measure m = {};
		u32 hundredths;

		fake_fill_random(&t->fake, levels[l]);
		for (n = 0; n < MEASURE_MAPPINGS; n++) {
			measure_one(test, t, &m);
			if (!(n % 64))
				cond_resched();
		}
		m.lookups = div_u64_rem(div_u64(m.lookups * 100,
						MEASURE_MAPPINGS), 100,
					&hundredths);
		kunit_info(test, "%u%% in use: %llu.%02u lookups per new mapping, at most %llu; %u of %u refused\n",
			   levels[l], m.lookups, hundredths, m.worst,
			   m.refused, MEASURE_MAPPINGS);
		KUNIT_EXPECT_LE(test, m.worst, (u64)NAT64_PORT_SELECT_MAX_TRIES);
		/* Refusals are for a nearly full pool: 0.9^128 = 1.4e-6. */
		if (levels[l] <= 90)
			KUNIT_EXPECT_EQ(test, m.refused, 0U);
	}
	KUNIT_EXPECT_EQ(test, t->fake.strays, 0ULL);
}

static struct kunit_case port_select_test_cases[] = {
	KUNIT_CASE(port_select_test_unpredictable),
	KUNIT_CASE(port_select_test_fills_before_moving),
	KUNIT_CASE(port_select_test_clients_apart),
	KUNIT_CASE(port_select_test_parity),
	KUNIT_CASE(port_select_test_icmp_no_parity),
	KUNIT_CASE(port_select_test_one_port_addresses),
	KUNIT_CASE(port_select_test_ranges),
	KUNIT_CASE(port_select_test_small_pool),
	KUNIT_CASE(port_select_test_small_pool_parity),
	KUNIT_CASE(port_select_test_pool_of_bound),
	KUNIT_CASE(port_select_test_full_pool),
	KUNIT_CASE(port_select_test_measure),
	{}
};

static struct kunit_suite port_select_test_suite = {
	.name = "nat64_port_select",
	.exit = port_select_test_exit,
	.test_cases = port_select_test_cases,
};

kunit_test_suite(port_select_test_suite);
