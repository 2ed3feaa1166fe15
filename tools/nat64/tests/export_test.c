// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The exporters' pure half, fed synthetic events of the "events" group:
 *   export_test            events parsed, IPFIX encoded and read back,
 *                          syslog lines; KTAP-ish "ok"/"not ok" lines,
 *                          exit 1 if one failed
 *   export_test send HOST:PORT
 *                          the templates and one record of each kind
 *                          (blocks included) to a collector, through the
 *                          same encoder, so that a real collector can say
 *                          whether it decodes them (selftests/ipfix.sh)
 */

#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../export.h"
#include "../ipfix.h"
#include "../syslog.h"
#include "uapi/nat64.h"

static int failures, tests;

static void ok(int cond, const char *what)
{
	tests++;
	printf("%s %d %s\n", cond ? "ok" : "not ok", tests, what);
	if (!cond)
		failures++;
}

/* 2026-12-02T10:11:12.123456789Z */
#define T_NS 1796206272123456789ULL

static char msgbuf[8192];

static struct nlmsghdr *event(uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msgbuf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = NAT64_GENL_VERSION;
	mnl_attr_put_u64(nlh, NAT64_A_TIMESTAMP, T_NS);
	mnl_attr_put_strz(nlh, NAT64_A_INSTANCE, "default");
	return nlh;
}

static void put_addr(struct nlmsghdr *nlh, int type, int family,
		     const char *text)
{
	unsigned char a[16];

	inet_pton(family, text, a);
	mnl_attr_put(nlh, type, family == AF_INET ? 4 : 16, a);
}

static struct nlmsghdr *bib_event(uint8_t cmd)
{
	struct nlmsghdr *nlh = event(cmd);

	mnl_attr_put_u8(nlh, NAT64_A_PROTO, IPPROTO_UDP);
	put_addr(nlh, NAT64_A_ADDR6, AF_INET6, "2001:db8::5");
	mnl_attr_put_u16(nlh, NAT64_A_PORT6, 5000);
	put_addr(nlh, NAT64_A_ADDR4, AF_INET, "192.0.2.2");
	mnl_attr_put_u16(nlh, NAT64_A_PORT4, 61234);
	mnl_attr_put_u32(nlh, NAT64_A_SESSIONS, 1);
	return nlh;
}

static struct nlmsghdr *session_event(uint8_t cmd)
{
	struct nlmsghdr *nlh = bib_event(cmd);

	put_addr(nlh, NAT64_A_REMOTE4, AF_INET, "192.0.2.5");
	mnl_attr_put_u16(nlh, NAT64_A_REMOTE_PORT, 7000);
	put_addr(nlh, NAT64_A_REMOTE6, AF_INET6, "64:ff9b::c000:205");
	mnl_attr_put_u32(nlh, NAT64_A_EXPIRES_MS, 300000);
	return nlh;
}

/* As the block helper's kernel code sends it (kernel/uapi/nat64.h). */
static struct nlmsghdr *block_event(uint8_t cmd)
{
	struct nlmsghdr *nlh = event(cmd);

	put_addr(nlh, NAT64_A_SUBSCRIBER, AF_INET6, "2001:db8:0:7::");
	mnl_attr_put_u8(nlh, NAT64_A_SUBSCRIBER_LEN, 64);
	put_addr(nlh, NAT64_A_ADDR4, AF_INET, "192.0.2.2");
	mnl_attr_put_u16(nlh, NAT64_A_PORT_FIRST, 40000);
	mnl_attr_put_u16(nlh, NAT64_A_PORT_LAST, 40255);
	mnl_attr_put_u8(nlh, NAT64_A_PROTO, IPPROTO_TCP);
	return nlh;
}

static int parse(struct nlmsghdr *nlh, struct log_record *rec)
{
	return log_record_parse(nlh, rec);
}

static int addr_is(const void *addr, int family, const char *text)
{
	unsigned char a[16];

	inet_pton(family, text, a);
	return !memcmp(addr, a, family == AF_INET ? 4 : 16);
}

