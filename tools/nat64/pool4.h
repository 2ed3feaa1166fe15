/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_POOL4_H
#define NAT64_TOOL_POOL4_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define PORT_MIN_DEFAULT 61001
#define PORT_MAX_DEFAULT 65535
#define FORCE_PLEN 24
#define MAX_BLOCKS_DEFAULT 4	/* the kernel's, when block-size alone is given */

enum { P_TCP = 1, P_UDP = 2, P_ICMP = 4, P_ALL = 7 };

/*
 * How an entry lends its ports: one by one (block_size 0, not
 * deterministic), in blocks of block_size to at most max_blocks per
 * subscriber, or by a fixed function of the subscriber prefixes of
 * subs/subs_len (RFC 7422). max_blocks is 0 unless block_size is set.
 */
struct pool4_lending {
	unsigned int block_size;
	unsigned int max_blocks;
	int deterministic;
	struct in6_addr subs;
	unsigned int subs_len;
};

/* What the words after "add", "del" or "flush" say. */
struct pool4_args {
	uint32_t mark;
	unsigned int protos;
	uint32_t addr;		/* host order */
	unsigned int plen;
	unsigned int port_min;
	unsigned int port_max;
	struct pool4_lending lend;	/* all zero: per port */
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
int pool4_prefix6_parse(const char *text, struct in6_addr *addr,
			unsigned int *len);
int pool4_lending_read(const char *block_size, const char *max_blocks,
		       const char *subscribers, struct pool4_lending *l);
int pool4_lending_same(const struct pool4_lending *a,
		       const struct pool4_lending *b);
void pool4_lending_print(char *buf, size_t size, const struct pool4_lending *l);
#define POOL4_SUBS_LEN (INET6_ADDRSTRLEN + 4)	/* "ADDR/LEN" */
void pool4_subs_format(char *buf, size_t size, const struct pool4_lending *l);

/* lookup.c: "pool4 lookup", the deterministic shares of RFC 7422. */
struct nat64_opts;
int pool4_lookup(const struct nat64_opts *opts, int argc, char **argv);

#endif /* NAT64_TOOL_POOL4_H */
