// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Mapping logs for keeping: the events group's messages as records, and
 * the loop that feeds them to an exporter (ipfix.c, syslog.c) with the
 * wakeups it asks for, so that nothing waits in a buffer for long.
 */

#include <errno.h>
#include <linux/genetlink.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "genl.h"

/* Room for bursts while the exporter sends: 4 MiB of events. */
#define EXPORT_RCVBUF (4 << 20)

struct event_attrs {
	const struct nlattr *a[NAT64_A_MAX + 1];
};

/* The size each attribute must have; 0: not checked (strings, flags). */
static const uint8_t attr_len[NAT64_A_MAX + 1] = {
	[NAT64_A_PROTO] = 1,
	[NAT64_A_ADDR6] = 16,
	[NAT64_A_PORT6] = 2,
	[NAT64_A_ADDR4] = 4,
	[NAT64_A_PORT4] = 2,
	[NAT64_A_REMOTE4] = 4,
	[NAT64_A_REMOTE_PORT] = 2,
	[NAT64_A_REMOTE6] = 16,
	[NAT64_A_TIMESTAMP] = 8,
	[NAT64_A_SUBSCRIBER] = 16,
	[NAT64_A_SUBSCRIBER_LEN] = 1,
	[NAT64_A_PORT_FIRST] = 2,
	[NAT64_A_PORT_LAST] = 2,
};

/* A malformed attribute fails the message; an unknown one is skipped. */
static int event_attr_cb(const struct nlattr *attr, void *data)
{
	struct event_attrs *tb = data;
	int type = mnl_attr_get_type(attr);

	if (type <= 0 || type > NAT64_A_MAX)
		return MNL_CB_OK;
	if (attr_len[type] &&
	    mnl_attr_get_payload_len(attr) != attr_len[type])
		return MNL_CB_ERROR;
	tb->a[type] = attr;
	return MNL_CB_OK;
}

static bool has(const struct event_attrs *tb, const int *types, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!tb->a[types[i]])
			return false;
	return true;
}

#define HAS(tb, ...) \
	has(tb, (const int[]){ __VA_ARGS__ }, \
	    sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int))

static void get_bib(const struct event_attrs *tb, struct log_record *rec)
{
	rec->proto = mnl_attr_get_u8(tb->a[NAT64_A_PROTO]);
	memcpy(&rec->addr6, mnl_attr_get_payload(tb->a[NAT64_A_ADDR6]), 16);
	rec->port6 = mnl_attr_get_u16(tb->a[NAT64_A_PORT6]);
	memcpy(&rec->addr4, mnl_attr_get_payload(tb->a[NAT64_A_ADDR4]), 4);
	rec->port4 = mnl_attr_get_u16(tb->a[NAT64_A_PORT4]);
	rec->is_static = tb->a[NAT64_A_STATIC];
}

static int get_session(const struct event_attrs *tb, struct log_record *rec)
{
	if (!HAS(tb, NAT64_A_REMOTE4, NAT64_A_REMOTE_PORT, NAT64_A_REMOTE6))
		return -1;
	get_bib(tb, rec);
	memcpy(&rec->remote4, mnl_attr_get_payload(tb->a[NAT64_A_REMOTE4]), 4);
	memcpy(&rec->remote6, mnl_attr_get_payload(tb->a[NAT64_A_REMOTE6]), 16);
	rec->remote_port = mnl_attr_get_u16(tb->a[NAT64_A_REMOTE_PORT]);
	return 0;
}

static int get_block(const struct event_attrs *tb, struct log_record *rec)
{
	if (!HAS(tb, NAT64_A_PROTO, NAT64_A_SUBSCRIBER, NAT64_A_SUBSCRIBER_LEN,
		 NAT64_A_ADDR4, NAT64_A_PORT_FIRST, NAT64_A_PORT_LAST))
		return -1;
	rec->proto = mnl_attr_get_u8(tb->a[NAT64_A_PROTO]);
	memcpy(&rec->subscriber,
	       mnl_attr_get_payload(tb->a[NAT64_A_SUBSCRIBER]), 16);
	rec->subscriber_len = mnl_attr_get_u8(tb->a[NAT64_A_SUBSCRIBER_LEN]);
	memcpy(&rec->addr4, mnl_attr_get_payload(tb->a[NAT64_A_ADDR4]), 4);
	rec->port_first = mnl_attr_get_u16(tb->a[NAT64_A_PORT_FIRST]);
	rec->port_last = mnl_attr_get_u16(tb->a[NAT64_A_PORT_LAST]);
	if (rec->subscriber_len > 128 || rec->port_first > rec->port_last)
		return -1;
	return 0;
}

