// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * nat64 save | nat64 -f FILE | nat64 flush
 *
 * configfs has no transactions, so "nat64 -f" gets as close as it can:
 * the file is parsed and checked whole before anything is written; then
 * only what differs from the running configuration is written (a file
 * equal to it writes nothing); and if the kernel refuses a write
 * halfway, the configuration read before the first write is put back
 * the same way. What a rollback cannot give back is the dynamic state
 * (BIB entries, sessions) of instances or pool4 entries it had to stop.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

#include "cfs.h"
#include "config.h"
#include "genl.h"
#include "netns.h"
#include "pool4.h"

#define LOCK_FILE "/run/lock/nat64.lock"

struct apply_ctx {
	const char *file;	/* NULL: a rollback */
	unsigned int stopped;	/* instances and pool4 entries stopped */
};

/* "FILE:LINE: " when a line asked for it, else "nat64: ". */
static void say(const struct apply_ctx *c, int line, const char *fmt,
		const char *a, const char *b, int err)
{
	if (c->file && line)
		fprintf(stderr, "%s:%d: ", c->file, line);
	else
		fprintf(stderr, "nat64: %s", c->file ? "" : "rollback: ");
	fprintf(stderr, fmt, a, b);
	fprintf(stderr, ": %s (see dmesg)\n", strerror(-err));
}

int cfg_copy(struct cfg *dst, const struct cfg *src)
{
	struct cfg_instance *ci;
	size_t i;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < src->n; i++) {
		ci = cfg_add(dst, src->inst[i].name);
		if (!ci)
			goto oom;
		*ci = src->inst[i];
		ci->pool4 = NULL;
		ci->bib = NULL;
		ci->npool4 = 0;
		ci->nbib = 0;
		ci->pool4 = malloc((src->inst[i].npool4 + 1) * sizeof(*ci->pool4));
		ci->bib = malloc((src->inst[i].nbib + 1) * sizeof(*ci->bib));
		if (!ci->pool4 || !ci->bib)
			goto oom;
		ci->npool4 = src->inst[i].npool4;
		ci->nbib = src->inst[i].nbib;
		memcpy(ci->pool4, src->inst[i].pool4, ci->npool4 * sizeof(*ci->pool4));
		memcpy(ci->bib, src->inst[i].bib, ci->nbib * sizeof(*ci->bib));
	}
	return 0;
oom:
	cfg_free(dst);
	fprintf(stderr, "nat64: out of memory\n");
	return -1;
}

static int write_attr(const struct apply_ctx *c, int line, const char *name,
		      const char *attr, const char *value)
{
	char rel[PATH_MAX + NAT64_NAME_MAX];
	int err;

	snprintf(rel, sizeof(rel), "%s/%s", name, attr);
	err = cfs_write(rel, value);
	if (err)
		say(c, line, "instance %s: writing %s", name, attr, err);
	return err;
}

static int same_pool6(const struct cfg_instance *a, const struct cfg_instance *b)
{
	return a->has_pool6 == b->has_pool6 &&
	       (!a->has_pool6 || (a->pool6_len == b->pool6_len &&
				  !memcmp(&a->pool6, &b->pool6, sizeof(a->pool6))));
}

/* Must @h stop before it can become @w? */
static int must_stop(const struct cfg_instance *w, const struct cfg_instance *h)
{
	return h->enabled && (!w->enabled || w->netns != h->netns ||
			      (w->has_pool6 && !same_pool6(w, h)));
}

static int same_range(const struct cfg_pool4 *a, const struct cfg_pool4 *b)
{
	return a->mark == b->mark && a->addr == b->addr &&
	       a->plen == b->plen && a->port_min == b->port_min &&
	       a->port_max == b->port_max &&
	       pool4_lending_same(&a->lend, &b->lend);
}

