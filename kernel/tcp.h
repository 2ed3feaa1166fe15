/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_TCP_H
#define _NAT64_TCP_H

#include <linux/types.h>

/* RFC 6146 section 3.5.2.1. CLOSED is a session that does not exist. */
enum nat64_tcp_state {
	NAT64_TCP_CLOSED,
	NAT64_TCP_V4_INIT,
	NAT64_TCP_V6_INIT,
	NAT64_TCP_ESTABLISHED,
	NAT64_TCP_V4_FIN_RCV,
	NAT64_TCP_V6_FIN_RCV,
	NAT64_TCP_V4_FIN_V6_FIN_RCV,
	NAT64_TCP_TRANS,
};

/* Which lifetime a transition (re)starts. */
enum nat64_tcp_timer {
	NAT64_TCP_TIMER_KEEP,		/* leave the deadline alone */
	NAT64_TCP_TIMER_EST,		/* TCP_EST, 2 h 4 min by default */
	NAT64_TCP_TIMER_TRANS,		/* TCP_TRANS, 4 min by default */
	NAT64_TCP_TIMER_INCOMING_SYN,	/* TCP_INCOMING_SYN, 6 s */
};

#define NAT64_TCP_INCOMING_SYN_SECS 6

struct nat64_tcp_segment {
	bool from_v6;
	bool syn;
	bool fin;
	bool rst;
};

enum nat64_tcp_state nat64_tcp_next(enum nat64_tcp_state state,
				    const struct nat64_tcp_segment *seg,
				    enum nat64_tcp_timer *timer);
const char *nat64_tcp_state_name(enum nat64_tcp_state state);

#endif /* _NAT64_TCP_H */
