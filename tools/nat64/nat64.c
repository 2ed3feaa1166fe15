// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * nat64: configure and inspect the nat64 translator, iproute2-style.
 * This is the skeleton: option parsing and object dispatch. The objects
 * (pool4, bib, session, stats, instance, settings, monitor) arrive with
 * the kernel interfaces they drive.
 */

#include <errno.h>
#include <getopt.h>
#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nat64.h"

#define NAT64_TOOL_VERSION "0.1"

struct nat64_cmd {
	const char *name;
	nat64_cmd_fn run;
	const char *help;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: nat64 [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       nat64 -V\n"
		"where  OBJECT := { bib | session | stats | instance | monitor | pool4 |\n"
		"                  version }\n"
		"       OPTIONS := { -j[son] | -n[umeric] | -i[nstance] NAME }\n");
}

static int cmd_version(const struct nat64_opts *opts, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (opts->json)
		printf("{\"version\":\"%s\",\"libmnl\":true}\n",
		       NAT64_TOOL_VERSION);
	else
		printf("nat64 utility, %s\n", NAT64_TOOL_VERSION);
	return 0;
}

static const struct nat64_cmd commands[] = {
	{ "bib", cmd_bib, "mappings: show, add or delete static ones, flush" },
	{ "instance", cmd_instance, "the translator of this network namespace" },
	{ "monitor", cmd_monitor, "mappings and sessions as they come and go" },
	{ "pool4", cmd_pool4, "the IPv4 transport addresses clients are masked behind" },
	{ "session", cmd_session, "sessions: show" },
	{ "stats", cmd_stats, "counters, each with its meaning" },
	{ "version", cmd_version, "print the tool's version" },
};

/* iproute2 accepts any unambiguous prefix of an object name. */
static const struct nat64_cmd *find_cmd(const char *word)
{
	size_t i, len = strlen(word);

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (len && !strncmp(commands[i].name, word, len))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "instance", required_argument, NULL, 'i' },
		{ "Version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nat64_opts opts = { .instance = "default" };
	const struct nat64_cmd *cmd;
	int c;

	while ((c = getopt_long(argc, argv, "+jni:Vh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'n':
			opts.numeric = true;
			break;
		case 'i':
			opts.instance = optarg;
			break;
		case 'V':
			return cmd_version(&opts, 0, NULL);
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = find_cmd(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "nat64: unknown object \"%s\"; try \"nat64 help\"\n",
			argv[optind]);
		return 2;
	}
	return cmd->run(&opts, argc - optind - 1, argv + optind + 1);
}
