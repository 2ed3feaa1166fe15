/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_STATS_H
#define _NAT64_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

/* Every counter; stats.c has each one's name and meaning. */
enum nat64_stat {
	NAT64_STAT_RX6,
	NAT64_STAT_RX4,
	NAT64_STAT_XLAT_6TO4,
	NAT64_STAT_XLAT_4TO6,
	NAT64_STAT_BIB_CREATED,
	NAT64_STAT_SESSION_CREATED,
	NAT64_STAT_SESSION_EXPIRED,
	NAT64_STAT_DROP_TRUNCATED,
	NAT64_STAT_DROP_UNSUPPORTED,
	NAT64_STAT_DROP_NO_BIB,
	NAT64_STAT_DROP_NO_SESSION,
	NAT64_STAT_DROP_FILTERED,
	NAT64_STAT_DROP_ADDRESS_FILTERED,
	NAT64_STAT_SYN_HELD,
	NAT64_STAT_SYN_HOLD_OPENED,
	NAT64_STAT_SYN_HOLD_EXPIRED,
	NAT64_STAT_DROP_SYN_HOLD_FULL,
	NAT64_STAT_DROP_POOL4_EXHAUSTED,
	NAT64_STAT_DROP_TABLE_FULL,
	NAT64_STAT_DROP_BIB_SESSIONS_FULL,
	NAT64_STAT_DROP_SUBSCRIBER_LIMIT,
	NAT64_STAT_DROP_SUBSCRIBER_BLOCKS,
	NAT64_STAT_DROP_NO_MEMORY,
	NAT64_STAT_DROP_TTL_EXPIRED,
	NAT64_STAT_DROP_NO_ROUTE,
	NAT64_STAT_DROP_TOO_BIG,
	NAT64_STAT_DROP_FORBIDDEN_ADDRESS,
	NAT64_STAT_DROP_SOURCE_ROUTE,
	NAT64_STAT_DROP_ROUTING_HEADER,
	NAT64_STAT_COUNT
};

struct nat64_stats_cpu {
	u64_stats_t cnt[NAT64_STAT_COUNT];
	struct u64_stats_sync syncp;
};

struct nat64_stats {
	struct nat64_stats_cpu __percpu *cpu;
};

int nat64_stats_init(struct nat64_stats *stats);
void nat64_stats_destroy(struct nat64_stats *stats);
u64 nat64_stats_read(const struct nat64_stats *stats, enum nat64_stat id);
const char *nat64_stat_name(enum nat64_stat id);
const char *nat64_stat_desc(enum nat64_stat id);

/* Called with bottom halves disabled (the packet path always is). */
static inline void nat64_stats_add(struct nat64_stats *stats,
				   enum nat64_stat id, u64 n)
{
	struct nat64_stats_cpu *s = this_cpu_ptr(stats->cpu);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[id], n);
	u64_stats_update_end(&s->syncp);
}

static inline void nat64_stats_inc(struct nat64_stats *stats,
				   enum nat64_stat id)
{
	nat64_stats_add(stats, id, 1);
}

#endif /* _NAT64_STATS_H */
