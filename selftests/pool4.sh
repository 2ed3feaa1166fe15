#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pool4 as the seeds describe it, through configfs and `nat64 pool4`:
# marks set by nftables pick each client group's port range; several
# addresses; exhaustion of a 2-port pool; removal with and without
# cascade; flush; count, CSV and JSON; and bad input, which must get a
# clear error and change nothing.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip nft python3 modprobe

NAT64=$(cd "$(dirname "$0")/.." && pwd)/tools/nat64/nat64
CFS=/sys/kernel/config/nat64/default
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 ||
	{ check "load the translator" false; exit $ret; }
tmp=$(mktemp -d)

# Client groups: 2001:db8:1::/64 (mark 10), 2001:db8:2::/64 (mark 20),
# 2001:db8:3::/64 (mark 30) and 2001:db8:4::/64 (mark 40).
for g in 1 2 3 4; do
	ip -n "$nsN" addr add "2001:db8:$g::1/64" dev eth0
done
ip -n "$nsA" addr add 2001:db8:1::5/64 dev eth0
ip -n "$nsA" addr add 2001:db8:3::5/64 dev eth0
ip -n "$nsA" addr add 2001:db8:3::6/64 dev eth0
ip -n "$nsA" addr add 2001:db8:4::5/64 dev eth0
ip -n "$nsC" addr add 2001:db8:2::7/64 dev eth0
ip -n "$nsC" addr add 2001:db8:3::7/64 dev eth0
ip -n "$nsC" addr add 2001:db8:4::7/64 dev eth0
ip -n "$nsN" addr add 192.0.2.3/24 dev eth1
ip -n "$nsN" addr add 192.0.2.4/24 dev eth1
ip netns exec "$nsN" nft -f - <<'NFT'
table ip6 marks {
	chain prerouting {
		type filter hook prerouting priority mangle;
		ip6 saddr 2001:db8:1::/64 meta mark set 10
		ip6 saddr 2001:db8:2::/64 meta mark set 20
		ip6 saddr 2001:db8:3::/64 meta mark set 30
		ip6 saddr 2001:db8:4::/64 meta mark set 40
	}
}
NFT
busywait 5000 bash -c "ip -n $nsA -6 addr show tentative | grep -q . && exit 1 || exit 0"
busywait 5000 bash -c "ip -n $nsC -6 addr show tentative | grep -q . && exit 1 || exit 0"

# v4 answers every UDP datagram with the source it saw: "ADDR PORT".
ip netns exec "$nsV" python3 - <<'PY' &
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.5", 7000))
while True:
    data, peer = s.recvfrom(100)
    s.sendto(("%s %d" % peer).encode(), peer)
PY
wait_listen "$nsV" udp 7000

# udp NS SRC PORT: one datagram to v4; prints what v4 saw, or the error.
udp()
{
	ip netns exec "$1" python3 - "$2" "$3" <<'PY'
import errno, socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
# Address unreachable is not a hard error without IPV6_RECVERR.
s.setsockopt(socket.IPPROTO_IPV6, 25, 1)  # IPV6_RECVERR
s.bind((sys.argv[1], int(sys.argv[2])))
s.connect(("64:ff9b::192.0.2.5", 7000))
s.settimeout(3)
try:
    s.send(b"hello")
    print(s.recv(100).decode())
except OSError as e:
    print(errno.errorcode.get(e.errno, "timeout"))
PY
}

# configfs is global: the tool runs where /sys/kernel/config is mounted
# (ip netns exec mounts a sysfs of its own, without it).
nat() { "$NAT64" "$@"; }
in_range() { [[ $2 =~ ^[0-9]+$ ]] && (( $2 >= $3 && $2 <= $4 )); }
bib_has() { nat64_debugfs bib | grep -q "^UDP $1 $2 "; }
bib_lacks() { ! bib_has "$@"; }
show() { nat pool4 show csv; }
CSV_HEADER=mark,proto,prefix,ports,block_size,max_blocks,subscribers

log "bad input: a clear error, and nothing changes"
check "add 192.0.2.2 ports 61001-65535 (all protocols)" nat pool4 add 192.0.2.2
before=$(show)
check "refused: prefix 192.0.2.300" fails nat pool4 add 192.0.2.300
check "refused: port 70000" fails nat pool4 add 192.0.2.3 ports 70000
check "refused: reversed range 20-10" fails nat pool4 add 192.0.2.3 ports 20-10
check "refused: protocol sctp" fails nat pool4 add 192.0.2.3 proto sctp
check "refused: a /16 without force" fails nat pool4 add 198.18.0.0/16
check "refused: overlapping 192.0.2.2 ports 65000-65100" \
	fails nat pool4 add 192.0.2.2 ports 65000-65100 proto tcp
