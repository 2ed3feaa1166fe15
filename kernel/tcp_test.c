// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: the RFC 6146 TCP state machine, transition by transition.
 * Included by tcp.c.
 */

#include <kunit/test.h>

struct tcp_case {
	const char *name;
	enum nat64_tcp_state from;
	struct nat64_tcp_segment seg;
	enum nat64_tcp_state to;
	enum nat64_tcp_timer timer;
};

#define V6(...) { .from_v6 = true, __VA_ARGS__ }
#define V4(...) { .from_v6 = false, __VA_ARGS__ }

static const struct tcp_case tcp_cases[] = {
	{ "closed v6 syn", NAT64_TCP_CLOSED, V6(.syn = true),
	  NAT64_TCP_V6_INIT, NAT64_TCP_TIMER_TRANS },
	{ "closed v4 syn", NAT64_TCP_CLOSED, V4(.syn = true),
	  NAT64_TCP_V4_INIT, NAT64_TCP_TIMER_INCOMING_SYN },
	{ "closed v6 ack", NAT64_TCP_CLOSED, V6(),
	  NAT64_TCP_CLOSED, NAT64_TCP_TIMER_KEEP },
	{ "closed v4 fin", NAT64_TCP_CLOSED, V4(.fin = true),
	  NAT64_TCP_CLOSED, NAT64_TCP_TIMER_KEEP },
	/* Simultaneous open, and the usual open. */
	{ "v4 init v6 syn", NAT64_TCP_V4_INIT, V6(.syn = true),
	  NAT64_TCP_ESTABLISHED, NAT64_TCP_TIMER_EST },
	{ "v4 init v4 syn", NAT64_TCP_V4_INIT, V4(.syn = true),
	  NAT64_TCP_V4_INIT, NAT64_TCP_TIMER_KEEP },
	{ "v4 init v4 data", NAT64_TCP_V4_INIT, V4(),
	  NAT64_TCP_V4_INIT, NAT64_TCP_TIMER_KEEP },
	{ "v6 init v4 syn", NAT64_TCP_V6_INIT, V4(.syn = true),
	  NAT64_TCP_ESTABLISHED, NAT64_TCP_TIMER_EST },
	{ "v6 init v6 syn again", NAT64_TCP_V6_INIT, V6(.syn = true),
	  NAT64_TCP_V6_INIT, NAT64_TCP_TIMER_TRANS },
	{ "v6 init v4 rst", NAT64_TCP_V6_INIT, V4(.rst = true),
	  NAT64_TCP_V6_INIT, NAT64_TCP_TIMER_KEEP },
	{ "established data v6", NAT64_TCP_ESTABLISHED, V6(),
	  NAT64_TCP_ESTABLISHED, NAT64_TCP_TIMER_EST },
	{ "established data v4", NAT64_TCP_ESTABLISHED, V4(),
	  NAT64_TCP_ESTABLISHED, NAT64_TCP_TIMER_EST },
	{ "established v4 fin", NAT64_TCP_ESTABLISHED, V4(.fin = true),
	  NAT64_TCP_V4_FIN_RCV, NAT64_TCP_TIMER_EST },
	{ "established v6 fin", NAT64_TCP_ESTABLISHED, V6(.fin = true),
	  NAT64_TCP_V6_FIN_RCV, NAT64_TCP_TIMER_EST },
	{ "established v4 rst", NAT64_TCP_ESTABLISHED, V4(.rst = true),
	  NAT64_TCP_TRANS, NAT64_TCP_TIMER_TRANS },
	{ "established v6 rst", NAT64_TCP_ESTABLISHED, V6(.rst = true),
	  NAT64_TCP_TRANS, NAT64_TCP_TIMER_TRANS },
	{ "v4 fin rcv v6 fin", NAT64_TCP_V4_FIN_RCV, V6(.fin = true),
	  NAT64_TCP_V4_FIN_V6_FIN_RCV, NAT64_TCP_TIMER_TRANS },
	{ "v4 fin rcv v4 fin again", NAT64_TCP_V4_FIN_RCV, V4(.fin = true),
	  NAT64_TCP_V4_FIN_RCV, NAT64_TCP_TIMER_EST },
	{ "v4 fin rcv v6 data", NAT64_TCP_V4_FIN_RCV, V6(),
	  NAT64_TCP_V4_FIN_RCV, NAT64_TCP_TIMER_EST },
	{ "v6 fin rcv v4 fin", NAT64_TCP_V6_FIN_RCV, V4(.fin = true),
	  NAT64_TCP_V4_FIN_V6_FIN_RCV, NAT64_TCP_TIMER_TRANS },
	{ "v6 fin rcv v4 data", NAT64_TCP_V6_FIN_RCV, V4(),
	  NAT64_TCP_V6_FIN_RCV, NAT64_TCP_TIMER_EST },
	{ "both fins v6 ack", NAT64_TCP_V4_FIN_V6_FIN_RCV, V6(),
	  NAT64_TCP_V4_FIN_V6_FIN_RCV, NAT64_TCP_TIMER_KEEP },
	{ "both fins v4 syn", NAT64_TCP_V4_FIN_V6_FIN_RCV, V4(.syn = true),
	  NAT64_TCP_V4_FIN_V6_FIN_RCV, NAT64_TCP_TIMER_KEEP },
	{ "trans v6 data", NAT64_TCP_TRANS, V6(),
	  NAT64_TCP_ESTABLISHED, NAT64_TCP_TIMER_EST },
	{ "trans v4 data", NAT64_TCP_TRANS, V4(),
	  NAT64_TCP_ESTABLISHED, NAT64_TCP_TIMER_EST },
	{ "trans v4 rst", NAT64_TCP_TRANS, V4(.rst = true),
	  NAT64_TCP_TRANS, NAT64_TCP_TIMER_KEEP },
};