static void test_parse(void)
{
	struct log_record rec;
	struct nlmsghdr *nlh;

	ok(!parse(bib_event(NAT64_CMD_BIB_NEW), &rec) &&
	   rec.kind == LOG_BIB_NEW && rec.time_ns == T_NS &&
	   rec.proto == IPPROTO_UDP && rec.port6 == 5000 &&
	   rec.port4 == 61234 && !rec.is_static &&
	   addr_is(&rec.addr6, AF_INET6, "2001:db8::5") &&
	   addr_is(&rec.addr4, AF_INET, "192.0.2.2") &&
	   !strcmp(rec.instance, "default"), "parse: bib new");
	ok(!parse(session_event(NAT64_CMD_SESSION_DEL), &rec) &&
	   rec.kind == LOG_SESSION_DEL && rec.remote_port == 7000 &&
	   addr_is(&rec.remote4, AF_INET, "192.0.2.5") &&
	   addr_is(&rec.remote6, AF_INET6, "64:ff9b::c000:205"),
	   "parse: session del");
	ok(!parse(block_event(NAT64_CMD_BLOCK_NEW), &rec) &&
	   rec.kind == LOG_BLOCK_NEW && rec.subscriber_len == 64 &&
	   rec.port_first == 40000 && rec.port_last == 40255 &&
	   rec.proto == IPPROTO_TCP &&
	   addr_is(&rec.subscriber, AF_INET6, "2001:db8:0:7::") &&
	   addr_is(&rec.addr4, AF_INET, "192.0.2.2"), "parse: block new");
	ok(!parse(event(NAT64_CMD_FLUSH), &rec) && rec.kind == LOG_FLUSH,
	   "parse: flush");
	ok(parse(event(NAT64_CMD_SESSION_NEW), &rec) == -1,
	   "parse: a session without its fields is refused");
	nlh = block_event(NAT64_CMD_BLOCK_DEL);
	mnl_attr_put_u16(nlh, NAT64_A_REMOTE4, 1);	/* 2 bytes, not 4 */
	ok(parse(nlh, &rec) == -1, "parse: a short address is refused");
	nlh = event(NAT64_CMD_BLOCK_NEW);
	put_addr(nlh, NAT64_A_SUBSCRIBER, AF_INET6, "2001:db8::");
	mnl_attr_put_u8(nlh, NAT64_A_SUBSCRIBER_LEN, 129);
	put_addr(nlh, NAT64_A_ADDR4, AF_INET, "192.0.2.2");
	mnl_attr_put_u16(nlh, NAT64_A_PORT_FIRST, 2);
	mnl_attr_put_u16(nlh, NAT64_A_PORT_LAST, 1);
	mnl_attr_put_u8(nlh, NAT64_A_PROTO, IPPROTO_TCP);
	ok(parse(nlh, &rec) == -1, "parse: prefix length 129 is refused");
	ok(parse(event(NAT64_CMD_STATS_GET), &rec) == -1,
	   "parse: not an event");
	nlh = event(NAT64_CMD_FLUSH);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	ok(parse(nlh, &rec) == -1, "parse: a truncated genl header");
}

/* --- reading IPFIX back, as a collector would ------------------------- */

static unsigned int get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static unsigned long get32(const uint8_t *p)
{
	return (unsigned long)get16(p) << 16 | get16(p + 2);
}

static unsigned long long get64(const uint8_t *p)
{
	return (unsigned long long)get32(p) << 32 | get32(p + 4);
}

struct tpl {
	unsigned int id, count, ids[32], lens[32];
};

static struct tpl tpls[8];
static int ntpls;

/* The templates of a message; -1 if its framing is wrong. */
static int read_templates(const uint8_t *msg, size_t len)
{
	size_t off = IPFIX_HDR_LEN;

	if (len < IPFIX_HDR_LEN || get16(msg) != 10 || get16(msg + 2) != len)
		return -1;
	while (off + 4 <= len) {
		unsigned int sid = get16(msg + off), slen = get16(msg + off + 2);
		size_t p = off + 4;

		if (slen < 4 || off + slen > len)
			return -1;
		while (sid == 2 && p + 4 <= off + slen && ntpls < 8) {
			struct tpl *t = &tpls[ntpls++];
			unsigned int i;

			t->id = get16(msg + p);
			t->count = get16(msg + p + 2);
			p += 4;
			if (t->count > 32 || p + 4 * t->count > off + slen)
				return -1;
			for (i = 0; i < t->count; i++, p += 4) {
				t->ids[i] = get16(msg + p);
				t->lens[i] = get16(msg + p + 2);
			}
		}
		off += slen;
	}
	return off == len ? 0 : -1;
}

static const struct tpl *find_tpl(unsigned int id)
{
	int i;

	for (i = 0; i < ntpls; i++)
		if (tpls[i].id == id)
			return &tpls[i];
	return NULL;
}

/* The value of element @ie in a record of template @t at @rec. */
static const uint8_t *field(const struct tpl *t, const uint8_t *rec,
			    unsigned int ie)
{
	unsigned int i;

	for (i = 0; i < t->count; rec += t->lens[i], i++)
		if (t->ids[i] == ie)
			return rec;
	return NULL;
}

static size_t tpl_len(const struct tpl *t)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < t->count; i++)
		len += t->lens[i];
	return len;
}

