// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: RFC 6052 address mapping. Included by pool6.c.
 */

#include <kunit/test.h>
#include <net/ipv6.h>

struct rfc6052_case {
	const char *prefix;
	const char *ipv6;	/* 192.0.2.33 embedded behind the prefix */
};

/* RFC 6052 section 2.4, plus the well-known prefix. */
static const struct rfc6052_case rfc6052_cases[] = {
	{ "2001:db8::/32", "2001:db8:c000:221::" },
	{ "2001:db8:100::/40", "2001:db8:1c0:2:21::" },
	{ "2001:db8:122::/48", "2001:db8:122:c000:2:2100::" },
	{ "2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::" },
	{ "2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0" },
	{ "2001:db8:122:344::/96", "2001:db8:122:344::c000:221" },
	{ "64:ff9b::/96", "64:ff9b::c000:221" },
};

static void rfc6052_case_desc(const struct rfc6052_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->prefix);
}

KUNIT_ARRAY_PARAM(rfc6052, rfc6052_cases, rfc6052_case_desc);

static void parse_case(struct kunit *test, const struct rfc6052_case *c,
		       struct nat64_prefix6 *prefix, struct in6_addr *expected)
{
	const char *why = NULL;

	KUNIT_ASSERT_EQ_MSG(test, nat64_prefix6_parse(c->prefix, prefix, &why),
			    0, "%s", why);
	KUNIT_ASSERT_EQ(test, in6_pton(c->ipv6, -1, expected->s6_addr, -1,
				       NULL), 1);
}

static void pool6_test_4to6(struct kunit *test)
{
	const struct rfc6052_case *c = test->param_value;
	struct nat64_prefix6 prefix;
	struct in6_addr expected, actual;

	parse_case(test, c, &prefix, &expected);
	nat64_addr_4to6(&prefix, htonl(0xc0000221), &actual);
	KUNIT_EXPECT_TRUE_MSG(test, ipv6_addr_equal(&actual, &expected),
			      "got %pI6c, expected %pI6c", &actual, &expected);
}

static void pool6_test_6to4(struct kunit *test)
{
	const struct rfc6052_case *c = test->param_value;
	struct nat64_prefix6 prefix;
	struct in6_addr addr;

	parse_case(test, c, &prefix, &addr);
	KUNIT_EXPECT_TRUE(test, nat64_prefix6_contains(&prefix, &addr));
	KUNIT_EXPECT_EQ(test, ntohl(nat64_addr_6to4(&prefix, &addr)),
			0xc0000221U);
}

static void pool6_test_contains(struct kunit *test)
{
	struct nat64_prefix6 prefix;
	struct in6_addr addr;
	const char *why;

	KUNIT_ASSERT_EQ(test, nat64_prefix6_parse("64:ff9b::/96", &prefix,
						  &why), 0);
	in6_pton("64:ff9b::1:c000:221", -1, addr.s6_addr, -1, NULL);
	KUNIT_EXPECT_FALSE(test, nat64_prefix6_contains(&prefix, &addr));
	in6_pton("2001:db8::c000:221", -1, addr.s6_addr, -1, NULL);
	KUNIT_EXPECT_FALSE(test, nat64_prefix6_contains(&prefix, &addr));
}

static const char *const bad_prefixes[] = {
	"garbage",
	"64:ff9b::",			/* no length */
	"64:ff9b::/33",			/* not an RFC 6052 length */
	"64:ff9b::/128",
	"64:ff9b::/",
	"64:ff9b::/96x",
	"64:ff9b::1/96",		/* host bits */
	"2001:db8:0:0:ff00::/96",	/* u octet */
	"192.0.2.1/24",
	"",
};

static void pool6_test_parse_rejects(struct kunit *test)
{
	struct nat64_prefix6 prefix = { .len = 7 };
	const char *why;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_prefixes); i++) {
		why = NULL;
		KUNIT_EXPECT_EQ_MSG(test,
				    nat64_prefix6_parse(bad_prefixes[i], &prefix,
							&why),
				    -EINVAL, "accepted \"%s\"", bad_prefixes[i]);
		KUNIT_EXPECT_NOT_NULL(test, why);
		KUNIT_EXPECT_EQ(test, prefix.len, 7);	/* untouched */
	}
}

static void pool6_test_parse_trailing_space(struct kunit *test)
{
	struct nat64_prefix6 prefix;
	const char *why;

	KUNIT_EXPECT_EQ(test, nat64_prefix6_parse("64:ff9b::/96\n", &prefix,
						  &why), 0);
	KUNIT_EXPECT_EQ(test, prefix.len, 96);
}

static struct kunit_case pool6_test_cases[] = {
	KUNIT_CASE_PARAM(pool6_test_4to6, rfc6052_gen_params),
	KUNIT_CASE_PARAM(pool6_test_6to4, rfc6052_gen_params),
	KUNIT_CASE(pool6_test_contains),
	KUNIT_CASE(pool6_test_parse_rejects),
	KUNIT_CASE(pool6_test_parse_trailing_space),
	{}
};

static struct kunit_suite pool6_test_suite = {
	.name = "nat64_pool6",
	.test_cases = pool6_test_cases,
};

kunit_test_suite(pool6_test_suite);
