#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 464XLAT (RFC 6877): Debian's tayga as the CLAT on an IPv6-only client
# x6, our translator as the PLAT. IPv4-only programs on x6 (ping, curl,
# a UDP socket) reach the IPv4 server v4 at 192.0.2.5: x6's IPv4 packets
# from 192.0.0.2 become IPv6 packets from 2001:db8:1::2 (x6's delegated
# prefix) to pool6 (stateless, RFC 7915), which N translates to IPv4
# from pool4 (stateful, RFC 6146), and back. An ICMP error crosses both.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip modprobe tayga curl python3 socat ping
[[ -c /dev/net/tun ]] || modprobe tun 2>/dev/null
[[ -c /dev/net/tun ]] || skip "no /dev/net/tun (CONFIG_TUN) for tayga"

# tayga 0.9.2 will not put 192.0.2.0/24 in 64:ff9b::/96 (see clat_start).
POOL6=2001:db8:64::/96

setup_sample_network || skip "cannot build the sample network"
# x6: IPv6 only on the wire; 2001:db8:1::/64 is routed to it by N.
setup_ns nsX && plug "$sw6" "$nsX" eth0 || skip "cannot add the client x6"
ip -n "$nsX" addr add 2001:db8::8/96 dev eth0
ip -n "$nsX" route add default via 2001:db8::1
ip -n "$nsN" route add 2001:db8:1::/64 via 2001:db8::8
nat64_load "$nsN" pool6=$POOL6 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
tmp=$(mktemp -d)
trap 'cleanup_all; rm -rf "$tmp"' EXIT

log "x6: tayga as CLAT, 192.0.0.2 <-> 2001:db8:1::2, the rest via $POOL6"
clat_start "$nsX" "$POOL6" "$tmp" || { check "tayga starts on x6" false; exit $ret; }

log "x6: ping 192.0.2.5 (IPv4, through CLAT and PLAT)"
out=$(ip netns exec "$nsX" ping -4 -c 4 -i 0.2 -W 5 192.0.2.5)
echo "$out" | tail -n 2
check_eq "x6 -> 192.0.2.5: echo replies" 4 \
	"$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')"
check "N's BIB maps the CLAT's address to pool4 (ICMP)" grep -q \
	'^ICMP 2001:db8:1::2#[0-9]* 192\.0\.2\.2#' <<<"$(nat64_debugfs bib)"

log "x6: curl http://192.0.2.5/ (IPv4 sockets, full-size segments)"
mkdir "$tmp/www"
token="v4 page $RANDOM$RANDOM"
echo "$token" > "$tmp/www/index.html"
head -c 300000 /dev/urandom > "$tmp/www/blob"
http_serve "$nsV" 192.0.2.5 80 "$tmp/www" || skip "http.server does not start on v4"
check_eq "x6 gets v4's page" "$token" \
	"$(ip netns exec "$nsX" curl -sS --max-time 30 http://192.0.2.5/)"
check "N has the TCP session 2001:db8:1::2 <-> 192.0.2.5#80" grep -q \
	'^TCP 2001:db8:1::2#[0-9]* 2001:db8:64::c000:205#80 192\.0\.2\.2#[0-9]* 192\.0\.2\.5#80 ' \
	<<<"$(nat64_debugfs sessions)"
# clat0's MTU is 1500, so x6 offers MSS 1460: v4's full-size segments
# are 20 bytes too big as IPv6, and N answers them with Fragmentation
# Needed (mtu 1480) until v4 lowers its path MTU.
too_big=$(nat64_stat drop_too_big)
ip netns exec "$nsX" curl -sS --max-time 60 -o "$tmp/got" http://192.0.2.5/blob
check "300 kB from v4 arrive intact" cmp -s "$tmp/www/blob" "$tmp/got"
check "N told v4 its path MTU (drop_too_big counted)" \
	test "$(nat64_stat drop_too_big)" -gt "${too_big:-0}"

log "x6: 300 kB to z4 (IPv4 client to IPv4 server, the other way)"
# z4 has no path MTU cached: now tayga answers x6's full-size segments.
ip netns exec "$nsZ" timeout 60 socat -u TCP4-LISTEN:8001,bind=192.0.2.9 \
	OPEN:"$tmp/up",creat &
up=$!
wait_listen "$nsZ" tcp 8001
ip netns exec "$nsX" timeout 60 socat -u FILE:"$tmp/www/blob" TCP4:192.0.2.9:8001
wait $up
check "300 kB from x6 arrive intact at z4" cmp -s "$tmp/www/blob" "$tmp/up"

# udp_ask PORT: one datagram from x6 to v4's PORT (python, not socat,
# which gives up 0.5 s after its input ends: too soon on the debug
# kernel); prints the reply, or "refused" for an ICMP port unreachable.
udp_ask()
{
	ip netns exec "$nsX" python3 - "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(20)
s.connect(("192.0.2.5", int(sys.argv[1])))
s.send(b"x")
try:
    print(s.recv(100).decode().strip())
except ConnectionRefusedError:
    print("refused")
except OSError as e:
    print(e)
PY
}

log "x6: UDP to v4, which answers with the source it saw"
ip netns exec "$nsV" socat UDP4-RECVFROM:7000,bind=192.0.2.5,fork \
	SYSTEM:'echo "$SOCAT_PEERADDR:$SOCAT_PEERPORT"' &
wait_listen "$nsV" udp 7000
seen=$(udp_ask 7000)
echo "v4 saw x6 as $seen"
check "v4 sees pool4, x6 gets the reply" grep -q '^192\.0\.2\.2:[0-9]*$' <<<"$seen"

log "x6: UDP to a closed port: v4's port unreachable crosses both translators"
check_eq "x6's socket is refused (ICMPv4 -> ICMPv6 -> ICMPv4)" refused "$(udp_ask 9)"
exit $ret
