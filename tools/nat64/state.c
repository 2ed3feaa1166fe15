// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * nat64 bib | session | stats | instance | monitor: the translator's
 * state, through the "nat64" generic netlink family.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfs.h"
#include "export.h"
#include "genl.h"
#include "nat64.h"
#include "netns.h"

/* One message's attributes, by type. */
struct attrs {
	const struct nlattr *a[NAT64_A_MAX + 1];
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct attrs *tb = data;
	int type = mnl_attr_get_type(attr);

	if (type > 0 && type <= NAT64_A_MAX)
		tb->a[type] = attr;
	return MNL_CB_OK;
}

static void parse(const struct nlmsghdr *nlh, struct attrs *tb)
{
	memset(tb, 0, sizeof(*tb));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb);
}

/* The name of an IP protocol number, as the tool prints it. */
const char *ip_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	}
	return "?";
}

static int proto_parse(const char *word, uint8_t *proto)
{
	if (!strcmp(word, "tcp"))
		*proto = IPPROTO_TCP;
	else if (!strcmp(word, "udp"))
		*proto = IPPROTO_UDP;
	else if (!strcmp(word, "icmp"))
		*proto = IPPROTO_ICMP;
	else
		return -1;
	return 0;
}

static const char *addr6(const struct nlattr *a, char *buf)
{
	return a ? inet_ntop(AF_INET6, mnl_attr_get_payload(a), buf,
			     INET6_ADDRSTRLEN) : "?";
}

static const char *addr4(const struct nlattr *a, char *buf)
{
	return a ? inet_ntop(AF_INET, mnl_attr_get_payload(a), buf,
			     INET_ADDRSTRLEN) : "?";
}

static unsigned int u16_of(const struct nlattr *a)
{
	return a ? mnl_attr_get_u16(a) : 0;
}

/* "ADDR#PORT", IPv4 or IPv6, into taddr and port; 0 or -1. */
int taddr_parse(const char *text, int family, void *addr, uint16_t *port)
{
	char buf[INET6_ADDRSTRLEN + 8], *hash, *end;
	unsigned long p;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	hash = strrchr(buf, '#');
	if (!hash)
		return -1;
	*hash++ = '\0';
	errno = 0;
	p = strtoul(hash, &end, 10);
	if (errno || *end || end == hash || p > 65535)
		return -1;
	*port = p;
	return inet_pton(family, buf, addr) == 1 ? 0 : -1;
}

static int open_genl(void *nl)
{
	return nat64_genl_open(nl);
}

/*
 * The family answers for the instances of the socket's namespace only:
 * for -i NAME, the socket is opened where that instance translates.
 */
int genl_open_for(const struct nat64_opts *opts, struct nat64_genl *nl)
{
	char path[256];

	if (opts->instance && !cfs_open() &&
	    !instance_netns_path(opts->instance, path, sizeof(path)) &&
	    strcmp(path, "/proc/self/ns/net"))
		return netns_run_in(path, open_genl, nl);
	return nat64_genl_open(nl);
}

struct show {
	const struct nat64_opts *opts;
	unsigned long rows;
};

static void json_sep(struct show *s)
{
	if (s->rows)
		putchar(',');
}

