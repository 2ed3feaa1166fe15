// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * nat64 pool4 { show [csv] | count | add | del | flush }
 *
 * pool4 lives in configfs, one directory per entry under
 * /sys/kernel/config/nat64/<instance>/pool4/; this is mkdir, echo and
 * rmdir done for the operator, with the seeds' semantics on top: an
 * entry without a protocol is one per protocol, removal takes whole
 * entries inside the given prefix and ports, and "quick" leaves the
 * state of removed transport addresses to expire.
 */

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfs.h"
#include "nat64.h"
#include "pool4.h"

#define CONFIGFS_ROOT CFS_ROOT

struct pool4_entry {
	char name[NAME_MAX + 1];
	uint32_t mark;
	unsigned int protos;	/* P_* bits */
	uint32_t addr;		/* host order */
	unsigned int plen;
	unsigned int port_min;
	unsigned int port_max;
	struct pool4_lending lend;
	int enabled;
};

static const struct {
	const char *name;
	unsigned int bit;
} proto_names[] = {
	{ "icmp", P_ICMP }, { "udp", P_UDP }, { "tcp", P_TCP },
};

static char pool4_dir[128];	/* instance names are short */

static int pool4_usage(void)
{
	fprintf(stderr,
		"Usage: nat64 [-j] [-i NAME] pool4 show [ csv ]\n"
		"       nat64 [-j] [-i NAME] pool4 count\n"
		"       nat64 [-i NAME] pool4 add PREFIX [ ports MIN[-MAX] ] [ mark N ]\n"
		"                                [ proto { tcp | udp | icmp } ]... [ force ]\n"
		"                                [ block-size N [ max-blocks N ] | subscribers PREFIX6 ]\n"
		"       nat64 [-i NAME] pool4 del PREFIX [ ports MIN[-MAX] ] [ mark N ]\n"
		"                                [ proto { tcp | udp | icmp } ]... [ quick ]\n"
		"       nat64 [-i NAME] pool4 flush [ quick ]\n"
		"       nat64 [-j] [-i NAME] pool4 lookup { ADDR4[#PORT] | ADDR6[/LEN] }\n"
		"                                [ proto P ] [ mark N ] [ from FILE ]\n"
		"PREFIX is A.B.C.D[/LEN] (LEN defaults to 32); add's ports default to\n"
		"%u-%u; without proto, an entry is added or removed for all three.\n",
		PORT_MIN_DEFAULT, PORT_MAX_DEFAULT);
	return 2;
}

static const char *proto_name(unsigned int bit)
{
	size_t i;

	for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (proto_names[i].bit == bit)
			return proto_names[i].name;
	return "all";
}

static int read_attr(const char *entry, const char *attr, char *buf,
		     size_t size)
{
	char path[PATH_MAX];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/%s", pool4_dir, entry, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -errno;
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_attr(const char *entry, const char *attr, const char *value)
{
	char path[PATH_MAX];
	ssize_t len;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s/%s", pool4_dir, entry, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	len = write(fd, value, strlen(value));
	if (len < 0)
		err = -errno;
	close(fd);
	return err;
}

static int parse_u32(const char *text, uint32_t *value)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || end == text || *end || v > UINT32_MAX || text[0] == '-')
		return -1;
	*value = v;
	return 0;
}

static int parse_prefix(const char *text, uint32_t *addr, unsigned int *plen)
{
	char buf[INET_ADDRSTRLEN + 4], *slash;
	struct in_addr in;
	uint32_t len = 32;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		if (parse_u32(slash, &len) || len < 1 || len > 32)
			return -1;
	}
	if (inet_pton(AF_INET, buf, &in) != 1)
		return -1;
	*addr = ntohl(in.s_addr);
	*plen = len;
	return 0;
}

