// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: the deterministic mapping (det_map.h) and the pool4 entries that
 * use it. Included by pool4.c.
 *
 * Small pools are checked whole: every transport address of the entry
 * maps back to at most one subscriber, whose share holds it, and every
 * subscriber has exactly its block. Large ones by random samples.
 */

#include <kunit/test.h>
#include <linux/random.h>

struct det_case {
	const char *name;
	struct nat64_det_geom g;
	enum nat64_det_error check;
};

static const struct det_case det_cases[] = {
	{ "one address, one subscriber", { 0, 0, 1024, 65535 }, NAT64_DET_OK },
	{ "/28 for /56 of /64", { 4, 8, 1024, 65535 }, NAT64_DET_OK },
	{ "fewer subscribers than addresses", { 4, 2, 1024, 1100 },
	  NAT64_DET_OK },
	{ "a tail of 5 ports", { 2, 5, 100, 1000 }, NAT64_DET_OK },
	{ "8 ports each, no tail", { 3, 10, 1000, 2023 }, NAT64_DET_OK },
	{ "ICMP from 0", { 1, 6, 0, 65535 }, NAT64_DET_OK },
	{ "2^32 subscribers on a /1", { 31, 32, 1024, 65535 }, NAT64_DET_OK },
	{ "7 ports each", { 0, 13, 1, 65535 }, NAT64_DET_FEW_PORTS },
	{ "one port short of 8 each", { 3, 10, 1000, 2022 },
	  NAT64_DET_FEW_PORTS },
	{ "2^33 subscribers", { 31, 33, 0, 65535 }, NAT64_DET_TOO_MANY },
	{ "reversed ports", { 0, 0, 2000, 1000 }, NAT64_DET_BAD_POOL },
	{ "a /0", { 32, 0, 1, 65535 }, NAT64_DET_BAD_POOL },
};

static void det_case_desc(const struct det_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(det, det_cases, det_case_desc);

/* Does @share hold port @port of address @offset? */
static bool share_holds(const struct nat64_det_share *share, u64 offset,
			u32 port)
{
	return share->offset == offset && port >= share->first &&
	       port <= share->last;
}

static void det_test_check(struct kunit *test)
{
	const struct det_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, nat64_det_check(&c->g), c->check);
}

/* Every transport address of a small entry, and every subscriber. */
static void det_test_exhaustive(struct kunit *test)
{
	const struct det_case *c = test->param_value;
	const struct nat64_det_geom *g = &c->g;
	u64 subs = nat64_det_subscribers(g), i, offset, mapped = 0;
	u32 block = nat64_det_block(g), port, *count;
	struct nat64_det_share share;

	if (c->check != NAT64_DET_OK ||
	    (1ULL << g->addr_bits) * nat64_det_ports(g) > (1 << 22))
		kunit_skip(test, "not a small usable entry");
	count = kunit_kcalloc(test, subs, sizeof(*count), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, count);
	for (offset = 0; offset < 1ULL << g->addr_bits; offset++) {
		for (port = g->port_min; port <= g->port_max; port++) {
			if (!nat64_det_inverse(g, offset, port, &i))
				continue;
			KUNIT_ASSERT_LT(test, i, subs);
			nat64_det_forward(g, i, &share);
			KUNIT_ASSERT_TRUE(test, share_holds(&share, offset,
							    port));
			count[i]++;
			mapped++;
		}
	}
	KUNIT_EXPECT_EQ(test, mapped, subs * block);
	for (i = 0; i < subs; i++) {
		KUNIT_ASSERT_EQ(test, count[i], block);
		nat64_det_forward(g, i, &share);
		KUNIT_EXPECT_EQ(test, (u32)share.last - share.first + 1, block);
		KUNIT_EXPECT_GE(test, share.first, g->port_min);
		KUNIT_EXPECT_LE(test, share.last, g->port_max);
	}
	/* Outside the entry's ports, and past its addresses: nobody's. */
	KUNIT_EXPECT_FALSE(test, nat64_det_inverse(g, 1ULL << g->addr_bits,
						   g->port_min, &i));
	if (g->port_min)
		KUNIT_EXPECT_FALSE(test, nat64_det_inverse(g, 0,
							   g->port_min - 1,
							   &i));
	if (g->port_max < 65535)
		KUNIT_EXPECT_FALSE(test, nat64_det_inverse(g, 0,
							   g->port_max + 1,
							   &i));
}

