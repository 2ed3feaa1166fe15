#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""What an unprivileged process gets from the "nat64" family, for
exposure.sh: one line per attempt, "NAME: OK" or "NAME: ERRNO".

  genl_perm.py    a dump of every dump command, and a join of the events
                  multicast group (bind and NETLINK_ADD_MEMBERSHIP)
"""

import errno
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genl import (Genl, NETLINK_GENERIC, NLM_F_ACK, NLM_F_DUMP,  # noqa: E402
                  SOL_NETLINK, NETLINK_ADD_MEMBERSHIP)

DUMPS = {"bib dump": 1, "session dump": 4, "stats get": 7, "instance dump": 9}


def main():
    nl = Genl()
    for what, cmd in DUMPS.items():
        err, _ = nl.request(nl.family, cmd,
                            NLM_F_ACK if cmd == 7 else NLM_F_DUMP)
        print("%s: %s" % (what, errno.errorcode.get(err, err) if err
                          else "OK"))
    group = nl.group(b"events")
    if group is None:
        print("events join: no events group")
        return 1
    for what in ("setsockopt", "bind"):
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        try:
            if what == "bind":
                # A bind mask names groups 1 to 32 only.
                if group > 32:
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