/* "ADDR/LEN", LEN 0 to 128 with no host bits set: 0, else -1. */
int pool4_prefix6_parse(const char *text, struct in6_addr *addr,
			unsigned int *len)
{
	char copy[INET6_ADDRSTRLEN + 4], *slash, *end;
	unsigned long n;
	unsigned int i;

	if (strlen(text) >= sizeof(copy))
		return -1;
	strcpy(copy, text);
	slash = strchr(copy, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	errno = 0;
	n = strtoul(slash + 1, &end, 10);
	if (!slash[1] || *end || errno || n > 128 ||
	    inet_pton(AF_INET6, copy, addr) != 1)
		return -1;
	for (i = n; i < 128; i++)
		if (addr->s6_addr[i / 8] & (0x80 >> (i % 8)))
			return -1;
	*len = n;
	return 0;
}

static int parse_ports(const char *text, unsigned int *min, unsigned int *max)
{
	char buf[16], *dash;
	uint32_t lo, hi;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if (parse_u32(buf, &lo) || lo > 65535)
		return -1;
	hi = lo;
	if (dash && (parse_u32(dash, &hi) || hi > 65535))
		return -1;
	*min = lo;
	*max = hi;
	return 0;
}

static unsigned int parse_proto(const char *text)
{
	size_t i;

	for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (!strcmp(text, proto_names[i].name))
			return proto_names[i].bit;
	return 0;
}

void pool4_args_init(struct pool4_args *a)
{
	memset(a, 0, sizeof(*a));
	a->port_min = PORT_MIN_DEFAULT;
	a->port_max = PORT_MAX_DEFAULT;
}

const char *pool4_proto_name(unsigned int bit)
{
	return proto_name(bit);
}

unsigned int pool4_proto_bit(const char *name)
{
	return parse_proto(name);
}

/* A keyword and its value: 0, or -1 with @why written. */
static int parse_keyword(const char *w, const char *v, struct pool4_args *a,
			 const char *op, char *why, size_t size)
{
	unsigned int bit;

	if (!v) {
		snprintf(why, size, "pool4 %s: '%s' needs a value", op, w);
		return -1;
	}
	if (!strcmp(w, "mark") && parse_u32(v, &a->mark)) {
		snprintf(why, size, "pool4 %s: mark '%s' is not a number from 0 to 4294967295",
			 op, v);
		return -1;
	}
	if (!strcmp(w, "ports")) {
		if (parse_ports(v, &a->port_min, &a->port_max)) {
			snprintf(why, size, "pool4 %s: ports '%s' is not MIN[-MAX] within 0-65535",
				 op, v);
			return -1;
		}
		if (a->port_min > a->port_max) {
			snprintf(why, size, "pool4 %s: ports '%s' is reversed; write MIN-MAX",
				 op, v);
			return -1;
		}
		a->has_ports = 1;
	}
	if (!strcmp(w, "block-size") || !strcmp(w, "max-blocks")) {
		uint32_t n;

		/* The kernel checks the range, and its log names it. */
		if (parse_u32(v, &n) || !n || n > 65535) {
			snprintf(why, size, "pool4 %s: %s '%s' is not a number from 1 to 65535",
				 op, w, v);
			return -1;
		}
		*(!strcmp(w, "block-size") ? &a->lend.block_size :
		  &a->lend.max_blocks) = n;
	}
	if (!strcmp(w, "subscribers") &&
	    pool4_prefix6_parse(v, &a->lend.subs, &a->lend.subs_len)) {
		snprintf(why, size, "pool4 %s: subscribers '%s' is not an IPv6 prefix (ADDR/LEN)",
			 op, v);
		return -1;
	}
	a->lend.deterministic |= !strcmp(w, "subscribers");
	if (!strcmp(w, "proto")) {
		bit = parse_proto(v);
		if (!bit) {
			snprintf(why, size, "pool4 %s: proto '%s' is not tcp, udp or icmp",
				 op, v);
			return -1;
		}
		a->protos |= bit;
	}
	return 0;
}

/* The words after the command: 0, or -1 with @why written. */
int pool4_parse(int argc, char **argv, struct pool4_args *a, const char *op,
		char *why, size_t size)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(w, "force") || !strcmp(w, "quick") ||
		    !strcmp(w, "csv")) {
			*(!strcmp(w, "force") ? &a->force :
			  !strcmp(w, "quick") ? &a->quick : &a->csv) = 1;
			continue;
		}
		if (!strcmp(w, "mark") || !strcmp(w, "ports") ||
		    !strcmp(w, "proto") || !strcmp(w, "block-size") ||
		    !strcmp(w, "max-blocks") || !strcmp(w, "subscribers")) {
			if (parse_keyword(w, v, a, op, why, size))
				return -1;
			i++;
			continue;
		}
		if (a->has_prefix || parse_prefix(w, &a->addr, &a->plen)) {
			snprintf(why, size, "pool4 %s: '%s' is not an IPv4 prefix or a keyword (ports, mark, proto, force, quick, block-size, max-blocks, subscribers)",
				 op, w);
			return -1;
		}
		if (a->plen < 32 && (a->addr & ~(~0U << (32 - a->plen)))) {
			snprintf(why, size, "pool4 %s: '%s' has host bits set",
				 op, w);
			return -1;
		}
		a->has_prefix = 1;
	}
	if (!a->protos)
		a->protos = P_ALL;
	if (a->lend.deterministic && (a->lend.block_size || a->lend.max_blocks)) {
		snprintf(why, size, "pool4 %s: an entry lends by subscribers or in blocks, not both",
			 op);
		return -1;
	}
	if (a->lend.max_blocks && !a->lend.block_size) {
		snprintf(why, size, "pool4 %s: max-blocks needs block-size", op);
		return -1;
	}
	if (a->lend.block_size && !a->lend.max_blocks)
		a->lend.max_blocks = MAX_BLOCKS_DEFAULT;
	return 0;
}

