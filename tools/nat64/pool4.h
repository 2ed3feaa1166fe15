/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_POOL4_H
#define NAT64_TOOL_POOL4_H

#include <stdint.h>

#define PORT_MIN_DEFAULT 61001
#define PORT_MAX_DEFAULT 65535
#define FORCE_PLEN 24

enum { P_TCP = 1, P_UDP = 2, P_ICMP = 4, P_ALL = 7 };

/* What the words after "add", "del" or "flush" say. */
struct pool4_args {
	uint32_t mark;
	unsigned int protos;
	uint32_t addr;		/* host order */
	unsigned int plen;
	unsigned int port_min;
	unsigned int port_max;
	unsigned int block_size;	/* 0: not given */
	unsigned int max_blocks;	/* 0: not given */
	char subscribers[64];		/* "": not given */
	int has_prefix;
	int has_ports;
	int force;
	int quick;
	int csv;
};

/* pool4.c, for the files "nat64 -f" reads. */
void pool4_args_init(struct pool4_args *a);
int pool4_parse(int argc, char **argv, struct pool4_args *a, const char *op,
		char *why, size_t size);
const char *pool4_proto_name(unsigned int bit);
unsigned int pool4_proto_bit(const char *name);

#endif /* NAT64_TOOL_POOL4_H */
