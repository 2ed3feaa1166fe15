// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: header translation (RFC 7915 4.1, 5.1), IPv4 options, and ICMP
 * errors quoting anything from 4 bytes of transport to a whole packet,
 * on packets built here and parsed by parse.c. Included by xlat.c.
 *
 * The errors are checked by a round trip: a packet built here goes one
 * way, an error quoting part of what came out comes back, and what the
 * translated error quotes must be the original packet's bytes.
 */

#include <kunit/test.h>

#include "parse.h"

#define T_PAYLOAD 100

static const struct in6_addr t_client6 = {
	.s6_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 } };	/* 2001:db8::5 */
static const struct in6_addr t_server6 = {
	.s6_addr = { 0x00, 0x64, 0xff, 0x9b, [12] = 192, 0, 2, 5 } };
static const struct in6_addr t_router6 = {
	.s6_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0xff } };
#define T_POOL4 htonl(0xc0000202)	/* 192.0.2.2 */
#define T_SERVER4 htonl(0xc0000205)	/* 192.0.2.5 */
#define T_ROUTER4 htonl(0xc6336401)	/* 198.51.100.1 */

/* A BIB entry, a session with 192.0.2.5#53, and an instance for pool6. */
struct t_state {
	struct nat64_instance inst;
	struct nat64_bib_entry bibe;
	struct nat64_session session;
};

static struct t_state *t_state(struct kunit *test, u8 proto)
{
	struct t_state *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->inst.pool6.addr = t_server6;
	memset(&t->inst.pool6.addr.s6_addr[12], 0, 4);
	t->inst.pool6.len = 96;
	t->bibe.key6.addr = t_client6;
	t->bibe.key6.port = 5000;
	t->bibe.key6.proto = proto;
	t->bibe.key4.addr = T_POOL4;
	t->bibe.key4.port = 61234;
	t->bibe.key4.proto = proto;
	t->session.key.bib = &t->bibe;
	t->session.key.addr = T_SERVER4;
	t->session.key.port = 53;
	return t;
}

static struct sk_buff *t_skb(struct kunit *test, unsigned int len,
			     unsigned int headroom)
{
	struct sk_buff *skb = alloc_skb(headroom + len + 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, headroom);
	skb_put(skb, len);
	memset(skb->data, 0, len);
	skb_reset_network_header(skb);
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}

static unsigned int t_l4_len(u8 proto, unsigned int plen)
{
	return plen + (proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
		       proto == IPPROTO_UDP ? sizeof(struct udphdr) :
		       sizeof(struct icmphdr));
}

/*
 * A transport header and @plen bytes of payload at @l4, summed with the
 * pseudo-header sum @pseudo (zero for ICMP). Ports: @sport to @dport; an
 * echo's identifier is the IPv6 side's port, or the pool4 side's.
 */
static void t_fill_l4(u8 *l4, u8 proto, bool icmp6, unsigned int plen,
		      u16 sport, u16 dport, __wsum pseudo)
{
	unsigned int len = t_l4_len(proto, plen);
	__sum16 *check;
	unsigned int i;

	for (i = 0; i < plen; i++)
		l4[len - plen + i] = i * 7 + 3;
	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)l4;

		th->source = htons(sport);
		th->dest = htons(dport);
		th->seq = htonl(0x01020304);
		th->doff = 5;
		th->syn = 1;
		check = &th->check;
	} else if (proto == IPPROTO_UDP) {
		struct udphdr *uh = (struct udphdr *)l4;

		uh->source = htons(sport);
		uh->dest = htons(dport);
		uh->len = htons(len);
		check = &uh->check;
	} else {
		struct icmphdr *ih = (struct icmphdr *)l4;

		ih->type = icmp6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO;
		ih->un.echo.id = htons(icmp6 ? sport : dport);
		ih->un.echo.sequence = htons(7);
		check = &ih->checksum;
	}
	*check = csum_fold(csum_add(csum_partial(l4, len, 0), pseudo));
}