static int bib_row(const struct nlmsghdr *nlh, void *data)
{
	char a6[INET6_ADDRSTRLEN], a4[INET_ADDRSTRLEN], t6[80], t4[40];
	struct show *s = data;
	struct attrs tb;
	uint8_t proto;

	parse(nlh, &tb);
	proto = tb.a[NAT64_A_PROTO] ? mnl_attr_get_u8(tb.a[NAT64_A_PROTO]) : 0;
	addr6(tb.a[NAT64_A_ADDR6], a6);
	addr4(tb.a[NAT64_A_ADDR4], a4);
	if (s->opts->json) {
		json_sep(s);
		printf("{\"proto\":\"%s\",\"addr6\":\"%s\",\"port6\":%u,\"addr4\":\"%s\",\"port4\":%u,\"static\":%s,\"sessions\":%u}",
		       ip_proto_name(proto), a6, u16_of(tb.a[NAT64_A_PORT6]), a4,
		       u16_of(tb.a[NAT64_A_PORT4]),
		       tb.a[NAT64_A_STATIC] ? "true" : "false",
		       tb.a[NAT64_A_SESSIONS] ?
		       mnl_attr_get_u32(tb.a[NAT64_A_SESSIONS]) : 0);
	} else {
		snprintf(t6, sizeof(t6), "%s#%u", a6, u16_of(tb.a[NAT64_A_PORT6]));
		snprintf(t4, sizeof(t4), "%s#%u", a4, u16_of(tb.a[NAT64_A_PORT4]));
		printf("%-5s %-46s %-22s %-8u %s\n", ip_proto_name(proto), t6, t4,
		       tb.a[NAT64_A_SESSIONS] ?
		       mnl_attr_get_u32(tb.a[NAT64_A_SESSIONS]) : 0,
		       tb.a[NAT64_A_STATIC] ? "static" : "dynamic");
	}
	s->rows++;
	return MNL_CB_OK;
}

static int block_row(const struct nlmsghdr *nlh, void *data)
{
	char sub[INET6_ADDRSTRLEN + 4], a6[INET6_ADDRSTRLEN];
	char a4[INET_ADDRSTRLEN], ports[12], hold[16] = "-";
	const struct nlattr *ms;
	struct show *s = data;
	unsigned int used;
	struct attrs tb;
	uint8_t proto;

	parse(nlh, &tb);
	proto = tb.a[NAT64_A_PROTO] ? mnl_attr_get_u8(tb.a[NAT64_A_PROTO]) : 0;
	snprintf(sub, sizeof(sub), "%s/%u", addr6(tb.a[NAT64_A_SUBSCRIBER], a6),
		 tb.a[NAT64_A_SUBSCRIBER_LEN] ?
		 mnl_attr_get_u8(tb.a[NAT64_A_SUBSCRIBER_LEN]) : 0);
	/* addr4() writes a4 only when the attribute is there. */
	snprintf(a4, sizeof(a4), "%s", "?");
	addr4(tb.a[NAT64_A_ADDR4], a4);
	snprintf(ports, sizeof(ports), "%u-%u", u16_of(tb.a[NAT64_A_PORT_FIRST]),
		 u16_of(tb.a[NAT64_A_PORT_LAST]));
	used = tb.a[NAT64_A_BIB_COUNT] ? mnl_attr_get_u32(tb.a[NAT64_A_BIB_COUNT]) : 0;
	/* A block with no mapping is held: this long until it goes back. */
	ms = tb.a[NAT64_A_EXPIRES_MS];
	if (ms)
		snprintf(hold, sizeof(hold), "%.1f", mnl_attr_get_u32(ms) / 1000.0);
	if (s->opts->json) {
		json_sep(s);
		printf("{\"proto\":\"%s\",\"subscriber\":\"%s\",\"addr4\":\"%s\",\"port_first\":%u,\"port_last\":%u,\"mappings\":%u",
		       ip_proto_name(proto), sub, a4,
		       u16_of(tb.a[NAT64_A_PORT_FIRST]),
		       u16_of(tb.a[NAT64_A_PORT_LAST]), used);
		if (ms)
			printf(",\"returns_ms\":%u", mnl_attr_get_u32(ms));
		putchar('}');
	} else {
		printf("%-5s %-44s %-15s %-11s %-8u %s\n", ip_proto_name(proto),
		       sub, a4, ports, used, hold);
	}
	s->rows++;
	return MNL_CB_OK;
}

