// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * nat64 [-j] instance { show [ NAME ] | add NAME [ WORD ]... |
 *			 set NAME WORD... | del NAME }
 *
 * Instances are directories of /sys/kernel/config/nat64; this is mkdir,
 * echo and rmdir for the operator, so that daily work needs no knowledge
 * of the layout. "show" prints every attribute configfs holds.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "config.h"
#include "nat64.h"
#include "netns.h"

/* The attributes "show" puts first; the rest follow sorted. */
static const char *const first_attrs[] = { "netns", "pool6", "enabled" };

static int instance_usage(void)
{
	fprintf(stderr,
		"Usage: nat64 [-j] instance show [ NAME ]\n"
		"       nat64 instance add NAME [ netns NETNS ] [ pool6 PREFIX ] [ enable ]\n"
		"       nat64 instance set NAME { netns NETNS | pool6 PREFIX | enable | disable }...\n"
		"       nat64 instance del NAME\n"
		"NETNS is a name from 'ip netns list' or a path such as /proc/PID/ns/net;\n"
		"add binds the instance to the namespace nat64 runs in unless told.\n"
		"set applies its words in order: netns and pool6 need the instance\n"
		"disabled, e.g. 'set NAME disable pool6 64:ff9b::/96 enable'.\n");
	return 2;
}

static int instance_exists(const char *name)
{
	char rel[64], buf[8];

	snprintf(rel, sizeof(rel), "%s/enabled", name);
	return !cfs_read(rel, buf, sizeof(buf));
}

static int read_netns(const char *name, unsigned long *inum)
{
	char rel[64], buf[64];

	snprintf(rel, sizeof(rel), "%s/netns", name);
	*inum = 0;
	if (cfs_read(rel, buf, sizeof(buf)))
		return -1;
	if (buf[0] && sscanf(buf, "net:[%lu]", inum) != 1)
		return -1;
	return 0;
}

/* A path to the namespace instance @name translates in. */
int instance_netns_path(const char *name, char *path, size_t size)
{
	unsigned long inum;

	if (read_netns(name, &inum) || !inum)
		return -1;
	return netns_find(inum, path, size);
}

/*
 * The instance a command without -i means: the one bound to this
 * network namespace (enabled first), else "default".
 */
const char *instance_here(const struct nat64_opts *opts)
{
	static char found[NAT64_NAME_MAX];
	unsigned long self = netns_self(), inum;
	char **names, rel[64], buf[8];
	size_t n, i;
	int best = 0;

	if (opts->instance) {
		if (instance_exists(opts->instance))
			return opts->instance;
		fprintf(stderr, "nat64: no instance '%s' (nat64 instance show lists them; make it with 'nat64 instance add %s pool6 PREFIX enable')\n",
			opts->instance, opts->instance);
		return NULL;
	}
	names = cfs_list("", &n);
	for (i = 0; names && i < n; i++) {
		if (read_netns(names[i], &inum) || inum != self ||
		    strlen(names[i]) >= sizeof(found))
			continue;
		snprintf(rel, sizeof(rel), "%s/enabled", names[i]);
		if (best < 2) {
			strcpy(found, names[i]);
			best = !cfs_read(rel, buf, sizeof(buf)) &&
			       buf[0] == '1' ? 2 : 1;
		}
	}
	if (names)
		cfs_list_free(names, n);
	if (best)
		return found;
	if (instance_exists("default"))
		return "default";
	fprintf(stderr, "nat64: no instance in this network namespace; name one with -i NAME, or make one: nat64 instance add NAME pool6 PREFIX enable\n");
	return NULL;
}