/* 2001:db8::5#5000 -> 64:ff9b::192.0.2.5#53 (ICMP: echo id 5000). */
static struct sk_buff *t_skb6(struct kunit *test, u8 proto, unsigned int plen)
{
	unsigned int len = t_l4_len(proto, plen);
	struct sk_buff *skb = t_skb(test, sizeof(struct ipv6hdr) + len, 64);
	struct ipv6hdr *ip6 = ipv6_hdr(skb);
	u8 nexthdr = proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 : proto;

	ip6_flow_hdr(ip6, 0xb8, htonl(0x12345));
	ip6->payload_len = htons(len);
	ip6->nexthdr = nexthdr;
	ip6->hop_limit = 64;
	ip6->saddr = t_client6;
	ip6->daddr = t_server6;
	t_fill_l4((u8 *)(ip6 + 1), proto, true, plen, 5000, 53,
		  nat64_pseudo6_sum(&ip6->saddr, &ip6->daddr, len, nexthdr));
	skb->protocol = htons(ETH_P_IPV6);
	return skb;
}

/*
 * 192.0.2.5#53 -> 192.0.2.2#61234 (ICMP: echo id 61234), with @optlen
 * bytes of IPv4 options (@opts, or no-ops) and @headroom before it.
 */
static struct sk_buff *t_skb4(struct kunit *test, u8 proto, unsigned int plen,
			      const u8 *opts, unsigned int optlen,
			      unsigned int headroom, bool udp_checksum)
{
	unsigned int len = t_l4_len(proto, plen);
	unsigned int ihl = sizeof(struct iphdr) + optlen;
	struct sk_buff *skb = t_skb(test, ihl + len, headroom);
	struct iphdr *iph = ip_hdr(skb);
	u8 *l4 = skb->data + ihl;

	iph->version = 4;
	iph->ihl = ihl / 4;
	iph->tos = 0x20;
	iph->tot_len = htons(ihl + len);
	iph->id = htons(0x1234);
	iph->ttl = 30;
	iph->protocol = proto;
	iph->saddr = T_SERVER4;
	iph->daddr = T_POOL4;
	if (opts)
		memcpy(iph + 1, opts, optlen);
	else
		memset(iph + 1, IPOPT_NOOP, optlen);
	ip_send_check(iph);
	t_fill_l4(l4, proto, false, plen, 53, 61234,
		  proto == IPPROTO_ICMP ? 0 :
		  csum_unfold(~csum_tcpudp_magic(iph->saddr, iph->daddr, len,
						 proto, 0)));
	if (proto == IPPROTO_UDP && !udp_checksum)
		((struct udphdr *)l4)->check = 0;
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

static __sum16 t_verify4(struct sk_buff *skb, u8 proto, unsigned int len)
{
	const struct iphdr *iph = ip_hdr(skb);
	__wsum sum = skb_checksum(skb, skb_transport_offset(skb), len, 0);

	if (proto == IPPROTO_ICMP)
		return csum_fold(sum);
	return csum_tcpudp_magic(iph->saddr, iph->daddr, len, proto, sum);
}

static __sum16 t_verify6(struct sk_buff *skb, u8 nexthdr, unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);

	return csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len, nexthdr,
			       skb_checksum(skb, skb_transport_offset(skb),
					    len, 0));
}

static void t_6to4(struct kunit *test, struct t_state *t, struct sk_buff *skb)
{
	struct nat64_pkt pkt = { .inst = &t->inst, .skb = skb };

	KUNIT_ASSERT_EQ(test, nat64_parse6(&pkt), 0);
	KUNIT_ASSERT_EQ(test, nat64_xlat_6to4(&pkt, &t->bibe.key4, T_SERVER4,
					      nat64_xlat_wants_df(20 +
								  pkt.l4.len),
					      &init_net), 0);
}

static void t_4to6(struct kunit *test, struct t_state *t, struct sk_buff *skb)
{
	struct nat64_pkt pkt = { .inst = &t->inst, .skb = skb };

	KUNIT_ASSERT_EQ(test, nat64_parse4(&pkt), 0);
	KUNIT_ASSERT_FALSE(test, pkt.source_route);
	KUNIT_ASSERT_EQ(test, nat64_xlat_4to6(&pkt, &t_server6, &t->bibe.key6,
					      false), 0);
}

