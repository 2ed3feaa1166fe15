#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fragments and MTU: UDP datagrams larger than every link cross the
# translator in both directions. a6 sends 3000 and 8000 bytes (IPv6
# fragments, reassembled by the translator's defragmentation, sent on as
# IPv4 fragments); v4 echoes them (IPv4 fragments, sent on as IPv6
# fragments no larger than lowest_ipv6_mtu, 1280). Both ends must get
# every byte back, and the IPv6 fragments must respect 1280.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 modprobe awk

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }

# v4 echoes each datagram, letting the kernel fragment it (DF clear).
ip netns exec "$nsV" python3 - <<'PY' &
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER, IP_PMTUDISC_DONT
s.bind(("192.0.2.5", 7000))
while True:
    data, peer = s.recvfrom(65535)
    s.sendto(data, peer)
PY
wait_listen "$nsV" udp 7000

# The IPv6 fragments a6 reassembles: their number tells their size.
frags6() { ip netns exec "$nsA" awk '$1 == "Ip6ReasmReqds" { print $2 }' /proc/net/snmp6; }

# echo SIZE: a6 sends SIZE random bytes to v4 and prints what came back.
echo_udp()
{
	ip netns exec "$nsA" python3 - "$1" <<'PY'
import os, socket, sys
size = int(sys.argv[1])
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(10)
payload = os.urandom(size)
s.sendto(payload, ("64:ff9b::192.0.2.5", 7000))
try:
    data = s.recv(65535)
    print("intact" if data == payload else "corrupt %d bytes" % len(data))
except socket.timeout:
    print("lost")
PY
}

before=$(frags6)
for size in 1400 3000 8000 30000; do
	check_eq "$size bytes of UDP there and back" intact "$(echo_udp $size)"
done
# 1232 bytes of payload per fragment at 1280: 2 + 3 + 7 + 25.
check_eq "the replies came as 37 IPv6 fragments of 1280 bytes or less" 37 \
	$(( $(frags6) - before ))

log "lowest_ipv6_mtu 1400: larger fragments, still intact"
echo 1400 > /sys/kernel/config/nat64/default/lowest_ipv6_mtu
before=$(frags6)
check_eq "8000 bytes of UDP there and back" intact "$(echo_udp 8000)"
check_eq "in 6 fragments of 1400 bytes or less" 6 $(( $(frags6) - before ))
exit $ret
