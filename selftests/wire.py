# SPDX-License-Identifier: GPL-2.0
"""What the packet tests assert, in python: named checks printed as lib.sh
prints them, byte comparisons that say where two packets differ, and the
oracle of a well-formed packet (lengths that agree with the frame, correct
checksums, no IPv4 options, ICMP errors within their size limits)."""

import struct
import sys

failures = 0
prefix = ""	# what every name starts with: the link kind under test


def check(desc, ok, detail=None):
    """One named assertion, as lib.sh's check prints it."""
    global failures
    print("TEST: %-60s [%s]" % (prefix + desc, " OK " if ok else "FAIL"))
    if not ok:
        failures += 1
        for line in (detail or "").splitlines()[:20]:
            print("      " + line)
    sys.stdout.flush()
    return ok


def log(msg):
    print("[+] " + prefix + msg)
    sys.stdout.flush()


def exit_status():
    return 1 if failures else 0


def csum(data):
    """The Internet checksum of data (RFC 1071), as it goes on the wire."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def fold(data):
    """The one's complement sum, not inverted (a CHECKSUM_PARTIAL seed)."""
    return ~csum(data) & 0xffff


def diff(expected, actual, ignore=()):
    """Where two packets differ, byte by byte, as lines; [] if equal."""
    out = []
    if len(expected) != len(actual):
        out.append("length: expected %d, actual %d" %
                   (len(expected), len(actual)))
    for i in range(min(len(expected), len(actual))):
        if i not in ignore and expected[i] != actual[i]:
            out.append("byte %d: expected 0x%02x, actual 0x%02x" %
                       (i, expected[i], actual[i]))
    return out


def pseudo4(ip, proto, length):
    return ip[12:20] + struct.pack("!BBH", 0, proto, length)


def pseudo6(ip, proto, length):
    return ip[8:40] + struct.pack("!IxxxB", length, proto)


# IPv6 extension headers the oracle walks through to the transport.
EXT6 = (0, 43, 60)


def l4_of6(pkt):
    """(protocol, offset, incomplete) of an IPv6 packet's transport header,
    incomplete when it is a fragment (not an atomic one); None if the
    chain does not fit in the packet."""
    nh, off, incomplete = pkt[6], 40, False
    while nh in EXT6 or nh == 44:
        if off + 8 > len(pkt):
            return None
        if nh == 44:
            fo = struct.unpack("!H", pkt[off + 2:off + 4])[0]
            incomplete = incomplete or fo != 0
            nh, off = pkt[off], off + 8
            if fo & 0xfff8:
                break	# not the first fragment: no transport header
            continue
        nh, off = pkt[off], off + (pkt[off + 1] + 1) * 8
    return nh, off, incomplete


def wellformed(pkt, partial=False):
    """Why pkt, an IPv4 or IPv6 packet the translator sent (cut to the
    frame's length), is not well-formed: a list of reasons, [] if it is.
    A translated or translator-made packet has lengths that agree with
    the frame, a correct IPv4 header checksum, no IPv4 options, a correct
    transport checksum when it is whole, and, if it is an ICMP error, at
    most 576 (IPv4) or 1280 (IPv6) bytes."""
    why = []
    if len(pkt) < 1:
        return ["empty frame"]
    if pkt[0] >> 4 == 4:
        if len(pkt) < 20:
            return ["IPv4 frame of %d bytes" % len(pkt)]
        ihl, tot = (pkt[0] & 15) * 4, struct.unpack("!H", pkt[2:4])[0]
        if ihl != 20:
            why.append("IPv4 header of %d bytes (options)" % ihl)
        # Ethernet pads to 60 bytes: the frame may be longer, not shorter.
        if tot > len(pkt) or (tot < len(pkt) and len(pkt) > 46):
            why.append("tot_len %d, frame holds %d" % (tot, len(pkt)))
        if tot < ihl:
            return why + ["tot_len %d below the header" % tot]
        if ihl >= 20 and len(pkt) >= ihl and csum(pkt[:ihl]):
            why.append("IPv4 header checksum wrong")
        pkt = pkt[:tot]
        fo = struct.unpack("!H", pkt[6:8])[0]
        proto, l4 = pkt[9], pkt[ihl:]
        whole = (fo & 0x3fff) == 0
        if proto == 1 and whole and l4[:1] in (b"\3", b"\4", b"\5",
                                               b"\x0b", b"\x0c"):
            if tot > 576:
                why.append("ICMP error of %d bytes (more than 576)" % tot)
        if whole:
            why += l4_check(proto, l4, pseudo4(pkt, proto, len(l4)), partial)
        return why
    if pkt[0] >> 4 == 6:
        if len(pkt) < 40:
            return ["IPv6 frame of %d bytes" % len(pkt)]
        plen = struct.unpack("!H", pkt[4:6])[0]
        if 40 + plen > len(pkt) or (40 + plen < len(pkt) and len(pkt) > 46):
            why.append("payload_len %d, frame holds %d" %
                       (plen, len(pkt) - 40))
        pkt = pkt[:40 + plen]
        chain = l4_of6(pkt)
        if chain is None:
            return why + ["extension header chain longer than the packet"]
        proto, off, frag = chain
        l4 = pkt[off:]
        if proto == 58 and not frag and len(l4) >= 1 and l4[0] < 128:
            if len(pkt) > 1280:
                why.append("ICMPv6 error of %d bytes (more than 1280)" %
                           len(pkt))
        if not frag:
            why += l4_check(proto, l4, pseudo6(pkt, proto, len(l4)), partial)
        return why
    return ["IP version %d" % (pkt[0] >> 4)]


# Where each transport's checksum is, and how long its header is at least.
L4 = {6: (16, 20), 17: (6, 8), 1: (2, 8), 58: (2, 8)}


def l4_check(proto, l4, pseudo, partial):
    if proto not in L4:
        return []
    at, least = L4[proto]
    if len(l4) < least:
        return ["%s header of %d bytes" % (proto, len(l4))]
    if proto == 17:
        ulen = struct.unpack("!H", l4[4:6])[0]
        if ulen != len(l4):
            return ["UDP length %d, datagram %d" % (ulen, len(l4))]
        if l4[6:8] == b"\0\0" and len(pseudo) == 12:
            return []	# IPv4 UDP without a checksum
    if proto == 6 and (l4[12] >> 4) * 4 > len(l4):
        return ["TCP data offset %d past the segment" % ((l4[12] >> 4) * 4)]
    if proto == 1:
        pseudo = b""
    if partial:
        # CHECKSUM_PARTIAL: the field holds the pseudo-header's sum.
        seed = struct.unpack("!H", l4[at:at + 2])[0]
        return [] if seed == fold(pseudo) else \
            ["partial checksum seed 0x%04x is not the pseudo header's" % seed]
    return ["%d checksum wrong" % proto] if csum(pseudo + l4) else []


def stats(instance="default"):
    """The instance's counters, from debugfs: {name: value}."""
    out = {}
    with open("/sys/kernel/debug/nat64/%s/stats" % instance) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                out[parts[0]] = int(parts[1])
    return out


def drop_total(instance="default"):
    return sum(v for k, v in stats(instance).items() if k.startswith("drop_"))


def is_icmp_error(pkt):
    """An ICMP or ICMPv6 error (not ND, MLD or a query) right after the IP
    header."""
    if pkt[0] >> 4 == 4 and len(pkt) >= 21:
        return pkt[9] == 1 and pkt[(pkt[0] & 15) * 4] in (3, 4, 5, 11, 12)
    if pkt[0] >> 4 == 6 and len(pkt) >= 41:
        return pkt[6] == 58 and pkt[40] < 128
    return False
