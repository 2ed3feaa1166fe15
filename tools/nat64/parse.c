// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * A configuration file, as "nat64 save" prints it and "nat64 -f" reads
 * it: one command of this tool a line, without the leading "nat64":
 *
 *   flush
 *   instance add NAME [ netns NETNS ] [ pool6 PREFIX ] [ enable ]
 *   -i NAME settings set SETTING VALUE
 *   -i NAME pool4 add PREFIX [ ports MIN-MAX ] [ mark N ] [ proto P ] [ force ]
 *   -i NAME bib add PROTO IPV6#PORT IPV4#PORT
 *
 * The lines change a model, which starts as the running configuration
 * ("flush" empties it); nothing is written to the kernel here. When the
 * file is read whole, the model is checked as the kernel would check it
 * (cfg_check), each fault named FILE:LINE.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "netns.h"
#include "pool4.h"

#define MAX_WORDS 64

struct line_ctx {
	struct cfg *cfg;
	const char *instance;	/* -i, or NULL */
	int line;
	char why[320];
};

static int fail(struct line_ctx *c, const char *fmt, const char *a,
		const char *b)
{
	snprintf(c->why, sizeof(c->why), fmt, a, b);
	return -1;
}

/* Words split at white space; a '#' word starts a comment. */
static int split(char *text, char **words)
{
	int n = 0;
	char *w;

	for (w = strtok(text, " \t\r\n"); w; w = strtok(NULL, " \t\r\n")) {
		if (w[0] == '#')
			break;
		if (n == MAX_WORDS)
			return -1;
		words[n++] = w;
	}
	return n;
}

static struct cfg_instance *line_instance(struct line_ctx *c, const char *what)
{
	struct cfg_instance *ci;

	if (!c->instance) {
		fail(c, "say which instance: -i NAME %s ...", what, NULL);
		return NULL;
	}
	ci = cfg_find(c->cfg, c->instance);
	if (!ci)
		fail(c, "no instance '%s' (add it above this line: instance add %s ...)",
		     c->instance, c->instance);
	return ci;
}

static int set_netns(struct line_ctx *c, struct cfg_instance *ci,
		     const char *word)
{
	const char *why;

	if (netns_path(word, ci->netns_path, sizeof(ci->netns_path)))
		return fail(c, "netns '%s' is not a name or a path", word, NULL);
	if (c->cfg->offline)
		return 0;
	if (netns_inum(ci->netns_path, &ci->netns, &why))
		return fail(c, "netns '%s': %s", word, why);
	ci->netns_line = c->line;
	return 0;
}

/* The words of "instance add" and "instance set", in order. */
static int instance_words(struct line_ctx *c, struct cfg_instance *ci,
			  int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(w, "enable") || !strcmp(w, "disable")) {
			ci->enabled = w[0] == 'e';
			ci->enabled_line = c->line;
			continue;
		}
		if (strcmp(w, "netns") && strcmp(w, "pool6"))
			return fail(c, "instance: '%s' is not netns, pool6, enable or disable",
				    w, NULL);
		if (!v)
			return fail(c, "instance: '%s' needs a value", w, NULL);
		i++;
		if (!strcmp(w, "netns") && set_netns(c, ci, v))
			return -1;
		if (!strcmp(w, "pool6")) {
			if (pool6_check(v, ci, c->why, sizeof(c->why)))
				return -1;
			ci->pool6_line = c->line;
		}
	}
	return 0;
}

static int valid_name(const char *name)
{
	return *name && strlen(name) < NAT64_NAME_MAX && !strchr(name, '/') &&
	       name[0] != '.';
}

