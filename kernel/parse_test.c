// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * KUnit: the parsers fed truncated, lying and random input, in linear
 * and in paged skbs. Whatever they are given, they must not read past
 * the data (KASAN watches), and what they accept must describe bytes the
 * skb holds. Seeded: every run feeds the same packets. Included by
 * parse.c.
 */

#include <kunit/test.h>

#define T_MAX_LEN 256
#define T_RANDOM_ROUNDS 4000

/* xorshift32: reproducible, and enough to shake a parser. */
static u32 t_next(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/*
 * An skb holding @len bytes of @data: all linear, or with only
 * @linear of them in the head and the rest in a page fragment.
 */
static struct sk_buff *t_skb_from(struct kunit *test, const u8 *data,
				  unsigned int len, unsigned int linear)
{
	struct sk_buff *skb = alloc_skb(64 + len, GFP_KERNEL);
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 32);
	linear = min(linear, len);
	skb_put_data(skb, data, linear);
	if (linear < len) {
		page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page), data + linear, len - linear);
		skb_add_rx_frag(skb, 0, page, 0, len - linear, PAGE_SIZE);
	}
	skb_reset_network_header(skb);
	return skb;
}

/* What parse accepted lies within the skb: the later stages trust it. */
static void t_check(struct kunit *test, struct sk_buff *skb, bool v6)
{
	struct nat64_pkt pkt = { .skb = skb };
	struct nat64_quote *q = &pkt.quote;
	int err;

	err = v6 ? nat64_parse6(&pkt) : nat64_parse4(&pkt);
	KUNIT_EXPECT_LE(test, err, 0);
	if (err)
		return;
	KUNIT_EXPECT_EQ(test, pkt.l4.offset, pkt.l3_len);
	KUNIT_EXPECT_EQ(test, pkt.l4.offset + pkt.l4.len, skb->len);
	KUNIT_EXPECT_LE(test, pkt.l4.offset + 8, skb_headlen(skb));
	if (!pkt.l4.icmp_error)
		return;
	err = v6 ? nat64_parse_quote6(&pkt) : nat64_parse_quote4(&pkt);
	KUNIT_EXPECT_LE(test, err, 0);
	if (err)
		return;
	KUNIT_EXPECT_GE(test, q->offset, pkt.l4.offset + 8);
	KUNIT_EXPECT_GT(test, q->l4.offset, q->offset);
	KUNIT_EXPECT_LE(test, q->quoted, q->l4.len);
	KUNIT_EXPECT_LE(test, q->l4.offset + q->quoted, skb->len);
	KUNIT_EXPECT_GE(test, q->quoted, 4U);
}

/* An ICMPv6 port unreachable quoting an IPv6 UDP packet behind options. */
static unsigned int t_build6(u8 *p)
{
	static const u8 hdr[] = {
		0x60, 0, 0, 0, 0, 0, IPPROTO_ICMPV6, 64,
		0x20, 0x01, 0x0d, 0xb8, [23] = 1,	/* 2001:db8::1 */
		0x00, 0x64, 0xff, 0x9b, [36] = 192, 0, 2, 5,
		ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0, 0, 0, 0, 0, 0,
		0x60, 0, 0, 0, 0, 36, NEXTHDR_DEST, 63,
		0x00, 0x64, 0xff, 0x9b, [68] = 192, 0, 2, 5,
		0x20, 0x01, 0x0d, 0xb8, [87] = 5,
		IPPROTO_UDP, 0, 1, 4, 0, 0, 0, 0,	/* PadN */
		0, 53, 0x13, 0x88, 0, 28, 0, 0,		/* 53 -> 5000 */
	};
	const unsigned int len = sizeof(hdr) + 20;
	struct ipv6hdr *ip6 = (struct ipv6hdr *)p;
	__wsum sum;

	memcpy(p, hdr, sizeof(hdr));
	memset(p + sizeof(hdr), 0xa5, len - sizeof(hdr));
	ip6->payload_len = htons(len - sizeof(*ip6));
	sum = csum_partial(p + sizeof(*ip6), len - sizeof(*ip6), 0);
	*(__sum16 *)(p + 42) = csum_ipv6_magic(&ip6->saddr, &ip6->daddr,
					       len - sizeof(*ip6),
					       IPPROTO_ICMPV6, sum);
	return len;
}

/* An ICMP port unreachable quoting an IPv4 TCP packet with options. */
static unsigned int t_build4(u8 *p)
{
	static const u8 hdr[] = {
		0x45, 0, 0, 0, 0, 0, 0, 0, 64, IPPROTO_ICMP, 0, 0,
		198, 51, 100, 1, 192, 0, 2, 2,
		ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 0, 0, 0, 0, 0,
		0x46, 0, 0, 60, 0, 0, 0x40, 0, 63, IPPROTO_TCP, 0, 0,
		192, 0, 2, 2, 192, 0, 2, 5,
		IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP, IPOPT_END,
		0xef, 0x32, 0, 80, 0, 0, 0, 1,		/* 61234 -> 80 */
	};
	const unsigned int len = sizeof(hdr);
	struct iphdr *iph = (struct iphdr *)p;

	memcpy(p, hdr, len);
	iph->tot_len = htons(len);
	ip_send_check(iph);
	*(__sum16 *)(p + 22) = csum_fold(csum_partial(p + 20, len - 20, 0));
	return len;
}

