// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The one way out of the tables: they record what they changed in a log
 * the caller keeps on its stack, under their lock, and hand the log here
 * once the lock is dropped. Whoever listens (the netlink events group)
 * sets the sink; the tables do not know it exists.
 */

#include <linux/rcupdate.h>

#include "events.h"

static const struct nat64_event_sink __rcu *event_sink;

/* NULL stops the events; returns once no emit still uses the old sink. */
void nat64_events_set_sink(const struct nat64_event_sink *sink)
{
	rcu_assign_pointer(event_sink, sink);
	if (!sink)
		synchronize_rcu();
}

/**
 * nat64_events_emit() - pass a log's events on, and empty it
 * @inst: the instance whose tables changed
 * @log: what they recorded
 *
 * Context: any, outside the table lock, inside the RCU read section in
 * which the events were recorded (their objects live that long).
 */
void nat64_events_emit(struct nat64_instance *inst,
		       struct nat64_event_log *log)
{
	const struct nat64_event_sink *sink;
	unsigned int i;

	if (!log->count)
		return;
	rcu_read_lock();
	sink = rcu_dereference(event_sink);
	for (i = 0; sink && i < log->count; i++)
		sink->emit(inst, &log->events[i]);
	rcu_read_unlock();
	log->count = 0;
}