static int line_instance_cmd(struct line_ctx *c, int argc, char **argv)
{
	struct cfg_instance *ci;

	if (argc < 2)
		return fail(c, "instance: expected add, set or del, and a NAME", NULL, NULL);
	ci = cfg_find(c->cfg, argv[1]);
	if (!strcmp(argv[0], "add")) {
		if (!valid_name(argv[1]))
			return fail(c, "instance name '%s': 1 to 15 characters, no '/', not starting with '.'",
				    argv[1], NULL);
		if (ci)
			return fail(c, "instance %s exists already (begin the file with flush, or change it with: instance set %s ...)",
				    argv[1], argv[1]);
		ci = cfg_add(c->cfg, argv[1]);
		if (!ci)
			return fail(c, "out of memory", NULL, NULL);
		ci->line = c->line;
		return instance_words(c, ci, argc - 2, argv + 2);
	}
	if (!ci)
		return fail(c, "no instance '%s' (add it above this line: instance add %s ...)",
			    argv[1], argv[1]);
	if (!strcmp(argv[0], "set"))
		return instance_words(c, ci, argc - 2, argv + 2);
	if (!strcmp(argv[0], "del") && argc == 2) {
		cfg_del(c->cfg, ci);
		return 0;
	}
	return fail(c, "instance: expected add, set or del, and a NAME", NULL, NULL);
}

static int line_settings(struct line_ctx *c, int argc, char **argv)
{
	struct cfg_instance *ci = line_instance(c, "settings");
	uint32_t value;
	int i, id;

	if (!ci)
		return -1;
	if (argc < 3 || (argc - 1) % 2 || strcmp(argv[0], "set"))
		return fail(c, "settings: expected set SETTING VALUE [ SETTING VALUE ]...",
			    NULL, NULL);
	for (i = 1; i < argc; i += 2) {
		id = setting_find(argv[i]);
		if (id < 0)
			return fail(c, "settings: no setting '%s' (nat64 settings help lists them)",
				    argv[i], NULL);
		if (setting_parse(id, argv[i + 1], &value, c->why, sizeof(c->why)))
			return -1;
		ci->settings[id] = value;
	}
	return 0;
}

static int pool4_checks(struct line_ctx *c, const struct pool4_args *a)
{
	if (!a->has_prefix)
		return fail(c, "pool4 add: which prefix?", NULL, NULL);
	if (a->plen < FORCE_PLEN && !a->force)
		return fail(c, "pool4 add: a prefix shorter than /24 lends more than 256 addresses; add 'force' if you mean it",
			    NULL, NULL);
	if (a->port_min == 0 && (a->protos & (P_TCP | P_UDP)))
		return fail(c, "pool4 add: port 0 cannot be lent for TCP or UDP; start the range at 1 (or say proto icmp)",
			    NULL, NULL);
	return 0;
}

/* One model entry per protocol, as "nat64 pool4 add" makes them. */
static int line_pool4(struct line_ctx *c, int argc, char **argv)
{
	static const unsigned int bits[] = { P_TCP, P_UDP, P_ICMP };
	struct cfg_instance *ci = line_instance(c, "pool4");
	struct cfg_pool4 e = { .line = c->line };
	struct pool4_args a;
	size_t b;

	if (!ci)
		return -1;
	if (argc == 1 && !strcmp(argv[0], "flush")) {
		ci->npool4 = 0;
		return 0;
	}
	if (!argc || strcmp(argv[0], "add"))
		return fail(c, "pool4: a file can say add or flush only", NULL, NULL);
	pool4_args_init(&a);
	if (pool4_parse(argc - 1, argv + 1, &a, "add", c->why, sizeof(c->why)) ||
	    pool4_checks(c, &a))
		return -1;
	if (a.quick || a.csv)
		return fail(c, "pool4 add: '%s' has no meaning here", a.quick ? "quick" : "csv", NULL);
	e.mark = a.mark;
	e.addr = a.addr;
	e.plen = a.plen;
	e.port_min = a.port_min;
	e.port_max = a.port_max;
	e.lend = a.lend;
	for (b = 0; b < 3; b++) {
		if (!(a.protos & bits[b]))
			continue;
		e.protos = bits[b];
		if (cfg_add_pool4(ci, &e))
			return fail(c, "out of memory", NULL, NULL);
	}
	return 0;
}

