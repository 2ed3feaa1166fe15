// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The "nat64" generic netlink family (Documentation/netlink/specs/
 * nat64.yaml): BIB and session dumps that stream any number of entries
 * in bounded memory, static BIB entries, flush, counters, and an
 * "events" multicast group announcing every mapping made and removed
 * (RFC 6888 REQ-12: logging that scales, not printk).
 *
 * A request addresses the instance of the socket's network namespace.
 * Everything here, reads and the events group included, needs
 * CAP_NET_ADMIN in that namespace (GENL_UNS_ADMIN_PERM,
 * GENL_MCAST_CAP_NET_ADMIN): the tables say which IPv6 host talks to
 * which IPv4 host, as conntrack's do, and nfnetlink guards those.
 */

#include <linux/ktime.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "events.h"
#include "instance.h"
#include "netlink.h"
#include "tcp.h"
#include "uapi/nat64.h"

static struct genl_family nat64_family;

enum nat64_mcgrp { NAT64_MCGRP_EVENTS_ID };

static const struct genl_multicast_group nat64_mcgrps[] = {
	[NAT64_MCGRP_EVENTS_ID] = {
		.name = NAT64_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static const struct nla_policy nat64_policy[NAT64_A_MAX + 1] = {
	[NAT64_A_INSTANCE] = { .type = NLA_NUL_STRING,
			       .len = NAT64_NAME_MAX - 1 },
	[NAT64_A_PROTO] = NLA_POLICY_RANGE(NLA_U8, IPPROTO_ICMP, IPPROTO_UDP),
	[NAT64_A_ADDR6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NAT64_A_PORT6] = { .type = NLA_U16 },
	[NAT64_A_ADDR4] = NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[NAT64_A_PORT4] = { .type = NLA_U16 },
};

/* What a port block dump or event says of a block. */
static int put_block(struct sk_buff *skb, const struct nat64_port_block *b)
{
	if (nla_put_u8(skb, NAT64_A_PROTO, b->key.proto) ||
	    nla_put_in6_addr(skb, NAT64_A_SUBSCRIBER, &b->owner.prefix) ||
	    nla_put_u8(skb, NAT64_A_SUBSCRIBER_LEN, b->owner.plen) ||
	    nla_put_in_addr(skb, NAT64_A_ADDR4, b->key.addr) ||
	    nla_put_u16(skb, NAT64_A_PORT_FIRST, b->key.first) ||
	    nla_put_u16(skb, NAT64_A_PORT_LAST, b->last))
		return -EMSGSIZE;
	return 0;
}

/* What a dump keeps between its rounds, in cb->ctx. */
struct dump_ctx {
	struct nat64_instance *inst;
	unsigned long next_id;
	bool further;		/* a session dump: past the first sessions */
	__be32 addr4;
	u8 proto;
	bool has_addr4;
	bool done;
};

static_assert(sizeof(struct dump_ctx) <= sizeof_field(struct netlink_callback,
						      ctx));

/*
 * The namespace's instance, or the one named there; a reference the
 * caller puts.
 */
static struct nat64_instance *request_instance(struct net *net,
					       struct nlattr **attrs,
					       struct netlink_ext_ack *extack)
{
	struct nat64_instance *inst;

	if (attrs[NAT64_A_INSTANCE]) {
		inst = nat64_instance_find(nla_data(attrs[NAT64_A_INSTANCE]));
		if (inst && READ_ONCE(inst->net) != net) {
			nat64_instance_put(inst);
			inst = NULL;
		}
	} else {
		inst = nat64_instance_find_net(net);
	}
	if (!inst)
		NL_SET_ERR_MSG(extack, "no nat64 instance in this network namespace");
	return inst;
}

static bool proto_valid(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_ICMP;
}

static int put_bib(struct sk_buff *skb, const struct nat64_bib_entry *bibe)
{
	if (nla_put_u8(skb, NAT64_A_PROTO, bibe->key6.proto) ||
	    nla_put_in6_addr(skb, NAT64_A_ADDR6, &bibe->key6.addr) ||
	    nla_put_u16(skb, NAT64_A_PORT6, bibe->key6.port) ||
	    nla_put_in_addr(skb, NAT64_A_ADDR4, bibe->key4.addr) ||
	    nla_put_u16(skb, NAT64_A_PORT4, bibe->key4.port) ||
	    nla_put_u32(skb, NAT64_A_SESSIONS, READ_ONCE(bibe->sessions)))
		return -EMSGSIZE;
	if (READ_ONCE(bibe->is_static) && nla_put_flag(skb, NAT64_A_STATIC))
		return -EMSGSIZE;
	return 0;
}

static int put_session(struct sk_buff *skb, struct nat64_instance *inst,
		       const struct nat64_session *session)
{
	struct in6_addr remote6;

	if (put_bib(skb, session->key.bib))
		return -EMSGSIZE;
	nat64_addr_4to6(&inst->pool6, session->key.addr, &remote6);
	if (nla_put_in_addr(skb, NAT64_A_REMOTE4, session->key.addr) ||
	    nla_put_u16(skb, NAT64_A_REMOTE_PORT, session->key.port) ||
	    nla_put_in6_addr(skb, NAT64_A_REMOTE6, &remote6) ||
	    nla_put_u32(skb, NAT64_A_EXPIRES_MS,
			jiffies_to_msecs(nat64_session_left(session))))
		return -EMSGSIZE;
	if (session->key.bib->key6.proto == IPPROTO_TCP &&
	    nla_put_string(skb, NAT64_A_TCP_STATE,
			   nat64_tcp_state_name(READ_ONCE(session->tcp_state))))
		return -EMSGSIZE;
	return 0;
}

/* --- dumps ------------------------------------------------------------ */

static int dump_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct dump_ctx *ctx = (struct dump_ctx *)cb->ctx;
	struct nlattr **attrs = info->attrs;

	ctx->inst = request_instance(sock_net(cb->skb->sk), attrs, cb->extack);
	if (!ctx->inst)
		return -ENOENT;
	if (attrs[NAT64_A_PROTO]) {
		ctx->proto = nla_get_u8(attrs[NAT64_A_PROTO]);
		if (!proto_valid(ctx->proto)) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[NAT64_A_PROTO],
					    "protocol must be TCP, UDP or ICMP");
			nat64_instance_put(ctx->inst);
			return -EINVAL;
		}
	}
	if (attrs[NAT64_A_ADDR4]) {
		ctx->addr4 = nla_get_in_addr(attrs[NAT64_A_ADDR4]);
		ctx->has_addr4 = true;
	}
	return 0;
}