static void t_check_iphdr(struct kunit *test, struct sk_buff *skb, u8 proto,
			  unsigned int l4_len)
{
	const struct iphdr *iph = ip_hdr(skb);

	KUNIT_EXPECT_EQ(test, (int)iph->version, 4);
	KUNIT_EXPECT_EQ(test, (int)iph->ihl, 5);
	KUNIT_EXPECT_EQ(test, iph->tos, 0xb8);		/* traffic class */
	KUNIT_EXPECT_EQ(test, iph->ttl, 63);		/* hop limit - 1 */
	KUNIT_EXPECT_EQ(test, iph->protocol, proto);
	KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), 20 + l4_len);
	KUNIT_EXPECT_EQ(test, iph->saddr, T_POOL4);
	KUNIT_EXPECT_EQ(test, iph->daddr, T_SERVER4);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);
	KUNIT_EXPECT_EQ(test, skb->protocol, htons(ETH_P_IP));
	KUNIT_EXPECT_EQ(test, skb->len, 20 + l4_len);
	KUNIT_EXPECT_EQ(test, t_verify4(skb, proto, l4_len), 0);
}

static void xlat_test_udp_6to4(struct kunit *test)
{
	struct t_state *t = t_state(test, IPPROTO_UDP);
	struct sk_buff *skb = t_skb6(test, IPPROTO_UDP, T_PAYLOAD);

	t_6to4(test, t, skb);
	t_check_iphdr(test, skb, IPPROTO_UDP, 8 + T_PAYLOAD);
	/* Small packets leave DF clear (RFC 7915 5.1). */
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->frag_off, 0);
	KUNIT_EXPECT_EQ(test, ntohs(udp_hdr(skb)->source), 61234);
	KUNIT_EXPECT_EQ(test, ntohs(udp_hdr(skb)->dest), 53);
	kfree_skb(skb);
}

static void xlat_test_tcp_6to4_df(struct kunit *test)
{
	struct t_state *t = t_state(test, IPPROTO_TCP);
	struct sk_buff *skb = t_skb6(test, IPPROTO_TCP, 1400);

	t_6to4(test, t, skb);
	t_check_iphdr(test, skb, IPPROTO_TCP, 20 + 1400);
	/* Big ones set it, for path MTU discovery. */
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->frag_off, htons(IP_DF));
	KUNIT_EXPECT_EQ(test, ntohs(tcp_hdr(skb)->source), 61234);
	kfree_skb(skb);
}

static void xlat_test_echo_6to4(struct kunit *test)
{
	struct t_state *t = t_state(test, IPPROTO_ICMP);
	struct sk_buff *skb = t_skb6(test, IPPROTO_ICMP, T_PAYLOAD);
	struct icmphdr *icmp;

	t_6to4(test, t, skb);
	t_check_iphdr(test, skb, IPPROTO_ICMP, 8 + T_PAYLOAD);
	icmp = icmp_hdr(skb);
	KUNIT_EXPECT_EQ(test, icmp->type, ICMP_ECHO);
	KUNIT_EXPECT_EQ(test, icmp->code, 0);
	KUNIT_EXPECT_EQ(test, ntohs(icmp->un.echo.id), 61234);
	KUNIT_EXPECT_EQ(test, ntohs(icmp->un.echo.sequence), 7);
	kfree_skb(skb);
}

static void t_check_ipv6hdr(struct kunit *test, struct sk_buff *skb,
			    u8 nexthdr, unsigned int l4_len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);

	KUNIT_EXPECT_EQ(test, (int)ip6->version, 6);
	KUNIT_EXPECT_EQ(test, ipv6_get_dsfield(ip6), 0x20);	/* TOS */
	KUNIT_EXPECT_EQ(test, ip6->hop_limit, 29);		/* TTL - 1 */
	KUNIT_EXPECT_EQ(test, ip6->nexthdr, nexthdr);
	KUNIT_EXPECT_EQ(test, ntohs(ip6->payload_len), l4_len);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6->saddr, &t_server6));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6->daddr, &t_client6));
	KUNIT_EXPECT_EQ(test, skb->protocol, htons(ETH_P_IPV6));
	KUNIT_EXPECT_EQ(test, skb->len, sizeof(*ip6) + l4_len);
	KUNIT_EXPECT_EQ(test, t_verify6(skb, nexthdr, l4_len), 0);
}

