#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Jool's graybox NAT64 vectors (an external conformance check), replayed
# against our translator by their gb_replay.py when the conformance
# directory is there: ${NAT64_CONFORMANCE:-$REPO_DIR/../shared/conformance}.
# Skips loudly without it; nothing of it is in this repository. The
# translator is configured as its README says: pool6 64:ff9b::/96, pool4
# 192.0.2.2 ports 1-3000 (TCP, UDP, ICMP), four static BIB entries. One
# TEST line per vector; the harness skips the two that need Jool-only
# switches.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip nft modprobe
CONF=${NAT64_CONFORMANCE:-$REPO_DIR/../shared/conformance}
GB=$CONF/graybox
[[ -f $GB/gb_replay.py && -f $GB/manifest.json ]] ||
	skip "no graybox vectors at $GB (set NAT64_CONFORMANCE)"
require_scapy
NAT64=$REPO_DIR/tools/nat64/nat64
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"

gb() { "$PY_SCAPY" "$GB/gb_replay.py" "$@"; }
NS_LIST+=(client6ns joolns client4ns)
ip netns del joolns 2>/dev/null
gb down >/dev/null 2>&1
gb up 2>/dev/null || { check "gb_replay.py up" false; exit $ret; }
# gb_replay turns transmit checksum offload off with ethtool, when it is
# installed; without it, the same with the ioctl.
for dev in to_client_v6 to_client_v4; do
	"$PY_SCAPY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import tap
tap.tx_checksum_off("joolns", sys.argv[2])' "$SELFTESTS_DIR" "$dev"
done

nat64_load joolns pool6=64:ff9b::/96 ||
	{ check "load the translator in joolns" false; exit $ret; }
nat() { ip netns exec joolns "$NAT64" "$@"; }
check "pool4 192.0.2.2 ports 1-3000 (tcp, udp, icmp)" \
	"$NAT64" pool4 add 192.0.2.2 ports 1-3000
check "static BIB entries of the suite" bash -c "
	ip netns exec joolns $NAT64 bib add tcp 2001:db8::5#2000 192.0.2.2#2000 &&
	ip netns exec joolns $NAT64 bib add udp 2001:db8::5#2000 192.0.2.2#2000 &&
	ip netns exec joolns $NAT64 bib add icmp 2001:db8::5#1 192.0.2.2#1 &&
	ip netns exec joolns $NAT64 bib add udp 2001:db8:1::5#1001 192.0.2.2#1000 &&
	ip netns exec joolns $NAT64 bib add udp 2001:db8::5#1003 192.0.2.2#1002"

out=$(gb run --extra-ignore so/success=20,21,36,37 2>/dev/null)
passed=0 failed=0 last=
while IFS= read -r line; do
	case $line in
	"ok  "*|FAIL*|QUEUE*)
		read -r verdict id name <<<"$line"
		# A vector that expects two packets reports each.
		[[ $id == "${last%% *}" ]] && id="$id ${name##*/}" || last=$id
		if [[ $verdict == ok ]]; then
			printf 'TEST: %-60s [ OK ]\n' "graybox $id"
			passed=$((passed + 1))
		else
			printf 'TEST: %-60s [FAIL]\n' "graybox $id"
			echo "      $verdict $name"
			failed=$((failed + 1))
			ret=$ksft_fail
		fi
		;;
	"        "*) echo "    $line" ;;
	SKIP*) echo "$line" ;;
	esac
done <<<"$out"
log "graybox: $passed vectors passed, $failed failed"
check "the harness reported on every vector" bash -c \
	"tail -n 1 <<<\"\$1\" | grep -q '\"pass\"'" _ "$out"
# The pool4 entries are configfs directories, which hold the module.
"$NAT64" pool4 flush
gb down >/dev/null 2>&1
log "$(basename "$0"): ${SECONDS} s"
exit $ret
