/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_PARSE_H
#define _NAT64_PARSE_H

#include "packet.h"

/*
 * Each returns 0 or a negative enum nat64_stat: the drop reason. On
 * success the headers up to and including the outer transport header
 * are in the skb's linear data.
 */
int nat64_parse6(struct nat64_pkt *pkt);
int nat64_parse4(struct nat64_pkt *pkt);
int nat64_parse_quote6(struct nat64_pkt *pkt);
int nat64_parse_quote4(struct nat64_pkt *pkt);

#endif /* _NAT64_PARSE_H */