/*
 * An entry's lending from its configfs attributes' text: 0, or -1 if
 * one cannot be read. A kernel without blocks has none of them.
 */
int pool4_lending_read(const char *block_size, const char *max_blocks,
		       const char *subscribers, struct pool4_lending *l)
{
	uint32_t size = 0, max = 0;

	memset(l, 0, sizeof(*l));
	if ((block_size && parse_u32(block_size, &size)) ||
	    (max_blocks && parse_u32(max_blocks, &max)))
		return -1;
	if (subscribers && subscribers[0]) {
		if (pool4_prefix6_parse(subscribers, &l->subs, &l->subs_len))
			return -1;
		l->deterministic = 1;
	}
	l->block_size = size;
	l->max_blocks = size ? max : 0;
	return 0;
}

int pool4_lending_same(const struct pool4_lending *a,
		       const struct pool4_lending *b)
{
	return a->block_size == b->block_size &&
	       a->max_blocks == b->max_blocks &&
	       a->deterministic == b->deterministic &&
	       (!a->deterministic ||
		(a->subs_len == b->subs_len &&
		 !memcmp(&a->subs, &b->subs, sizeof(a->subs))));
}

/* "ADDR/LEN": the subscribers of a deterministic @l. */
void pool4_subs_format(char *buf, size_t size, const struct pool4_lending *l)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &l->subs, addr, sizeof(addr));
	snprintf(buf, size, "%s/%u", addr, l->subs_len);
}

/* The words "pool4 add" takes for @l ("" for per port), after a space. */
void pool4_lending_print(char *buf, size_t size, const struct pool4_lending *l)
{
	char subs[POOL4_SUBS_LEN];

	if (l->deterministic) {
		pool4_subs_format(subs, sizeof(subs), l);
		snprintf(buf, size, " subscribers %s", subs);
	} else if (l->block_size) {
		snprintf(buf, size, " block-size %u max-blocks %u",
			 l->block_size, l->max_blocks);
	} else {
		buf[0] = '\0';
	}
}

static int open_instance(const struct nat64_opts *opts)
{
	const char *inst;

	if (cfs_open())
		return -1;
	inst = instance_here(opts);
	if (!inst)
		return -1;
	snprintf(pool4_dir, sizeof(pool4_dir), "%s/%s/pool4", CONFIGFS_ROOT,
		 inst);
	return 0;
}

/* An attribute a module older than port blocks lacks: NULL if absent. */
static const char *read_optional(const char *name, const char *attr,
				 char *buf, size_t size, int *err)
{
	int e = read_attr(name, attr, buf, size);

	if (e && e != -ENOENT)
		*err = e;
	return e ? NULL : buf;
}

static int load_lending(const char *name, struct pool4_lending *l)
{
	char size[16], max[16], subs[INET6_ADDRSTRLEN + 8];
	const char *s, *m, *p;
	int err = 0;

	s = read_optional(name, "block_size", size, sizeof(size), &err);
	m = read_optional(name, "max_blocks", max, sizeof(max), &err);
	p = read_optional(name, "subscribers", subs, sizeof(subs), &err);
	return err ? -1 : pool4_lending_read(s, m, p, l);
}

