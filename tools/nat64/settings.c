// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * nat64 [-j] [-i NAME] settings { show | set NAME VALUE... }
 *
 * The settings are one configfs file each under the instance. Their
 * ranges and defaults are kernel/settings.c's (the kernel checks them
 * again); the tool knows them so that a file can be checked whole
 * before anything is written, and so that "save" prints only what
 * differs from the defaults. selftests/save_restore.sh compares this
 * table with what the kernel accepts.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "config.h"
#include "nat64.h"

#define WEEK (7 * 24 * 60 * 60)

const struct nat64_setting_desc nat64_settings[] = {
	{ "timeout_udp", 1, WEEK, 300,
	  "seconds an idle UDP session lives (RFC 6146: 120 or more)" },
	{ "timeout_tcp_est", 1, WEEK, 7440,
	  "seconds an idle established TCP session lives (RFC: 7440 or more)" },
	{ "timeout_tcp_trans", 1, WEEK, 240,
	  "seconds a TCP session opening or closing lives (RFC: 240)" },
	{ "timeout_icmp", 1, WEEK, 60,
	  "seconds an idle ICMP query session lives" },
	{ "max_bib_entries", 1, 1 << 26, 1 << 21,
	  "most BIB entries the instance holds" },
	{ "max_sessions", 1, 1 << 26, 1 << 21,
	  "most sessions the instance holds" },
	{ "max_sessions_per_bib", 1, 1 << 26, 1 << 14,
	  "sessions of one BIB entry past which IPv4 hosts may open no more" },
	{ "max_held_syns", 0, 1 << 16, 256,
	  "most IPv4 SYNs without a BIB entry held for 6 s; 0 drops them" },
	{ "max_iterations", 1, 1 << 20, 4096,
	  "most pool4 transport addresses tried for one new mapping" },
	{ "lowest_ipv6_mtu", 1280, 65535, 1280,
	  "smallest MTU assumed on the IPv6 side, in bytes" },
	{ "drop_external_tcp", 0, 1, 0,
	  "1: drop TCP connections initiated from IPv4" },
	{ "address_dependent_filtering", 0, 1, 0,
	  "1: let IPv4 nodes in only if the IPv6 node talked to their address" },
	{ "subscriber_prefix_len", 0, 128, 64,
	  "IPv6 source prefix length that makes one subscriber (RFC 6888)" },
	{ "max_ports_per_subscriber", 0, 1 << 26, 0,
	  "most mappings of one subscriber, per protocol; 0: no limit" },
	{ "max_sessions_per_subscriber", 0, 1 << 26, 0,
	  "most sessions of one subscriber; 0: no limit" },
	{ "block_hold_time", 0, WEEK, 120,
	  "seconds an unused port block waits before another subscriber takes it" },
	{ "log_sessions", 0, 2, 2,
	  "BIB and session events: 0 none, 1 all, 2 those of mappings not in a port block" },
};

const size_t nat64_settings_count = sizeof(nat64_settings) /
				    sizeof(nat64_settings[0]);
/* The configuration model keeps every setting (config.h). */
_Static_assert(sizeof(nat64_settings) / sizeof(nat64_settings[0]) <= CFG_SETTINGS,
	       "CFG_SETTINGS is smaller than the settings table");

int setting_find(const char *name)
{
	size_t i;

	for (i = 0; i < nat64_settings_count; i++)
		if (!strcmp(nat64_settings[i].name, name))
			return i;
	return -1;
}

/* A value for setting @id, checked as the kernel will: 0, or -1 and why. */
int setting_parse(int id, const char *text, uint32_t *value,
		  char *why, size_t size)
{
	const struct nat64_setting_desc *s = &nat64_settings[id];
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' ||
	    v < s->min || v > s->max) {
		snprintf(why, size, "%s '%s' is not a number from %" PRIu32 " to %" PRIu32,
			 s->name, text, s->min, s->max);
		return -1;
	}
	*value = v;
	return 0;
}

static int settings_usage(void)
{
	size_t i;

	fprintf(stderr,
		"Usage: nat64 [-j] [-i NAME] settings show\n"
		"       nat64 [-i NAME] settings set SETTING VALUE [ SETTING VALUE ]...\n"
		"SETTING (range, default):\n");
	for (i = 0; i < nat64_settings_count; i++)
		fprintf(stderr, "  %-28s %" PRIu32 "-%" PRIu32 ", %" PRIu32 "\n",
			nat64_settings[i].name, nat64_settings[i].min,
			nat64_settings[i].max, nat64_settings[i].def);
	return 2;
}

static int settings_show(const struct nat64_opts *opts, const char *inst)
{
	char rel[64], buf[32];
	size_t i;
	int err;

	if (opts->json)
		printf("{");
	else
		printf("%-28s %10s %10s  %s\n", "setting", "value", "default",
		       "meaning");
	for (i = 0; i < nat64_settings_count; i++) {
		snprintf(rel, sizeof(rel), "%s/%s", inst, nat64_settings[i].name);
		err = cfs_read(rel, buf, sizeof(buf));
		if (err) {
			fprintf(stderr, "\nnat64: settings: %s: %s\n", rel,
				strerror(-err));
			return 1;
		}
		if (opts->json)
			printf("%s\"%s\":%s", i ? "," : "",
			       nat64_settings[i].name, buf);
		else
			printf("%-28s %10s %10" PRIu32 "  %s\n",
			       nat64_settings[i].name, buf,
			       nat64_settings[i].def, nat64_settings[i].desc);
	}
	if (opts->json)
		printf("}\n");
	return 0;
}

/* Every pair is checked before the first is written. */
static int settings_set(const char *inst, int argc, char **argv)
{
	char rel[64], why[128];
	uint32_t value;
	int i, id, err;

	if (!argc || argc % 2) {
		fprintf(stderr, "nat64: settings set: give SETTING VALUE pairs\n");
		return settings_usage();
	}
	for (i = 0; i < argc; i += 2) {
		id = setting_find(argv[i]);
		if (id < 0) {
			fprintf(stderr, "nat64: settings set: no setting '%s' (nat64 settings help lists them)\n",
				argv[i]);
			return 2;
		}
		if (setting_parse(id, argv[i + 1], &value, why, sizeof(why))) {
			fprintf(stderr, "nat64: settings set: %s\n", why);
			return 2;
		}
	}
	for (i = 0; i < argc; i += 2) {
		snprintf(rel, sizeof(rel), "%s/%s", inst, argv[i]);
		err = cfs_write(rel, argv[i + 1]);
		if (err) {
			fprintf(stderr, "nat64: settings set %s %s: %s (see dmesg)\n",
				argv[i], argv[i + 1], strerror(-err));
			return 1;
		}
	}
	return 0;
}

int cmd_settings(const struct nat64_opts *opts, int argc, char **argv)
{
	const char *op = argc ? argv[0] : "show";
	const char *inst;

	if (!strcmp(op, "help"))
		return settings_usage(), 0;
	if (strcmp(op, "show") && strcmp(op, "set")) {
		fprintf(stderr, "nat64: settings: unknown command '%s'\n", op);
		return settings_usage();
	}
	if (cfs_open())
		return 1;
	inst = instance_here(opts);
	if (!inst)
		return 1;
	if (!strcmp(op, "show"))
		return settings_show(opts, inst);
	return settings_set(inst, argc - 1, argv + 1);
}
