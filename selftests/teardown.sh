#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration churn while traffic flows (issue 14, item 5). Through the
# sample network's translator: new UDP flows at a steady rate from ever
# new source ports, a ping stream, and paced TCP bulk transfers; and
# through a second instance in namespaces of its own, another stream of
# new UDP flows (a third of these rates on the debug kernel). Meanwhile, in rounds for NAT64_CHURN_SECONDS (60): pool4
# entries removed and added (rmdir/mkdir, cascade and quick) and the
# parameters' entries disabled and enabled, "nat64 bib flush", settings
# written, the default instance disabled and enabled, a second instance
# made, enabled, and then either disabled and removed or killed by
# deleting its namespace while enabled (at least 3 rounds, so that each
# of these happens). Finally "modprobe -r nat64" with
# the traffic still running.
#
# Asserts: every operation succeeds and none holds its caller longer than
# NAT64_CHURN_BOUND_MS (10000 ms: generous for TCG, where a flush of a
# few thousand entries takes well under a second when nothing blocks; one
# still running past it has its kernel stack printed, and past 12 times
# the bound the test gives up on it); a
# killed namespace's instance reads disabled within 30 s; each second
# instance translated before it went; fresh flows translate after the
# churn; the module unloads, and loads and translates again; the kernel
# logged no hung task, lockdep, KASAN, UBSAN, WARN or BUG; and on a
# kernel with kmemleak, no new leak concerns nat64.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip modprobe python3 ping dmesg
NAT64=$REPO_DIR/tools/nat64/nat64
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"

# On the debug kernel, deleting a namespace under lockdep waits for a
# grace period per qdisc (lockdep_unregister_key()); under TCG, with
# traffic, one took over 120 s in a run on a loaded machine, which the
# hung-task detector reports. make fuzz runs it there; make check does
# not, and says so.
if [[ -e $KMEMLEAK && ${NAT64_TEARDOWN_DEBUG:-0} != 1 ]]; then
	skip "debug kernel: runs in make fuzz (NAT64_TEARDOWN_DEBUG=1), too slow for make check under TCG"
fi

churn_s=${NAT64_CHURN_SECONDS:-60}
bound_ms=${NAT64_CHURN_BOUND_MS:-10000}
# Past the bound the test fails (latency_report); past hard_ms it stops.
hard_ms=$(( bound_ms * 12 ))
netns_bound_ms=30000
# The debug kernel (KASAN, kmemleak) is several times slower under TCG:
# a third of the traffic loads it about as much.
pps=300
tcp_rate=1000000
if [[ -e $KMEMLEAK ]]; then
	pps=100
	tcp_rate=300000
fi
pps=${NAT64_CHURN_PPS:-$pps}
tcp_rate=${NAT64_CHURN_TCP_RATE:-$tcp_rate}
CFS_ROOT=/sys/kernel/config/nat64
CFS=$CFS_ROOT/default

setup_sample_network || skip "cannot build the sample network"
# nsQ holds the second instances' clients and servers (see second_up).
setup_ns nsQ || skip "cannot make namespaces"
ip -n "$nsN" addr add 192.0.2.3/24 dev eth1
tmp=$(mktemp -d)
kmsg_mark teardown
kmemleak_clear

# The parameters' pool4 entries cannot be rmdir'd, so they pin nothing:
# the module can go at the end with them enabled and translating.
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }

# configfs is global: the tool runs where it is mounted (not under
# ip netns exec, which mounts a sysfs of its own); netlink is per netns.
nat() { "$NAT64" "$@"; }
natn() { ip netns exec "$nsN" "$NAT64" "$@"; }
put() { echo "$2" > "$1"; }
failed_ops=()
exec {tick_fd}<> <(:)
tick() { read -r -t 0.05 -u "$tick_fd"; }	# a 50 ms wait without a fork

descendants()
{
	local c

	for c in $(pgrep -P "$1"); do
		echo "$c"
		descendants "$c"
	done
}

# stacks PID: where PID and its descendants are, in the kernel.
stacks()
{
	local c

	for c in "$1" $(descendants "$1"); do
		[[ -d /proc/$c ]] || { echo "      pid $c: gone"; continue; }
		# State R is starved of CPU, D is blocked in the kernel.
		echo "      $(tr '\0' ' ' < "/proc/$c/cmdline") (pid $c," \
			"state $(awk '{ print $3 }' "/proc/$c/stat")," \
			"wchan $(cat "/proc/$c/wchan" 2>/dev/null)):"
		sed 's/^/        /' "/proc/$c/stack" 2>/dev/null
	done
}