static int load_entry(const char *name, struct pool4_entry *e)
{
	char buf[64];
	uint32_t v;

	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	if (read_attr(name, "mark", buf, sizeof(buf)) || parse_u32(buf, &v))
		return -1;
	e->mark = v;
	if (read_attr(name, "proto", buf, sizeof(buf)))
		return -1;
	e->protos = parse_proto(buf) ?: P_ALL;
	if (read_attr(name, "prefix", buf, sizeof(buf)))
		return -1;
	if (!buf[0] || parse_prefix(buf, &e->addr, &e->plen))
		e->plen = 0;	/* not written yet */
	if (read_attr(name, "ports", buf, sizeof(buf)) ||
	    parse_ports(buf, &e->port_min, &e->port_max))
		return -1;
	if (read_attr(name, "enabled", buf, sizeof(buf)))
		return -1;
	e->enabled = buf[0] == '1';
	return load_lending(name, &e->lend);
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct pool4_entry *a = pa, *b = pb;

	if (a->mark != b->mark)
		return a->mark < b->mark ? -1 : 1;
	if (a->protos != b->protos)
		return a->protos > b->protos ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return (int)a->port_min - (int)b->port_min;
}

/* Every entry of the instance, one per protocol, sorted; *n of them. */
static struct pool4_entry *load_entries(size_t *n, int enabled_only)
{
	struct pool4_entry *list = NULL, e;
	struct dirent *d;
	size_t count = 0, cap = 0;
	DIR *dir;

	dir = opendir(pool4_dir);
	if (!dir) {
		fprintf(stderr, "nat64: %s: %s\n", pool4_dir, strerror(errno));
		return NULL;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || load_entry(d->d_name, &e))
			continue;
		if (enabled_only && !e.enabled)
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 16;
			list = realloc(list, cap * sizeof(*list));
			if (!list) {
				closedir(dir);
				fprintf(stderr, "nat64: out of memory\n");
				return NULL;
			}
		}
		list[count++] = e;
	}
	closedir(dir);
	if (!list)
		list = calloc(1, sizeof(*list));
	qsort(list, count, sizeof(*list), entry_cmp);
	*n = count;
	return list;
}

static uint64_t entry_size(const struct pool4_entry *e)
{
	return ((uint64_t)1 << (32 - e->plen)) *
	       (e->port_max - e->port_min + 1);
}

static void print_prefix(char *buf, size_t size, const struct pool4_entry *e)
{
	struct in_addr in = { .s_addr = htonl(e->addr) };
	char addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &in, addr, sizeof(addr));
	snprintf(buf, size, "%s/%u", addr, e->plen);
}

/* Calls fn for each (entry, protocol) pair: an "all" entry is three. */
static void for_each_row(const struct pool4_entry *list, size_t n,
			 void (*fn)(const struct pool4_entry *e,
				    unsigned int proto, void *ctx),
			 void *ctx)
{
	size_t i, p;

	for (i = 0; i < n; i++)
		for (p = 0; p < sizeof(proto_names) / sizeof(proto_names[0]); p++)
			if (list[i].protos & proto_names[p].bit)
				fn(&list[i], proto_names[p].bit, ctx);
}

struct show_ctx {
	const struct nat64_opts *opts;
	int csv;
	size_t rows;
};

static void show_row(const struct pool4_entry *e, unsigned int proto,
		     void *arg)
{
	const struct pool4_lending *l = &e->lend;
	char prefix[32], subs[POOL4_SUBS_LEN] = "", lending[96];
	struct show_ctx *ctx = arg;

	print_prefix(prefix, sizeof(prefix), e);
	if (l->deterministic)
		pool4_subs_format(subs, sizeof(subs), l);
	if (ctx->opts->json) {
		printf("%s{\"mark\":%" PRIu32 ",\"proto\":\"%s\",\"prefix\":\"%s\",\"port_min\":%u,\"port_max\":%u,\"block_size\":%u,\"max_blocks\":%u,\"subscribers\":",
		       ctx->rows ? "," : "", e->mark, proto_name(proto),
		       prefix, e->port_min, e->port_max, l->block_size,
		       l->max_blocks);
		printf(subs[0] ? "\"%s\"}" : "null}", subs);
	} else if (ctx->csv) {
		printf("%" PRIu32 ",%s,%s,%u-%u,%u,%u,%s\n", e->mark,
		       proto_name(proto), prefix, e->port_min, e->port_max,
		       l->block_size, l->max_blocks, subs);
	} else {
		char ports[12];

		snprintf(ports, sizeof(ports), "%u-%u", e->port_min,
			 e->port_max);
		pool4_lending_print(lending, sizeof(lending), l);
		printf("%-10" PRIu32 " %-5s %-18s %-11s %s\n", e->mark,
		       proto_name(proto), prefix, ports,
		       lending[0] ? lending + 1 : "port by port");
	}
	ctx->rows++;
}

