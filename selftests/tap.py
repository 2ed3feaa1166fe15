# SPDX-License-Identifier: GPL-2.0
"""Frames in and out of the translator's namespace, for the packet tests.

A test plays every host around the translator itself: it writes the
Ethernet frames those hosts would send and reads the frames the translator
sends them. Two kinds of link, so that each test runs through both:

  tap   a tap device (IFF_TAP | IFF_NO_PI) owned by the translator's
        namespace; what we write arrives as from a NIC, with a NIC's
        headroom (veth's small headroom once hid a kernel BUG). The fd is
        held as long as the link lives, so that the link has carrier.
  veth  a veth pair whose peer is in a namespace of its own, silent (no
        address, IPv6 off); we send and capture there with AF_PACKET.

The translator's namespace gets static neighbour entries for every host we
play, so it never needs ARP or ND, and transmit checksum offload is off on
its veths, so that what we capture has complete checksums.
"""

import argparse
import ctypes
import fcntl
import json
import os
import select
import socket
import struct
import subprocess
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454ca
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000
SIOCETHTOOL = 0x8946
ETHTOOL_STXCSUM = 0x17
ETH_P_ALL, ETH_P_IP, ETH_P_IPV6 = 0x0003, 0x0800, 0x86DD
PACKET_OUTGOING = 4
SOL_PACKET, PACKET_AUXDATA, TP_STATUS_CSUMNOTREADY = 263, 8, 0x8

libc = ctypes.CDLL(None, use_errno=True)


class InNs:
    """Switch this (single-threaded) process into a named namespace; what
    is opened inside stays in that namespace after we leave."""

    def __init__(self, ns):
        self.ns = ns

    def __enter__(self):
        self.orig = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open("/run/netns/" + self.ns, os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET):
                raise OSError(ctypes.get_errno(), "setns " + self.ns)
        finally:
            os.close(fd)

    def __exit__(self, *exc):
        libc.setns(self.orig, CLONE_NEWNET)
        os.close(self.orig)


def ip(ns, *args):
    subprocess.run(["ip", "-n", ns] + list(args), check=True)


def mac_of(ns, ifname):
    out = subprocess.check_output(["ip", "-n", ns, "-j", "link", "show",
                                   "dev", ifname])
    return bytes.fromhex(json.loads(out)[0]["address"].replace(":", ""))


def tx_checksum_off(ns, ifname):
    """ethtool -K IF tx off, without ethtool: the legacy ioctl."""
    value = ctypes.create_string_buffer(struct.pack("II", ETHTOOL_STXCSUM, 0))
    ifr = struct.pack("16sP", ifname.encode(), ctypes.addressof(value))
    with InNs(ns):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        fcntl.ioctl(s, SIOCETHTOOL, ifr)
    finally:
        s.close()


def ethertype(l3):
    return ETH_P_IPV6 if l3 and l3[0] >> 4 == 6 else ETH_P_IP


class Link:
    """One link of the translator. send() takes an IP packet, as a host on
    the link sends it to the translator; recv() returns what the translator
    sent on the link: (IP packet, checksum_partial) pairs, IP and IPv6 only,
    each cut to the length of the Ethernet frame's payload (never to the
    IP header's length claim: the oracle compares the two)."""

    kind = None

    def __init__(self, ns, ifname):
        self.ns, self.ifname = ns, ifname
        self.frames_sent = 0

    def frame(self, l3, ethtype=None):
        return (self.xmac + self.mac +
                struct.pack("!H", ethtype or ethertype(l3)) + l3)

    def send(self, l3, ethtype=None):
        self.write(self.frame(l3, ethtype))
        self.frames_sent += 1

    def recv(self, timeout=0.0):
        """What arrives within timeout seconds (at least what is queued)."""
        out = []
        deadline = time.time() + timeout
        while True:
            got = self.read_all()
            out.extend(got)
            left = deadline - time.time()
            if left <= 0:
                return out
            select.select([self.fileno()], [], [], left)

    def wait_for(self, match, timeout=3.0):
        """The first packet match() accepts, and every packet seen."""
        seen = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            for pkt, partial in self.recv(0.05):
                seen.append((pkt, partial))
                if match(pkt):
                    return pkt, seen
        return None, seen

    @staticmethod
    def parse(frame, partial=False):
        if len(frame) < 14:
            return None
        et = struct.unpack("!H", frame[12:14])[0]
        if et not in (ETH_P_IP, ETH_P_IPV6):
            return None
        return frame[14:], partial

    def neighbour(self, addr):
        """addr is a host we play: the translator reaches it at our MAC."""
        ip(self.ns, "neigh", "replace", addr, "lladdr", self.mac.hex(":"),
           "dev", self.ifname, "nud", "permanent")


class TapLink(Link):
    kind = "tap"

    def __init__(self, ns, ifname, mac):
        super().__init__(ns, ifname)
        with InNs(ns):
            self.fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
        ifr = struct.pack("16sH", ifname.encode(), IFF_TAP | IFF_NO_PI)
        fcntl.ioctl(self.fd, TUNSETIFF, ifr)
        ip(ns, "link", "set", ifname, "up")
        self.xmac = mac_of(ns, ifname)
        self.mac = mac	# the hosts we play on this link

    def write(self, frame):
        os.write(self.fd, frame)

    def fileno(self):
        return self.fd

    def read_all(self):
        out = []
        while True:
            try:
                frame = os.read(self.fd, 65600)
            except BlockingIOError:
                return out
            got = self.parse(frame)
            if got:
                out.append(got)

    def close(self):
        os.close(self.fd)


