#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP and UDP through the translator, on the seeds' sample network, with
# the offloads veth turns on by default (GRO/GSO/checksum offload):
# HTTP (curl <-> python3 http.server), bulk TCP (iperf3), UDP from two
# IPv6 nodes on the same source port (distinct pool4 ports, each its own
# reply), and an unsolicited IPv4 SYN that must not create state.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 curl socat iperf3 modprobe

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
tmp=$(mktemp -d)

iperf_bytes()
{
	python3 -c 'import json, sys
print(int(json.load(sys.stdin)["end"]["sum_received"]["bytes"]))' 2>/dev/null ||
		echo 0
}

log "HTTP: curl on a6 -> python3 -m http.server on v4"
head -c 300000 /dev/urandom > "$tmp/blob"
ip netns exec "$nsV" python3 -m http.server 8000 --bind 192.0.2.5 \
	--directory "$tmp" >/dev/null 2>&1 &
wait_listen "$nsV" tcp 8000
ip netns exec "$nsA" curl -sS --max-time 60 -o "$tmp/got" \
	"http://[64:ff9b::192.0.2.5]:8000/blob"
check "300 kB over HTTP arrive intact" cmp -s "$tmp/blob" "$tmp/got"
sessions=$(nat64_debugfs sessions)
check "a TCP session a6 <-> 192.0.2.5#8000 exists" grep -q \
	'^TCP 2001:db8::5#[0-9]* 64:ff9b::c000:205#8000 192.0.2.2#[0-9]* 192.0.2.5#8000 ' <<<"$sessions"

log "bulk TCP: iperf3 a6 -> v4, offloads on"
ip netns exec "$nsV" iperf3 -s -1 -B 192.0.2.5 >/dev/null 2>&1 &
wait_listen "$nsV" tcp 5201
out=$(ip netns exec "$nsA" iperf3 -c 64:ff9b::192.0.2.5 -t 2 -J 2>&1)
bytes=$(iperf_bytes <<<"$out")
check "iperf3 moved data (${bytes:-0} bytes)" test "${bytes:-0}" -gt 100000
log "bulk TCP: iperf3 v4 -> a6 (reverse mode, data 4 -> 6)"
ip netns exec "$nsV" iperf3 -s -1 -B 192.0.2.5 >/dev/null 2>&1 &
wait_listen "$nsV" tcp 5201
out=$(ip netns exec "$nsA" iperf3 -c 64:ff9b::192.0.2.5 -t 2 -R -J 2>&1)
bytes=$(iperf_bytes <<<"$out")
check "iperf3 -R moved data (${bytes:-0} bytes)" test "${bytes:-0}" -gt 100000

log "UDP: a6 and c6 both send from port 5000 to v4"
# The server answers each datagram with the transport address it saw.
ip netns exec "$nsV" socat UDP4-RECVFROM:7000,bind=192.0.2.5,fork \
	SYSTEM:'echo "$SOCAT_PEERADDR:$SOCAT_PEERPORT"' &
wait_listen "$nsV" udp 7000
ra=$(echo a | ip netns exec "$nsA" socat -T 5 - UDP6:[64:ff9b::192.0.2.5]:7000,sourceport=5000)
rc=$(echo c | ip netns exec "$nsC" socat -T 5 - UDP6:[64:ff9b::192.0.2.5]:7000,sourceport=5000)
echo "a6 seen as $ra, c6 seen as $rc"
check "a6 got its reply, from pool4" grep -q '^192\.0\.2\.2:[0-9]*$' <<<"$ra"
check "c6 got its reply, from pool4" grep -q '^192\.0\.2\.2:[0-9]*$' <<<"$rc"
check "a6 and c6 masked behind distinct ports" test "$ra" != "$rc"
pa=${ra##*:} pc=${rc##*:}
check "ports come from 61001-65535" test "${pa:-0}" -ge 61001 -a "${pc:-0}" -ge 61001
check "port parity kept (5000 is even)" test $((pa % 2)) -eq 0 -a $((pc % 2)) -eq 0
bib=$(nat64_debugfs bib)
check "UDP BIB a6#5000 <-> 192.0.2.2#$pa" grep -q "^UDP 2001:db8::5#5000 192.0.2.2#$pa " <<<"$bib"
check "UDP BIB c6#5000 <-> 192.0.2.2#$pc" grep -q "^UDP 2001:db8::7#5000 192.0.2.2#$pc " <<<"$bib"

log "an unsolicited IPv4 SYN to a pool4 port creates nothing"
before_bib=$(nat64_debugfs bib | wc -l)
before_drop=$(nat64_stat drop_no_bib)
ip netns exec "$nsZ" timeout 3 bash -c 'exec 3<>/dev/tcp/192.0.2.2/61003' 2>/dev/null
check "the SYN was dropped and counted" test "$(nat64_stat drop_no_bib)" -gt "$before_drop"
check_eq "BIB unchanged" "$before_bib" "$(nat64_debugfs bib | wc -l)"
check "no session toward 192.0.2.9" bash -c "! grep -q ' 192\.0\.2\.9#' <<<\"\$(cat /sys/kernel/debug/nat64/default/sessions)\""

log "the translator's host keeps its own ports below pool4"
check "v4 reaches N's own address 192.0.2.2 (ping)" \
	quiet ip netns exec "$nsV" ping -c 1 -W 5 192.0.2.2

rm -rf "$tmp"
exit $ret
