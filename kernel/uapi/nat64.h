/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The "nat64" generic netlink family (Documentation/netlink/specs/
 * nat64.yaml). Requests address the instance of the socket's network
 * namespace, or the one NAT64_A_INSTANCE names there.
 */

#ifndef _UAPI_LINUX_NAT64_H
#define _UAPI_LINUX_NAT64_H

#define NAT64_GENL_NAME		"nat64"
#define NAT64_GENL_VERSION	1
#define NAT64_MCGRP_EVENTS	"events"

enum nat64_cmd {
	NAT64_CMD_UNSPEC,
	NAT64_CMD_BIB_GET,	/* dump; filters: NAT64_A_PROTO, NAT64_A_ADDR4 */
	NAT64_CMD_BIB_NEW,	/* static entry; also the create event */
	NAT64_CMD_BIB_DEL,	/* static entry; also the delete event */
	NAT64_CMD_SESSION_GET,	/* dump; same filters */
	NAT64_CMD_SESSION_NEW,	/* event only */
	NAT64_CMD_SESSION_DEL,	/* event only */
	NAT64_CMD_STATS_GET,
	NAT64_CMD_FLUSH,	/* every dynamic BIB entry and session; */
				/* also the event, which names no entry */
	NAT64_CMD_INSTANCE_GET,	/* dump */
	NAT64_CMD_BLOCK_GET,	/* dump of the port blocks held */
	NAT64_CMD_BLOCK_NEW,	/* event only: a subscriber took a block */
	NAT64_CMD_BLOCK_DEL,	/* event only: a block went back to pool4 */
	__NAT64_CMD_MAX,
};

#define NAT64_CMD_MAX (__NAT64_CMD_MAX - 1)

enum nat64_attr {
	NAT64_A_UNSPEC,
	NAT64_A_INSTANCE,	/* string, the instance's name */
	NAT64_A_PROTO,		/* u8: IPPROTO_TCP, _UDP or _ICMP */
	NAT64_A_ADDR6,		/* binary, struct in6_addr */
	NAT64_A_PORT6,		/* u16, host order; ICMP: the identifier */
	NAT64_A_ADDR4,		/* binary, __be32 */
	NAT64_A_PORT4,		/* u16, host order */
	NAT64_A_STATIC,		/* flag */
	NAT64_A_SESSIONS,	/* u32: sessions of a BIB entry */
	NAT64_A_REMOTE4,	/* binary, __be32: a session's IPv4 peer */
	NAT64_A_REMOTE_PORT,	/* u16 */
	NAT64_A_REMOTE6,	/* binary, struct in6_addr: the peer as IPv6 sees it */
	NAT64_A_EXPIRES_MS,	/* u32: until the session expires, if idle */
	NAT64_A_TCP_STATE,	/* string */
	NAT64_A_TIMESTAMP,	/* u64: events, CLOCK_REALTIME in ns */
	NAT64_A_STAT,		/* nest, repeated: NAME, VALUE, DESC */
	NAT64_A_STAT_NAME,	/* string */
	NAT64_A_STAT_VALUE,	/* u64 */
	NAT64_A_STAT_DESC,	/* string */
	NAT64_A_POOL6,		/* string, "64:ff9b::/96" */
	NAT64_A_BIB_COUNT,	/* u32 */
	NAT64_A_SESSION_COUNT,	/* u32 */
	NAT64_A_PAD,
	NAT64_A_SUBSCRIBER,	/* binary, struct in6_addr: a subscriber's prefix */
	NAT64_A_SUBSCRIBER_LEN,	/* u8: its length */
	NAT64_A_PORT_FIRST,	/* u16: a port block's first port */
	NAT64_A_PORT_LAST,	/* u16: and its last */
	__NAT64_A_MAX,
};

#define NAT64_A_MAX (__NAT64_A_MAX - 1)

#endif /* _UAPI_LINUX_NAT64_H */
