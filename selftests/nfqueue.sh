#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Translation behind an NFQUEUE at mangle priority, before the
# translator's hook (an IPS in front of it, say): every packet is let
# through by a userspace listener, and reinjected into the hooks from its
# sendmsg, in process context (nfqueue.py). A UDP flow must translate
# both ways, through a tap device and veth, and (selftests/vm/run) the
# kernel log stay clean. The hooks turn bottom halves off for such
# packets (translate.c); on a kernel built with CONFIG_DEBUG_PREEMPT a
# per-CPU access without that would be reported in the log.

source "$(dirname "$0")/lib.sh"

QUEUE=7

require_root
require_cmd ip nft modprobe
require_scapy
require_tun
modprobe -q nfnetlink_queue 2>/dev/null && modprobe -q nft_queue 2>/dev/null ||
	skip "this kernel has no NFQUEUE (nfnetlink_queue, nft_queue)"

setup_ns nsN nsP || skip "cannot make namespaces"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
check "queue pool6 and pool4 traffic at mangle priority (-150)" \
	ip netns exec "$nsN" nft -f - <<NFT
table inet ips {
	chain pre {
		type filter hook prerouting priority mangle;
		ip6 daddr 64:ff9b::/96 meta l4proto udp queue num $QUEUE
		ip daddr 192.0.2.2 meta l4proto udp queue num $QUEUE
	}
}
NFT
py_test "nfqueue.py ran to the end" "$SELFTESTS_DIR/nfqueue.py" \
	--ns "$nsN" --kinds "$LINK_KINDS" --peer-ns "$nsP" --queue "$QUEUE"
del_ns "$nsN" "$nsP"
check "the module unloads" nat64_unload
log "$(basename "$0"): ${SECONDS} s"
exit $ret
