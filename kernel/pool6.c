// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * RFC 6052 address mapping: an IPv4 address is embedded in an IPv6 prefix
 * of length 32, 40, 48, 56, 64 or 96. Octet 8 (bits 64-71, "u") is never
 * used to carry address bits, so the IPv4 address straddles it for the
 * prefix lengths 40 to 56.
 */

#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "pool6.h"

#define U_OCTET 8

static bool prefix_len_is_valid(unsigned int len)
{
	switch (len) {
	case 32: case 40: case 48: case 56: case 64: case 96:
		return true;
	}
	return false;
}

/* Index of the IPv6 octet that carries IPv4 octet @i. */
static unsigned int embedded_octet(const struct nat64_prefix6 *prefix,
				   unsigned int i)
{
	unsigned int pos = prefix->len / 8 + i;

	return pos >= U_OCTET && prefix->len < 96 ? pos + 1 : pos;
}

static bool host_bits_are_zero(const struct nat64_prefix6 *prefix)
{
	unsigned int i;

	for (i = prefix->len / 8; i < 16; i++)
		if (prefix->addr.s6_addr[i])
			return false;
	return true;
}

/**
 * nat64_prefix6_parse() - parse "ADDR/LEN" into an RFC 6052 prefix
 * @str: the text; trailing white space is ignored
 * @prefix: where the result goes, untouched on error
 * @why: on error, a short explanation for the operator
 *
 * Return: 0 or -EINVAL.
 */
int nat64_prefix6_parse(const char *str, struct nat64_prefix6 *prefix,
			const char **why)
{
	struct nat64_prefix6 tmp = {};
	const char *end;
	unsigned int len;
	char tail[8];

	if (!in6_pton(str, -1, tmp.addr.s6_addr, '/', &end) || *end != '/') {
		*why = "expected an IPv6 prefix such as 64:ff9b::/96";
		return -EINVAL;
	}
	strscpy(tail, end + 1, sizeof(tail));
	strim(tail);
	if (kstrtouint(tail, 10, &len) || !prefix_len_is_valid(len)) {
		*why = "prefix length must be 32, 40, 48, 56, 64 or 96 (RFC 6052)";
		return -EINVAL;
	}
	tmp.len = len;
	if (!host_bits_are_zero(&tmp)) {
		*why = "address bits beyond the prefix length must be zero";
		return -EINVAL;
	}
	if (tmp.addr.s6_addr[U_OCTET]) {
		*why = "bits 64-71 must be zero (RFC 6052 section 2.2)";
		return -EINVAL;
	}
	*prefix = tmp;
	return 0;
}

bool nat64_prefix6_contains(const struct nat64_prefix6 *prefix,
			    const struct in6_addr *addr)
{
	return !memcmp(prefix->addr.s6_addr, addr->s6_addr, prefix->len / 8);
}

/* The caller has checked nat64_prefix6_contains(). */
__be32 nat64_addr_6to4(const struct nat64_prefix6 *prefix,
		       const struct in6_addr *addr)
{
	__be32 addr4;
	u8 *out = (u8 *)&addr4;
	unsigned int i;

	for (i = 0; i < 4; i++)
		out[i] = addr->s6_addr[embedded_octet(prefix, i)];
	return addr4;
}

void nat64_addr_4to6(const struct nat64_prefix6 *prefix, __be32 addr4,
		     struct in6_addr *addr6)
{
	const u8 *in = (const u8 *)&addr4;
	unsigned int i;

	*addr6 = prefix->addr;
	for (i = 0; i < 4; i++)
		addr6->s6_addr[embedded_octet(prefix, i)] = in[i];
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "pool6_test.c"
#endif
