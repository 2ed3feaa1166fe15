/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_EVENTS_H
#define _NAT64_EVENTS_H

#include <linux/ktime.h>
#include <linux/types.h>

struct nat64_instance;

enum nat64_event_type {
	NAT64_EVENT_BIB_NEW,
	NAT64_EVENT_BIB_DEL,
	NAT64_EVENT_SESSION_NEW,
	NAT64_EVENT_SESSION_DEL,
	NAT64_EVENT_FLUSH,		/* no object */
	NAT64_EVENT_BLOCK_NEW,		/* a struct nat64_port_block */
	NAT64_EVENT_BLOCK_DEL,
};

/*
 * What the tables changed. @obj is a struct nat64_bib_entry, a struct
 * nat64_session or a struct nat64_port_block; removed objects wait a grace period before they are
 * freed, so it stays readable as long as the RCU read section in which
 * it was recorded.
 */
struct nat64_event {
	enum nat64_event_type type;
	const void *obj;
	/*
	 * When the tables changed, not when the event is sent: two CPUs
	 * may send in the other order, a release and a reuse of one pool4
	 * address for one, and a log orders them by this.
	 */
	u64 time_ns;
};

/*
 * Events recorded under the table lock and emitted after it is dropped:
 * whoever listens never adds work to the lock's critical sections. The
 * recorder provides the storage; what does not fit is counted, not kept.
 */
struct nat64_event_log {
	struct nat64_event *events;
	unsigned int room;
	unsigned int count;
	unsigned int lost;
};

/* Where events go; the netlink layer sets it, the tables never see it. */
struct nat64_event_sink {
	void (*emit)(struct nat64_instance *inst,
		     const struct nat64_event *event);
};

void nat64_events_set_sink(const struct nat64_event_sink *sink);

static inline void nat64_event_log_init(struct nat64_event_log *log,
					struct nat64_event *events,
					unsigned int room)
{
	log->events = events;
	log->room = room;
	log->count = 0;
	log->lost = 0;
}

static inline void nat64_event_record(struct nat64_event_log *log,
				      enum nat64_event_type type,
				      const void *obj)
{
	if (log->count < log->room) {
		log->events[log->count].type = type;
		log->events[log->count].obj = obj;
		log->events[log->count].time_ns = ktime_get_real_ns();
		log->count++;
	} else {
		log->lost++;
	}
}

void nat64_events_emit(struct nat64_instance *inst,
		       struct nat64_event_log *log);

#endif /* _NAT64_EVENTS_H */