static int session_row(const struct nlmsghdr *nlh, void *data)
{
	char a6[INET6_ADDRSTRLEN], r6[INET6_ADDRSTRLEN];
	char a4[INET_ADDRSTRLEN], r4[INET_ADDRSTRLEN];
	char t6[80], u6[80], t4[40], u4[40];
	struct show *s = data;
	const char *state;
	struct attrs tb;
	uint32_t expires;
	uint8_t proto;

	parse(nlh, &tb);
	proto = tb.a[NAT64_A_PROTO] ? mnl_attr_get_u8(tb.a[NAT64_A_PROTO]) : 0;
	addr6(tb.a[NAT64_A_ADDR6], a6);
	addr6(tb.a[NAT64_A_REMOTE6], r6);
	addr4(tb.a[NAT64_A_ADDR4], a4);
	addr4(tb.a[NAT64_A_REMOTE4], r4);
	expires = tb.a[NAT64_A_EXPIRES_MS] ?
		  mnl_attr_get_u32(tb.a[NAT64_A_EXPIRES_MS]) : 0;
	state = tb.a[NAT64_A_TCP_STATE] ?
		mnl_attr_get_str(tb.a[NAT64_A_TCP_STATE]) : "-";
	if (s->opts->json) {
		json_sep(s);
		printf("{\"proto\":\"%s\",\"addr6\":\"%s\",\"port6\":%u,\"remote6\":\"%s\",\"addr4\":\"%s\",\"port4\":%u,\"remote4\":\"%s\",\"remote_port\":%u,\"expires_ms\":%u,\"tcp_state\":\"%s\"}",
		       ip_proto_name(proto), a6, u16_of(tb.a[NAT64_A_PORT6]), r6,
		       a4, u16_of(tb.a[NAT64_A_PORT4]), r4,
		       u16_of(tb.a[NAT64_A_REMOTE_PORT]), expires, state);
	} else {
		snprintf(t6, sizeof(t6), "%s#%u", a6, u16_of(tb.a[NAT64_A_PORT6]));
		snprintf(u6, sizeof(u6), "%s#%u", r6,
			 u16_of(tb.a[NAT64_A_REMOTE_PORT]));
		snprintf(t4, sizeof(t4), "%s#%u", a4, u16_of(tb.a[NAT64_A_PORT4]));
		snprintf(u4, sizeof(u4), "%s#%u", r4,
			 u16_of(tb.a[NAT64_A_REMOTE_PORT]));
		printf("%-5s %-40s %-40s %-22s %-22s %7.1f %s\n",
		       ip_proto_name(proto), t6, u6, t4, u4, expires / 1000.0,
		       state);
	}
	s->rows++;
	return MNL_CB_OK;
}

/* show [ proto P ] [ addr4 A ]: the dump filters. */
static int put_filters(struct nlmsghdr *nlh, int argc, char **argv,
		       const char *what)
{
	int i;

	for (i = 0; i < argc; i++) {
		struct in_addr in;
		uint8_t proto;

		if (!strcmp(argv[i], "proto") && i + 1 < argc &&
		    !proto_parse(argv[i + 1], &proto)) {
			mnl_attr_put_u8(nlh, NAT64_A_PROTO, proto);
			i++;
		} else if (!strcmp(argv[i], "addr4") && i + 1 < argc &&
			   inet_pton(AF_INET, argv[i + 1], &in) == 1) {
			mnl_attr_put(nlh, NAT64_A_ADDR4, sizeof(in), &in);
			i++;
		} else {
			fprintf(stderr, "nat64: %s show: '%s': expected proto { tcp | udp | icmp } or addr4 ADDRESS\n",
				what, argv[i]);
			return -1;
		}
	}
	return 0;
}

static int show_table(const struct nat64_opts *opts, uint8_t cmd,
		      mnl_cb_t row, const char *header, const char *what,
		      int argc, char **argv)
{
	struct show s = { .opts = opts };
	struct nat64_genl nl;
	struct nlmsghdr *nlh;
	int err;

	if (genl_open_for(opts, &nl))
		return 1;
	nlh = nat64_genl_request(&nl, cmd, NLM_F_DUMP, opts->instance);
	if (put_filters(nlh, argc, argv, what)) {
		nat64_genl_close(&nl);
		return 2;
	}
	if (opts->json)
		putchar('[');
	else
		puts(header);
	err = nat64_genl_talk(&nl, nlh, row, &s, false);
	if (opts->json)
		puts("]");
	nat64_genl_close(&nl);
	return err ? 1 : 0;
}

