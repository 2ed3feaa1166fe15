#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Seeded fuzzers of the control plane (fuzz_control.py), after which the
# configuration is what it was and the translator still translates:
#  - netlink: random requests to every command of the family, random
#    attributes, lengths, nesting and headers, interrupted dumps; every
#    defective BIB_NEW/BIB_DEL refused;
#  - configfs: random strings, page-long ones, binary bytes and numbers
#    at and past every bound to every attribute of the instance, of pool4
#    entries and of a new instance; refused writes change nothing; mkdir
#    and rmdir race with writes.
# Before and after: every configfs directory and attribute and the static
# BIB entries (2000 of them, so that dumps span many messages), compared.
#
#   NAT64_FUZZ_SEED   the seed (default: a new one, printed)
#   NAT64_FUZZ_COUNT  requests and writes for each fuzzer (default 250)

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip modprobe ping
require_scapy
NAT64=$REPO_DIR/tools/nat64/nat64
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"
FC=$SELFTESTS_DIR/fuzz_control.py

seed=${NAT64_FUZZ_SEED:-$(( $(date +%s%N) % 1000000007 ))}
count=${NAT64_FUZZ_COUNT:-250}
log "seed $seed, $count requests/writes (NAT64_FUZZ_SEED=$seed to repeat)"

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
tmp=$(mktemp -d)
check "2000 static BIB entries" \
	ip netns exec "$nsN" "$PY_SCAPY" "$SELFTESTS_DIR/nat64_nl.py" add-static 2000
ip netns exec "$nsA" ping -c 1 -W 3 64:ff9b::192.0.2.5 >/dev/null

translates()
{
	ip netns exec "$nsA" ping -c 1 -W 5 64:ff9b::192.0.2.5 >/dev/null &&
	ip netns exec "$nsC" "$PY_SCAPY" -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"x", ("64:ff9b::192.0.2.5", 9))' &&
	busywait 5000 bash -c "grep -q '^UDP 2001:db8::7#' /sys/kernel/debug/nat64/default/bib"
}

check "snapshot before" "$PY_SCAPY" "$FC" snapshot "$tmp/before" --ns "$nsN"
start=$(date +%s)
py_test "netlink fuzzer ran to the end" "$FC" netlink --ns "$nsN" \
	--seed "$seed" --count "$count"
log "netlink fuzzer: $(( $(date +%s) - start )) s"
start=$(date +%s)
py_test "configfs fuzzer ran to the end" "$FC" configfs --ns "$nsN" \
	--seed "$seed" --count "$count"
log "configfs fuzzer: $(( $(date +%s) - start )) s"
check "snapshot after" "$PY_SCAPY" "$FC" snapshot "$tmp/after" --ns "$nsN"
check "the configuration is unchanged (configfs and static BIB)" \
	diff -u "$tmp/before" "$tmp/after"
check "the translator still translates (ping, a new UDP flow)" translates
rm -rf "$tmp"
[[ $ret -eq 0 ]] || log "to repeat: NAT64_FUZZ_SEED=$seed NAT64_FUZZ_COUNT=$count $0"
log "$(basename "$0"): ${SECONDS} s"
exit $ret
