// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * nat64: configure and inspect the nat64 translator, iproute2-style:
 * option parsing and object dispatch. -n NETNS runs the tool as
 * "ip netns exec NETNS" would; -f FILE applies a configuration file.
 */

#include <errno.h>
#include <getopt.h>
#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nat64.h"
#include "netns.h"

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
		"       nat64 [ -n NETNS ] -f FILE     apply a configuration ('-': stdin)\n"
		"       nat64 -V\n"
		"where  OBJECT := { bib | session | stats | instance | settings | monitor |\n"
		"                  pool4 | save | flush | version }\n"
		"       OPTIONS := { -j[son] | -n[etns] NETNS | -i[nstance] NAME }\n"
		"NETNS is a name from 'ip netns list' or a namespace file's path.\n");
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
	{ "block", cmd_block, "port blocks subscribers hold: show" },
	{ "flush", cmd_flush, "remove the whole configuration" },
	{ "instance", cmd_instance, "translators: show, add, set, del" },
	{ "monitor", cmd_monitor, "mappings and sessions as they come and go" },
	{ "pool4", cmd_pool4, "the IPv4 transport addresses clients are masked behind" },
	{ "save", cmd_save, "the whole configuration, as commands for nat64 -f" },
	{ "session", cmd_session, "sessions: show" },
	{ "settings", cmd_settings, "an instance's run-time settings: show, set" },
	{ "stats", cmd_stats, "counters, each with its meaning" },
	{ "version", cmd_version, "print the tool's version" },
};

/*
 * iproute2 accepts a prefix of an object name: the first in the table
 * that it begins. "flush" and "save" change or print everything, so
 * they are taken whole only.
 */
static const struct nat64_cmd *find_cmd(const char *word)
{
	size_t i, len = strlen(word);

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!len || strncmp(commands[i].name, word, len))
			continue;
		if ((commands[i].run == cmd_flush || commands[i].run == cmd_save) &&
		    strcmp(commands[i].name, word))
			continue;
		return &commands[i];
	}
	return NULL;
}

static int enter_netns(const char *word)
{
	char path[256];

	if (netns_path(word, path, sizeof(path))) {
		fprintf(stderr, "nat64: -n '%s': not a namespace name or path (see ip netns list)\n",
			word);
		return -1;
	}
	return netns_enter(path);
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "netns", required_argument, NULL, 'n' },
		{ "instance", required_argument, NULL, 'i' },
		{ "file", required_argument, NULL, 'f' },
		{ "Version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nat64_opts opts = {};
	const struct nat64_cmd *cmd;
	const char *file = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "+jn:i:f:Vh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'n':
			if (enter_netns(optarg))
				return 1;
			break;
		case 'f':
			file = optarg;
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
	if (file) {
		if (optind < argc || opts.instance) {
			fprintf(stderr, "nat64: -f FILE takes no command and no -i: the file's lines name their instances\n");
			return 2;
		}
		return apply_file(file);
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return 0;
	}
	cmd = find_cmd(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "nat64: unknown object \"%s\"; try \"nat64 help\"\n",
			argv[optind]);
		return 2;
	}
	return cmd->run(&opts, argc - optind - 1, argv + optind + 1);
}
