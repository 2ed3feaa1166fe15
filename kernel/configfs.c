// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The configuration tree (Documentation/ABI/testing/configfs-nat64):
 *
 *   /sys/kernel/config/nat64/<instance>/
 *	netns pool6 enabled <one file per setting>
 *	pool4/<entry>/
 *		mark proto prefix ports block_size max_blocks subscribers
 *		force quick enabled
 *
 * mkdir makes an object with defaults, disabled. Attributes are written
 * while it is disabled; writing 1 to "enabled" validates the object and
 * makes it live in one step, so a half-written entry never reaches the
 * packet path. Settings are the exception: they apply to a running
 * instance at once. rmdir of an enabled pool4 entry removes its state
 * (BIB entries and sessions) unless "quick" says to let it expire.
 *
 * Every object here is serialised by one mutex; the packet path never
 * sees this file, only the pool4 snapshots and the instance it builds.
 */

#include <linux/configfs.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/nsproxy.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "configfs.h"
#include "instance.h"

#define POOL4_FORCE_PLEN 24	/* shorter prefixes need "force" */

/* The configuration of one instance, running or not. */
struct cfs_instance {
	struct config_group group;
	struct config_group pool4_group;
	struct list_head entries;		/* struct cfs_pool4 */
	struct net *net;			/* counted; while stopped */
	struct nat64_prefix6 pool6;
	bool has_pool6;
	struct nat64_settings settings;		/* kept while stopped */
	struct nat64_instance *inst;		/* counted; while running */
	bool builtin;				/* made by the module */
};

/* One pool4 entry: a prefix and port range for a mark and protocol. */
struct cfs_pool4 {
	struct config_group group;
	struct cfs_instance *parent;
	struct list_head list;			/* in parent->entries */
	struct nat64_pool4_range range;		/* proto 0: TCP, UDP, ICMP */
	bool has_prefix;
	bool force;
	bool quick;
	bool enabled;
};

static DEFINE_MUTEX(cfs_lock);
static const u8 all_protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };

static struct cfs_instance *to_instance(struct config_item *item)
{
	return container_of(to_config_group(item), struct cfs_instance, group);
}

static struct cfs_pool4 *to_pool4(struct config_item *item)
{
	return container_of(to_config_group(item), struct cfs_pool4, group);
}

/* Under cfs_lock. A namespace's death stops its instance behind our back. */
static bool instance_running(struct cfs_instance *ci)
{
	if (ci->inst && READ_ONCE(ci->inst->dead)) {
		nat64_instance_put(ci->inst);
		ci->inst = NULL;
	}
	return ci->inst;
}

static int parse_bool(const char *page, bool *value)
{
	return kstrtobool(page, value) ? -EINVAL : 0;
}

/* --- pool4 ------------------------------------------------------------ */

static unsigned int range_count(const struct cfs_pool4 *e)
{
	return e->range.proto ? 1 : ARRAY_SIZE(all_protos);
}

/* The snapshot the packet path uses: every enabled entry, expanded. */
static struct nat64_pool4 *pool4_build(struct cfs_instance *ci)
{
	struct nat64_pool4 *pool;
	struct cfs_pool4 *e;
	unsigned int n = 0, i;

	list_for_each_entry(e, &ci->entries, list)
		if (e->enabled)
			n += range_count(e);
	pool = nat64_pool4_alloc(n);
	if (!pool)
		return NULL;
	n = 0;
	list_for_each_entry(e, &ci->entries, list) {
		if (!e->enabled)
			continue;
		for (i = 0; i < range_count(e); i++) {
			pool->ranges[n] = e->range;
			if (!e->range.proto)
				pool->ranges[n].proto = all_protos[i];
			n++;
		}
	}
	return pool;
}

/* Hands the enabled entries to the running instance, if there is one. */
static int pool4_apply(struct cfs_instance *ci, bool quick)
{
	struct nat64_pool4 *pool;

	if (!instance_running(ci))
		return 0;
	pool = pool4_build(ci);
	if (!pool)
		return -ENOMEM;
	return nat64_instance_set_pool4(ci->inst, pool, quick);
}

/* Does @overlaps hold of @a and @b for one protocol they share? */
static bool ranges_overlap(const struct cfs_pool4 *a, const struct cfs_pool4 *b,
			   bool (*overlaps)(const struct nat64_pool4_range *,
					    const struct nat64_pool4_range *))
{
	struct nat64_pool4_range ra = a->range, rb = b->range;
	unsigned int i, j;

	for (i = 0; i < range_count(a); i++) {
		for (j = 0; j < range_count(b); j++) {
			if (!a->range.proto)
				ra.proto = all_protos[i];
			if (!b->range.proto)
				rb.proto = all_protos[j];
			if (overlaps(&ra, &rb))
				return true;
		}
	}
	return false;
}

static bool protos_meet(const struct cfs_pool4 *a, const struct cfs_pool4 *b)
{
	return !a->range.proto || !b->range.proto ||
	       a->range.proto == b->range.proto;
}

/*
 * Entries of one mark and protocol lend their ports the same way: a
 * flow's blocks may then be on any of them, and one max_blocks holds.
 */