/* A string, escaped for JSON: configfs values are printable ASCII. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static int is_first_attr(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(first_attrs) / sizeof(first_attrs[0]); i++)
		if (!strcmp(name, first_attrs[i]))
			return 1;
	return 0;
}

/* Every attribute of directory @rel: the chosen ones first, then sorted. */
static void show_attrs(const struct nat64_opts *opts, const char *rel,
		       const char *const *first, size_t nfirst,
		       const char *indent)
{
	char **files, path[PATH_MAX], buf[256];
	size_t n = 0, i, k = 0;

	files = cfs_list_type(rel, DT_REG, &n);
	for (i = 0; i < nfirst + n; i++) {
		const char *attr = i < nfirst ? first[i] : files[i - nfirst];

		if (i >= nfirst && nfirst && is_first_attr(attr))
			continue;
		snprintf(path, sizeof(path), "%s/%s", rel, attr);
		if (cfs_read(path, buf, sizeof(buf)))
			continue;
		if (opts->json) {
			printf("%s\"%s\":", k ? "," : "", attr);
			json_str(buf);
		} else {
			printf("%s%-28s %s\n", indent, attr, buf);
		}
		k++;
	}
	if (files)
		cfs_list_free(files, n);
}

static void show_netns_name(const struct nat64_opts *opts, const char *name)
{
	char ns[256] = "";
	unsigned long inum;

	if (read_netns(name, &inum) || !inum)
		strcpy(ns, "(none: it is gone)");
	else if (inum == netns_self())
		strcpy(ns, "(this one)");
	else if (netns_name(inum, ns, sizeof(ns)))
		strcpy(ns, "(unnamed)");
	if (opts->json) {
		printf(",\"netns_name\":");
		json_str(ns);
	} else {
		printf("\t%-28s %s\n", "netns_name", ns);
	}
}

/* A running instance's table sizes, from netlink, where root can ask. */
static void show_counts(const struct nat64_opts *opts, const char *name)
{
	uint32_t bib, sessions;

	if (instance_counts(name, &bib, &sessions))
		return;
	if (opts->json)
		printf(",\"bib_entries\":%u,\"sessions\":%u", bib, sessions);
	else
		printf("\t%-28s %u\n\t%-28s %u\n", "bib_entries", bib,
		       "sessions", sessions);
}

static void show_pool4(const struct nat64_opts *opts, const char *name)
{
	char rel[64], erel[PATH_MAX], **entries;
	size_t n = 0, i;

	snprintf(rel, sizeof(rel), "%s/pool4", name);
	entries = cfs_list(rel, &n);
	printf(opts->json ? ",\"pool4\":[" : "\tpool4: %zu entries\n", n);
	for (i = 0; entries && i < n; i++) {
		snprintf(erel, sizeof(erel), "%s/%s", rel, entries[i]);
		if (opts->json) {
			printf("%s{\"name\":", i ? "," : "");
			json_str(entries[i]);
			putchar(',');
		} else {
			printf("\t  %s\n", entries[i]);
		}
		show_attrs(opts, erel, NULL, 0, "\t    ");
		if (opts->json)
			putchar('}');
	}
	if (opts->json)
		putchar(']');
	if (entries)
		cfs_list_free(entries, n);
}

static void show_one(const struct nat64_opts *opts, const char *name,
		     int first)
{
	if (opts->json) {
		printf("%s{\"name\":", first ? "" : ",");
		json_str(name);
		putchar(',');
	} else {
		printf("%sinstance %s\n", first ? "" : "\n", name);
	}
	show_attrs(opts, name, first_attrs,
		   sizeof(first_attrs) / sizeof(first_attrs[0]), "\t");
	show_netns_name(opts, name);
	show_counts(opts, name);
	show_pool4(opts, name);
	if (opts->json)
		putchar('}');
}

/*
 * Every instance; from a user namespace other than the first, only those
 * of this network namespace, so that a container's root learns nothing
 * of its host's translators through the tool.
 */
