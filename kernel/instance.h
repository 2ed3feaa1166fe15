/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_INSTANCE_H
#define _NAT64_INSTANCE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/workqueue.h>
#include <linux/netfilter.h>
#include <net/net_namespace.h>

#include "bib.h"
#include "pool4.h"
#include "pool6.h"
#include "scope.h"
#include "settings.h"
#include "stats.h"
#include "synhold.h"

#define NAT64_NAME_MAX 16

/*
 * A stateful NAT64 translator attached to one network namespace. It owns
 * its netfilter hooks, tables and counters; it dies with the namespace or
 * when removed, whichever comes first.
 */
struct nat64_instance {
	struct kref ref;			/* debugfs readers hold one */
	char name[NAT64_NAME_MAX];
	/* Not counted: see pernet exit. NULL once dead: READ_ONCE(). */
	struct net *net;
	unsigned int net_inum;			/* of @net, for display */
	struct nat64_prefix6 pool6;
	struct nat64_pool4 __rcu *pool4;
	struct nat64_settings settings;
	struct nat64_bib bib;
	struct nat64_stats stats;
	struct nat64_scope_cache scope;
	struct nat64_synhold synhold;
	struct nf_hook_ops hooks[2];
	struct dentry *debugfs;
	struct list_head list;			/* in nat64_instances */
	/* After its hooks are gone: what packets inside them may still use. */
	struct rcu_work retire_work;
	bool dead;		/* set under instances_lock; READ_ONCE() */
};

struct nat64_instance_config {
	const char *name;
	struct nat64_prefix6 pool6;
	struct nat64_pool4 *pool4;		/* taken over by the instance */
	const struct nat64_settings *settings;	/* NULL: the defaults */
};

int nat64_instance_create(struct net *net,
			  const struct nat64_instance_config *cfg,
			  struct nat64_instance **instp);
struct net *nat64_instance_stop(struct nat64_instance *inst);
struct nat64_instance *nat64_instance_find(const char *name);
struct nat64_instance *nat64_instance_find_net(struct net *net);
int nat64_instance_set_pool4(struct nat64_instance *inst,
			     struct nat64_pool4 *pool, bool quick);
void nat64_instance_get(struct nat64_instance *inst);
void nat64_instance_put(struct nat64_instance *inst);
int nat64_instance_register(void);
void nat64_instance_unregister(void);

static inline unsigned int nat64_timeout(const unsigned int *seconds)
{
	return READ_ONCE(*seconds) * HZ;
}

#endif /* _NAT64_INSTANCE_H */
