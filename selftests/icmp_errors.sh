#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP errors through the translator, seen by real applications:
#  - UDP to a closed IPv4 port: the IPv6 application gets ECONNREFUSED
#    (ICMP port unreachable -> ICMPv6 port unreachable, quote translated)
#  - UDP from IPv4 to a closed IPv6 port: the IPv4 application gets
#    ECONNREFUSED (ICMPv6 -> ICMP)
#  - hop limit 1: ICMPv6 Time Exceeded from the translator
#  - a small-MTU IPv4 link: Packet Too Big with the MTU translated (+20)

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 ping modprobe

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }

# udp_refused NS FAMILY ADDR PORT [SRCPORT]: send, expect ECONNREFUSED.
udp_refused()
{
	ip netns exec "$1" python3 - "$2" "$3" "$4" "${5:-0}" <<'PY'
import socket, sys
fam = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(5)
s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", int(sys.argv[4])))
s.connect((sys.argv[2], int(sys.argv[3])))
for _ in range(3):
    s.send(b"x")
    try:
        s.recv(100)
    except ConnectionRefusedError:
        print("ECONNREFUSED"); sys.exit(0)
    except socket.timeout:
        continue
print("no error seen"); sys.exit(1)
PY
}

log "a6 -> closed UDP port on v4"
check "a6's socket gets ECONNREFUSED" udp_refused "$nsA" 6 64:ff9b::192.0.2.5 9

log "v4 -> closed UDP port on a6 (through a6's mapping)"
# a6 opens the mapping from port 4000, then closes its socket.
ip netns exec "$nsA" python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 4000)); s.sendto(b"open", ("64:ff9b::192.0.2.9", 7))'
port=$(nat64_debugfs bib | awk '$1 == "UDP" && $2 == "2001:db8::5#4000" { split($3, t, "#"); print t[2] }')
check "a6#4000 has a mapping" test -n "$port"
check "z4's socket gets ECONNREFUSED" udp_refused "$nsZ" 4 192.0.2.2 "${port:-1}" 7

log "hop limit 1 -> Time Exceeded from the translator"
out=$(ip netns exec "$nsA" ping -6 -c 1 -t 1 -W 3 64:ff9b::192.0.2.5 2>&1)
echo "$out" | head -n 3
check "ping -t 1 reports Time exceeded" grep -qi 'time exceeded' <<<"$out"

log "small MTU on the IPv4 side -> Packet Too Big"
ip -n "$nsN" link set eth1 mtu 1400
out=$(ip netns exec "$nsA" ping -6 -c 2 -W 3 -M do -s 1452 64:ff9b::192.0.2.5 2>&1)
echo "$out" | head -n 3
check "ping -M do -s 1452 reports mtu=1420" grep -q 'mtu=1420' <<<"$out"
check "drop_too_big counted" test "$(nat64_stat drop_too_big)" -ge 1
out=$(ip netns exec "$nsA" ping -6 -c 2 -W 3 -s 1300 64:ff9b::192.0.2.5 2>&1)
check "1300-byte pings fit after the error" grep -q ' 2 received' <<<"$out"

exit $ret
