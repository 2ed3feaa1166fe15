// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: the pool4 sequence. Included by pool4.c.
 */

#include <kunit/test.h>
#include <linux/in.h>

static struct nat64_pool4 *pool4_fixture(struct kunit *test)
{
	static const struct nat64_pool4_range ranges[] = {
		{ .mark = 0, .proto = IPPROTO_TCP, .plen = 32,
		  .prefix = htonl(0xc0000201), .port_min = 100, .port_max = 109 },
		{ .mark = 0, .proto = IPPROTO_TCP, .plen = 31,
		  .prefix = htonl(0xc0000204), .port_min = 7000, .port_max = 7001 },
		{ .mark = 10, .proto = IPPROTO_TCP, .plen = 32,
		  .prefix = htonl(0xc0000201), .port_min = 10000, .port_max = 19999 },
		{ .mark = 0, .proto = IPPROTO_ICMP, .plen = 16,
		  .prefix = htonl(0xc6120000), .port_min = 1, .port_max = 65535 },
	};
	struct nat64_pool4 *pool = nat64_pool4_alloc(ARRAY_SIZE(ranges));

	KUNIT_ASSERT_NOT_NULL(test, pool);
	memcpy(pool->ranges, ranges, sizeof(ranges));
	return pool;
}

static void pool4_test_size(struct kunit *test)
{
	struct nat64_pool4 *pool = pool4_fixture(test);

	KUNIT_EXPECT_EQ(test, nat64_pool4_size(pool, 0, IPPROTO_TCP), 14ULL);
	KUNIT_EXPECT_EQ(test, nat64_pool4_size(pool, 10, IPPROTO_TCP), 10000ULL);
	KUNIT_EXPECT_EQ(test, nat64_pool4_size(pool, 0, IPPROTO_UDP), 0ULL);
	KUNIT_EXPECT_EQ(test, nat64_pool4_size(pool, 20, IPPROTO_TCP), 0ULL);
	/* A /16 is one record, and 65536 * 65535 transport addresses. */
	KUNIT_EXPECT_EQ(test, nat64_pool4_size(pool, 0, IPPROTO_ICMP),
			65536ULL * 65535);
	nat64_pool4_free(pool);
}

static void pool4_test_locate(struct kunit *test)
{
	struct nat64_pool4 *pool = pool4_fixture(test);
	struct nat64_pool4_slot t;

	KUNIT_ASSERT_TRUE(test, nat64_pool4_locate(pool, 0, IPPROTO_TCP, 0, &t));
	KUNIT_EXPECT_EQ(test, ntohl(t.taddr.addr), 0xc0000201U);
	KUNIT_EXPECT_EQ(test, t.taddr.port, 100);
	KUNIT_EXPECT_EQ(test, t.first, 0ULL);
	KUNIT_EXPECT_EQ(test, t.ports, 10U);
	KUNIT_ASSERT_TRUE(test, nat64_pool4_locate(pool, 0, IPPROTO_TCP, 9, &t));
	KUNIT_EXPECT_EQ(test, t.taddr.port, 109);
	/* Then 192.0.2.4#7000, 192.0.2.4#7001, 192.0.2.5#7000, ... */
	KUNIT_ASSERT_TRUE(test, nat64_pool4_locate(pool, 0, IPPROTO_TCP, 11, &t));
	KUNIT_EXPECT_EQ(test, ntohl(t.taddr.addr), 0xc0000204U);
	KUNIT_EXPECT_EQ(test, t.taddr.port, 7001);
	KUNIT_EXPECT_EQ(test, t.first, 10ULL);
	KUNIT_EXPECT_EQ(test, t.ports, 2U);
	KUNIT_ASSERT_TRUE(test, nat64_pool4_locate(pool, 0, IPPROTO_TCP, 13, &t));
	KUNIT_EXPECT_EQ(test, ntohl(t.taddr.addr), 0xc0000205U);
	KUNIT_EXPECT_EQ(test, t.taddr.port, 7001);
	KUNIT_EXPECT_EQ(test, t.first, 12ULL);
	KUNIT_EXPECT_FALSE(test, nat64_pool4_locate(pool, 0, IPPROTO_TCP, 14,
						    &t));
	/* The mark picks its own ranges only. */
	KUNIT_ASSERT_TRUE(test, nat64_pool4_locate(pool, 10, IPPROTO_TCP, 0, &t));
	KUNIT_EXPECT_EQ(test, t.taddr.port, 10000);
	/* Far into a /16. */
	KUNIT_ASSERT_TRUE(test, nat64_pool4_locate(pool, 0, IPPROTO_ICMP,
						   65535ULL * 65535 + 4, &t));
	KUNIT_EXPECT_EQ(test, ntohl(t.taddr.addr), 0xc612ffffU);
	KUNIT_EXPECT_EQ(test, t.taddr.port, 5);
	KUNIT_EXPECT_EQ(test, t.first, 65535ULL * 65535);
	KUNIT_EXPECT_EQ(test, t.ports, 65535U);
	nat64_pool4_free(pool);
}