static const enum log_kind kinds[NAT64_CMD_MAX + 1] = {
	[NAT64_CMD_BIB_NEW] = LOG_BIB_NEW,
	[NAT64_CMD_BIB_DEL] = LOG_BIB_DEL,
	[NAT64_CMD_SESSION_NEW] = LOG_SESSION_NEW,
	[NAT64_CMD_SESSION_DEL] = LOG_SESSION_DEL,
	[NAT64_CMD_BLOCK_NEW] = LOG_BLOCK_NEW,
	[NAT64_CMD_BLOCK_DEL] = LOG_BLOCK_DEL,
	[NAT64_CMD_FLUSH] = LOG_FLUSH,
};

static bool is_event(uint8_t cmd)
{
	return cmd == NAT64_CMD_BIB_NEW || cmd == NAT64_CMD_BIB_DEL ||
	       cmd == NAT64_CMD_SESSION_NEW || cmd == NAT64_CMD_SESSION_DEL ||
	       cmd == NAT64_CMD_BLOCK_NEW || cmd == NAT64_CMD_BLOCK_DEL ||
	       cmd == NAT64_CMD_FLUSH;
}

int log_record_parse(const struct nlmsghdr *nlh, struct log_record *rec)
{
	const struct genlmsghdr *genl;
	struct event_attrs tb = {};
	const char *name;

	memset(rec, 0, sizeof(*rec));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*genl))
		return -1;
	genl = mnl_nlmsg_get_payload(nlh);
	if (!is_event(genl->cmd) ||
	    mnl_attr_parse(nlh, sizeof(*genl), event_attr_cb, &tb) < 0 ||
	    !tb.a[NAT64_A_TIMESTAMP])
		return -1;
	rec->kind = kinds[genl->cmd];
	rec->time_ns = mnl_attr_get_u64(tb.a[NAT64_A_TIMESTAMP]);
	if (tb.a[NAT64_A_INSTANCE] &&
	    !mnl_attr_validate(tb.a[NAT64_A_INSTANCE], MNL_TYPE_NUL_STRING)) {
		name = mnl_attr_get_str(tb.a[NAT64_A_INSTANCE]);
		snprintf(rec->instance, sizeof(rec->instance), "%s", name);
	}
	switch (rec->kind) {
	case LOG_BIB_NEW:
	case LOG_BIB_DEL:
		if (!HAS(&tb, NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6,
			 NAT64_A_ADDR4, NAT64_A_PORT4))
			return -1;
		get_bib(&tb, rec);
		return 0;
	case LOG_SESSION_NEW:
	case LOG_SESSION_DEL:
		if (!HAS(&tb, NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6,
			 NAT64_A_ADDR4, NAT64_A_PORT4))
			return -1;
		return get_session(&tb, rec);
	case LOG_BLOCK_NEW:
	case LOG_BLOCK_DEL:
		return get_block(&tb, rec);
	case LOG_FLUSH:
		return 0;
	}
	return -1;
}

/* Splits "HOST:PORT" or "[HOST]:PORT" in place: 0, or -1. */
static int split_hostport(char *text, char **host, char **port)
{
	char *colon;

	if (text[0] == '[') {
		colon = strchr(text, ']');
		if (!colon || colon[1] != ':')
			return -1;
		*colon = '\0';
		*host = text + 1;
		*port = colon + 2;
	} else {
		colon = strrchr(text, ':');
		if (!colon || strchr(text, ':') != colon)
			return -1;	/* an IPv6 address needs its brackets */
		*colon = '\0';
		*host = text;
		*port = colon + 1;
	}
	return **host && **port ? 0 : -1;
}

int export_udp_connect(const char *hostport, const char *who)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_DGRAM,
		.ai_flags = AI_NUMERICSERV,
	};
	struct addrinfo *ai, *p;
	char buf[300], *host, *port;
	int fd = -1, err;

	if (strlen(hostport) >= sizeof(buf) ||
	    split_hostport(strcpy(buf, hostport), &host, &port)) {
		fprintf(stderr, "nat64: monitor %s: '%s': expected HOST:PORT or [IPV6]:PORT\n",
			who, hostport);
		return -1;
	}
	err = getaddrinfo(host, port, &hints, &ai);
	if (err) {
		fprintf(stderr, "nat64: monitor %s: '%s': %s\n", who, hostport,
			gai_strerror(err));
		return -1;
	}
	for (p = ai; p; p = p->ai_next) {
		fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC,
			    p->ai_protocol);
		if (fd >= 0 && !connect(fd, p->ai_addr, p->ai_addrlen))
			break;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	if (fd < 0)
		fprintf(stderr, "nat64: monitor %s: '%s': %s\n", who, hostport,
			strerror(errno));
	freeaddrinfo(ai);
	return fd;
}

