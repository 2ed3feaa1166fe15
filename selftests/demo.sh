#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: the seeds' "Stateful Run", shown step by step inside the VM.
# IPv6 node a6 pings the IPv4 node v4 at 64:ff9b::192.0.2.5 through the
# translator N, which masks it behind pool4 192.0.2.2.

source "$(dirname "$0")/lib.sh"

require_root
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "The sample network (every node is a network namespace)"
cat <<'PICTURE'
   a6 2001:db8::5 --+                        +-- v4 192.0.2.5
                    |-- N (the translator) --|
   c6 2001:db8::7 --+   2001:db8::1          +-- z4 192.0.2.9
                        192.0.2.1, 192.0.2.2 (pool4)
PICTURE
setup_sample_network || { echo "cannot build the sample network"; exit 1; }

step "On N: load the translator"
# The VM loaded the module without parameters; load it again, with them.
modprobe -r nat64 2>/dev/null
show ip netns exec "$nsN" modprobe nat64 pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	exit 1
NAT64_LOADED=1
dmesg | grep 'nat64: instance' | tail -n 1

step "On a6: ping6 64:ff9b::192.0.2.5"
show ip netns exec "$nsA" ping -6 -c 4 -i 0.5 64:ff9b::192.0.2.5
rc=$?

step "On v4: who pinged? (tcpdump sees the translated packets)"
if command -v tcpdump >/dev/null; then
	ip netns exec "$nsV" timeout 5 tcpdump -n -l -c 2 -i eth0 icmp 2>/dev/null &
	sleep 1.5
	ip netns exec "$nsA" ping -6 -c 1 -W 2 64:ff9b::192.0.2.5 >/dev/null
	wait
fi

step "On N: the BIB (IPv6 transport address <-> pool4 transport address)"
show cat /sys/kernel/debug/nat64/default/bib
step "On N: the sessions"
show cat /sys/kernel/debug/nat64/default/sessions
step "On N: the counters"
show cat /sys/kernel/debug/nat64/default/stats

step "On N: stop the translator"
show modprobe -r nat64 && NAT64_LOADED=
if [[ $rc -eq 0 ]]; then
	echo; echo "Demo complete: ping6 went through the translator."
else
	echo; echo "Demo FAILED: ping6 got no replies."
fi
exit $rc
