// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * nat64 monitor ipfix HOST:PORT: the events as IPFIX (RFC 7011) over
 * UDP, with the NAT event logging information elements of RFC 8158, one
 * template per kind of record. Records are batched into messages of at
 * most IPFIX_MSG_MAX bytes, sent when full or a second after their
 * first record; the templates go at start and every template-interval
 * seconds, since a collector on UDP learns them only so (RFC 7011
 * 10.3.6).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ipfix.h"

#define IPFIX_VERSION		10
#define IPFIX_SET_TEMPLATE	2
#define IPFIX_FLUSH_MS		1000

/* Information elements (IANA's IPFIX registry). */
enum ipfix_ie {
	IE_PROTOCOL_IDENTIFIER = 4,		/* unsigned8 */
	IE_SOURCE_TRANSPORT_PORT = 7,		/* unsigned16 */
	IE_DESTINATION_TRANSPORT_PORT = 11,	/* unsigned16 */
	IE_SOURCE_IPV6_ADDRESS = 27,		/* ipv6Address */
	IE_DESTINATION_IPV6_ADDRESS = 28,	/* ipv6Address */
	IE_SOURCE_IPV6_PREFIX_LENGTH = 29,	/* unsigned8 */
	IE_SOURCE_IPV6_PREFIX = 170,		/* ipv6Address */
	IE_POST_NAT_SOURCE_IPV4_ADDRESS = 225,	/* ipv4Address */
	IE_POST_NAT_DESTINATION_IPV4_ADDRESS = 226,
	IE_POST_NAPT_SOURCE_TRANSPORT_PORT = 227,
	IE_POST_NAPT_DESTINATION_TRANSPORT_PORT = 228,
	IE_NAT_EVENT = 230,			/* unsigned8 */
	IE_OBSERVATION_TIME_MILLISECONDS = 323,	/* dateTimeMilliseconds */
	IE_PORT_RANGE_START = 361,		/* unsigned16 */
	IE_PORT_RANGE_END = 362,		/* unsigned16 */
};

struct ipfix_field {
	uint16_t id;
	uint16_t len;
};

#define FIELD(ie, n) { IE_##ie, n }

/* What a mapping is: RFC 8158's NAT64 BIB create/delete template. */
static const struct ipfix_field bib_fields[] = {
	FIELD(OBSERVATION_TIME_MILLISECONDS, 8),
	FIELD(NAT_EVENT, 1),
	FIELD(PROTOCOL_IDENTIFIER, 1),
	FIELD(SOURCE_IPV6_ADDRESS, 16),
	FIELD(SOURCE_TRANSPORT_PORT, 2),
	FIELD(POST_NAT_SOURCE_IPV4_ADDRESS, 4),
	FIELD(POST_NAPT_SOURCE_TRANSPORT_PORT, 2),
};

/*
 * A session adds its peer, as RFC 8158's NAT64 session template has it:
 * the address the client sent to, and the IPv4 address that became.
 * (destinationIPv4Address would be the pre-translation destination,
 * which on NAT64 is an IPv6 address.) Ports are not translated on the
 * peer's side: both port elements carry the same value.
 */
static const struct ipfix_field session_fields[] = {
	FIELD(OBSERVATION_TIME_MILLISECONDS, 8),
	FIELD(NAT_EVENT, 1),
	FIELD(PROTOCOL_IDENTIFIER, 1),
	FIELD(SOURCE_IPV6_ADDRESS, 16),
	FIELD(SOURCE_TRANSPORT_PORT, 2),
	FIELD(POST_NAT_SOURCE_IPV4_ADDRESS, 4),
	FIELD(POST_NAPT_SOURCE_TRANSPORT_PORT, 2),
	FIELD(DESTINATION_IPV6_ADDRESS, 16),
	FIELD(POST_NAT_DESTINATION_IPV4_ADDRESS, 4),
	FIELD(DESTINATION_TRANSPORT_PORT, 2),
	FIELD(POST_NAPT_DESTINATION_TRANSPORT_PORT, 2),
};