static int pool4_show(const struct nat64_opts *opts,
		      const struct pool4_args *a)
{
	struct show_ctx ctx = { .opts = opts, .csv = a->csv };
	struct pool4_entry *list;
	size_t n;

	list = load_entries(&n, 1);
	if (!list)
		return 1;
	if (opts->json)
		printf("[");
	else if (a->csv)
		printf("mark,proto,prefix,ports,block_size,max_blocks,subscribers\n");
	else
		printf("%-10s %-5s %-18s %-11s %s\n", "mark", "proto", "prefix",
		       "ports", "lent");
	for_each_row(list, n, show_row, &ctx);
	if (opts->json)
		printf("]\n");
	free(list);
	return 0;
}

struct count_ctx {
	uint64_t samples;
	uint64_t addresses;
	struct {
		uint32_t mark;
		unsigned int proto;
	} *tables;
	size_t ntables;
};

static void count_row(const struct pool4_entry *e, unsigned int proto,
		      void *arg)
{
	struct count_ctx *ctx = arg;
	size_t i;

	ctx->samples++;
	ctx->addresses += entry_size(e);
	for (i = 0; i < ctx->ntables; i++)
		if (ctx->tables[i].mark == e->mark &&
		    ctx->tables[i].proto == proto)
			return;
	ctx->tables[ctx->ntables].mark = e->mark;
	ctx->tables[ctx->ntables].proto = proto;
	ctx->ntables++;
}

/*
 * As the seeds count: a table per (mark, protocol), a sample per entry
 * and protocol, and every transport address those samples lend.
 */
static int pool4_count(const struct nat64_opts *opts)
{
	struct count_ctx ctx = {};
	struct pool4_entry *list;
	size_t n;

	list = load_entries(&n, 1);
	if (!list)
		return 1;
	ctx.tables = calloc(3 * n + 1, sizeof(*ctx.tables));
	if (!ctx.tables) {
		free(list);
		return 1;
	}
	for_each_row(list, n, count_row, &ctx);
	if (opts->json)
		printf("{\"tables\":%zu,\"samples\":%" PRIu64 ",\"transport_addresses\":%" PRIu64 "}\n",
		       ctx.ntables, ctx.samples, ctx.addresses);
	else
		printf("tables: %zu\nsamples: %" PRIu64 "\ntransport addresses: %" PRIu64 "\n",
		       ctx.ntables, ctx.samples, ctx.addresses);
	free(ctx.tables);
	free(list);
	return 0;
}

/* The kernel names the field in dmesg; the errno says which rule. */
static void explain(const char *what, const char *entry, int err)
{
	const char *hint = "";

	switch (-err) {
	case EEXIST:
		hint = ": it overlaps an entry of the same mark and protocol";
		break;
	case E2BIG:
		hint = ": that is more than 256 addresses; add 'force' if you mean it";
		break;
	case EBUSY:
		hint = ": the entry is in use";
		break;
	case EINVAL:
	case ERANGE:
		hint = " (see dmesg)";
		break;
	}
	fprintf(stderr, "nat64: pool4 %s %s: %s%s\n", what, entry,
		strerror(-err), hint);
}

static int remove_entry(const char *name, int quick)
{
	char path[PATH_MAX];
	int err;

	if (quick) {
		err = write_attr(name, "quick", "1");
		if (err)
			return err;
	}
	snprintf(path, sizeof(path), "%s/%s", pool4_dir, name);
	if (!rmdir(path))
		return 0;
	/* Entries the module parameters made can only be disabled. */
	if (errno == EPERM)
		return write_attr(name, "enabled", "0");
	return -errno;
}

