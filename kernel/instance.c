// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Translator instances. At most one per network namespace, because an
 * instance owns that namespace's PREROUTING hooks for pool6 and pool4.
 * An instance does not pin its namespace: it dies in the namespace's
 * exit, or when removed, or when the module goes.
 */

#include <linux/mutex.h>
#include <linux/netfilter_ipv4.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/netns/generic.h>

#include "debugfs.h"
#include "instance.h"
#include "translate.h"

/*
 * After the mangle chains, so that a "meta mark set" rule in an nftables
 * prerouting chain of priority mangle decides the pool4 entries to use;
 * before destination NAT, so that nothing rewrites pool6 destinations.
 */
#define NAT64_HOOK_PRIORITY (NF_IP_PRI_MANGLE + 10)

struct nat64_net {
	struct nat64_instance *instance;	/* under instances_lock */
};

static unsigned int nat64_net_id __read_mostly;
static DEFINE_MUTEX(instances_lock);
static LIST_HEAD(instances);
/* Retires removed instances once no packet can be using them. */
static struct workqueue_struct *retire_wq;

static struct nat64_instance *find_by_name(const char *name)
{
	struct nat64_instance *inst;

	list_for_each_entry(inst, &instances, list)
		if (!strcmp(inst->name, name))
			return inst;
	return NULL;
}

static void init_hook(struct nf_hook_ops *ops, u8 pf, nf_hookfn *fn,
		      struct nat64_instance *inst)
{
	ops->hook = fn;
	ops->pf = pf;
	ops->hooknum = NF_INET_PRE_ROUTING;
	ops->priority = NAT64_HOOK_PRIORITY;
	ops->priv = inst;
}

static void instance_retire(struct work_struct *work);

/* Defragmentation hands whole packets to the hooks (RFC 6146 3.4). */
static int enable_defrag(struct net *net)
{
	int err = nf_defrag_ipv4_enable(net);

	if (err)
		return err;
	err = nf_defrag_ipv6_enable(net);
	if (err)
		nf_defrag_ipv4_disable(net);
	return err;
}

static void disable_defrag(struct net *net)
{
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}

static struct nat64_instance *instance_alloc(struct net *net,
					     const struct nat64_instance_config *cfg)
{
	struct nat64_instance *inst;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return NULL;
	kref_init(&inst->ref);
	strscpy(inst->name, cfg->name, sizeof(inst->name));
	inst->net = net;
	inst->net_inum = net->ns.inum;
	inst->pool6 = cfg->pool6;
	RCU_INIT_POINTER(inst->pool4, cfg->pool4);
	inst->settings = cfg->settings ? *cfg->settings :
					 nat64_default_settings;
	nat64_synhold_init(&inst->synhold);
	INIT_RCU_WORK(&inst->retire_work, instance_retire);
	init_hook(&inst->hooks[0], NFPROTO_IPV6, nat64_hook6, inst);
	init_hook(&inst->hooks[1], NFPROTO_IPV4, nat64_hook4, inst);
	return inst;
}

static void instance_free(struct nat64_instance *inst)
{
	nat64_pool4_free(rcu_dereference_protected(inst->pool4, true));
	kfree(inst);
}

void nat64_instance_get(struct nat64_instance *inst)
{
	kref_get(&inst->ref);
}

/* The last reference frees the tables; no packet can reach them by then. */
static void instance_release(struct kref *ref)
{
	struct nat64_instance *inst = container_of(ref, struct nat64_instance,
						   ref);

	nat64_bib_destroy(&inst->bib);
	nat64_scope_cache_destroy(&inst->scope);
	nat64_stats_destroy(&inst->stats);
	instance_free(inst);
}

void nat64_instance_put(struct nat64_instance *inst)
{
	kref_put(&inst->ref, instance_release);
}

/**
 * nat64_instance_create() - start translating in a network namespace
 * @net: the namespace whose traffic the instance translates
 * @cfg: name, pool6 and pool4; the instance takes over @cfg->pool4, and
 *       frees it on failure too
 * @instp: if not NULL, where to put the new instance, with a reference
 *         the caller puts
 *
 * Return: 0, -EEXIST if @net or the name already has an instance, or
 * another negative errno; on failure nothing stays registered.
 */