static bool blocks_disagree(const struct cfs_pool4 *a,
			    const struct cfs_pool4 *b)
{
	return a->range.mark == b->range.mark && protos_meet(a, b) &&
	       (a->range.block_size != b->range.block_size ||
		(a->range.block_size &&
		 a->range.max_blocks != b->range.max_blocks));
}

/* Whatever the marks: a block's ports must be its subscriber's only. */
static bool ranges_share_ports(const struct cfs_pool4 *a,
			       const struct cfs_pool4 *b)
{
	struct cfs_pool4 other = *b;

	other.range.mark = a->range.mark;
	return ranges_overlap(a, &other, nat64_pool4_range_overlaps);
}

static const char *entry_name(struct cfs_pool4 *e)
{
	return config_item_name(&e->group.cg_item);
}

/*
 * Under cfs_lock: can @e's subscribers each have a share? It takes the
 * subscriber length now, which cannot change while it is live.
 */
static int pool4_validate_subs(struct cfs_pool4 *e)
{
	struct nat64_pool4_range *r = &e->range;
	const char *name = entry_name(e);
	struct nat64_det_geom g;

	r->sub_len = e->parent->settings.subscriber_prefix_len;
	if (r->subs_len > r->sub_len) {
		pr_err("pool4 %s: subscribers: /%u is longer than subscriber_prefix_len (%u)\n",
		       name, r->subs_len, r->sub_len);
		return -EINVAL;
	}
	nat64_pool4_det_geom(r, &g);
	switch (nat64_det_check(&g)) {
	case NAT64_DET_OK:
		return 0;
	case NAT64_DET_TOO_MANY:
		pr_err("pool4 %s: subscribers: /%u holds 2^%u subscribers of /%u; at most 2^%u\n",
		       name, r->subs_len, g.sub_bits, r->sub_len,
		       NAT64_DET_MAX_SUB_BITS);
		return -E2BIG;
	case NAT64_DET_FEW_PORTS:
		pr_err("pool4 %s: subscribers: %llu subscribers (/%u of /%u) on %llu addresses of %u ports is %u ports each; at least %u are needed\n",
		       name, nat64_det_subscribers(&g), r->sub_len,
		       r->subs_len, 1ULL << g.addr_bits, nat64_det_ports(&g),
		       nat64_det_block(&g), NAT64_DET_MIN_PORTS);
		return -ERANGE;
	default:
		pr_err("pool4 %s: subscribers: the prefix or ports cannot be mapped\n",
		       name);
		return -EINVAL;
	}
}

/* Under cfs_lock: can @e go live as it is written? */
static int pool4_validate(struct cfs_pool4 *e)
{
	const char *name = entry_name(e);
	struct cfs_pool4 *other;

	if (!e->has_prefix) {
		pr_err("pool4 %s: prefix: not set\n", name);
		return -EINVAL;
	}
	if (e->range.port_min > e->range.port_max) {
		pr_err("pool4 %s: ports: %u-%u is reversed\n", name,
		       e->range.port_min, e->range.port_max);
		return -EINVAL;
	}
	if (e->range.port_min == 0 && e->range.proto != IPPROTO_ICMP) {
		pr_err("pool4 %s: ports: port 0 cannot be lent for TCP or UDP\n",
		       name);
		return -EINVAL;
	}
	if (e->range.plen < POOL4_FORCE_PLEN && !e->force) {
		pr_err("pool4 %s: prefix: /%u is %u addresses; write 1 to force to lend that many\n",
		       name, e->range.plen, 1U << (32 - e->range.plen));
		return -E2BIG;
	}
	if (e->range.block_size && e->range.deterministic) {
		pr_err("pool4 %s: block_size: an entry with subscribers (deterministic) lends no blocks\n",
		       name);
		return -EINVAL;
	}
	if (e->range.block_size &&
	    e->range.block_size > e->range.port_max - e->range.port_min + 1) {
		pr_err("pool4 %s: block_size: %u is more than the %u ports\n",
		       name, e->range.block_size,
		       e->range.port_max - e->range.port_min + 1);
		return -EINVAL;
	}
	list_for_each_entry(other, &e->parent->entries, list) {
		if (other == e || !other->enabled)
			continue;
		if (ranges_overlap(e, other, nat64_pool4_range_overlaps)) {
			pr_err("pool4 %s: overlaps entry %s (same mark and protocol)\n",
			       name, entry_name(other));
			return -EEXIST;
		}
		if (blocks_disagree(e, other)) {
			pr_err("pool4 %s: block_size, max_blocks: entry %s serves the same mark and protocol with other ones\n",
			       name, entry_name(other));
			return -EINVAL;
		}
		if ((e->range.block_size || other->range.block_size) &&
		    ranges_share_ports(e, other)) {
			pr_err("pool4 %s: block_size: shares transport addresses with entry %s (of another mark); port blocks share none\n",
			       name, entry_name(other));
			return -EEXIST;
		}
		if (ranges_overlap(e, other, nat64_pool4_subs_overlap)) {
			pr_err("pool4 %s: subscribers: overlap those of entry %s (same mark and protocol)\n",
			       name, entry_name(other));
			return -EEXIST;
		}
	}
	return e->range.deterministic ? pool4_validate_subs(e) : 0;
}

