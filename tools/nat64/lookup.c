// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * nat64 pool4 lookup ADDR[#PORT] | PREFIX6 [proto P] [mark N] [from FILE]
 *
 * The abuse desk's question, for deterministic pool4 entries (RFC 7422):
 * which subscriber had this IPv4 transport address, and which addresses
 * and ports does this subscriber get. Nothing of it is logged or kept in
 * the kernel: the answer is computed from the configuration, with the
 * kernel's own function (kernel/det_map.h), so a saved configuration
 * (nat64 save) answers for as long as it is archived.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "config.h"
#include "nat64.h"
#include "pool4.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#include "det_map.h"

/*
 * What is asked: a transport address (or every port of an address), or
 * a subscriber's address or prefix; and where to look.
 */
struct lookup {
	int family;
	struct in_addr addr4;
	bool has_port;
	uint16_t port;
	struct in6_addr addr6;
	unsigned int len6;
	unsigned int protos;
	bool has_mark;
	uint32_t mark;
	const char *file;
	unsigned int found;
};

static int lookup_usage(void)
{
	fprintf(stderr,
		"Usage: nat64 [-j] [-i NAME] pool4 lookup { ADDR4[#PORT] | ADDR6[/LEN] }\n"
		"                               [ proto tcp|udp|icmp ] [ mark N ] [ from FILE ]\n"
		"  the subscriber that owns an IPv4 transport address, or the share of a\n"
		"  subscriber, in the deterministic pool4 entries (subscribers PREFIX6); from\n"
		"  FILE: a configuration saved with 'nat64 save' instead of the running one\n");
	return 2;
}

static int parse_target(const char *text, struct lookup *q)
{
	if (strchr(text, ':')) {
		q->family = AF_INET6;
		if (strchr(text, '/'))
			return pool4_prefix6_parse(text, &q->addr6, &q->len6);
		q->len6 = 128;
		return inet_pton(AF_INET6, text, &q->addr6) == 1 ? 0 : -1;
	}
	q->family = AF_INET;
	if (strchr(text, '#')) {
		q->has_port = true;
		return taddr_parse(text, AF_INET, &q->addr4, &q->port);
	}
	return inet_pton(AF_INET, text, &q->addr4) == 1 ? 0 : -1;
}

static int parse_args(int argc, char **argv, struct lookup *q)
{
	int i;

	if (argc < 1 || parse_target(argv[0], q)) {
		fprintf(stderr, "nat64: pool4 lookup: '%s' is not ADDR4, ADDR4#PORT, ADDR6 or ADDR6/LEN\n",
			argc ? argv[0] : "");
		return -1;
	}
	for (i = 1; i < argc; i += 2) {
		const char *w = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (!v) {
			fprintf(stderr, "nat64: pool4 lookup: '%s' needs a value\n", w);
			return -1;
		}
		if (!strcmp(w, "proto")) {
			if (!pool4_proto_bit(v)) {
				fprintf(stderr, "nat64: pool4 lookup: proto '%s' is not tcp, udp or icmp\n", v);
				return -1;
			}
			q->protos |= pool4_proto_bit(v);
		} else if (!strcmp(w, "mark")) {
			unsigned long long m;

			errno = 0;
			m = strtoull(v, &end, 0);
			if (errno || *end || !*v || strchr(v, '-') || m > UINT32_MAX) {
				fprintf(stderr, "nat64: pool4 lookup: mark '%s' is not a number from 0 to 4294967295\n", v);
				return -1;
			}
			q->mark = m;
			q->has_mark = true;
		} else if (!strcmp(w, "from")) {
			q->file = v;
		} else {
			fprintf(stderr, "nat64: pool4 lookup: '%s' is not proto, mark or from\n", w);
			return -1;
		}
	}
	if (!q->protos)
		q->protos = P_ALL;
	return 0;
}

static void print_share(const struct nat64_opts *opts, struct lookup *q,
			const struct cfg_pool4 *e, unsigned int sub_len,
			const u8 *subscriber, uint32_t addr,
			const struct nat64_det_share *share)
{
	struct in_addr in = { .s_addr = htonl(addr) };
	char a6[INET6_ADDRSTRLEN], a4[INET_ADDRSTRLEN];

	inet_ntop(AF_INET6, subscriber, a6, sizeof(a6));
	inet_ntop(AF_INET, &in, a4, sizeof(a4));
	if (opts->json)
		printf("%s{\"proto\":\"%s\",\"mark\":%" PRIu32 ",\"subscriber\":\"%s/%u\",\"address\":\"%s\",\"port_first\":%u,\"port_last\":%u}",
		       q->found ? "," : "", pool4_proto_name(e->protos), e->mark,
		       a6, sub_len, a4, share->first, share->last);
	else
		printf("%-4s mark %-10" PRIu32 " %s/%u  %s ports %u-%u\n",
		       pool4_proto_name(e->protos), e->mark, a6, sub_len, a4,
		       share->first, share->last);
	q->found++;
}

/* Subscriber @i of entry @e: its prefix and share, printed. */
static void print_subscriber(const struct nat64_opts *opts, struct lookup *q,
			     const struct cfg_pool4 *e,
			     const struct nat64_det_geom *g,
			     unsigned int sub_len, u64 i)
{
	struct nat64_det_share share;
	u8 subscriber[16];

	nat64_det_subscriber(e->lend.subs.s6_addr, e->lend.subs_len,
			     g->sub_bits, i, subscriber);
	nat64_det_forward(g, i, &share);
	print_share(opts, q, e, sub_len, subscriber, e->addr + share.offset,
		    &share);
}

