#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""What an unprivileged process gets from the "nat64" family, for
exposure.sh: one line per attempt, "NAME: OK" or "NAME: ERRNO".

  genl_perm.py    a dump of every dump command, and a join of the events
                  multicast group (bind and NETLINK_ADD_MEMBERSHIP)
"""

import errno
import socket
import struct
import sys

NETLINK_GENERIC, GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 16, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_NAME = 7, 1
CTRL_ATTR_MCAST_GRP_ID = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
SOL_NETLINK, NETLINK_ADD_MEMBERSHIP = 270, 1
DUMPS = {"bib dump": 1, "session dump": 4, "stats get": 7, "instance dump": 9}


def attrs(data):
    out = {}
    while len(data) >= 4:
        length, kind = struct.unpack_from("HH", data)
        if length < 4:
            break
        out.setdefault(kind & 0x3fff, data[4:length])
        data = data[(length + 3) & ~3:]
    return out


def request(sock, family, cmd, flags, payload=b""):
    """Errno of the first error answer, or 0 when it was answered."""
    body = struct.pack("BBH", cmd, 1, 0) + payload
    sock.send(struct.pack("IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | flags, 1, 0) + body)
    answers = []
    while True:
        data = sock.recv(1 << 16)
        while len(data) >= 16:
            length, kind = struct.unpack_from("IH", data)
            msg, data = data[:length], data[(length + 3) & ~3:]
            if kind == NLMSG_ERROR:
                return -struct.unpack_from("i", msg, 16)[0], answers
            if kind == NLMSG_DONE:
                return 0, answers
            answers.append(attrs(msg[20:]))
            if not flags & NLM_F_DUMP:
                return 0, answers


def main():
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sock.bind((0, 0))
    name = struct.pack("HH", 10, CTRL_ATTR_FAMILY_NAME) + b"nat64\0\0\0"
    err, ans = request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, name)
    if err or not ans:
        print("family: %s" % errno.errorcode.get(err, err))
        return 1
    family = struct.unpack("H", ans[0][CTRL_ATTR_FAMILY_ID][:2])[0]
    group = None
    grps = ans[0].get(CTRL_ATTR_MCAST_GROUPS, b"")
    while len(grps) >= 4:
        length = struct.unpack_from("H", grps)[0]
        g = attrs(grps[4:length])
        if g.get(CTRL_ATTR_MCAST_GRP_NAME, b"").rstrip(b"\0") == b"events":
            group = struct.unpack("I", g[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
        grps = grps[(length + 3) & ~3:]
    for what, cmd in DUMPS.items():
        flags = NLM_F_ACK if cmd == 7 else NLM_F_DUMP
        err, _ = request(sock, family, cmd, flags)
        print("%s: %s" % (what, errno.errorcode.get(err, "OK") if err
                          else "OK"))
    if group is None:
        print("events join: no events group")
        return 1
    for what in ("setsockopt", "bind"):
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        try:
            if what == "bind":
                # Groups above 31 cannot be named in a bind mask.
                if group > 31:
                    print("events join (bind): skipped, group %d" % group)
                    continue
                s.bind((0, 1 << (group - 1)))
            else:
                s.bind((0, 0))
                s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)
            print("events join (%s): OK" % what)
        except OSError as e:
            print("events join (%s): %s" % (what,
                                            errno.errorcode.get(e.errno)))
        finally:
            s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