static int pool4_set_enabled(struct cfs_pool4 *e, bool enable)
{
	int err;

	if (enable == e->enabled)
		return 0;
	if (enable) {
		err = pool4_validate(e);
		if (err)
			return err;
	}
	e->enabled = enable;
	err = pool4_apply(e->parent, e->quick);
	if (err) {
		e->enabled = !enable;
		pr_err("pool4 %s: enabled: cannot update the instance (%d)\n",
		       entry_name(e), err);
	}
	return err;
}

/* Under cfs_lock: the fields that describe an entry are frozen while live. */
static int pool4_writable(struct cfs_pool4 *e, const char *attr)
{
	if (!e->enabled)
		return 0;
	pr_err("pool4 %s: %s: the entry is enabled; write 0 to enabled first\n",
	       entry_name(e), attr);
	return -EBUSY;
}

static ssize_t pool4_mark_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(to_pool4(item)->range.mark));
}

static ssize_t pool4_mark_store(struct config_item *item, const char *page,
				size_t count)
{
	struct cfs_pool4 *e = to_pool4(item);
	u32 mark;
	int err;

	if (kstrtou32(page, 0, &mark)) {
		pr_err("pool4 %s: mark: '%.*s' is not a number from 0 to 4294967295\n",
		       entry_name(e), (int)strcspn(page, "\n"), page);
		return -EINVAL;
	}
	mutex_lock(&cfs_lock);
	err = pool4_writable(e, "mark");
	if (!err)
		e->range.mark = mark;
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

static const char *proto_name(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	}
	return "all";
}

static ssize_t pool4_proto_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n",
			  proto_name(READ_ONCE(to_pool4(item)->range.proto)));
}

static ssize_t pool4_proto_store(struct config_item *item, const char *page,
				 size_t count)
{
	struct cfs_pool4 *e = to_pool4(item);
	u8 proto;
	int err;

	if (sysfs_streq(page, "tcp")) {
		proto = IPPROTO_TCP;
	} else if (sysfs_streq(page, "udp")) {
		proto = IPPROTO_UDP;
	} else if (sysfs_streq(page, "icmp")) {
		proto = IPPROTO_ICMP;
	} else if (sysfs_streq(page, "all")) {
		proto = 0;
	} else {
		pr_err("pool4 %s: proto: '%.*s' is not tcp, udp, icmp or all\n",
		       entry_name(e), (int)strcspn(page, "\n"), page);
		return -EINVAL;
	}
	mutex_lock(&cfs_lock);
	err = pool4_writable(e, "proto");
	if (!err)
		e->range.proto = proto;
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

static ssize_t pool4_prefix_show(struct config_item *item, char *page)
{
	struct cfs_pool4 *e = to_pool4(item);
	ssize_t len;

	mutex_lock(&cfs_lock);
	if (e->has_prefix)
		len = sysfs_emit(page, "%pI4/%u\n", &e->range.prefix,
				 e->range.plen);
	else
		len = sysfs_emit(page, "\n");
	mutex_unlock(&cfs_lock);
	return len;
}

static ssize_t pool4_prefix_store(struct config_item *item, const char *page,
				  size_t count)
{
	struct cfs_pool4 *e = to_pool4(item);
	const char *why;
	__be32 prefix;
	u8 plen;
	int err;

	err = nat64_pool4_parse_prefix(page, &prefix, &plen, &why);
	if (err) {
		pr_err("pool4 %s: prefix: '%.*s': %s\n", entry_name(e),
		       (int)strcspn(page, "\n"), page, why);
		return err;
	}
	mutex_lock(&cfs_lock);
	err = pool4_writable(e, "prefix");
	if (!err) {
		e->range.prefix = prefix;
		e->range.plen = plen;
		e->has_prefix = true;
	}
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

static ssize_t pool4_ports_show(struct config_item *item, char *page)
{
	struct cfs_pool4 *e = to_pool4(item);
	ssize_t len;

	mutex_lock(&cfs_lock);
	len = sysfs_emit(page, "%u-%u\n", e->range.port_min,
			 e->range.port_max);
	mutex_unlock(&cfs_lock);
	return len;
}

/* "N" or "N-M", each 0 to 65535; the order is checked on enabling. */
static int parse_ports(const char *page, u16 *min, u16 *max)
{
	char buf[16], *dash;

	if (strscpy(buf, page, sizeof(buf)) < 0)
		return -EINVAL;
	buf[strcspn(buf, "\n")] = '\0';
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if (kstrtou16(buf, 10, min))
		return -ERANGE;
	if (!dash) {
		*max = *min;
		return 0;
	}
	return kstrtou16(dash, 10, max) ? -ERANGE : 0;
}

static ssize_t pool4_ports_store(struct config_item *item, const char *page,
				 size_t count)
{
	struct cfs_pool4 *e = to_pool4(item);
	u16 min, max;
	int err;

	err = parse_ports(page, &min, &max);
	if (err) {
		pr_err("pool4 %s: ports: '%.*s' is not a port or range of ports 0-65535\n",
		       entry_name(e), (int)strcspn(page, "\n"), page);
		return err;
	}
	if (min > max) {
		pr_err("pool4 %s: ports: %u-%u is reversed\n", entry_name(e),
		       min, max);
		return -EINVAL;
	}
	mutex_lock(&cfs_lock);
	err = pool4_writable(e, "ports");
	if (!err) {
		e->range.port_min = min;
		e->range.port_max = max;
	}
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

static ssize_t pool4_block_size_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n",
			  READ_ONCE(to_pool4(item)->range.block_size));
}

static ssize_t pool4_block_size_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct cfs_pool4 *e = to_pool4(item);
	u16 size;
	int err;

	if (kstrtou16(page, 0, &size) ||
	    (size && (size < NAT64_POOL4_BLOCK_SIZE_MIN ||
		      size > NAT64_POOL4_BLOCK_SIZE_MAX))) {
		pr_err("pool4 %s: block_size: '%.*s' is not 0 (one port at a time) or %u to %u\n",
		       entry_name(e), (int)strcspn(page, "\n"), page,
		       NAT64_POOL4_BLOCK_SIZE_MIN, NAT64_POOL4_BLOCK_SIZE_MAX);
		return -EINVAL;
	}
	mutex_lock(&cfs_lock);
	err = pool4_writable(e, "block_size");
	if (!err)
		e->range.block_size = size;
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

static ssize_t pool4_max_blocks_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n",
			  READ_ONCE(to_pool4(item)->range.max_blocks));
}

