// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: the ICMP type/code tables of RFC 7915. Included by icmp.c.
 */

#include <kunit/test.h>
#include <net/ndisc.h>

struct icmp_case {
	u8 type, code;		/* in */
	bool translated;
	u8 out_type, out_code;
};

/* RFC 7915 section 5.2, every row. */
static const struct icmp_case icmp6_to4_cases[] = {
	{ ICMPV6_ECHO_REQUEST, 0, true, ICMP_ECHO, 0 },
	{ ICMPV6_ECHO_REPLY, 0, true, ICMP_ECHOREPLY, 0 },
	{ ICMPV6_MGM_QUERY, 0, false },
	{ ICMPV6_MGM_REPORT, 0, false },
	{ ICMPV6_MGM_REDUCTION, 0, false },
	{ NDISC_ROUTER_SOLICITATION, 0, false },
	{ NDISC_ROUTER_ADVERTISEMENT, 0, false },
	{ NDISC_NEIGHBOUR_SOLICITATION, 0, false },
	{ NDISC_NEIGHBOUR_ADVERTISEMENT, 0, false },
	{ NDISC_REDIRECT, 0, false },
	{ ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE, true, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH },
	{ ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED, true, ICMP_DEST_UNREACH, ICMP_HOST_ANO },
	{ ICMPV6_DEST_UNREACH, ICMPV6_NOT_NEIGHBOUR, true, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH },
	{ ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, true, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH },
	{ ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, true, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH },
	{ ICMPV6_DEST_UNREACH, 5, false },
	{ ICMPV6_PKT_TOOBIG, 0, true, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED },
	{ ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, true, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL },
	{ ICMPV6_TIME_EXCEED, ICMPV6_EXC_FRAGTIME, true, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME },
	{ ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD, true, ICMP_PARAMETERPROB, 0 },
	{ ICMPV6_PARAMPROB, ICMPV6_UNK_NEXTHDR, true, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH },
	{ ICMPV6_PARAMPROB, ICMPV6_UNK_OPTION, false },
	{ 99, 0, false },
	{ 200, 0, false },
};

/* RFC 7915 section 4.2, every row. */
static const struct icmp_case icmp4_to6_cases[] = {
	{ ICMP_ECHO, 0, true, ICMPV6_ECHO_REQUEST, 0 },
	{ ICMP_ECHOREPLY, 0, true, ICMPV6_ECHO_REPLY, 0 },
	{ ICMP_INFO_REQUEST, 0, false },
	{ ICMP_INFO_REPLY, 0, false },
	{ ICMP_TIMESTAMP, 0, false },
	{ ICMP_TIMESTAMPREPLY, 0, false },
	{ ICMP_ADDRESS, 0, false },
	{ ICMP_ADDRESSREPLY, 0, false },
	{ 9, 0, false },	/* router advertisement */
	{ 10, 0, false },	/* router solicitation */
	{ ICMP_DEST_UNREACH, ICMP_NET_UNREACH, true, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, true, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, true, ICMPV6_PARAMPROB, ICMPV6_UNK_NEXTHDR },
	{ ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, true, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH },
	{ ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, true, ICMPV6_PKT_TOOBIG, 0 },
	{ ICMP_DEST_UNREACH, ICMP_SR_FAILED, true, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ ICMP_DEST_UNREACH, ICMP_NET_UNKNOWN, true, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ ICMP_DEST_UNREACH, ICMP_HOST_UNKNOWN, true, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ ICMP_DEST_UNREACH, ICMP_HOST_ISOLATED, true, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ ICMP_DEST_UNREACH, ICMP_NET_ANO, true, ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED },
	{ ICMP_DEST_UNREACH, ICMP_HOST_ANO, true, ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED },
	{ ICMP_DEST_UNREACH, ICMP_NET_UNR_TOS, true, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ ICMP_DEST_UNREACH, ICMP_HOST_UNR_TOS, true, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ ICMP_DEST_UNREACH, ICMP_PKT_FILTERED, true, ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED },
	{ ICMP_DEST_UNREACH, ICMP_PREC_VIOLATION, false },
	{ ICMP_DEST_UNREACH, ICMP_PREC_CUTOFF, true, ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED },
	{ ICMP_DEST_UNREACH, 16, false },
	{ ICMP_REDIRECT, 0, false },
	{ 6, 0, false },	/* alternate host address */
	{ ICMP_SOURCE_QUENCH, 0, false },
	{ ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, true, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT },
	{ ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, true, ICMPV6_TIME_EXCEED, ICMPV6_EXC_FRAGTIME },
	{ ICMP_PARAMETERPROB, 0, true, ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD },
	{ ICMP_PARAMETERPROB, 1, false },
	{ ICMP_PARAMETERPROB, 2, true, ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD },
	{ 42, 0, false },
};

static void icmp_case_desc(const struct icmp_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "type %u code %u", c->type,
		 c->code);
}

KUNIT_ARRAY_PARAM(icmp6_to4, icmp6_to4_cases, icmp_case_desc);
KUNIT_ARRAY_PARAM(icmp4_to6, icmp4_to6_cases, icmp_case_desc);

static void check_case(struct kunit *test, const struct icmp_case *c,
		       bool translated, const struct nat64_icmp_map *map)
{
	KUNIT_ASSERT_EQ(test, translated, c->translated);
	if (!translated)
		return;
	KUNIT_EXPECT_EQ(test, map->type, c->out_type);
	KUNIT_EXPECT_EQ(test, map->code, c->out_code);
}

static void icmp_test_6to4(struct kunit *test)
{
	const struct icmp_case *c = test->param_value;
	struct nat64_icmp_map map;

	check_case(test, c, nat64_icmp6_to4_type(c->type, c->code, &map), &map);
}

static void icmp_test_4to6(struct kunit *test)
{
	const struct icmp_case *c = test->param_value;
	struct nat64_icmp_map map;

	check_case(test, c, nat64_icmp4_to6_type(c->type, c->code, &map), &map);
}

static void icmp_test_error_flag(struct kunit *test)
{
	struct nat64_icmp_map map;

	KUNIT_ASSERT_TRUE(test, nat64_icmp6_to4_type(ICMPV6_ECHO_REQUEST, 0, &map));
	KUNIT_EXPECT_FALSE(test, map.is_error);
	KUNIT_ASSERT_TRUE(test, nat64_icmp6_to4_type(ICMPV6_PKT_TOOBIG, 0, &map));
	KUNIT_EXPECT_TRUE(test, map.is_error);
	KUNIT_ASSERT_TRUE(test, nat64_icmp4_to6_type(ICMP_ECHOREPLY, 0, &map));
	KUNIT_EXPECT_FALSE(test, map.is_error);
	KUNIT_ASSERT_TRUE(test, nat64_icmp4_to6_type(ICMP_TIME_EXCEEDED, 0, &map));
	KUNIT_EXPECT_TRUE(test, map.is_error);
}

static struct kunit_case icmp_test_cases[] = {
	KUNIT_CASE_PARAM(icmp_test_6to4, icmp6_to4_gen_params),
	KUNIT_CASE_PARAM(icmp_test_4to6, icmp4_to6_gen_params),
	KUNIT_CASE(icmp_test_error_flag),
	{}
};

static struct kunit_suite icmp_test_suite = {
	.name = "nat64_icmp",
	.test_cases = icmp_test_cases,
};

kunit_test_suite(icmp_test_suite);