# stuck KIND PID: PID, running KIND, has held its caller past the hard
# limit. A task blocked in the kernel cannot be killed: leave the module
# alone (unloading would block behind it) and fail now.
stuck()
{
	printf 'TEST: %-60s [FAIL]\n' "$1: no return within $hard_ms ms"
	stacks "$2"
	echo w > /proc/sysrq-trigger 2>/dev/null	# blocked tasks, to the log
	NAT64_LOADED=
	exit $ksft_fail
}

# running PID: PID has not exited. (kill -0 also succeeds on a zombie,
# which bash may not have reaped while it waits in read -t.)
running()
{
	local state

	read -r _ _ state _ 2>/dev/null < "/proc/$1/stat" && [[ $state != Z ]]
}

# op KIND COMMAND...: a churn operation that must succeed, timed, and
# given up on (the test fails) once it blocks longer than the bound.
op()
{
	local kind=$1 start pid rc ms late=0

	shift
	start=$(now_us)
	"$@" &
	pid=$!
	while running "$pid"; do
		ms=$(( ($(now_us) - start) / 1000 ))
		if (( ms > bound_ms && !late )); then
			late=1
			log "$kind: still running after $bound_ms ms:"
			stacks "$pid"
		fi
		(( ms > hard_ms )) && stuck "$kind" "$pid"
		tick
	done
	wait "$pid"
	rc=$?
	lat_record "$kind" $(( ($(now_us) - start) / 1000 ))
	(( rc == 0 )) || failed_ops+=("$kind: $*")
}

# udp_flood NS SRC DST PORT: new UDP flows, a fresh socket and source port
# per datagram, at $pps a second, until killed. Errors (no route while a
# namespace is being remade) do not stop it.
udp_flood()
{
	ip netns exec "$1" python3 - "$2" "$3" "$4" "$pps" <<'PY' &
import socket, sys, time
src, dst, dport, pps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
port, sent, start = 20000, 0, time.monotonic()
while True:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        s.bind((src, port))
        s.sendto(b"x" * 64, (dst, dport))
    except OSError:
        pass
    s.close()
    port = port + 1 if port < 59999 else 20000
    sent += 1
    ahead = sent / pps - (time.monotonic() - start)
    if ahead > 0:
        time.sleep(ahead)
PY
}

# v4 echoes each UDP datagram on 7000 with the source it saw.
ip netns exec "$nsV" python3 - <<'PY' &
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.5", 7000))
while True:
    data, peer = s.recvfrom(100)
    s.sendto(("%s %d" % peer).encode(), peer)
PY
# v4 sinks TCP on 5001 and keeps the byte total in $tmp/tcp_bytes.
ip netns exec "$nsV" python3 - "$tmp/tcp_bytes" <<'PY' &
import os, socket, sys, threading, time
total = 0
def sink(c):
    global total
    with c:
        while True:
            try:
                d = c.recv(1 << 16)
            except OSError:
                return
            if not d:
                return
            total += len(d)
def report():
    while True:
        try:
            with open(sys.argv[1] + ".new", "w") as f:
                f.write("%d\n" % total)
            os.replace(sys.argv[1] + ".new", sys.argv[1])
        except OSError:
            return
        time.sleep(0.5)
threading.Thread(target=report, daemon=True).start()
ls = socket.socket(socket.AF_INET)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("192.0.2.5", 5001))
ls.listen(16)
while True:
    c, _ = ls.accept()
    threading.Thread(target=sink, args=(c,), daemon=True).start()
PY
wait_listen "$nsV" udp 7000 && wait_listen "$nsV" tcp 5001 ||
	{ check "the servers listen" false; exit $ret; }

# udp_ask NS SRC PORT: one request to v4's echo; prints what v4 saw.
udp_ask()
{
	ip netns exec "$1" python3 - "$2" "$3" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(3)
for _ in range(3):
    try:
        s.sendto(b"hello", ("64:ff9b::192.0.2.5", 7000))
        print(s.recv(100).decode())
        break
    except OSError:
        pass
PY
}
translates() { grep -qE '^192\.0\.2\.[23] [0-9]+$' <<<"$(udp_ask "$@")"; }
tcp_bytes() { cat "$tmp/tcp_bytes" 2>/dev/null || echo 0; }
tcp_above() { (( $(tcp_bytes) > $1 )); }

check "before the churn: a UDP flow translates" translates "$nsC" 2001:db8::7 4000