/* The entry of @w that is @h's range for protocol @bit, or -1. */
static long want_index(const struct cfg_instance *w, const struct cfg_pool4 *h,
		       unsigned int bit)
{
	size_t i;

	for (i = 0; i < w->npool4; i++)
		if ((w->pool4[i].protos & bit) && same_range(&w->pool4[i], h))
			return i;
	return -1;
}

/* Is every protocol of running entry @h wanted? Marks what it covers. */
static int pool4_kept(const struct cfg_instance *w, const struct cfg_pool4 *h,
		      char *covered)
{
	static const unsigned int bits[] = { P_TCP, P_UDP, P_ICMP };
	long idx[3] = { -1, -1, -1 };
	size_t b;

	for (b = 0; b < 3; b++) {
		if (!(h->protos & bits[b]))
			continue;
		idx[b] = want_index(w, h, bits[b]);
		if (idx[b] < 0)
			return 0;
	}
	for (b = 0; b < 3; b++)
		if (idx[b] >= 0)
			covered[idx[b]] = 1;
	return 1;
}

static int pool4_remove(struct apply_ctx *c, const char *name,
			const struct cfg_pool4 *e)
{
	char rel[PATH_MAX];
	int err;

	snprintf(rel, sizeof(rel), "%s/pool4/%s", name, e->dir);
	c->stopped++;
	err = cfs_rmdir(rel);
	if (err == -EPERM) {	/* the module's own: disable it */
		snprintf(rel, sizeof(rel), "pool4/%s/enabled", e->dir);
		return write_attr(c, e->line, name, rel, "0");
	}
	if (err)
		say(c, e->line, "instance %s: removing pool4 entry %s", name,
		    e->dir, err);
	return err;
}

/*
 * A disabled entry reused keeps nothing of what it lent before: per
 * port, and not quick. A module without port blocks has neither
 * attribute, and lends per port anyway.
 */
static int reuse_clear(const char *rel)
{
	static const char *const attrs[][2] = {
		{ "quick", "0" }, { "subscribers", "\n" }, { "block_size", "0" },
	};
	char path[PATH_MAX + 16];
	size_t i;
	int err;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", rel, attrs[i][0]);
		err = cfs_write(path, attrs[i][1]);
		if (err && err != -ENOENT)
			return err;
	}
	return 0;
}

/* mkdir, the attributes, then enabled: as "nat64 pool4 add" does. */
static int pool4_make(const struct apply_ctx *c, const char *name,
		      const struct cfg_pool4 *e)
{
	struct in_addr in = { .s_addr = htonl(e->addr) };
	char addr[INET_ADDRSTRLEN], dir[128], rel[PATH_MAX], value[PATH_MAX];
	const char *attrs[10];
	char values[10][64];
	bool reused = false;
	int err, i, n = 5;

	inet_ntop(AF_INET, &in, addr, sizeof(addr));
	snprintf(dir, sizeof(dir), "%" PRIu32 "-%s-%s_%u-%u-%u", e->mark,
		 pool4_proto_name(e->protos), addr, e->plen, e->port_min,
		 e->port_max);
	snprintf(rel, sizeof(rel), "%s/pool4/%s", name, dir);
	err = cfs_mkdir(rel);
	if (err == -EEXIST) {	/* a disabled one (the module's): reused */
		reused = true;
		err = reuse_clear(rel);
	}
	if (err) {
		say(c, e->line, "instance %s: making pool4 entry %s", name, dir, err);
		return err;
	}
	attrs[0] = "mark";
	snprintf(values[0], sizeof(values[0]), "%" PRIu32, e->mark);
	attrs[1] = "proto";
	snprintf(values[1], sizeof(values[1]), "%s", pool4_proto_name(e->protos));
	attrs[2] = "prefix";
	snprintf(values[2], sizeof(values[2]), "%s/%u", addr, e->plen);
	attrs[3] = "ports";
	snprintf(values[3], sizeof(values[3]), "%u-%u", e->port_min, e->port_max);
	attrs[4] = "force";
	snprintf(values[4], sizeof(values[4]), "%d", e->plen < FORCE_PLEN);
	if (e->lend.deterministic) {	/* which refuses a block size */
		attrs[n] = "block_size";
		snprintf(values[n++], sizeof(values[0]), "0");
	}
	if (e->lend.block_size) {
		attrs[n] = "block_size";
		snprintf(values[n++], sizeof(values[0]), "%u", e->lend.block_size);
		attrs[n] = "max_blocks";
		snprintf(values[n++], sizeof(values[0]), "%u", e->lend.max_blocks);
	}
	if (e->lend.deterministic) {
		attrs[n] = "subscribers";
		pool4_subs_format(values[n++], sizeof(values[0]), &e->lend);
	}
	for (i = 0; i < n && !err; i++) {
		snprintf(value, sizeof(value), "pool4/%s/%s", dir, attrs[i]);
		err = write_attr(c, e->line, name, value, values[i]);
	}
	snprintf(value, sizeof(value), "pool4/%s/enabled", dir);
	if (!err)
		err = write_attr(c, e->line, name, value, "1");
	/* A reused entry stays, disabled, as it was found. */
	if (err && !reused)
		cfs_rmdir(rel);
	return err;
}