/*
 * Entry @name's lending, every attribute of it written: an entry reused
 * (a disabled one of the same name) keeps nothing of what it lent
 * before. A module without these attributes takes per-port lending.
 */
static int write_lending(const char *name, const struct pool4_lending *l)
{
	char value[POOL4_SUBS_LEN] = "\n";
	int err;

	if (l->deterministic)
		pool4_subs_format(value, sizeof(value), l);
	/* Subscribers first: a deterministic entry refuses a block size. */
	if (l->deterministic)
		err = write_attr(name, "block_size", "0") ?:
		      write_attr(name, "subscribers", value);
	else
		err = write_attr(name, "subscribers", value) ?:
		      write_attr(name, "block_size", "0");
	if (err == -ENOENT && !l->deterministic && !l->block_size)
		return 0;
	if (err || !l->block_size)
		return err;
	snprintf(value, sizeof(value), "%u", l->block_size);
	err = write_attr(name, "block_size", value);
	snprintf(value, sizeof(value), "%u", l->max_blocks);
	return err ?: write_attr(name, "max_blocks", value);
}

/*
 * Entry @name for @proto, made, or reused if a disabled one of that name
 * is there (*@reused: the module parameters' entries, which flush can
 * only disable, or one an operator disabled); its every attribute is
 * written, so nothing of what it was stays.
 */
static int add_one(const struct pool4_args *a, unsigned int proto,
		   char *name, size_t size, bool *reused)
{
	struct in_addr in = { .s_addr = htonl(a->addr) };
	char addr[INET_ADDRSTRLEN], value[64], path[PATH_MAX];
	int err;

	inet_ntop(AF_INET, &in, addr, sizeof(addr));
	snprintf(name, size, "%" PRIu32 "-%s-%s_%u-%u-%u", a->mark,
		 proto_name(proto), addr, a->plen, a->port_min, a->port_max);
	snprintf(path, sizeof(path), "%s/%s", pool4_dir, name);
	*reused = false;
	if (mkdir(path, 0755)) {
		err = -errno;
		if (err == -EEXIST && !read_attr(name, "enabled", value, sizeof(value)) &&
		    value[0] == '0') {
			*reused = true;
			err = write_attr(name, "quick", "0");
		} else if (err == -EEXIST)
			fprintf(stderr, "nat64: pool4 add: %s/%u ports %u-%u (%s, mark %" PRIu32 ") is in pool4 already\n",
				addr, a->plen, a->port_min, a->port_max,
				proto_name(proto), a->mark);
		else
			explain("add", name, err);
		if (err)
			return err;
	}
	snprintf(value, sizeof(value), "%" PRIu32, a->mark);
	err = write_attr(name, "mark", value);
	if (!err)
		err = write_attr(name, "proto", proto_name(proto));
	snprintf(value, sizeof(value), "%s/%u", addr, a->plen);
	if (!err)
		err = write_attr(name, "prefix", value);
	snprintf(value, sizeof(value), "%u-%u", a->port_min, a->port_max);
	if (!err)
		err = write_attr(name, "ports", value);
	if (!err)
		err = write_attr(name, "force", a->force ? "1" : "0");
	if (!err)
		err = write_lending(name, &a->lend);
	if (!err)
		err = write_attr(name, "enabled", "1");
	if (err == -E2BIG && a->lend.deterministic)
		fprintf(stderr, "nat64: pool4 add %s: too many subscribers for one share each (see dmesg)\n",
			name);
	else if (err)
		explain("add", name, err);
	/* A reused entry stays, disabled, as it was found. */
	if (err && !*reused)
		rmdir(path);
	return err;
}

/* All or nothing: a failure takes back the protocols already added. */
static int pool4_add(const struct pool4_args *a)
{
	char names[3][NAME_MAX + 1];
	bool reused[3];
	size_t p, done = 0;
	int err = 0;

	if (!a->has_prefix) {
		fprintf(stderr, "nat64: pool4 add: which prefix?\n");
		return pool4_usage();
	}
	if (a->plen < FORCE_PLEN && !a->force) {
		fprintf(stderr, "nat64: pool4 add: /%u is %u addresses; add 'force' if you mean it\n",
			a->plen, 1U << (32 - a->plen));
		return 1;
	}
	for (p = 0; p < 3 && !err; p++) {
		if (!(a->protos & proto_names[p].bit))
			continue;
		err = add_one(a, proto_names[p].bit, names[done],
			      sizeof(names[done]), &reused[done]);
		if (!err)
			done++;
	}
	while (err && done--)
		if (reused[done])
			write_attr(names[done], "enabled", "0");
		else
			remove_entry(names[done], 1);
	return err ? 1 : 0;
}