/* add|del PROTO ADDR6#PORT ADDR4#PORT */
static int bib_change(const struct nat64_opts *opts, uint8_t cmd, int argc,
		      char **argv)
{
	struct in6_addr a6;
	struct in_addr a4;
	uint16_t p6, p4;
	uint8_t proto;
	struct nat64_genl nl;
	struct nlmsghdr *nlh;
	int err;

	if (argc != 3 || proto_parse(argv[0], &proto) ||
	    taddr_parse(argv[1], AF_INET6, &a6, &p6) ||
	    taddr_parse(argv[2], AF_INET, &a4, &p4)) {
		fprintf(stderr, "Usage: nat64 bib { add | del } { tcp | udp | icmp } IPV6#PORT IPV4#PORT\n");
		return 2;
	}
	if (genl_open_for(opts, &nl))
		return 1;
	nlh = nat64_genl_request(&nl, cmd, NLM_F_ACK, opts->instance);
	mnl_attr_put_u8(nlh, NAT64_A_PROTO, proto);
	mnl_attr_put(nlh, NAT64_A_ADDR6, sizeof(a6), &a6);
	mnl_attr_put_u16(nlh, NAT64_A_PORT6, p6);
	mnl_attr_put(nlh, NAT64_A_ADDR4, sizeof(a4), &a4);
	mnl_attr_put_u16(nlh, NAT64_A_PORT4, p4);
	err = nat64_genl_talk(&nl, nlh, NULL, NULL, false);
	nat64_genl_close(&nl);
	return err ? 1 : 0;
}

static int simple_request(const struct nat64_opts *opts, uint8_t cmd,
			  mnl_cb_t cb, void *data)
{
	struct nat64_genl nl;
	struct nlmsghdr *nlh;
	int err;

	if (genl_open_for(opts, &nl))
		return 1;
	nlh = nat64_genl_request(&nl, cmd, NLM_F_ACK, opts->instance);
	err = nat64_genl_talk(&nl, nlh, cb, data, false);
	nat64_genl_close(&nl);
	return err ? 1 : 0;
}

int cmd_bib(const struct nat64_opts *opts, int argc, char **argv)
{
	const char *op = argc ? argv[0] : "show";

	if (!strcmp(op, "show") || !strcmp(op, "list"))
		return show_table(opts, NAT64_CMD_BIB_GET, bib_row,
				  "proto ipv6                                           ipv4                   sessions type",
				  "bib", argc ? argc - 1 : 0, argv + 1);
	if (!strcmp(op, "add"))
		return bib_change(opts, NAT64_CMD_BIB_NEW, argc - 1, argv + 1);
	if (!strcmp(op, "del") || !strcmp(op, "delete"))
		return bib_change(opts, NAT64_CMD_BIB_DEL, argc - 1, argv + 1);
	if (!strcmp(op, "flush"))
		return simple_request(opts, NAT64_CMD_FLUSH, NULL, NULL);
	fprintf(stderr, "Usage: nat64 [-j] [-i NAME] bib { show [ proto P ] [ addr4 A ] | add | del | flush }\n");
	return 2;
}

int cmd_block(const struct nat64_opts *opts, int argc, char **argv)
{
	const char *op = argc ? argv[0] : "show";

	if (!strcmp(op, "show") || !strcmp(op, "list"))
		return show_table(opts, NAT64_CMD_BLOCK_GET, block_row,
				  "proto subscriber                                   ipv4            ports       mappings returns(s)",
				  "block", argc ? argc - 1 : 0, argv + 1);
	fprintf(stderr, "Usage: nat64 [-j] [-i NAME] block show [ proto P ] [ addr4 A ]\n");
	return 2;
}

