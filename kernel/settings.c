// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The run-time settings of an instance, described once: configfs
 * attributes, netlink attributes and the tool all go through this table,
 * so a value is validated the same way whichever door it comes in by.
 */

#include <linux/kernel.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "settings.h"

#define SETTING(id, field, lo, hi, text)				\
	[NAT64_SET_##id] = {						\
		.name = #field,						\
		.desc = text,						\
		.offset = offsetof(struct nat64_settings, field),	\
		.min = lo,						\
		.max = hi,						\
	}

/* Sessions compare deadlines as 32-bit jiffies: a timeout must fit. */
static_assert((u64)NAT64_MAX_TIMEOUT * HZ < S32_MAX / 2);

const struct nat64_setting nat64_setting_table[NAT64_SET_COUNT] = {
	SETTING(TIMEOUT_UDP, timeout_udp, 1, NAT64_MAX_TIMEOUT,
		"seconds an idle UDP session lives (RFC 6146 asks for 120 or more)"),
	SETTING(TIMEOUT_TCP_EST, timeout_tcp_est, 1, NAT64_MAX_TIMEOUT,
		"seconds an idle established TCP session lives (RFC: 7440 or more)"),
	SETTING(TIMEOUT_TCP_TRANS, timeout_tcp_trans, 1, NAT64_MAX_TIMEOUT,
		"seconds a TCP session opening or closing lives (RFC: 240)"),
	SETTING(TIMEOUT_ICMP, timeout_icmp, 1, NAT64_MAX_TIMEOUT,
		"seconds an idle ICMP query session lives"),
	SETTING(MAX_BIB_ENTRIES, max_bib_entries, 1, 1 << 26,
		"most BIB entries the instance holds"),
	SETTING(MAX_SESSIONS, max_sessions, 1, 1 << 26,
		"most sessions the instance holds"),
	SETTING(MAX_SESSIONS_PER_BIB, max_sessions_per_bib, 1, 1 << 26,
		"sessions of one BIB entry past which IPv4 hosts may open no more"),
	SETTING(MAX_HELD_SYNS, max_held_syns, 0, 1 << 16,
		"most IPv4 SYNs without a BIB entry held for 6 s; 0 drops them"),
	SETTING(MAX_ITERATIONS, max_iterations, 1, 1 << 20,
		"most pool4 transport addresses tried for one new mapping; at most 128 are"),
	SETTING(LOWEST_IPV6_MTU, lowest_ipv6_mtu, IPV6_MIN_MTU, 65535,
		"smallest MTU assumed on the IPv6 side, in bytes"),
	SETTING(DROP_EXTERNAL_TCP, drop_external_tcp, 0, 1,
		"1: drop TCP connections initiated from IPv4"),
	SETTING(ADDRESS_DEPENDENT_FILTERING, address_dependent_filtering, 0, 1,
		"1: let IPv4 nodes in only if the IPv6 node talked to their address"),
	SETTING(SUBSCRIBER_PREFIX_LEN, subscriber_prefix_len, 0, 128,
		"IPv6 source prefix length that makes one subscriber (RFC 6888)"),
	SETTING(MAX_PORTS_PER_SUBSCRIBER, max_ports_per_subscriber, 0, 1 << 26,
		"most mappings of one subscriber, per protocol; 0: no limit"),
	SETTING(MAX_SESSIONS_PER_SUBSCRIBER, max_sessions_per_subscriber, 0,
		1 << 26, "most sessions of one subscriber; 0: no limit"),
	SETTING(BLOCK_HOLD_TIME, block_hold_time, 0, NAT64_MAX_TIMEOUT,
		"seconds an unused port block waits before another subscriber takes it"),
	SETTING(LOG_SESSIONS, log_sessions, 0, 2,
		"BIB and session events: 0 none, 1 all, 2 those of mappings not in a port block"),
};

/*
 * The RFC 6146 defaults. Timeouts below the RFC's floors are accepted,
 * because tests and labs need them; the descriptions name the floors.
 */
const struct nat64_settings nat64_default_settings = {
	.timeout_udp = 5 * 60,
	.timeout_tcp_est = 2 * 60 * 60 + 4 * 60,
	.timeout_tcp_trans = 4 * 60,
	.timeout_icmp = 60,
	.max_bib_entries = 1 << 21,
	.max_sessions = 1 << 21,
	/*
	 * Enough for a busy port-forwarded server; far from letting IPv4
	 * hosts fill the table through one endpoint-independent mapping.
	 */
	.max_sessions_per_bib = 1 << 14,
	.max_held_syns = 256,
	.max_iterations = 4096,
	.lowest_ipv6_mtu = IPV6_MIN_MTU,
	/* A customer's usual delegation; 0 in the limits is no limit. */
	.subscriber_prefix_len = 64,
	/* A port is not another subscriber's until its old flows are gone. */
	.block_hold_time = 120,
	.log_sessions = NAT64_LOG_SESSIONS_AUTO,
};

static unsigned int *field(const struct nat64_settings *s,
			   enum nat64_setting_id id)
{
	return (unsigned int *)((char *)s + nat64_setting_table[id].offset);
}

u32 nat64_setting_get(const struct nat64_settings *s, enum nat64_setting_id id)
{
	return READ_ONCE(*field(s, id));
}

int nat64_setting_set(struct nat64_settings *s, enum nat64_setting_id id,
		      u32 value, const char **why)
{
	const struct nat64_setting *desc = &nat64_setting_table[id];

	if (value < desc->min || value > desc->max) {
		*why = "value out of range";
		return -ERANGE;
	}
	WRITE_ONCE(*field(s, id), value);
	return 0;
}
