#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the translator guards (issue 14), through a tap device and veth
# (exposure.py):
#  - 64:ff9b::127.0.0.1 does not reach the translator's sockets on
#    127.0.0.1; 64:ff9b::192.0.2.2 on a port outside pool4 does not reach
#    its own service there;
#  - 64:ff9b::255.255.255.255, ::192.0.2.255, multicast, 0/8, 169.254/16,
#    240/4 and its own non-pool4 address are not sent out on the IPv4
#    side, and IPv4 packets from such sources to a mapping are dropped,
#    each counted under drop_forbidden_address;
#  - a remote translated to before the translator takes it as an address
#    of its own is refused while it is one, and translated to again once
#    it is given back (the per-CPU answers of scope.c follow the routes);
#  - hairpinning still works: UDP, a static TCP entry whose port is
#    outside pool4's range, ICMP echo.
# And the control plane:
#  - an unprivileged user gets EPERM, with a clear message, for bib,
#    session and stats show and monitor, and for a raw genetlink dump and
#    a join of the events group; root of a fresh user namespace sees no
#    instance;
#  - the configfs netns attribute refuses a FIFO (without blocking), a
#    device, a regular file, a directory and a UTS namespace file, and
#    changes nothing.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip modprobe setpriv unshare timeout mkfifo
require_scapy
require_tun
NAT64=$REPO_DIR/tools/nat64/nat64
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"
CFS=/sys/kernel/config/nat64

setup_ns nsN nsP || skip "cannot make namespaces"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
check "static BIB entry tcp 2001:db8::7#8080 <-> 192.0.2.2#80" \
	ip netns exec "$nsN" "$NAT64" bib add tcp 2001:db8::7#8080 192.0.2.2#80
py_test "exposure.py ran to the end" "$SELFTESTS_DIR/exposure.py" \
	--ns "$nsN" --kinds "$LINK_KINDS" --peer-ns "$nsP"

log "an unprivileged user"
nobody()
{
	ip netns exec "$nsN" setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$@"
}
for cmd in "bib show" "session show" "stats show" "monitor"; do
	# shellcheck disable=SC2086
	out=$(nobody timeout 5 "$NAT64" $cmd 2>&1)
	rc=$?
	echo "nat64 $cmd: $out" | head -n 2
	check "nobody: nat64 $cmd fails" test "$rc" -ne 0 -a "$rc" -ne 124
	check "nobody: nat64 $cmd says EPERM" \
		grep -qiE 'not permitted|CAP_NET_ADMIN' <<<"$out"
done
out=$(nobody "$PY_SCAPY" "$SELFTESTS_DIR/genl_perm.py" 2>&1)
echo "$out"
for what in "bib dump" "session dump" "stats get" "instance dump" \
	    "events join (setsockopt)"; do
	check_eq "nobody: raw genetlink $what" "$what: EPERM" \
		"$(grep -F "$what:" <<<"$out")"
done
if grep -q '^events join (bind): [A-Z]' <<<"$out"; then
	check_eq "nobody: raw genetlink events join (bind)" \
		"events join (bind): EPERM" "$(grep -F 'events join (bind):' <<<"$out")"
fi
out=$(ip netns exec "$nsN" "$PY_SCAPY" "$SELFTESTS_DIR/genl_perm.py" 2>&1)
check "root: the same dumps and join succeed" \
	test "$(grep -c ': OK$' <<<"$out")" -ge 5

log "root of a fresh user namespace"
out=$(ip netns exec "$nsN" unshare -U -r "$NAT64" bib show 2>&1)
echo "in the translator's netns: $out" | head -n 2
check "userns root, the translator's netns: bib show refused (EPERM)" \
	grep -qiE 'not permitted|CAP_NET_ADMIN' <<<"$out"
out=$(unshare -U -r -n "$NAT64" -j bib show 2>&1)
echo "in a netns of its own: $out" | head -n 2
check "userns root, its own netns: no instance, no entry" \
	bash -c "! grep -q '2001:db8' <<<\"\$1\"" _ "$out"
out=$(unshare -U -r -n "$NAT64" -j instance show 2>&1)
check "userns root, its own netns: lists no instance" \
	bash -c "! grep -q 'default' <<<\"\$1\"" _ "$out"

log "the configfs netns attribute takes namespace files only"
tmp=$(mktemp -d)
mkfifo "$tmp/fifo"
echo data > "$tmp/file"
mkdir "$tmp/dir"
check "mkdir an instance to write to" mkdir "$CFS/probe"
ip netns add "exposure-$$" && NS_LIST+=("exposure-$$")
echo "/run/netns/exposure-$$" > "$CFS/probe/netns"
before=$(cat "$CFS/probe/netns")
for target in "$tmp/fifo" /dev/zero "$tmp/file" "$tmp/dir" /proc/self/ns/uts \
	      "$tmp/missing"; do
	start=$(date +%s%N)
	# bash itself writes: the write(2)'s error is the attribute's.
	err=$(timeout 5 bash -c 'echo "$1" > "$2"' _ "$target" \
		"$CFS/probe/netns" 2>&1)
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "netns <- $target: ${err##*: } (${ms} ms)"
	check "netns <- $target: EINVAL or ENOENT, at once" \
		bash -c "[[ $rc -ne 124 && '${err##*: }' =~ ^(Invalid\ argument|No\ such\ file\ or\ directory)$ ]]"
	check_eq "netns <- $target: unchanged" "$before" "$(cat "$CFS/probe/netns")"
done
rmdir "$CFS/probe"
rm -rf "$tmp"
log "$(basename "$0"): ${SECONDS} s"
exit $ret