static void tcp_case_desc(const struct tcp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tcp, tcp_cases, tcp_case_desc);

static void tcp_test_transition(struct kunit *test)
{
	const struct tcp_case *c = test->param_value;
	enum nat64_tcp_timer timer = -1;
	enum nat64_tcp_state to;

	to = nat64_tcp_next(c->from, &c->seg, &timer);
	KUNIT_EXPECT_STREQ(test, nat64_tcp_state_name(to),
			   nat64_tcp_state_name(c->to));
	KUNIT_EXPECT_EQ(test, timer, c->timer);
}

/* A full life: open from IPv6, data, close from both sides. */
static void tcp_test_lifecycle(struct kunit *test)
{
	static const struct nat64_tcp_segment life[] = {
		V6(.syn = true), V4(.syn = true), V6(), V4(), V6(.fin = true),
		V4(), V4(.fin = true), V6(),
	};
	static const enum nat64_tcp_state states[] = {
		NAT64_TCP_V6_INIT, NAT64_TCP_ESTABLISHED, NAT64_TCP_ESTABLISHED,
		NAT64_TCP_ESTABLISHED, NAT64_TCP_V6_FIN_RCV,
		NAT64_TCP_V6_FIN_RCV, NAT64_TCP_V4_FIN_V6_FIN_RCV,
		NAT64_TCP_V4_FIN_V6_FIN_RCV,
	};
	enum nat64_tcp_state state = NAT64_TCP_CLOSED;
	enum nat64_tcp_timer timer;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(life); i++) {
		state = nat64_tcp_next(state, &life[i], &timer);
		KUNIT_EXPECT_EQ_MSG(test, state, states[i], "step %u", i);
	}
}

static struct kunit_case tcp_test_cases[] = {
	KUNIT_CASE_PARAM(tcp_test_transition, tcp_gen_params),
	KUNIT_CASE(tcp_test_lifecycle),
	{}
};

static struct kunit_suite tcp_test_suite = {
	.name = "nat64_tcp",
	.test_cases = tcp_test_cases,
};

kunit_test_suite(tcp_test_suite);
