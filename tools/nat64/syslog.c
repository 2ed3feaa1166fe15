// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * nat64 monitor syslog [HOST:PORT]: one RFC 5424 message per event, its
 * fields as structured data, to stdout (one line each) or over UDP
 * (RFC 5426, one message per datagram), for operators whose logs go to
 * syslog. The format is in nat64(8) and the admin guide.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "syslog.h"

/* local0.info: PRI = facility * 8 + severity (RFC 5424 6.2.1). */
#define SYSLOG_PRI		(16 * 8 + 6)
/* The SD-ID: RFC 5612's enterprise number for documentation. */
#define SYSLOG_SD_ID		"nat64@32473"

struct out {
	char *buf;
	size_t size, len;
	bool full;
};

static void add(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len)
		o->full = true;
	else
		o->len += n;
}

/* PARAM-VALUE: '"', '\' and ']' escaped with '\' (RFC 5424 6.3.3). */
static void add_param(struct out *o, const char *name, const char *value)
{
	add(o, " %s=\"", name);
	for (; *value; value++) {
		if (*value == '"' || *value == '\\' || *value == ']')
			add(o, "\\%c", *value);
		else
			add(o, "%c", *value);
	}
	add(o, "\"");
}

static void add_uint(struct out *o, const char *name, unsigned int v)
{
	char text[16];

	snprintf(text, sizeof(text), "%u", v);
	add_param(o, name, text);
}

static void add_addr(struct out *o, const char *name, int family,
		     const void *addr)
{
	char text[INET6_ADDRSTRLEN];

	add_param(o, name, inet_ntop(family, addr, text, sizeof(text)));
}

static const char *const msgids[] = {
	[LOG_BIB_NEW] = "BIB", [LOG_BIB_DEL] = "BIB",
	[LOG_SESSION_NEW] = "SESSION", [LOG_SESSION_DEL] = "SESSION",
	[LOG_BLOCK_NEW] = "BLOCK", [LOG_BLOCK_DEL] = "BLOCK",
	[LOG_FLUSH] = "FLUSH",
};

static const char *const events[] = {
	[LOG_BIB_NEW] = "bib-new", [LOG_BIB_DEL] = "bib-del",
	[LOG_SESSION_NEW] = "session-new", [LOG_SESSION_DEL] = "session-del",
	[LOG_BLOCK_NEW] = "block-alloc", [LOG_BLOCK_DEL] = "block-free",
	[LOG_FLUSH] = "flush",
};

/* TIMESTAMP, UTC to the microsecond (RFC 5424 6.2.3). */
static void add_time(struct out *o, uint64_t ns)
{
	time_t secs = ns / 1000000000;
	char when[32];
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	add(o, "%s.%06luZ", when, (unsigned long)(ns % 1000000000 / 1000));
}

static void add_mapping(struct out *o, const struct log_record *rec)
{
	add_addr(o, "addr6", AF_INET6, &rec->addr6);
	add_uint(o, "port6", rec->port6);
	add_addr(o, "addr4", AF_INET, &rec->addr4);
	add_uint(o, "port4", rec->port4);
}

static void add_block(struct out *o, const struct log_record *rec)
{
	char text[INET6_ADDRSTRLEN + 8];

	inet_ntop(AF_INET6, &rec->subscriber, text, INET6_ADDRSTRLEN);
	snprintf(text + strlen(text), 8, "/%u", rec->subscriber_len);
	add_param(o, "subscriber", text);
	add_addr(o, "addr4", AF_INET, &rec->addr4);
	snprintf(text, sizeof(text), "%u-%u", rec->port_first, rec->port_last);
	add_param(o, "ports", text);
}