class VethLink(Link):
    kind = "veth"

    def __init__(self, ns, ifname, peer_ns):
        super().__init__(ns, ifname)
        self.peer_ns, self.peer = peer_ns, "p" + ifname
        subprocess.run(["ip", "link", "add", ifname, "netns", ns, "type",
                        "veth", "peer", "name", self.peer, "netns", peer_ns],
                       check=True)
        subprocess.run(["ip", "netns", "exec", peer_ns, "sysctl", "-qw",
                        "net.ipv6.conf.all.disable_ipv6=1",
                        "net.ipv6.conf.default.disable_ipv6=1"], check=True)
        ip(peer_ns, "link", "set", self.peer, "up")
        ip(ns, "link", "set", ifname, "up")
        tx_checksum_off(ns, ifname)
        self.xmac = mac_of(ns, ifname)
        self.mac = mac_of(peer_ns, self.peer)
        with InNs(peer_ns):
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                      socket.htons(ETH_P_ALL))
        self.sock.bind((self.peer, ETH_P_ALL))
        self.sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 24)
        self.sock.setblocking(False)

    def write(self, frame):
        self.sock.send(frame)

    def fileno(self):
        return self.sock.fileno()

    def read_all(self):
        out = []
        while True:
            try:
                data, anc, _, addr = self.sock.recvmsg(
                    65600, socket.CMSG_SPACE(32))
            except BlockingIOError:
                return out
            if addr[2] == PACKET_OUTGOING:
                continue
            partial = any(lvl == SOL_PACKET and kind == PACKET_AUXDATA and
                          struct.unpack("I", d[:4])[0] &
                          TP_STATUS_CSUMNOTREADY for lvl, kind, d in anc)
            got = self.parse(data, partial)
            if got:
                out.append(got)

    def close(self):
        self.sock.close()


# The addresses every packet test uses: the seeds' sample network, with a
# router on each side for what is not on the link.
XLAT6, XLAT4, POOL4 = "2001:db8::1", "192.0.2.1", "192.0.2.2"
HOSTS6 = ["2001:db8::5", "2001:db8::7"]
ROUTER6, NET6_BEHIND = "2001:db8::fe", "2001:db8:1::/64"
HOSTS4 = ["192.0.2.5", "192.0.2.9"]
ROUTER4, NET4_BEHIND = "192.0.2.254", "203.0.113.0/24"
PREFIX6 = "64:ff9b::"


def setup_links(kind, ns, peer_ns=None):
    """The translator's two links (IPv6 side, IPv4 side) of one kind, with
    the addresses, routes and neighbours of the sample network."""
    if kind == "tap":
        l6 = TapLink(ns, "tap6", bytes.fromhex("020000000a06"))
        l4 = TapLink(ns, "tap4", bytes.fromhex("020000000a04"))
    else:
        l6 = VethLink(ns, "veth6", peer_ns)
        l4 = VethLink(ns, "veth4", peer_ns)
    ip(ns, "addr", "add", XLAT6 + "/96", "dev", l6.ifname, "nodad")
    ip(ns, "addr", "add", XLAT4 + "/24", "dev", l4.ifname)
    ip(ns, "addr", "add", POOL4 + "/24", "dev", l4.ifname)
    ip(ns, "route", "add", NET6_BEHIND, "via", ROUTER6)
    ip(ns, "route", "add", NET4_BEHIND, "via", ROUTER4)
    for a in HOSTS6 + [ROUTER6]:
        l6.neighbour(a)
    for a in HOSTS4 + [ROUTER4]:
        l4.neighbour(a)
    subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                    "net.ipv4.conf.all.forwarding=1",
                    "net.ipv6.conf.all.forwarding=1",
                    "net.ipv6.auto_flowlabels=0"], check=True)
    # Let the links settle (carrier, IPv6 on the device) before we send.
    time.sleep(0.5)
    for link in (l6, l4):
        link.recv(0)
    return l6, l4


def teardown_links(links):
    for link in links:
        link.close()
        subprocess.run(["ip", "-n", link.ns, "link", "del", link.ifname],
                       stderr=subprocess.DEVNULL)


def arguments():
    """The command line every packet test takes: the translator's
    namespace, the kinds of link to go through, the veths' peer."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--ns", required=True,
                    help="the translator's namespace (/run/netns)")
    ap.add_argument("--kinds", default="tap veth")
    ap.add_argument("--peer-ns", help="where veth peers go")
    return ap


def each_kind(kinds, ns, peer_ns, run, named=True):
    """run(kind, l6, l4) through each kind of link in turn, in one process
    (under TCG, starting python and scapy costs seconds), the dynamic BIB
    entries and sessions flushed in between so that each starts afresh;
    with named, every check's name starts with the kind. Returns 1 if run
    returned a failure for any, else 0."""
    import genl
    import wire

    rc = 0
    for i, kind in enumerate(kinds):
        wire.prefix = kind + ": " if named else ""
        if i:
            nl = genl.Genl(ns)
            nl.request(nl.family, genl.CMD_FLUSH, genl.NLM_F_ACK)
            nl.close()
        links = setup_links(kind, ns, peer_ns)
        try:
            rc |= run(kind, *links) or 0
        finally:
            teardown_links(links)
    wire.prefix = ""
    return rc
