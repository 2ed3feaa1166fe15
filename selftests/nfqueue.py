#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Translation behind an NFQUEUE (see nfqueue.sh), through tap or veth.

  nfqueue.py --ns NS [--kinds 'tap veth'] [--peer-ns NS] --queue N

nfqueue.sh queues, at mangle priority (before the translator's hook),
the IPv6 packets to pool6 and the IPv4 packets to pool4. This process
is the queue's listener: it lets each packet through, and the kernel
reinjects it into the hooks from this process's sendmsg
(nf_reinject()), in process context, where the receive path would run
them in softirq. Each must come out translated, both ways.
"""

import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402
import quiet_scapy  # noqa: E402,F401
from genl import attr, attrs_of  # noqa: E402
from wire import check, log, exit_status, stats  # noqa: E402

from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6  # noqa: E402
from scapy.packet import Raw  # noqa: E402

NETLINK_NETFILTER = 12
NLMSG_ERROR = 2
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS = 1, 2
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NF_ACCEPT = 1

C5 = tap.HOSTS6[0]
V4 = tap.HOSTS4[0]
POOL4 = tap.POOL4
P6 = tap.PREFIX6


class Queue:
    """An NFQUEUE listener bound to queue @num in namespace @ns."""

    def __init__(self, ns, num):
        with tap.InNs(ns):
            self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                      NETLINK_NETFILTER)
        self.sock.bind((0, 0))
        self.num = num
        self.seq = 0
        cmd = struct.pack("!BxH", NFQNL_CFG_CMD_BIND, 0)
        self.request(NFQNL_MSG_CONFIG, attr(NFQA_CFG_CMD, cmd))
        params = struct.pack("!IB", 0, NFQNL_COPY_META)
        self.request(NFQNL_MSG_CONFIG, attr(NFQA_CFG_PARAMS, params))

    def send(self, msg, body, flags=NLM_F_REQUEST):
        self.seq += 1
        payload = struct.pack("!BBH", socket.AF_UNSPEC, 0, self.num) + body
        head = struct.pack("=IHHII", 16 + len(payload),
                           (NFNL_SUBSYS_QUEUE << 8) | msg, flags, self.seq, 0)
        self.sock.send(head + payload)

    def request(self, msg, body):
        """Sends and waits for the kernel's ack; raises OSError on error."""
        self.send(msg, body, NLM_F_REQUEST | NLM_F_ACK)
        data = self.sock.recv(65536)
        kind = struct.unpack("=H", data[4:6])[0]
        err = struct.unpack("=i", data[16:20])[0] if kind == NLMSG_ERROR \
            else 0
        if err:
            raise OSError(-err, "nfqueue config")

    def accept_one(self, timeout=3.0):
        """Lets the next queued packet through; False if none came."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        kind = struct.unpack("=H", data[4:6])[0]
        if kind != (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
            return False
        hdr = attrs_of(data[20:]).get(NFQA_PACKET_HDR)
        if not hdr:
            return False
        pid = struct.unpack("!I", hdr[:4])[0]
        self.send(NFQNL_MSG_VERDICT,
                  attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, pid)))
        return True


def through_queue(k, q, l6, l4):
    log("%s: a UDP flow both ways, each packet let through the queue" % k)
    before = stats()
    for n in range(3):
        l6.send(bytes(IPv6(src=C5, dst=P6 + V4) /
                      UDP(sport=6100, dport=7000) / Raw(b"q%d" % n)))
        queued = q.accept_one()
        got, _ = l4.wait_for(lambda p: p[0] >> 4 == 4 and p[9] == 17 and
                             p[12:16] == socket.inet_aton(POOL4) and
                             p[28:30] == b"q%d" % n)
        if not check("%s: 6->4 packet %d: queued, let through, translated" %
                     (k, n), queued and got is not None,
                     "queued %s, %s" % (queued, "translated" if got
                                        else "nothing came out")):
            return
        port = struct.unpack("!H", got[20:22])[0]
        l4.send(bytes(IP(src=V4, dst=POOL4) / UDP(sport=7000, dport=port) /
                      Raw(b"r%d" % n)))
        queued = q.accept_one()
        got, _ = l6.wait_for(lambda p: p[0] >> 4 == 6 and p[6] == 17 and
                             p[24:40] == socket.inet_pton(socket.AF_INET6,
                                                          C5) and
                             p[48:50] == b"r%d" % n)
        check("%s: 4->6 packet %d: queued, let through, translated" %
              (k, n), queued and got is not None,
              "queued %s, %s" % (queued, "translated" if got
                                 else "nothing came out"))
    after = stats()
    for name in ("xlat_6to4", "xlat_4to6"):
        check("%s: %s +3" % (k, name),
              after.get(name, 0) - before.get(name, 0) == 3,
              "+%d" % (after.get(name, 0) - before.get(name, 0)))


def main():
    ap = tap.arguments()
    ap.add_argument("--queue", type=int, required=True)
    args = ap.parse_args()
    q = Queue(args.ns, args.queue)
    tap.each_kind(args.kinds.split(), args.ns, args.peer_ns,
                  lambda k, l6, l4: through_queue(k, q, l6, l4),
                  named=False)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
