#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-subscriber limits (RFC 6888 REQ-3): with max_ports_per_subscriber
# 3, a subscriber (an IPv6 /64, subscriber_prefix_len's default) gets 3
# UDP mappings; its further new flows are refused with an ICMPv6 error
# and counted in drop_subscriber_limit, while its mapped flows go on and
# a client of another /64 still gets its own 3.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 modprobe

CFS=/sys/kernel/config/nat64/default

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }

# Client A in 2001:db8:1::/64, client B in 2001:db8:2::/64.
ip -n "$nsN" addr add 2001:db8:1::1/64 dev eth0
ip -n "$nsN" addr add 2001:db8:2::1/64 dev eth0
ip -n "$nsA" addr add 2001:db8:1::5/64 dev eth0
ip -n "$nsC" addr add 2001:db8:2::7/64 dev eth0
# Both refusals must reach A, however fast they come.
ip netns exec "$nsN" sysctl -qw net.ipv6.icmp.ratelimit=0
busywait 5000 bash -c "ip -n $nsA -6 addr show tentative | grep -q . && exit 1 || exit 0"
busywait 5000 bash -c "ip -n $nsC -6 addr show tentative | grep -q . && exit 1 || exit 0"

udp_echo_v4
mapped() { grep -cE '^192\.0\.2\.2 [0-9]+$' <<<"$1"; }
refused() { grep -cx EHOSTUNREACH <<<"$1"; }

log "settings"
check_eq "subscriber_prefix_len defaults to 64" 64 \
	"$(cat $CFS/subscriber_prefix_len)"
check_eq "max_ports_per_subscriber defaults to 0 (no limit)" 0 \
	"$(cat $CFS/max_ports_per_subscriber)"
check_eq "max_sessions_per_subscriber defaults to 0 (no limit)" 0 \
	"$(cat $CFS/max_sessions_per_subscriber)"
check "subscriber_prefix_len 129 refused" \
	fails bash -c "echo 129 > $CFS/subscriber_prefix_len"
check "max_ports_per_subscriber 3 accepted" \
	bash -c "echo 3 > $CFS/max_ports_per_subscriber"

log "client A opens 5 UDP flows, client B 3"
before=$(nat64_stat drop_subscriber_limit)
a=$(udp_flows "$nsA" 2001:db8:1::5 4001 5)
echo "$a"
check_eq "A: 3 flows mapped" 3 "$(mapped "$a")"
check_eq "A: 2 refused with ICMPv6 (EHOSTUNREACH)" 2 "$(refused "$a")"
check_eq "drop_subscriber_limit counted the 2" 2 \
	$(( $(nat64_stat drop_subscriber_limit) - ${before:-0} ))
b=$(udp_flows "$nsC" 2001:db8:2::7 4001 3)
echo "$b"
check_eq "B (another /64): its 3 flows mapped" 3 "$(mapped "$b")"
again=$(udp_flows "$nsA" 2001:db8:1::5 4001 1)
check_eq "A's first flow keeps working" "$(head -n 1 <<<"$a")" "$again"
exit $ret
