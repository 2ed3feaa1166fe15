// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The TCP session state machine of RFC 6146 section 3.5.2.2, as a pure
 * function of the current state and the segment's direction and flags.
 * Whether a segment may create a session (a SYN, and from IPv4 only if
 * the policy allows it) is decided by the caller; this file only says
 * where a session goes next and which lifetime that starts.
 */

#include <linux/kernel.h>

#include "tcp.h"

static enum nat64_tcp_state keep(enum nat64_tcp_state state,
				 enum nat64_tcp_timer *timer,
				 enum nat64_tcp_timer how)
{
	*timer = how;
	return state;
}

static enum nat64_tcp_state established_next(const struct nat64_tcp_segment *seg,
					     enum nat64_tcp_timer *timer)
{
	if (seg->rst)
		return keep(NAT64_TCP_TRANS, timer, NAT64_TCP_TIMER_TRANS);
	if (seg->fin)
		return keep(seg->from_v6 ? NAT64_TCP_V6_FIN_RCV :
			    NAT64_TCP_V4_FIN_RCV, timer, NAT64_TCP_TIMER_EST);
	return keep(NAT64_TCP_ESTABLISHED, timer, NAT64_TCP_TIMER_EST);
}

enum nat64_tcp_state nat64_tcp_next(enum nat64_tcp_state state,
				    const struct nat64_tcp_segment *seg,
				    enum nat64_tcp_timer *timer)
{
	bool v6 = seg->from_v6;

	switch (state) {
	case NAT64_TCP_CLOSED:
		if (seg->syn && v6)
			return keep(NAT64_TCP_V6_INIT, timer,
				    NAT64_TCP_TIMER_TRANS);
		if (seg->syn)
			return keep(NAT64_TCP_V4_INIT, timer,
				    NAT64_TCP_TIMER_INCOMING_SYN);
		break;
	case NAT64_TCP_V4_INIT:
		if (seg->syn && v6)
			return keep(NAT64_TCP_ESTABLISHED, timer,
				    NAT64_TCP_TIMER_EST);
		break;
	case NAT64_TCP_V6_INIT:
		if (seg->syn && !v6)
			return keep(NAT64_TCP_ESTABLISHED, timer,
				    NAT64_TCP_TIMER_EST);
		if (seg->syn)	/* a retransmitted SYN */
			return keep(state, timer, NAT64_TCP_TIMER_TRANS);
		break;
	case NAT64_TCP_ESTABLISHED:
		return established_next(seg, timer);
	case NAT64_TCP_V4_FIN_RCV:
		if (seg->fin && v6)
			return keep(NAT64_TCP_V4_FIN_V6_FIN_RCV, timer,
				    NAT64_TCP_TIMER_TRANS);
		return keep(state, timer, NAT64_TCP_TIMER_EST);
	case NAT64_TCP_V6_FIN_RCV:
		if (seg->fin && !v6)
			return keep(NAT64_TCP_V4_FIN_V6_FIN_RCV, timer,
				    NAT64_TCP_TIMER_TRANS);
		return keep(state, timer, NAT64_TCP_TIMER_EST);
	case NAT64_TCP_V4_FIN_V6_FIN_RCV:
		break;	/* translated; expires TCP_TRANS after both FINs */
	case NAT64_TCP_TRANS:
		if (!seg->rst)
			return keep(NAT64_TCP_ESTABLISHED, timer,
				    NAT64_TCP_TIMER_EST);
		break;
	}
	return keep(state, timer, NAT64_TCP_TIMER_KEEP);
}

const char *nat64_tcp_state_name(enum nat64_tcp_state state)
{
	static const char *const names[] = {
		[NAT64_TCP_CLOSED] = "CLOSED",
		[NAT64_TCP_V4_INIT] = "V4_INIT",
		[NAT64_TCP_V6_INIT] = "V6_INIT",
		[NAT64_TCP_ESTABLISHED] = "ESTABLISHED",
		[NAT64_TCP_V4_FIN_RCV] = "V4_FIN_RCV",
		[NAT64_TCP_V6_FIN_RCV] = "V6_FIN_RCV",
		[NAT64_TCP_V4_FIN_V6_FIN_RCV] = "V4_FIN_V6_FIN_RCV",
		[NAT64_TCP_TRANS] = "TRANS",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "?";
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "tcp_test.c"
#endif