static int apply_pool4(struct apply_ctx *c, const struct cfg_instance *w,
		       struct cfg_instance *h)
{
	char *covered = calloc(w->npool4 + 1, 1);
	size_t i;
	int err = 0;

	if (!covered)
		return -ENOMEM;
	for (i = 0; i < h->npool4 && !err; i++)
		if (!pool4_kept(w, &h->pool4[i], covered))
			err = pool4_remove(c, w->name, &h->pool4[i]);
	for (i = 0; i < w->npool4 && !err; i++)
		if (!covered[i])
			err = pool4_make(c, w->name, &w->pool4[i]);
	free(covered);
	return err;
}

static int same_bib(const struct cfg_bib *a, const struct cfg_bib *b)
{
	return a->proto == b->proto && a->port6 == b->port6 &&
	       a->port4 == b->port4 && a->addr4.s_addr == b->addr4.s_addr &&
	       !memcmp(&a->addr6, &b->addr6, sizeof(a->addr6));
}

static int has_bib(const struct cfg_instance *ci, const struct cfg_bib *b)
{
	size_t i;

	for (i = 0; i < ci->nbib; i++)
		if (same_bib(&ci->bib[i], b))
			return 1;
	return 0;
}

static int bib_change(const struct apply_ctx *c, struct nat64_genl *nl,
		      const char *name, const struct cfg_bib *b, uint8_t cmd)
{
	struct nlmsghdr *nlh;

	nlh = nat64_genl_request(nl, cmd, NLM_F_ACK, name);
	mnl_attr_put_u8(nlh, NAT64_A_PROTO, b->proto);
	mnl_attr_put(nlh, NAT64_A_ADDR6, sizeof(b->addr6), &b->addr6);
	mnl_attr_put_u16(nlh, NAT64_A_PORT6, b->port6);
	mnl_attr_put(nlh, NAT64_A_ADDR4, sizeof(b->addr4), &b->addr4);
	mnl_attr_put_u16(nlh, NAT64_A_PORT4, b->port4);
	if (!nat64_genl_talk(nl, nlh, NULL, NULL, false))
		return 0;
	say(c, b->line, "instance %s: bib %s", name,
	    cmd == NAT64_CMD_BIB_NEW ? "add" : "del", -errno);
	return -errno ?: -EIO;
}

/* The static entries as they are now (pool4 changes take some away). */
static int apply_bib(const struct apply_ctx *c, const struct cfg_instance *w,
		     struct cfg_instance *h)
{
	struct nat64_genl nl;
	size_t i;
	int err = 0;

