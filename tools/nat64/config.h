/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_CONFIG_H
#define NAT64_TOOL_CONFIG_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "nat64.h"
#include "pool4.h"

#define CFG_SETTINGS 32		/* at least nat64_settings_count: settings.c checks */

/* One pool4 entry, one protocol (P_TCP, P_UDP or P_ICMP) or P_ALL. */
struct cfg_pool4 {
	char dir[256];		/* its configfs name; "" until made */
	uint32_t mark;
	unsigned int protos;
	uint32_t addr;		/* host order */
	unsigned int plen;
	unsigned int port_min, port_max;
	struct pool4_lending lend;
	int line;		/* in the file; 0 if read from the kernel */
};

/* One static BIB entry. */
struct cfg_bib {
	uint8_t proto;		/* IPPROTO_* */
	struct in6_addr addr6;
	uint16_t port6;
	struct in_addr addr4;
	uint16_t port4;
	int line;
};

struct cfg_instance {
	char name[NAT64_NAME_MAX];
	unsigned long netns;	/* inode number; 0: none (gone) */
	char netns_path[256];	/* how to name it to configfs */
	int has_pool6;
	struct in6_addr pool6;
	unsigned int pool6_len;
	int enabled;
	uint32_t settings[CFG_SETTINGS];
	struct cfg_pool4 *pool4;
	size_t npool4;
	struct cfg_bib *bib;
	size_t nbib;
	int line;
	int netns_line, pool6_line, enabled_line;
};

/* The whole configuration, or what a file wants it to be. */
struct cfg {
	struct cfg_instance *inst;
	size_t n;
	bool offline;		/* cfg_parse(): netns names are not opened */
};

/* config.c: the model, and the running configuration read into it. */
int pool6_check(const char *text, struct cfg_instance *ci, char *why,
		size_t size);
void pool6_format(const struct cfg_instance *ci, char *buf, size_t size);
struct cfg_instance *cfg_find(const struct cfg *cfg, const char *name);
struct cfg_instance *cfg_add(struct cfg *cfg, const char *name);
void cfg_del(struct cfg *cfg, struct cfg_instance *ci);
void cfg_free(struct cfg *cfg);
int cfg_add_pool4(struct cfg_instance *ci, const struct cfg_pool4 *e);
int cfg_add_bib(struct cfg_instance *ci, const struct cfg_bib *b);
int cfg_read(struct cfg *cfg);
int cfg_read_pool4(const char *name, struct cfg_instance *ci);
int cfg_read_bib(struct cfg_instance *ci);
struct nat64_genl;
int cfg_genl_open(const struct cfg_instance *ci, struct nat64_genl *nl);
int cfg_print(const struct cfg *cfg, FILE *out);

/* apply.c: from one configuration to another. */
int cfg_apply(const struct cfg *want, const char *file, unsigned int *stopped);
int cfg_parse(FILE *in, const char *file, struct cfg *cfg);
int cfg_check(const struct cfg *cfg, const char *file);
int cfg_copy(struct cfg *dst, const struct cfg *src);

#endif /* NAT64_TOOL_CONFIG_H */
