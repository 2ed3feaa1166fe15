#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A configuration that survives (issue 15, item 3): a non-trivial one
# (two instances in two namespaces and a third disabled; marks, three
# pool4 ranges, settings, static BIB entries) is saved with `nat64
# save`, the module is unloaded and loaded again, `nat64 -f` puts it
# back and a second `nat64 save` prints the same bytes. Applying the file
# again changes nothing (no instance restarts, no pool4 entry is
# remade); a file with one bad line changes nothing and names the line;
# a file the kernel refuses halfway is rolled back. And the tool's table
# of settings is the kernel's: the same defaults and bounds.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip modprobe python3 dmesg cmp diff flock mkfifo timeout

NAT64=$REPO_DIR/tools/nat64/nat64
CFS=/sys/kernel/config/nat64
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"

setup_ns nsA nsB || skip "cannot make namespaces"
# No parameters: no instance of the module's own.
nat64_load "$nsA" || { check "load the translator" false; exit $ret; }
tmp=$(mktemp -d)

configure()
{
	"$NAT64" instance add alpha netns "$nsA" pool6 64:ff9b::/96 enable &&
	"$NAT64" -i alpha settings set timeout_udp 200 max_held_syns 0 \
		drop_external_tcp 1 &&
	"$NAT64" -i alpha pool4 add 192.0.2.0/30 ports 1000-2000 mark 10 proto tcp &&
	"$NAT64" -i alpha pool4 add 192.0.2.8 ports 5000-6000 mark 20 &&
	"$NAT64" -i alpha pool4 add 198.51.100.0/23 force &&
	"$NAT64" -i alpha bib add tcp 2001:db8::5#8080 192.0.2.1#1500 &&
	"$NAT64" -i alpha bib add udp 2001:db8::5#53 192.0.2.8#5353 &&
	"$NAT64" instance add beta netns "$nsB" pool6 2001:db8:64::/96 enable &&
	"$NAT64" -i beta pool4 add 203.0.113.1 ports 40000-40100 proto udp &&
	"$NAT64" -i beta settings set lowest_ipv6_mtu 1400 &&
	"$NAT64" -i beta bib add udp 2001:db8::9#7 203.0.113.1#40007 &&
	"$NAT64" instance add gamma pool6 64:ff9b:1::/96
}
check "configure alpha, beta and gamma" configure

cat > "$tmp/expected" <<EOF_
# nat64 configuration (nat64 save); apply with: nat64 -f FILE
# "flush" makes the file the whole configuration: what it does not
# name is removed.
flush

instance add alpha netns $nsA pool6 64:ff9b::/96 enable
-i alpha settings set timeout_udp 200
-i alpha settings set max_held_syns 0
-i alpha settings set drop_external_tcp 1
-i alpha pool4 add 198.51.100.0/23 ports 61001-65535 force
-i alpha pool4 add 192.0.2.0/30 ports 1000-2000 mark 10 proto tcp
-i alpha pool4 add 192.0.2.8/32 ports 5000-6000 mark 20
-i alpha bib add tcp 2001:db8::5#8080 192.0.2.1#1500
-i alpha bib add udp 2001:db8::5#53 192.0.2.8#5353

instance add beta netns $nsB pool6 2001:db8:64::/96 enable
-i beta settings set lowest_ipv6_mtu 1400
-i beta pool4 add 203.0.113.1/32 ports 40000-40100 proto udp
-i beta bib add udp 2001:db8::9#7 203.0.113.1#40007

instance add gamma pool6 64:ff9b:1::/96
EOF_
"$NAT64" save > "$tmp/saved"
check "save exits 0" test $? -eq 0
check "save prints the configuration, as commands" \
	diff -u "$tmp/expected" "$tmp/saved"

