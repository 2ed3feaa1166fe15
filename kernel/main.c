// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Module entry. The pool6= and pool4= parameters are a shortcut: they
 * create an instance named "default" in the network namespace that loads
 * the module, as in "modprobe nat64 pool6=64:ff9b::/96 pool4=192.0.2.2".
 */

#include <linux/inet.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "bib.h"
#include "debugfs.h"
#include "instance.h"

#define POOL4_PARAM_MAX 5
#define POOL4_PARAM_MIN_PLEN 24	/* more addresses than that is a typo */

static char *pool6;
module_param(pool6, charp, 0444);
MODULE_PARM_DESC(pool6, "IPv6 prefix of the default instance (RFC 6052), e.g. 64:ff9b::/96");

static char *pool4;
module_param(pool4, charp, 0444);
MODULE_PARM_DESC(pool4, "Up to 5 comma-separated IPv4 addresses or prefixes of the default instance's pool4 (ports 61001-65535)");

static const u8 pool4_protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };

static int parse_pool4_item(char *item, __be32 *prefix, u8 *plen)
{
	unsigned int len = 32;
	const char *end;
	u32 mask;

	if (!in4_pton(item, -1, (u8 *)prefix, '/', &end) ||
	    (*end && *end != '/')) {
		pr_err("pool4: '%s' is not an IPv4 address or prefix\n", item);
		return -EINVAL;
	}
	if (*end == '/' && (kstrtouint(end + 1, 10, &len) || len > 32 ||
			    len < POOL4_PARAM_MIN_PLEN)) {
		pr_err("pool4: '%s': prefix length must be %u to 32\n", item,
		       POOL4_PARAM_MIN_PLEN);
		return -EINVAL;
	}
	mask = len ? ~0U << (32 - len) : 0;
	if (ntohl(*prefix) & ~mask) {
		pr_err("pool4: '%s': address bits beyond the prefix length must be zero\n",
		       item);
		return -EINVAL;
	}
	*plen = len;
	return 0;
}

/* Each address or prefix is lent for TCP, UDP and ICMP with mark 0. */
static int parse_pool4_param(const char *text, struct nat64_pool4 **result)
{
	__be32 prefixes[POOL4_PARAM_MAX];
	u8 plens[POOL4_PARAM_MAX];
	struct nat64_pool4 *pool;
	char *copy, *cursor, *item;
	unsigned int n = 0, i, p;
	int err = 0;

	copy = kstrdup(text, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cursor = copy;
	while ((item = strsep(&cursor, ","))) {
		item = strim(item);
		if (n == POOL4_PARAM_MAX) {
			pr_err("pool4: at most %u addresses or prefixes\n",
			       POOL4_PARAM_MAX);
			err = -EINVAL;
			break;
		}
		err = parse_pool4_item(item, &prefixes[n], &plens[n]);
		if (err)
			break;
		n++;
	}
	kfree(copy);
	if (err)
		return err;

	pool = nat64_pool4_alloc(n * ARRAY_SIZE(pool4_protos));
	if (!pool)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		for (p = 0; p < ARRAY_SIZE(pool4_protos); p++) {
			struct nat64_pool4_range *r;

			r = &pool->ranges[i * ARRAY_SIZE(pool4_protos) + p];
			r->proto = pool4_protos[p];
			r->prefix = prefixes[i];
			r->plen = plens[i];
			r->port_min = NAT64_POOL4_PORT_MIN_DEFAULT;
			r->port_max = NAT64_POOL4_PORT_MAX_DEFAULT;
		}
	}
	*result = pool;
	return 0;
}

static int create_default_instance(void)
{
	struct nat64_instance_config cfg = { .name = "default" };
	const char *why;
	int err;

	if (!pool6) {
		pr_err("pool4: needs pool6 as well\n");
		return -EINVAL;
	}
	err = nat64_prefix6_parse(pool6, &cfg.pool6, &why);
	if (err) {
		pr_err("pool6: '%s': %s\n", pool6, why);
		return err;
	}
	if (pool4) {
		err = parse_pool4_param(pool4, &cfg.pool4);
		if (err)
			return err;
	} else {
		cfg.pool4 = nat64_pool4_alloc(0);
		if (!cfg.pool4)
			return -ENOMEM;
	}
	err = nat64_instance_create(current->nsproxy->net_ns, &cfg);
	if (err)
		pr_err("default instance: cannot create (%d)\n", err);
	return err;
}

static int __init nat64_init(void)
{
	int err;

	err = nat64_bib_cache_init();
	if (err)
		return err;
	nat64_debugfs_init();
	err = nat64_instance_register();
	if (err)
		goto err_register;
	if (pool6 || pool4) {
		err = create_default_instance();
		if (err)
			goto err_default;
	}
	return 0;

err_default:
	nat64_instance_unregister();
err_register:
	nat64_debugfs_exit();
	nat64_bib_cache_exit();
	return err;
}

static void __exit nat64_exit(void)
{
	nat64_instance_unregister();
	nat64_debugfs_exit();
	nat64_bib_cache_exit();
}

module_init(nat64_init);
module_exit(nat64_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Stateful NAT64 translator (RFC 6146)");
MODULE_AUTHOR("The nat64 authors");