/* The subscribers of entry @e that @q's IPv4 address (and port) names. */
static void lookup_addr4(const struct nat64_opts *opts, struct lookup *q,
			 const struct cfg_pool4 *e,
			 const struct nat64_det_geom *g, unsigned int sub_len)
{
	uint32_t addr = ntohl(q->addr4.s_addr);
	u64 offset = addr - e->addr, i, j;
	u32 block = nat64_det_block(g);

	if (addr < e->addr || offset >> g->addr_bits)
		return;
	if (q->has_port) {
		if (nat64_det_inverse(g, offset, q->port, &i))
			print_subscriber(opts, q, e, g, sub_len, i);
		return;
	}
	/* Every share of the address; at most 2^13 (8 ports each at least). */
	for (j = 0; j < nat64_det_per_address(g); j++)
		if (nat64_det_inverse(g, offset, g->port_min + j * block, &i))
			print_subscriber(opts, q, e, g, sub_len, i);
}

/* The share in entry @e of the subscriber @q's IPv6 address is in. */
static void lookup_addr6(const struct nat64_opts *opts, struct lookup *q,
			 const struct cfg_pool4 *e,
			 const struct nat64_det_geom *g, unsigned int sub_len)
{
	if (!nat64_det_prefix_equal(q->addr6.s6_addr, e->lend.subs.s6_addr,
				    e->lend.subs_len))
		return;
	print_subscriber(opts, q, e, g, sub_len,
			 nat64_det_index(q->addr6.s6_addr, e->lend.subs_len,
					 g->sub_bits));
}

static int lookup_in(const struct nat64_opts *opts, struct lookup *q,
		     const struct cfg_instance *ci)
{
	int id = setting_find("subscriber_prefix_len");
	unsigned int sub_len = id >= 0 ? ci->settings[id] : 64;
	struct nat64_det_geom g;
	size_t k;

	if (q->family == AF_INET6 && q->len6 < sub_len) {
		fprintf(stderr, "nat64: pool4 lookup: /%u is shorter than a subscriber (subscriber_prefix_len %u): name one subscriber\n",
			q->len6, sub_len);
		return 1;
	}
	if (opts->json)
		printf("[");
	for (k = 0; k < ci->npool4; k++) {
		const struct cfg_pool4 *e = &ci->pool4[k];

		if (!e->lend.deterministic || !(e->protos & q->protos) ||
		    (q->has_mark && e->mark != q->mark) ||
		    e->lend.subs_len > sub_len)
			continue;
		g.addr_bits = 32 - e->plen;
		g.sub_bits = sub_len - e->lend.subs_len;
		g.port_min = e->port_min;
		g.port_max = e->port_max;
		if (nat64_det_check(&g) != NAT64_DET_OK)
			continue;	/* the kernel would not enable it */
		if (q->family == AF_INET)
			lookup_addr4(opts, q, e, &g, sub_len);
		else
			lookup_addr6(opts, q, e, &g, sub_len);
	}
	if (opts->json)
		printf("]\n");
	if (!q->found)
		fprintf(stderr, "nat64: pool4 lookup: no deterministic pool4 entry of instance %s has it (mappings of the other entries are in the block and session logs)\n",
			ci->name);
	return q->found ? 0 : 1;
}

/* The instance of a saved file: -i NAME, its only one, or "default". */
static int lookup_file(const struct nat64_opts *opts, struct lookup *q)
{
	const struct cfg_instance *ci;
	/* An archive's namespaces may be long gone: not looked up. */
	struct cfg cfg = { .offline = true };
	FILE *in;
	int err;

	in = fopen(q->file, "r");
	if (!in) {
		fprintf(stderr, "nat64: pool4 lookup: %s: %s\n", q->file,
			strerror(errno));
		return 1;
	}
	err = cfg_parse(in, q->file, &cfg);
	fclose(in);
	if (err)
		return 1;
	ci = opts->instance ? cfg_find(&cfg, opts->instance) :
	     cfg.n == 1 ? &cfg.inst[0] : cfg_find(&cfg, "default");
	if (!ci) {
		fprintf(stderr, "nat64: pool4 lookup: %s names no instance %s (say -i NAME)\n",
			q->file, opts->instance ?: "default");
		err = 1;
	} else {
		err = lookup_in(opts, q, ci);
	}
	cfg_free(&cfg);
	return err;
}

static int lookup_running(const struct nat64_opts *opts, struct lookup *q)
{
	struct cfg_instance ci;
	char rel[64], buf[16];
	const char *name;
	int id = setting_find("subscriber_prefix_len"), err;

	if (cfs_open())
		return 1;
	name = instance_here(opts);
	if (!name)
		return 1;
	memset(&ci, 0, sizeof(ci));
	snprintf(ci.name, sizeof(ci.name), "%s", name);
	snprintf(rel, sizeof(rel), "%s/subscriber_prefix_len", name);
	if (id < 0 || cfs_read(rel, buf, sizeof(buf))) {
		fprintf(stderr, "nat64: pool4 lookup: cannot read %s\n", rel);
		return 1;
	}
	ci.settings[id] = strtoul(buf, NULL, 10);
	if (cfg_read_pool4(name, &ci))
		return 1;
	err = lookup_in(opts, q, &ci);
	free(ci.pool4);
	return err;
}

int pool4_lookup(const struct nat64_opts *opts, int argc, char **argv)
{
	struct lookup q = { 0 };

	if (argc && !strcmp(argv[0], "help"))
		return lookup_usage(), 0;
	if (parse_args(argc, argv, &q))
		return lookup_usage();
	return q.file ? lookup_file(opts, &q) : lookup_running(opts, &q);
}