static int line_bib(struct line_ctx *c, int argc, char **argv)
{
	struct cfg_instance *ci = line_instance(c, "bib");
	struct cfg_bib b = { .line = c->line };

	if (!ci)
		return -1;
	if (argc != 4 || strcmp(argv[0], "add"))
		return fail(c, "bib: expected add { tcp | udp | icmp } IPV6#PORT IPV4#PORT",
			    NULL, NULL);
	if (!strcmp(argv[1], "tcp"))
		b.proto = IPPROTO_TCP;
	else if (!strcmp(argv[1], "udp"))
		b.proto = IPPROTO_UDP;
	else if (!strcmp(argv[1], "icmp"))
		b.proto = IPPROTO_ICMP;
	else
		return fail(c, "bib add: '%s' is not tcp, udp or icmp", argv[1], NULL);
	if (taddr_parse(argv[2], AF_INET6, &b.addr6, &b.port6))
		return fail(c, "bib add: '%s' is not IPV6#PORT", argv[2], NULL);
	if (taddr_parse(argv[3], AF_INET, &b.addr4, &b.port4))
		return fail(c, "bib add: '%s' is not IPV4#PORT", argv[3], NULL);
	return cfg_add_bib(ci, &b) ? fail(c, "out of memory", NULL, NULL) : 0;
}

/* One line's words: its -i option, then an object and its command. */
static int parse_line(struct line_ctx *c, int argc, char **argv)
{
	int i = 0;

	c->instance = NULL;
	while (i < argc && argv[i][0] == '-') {
		if ((strcmp(argv[i], "-i") && strcmp(argv[i], "--instance")) ||
		    i + 1 >= argc)
			return fail(c, "'%s': a line takes only the option -i NAME",
				    argv[i], NULL);
		c->instance = argv[i + 1];
		i += 2;
	}
	if (i == argc)
		return fail(c, "a command is missing after the options", NULL, NULL);
	argc -= i + 1;
	argv += i;
	if (!strcmp(argv[0], "flush") && !argc && !c->instance) {
		cfg_free(c->cfg);
		return 0;
	}
	if (!strcmp(argv[0], "instance"))
		return line_instance_cmd(c, argc, argv + 1);
	if (!strcmp(argv[0], "settings"))
		return line_settings(c, argc, argv + 1);
	if (!strcmp(argv[0], "pool4"))
		return line_pool4(c, argc, argv + 1);
	if (!strcmp(argv[0], "bib"))
		return line_bib(c, argc, argv + 1);
	return fail(c, "'%s': a file can say flush, instance, settings, pool4 or bib",
		    argv[0], NULL);
}

/**
 * cfg_parse() - apply a file's lines to a model
 * @in: the file
 * @file: its name, for messages
 * @cfg: the model: the running configuration, changed in place
 *
 * Return: 0, or -1 with "FILE:LINE: what is wrong" printed.
 */
int cfg_parse(FILE *in, const char *file, struct cfg *cfg)
{
	struct line_ctx c = { .cfg = cfg };
	char text[4096], *words[MAX_WORDS];
	int n;

	while (fgets(text, sizeof(text), in)) {
		c.line++;
		if (!strchr(text, '\n') && !feof(in)) {
			fprintf(stderr, "%s:%d: the line is longer than %zu characters\n",
				file, c.line, sizeof(text) - 2);
			return -1;
		}
		n = split(text, words);
		if (n < 0) {
			fprintf(stderr, "%s:%d: more than %d words\n", file,
				c.line, MAX_WORDS);
			return -1;
		}
		if (n && parse_line(&c, n, words)) {
			fprintf(stderr, "%s:%d: %s\n", file, c.line, c.why);
			return -1;
		}
	}
	if (ferror(in)) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return -1;
	}
	return 0;
}
