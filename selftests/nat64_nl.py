#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A raw client of the "nat64" generic netlink family, for the tests:
what the tool will not send (malformed requests) and what it would send
too slowly (100,000 static BIB entries, batched).

  nat64_nl.py add-static N [--proto P] [--first-port K]
  nat64_nl.py dump-bib            prints "proto addr4#port4" per entry
  nat64_nl.py raw CASE            sends a malformed request, prints errno
                                  and the extack message
"""

import errno
import ipaddress
import os
import socket
import struct
import sys

from genl import attr, attrs_of

NETLINK_GENERIC = 16
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NETLINK_EXT_ACK, NETLINK_CAP_ACK = 11, 10
SOL_NETLINK = 270

CMD_BIB_GET, CMD_BIB_NEW = 1, 2
A_PROTO, A_ADDR6, A_PORT6, A_ADDR4, A_PORT4 = 2, 3, 4, 5, 6


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.seq = 1
        reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK,
                             attr(CTRL_ATTR_FAMILY_NAME, b"nat64\0"))
        self.family = struct.unpack("H", reply[0][CTRL_ATTR_FAMILY_ID][:2])[0]

    def message(self, family, cmd, flags, payload, seq=None):
        body = struct.pack("BBH", cmd, 1, 0) + payload
        return struct.pack("IHHII", 16 + len(body), family,
                           NLM_F_REQUEST | flags,
                           seq if seq is not None else self.seq, 0) + body

    def request(self, family, cmd, flags, payload):
        """One request; the answers' attributes, or OSError(errno, extack)."""
        self.sock.send(self.message(family, cmd, flags, payload))
        answers = []
        while True:
            data = self.sock.recv(1 << 20)
            while len(data) >= 16:
                length, kind, mflags, seq, _ = struct.unpack_from("IHHII", data)
                msg, data = data[:length], data[(length + 3) & ~3:]
                if kind == NLMSG_DONE:
                    return answers
                if kind == NLMSG_ERROR:
                    err = struct.unpack_from("i", msg, 16)[0]
                    if err == 0:
                        return answers
                    extack = ""
                    if mflags & NLM_F_ACK_TLVS:
                        off = 20 + (16 if mflags & NLM_F_CAPPED else
                                    struct.unpack_from("I", msg, 20)[0])
                        tlvs = attrs_of(msg[off:])
                        extack = tlvs.get(1, b"").rstrip(b"\0").decode()
                    raise OSError(-err, extack)
                answers.append(attrs_of(msg[20:]))


def static_entry(proto, port):
    return (attr(A_PROTO, struct.pack("B", proto)) +
            attr(A_ADDR6, ipaddress.IPv6Address("2001:db8::99").packed) +
            attr(A_PORT6, struct.pack("H", port)) +
            attr(A_ADDR4, ipaddress.IPv4Address("192.0.2.2").packed) +
            attr(A_PORT4, struct.pack("H", port)))


def add_static(nl, count, proto, first):
    """Many requests per send, acks only for errors: a batch, not a loop."""
    batch = []
    for port in range(first, first + count):
        batch.append(nl.message(nl.family, CMD_BIB_NEW, 0,
                                static_entry(proto, port)))
        if len(batch) == 500 or port == first + count - 1:
            nl.sock.send(b"".join(batch))
            batch = []
    # Unacked requests answer only when they fail; the kernel has run
    # them all by the time send() returns.
    nl.sock.setblocking(False)
    failures = 0
    try:
        while True:
            data = nl.sock.recv(1 << 20)
            while len(data) >= 16:
                length, kind = struct.unpack_from("IH", data)
                if kind == NLMSG_ERROR and struct.unpack_from("i", data, 16)[0]:
                    failures += 1
                data = data[(length + 3) & ~3:]
    except BlockingIOError:
        pass
    nl.sock.setblocking(True)
    return failures


def dump_bib(nl):
    for entry in nl.request(nl.family, CMD_BIB_GET, NLM_F_DUMP, b""):
        proto = entry[A_PROTO][0]
        addr4 = ipaddress.IPv4Address(entry[A_ADDR4][:4])
        port4 = struct.unpack("H", entry[A_PORT4][:2])[0]
        print("%d %s#%d" % (proto, addr4, port4))


RAW_CASES = {
    # No attributes at all: which transport addresses?
    "missing": b"",
    # An IPv6 address of 20 bytes.
    "oversized": (attr(A_PROTO, b"\x11") + attr(A_ADDR6, b"\1" * 20) +
                  attr(A_PORT6, b"\1\0") + attr(A_ADDR4, b"\xc0\0\2\2") +
                  attr(A_PORT4, b"\1\0")),
    # An attribute type the family does not have.
    "unknown": static_entry(17, 4000) + attr(99, b"\0\0\0\0"),
    # Protocol 50 (ESP).
    "proto": (attr(A_PROTO, b"\x32") + static_entry(17, 4000)[8:]),
}


def main():
    nl = Genl()
    if sys.argv[1] == "add-static":
        proto = int(sys.argv[sys.argv.index("--proto") + 1]) \
            if "--proto" in sys.argv else 17
        first = int(sys.argv[sys.argv.index("--first-port") + 1]) \
            if "--first-port" in sys.argv else 1
        failures = add_static(nl, int(sys.argv[2]), proto, first)
        print("failures %d" % failures)
        return 1 if failures else 0
    if sys.argv[1] == "dump-bib":
        dump_bib(nl)
        return 0
    if sys.argv[1] == "raw":
        try:
            nl.request(nl.family, CMD_BIB_NEW, NLM_F_ACK,
                       RAW_CASES[sys.argv[2]])
            print("accepted")
        except OSError as e:
            print("%s: %s" % (errno.errorcode.get(e.errno, e.errno),
                              e.strerror))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
