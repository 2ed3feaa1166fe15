/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_SYSLOG_H
#define NAT64_TOOL_SYSLOG_H

#include <stddef.h>

#include "export.h"

/*
 * @rec as one RFC 5424 message, without a line end, into @buf: its
 * length, or -1 if it does not fit.
 */
int syslog_format(char *buf, size_t size, const struct log_record *rec,
		  const char *hostname);
/* This machine's name as a HOSTNAME field may hold it. */
void syslog_hostname(char *buf, size_t size);

#endif /* NAT64_TOOL_SYSLOG_H */