static ssize_t pool4_max_blocks_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct cfs_pool4 *e = to_pool4(item);
	u16 max;
	int err;

	if (kstrtou16(page, 0, &max) || max < 1 ||
	    max > NAT64_POOL4_MAX_BLOCKS_MAX) {
		pr_err("pool4 %s: max_blocks: '%.*s' is not a number from 1 to %u\n",
		       entry_name(e), (int)strcspn(page, "\n"), page,
		       NAT64_POOL4_MAX_BLOCKS_MAX);
		return -EINVAL;
	}
	mutex_lock(&cfs_lock);
	err = pool4_writable(e, "max_blocks");
	if (!err)
		e->range.max_blocks = max;
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

static ssize_t pool4_subscribers_show(struct config_item *item, char *page)
{
	struct cfs_pool4 *e = to_pool4(item);
	ssize_t len;

	mutex_lock(&cfs_lock);
	if (e->range.deterministic)
		len = sysfs_emit(page, "%pI6c/%u\n", &e->range.subs,
				 e->range.subs_len);
	else
		len = sysfs_emit(page, "\n");
	mutex_unlock(&cfs_lock);
	return len;
}

/* An IPv6 prefix makes the entry deterministic; an empty line, dynamic. */
static ssize_t pool4_subscribers_store(struct config_item *item,
				       const char *page, size_t count)
{
	struct cfs_pool4 *e = to_pool4(item);
	bool deterministic = page[strspn(page, "\n")];
	struct in6_addr subs = {};
	const char *why;
	u8 len = 0;
	int err;

	if (deterministic) {
		err = nat64_pool4_parse_subs(page, &subs, &len, &why);
		if (err) {
			pr_err("pool4 %s: subscribers: '%.*s': %s\n",
			       entry_name(e), (int)strcspn(page, "\n"), page,
			       why);
			return err;
		}
	}
	mutex_lock(&cfs_lock);
	err = pool4_writable(e, "subscribers");
	if (!err) {
		e->range.deterministic = deterministic;
		e->range.subs = subs;
		e->range.subs_len = len;
	}
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

static ssize_t pool4_force_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_pool4(item)->force));
}

static ssize_t pool4_force_store(struct config_item *item, const char *page,
				 size_t count)
{
	struct cfs_pool4 *e = to_pool4(item);
	bool force;
	int err;

	if (parse_bool(page, &force)) {
		pr_err("pool4 %s: force: write 0 or 1\n", entry_name(e));
		return -EINVAL;
	}
	mutex_lock(&cfs_lock);
	err = pool4_writable(e, "force");
	if (!err)
		e->force = force;
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

static ssize_t pool4_quick_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_pool4(item)->quick));
}

/* Writable at any time: it matters when the entry goes away. */
static ssize_t pool4_quick_store(struct config_item *item, const char *page,
				 size_t count)
{
	struct cfs_pool4 *e = to_pool4(item);
	bool quick;

	if (parse_bool(page, &quick)) {
		pr_err("pool4 %s: quick: write 0 or 1\n", entry_name(e));
		return -EINVAL;
	}
	WRITE_ONCE(e->quick, quick);
	return count;
}

static ssize_t pool4_enabled_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_pool4(item)->enabled));
}

