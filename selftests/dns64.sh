#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DNS64 (RFC 6147) in front of the translator, with Debian's unbound: on
# the seeds' sample network, an IPv6-only resolver r6 (2001:db8::53)
# synthesizes AAAA records from the instance's pool6 for a name that has
# only an A record, and an IPv6-only client fetches a page by that name
# from an IPv4-only web server, through the translator. Then the same
# with a network-specific /64 pool6, where unbound's RFC 6052 encoding
# (the "u" octet skipped) must agree with the translator's.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip modprobe unbound dig curl getent unshare python3

NAT64=$REPO_DIR/tools/nat64/nat64
INSTANCE=/sys/kernel/config/nat64/default

setup_sample_network || skip "cannot build the sample network"
setup_ns nsR && plug "$sw6" "$nsR" eth0 || skip "cannot add the resolver r6"
ip -n "$nsR" addr add 2001:db8::53/96 dev eth0
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
tmp=$(mktemp -d)
trap 'cleanup_all; rm -rf "$tmp"' EXIT

# ask TYPE NAME: what r6 answers, one record a line.
ask() { ip netns exec "$nsA" dig +short +time=5 +tries=2 @2001:db8::53 "$1" "$2"; }

token="ipv4only page $RANDOM$RANDOM"
mkdir "$tmp/www"
echo "$token" > "$tmp/www/index.html"
http_serve "$nsV" 192.0.2.5 80 "$tmp/www" || skip "http.server does not start on v4"

# fetch: curl on a6 by name; prints the page, then the address it used.
fetch()
{
	resolving "$nsA" 2001:db8::53 curl -sS --max-time 30 \
		-w '%{remote_ip}\n' http://ipv4only.example/
}

pool6=$(cat "$INSTANCE/pool6")
log "r6: unbound, DNS64 with the instance's pool6 $pool6"
dns64_start "$nsR" 2001:db8::53 "$pool6" "$tmp" ||
	{ check "unbound starts on r6" false; exit $ret; }

check_eq "AAAA ipv4only.example is synthesized from pool6" \
	64:ff9b::c000:205 "$(ask AAAA ipv4only.example)"
check_eq "A ipv4only.example is the zone's, untouched" \
	192.0.2.5 "$(ask A ipv4only.example)"
check_eq "AAAA dual.example is its own AAAA, nothing synthesized" \
	2001:db8::7 "$(ask AAAA dual.example)"
check_eq "a6's system resolver (getent ahostsv6) sees the synthesized AAAA" \
	64:ff9b::c000:205 \
	"$(resolving "$nsA" 2001:db8::53 getent ahostsv6 ipv4only.example |
		awk '$2 == "STREAM" { print $1 }')"

log "a6: curl http://ipv4only.example/"
out=$(fetch)
echo "$out"
check_eq "a6 gets v4's page by name" "$token" "$(head -n 1 <<<"$out")"
check_eq "curl connected to the synthesized address" \
	64:ff9b::c000:205 "$(tail -n 1 <<<"$out")"
sessions=$(nat64_debugfs sessions)
check "a TCP session a6 <-> 192.0.2.5#80 exists (debugfs)" grep -q \
	'^TCP 2001:db8::5#[0-9]* 64:ff9b::c000:205#80 192\.0\.2\.2#[0-9]* 192\.0\.2\.5#80 ' <<<"$sessions"
if [[ -x $NAT64 ]]; then
	# Netlink works from inside the instance's namespace.
	check "nat64 session show (netlink, in N) lists it" grep -q \
		'64:ff9b::c000:205#80' <<<"$(ip netns exec "$nsN" "$NAT64" session show proto tcp)"
	check "nat64 bib show (netlink, in N) lists a6's TCP mapping" grep -q \
		'2001:db8::5#[0-9]* *192\.0\.2\.2#' <<<"$(ip netns exec "$nsN" "$NAT64" bib show proto tcp)"
else
	log "tools/nat64/nat64 is not built (make tool): netlink views not checked"
fi

log "a network-specific /64 pool6: unbound and the translator agree on RFC 6052"
dns64_stop
echo 0 > "$INSTANCE/enabled"
echo 2001:db8:64::/64 > "$INSTANCE/pool6"
echo 1 > "$INSTANCE/enabled"
pool6=$(cat "$INSTANCE/pool6")
check_eq "pool6 is now the /64" 2001:db8:64::/64 "$pool6"
dns64_start "$nsR" 2001:db8::53 "$pool6" "$tmp" ||
	{ check "unbound restarts with $pool6" false; exit $ret; }
# 192.0.2.5 in a /64: bits 64-71 ("u") zero, then c0, 00:02, 05, 00...
check_eq "AAAA ipv4only.example skips the u octet" \
	2001:db8:64:0:c0:2:500:0 "$(ask AAAA ipv4only.example)"
out=$(fetch)
check_eq "a6 gets v4's page through the /64" "$token" "$(head -n 1 <<<"$out")"
check_eq "curl connected to 2001:db8:64:0:c0:2:500:0" \
	2001:db8:64:0:c0:2:500:0 "$(tail -n 1 <<<"$out")"
check "the session shows the /64 address of 192.0.2.5" grep -q \
	'^TCP 2001:db8::5#[0-9]* 2001:db8:64:0:c0:2:500:0#80 192\.0\.2\.2#[0-9]* 192\.0\.2\.5#80 ' \
	<<<"$(nat64_debugfs sessions)"

exit $ret
