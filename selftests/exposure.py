#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""What the translator must not reach, and hairpinning, which it must,
through tap or veth (see exposure.sh).

  exposure.py --ns NS [--kinds 'tap veth'] [--peer-ns NS]

hostile.sh's hosts: clients 2001:db8::5 and ::7 on the IPv6 link,
192.0.2.5 on the IPv4 link. The translator's namespace runs its own
services: TCP and UDP on 127.0.0.1#7777 and on 192.0.2.2#2222 (a port
outside pool4, 61001-65535), which nothing from the IPv6 side may reach.
"""

import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402
import quiet_scapy  # noqa: E402,F401
from wire import check, log, exit_status, stats, wellformed  # noqa: E402

from scapy.layers.inet import IP, UDP, TCP  # noqa: E402
from scapy.layers.inet6 import (IPv6, ICMPv6EchoRequest,  # noqa: E402
                                ICMPv6EchoReply)
from scapy.packet import Raw  # noqa: E402

C5, C7 = tap.HOSTS6
V4 = tap.HOSTS4[0]
POOL4 = tap.POOL4
P6 = tap.PREFIX6
SERVICES = [("127.0.0.1", 7777), (POOL4, 2222)]
# Never translated (issue 14): reserved, loopback, link-local, multicast,
# broadcast, and the translator's own addresses that pool4 does not lend.
FORBIDDEN = ["127.0.0.1", "0.0.0.0", "0.1.2.3", "169.254.1.1", "224.0.0.1",
             "239.1.1.1", "240.0.0.1", "255.255.255.255", "192.0.2.255",
             "192.0.2.1"]
# On the IPv4 link, and for a while the translator's own (became_local).
LATER_LOCAL = "192.0.2.77"
IP_FREEBIND = 15
# The static BIB entry exposure.sh adds, its pool4 port outside the range.
STATIC_TCP = (C7, 8080, 80)


def addr(a):
    return socket.inet_pton(socket.AF_INET6 if ":" in a else socket.AF_INET,
                            a)


def forbidden():
    return stats().get("drop_forbidden_address", 0)


class Services:
    """TCP listeners and UDP sockets of the translator's own namespace."""

    def __init__(self, ns):
        self.socks = []
        with tap.InNs(ns):
            for a, port in SERVICES:
                t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                # Bound before the links (and their addresses) come and go.
                for s in (t, u):
                    s.setsockopt(socket.SOL_IP, IP_FREEBIND, 1)
                    s.bind((a, port))
                t.listen(8)
                for s in (t, u):
                    s.setblocking(False)
                    self.socks.append((a, port, s))

    def reached(self):
        """What reached them: "ADDR#PORT tcp|udp" for each."""
        out = []
        for a, port, s in self.socks:
            try:
                if s.type == socket.SOCK_STREAM:
                    c, _ = s.accept()
                    c.close()
                    out.append("%s#%d tcp" % (a, port))
                else:
                    s.recvfrom(100)
                    out.append("%s#%d udp" % (a, port))
            except BlockingIOError:
                pass
        return out

    def close(self):
        for _, _, s in self.socks:
            s.close()


def from_pool(pkt, a):
    """Is pkt an IPv6 packet whose source is a's IPv4-embedded address?"""
    return pkt[0] >> 4 == 6 and pkt[8:24] == addr(P6 + a)


def became_local(k, ns, l6, l4, port):
    """A remote allowed before the translator takes it as its own is
    refused after, and allowed again once it gives it back, from either
    side: the answers each CPU remembers (scope.c) follow the namespace's
    routes. From the IPv4 side the remembered answer is all there is (an
    IPv6 packet's route is checked again), so only there a stale one
    would show: IPv4 packets from the address, to C5's mapping at @port,
    making new sessions."""
    log("%s: a remote that becomes the translator's own, then not" % k)
    a = LATER_LOCAL
    # A host we play: nothing waits on ARP, to fail later into a window.
    l4.neighbour(a)
    # Packets sent from here are received on this CPU (tap's write, and
    # veth's transmit, run the receive path in the sender's context): one
    # CPU's answers, asked again and again.
    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cpus)})
    try:
        became_local_steps(k, ns, l6, l4, port, a)
    finally:
        os.sched_setaffinity(0, cpus)