static ssize_t pool4_enabled_store(struct config_item *item, const char *page,
				   size_t count)
{
	struct cfs_pool4 *e = to_pool4(item);
	bool enable;
	int err;

	if (parse_bool(page, &enable)) {
		pr_err("pool4 %s: enabled: write 0 or 1\n", entry_name(e));
		return -EINVAL;
	}
	mutex_lock(&cfs_lock);
	err = pool4_set_enabled(e, enable);
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

CONFIGFS_ATTR(pool4_, mark);
CONFIGFS_ATTR(pool4_, proto);
CONFIGFS_ATTR(pool4_, prefix);
CONFIGFS_ATTR(pool4_, ports);
CONFIGFS_ATTR(pool4_, block_size);
CONFIGFS_ATTR(pool4_, max_blocks);
CONFIGFS_ATTR(pool4_, subscribers);
CONFIGFS_ATTR(pool4_, force);
CONFIGFS_ATTR(pool4_, quick);
CONFIGFS_ATTR(pool4_, enabled);

static struct configfs_attribute *pool4_attrs[] = {
	&pool4_attr_mark,
	&pool4_attr_proto,
	&pool4_attr_prefix,
	&pool4_attr_ports,
	&pool4_attr_block_size,
	&pool4_attr_max_blocks,
	&pool4_attr_subscribers,
	&pool4_attr_force,
	&pool4_attr_quick,
	&pool4_attr_enabled,
	NULL,
};

static void pool4_release(struct config_item *item)
{
	kfree(to_pool4(item));
}

static struct configfs_item_operations pool4_item_ops = {
	.release = pool4_release,
};

static const struct config_item_type pool4_type = {
	.ct_item_ops = &pool4_item_ops,
	.ct_attrs = pool4_attrs,
	.ct_owner = THIS_MODULE,
};

static struct cfs_pool4 *pool4_alloc(struct cfs_instance *ci, const char *name)
{
	struct cfs_pool4 *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return NULL;
	e->parent = ci;
	e->range.plen = 32;
	e->range.port_min = NAT64_POOL4_PORT_MIN_DEFAULT;
	e->range.port_max = NAT64_POOL4_PORT_MAX_DEFAULT;
	e->range.max_blocks = NAT64_POOL4_MAX_BLOCKS_DEFAULT;
	config_group_init_type_name(&e->group, name, &pool4_type);
	mutex_lock(&cfs_lock);
	list_add_tail(&e->list, &ci->entries);
	mutex_unlock(&cfs_lock);
	return e;
}

static struct config_group *pool4_make_group(struct config_group *group,
					     const char *name)
{
	struct cfs_instance *ci = container_of(group, struct cfs_instance,
					       pool4_group);
	struct cfs_pool4 *e = pool4_alloc(ci, name);

	return e ? &e->group : ERR_PTR(-ENOMEM);
}

/* rmdir: the entry leaves the pool, and its state with it unless quick. */
static void pool4_drop_item(struct config_group *group,
			    struct config_item *item)
{
	struct cfs_pool4 *e = to_pool4(item);

	mutex_lock(&cfs_lock);
	if (pool4_set_enabled(e, false))
		pr_err("pool4 %s: removed, but the instance kept it: out of memory\n",
		       entry_name(e));
	list_del(&e->list);
	mutex_unlock(&cfs_lock);
	config_item_put(item);
}

static struct configfs_group_operations pool4_group_ops = {
	.make_group = pool4_make_group,
	.drop_item = pool4_drop_item,
};

static const struct config_item_type pool4_group_type = {
	.ct_group_ops = &pool4_group_ops,
	.ct_owner = THIS_MODULE,
};

/* --- instance --------------------------------------------------------- */

static const char *instance_name(struct cfs_instance *ci)
{
	return config_item_name(&ci->group.cg_item);
}

static int instance_writable(struct cfs_instance *ci, const char *attr)
{
	if (!instance_running(ci))
		return 0;
	pr_err("instance %s: %s: the instance is enabled; write 0 to enabled first\n",
	       instance_name(ci), attr);
	return -EBUSY;
}

static ssize_t instance_netns_show(struct config_item *item, char *page)
{
	struct cfs_instance *ci = to_instance(item);
	unsigned int inum = 0;

	mutex_lock(&cfs_lock);
	if (instance_running(ci))
		inum = ci->inst->net_inum;
	else if (ci->net)
		inum = ci->net->ns.inum;
	mutex_unlock(&cfs_lock);
	if (!inum)
		return sysfs_emit(page, "\n");
	return sysfs_emit(page, "net:[%u]\n", inum);
}

/*
 * A namespace file, as /run/netns/NAME or /proc/PID/ns/net, names it. The
 * path is only looked up, never opened: opening a FIFO would block and
 * opening a device could act on it, whatever the writer named.
 */
static struct net *netns_from_path(const char *path, const char **why)
{
	struct ns_common *ns;
	struct path p;
	struct net *net;
	int err;

	err = kern_path(path, LOOKUP_FOLLOW, &p);
	if (err) {
		*why = "no such file";
		return ERR_PTR(err);
	}
	net = ERR_PTR(-EINVAL);
	*why = "not a network namespace file (nsfs)";
	if (p.dentry->d_sb->s_magic == NSFS_MAGIC) {
		ns = get_proc_ns(d_inode(p.dentry));
		/* The dentry holds the namespace while we take our own. */
		if (ns->ops->type == CLONE_NEWNET)
			net = get_net(container_of(ns, struct net, ns));
	}
	path_put(&p);
	return net;
}

static ssize_t instance_netns_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct cfs_instance *ci = to_instance(item);
	char *path;
	const char *why;
	struct net *net;
	int err;

	path = kstrndup(page, strcspn(page, "\n"), GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	net = netns_from_path(path, &why);
	if (IS_ERR(net)) {
		pr_err("instance %s: netns: '%s': %s\n", instance_name(ci),
		       path, why);
		kfree(path);
		return PTR_ERR(net);
	}
	kfree(path);
	if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) {
		put_net(net);
		return -EPERM;
	}
	mutex_lock(&cfs_lock);
	err = instance_writable(ci, "netns");
	if (!err)
		swap(ci->net, net);
	mutex_unlock(&cfs_lock);
	if (net)
		put_net(net);
	return err ?: count;
}

