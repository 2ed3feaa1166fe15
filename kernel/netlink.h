/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_NETLINK_H
#define _NAT64_NETLINK_H

#include <linux/types.h>

struct nat64_instance;
struct nat64_bib_entry;
struct nat64_session;

int nat64_netlink_init(void);
void nat64_netlink_exit(void);
void nat64_nl_bib_event(struct nat64_instance *inst,
			const struct nat64_bib_entry *bibe, bool created);
void nat64_nl_session_event(struct nat64_instance *inst,
			    const struct nat64_session *session, bool created);
void nat64_nl_flush_event(struct nat64_instance *inst);

#endif /* _NAT64_NETLINK_H */
