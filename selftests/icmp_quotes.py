#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ICMP errors that quote part of a packet, through the translator, checked
byte by byte (see icmp_quotes.sh). Every expected packet is built here with
scapy from first principles (RFC 7915, RFC 6146, RFC 4443/1812 size limits):
only the pool4 port or identifier the translator chose for each mapping is
read from what it sent, because port choice is its own.

  icmp_quotes.py --ns NS [--kinds 'tap veth'] [--peer-ns NS]
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402
import quiet_scapy  # noqa: E402,F401
from wire import (check, diff, csum, log, exit_status,  # noqa: E402
                  wellformed, drop_total, is_icmp_error)

from scapy.layers.inet import IP, UDP, TCP, ICMP  # noqa: E402
from scapy.layers.inet6 import (IPv6, ICMPv6EchoRequest,  # noqa: E402
                                ICMPv6EchoReply, ICMPv6TimeExceeded,
                                ICMPv6DestUnreach)
from scapy.packet import Raw  # noqa: E402

CLIENT6 = "2001:db8:1::5"	# behind ROUTER6
REMOTE4 = "203.0.113.5"		# behind ROUTER4
REMOTE6 = tap.PREFIX6 + REMOTE4
ROUTER4_AS6 = tap.PREFIX6 + tap.ROUTER4
PAYLOAD = bytes(range(256)) * 8

# The protocols an error may quote: ports or identifier each side uses.
PORTS = {"udp": (5000, 7000), "tcp": (5001, 80), "icmp": (0x1234, None)}


def l4(proto, sport, dport, to6, reply=False, size=100):
    data = Raw(PAYLOAD[:size])
    if proto == "udp":
        return UDP(sport=sport, dport=dport) / data
    if proto == "tcp":
        flags = "SA" if reply else "S"
        return TCP(sport=sport, dport=dport, seq=0x1000 if not reply else
                   0x5000, ack=0x1001 if reply else 0, flags=flags,
                   window=8192)
    if to6:
        cls = ICMPv6EchoReply if reply else ICMPv6EchoRequest
        return cls(id=sport, seq=7) / data
    return ICMP(type=0 if reply else 8, id=sport, seq=7) / data