static int instance_show(const struct nat64_opts *opts, const char *only)
{
	unsigned long self = netns_self(), inum;
	int host = netns_initial_userns(), shown = 0;
	char **names;
	size_t n, i;

	if (only && !instance_exists(only)) {
		fprintf(stderr, "nat64: no instance '%s' (nat64 instance show lists them)\n",
			only);
		return 1;
	}
	names = cfs_list("", &n);
	if (!names) {
		fprintf(stderr, "nat64: %s: %s\n", CFS_ROOT, strerror(errno));
		return 1;
	}
	if (opts->json)
		putchar('[');
	for (i = 0; i < n; i++) {
		if (only && strcmp(only, names[i]))
			continue;
		if (!host && (read_netns(names[i], &inum) || inum != self))
			continue;
		show_one(opts, names[i], !shown++);
	}
	if (opts->json)
		puts("]");
	else if (!shown)
		printf("no instance; make one: nat64 instance add NAME pool6 PREFIX enable\n");
	cfs_list_free(names, n);
	return 0;
}

static int write_netns(const char *name, const char *word)
{
	char path[PATH_MAX], rel[64];
	unsigned long inum;
	const char *why;
	int err;

	if (netns_path(word, path, sizeof(path)) ||
	    netns_inum(path, &inum, &why)) {
		fprintf(stderr, "nat64: instance %s: netns '%s': %s\n", name,
			word, netns_path(word, path, sizeof(path)) ?
			"not a name or path" : why);
		return 2;
	}
	snprintf(rel, sizeof(rel), "%s/netns", name);
	err = cfs_write(rel, path);
	if (err == -EBUSY)
		fprintf(stderr, "nat64: instance %s: netns: the instance is enabled; put 'disable' before netns (its BIB and sessions go)\n",
			name);
	else if (err)
		fprintf(stderr, "nat64: instance %s: netns %s: %s\n", name, path,
			strerror(-err));
	return err ? 1 : 0;
}

static int write_attr(const char *name, const char *attr, const char *value)
{
	char rel[64];
	int err;

	snprintf(rel, sizeof(rel), "%s/%s", name, attr);
	err = cfs_write(rel, value);
	if (!err)
		return 0;
	if (err == -EBUSY)
		fprintf(stderr, "nat64: instance %s: %s: the instance is enabled; put 'disable' before %s (its BIB and sessions go)\n",
			name, attr, attr);
	else if (err == -EEXIST)
		fprintf(stderr, "nat64: instance %s: enable: its network namespace has a running instance already (one per namespace; nat64 instance show)\n",
			name);
	else if (!strcmp(attr, "enabled") && err == -EINVAL)
		fprintf(stderr, "nat64: instance %s: enable: it needs pool6 (and a live netns); see dmesg\n",
			name);
	else
		fprintf(stderr, "nat64: instance %s: %s '%s': %s (see dmesg)\n",
			name, attr, value, strerror(-err));
	return 1;
}

/* The words of add and set, each done in turn. */
static int instance_words(const char *name, int argc, char **argv)
{
	char why[128];
	int i, err = 0;

	for (i = 0; i < argc && !err; i++) {
		const char *w = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(w, "enable") || !strcmp(w, "disable")) {
			err = write_attr(name, "enabled", w[0] == 'e' ? "1" : "0");
			continue;
		}
		if (strcmp(w, "netns") && strcmp(w, "pool6")) {
			fprintf(stderr, "nat64: instance: '%s' is not netns, pool6, enable or disable\n",
				w);
			return 2;
		}
		if (!v) {
			fprintf(stderr, "nat64: instance: '%s' needs a value\n", w);
			return 2;
		}
		i++;
		if (!strcmp(w, "netns")) {
			err = write_netns(name, v);
		} else if (pool6_check(v, NULL, why, sizeof(why))) {
			fprintf(stderr, "nat64: instance %s: %s\n", name, why);
			err = 2;
		} else {
			err = write_attr(name, "pool6", v);
		}
	}
	return err;
}

static int check_name(const char *name)
{
	if (!*name || strlen(name) >= NAT64_NAME_MAX || strchr(name, '/') ||
	    name[0] == '.') {
		fprintf(stderr, "nat64: instance name '%s': 1 to %d characters, no '/', not starting with '.'\n",
			name, NAT64_NAME_MAX - 1);
		return -1;
	}
	return 0;
}

