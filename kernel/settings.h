/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_SETTINGS_H
#define _NAT64_SETTINGS_H

#include <linux/types.h>

struct nat64_instance;

/* The longest timeout a setting takes, in seconds: a week. */
#define NAT64_MAX_TIMEOUT (7 * 24 * 60 * 60)

/* Run-time settings of an instance; readers use READ_ONCE(), no lock. */
struct nat64_settings {
	unsigned int timeout_udp;		/* seconds */
	unsigned int timeout_tcp_est;
	unsigned int timeout_tcp_trans;
	unsigned int timeout_icmp;
	unsigned int max_bib_entries;
	unsigned int max_sessions;
	unsigned int max_sessions_per_bib;
	unsigned int max_held_syns;		/* IPv4 SYNs held, at once */
	unsigned int max_iterations;		/* pool4 search bound */
	unsigned int lowest_ipv6_mtu;		/* bytes */
	unsigned int drop_external_tcp;		/* 0 or 1 */
	unsigned int address_dependent_filtering; /* 0 or 1 */
	unsigned int subscriber_prefix_len;	/* bits of the IPv6 source */
	unsigned int max_ports_per_subscriber;	/* per protocol; 0: no limit */
	unsigned int max_sessions_per_subscriber; /* 0: no limit */
	unsigned int block_hold_time;		/* seconds an unused block waits */
	unsigned int log_sessions;		/* enum nat64_log_sessions */
};

/* When BIB and session events are sent (port blocks make them moot). */
enum nat64_log_sessions {
	NAT64_LOG_SESSIONS_OFF,
	NAT64_LOG_SESSIONS_ON,
	NAT64_LOG_SESSIONS_AUTO,	/* only of mappings not in a block */
};

/* The index of each setting in nat64_setting_table (and its ABI name). */
enum nat64_setting_id {
	NAT64_SET_TIMEOUT_UDP,
	NAT64_SET_TIMEOUT_TCP_EST,
	NAT64_SET_TIMEOUT_TCP_TRANS,
	NAT64_SET_TIMEOUT_ICMP,
	NAT64_SET_MAX_BIB_ENTRIES,
	NAT64_SET_MAX_SESSIONS,
	NAT64_SET_MAX_SESSIONS_PER_BIB,
	NAT64_SET_MAX_HELD_SYNS,
	NAT64_SET_MAX_ITERATIONS,
	NAT64_SET_LOWEST_IPV6_MTU,
	NAT64_SET_DROP_EXTERNAL_TCP,
	NAT64_SET_ADDRESS_DEPENDENT_FILTERING,
	NAT64_SET_SUBSCRIBER_PREFIX_LEN,
	NAT64_SET_MAX_PORTS_PER_SUBSCRIBER,
	NAT64_SET_MAX_SESSIONS_PER_SUBSCRIBER,
	NAT64_SET_BLOCK_HOLD_TIME,
	NAT64_SET_LOG_SESSIONS,
	NAT64_SET_COUNT
};

struct nat64_setting {
	const char *name;		/* configfs attribute, tool keyword */
	const char *desc;		/* one line, for the tool and docs */
	size_t offset;			/* in struct nat64_settings */
	u32 min;
	u32 max;
};

extern const struct nat64_setting nat64_setting_table[NAT64_SET_COUNT];
extern const struct nat64_settings nat64_default_settings;

u32 nat64_setting_get(const struct nat64_settings *s, enum nat64_setting_id id);
int nat64_setting_set(struct nat64_settings *s, enum nat64_setting_id id,
		      u32 value, const char **why);

#endif /* _NAT64_SETTINGS_H */