log "nat64 flush; modprobe -r nat64; modprobe nat64; nat64 -f"
# configfs holds the module while it has directories: the configuration
# goes first, as the service's ExecStop does.
check "the module is in use while configured" fails modprobe -r nat64
check "nat64 flush" "$NAT64" flush
check "unload" modprobe -r nat64
check "load again" modprobe nat64
check_eq "no instance after the reload" "" "$(ls "$CFS")"
check "nat64 -f applies the saved file" "$NAT64" -f "$tmp/saved"
"$NAT64" save > "$tmp/again"
check "save again: byte-identical" cmp "$tmp/saved" "$tmp/again"
check "alpha translates in $nsA, with its static entry" \
	bash -c "ip netns exec $nsA $NAT64 bib show | grep -qE '^tcp +2001:db8::5#8080 +192\.0\.2\.1#1500 .*static$'"
check "beta's static entry, asked from here with -i" \
	bash -c "$NAT64 -i beta bib show | grep -qE '^udp +2001:db8::9#7 +203\.0\.113\.1#40007 .*static$'"
check_eq "gamma is disabled" 0 "$(cat $CFS/gamma/enabled)"

log "the same file again changes nothing"
inodes() { stat -c '%n %i' "$CFS"/*/pool4/* | sort; }
inodes > "$tmp/inodes.before"
starts=$(dmesg | grep -c 'nat64: instance')
check "nat64 -f, the same file, again" "$NAT64" -f "$tmp/saved"
check "... and from standard input" bash -c "$NAT64 -f - < $tmp/saved"
check_eq "no instance stopped or started" "$starts" \
	"$(dmesg | grep -c 'nat64: instance')"
check "no pool4 entry removed or remade" \
	diff -u "$tmp/inodes.before" <(inodes)
"$NAT64" save > "$tmp/again"
check "the configuration is the same" cmp "$tmp/saved" "$tmp/again"

log "two nat64 -f take turns"
# While another holds the lock, nat64 -f waits for it (and, given up on
# by timeout, has changed nothing); once it is free, it goes on.
mkfifo "$tmp/release"
flock /run/lock/nat64.lock cat "$tmp/release" & holder=$!
busywait 5000 bash -c "! flock -n /run/lock/nat64.lock true"
sed 's/timeout_udp 200/timeout_udp 201/' "$tmp/saved" > "$tmp/other"
timeout 3 "$NAT64" -f "$tmp/other"
check_eq "nat64 -f waits while the lock is held" 124 $?
check "... having changed nothing" cmp "$tmp/saved" <("$NAT64" save)
echo > "$tmp/release"
wait "$holder"
check "once it is free, nat64 -f goes on" "$NAT64" -f "$tmp/saved"

log "a file with one bad line applies nothing"
{
	sed 's/timeout_udp 200/timeout_udp 250/' "$tmp/saved"
	echo "instance add delta pool6 64:ff9b:2::/96"
	echo "-i alpha pool4 add 192.0.2.300 ports 1-2"
} > "$tmp/bad"
bad_line=$(wc -l < "$tmp/bad")
out=$("$NAT64" -f "$tmp/bad" 2>&1)
check "nat64 -f fails" test $? -ne 0
echo "$out"
check "the message names the line" \
	grep -q "^$tmp/bad:$bad_line: pool4 add: '192.0.2.300' is not" <<<"$out"
"$NAT64" save > "$tmp/again"
check "nothing changed" cmp "$tmp/saved" "$tmp/again"
check_eq "no instance stopped or started" "$starts" \
	"$(dmesg | grep -c 'nat64: instance')"

bad_file()
{
	printf '%s\n' "$@" > "$tmp/bad"
	out=$("$NAT64" -f "$tmp/bad" 2>&1)
	[[ $? -ne 0 ]] || return 1
	echo "$out" | head -n 1
	grep -q "^$tmp/bad:" <<<"$out" && cmp -s "$tmp/saved" <("$NAT64" save)
}
log "faults found before anything is written, each named FILE:LINE"
check "an unknown setting" bad_file flush "instance add a pool6 64:ff9b::/96" \
	"-i a settings set timeout_ufo 3"
check "a setting out of range" bad_file flush "instance add a pool6 64:ff9b::/96" \
	"-i a settings set lowest_ipv6_mtu 1279"
check "a pool6 of a bad length" bad_file flush "instance add a pool6 64:ff9b::/95"
check "bits 64-71 of pool6" bad_file flush "instance add a pool6 64:ff9b:0:0:100::/96"
check "enabled without pool6" bad_file flush "instance add a enable"
check "two enabled in one namespace" bad_file flush \
	"instance add a pool6 64:ff9b::/96 enable" "instance add b pool6 64:ff9b::/96 enable"
check "a netns that does not exist" bad_file flush \
	"instance add a netns nosuch-$$ pool6 64:ff9b::/96"
check "overlapping pool4 entries" bad_file flush \
	"instance add a pool6 64:ff9b::/96" "-i a pool4 add 192.0.2.0/30 ports 1-10" \
	"-i a pool4 add 192.0.2.2 ports 10-20 proto udp"
check "a /16 without force" bad_file flush "instance add a pool6 64:ff9b::/96" \
	"-i a pool4 add 10.0.0.0/16"
check "a static entry outside pool4" bad_file flush \
	"instance add a pool6 64:ff9b::/96 enable" "-i a pool4 add 192.0.2.1" \
	"-i a bib add tcp 2001:db8::1#1 192.0.2.2#1"
check "a static entry of a disabled instance" bad_file flush \
	"instance add a pool6 64:ff9b::/96" "-i a pool4 add 192.0.2.1" \
	"-i a bib add tcp 2001:db8::1#1 192.0.2.1#1"
check "a line without -i" bad_file flush "instance add a pool6 64:ff9b::/96" \
	"pool4 add 192.0.2.1"
check "an instance named before it is added" bad_file "-i zeta pool4 add 192.0.2.1"
check "a command a file cannot say" bad_file "-i alpha pool4 del 192.0.2.8"

log "a file the kernel refuses halfway is rolled back"
# A client of alpha holds a dynamic mapping; a file that changes a
# setting and then asks for a static entry on the client's IPv6
# transport address passes every check the tool can make (it cannot
# know the traffic), and the kernel refuses the entry: the setting
# must be put back, and alpha must not restart.
setup_ns nsC nsV || skip "cannot make namespaces"
link_ns "$nsC" eth0 "$nsA" eth0 && link_ns "$nsA" eth1 "$nsV" eth0 ||
	skip "cannot link namespaces"
ip -n "$nsA" addr add 2001:db8::1/64 dev eth0
ip -n "$nsA" addr add 192.0.2.1/24 dev eth1
ip netns exec "$nsA" sysctl -qw net.ipv6.conf.all.forwarding=1 \
	net.ipv4.conf.all.forwarding=1
ip -n "$nsC" addr add 2001:db8::5/64 dev eth0
ip -n "$nsC" route add default via 2001:db8::1
ip -n "$nsV" addr add 192.0.2.5/24 dev eth0
client_maps()
{
	ip netns exec "$nsC" python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("2001:db8::5", 5000))
s.sendto(b"x", ("64:ff9b::192.0.2.5", 7000))'
	"$NAT64" -i alpha bib show | grep -qE '^udp +2001:db8::5#5000 .*dynamic$'
}
check "a client's UDP flow makes a dynamic mapping" busywait 20000 client_maps
{
	sed 's/timeout_udp 200/timeout_udp 250/' "$tmp/saved"
	echo "-i alpha bib add udp 2001:db8::5#5000 198.51.100.7#61500"
} > "$tmp/late"
late_line=$(wc -l < "$tmp/late")
starts=$(dmesg | grep -c 'nat64: instance')
out=$("$NAT64" -f "$tmp/late" 2>&1)
check "nat64 -f fails" test $? -ne 0
echo "$out"
check "the message names the line the kernel refused" \
	grep -q "^$tmp/late:$late_line: instance alpha: bib add" <<<"$out"
check "it says it rolled back" grep -q "rolled back: the configuration is as it was" <<<"$out"
check_eq "timeout_udp is 200 again" 200 "$(cat $CFS/alpha/timeout_udp)"
check "the configuration is as before" cmp "$tmp/saved" <("$NAT64" save)
check_eq "no instance stopped or started" "$starts" \
	"$(dmesg | grep -c 'nat64: instance')"
check "the client's mapping is still there" \
	bash -c "$NAT64 -i alpha bib show | grep -qE '^udp +2001:db8::5#5000 .*dynamic\$'"

log "the tool's settings table is the kernel's"
check "settings table: a fresh instance has the tool's defaults" \
	bash -c "$NAT64 instance add fresh && $NAT64 -i fresh settings show | awk 'NR > 1 && \$2 != \$3 { print; bad = 1 } END { exit bad }'"
bounds()
{
	local name min max rc=0

	while read -r name min max; do
		if (( min > 0 )); then
			echo $((min - 1)) > "$CFS/fresh/$name" 2>/dev/null &&
				{ echo "$name: $((min - 1)) accepted"; rc=1; }
		fi
		echo "$min" > "$CFS/fresh/$name" || { echo "$name: $min refused"; rc=1; }
		echo "$max" > "$CFS/fresh/$name" || { echo "$name: $max refused"; rc=1; }
		echo $((max + 1)) > "$CFS/fresh/$name" 2>/dev/null &&
			{ echo "$name: $((max + 1)) accepted"; rc=1; }
	done < <("$NAT64" settings help 2>&1 | sed -nE 's/^  ([a-z_0-9]+) +([0-9]+)-([0-9]+),.*/\1 \2 \3/p')
	return $rc
}
check "settings table: the kernel's bounds, each setting" bounds
# Every setting configfs has (all but netns, pool6, enabled and pool4).
n_settings=$(ls "$CFS/fresh" | grep -cvxE 'netns|pool6|enabled|pool4')
check_eq "settings help lists all $n_settings configfs has" "$n_settings" \
	"$("$NAT64" settings help 2>&1 | grep -cE '^  [a-z_0-9]+ +[0-9]+-[0-9]+, [0-9]+$')"

