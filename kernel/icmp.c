// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * ICMP <-> ICMPv6 type and code mapping (RFC 7915 sections 4.2 and 5.2).
 * A false return means the RFC says to drop the message silently.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>

#include "icmp.h"

static bool set(struct nat64_icmp_map *out, u8 type, u8 code, bool is_error)
{
	out->type = type;
	out->code = code;
	out->is_error = is_error;
	return true;
}

static bool unreach6_to4(u8 code, struct nat64_icmp_map *out)
{
	switch (code) {
	case ICMPV6_NOROUTE:
	case ICMPV6_NOT_NEIGHBOUR:	/* "beyond scope of source address" */
	case ICMPV6_ADDR_UNREACH:
		return set(out, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, true);
	case ICMPV6_ADM_PROHIBITED:
		return set(out, ICMP_DEST_UNREACH, ICMP_HOST_ANO, true);
	case ICMPV6_PORT_UNREACH:
		return set(out, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, true);
	}
	return false;
}

bool nat64_icmp6_to4_type(u8 type6, u8 code6, struct nat64_icmp_map *out)
{
	switch (type6) {
	case ICMPV6_ECHO_REQUEST:
		return code6 == 0 && set(out, ICMP_ECHO, 0, false);
	case ICMPV6_ECHO_REPLY:
		return code6 == 0 && set(out, ICMP_ECHOREPLY, 0, false);
	case ICMPV6_DEST_UNREACH:
		return unreach6_to4(code6, out);
	case ICMPV6_PKT_TOOBIG:
		return set(out, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, true);
	case ICMPV6_TIME_EXCEED:
		return set(out, ICMP_TIME_EXCEEDED, code6, true);
	case ICMPV6_PARAMPROB:
		if (code6 == ICMPV6_HDR_FIELD)
			return set(out, ICMP_PARAMETERPROB, 0, true);
		if (code6 == ICMPV6_UNK_NEXTHDR)
			return set(out, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH,
				   true);
		return false;
	}
	/* MLD, neighbour discovery and unknown types are single-hop. */
	return false;
}

static bool unreach4_to6(u8 code, struct nat64_icmp_map *out)
{
	switch (code) {
	case ICMP_NET_UNREACH:
	case ICMP_HOST_UNREACH:
	case ICMP_SR_FAILED:
	case ICMP_NET_UNKNOWN:
	case ICMP_HOST_UNKNOWN:
	case ICMP_HOST_ISOLATED:
	case ICMP_NET_UNR_TOS:
	case ICMP_HOST_UNR_TOS:
		return set(out, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE, true);
	case ICMP_PROT_UNREACH:
		return set(out, ICMPV6_PARAMPROB, ICMPV6_UNK_NEXTHDR, true);
	case ICMP_PORT_UNREACH:
		return set(out, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, true);
	case ICMP_FRAG_NEEDED:
		return set(out, ICMPV6_PKT_TOOBIG, 0, true);
	case ICMP_NET_ANO:
	case ICMP_HOST_ANO:
	case ICMP_PKT_FILTERED:
	case ICMP_PREC_CUTOFF:
		return set(out, ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED,
			   true);
	}
	/* ICMP_PREC_VIOLATION and unknown codes. */
	return false;
}

bool nat64_icmp4_to6_type(u8 type4, u8 code4, struct nat64_icmp_map *out)
{
	switch (type4) {
	case ICMP_ECHO:
		return code4 == 0 && set(out, ICMPV6_ECHO_REQUEST, 0, false);
	case ICMP_ECHOREPLY:
		return code4 == 0 && set(out, ICMPV6_ECHO_REPLY, 0, false);
	case ICMP_DEST_UNREACH:
		return unreach4_to6(code4, out);
	case ICMP_TIME_EXCEEDED:
		return set(out, ICMPV6_TIME_EXCEED, code4, true);
	case ICMP_PARAMETERPROB:
		/* Code 1 ("missing a required option") has no equivalent. */
		if (code4 == 0 || code4 == 2)
			return set(out, ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD,
				   true);
		return false;
	}
	/*
	 * Timestamp, information, address mask, router advertisement and
	 * solicitation, redirect, source quench, alternate host address and
	 * unknown types have no IPv6 counterpart.
	 */
	return false;
}

/*
 * RFC 7915 figure 6: a Parameter Problem pointer into an IPv6 header, as
 * an offset into the IPv4 header translated from it; -1 if none matches
 * (flow label, extension headers): the error is then dropped.
 */
int nat64_icmp6_to4_pointer(u32 ptr6)
{
	if (ptr6 <= 1)
		return ptr6;	/* version, traffic class */
	if (ptr6 == 4 || ptr6 == 5)
		return 2;	/* payload length: total length */
	if (ptr6 == 6)
		return 9;	/* next header: protocol */
	if (ptr6 == 7)
		return 8;	/* hop limit: TTL */
	if (ptr6 >= 8 && ptr6 <= 23)
		return 12;	/* source address */
	if (ptr6 >= 24 && ptr6 <= 39)
		return 16;	/* destination address */
	return -1;
}

/* RFC 7915 figure 3: the other way; IPv4 options have no equivalent. */
int nat64_icmp4_to6_pointer(u32 ptr4)
{
	static const s8 map[20] = {
		0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1,
		8, 8, 8, 8, 24, 24, 24, 24,
	};

	return ptr4 < ARRAY_SIZE(map) ? map[ptr4] : -1;
}

/*
 * RFC 1191 section 7: the largest plateau below @tot_len, the likely MTU
 * of a path whose router reported none (RFC 7915 4.2).
 */
u32 nat64_mtu_plateau(u32 tot_len)
{
	static const u16 plateaus[] = {
		65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(plateaus); i++)
		if (plateaus[i] < tot_len)
			return plateaus[i];
	return 68;
}

#if IS_ENABLED(CONFIG_NAT64_KUNIT_TEST)
#include "icmp_test.c"
#endif