static int dump_done(struct netlink_callback *cb)
{
	struct dump_ctx *ctx = (struct dump_ctx *)cb->ctx;

	if (ctx->inst)
		nat64_instance_put(ctx->inst);
	return 0;
}

static bool bib_matches(const struct dump_ctx *ctx,
			const struct nat64_bib_entry *bibe)
{
	return (!ctx->proto || bibe->key4.proto == ctx->proto) &&
	       (!ctx->has_addr4 || bibe->key4.addr == ctx->addr4);
}

static void *msg_start(struct sk_buff *skb, struct netlink_callback *cb,
		       u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
			   cb->nlh->nlmsg_seq, &nat64_family, NLM_F_MULTI, cmd);
}

/* Puts one table object in a dump message if the filters let it. */
typedef int (*dump_put_fn)(struct sk_buff *skb, const struct dump_ctx *ctx,
			   const void *obj);

static int dump_put_bib(struct sk_buff *skb, const struct dump_ctx *ctx,
			const void *obj)
{
	return bib_matches(ctx, obj) ? put_bib(skb, obj) : -ENOENT;
}

/*
 * A dump also says how many mappings a block has and, if none, when it
 * returns to the pool: both change under the lock, and are read once.
 */
static int dump_put_block(struct sk_buff *skb, const struct dump_ctx *ctx,
			  const void *obj)
{
	const struct nat64_port_block *b = obj;
	unsigned long hold = nat64_timeout(&ctx->inst->settings.block_hold_time);
	unsigned int used = READ_ONCE(b->used);
	long left = READ_ONCE(b->held_since) + hold - jiffies;

	if ((ctx->proto && b->key.proto != ctx->proto) ||
	    (ctx->has_addr4 && b->key.addr != ctx->addr4))
		return -ENOENT;
	if (put_block(skb, b) || nla_put_u32(skb, NAT64_A_BIB_COUNT, used))
		return -EMSGSIZE;
	if (!used && nla_put_u32(skb, NAT64_A_EXPIRES_MS,
				 left > 0 ? jiffies_to_msecs(left) : 0))
		return -EMSGSIZE;
	return 0;
}

