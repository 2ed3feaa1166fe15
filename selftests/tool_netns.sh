#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The tool where operators stand (issue 15, item 4): inside "ip netns
# exec", where /sys/kernel/config is not mounted, and in a mount
# namespace without configfs, nat64 mounts configfs privately and works,
# leaving no mount behind; a command without -i means the instance of
# the namespace it runs in; -n NETNS and -i NAME reach an instance in
# another namespace; instance and settings show everything configfs
# holds (plain and JSON) and change it; save and -f work inside a
# namespace too; each error says what to do next.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip modprobe python3 unshare umount
NAT64=$REPO_DIR/tools/nat64/nat64
CFS=/sys/kernel/config/nat64
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"

setup_ns nsA nsB || skip "cannot make namespaces"
nat64_load "$nsA" || { check "load the translator" false; exit $ret; }
mounts=$(grep -c configfs /proc/mounts)

log "inside ip netns exec: /sys/kernel/config is $(ip netns exec "$nsA" stat -f -c %T /sys/kernel/config 2>&1)"
inA() { ip netns exec "$nsA" "$NAT64" "$@"; }
check "instance add, from inside $nsA" \
	inA instance add alpha pool6 64:ff9b::/96 enable
check_eq "alpha is bound to $nsA" \
	"net:[$(stat -L -c %i "/run/netns/$nsA")]" "$(cat $CFS/alpha/netns)"
check "pool4 add without -i: the namespace's instance" \
	inA pool4 add 192.0.2.1 ports 1000-1100
check_eq "alpha has the entries" 3 "$(ls $CFS/alpha/pool4 | wc -l)"
check "settings set without -i" inA settings set timeout_udp 150
check_eq "alpha's timeout_udp" 150 "$(cat $CFS/alpha/timeout_udp)"
check "bib add without -i" inA bib add udp 2001:db8::1#1 192.0.2.1#1000
check "-n $nsA bib show lists it" \
	bash -c "$NAT64 -n $nsA bib show | grep -q '^udp .*2001:db8::1#1 .*static'"
check "-i alpha bib show, from the host's namespace, lists it" \
	bash -c "$NAT64 -i alpha bib show | grep -q '^udp .*2001:db8::1#1 .*static'"
check "-n $nsB instance add beta" \
	"$NAT64" -n "$nsB" instance add beta pool6 2001:db8:64::/96 enable
check_eq "beta is bound to $nsB" \
	"net:[$(stat -L -c %i "/run/netns/$nsB")]" "$(cat $CFS/beta/netns)"
check_eq "no configfs mount left behind" "$mounts" "$(grep -c configfs /proc/mounts)"

log "a mount namespace without configfs"
out=$(unshare -m sh -c "umount /sys/kernel/config && $NAT64 instance show alpha" 2>&1)
check "instance show alpha works there" grep -q "^instance alpha" <<<"$out"
check_eq "still mounted here" "$mounts" "$(grep -c configfs /proc/mounts)"

log "instance and settings show everything configfs holds"
"$NAT64" instance show
check "instance show -j: every attribute, pool4 entries, netns name, counts" \
	python3 -c '
import json, os, sys
cfs = "/sys/kernel/config/nat64/alpha"
inst = {i["name"]: i for i in json.loads(sys.argv[1])}
a = inst["alpha"]
for attr in os.listdir(cfs):
    if attr != "pool4":
        assert a[attr] == open(os.path.join(cfs, attr)).read().strip(), attr
assert a["netns_name"] == sys.argv[2], a["netns_name"]
assert (a["bib_entries"], a["sessions"]) == (1, 0), a
assert len(a["pool4"]) == 3
for e in a["pool4"]:
    d = os.path.join(cfs, "pool4", e["name"])
    for attr in os.listdir(d):
        assert e[attr] == open(os.path.join(d, attr)).read().strip(), attr
assert set(inst) == {"alpha", "beta"}' "$("$NAT64" -j instance show)" "$nsA"
check "settings show -j: the values configfs has" python3 -c '
import json, os, sys
s = json.loads(sys.argv[1])
d = "/sys/kernel/config/nat64/alpha/"
settings = set(os.listdir(d)) - {"netns", "pool6", "enabled", "pool4"}
assert s["timeout_udp"] == 150 and set(s) == settings, set(s) ^ settings
for k, v in s.items():
    assert str(v) == open("/sys/kernel/config/nat64/alpha/" + k).read().strip(), k
