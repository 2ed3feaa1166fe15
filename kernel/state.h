/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_STATE_H
#define _NAT64_STATE_H

#include "bib.h"
#include "packet.h"

enum nat64_verdict {
	NAT64_XLAT,		/* translate it, through ->session */
	NAT64_DROP,		/* count ->why, and drop it */
	NAT64_HOLD,		/* an IPv4 SYN to hold (RFC 6146 3.5.2.2) */
	NAT64_PASS,		/* an ICMP error about the host's own traffic */
};

/* What RFC 6146 makes of one packet. */
struct nat64_state {
	enum nat64_verdict verdict;
	enum nat64_stat why;
	struct nat64_session *session;	/* valid under rcu_read_lock() */
};

enum nat64_verdict nat64_state6(struct nat64_pkt *pkt, __be32 dst4,
				bool hairpin, struct nat64_state *st);
enum nat64_verdict nat64_state4(struct nat64_pkt *pkt, bool hairpin,
				struct nat64_state *st);
enum nat64_verdict nat64_state_error6(struct nat64_pkt *pkt,
				      struct nat64_state *st);
enum nat64_verdict nat64_state_error4(struct nat64_pkt *pkt, bool hairpin,
				      struct nat64_state *st);
bool nat64_state_holds_syn(const struct nat64_pkt *pkt);

#endif /* _NAT64_STATE_H */