static int dump_put_session(struct sk_buff *skb, const struct dump_ctx *ctx,
			    const void *obj)
{
	const struct nat64_session *session = obj;

	return bib_matches(ctx, session->key.bib) ?
	       put_session(skb, ctx->inst, session) : -ENOENT;
}

/* A session dump's first part: the sessions inside the entries. */
static int dump_put_first_session(struct sk_buff *skb,
				  const struct dump_ctx *ctx, const void *obj)
{
	const struct nat64_bib_entry *bibe = obj;

	if (READ_ONCE(bibe->first_state) != NAT64_FIRST_LIVE)
		return -ENOENT;
	return dump_put_session(skb, ctx, &bibe->first);
}

/*
 * Walks @ids in order from the cursor, one message per object, as many
 * as fit in @skb. The xarray is read under RCU: an object seen here may
 * be going away, but its memory lasts until rcu_read_unlock(). Ids
 * outlive a flush, so a cursor still means the same place in the tables
 * that replace these. Return: false if @skb is full (the cursor says
 * where to resume).
 */
static bool dump_ids(struct sk_buff *skb, struct netlink_callback *cb,
		     struct xarray *ids, u8 cmd, dump_put_fn put)
{
	struct dump_ctx *ctx = (struct dump_ctx *)cb->ctx;
	unsigned long id;
	void *obj, *hdr;
	int err;

	xa_for_each_start(ids, id, obj, ctx->next_id) {
		hdr = msg_start(skb, cb, cmd);
		err = hdr ? put(skb, ctx, obj) : -EMSGSIZE;
		if (err == -ENOENT) {		/* filtered out */
			genlmsg_cancel(skb, hdr);
			continue;
		}
		if (err) {			/* full: resume here */
			if (hdr)
				genlmsg_cancel(skb, hdr);
			ctx->next_id = id;
			return false;
		}
		genlmsg_end(skb, hdr);
	}
	return true;
}

static int bib_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dump_ctx *ctx = (struct dump_ctx *)cb->ctx;

	if (ctx->done)
		return 0;
	rcu_read_lock();
	ctx->done = dump_ids(skb, cb, &nat64_tables(&ctx->inst->bib)->bib_ids,
			     NAT64_CMD_BIB_GET, dump_put_bib);
	rcu_read_unlock();
	return skb->len;
}

/*
 * The first sessions, in their entries' order, then the further ones in
 * theirs: a session is one or the other for life, so each part shows
 * each of its sessions once.
 */
static int session_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dump_ctx *ctx = (struct dump_ctx *)cb->ctx;
	struct nat64_tables *t;

	if (ctx->done)
		return 0;
	rcu_read_lock();
	t = nat64_tables(&ctx->inst->bib);
	if (!ctx->further) {
		if (!dump_ids(skb, cb, &t->bib_ids, NAT64_CMD_SESSION_GET,
			      dump_put_first_session))
			goto out;
		ctx->further = true;
		ctx->next_id = 0;
	}
	ctx->done = dump_ids(skb, cb, &t->session_ids, NAT64_CMD_SESSION_GET,
			     dump_put_session);