check "refused: the same entry twice" fails nat pool4 add 192.0.2.2
check_eq "pool4 unchanged by the refusals" "$before" "$(show)"

mkdir "$CFS/pool4/raw"
check "configfs: prefix 300.0.0.1 refused" fails bash -c "echo 300.0.0.1 > $CFS/pool4/raw/prefix"
check "configfs: ports 70000 refused" fails bash -c "echo 70000 > $CFS/pool4/raw/ports"
check "configfs: ports 20-10 refused" fails bash -c "echo 20-10 > $CFS/pool4/raw/ports"
check "configfs: proto sctp refused" fails bash -c "echo sctp > $CFS/pool4/raw/proto"
check "configfs: enabling without a prefix refused" fails bash -c "echo 1 > $CFS/pool4/raw/enabled"
check "dmesg names the field (ports)" bash -c "dmesg | grep -q 'pool4 raw: ports: .70000.'"
check "dmesg names the field (prefix)" bash -c "dmesg | grep -q 'pool4 raw: prefix: .300.0.0.1.'"
echo 192.0.2.3 > "$CFS/pool4/raw/prefix"
echo tcp > "$CFS/pool4/raw/proto"
echo 1 > "$CFS/pool4/raw/enabled"
check "configfs: an enabled entry refuses writes (EBUSY)" \
	fails bash -c "echo 192.0.2.4 > $CFS/pool4/raw/prefix"
check_eq "configfs: the enabled entry kept its prefix" "192.0.2.3/32" \
	"$(cat "$CFS/pool4/raw/prefix")"
check "configfs: timeout_udp 0 refused" fails bash -c "echo 0 > $CFS/timeout_udp"
check_eq "configfs: timeout_udp unchanged" 300 "$(cat "$CFS/timeout_udp")"
rmdir "$CFS/pool4/raw"

log "count, CSV and JSON (the seeds' example)"
nat pool4 add 192.0.2.2 ports 7000-7999 proto tcp
nat pool4 add 192.0.2.2 ports 8000-8999 proto tcp mark 1
nat pool4 add 192.0.2.4/31 proto tcp
check_eq "count: 4 tables (0/icmp udp tcp, 1/tcp), 6 samples" \
	'{"tables":4,"samples":6,"transport_addresses":24675}' \
	"$(nat -j pool4 count)"
check "JSON lists 1/tcp 192.0.2.2/32 8000-8999" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert {"mark": 1, "proto": "tcp", "prefix": "192.0.2.2/32",
        "port_min": 8000, "port_max": 8999, "block_size": 0,
        "max_blocks": 0, "subscribers": None} in rows, rows
assert len(rows) == 6, rows' "$(nat -j pool4 show)"
check "CSV has the header and 0,tcp,192.0.2.4/31,61001-65535,0,0," \
	grep -qx '0,tcp,192.0.2.4/31,61001-65535,0,0,' <<<"$(show)"
check "del of part of an entry is refused" fails nat pool4 del 192.0.2.4
check "del 192.0.2.0/24 ports 0-65535 takes every mark-0 entry" \
	nat pool4 del 192.0.2.0/24 ports 0-65535
check_eq "only mark 1 is left" "1,tcp,192.0.2.2/32,8000-8999,0,0," \
	"$(show | tail -n +2)"
check "flush" nat pool4 flush
check_eq "flush leaves pool4 empty" "$CSV_HEADER" "$(show)"

log "marks: each client group gets its own port range"
nat pool4 add 192.0.2.2 ports 10000-19999 mark 10
nat pool4 add 192.0.2.2 ports 20000-29999 mark 20
read -r addr1 port1 <<<"$(udp "$nsA" 2001:db8:1::5 5555)"
read -r addr2 port2 <<<"$(udp "$nsC" 2001:db8:2::7 5555)"
echo "mark 10 client seen as $addr1#$port1, mark 20 client as $addr2#$port2"
check "mark 10 (2001:db8:1::/64) -> 192.0.2.2#10000-19999" \
	in_range "$addr1" "$port1" 10000 19999
check "mark 20 (2001:db8:2::/64) -> 192.0.2.2#20000-29999" \
	in_range "$addr2" "$port2" 20000 29999
