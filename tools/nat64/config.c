// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The configuration as one model: instances with their namespace, pool6,
 * state, settings, pool4 entries and static BIB entries. The running
 * configuration is read into it (configfs, and generic netlink for the
 * static entries), a file is parsed into it (apply.c), and "save"
 * prints it as the commands that make it again.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfs.h"
#include "config.h"
#include "genl.h"
#include "netns.h"
#include "pool4.h"

/* "ADDR/LEN" as the kernel takes it (kernel/pool6.c): 0, or -1 and why. */
int pool6_check(const char *text, struct cfg_instance *ci, char *why,
		size_t size)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	struct in6_addr addr;
	unsigned long len;
	unsigned int i;

	if (strlen(text) >= sizeof(buf) || !strchr(text, '/'))
		goto bad;
	strcpy(buf, text);
	slash = strchr(buf, '/');
	*slash++ = '\0';
	if (inet_pton(AF_INET6, buf, &addr) != 1)
		goto bad;
	len = strtoul(slash, &end, 10);
	if (*end || end == slash || len % 8 || len < 32 || len > 96 ||
	    (len > 64 && len < 96)) {
		snprintf(why, size, "pool6 '%s': the length must be 32, 40, 48, 56, 64 or 96 (RFC 6052)",
			 text);
		return -1;
	}
	for (i = len / 8; i < 16; i++) {
		if (addr.s6_addr[i]) {
			snprintf(why, size, "pool6 '%s': the address bits beyond /%lu must be zero",
				 text, len);
			return -1;
		}
	}
	if (addr.s6_addr[8]) {
		snprintf(why, size, "pool6 '%s': bits 64-71 must be zero (RFC 6052 section 2.2)",
			 text);
		return -1;
	}
	if (ci) {
		ci->pool6 = addr;
		ci->pool6_len = len;
		ci->has_pool6 = 1;
	}
	return 0;
bad:
	snprintf(why, size, "pool6 '%s' is not an IPv6 prefix such as 64:ff9b::/96",
		 text);
	return -1;
}

void pool6_format(const struct cfg_instance *ci, char *buf, size_t size)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &ci->pool6, addr, sizeof(addr));
	snprintf(buf, size, "%s/%u", addr, ci->pool6_len);
}

struct cfg_instance *cfg_find(const struct cfg *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n; i++)
		if (!strcmp(cfg->inst[i].name, name))
			return &cfg->inst[i];
	return NULL;
}

/* A new instance as mkdir makes it: here, disabled, the defaults. */
struct cfg_instance *cfg_add(struct cfg *cfg, const char *name)
{
	struct cfg_instance *grown, *ci;
	size_t i;