out:
	rcu_read_unlock();
	return skb->len;
}

static int block_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dump_ctx *ctx = (struct dump_ctx *)cb->ctx;

	if (ctx->done)
		return 0;
	rcu_read_lock();
	ctx->done = dump_ids(skb, cb, &nat64_tables(&ctx->inst->bib)->blocks.ids,
			     NAT64_CMD_BLOCK_GET, dump_put_block);
	rcu_read_unlock();
	return skb->len;
}

/* --- static BIB entries, flush ----------------------------------------- */

static int parse_bib_keys(struct genl_info *info, struct nat64_bib_key6 *key6,
			  struct nat64_bib_key4 *key4)
{
	struct nlattr **attrs = info->attrs;
	u8 proto;

	if (GENL_REQ_ATTR_CHECK(info, NAT64_A_PROTO) ||
	    GENL_REQ_ATTR_CHECK(info, NAT64_A_ADDR6) ||
	    GENL_REQ_ATTR_CHECK(info, NAT64_A_PORT6) ||
	    GENL_REQ_ATTR_CHECK(info, NAT64_A_ADDR4) ||
	    GENL_REQ_ATTR_CHECK(info, NAT64_A_PORT4)) {
		NL_SET_ERR_MSG(info->extack,
			       "a BIB entry needs proto, addr6, port6, addr4 and port4");
		return -EINVAL;
	}
	proto = nla_get_u8(attrs[NAT64_A_PROTO]);
	if (!proto_valid(proto)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[NAT64_A_PROTO],
				    "protocol must be TCP, UDP or ICMP");
		return -EINVAL;
	}
	memset(key6, 0, sizeof(*key6));
	memset(key4, 0, sizeof(*key4));
	key6->proto = proto;
	key6->addr = nla_get_in6_addr(attrs[NAT64_A_ADDR6]);
	key6->port = nla_get_u16(attrs[NAT64_A_PORT6]);
	key4->proto = proto;
	key4->addr = nla_get_in_addr(attrs[NAT64_A_ADDR4]);
	key4->port = nla_get_u16(attrs[NAT64_A_PORT4]);
	return 0;
}

static int bib_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nat64_bib_key6 key6;
	struct nat64_bib_key4 key4;
	struct nat64_instance *inst;
	const char *why;
	int err;

	err = parse_bib_keys(info, &key6, &key4);
	if (err)
		return err;
	inst = request_instance(genl_info_net(info), info->attrs,
				info->extack);
	if (!inst)
		return -ENOENT;
	err = nat64_bib_add_static(inst, &key6, &key4, &why);
	if (err && info->extack)
		info->extack->_msg = why;	/* a string literal */
	nat64_instance_put(inst);
	return err;
}

static int bib_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nat64_bib_key6 key6;
	struct nat64_bib_key4 key4;
	struct nat64_instance *inst;
	int err;

	err = parse_bib_keys(info, &key6, &key4);
	if (err)
		return err;
	inst = request_instance(genl_info_net(info), info->attrs,
				info->extack);
	if (!inst)
		return -ENOENT;
	err = nat64_bib_del_static(inst, &key6, &key4);
	if (err)
		NL_SET_ERR_MSG(info->extack, "no such static BIB entry");
	nat64_instance_put(inst);
	return err;
}

static int flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nat64_instance *inst;
	int err;

	inst = request_instance(genl_info_net(info), info->attrs,
				info->extack);
	if (!inst)
		return -ENOENT;
	err = nat64_bib_flush(inst);
	if (err)
		NL_SET_ERR_MSG(info->extack,
			       "no memory for empty tables: nothing flushed");
	nat64_instance_put(inst);
	return err;
}

/* --- counters, instance ------------------------------------------------ */

