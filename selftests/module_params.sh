#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module parameters: good ones create the default instance; bad ones fail
# the load with a kernel log line naming the parameter, and leave nothing
# registered behind.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip modprobe dmesg

setup_ns nsN || skip "cannot create a namespace"
modprobe -r nat64 2>/dev/null

# expect_refused PARAM_NAME ARGS...
expect_refused()
{
	local name=$1 log

	shift
	dmesg -C
	if ip netns exec "$nsN" modprobe nat64 "$@" 2>/dev/null; then
		check "refused: $*" false
		modprobe -r nat64
		return
	fi
	log=$(dmesg)
	check "refused: $*" true
	check "  kernel log names '$name'" grep -q "nat64: $name" <<<"$log"
	check "  nothing left loaded" test ! -e /sys/module/nat64
}

expect_refused pool6 pool6=garbage pool4=192.0.2.2
expect_refused pool6 pool6=64:ff9b::/33 pool4=192.0.2.2
expect_refused pool6 pool6=64:ff9b::1/96 pool4=192.0.2.2
expect_refused pool6 pool6=64:ff9b:0:0:ff00::/96 pool4=192.0.2.2
expect_refused pool4 pool6=64:ff9b::/96 pool4=300.0.0.1
expect_refused pool4 pool6=64:ff9b::/96 pool4=192.0.2.1/33
expect_refused pool4 pool6=64:ff9b::/96 pool4=192.0.2.1/29
expect_refused pool4 pool6=64:ff9b::/96 \
	pool4=192.0.2.1,192.0.2.2,192.0.2.3,192.0.2.4,192.0.2.5,192.0.2.6
expect_refused pool4 pool4=192.0.2.2

# expect_loaded ARGS...
expect_loaded()
{
	if ip netns exec "$nsN" modprobe nat64 "$@"; then
		check "loads: $*" test -e /sys/kernel/debug/nat64/default/bib
		modprobe -r nat64
	else
		check "loads: $*" false
	fi
}

expect_loaded pool6=64:ff9b::/96 "pool4=192.0.2.2, 192.0.2.3"
expect_loaded pool6=64:ff9b::/96 pool4=192.0.2.8/29
expect_loaded pool6=2001:db8:100::/40 pool4=192.0.2.2
expect_loaded pool6=64:ff9b::/96
check "loads without parameters, no instance" \
	bash -c 'modprobe nat64 && test ! -e /sys/kernel/debug/nat64/default'
modprobe -r nat64
exit $ret
