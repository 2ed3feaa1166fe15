#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The state through generic netlink and the tool: after known traffic,
# `nat64 bib show` and `session show` list exactly the expected mappings
# (plain and JSON); a static BIB entry lets an IPv4 node in, and goes;
# `nat64 monitor` sees a UDP flow's mappings made and expire; counters
# move; an unprivileged user gets EPERM; malformed requests get extack
# errors and change nothing; a dump of sessions (in their entries and in
# the session table) and one of 100,000 entries show each exactly once
# while more are being added.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 modprobe setpriv

here=$(cd "$(dirname "$0")" && pwd)
NAT64=$here/../tools/nat64/nat64
NL=$here/nat64_nl.py
CFS=/sys/kernel/config/nat64/default
STATS=/sys/kernel/debug/nat64/default/statistics
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
tmp=$(mktemp -d)

# The family answers in the translator's namespace.
nat() { ip netns exec "$nsN" "$NAT64" "$@"; }
udp()
{
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
s.sendto(b"x", ("64:ff9b::192.0.2.5", int(sys.argv[2])))' "$2" "$3"
}

log "known traffic: a6 UDP 5000 -> v4#7000 and #7001, c6 ping"
udp "$nsA" 5000 7000
udp "$nsA" 5000 7001
ip netns exec "$nsC" ping -c 1 -W 2 64:ff9b::192.0.2.5 >/dev/null
nat bib show | tee "$tmp/bib"
check_eq "bib show: a header and 2 entries" 3 "$(wc -l < "$tmp/bib")"
check "bib show: udp 2001:db8::5#5000 -> 192.0.2.2, 2 sessions" \
	grep -qE '^udp +2001:db8::5#5000 +192\.0\.2\.2#6[0-9]{4} +2 +dynamic$' "$tmp/bib"
check "bib -j: exactly the expected mappings" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
got = sorted((r["proto"], r["addr6"], r["port6"], r["addr4"], r["sessions"],
              r["static"]) for r in rows)
want = [("icmp", "2001:db8::7", got[0][2], "192.0.2.2", 1, False),
        ("udp", "2001:db8::5", 5000, "192.0.2.2", 2, False)]
assert got == want, got
assert all(61001 <= r["port4"] <= 65535 for r in rows), rows' "$(nat -j bib show)"
check "bib show proto icmp: the ping only" \
	test "$(nat -j bib show proto icmp | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1
check "session -j: exactly the expected sessions" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
got = sorted((r["proto"], r["addr6"], r["remote4"], r["remote_port"],
              r["remote6"]) for r in rows)
assert [g[:4] for g in got] == [
    ("icmp", "2001:db8::7", "192.0.2.5", got[0][3]),
    ("udp", "2001:db8::5", "192.0.2.5", 7000),
    ("udp", "2001:db8::5", "192.0.2.5", 7001)], got
assert all(g[4] == "64:ff9b::c000:205" for g in got), got
assert all(0 < r["expires_ms"] <= 300000 for r in rows), rows' "$(nat -j session show)"
nat session show

log "counters, with their meaning"
nat stats show | tee "$tmp/stats" | head -5
check "stats: xlat_6to4 counts the 3 packets" \
	grep -qE '^xlat_6to4 +3 +IPv6 packets translated to IPv4$' "$tmp/stats"
check_eq "statistics/: one value per file" "3 2 3" \
	"$(cd /sys/kernel/debug/nat64/default/statistics && echo $(cat xlat_6to4 bib_entries sessions))"
check "stats -j parses, session_created is 3" python3 -c '
import json, sys
assert json.loads(sys.argv[1])["session_created"] == 3' "$(nat -j stats show)"
nat instance show

log "a static BIB entry lets v4 reach a6's server"
ip netns exec "$nsA" python3 -c '
import socket
s = socket.socket(socket.AF_INET6)
s.bind(("2001:db8::5", 8080)); s.listen()
c, peer = s.accept(); c.sendall(("hello %s" % peer[0]).encode()); c.close()' &
wait_listen "$nsA" tcp 8080
check "bib add tcp 2001:db8::5#8080 192.0.2.2#80" \
	nat bib add tcp 2001:db8::5#8080 192.0.2.2#80