static void xlat_test_udp_4to6(struct kunit *test)
{
	struct t_state *t = t_state(test, IPPROTO_UDP);
	struct sk_buff *skb = t_skb4(test, IPPROTO_UDP, T_PAYLOAD, NULL, 0,
				     64, true);

	t_4to6(test, t, skb);
	t_check_ipv6hdr(test, skb, IPPROTO_UDP, 8 + T_PAYLOAD);
	KUNIT_EXPECT_EQ(test, ntohs(udp_hdr(skb)->dest), 5000);
	kfree_skb(skb);
}

/* IPv4 UDP may omit the checksum; IPv6 UDP may not (RFC 7915 4.5). */
static void xlat_test_udp_4to6_zero_checksum(struct kunit *test)
{
	struct t_state *t = t_state(test, IPPROTO_UDP);
	struct sk_buff *skb = t_skb4(test, IPPROTO_UDP, T_PAYLOAD, NULL, 0,
				     64, false);

	t_4to6(test, t, skb);
	t_check_ipv6hdr(test, skb, IPPROTO_UDP, 8 + T_PAYLOAD);
	KUNIT_EXPECT_NE(test, udp_hdr(skb)->check, 0);
	kfree_skb(skb);
}

/*
 * IPv4 options of every length, behind every amount of headroom from
 * none up: they are not carried over (RFC 7915 4.1), and a 60-byte
 * header with a NIC's headroom once made skb_cow_head() ask for 4 GiB.
 */
static void xlat_test_options_4to6(struct kunit *test)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
	unsigned int optlen, headroom, i;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		struct t_state *t = t_state(test, protos[i]);
		u8 nexthdr = protos[i] == IPPROTO_ICMP ? IPPROTO_ICMPV6 :
							 protos[i];

		for (optlen = 0; optlen <= 40; optlen += 4) {
			for (headroom = 0; headroom <= 96; headroom += 16) {
				struct sk_buff *skb;

				skb = t_skb4(test, protos[i], T_PAYLOAD, NULL,
					     optlen, headroom, true);
				t_4to6(test, t, skb);
				t_check_ipv6hdr(test, skb, nexthdr,
						t_l4_len(protos[i], T_PAYLOAD));
				kfree_skb(skb);
			}
		}
	}
}

/* RFC 791: a source route is done once its pointer is past its end. */
static void xlat_test_source_route(struct kunit *test)
{
	/* LSRR with two addresses, pointer at the first: unexpired. */
	u8 lsrr[12] = { IPOPT_LSRR, 11, 4, 10, 0, 0, 1, 10, 0, 0, 2,
			IPOPT_END };
	struct nat64_pkt pkt = {};
	struct sk_buff *skb;

	skb = t_skb4(test, IPPROTO_UDP, 10, lsrr, sizeof(lsrr), 64, true);
	pkt.skb = skb;
	KUNIT_EXPECT_EQ(test, nat64_parse4(&pkt), 0);
	KUNIT_EXPECT_TRUE(test, pkt.source_route);
	kfree_skb(skb);

	lsrr[2] = 12;		/* past both addresses: followed */
	skb = t_skb4(test, IPPROTO_UDP, 10, lsrr, sizeof(lsrr), 64, true);
	memset(&pkt, 0, sizeof(pkt));
	pkt.skb = skb;
	KUNIT_EXPECT_EQ(test, nat64_parse4(&pkt), 0);
	KUNIT_EXPECT_FALSE(test, pkt.source_route);
	kfree_skb(skb);

	lsrr[0] = IPOPT_SSRR;
	lsrr[1] = 13;		/* longer than the options: malformed */
	skb = t_skb4(test, IPPROTO_UDP, 10, lsrr, sizeof(lsrr), 64, true);
	memset(&pkt, 0, sizeof(pkt));
	pkt.skb = skb;
	KUNIT_EXPECT_EQ(test, nat64_parse4(&pkt), -NAT64_STAT_DROP_TRUNCATED);
	kfree_skb(skb);
}

/* ---- ICMP errors: round trips ---- */

static const unsigned int t_quotes[] = { 4, 6, 8, 12, 20, 28, 64, 1000 };