' "$("$NAT64" -j -i alpha settings show)"
out=$(unshare -U -r -n "$NAT64" -j instance show 2>&1)
check_eq "root of a fresh user and network namespace sees no instance" "[]" "$out"

log "save and -f inside a namespace"
"$NAT64" instance add gamma pool6 64:ff9b:9::/96
out=$(inA save)
check "save inside $nsA names the host's namespace as pid 1's" \
	grep -qx "instance add gamma netns /proc/1/ns/net pool6 64:ff9b:9::/96" <<<"$out"
check "... and alpha's as the one it runs in" \
	grep -qx "instance add alpha pool6 64:ff9b::/96 enable" <<<"$out"
check "-f of it inside $nsA changes nothing" bash -c \
	"ip netns exec $nsA $NAT64 -f - <<<\"\$1\" && ip netns exec $nsA $NAT64 save | cmp - <(echo \"\$1\")" _ "$out"
check_eq "gamma stayed in the host's namespace" \
	"net:[$(stat -L -c %i /proc/1/ns/net)]" "$(cat $CFS/gamma/netns)"
"$NAT64" instance del gamma

log "each error says what to do next"
err_says()
{
	local want=$1 out

	shift
	out=$("$@" 2>&1) && { echo "succeeded: $out"; return 1; }
	echo "$out" | head -n 2
	grep -qF -- "$want" <<<"$out"
}
check "no such instance: how to make it" \
	err_says "nat64 instance add nosuch" "$NAT64" -i nosuch pool4 show
check "pool6 of a running instance: disable first" \
	err_says "put 'disable' before pool6" "$NAT64" instance set alpha pool6 64:ff9b:1::/96
check_eq "pool6 unchanged" 64:ff9b::/96 "$(cat $CFS/alpha/pool6)"
check "set's words in order: disable, pool6, enable" \
	"$NAT64" instance set alpha disable pool6 64:ff9b:1::/96 enable
check_eq "pool6 changed, running" "64:ff9b:1::/96 1" \
	"$(cat $CFS/alpha/pool6 $CFS/alpha/enabled | xargs)"
check "a setting out of range: the range" \
	err_says "from 1 to 604800" "$NAT64" -i alpha settings set timeout_udp 0
check_eq "timeout_udp unchanged" 150 "$(cat $CFS/alpha/timeout_udp)"
check "an unknown setting: where the list is" \
	err_says "nat64 settings help" "$NAT64" -i alpha settings set timeout_ufo 1
check "a name too long" \
	err_says "1 to 15 characters" "$NAT64" instance add much-too-long-name
check "a second running instance in $nsA: one per namespace" \
	err_says "one per namespace" inA instance add alpha2 pool6 64:ff9b::/96 enable
check "... and the half-made instance is gone" test ! -e $CFS/alpha2
check "-n of a namespace that is not there" \
	err_says "ip netns list" "$NAT64" -n nosuch-$$ instance show
check "instance del alpha" "$NAT64" instance del alpha
check "instance del again: where the list is" \
	err_says "nat64 instance show" "$NAT64" instance del alpha
check "instance del beta" "$NAT64" instance del beta
check "modprobe -r nat64" modprobe -r nat64
check "no module: load it" err_says "modprobe nat64" "$NAT64" instance show
check "modprobe nat64" modprobe nat64

log "bash completion"
complete_words()
{
	# shellcheck source=/dev/null
	source "$REPO_DIR/tools/nat64/completion/nat64"
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_nat64
	echo "${COMPREPLY[*]}"
}
check_eq "objects starting with s" "session stats settings save" \
	"$(complete_words nat64 s)"
check_eq "instance commands" "show add set del" \
	"$(complete_words nat64 instance '')"
check_eq "settings names" "timeout_udp timeout_tcp_est timeout_tcp_trans timeout_icmp" \
	"$(complete_words nat64 settings set timeout)"

exit $ret