static void pool4_test_contains(struct kunit *test)
{
	struct nat64_pool4 *pool = pool4_fixture(test);

	KUNIT_EXPECT_TRUE(test, nat64_pool4_contains(pool, IPPROTO_TCP,
						     htonl(0xc0000201), 105));
	/* Any mark's ranges own their transport addresses. */
	KUNIT_EXPECT_TRUE(test, nat64_pool4_contains(pool, IPPROTO_TCP,
						     htonl(0xc0000201), 15000));
	KUNIT_EXPECT_FALSE(test, nat64_pool4_contains(pool, IPPROTO_TCP,
						      htonl(0xc0000201), 110));
	KUNIT_EXPECT_FALSE(test, nat64_pool4_contains(pool, IPPROTO_UDP,
						      htonl(0xc0000201), 105));
	KUNIT_EXPECT_TRUE(test, nat64_pool4_contains(pool, IPPROTO_TCP,
						     htonl(0xc0000205), 7000));
	KUNIT_EXPECT_FALSE(test, nat64_pool4_contains(pool, IPPROTO_TCP,
						      htonl(0xc0000206), 7000));
	nat64_pool4_free(pool);
}

static void pool4_test_parse_prefix(struct kunit *test)
{
	static const char * const bad[] = {
		"", "192.0.2", "192.0.2.1/", "192.0.2.1/0", "192.0.2.1/33",
		"192.0.2.1/24", "300.0.0.1", "192.0.2.0/2x", "192.0.2.0/024",
		"192.0.2.1 ",
	};
	const char *why;
	__be32 prefix;
	unsigned int i;
	int err;
	u8 plen;

	err = nat64_pool4_parse_prefix("192.0.2.1\n", &prefix, &plen, &why);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, ntohl(prefix), 0xc0000201U);
	KUNIT_EXPECT_EQ(test, plen, 32);
	err = nat64_pool4_parse_prefix("198.18.0.0/16", &prefix, &plen, &why);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, ntohl(prefix), 0xc6120000U);
	KUNIT_EXPECT_EQ(test, plen, 16);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err = nat64_pool4_parse_prefix(bad[i], &prefix, &plen, &why);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "'%s' accepted", bad[i]);
	}
}

static void pool4_test_overlaps(struct kunit *test)
{
	struct nat64_pool4_range a = {
		.mark = 0, .proto = IPPROTO_TCP, .plen = 31,
		.prefix = htonl(0xc0000204), .port_min = 7000, .port_max = 7999,
	};
	struct nat64_pool4_range b = a;

	KUNIT_EXPECT_TRUE(test, nat64_pool4_range_overlaps(&a, &b));
	/* Disjoint ports of one address coexist. */
	b.port_min = 8000;
	b.port_max = 8999;
	KUNIT_EXPECT_FALSE(test, nat64_pool4_range_overlaps(&a, &b));
	b.port_min = 7999;
	KUNIT_EXPECT_TRUE(test, nat64_pool4_range_overlaps(&a, &b));
	/* A prefix overlaps the addresses inside it. */
	b = a;
	b.prefix = htonl(0xc0000205);
	b.plen = 32;
	KUNIT_EXPECT_TRUE(test, nat64_pool4_range_overlaps(&a, &b));
	b.prefix = htonl(0xc0000206);
	KUNIT_EXPECT_FALSE(test, nat64_pool4_range_overlaps(&a, &b));
	b.prefix = htonl(0xc0000200);
	b.plen = 24;
	KUNIT_EXPECT_TRUE(test, nat64_pool4_range_overlaps(&a, &b));
	/* Other marks and protocols are other tables. */
	b = a;
	b.mark = 10;
	KUNIT_EXPECT_FALSE(test, nat64_pool4_range_overlaps(&a, &b));
	b = a;
	b.proto = IPPROTO_UDP;
	KUNIT_EXPECT_FALSE(test, nat64_pool4_range_overlaps(&a, &b));
	KUNIT_EXPECT_EQ(test, range_size(&a), 2000ULL);
}

static struct kunit_case pool4_test_cases[] = {
	KUNIT_CASE(pool4_test_size),
	KUNIT_CASE(pool4_test_locate),
	KUNIT_CASE(pool4_test_contains),
	KUNIT_CASE(pool4_test_parse_prefix),
	KUNIT_CASE(pool4_test_overlaps),
	{}
};

static struct kunit_suite pool4_test_suite = {
	.name = "nat64_pool4",
	.test_cases = pool4_test_cases,
};

kunit_test_suite(pool4_test_suite);