	h->enabled = 1;
	h->netns = w->netns;
	if (cfg_read_bib(h) || cfg_genl_open(h, &nl))
		return -EIO;
	for (i = 0; i < h->nbib && !err; i++)
		if (!has_bib(w, &h->bib[i]))
			err = bib_change(c, &nl, w->name, &h->bib[i],
					 NAT64_CMD_BIB_DEL);
	for (i = 0; i < w->nbib && !err; i++)
		if (!has_bib(h, &w->bib[i]))
			err = bib_change(c, &nl, w->name, &w->bib[i],
					 NAT64_CMD_BIB_NEW);
	nat64_genl_close(&nl);
	return err;
}

static int apply_settings(const struct apply_ctx *c,
			  const struct cfg_instance *w,
			  const struct cfg_instance *h)
{
	char value[16];
	size_t i;
	int err = 0;

	for (i = 0; i < nat64_settings_count && !err; i++) {
		if (w->settings[i] == h->settings[i])
			continue;
		snprintf(value, sizeof(value), "%" PRIu32, w->settings[i]);
		err = write_attr(c, w->line, w->name, nat64_settings[i].name,
				 value);
	}
	return err;
}

/* @h, what runs (stopped already if it had to), becomes @w. */
static int apply_instance(struct apply_ctx *c,
			  const struct cfg_instance *w,
			  struct cfg_instance *h)
{
	char pool6[INET6_ADDRSTRLEN + 8];
	int err = 0;

	if (w->netns != h->netns)
		err = write_attr(c, w->netns_line ?: w->line, w->name, "netns",
				 w->netns_path);
	if (!err && w->has_pool6 && !same_pool6(w, h)) {
		pool6_format(w, pool6, sizeof(pool6));
		err = write_attr(c, w->pool6_line ?: w->line, w->name, "pool6",
				 pool6);
	}
	if (!err)
		err = apply_settings(c, w, h);
	if (!err)
		err = apply_pool4(c, w, h);
	if (!err && w->enabled && !h->enabled)
		err = write_attr(c, w->enabled_line ?: w->line, w->name,
				 "enabled", "1");
	if (!err && w->enabled)
		err = apply_bib(c, w, h);
	return err;
}

static int remove_instance(struct apply_ctx *c,
			   const struct cfg_instance *h)
{
	int err = instance_remove(h->name);

	c->stopped++;
	if (err && err != -EPERM)	/* EPERM: the module's, disabled */
		say(c, 0, "removing instance %s%s", h->name, "", err);
	return err == -EPERM ? 0 : err;
}

/* Removals and stops first: they free what the rest may need. */
static int stop_phase(struct apply_ctx *c, const struct cfg *want,
		      struct cfg *have)
{
	struct cfg_instance *h, *w;
	size_t i;
	int err = 0;

	for (i = 0; i < have->n && !err; i++) {
		h = &have->inst[i];
		w = cfg_find(want, h->name);
		if (!w)
			err = remove_instance(c, h);
		else if (must_stop(w, h) && ++c->stopped)
			err = write_attr(c, w->enabled_line ?: w->line, h->name,
					 "enabled", "0");
		if (!err && w && must_stop(w, h)) {
			h->enabled = 0;
			h->nbib = 0;
		}
	}
	return err;
}

static int make_phase(struct apply_ctx *c, const struct cfg *want,
		      struct cfg *have)
{
	struct cfg_instance *h;
	size_t i;
	int err = 0;

	for (i = 0; i < want->n && !err; i++) {
		h = cfg_find(have, want->inst[i].name);
		if (!h) {
			err = cfs_mkdir(want->inst[i].name);
			if (err) {
				say(c, want->inst[i].line, "instance add %s%s",
				    want->inst[i].name, "", err);
				break;
			}
			h = cfg_add(have, want->inst[i].name);
			if (!h)
				return -ENOMEM;
		}
		err = apply_instance(c, &want->inst[i], h);
	}
	return err;
}

/**
 * cfg_apply() - make the running configuration @want
 * @want: the configuration wanted, checked (cfg_check)
 * @file: the file it came from, for messages; NULL in a rollback
 * @stopped: how many instances and pool4 entries were stopped or removed
 *
 * Only what differs is written. Return: 0 or -errno, the running
 * configuration then partly changed (the caller rolls back).
 */
