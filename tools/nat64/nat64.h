/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_H
#define NAT64_TOOL_H

#include <stdbool.h>

/* The global options, iproute2-style: nat64 [-j] [-n] [-i NAME] ... */
struct nat64_opts {
	bool json;
	bool numeric;
	const char *instance;
};

/* An object's entry point: argv holds the words after the object. */
typedef int (*nat64_cmd_fn)(const struct nat64_opts *opts, int argc,
			    char **argv);

/* pool4.c: pool4 entries, through configfs. */
int cmd_pool4(const struct nat64_opts *opts, int argc, char **argv);

/* state.c: the tables and counters, through generic netlink. */
int cmd_bib(const struct nat64_opts *opts, int argc, char **argv);
int cmd_session(const struct nat64_opts *opts, int argc, char **argv);
int cmd_stats(const struct nat64_opts *opts, int argc, char **argv);
int cmd_instance(const struct nat64_opts *opts, int argc, char **argv);
int cmd_monitor(const struct nat64_opts *opts, int argc, char **argv);

#endif /* NAT64_TOOL_H */