/*
 * A connected UDP socket reports an ICMP error of an earlier datagram
 * (ECONNREFUSED: the collector was down) on the next send, which it
 * fails: that one is sent again, so that one refusal loses one message.
 */
int export_send(int fd, const void *buf, size_t len)
{
	ssize_t n = send(fd, buf, len, 0);

	if (n < 0 && errno == ECONNREFUSED)
		n = send(fd, buf, len, 0);
	return n == (ssize_t)len ? 0 : -1;
}

uint64_t export_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* No SA_RESTART: a signal ends the poll, and the loop sees the flag. */
static void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int join_events(struct nat64_genl *nl, const char *who)
{
	int size = EXPORT_RCVBUF;
	int fd = mnl_socket_get_fd(nl->sock);

	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->events_group,
				  sizeof(nl->events_group)) < 0) {
		fprintf(stderr, "nat64: monitor %s: joining the events group: %s\n",
			who, strerror(errno));
		return -1;
	}
	/* Beyond rmem_max needs CAP_NET_ADMIN, which the group needs too. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

struct export_loop {
	const struct nat64_opts *opts;
	const struct export_sink *sink;
	void *ctx;
	unsigned long overflows;
	unsigned long malformed;
	bool failed;		/* the sink refused a record */
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct export_loop *loop = data;
	struct log_record rec;

	if (log_record_parse(nlh, &rec)) {
		loop->malformed++;
		return MNL_CB_OK;
	}
	if (loop->opts->instance && strcmp(rec.instance, loop->opts->instance))
		return MNL_CB_OK;
	if (loop->sink->record(loop->ctx, &rec) < 0) {
		loop->failed = true;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Every message queued on the socket, without blocking: 0, or -1. */
static int drain(struct nat64_genl *nl, struct export_loop *loop)
{
	char buf[32768];
	ssize_t n;

	for (;;) {
		n = recv(mnl_socket_get_fd(nl->sock), buf, sizeof(buf),
			 MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n < 0 && errno == ENOBUFS) {
			/* The kernel dropped events: say so, keep logging. */
			loop->overflows++;
			fprintf(stderr, "nat64: monitor %s: the event socket overflowed, events were lost (%lu times so far)\n",
				loop->sink->name, loop->overflows);
			continue;
		}
		if (n <= 0) {
			fprintf(stderr, "nat64: monitor %s: netlink receive: %s\n",
				loop->sink->name, n ? strerror(errno) : "closed");
			return -1;
		}
		if (mnl_cb_run(buf, n, 0, 0, event_cb, loop) < 0) {
			if (loop->failed)
				return -1;
			loop->malformed++;	/* a broken message, not ours */
		}
	}
}

int export_run(const struct nat64_opts *opts, const struct export_sink *sink,
	       void *ctx)
{
	struct export_loop loop = { .opts = opts, .sink = sink, .ctx = ctx };
	struct nat64_genl nl;
	struct pollfd pfd;
	int timeout, err = 0;

	if (genl_open_for(opts, &nl))
		return 1;
	if (join_events(&nl, sink->name)) {
		nat64_genl_close(&nl);
		return 1;
	}
	catch_stop_signals();
	pfd.fd = mnl_socket_get_fd(nl.sock);
	pfd.events = POLLIN;
	while (!stopping && !err) {
		timeout = sink->tick(ctx, export_now_ms());
		if (timeout < -1) {
			err = 1;
			break;
		}
		if (poll(&pfd, 1, timeout) < 0 && errno != EINTR) {
			perror("nat64: monitor: poll");
			err = 1;
		} else if (pfd.revents & (POLLIN | POLLERR)) {
			err = drain(&nl, &loop) ? 1 : 0;
		}
		pfd.revents = 0;
	}
	if (sink->finish(ctx) < 0)
		err = 1;
	fprintf(stderr, "nat64: monitor %s: stopped; %lu overflows (events lost), %lu malformed events\n",
		sink->name, loop.overflows, loop.malformed);
	nat64_genl_close(&nl);
	return err;
}
