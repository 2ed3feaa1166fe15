/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_XLAT_H
#define _NAT64_XLAT_H

#include "bib.h"
#include "packet.h"

/*
 * The next-hop MTUs an ICMP "too big" error is bounded by (RFC 7915);
 * IP_MAX_MTU where there is no such hop (hairpinning).
 */
struct nat64_path_mtu {
	u32 v4;		/* of the IPv4 route the translated flow takes */
	u32 v6;		/* of the IPv6 route */
};

int nat64_xlat_6to4(struct nat64_pkt *pkt, const struct nat64_bib_key4 *src,
		    __be32 daddr, bool df, struct net *net);
int nat64_xlat_4to6(struct nat64_pkt *pkt, const struct in6_addr *saddr,
		    const struct nat64_bib_key6 *dst, bool hairpin);
struct sk_buff *nat64_xlat_error6to4(const struct nat64_pkt *pkt,
				     const struct nat64_session *session,
				     const struct nat64_path_mtu *mtu,
				     struct net *net);
struct sk_buff *nat64_xlat_error4to6(const struct nat64_pkt *pkt,
				     const struct nat64_session *session,
				     const struct in6_addr *saddr,
				     const struct nat64_path_mtu *mtu,
				     bool hairpin);
bool nat64_xlat_wants_df(unsigned int tot_len);

#endif /* _NAT64_XLAT_H */