log "flush: what the service's ExecStop does"
check "nat64 flush" "$NAT64" flush
check_eq "no instance left" "" "$(ls "$CFS")"
check "nat64 -f puts it all back" "$NAT64" -f "$tmp/saved"
check "and save prints it again" cmp "$tmp/saved" <("$NAT64" save)
check "flush again" "$NAT64" flush

log "the instance the module parameters make"
# It can be disabled, not removed; a file names it like any other, and
# applying one adjusts it rather than making a new one.
modprobe -r nat64
nat64_load "$nsA" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load with pool6= and pool4=" false; exit $ret; }
"$NAT64" save > "$tmp/builtin"
check "save names it, in its namespace, with its pool4" diff -u - "$tmp/builtin" <<EOF_
# nat64 configuration (nat64 save); apply with: nat64 -f FILE
# "flush" makes the file the whole configuration: what it does not
# name is removed.
flush

instance add default netns $nsA pool6 64:ff9b::/96 enable
-i default pool4 add 192.0.2.2/32 ports 61001-65535
EOF_
starts=$(dmesg | grep -c 'nat64: instance')
check "nat64 -f of it" "$NAT64" -f "$tmp/builtin"
check_eq "... restarted nothing" "$starts" "$(dmesg | grep -c 'nat64: instance')"
check "a file without it: applied" bash -c "echo flush | $NAT64 -f -"
check_eq "it is disabled, not removed" 0 "$(cat $CFS/default/enabled)"
check "save says so" grep -qx "instance add default netns $nsA pool6 64:ff9b::/96" \
	<("$NAT64" save)
check "the first file again" "$NAT64" -f "$tmp/builtin"
check "it runs again, with its pool4" cmp "$tmp/builtin" <("$NAT64" save)
check "its entries are the module's (no new directory)" \
	test "$(ls $CFS/default/pool4 | wc -l)" -eq 3
check "instance del default: disabled" "$NAT64" instance del default
check_eq "... and still there" 0 "$(cat $CFS/default/enabled)"

rm -rf "$tmp"
exit $ret