/* All or nothing: a failure takes the new instance back. */
static int instance_add(const char *name, int argc, char **argv)
{
	int err;

	if (check_name(name))
		return 2;
	err = cfs_mkdir(name);
	if (err == -EEXIST) {
		fprintf(stderr, "nat64: instance %s exists already; change it with 'nat64 instance set %s ...'\n",
			name, name);
		return 1;
	}
	if (err) {
		fprintf(stderr, "nat64: instance add %s: %s (see dmesg)\n", name,
			strerror(-err));
		return 1;
	}
	err = instance_words(name, argc, argv);
	if (err)
		instance_remove(name);
	return err;
}

/*
 * Disables @name, removes its pool4 entries and itself. Return: 0 or
 * -errno; -EPERM: the module made it, and it is only disabled.
 */
int instance_remove(const char *name)
{
	char rel[PATH_MAX], **entries, buf[8];
	size_t n = 0, i;
	int err;

	snprintf(rel, sizeof(rel), "%s/enabled", name);
	if (!cfs_read(rel, buf, sizeof(buf)) && buf[0] == '1') {
		err = cfs_write(rel, "0");
		if (err)
			return err;
	}
	snprintf(rel, sizeof(rel), "%s/pool4", name);
	entries = cfs_list(rel, &n);
	for (i = 0; entries && i < n; i++) {
		snprintf(rel, sizeof(rel), "%s/pool4/%s", name, entries[i]);
		err = cfs_rmdir(rel);
		if (err == -EPERM) {
			snprintf(rel, sizeof(rel), "%s/pool4/%s/enabled", name,
				 entries[i]);
			err = cfs_write(rel, "0");
		}
		if (err) {
			cfs_list_free(entries, n);
			return err;
		}
	}
	if (entries)
		cfs_list_free(entries, n);
	return cfs_rmdir(name);
}

static int instance_del(const char *name)
{
	int err;

	if (!instance_exists(name)) {
		fprintf(stderr, "nat64: no instance '%s' (nat64 instance show lists them)\n",
			name);
		return 1;
	}
	err = instance_remove(name);
	if (err == -EPERM) {
		fprintf(stderr, "nat64: instance %s was made by the module's parameters: it is disabled now, and goes with 'modprobe -r nat64'\n",
			name);
		return 0;
	}
	if (err)
		fprintf(stderr, "nat64: instance del %s: %s\n", name,
			strerror(-err));
	return err ? 1 : 0;
}

int cmd_instance(const struct nat64_opts *opts, int argc, char **argv)
{
	const char *op = argc ? argv[0] : "show";

	if (!strcmp(op, "help"))
		return instance_usage(), 0;
	if (strcmp(op, "show") && strcmp(op, "list") && strcmp(op, "add") &&
	    strcmp(op, "set") && strcmp(op, "del") && strcmp(op, "delete")) {
		fprintf(stderr, "nat64: instance: unknown command '%s'\n", op);
		return instance_usage();
	}
	if (!strcmp(op, "show") || !strcmp(op, "list")) {
		if (argc > 2)
			return instance_usage();
		if (cfs_open())
			return 1;
		return instance_show(opts, argc == 2 ? argv[1] : NULL);
	}
	if (argc < 2 || (strcmp(op, "add") && argc < 3 && strcmp(op, "del") &&
			 strcmp(op, "delete")))
		return instance_usage();
	if (cfs_open())
		return 1;
	if (!strcmp(op, "add"))
		return instance_add(argv[1], argc - 2, argv + 2);
	if (!instance_exists(argv[1])) {
		fprintf(stderr, "nat64: no instance '%s' (nat64 instance show lists them)\n",
			argv[1]);
		return 1;
	}
	if (!strcmp(op, "set"))
		return instance_words(argv[1], argc - 2, argv + 2);
	if (argc != 2)
		return instance_usage();
	return instance_del(argv[1]);
}