int nat64_instance_create(struct net *net,
			  const struct nat64_instance_config *cfg,
			  struct nat64_instance **instp)
{
	struct nat64_net *nn = net_generic(net, nat64_net_id);
	struct nat64_instance *inst;
	int err;

	inst = instance_alloc(net, cfg);
	if (!inst) {
		nat64_pool4_free(cfg->pool4);
		return -ENOMEM;
	}

	mutex_lock(&instances_lock);
	err = -EEXIST;
	if (nn->instance || find_by_name(inst->name))
		goto err_unlock;
	err = nat64_stats_init(&inst->stats);
	if (err)
		goto err_unlock;
	err = nat64_scope_cache_init(&inst->scope);
	if (err)
		goto err_scope;
	err = nat64_bib_init(&inst->bib);
	if (err)
		goto err_bib;
	err = enable_defrag(net);
	if (err)
		goto err_defrag;
	err = nf_register_net_hooks(net, inst->hooks, ARRAY_SIZE(inst->hooks));
	if (err)
		goto err_hooks;
	nat64_debugfs_add(inst);
	nat64_bib_start_gc(&inst->bib);
	nn->instance = inst;
	list_add(&inst->list, &instances);
	if (instp) {
		nat64_instance_get(inst);
		*instp = inst;
	}
	mutex_unlock(&instances_lock);
	pr_info("instance %s: pool6 %pI6c/%u\n", inst->name,
		&inst->pool6.addr, inst->pool6.len);
	return 0;

err_hooks:
	disable_defrag(net);
err_defrag:
	nat64_bib_destroy(&inst->bib);
err_bib:
	nat64_scope_cache_destroy(&inst->scope);
err_scope:
	nat64_stats_destroy(&inst->stats);
err_unlock:
	mutex_unlock(&instances_lock);
	instance_free(inst);
	return err;
}

/*
 * Under instances_lock: nobody finds @inst by name any more, and the name
 * is free for a new instance. Its namespace stays taken until
 * instance_shutdown(), which the caller runs next, with the lock dropped
 * and the namespace alive.
 */
static void instance_unpublish(struct nat64_instance *inst)
{
	WRITE_ONCE(inst->dead, true);
	list_del(&inst->list);
	nat64_debugfs_remove(inst);	/* its name may be reused at once */
}

/*
 * Takes the hooks away and frees the namespace for a new instance.
 * Packets already inside a hook go on with what they hold: nothing they
 * use is freed before a grace period (instance_retire()), and nothing
 * here waits for one, so the configuration request that removes an
 * instance returns at once.
 */
static void instance_shutdown(struct nat64_instance *inst)
{
	struct net *net = inst->net;
	struct nat64_net *nn = net_generic(net, nat64_net_id);

	nf_unregister_net_hooks(net, inst->hooks, ARRAY_SIZE(inst->hooks));
	disable_defrag(net);
	WRITE_ONCE(inst->net, NULL);
	mutex_lock(&instances_lock);
	nn->instance = NULL;
	mutex_unlock(&instances_lock);
	pr_info("instance %s: removed\n", inst->name);
	queue_rcu_work(retire_wq, &inst->retire_work);
}

/* A grace period after the hooks went: no packet can reach @inst. */
static void instance_retire(struct work_struct *work)
{
	struct nat64_instance *inst = container_of(to_rcu_work(work),
						   struct nat64_instance,
						   retire_work);

	nat64_synhold_stop(&inst->synhold);
	nat64_bib_stop_gc(&inst->bib);
	nat64_instance_put(inst);
}

/**
 * nat64_instance_find() - look an instance up by name
 * @name: its name
 *
 * Return: the instance with a reference the caller puts, or NULL.
 */
struct nat64_instance *nat64_instance_find(const char *name)
{
	struct nat64_instance *inst;

	mutex_lock(&instances_lock);
	inst = find_by_name(name);
	if (inst)
		nat64_instance_get(inst);
	mutex_unlock(&instances_lock);
	return inst;
}

