#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: the seeds' "Stateful Run", shown step by step inside the VM,
# then what users of an IPv6-only network really do: type a name. IPv6
# node a6 pings the IPv4 node v4 at 64:ff9b::192.0.2.5 through the
# translator N, which masks it behind pool4 192.0.2.2; then the DNS64
# resolver r6 (unbound) turns ipv4only.example, a name with only an A
# record, into an AAAA record in pool6, and curl on a6 fetches a page by
# that name from the IPv4-only web server on v4.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd unbound dig curl python3
# The tool as built here, if it is (make demo builds it).
[[ -x $REPO_DIR/tools/nat64/nat64 ]] && PATH=$REPO_DIR/tools/nat64:$PATH
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }
# on NODE NS COMMAND...: COMMAND as typed on NODE, run in its namespace.
on() { printf '%s# %s\n' "$1" "${*:3}"; ip netns exec "$2" "${@:3}"; }

step "The sample network (every node is a network namespace)"
cat <<'PICTURE'
   a6 2001:db8::5  --+                        +-- v4 192.0.2.5 (web server)
   c6 2001:db8::7  --|-- N (the translator) --|
   r6 2001:db8::53 --+   2001:db8::1          +-- z4 192.0.2.9
   (DNS64 resolver)      192.0.2.1, 192.0.2.2 (pool4)
PICTURE
setup_sample_network && setup_ns nsR && plug "$sw6" "$nsR" eth0 ||
	{ echo "cannot build the sample network"; exit 1; }
ip -n "$nsR" addr add 2001:db8::53/96 dev eth0
tmp=$(mktemp -d)
trap 'cleanup_all; rm -rf "$tmp"' EXIT

step "On N: load the translator"
# The VM loaded the module without parameters; load it again, with them.
modprobe -r nat64 2>/dev/null
show ip netns exec "$nsN" modprobe nat64 pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	exit 1
NAT64_LOADED=1
dmesg | grep 'nat64: instance' | tail -n 1

step "On a6: ping6 64:ff9b::192.0.2.5"
on a6 "$nsA" ping -6 -c 2 -i 0.5 64:ff9b::192.0.2.5
ping_rc=$?

step "On v4: who pinged? (tcpdump sees the translated packets)"
if command -v tcpdump >/dev/null; then
	ip netns exec "$nsV" timeout 5 tcpdump -n -l -c 2 -i eth0 icmp 2>/dev/null &
	sleep 1.5
	ip netns exec "$nsA" ping -6 -c 1 -W 2 64:ff9b::192.0.2.5 >/dev/null
	wait
fi

step "On r6: unbound, a DNS64 resolver whose prefix is N's pool6"
dns64_start "$nsR" 2001:db8::53 "$(cat /sys/kernel/config/nat64/default/pool6)" "$tmp" ||
	{ echo "unbound does not start"; exit 1; }
conf_lines='module-config|dns64-prefix|auth-zone|^\s*name:|for-'
echo "r6# grep -E '$conf_lines' unbound.conf"
grep -E "$conf_lines" "$tmp/unbound.conf"
echo "r6# grep ipv4only example.zone"
grep ipv4only "$tmp/example.zone"

step "On a6: the name has only an A record; r6 synthesizes the AAAA"
on a6 "$nsA" dig +noall +answer @2001:db8::53 A ipv4only.example
on a6 "$nsA" dig +noall +answer @2001:db8::53 AAAA ipv4only.example

step "On a6: curl http://ipv4only.example/ (v4 runs python3 -m http.server)"
mkdir "$tmp/www"
echo "Hello from v4 (192.0.2.5), a web server with no IPv6 at all." > "$tmp/www/index.html"
http_serve "$nsV" 192.0.2.5 80 "$tmp/www" || { echo "http.server does not start"; exit 1; }
# a6's resolv.conf names r6 (see resolving in lib.sh).
echo "a6# cat /etc/resolv.conf"
resolving "$nsA" 2001:db8::53 cat /etc/resolv.conf
echo "a6# curl -sS -w '(connected to %{remote_ip})\n' http://ipv4only.example/"
page=$(resolving "$nsA" 2001:db8::53 curl -sS --max-time 30 \
	-w '(connected to %{remote_ip})\n' http://ipv4only.example/)
echo "$page"
grep -q '^Hello from v4' <<<"$page"
curl_rc=$?

step "On N: the BIB (IPv6 transport address <-> pool4 transport address)"
if command -v nat64 >/dev/null; then
	on N "$nsN" nat64 bib show
else
	show cat /sys/kernel/debug/nat64/default/bib
fi
step "On N: the sessions (the ping, and curl's TCP connection)"
if command -v nat64 >/dev/null; then
	on N "$nsN" nat64 session show
else
	show cat /sys/kernel/debug/nat64/default/sessions
fi
step "On N: the counters"
show cat /sys/kernel/debug/nat64/default/stats

step "On N: stop the translator"
show modprobe -r nat64 && NAT64_LOADED=
if [[ $ping_rc -eq 0 && $curl_rc -eq 0 ]]; then
	echo; echo "Demo complete: ping6 went through the translator, and a name with"
	echo "only an A record was resolved by DNS64 and fetched over TCP."
	exit 0
fi
echo; echo "Demo FAILED: ping6 (status $ping_rc) or curl by name (status $curl_rc)."
exit 1