/* An ICMP error from @router4 about the IPv4 packet @p4, quoting @quote. */
static struct sk_buff *t_error4(struct kunit *test, const struct sk_buff *p4,
				unsigned int quote, u8 type, u8 code, u32 info)
{
	unsigned int len = sizeof(struct iphdr) + sizeof(struct icmphdr) +
			   quote;
	struct sk_buff *skb = t_skb(test, len, 64);
	struct iphdr *iph = ip_hdr(skb);
	struct icmphdr *icmp = (struct icmphdr *)(iph + 1);

	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(len);
	iph->ttl = 50;
	iph->protocol = IPPROTO_ICMP;
	iph->saddr = T_ROUTER4;
	iph->daddr = ip_hdr(p4)->saddr;
	ip_send_check(iph);
	icmp->type = type;
	icmp->code = code;
	icmp->un.gateway = htonl(info);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(p4, 0, icmp + 1, quote), 0);
	icmp->checksum = csum_fold(csum_partial(icmp, len - sizeof(*iph), 0));
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

static struct sk_buff *t_error6(struct kunit *test, const struct sk_buff *p6,
				unsigned int quote, u8 type, u8 code, u32 info)
{
	unsigned int len = sizeof(struct icmp6hdr) + quote;
	struct sk_buff *skb = t_skb(test, sizeof(struct ipv6hdr) + len, 64);
	struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct icmp6hdr *icmp6 = (struct icmp6hdr *)(ip6 + 1);

	ip6->version = 6;
	ip6->payload_len = htons(len);
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = 50;
	ip6->saddr = t_router6;
	ip6->daddr = ipv6_hdr(p6)->saddr;
	icmp6->icmp6_type = type;
	icmp6->icmp6_code = code;
	icmp6->icmp6_dataun.un_data32[0] = htonl(info);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(p6, 0, icmp6 + 1, quote), 0);
	icmp6->icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len,
					     IPPROTO_ICMPV6,
					     csum_partial(icmp6, len, 0));
	skb->protocol = htons(ETH_P_IPV6);
	return skb;
}

/*
 * A 6 -> 4 packet, an ICMP port unreachable quoting @l4_quote bytes of
 * its transport, and that error translated back: it must quote what the
 * IPv6 packet was, byte for byte, as far as the quote goes.
 */
static void t_roundtrip_46(struct kunit *test, u8 proto, unsigned int l4_quote)
{
	struct t_state *t = t_state(test, proto);
	struct sk_buff *p6 = t_skb6(test, proto, T_PAYLOAD);
	struct sk_buff *orig = skb_copy(p6, GFP_KERNEL);
	struct nat64_path_mtu path = { 1500, 1500 };
	unsigned int l4_len = t_l4_len(proto, T_PAYLOAD);
	struct nat64_pkt pkt = { .inst = &t->inst };
	const struct ipv6hdr *in6;
	struct sk_buff *err4, *err6;
	struct icmp6hdr *icmp6;
	unsigned int quoted;
	u8 nexthdr = proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 : proto;

	KUNIT_ASSERT_NOT_NULL(test, orig);
	t_6to4(test, t, p6);
	quoted = min(l4_quote, l4_len);
	err4 = t_error4(test, p6, sizeof(struct iphdr) + quoted,
			ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	pkt.skb = err4;
	KUNIT_ASSERT_EQ(test, nat64_parse4(&pkt), 0);
	KUNIT_ASSERT_TRUE(test, pkt.l4.icmp_error);
	KUNIT_ASSERT_EQ(test, nat64_parse_quote4(&pkt), 0);
	err6 = nat64_xlat_error4to6(&pkt, &t->session, &t_server6, &path,
				    false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(err6));

	skb_set_transport_header(err6, sizeof(struct ipv6hdr));
	KUNIT_EXPECT_EQ(test, err6->len, 2 * sizeof(struct ipv6hdr) + 8 +
			quoted);
	KUNIT_EXPECT_EQ(test, t_verify6(err6, IPPROTO_ICMPV6, err6->len - 40),
			0);
	icmp6 = icmp6_hdr(err6);
	KUNIT_EXPECT_EQ(test, icmp6->icmp6_type, ICMPV6_DEST_UNREACH);
	KUNIT_EXPECT_EQ(test, icmp6->icmp6_code, ICMPV6_PORT_UNREACH);
	KUNIT_EXPECT_EQ(test, ipv6_hdr(err6)->hop_limit, 49);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ipv6_hdr(err6)->daddr,
						&t_client6));
	in6 = (const struct ipv6hdr *)(icmp6 + 1);
	/* The original packet's length, not the quote's. */
	KUNIT_EXPECT_EQ(test, ntohs(in6->payload_len), l4_len);
	KUNIT_EXPECT_EQ(test, in6->nexthdr, nexthdr);
	KUNIT_EXPECT_EQ(test, in6->hop_limit, 63);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&in6->saddr, &t_client6));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&in6->daddr, &t_server6));
	KUNIT_EXPECT_EQ(test, memcmp(in6 + 1, orig->data + sizeof(*in6),
				     quoted), 0);

	kfree_skb(err6);
	kfree_skb(err4);
	kfree_skb(p6);
	kfree_skb(orig);
}