static void test_templates(void)
{
	struct ipfix_msg m;
	const struct tpl *b, *s, *k;
	size_t len;

	ipfix_msg_begin(&m);
	ok(ipfix_msg_add_templates(&m) == 1, "ipfix: templates fit");
	len = ipfix_msg_end(&m, 1796206272, 0, 7);
	ok(!read_templates(m.buf, len), "ipfix: template message framing");
	ok(get32(m.buf + 4) == 1796206272 && get32(m.buf + 12) == 7,
	   "ipfix: export time and observation domain");
	b = find_tpl(IPFIX_TPL_BIB);
	s = find_tpl(IPFIX_TPL_SESSION);
	k = find_tpl(IPFIX_TPL_BLOCK);
	ok(ntpls == 3 && b && s && k, "ipfix: three templates, 256-258");
	ok(b && tpl_len(b) == 34 && field(b, m.buf, 230) &&
	   field(b, m.buf, 323) && field(b, m.buf, 27) &&
	   field(b, m.buf, 225) && field(b, m.buf, 227) &&
	   field(b, m.buf, 7) && field(b, m.buf, 4),
	   "ipfix: the BIB template's elements");
	ok(s && tpl_len(s) == 58 && field(s, m.buf, 28) &&
	   field(s, m.buf, 226) && field(s, m.buf, 11) &&
	   field(s, m.buf, 228), "ipfix: the session template's elements");
	ok(k && tpl_len(k) == 51 && field(k, m.buf, 170) &&
	   field(k, m.buf, 29) && field(k, m.buf, 361) &&
	   field(k, m.buf, 362) && field(k, m.buf, 225),
	   "ipfix: the block template's elements");
}

/* Walks the data sets of @msg; checks and counts the records. */
static int check_data(const uint8_t *msg, size_t len, int *bibs,
		      int *sessions, int *blocks)
{
	size_t off = IPFIX_HDR_LEN;
	int bad = 0;

	while (off + 4 <= len) {
		unsigned int sid = get16(msg + off), slen = get16(msg + off + 2);
		const struct tpl *t = find_tpl(sid);
		const uint8_t *r;
		size_t p;

		if (!t || slen < 4 || off + slen > len ||
		    (slen - 4) % tpl_len(t))
			return -1;
		for (p = off + 4; p < off + slen; p += tpl_len(t)) {
			r = msg + p;
			bad |= get64(field(t, r, 323)) != T_NS / 1000000;
			if (sid == IPFIX_TPL_BLOCK) {
				bad |= *field(t, r, 230) != 16;
				bad |= *field(t, r, 4) != IPPROTO_TCP;
				bad |= !addr_is(field(t, r, 170), AF_INET6,
						"2001:db8:0:7::");
				bad |= !addr_is(field(t, r, 27), AF_INET6,
						"2001:db8:0:7::");
				bad |= *field(t, r, 29) != 64;
				bad |= get16(field(t, r, 361)) != 40000;
				bad |= get16(field(t, r, 362)) != 40255;
				(*blocks)++;
				continue;
			}
			bad |= *field(t, r, 230) != (sid == IPFIX_TPL_BIB ? 10 : 6);
			bad |= *field(t, r, 4) != IPPROTO_UDP;
			bad |= !addr_is(field(t, r, 27), AF_INET6, "2001:db8::5");
			bad |= get16(field(t, r, 7)) != 5000;
			bad |= !addr_is(field(t, r, 225), AF_INET, "192.0.2.2");
			bad |= get16(field(t, r, 227)) != 61234;
			if (sid == IPFIX_TPL_SESSION) {
				bad |= !addr_is(field(t, r, 28), AF_INET6,
						"64:ff9b::c000:205");
				bad |= !addr_is(field(t, r, 226), AF_INET,
						"192.0.2.5");
				bad |= get16(field(t, r, 11)) != 7000;
				bad |= get16(field(t, r, 228)) != 7000;
				(*sessions)++;
			} else {
				(*bibs)++;
			}
		}
		off += slen;
	}
	return bad || off != len ? -1 : 0;
}

