#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hairpinning (RFC 6146 section 3.8): c6 has a UDP mapping; a6 reaches c6
# through it, at 64:ff9b::192.0.2.2, and gets c6's answer the same way.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 modprobe

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
tmp=$(mktemp -d)

# c6 opens its mapping from port 6000, then answers one datagram.
ip netns exec "$nsC" python3 - "$tmp/seen" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 6000))
s.sendto(b"open", ("64:ff9b::192.0.2.5", 9))
s.settimeout(20)
data, peer = s.recvfrom(100)
open(sys.argv[1], "w").write(peer[0] + " " + str(peer[1]) + "\n")
s.sendto(b"pong:" + data, peer)
PY
busywait 10000 bash -c "grep -q '^UDP 2001:db8::7#6000 ' /sys/kernel/debug/nat64/default/bib"
port=$(nat64_debugfs bib | awk '$2 == "2001:db8::7#6000" { split($3, t, "#"); print t[2] }')
check "c6#6000 is mapped" test -n "$port"

reply=$(ip netns exec "$nsA" python3 - "${port:-1}" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(10)
s.sendto(b"ping", ("64:ff9b::192.0.2.2", int(sys.argv[1])))
data, peer = s.recvfrom(100)
print(data.decode(), peer[0])
PY
)
wait
echo "a6 got: $reply; c6 saw: $(cat "$tmp/seen")"
check_eq "a6 gets c6's answer through 64:ff9b::192.0.2.2" \
	"pong:ping 64:ff9b::c000:202" "$reply"
check "c6 saw a6 as 64:ff9b::192.0.2.2, a pool4 port" \
	grep -q '^64:ff9b::c000:202 6[0-9]*$' "$tmp/seen"
rm -rf "$tmp"
exit $ret
