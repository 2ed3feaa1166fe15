#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Seeded fuzzers of the control plane (see fuzz_control.sh).

  fuzz_control.py snapshot FILE       the configuration, as JSON: every
                                      configfs directory and attribute
                                      under nat64/, and the static BIB
                                      entries (run in the instance's netns)
  fuzz_control.py netlink --seed S --count N
  fuzz_control.py configfs --seed S --count N [--race-seconds T]

netlink: random requests to every command of the "nat64" family (and to
unknown ones): random attribute types, lengths, nesting and bytes, bad
headers, dumps interrupted midway and dumps on a busy socket. A request
that would change the configuration (BIB_NEW, BIB_DEL) always carries
one defect that must get it refused; it counts as a failure if one is
accepted.

configfs: random strings, lengths up to a page, binary bytes, numbers at
and past every bound, written to every attribute of the instance, of
pool4 entries and of instances it makes; a refused write must leave the
attribute as it was; what it accepted it writes back; then mkdir and
rmdir of instances and pool4 entries race with writes into them.
"""

import argparse
import errno
import json
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genl import (Genl, attr, NLM_F_ACK, NLM_F_DUMP,  # noqa: E402
                  NLM_F_ECHO, NLA_F_NESTED)
from wire import check, log, exit_status  # noqa: E402

CFS = "/sys/kernel/config/nat64"
(CMD_BIB_GET, CMD_BIB_NEW, CMD_BIB_DEL, CMD_SESSION_GET, CMD_STATS_GET,
 CMD_FLUSH, CMD_INSTANCE_GET) = 1, 2, 3, 4, 7, 8, 9
A_INSTANCE, A_PROTO, A_ADDR6, A_PORT6, A_ADDR4, A_PORT4, A_STATIC = range(1, 8)
A_MAX = 23
NETNS = None	# the instance's namespace, where its family answers


def static_entries(nl):
    err, rows = nl.request(nl.family, CMD_BIB_GET, NLM_F_DUMP, b"")
    if err:
        raise OSError(err, "bib dump")
    out = []
    for r in rows:
        if A_STATIC in r:
            out.append("%d %s#%d %s#%d" % (
                r[A_PROTO][0], socket.inet_ntop(socket.AF_INET6, r[A_ADDR6]),
                struct.unpack("H", r[A_PORT6][:2])[0],
                socket.inet_ntop(socket.AF_INET, r[A_ADDR4]),
                struct.unpack("H", r[A_PORT4][:2])[0]))
    return sorted(out)


def configfs_tree():
    out = {}
    for root, dirs, files in os.walk(CFS):
        out[root] = "<dir>"
        for f in sorted(files):
            path = os.path.join(root, f)
            try:
                with open(path, "rb") as fh:
                    out[path] = fh.read().decode(errors="replace")
            except OSError as e:
                out[path] = "<%s>" % errno.errorcode.get(e.errno, e.errno)
    return out


def snapshot(path):
    nl = Genl(NETNS)
    with open(path, "w") as f:
        json.dump({"configfs": configfs_tree(),
                   "static_bib": static_entries(nl)}, f, indent=1,
                  sort_keys=True)
    nl.close()
    return 0


# ---- netlink ----

def random_attr(r, depth=0):
    kind = r.choice(list(range(0, A_MAX + 4)) + [99, 0x3fff, 0x7fff])
    shape = r.randrange(8)
    if shape == 0 and depth < 3:
        inner = b"".join(random_attr(r, depth + 1)
                         for _ in range(r.randrange(0, 4)))
        return attr(kind | NLA_F_NESTED, inner)
    if shape == 1:
        size = r.choice([0, 1, 2, 3, 4, 5, 8, 15, 16, 17, 32, 255, 1000,
                         4000])
    else:
        size = r.choice([1, 2, 4, 16])
    return attr(kind, bytes(r.getrandbits(8) for _ in range(size)))


def plausible(r):
    """The attributes of a static BIB entry, mostly right."""
    return [attr(A_PROTO, bytes([r.choice([1, 6, 17])])),
            attr(A_ADDR6, socket.inet_pton(socket.AF_INET6, "2001:db8::99")),
            attr(A_PORT6, struct.pack("H", r.randrange(65536))),
            attr(A_ADDR4, socket.inet_pton(socket.AF_INET, "192.0.2.2")),
            attr(A_PORT4, struct.pack("H", r.randrange(65536)))]


POISONS = [
    ("an IPv6 address of 15 bytes", A_ADDR6, b"\1" * 15),
    ("an IPv6 address of 17 bytes", A_ADDR6, b"\1" * 17),
    ("an IPv4 address of 3 bytes", A_ADDR4, b"\xc0\0\2"),
    ("an IPv4 address outside pool4", A_ADDR4, b"\xcb\0\x71\7"),
    ("protocol 0", A_PROTO, b"\0"),
    ("protocol 50", A_PROTO, b"\x32"),
    ("an IPv4 port of 1 byte", A_PORT4, b"\1"),
    ("an unknown attribute", 99, b"\0\0\0\0"),
    ("a nested protocol", A_PROTO | NLA_F_NESTED, b""),
    ("no IPv4 port", A_PORT4, None),
    ("an instance that does not exist", A_INSTANCE, b"nosuch\0"),
]


def poisoned(r):
    """A mutating request's attributes with one defect that must get it
    refused, and what the defect is."""
    what, kind, value = r.choice(POISONS)
    attrs = plausible(r)
    base = kind & 0x3fff
    attrs = [a for a in attrs if struct.unpack_from("HH", a)[1] != base]
    if value is not None:
        attrs.insert(r.randrange(len(attrs) + 1), attr(kind, value))
    r.shuffle(attrs)
    return b"".join(attrs), what


def fuzz_netlink(seed, count):
    r = random.Random(seed)
    nl = Genl(NETNS)
    before = static_entries(nl)
    accepted, errors, answered = [], {}, 0
    cmds = [0, CMD_BIB_GET, CMD_BIB_NEW, CMD_BIB_DEL, CMD_SESSION_GET, 5, 6,
            CMD_STATS_GET, CMD_FLUSH, CMD_INSTANCE_GET, 10, 200]
    start = time.time()
    for i in range(count):
        cmd = r.choice(cmds)
        if cmd in (CMD_BIB_NEW, CMD_BIB_DEL):
            payload, what = poisoned(r)
            if r.random() < 0.3:
                # Unknown attributes too (a known one could supply what
                # the defect left out).
                payload += attr(r.choice([99, 0x3fff]), b"\0" * 4)
        else:
            what = None
            payload = b"".join(random_attr(r)
                               for _ in range(r.randrange(0, 6)))
        if r.random() < 0.8:
            # The flags its kind of command wants: the attributes get
            # parsed, not refused with the command.
            flags = NLM_F_DUMP if cmd in (CMD_BIB_GET, CMD_SESSION_GET) \
                else NLM_F_ACK
        else:
            flags = r.choice([NLM_F_ACK, NLM_F_DUMP | NLM_F_ACK,
                              NLM_F_ACK | NLM_F_ECHO, NLM_F_DUMP])
        version = r.choice([1, 1, 1, 0, 2, 255])
        msg = nl.message(nl.family, cmd, flags, payload, version)
        if r.random() < 0.05:
            # A header that lies about the length: the kernel drops the
            # rest of the datagram; answer-less, so ask for the stats.
            msg = struct.pack("I", r.choice([0, 4, 15, 16, 19,
                                             len(msg) + 8])) + msg[4:]
            nl.send(msg)
            err, _ = nl.request(nl.family, CMD_STATS_GET, NLM_F_ACK, b"")
            what = None	# never parsed: nothing to refuse
        else:
            nl.send(msg)
            try:
                err, _ = nl.answers()
            except socket.timeout:
                check("netlink: request %d (cmd %d) answered" % (i, cmd),
                      False, "no answer in 10 s")
                return 1
        answered += 1
        errors[errno.errorcode.get(err, "OK") if err else "OK"] = \
            errors.get(errno.errorcode.get(err, "OK") if err else "OK",
                       0) + 1
        if what and err == 0:
            accepted.append("cmd %d with %s" % (cmd, what))
    log("netlink: %d requests in %.1f s; answers: %s" % (
        answered, time.time() - start,
        ", ".join("%s %d" % kv for kv in sorted(errors.items()))))
    check("netlink: every defective BIB_NEW/BIB_DEL refused", not accepted,
          "\n".join(accepted[:10]))

    # Dumps interrupted midway: read one part, close the socket; and a
    # second dump asked for on a socket whose first is not done.
    for _ in range(20):
        small = Genl(NETNS, rcvbuf=4096)
        small.send(small.message(small.family, r.choice(
            [CMD_BIB_GET, CMD_SESSION_GET]), NLM_F_DUMP, b""))
        small.sock.recv(4096)
        if r.random() < 0.5:
            small.send(small.message(small.family, CMD_BIB_GET, NLM_F_DUMP,
                                     b""))
        small.close()
    busy = Genl(NETNS, rcvbuf=8192)
    busy.send(busy.message(busy.family, CMD_BIB_GET, NLM_F_DUMP, b""))
    busy.send(busy.message(busy.family, CMD_BIB_GET, NLM_F_DUMP, b""))
    busy.sock.settimeout(2)
    parts = 0
    try:
        while True:
            busy.sock.recv(1 << 16)
            parts += 1
    except socket.timeout:
        pass
    except OSError as e:
        # The socket's buffer overran (ENOBUFS): what a slow reader gets.
        if e.errno != errno.ENOBUFS:
            raise
    busy.close()
    log("netlink: 20 interrupted dumps, two dumps on one socket (%d reads)"
        % parts)
    after = static_entries(nl)
    check("netlink: the static BIB entries are unchanged",
          before == after, "before %d, after %d" % (len(before), len(after)))
    err, _ = nl.request(nl.family, CMD_STATS_GET, NLM_F_ACK, b"")
    check("netlink: the family still answers", err == 0, "errno %d" % err)
    nl.close()
    return exit_status()


# ---- configfs ----

BOUNDS = {
    "timeout_udp": (1, 604800), "timeout_tcp_est": (1, 604800),
    "timeout_tcp_trans": (1, 604800), "timeout_icmp": (1, 604800),
    "max_bib_entries": (1, 1 << 26), "max_sessions": (1, 1 << 26),
    "max_held_syns": (0, 1 << 16), "max_iterations": (1, 1 << 20),
    "lowest_ipv6_mtu": (1280, 65535), "drop_external_tcp": (0, 1),
    "address_dependent_filtering": (0, 1),
    "subscriber_prefix_len": (0, 128),
    "max_ports_per_subscriber": (0, 1 << 26),
    "max_sessions_per_subscriber": (0, 1 << 26),
    "mark": (0, 0xffffffff), "force": (0, 1), "quick": (0, 1),
}
BOOL_START = set(b"yYnN01tTfFoO")


def values(r, name):
    """What to write to attribute name: bytes."""
    lo, hi = BOUNDS.get(name, (0, 65535))
    k = r.randrange(9)
    if k == 0:
        v = r.choice([lo - 1, lo, hi, hi + 1, -1, 2 ** 31, 2 ** 32 - 1,
                      2 ** 32, 2 ** 64, 2 ** 64 + 1])
        return (str(v) + r.choice(["", "\n", " ", "\n\n", "x"])).encode()
    if k == 1:
        return r.choice([b"", b"\n", b" ", b"\0", b"0x10", b"010", b"+5",
                         b"5abc", b" 5", b"1e3", b"-0", b"0b1"])
    if k == 2:
        return bytes(r.getrandbits(8) for _ in range(r.randrange(1, 64)))
    if k == 3:
        n = r.choice([4095, 4096, 4097, 8192])
        return bytes(r.choice(b"0123456789abcdef:./-") for _ in range(n))
    if k == 4:
        return r.choice([b"192.0.2.300", b"192.0.2.0/33", b"::/129",
                         b"64:ff9b::/96", b"64:ff9b::/95", b"2001:db8::/32",
                         b"0.0.0.0/0", b"192.0.2.2", b"203.0.113.0/24",
                         b"1-65536", b"20-10", b"0-65535", b"1-1", b"65535",
                         b"tcp", b"udp", b"icmp", b"sctp", b"TCP",
                         b"/proc/self/ns/net", b"/dev/zero", b"/"])
    return "".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789 -/:.#\n")
                   for _ in range(r.randrange(1, 40))).encode()


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        return b"<%s>" % errno.errorcode.get(e.errno, "?").encode()


def write(path, data):
    """0, or the errno of the write."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as e:
        return e.errno
    try:
        os.write(fd, data)
        return 0
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)