static void test_data(void)
{
	struct log_record bib, session, block, flush;
	int bibs = 0, sessions = 0, blocks = 0, n = 0, r, sets_ok = 1;
	struct ipfix_msg m;
	size_t len;

	parse(bib_event(NAT64_CMD_BIB_NEW), &bib);
	parse(session_event(NAT64_CMD_SESSION_NEW), &session);
	parse(block_event(NAT64_CMD_BLOCK_NEW), &block);
	parse(event(NAT64_CMD_FLUSH), &flush);

	ipfix_msg_begin(&m);
	ok(ipfix_msg_add_record(&m, &flush) == -1,
	   "ipfix: a flush has no record");
	ipfix_msg_add_record(&m, &bib);
	ipfix_msg_add_record(&m, &bib);
	ipfix_msg_add_record(&m, &session);
	ipfix_msg_add_record(&m, &block);
	ipfix_msg_add_record(&m, &bib);
	len = ipfix_msg_end(&m, 1, 42, 0);
	ok(m.records == 5 && get32(m.buf + 8) == 42,
	   "ipfix: 5 records, the sequence number as given");
	ok(!check_data(m.buf, len, &bibs, &sessions, &blocks) &&
	   bibs == 3 && sessions == 1 && blocks == 1,
	   "ipfix: every field read back as encoded, 4 sets");

	/* Fill one message: it stops short of IPFIX_MSG_MAX. */
	ipfix_msg_begin(&m);
	while ((r = ipfix_msg_add_record(&m, n % 3 ? &session : &block)) == 1)
		n++;
	len = ipfix_msg_end(&m, 1, 0, 0);
	bibs = sessions = blocks = 0;
	sets_ok = !check_data(m.buf, len, &bibs, &sessions, &blocks);
	ok(r == 0 && len <= IPFIX_MSG_MAX && len > IPFIX_MSG_MAX - 62 &&
	   sets_ok && sessions + blocks == n && (int)m.records == n,
	   "ipfix: a full message stays within 1400 bytes, framed right");
}

static void test_syslog(void)
{
	struct log_record rec;
	char line[1024];
	int len;

	parse(block_event(NAT64_CMD_BLOCK_NEW), &rec);
	len = syslog_format(line, sizeof(line), &rec, "nat");
	ok(len > 0 && !strcmp(line,
	   "<134>1 2026-12-02T10:11:12.123456Z nat nat64 - BLOCK [nat64@32473 event=\"block-alloc\" instance=\"default\" proto=\"tcp\" subscriber=\"2001:db8:0:7::/64\" addr4=\"192.0.2.2\" ports=\"40000-40255\"]"),
	   "syslog: block");
	printf("# %s\n", line);
	parse(session_event(NAT64_CMD_SESSION_DEL), &rec);
	strcpy(rec.instance, "a\"b\\c]d");
	len = syslog_format(line, sizeof(line), &rec, "nat");
	ok(len > 0 && !strcmp(line,
	   "<134>1 2026-12-02T10:11:12.123456Z nat nat64 - SESSION [nat64@32473 event=\"session-del\" instance=\"a\\\"b\\\\c\\]d\" proto=\"udp\" addr6=\"2001:db8::5\" port6=\"5000\" addr4=\"192.0.2.2\" port4=\"61234\" remote4=\"192.0.2.5\" remote6=\"64:ff9b::c000:205\" remote_port=\"7000\"]"),
	   "syslog: session, '\"', '\\' and ']' escaped");
	printf("# %s\n", line);
	parse(bib_event(NAT64_CMD_BIB_NEW), &rec);
	len = syslog_format(line, sizeof(line), &rec, "nat");
	ok(len > 0 && strstr(line, " - BIB [nat64@32473 event=\"bib-new\"") &&
	   strstr(line, " type=\"dynamic\"]"), "syslog: bib");
	parse(event(NAT64_CMD_FLUSH), &rec);
	len = syslog_format(line, sizeof(line), &rec, "nat");
	ok(len > 0 && !strcmp(line,
	   "<134>1 2026-12-02T10:11:12.123456Z nat nat64 - FLUSH [nat64@32473 event=\"flush\" instance=\"default\"]"),
	   "syslog: flush");
	ok(syslog_format(line, 40, &rec, "nat") == -1,
	   "syslog: a buffer too small is refused, not overrun");
}

/* export_test send HOST:PORT: what ipfix.sh's collector must decode. */
static int send_samples(const char *hostport)
{
	struct log_record rec[4];
	struct ipfix_msg m;
	size_t len;
	int fd, i;

	fd = export_udp_connect(hostport, "ipfix");
	if (fd < 0)
		return 1;
	parse(block_event(NAT64_CMD_BLOCK_NEW), &rec[0]);
	parse(block_event(NAT64_CMD_BLOCK_DEL), &rec[1]);
	parse(bib_event(NAT64_CMD_BIB_NEW), &rec[2]);
	parse(session_event(NAT64_CMD_SESSION_NEW), &rec[3]);
	ipfix_msg_begin(&m);
	ipfix_msg_add_templates(&m);
	len = ipfix_msg_end(&m, time(NULL), 0, 1);
	if (export_send(fd, m.buf, len))
		return 1;
	ipfix_msg_begin(&m);
	for (i = 0; i < 4; i++)
		ipfix_msg_add_record(&m, &rec[i]);
	len = ipfix_msg_end(&m, time(NULL), 0, 1);
	if (export_send(fd, m.buf, len))
		return 1;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "send"))
		return send_samples(argv[2]);
	test_parse();
	test_templates();
	test_data();
	test_syslog();
	printf("# %d tests, %d failed\n", tests, failures);
	return failures ? 1 : 0;
}