/*
 * A port block belongs to a subscriber, a prefix: sourceIPv6Prefix and
 * its length say so, and sourceIPv6Address (the prefix's first address)
 * is there too because RFC 8158's port block template names it, and
 * collectors that know only that element (nfdump) show the subscriber.
 */
static const struct ipfix_field block_fields[] = {
	FIELD(OBSERVATION_TIME_MILLISECONDS, 8),
	FIELD(NAT_EVENT, 1),
	FIELD(PROTOCOL_IDENTIFIER, 1),
	FIELD(SOURCE_IPV6_ADDRESS, 16),
	FIELD(SOURCE_IPV6_PREFIX, 16),
	FIELD(SOURCE_IPV6_PREFIX_LENGTH, 1),
	FIELD(POST_NAT_SOURCE_IPV4_ADDRESS, 4),
	FIELD(PORT_RANGE_START, 2),
	FIELD(PORT_RANGE_END, 2),
};

struct ipfix_template {
	uint16_t id;
	const struct ipfix_field *fields;
	uint16_t count;
};

#define TEMPLATE(tid, f) { tid, f, sizeof(f) / sizeof(f[0]) }

static const struct ipfix_template templates[] = {
	TEMPLATE(IPFIX_TPL_BIB, bib_fields),
	TEMPLATE(IPFIX_TPL_SESSION, session_fields),
	TEMPLATE(IPFIX_TPL_BLOCK, block_fields),
};

static uint8_t *put8(uint8_t *p, uint8_t v)
{
	*p = v;
	return p + 1;
}

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p = put16(p, v >> 16);
	return put16(p, v);
}

static uint8_t *put64(uint8_t *p, uint64_t v)
{
	p = put32(p, v >> 32);
	return put32(p, v);
}

static uint8_t *put_bytes(uint8_t *p, const void *v, size_t n)
{
	memcpy(p, v, n);
	return p + n;
}

static size_t record_len(const struct ipfix_template *t)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < t->count; i++)
		len += t->fields[i].len;
	return len;
}

void ipfix_msg_begin(struct ipfix_msg *m)
{
	memset(m->buf, 0, IPFIX_HDR_LEN);
	m->len = IPFIX_HDR_LEN;
	m->set_id = 0;
	m->set_off = 0;
	m->records = 0;
}

static void close_set(struct ipfix_msg *m)
{
	if (m->set_id)
		put16(m->buf + m->set_off + 2, m->len - m->set_off);
	m->set_id = 0;
}

/* Makes sure a set @id is open with @need more bytes of room: 0 or -1. */
static int open_set(struct ipfix_msg *m, uint16_t id, size_t need)
{
	if (m->set_id == id)
		return m->len + need <= IPFIX_MSG_MAX ? 0 : -1;
	if (m->len + IPFIX_SET_HDR_LEN + need > IPFIX_MSG_MAX)
		return -1;
	close_set(m);
	m->set_off = m->len;
	m->set_id = id;
	put16(m->buf + m->len, id);
	m->len += IPFIX_SET_HDR_LEN;	/* the length comes at close_set */
	return 0;
}

int ipfix_msg_add_templates(struct ipfix_msg *m)
{
	size_t need = 0;
	unsigned int i, j;
	uint8_t *p;

	for (i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)
		need += 4 + 4 * templates[i].count;
	if (open_set(m, IPFIX_SET_TEMPLATE, need))
		return 0;
	p = m->buf + m->len;
	for (i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
		p = put16(p, templates[i].id);
		p = put16(p, templates[i].count);
		for (j = 0; j < templates[i].count; j++) {
			p = put16(p, templates[i].fields[j].id);
			p = put16(p, templates[i].fields[j].len);
		}
	}
	m->len = p - m->buf;
	close_set(m);
	return 1;
}

static uint8_t nat_event(enum log_kind kind)
{
	switch (kind) {
	case LOG_BIB_NEW:
		return IPFIX_NAT64_BIB_CREATE;
	case LOG_BIB_DEL:
		return IPFIX_NAT64_BIB_DELETE;
	case LOG_SESSION_NEW:
		return IPFIX_NAT64_SESSION_CREATE;
	case LOG_SESSION_DEL:
		return IPFIX_NAT64_SESSION_DELETE;
	case LOG_BLOCK_NEW:
		return IPFIX_PORT_BLOCK_ALLOC;
	case LOG_BLOCK_DEL:
		return IPFIX_PORT_BLOCK_DEALLOC;
	case LOG_FLUSH:
		break;
	}
	return 0;
}

