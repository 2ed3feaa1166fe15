/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef NAT64_TOOL_GENL_H
#define NAT64_TOOL_GENL_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>

#include "uapi/nat64.h"

struct nat64_genl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t events_group;
	uint32_t portid;
	unsigned int seq;
	char buf[8192];
};

int nat64_genl_open(struct nat64_genl *nl);
void nat64_genl_close(struct nat64_genl *nl);
struct nlmsghdr *nat64_genl_request(struct nat64_genl *nl, uint8_t cmd,
				    uint16_t flags, const char *instance);
int nat64_genl_talk(struct nat64_genl *nl, struct nlmsghdr *nlh,
		    mnl_cb_t cb, void *data, bool quiet);

#endif /* NAT64_TOOL_GENL_H */