/* Random subscribers and transport addresses, for any size. */
static void det_test_sampled(struct kunit *test)
{
	const struct det_case *c = test->param_value;
	const struct nat64_det_geom *g = &c->g;
	u64 subs = nat64_det_subscribers(g), i, j, offset;
	struct nat64_det_share share, other;
	u32 n, port;

	if (c->check != NAT64_DET_OK)
		kunit_skip(test, "not a usable entry");
	for (n = 0; n < 20000; n++) {
		i = get_random_u64() & (subs - 1);
		nat64_det_forward(g, i, &share);
		KUNIT_ASSERT_LE(test, share.first, share.last);
		port = share.first + get_random_u32_below(share.last -
							  share.first + 1);
		KUNIT_ASSERT_TRUE(test, nat64_det_inverse(g, share.offset,
							  port, &j));
		KUNIT_ASSERT_EQ(test, i, j);

		offset = get_random_u64() & ((1ULL << g->addr_bits) - 1);
		port = g->port_min + get_random_u32_below(nat64_det_ports(g));
		if (!nat64_det_inverse(g, offset, port, &j))
			continue;
		KUNIT_ASSERT_LT(test, j, subs);
		nat64_det_forward(g, j, &other);
		KUNIT_ASSERT_TRUE(test, share_holds(&other, offset, port));
	}
	/* The last subscriber's share ends inside the entry. */
	nat64_det_forward(g, subs - 1, &share);
	KUNIT_EXPECT_LE(test, share.last, g->port_max);
	KUNIT_EXPECT_LT(test, (u64)share.offset, 1ULL << g->addr_bits);
}

/* Index @addr under @plen, back to a prefix, and that to the index. */
static void det_index_one(struct kunit *test, const struct in6_addr *addr,
			  u32 plen, u32 sub_bits)
{
	struct in6_addr prefix, back;
	u32 len = plen + sub_bits;
	u64 i;

	ipv6_addr_prefix(&prefix, addr, plen);
	i = nat64_det_index(addr->s6_addr, plen, sub_bits);
	KUNIT_ASSERT_LT(test, i, 1ULL << sub_bits);
	nat64_det_subscriber(prefix.s6_addr, plen, sub_bits, i, back.s6_addr);
	/* The subscriber's prefix holds the address, and nothing past it. */
	KUNIT_ASSERT_TRUE(test, ipv6_prefix_equal(&back, addr, len));
	KUNIT_ASSERT_TRUE(test, nat64_det_prefix_equal(back.s6_addr,
						       addr->s6_addr, len));
	ipv6_addr_prefix(&prefix, &back, len);
	KUNIT_ASSERT_TRUE(test, ipv6_addr_equal(&prefix, &back));
	KUNIT_ASSERT_EQ(test, nat64_det_index(back.s6_addr, plen, sub_bits), i);
}

/* The subscriber index of an address, and the prefix of an index. */
static void det_test_index(struct kunit *test)
{
	static const u32 plens[] = { 0, 32, 48, 56, 60, 63, 64, 96, 100 };
	struct in6_addr addr;
	u32 p, sub_bits, n;

	for (p = 0; p < ARRAY_SIZE(plens); p++) {
		for (sub_bits = 0; sub_bits <= 32 &&
		     plens[p] + sub_bits <= 128; sub_bits++) {
			for (n = 0; n < 50; n++) {
				get_random_bytes(&addr, sizeof(addr));
				det_index_one(test, &addr, plens[p], sub_bits);
			}
		}
	}
}

