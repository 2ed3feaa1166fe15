#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP errors quoting part of a packet (icmp_quotes.py), through a tap
# device and through veth, after TCP, UDP and ICMP echo sessions exist:
#  - an IPv4 router's errors about 6->4 packets and an IPv6 router's errors
#    about 4->6 packets, quoting 4, 8, 20 bytes or all of the transport
#    (576-byte ICMPv4 and 1280-byte ICMPv6 errors included), checked byte
#    for byte: outer header and length, outer checksum, the inner header
#    with the ORIGINAL packet's lengths, ports or identifier translated,
#    the inner checksum adjusted only when the quote holds it;
#  - quotes without ports or identifier (0 bytes, 4 of ICMP) are dropped
#    and counted;
#  - the sessions work afterwards.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip modprobe
require_scapy
require_tun

setup_ns nsN nsP || skip "cannot make namespaces"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
py_test "icmp_quotes.py ran to the end" "$SELFTESTS_DIR/icmp_quotes.py" \
	--ns "$nsN" --kinds "$LINK_KINDS" --peer-ns "$nsP"
log "$(basename "$0"): ${SECONDS} s"
exit $ret
