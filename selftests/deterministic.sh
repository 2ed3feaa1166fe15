#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deterministic mapping (RFC 7422): pool4 entry 192.0.2.2/31 ports
# 61000-61300 serves the four /64 subscribers of 2001:db8::/62; each gets
# one address and 150 ports computed from its index (i mod 2, block
# i div 2), nothing stored or logged. What the IPv4 side sees of each
# subscriber's flows is what `nat64 pool4 lookup` says, both ways, from
# the running configuration and from a saved one after pool4 changed.

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
tmp=$(mktemp -d)

# Subscribers 0 (a6, 2001:db8::5), 1 (a6 again) and 3 (c6).
ip -n "$nsN" addr add 2001:db8:0:1::1/64 dev eth0
ip -n "$nsN" addr add 2001:db8:0:3::1/64 dev eth0
ip -n "$nsA" addr add 2001:db8:0:1::5/64 dev eth0
ip -n "$nsC" addr add 2001:db8:0:3::7/64 dev eth0
ip -n "$nsN" addr add 192.0.2.3/24 dev eth1 2>/dev/null
for ns in "$nsA" "$nsC"; do
	busywait 10000 bash -c "ip -n $ns -6 addr show tentative | grep -q . && exit 1 || exit 0"
done

udp_echo_v4 "#"

log "pool4: 192.0.2.2/31 ports 61000-61300 for the /64s of 2001:db8::/62"
nat pool4 flush
check "pool4 add ... subscribers 2001:db8::/62" \
	nat pool4 add 192.0.2.2/31 ports 61000-61300 proto udp subscribers 2001:db8::/62
check "pool4 show csv says so" \
	grep -qx '0,udp,192.0.2.2/31,61000-61300,0,0,2001:db8::/62' <<<"$(nat pool4 show csv)"
check "subscriber_prefix_len cannot change under it" \
	fails bash -c "echo 56 > $CFS/subscriber_prefix_len"
check_eq "subscriber_prefix_len still 64" 64 "$(cat $CFS/subscriber_prefix_len)"
check "refused: subscribers not a prefix" \
	fails nat pool4 add 192.0.2.8 proto udp subscribers 2001:db8::1/62

log "what the lookups say"
check_eq "lookup 2001:db8:0:3::7: 192.0.2.3 ports 61150-61299" \
	"udp  mark 0          2001:db8:0:3::/64  192.0.2.3 ports 61150-61299" \
	"$(nat pool4 lookup 2001:db8:0:3::7)"
check_eq "lookup 192.0.2.3: subscribers 1 and 3" \
	"2001:db8:0:1::/64 2001:db8:0:3::/64" \
	"$(nat pool4 lookup 192.0.2.3 | awk '{ print $4 }' | xargs)"
check "lookup 192.0.2.2#61300 (the tail): nobody" \
	fails nat pool4 lookup 192.0.2.2#61300
check "lookup 2001:db8:0:4::1 (outside the prefix): nobody" \
	fails nat pool4 lookup 2001:db8:0:4::1
check "lookup 2001:db8::/56 (many subscribers): refused" \
	fails nat pool4 lookup 2001:db8::/56
check "lookup ... mark 4294967296 (past 32 bits): a usage error (2)" \
	bash -c '"$@"; test $? = 2' _ ip netns exec "$nsN" "$NAT64" pool4 lookup 192.0.2.3 mark 4294967296

# check_share I PREFIX SEEN: subscriber I's flows, as v4 saw them, are
# in the share lookup gives its prefix, and lookup of each names it.
check_share()
{
	local i=$1 prefix=$2 seen=$3 share t outside="" others=""

	check_eq "subscriber $i: 5 flows mapped" 5 "$(grep -c '#' <<<"$seen")"
	[[ $(grep -c '#' <<<"$seen") == 5 ]] ||
		{ nat64_debugfs stats | awk '$2 != 0'; nat64_debugfs bib; }
	share=$(nat pool4 lookup "$prefix" proto udp)
	for t in $seen; do
		awk -v t="$t" '{ split(t, a, "#"); split($7, p, "-")
			exit !($5 == a[1] && a[2] >= p[1] && a[2] <= p[2]) }' \
			<<<"$share" || outside+=" $t"
		[[ $(nat pool4 lookup "$t" proto udp | awk '{ print $4 }') == "$prefix" ]] ||
			others+=" $t"
	done
	check_eq "subscriber $i: what v4 saw is in its share ($share)" "" "$outside"
	check_eq "subscriber $i: lookup of each of them names $prefix" "" "$others"
}

log "traffic: 5 flows of subscribers 0, 1 and 3"
s0=$(udp_flows "$nsA" 2001:db8::5 5001 5)
s1=$(udp_flows "$nsA" 2001:db8:0:1::5 5001 5)
s3=$(udp_flows "$nsC" 2001:db8:0:3::7 5001 5)
echo "$s0" "$s1" "$s3" | xargs echo "      v4 saw:"
check_share 0 2001:db8::/64 "$s0"
check_share 1 2001:db8:0:1::/64 "$s1"
check_share 3 2001:db8:0:3::/64 "$s3"

log "a saved configuration answers after pool4 changed"
nat save > "$tmp/saved.conf"
check "save keeps the subscribers" grep -q 'subscribers 2001:db8::/62' "$tmp/saved.conf"
nat pool4 flush
check "running: lookup finds nothing now" \
	fails nat pool4 lookup 2001:db8:0:3::7
check_eq "from the saved file: 2001:db8:0:3::7's share" \
	"udp  mark 0          2001:db8:0:3::/64  192.0.2.3 ports 61150-61299" \
	"$(nat pool4 lookup 2001:db8:0:3::7 from "$tmp/saved.conf")"
check "from the saved file, as JSON: $(head -n 1 <<<"$s1")'s subscriber" \
	python3 - "$(head -n 1 <<<"$s1")" \
	"$(nat -j pool4 lookup "$(head -n 1 <<<"$s1")" from "$tmp/saved.conf")" <<'PY'
import json, sys
addr, port = sys.argv[1].split("#")
rows = json.loads(sys.argv[2])
assert len(rows) == 1, rows
r = rows[0]
assert r["subscriber"] == "2001:db8:0:1::/64" and r["address"] == addr, r
assert r["port_first"] <= int(port) <= r["port_last"], r
PY
check "nat64 -f restores it" nat -f "$tmp/saved.conf"
check "pool4 show csv again" \
	grep -qx '0,udp,192.0.2.2/31,61000-61300,0,0,2001:db8::/62' <<<"$(nat pool4 show csv)"
# Operator-made pool4 entries hold the module: flush them to unload it.
nat pool4 flush
rm -rf "$tmp"
exit $ret
