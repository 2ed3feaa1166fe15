// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: header translation (RFC 7915 4.1, 5.1) and the checksums that
 * come out of it, on packets built here. Included by translate.c.
 */

#include <kunit/test.h>

#define T_PAYLOAD 20

static const struct in6_addr t_client6 = {
	.s6_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 } };	/* 2001:db8::5 */
static const struct in6_addr t_server6 = {
	.s6_addr = { 0x00, 0x64, 0xff, 0x9b, [12] = 192, 0, 2, 5 } };

static struct nat64_bib_entry t_bibe(u8 proto)
{
	struct nat64_bib_entry bibe = {};

	bibe.key6.addr = t_client6;
	bibe.key6.port = 5000;
	bibe.key6.proto = proto;
	bibe.key4.addr = htonl(0xc0000202);	/* 192.0.2.2 */
	bibe.key4.port = 61234;
	bibe.key4.proto = proto;
	return bibe;
}

static struct sk_buff *t_skb(struct kunit *test, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + 128, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_put(skb, len);
	memset(skb->data, 0, len);
	skb_reset_network_header(skb);
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}

/* An IPv6 packet from t_client6#5000 to t_server6#53 (ICMP: echo id). */
static struct sk_buff *t_skb6(struct kunit *test, u8 proto, unsigned int plen)
{
	unsigned int l4 = proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
			  proto == IPPROTO_UDP ? sizeof(struct udphdr) :
			  sizeof(struct icmp6hdr);
	struct sk_buff *skb = t_skb(test, sizeof(struct ipv6hdr) + l4 + plen);
	struct ipv6hdr *ip6 = ipv6_hdr(skb);
	void *l4h = ip6 + 1;
	__wsum sum;

	ip6_flow_hdr(ip6, 0xb8, htonl(0x12345));
	ip6->payload_len = htons(l4 + plen);
	ip6->nexthdr = proto;
	ip6->hop_limit = 64;
	ip6->saddr = t_client6;
	ip6->daddr = t_server6;
	memset(l4h + l4, 0xa5, plen);
	skb->protocol = htons(ETH_P_IPV6);
	if (proto == IPPROTO_UDP) {
		struct udphdr *uh = l4h;

		uh->source = htons(5000);
		uh->dest = htons(53);
		uh->len = htons(l4 + plen);
		sum = csum_partial(uh, l4 + plen, 0);
		uh->check = csum_ipv6_magic(&ip6->saddr, &ip6->daddr,
					    l4 + plen, proto, sum);
	} else if (proto == IPPROTO_TCP) {
		struct tcphdr *th = l4h;

		th->source = htons(5000);
		th->dest = htons(53);
		th->doff = 5;
		th->syn = 1;
		sum = csum_partial(th, l4 + plen, 0);
		th->check = csum_ipv6_magic(&ip6->saddr, &ip6->daddr,
					    l4 + plen, proto, sum);
	} else {
		struct icmp6hdr *ih = l4h;

		ih->icmp6_type = ICMPV6_ECHO_REQUEST;
		ih->icmp6_identifier = htons(5000);
		ih->icmp6_sequence = htons(1);
		sum = csum_partial(ih, l4 + plen, 0);
		ih->icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr,
						  l4 + plen, proto, sum);
	}
	return skb;
}

/* Translates @skb 6 to 4 as xlat6to4() does, without routing. */
static void t_6to4(struct kunit *test, struct sk_buff *skb,
		   const struct nat64_bib_entry *bibe)
{
	struct xlat_pkt pkt = { .skb = skb };
	struct ipv6hdr ip6 = *ipv6_hdr(skb);

	KUNIT_ASSERT_EQ(test, parse6(&pkt), 0);
	rewrite6to4(&pkt, &ip6, bibe, htonl(0xc0000205),
		    wants_df(&pkt, false), &init_net);
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
	KUNIT_EXPECT_EQ(test, ntohl(iph->saddr), 0xc0000202U);
	KUNIT_EXPECT_EQ(test, ntohl(iph->daddr), 0xc0000205U);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);
	KUNIT_EXPECT_EQ(test, skb->protocol, htons(ETH_P_IP));
	KUNIT_EXPECT_EQ(test, skb->len, 20 + l4_len);
}

