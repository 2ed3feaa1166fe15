// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The tool's side of the "nat64" generic netlink family: resolving the
 * family and its multicast group, and one request/answer exchange with
 * the kernel's extended ack message printed on failure.
 */

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "genl.h"

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct nat64_genl *nl = data;
	const struct nlattr *grp, *a;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		nl->family = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(grp, attr) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(a, grp) {
				if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(a);
				else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(a);
			}
			if (name && !strcmp(name, NAT64_MCGRP_EVENTS))
				nl->events_group = id;
		}
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			      data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int nat64_genl_open(struct nat64_genl *nl)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nat64: netlink socket");
		return -1;
	}
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);

	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NAT64_GENL_NAME);
	if (nat64_genl_talk(nl, nlh, family_cb, nl, true)) {
		if (errno == ENOENT)
			fprintf(stderr, "nat64: the nat64 module is not loaded (modprobe nat64)\n");
		nat64_genl_close(nl);
		return -1;
	}
	return 0;
}

void nat64_genl_close(struct nat64_genl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct nlmsghdr *nat64_genl_request(struct nat64_genl *nl, uint8_t cmd,
				    uint16_t flags, const char *instance)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = NAT64_GENL_VERSION;
	if (instance)
		mnl_attr_put_strz(nlh, NAT64_A_INSTANCE, instance);
	return nlh;
}

/* An error's extended ack message, if the kernel gave one. */
static const char *extack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*err);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_for_each(attr, nlh, off)
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
			return mnl_attr_get_str(attr);
	return NULL;
}

/* What an operator can do about a refusal. */
static const char *next_step(int err, const char *msg)
{
	if (err == EPERM)
		return " (this needs CAP_NET_ADMIN: run it as root)";
	if (msg && strstr(msg, "no nat64 instance"))
		return " (nat64 instance show lists the instances; -i NAME or -n NETNS picks one)";
	return "";
}

/*
 * Sends @nlh and reads the answers, each to @cb, until the ack or the end
 * of the dump. Return: 0, or -1 with errno set and the kernel's message
 * printed (unless @quiet).
 */
int nat64_genl_talk(struct nat64_genl *nl, struct nlmsghdr *nlh,
		    mnl_cb_t cb, void *data, bool quiet)
{
	unsigned int seq = ++nl->seq;
	char buf[32768];	/* as large as a dump message can be */
	ssize_t n;

	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		perror("nat64: netlink send");
		return -1;
	}
	while ((n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf))) > 0) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		int len = n;

		for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(h);
				const char *msg;

				if (!err->error)
					return 0;
				errno = -err->error;
				msg = extack_msg(h);
				if (!quiet)
					fprintf(stderr, "nat64: %s%s%s%s\n",
						strerror(errno), msg ? ": " : "",
						msg ? msg : "", next_step(errno, msg));
				return -1;
			}
			if (cb && cb(h, data) < 0)
				return -1;
		}
	}
	perror("nat64: netlink receive");
	return -1;
}