def became_local_steps(k, ns, l6, l4, port, a):
    steps = [("before", False), ("local", True), ("given back", False)]
    for i, (when, refused) in enumerate(steps):
        if when == "local":
            tap.ip(ns, "addr", "add", a + "/32", "dev", "lo")
        elif when == "given back":
            tap.ip(ns, "addr", "del", a + "/32", "dev", "lo")
        # Four new flows each way: the later ones ask what the first
        # remembered.
        four_flows("%s: 64:ff9b::%s %s" % (k, a, when), refused,
                   lambda n: l6.send(bytes(
                       IPv6(src=C5, dst=P6 + a) /
                       UDP(sport=4200 + 10 * i + n, dport=9) / Raw(b"x"))),
                   lambda: [p for p, _ in l4.recv(0.5) if p[0] >> 4 == 4 and
                            p[16:20] == addr(a)])
        four_flows("%s: from %s %s, to the mapping" % (k, a, when), refused,
                   lambda n: l4.send(bytes(
                       IP(src=a, dst=POOL4) /
                       UDP(sport=7100 + 10 * i + n, dport=port) /
                       Raw(b"x"))),
                   lambda: [p for p, _ in l6.recv(0.5) if from_pool(p, a)])


def four_flows(what, refused, send, arrived):
    """send(n) for n in 0..3, each a new flow; all four come through
    (arrived() lists what did), or all four are refused and counted."""
    before = forbidden()
    for n in range(4):
        send(n)
    through = len(arrived())
    check("%s: %s" % (what, "refused" if refused else "translated"),
          through == (0 if refused else 4) and
          forbidden() - before == (4 if refused else 0),
          "%d through; drop_forbidden_address +%d" %
          (through, forbidden() - before))


def exposure(k, l6, l4, svc, ns):
    log("%s: the translator's own services, from the IPv6 side" % k)
    for a, port in SERVICES:
        for proto in ("tcp", "udp"):
            before = forbidden()
            l4_ = TCP(sport=4000, dport=port, flags="S", seq=1) \
                if proto == "tcp" else UDP(sport=4000, dport=port) / \
                Raw(b"reach")
            l6.recv(0.05)
            l6.send(bytes(IPv6(src=C5, dst=P6 + a) / l4_))
            back = [p for p, _ in l6.recv(0.6) if from_pool(p, a)]
            out4 = [p for p, _ in l4.recv(0) if p[0] >> 4 == 4 and
                    p[16:20] == addr(a)]
            got = svc.reached()
            check("%s: %s to 64:ff9b::%s#%d reaches nothing" %
                  (k, proto, a, port), not got and not back and
                  not out4, "reached %s; %d answers; %d sent out" %
                  (got, len(back), len(out4)))
            check("%s: %s to 64:ff9b::%s#%d: drop_forbidden_address" %
                  (k, proto, a, port), forbidden() == before + 1,
                  "+%d" % (forbidden() - before))

    log("%s: forbidden IPv4 destinations are not sent out" % k)
    for a in FORBIDDEN:
        before = forbidden()
        l4.recv(0.05)
        l6.send(bytes(IPv6(src=C5, dst=P6 + a) /
                      UDP(sport=4001, dport=9) / Raw(b"x")))
        out = [p for p, _ in l4.recv(0.5) if p[0] >> 4 == 4 and
               p[16:20] == addr(a)]
        check("%s: 64:ff9b::%s: not sent on the IPv4 side, counted" %
              (k, a), not out and forbidden() == before + 1,
              "%d sent; drop_forbidden_address +%d" %
              (len(out), forbidden() - before))

    log("%s: IPv4 packets from forbidden sources to a mapping" % k)
    l6.send(bytes(IPv6(src=C5, dst=P6 + V4) /
                  UDP(sport=5000, dport=7000) / Raw(b"open")))
    got, _ = l4.wait_for(lambda p: p[0] >> 4 == 4 and p[9] == 17 and
                         p[12:16] == addr(POOL4))
    if check("%s: C5#5000 has a mapping" % k, got is not None):
        port = struct.unpack("!H", got[20:22])[0]
        for a in FORBIDDEN:
            before = forbidden()
            l6.recv(0.05)
            l4.send(bytes(IP(src=a, dst=POOL4) /
                          UDP(sport=7000, dport=port) / Raw(b"x")))
            out = [p for p, _ in l6.recv(0.5) if from_pool(p, a)]
            check("%s: from %s to the mapping: dropped, counted" %
                  (k, a), not out and forbidden() == before + 1,
                  "%d translated; drop_forbidden_address +%d" %
                  (len(out), forbidden() - before))
        became_local(k, ns, l6, l4, port)

    log("%s: hairpinning (RFC 6146 3.8) still works" % k)
    hairpin(k, l6, l4)
    return 0