class Quotes:
    def __init__(self, l6, l4link):
        self.l6, self.l4 = l6, l4link
        self.port4 = {}

    def drain(self):
        self.l6.recv(0.05)
        self.l4.recv(0.05)

    def establish(self, proto, label=""):
        """The client opens a mapping toward REMOTE4; the remote answers.
        Returns the pool4 port (identifier) the translator chose."""
        sport, dport = PORTS[proto]
        out6 = IPv6(src=CLIENT6, dst=REMOTE6, hlim=64) / l4(proto, sport,
                                                            dport, True)
        self.drain()
        self.l6.send(bytes(out6))
        pkt, _ = self.l4.wait_for(
            lambda p: p[0] >> 4 == 4 and
            p[16:20] == bytes(IP(dst=REMOTE4))[16:20])
        if not check("%s: the client's packet leaves as IPv4%s" %
                     (proto, label), pkt is not None):
            return None
        got = IP(pkt)
        port = got[ICMP].id if proto == "icmp" else got.sport
        self.port4[proto] = port
        # The remote answers: the session is complete both ways.
        if proto == "icmp":
            ans = l4(proto, port, None, False, reply=True)
        else:
            ans = l4(proto, dport, port, False, reply=True)
        self.l4.send(bytes(IP(src=REMOTE4, dst=tap.POOL4, ttl=64) / ans))
        pkt, _ = self.l6.wait_for(
            lambda p: p[0] >> 4 == 6 and p[24:40] ==
            bytes(IPv6(dst=CLIENT6))[24:40])
        check("%s: the remote's answer reaches the client%s" % (proto, label),
              pkt is not None)
        return port

    # ---- an IPv4 router's error about a 6->4 packet ----
    def originals_6to4(self, proto, size):
        """The packet as the client sent it and as the IPv4 side saw it."""
        sport, dport = PORTS[proto]
        port = self.port4[proto]
        if proto == "icmp":
            o6 = IPv6(src=CLIENT6, dst=REMOTE6, hlim=64) / \
                l4(proto, sport, None, True, size=size)
            o4 = IP(src=tap.POOL4, dst=REMOTE4, ttl=63, id=0x4242) / \
                l4(proto, port, None, False, size=size)
        else:
            o6 = IPv6(src=CLIENT6, dst=REMOTE6, hlim=64) / \
                l4(proto, sport, dport, True, size=size)
            o4 = IP(src=tap.POOL4, dst=REMOTE4, ttl=63, id=0x4242) / \
                l4(proto, port, dport, False, size=size)
        return bytes(o6), bytes(o4)

    def error_4to6(self, proto, n, size=100, kind=(11, 0), expect=True):
        """ROUTER4 quotes n bytes of transport (None: all of it) of the
        IPv4 packet; the client must get the ICMPv6 error that says the
        same, quoting its own packet."""
        o6, o4 = self.originals_6to4(proto, size)
        n4 = len(o4) - 20 if n is None else n
        quote = o4[:20 + n4]
        err4 = IP(src=tap.ROUTER4, dst=tap.POOL4, ttl=64) / \
            ICMP(type=kind[0], code=kind[1]) / Raw(quote)
        # Expected: the error's type mapped (RFC 7915 4.2), outer hop limit
        # decremented, the quoted packet as the client sent it with the
        # hop limit the router quoted, as long as it fits in 1280 bytes.
        inner6 = bytearray(o6)
        inner6[7] = quote[8]
        inner6 = bytes(inner6[:40 + n4])
        if kind == (11, 0):
            icmp6 = ICMPv6TimeExceeded(code=0)
        else:
            icmp6 = ICMPv6DestUnreach(code={1: 0, 3: 4}[kind[1]])
        inner6 = inner6[:1280 - 48]
        exp = bytes(IPv6(src=ROUTER4_AS6, dst=CLIENT6, hlim=63) / icmp6 /
                    Raw(inner6))
        return self.exchange(self.l4, bytes(err4), self.l6, CLIENT6, exp,
                             expect, "%s quote of %s bytes, ICMPv4 %d/%d "
                             "-> ICMPv6" % (
                                 proto, "all %d" % n4 if n is None else n,
                                 kind[0], kind[1]), ())

    # ---- an IPv6 router's error about a 4->6 packet ----
    def originals_4to6(self, proto, size):
        """The remote's packet as it sent it and as the client side saw it."""
        sport, dport = PORTS[proto]
        port = self.port4[proto]
        if proto == "icmp":
            o4 = IP(src=REMOTE4, dst=tap.POOL4, ttl=64, id=0x4343) / \
                l4(proto, port, None, False, reply=True, size=size)
            o6 = IPv6(src=REMOTE6, dst=CLIENT6, hlim=63) / \
                l4(proto, sport, None, True, reply=True, size=size)
        else:
            o4 = IP(src=REMOTE4, dst=tap.POOL4, ttl=64, id=0x4343) / \
                l4(proto, dport, port, False, reply=True, size=size)
            o6 = IPv6(src=REMOTE6, dst=CLIENT6, hlim=63) / \
                l4(proto, dport, sport, True, reply=True, size=size)
        return bytes(o6), bytes(o4)

    def error_6to4(self, proto, n, size=100, kind=(3, 0), expect=True):
        o6, o4 = self.originals_4to6(proto, size)
        n6 = len(o6) - 40 if n is None else n
        quote = o6[:40 + n6]
        if kind == (3, 0):
            icmp6 = ICMPv6TimeExceeded(code=0)
            icmp4 = ICMP(type=11, code=0)
        else:
            icmp6 = ICMPv6DestUnreach(code=4)
            icmp4 = ICMP(type=3, code=3)
        err6 = IPv6(src=tap.ROUTER6, dst=REMOTE6, hlim=64) / icmp6 / \
            Raw(quote)
        # Expected: from pool4 (the router has no IPv4 address), TTL
        # decremented, DF clear (RFC 7915 5.1: 1260 bytes or less); the
        # quoted packet as the remote sent it, its TTL the quoted hop
        # limit, its lengths the original's, cut to fit in 576 bytes.
        inner4 = bytearray(o4)
        inner4[8] = quote[7]
        df = 0x40 if len(o4) > 1260 else 0
        inner4[6] = df | (inner4[6] & 0x1f)
        inner4[10:12] = b"\0\0"
        inner4[10:12] = struct.pack("!H", csum(bytes(inner4[:20])))
        inner4 = bytes(inner4[:20 + n6])[:576 - 28]
        exp = bytes(IP(src=tap.POOL4, dst=REMOTE4, ttl=63, flags=0, id=0) /
                    icmp4 / Raw(inner4))
        # Identifications are the translator's choice; the checksums that
        # cover them are checked for what it sent.
        ignore = {4, 5, 10, 11, 28 + 4, 28 + 5, 28 + 10, 28 + 11}
        return self.exchange(self.l6, bytes(err6), self.l4, REMOTE4, exp,
                             expect, "%s quote of %s bytes, ICMPv6 %d/%d "
                             "-> ICMPv4" % (
                                 proto, "all %d" % n6 if n is None else n,
                                 kind[0], kind[1]), ignore)

    def exchange(self, src, err, dst, to, exp, expect, what, ignore):
        self.drain()
        src.send(err)
        want = bytes(IPv6(dst=to))[24:40] if ":" in to else \
            bytes(IP(dst=to))[16:20]

        def match(p):
            return (p[24:40] == want if p[0] >> 4 == 6 else p[16:20] == want) \
                and p[6 if p[0] >> 4 == 6 else 9] in (1, 58)

        pkt, _ = dst.wait_for(match, 2.0 if expect else 0.6)
        if not expect:
            back = [p for p, _ in src.recv(0.1) if is_icmp_error(p)]
            out = ([pkt] if pkt else []) + back
            return check(what + ": dropped", not out, "translated anyway:\n" +
                         (out[0].hex() if out else ""))
        if not check(what + ": translated", pkt is not None):
            return False
        lines = diff(exp, pkt, ignore)
        lines += ["not well-formed: " + w for w in wellformed(pkt)]
        if pkt[0] >> 4 == 4 and len(pkt) >= 48:
            if csum(pkt[28:48]):
                lines.append("inner IPv4 header checksum wrong")
        return check(what + ": byte for byte", not lines,
                     "\n".join(lines) + "\nexpected " + exp.hex() +
                     "\nactual   " + pkt.hex())


