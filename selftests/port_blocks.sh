#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Port block allocation (RFC 6888 REQ-14): a pool4 entry of 256 UDP ports
# lent in 4 blocks of 64, at most 2 per subscriber (an IPv6 /64).
# Subscribers A and B each take 2 blocks and every mapping of theirs is
# in one of them; C, a third, is refused once no block is free, while A
# and B keep working; A, once its 2 blocks are full, is refused too, with
# its own counter. The blocks are what `nat64 block show` lists.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 modprobe

here=$(cd "$(dirname "$0")" && pwd)
NAT64=$here/../tools/nat64/nat64
CFS=/sys/kernel/config/nat64/default
[[ -x $NAT64 ]] || skip "tools/nat64 is not built (make tool)"

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
nat() { ip netns exec "$nsN" "$NAT64" "$@"; }

# A: 2001:db8:1::5 and C: 2001:db8:3::5 in a6's namespace, B in c6's.
ip -n "$nsN" addr add 2001:db8:1::1/64 dev eth0
ip -n "$nsN" addr add 2001:db8:2::1/64 dev eth0
ip -n "$nsN" addr add 2001:db8:3::1/64 dev eth0
ip -n "$nsA" addr add 2001:db8:1::5/64 dev eth0
ip -n "$nsA" addr add 2001:db8:3::5/64 dev eth0
ip -n "$nsC" addr add 2001:db8:2::7/64 dev eth0
ip netns exec "$nsN" sysctl -qw net.ipv6.icmp.ratelimit=0
for ns in "$nsA" "$nsC"; do
	busywait 10000 bash -c "ip -n $ns -6 addr show tentative | grep -q . && exit 1 || exit 0"
done

udp_echo_v4
mapped() { grep -cE '^192\.0\.2\.2 [0-9]+$' <<<"$1"; }
refused() { grep -cx EHOSTUNREACH <<<"$1"; }
# The blocks (61000 + 64 k) the mapped ports of $1 fall in, one a line.
blocks_of() { awk '$1 == "192.0.2.2" { print int(($2 - 61000) / 64) }' <<<"$1" | sort -u; }

ENTRY=$CFS/pool4/0-udp-192.0.2.2_32-61001-65535
log "a disabled entry reused (the module's) keeps nothing of what it lent"
nat pool4 flush
check "pool4 add 192.0.2.2 proto udp block-size 64: the module's entry again" \
	nat pool4 add 192.0.2.2 proto udp block-size 64
check "... max-blocks 4, the default" \
	grep -qx '0,udp,192.0.2.2/32,61001-65535,64,4,' <<<"$(nat pool4 show csv)"
nat pool4 flush
check "pool4 add 192.0.2.2 proto udp: per port" nat pool4 add 192.0.2.2 proto udp
check "... no block size left" \
	grep -qx '0,udp,192.0.2.2/32,61001-65535,0,0,' <<<"$(nat pool4 show csv)"
nat pool4 flush
check "refused: block-size 40000 (above 32768)" \
	fails nat pool4 add 192.0.2.2 proto udp block-size 40000
check "... the reused entry is still there, disabled" \
	test "$(cat "$ENTRY/enabled" 2>/dev/null)" = 0

log "pool4: 192.0.2.2 ports 61000-61255, blocks of 64, 2 per subscriber"
nat pool4 flush
check "pool4 add ... block-size 64 max-blocks 2" \
	nat pool4 add 192.0.2.2 ports 61000-61255 proto udp block-size 64 max-blocks 2
check "pool4 show csv says so" grep -qx '0,udp,192.0.2.2/32,61000-61255,64,2,' \
	<<<"$(nat pool4 show csv)"
check "refused: block-size 4 (below 8), nothing changes" \
	fails nat pool4 add 192.0.2.3 ports 61000-61255 proto udp block-size 4
check "refused: block-size with subscribers" \
	fails nat pool4 add 192.0.2.3 proto udp block-size 64 subscribers 2001:db8::/48
check_eq "pool4 still one entry" 1 "$(nat pool4 show csv | tail -n +2 | wc -l)"

log "A and B: 70 flows each, two blocks each"
a=$(udp_flows "$nsA" 2001:db8:1::5 4001 70)
check_eq "A: 70 flows mapped" 70 "$(mapped "$a")"
check_eq "A: its ports in 2 blocks" 2 "$(blocks_of "$a" | wc -l)"
b=$(udp_flows "$nsC" 2001:db8:2::7 4001 70)
check_eq "B: 70 flows mapped" 70 "$(mapped "$b")"
check_eq "B: its ports in 2 blocks" 2 "$(blocks_of "$b" | wc -l)"
check_eq "A and B share no block" "" \
	"$(comm -12 <(blocks_of "$a") <(blocks_of "$b"))"
check "block show: 2 blocks each, 64 ports, aligned, as the flows say" \
	python3 - "$(nat -j block show)" "$(blocks_of "$a")" "$(blocks_of "$b")" <<'PY'
import json, sys
rows = json.loads(sys.argv[1])
want = {"2001:db8:1::/64": sorted(map(int, sys.argv[2].split())),
        "2001:db8:2::/64": sorted(map(int, sys.argv[3].split()))}
got = {}
for r in rows:
    assert r["proto"] == "udp" and r["addr4"] == "192.0.2.2", r
    assert r["port_last"] - r["port_first"] == 63, r
    assert (r["port_first"] - 61000) % 64 == 0, r
    got.setdefault(r["subscriber"], []).append((r["port_first"] - 61000) // 64)
got = {k: sorted(v) for k, v in got.items()}
assert got == want, (got, want)
assert sum(r["mappings"] for r in rows) == 140, rows
PY

log "C, a third subscriber: no block is left"
exhausted=$(nat64_stat drop_pool4_exhausted)
c=$(udp_flows "$nsA" 2001:db8:3::5 4001 2)
check_eq "C: both flows refused with ICMPv6 (EHOSTUNREACH)" 2 "$(refused "$c")"
check "drop_pool4_exhausted counted them" \
	test "$(nat64_stat drop_pool4_exhausted)" -ge $(( ${exhausted:-0} + 2 ))
check_eq "A's first flow keeps its mapping" "$(head -n 1 <<<"$a")" \
	"$(udp_flows "$nsA" 2001:db8:1::5 4001 1)"
check_eq "B's last flow keeps its mapping" "$(tail -n 1 <<<"$b")" \
	"$(udp_flows "$nsC" 2001:db8:2::7 4070 1)"

log "A fills its two blocks: 60 more flows for 58 free ports"
full=$(nat64_stat drop_subscriber_blocks)
more=$(udp_flows "$nsA" 2001:db8:1::5 4071 60)
check_eq "A: 58 mapped (its 128 ports)" 58 "$(mapped "$more")"
check_eq "A: 2 refused" 2 "$(refused "$more")"
check_eq "drop_subscriber_blocks counted the 2" 2 \
	$(( $(nat64_stat drop_subscriber_blocks) - ${full:-0} ))
check_eq "A: still its 2 blocks" "$(blocks_of "$a")" \
	"$(blocks_of "$a"$'\n'"$more")"
check_eq "B unaffected: a new flow is mapped in its blocks" 1 \
	"$(mapped "$(udp_flows "$nsC" 2001:db8:2::7 4071 1)")"
# Operator-made pool4 entries hold the module: flush them to unload it.
nat pool4 flush
exit $ret