int cmd_session(const struct nat64_opts *opts, int argc, char **argv)
{
	const char *op = argc ? argv[0] : "show";

	if (!strcmp(op, "show") || !strcmp(op, "list"))
		return show_table(opts, NAT64_CMD_SESSION_GET, session_row,
				  "proto ipv6 local                               ipv6 remote                              ipv4 local             ipv4 remote            expires state",
				  "session", argc ? argc - 1 : 0, argv + 1);
	fprintf(stderr, "Usage: nat64 [-j] [-i NAME] session show [ proto P ] [ addr4 A ]\n");
	return 2;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nat64_opts *opts = data;
	const struct nlattr *nest, *a;
	int first = 1;

	if (opts->json)
		putchar('{');
	mnl_attr_for_each(nest, nlh, sizeof(struct genlmsghdr)) {
		const char *name = "?", *desc = "";
		uint64_t value = 0;

		if (mnl_attr_get_type(nest) != NAT64_A_STAT)
			continue;
		mnl_attr_for_each_nested(a, nest) {
			switch (mnl_attr_get_type(a)) {
			case NAT64_A_STAT_NAME:
				name = mnl_attr_get_str(a);
				break;
			case NAT64_A_STAT_VALUE:
				value = mnl_attr_get_u64(a);
				break;
			case NAT64_A_STAT_DESC:
				desc = mnl_attr_get_str(a);
				break;
			}
		}
		if (opts->json)
			printf("%s\"%s\":%" PRIu64, first ? "" : ",", name, value);
		else
			printf("%-24s %14" PRIu64 "  %s\n", name, value, desc);
		first = 0;
	}
	if (opts->json)
		puts("}");
	return MNL_CB_OK;
}

int cmd_stats(const struct nat64_opts *opts, int argc, char **argv)
{
	if (argc && strcmp(argv[0], "show")) {
		fprintf(stderr, "Usage: nat64 [-j] [-i NAME] stats show\n");
		return 2;
	}
	return simple_request(opts, NAT64_CMD_STATS_GET, stats_cb,
			      (void *)opts);
}

struct counts {
	uint32_t bib, sessions;
	bool found;
};

static int counts_cb(const struct nlmsghdr *nlh, void *data)
{
	struct counts *c = data;
	struct attrs tb;

	parse(nlh, &tb);
	if (tb.a[NAT64_A_BIB_COUNT] && tb.a[NAT64_A_SESSION_COUNT]) {
		c->bib = mnl_attr_get_u32(tb.a[NAT64_A_BIB_COUNT]);
		c->sessions = mnl_attr_get_u32(tb.a[NAT64_A_SESSION_COUNT]);
		c->found = true;
	}
	return MNL_CB_OK;
}

/*
 * The sizes of running instance @name's tables, for "instance show":
 * 0, or -1 (quietly) if they cannot be asked for from here.
 */
int instance_counts(const char *name, uint32_t *bib, uint32_t *sessions)
{
	struct nat64_opts here = { .instance = name };
	struct counts c = {};
	struct nat64_genl nl;
	struct nlmsghdr *nlh;
	char path[256];
	int err;

	if (instance_netns_path(name, path, sizeof(path)))
		return -1;
	if (strcmp(path, "/proc/self/ns/net") && geteuid())
		return -1;	/* entering a namespace needs root */
	if (genl_open_for(&here, &nl))
		return -1;
	nlh = nat64_genl_request(&nl, NAT64_CMD_INSTANCE_GET, NLM_F_ACK, name);
	err = nat64_genl_talk(&nl, nlh, counts_cb, &c, true);
	nat64_genl_close(&nl);
	if (err || !c.found)
		return -1;
	*bib = c.bib;
	*sessions = c.sessions;
	return 0;
}