static ssize_t instance_pool6_show(struct config_item *item, char *page)
{
	struct cfs_instance *ci = to_instance(item);
	ssize_t len;

	mutex_lock(&cfs_lock);
	if (ci->has_pool6)
		len = sysfs_emit(page, "%pI6c/%u\n", &ci->pool6.addr,
				 ci->pool6.len);
	else
		len = sysfs_emit(page, "\n");
	mutex_unlock(&cfs_lock);
	return len;
}

static ssize_t instance_pool6_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct cfs_instance *ci = to_instance(item);
	struct nat64_prefix6 prefix;
	const char *why;
	char *text;
	int err;

	text = kstrndup(page, strcspn(page, "\n"), GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	err = nat64_prefix6_parse(text, &prefix, &why);
	if (err)
		pr_err("instance %s: pool6: '%s': %s\n", instance_name(ci),
		       text, why);
	kfree(text);
	if (err)
		return err;
	mutex_lock(&cfs_lock);
	err = instance_writable(ci, "pool6");
	if (!err) {
		ci->pool6 = prefix;
		ci->has_pool6 = true;
	}
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

static int instance_start(struct cfs_instance *ci)
{
	struct nat64_instance_config cfg = {
		.name = instance_name(ci),
		.pool6 = ci->pool6,
		.settings = &ci->settings,
	};
	int err;

	if (!ci->has_pool6) {
		pr_err("instance %s: pool6: not set\n", instance_name(ci));
		return -EINVAL;
	}
	if (!ci->net) {
		pr_err("instance %s: netns: not set (its namespace is gone)\n",
		       instance_name(ci));
		return -EINVAL;
	}
	cfg.pool4 = pool4_build(ci);
	if (!cfg.pool4)
		return -ENOMEM;
	err = nat64_instance_create(ci->net, &cfg, &ci->inst);
	if (err == -EEXIST)
		pr_err("instance %s: enabled: its namespace or its name has an instance already\n",
		       instance_name(ci));
	if (err)
		return err;
	put_net(ci->net);
	ci->net = NULL;
	return 0;
}

/* Stops the instance; its namespace, if alive, is kept for a restart. */
static void instance_stop(struct cfs_instance *ci)
{
	ci->net = nat64_instance_stop(ci->inst);
	nat64_instance_put(ci->inst);
	ci->inst = NULL;
}

static ssize_t instance_enabled_show(struct config_item *item, char *page)
{
	struct cfs_instance *ci = to_instance(item);
	bool running;

	mutex_lock(&cfs_lock);
	running = instance_running(ci);
	mutex_unlock(&cfs_lock);
	return sysfs_emit(page, "%d\n", running);
}

static ssize_t instance_enabled_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct cfs_instance *ci = to_instance(item);
	bool enable;
	int err = 0;

	if (parse_bool(page, &enable)) {
		pr_err("instance %s: enabled: write 0 or 1\n",
		       instance_name(ci));
		return -EINVAL;
	}
	mutex_lock(&cfs_lock);
	if (enable && !instance_running(ci))
		err = instance_start(ci);
	else if (!enable && instance_running(ci))
		instance_stop(ci);
	mutex_unlock(&cfs_lock);
	return err ?: count;
}

static ssize_t setting_show(struct config_item *item, char *page,
			    enum nat64_setting_id id)
{
	struct cfs_instance *ci = to_instance(item);
	u32 value;

	mutex_lock(&cfs_lock);
	value = nat64_setting_get(instance_running(ci) ? &ci->inst->settings :
				  &ci->settings, id);
	mutex_unlock(&cfs_lock);
	return sysfs_emit(page, "%u\n", value);
}

/*
 * Under cfs_lock: a deterministic entry's shares are a function of the
 * subscriber length; while one is live the length stays, so that the
 * saved configuration always says what the shares are.
 */
static int subscriber_len_writable(struct cfs_instance *ci)
{
	struct cfs_pool4 *e;

	list_for_each_entry(e, &ci->entries, list) {
		if (e->enabled && e->range.deterministic) {
			pr_err("instance %s: subscriber_prefix_len: pool4 entry %s maps subscribers of /%u; disable it first\n",
			       instance_name(ci), entry_name(e),
			       e->range.sub_len);
			return -EBUSY;
		}
	}
	return 0;
}

