#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Session expiry with short timeouts set at run time through configfs:
# UDP and ICMP sessions, and the dynamic BIB entries they hold, go away
# once idle for their timeout, and are counted; a static-free table ends
# empty. A timeout out of range is refused and changes nothing.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 ping modprobe

CFS=/sys/kernel/config/nat64/default

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
[[ -d $CFS ]] || { check "configfs shows the default instance" false; exit $ret; }

bib_count() { nat64_debugfs bib | grep -c "^$1 "; }
udp_once()
{
	ip netns exec "$nsA" python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 5000))
s.sendto(b"x", ("64:ff9b::192.0.2.5", 9))'
}

# UDP's timeout is far above ICMP's: a slow kernel (the debug one, under
# emulation) may take several seconds to see the ICMP entry go, and the
# UDP entry must still be there then.
check "timeout_udp 40 accepted" bash -c "echo 40 > $CFS/timeout_udp"
check "timeout_icmp 2 accepted" bash -c "echo 2 > $CFS/timeout_icmp"
check "timeout_udp 700000 refused" quiet bash -c "! echo 700000 > $CFS/timeout_udp"
check_eq "timeout_udp still 40" 40 "$(cat "$CFS/timeout_udp")"

expired=$(nat64_stat session_expired)
created=$(nat64_stat session_created)
udp_once
ip netns exec "$nsA" ping -c 1 -W 2 64:ff9b::192.0.2.5 >/dev/null
check "a UDP and an ICMP session were made" \
	test "$(nat64_stat session_created)" -eq $(( ${created:-0} + 2 ))
check "the ICMP entry expires first (2 s timeout)" \
	busywait 8000 bash -c "! grep -q '^ICMP ' /sys/kernel/debug/nat64/default/bib"
check_eq "the UDP entry is still there (40 s timeout)" 1 "$(bib_count UDP)"
check "the UDP entry expires once 40 s idle" \
	busywait 70000 bash -c "! grep -q '^UDP ' /sys/kernel/debug/nat64/default/bib"
check_eq "no session left" "" "$(nat64_debugfs sessions | tail -n +2)"
check "session_expired counted both" \
	test "$(nat64_stat session_expired)" -ge $(( ${expired:-0} + 2 ))

log "traffic keeps a session alive past its timeout"
echo 6 > "$CFS/timeout_udp"
udp_once
for i in 1 2 3 4 5; do
	sleep 2
	udp_once
done
check_eq "the UDP entry lived 10 s with a 6 s timeout" 1 "$(bib_count UDP)"
exit $ret