log "traffic: $pps new UDP flows/s from a6, a ping stream from c6, TCP bulk from a6 at $tcp_rate bytes/s"
udp_flood "$nsA" 2001:db8::5 64:ff9b::192.0.2.5 7000
ip netns exec "$nsC" ping -q -i 0.2 64:ff9b::192.0.2.9 > "$tmp/ping" 2>&1 &
ping_pid=$!
# TCP bulk at $tcp_rate bytes/s (more would starve the churn of CPU under
# TCG): a connection that stalls 5 s (one a flush broke) is dropped and
# the next one opened, so TCP flows through the whole churn.
ip netns exec "$nsA" python3 - "$tcp_rate" <<'PY' &
import socket, sys, time
rate, chunk = int(sys.argv[1]), b"\0" * 16384
while True:
    try:
        with socket.create_connection(("64:ff9b::192.0.2.5", 5001), 5) as s:
            start, sent = time.monotonic(), 0
            while True:
                s.sendall(chunk)
                sent += len(chunk)
                ahead = sent / rate - (time.monotonic() - start)
                if ahead > 0:
                    time.sleep(ahead)
    except OSError:
        time.sleep(0.3)
PY
busywait 30000 tcp_above 0
check "TCP bulk flows before the churn" test "$(tcp_bytes)" -gt 0

# The second instances' network: nsQ's client reaches 64:ff9b::/96
# through nsM, remade each round; nsQ's 198.51.100.5 is the IPv4 end.
udp_flood "$nsQ" 2001:db8:9::2 64:ff9b::198.51.100.5 7000

# second_up ROUND: nsM, linked to nsQ, and instance "churnROUND" in it,
# enabled, translating nsQ's flows. Prints nothing; sets nsM.
second_up()
{
	local i=$1 cfs=$CFS_ROOT/churn$1

	setup_ns nsM || return 1
	link_ns "$nsM" eth0 "$nsQ" q6_$i && link_ns "$nsM" eth1 "$nsQ" q4_$i ||
		return 1
	ip -n "$nsM" addr add 2001:db8:9::1/64 dev eth0
	ip -n "$nsM" addr add 198.51.100.1/24 dev eth1
	ip -n "$nsM" addr add 198.51.100.2/24 dev eth1
	ip netns exec "$nsM" sysctl -qw net.ipv4.conf.all.forwarding=1 \
		net.ipv6.conf.all.forwarding=1
	ip -n "$nsQ" addr add 2001:db8:9::2/64 dev q6_$i
	ip -n "$nsQ" addr add 198.51.100.5/24 dev q4_$i
	ip -n "$nsQ" route add 64:ff9b::/96 via 2001:db8:9::1 dev q6_$i

	op inst_mkdir mkdir "$cfs"
	op inst_netns put "$cfs/netns" "/run/netns/$nsM"
	op inst_pool6 put "$cfs/pool6" 64:ff9b::/96
	op pool4_add nat -i "churn$i" pool4 add 198.51.100.2
	op inst_enable put "$cfs/enabled" 1
}

second_translated() { (( $(nat64_stat xlat_6to4 "churn$1" 2>/dev/null || echo 0) > 0 )); }
second_dead() { [[ $(cat "$CFS_ROOT/churn$1/enabled") == 0 ]]; }

# second_down ROUND MODE: disable then remove it (MODE disable), or delete
# its namespace while it is enabled and remove what is left (MODE netns).
second_down()
{
	local i=$1 cfs=$CFS_ROOT/churn$1 start

	if [[ $2 == disable ]]; then
		op inst_disable put "$cfs/enabled" 0
		op pool4_del nat -i "churn$i" pool4 del 198.51.100.2
		op inst_rmdir rmdir "$cfs"
		del_ns "$nsM"
		return
	fi
	start=$(now_us)
	op netns_del del_ns "$nsM"
	if busywait "$netns_bound_ms" second_dead "$i"; then
		lat_record netns_gone $(( ($(now_us) - start) / 1000 ))
	else
		failed_ops+=("churn$i: enabled still 1 ${netns_bound_ms} ms after its namespace went")
	fi
	op pool4_del nat -i "churn$i" pool4 del 198.51.100.2
	op inst_rmdir rmdir "$cfs"
}

xlat_above() { (( $(nat64_stat xlat_6to4) > $1 )); }
bib_entries() { cat /sys/kernel/debug/nat64/default/statistics/bib_entries; }
# bib_note: the largest table a flush had to empty.
bib_note()
{
	local n

	n=$(bib_entries 2>/dev/null)
	if [[ $n =~ ^[0-9]+$ ]] && (( n > bib_max )); then
		bib_max=$n
	fi
}

builtin_pool4() { printf '%s\n' "$CFS"/pool4/0-*-192.0.2.2_32-*; }
set_builtin_pool4()
{
	local e

	for e in $(builtin_pool4); do
		put "$e/enabled" "$1" || return 1
	done
}