	grown = realloc(cfg->inst, (cfg->n + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	cfg->inst = grown;
	ci = &cfg->inst[cfg->n++];
	memset(ci, 0, sizeof(*ci));
	snprintf(ci->name, sizeof(ci->name), "%s", name);
	ci->netns = netns_self();
	strcpy(ci->netns_path, "/proc/self/ns/net");
	for (i = 0; i < nat64_settings_count; i++)
		ci->settings[i] = nat64_settings[i].def;
	return ci;
}

static void instance_free(struct cfg_instance *ci)
{
	free(ci->pool4);
	free(ci->bib);
}

void cfg_del(struct cfg *cfg, struct cfg_instance *ci)
{
	size_t i = ci - cfg->inst;

	instance_free(ci);
	memmove(ci, ci + 1, (cfg->n - i - 1) * sizeof(*ci));
	cfg->n--;
}

void cfg_free(struct cfg *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n; i++)
		instance_free(&cfg->inst[i]);
	free(cfg->inst);
	cfg->inst = NULL;
	cfg->n = 0;
}

int cfg_add_pool4(struct cfg_instance *ci, const struct cfg_pool4 *e)
{
	struct cfg_pool4 *grown;

	grown = realloc(ci->pool4, (ci->npool4 + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	ci->pool4 = grown;
	ci->pool4[ci->npool4++] = *e;
	return 0;
}

int cfg_add_bib(struct cfg_instance *ci, const struct cfg_bib *b)
{
	struct cfg_bib *grown;

	grown = realloc(ci->bib, (ci->nbib + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	ci->bib = grown;
	ci->bib[ci->nbib++] = *b;
	return 0;
}

static int read_attr(const char *name, const char *attr, char *buf,
		     size_t size)
{
	char rel[PATH_MAX];
	int err;

	snprintf(rel, sizeof(rel), "%s/%s", name, attr);
	err = cfs_read(rel, buf, size);
	if (err)
		fprintf(stderr, "nat64: %s/%s: %s\n", CFS_ROOT, rel,
			strerror(-err));
	return err;
}

/* An attribute a module older than port blocks lacks: NULL then. */
static const char *read_optional(const char *name, const char *attr,
				 char *buf, size_t size, int *err)
{
	char rel[PATH_MAX];
	int e;

	snprintf(rel, sizeof(rel), "%s/%s", name, attr);
	e = cfs_read(rel, buf, size);
	if (e && e != -ENOENT) {
		fprintf(stderr, "nat64: %s/%s: %s\n", CFS_ROOT, rel, strerror(-e));
		*err = e;
	}
	return e ? NULL : buf;
}

static int parse_pool4_dir(const char *rel, struct cfg_pool4 *e)
{
	char buf[64], *slash, size[16], max[16], subs[64];
	const char *s, *m, *p;
	struct in_addr in;
	int err = 0;

	if (read_attr(rel, "mark", buf, sizeof(buf)))
		return -1;
	e->mark = strtoul(buf, NULL, 10);
	if (read_attr(rel, "proto", buf, sizeof(buf)))
		return -1;
	e->protos = pool4_proto_bit(buf) ?: P_ALL;
	if (read_attr(rel, "ports", buf, sizeof(buf)) ||
	    sscanf(buf, "%u-%u", &e->port_min, &e->port_max) != 2)
		return -1;
	if (read_attr(rel, "prefix", buf, sizeof(buf)))
		return -1;
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash++ = '\0';
	if (inet_pton(AF_INET, buf, &in) != 1)
		return -1;
	e->addr = ntohl(in.s_addr);
	e->plen = strtoul(slash, NULL, 10);
	s = read_optional(rel, "block_size", size, sizeof(size), &err);
	m = read_optional(rel, "max_blocks", max, sizeof(max), &err);
	p = read_optional(rel, "subscribers", subs, sizeof(subs), &err);
	return err ? -1 : pool4_lending_read(s, m, p, &e->lend);
}

/* The enabled pool4 entries of @name: the others lend nothing. */
int cfg_read_pool4(const char *name, struct cfg_instance *ci)
{
	char rel[PATH_MAX], buf[8], **dirs;
	struct cfg_pool4 e;
	size_t n, i;
	int err = 0;

	ci->npool4 = 0;
	snprintf(rel, sizeof(rel), "%s/pool4", name);
	dirs = cfs_list(rel, &n);
	if (!dirs)
		return -1;
	for (i = 0; i < n && !err; i++) {
		snprintf(rel, sizeof(rel), "%s/pool4/%s", name, dirs[i]);
		if (read_attr(rel, "enabled", buf, sizeof(buf))) {
			err = -1;
			break;
		}
		if (buf[0] != '1')
			continue;
		memset(&e, 0, sizeof(e));
		snprintf(e.dir, sizeof(e.dir), "%s", dirs[i]);
		err = parse_pool4_dir(rel, &e) || cfg_add_pool4(ci, &e);
	}
	cfs_list_free(dirs, n);
	return err ? -1 : 0;
}

static int open_genl(void *nl)
{
	return nat64_genl_open(nl);
}

/* A netlink socket where instance @ci translates. */
int cfg_genl_open(const struct cfg_instance *ci, struct nat64_genl *nl)
{
	char path[256];

	if (netns_find(ci->netns, path, sizeof(path))) {
		fprintf(stderr, "nat64: instance %s: cannot find its network namespace net:[%lu]\n",
			ci->name, ci->netns);
		return -1;
	}
	if (!strcmp(path, "/proc/self/ns/net"))
		return nat64_genl_open(nl);
	return netns_run_in(path, open_genl, nl);
}

static int bib_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type > 0 && type <= NAT64_A_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int static_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NAT64_A_MAX + 1] = {};
	struct cfg_instance *ci = data;
	struct cfg_bib b = {};

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), bib_attr_cb, tb);
	if (!tb[NAT64_A_STATIC] || !tb[NAT64_A_PROTO] || !tb[NAT64_A_ADDR6] ||
	    !tb[NAT64_A_ADDR4] || !tb[NAT64_A_PORT6] || !tb[NAT64_A_PORT4])
		return MNL_CB_OK;
	b.proto = mnl_attr_get_u8(tb[NAT64_A_PROTO]);
	memcpy(&b.addr6, mnl_attr_get_payload(tb[NAT64_A_ADDR6]), sizeof(b.addr6));
	memcpy(&b.addr4, mnl_attr_get_payload(tb[NAT64_A_ADDR4]), sizeof(b.addr4));
	b.port6 = mnl_attr_get_u16(tb[NAT64_A_PORT6]);
	b.port4 = mnl_attr_get_u16(tb[NAT64_A_PORT4]);
	return cfg_add_bib(ci, &b) ? MNL_CB_ERROR : MNL_CB_OK;
}

/* The static BIB entries of a running instance. */
int cfg_read_bib(struct cfg_instance *ci)
{
	struct nat64_genl nl;
	struct nlmsghdr *nlh;
	int err;

	ci->nbib = 0;
	if (!ci->enabled)
		return 0;
	if (cfg_genl_open(ci, &nl))
		return -1;
	nlh = nat64_genl_request(&nl, NAT64_CMD_BIB_GET, NLM_F_DUMP, ci->name);
	err = nat64_genl_talk(&nl, nlh, static_cb, ci, false);
	nat64_genl_close(&nl);
	return err;
}

static int read_instance(const char *name, struct cfg_instance *ci)
{
	char buf[128], why[128];
	size_t i;

	if (read_attr(name, "netns", buf, sizeof(buf)))
		return -1;
	ci->netns = 0;
	ci->netns_path[0] = '\0';
	if (buf[0] && (sscanf(buf, "net:[%lu]", &ci->netns) != 1 ||
		       netns_find(ci->netns, ci->netns_path,
				  sizeof(ci->netns_path))))
		ci->netns_path[0] = '\0';
	if (read_attr(name, "pool6", buf, sizeof(buf)))
		return -1;
	if (buf[0] && pool6_check(buf, ci, why, sizeof(why))) {
		fprintf(stderr, "nat64: instance %s: %s\n", name, why);
		return -1;
	}
	if (read_attr(name, "enabled", buf, sizeof(buf)))
		return -1;
	ci->enabled = buf[0] == '1';
	for (i = 0; i < nat64_settings_count; i++) {
		if (read_attr(name, nat64_settings[i].name, buf, sizeof(buf)))
			return -1;
		ci->settings[i] = strtoul(buf, NULL, 10);
	}
	if (cfg_read_pool4(name, ci))
		return -1;
	return cfg_read_bib(ci);
}

/**
 * cfg_read() - the running configuration
 * @cfg: where it goes (empty)
 *
 * Return: 0, or -1 with the reason printed.
 */
int cfg_read(struct cfg *cfg)
{
	struct cfg_instance *ci;
	char **names;
	size_t n, i;
	int err = 0;

	memset(cfg, 0, sizeof(*cfg));
	names = cfs_list("", &n);
	if (!names) {
		fprintf(stderr, "nat64: %s: %s\n", CFS_ROOT, strerror(errno));
		return -1;
	}
	for (i = 0; i < n && !err; i++) {
		ci = cfg_add(cfg, names[i]);
		err = !ci || read_instance(names[i], ci);
	}
	cfs_list_free(names, n);
	if (err)
		cfg_free(cfg);
	return err ? -1 : 0;
}

/* --- save ------------------------------------------------------------- */

struct pool4_row {
	const struct cfg_pool4 *e;
	unsigned int proto;
};

static int row_cmp(const void *pa, const void *pb)
{
	const struct cfg_pool4 *a = ((const struct pool4_row *)pa)->e;
	const struct cfg_pool4 *b = ((const struct pool4_row *)pb)->e;
	unsigned int x = ((const struct pool4_row *)pa)->proto;
	unsigned int y = ((const struct pool4_row *)pb)->proto;

	if (a->mark != b->mark)
		return a->mark < b->mark ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	if (a->port_min != b->port_min)
		return a->port_min < b->port_min ? -1 : 1;
	if (a->port_max != b->port_max)
		return a->port_max < b->port_max ? -1 : 1;
	return (int)x - (int)y;
}

static int same_range(const struct cfg_pool4 *a, const struct cfg_pool4 *b)
{
	return a->mark == b->mark && a->addr == b->addr &&
	       a->plen == b->plen && a->port_min == b->port_min &&
	       a->port_max == b->port_max &&
	       pool4_lending_same(&a->lend, &b->lend);
}

static void print_pool4_line(FILE *out, const char *name,
			     const struct cfg_pool4 *e, unsigned int protos)
{
	struct in_addr in = { .s_addr = htonl(e->addr) };
	char addr[INET_ADDRSTRLEN], lending[96];

	inet_ntop(AF_INET, &in, addr, sizeof(addr));
	fprintf(out, "-i %s pool4 add %s/%u ports %u-%u", name, addr, e->plen,
		e->port_min, e->port_max);
	if (e->mark)
		fprintf(out, " mark %" PRIu32, e->mark);
	if (protos != P_ALL)
		fprintf(out, " proto %s", pool4_proto_name(protos));
	if (e->plen < FORCE_PLEN)
		fprintf(out, " force");
	pool4_lending_print(lending, sizeof(lending), &e->lend);
	fprintf(out, "%s\n", lending);
}

/* One line per range; the three protocols of one range make one line. */
static int print_pool4(FILE *out, const struct cfg_instance *ci)
{
	static const unsigned int bits[] = { P_TCP, P_UDP, P_ICMP };
	struct pool4_row *rows;
	size_t n = 0, i, j, b;
	unsigned int protos;

	rows = calloc(3 * ci->npool4 + 1, sizeof(*rows));
	if (!rows)
		return -1;
	for (i = 0; i < ci->npool4; i++)
		for (b = 0; b < 3; b++)
			if (ci->pool4[i].protos & bits[b])
				rows[n++] = (struct pool4_row){ &ci->pool4[i], bits[b] };
	qsort(rows, n, sizeof(*rows), row_cmp);
	for (i = 0; i < n; i = j) {
		protos = 0;
		for (j = i; j < n && same_range(rows[i].e, rows[j].e); j++)
			protos |= rows[j].proto;
		if (protos == P_ALL && j - i == 3) {
			print_pool4_line(out, ci->name, rows[i].e, P_ALL);
			continue;
		}
		for (j = i; j < n && same_range(rows[i].e, rows[j].e); j++)
			print_pool4_line(out, ci->name, rows[j].e, rows[j].proto);
	}
	free(rows);
	return 0;
}

static const char *bib_proto(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" :
	       "icmp";
}

static int bib_cmp(const void *pa, const void *pb)
{
	const struct cfg_bib *a = pa, *b = pb;
	int c;

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	c = memcmp(&a->addr6, &b->addr6, sizeof(a->addr6));
	if (c)
		return c;
	if (a->port6 != b->port6)
		return a->port6 < b->port6 ? -1 : 1;
	c = memcmp(&a->addr4, &b->addr4, sizeof(a->addr4));
	return c ?: (int)a->port4 - (int)b->port4;
}

static void print_bib(FILE *out, const struct cfg_instance *ci)
{
	char a6[INET6_ADDRSTRLEN], a4[INET_ADDRSTRLEN];
	struct cfg_bib *sorted;
	size_t i;

	sorted = malloc((ci->nbib + 1) * sizeof(*sorted));
	if (!sorted)
		return;
	memcpy(sorted, ci->bib, ci->nbib * sizeof(*sorted));
	qsort(sorted, ci->nbib, sizeof(*sorted), bib_cmp);
	for (i = 0; i < ci->nbib; i++) {
		inet_ntop(AF_INET6, &sorted[i].addr6, a6, sizeof(a6));
		inet_ntop(AF_INET, &sorted[i].addr4, a4, sizeof(a4));
		fprintf(out, "-i %s bib add %s %s#%u %s#%u\n", ci->name,
			bib_proto(sorted[i].proto), a6, sorted[i].port6, a4,
			sorted[i].port4);
	}
	free(sorted);
}

/* How a file names the instance's namespace: nothing means "here". */
static int print_netns(FILE *out, const struct cfg_instance *ci)
{
	char name[256];
	struct stat st;

	if (!ci->netns) {
		fprintf(stderr, "nat64: save: instance %s: its network namespace is gone; the file binds it to the one nat64 -f runs in\n",
			ci->name);
		return 0;
	}
	if (ci->netns == netns_self())
		return 0;
	/* The host's namespace, seen from another: pid 1's, at every boot. */
	if (!stat("/proc/1/ns/net", &st) && st.st_ino == ci->netns) {
		fprintf(out, " netns /proc/1/ns/net");
		return 0;
	}
	if (netns_name(ci->netns, name, sizeof(name))) {
		fprintf(stderr, "nat64: save: instance %s: its network namespace net:[%lu] has no name in %s; give it one (ip netns attach NAME PID) and save again\n",
			ci->name, ci->netns, NETNS_RUN_DIR);
		return -1;
	}
	fprintf(out, " netns %s", name);
	return 0;
}

static int print_instance(FILE *out, const struct cfg_instance *ci)
{
	char pool6[INET6_ADDRSTRLEN + 8];
	size_t i;

	fprintf(out, "\ninstance add %s", ci->name);
	if (print_netns(out, ci))
		return -1;
	if (ci->has_pool6) {
		pool6_format(ci, pool6, sizeof(pool6));
		fprintf(out, " pool6 %s", pool6);
	}
	fprintf(out, "%s\n", ci->enabled ? " enable" : "");
	for (i = 0; i < nat64_settings_count; i++)
		if (ci->settings[i] != nat64_settings[i].def)
			fprintf(out, "-i %s settings set %s %" PRIu32 "\n",
				ci->name, nat64_settings[i].name,
				ci->settings[i]);
	if (print_pool4(out, ci))
		return -1;
	print_bib(out, ci);
	return 0;
}

/**
 * cfg_print() - the configuration as commands of this tool
 * @cfg: what to print
 * @out: where
 *
 * One command a line, in an order that each line can run after the
 * ones above it; the same configuration always prints the same bytes.
 * Return: 0, or -1 with the reason printed.
 */
int cfg_print(const struct cfg *cfg, FILE *out)
{
	size_t i;

	fprintf(out, "# nat64 configuration (nat64 save); apply with: nat64 -f FILE\n"
		"# \"flush\" makes the file the whole configuration: what it does not\n"
		"# name is removed.\n"
		"flush\n");
	for (i = 0; i < cfg->n; i++)
		if (print_instance(out, &cfg->inst[i]))
			return -1;
	return 0;
}