check "bib show lists it as static" \
	bash -c "ip netns exec $nsN $NAT64 bib show | grep -qE '^tcp +2001:db8::5#8080 +192\.0\.2\.2#80 +[0-9]+ +static$'"
got=$(ip netns exec "$nsV" python3 -c '
import socket
s = socket.create_connection(("192.0.2.2", 80), timeout=10)
print(s.recv(100).decode())')
check_eq "v4 connected through it" "hello 64:ff9b::c000:205" "$got"
check "the same entry again: refused" fails nat bib add tcp 2001:db8::5#8080 192.0.2.2#80
check "an address outside pool4: refused with a reason" \
	bash -c "ip netns exec $nsN $NAT64 bib add tcp 2001:db8::5#8081 203.0.113.1#80 2>&1 | grep -q 'not in pool4'"
check "bib del" nat bib del tcp 2001:db8::5#8080 192.0.2.2#80
check "bib show: it is gone" \
	bash -c "! ip netns exec $nsN $NAT64 bib show | grep -q '#8080'"
check "bib del again: ENOENT" fails nat bib del tcp 2001:db8::5#8080 192.0.2.2#80

log "monitor: a UDP flow's mappings come and expire"
echo 2 > "$CFS/timeout_udp"
ip netns exec "$nsN" "$NAT64" -j monitor > "$tmp/events" &
monitor=$!
sleep 1
udp "$nsC" 6000 7000
check "monitor sees the BIB entry and session made, then removed" \
	busywait 15000 bash -c "grep -c '\"port6\":6000' $tmp/events | grep -qx 4"
kill $monitor
cat "$tmp/events"
check "events: bib new, session new, session del, bib del" python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if "\"port6\":6000" in l]
kinds = [(e["object"], e["event"]) for e in ev]
assert kinds == [("bib", "new"), ("session", "new"), ("session", "del"),
                 ("bib", "del")], kinds
assert ev[1]["remote4"] == "192.0.2.5" and ev[1]["remote_port"] == 7000
assert all(e["time_ns"] > 1.6e18 for e in ev)
assert ev[3]["time_ns"] - ev[1]["time_ns"] >= 2e9' "$tmp/events"
echo 300 > "$CFS/timeout_udp"

log "monitor: a flush is one event, and the tables work after it"
ip netns exec "$nsN" "$NAT64" -j monitor > "$tmp/flush_events" &
monitor=$!
sleep 1
udp "$nsC" 6001 7000
check "sessions before the flush" \
	busywait 5000 bash -c "test \$(cat $STATS/sessions) -ge 1"
check "bib flush" nat bib flush
check "monitor sees the flush" \
	busywait 5000 grep -q '"event":"flush"' "$tmp/flush_events"
kill $monitor
check_eq "no session after it" 0 "$(cat "$STATS/sessions")"
udp "$nsC" 6001 7000
check "the same flow makes a session again" \
	busywait 5000 bash -c "test \$(cat $STATS/sessions) = 1"