def quotes(kind, l6, l4):
    q = Quotes(l6, l4)
    log("sessions for TCP, UDP and ICMP echo")
    for proto in ("udp", "tcp", "icmp"):
        if q.establish(proto) is None:
            return 1
    log("IPv4 router errors about 6->4 packets")
    for proto in ("udp", "tcp", "icmp"):
        q.error_4to6(proto, 8)
        q.error_4to6(proto, None)
    q.error_4to6("tcp", 4)
    q.error_4to6("udp", 4)
    q.error_4to6("tcp", 20)
    q.error_4to6("udp", 8, kind=(3, 3))
    q.error_4to6("udp", None, size=548 - 28)	# a 576-byte ICMPv4 error
    q.error_4to6("udp", None, size=1400)	# cut to 1280
    log("IPv6 router errors about 4->6 packets")
    for proto in ("udp", "tcp", "icmp"):
        q.error_6to4(proto, 8)
        q.error_6to4(proto, None)
    q.error_6to4("tcp", 4)
    q.error_6to4("udp", 4)
    q.error_6to4("tcp", 20)
    q.error_6to4("udp", 8, kind=(1, 4))
    q.error_6to4("udp", None, size=1280 - 96)	# a 1280-byte ICMPv6 error
    log("quotes without the ports or identifier: dropped")
    for proto in ("udp", "tcp", "icmp"):
        # An ICMPv4 error that names no transport address may be left to
        # the host; one to pool6 is the translator's to count.
        q.error_4to6(proto, 0, expect=False)
        drops = drop_total()
        q.error_6to4(proto, 0, expect=False)
        check("%s: the ICMPv6 one counted as a drop" % proto,
              drop_total() - drops == 1,
              "drop counters grew by %d" % (drop_total() - drops))
    q.error_4to6("icmp", 4, expect=False)
    q.error_6to4("icmp", 4, expect=False)
    log("the sessions still work")
    for proto in ("udp", "tcp", "icmp"):
        q.establish(proto, " (after)")
    return 0


def main():
    ap = tap.arguments()
    args = ap.parse_args()
    tap.each_kind(args.kinds.split(), args.ns, args.peer_ns, quotes)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
