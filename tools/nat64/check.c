// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The model a file made, checked whole as the kernel will check each
 * write (kernel/configfs.c, kernel/bib.c): a file the kernel would
 * refuse halfway is refused before anything is written.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "pool4.h"

/* "FILE:LINE: " for what a file said, "FILE: " for what was running. */
static void where(const char *file, int line, const struct cfg_instance *ci)
{
	if (line)
		fprintf(stderr, "%s:%d: ", file, line);
	else
		fprintf(stderr, "%s: instance %s, as it runs: ", file, ci->name);
}

static int check_instance(const struct cfg *cfg, size_t i, const char *file)
{
	const struct cfg_instance *ci = &cfg->inst[i], *other;
	int line = ci->enabled_line ?: ci->line;
	size_t j;

	if (!ci->enabled)
		return 0;
	if (!ci->has_pool6) {
		where(file, line, ci);
		fprintf(stderr, "instance %s cannot be enabled without pool6\n",
			ci->name);
		return -1;
	}
	if (!ci->netns) {
		where(file, line, ci);
		fprintf(stderr, "instance %s cannot be enabled: its network namespace is gone (say netns NETNS)\n",
			ci->name);
		return -1;
	}
	for (j = 0; j < i; j++) {
		other = &cfg->inst[j];
		if (other->enabled && other->netns == ci->netns) {
			where(file, line, ci);
			fprintf(stderr, "instance %s: its network namespace has instance %s enabled already (one per namespace)\n",
				ci->name, other->name);
			return -1;
		}
	}
	return 0;
}

static int pool4_overlap(const struct cfg_pool4 *a, const struct cfg_pool4 *b)
{
	uint64_t a_first = a->addr, a_last = a_first + (1ULL << (32 - a->plen)) - 1;
	uint64_t b_first = b->addr, b_last = b_first + (1ULL << (32 - b->plen)) - 1;

	return a->mark == b->mark && (a->protos & b->protos) &&
	       a_first <= b_last && b_first <= a_last &&
	       a->port_min <= b->port_max && b->port_min <= a->port_max;
}

static int check_pool4(const struct cfg_instance *ci, const char *file)
{
	const struct cfg_pool4 *a, *b;
	size_t i, j;

	for (i = 0; i < ci->npool4; i++) {
		for (j = 0; j < i; j++) {
			a = &ci->pool4[j];
			b = &ci->pool4[i];
			if (!pool4_overlap(a, b))
				continue;
			where(file, b->line ?: a->line, ci);
			if (a->line && b->line && a->line != b->line)
				fprintf(stderr, "pool4 entry overlaps the one of line %d (same mark and protocol)\n",
					a->line);
			else if (a->line == b->line)
				fprintf(stderr, "pool4 entry is there already (same mark and protocol)\n");
			else
				fprintf(stderr, "pool4 entry overlaps one of instance %s (same mark and protocol; begin the file with flush?)\n",
					ci->name);
			return -1;
		}
	}
	return 0;
}

static unsigned int proto_bit(uint8_t proto)
{
	return proto == IPPROTO_TCP ? P_TCP : proto == IPPROTO_UDP ? P_UDP :
	       P_ICMP;
}

static int in_pool4(const struct cfg_instance *ci, const struct cfg_bib *b)
{
	uint32_t addr = ntohl(b->addr4.s_addr);
	const struct cfg_pool4 *e;
	size_t i;

	for (i = 0; i < ci->npool4; i++) {
		e = &ci->pool4[i];
		if ((e->protos & proto_bit(b->proto)) &&
		    (addr & (~0U << (32 - e->plen))) == e->addr)
			return 1;
	}
	return 0;
}

static int check_bib(const struct cfg_instance *ci, const char *file)
{
	const struct cfg_bib *a, *b;
	size_t i, j;

	for (i = 0; i < ci->nbib; i++) {
		b = &ci->bib[i];
		if (!ci->enabled) {
			where(file, b->line, ci);
			fprintf(stderr, "static BIB entries live in a running instance only: enable %s\n",
				ci->name);
			return -1;
		}
		if (!in_pool4(ci, b)) {
			where(file, b->line, ci);
			fprintf(stderr, "the IPv4 address is not in a pool4 entry of instance %s for that protocol\n",
				ci->name);
			return -1;
		}
		for (j = 0; j < i; j++) {
			a = &ci->bib[j];
			if (a->proto != b->proto)
				continue;
			if (!memcmp(&a->addr6, &b->addr6, sizeof(a->addr6)) &&
			    a->port6 == b->port6) {
				where(file, b->line ?: a->line, ci);
				fprintf(stderr, "the IPv6 transport address is mapped already\n");
				return -1;
			}
			if (a->addr4.s_addr == b->addr4.s_addr &&
			    a->port4 == b->port4) {
				where(file, b->line ?: a->line, ci);
				fprintf(stderr, "the IPv4 transport address is mapped already\n");
				return -1;
			}
		}
	}
	return 0;
}

/**
 * cfg_check() - would the kernel take this configuration?
 * @cfg: the model
 * @file: the file it came from, for messages
 *
 * Return: 0, or -1 with the first fault printed.
 */
int cfg_check(const struct cfg *cfg, const char *file)
{
	size_t i;

	for (i = 0; i < cfg->n; i++)
		if (check_instance(cfg, i, file) ||
		    check_pool4(&cfg->inst[i], file) ||
		    check_bib(&cfg->inst[i], file))
			return -1;
	return 0;
}
