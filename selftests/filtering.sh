#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Filtering (RFC 6146 section 3.5.1, RFC 4787): with the default
# endpoint-independent filtering, any IPv4 node reaches a mapped IPv6
# transport address; with address_dependent_filtering, only the IPv4
# addresses the IPv6 node has sent to (from any of their ports). The
# setting changes at run time, through configfs.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 modprobe

CFS=/sys/kernel/config/nat64/default

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
tmp=$(mktemp -d)

# a6 opens a mapping from port 5000 towards v4#7000, then records every
# datagram it gets as "SOURCE-ADDRESS PAYLOAD" until the test is done
# (the stop file) or 120 s have passed: a slow kernel takes its time.
ip netns exec "$nsA" python3 - "$tmp/got" "$tmp/stop" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 5000))
s.sendto(b"open", ("64:ff9b::192.0.2.5", 7000))
s.settimeout(1)
end = time.time() + 120
with open(sys.argv[1], "w", buffering=1) as out:
    while time.time() < end and not os.path.exists(sys.argv[2]):
        try:
            data, peer = s.recvfrom(100)
            out.write("%s %s\n" % (peer[0], data.decode()))
        except socket.timeout:
            pass
PY
busywait 10000 bash -c "grep -q '^UDP 2001:db8::5#5000 ' /sys/kernel/debug/nat64/default/bib"
port=$(nat64_debugfs bib | awk '$2 == "2001:db8::5#5000" { split($3, t, "#"); print t[2] }')
check "a6#5000 is mapped" test -n "$port"

# send NS SRC SPORT TEXT: one datagram to a6's mapping, 192.0.2.2#port.
send()
{
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.sendto(sys.argv[3].encode(), ("192.0.2.2", int(sys.argv[4])))' \
		"$2" "$3" "$4" "${port:-1}"
}
got() { busywait 15000 grep -qx "$1" "$tmp/got"; }

log "address-dependent filtering on"
check "address_dependent_filtering 1 accepted" \
	bash -c "echo 1 > $CFS/address_dependent_filtering"
filtered=$(nat64_stat drop_address_filtered)
send "$nsV" 192.0.2.5 7001 from-v4-other-port
send "$nsZ" 192.0.2.9 7000 from-z4
check "v4 from another port gets in (same address)" \
	got "64:ff9b::c000:205 from-v4-other-port"
sleep 1
check "z4, never talked to, is filtered" \
	quiet bash -c "! grep -q from-z4 $tmp/got"
check "drop_address_filtered counted it" \
	test "$(nat64_stat drop_address_filtered)" -gt "${filtered:-0}"

log "endpoint-independent filtering (the default) again"
echo 0 > "$CFS/address_dependent_filtering"
send "$nsZ" 192.0.2.9 7000 from-z4-again
check "z4 gets in" got "64:ff9b::c000:209 from-z4-again"
touch "$tmp/stop"
wait
rm -rf "$tmp"
exit $ret