/* A checksum over the IPv4 pseudo-header that verifies sums to zero. */
static __sum16 t_verify4(struct sk_buff *skb, u8 proto, unsigned int len)
{
	const struct iphdr *iph = ip_hdr(skb);

	return csum_tcpudp_magic(iph->saddr, iph->daddr, len, proto,
				 skb_checksum(skb, skb_transport_offset(skb),
					      len, 0));
}

static __sum16 t_verify6(struct sk_buff *skb, u8 proto, unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);

	return csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len, proto,
			       skb_checksum(skb, skb_transport_offset(skb),
					    len, 0));
}

static void translate_test_udp_6to4(struct kunit *test)
{
	struct nat64_bib_entry bibe = t_bibe(IPPROTO_UDP);
	struct sk_buff *skb = t_skb6(test, IPPROTO_UDP, T_PAYLOAD);
	unsigned int len = sizeof(struct udphdr) + T_PAYLOAD;

	t_6to4(test, skb, &bibe);
	t_check_iphdr(test, skb, IPPROTO_UDP, len);
	/* Small packets leave DF clear (RFC 7915 5.1). */
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->frag_off, 0);
	KUNIT_EXPECT_EQ(test, ntohs(udp_hdr(skb)->source), 61234);
	KUNIT_EXPECT_EQ(test, ntohs(udp_hdr(skb)->dest), 53);
	KUNIT_EXPECT_EQ(test, t_verify4(skb, IPPROTO_UDP, len), 0);
	kfree_skb(skb);
}

static void translate_test_tcp_6to4_df(struct kunit *test)
{
	struct nat64_bib_entry bibe = t_bibe(IPPROTO_TCP);
	struct sk_buff *skb = t_skb6(test, IPPROTO_TCP, 1400);
	unsigned int len = sizeof(struct tcphdr) + 1400;

	t_6to4(test, skb, &bibe);
	t_check_iphdr(test, skb, IPPROTO_TCP, len);
	/* Big ones set it, for path MTU discovery. */
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->frag_off, htons(IP_DF));
	KUNIT_EXPECT_EQ(test, ntohs(tcp_hdr(skb)->source), 61234);
	KUNIT_EXPECT_EQ(test, t_verify4(skb, IPPROTO_TCP, len), 0);
	kfree_skb(skb);
}

static void translate_test_echo_6to4(struct kunit *test)
{
	struct nat64_bib_entry bibe = t_bibe(IPPROTO_ICMP);
	struct sk_buff *skb = t_skb6(test, IPPROTO_ICMPV6, T_PAYLOAD);
	unsigned int len = sizeof(struct icmphdr) + T_PAYLOAD;
	struct icmphdr *icmp;
	__wsum sum;

	t_6to4(test, skb, &bibe);
	t_check_iphdr(test, skb, IPPROTO_ICMP, len);
	icmp = icmp_hdr(skb);
	KUNIT_EXPECT_EQ(test, icmp->type, ICMP_ECHO);
	KUNIT_EXPECT_EQ(test, icmp->code, 0);
	KUNIT_EXPECT_EQ(test, ntohs(icmp->un.echo.id), 61234);
	KUNIT_EXPECT_EQ(test, ntohs(icmp->un.echo.sequence), 1);
	/* ICMP sums no pseudo-header. */
	sum = skb_checksum(skb, skb_transport_offset(skb), len, 0);
	KUNIT_EXPECT_EQ(test, csum_fold(sum), 0);
	kfree_skb(skb);
}

