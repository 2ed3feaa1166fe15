/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_EXPORT_H
#define NAT64_TOOL_EXPORT_H

#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nat64.h"

/* What a mapping log records: one event of the "events" group. */
enum log_kind {
	LOG_BIB_NEW,
	LOG_BIB_DEL,
	LOG_SESSION_NEW,
	LOG_SESSION_DEL,
	LOG_BLOCK_NEW,
	LOG_BLOCK_DEL,
	LOG_FLUSH,
};

struct log_record {
	enum log_kind kind;
	uint64_t time_ns;		/* CLOCK_REALTIME */
	char instance[NAT64_NAME_MAX];
	uint8_t proto;
	struct in6_addr addr6;		/* BIB, session: the IPv6 client */
	uint16_t port6;
	struct in_addr addr4;		/* every kind but flush: pool4's */
	uint16_t port4;
	bool is_static;
	struct in_addr remote4;		/* session: the IPv4 peer */
	struct in6_addr remote6;	/* and as the client addresses it */
	uint16_t remote_port;
	struct in6_addr subscriber;	/* block: the subscriber's prefix */
	uint8_t subscriber_len;
	uint16_t port_first, port_last;	/* block: its ports */
};

/*
 * @nlh, a message of the events group, as a record: 0, or -1 if it is
 * no event or lacks (or has malformed) an attribute its kind needs.
 */
int log_record_parse(const struct nlmsghdr *nlh, struct log_record *rec);

/* "HOST:PORT", "[IPV6]:PORT", into a connected UDP socket, or -1. */
int export_udp_connect(const char *hostport, const char *who);
/* One datagram on a socket of export_udp_connect(): 0, or -1 (errno). */
int export_send(int fd, const void *buf, size_t len);

/*
 * Where exported records go. @record takes one; @tick is called before
 * every wait and returns how many ms may pass before it wants to be
 * called again (-1: no deadline). @finish flushes what is buffered, at
 * the end. A negative return of @record or @finish, or below -1 of
 * @tick, stops the export: a failure to send one message over UDP is
 * no such failure (the collector may come back), a closed stdout is.
 */
struct export_sink {
	const char *name;		/* "ipfix", for messages */
	int (*record)(void *ctx, const struct log_record *rec);
	int (*tick)(void *ctx, uint64_t now_ms);
	int (*finish)(void *ctx);
};

/* CLOCK_MONOTONIC, in ms. */
uint64_t export_now_ms(void);

/*
 * Joins the events group and feeds @sink until SIGINT or SIGTERM (0) or
 * a failure (1). Overflows of the netlink socket are counted and told on
 * stderr: the events in them are lost.
 */
int export_run(const struct nat64_opts *opts, const struct export_sink *sink,
	       void *ctx);

/* ipfix.c, syslog.c: nat64 monitor ipfix | syslog. */
int cmd_monitor_ipfix(const struct nat64_opts *opts, int argc, char **argv);
int cmd_monitor_syslog(const struct nat64_opts *opts, int argc, char **argv);

#endif /* NAT64_TOOL_EXPORT_H */