def attributes(d):
    return sorted(os.path.join(d, f) for f in os.listdir(d)
                  if os.path.isfile(os.path.join(d, f)))


def fuzz_attrs(r, dirs, count, restore):
    """count writes into the attributes of dirs; what they accepted is
    written back when restore is set."""
    changed, bad = {}, []
    paths = [p for d in dirs for p in attributes(d)]
    for _ in range(count):
        path = r.choice(paths)
        name = os.path.basename(path)
        data = values(r, name)
        if name == "enabled" and restore and data[:1] and \
                data[0] in BOOL_START:
            # The running instance stays running: no bool for it.
            data = b"?" + data
        if name == "netns" and restore:
            continue
        before = read(path)
        err = write(path, data)
        after = read(path)
        if err and after != before:
            bad.append("%s <- %r: %s, and it changed from %r to %r" % (
                path, data[:40], errno.errorcode.get(err), before[:40],
                after[:40]))
        elif not err and restore:
            changed.setdefault(path, before)
    for path, value in changed.items():
        err = write(path, value)
        if err:
            bad.append("%s: writing back %r: %s" % (path, value,
                                                   errno.errorcode.get(err)))
    return bad, changed


def race(r, seconds):
    """mkdir and rmdir of an instance and a pool4 entry, while another
    process writes into them."""
    dirs = [os.path.join(CFS, "fzrace"),
            os.path.join(CFS, "default", "pool4", "fzrace")]
    pid = os.fork()
    if pid == 0:
        rr = random.Random(r.getrandbits(32))
        end = time.time() + seconds
        while time.time() < end:
            d = rr.choice(dirs)
            for f in ("timeout_udp", "pool6", "enabled", "prefix", "ports",
                      "proto", "mark"):
                write(os.path.join(d, f), values(rr, f))
        os._exit(0)
    end = time.time() + seconds
    made = 0
    while time.time() < end:
        for d in dirs:
            try:
                os.mkdir(d)
                made += 1
            except OSError:
                pass
        for d in dirs:
            try:
                os.rmdir(d)
            except OSError:
                pass
    os.waitpid(pid, 0)
    for d in reversed(dirs):
        try:
            os.rmdir(d)
        except OSError:
            pass
    return made