/* Is @e inside what @a names (0), outside (1), or cut by it (-1)? */
static int entry_match(const struct pool4_entry *e, const struct pool4_args *a)
{
	uint64_t e_first = e->addr, e_last = e_first + (1ULL << (32 - e->plen)) - 1;
	uint64_t a_first = a->addr, a_last = a_first + (1ULL << (32 - a->plen)) - 1;
	int addr_in = e_first >= a_first && e_last <= a_last;
	int addr_meets = e_first <= a_last && a_first <= e_last;
	int ports_in = e->port_min >= a->port_min && e->port_max <= a->port_max;
	int ports_meet = e->port_min <= a->port_max && a->port_min <= e->port_max;
	int proto_in = (e->protos & a->protos) == e->protos;

	if (e->mark != a->mark || !(e->protos & a->protos) || !e->plen ||
	    !addr_meets || !ports_meet)
		return 1;
	return addr_in && ports_in && proto_in ? 0 : -1;
}

static int pool4_del(struct pool4_args *a)
{
	struct pool4_entry *list;
	size_t n, i, removed = 0;
	int err = 0;

	if (!a->has_prefix) {
		fprintf(stderr, "nat64: pool4 del: which prefix?\n");
		return pool4_usage();
	}
	if (!a->has_ports) {
		a->port_min = 0;
		a->port_max = 65535;
	}
	list = load_entries(&n, 0);
	if (!list)
		return 1;
	for (i = 0; i < n; i++) {
		if (entry_match(&list[i], a) < 0) {
			fprintf(stderr, "nat64: pool4 del: entry %s is only partly inside what you named; remove it whole (nothing was removed)\n",
				list[i].name);
			free(list);
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		int e;

		if (entry_match(&list[i], a))
			continue;
		e = remove_entry(list[i].name, a->quick);
		if (e) {
			explain("del", list[i].name, e);
			err = e;
		} else {
			removed++;
		}
	}
	free(list);
	if (!removed && !err) {
		fprintf(stderr, "nat64: pool4 del: no entry of mark %" PRIu32 " is inside that prefix and port range\n",
			a->mark);
		return 1;
	}
	return err ? 1 : 0;
}

static int pool4_flush(const struct pool4_args *a)
{
	struct pool4_entry *list;
	size_t n, i;
	int err = 0, e;

	list = load_entries(&n, 0);
	if (!list)
		return 1;
	for (i = 0; i < n; i++) {
		e = remove_entry(list[i].name, a->quick);
		if (e) {
			explain("flush", list[i].name, e);
			err = e;
		}
	}
	free(list);
	return err ? 1 : 0;
}

int cmd_pool4(const struct nat64_opts *opts, int argc, char **argv)
{
	const char *op = argc ? argv[0] : "show";
	struct pool4_args a;
	char why[160];

	if (!strcmp(op, "help"))
		return pool4_usage(), 0;
	if (!strcmp(op, "lookup"))
		return pool4_lookup(opts, argc - 1, argv + 1);
	if (strcmp(op, "show") && strcmp(op, "list") && strcmp(op, "count") &&
	    strcmp(op, "add") && strcmp(op, "del") && strcmp(op, "delete") &&
	    strcmp(op, "flush")) {
		fprintf(stderr, "nat64: pool4: unknown command '%s'\n", op);
		return pool4_usage();
	}
	pool4_args_init(&a);
	if (pool4_parse(argc ? argc - 1 : 0, argv + 1, &a, op, why,
			sizeof(why))) {
		fprintf(stderr, "nat64: %s\n", why);
		return 1;
	}
	if (open_instance(opts))
		return 1;
	if (!strcmp(op, "show") || !strcmp(op, "list"))
		return pool4_show(opts, &a);
	if (!strcmp(op, "count"))
		return pool4_count(opts);
	if (!strcmp(op, "add"))
		return pool4_add(&a);
	if (!strcmp(op, "flush"))
		return pool4_flush(&a);
	return pool4_del(&a);
}
