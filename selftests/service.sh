#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# packaging/nat64.service, as "make install" fills it in: systemd
# accepts it (systemd-analyze verify: its commands exist, its man pages
# are found), and its command lines, run as systemd would, do what the
# unit says: ExecStartPre loads the module, ExecStart applies the file,
# ExecReload of an unchanged file restarts nothing, ExecReload of an
# edited one applies the change, ExecStop flushes so the module unloads.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd systemd-analyze modprobe dmesg
NAT64=$REPO_DIR/tools/nat64/nat64
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"

tmp=$(mktemp -d)
conf=$tmp/nat64.conf
unit=$tmp/nat64.service
# As make install does, the tool being the built one, the file ours.
sed -e "s|@SBINDIR@|$REPO_DIR/tools/nat64|g" -e "s|/etc/nat64.conf|$conf|g" \
	"$REPO_DIR/packaging/nat64.service" > "$unit"
mkdir -p "$tmp/man/man8" "$tmp/man/man5"
cp "$REPO_DIR/Documentation/nat64.8" "$tmp/man/man8/"
cp "$REPO_DIR/Documentation/nat64.conf.5" "$tmp/man/man5/"
check "systemd-analyze verify" env MANPATH="$tmp/man" systemd-analyze verify "$unit"

# service_run KEY: the unit's KEY= command line, run as systemd would.
service_run()
{
	local line

	line=$(sed -n "s/^$1=//p" "$unit")
	[[ -n $line ]] || { echo "no $1= in the unit"; return 1; }
	eval "$line"
}
check_eq "the unit is a oneshot that stays active" "oneshot yes" \
	"$(sed -n 's/^Type=//p; s/^RemainAfterExit=//p' "$unit" | xargs)"
check_eq "the condition names the file" "$conf" \
	"$(sed -n 's/^ConditionPathExists=//p' "$unit")"

setup_ns nsA || skip "cannot make namespaces"
cat > "$conf" <<EOF_
flush
instance add svc netns $nsA pool6 64:ff9b::/96 enable
-i svc pool4 add 192.0.2.2/32 ports 61001-65535
-i svc settings set timeout_udp 200
EOF_
modprobe -r nat64 2>/dev/null
check "ExecStartPre loads the module" service_run ExecStartPre
NAT64_LOADED=1
check "ExecStart applies the file" service_run ExecStart
check "the instance runs" grep -qx "instance add svc netns $nsA pool6 64:ff9b::/96 enable" \
	<("$NAT64" save)
starts=$(dmesg | grep -c 'nat64: instance')
check "ExecReload, the file unchanged" service_run ExecReload
check_eq "... restarted nothing" "$starts" "$(dmesg | grep -c 'nat64: instance')"
sed -i 's/timeout_udp 200/timeout_udp 250/' "$conf"
check "ExecReload, the file edited" service_run ExecReload
check_eq "... applied the change" 250 \
	"$(cat /sys/kernel/config/nat64/svc/timeout_udp)"
check_eq "... and restarted nothing" "$starts" "$(dmesg | grep -c 'nat64: instance')"
check "ExecStop flushes" service_run ExecStop
check "the module can be unloaded then" modprobe -r nat64
modprobe nat64

rm -rf "$tmp"
exit $ret