/**
 * nat64_instance_find_net() - the instance of a network namespace
 * @net: the namespace
 *
 * Return: the instance with a reference the caller puts, or NULL.
 */
struct nat64_instance *nat64_instance_find_net(struct net *net)
{
	struct nat64_net *nn = net_generic(net, nat64_net_id);
	struct nat64_instance *inst;

	mutex_lock(&instances_lock);
	inst = nn->instance;
	if (inst && !inst->dead)
		nat64_instance_get(inst);
	else
		inst = NULL;	/* none, or one being shut down */
	mutex_unlock(&instances_lock);
	return inst;
}

/**
 * nat64_instance_stop() - remove an instance the caller holds
 * @inst: the instance, referenced by the caller, maybe dead already
 *
 * Return: its namespace with a reference, to start it again there, or
 * NULL if the namespace is going away or the instance was dead. A
 * namespace going away removes its instance itself (nat64_net_exit()):
 * this leaves it to that, which must find it still published.
 */
struct net *nat64_instance_stop(struct nat64_instance *inst)
{
	struct net *net = NULL;

	mutex_lock(&instances_lock);
	if (!inst->dead)
		net = maybe_get_net(inst->net);
	if (net)
		instance_unpublish(inst);
	mutex_unlock(&instances_lock);
	/* The reference keeps the namespace alive through the shutdown. */
	if (net)
		instance_shutdown(inst);
	return net;
}

/**
 * nat64_instance_set_pool4() - replace an instance's pool4
 * @inst: the instance, referenced by the caller
 * @pool: the new pool, which the instance takes over (freed on error)
 * @quick: leave the state that used removed transport addresses to expire
 *         instead of removing it now
 *
 * Packets see the old pool or the new one, never a mix.
 * Return: 0, or -ENODEV if the instance is gone.
 */
int nat64_instance_set_pool4(struct nat64_instance *inst,
			     struct nat64_pool4 *pool, bool quick)
{
	struct nat64_pool4 *old;
	struct net *net = NULL;

	mutex_lock(&instances_lock);
	if (inst->dead) {
		mutex_unlock(&instances_lock);
		nat64_pool4_free(pool);
		return -ENODEV;
	}
	net = maybe_get_net(inst->net);
	mutex_unlock(&instances_lock);
	/*
	 * Not under instances_lock: a purge sweeps every session. The
	 * reference keeps the namespace (and what the purge's events are
	 * sent to) alive. A namespace on its way out takes the instance
	 * and its tables with it: the pool changes, nothing is swept. An
	 * instance removed meanwhile frees whichever pool it holds last.
	 */
	old = nat64_bib_replace_pool4(inst, pool, net && !quick);
	if (net)
		put_net(net);
	kfree_rcu(old, rcu);
	return 0;
}

static void __net_exit nat64_net_exit(struct net *net)
{
	struct nat64_net *nn = net_generic(net, nat64_net_id);

	struct nat64_instance *inst;

	mutex_lock(&instances_lock);
	inst = nn->instance;
	if (inst && !inst->dead)
		instance_unpublish(inst);
	else
		inst = NULL;	/* none, or a stop already shuts it down */
	mutex_unlock(&instances_lock);
	if (inst)
		instance_shutdown(inst);
}

static struct pernet_operations nat64_net_ops = {
	.exit = nat64_net_exit,
	.id = &nat64_net_id,
	.size = sizeof(struct nat64_net),
};

int nat64_instance_register(void)
{
	int err;

	retire_wq = alloc_workqueue("nat64_retire", WQ_UNBOUND, 0);
	if (!retire_wq)
		return -ENOMEM;
	err = register_pernet_subsys(&nat64_net_ops);
	if (err)
		destroy_workqueue(retire_wq);
	return err;
}

/* Destroys every instance, through each namespace's exit. */
void nat64_instance_unregister(void)
{
	unregister_pernet_subsys(&nat64_net_ops);
	rcu_barrier();			/* the retirements' RCU callbacks */
	destroy_workqueue(retire_wq);	/* and their work */
}