# quick_churn: pool4 entries and BIB flushes, settings.
quick_churn()
{
	op pool4_add nat pool4 add 192.0.2.3
	op pool4_disable set_builtin_pool4 0
	bib_note
	op bib_flush natn bib flush
	op pool4_enable set_builtin_pool4 1
	op pool4_del nat pool4 del 192.0.2.3 $quick
	op setting put "$CFS/timeout_udp" $(( odd ? 120 : 300 ))
	op setting put "$CFS/address_dependent_filtering" "$odd"
	op setting put "$CFS/max_sessions" $(( odd ? 100000 : 2097152 ))
	op setting put "$CFS/max_held_syns" $(( odd ? 0 : 256 ))
}

log "churn for ${churn_s} s"
end=$((SECONDS + churn_s))
round=0
second_ok=0
bib_max=0
while (( SECONDS < end || round < 3 )); do
	round=$((round + 1))
	odd=$((round % 2))
	quick=
	(( odd )) && quick=quick
	# The cheap operations thrice a round, the instances' once.
	for _ in 1 2 3; do
		quick_churn
	done
	if (( round % 3 == 0 )); then
		op default_disable put "$CFS/enabled" 0
		op default_enable put "$CFS/enabled" 1
	fi
	if second_up "$round"; then
		if busywait 10000 second_translated "$round"; then
			second_ok=$((second_ok + 1))
		else
			failed_ops+=("churn$round translated nothing in 10 s")
		fi
		second_down "$round" "$( ((odd)) && echo netns || echo disable)"
	else
		failed_ops+=("round $round: cannot build the second instance's network")
	fi
	bib_note
	op bib_flush natn bib flush
done
log "$round rounds; a flush emptied up to $bib_max BIB entries"
check_eq "every churn operation succeeded" "" "$(printf '%s\n' "${failed_ops[@]}")"
check_eq "each of the $round second instances translated" "$round" "$second_ok"
# (Its counters start again from 0 when it is enabled again.)
xlat=$(nat64_stat xlat_6to4)
check "the default instance translates the flood after the churn" \
	busywait 10000 xlat_above "$xlat"
check "leftover: no instance but default" \
	test "$(ls "$CFS_ROOT")" == default

log "after the churn, traffic still running: fresh flows"
check "a fresh UDP flow translates" translates "$nsC" 2001:db8::7 4001
check "a fresh ping translates" \
	quiet ip netns exec "$nsA" ping -c 1 -W 5 64:ff9b::192.0.2.9
bytes=$(tcp_bytes)
busywait 20000 tcp_above "$bytes"
check "TCP bulk still flows" test "$(tcp_bytes)" -gt "$bytes"

log "modprobe -r nat64 with the traffic running"
failed_ops=()
op rmmod modprobe -r nat64
check_eq "modprobe -r nat64 succeeds under traffic" "" "$(printf '%s\n' "${failed_ops[@]}")"
check "the module is gone" test ! -d /sys/module/nat64
NAT64_LOADED=

kill -INT "$ping_pid" 2>/dev/null
wait "$ping_pid" 2>/dev/null
log "ping stream: $(grep -o '[0-9]* packets transmitted, [0-9]* received' "$tmp/ping")"
check "the ping stream had replies" \
	grep -qE ' [1-9][0-9]* received' "$tmp/ping"
log "TCP bulk: $(( $(tcp_bytes) / 1048576 )) MiB received by v4 in ${SECONDS} s"

if [[ -w $KMEMLEAK ]]; then
	log "kmemleak: scanning for leaks that concern nat64"
	leaks=$(kmemleak_nat64)
	check_eq "kmemleak: no new leak concerns nat64" "" "${leaks:0:4000}"
else
	log "no $KMEMLEAK here (stock kernel): no leak scan"
fi

log "the module loads again, and translates"
if nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2; then
	check "a fresh UDP flow translates after the reload" \
		translates "$nsC" 2001:db8::7 4002
else
	check "the module loads again" false
fi

log "latencies (ms; tool and process start included), bound $bound_ms ms"
latency_report "$bound_ms" pool4_add pool4_del pool4_disable pool4_enable \
	bib_flush setting default_disable default_enable inst_mkdir \
	inst_netns inst_pool6 inst_enable inst_disable inst_rmdir netns_del rmmod
log "netns_gone: from deleting a namespace to its instance reading disabled (bound $netns_bound_ms ms)"
latency_report "$netns_bound_ms" netns_gone
check "kernel log: no hung task, lockdep, KASAN, UBSAN, WARN or BUG" \
	kernel_quiet_since teardown

rm -rf "$tmp"
log "$(basename "$0"): ${SECONDS} s"
exit $ret
