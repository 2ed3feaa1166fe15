// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: every counter is explained, and counts per CPU. Included by
 * stats.c.
 */

#include <kunit/test.h>

static void stats_test_every_counter_named(struct kunit *test)
{
	enum nat64_stat id;

	for (id = 0; id < NAT64_STAT_COUNT; id++) {
		KUNIT_EXPECT_NOT_NULL_MSG(test, nat64_stat_name(id), "stat %d", id);
		KUNIT_EXPECT_NOT_NULL_MSG(test, nat64_stat_desc(id), "stat %d", id);
	}
}

static void stats_test_add_and_read(struct kunit *test)
{
	struct nat64_stats stats;

	KUNIT_ASSERT_EQ(test, nat64_stats_init(&stats), 0);
	local_bh_disable();
	nat64_stats_inc(&stats, NAT64_STAT_RX6);
	nat64_stats_add(&stats, NAT64_STAT_RX6, 41);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, nat64_stats_read(&stats, NAT64_STAT_RX6), 42ULL);
	KUNIT_EXPECT_EQ(test, nat64_stats_read(&stats, NAT64_STAT_RX4), 0ULL);
	nat64_stats_destroy(&stats);
}

static struct kunit_case stats_test_cases[] = {
	KUNIT_CASE(stats_test_every_counter_named),
	KUNIT_CASE(stats_test_add_and_read),
	{}
};

static struct kunit_suite stats_test_suite = {
	.name = "nat64_stats",
	.test_cases = stats_test_cases,
};

kunit_test_suite(stats_test_suite);