/* Settings apply at once, to the running instance too. */
static ssize_t setting_store(struct config_item *item, const char *page,
			     size_t count, enum nat64_setting_id id)
{
	struct cfs_instance *ci = to_instance(item);
	const struct nat64_setting *desc = &nat64_setting_table[id];
	const char *why = "not a number";
	u32 value;
	int err;

	err = kstrtou32(page, 0, &value) ? -EINVAL : 0;
	mutex_lock(&cfs_lock);
	if (!err && id == NAT64_SET_SUBSCRIBER_PREFIX_LEN &&
	    value != ci->settings.subscriber_prefix_len)
		err = subscriber_len_writable(ci);
	if (!err)
		err = nat64_setting_set(&ci->settings, id, value, &why);
	if (!err && instance_running(ci))
		nat64_setting_set(&ci->inst->settings, id, value, &why);
	mutex_unlock(&cfs_lock);
	if (err && err != -EBUSY)	/* that one has said why */
		pr_err("instance %s: %s: '%.*s': %s (%u to %u)\n",
		       instance_name(ci), desc->name,
		       (int)strcspn(page, "\n"), page, why, desc->min,
		       desc->max);
	return err ?: count;
}

#define SETTING_ATTR(field, id)						\
static ssize_t instance_##field##_show(struct config_item *item,	\
				       char *page)			\
{									\
	return setting_show(item, page, NAT64_SET_##id);		\
}									\
static ssize_t instance_##field##_store(struct config_item *item,	\
					const char *page, size_t count)	\
{									\
	return setting_store(item, page, count, NAT64_SET_##id);	\
}									\
CONFIGFS_ATTR(instance_, field)

SETTING_ATTR(timeout_udp, TIMEOUT_UDP);
SETTING_ATTR(timeout_tcp_est, TIMEOUT_TCP_EST);
SETTING_ATTR(timeout_tcp_trans, TIMEOUT_TCP_TRANS);
SETTING_ATTR(timeout_icmp, TIMEOUT_ICMP);
SETTING_ATTR(max_bib_entries, MAX_BIB_ENTRIES);
SETTING_ATTR(max_sessions, MAX_SESSIONS);
SETTING_ATTR(max_sessions_per_bib, MAX_SESSIONS_PER_BIB);
SETTING_ATTR(max_held_syns, MAX_HELD_SYNS);
SETTING_ATTR(max_iterations, MAX_ITERATIONS);
SETTING_ATTR(lowest_ipv6_mtu, LOWEST_IPV6_MTU);
SETTING_ATTR(drop_external_tcp, DROP_EXTERNAL_TCP);
SETTING_ATTR(address_dependent_filtering, ADDRESS_DEPENDENT_FILTERING);
SETTING_ATTR(subscriber_prefix_len, SUBSCRIBER_PREFIX_LEN);
SETTING_ATTR(max_ports_per_subscriber, MAX_PORTS_PER_SUBSCRIBER);
SETTING_ATTR(max_sessions_per_subscriber, MAX_SESSIONS_PER_SUBSCRIBER);
SETTING_ATTR(block_hold_time, BLOCK_HOLD_TIME);
SETTING_ATTR(log_sessions, LOG_SESSIONS);

CONFIGFS_ATTR(instance_, netns);
CONFIGFS_ATTR(instance_, pool6);
CONFIGFS_ATTR(instance_, enabled);

static struct configfs_attribute *instance_attrs[] = {
	&instance_attr_netns,
	&instance_attr_pool6,
	&instance_attr_enabled,
	&instance_attr_timeout_udp,
	&instance_attr_timeout_tcp_est,
	&instance_attr_timeout_tcp_trans,
	&instance_attr_timeout_icmp,
	&instance_attr_max_bib_entries,
	&instance_attr_max_sessions,
	&instance_attr_max_sessions_per_bib,
	&instance_attr_max_held_syns,
	&instance_attr_max_iterations,
	&instance_attr_lowest_ipv6_mtu,
	&instance_attr_drop_external_tcp,
	&instance_attr_address_dependent_filtering,
	&instance_attr_subscriber_prefix_len,
	&instance_attr_max_ports_per_subscriber,
	&instance_attr_max_sessions_per_subscriber,
	&instance_attr_block_hold_time,
	&instance_attr_log_sessions,
	NULL,
};

static_assert(ARRAY_SIZE(instance_attrs) == NAT64_SET_COUNT + 4);

static void instance_release(struct config_item *item)
{
	kfree(to_instance(item));
}

static struct configfs_item_operations instance_item_ops = {
	.release = instance_release,
};

static const struct config_item_type instance_type = {
	.ct_item_ops = &instance_item_ops,
	.ct_attrs = instance_attrs,
	.ct_owner = THIS_MODULE,
};

static struct cfs_instance *instance_alloc(const char *name, struct net *net)
{
	struct cfs_instance *ci;

	if (strlen(name) >= NAT64_NAME_MAX) {
		pr_err("instance %s: the name is longer than %u characters\n",
		       name, NAT64_NAME_MAX - 1);
		return ERR_PTR(-ENAMETOOLONG);
	}
	ci = kzalloc(sizeof(*ci), GFP_KERNEL);
	if (!ci)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&ci->entries);
	ci->settings = nat64_default_settings;
	ci->net = get_net(net);
	config_group_init_type_name(&ci->group, name, &instance_type);
	config_group_init_type_name(&ci->pool4_group, "pool4",
				    &pool4_group_type);
	configfs_add_default_group(&ci->pool4_group, &ci->group);
	return ci;
}

