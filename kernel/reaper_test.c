// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit tests for the reaper, built into the module with
 * CONFIG_NAT64_KUNIT_TEST. That the objects are freed, once, is the debug
 * kernel's to check: kmem_cache_destroy() complains of any left, KASAN
 * of any freed twice.
 */

#include <kunit/test.h>

struct reaper_test_obj {
	u64 payload[4];
};

/* Allocates @n objects of the reaper's cache and defers each, one by one. */
static void defer_new_objects(struct kunit *test, struct nat64_reaper *reaper,
			      unsigned int n)
{
	void *obj;

	while (n--) {
		obj = kmem_cache_alloc(reaper->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, obj);
		KUNIT_ASSERT_TRUE(test, nat64_reaper_reserve(reaper, 1));
		nat64_reaper_defer(reaper, obj);
	}
}

static void reaper_test_fills_pages(struct kunit *test)
{
	struct nat64_reaper reaper;
	struct kmem_cache *cache;

	cache = KMEM_CACHE(reaper_test_obj, 0);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	nat64_reaper_init(&reaper, cache);
	defer_new_objects(test, &reaper, 2 * REAP_BATCH_OBJS + 3);
	/* Two full batches went to RCU; the third holds the rest. */
	KUNIT_EXPECT_EQ(test, reaper.batch->count, 3U);
	nat64_reaper_submit(&reaper);
	KUNIT_EXPECT_NULL(test, reaper.batch);
	nat64_reaper_destroy(&reaper);
	rcu_barrier();
	kmem_cache_destroy(cache);
}

static void reaper_test_reserve_keeps_room(struct kunit *test)
{
	struct nat64_reaper reaper;
	struct kmem_cache *cache;

	cache = KMEM_CACHE(reaper_test_obj, 0);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	nat64_reaper_init(&reaper, cache);
	defer_new_objects(test, &reaper, REAP_BATCH_OBJS - 1);
	/* Room for one is left; asking for two starts a new batch. */
	KUNIT_ASSERT_TRUE(test, nat64_reaper_reserve(&reaper, 2));
	KUNIT_EXPECT_EQ(test, reaper.batch->count, 0U);
	/* An empty batch is kept, not handed to RCU. */
	nat64_reaper_submit(&reaper);
	KUNIT_EXPECT_NOT_NULL(test, reaper.batch);
	nat64_reaper_destroy(&reaper);
	rcu_barrier();
	kmem_cache_destroy(cache);
}

static struct kunit_case reaper_test_cases[] = {
	KUNIT_CASE(reaper_test_fills_pages),
	KUNIT_CASE(reaper_test_reserve_keeps_room),
	{}
};

static struct kunit_suite reaper_test_suite = {
	.name = "nat64_reaper",
	.test_cases = reaper_test_cases,
};

kunit_test_suite(reaper_test_suite);