int syslog_format(char *buf, size_t size, const struct log_record *rec,
		  const char *hostname)
{
	struct out o = { .buf = buf, .size = size };

	if (!size || rec->kind > LOG_FLUSH)
		return -1;
	buf[0] = '\0';
	add(&o, "<%d>1 ", SYSLOG_PRI);
	add_time(&o, rec->time_ns);
	add(&o, " %s nat64 - %s [%s", hostname, msgids[rec->kind],
	    SYSLOG_SD_ID);
	add_param(&o, "event", events[rec->kind]);
	add_param(&o, "instance", rec->instance);
	if (rec->kind != LOG_FLUSH)
		add_param(&o, "proto", ip_proto_name(rec->proto));
	if (rec->kind == LOG_BLOCK_NEW || rec->kind == LOG_BLOCK_DEL)
		add_block(&o, rec);
	else if (rec->kind != LOG_FLUSH)
		add_mapping(&o, rec);
	if (rec->kind == LOG_BIB_NEW || rec->kind == LOG_BIB_DEL)
		add_param(&o, "type", rec->is_static ? "static" : "dynamic");
	if (rec->kind == LOG_SESSION_NEW || rec->kind == LOG_SESSION_DEL) {
		add_addr(&o, "remote4", AF_INET, &rec->remote4);
		add_addr(&o, "remote6", AF_INET6, &rec->remote6);
		add_uint(&o, "remote_port", rec->remote_port);
	}
	add(&o, "]");
	return o.full ? -1 : (int)o.len;
}

void syslog_hostname(char *buf, size_t size)
{
	size_t i;

	/* HOSTNAME is 1-255 printable ASCII characters, no space; else "-". */
	if (size < 2 || gethostname(buf, size) || !buf[0]) {
		snprintf(buf, size, "-");
		return;
	}
	buf[size - 1] = '\0';
	for (i = 0; buf[i]; i++)
		if (buf[i] <= ' ' || buf[i] > '~')
			buf[i] = '_';
}

struct syslog_exporter {
	int fd;			/* -1: stdout */
	bool pending;		/* stdout has unflushed lines */
	char hostname[256];
	unsigned long lines, send_errors;
};

static int syslog_record(void *ctx, const struct log_record *rec)
{
	struct syslog_exporter *x = ctx;
	char line[1024];
	int len = syslog_format(line, sizeof(line), rec, x->hostname);

	if (len < 0)
		return 0;	/* cannot happen: the fields are bounded */
	x->lines++;
	if (x->fd < 0) {
		x->pending = true;
		return puts(line) == EOF ? -1 : 0;
	}
	if (export_send(x->fd, line, len) &&
	    (!x->send_errors++ || !(x->send_errors % 1000)))
		fprintf(stderr, "nat64: monitor syslog: send: %s (%lu messages lost so far)\n",
			strerror(errno), x->send_errors);
	return 0;
}

/* One write per burst of events, not one per line. */
static int syslog_tick(void *ctx, uint64_t now)
{
	struct syslog_exporter *x = ctx;

	(void)now;
	if (x->pending && fflush(stdout))
		return -2;
	x->pending = false;
	return -1;
}

static int syslog_finish(void *ctx)
{
	struct syslog_exporter *x = ctx;

	if (fflush(stdout))
		return -1;
	fprintf(stderr, "nat64: monitor syslog: %lu messages, %lu not sent\n",
		x->lines, x->send_errors);
	return 0;
}

static const struct export_sink syslog_sink = {
	.name = "syslog",
	.record = syslog_record,
	.tick = syslog_tick,
	.finish = syslog_finish,
};

int cmd_monitor_syslog(const struct nat64_opts *opts, int argc, char **argv)
{
	struct syslog_exporter x = { .fd = -1 };
	int err;

	if (argc > 1) {
		fprintf(stderr, "Usage: nat64 [-i NAME] monitor syslog [ HOST:PORT ]\n");
		return 2;
	}
	if (argc) {
		x.fd = export_udp_connect(argv[0], "syslog");
		if (x.fd < 0)
			return 1;
	}
	syslog_hostname(x.hostname, sizeof(x.hostname));
	err = export_run(opts, &syslog_sink, &x);
	if (x.fd >= 0)
		close(x.fd);
	return err;
}