static const struct ipfix_template *template_of(enum log_kind kind)
{
	switch (kind) {
	case LOG_BIB_NEW:
	case LOG_BIB_DEL:
		return &templates[0];
	case LOG_SESSION_NEW:
	case LOG_SESSION_DEL:
		return &templates[1];
	case LOG_BLOCK_NEW:
	case LOG_BLOCK_DEL:
		return &templates[2];
	case LOG_FLUSH:
		break;
	}
	return NULL;
}

/* The fields every template begins with, then the client's mapping. */
static uint8_t *put_common(uint8_t *p, const struct log_record *rec)
{
	p = put64(p, rec->time_ns / 1000000);
	p = put8(p, nat_event(rec->kind));
	return put8(p, rec->proto);
}

static uint8_t *put_mapping(uint8_t *p, const struct log_record *rec)
{
	p = put_bytes(p, &rec->addr6, 16);
	p = put16(p, rec->port6);
	p = put_bytes(p, &rec->addr4, 4);
	return put16(p, rec->port4);
}

int ipfix_msg_add_record(struct ipfix_msg *m, const struct log_record *rec)
{
	const struct ipfix_template *t = template_of(rec->kind);
	uint8_t *p;

	if (!t)
		return -1;
	if (open_set(m, t->id, record_len(t)))
		return 0;
	p = put_common(m->buf + m->len, rec);
	if (t->id == IPFIX_TPL_BLOCK) {
		p = put_bytes(p, &rec->subscriber, 16);
		p = put_bytes(p, &rec->subscriber, 16);
		p = put8(p, rec->subscriber_len);
		p = put_bytes(p, &rec->addr4, 4);
		p = put16(p, rec->port_first);
		p = put16(p, rec->port_last);
	} else {
		p = put_mapping(p, rec);
	}
	if (t->id == IPFIX_TPL_SESSION) {
		p = put_bytes(p, &rec->remote6, 16);
		p = put_bytes(p, &rec->remote4, 4);
		p = put16(p, rec->remote_port);
		p = put16(p, rec->remote_port);
	}
	m->len = p - m->buf;
	m->records++;
	return 1;
}

size_t ipfix_msg_end(struct ipfix_msg *m, uint32_t export_time,
		     uint32_t sequence, uint32_t domain)
{
	uint8_t *p = m->buf;

	close_set(m);
	p = put16(p, IPFIX_VERSION);
	p = put16(p, m->len);
	p = put32(p, export_time);
	p = put32(p, sequence);
	put32(p, domain);
	return m->len;
}

/* --- the exporter ------------------------------------------------------ */

struct ipfix_exporter {
	int fd;
	uint32_t domain;
	unsigned int template_interval_ms;
	uint64_t templates_due_ms;	/* 0: at once */
	uint64_t flush_due_ms;		/* when the open message must go */
	uint32_t sequence;		/* data records sent, mod 2^32 */
	struct ipfix_msg msg;
	unsigned long messages, records, send_errors, flushes;
};

/*
 * A send that fails (no collector yet: ECONNREFUSED) loses the message:
 * the sequence number still counts its records, so that the collector
 * sees the loss as a gap (RFC 7011 10.3.2).
 */
static void send_msg(struct ipfix_exporter *x)
{
	size_t len = ipfix_msg_end(&x->msg, time(NULL), x->sequence,
				   x->domain);

	if (export_send(x->fd, x->msg.buf, len)) {
		if (!x->send_errors++ || !(x->send_errors % 1000))
			fprintf(stderr, "nat64: monitor ipfix: send: %s (%lu messages lost so far)\n",
				strerror(errno), x->send_errors);
	}
	x->sequence += x->msg.records;
	x->records += x->msg.records;
	x->messages++;
	x->msg.len = 0;
}

static void send_data(struct ipfix_exporter *x)
{
	if (x->msg.len && x->msg.records)
		send_msg(x);
	x->msg.len = 0;
}