check_eq "both masked behind 192.0.2.2" "192.0.2.2 192.0.2.2" "$addr1 $addr2"
check_eq "unmarked clients have no pool4 entry: no reply" "EHOSTUNREACH" \
	"$(udp "$nsA" 2001:db8::5 5555)"

log "several addresses: mark 40 has 192.0.2.3#6000 and 192.0.2.4#6000"
nat pool4 add 192.0.2.3 ports 6000 mark 40 proto udp
nat pool4 add 192.0.2.4 ports 6000 mark 40 proto udp
seen=$( (udp "$nsA" 2001:db8:4::5 4000; udp "$nsC" 2001:db8:4::7 4000) | sort | tr '\n' ' ')
check_eq "the two clients use both addresses" "192.0.2.3 6000 192.0.2.4 6000 " "$seen"

log "exhaustion: mark 30 has 2 ports"
nat pool4 add 192.0.2.3 ports 5000-5001 mark 30 proto udp
exhausted=$(nat64_stat drop_pool4_exhausted)
r1=$(udp "$nsA" 2001:db8:3::5 4000)
r2=$(udp "$nsC" 2001:db8:3::7 4000)
r3=$(udp "$nsA" 2001:db8:3::6 4000)
echo "first: $r1; second: $r2; third: $r3"
check "first client gets 192.0.2.3#5000-5001" grep -qE '^192.0.2.3 500[01]$' <<<"$r1"
check "second client gets 192.0.2.3#5000-5001" grep -qE '^192.0.2.3 500[01]$' <<<"$r2"
check_eq "third client: ICMPv6 error (EHOSTUNREACH)" "EHOSTUNREACH" "$r3"
check "drop_pool4_exhausted counted it" \
	test "$(nat64_stat drop_pool4_exhausted)" -gt "${exhausted:-0}"
check_eq "the first client keeps working" "$r1" "$(udp "$nsA" 2001:db8:3::5 4000)"
check_eq "the second client keeps working" "$r2" "$(udp "$nsC" 2001:db8:3::7 4000)"

log "removal: quick keeps the BIB entries, the default cascades"
check "BIB has the mark 10 mapping" bib_has 2001:db8:1::5#5555 "192.0.2.2#$port1"
check "BIB has the mark 20 mapping" bib_has 2001:db8:2::7#5555 "192.0.2.2#$port2"
check "del mark 10 quick" nat pool4 del 192.0.2.2 ports 10000-19999 mark 10 quick
check "del mark 20 (cascade)" nat pool4 del 192.0.2.2 ports 20000-29999 mark 20
check "quick: the mark 10 mapping stays until it expires" \
	bib_has 2001:db8:1::5#5555 "192.0.2.2#$port1"
check "cascade: the mark 20 mapping is gone" \
	bib_lacks 2001:db8:2::7#5555 "192.0.2.2#$port2"

log "rmdir and mkdir while traffic flows"
nat pool4 add 192.0.2.2 ports 10000-19999 mark 10
ip netns exec "$nsA" python3 - <<'PY' &
import socket, time
end = time.time() + 6
port = 20000
while time.time() < end:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("2001:db8:1::5", port))
    s.sendto(b"x", ("64:ff9b::192.0.2.5", 7000))
    s.close()
    port = port + 1 if port < 30000 else 20000
PY
flood=$!
churn_ok=1
for i in $(seq 1 10); do
	nat pool4 del 192.0.2.2 mark 10 || churn_ok=0
	nat pool4 add 192.0.2.2 ports 10000-19999 mark 10 || churn_ok=0
done
wait $flood
check "10 rounds of del/add during traffic succeed" test $churn_ok = 1
check "pool4 ends as it was: mark 10 on 192.0.2.2 (3 protocols)" \
	test "$(show | grep -c '^10,.*,192.0.2.2/32,10000-19999,0,0,$')" = 3
check "flush quick" nat pool4 flush quick
check_eq "pool4 is empty" "$CSV_HEADER" "$(show)"

log "a /16 with force"
start=$(date +%s%N)
check "add 198.18.0.0/16 force" nat pool4 add 198.18.0.0/16 force
echo "adding a /16 took $(( ($(date +%s%N) - start) / 1000000 )) ms (tool included)"
check_eq "count: 3 x 65536 x 4535 transport addresses" \
	'{"tables":3,"samples":3,"transport_addresses":891617280}' \
	"$(nat -j pool4 count)"
nat pool4 flush

rm -rf "$tmp"
exit $ret
