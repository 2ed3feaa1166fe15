/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_STATS_H
#define _NAT64_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

/*
 * Every counter, its file name and what it means to an operator.
 * The packet path only ever increments them, on the local CPU.
 */
#define NAT64_STATS(X)							\
	X(RX6, "rx6", "IPv6 packets addressed to pool6")		\
	X(RX4, "rx4", "IPv4 packets addressed to pool4")		\
	X(XLAT_6TO4, "xlat_6to4", "IPv6 packets translated to IPv4")	\
	X(XLAT_4TO6, "xlat_4to6", "IPv4 packets translated to IPv6")	\
	X(BIB_CREATED, "bib_created", "BIB entries created")		\
	X(SESSION_CREATED, "session_created", "sessions created")	\
	X(SESSION_EXPIRED, "session_expired", "sessions expired")	\
	X(DROP_TRUNCATED, "drop_truncated",				\
	  "dropped: headers shorter than they claim")			\
	X(DROP_UNSUPPORTED, "drop_unsupported",				\
	  "dropped: protocol or ICMP type not translated")		\
	X(DROP_NO_BIB, "drop_no_bib",					\
	  "dropped: IPv4 packet to pool4 matches no BIB entry")	\
	X(DROP_NO_SESSION, "drop_no_session",				\
	  "dropped: IPv4 packet filtered, no session with its source")	\
	X(DROP_POOL4_EXHAUSTED, "drop_pool4_exhausted",			\
	  "dropped: no free pool4 transport address for a new mapping")	\
	X(DROP_TABLE_FULL, "drop_table_full",				\
	  "dropped: BIB or session table at its configured cap")	\
	X(DROP_NO_MEMORY, "drop_no_memory",				\
	  "dropped: memory allocation failed")				\
	X(DROP_TTL_EXPIRED, "drop_ttl_expired",				\
	  "dropped: hop limit or TTL would reach zero")		\
	X(DROP_NO_ROUTE, "drop_no_route",				\
	  "dropped: no route for the translated packet")

#define NAT64_STAT_ENUM(id, name, desc) NAT64_STAT_##id,
enum nat64_stat {
	NAT64_STATS(NAT64_STAT_ENUM)
	NAT64_STAT_COUNT
};
#undef NAT64_STAT_ENUM

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
