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

NAT64=$(cd "$(dirname "$0")/.." && pwd)/tools/nat64/nat64
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"

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
# RFC 6146 3.5.2.2: held 6 s in case the IPv6 side opens the same
# connection, then answered with ICMP port unreachable, not earlier.
before_bib=$(nat64_debugfs bib | wc -l)
held=$(nat64_stat syn_held)
expired=$(nat64_stat syn_hold_expired)
refused=$(ip netns exec "$nsZ" python3 -c '
import errno, socket, time
s = socket.socket()
s.settimeout(20)
start = time.time()
try:
    s.connect(("192.0.2.2", 61003))
    print("connected")
except OSError as e:
    print(errno.errorcode.get(e.errno, "timeout"), round(time.time() - start))')
echo "z4's connect: $refused (error, seconds)"
check "the SYN was held" test "$(nat64_stat syn_held)" -gt "${held:-0}"
check "z4 is refused (ICMP port unreachable), after 6 s, not before" \
	grep -qE '^ECONNREFUSED ([6-9]|1[0-9])$' <<<"$refused"
check "syn_hold_expired counted it" \
	test "$(nat64_stat syn_hold_expired)" -gt "${expired:-0}"
check_eq "BIB unchanged" "$before_bib" "$(nat64_debugfs bib | wc -l)"
check "no session toward 192.0.2.9" bash -c "! grep -q ' 192\.0\.2\.9#' <<<\"\$(cat /sys/kernel/debug/nat64/default/sessions)\""

log "max_held_syns 0: such a SYN is dropped at once, and counted"
echo 0 > /sys/kernel/config/nat64/default/max_held_syns
full=$(nat64_stat drop_syn_hold_full)
ip netns exec "$nsZ" timeout 2 bash -c 'exec 3<>/dev/tcp/192.0.2.2/61005' 2>/dev/null
check "drop_syn_hold_full counted it" \
	test "$(nat64_stat drop_syn_hold_full)" -gt "${full:-0}"

log "simultaneous open: z4 connects first, its SYN is held, a6 opens"
# One TCP port in pool4, so that z4 knows a6's mapping in advance.
echo 256 > /sys/kernel/config/nat64/default/max_held_syns
"$NAT64" pool4 flush quick
"$NAT64" pool4 add 192.0.2.2 ports 7000 proto tcp
held=$(nat64_stat syn_held)
ip netns exec "$nsZ" python3 - "$tmp/z4" <<'PY' &
import socket, sys
s = socket.socket()
s.bind(("192.0.2.9", 8000))
s.settimeout(20)
try:
    s.connect(("192.0.2.2", 7000))
    s.sendall(b"from z4")
    out = s.recv(100).decode()
except OSError as e:
    out = "error %s" % e
open(sys.argv[1], "w").write(out)
PY
z4=$!
# a6 goes second: only once z4's SYN is held.
busywait 20000 bash -c "awk '\$1 == \"syn_held\" { exit !(\$2 > $held) }' /sys/kernel/debug/nat64/default/stats"
ip netns exec "$nsA" python3 - "$tmp/a6" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET6)
s.bind(("2001:db8::5", 9000))
s.settimeout(20)
try:
    s.connect(("64:ff9b::192.0.2.9", 8000))
    s.sendall(b"from a6")
    out = s.recv(100).decode()
except OSError as e:
    out = "error %s" % e
open(sys.argv[1], "w").write(out)
PY
wait $z4
echo "z4 got: $(cat "$tmp/z4"); a6 got: $(cat "$tmp/a6")"
check_eq "z4 and a6 connected to each other" "from a6 from z4" \
	"$(cat "$tmp/z4") $(cat "$tmp/a6")"
check "the held SYN was discarded, not refused" \
	busywait 10000 bash -c "grep -q '^syn_hold_opened [1-9]' /sys/kernel/debug/nat64/default/stats"
"$NAT64" pool4 flush quick

log "the translator's host keeps its own ports below pool4"
check "v4 reaches N's own address 192.0.2.2 (ping)" \
	quiet ip netns exec "$nsV" ping -c 1 -W 5 192.0.2.2

rm -rf "$tmp"
exit $ret
