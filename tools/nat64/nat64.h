/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_H
#define NAT64_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The global options, iproute2-style: nat64 [-j] [-n NETNS] [-i NAME] ... */
struct nat64_opts {
	bool json;
	const char *instance;	/* NULL: the one of this namespace */
};

/* An object's entry point: argv holds the words after the object. */
typedef int (*nat64_cmd_fn)(const struct nat64_opts *opts, int argc,
			    char **argv);

#define NAT64_NAME_MAX 16	/* an instance's name, its NUL included */

/* pool4.c: pool4 entries, through configfs. */
int cmd_pool4(const struct nat64_opts *opts, int argc, char **argv);

/* state.c: the tables and counters, through generic netlink. */
int cmd_bib(const struct nat64_opts *opts, int argc, char **argv);
int taddr_parse(const char *text, int family, void *addr, uint16_t *port);
const char *ip_proto_name(uint8_t proto);
int cmd_session(const struct nat64_opts *opts, int argc, char **argv);
int cmd_block(const struct nat64_opts *opts, int argc, char **argv);
int cmd_stats(const struct nat64_opts *opts, int argc, char **argv);
int cmd_monitor(const struct nat64_opts *opts, int argc, char **argv);
int instance_counts(const char *name, uint32_t *bib, uint32_t *sessions);
struct nat64_genl;
int genl_open_for(const struct nat64_opts *opts, struct nat64_genl *nl);

/* instance.c: instances, through configfs. */
int cmd_instance(const struct nat64_opts *opts, int argc, char **argv);
const char *instance_here(const struct nat64_opts *opts);
int instance_netns_path(const char *name, char *path, size_t size);
int instance_remove(const char *name);

/* settings.c: an instance's run-time settings, through configfs. */
struct nat64_setting_desc {
	const char *name;	/* the configfs attribute */
	uint32_t min, max, def;
	const char *desc;
};

extern const struct nat64_setting_desc nat64_settings[];
extern const size_t nat64_settings_count;
int setting_find(const char *name);
int setting_parse(int id, const char *text, uint32_t *value,
		  char *why, size_t size);
int cmd_settings(const struct nat64_opts *opts, int argc, char **argv);

/* save.c, apply.c: the whole configuration as commands of this tool. */
int cmd_save(const struct nat64_opts *opts, int argc, char **argv);
int cmd_flush(const struct nat64_opts *opts, int argc, char **argv);
int apply_file(const char *file);

#endif /* NAT64_TOOL_H */
