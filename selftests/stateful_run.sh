#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seeds' "Stateful Run": modprobe with pool6 and pool4, ping6 from the
# IPv6 side to 64:ff9b::192.0.2.5, 4 of 4 replies; the BIB masks each
# client's echo identifier behind 192.0.2.2; modprobe -r stops it.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping modprobe

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "modprobe nat64 pool6=64:ff9b::/96 pool4=192.0.2.2" false; exit $ret; }

log "a6: ping6 64:ff9b::192.0.2.5"
out=$(ip netns exec "$nsA" ping -6 -c 4 -i 0.2 -W 5 64:ff9b::192.0.2.5)
echo "$out" | tail -n 2
check_eq "a6 -> 64:ff9b::192.0.2.5: echo replies" 4 \
	"$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')"

log "c6: ping6 64:ff9b::192.0.2.9"
out=$(ip netns exec "$nsC" ping -6 -c 4 -i 0.2 -W 5 64:ff9b::192.0.2.9)
check_eq "c6 -> 64:ff9b::192.0.2.9: echo replies" 4 \
	"$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')"

bib=$(nat64_debugfs bib)
echo "$bib"
check_eq "BIB holds one ICMP entry per client" 2 \
	"$(echo "$bib" | grep -c '^ICMP 2001:db8::[57]#[0-9]* 192\.0\.2\.2#')"
check "BIB identifiers come from pool4 (61001-65535)" \
	awk 'NR > 1 { split($3, t, "#"); if (t[2] < 61001 || t[2] > 65535) exit 1 }' <<<"$bib"
sessions=$(nat64_debugfs sessions)
check "session a6 <-> 192.0.2.5 exists" grep -q \
	'^ICMP 2001:db8::5#[0-9]* 64:ff9b::c000:205#0 192.0.2.2#[0-9]* 192.0.2.5#0 ' <<<"$sessions"
check_eq "8 packets translated each way" "8 8" \
	"$(nat64_stat xlat_6to4) $(nat64_stat xlat_4to6)"

log "traffic outside pool6 is left alone"
check "a6 -> 2001:db8::7 still works natively" \
	quiet ip netns exec "$nsA" ping -6 -c 1 -W 5 2001:db8::7
check_eq "rx6 counts only pool6 traffic" 8 "$(nat64_stat rx6)"

check "modprobe -r nat64" nat64_unload
check "no instance left behind" test ! -e /sys/kernel/debug/nat64/default
exit $ret
