// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * /sys/kernel/debug/nat64/<instance>/{bib,sessions,stats,statistics/}: a
 * plain-text view of the tables and counters for people and scripts. The
 * tables are streamed with an rhashtable walker, a page at a time,
 * whatever their size; an entry may show twice if the table is resized
 * during the walk (the netlink dumps do not have that weakness). A file
 * opened before a flush reads the tables the flush replaced.
 */

#include <linux/debugfs.h>
#include <linux/rhashtable.h>
#include <linux/seq_file.h>

#include "debugfs.h"
#include "instance.h"

static struct dentry *nat64_debugfs_root;

/*
 * What a file walks: the BIB entries; or, for the sessions, the entries
 * for their first sessions, then the table of the further ones.
 */
enum table_walk {
	WALK_ENTRIES,
	WALK_FIRST_SESSIONS,
	WALK_FURTHER_SESSIONS,
};

struct table_iter {
	struct nat64_instance *inst;
	struct nat64_tables *tables;	/* held while the file is open */
	struct rhashtable_iter walker;
	enum table_walk walk;
	enum table_walk first_walk;	/* where a read from 0 starts */
};

static const char *proto_name(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_ICMP:
		return "ICMP";
	}
	return "?";
}

/* What the file shows of @obj, the walk's: NULL to pass it by. */
static void *walked(struct table_iter *it, void *obj)
{
	switch (it->walk) {
	case WALK_FIRST_SESSIONS:
		return nat64_bib_first_session(obj);
	case WALK_FURTHER_SESSIONS:
		return &((struct nat64_session_node *)obj)->s;
	default:
		return obj;
	}
}

/* Under the walk's RCU read section, which this may leave and retake. */
static void *walk_next(struct table_iter *it)
{
	void *obj;

	for (;;) {
		obj = rhashtable_walk_next(&it->walker);
		if (PTR_ERR(obj) == -EAGAIN)
			continue;
		if (!IS_ERR_OR_NULL(obj)) {
			obj = walked(it, obj);
			if (obj)
				return obj;
			continue;
		}
		if (it->walk != WALK_FIRST_SESSIONS)
			return NULL;
		/* The first sessions are done: on to the further ones. */
		rhashtable_walk_stop(&it->walker);
		rhashtable_walk_exit(&it->walker);
		it->walk = WALK_FURTHER_SESSIONS;
		rhashtable_walk_enter(&it->tables->sessions, &it->walker);
		rhashtable_walk_start(&it->walker);
	}
}

/* Both walks start with the entries. Outside the walk's RCU section. */
static void walk_enter(struct table_iter *it)
{
	it->walk = it->first_walk;
	rhashtable_walk_enter(&it->tables->by6, &it->walker);
}

static void *table_seq_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct table_iter *it = m->private;
	void *obj;

	/*
	 * Position 0 is a read from the top (the first, or one after a
	 * seek back): the walker, which keeps its own place, starts over.
	 */
	if (!*pos) {
		rhashtable_walk_exit(&it->walker);
		walk_enter(it);
	}
	rhashtable_walk_start(&it->walker);
	if (!*pos)
		return SEQ_START_TOKEN;
	obj = rhashtable_walk_peek(&it->walker);
	if (!IS_ERR_OR_NULL(obj))
		obj = walked(it, obj);
	return IS_ERR_OR_NULL(obj) ? walk_next(it) : obj;
}

static void *table_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return walk_next(m->private);
}

static void table_seq_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	struct table_iter *it = m->private;

	rhashtable_walk_stop(&it->walker);
}

static int bib_seq_show(struct seq_file *m, void *v)
{
	const struct nat64_bib_entry *bibe = v;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "proto ipv6 ipv4 sessions type\n");
		return 0;
	}
	seq_printf(m, "%s %pI6c#%u %pI4#%u %u %s\n",
		   proto_name(bibe->key6.proto), &bibe->key6.addr,
		   bibe->key6.port, &bibe->key4.addr, bibe->key4.port,
		   READ_ONCE(bibe->sessions),
		   bibe->is_static ? "static" : "dynamic");
	return 0;
}

static int session_seq_show(struct seq_file *m, void *v)
{
	struct table_iter *it = m->private;
	const struct nat64_session *s = v;
	const struct nat64_bib_entry *bibe;
	struct in6_addr remote6;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "proto ipv6_local ipv6_remote ipv4_local ipv4_remote expires_ms\n");
		return 0;
	}
	bibe = s->key.bib;
	nat64_addr_4to6(&it->inst->pool6, s->key.addr, &remote6);
	seq_printf(m, "%s %pI6c#%u %pI6c#%u %pI4#%u %pI4#%u %u\n",
		   proto_name(bibe->key6.proto), &bibe->key6.addr,
		   bibe->key6.port, &remote6, s->key.port, &bibe->key4.addr,
		   bibe->key4.port, &s->key.addr, s->key.port,
		   jiffies_to_msecs(nat64_session_left(s)));
	return 0;
}