int cfg_apply(const struct cfg *want, const char *file, unsigned int *stopped)
{
	struct apply_ctx c = { .file = file };
	struct cfg have;
	int err;

	if (cfg_read(&have))
		return -EIO;
	err = stop_phase(&c, want, &have);
	if (!err)
		err = make_phase(&c, want, &have);
	cfg_free(&have);
	*stopped = c.stopped;
	return err;
}

/*
 * Two "nat64 -f" at once would each roll back over the other: they take
 * turns. (Writers of configfs by hand are not held back.) The lock goes
 * with the process.
 */
static void take_turns(void)
{
	int fd = open(LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 || flock(fd, LOCK_EX))
		fprintf(stderr, "nat64: %s: %s; going on without it\n", LOCK_FILE,
			strerror(errno));
}

static int apply_or_roll_back(const struct cfg *want, const struct cfg *before,
			      const char *file)
{
	unsigned int stopped, ignored;

	if (!cfg_apply(want, file, &stopped))
		return 0;
	fprintf(stderr, "nat64: %s: putting back the configuration as it was before\n",
		file);
	if (cfg_apply(before, NULL, &ignored)) {
		fprintf(stderr, "nat64: the rollback failed too: the configuration is now partly %s's; compare 'nat64 save' with it\n",
			file);
		return 1;
	}
	if (stopped)
		fprintf(stderr, "nat64: %s: rolled back: the configuration is as it was, but the BIB entries and sessions of the %u instances or pool4 entries stopped on the way are gone\n",
			file, stopped);
	else
		fprintf(stderr, "nat64: %s: rolled back: the configuration is as it was\n",
			file);
	return 1;
}

/**
 * apply_file() - nat64 -f FILE: the whole file or nothing
 * @file: a path, or "-" for standard input
 *
 * Return: the exit status.
 */
int apply_file(const char *file)
{
	struct cfg before, want;
	FILE *in;
	int err;

	in = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!in) {
		fprintf(stderr, "nat64: %s: %s\n", file, strerror(errno));
		return 1;
	}
	take_turns();
	if (cfs_open() || cfg_read(&before)) {
		if (in != stdin)
			fclose(in);
		return 1;
	}
	err = cfg_copy(&want, &before);
	if (!err)
		err = cfg_parse(in, file, &want) || cfg_check(&want, file);
	if (in != stdin)
		fclose(in);
	if (!err)
		err = apply_or_roll_back(&want, &before, file);
	else
		fprintf(stderr, "nat64: %s: nothing was changed\n", file);
	cfg_free(&want);
	cfg_free(&before);
	return err ? 1 : 0;
}

int cmd_save(const struct nat64_opts *opts, int argc, char **argv)
{
	struct cfg cfg;
	int err;

	(void)opts;
	(void)argv;
	if (argc) {
		fprintf(stderr, "Usage: nat64 save > FILE (and nat64 -f FILE to apply it)\n");
		return 2;
	}
	if (cfs_open() || cfg_read(&cfg))
		return 1;
	err = cfg_print(&cfg, stdout);
	cfg_free(&cfg);
	if (fflush(stdout)) {
		perror("nat64: save");
		return 1;
	}
	return err ? 1 : 0;
}

/* Every instance and entry goes (the module's own are disabled). */
int cmd_flush(const struct nat64_opts *opts, int argc, char **argv)
{
	struct cfg before, none = {};
	int err;

	(void)opts;
	(void)argv;
	if (argc) {
		fprintf(stderr, "Usage: nat64 flush (removes the whole configuration)\n");
		return 2;
	}
	take_turns();
	if (cfs_open() || cfg_read(&before))
		return 1;
	err = apply_or_roll_back(&none, &before, "flush");
	cfg_free(&before);
	return err;
}
