// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Held IPv4 SYNs (RFC 6146 section 3.5.2.2). An IPv4 SYN addressed to a
 * pool4 transport address that no BIB entry holds may be half of a
 * simultaneous open: the IPv6 side's SYN may be on its way. So it is
 * kept for 6 seconds. If by then the IPv6 side has opened that very
 * connection, the SYN is discarded; otherwise its sender gets an ICMP
 * port unreachable, which the RFC forbids sending any earlier.
 *
 * A hairpinned SYN (an IPv6 node's, to another's mapping) is held as the
 * IPv6 packet it was, so that the error, an ICMPv6 one, quotes what its
 * sender sent.
 *
 * The queue is bounded (max_held_syns) and ordered by arrival, which
 * with one hold time is also the order of expiry: the worker only ever
 * looks at its head.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/netdevice.h>
#include <net/netfilter/nf_conntrack.h>

#include "instance.h"
#include "output.h"
#include "synhold.h"

#define SYN_HOLD_TIME (6 * HZ)

struct synhold_cb {
	unsigned long deadline;
	struct nat64_syn4 syn;
	bool v6;
};

static struct synhold_cb *synhold_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct synhold_cb) > sizeof(skb->cb));
	return (struct synhold_cb *)skb->cb;
}

static void count(struct nat64_instance *inst, enum nat64_stat stat)
{
	local_bh_disable();
	nat64_stats_inc(&inst->stats, stat);
	local_bh_enable();
}

/* Did the IPv6 side open the connection this SYN asks for? */
static bool opened_from_v6(struct nat64_instance *inst,
			   const struct nat64_syn4 *syn)
{
	struct nat64_bib_entry *bibe;

	bibe = nat64_bib_find4(&inst->bib, IPPROTO_TCP, syn->daddr,
			       syn->dport);
	return bibe && nat64_session_find4(&inst->bib, bibe, syn->saddr,
					   syn->sport);
}

static void synhold_expire(struct nat64_instance *inst, struct sk_buff *skb)
{
	struct synhold_cb cb = *synhold_cb(skb);
	struct net *net = READ_ONCE(inst->net);
	struct net_device *dev;

	rcu_read_lock();
	if (opened_from_v6(inst, &cb.syn)) {
		count(inst, NAT64_STAT_SYN_HOLD_OPENED);
		goto out;
	}
	dev = net ? dev_get_by_index_rcu(net, skb->skb_iif) : NULL;
	if (!dev)
		goto out;		/* its interface went away */
	skb->dev = dev;
	/* The control block was ours: no IP options to echo. */
	memset(skb->cb, 0, sizeof(skb->cb));
	local_bh_disable();
	if (cb.v6)
		nat64_icmp6_send(skb, ICMPV6_DEST_UNREACH,
				 ICMPV6_PORT_UNREACH, 0);
	else
		nat64_icmp4_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH,
				 0);
	nat64_stats_inc(&inst->stats, NAT64_STAT_SYN_HOLD_EXPIRED);
	local_bh_enable();
out:
	rcu_read_unlock();
	kfree_skb(skb);
}

static void synhold_work(struct work_struct *work)
{
	struct nat64_synhold *hold = container_of(to_delayed_work(work),
						  struct nat64_synhold, work);
	struct nat64_instance *inst = container_of(hold, struct nat64_instance,
						   synhold);
	struct sk_buff_head expired;
	unsigned long next = 0;
	struct sk_buff *skb;

	__skb_queue_head_init(&expired);
	spin_lock_bh(&hold->queue.lock);
	while ((skb = skb_peek(&hold->queue))) {
		if (time_before(jiffies, synhold_cb(skb)->deadline)) {
			next = synhold_cb(skb)->deadline - jiffies;
			break;
		}
		__skb_unlink(skb, &hold->queue);
		__skb_queue_tail(&expired, skb);
	}
	if (skb)
		queue_delayed_work(system_power_efficient_wq, &hold->work,
				   next ?: 1);
	spin_unlock_bh(&hold->queue.lock);

	while ((skb = __skb_dequeue(&expired)))
		synhold_expire(inst, skb);
}

void nat64_synhold_init(struct nat64_synhold *hold)
{
	skb_queue_head_init(&hold->queue);
	INIT_DELAYED_WORK(&hold->work, synhold_work);
}

/* After the hooks are gone: nothing adds any more. */
void nat64_synhold_stop(struct nat64_synhold *hold)
{
	cancel_delayed_work_sync(&hold->work);
	skb_queue_purge(&hold->queue);
}

/**
 * nat64_synhold_add() - keep an IPv4 SYN that found no BIB entry
 * @inst: the translator
 * @skb: the SYN, at PREROUTING; taken over if held
 * @syn: its transport addresses as an IPv4 SYN
 * @v6: @skb is the IPv6 SYN a hairpinned one was
 *
 * Context: softirq. Return: true if held, false if the queue is full
 * (max_held_syns), the caller then drops it.
 */
bool nat64_synhold_add(struct nat64_instance *inst, struct sk_buff *skb,
		       const struct nat64_syn4 *syn, bool v6)
{
	struct nat64_synhold *hold = &inst->synhold;
	bool held = false;

	spin_lock(&hold->queue.lock);
	if (skb_queue_len(&hold->queue) <
	    READ_ONCE(inst->settings.max_held_syns)) {
		/* Held for seconds: it pins no route, conntrack or device. */
		skb_dst_drop(skb);
		nf_reset_ct(skb);
		skb->dev = NULL;
		synhold_cb(skb)->deadline = jiffies + SYN_HOLD_TIME;
		synhold_cb(skb)->syn = *syn;
		synhold_cb(skb)->v6 = v6;
		if (skb_queue_empty(&hold->queue))
			queue_delayed_work(system_power_efficient_wq,
					   &hold->work, SYN_HOLD_TIME);
		__skb_queue_tail(&hold->queue, skb);
		held = true;
	}
	spin_unlock(&hold->queue.lock);
	return held;
}