static void send_templates(struct ipfix_exporter *x, uint64_t now)
{
	send_data(x);
	ipfix_msg_begin(&x->msg);
	ipfix_msg_add_templates(&x->msg);
	send_msg(x);
	x->templates_due_ms = now + x->template_interval_ms;
}

static int ipfix_record(void *ctx, const struct log_record *rec)
{
	struct ipfix_exporter *x = ctx;
	int added;

	if (rec->kind == LOG_FLUSH) {
		/* RFC 8158 has no event for it; the operator must know. */
		x->flushes++;
		fprintf(stderr, "nat64: monitor ipfix: at %llu ms (UTC) every dynamic mapping of instance %s was flushed; IPFIX has no record for that\n",
			(unsigned long long)(rec->time_ns / 1000000),
			rec->instance);
		return 0;
	}
	if (!x->msg.len) {
		ipfix_msg_begin(&x->msg);
		x->flush_due_ms = export_now_ms() + IPFIX_FLUSH_MS;
	}
	added = ipfix_msg_add_record(&x->msg, rec);
	if (!added) {
		send_data(x);
		ipfix_msg_begin(&x->msg);
		x->flush_due_ms = export_now_ms() + IPFIX_FLUSH_MS;
		added = ipfix_msg_add_record(&x->msg, rec);
	}
	return added == 1 ? 0 : -1;
}

static int ipfix_tick(void *ctx, uint64_t now)
{
	struct ipfix_exporter *x = ctx;
	uint64_t next;

	if (now >= x->templates_due_ms)
		send_templates(x, now);
	if (x->msg.len && now >= x->flush_due_ms)
		send_data(x);
	next = x->templates_due_ms;
	if (x->msg.len && x->flush_due_ms < next)
		next = x->flush_due_ms;
	return next - now > INT_MAX ? INT_MAX : (int)(next - now);
}

static int ipfix_finish(void *ctx)
{
	struct ipfix_exporter *x = ctx;

	send_data(x);
	fprintf(stderr, "nat64: monitor ipfix: %lu records in %lu messages (templates included), %lu not sent, %lu flushes not exported\n",
		x->records, x->messages, x->send_errors, x->flushes);
	return 0;
}

static const struct export_sink ipfix_sink = {
	.name = "ipfix",
	.record = ipfix_record,
	.tick = ipfix_tick,
	.finish = ipfix_finish,
};

static int ipfix_usage(void)
{
	fprintf(stderr, "Usage: nat64 [-i NAME] monitor ipfix HOST:PORT [ domain N ] [ template-interval SECONDS ]\n"
		"HOST is a name, an IPv4 address or [an IPv6 address]; SECONDS 1-86400 (default 60).\n");
	return 2;
}

static int parse_ulong(const char *text, unsigned long min, unsigned long max,
		       unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(text, &end, 10);
	return errno || end == text || *end || text[0] == '-' ||
	       *v < min || *v > max ? -1 : 0;
}

int cmd_monitor_ipfix(const struct nat64_opts *opts, int argc, char **argv)
{
	struct ipfix_exporter *x;
	unsigned long v;
	int i, err;

	if (argc < 1 || argc % 2 == 0)
		return ipfix_usage();
	x = calloc(1, sizeof(*x));
	if (!x)
		return 1;
	x->template_interval_ms = 60 * 1000;
	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "domain") &&
		    !parse_ulong(argv[i + 1], 0, UINT32_MAX, &v)) {
			x->domain = v;
		} else if (!strcmp(argv[i], "template-interval") &&
			   !parse_ulong(argv[i + 1], 1, 86400, &v)) {
			x->template_interval_ms = v * 1000;
		} else {
			fprintf(stderr, "nat64: monitor ipfix: '%s %s': expected domain 0-4294967295 or template-interval 1-86400\n",
				argv[i], argv[i + 1]);
			free(x);
			return 2;
		}
	}
	x->fd = export_udp_connect(argv[0], "ipfix");
	if (x->fd < 0) {
		free(x);
		return 1;
	}
	err = export_run(opts, &ipfix_sink, x);
	close(x->fd);
	free(x);
	return err;
}