/* The other way: an ICMPv6 error about a 4 -> 6 packet. */
static void t_roundtrip_64(struct kunit *test, u8 proto, unsigned int l4_quote)
{
	struct t_state *t = t_state(test, proto);
	struct sk_buff *p4 = t_skb4(test, proto, T_PAYLOAD, NULL, 0, 64, true);
	struct sk_buff *orig = skb_copy(p4, GFP_KERNEL);
	struct nat64_path_mtu path = { 1500, 1500 };
	unsigned int l4_len = t_l4_len(proto, T_PAYLOAD);
	struct nat64_pkt pkt = { .inst = &t->inst };
	const struct iphdr *in4;
	struct sk_buff *err6, *err4;
	struct icmphdr *icmp;
	unsigned int quoted;

	KUNIT_ASSERT_NOT_NULL(test, orig);
	t_4to6(test, t, p4);
	quoted = min(l4_quote, l4_len);
	err6 = t_error6(test, p4, sizeof(struct ipv6hdr) + quoted,
			ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
	pkt.skb = err6;
	KUNIT_ASSERT_EQ(test, nat64_parse6(&pkt), 0);
	KUNIT_ASSERT_TRUE(test, pkt.l4.icmp_error);
	KUNIT_ASSERT_EQ(test, nat64_parse_quote6(&pkt), 0);
	err4 = nat64_xlat_error6to4(&pkt, &t->session, &path, &init_net);
	KUNIT_ASSERT_FALSE(test, IS_ERR(err4));

	skb_set_transport_header(err4, sizeof(struct iphdr));
	KUNIT_EXPECT_EQ(test, err4->len, 2 * sizeof(struct iphdr) + 8 +
			quoted);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(ip_hdr(err4), 5), 0);
	KUNIT_EXPECT_EQ(test, ntohs(ip_hdr(err4)->tot_len), err4->len);
	KUNIT_EXPECT_EQ(test, t_verify4(err4, IPPROTO_ICMP, err4->len - 20),
			0);
	icmp = icmp_hdr(err4);
	KUNIT_EXPECT_EQ(test, icmp->type, ICMP_DEST_UNREACH);
	KUNIT_EXPECT_EQ(test, icmp->code, ICMP_PORT_UNREACH);
	KUNIT_EXPECT_EQ(test, ip_hdr(err4)->saddr, T_POOL4);
	KUNIT_EXPECT_EQ(test, ip_hdr(err4)->daddr, T_SERVER4);
	in4 = (const struct iphdr *)(icmp + 1);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(in4, 5), 0);
	KUNIT_EXPECT_EQ(test, ntohs(in4->tot_len), 20 + l4_len);
	KUNIT_EXPECT_EQ(test, in4->protocol, proto);
	KUNIT_EXPECT_EQ(test, in4->ttl, 29);
	KUNIT_EXPECT_EQ(test, in4->saddr, T_SERVER4);
	KUNIT_EXPECT_EQ(test, in4->daddr, T_POOL4);
	KUNIT_EXPECT_EQ(test, memcmp(in4 + 1, orig->data + sizeof(*in4),
				     quoted), 0);

	kfree_skb(err6);
	kfree_skb(err4);
	kfree_skb(p4);
	kfree_skb(orig);
}