log "privileges and bad requests"
as_nobody() { ip netns exec "$nsN" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
check "nobody may not dump the BIB (EPERM)" bash -c \
	"ip netns exec $nsN setpriv --reuid=65534 --regid=65534 --clear-groups $NAT64 bib show 2>&1 | grep -q 'Operation not permitted'"
check "nobody may not add a static entry (EPERM)" bash -c \
	"ip netns exec $nsN setpriv --reuid=65534 --regid=65534 --clear-groups $NAT64 bib add udp 2001:db8::5#1 192.0.2.2#1 2>&1 | grep -q 'Operation not permitted'"
check "nobody may not flush (EPERM)" fails as_nobody "$NAT64" bib flush
before=$(nat -j bib show)
for c in missing oversized unknown proto; do
	out=$(ip netns exec "$nsN" python3 "$NL" raw $c)
	echo "malformed ($c): $out"
	check "malformed ($c): EINVAL or ERANGE, with a message" \
		grep -qE '^E(INVAL|RANGE): .+' <<<"$out"
done
check_eq "the BIB is unchanged" "$before" "$(nat -j bib show)"

log "sessions in their entries and in the session table, dumped while more arrive"
check "bib flush" nat bib flush
# flows FIRST N DPORT...: from a6, N source ports from FIRST on, each to
# every DPORT of v4. A mapping's first session lives in its entry, the
# others in the session table: a dump walks the two in turn.
flows()
{
	ip netns exec "$nsA" python3 -c '
import socket, sys
first, n = int(sys.argv[1]), int(sys.argv[2])
for port in range(first, first + n):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", port))
    for dport in sys.argv[3:]:
        s.sendto(b"x", ("64:ff9b::192.0.2.5", int(dport)))
    s.close()' "$@"
}
flows 20000 2000 7000 7001
check "2,000 entries with 2 sessions each" busywait 60000 bash -c \
	"test \$(cat $STATS/sessions) = 4000 && test \$(cat $STATS/bib_entries) = 2000"
flows 30000 1500 7000 7001 &
sender=$!
nat -j session show > "$tmp/sessions"
wait $sender
check "each of the 4,000 sessions exactly once, while more arrived" python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
got = sorted((r["port6"], r["remote_port"]) for r in rows
             if 20000 <= r["port6"] < 22000)
want = [(p, d) for p in range(20000, 22000) for d in (7000, 7001)]
assert got == want, (len(got), len(set(got)))
every = [(r["port6"], r["remote_port"]) for r in rows]
assert len(every) == len(set(every)), "a session shown twice"' "$tmp/sessions"
check "the later 3,000 arrived" busywait 60000 bash -c \
	"test \$(cat $STATS/sessions) = 7000"
check "the debugfs file lists all 7,000 (a resize may show one twice: distinct ones counted)" bash -c \
	"test \$(tail -n +2 /sys/kernel/debug/nat64/default/sessions | awk '{ print \$2, \$3 }' | sort -u | wc -l) = 7000"
check "read again after a seek to 0, the open debugfs file lists all 7,000 again" python3 -c '
import sys
f = open(sys.argv[1])
def distinct(text):
    return len({tuple(line.split()[1:3]) for line in text.splitlines()[1:]})
first = distinct(f.read())
f.seek(0)
again = distinct(f.read())
assert first == again == 7000, (first, again)' /sys/kernel/debug/nat64/default/sessions

log "100,000 static entries, dumped while more arrive"
check "bib flush (the dynamic entries)" nat bib flush
check_eq "only static entries are left: none" "[]" "$(nat -j bib show)"
start=$(date +%s%N)
check "add 65535 UDP and 34465 TCP static entries" bash -c "
	ip netns exec $nsN python3 $NL add-static 65535 --proto 17 &&
	ip netns exec $nsN python3 $NL add-static 34465 --proto 6"
echo "added in $(( ($(date +%s%N) - start) / 1000000 )) ms"
# More entries arrive (ICMP) while the dump runs.
ip netns exec "$nsN" python3 "$NL" add-static 20000 --proto 1 >/dev/null &
adder=$!
start=$(date +%s%N)
ip netns exec "$nsN" python3 "$NL" dump-bib > "$tmp/dump"
echo "dumped $(wc -l < "$tmp/dump") entries in $(( ($(date +%s%N) - start) / 1000000 )) ms"
wait $adder
check_eq "each UDP and TCP static entry exactly once" "100000 100000" \
	"$(grep -cE '^(6|17) ' "$tmp/dump") $(grep -E '^(6|17) ' "$tmp/dump" | sort -u | wc -l)"
check "no entry twice at all" test "$(sort "$tmp/dump" | uniq -d | wc -l)" = 0
check "flush again" nat bib flush
check "static entries survive the flush" \
	test "$(ip netns exec "$nsN" python3 "$NL" dump-bib | wc -l)" -ge 100000
rm -rf "$tmp"
exit $ret