def main():
    ap = tap.arguments()
    args = ap.parse_args()
    svc = Services(args.ns)
    try:
        tap.each_kind(args.kinds.split(), args.ns, args.peer_ns,
                      lambda k, l6, l4: exposure(k, l6, l4, svc, args.ns),
                      named=False)
    finally:
        svc.close()
    return exit_status()


def hairpin(k, l6, l4):
    # C7 opens a UDP mapping; C5 reaches C7 through it.
    l6.send(bytes(IPv6(src=C7, dst=P6 + V4) / UDP(sport=6000, dport=7000) /
                  Raw(b"open")))
    got, _ = l4.wait_for(lambda p: p[0] >> 4 == 4 and p[9] == 17 and
                         p[12:16] == addr(POOL4) and p[22:24] ==
                         struct.pack("!H", 7000))
    if not check("%s: C7#6000 has a UDP mapping" % k, got is not None):
        return
    port7 = struct.unpack("!H", got[20:22])[0]
    cases = [
        ("UDP to C7's mapping", IPv6(src=C5, dst=P6 + POOL4) /
         UDP(sport=5001, dport=port7) / Raw(b"hairpin"), C7, 17, 6000),
        ("TCP to the static entry #80 (outside pool4's range)",
         IPv6(src=C5, dst=P6 + POOL4) /
         TCP(sport=5002, dport=STATIC_TCP[2], flags="S", seq=3),
         C7, 6, STATIC_TCP[1]),
    ]
    for what, pkt, to, proto, dport in cases:
        l4.recv(0.05)
        l6.recv(0.05)
        l6.send(bytes(pkt))
        got, _ = l6.wait_for(lambda p: p[0] >> 4 == 6 and p[6] == proto and
                             p[24:40] == addr(to) and
                             p[42:44] == struct.pack("!H", dport) and
                             from_pool(p, POOL4))
        leaked = [p for p, _ in l4.recv(0) if p[0] >> 4 == 4 and
                  p[16:20] == addr(POOL4)]
        check("%s: hairpin: %s" % (k, what), got is not None and
              not wellformed(got) and not leaked,
              "nothing arrived" if got is None else
              "; ".join(wellformed(got)) + " %d leaked" % len(leaked))
    # C5 pings 64:ff9b::192.0.2.2: the request comes back through C5's own
    # mapping (or is answered), never leaves on the IPv4 side.
    l6.recv(0.05)
    l4.recv(0.05)
    l6.send(bytes(IPv6(src=C5, dst=P6 + POOL4) /
                  ICMPv6EchoRequest(id=0x55, seq=1) / Raw(b"hairpin")))
    got, _ = l6.wait_for(lambda p: p[0] >> 4 == 6 and p[6] == 58 and
                         p[24:40] == addr(C5) and from_pool(p, POOL4) and
                         p[40] in (128, 129))
    leaked = [p for p, _ in l4.recv(0) if p[0] >> 4 == 4 and p[9] == 1]
    ok = got is not None and not wellformed(got) and not leaked
    check("%s: hairpin: ping 64:ff9b::192.0.2.2 comes back" % k, ok,
          "nothing arrived" if got is None else
          "; ".join(wellformed(got)) + " %d leaked" % len(leaked))
    if ok and got[40] == 128:
        # It came back as C5's own request: C5 answers, and the answer
        # comes back to C5 the same way.
        ident = struct.unpack("!H", got[44:46])[0]
        l6.send(bytes(IPv6(src=C5, dst=P6 + POOL4) /
                      ICMPv6EchoReply(id=ident, seq=1) / Raw(b"hairpin")))
        got, _ = l6.wait_for(lambda p: p[0] >> 4 == 6 and p[6] == 58 and
                             p[24:40] == addr(C5) and p[40] == 129)
        check("%s: hairpin: the echo reply comes back too" % k,
              got is not None and got[44:46] == struct.pack("!H", 0x55))
    # And the IPv4 side is told nothing of this.
    v4 = [p for p, _ in l4.recv(0.2) if p[0] >> 4 == 4 and
          p[12:16] == addr(POOL4) and p[16:20] == addr(POOL4)]
    check("%s: hairpinned packets never leave as IPv4" % k, not v4)
    return None


if __name__ == "__main__":
    sys.exit(main())