static int put_stats(struct sk_buff *skb, struct nat64_instance *inst)
{
	struct nlattr *nest;
	int id;

	for (id = 0; id < NAT64_STAT_COUNT; id++) {
		nest = nla_nest_start(skb, NAT64_A_STAT);
		if (!nest ||
		    nla_put_string(skb, NAT64_A_STAT_NAME, nat64_stat_name(id)) ||
		    nla_put_u64_64bit(skb, NAT64_A_STAT_VALUE,
				      nat64_stats_read(&inst->stats, id),
				      NAT64_A_PAD) ||
		    nla_put_string(skb, NAT64_A_STAT_DESC, nat64_stat_desc(id)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int put_instance(struct sk_buff *skb, struct nat64_instance *inst)
{
	unsigned int entries, sessions;
	char pool6[64];

	snprintf(pool6, sizeof(pool6), "%pI6c/%u", &inst->pool6.addr,
		 inst->pool6.len);
	nat64_bib_counts(&inst->bib, &entries, &sessions);
	if (nla_put_string(skb, NAT64_A_INSTANCE, inst->name) ||
	    nla_put_string(skb, NAT64_A_POOL6, pool6) ||
	    nla_put_u32(skb, NAT64_A_BIB_COUNT, entries) ||
	    nla_put_u32(skb, NAT64_A_SESSION_COUNT, sessions))
		return -EMSGSIZE;
	return 0;
}

static int reply_doit(struct genl_info *info, u8 cmd,
		      int (*fill)(struct sk_buff *, struct nat64_instance *))
{
	struct nat64_instance *inst;
	struct sk_buff *msg;
	void *hdr;
	int err = -EMSGSIZE;

	inst = request_instance(genl_info_net(info), info->attrs,
				info->extack);
	if (!inst)
		return -ENOENT;
	msg = genlmsg_new(2 * NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &nat64_family, 0, cmd);
	if (!hdr || put_instance(msg, inst) || fill(msg, inst)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	nat64_instance_put(inst);
	return err;
}

static int no_more(struct sk_buff *skb, struct nat64_instance *inst)
{
	return 0;
}

static int stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply_doit(info, NAT64_CMD_STATS_GET, put_stats);
}

static int instance_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply_doit(info, NAT64_CMD_INSTANCE_GET, no_more);
}

/* --- events ------------------------------------------------------------ */

/* A flush event carries no object; the others, one of the three. */
static void send_event(struct nat64_instance *inst, struct net *net, u8 cmd,
		       u64 time_ns, const struct nat64_bib_entry *bibe,
		       const struct nat64_session *session,
		       const struct nat64_port_block *block)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;		/* the mapping lives on; only its log is lost */
	hdr = genlmsg_put(msg, 0, 0, &nat64_family, 0, cmd);
	if (!hdr ||
	    nla_put_u64_64bit(msg, NAT64_A_TIMESTAMP, time_ns,
			      NAT64_A_PAD) ||
	    nla_put_string(msg, NAT64_A_INSTANCE, inst->name) ||
	    (session && put_session(msg, inst, session)) ||
	    (bibe && put_bib(msg, bibe)) ||
	    (block && put_block(msg, block))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&nat64_family, net, msg, 0,
				NAT64_MCGRP_EVENTS_ID, GFP_ATOMIC);
}

static const u8 event_cmds[] = {
	[NAT64_EVENT_BIB_NEW] = NAT64_CMD_BIB_NEW,
	[NAT64_EVENT_BIB_DEL] = NAT64_CMD_BIB_DEL,
	[NAT64_EVENT_SESSION_NEW] = NAT64_CMD_SESSION_NEW,
	[NAT64_EVENT_SESSION_DEL] = NAT64_CMD_SESSION_DEL,
	[NAT64_EVENT_FLUSH] = NAT64_CMD_FLUSH,
	[NAT64_EVENT_BLOCK_NEW] = NAT64_CMD_BLOCK_NEW,
	[NAT64_EVENT_BLOCK_DEL] = NAT64_CMD_BLOCK_DEL,
};

/*
 * log_sessions: with port blocks, the block's events say who had each
 * port, and a record per mapping would only repeat them, a thousand
 * times more often.
 */
static bool mapping_logged(struct nat64_instance *inst,
			   const struct nat64_bib_entry *bibe)
{
	const struct nat64_pool4 *pool;

	switch (READ_ONCE(inst->settings.log_sessions)) {
	case NAT64_LOG_SESSIONS_OFF:
		return false;
	case NAT64_LOG_SESSIONS_ON:
		return true;
	}
	pool = rcu_dereference(inst->pool4);
	return READ_ONCE(bibe->is_static) || !pool ||
	       !nat64_pool4_in_block(pool, bibe->key4.proto, bibe->key4.addr,
				     bibe->key4.port);
}

/* The tables' events (events.h), each sent as one multicast message. */
static void emit_event(struct nat64_instance *inst,
		       const struct nat64_event *event)
{
	const struct nat64_bib_entry *bibe = NULL;
	const struct nat64_session *session = NULL;
	const struct nat64_port_block *block = NULL;
	/* A disable clears it; the packet path and requests keep it alive. */
	struct net *net = READ_ONCE(inst->net);

	/*
	 * First: every new flow comes here twice, and without a listener
	 * nothing else is needed (not even whether it would be logged).
	 */
	if (!net ||
	    !genl_has_listeners(&nat64_family, net, NAT64_MCGRP_EVENTS_ID))
		return;
	switch (event->type) {
	case NAT64_EVENT_BIB_NEW:
	case NAT64_EVENT_BIB_DEL:
		bibe = event->obj;
		if (!mapping_logged(inst, bibe))
			return;
		break;
	case NAT64_EVENT_SESSION_NEW:
	case NAT64_EVENT_SESSION_DEL:
		session = event->obj;
		if (!mapping_logged(inst, session->key.bib))
			return;
		break;
	case NAT64_EVENT_BLOCK_NEW:
	case NAT64_EVENT_BLOCK_DEL:
		block = event->obj;
		break;
	case NAT64_EVENT_FLUSH:
		break;
	}
	send_event(inst, net, event_cmds[event->type], event->time_ns, bibe,
		   session, block);
}

static const struct nat64_event_sink netlink_sink = { .emit = emit_event };

static const struct genl_ops nat64_ops[] = {
	{
		.cmd = NAT64_CMD_BIB_GET,
		.start = dump_start,
		.dumpit = bib_dump,
		.done = dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAT64_CMD_BIB_NEW,
		.doit = bib_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAT64_CMD_BIB_DEL,
		.doit = bib_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAT64_CMD_SESSION_GET,
		.start = dump_start,
		.dumpit = session_dump,
		.done = dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAT64_CMD_BLOCK_GET,
		.start = dump_start,
		.dumpit = block_dump,
		.done = dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAT64_CMD_STATS_GET,
		.doit = stats_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAT64_CMD_FLUSH,
		.doit = flush_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAT64_CMD_INSTANCE_GET,
		.doit = instance_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family nat64_family __ro_after_init = {
	.name = NAT64_GENL_NAME,
	.version = NAT64_GENL_VERSION,
	.maxattr = NAT64_A_MAX,
	.policy = nat64_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = nat64_ops,
	.n_ops = ARRAY_SIZE(nat64_ops),
	.mcgrps = nat64_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nat64_mcgrps),
};

int nat64_netlink_init(void)
{
	int err = genl_register_family(&nat64_family);

	if (!err)
		nat64_events_set_sink(&netlink_sink);
	return err;
}

void nat64_netlink_exit(void)
{
	nat64_events_set_sink(NULL);
	genl_unregister_family(&nat64_family);
}