static const struct seq_operations bib_seq_ops = {
	.start = table_seq_start,
	.next = table_seq_next,
	.stop = table_seq_stop,
	.show = bib_seq_show,
};

static const struct seq_operations session_seq_ops = {
	.start = table_seq_start,
	.next = table_seq_next,
	.stop = table_seq_stop,
	.show = session_seq_show,
};

static int table_open(struct inode *inode, struct file *file,
		      const struct seq_operations *ops)
{
	struct table_iter *it;

	it = __seq_open_private(file, ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	/* The file may outlive the instance's removal: keep its tables. */
	it->inst = inode->i_private;
	nat64_instance_get(it->inst);
	it->tables = nat64_tables_get(&it->inst->bib);
	it->first_walk = ops == &bib_seq_ops ? WALK_ENTRIES :
					       WALK_FIRST_SESSIONS;
	walk_enter(it);
	return 0;
}

static int bib_open(struct inode *inode, struct file *file)
{
	return table_open(inode, file, &bib_seq_ops);
}

static int session_open(struct inode *inode, struct file *file)
{
	return table_open(inode, file, &session_seq_ops);
}

static int table_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct table_iter *it = m->private;

	rhashtable_walk_exit(&it->walker);
	nat64_tables_put(it->tables);
	nat64_instance_put(it->inst);
	return seq_release_private(inode, file);
}

static const struct file_operations bib_fops = {
	.owner = THIS_MODULE,
	.open = bib_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = table_release,
};

static const struct file_operations session_fops = {
	.owner = THIS_MODULE,
	.open = session_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = table_release,
};

static int stats_show(struct seq_file *m, void *v)
{
	struct nat64_instance *inst = m->private;
	enum nat64_stat id;

	for (id = 0; id < NAT64_STAT_COUNT; id++)
		seq_printf(m, "%s %llu\n", nat64_stat_name(id),
			   nat64_stats_read(&inst->stats, id));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/*
 * statistics/<counter>: one value per file, as in
 * /sys/class/net/<dev>/statistics/. The file's name says which counter.
 */
static ssize_t counter_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct nat64_instance *inst = file_inode(file)->i_private;
	const char *name = file_dentry(file)->d_name.name;
	unsigned int entries, sessions;
	char text[24];
	u64 value = 0;
	int id, len;

	nat64_bib_counts(&inst->bib, &entries, &sessions);
	if (!strcmp(name, "bib_entries")) {
		value = entries;
	} else if (!strcmp(name, "sessions")) {
		value = sessions;
	} else {
		for (id = 0; id < NAT64_STAT_COUNT; id++)
			if (!strcmp(name, nat64_stat_name(id)))
				value = nat64_stats_read(&inst->stats, id);
	}
	len = scnprintf(text, sizeof(text), "%llu\n", value);
	return simple_read_from_buffer(buf, count, ppos, text, len);
}

static const struct file_operations counter_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = counter_read,
	.llseek = default_llseek,
};

static void add_counters(struct nat64_instance *inst)
{
	struct dentry *dir = debugfs_create_dir("statistics", inst->debugfs);
	int id;

	for (id = 0; id < NAT64_STAT_COUNT; id++)
		debugfs_create_file(nat64_stat_name(id), 0444, dir, inst,
				    &counter_fops);
	debugfs_create_file("bib_entries", 0444, dir, inst, &counter_fops);
	debugfs_create_file("sessions", 0444, dir, inst, &counter_fops);
}

void nat64_debugfs_init(void)
{
	nat64_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void nat64_debugfs_exit(void)
{
	debugfs_remove_recursive(nat64_debugfs_root);
}

/* debugfs is best effort: a failure here costs the view, not the instance. */
void nat64_debugfs_add(struct nat64_instance *inst)
{
	inst->debugfs = debugfs_create_dir(inst->name, nat64_debugfs_root);
	debugfs_create_file("bib", 0400, inst->debugfs, inst, &bib_fops);
	debugfs_create_file("sessions", 0400, inst->debugfs, inst,
			    &session_fops);
	debugfs_create_file("stats", 0400, inst->debugfs, inst, &stats_fops);
	add_counters(inst);
}

/*
 * debugfs_remove() waits for operations in progress, open() included, so
 * a reader either took its reference before this or never gets one.
 */
void nat64_debugfs_remove(struct nat64_instance *inst)
{
	debugfs_remove_recursive(inst->debugfs);
	inst->debugfs = NULL;
}
