# SPDX-License-Identifier: GPL-2.0
"""A small client of the "nat64" generic netlink family for the tests that
speak it raw (fuzz_control.py, genl_perm.py): messages, attributes, and
answers matched to the request that asked for them."""

import socket
import struct

import tap

NETLINK_GENERIC, GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 16, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_NAME = 7, 1
CTRL_ATTR_MCAST_GRP_ID = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_ECHO, NLM_F_DUMP = 1, 4, 8, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK = 270, 1, 11
CMD_FLUSH = 8


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("HH", length, kind) + payload + b"\0" * (-length % 4)


def attrs_of(data):
    """{type: payload}, the first of each type."""
    out = {}
    while len(data) >= 4:
        length, kind = struct.unpack_from("HH", data)
        if length < 4:
            break
        out.setdefault(kind & 0x3fff, data[4:length])
        data = data[(length + 3) & ~3:]
    return out


def nested(data):
    """The payloads of a nest's attributes, in order."""
    out = []
    while len(data) >= 4:
        length = struct.unpack_from("H", data)[0]
        if length < 4:
            break
        out.append(data[4:length])
        data = data[(length + 3) & ~3:]
    return out


class Genl:
    """A generic netlink socket, opened in namespace ns (a /run/netns
    name) or in our own, that knows the nat64 family."""

    def __init__(self, ns=None, rcvbuf=1 << 21, timeout=10):
        if ns:
            with tap.InNs(ns):
                self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                          NETLINK_GENERIC)
        else:
            self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                      NETLINK_GENERIC)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.bind((0, 0))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.settimeout(timeout)
        self.seq = 1
        err, ans = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK,
                                attr(CTRL_ATTR_FAMILY_NAME, b"nat64\0"))
        if err or not ans:
            raise OSError(err, "the nat64 family")
        self.family_attrs = ans[0]
        self.family = struct.unpack("H", ans[0][CTRL_ATTR_FAMILY_ID][:2])[0]

    def group(self, name):
        """The id of the family's multicast group name, or None."""
        for g in nested(self.family_attrs.get(CTRL_ATTR_MCAST_GROUPS, b"")):
            a = attrs_of(g)
            if a.get(CTRL_ATTR_MCAST_GRP_NAME, b"").rstrip(b"\0") == name:
                return struct.unpack("I", a[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
        return None

    def message(self, family, cmd, flags, payload, version=1):
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + payload
        return struct.pack("IHHII", 16 + len(body), family,
                           NLM_F_REQUEST | flags, self.seq, 0) + body

    def send(self, raw):
        self.sock.send(raw)

    def answers(self):
        """(errno, answers): what came back to the last request until an
        error or done (answers to earlier ones are passed over)."""
        out = []
        while True:
            data = self.sock.recv(1 << 20)
            while len(data) >= 16:
                length, kind, _, seq = struct.unpack_from("IHHI", data)
                msg, data = data[:length], data[(length + 3) & ~3:]
                if seq != self.seq:
                    continue
                if kind == NLMSG_ERROR:
                    return -struct.unpack_from("i", msg, 16)[0], out
                if kind == NLMSG_DONE:
                    return 0, out
                out.append(attrs_of(msg[20:]))

    def request(self, family, cmd, flags, payload=b""):
        self.send(self.message(family, cmd, flags, payload))
        return self.answers()

    def close(self):
        self.sock.close()