static void xlat_test_error_quotes(struct kunit *test)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		for (j = 0; j < ARRAY_SIZE(t_quotes); j++) {
			/* An echo's identifier takes 6 bytes to quote. */
			if (protos[i] == IPPROTO_ICMP && t_quotes[j] < 6)
				continue;
			t_roundtrip_46(test, protos[i], t_quotes[j]);
			t_roundtrip_64(test, protos[i], t_quotes[j]);
		}
	}
}

/* Ports take 4 bytes and an identifier 6: with less, nothing to find. */
static void xlat_test_error_short_quote(struct kunit *test)
{
	struct t_state *t = t_state(test, IPPROTO_ICMP);
	struct sk_buff *p6 = t_skb6(test, IPPROTO_ICMP, T_PAYLOAD);
	struct nat64_pkt pkt = { .inst = &t->inst };
	unsigned int quote;
	struct sk_buff *err;

	t_6to4(test, t, p6);
	for (quote = 0; quote < 6; quote++) {
		err = t_error4(test, p6, sizeof(struct iphdr) + quote,
			       ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
		memset(&pkt, 0, sizeof(pkt));
		pkt.skb = err;
		KUNIT_ASSERT_EQ(test, nat64_parse4(&pkt), 0);
		KUNIT_EXPECT_EQ(test, nat64_parse_quote4(&pkt),
				-NAT64_STAT_DROP_TRUNCATED);
		kfree_skb(err);
	}
	kfree_skb(p6);
}

/* RFC 7915 4.2: protocol unreachable points at the next header field. */
static void xlat_test_protocol_unreachable(struct kunit *test)
{
	struct t_state *t = t_state(test, IPPROTO_UDP);
	struct sk_buff *p6 = t_skb6(test, IPPROTO_UDP, T_PAYLOAD);
	struct nat64_path_mtu path = { 1500, 1500 };
	struct nat64_pkt pkt = { .inst = &t->inst };
	struct sk_buff *err4, *err6;
	struct icmp6hdr *icmp6;

	t_6to4(test, t, p6);
	err4 = t_error4(test, p6, 28, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
	pkt.skb = err4;
	KUNIT_ASSERT_EQ(test, nat64_parse4(&pkt), 0);
	KUNIT_ASSERT_EQ(test, nat64_parse_quote4(&pkt), 0);
	err6 = nat64_xlat_error4to6(&pkt, &t->session, &t_server6, &path,
				    false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(err6));
	icmp6 = (struct icmp6hdr *)(err6->data + sizeof(struct ipv6hdr));
	KUNIT_EXPECT_EQ(test, icmp6->icmp6_type, ICMPV6_PARAMPROB);
	KUNIT_EXPECT_EQ(test, icmp6->icmp6_code, ICMPV6_UNK_NEXTHDR);
	KUNIT_EXPECT_EQ(test, ntohl(icmp6->icmp6_pointer), 6U);
	kfree_skb(err6);
	kfree_skb(err4);
	kfree_skb(p6);
}

/* Packet Too Big and Fragmentation Needed, bounded by both next hops. */
static void xlat_test_too_big(struct kunit *test)
{
	struct t_state *t = t_state(test, IPPROTO_UDP);
	struct nat64_path_mtu path = { 1500, 1500 };
	struct nat64_pkt pkt = { .inst = &t->inst };
	struct sk_buff *p, *err, *out;
	struct icmp6hdr *icmp6;
	struct icmphdr *icmp;

	/* ICMP Frag Needed, MTU 1400 -> PTB 1420; MTU 0 -> a plateau. */
	p = t_skb6(test, IPPROTO_UDP, 1450);
	t_6to4(test, t, p);
	err = t_error4(test, p, 28, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1400);
	pkt.skb = err;
	KUNIT_ASSERT_EQ(test, nat64_parse4(&pkt), 0);
	KUNIT_ASSERT_EQ(test, nat64_parse_quote4(&pkt), 0);
	out = nat64_xlat_error4to6(&pkt, &t->session, &t_server6, &path,
				   false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(out));
	icmp6 = (struct icmp6hdr *)(out->data + sizeof(struct ipv6hdr));
	KUNIT_EXPECT_EQ(test, icmp6->icmp6_type, ICMPV6_PKT_TOOBIG);
	KUNIT_EXPECT_EQ(test, ntohl(icmp6->icmp6_mtu), 1420U);
	kfree_skb(out);
	path.v6 = 1300;		/* the IPv6 next hop is smaller */
	out = nat64_xlat_error4to6(&pkt, &t->session, &t_server6, &path,
				   false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(out));
	icmp6 = (struct icmp6hdr *)(out->data + sizeof(struct ipv6hdr));
	KUNIT_EXPECT_EQ(test, ntohl(icmp6->icmp6_mtu), 1300U);
	kfree_skb(out);
	kfree_skb(err);
	/* The quoted packet is 20 + 8 + 1450 = 1478: plateau 1006, +20. */
	err = t_error4(test, p, 28, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 0);
	memset(&pkt, 0, sizeof(pkt));
	pkt.inst = &t->inst;
	pkt.skb = err;
	path.v6 = 1500;
	KUNIT_ASSERT_EQ(test, nat64_parse4(&pkt), 0);
	KUNIT_ASSERT_EQ(test, nat64_parse_quote4(&pkt), 0);
	out = nat64_xlat_error4to6(&pkt, &t->session, &t_server6, &path,
				   false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(out));
	icmp6 = (struct icmp6hdr *)(out->data + sizeof(struct ipv6hdr));
	KUNIT_EXPECT_EQ(test, ntohl(icmp6->icmp6_mtu), 1280U);	/* 1026 */
	kfree_skb(out);
	kfree_skb(err);
	kfree_skb(p);

	/* PTB 1400 -> Frag Needed 1380, within the IPv4 next hop. */
	p = t_skb4(test, IPPROTO_UDP, 1450, NULL, 0, 64, true);
	t_4to6(test, t, p);
	err = t_error6(test, p, 48, ICMPV6_PKT_TOOBIG, 0, 1400);
	memset(&pkt, 0, sizeof(pkt));
	pkt.inst = &t->inst;
	pkt.skb = err;
	KUNIT_ASSERT_EQ(test, nat64_parse6(&pkt), 0);
	KUNIT_ASSERT_EQ(test, nat64_parse_quote6(&pkt), 0);
	out = nat64_xlat_error6to4(&pkt, &t->session, &path, &init_net);
	KUNIT_ASSERT_FALSE(test, IS_ERR(out));
	icmp = (struct icmphdr *)(out->data + sizeof(struct iphdr));
	KUNIT_EXPECT_EQ(test, icmp->type, ICMP_DEST_UNREACH);
	KUNIT_EXPECT_EQ(test, icmp->code, ICMP_FRAG_NEEDED);
	KUNIT_EXPECT_EQ(test, ntohs(icmp->un.frag.mtu), 1380);
	kfree_skb(out);
	path.v4 = 1000;
	out = nat64_xlat_error6to4(&pkt, &t->session, &path, &init_net);
	KUNIT_ASSERT_FALSE(test, IS_ERR(out));
	icmp = (struct icmphdr *)(out->data + sizeof(struct iphdr));
	KUNIT_EXPECT_EQ(test, ntohs(icmp->un.frag.mtu), 1000);
	kfree_skb(out);
	kfree_skb(err);
	kfree_skb(p);
}

static struct kunit_case xlat_test_cases[] = {
	KUNIT_CASE(xlat_test_udp_6to4),
	KUNIT_CASE(xlat_test_tcp_6to4_df),
	KUNIT_CASE(xlat_test_echo_6to4),
	KUNIT_CASE(xlat_test_udp_4to6),
	KUNIT_CASE(xlat_test_udp_4to6_zero_checksum),
	KUNIT_CASE(xlat_test_options_4to6),
	KUNIT_CASE(xlat_test_source_route),
	KUNIT_CASE(xlat_test_error_quotes),
	KUNIT_CASE(xlat_test_error_short_quote),
	KUNIT_CASE(xlat_test_protocol_unreachable),
	KUNIT_CASE(xlat_test_too_big),
	{}
};

static struct kunit_suite xlat_test_suite = {
	.name = "nat64_xlat",
	.test_cases = xlat_test_cases,
};

kunit_test_suite(xlat_test_suite);
