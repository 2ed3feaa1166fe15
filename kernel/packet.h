/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_PACKET_H
#define _NAT64_PACKET_H

#include <linux/in6.h>
#include <linux/skbuff.h>

#include "tcp.h"

struct nat64_instance;

/*
 * What parse.c learnt of a packet. Every offset and length here was
 * checked against what the skb holds; the stages after parse trust these
 * and read nothing of the packet that parse did not vouch for.
 */

/* A transport header, outer or quoted. */
struct nat64_l4 {
	u8 proto;		/* TCP, UDP, or IPPROTO_ICMP for both ICMPs */
	bool icmp_error;
	u8 icmp_type;		/* as the packet's own family numbers them */
	u8 icmp_code;
	unsigned int offset;	/* of the header, from skb->data */
	unsigned int len;	/* header and payload, as the IP header says */
	u16 src_port;		/* host order; ICMP query: the identifier */
	u16 dst_port;		/* ICMP query: the identifier too */
	struct nat64_tcp_segment tcp;
	bool tcp_ack;
};

/* The packet an ICMP error quotes, which went the other way. */
struct nat64_quote {
	unsigned int offset;	/* of its IP header, from skb->data */
	struct nat64_l4 l4;
	/*
	 * Bytes of its transport header and payload the error holds:
	 * at most l4.len, and what ends the error. Ports need 4 of them,
	 * an echo identifier 6; a checksum is adjusted only when quoted.
	 */
	unsigned int quoted;
	u8 ttl;
	u8 tos;
	bool fragment;		/* IPv6: it carried a Fragment header */
	union {
		struct {
			__be32 saddr;
			__be32 daddr;
		} v4;
		struct {
			struct in6_addr saddr;
			struct in6_addr daddr;
		} v6;
	};
};

struct nat64_pkt {
	struct nat64_instance *inst;
	struct net *net;
	struct sk_buff *skb;
	bool from_v6;
	/*
	 * The IP header and what is translated away with it: IPv4 options,
	 * IPv6 extension headers. The transport header follows at l4.offset.
	 */
	unsigned int l3_len;
	struct nat64_l4 l4;
	u8 ttl;			/* or hop limit */
	u8 tos;			/* or traffic class */
	bool df;		/* IPv4 only */
	/* IPv4: an unexpired source route option (RFC 7915 4.1) */
	bool source_route;
	/* IPv6: where a routing header still to be followed says so */
	u32 problem_pointer;
	struct nat64_quote quote;	/* when l4.icmp_error */
};

#endif /* _NAT64_PACKET_H */