/* An IPv4 UDP datagram from 192.0.2.5#53 to 192.0.2.2#61234. */
static struct sk_buff *t_skb4_udp(struct kunit *test, bool with_checksum)
{
	unsigned int len = sizeof(struct udphdr) + T_PAYLOAD;
	struct sk_buff *skb = t_skb(test, sizeof(struct iphdr) + len);
	struct iphdr *iph = ip_hdr(skb);
	struct udphdr *uh = (struct udphdr *)(iph + 1);

	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0x20;
	iph->tot_len = htons(sizeof(*iph) + len);
	iph->ttl = 30;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = htonl(0xc0000205);
	iph->daddr = htonl(0xc0000202);
	ip_send_check(iph);
	uh->source = htons(53);
	uh->dest = htons(61234);
	uh->len = htons(len);
	memset(uh + 1, 0x5a, T_PAYLOAD);
	if (with_checksum)
		uh->check = csum_tcpudp_magic(iph->saddr, iph->daddr, len,
					      IPPROTO_UDP,
					      csum_partial(uh, len, 0));
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

static void t_4to6(struct kunit *test, struct sk_buff *skb,
		   const struct nat64_bib_entry *bibe)
{
	struct xlat_pkt pkt = { .skb = skb };
	struct iphdr iph = *ip_hdr(skb);

	KUNIT_ASSERT_EQ(test, parse4(&pkt), 0);
	rewrite4to6(&pkt, &iph, bibe, &t_server6);
}

static void t_check_ipv6hdr(struct kunit *test, struct sk_buff *skb,
			    unsigned int l4_len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);

	KUNIT_EXPECT_EQ(test, (int)ip6->version, 6);
	KUNIT_EXPECT_EQ(test, ipv6_get_dsfield(ip6), 0x20);	/* TOS */
	KUNIT_EXPECT_EQ(test, ip6->hop_limit, 29);		/* TTL - 1 */
	KUNIT_EXPECT_EQ(test, ip6->nexthdr, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, ntohs(ip6->payload_len), l4_len);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6->saddr, &t_server6));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6->daddr, &t_client6));
	KUNIT_EXPECT_EQ(test, skb->protocol, htons(ETH_P_IPV6));
}

static void translate_test_udp_4to6(struct kunit *test)
{
	struct nat64_bib_entry bibe = t_bibe(IPPROTO_UDP);
	struct sk_buff *skb = t_skb4_udp(test, true);
	unsigned int len = sizeof(struct udphdr) + T_PAYLOAD;

	t_4to6(test, skb, &bibe);
	t_check_ipv6hdr(test, skb, len);
	KUNIT_EXPECT_EQ(test, ntohs(udp_hdr(skb)->dest), 5000);
	KUNIT_EXPECT_EQ(test, t_verify6(skb, IPPROTO_UDP, len), 0);
	kfree_skb(skb);
}

/* IPv4 UDP may omit the checksum; IPv6 UDP may not (RFC 7915 4.5). */
static void translate_test_udp_4to6_zero_checksum(struct kunit *test)
{
	struct nat64_bib_entry bibe = t_bibe(IPPROTO_UDP);
	struct sk_buff *skb = t_skb4_udp(test, false);
	unsigned int len = sizeof(struct udphdr) + T_PAYLOAD;

	t_4to6(test, skb, &bibe);
	t_check_ipv6hdr(test, skb, len);
	KUNIT_EXPECT_NE(test, udp_hdr(skb)->check, 0);
	KUNIT_EXPECT_EQ(test, t_verify6(skb, IPPROTO_UDP, len), 0);
	kfree_skb(skb);
}

static struct kunit_case translate_test_cases[] = {
	KUNIT_CASE(translate_test_udp_6to4),
	KUNIT_CASE(translate_test_tcp_6to4_df),
	KUNIT_CASE(translate_test_echo_6to4),
	KUNIT_CASE(translate_test_udp_4to6),
	KUNIT_CASE(translate_test_udp_4to6_zero_checksum),
	{}
};

static struct kunit_suite translate_test_suite = {
	.name = "nat64_translate",
	.test_cases = translate_test_cases,
};

kunit_test_suite(translate_test_suite);