def fuzz_configfs(seed, count, race_seconds):
    r = random.Random(seed)
    inst = os.path.join(CFS, "default")
    start = time.time()
    # The running instance and its pool4 entries: a refused write changes
    # nothing; what it accepted is written back.
    pool4 = os.path.join(inst, "pool4")
    running = [inst] + [os.path.join(pool4, d) for d in sorted(
        os.listdir(pool4)) if os.path.isdir(os.path.join(pool4, d))]
    bad, changed = fuzz_attrs(r, running, count // 2, True)
    log("configfs: %d writes to the running instance, %d attributes took "
        "a value" % (count // 2, len(changed)))
    check("configfs: refused writes changed nothing (running instance)",
          not bad, "\n".join(bad[:10]))
    # An instance and a pool4 entry of its own, not enabled.
    mine = [os.path.join(CFS, "fzinst"),
            os.path.join(inst, "pool4", "fzentry"),
            os.path.join(CFS, "fzinst", "pool4", "fzentry")]
    for d in mine:
        os.mkdir(d)
    bad, _ = fuzz_attrs(r, mine, count - count // 2, False)
    check("configfs: refused writes changed nothing (new instance, entries)",
          not bad, "\n".join(bad[:10]))
    for d in reversed(mine):
        for _ in range(3):
            # An entry it enabled is disabled first (rmdir takes it out).
            write(os.path.join(d, "enabled"), b"0")
            try:
                os.rmdir(d)
                break
            except OSError:
                time.sleep(0.1)
    check("configfs: the directories it made are gone",
          not any(os.path.exists(d) for d in mine))
    made = race(r, race_seconds)
    log("configfs: %d writes in %.1f s; mkdir/rmdir race: %d mkdirs" % (
        count, time.time() - start, made))
    return exit_status()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["snapshot", "netlink", "configfs"])
    ap.add_argument("file", nargs="?")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--race-seconds", type=float, default=3)
    ap.add_argument("--ns", required=True,
                    help="the instance's network namespace (/run/netns)")
    args = ap.parse_args()
    global NETNS
    NETNS = args.ns
    if args.what == "snapshot":
        return snapshot(args.file)
    if args.what == "netlink":
        return fuzz_netlink(args.seed, args.count)
    return fuzz_configfs(args.seed, args.count, args.race_seconds)


if __name__ == "__main__":
    sys.exit(main())
