/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_IPFIX_H
#define NAT64_TOOL_IPFIX_H

#include <stddef.h>
#include <stdint.h>

#include "export.h"

/*
 * The largest message sent: an IPv6 path of 1500 bytes less its IPv6
 * and UDP headers and some room for tunnels, so that no message is ever
 * fragmented (RFC 7011 10.3.3).
 */
#define IPFIX_MSG_MAX		1400
#define IPFIX_HDR_LEN		16
#define IPFIX_SET_HDR_LEN	4

/* The templates, one per kind of record (RFC 8158 section 4). */
enum ipfix_template_id {
	IPFIX_TPL_BIB = 256,
	IPFIX_TPL_SESSION,
	IPFIX_TPL_BLOCK,
};

/* natEvent values, IANA's "NAT Event Type" registry (RFC 8158 4.1). */
enum ipfix_nat_event {
	IPFIX_NAT64_SESSION_CREATE = 6,
	IPFIX_NAT64_SESSION_DELETE = 7,
	IPFIX_NAT64_BIB_CREATE = 10,
	IPFIX_NAT64_BIB_DELETE = 11,
	IPFIX_PORT_BLOCK_ALLOC = 16,
	IPFIX_PORT_BLOCK_DEALLOC = 17,
};

/* One message being filled. */
struct ipfix_msg {
	uint8_t buf[IPFIX_MSG_MAX];
	size_t len;		/* 0: none begun */
	size_t set_off;		/* the open set's header, if set_id */
	uint16_t set_id;
	uint32_t records;	/* data records in it */
};

void ipfix_msg_begin(struct ipfix_msg *m);
/* The template set of every template; a message of its own is best. */
int ipfix_msg_add_templates(struct ipfix_msg *m);
/*
 * Appends @rec to the data set of its template: 1, 0 if the message has
 * no room left for it (send it, begin another), or -1 if IPFIX has no
 * record for it (a flush).
 */
int ipfix_msg_add_record(struct ipfix_msg *m, const struct log_record *rec);
/* Closes the message: its header written, its length returned. */
size_t ipfix_msg_end(struct ipfix_msg *m, uint32_t export_time,
		     uint32_t sequence, uint32_t domain);

#endif /* NAT64_TOOL_IPFIX_H */