/* An event's time, UTC to the microsecond; valid until the next call. */
static const char *event_time(uint64_t ns)
{
	static char text[48];
	time_t secs = ns / 1000000000;
	struct tm tm;
	char when[32];

	gmtime_r(&secs, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(text, sizeof(text), "%s.%06luZ", when,
		 (unsigned long)(ns % 1000000000 / 1000));
	return text;
}

/* Every dynamic mapping and session went at once. */
static int print_flush_event(const struct nat64_opts *opts, uint64_t ns)
{
	if (opts->json)
		printf("{\"time_ns\":%" PRIu64 ",\"object\":\"bib\",\"event\":\"flush\"}\n",
		       ns);
	else
		printf("%s bib flush\n", event_time(ns));
	fflush(stdout);
	return MNL_CB_OK;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nat64_opts *opts = data;
	char a6[INET6_ADDRSTRLEN], a4[INET_ADDRSTRLEN], r4[INET_ADDRSTRLEN];
	const char *kind, *what;
	struct attrs tb;
	uint64_t ns;
	uint8_t proto;

	parse(nlh, &tb);
	ns = tb.a[NAT64_A_TIMESTAMP] ? mnl_attr_get_u64(tb.a[NAT64_A_TIMESTAMP]) : 0;
	switch (genl->cmd) {
	case NAT64_CMD_BIB_NEW:
		kind = "bib", what = "new";
		break;
	case NAT64_CMD_BIB_DEL:
		kind = "bib", what = "del";
		break;
	case NAT64_CMD_SESSION_NEW:
		kind = "session", what = "new";
		break;
	case NAT64_CMD_SESSION_DEL:
		kind = "session", what = "del";
		break;
	case NAT64_CMD_FLUSH:
		return print_flush_event(opts, ns);
	default:
		return MNL_CB_OK;
	}
	proto = tb.a[NAT64_A_PROTO] ? mnl_attr_get_u8(tb.a[NAT64_A_PROTO]) : 0;
	addr6(tb.a[NAT64_A_ADDR6], a6);
	addr4(tb.a[NAT64_A_ADDR4], a4);
	if (opts->json) {
		printf("{\"time_ns\":%" PRIu64 ",\"object\":\"%s\",\"event\":\"%s\",\"proto\":\"%s\",\"addr6\":\"%s\",\"port6\":%u,\"addr4\":\"%s\",\"port4\":%u",
		       ns, kind, what, ip_proto_name(proto), a6,
		       u16_of(tb.a[NAT64_A_PORT6]), a4, u16_of(tb.a[NAT64_A_PORT4]));
		if (tb.a[NAT64_A_REMOTE4])
			printf(",\"remote4\":\"%s\",\"remote_port\":%u",
			       addr4(tb.a[NAT64_A_REMOTE4], r4),
			       u16_of(tb.a[NAT64_A_REMOTE_PORT]));
		puts("}");
	} else {
		printf("%s %s %s %s %s#%u %s#%u", event_time(ns), kind, what,
		       ip_proto_name(proto), a6, u16_of(tb.a[NAT64_A_PORT6]), a4,
		       u16_of(tb.a[NAT64_A_PORT4]));
		if (tb.a[NAT64_A_REMOTE4])
			printf(" %s#%u", addr4(tb.a[NAT64_A_REMOTE4], r4),
			       u16_of(tb.a[NAT64_A_REMOTE_PORT]));
		putchar('\n');
	}
	fflush(stdout);
	return MNL_CB_OK;
}

/*
 * One line per BIB entry and session made or removed, as they happen;
 * "monitor ipfix" and "monitor syslog" export them for keeping.
 */
int cmd_monitor(const struct nat64_opts *opts, int argc, char **argv)
{
	char buf[32768];
	struct nat64_genl nl;
	ssize_t n;

	if (argc && !strcmp(argv[0], "ipfix"))
		return cmd_monitor_ipfix(opts, argc - 1, argv + 1);
	if (argc && !strcmp(argv[0], "syslog"))
		return cmd_monitor_syslog(opts, argc - 1, argv + 1);
	if (argc) {
		fprintf(stderr, "Usage: nat64 [-j] [-i NAME] monitor [ ipfix HOST:PORT [ domain N ] [ template-interval S ] | syslog [ HOST:PORT ] ]\n");
		return 2;
	}
	if (genl_open_for(opts, &nl))
		return 1;
	if (mnl_socket_setsockopt(nl.sock, NETLINK_ADD_MEMBERSHIP,
				  &nl.events_group,
				  sizeof(nl.events_group)) < 0) {
		perror("nat64: monitor: joining the events group");
		nat64_genl_close(&nl);
		return 1;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl.sock, buf, sizeof(buf));
		if (n < 0 && errno == ENOBUFS) {
			/* The socket overflowed: say so, and keep logging. */
			fprintf(stderr, "nat64: monitor: events were lost\n");
			continue;
		}
		if (n <= 0 || mnl_cb_run(buf, n, 0, 0, event_cb,
					 (void *)opts) < 0)
			break;
	}
	perror("nat64: monitor");
	nat64_genl_close(&nl);
	return 1;
}
