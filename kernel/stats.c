// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Per-CPU counters: the packet path never shares a cache line for them.
 */

#include <linux/cpumask.h>

#include "stats.h"

/* What the operator reads: a file name and a one-line explanation. */
static const struct {
	const char *name;
	const char *desc;
} stat_info[NAT64_STAT_COUNT] = {
	[NAT64_STAT_RX6] = { "rx6",
		"IPv6 packets addressed to pool6" },
	[NAT64_STAT_RX4] = { "rx4",
		"IPv4 packets addressed to pool4" },
	[NAT64_STAT_XLAT_6TO4] = { "xlat_6to4",
		"IPv6 packets translated to IPv4" },
	[NAT64_STAT_XLAT_4TO6] = { "xlat_4to6",
		"IPv4 packets translated to IPv6" },
	[NAT64_STAT_BIB_CREATED] = { "bib_created",
		"BIB entries created" },
	[NAT64_STAT_SESSION_CREATED] = { "session_created",
		"sessions created" },
	[NAT64_STAT_SESSION_EXPIRED] = { "session_expired",
		"sessions expired" },
	[NAT64_STAT_DROP_TRUNCATED] = { "drop_truncated",
		"dropped: headers truncated, malformed or lying about lengths" },
	[NAT64_STAT_DROP_UNSUPPORTED] = { "drop_unsupported",
		"dropped: protocol or ICMP type not translated" },
	[NAT64_STAT_DROP_NO_BIB] = { "drop_no_bib",
		"dropped: IPv4 packet to pool4 matches no BIB entry" },
	[NAT64_STAT_DROP_NO_SESSION] = { "drop_no_session",
		"dropped: IPv4 packet filtered, no session with its source" },
	[NAT64_STAT_DROP_FILTERED] = { "drop_filtered",
		"dropped: IPv4-initiated TCP refused by drop_external_tcp" },
	[NAT64_STAT_DROP_ADDRESS_FILTERED] = { "drop_address_filtered",
		"dropped: IPv4 source unknown to the mapping (address filtering)" },
	[NAT64_STAT_SYN_HELD] = { "syn_held",
		"IPv4 SYNs without a BIB entry held 6 s for a simultaneous open" },
	[NAT64_STAT_SYN_HOLD_OPENED] = { "syn_hold_opened",
		"held SYNs discarded: the IPv6 side opened that connection" },
	[NAT64_STAT_SYN_HOLD_EXPIRED] = { "syn_hold_expired",
		"held SYNs answered with ICMP port unreachable after 6 s" },
	[NAT64_STAT_DROP_SYN_HOLD_FULL] = { "drop_syn_hold_full",
		"dropped: IPv4 SYN not held, max_held_syns are held already" },
	[NAT64_STAT_DROP_POOL4_EXHAUSTED] = { "drop_pool4_exhausted",
		"dropped: no free pool4 transport address for a new mapping" },
	[NAT64_STAT_DROP_TABLE_FULL] = { "drop_table_full",
		"dropped: BIB or session table at its configured cap" },
	[NAT64_STAT_DROP_BIB_SESSIONS_FULL] = { "drop_bib_sessions_full",
		"dropped: the mapping has max_sessions_per_bib sessions already" },
	[NAT64_STAT_DROP_SUBSCRIBER_LIMIT] = { "drop_subscriber_limit",
		"dropped: the subscriber has max_ports or max_sessions_per_subscriber" },
	[NAT64_STAT_DROP_SUBSCRIBER_BLOCKS] = { "drop_subscriber_blocks",
		"dropped: the subscriber's max_blocks port blocks are full" },
	[NAT64_STAT_DROP_NO_MEMORY] = { "drop_no_memory",
		"dropped: memory allocation failed" },
	[NAT64_STAT_DROP_TTL_EXPIRED] = { "drop_ttl_expired",
		"dropped: hop limit or TTL would reach zero" },
	[NAT64_STAT_DROP_NO_ROUTE] = { "drop_no_route",
		"dropped: no route for the translated packet" },
	[NAT64_STAT_DROP_TOO_BIG] = { "drop_too_big",
		"dropped: too big for the next link, ICMP error sent" },
	[NAT64_STAT_DROP_FORBIDDEN_ADDRESS] = { "drop_forbidden_address",
		"dropped: loopback, broadcast, multicast, reserved or local IPv4 peer" },
	[NAT64_STAT_DROP_SOURCE_ROUTE] = { "drop_source_route",
		"dropped: IPv4 source route not yet followed, ICMP error sent" },
	[NAT64_STAT_DROP_ROUTING_HEADER] = { "drop_routing_header",
		"dropped: IPv6 routing header with segments left, ICMPv6 error sent" },
};

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
	return stat_info[id].name;
}

const char *nat64_stat_desc(enum nat64_stat id)
{
	return stat_info[id].desc;
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "stats_test.c"
#endif