/* mkdir: the instance will live in the namespace of whoever made it. */
static struct config_group *instance_make_group(struct config_group *group,
						const char *name)
{
	struct cfs_instance *ci = instance_alloc(name,
						 current->nsproxy->net_ns);

	return IS_ERR(ci) ? ERR_CAST(ci) : &ci->group;
}

static void instance_teardown(struct cfs_instance *ci)
{
	mutex_lock(&cfs_lock);
	if (instance_running(ci))
		instance_stop(ci);
	if (ci->net)
		put_net(ci->net);
	ci->net = NULL;
	mutex_unlock(&cfs_lock);
}

static void instance_drop_item(struct config_group *group,
			       struct config_item *item)
{
	instance_teardown(to_instance(item));
	config_item_put(item);
}

static struct configfs_group_operations nat64_group_ops = {
	.make_group = instance_make_group,
	.drop_item = instance_drop_item,
};

static const struct config_item_type nat64_root_type = {
	.ct_group_ops = &nat64_group_ops,
	.ct_owner = THIS_MODULE,
};

static struct configfs_subsystem nat64_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "nat64",
			.ci_type = &nat64_root_type,
		},
	},
};

/* The instance the module parameters made; NULL when there is none. */
static struct cfs_instance *builtin_instance;

static void builtin_pool4_unregister(struct cfs_instance *ci)
{
	struct cfs_pool4 *e, *tmp;

	list_for_each_entry_safe(e, tmp, &ci->entries, list) {
		configfs_unregister_group(&e->group);
		mutex_lock(&cfs_lock);
		list_del(&e->list);
		mutex_unlock(&cfs_lock);
		config_group_put(&e->group);
	}
}

/**
 * nat64_configfs_add_builtin() - show the module parameters' instance
 * @net: its namespace
 * @name: its name
 * @pool6: its prefix
 * @ranges: its pool4 entries, each lent for TCP, UDP and ICMP
 * @count: how many entries @ranges holds
 *
 * The instance and its entries appear in the tree like any other; the
 * operator may disable them but not rmdir them, as configfs goes.
 * Return: 0 or a negative errno, the instance then not started.
 */
int nat64_configfs_add_builtin(struct net *net, const char *name,
			       const struct nat64_prefix6 *pool6,
			       const struct nat64_pool4_range *ranges,
			       unsigned int count)
{
	struct cfs_instance *ci;
	unsigned int i;
	int err;

	ci = instance_alloc(name, net);
	if (IS_ERR(ci))
		return PTR_ERR(ci);
	ci->builtin = true;
	ci->pool6 = *pool6;
	ci->has_pool6 = true;
	err = configfs_register_group(&nat64_subsys.su_group, &ci->group);
	if (err) {
		put_net(ci->net);
		kfree(ci);
		return err;
	}
	builtin_instance = ci;
	for (i = 0; i < count * ARRAY_SIZE(all_protos); i++) {
		const struct nat64_pool4_range *r;
		char entry[48];
		struct cfs_pool4 *e;

		r = &ranges[i / ARRAY_SIZE(all_protos)];
		snprintf(entry, sizeof(entry), "%u-%s-%pI4_%u-%u-%u", r->mark,
			 proto_name(all_protos[i % ARRAY_SIZE(all_protos)]),
			 &r->prefix, r->plen, r->port_min, r->port_max);
		e = pool4_alloc(ci, entry);
		if (!e)
			goto err;
		e->range = *r;
		e->range.proto = all_protos[i % ARRAY_SIZE(all_protos)];
		/* Kept if an operator gives the entry a block_size later. */
		e->range.max_blocks = NAT64_POOL4_MAX_BLOCKS_DEFAULT;
		e->has_prefix = true;
		e->enabled = true;
		err = configfs_register_group(&ci->pool4_group, &e->group);
		if (err) {
			mutex_lock(&cfs_lock);
			list_del(&e->list);
			mutex_unlock(&cfs_lock);
			kfree(e);
			goto err;
		}
	}
	mutex_lock(&cfs_lock);
	err = instance_start(ci);
	mutex_unlock(&cfs_lock);
	if (err)
		goto err;
	return 0;

err:
	nat64_configfs_remove_builtin();
	return err ?: -ENOMEM;
}

void nat64_configfs_remove_builtin(void)
{
	struct cfs_instance *ci = builtin_instance;

	if (!ci)
		return;
	builtin_instance = NULL;
	instance_teardown(ci);
	builtin_pool4_unregister(ci);
	configfs_unregister_group(&ci->group);
	config_group_put(&ci->group);
}

int nat64_configfs_init(void)
{
	config_group_init(&nat64_subsys.su_group);
	mutex_init(&nat64_subsys.su_mutex);
	return configfs_register_subsystem(&nat64_subsys);
}

void nat64_configfs_exit(void)
{
	nat64_configfs_remove_builtin();
	configfs_unregister_subsystem(&nat64_subsys);
}
