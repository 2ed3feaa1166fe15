// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Per-CPU counters: the packet path never shares a cache line for them.
 */

#include <linux/cpumask.h>

#include "stats.h"

#define NAT64_STAT_NAME(id, name, desc) [NAT64_STAT_##id] = name,
static const char *const stat_names[] = { NAT64_STATS(NAT64_STAT_NAME) };
#undef NAT64_STAT_NAME

#define NAT64_STAT_DESC(id, name, desc) [NAT64_STAT_##id] = desc,
static const char *const stat_descs[] = { NAT64_STATS(NAT64_STAT_DESC) };
#undef NAT64_STAT_DESC

int nat64_stats_init(struct nat64_stats *stats)
{
	int cpu;

	stats->cpu = alloc_percpu(struct nat64_stats_cpu);
	if (!stats->cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats->cpu, cpu)->syncp);
	return 0;
}

void nat64_stats_destroy(struct nat64_stats *stats)
{
	free_percpu(stats->cpu);
	stats->cpu = NULL;
}

u64 nat64_stats_read(const struct nat64_stats *stats, enum nat64_stat id)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct nat64_stats_cpu *s = per_cpu_ptr(stats->cpu, cpu);
		unsigned int start;
		u64 val;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			val = u64_stats_read(&s->cnt[id]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += val;
	}
	return sum;
}

const char *nat64_stat_name(enum nat64_stat id)
{
	return stat_names[id];
}

const char *nat64_stat_desc(enum nat64_stat id)
{
	return stat_descs[id];
}
