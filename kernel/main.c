// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Module entry. The pool6= and pool4= parameters are a shortcut: they
 * create an instance named "default" in the network namespace that loads
 * the module, as in "modprobe nat64 pool6=64:ff9b::/96 pool4=192.0.2.2".
 */

#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "bib.h"
#include "configfs.h"
#include "debugfs.h"
#include "instance.h"
#include "netlink.h"

#define POOL4_PARAM_MAX 5
#define POOL4_PARAM_MIN_PLEN 24	/* more addresses than that is a typo */

static char *pool6;
module_param(pool6, charp, 0444);
MODULE_PARM_DESC(pool6, "IPv6 prefix of the default instance (RFC 6052), e.g. 64:ff9b::/96");

static char *pool4;
module_param(pool4, charp, 0444);
MODULE_PARM_DESC(pool4, "Up to 5 comma-separated IPv4 addresses or prefixes of the default instance's pool4 (ports 61001-65535)");

static int parse_pool4_item(const char *item, struct nat64_pool4_range *r)
{
	const char *why;
	int err;

	err = nat64_pool4_parse_prefix(item, &r->prefix, &r->plen, &why);
	if (err) {
		pr_err("pool4: '%s': %s\n", item, why);
		return err;
	}
	if (r->plen < POOL4_PARAM_MIN_PLEN) {
		pr_err("pool4: '%s': prefix length must be %u to 32\n", item,
		       POOL4_PARAM_MIN_PLEN);
		return -EINVAL;
	}
	r->port_min = NAT64_POOL4_PORT_MIN_DEFAULT;
	r->port_max = NAT64_POOL4_PORT_MAX_DEFAULT;
	return 0;
}

/* Each address or prefix is lent for TCP, UDP and ICMP with mark 0. */
static int parse_pool4_param(const char *text,
			     struct nat64_pool4_range *ranges,
			     unsigned int *count)
{
	char *copy, *cursor, *item;
	unsigned int n = 0;
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
		err = parse_pool4_item(item, &ranges[n]);
		if (err)
			break;
		n++;
	}
	kfree(copy);
	*count = n;
	return err;
}

/* Made through configfs, so that the operator finds it there. */
static int create_default_instance(void)
{
	struct nat64_pool4_range ranges[POOL4_PARAM_MAX] = {};
	struct nat64_prefix6 prefix;
	unsigned int count = 0;
	const char *why;
	int err;

	if (!pool6) {
		pr_err("pool4: needs pool6 as well\n");
		return -EINVAL;
	}
	err = nat64_prefix6_parse(pool6, &prefix, &why);
	if (err) {
		pr_err("pool6: '%s': %s\n", pool6, why);
		return err;
	}
	if (pool4) {
		err = parse_pool4_param(pool4, ranges, &count);
		if (err)
			return err;
	}
	err = nat64_configfs_add_builtin(current->nsproxy->net_ns, "default",
					 &prefix, ranges, count);
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
	err = nat64_netlink_init();
	if (err)
		goto err_netlink;
	err = nat64_configfs_init();
	if (err)
		goto err_configfs;
	if (pool6 || pool4) {
		err = create_default_instance();
		if (err)
			goto err_default;
	}
	return 0;

err_default:
	nat64_configfs_exit();
err_configfs:
	nat64_netlink_exit();
err_netlink:
	nat64_instance_unregister();
err_register:
	nat64_debugfs_exit();
	nat64_bib_cache_exit();
	return err;
}

static void __exit nat64_exit(void)
{
	nat64_configfs_exit();
	nat64_netlink_exit();
	nat64_instance_unregister();
	nat64_debugfs_exit();
	nat64_bib_cache_exit();
}

module_init(nat64_init);
module_exit(nat64_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Stateful NAT64 translator (RFC 6146)");
MODULE_AUTHOR("The nat64 authors");