/* Makes the IP header's length agree with @len, as ip_rcv() demands. */
static void t_fix_length(u8 *p, unsigned int len, bool v6)
{
	if (v6) {
		((struct ipv6hdr *)p)->payload_len =
			htons(len > 40 ? len - 40 : 0);
	} else {
		((struct iphdr *)p)->tot_len = htons(len);
		((struct iphdr *)p)->check = 0;
		ip_send_check((struct iphdr *)p);
	}
}

/* Every truncation, the IP length made to agree: the rest must notice. */
static void parse_test_truncated(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, T_MAX_LEN, GFP_KERNEL);
	unsigned int full, len, linear;
	int v6;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (v6 = 0; v6 <= 1; v6++) {
		full = v6 ? t_build6(p) : t_build4(p);
		for (len = v6 ? 40 : 20; len <= full; len++) {
			for (linear = len; linear >= 20 && linear <= len;
			     linear -= 13) {
				struct sk_buff *skb;

				t_fix_length(p, len, v6);
				skb = t_skb_from(test, p, len, linear);
				t_check(test, skb, v6);
				kfree_skb(skb);
			}
		}
	}
}

/* The untouched packets parse, as the round trips in xlat_test.c need. */
static void parse_test_templates(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, T_MAX_LEN, GFP_KERNEL);
	struct nat64_pkt pkt = {};
	unsigned int len;

	KUNIT_ASSERT_NOT_NULL(test, p);
	len = t_build6(p);
	pkt.skb = t_skb_from(test, p, len, len);
	KUNIT_EXPECT_EQ(test, nat64_parse6(&pkt), 0);
	KUNIT_EXPECT_TRUE(test, pkt.l4.icmp_error);
	KUNIT_EXPECT_EQ(test, nat64_parse_quote6(&pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.quote.l4.proto, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, pkt.quote.l4.dst_port, 5000);
	KUNIT_EXPECT_EQ(test, pkt.quote.quoted, 28U);
	kfree_skb(pkt.skb);

	memset(&pkt, 0, sizeof(pkt));
	len = t_build4(p);
	pkt.skb = t_skb_from(test, p, len, len);
	KUNIT_EXPECT_EQ(test, nat64_parse4(&pkt), 0);
	KUNIT_EXPECT_TRUE(test, pkt.l4.icmp_error);
	KUNIT_EXPECT_EQ(test, nat64_parse_quote4(&pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.quote.l4.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, pkt.quote.l4.src_port, 61234);
	/* 8 bytes of TCP quoted; the header says 36. */
	KUNIT_EXPECT_EQ(test, pkt.quote.quoted, 8U);
	KUNIT_EXPECT_EQ(test, pkt.quote.l4.len, 36U);
	kfree_skb(pkt.skb);
}

/*
 * Random bytes over the templates, a few at a time or many, and random
 * lengths; the IP length agreeing or not. Outer checksums stay as they
 * were, so most quotes are refused for them: half the rounds fix them.
 */
static void parse_test_random(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, T_MAX_LEN, GFP_KERNEL);
	u32 seed = 0x6a09e667;
	unsigned int round, len, n, i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (round = 0; round < T_RANDOM_ROUNDS; round++) {
		bool v6 = round & 1;
		struct sk_buff *skb;

		len = v6 ? t_build6(p) : t_build4(p);
		n = t_next(&seed) % 8 ? 1 + t_next(&seed) % 6 :
					t_next(&seed) % T_MAX_LEN;
		for (i = 0; i < n; i++)
			p[(v6 ? 1 : 0) + t_next(&seed) % (T_MAX_LEN - 1)] =
				t_next(&seed);
		if (t_next(&seed) % 4 == 0)
			len = (v6 ? 40 : 20) + t_next(&seed) %
			      (T_MAX_LEN - 40);
		if (t_next(&seed) % 2)
			t_fix_length(p, len, v6);
		if (v6 && len > 42 && t_next(&seed) % 2) {
			*(__sum16 *)(p + 42) = 0;
			*(__sum16 *)(p + 42) =
				csum_ipv6_magic((void *)p + 8, (void *)p + 24,
						len - 40, p[6],
						csum_partial(p + 40, len - 40,
							     0));
		}
		skb = t_skb_from(test, p, len, 20 + t_next(&seed) % len);
		t_check(test, skb, v6);
		kfree_skb(skb);
	}
}

static struct kunit_case parse_test_cases[] = {
	KUNIT_CASE(parse_test_templates),
	KUNIT_CASE(parse_test_truncated),
	KUNIT_CASE(parse_test_random),
	{}
};

static struct kunit_suite parse_test_suite = {
	.name = "nat64_parse",
	.test_cases = parse_test_cases,
};

kunit_test_suite(parse_test_suite);
