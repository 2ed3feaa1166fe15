# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the nat64 kselftests, after tools/testing/selftests/net/lib.sh.
# A test sources this file, builds its topology with setup_ns and the
# node helpers, checks with check/check_eq, and ends with `exit $ret`.
# Tests run as root inside the VM (selftests/vm/run); on a host that
# cannot load the module they skip.

ksft_pass=0
ksft_fail=1
ksft_skip=4

ret=$ksft_pass
NS_LIST=()
NAT64_LOADED=

SELFTESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$SELFTESTS_DIR")

log() { printf '[+] %s\n' "$*"; }

# check DESCRIPTION COMMAND...: one named assertion; failure marks the test.
check()
{
	local desc=$1

	shift
	if "$@"; then
		printf 'TEST: %-60s [ OK ]\n' "$desc"
	else
		printf 'TEST: %-60s [FAIL]\n' "$desc"
		ret=$ksft_fail
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq()
{
	local desc=$1 expected=$2 actual=$3

	if [[ "$expected" == "$actual" ]]; then
		printf 'TEST: %-60s [ OK ]\n' "$desc"
	else
		printf 'TEST: %-60s [FAIL]\n' "$desc"
		printf '      expected: %s\n      actual:   %s\n' "$expected" "$actual"
		ret=$ksft_fail
	fi
}

# quiet COMMAND...: run it with its output thrown away (for check).
quiet() { "$@" >/dev/null 2>&1; }

# fails COMMAND...: COMMAND fails (for check), its output thrown away.
fails() { ! "$@" >/dev/null 2>&1; }

skip()
{
	printf 'SKIP: %s\n' "$*"
	exit $ksft_skip
}

require_cmd()
{
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null || skip "$c is not installed"
	done
}

require_root()
{
	[[ $(id -u) -eq 0 ]] || skip "needs root (run it through selftests/vm/run)"
}

# setup_ns VAR...: a fresh namespace per name, its name stored in VAR.
setup_ns()
{
	local var ns

	for var in "$@"; do
		ns="$var-$(mktemp -u XXXXXX)"
		ip netns add "$ns" || return 1
		NS_LIST+=("$ns")
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0
		eval "$var=$ns"
	done
}

# link_ns NS1 IF1 NS2 IF2: a veth pair between two namespaces.
link_ns()
{
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" &&
	ip -n "$1" link set "$2" up &&
	ip -n "$3" link set "$4" up
}

# A switch: a namespace holding a bridge that nodes plug veths into.
setup_switch()
{
	local var=$1

	setup_ns "$var" || return 1
	ip -n "${!var}" link add br0 type bridge &&
	ip -n "${!var}" link set br0 up
}

# plug SWITCH NS IF: connect NS's interface IF to the switch.
PLUG_COUNT=0
plug()
{
	local sw=$1 ns=$2 ifname=$3 port

	PLUG_COUNT=$((PLUG_COUNT + 1))
	port="port$PLUG_COUNT"
	link_ns "$ns" "$ifname" "$sw" "$port" &&
	ip -n "$sw" link set "$port" master br0
}

# nat64_load NS PARAMS...: (re)load the module from inside NS, where the
# parameters create the default instance.
nat64_load()
{
	local ns=$1

	shift
	modprobe -r nat64 2>/dev/null
	ip netns exec "$ns" modprobe nat64 "$@" || return 1
	NAT64_LOADED=1
}

nat64_unload()
{
	local dir

	[[ -n $NAT64_LOADED ]] || return 0
	modprobe -r nat64 2>/dev/null && { NAT64_LOADED=; return 0; }
	# configfs holds the module while a test's own directories are
	# there: remove them (the module's own refuse), so that the next
	# test starts from a fresh module, not this one's leftovers.
	for dir in /sys/kernel/config/nat64/*/pool4/* /sys/kernel/config/nat64/*; do
		[[ -d $dir ]] && rmdir "$dir" 2>/dev/null
	done
	modprobe -r nat64 && NAT64_LOADED=
}

nat64_debugfs() { cat "/sys/kernel/debug/nat64/${2:-default}/$1"; }

nat64_stat()
{
	nat64_debugfs stats "${2:-default}" | awk -v k="$1" '$1 == k { print $2 }'
}

# busywait TIMEOUT_MS COMMAND...: poll until COMMAND succeeds.
busywait()
{
	local timeout=$1 start

	shift
	start=$(date +%s%3N)
	until "$@"; do
		(( $(date +%s%3N) - start > timeout )) && return 1
		sleep 0.1
	done
}

# udp_echo_v4 [SEP]: v4 (192.0.2.5#7000) answers every UDP datagram with
# the source it saw, "ADDR<SEP>PORT" (SEP a space unless given), until
# the test ends; returns once it listens.
udp_echo_v4()
{
	ip netns exec "$nsV" python3 - "${1:- }" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.5", 7000))
while True:
    data, peer = s.recvfrom(100)
    s.sendto(("%s%s%d" % (peer[0], sys.argv[1], peer[1])).encode(), peer)
PY
	wait_listen "$nsV" udp 7000
}

# udp_flows NS SRC FIRST COUNT: a datagram to v4 (64:ff9b::192.0.2.5#7000)
# from each of SRC's ports FIRST to FIRST + COUNT - 1 in turn; a line
# each: what udp_echo_v4 answered, or the error that came back instead
# (its errno name, or "timeout" after 3 s).
udp_flows()
{
	ip netns exec "$1" python3 - "$@" <<'PY'
import errno, socket, sys
first, count = int(sys.argv[3]), int(sys.argv[4])
for port in range(first, first + count):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    # Address unreachable is not a hard error without IPV6_RECVERR.
    s.setsockopt(socket.IPPROTO_IPV6, 25, 1)  # IPV6_RECVERR
    s.bind((sys.argv[2], port))
    s.connect(("64:ff9b::192.0.2.5", 7000))
    s.settimeout(3)
    try:
        s.send(b"hello")
        print(s.recv(100).decode())
    except OSError as e:
        print(errno.errorcode.get(e.errno, "timeout"))
    s.close()
PY
}

# wait_listen NS PROTO PORT: until something listens there (ss, no probe
# connection: a one-off server would take a probe for its client).
wait_listen()
{
	local flag=-lnt

	[[ $2 == udp ]] && flag=-lnu
	busywait 30000 bash -c "ip netns exec $1 ss -H $flag 'sport = :$3' | grep -q ."
}

cleanup_all()
{
	local ns

	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	NS_LIST=()
	nat64_unload
}
trap cleanup_all EXIT

# The seeds' sample network ("Stateful Run"): IPv6 nodes in 2001:db8::/96
# behind translator N (2001:db8::1), IPv4 nodes in 192.0.2.0/24 behind it
# (192.0.2.1; 192.0.2.2 is pool4, assigned so that N answers ARP for it).
#
#   a6 (2001:db8::5) --+                  +-- v4 (192.0.2.5)
#                      +-- sw6 -- N -- sw4 +
#   c6 (2001:db8::7) --+                  +-- z4 (192.0.2.9)
setup_sample_network()
{
	setup_ns nsN nsA nsC nsV nsZ || return 1
	setup_switch sw6 && setup_switch sw4 || return 1

	plug "$sw6" "$nsN" eth0 && plug "$sw4" "$nsN" eth1 || return 1
	ip -n "$nsN" addr add 2001:db8::1/96 dev eth0
	ip -n "$nsN" addr add 192.0.2.1/24 dev eth1
	ip -n "$nsN" addr add 192.0.2.2/24 dev eth1
	ip netns exec "$nsN" sysctl -qw net.ipv4.conf.all.forwarding=1 \
		net.ipv6.conf.all.forwarding=1

	plug "$sw6" "$nsA" eth0 && plug "$sw6" "$nsC" eth0 || return 1
	ip -n "$nsA" addr add 2001:db8::5/96 dev eth0
	ip -n "$nsC" addr add 2001:db8::7/96 dev eth0
	ip -n "$nsA" route add default via 2001:db8::1
	ip -n "$nsC" route add default via 2001:db8::1

	plug "$sw4" "$nsV" eth0 && plug "$sw4" "$nsZ" eth0 || return 1
	ip -n "$nsV" addr add 192.0.2.5/24 dev eth0
	ip -n "$nsZ" addr add 192.0.2.9/24 dev eth0
	ip -n "$nsV" route add default via 192.0.2.2
	ip -n "$nsZ" route add default via 192.0.2.2
}

# ---- packet tests through tap and veth (tap.py) ----

# The python with scapy (Debian's python3-scapy): the system one.
PY_SCAPY=/usr/bin/python3

# (Found, not imported: under TCG importing scapy takes 15 to 30 s.)
require_scapy()
{
	[[ -x $PY_SCAPY ]] && "$PY_SCAPY" -c '
import importlib.util, sys
sys.exit(importlib.util.find_spec("scapy") is None)' 2>/dev/null ||
		skip "scapy is not installed for $PY_SCAPY (python3-scapy)"
}

# require_tun: /dev/net/tun, loading tun where it is a module (stock).
require_tun()
{
	[[ -c /dev/net/tun ]] || modprobe tun 2>/dev/null
	[[ -c /dev/net/tun ]] || skip "no /dev/net/tun (CONFIG_TUN)"
}

# LINK_KINDS: what every packet-level test runs through, in turn.
LINK_KINDS=${NAT64_LINK_KINDS:-tap veth}

# del_ns NS...: tear down namespaces made with setup_ns before the end.
del_ns()
{
	local ns keep=() n

	for ns in "$@"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	for n in "${NS_LIST[@]}"; do
		[[ " $* " == *" $n "* ]] || keep+=("$n")
	done
	NS_LIST=("${keep[@]}")
}

# py_test DESCRIPTION SCRIPT ARGS...: a python test that prints its own
# TEST lines and exits 1 when one failed; any other failure (a traceback)
# is one more.
py_test()
{
	local desc=$1 rc

	shift
	"$PY_SCAPY" "$@"
	rc=$?
	[[ $rc -eq 0 ]] && return 0
	ret=$ksft_fail
	[[ $rc -eq 1 ]] && return 1
	printf 'TEST: %-60s [FAIL]\n' "$desc"
	printf '      exit status %d\n' "$rc"
	return 1
}

# ---------------------------------------------------------------------------
# DNS64 (RFC 6147) and 464XLAT (RFC 6877) around the translator, with
# Debian's unbound and tayga: programs nobody here wrote, so that what
# passes is what an operator would deploy (dns64.sh, xlat464.sh, demo.sh).

# dns64_zone FILE: the zone "example.": ipv4only.example has only an A
# record (v4); dual.example has an A record (z4) and an AAAA record (c6).
dns64_zone()
{
	cat > "$1" <<'ZONE'
$ORIGIN example.
$TTL 60
@		SOA	ns.example. hostmaster.example. 1 3600 600 86400 60
@		NS	ns.example.
ns		AAAA	2001:db8::53
ipv4only	A	192.0.2.5
dual		A	192.0.2.9
dual		AAAA	2001:db8::7
ZONE
}

# dns64_start NS ADDR PREFIX DIR: unbound in NS, on ADDR port 53, as an
# IPv6-only DNS64 resolver: an AAAA question for a name that has only A
# records is answered with AAAA records made of PREFIX (the instance's
# pool6) and each A record (RFC 6052). It serves "example." from
# DIR/example.zone (dns64_zone writes it if absent) as an auth-zone for
# upstream only: the iterator reads it as it would a remote authority's
# answers, behind the dns64 module. (local-data does not work: unbound
# answers it before any module runs, so its A-only names get no AAAA,
# dns64-synthall or not.) DNS64_PID is the resolver's PID.
dns64_start()
{
	local ns=$1 addr=$2 prefix=$3 dir=$4

	[[ -e $dir/example.zone ]] || dns64_zone "$dir/example.zone"
	cat > "$dir/unbound.conf" <<CONF
server:
	interface: $addr
	do-ip4: no
	access-control: 2001:db8::/32 allow
	module-config: "dns64 iterator"
	dns64-prefix: $prefix
	username: ""
	chroot: ""
	directory: "$dir"
	pidfile: ""
	use-syslog: no
	verbosity: 1
auth-zone:
	name: "example."
	zonefile: "$dir/example.zone"
	for-downstream: no
	for-upstream: yes
	fallback-enabled: no
remote-control:
	control-enable: no
CONF
	ip netns exec "$ns" unbound -d -c "$dir/unbound.conf" \
		>"$dir/unbound.log" 2>&1 &
	DNS64_PID=$!
	wait_listen "$ns" udp 53 || { cat "$dir/unbound.log"; return 1; }
}

dns64_stop()
{
	kill "$DNS64_PID" 2>/dev/null
	wait "$DNS64_PID" 2>/dev/null
}

# resolving NS SERVER COMMAND...: COMMAND in NS, its system resolver
# (glibc's, which curl and getent use) asking SERVER. The VM's root is
# read-only, so /etc/netns/NS/resolv.conf (what ip netns exec would bind)
# cannot be made, and Debian's curl has no --dns-servers (no c-ares): a
# private mount namespace binds a file over /etc/resolv.conf instead.
resolving()
{
	local ns=$1 server=$2 conf rc

	shift 2
	conf=$(mktemp) || return 1
	echo "nameserver $server" > "$conf"
	ip netns exec "$ns" unshare --mount sh -c \
		'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$conf" "$@"
	rc=$?
	rm -f "$conf"
	return $rc
}

# http_serve NS ADDR PORT DIR: python3's http.server on ADDR:PORT serving
# DIR, until the test's namespaces go.
http_serve()
{
	ip netns exec "$1" python3 -m http.server "$3" --bind "$2" \
		--directory "$4" >/dev/null 2>&1 &
	wait_listen "$1" tcp "$3"
}

# clat_start NS PREFIX DIR: tayga in NS as a CLAT (RFC 6877), a stateless
# translator (RFC 7915) on the tun device clat0. NS's IPv4 stack has only
# 192.0.0.2 (RFC 7335), mapped to 2001:db8:1::2 in the CLAT's own
# prefix 2001:db8:1::/64 (delegated to NS: the router must route it to
# NS); every other IPv4 address maps into PREFIX, the PLAT's pool6, and
# the IPv6 packets leave by NS's IPv6 routes. tayga's own addresses, the
# source of the ICMP errors it makes, are 192.0.0.1 and 2001:db8:1::1.
# tayga 0.9.2 refuses 64:ff9b::/96 with addresses that are not global
# (RFC 6052 section 3.1), 192.0.2.0/24 included: give it a
# network-specific prefix.
clat_start()
{
	local ns=$1 prefix=$2 dir=$3

	mkdir -p "$dir/tayga" || return 1
	cat > "$dir/tayga.conf" <<CONF
tun-device clat0
ipv4-addr 192.0.0.1
ipv6-addr 2001:db8:1::1
prefix $prefix
map 192.0.0.2 2001:db8:1::2
data-dir $dir/tayga
CONF
	ip netns exec "$ns" tayga -c "$dir/tayga.conf" --mktun \
		>"$dir/tayga.log" 2>&1 || { cat "$dir/tayga.log"; return 1; }
	# NS forwards between clat0 and its uplink, both ways.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	ip -n "$ns" link set clat0 up &&
	ip -n "$ns" addr add 192.0.0.2/32 dev clat0 &&
	ip -n "$ns" route add default dev clat0 src 192.0.0.2 &&
	ip -n "$ns" route add 2001:db8:1::/64 dev clat0 || return 1
	ip netns exec "$ns" tayga -c "$dir/tayga.conf" --nodetach \
		>>"$dir/tayga.log" 2>&1 &
	# Until tayga holds the tun open, clat0 has no carrier.
	busywait 20000 bash -c "ip -n $ns link show clat0 | grep -q LOWER_UP" ||
		{ cat "$dir/tayga.log"; return 1; }
}

# ---------------------------------------------------------------------------
# Latencies and kernel reports, for tests that change the configuration
# under traffic (teardown.sh): how long each operation held its caller,
# and whether the kernel complained meanwhile.

declare -A LAT_MAX LAT_SUM LAT_N

# timed KIND COMMAND...: runs COMMAND and keeps its wall time (ms) under
# KIND; returns COMMAND's status.
timed()
{
	local kind=$1 start rc

	shift
	start=$(now_us)
	"$@"
	rc=$?
	lat_record "$kind" $(( ($(now_us) - start) / 1000 ))
	return $rc
}

# now_us: the time in microseconds, without a fork (which costs more than
# most of what timed measures, under TCG).
now_us() { echo "${EPOCHREALTIME/./}"; }

# lat_record KIND MS: one more duration of KIND, measured elsewhere.
lat_record()
{
	local kind=$1 ms=$2

	LAT_N[$kind]=$(( ${LAT_N[$kind]:-0} + 1 ))
	LAT_SUM[$kind]=$(( ${LAT_SUM[$kind]:-0} + ms ))
	if (( ms > ${LAT_MAX[$kind]:-0} )); then
		LAT_MAX[$kind]=$ms
	fi
}

# latency_report BOUND_MS KIND...: count, mean and max of each KIND, and a
# check that no call of it took longer than BOUND_MS.
latency_report()
{
	local bound=$1 kind n

	shift
	printf '%-16s %6s %9s %9s\n' operation calls mean_ms max_ms
	for kind in "$@"; do
		n=${LAT_N[$kind]:-0}
		(( n )) || { printf '%-16s %6d %9s %9s\n' "$kind" 0 - -; continue; }
		printf '%-16s %6d %9d %9d\n' "$kind" "$n" \
			$(( LAT_SUM[$kind] / n )) "${LAT_MAX[$kind]}"
	done
	for kind in "$@"; do
		(( ${LAT_N[$kind]:-0} )) || continue
		check "$kind: slowest call ${LAT_MAX[$kind]} ms <= $bound ms" \
			test "${LAT_MAX[$kind]}" -le "$bound"
	done
}

# What the kernel logs only for a bug, whatever the test did: hung tasks,
# lockdep, KASAN, UBSAN, WARN, BUG, oops, RCU stalls, list corruption.
KERNEL_BUG_RE='hung task|blocked for more than|lockdep|possible circular|possible recursive|inconsistent lock|KASAN|UBSAN|WARNING:|BUG:|Oops|RCU stall|detected stall|refcount_t:|list_add corruption|list_del corruption'

# kmsg_mark NAME: a line in the kernel log that kmsg_since finds.
kmsg_mark() { echo "nat64-selftest: mark $1" > /dev/kmsg; }

# kmsg_since NAME: the kernel log from kmsg_mark NAME on.
kmsg_since() { dmesg | sed -n "/nat64-selftest: mark $1\$/,\$p"; }

# kernel_quiet_since NAME: no bug report since the mark (prints any).
kernel_quiet_since()
{
	local bad

	bad=$(kmsg_since "$1" | grep -E "$KERNEL_BUG_RE")
	[[ -z $bad ]] && return 0
	printf '      %s\n' "${bad:0:4000}"
	return 1
}

KMEMLEAK=/sys/kernel/debug/kmemleak

# kmemleak_clear: what kmemleak reported so far is not ours to answer for.
kmemleak_clear() { [[ -w $KMEMLEAK ]] && echo clear > "$KMEMLEAK"; }

# kmemleak_nat64: scans, and prints each report that concerns nat64: a
# frame in the module, or a frame no symbol resolves any more (a module
# that has been unloaded; the debug kernel has everything else built in).
# kmemleak reports an object only once it is 5 s old and a second scan
# still finds it unreferenced: the wait is kmemleak's rule, not a guess.
kmemleak_nat64()
{
	local t=$EPOCHSECONDS

	echo scan > "$KMEMLEAK"
	(( EPOCHSECONDS - t > 5 )) || sleep $((6 - (EPOCHSECONDS - t)))
	echo scan > "$KMEMLEAK"
	awk '/^unreferenced object/ { if (hit) printf "%s", rec; rec = ""; hit = 0 }
	     { rec = rec $0 "\n" }
	     /nat64|\] 0x[0-9a-f]+$/ { hit = 1 }
	     END { if (hit) printf "%s", rec }' "$KMEMLEAK"
}