/* pool4: a deterministic entry is nobody else's, and serves its prefix. */
static void det_test_pool4(struct kunit *test)
{
	struct nat64_pool4 *pool = nat64_pool4_alloc(2);
	struct nat64_pool4_range *det, *dyn;
	struct nat64_pool4_share share;
	struct nat64_pool4_slot slot;
	struct in6_addr src;
	u64 index;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	det = &pool->ranges[0];
	dyn = &pool->ranges[1];
	*det = (struct nat64_pool4_range){
		.proto = IPPROTO_TCP, .plen = 28, .prefix = htonl(0xc0000200),
		.port_min = 1024, .port_max = 65535, .deterministic = true,
		.subs_len = 56, .sub_len = 64,
	};
	KUNIT_ASSERT_EQ(test, in6_pton("2001:db8:100::", -1, det->subs.s6_addr,
				       -1, NULL), 1);
	*dyn = (struct nat64_pool4_range){
		.proto = IPPROTO_TCP, .plen = 32, .prefix = htonl(0xc0000264),
		.port_min = 61001, .port_max = 65535,
	};
	KUNIT_EXPECT_EQ(test, nat64_pool4_size(pool, 0, IPPROTO_TCP),
			65535 - 61001 + 1);
	for (index = 0; index < 65535 - 61001 + 1; index += 97) {
		KUNIT_ASSERT_TRUE(test, nat64_pool4_locate(pool, 0, IPPROTO_TCP,
							   index, &slot));
		KUNIT_EXPECT_EQ(test, slot.taddr.addr, dyn->prefix);
	}

	/* 2001:db8:100:7::/64 is subscriber 7: address .7, first block. */
	KUNIT_ASSERT_EQ(test, in6_pton("2001:db8:100:7::1", -1, src.s6_addr,
				       -1, NULL), 1);
	KUNIT_ASSERT_TRUE(test, nat64_pool4_share_of(pool, 0, IPPROTO_TCP,
						     &src, &share));
	KUNIT_EXPECT_EQ(test, ntohl(share.addr), 0xc0000207);
	KUNIT_EXPECT_EQ(test, share.first, 1024);
	KUNIT_EXPECT_EQ(test, share.last, 1024 + 4032 - 1);
	/* 2001:db8:100:17::/64 is 23: address .7, second block. */
	src.s6_addr[7] = 0x17;
	KUNIT_ASSERT_TRUE(test, nat64_pool4_share_of(pool, 0, IPPROTO_TCP,
						     &src, &share));
	KUNIT_EXPECT_EQ(test, ntohl(share.addr), 0xc0000207);
	KUNIT_EXPECT_EQ(test, share.first, 1024 + 4032);

	KUNIT_EXPECT_FALSE(test, nat64_pool4_share_of(pool, 0, IPPROTO_UDP,
						      &src, &share));
	KUNIT_EXPECT_FALSE(test, nat64_pool4_share_of(pool, 1, IPPROTO_TCP,
						      &src, &share));
	src.s6_addr[5] = 0x01;	/* 2001:db8:101:17:: */
	KUNIT_EXPECT_FALSE(test, nat64_pool4_share_of(pool, 0, IPPROTO_TCP,
						      &src, &share));
	KUNIT_EXPECT_TRUE(test, nat64_pool4_contains(pool, IPPROTO_TCP,
						     htonl(0xc0000207), 1024));
	nat64_pool4_free(pool);
}

static void det_test_parse(struct kunit *test)
{
	struct in6_addr prefix;
	const char *why;
	u8 len;

	KUNIT_EXPECT_EQ(test, nat64_pool4_parse_subs("2001:db8:100::/56\n",
						     &prefix, &len, &why), 0);
	KUNIT_EXPECT_EQ(test, len, 56);
	KUNIT_EXPECT_EQ(test, nat64_pool4_parse_subs("::/0", &prefix, &len,
						     &why), 0);
	KUNIT_EXPECT_EQ(test, len, 0);
	KUNIT_EXPECT_EQ(test, nat64_pool4_parse_subs("2001:db8:100:1::/56",
						     &prefix, &len, &why),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nat64_pool4_parse_subs("2001:db8::/129",
						     &prefix, &len, &why),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nat64_pool4_parse_subs("2001:db8::", &prefix,
						     &len, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, nat64_pool4_parse_subs("2001:db8::/", &prefix,
						     &len, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, nat64_pool4_parse_subs("192.0.2.0/24", &prefix,
						     &len, &why), -EINVAL);
}

static struct kunit_case det_test_cases[] = {
	KUNIT_CASE_PARAM(det_test_check, det_gen_params),
	KUNIT_CASE_PARAM(det_test_exhaustive, det_gen_params),
	KUNIT_CASE_PARAM(det_test_sampled, det_gen_params),
	KUNIT_CASE(det_test_index),
	KUNIT_CASE(det_test_pool4),
	KUNIT_CASE(det_test_parse),
	{}
};

static struct kunit_suite det_test_suite = {
	.name = "nat64_det_map",
	.test_cases = det_test_cases,
};

kunit_test_suite(det_test_suite);
