#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mapping logs into real collectors: `nat64 monitor ipfix` towards
# nfdump's nfcapd (Debian's 1.7.1), and `nat64 monitor syslog` to stdout
# and over UDP. nfcapd 1.7.1 decodes natEvent, the addresses, ports and
# times of RFC 8158's records but drops portRangeStart/End in IPFIX (its
# IPFIX table has no port block elements), so every datagram is also
# captured and decoded by Wireshark's IPFIX dissector (tshark), which
# knows all of IANA's elements: it checks the port ranges, the templates'
# resending and the sequence numbers.
#
#   a6 (2001:db8::5) --+                  +-- v4 (192.0.2.5): servers
#                      +-- sw6 -- N -- sw4 +
#   c6 (2001:db8::7) --+                  +-- z4 (192.0.2.9): nfcapd
#   c6: syslog over UDP    N: nat64 monitor ipfix | syslog
#
# ipfix.sh          BIB and session records, syslog, and synthetic block
#                   records (the encoder against both decoders)
# ipfix.sh blocks   the kernel's port block events (ipfix_blocks.sh)

source "$(dirname "$0")/lib.sh"

mode=${1:-mappings}
require_root
require_cmd ip python3 modprobe nfcapd nfdump tshark tcpdump

here=$(cd "$(dirname "$0")" && pwd)
NAT64=$here/../tools/nat64/nat64
UNIT=$here/../tools/nat64/tests/export_test
CFS=/sys/kernel/config/nat64/default
[[ -x $NAT64 && -x $UNIT ]] || skip "tools/nat64 is not built (make tool)"

if [[ $mode == mappings ]]; then
	log "the encoders alone (tools/nat64/tests/export_test)"
	"$UNIT" | sed 's/^/      /'
	check "export_test: parsing, IPFIX encoding, syslog lines" \
		test "${PIPESTATUS[0]}" = 0
fi

setup_sample_network || skip "cannot build the sample network"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
tmp=$(mktemp -d)
nat() { ip netns exec "$nsN" "$NAT64" "$@"; }

if [[ $mode == blocks ]]; then
	# a6 and c6 share 2001:db8::/64: one subscriber each, by /128.
	echo 128 > "$CFS/subscriber_prefix_len"
	echo 1 > "$CFS/block_hold_time"
	nat pool4 flush
	check "pool4 add 192.0.2.2 block-size 64 max-blocks 2" \
		nat pool4 add 192.0.2.2 block-size 64 max-blocks 2
	nat pool4 show
fi

log "collectors: nfcapd and a capture on z4, a syslog receiver on c6"
mkdir -p "$tmp/flows"
ip netns exec "$nsZ" nfcapd -w "$tmp/flows" -b 192.0.2.9 -p 4739 -t 3600 \
	>"$tmp/nfcapd.log" 2>&1 &
nfcapd_pid=$!
wait_listen "$nsZ" udp 4739 || busywait 60000 bash -c \
	"ip netns exec $nsZ ss -H -lnu 'sport = :4739' | grep -q ." ||
	{ check "nfcapd listens" false; cat "$tmp/nfcapd.log"; exit $ret; }
ip netns exec "$nsZ" tcpdump -n -i eth0 -U -w "$tmp/ipfix.pcap" \
	udp port 4739 2>"$tmp/tcpdump.log" &
tcpdump_pid=$!
busywait 30000 grep -q "listening on" "$tmp/tcpdump.log" ||
	{ check "tcpdump captures" false; exit $ret; }
ip netns exec "$nsC" python3 -u -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("2001:db8::7", 5514))
out = open(sys.argv[1], "w")
while True:
    data = s.recv(4096)
    out.write(data.decode() + "\n"); out.flush()' "$tmp/syslog-udp.txt" &
wait_listen "$nsC" udp 5514 || { check "the syslog receiver listens" false; exit $ret; }

log "exporters in N"
ip netns exec "$nsN" "$NAT64" monitor ipfix 192.0.2.9:4739 domain 7 \
	template-interval 3 2>"$tmp/ipfix.err" &
ipfix_pid=$!
ip netns exec "$nsN" "$NAT64" monitor syslog >"$tmp/syslog.txt" \
	2>"$tmp/syslog.err" &
syslog_pid=$!
ip netns exec "$nsN" "$NAT64" monitor syslog '[2001:db8::7]:5514' \
	2>"$tmp/syslog-udp.err" &
syslog_udp_pid=$!
check "syslog: an IPv6 HOST:PORT without brackets is refused" \
	bash -c "ip netns exec $nsN $NAT64 monitor syslog 2001:db8::7:5514 2>&1 | grep -q 'expected HOST:PORT'"
check "ipfix: template-interval 0 is refused" \
	fails nat monitor ipfix 192.0.2.9:4739 template-interval 0

# Ready once a probe's events reach both syslog outputs (the exporters
# joined the events group: there is nothing else to wait on).
probe()
{
	ip netns exec "$nsC" ping -c 1 -W 1 64:ff9b::192.0.2.5 >/dev/null
	grep -q 'proto="icmp"' "$tmp/syslog.txt" &&
		grep -q 'proto="icmp"' "$tmp/syslog-udp.txt"
}
check "the exporters see events" busywait 60000 probe

udp()
{
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
s.sendto(b"x", ("64:ff9b::192.0.2.5", int(sys.argv[2])))' "$2" "$3"
}

if [[ $mode == mappings ]]; then
	echo 10 > "$CFS/timeout_udp"
	log "traffic: a6 UDP 5000 -> v4#7000, a6 TCP 5001 -> v4#8080"
	ip netns exec "$nsV" python3 -c '
import socket
s = socket.socket(); s.bind(("192.0.2.5", 8080)); s.listen()
c, _ = s.accept(); c.recv(10); c.close()' &
	wait_listen "$nsV" tcp 8080
	udp "$nsA" 5000 7000
	ip netns exec "$nsA" python3 -c '
import socket
s = socket.socket(socket.AF_INET6); s.bind(("::", 5001))
s.connect(("64:ff9b::192.0.2.5", 8080)); s.send(b"x")'
	nat -j bib show > "$tmp/bib.json"
	cat "$tmp/bib.json"
	check "the UDP session expires (syslog: session-del, bib-del)" \
		busywait 60000 bash -c "grep 'event=\"bib-del\"' $tmp/syslog.txt | grep -q 'port6=\"5000\"'"
else
	log "traffic: a6 and c6, UDP, one block each"
	echo 10 > "$CFS/timeout_udp"
	udp "$nsA" 5000 7000
	udp "$nsC" 5000 7000
	nat -j bib show > "$tmp/bib.json"
	cat "$tmp/bib.json"
	nat block show
	check "both blocks return after expiry (syslog: block-free x2)" \
		busywait 120000 bash -c "test \$(grep -c 'event=\"block-free\"' $tmp/syslog.txt) -ge 2"
fi

# Two template messages at least (140 bytes each) before the end.
check "the templates are resent (template-interval 3)" \
	busywait 30000 bash -c "test \$(tcpdump -r $tmp/ipfix.pcap 2>/dev/null | grep -c 'length 140') -ge 2"
if [[ $mode == mappings ]]; then
	log "synthetic block records, through the same encoder"
	check "export_test send: block alloc/free, a BIB entry, a session" \
		ip netns exec "$nsN" "$UNIT" send 192.0.2.9:4739
fi

log "stop the exporters (they flush), then the collectors"
kill -TERM "$ipfix_pid" "$syslog_pid" "$syslog_udp_pid"
wait "$ipfix_pid"
check_eq "monitor ipfix exits 0 on SIGTERM" 0 $?
wait "$syslog_pid" "$syslog_udp_pid"
cat "$tmp/ipfix.err" "$tmp/syslog.err"
check "monitor ipfix: no event lost" grep -q ' 0 overflows' "$tmp/ipfix.err"
busywait 10000 bash -c "test \$(wc -l < $tmp/syslog-udp.txt) -ge \$(wc -l < $tmp/syslog.txt)"
# tcpdump drops what it has not read yet when told to stop: let the
# capture stop growing first (export_test's datagrams come last).
captured() { tcpdump -r "$tmp/ipfix.pcap" 2>/dev/null | wc -l; }
for _ in $(seq 1 20); do
	before=$(captured)
	sleep 0.5
	[[ $(captured) == "$before" ]] && break
done
[[ $mode == mappings ]] && busywait 20000 bash -c "tshark -r $tmp/ipfix.pcap \
	-d udp.port==4739,cflow -Y cflow.port_range_start 2>/dev/null | grep -q ."
kill -TERM "$tcpdump_pid" "$nfcapd_pid"
wait "$tcpdump_pid" "$nfcapd_pid"
nfdump -R "$tmp/flows" -o json > "$tmp/nfdump.json" 2>"$tmp/nfdump.err"
check "nfdump reads what nfcapd stored" python3 -c '
import json, sys; json.load(open(sys.argv[1]))' "$tmp/nfdump.json"
tshark -r "$tmp/ipfix.pcap" -d udp.port==4739,cflow -T json \
	-e frame.number -e cflow.od_id -e cflow.sequence -e cflow.template_id \
	-e cflow.nat_event -e cflow.protocol -e cflow.srcaddrv6 \
	-e cflow.srcport -e cflow.srcnet -e cflow.srcmaskv6 \
	-e cflow.post_natsource_ipv4_address \
	-e cflow.post_naptsource_transport_port \
	-e cflow.port_range_start -e cflow.port_range_end \
	> "$tmp/tshark.json" 2>"$tmp/tshark.err"
check "tshark decodes the capture" python3 -c '
import json, sys; json.load(open(sys.argv[1]))' "$tmp/tshark.json"

# Every check on the decoded records; prints TEST lines, exit 1 if one failed.
py_check()
{
	python3 - "$mode" "$tmp" <<'PY'
import json, re, sys, time
mode, tmp = sys.argv[1], sys.argv[2]
failed = 0
def check(desc, cond, detail=""):
    global failed
    print("TEST: %-60s [%s]" % (desc, " OK " if cond else "FAIL"))
    if not cond:
        failed = 1
        if detail:
            print("      %s" % detail)

bib_rows = json.load(open(tmp + "/bib.json"))
bib = {(r["proto"], r["port6"]): r for r in bib_rows if r["addr6"] == "2001:db8::5"}
nf = json.load(open(tmp + "/nfdump.json"))
ts = [p["_source"]["layers"] for p in json.load(open(tmp + "/tshark.json"))]

# export_test send's synthetic records carry its fixed time: not ours.
SYNTH_T = "2026-12-02T10:11:12.123"
def nf_find(event, proto, port6=None, src6=None):
    return [r for r in nf if int(r.get("nat_event_id", -1)) == event and
            not r.get("t_event", "").startswith(SYNTH_T) and
            r["proto"] == proto and
            (port6 is None or r.get("src_port") == port6) and
            (src6 is None or r.get("src6_addr") == src6)]

# RFC 7011 sequence numbers: each data message's is the count of data
# records sent before it (templates carry no records).
# export_test's synthetic records come from another exporter (domain 1).
ours = [f for f in ts if f.get("cflow.od_id", [""])[0] == "7"]
seq_ok, count, templates = True, 0, 0
for f in ours:
    if "cflow.template_id" in f:
        templates += 1
    n = len(f.get("cflow.nat_event", []))
    if n:
        seq_ok &= int(f["cflow.sequence"][0]) == count
        count += n
check("tshark: sequence numbers count the data records before", seq_ok and count > 0)
check("tshark: >= 2 template messages", templates >= 2, str(templates))
check("tshark: observation domain 7", ours and all(f["cflow.od_id"] == ["7"] for f in ours))

# syslog: RFC 5424 lines, SD-PARAMs as expected
line_re = re.compile(r'^<134>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) (\S+) nat64 - (BIB|SESSION|BLOCK|FLUSH) \[nat64@32473((?: [a-z_0-9]+="(?:[^"\\\]]|\\.)*")+)\]$')
param_re = re.compile(r' ([a-z_0-9]+)="((?:[^"\\\]]|\\.)*)"')
events = []
lines = open(tmp + "/syslog.txt").read().splitlines()
bad = [l for l in lines if not line_re.match(l)]
check("syslog: every line is RFC 5424 with our SD-ID", lines and not bad, bad[:2])
for l in lines:
    m = line_re.match(l)
    if m:
        t = time.mktime(time.strptime(m.group(1)[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        events.append((t, m.group(3), dict(param_re.findall(m.group(4)))))
check("syslog: times are now (UTC)", all(abs(t - time.time()) < 600 for t, _, _ in events))
udp_lines = open(tmp + "/syslog-udp.txt").read().splitlines()
check("syslog over UDP to [2001:db8::7]:5514: the same messages",
      sorted(udp_lines) == sorted(lines), "%d vs %d" % (len(udp_lines), len(lines)))
def sl(event, **kw):
    return [p for _, _, p in events if p["event"] == event and
            all(p.get(k) == str(v) for k, v in kw.items())]

if mode == "mappings":
    u, t = bib.get(("udp", 5000)), bib.get(("tcp", 5001))
    check("bib show: the UDP and TCP mappings", u and t)
    for proto, num, b in (("udp", 17, u), ("tcp", 6, t)):
        if not b:
            continue
        p6, p4 = b["port6"], b["port4"]
        for ev, name in ((10, "BIB create"), (6, "session create")):
            rs = nf_find(ev, num, p6, "2001:db8::5")
            ok = len(rs) == 1 and rs[0].get("src4_xlt_ip") == "192.0.2.2" and \
                int(rs[0].get("src_xlt_port", -1)) == p4
            if ev == 6 and ok:
                ok = rs[0].get("dst4_xlt_ip") == "192.0.2.5" and \
                    rs[0].get("dst6_addr") == "64:ff9b::c000:205" and \
                    rs[0]["dst_port"] == (7000 if proto == "udp" else 8080)
            check("nfcapd: %s %s 2001:db8::5#%d -> 192.0.2.2#%d" % (proto, name, p6, p4),
                  ok, rs)
        check("syslog: %s session-new with its peer" % proto,
              len(sl("session-new", proto=proto, addr6="2001:db8::5", port6=p6,
                     addr4="192.0.2.2", port4=p4, remote4="192.0.2.5",
                     remote6="64:ff9b::c000:205")) == 1)
        check("syslog: %s bib-new, dynamic" % proto,
              len(sl("bib-new", proto=proto, port6=p6, port4=p4, type="dynamic")) == 1)
    if u:
        check("nfcapd: udp session delete and BIB delete (7, 11)",
              len(nf_find(7, 17, 5000)) == 1 and len(nf_find(11, 17, 5000)) == 1)
        check("syslog: udp session-del, bib-del",
              len(sl("session-del", proto="udp", port6=5000)) == 1 and
              len(sl("bib-del", proto="udp", port6=5000)) == 1)
    # The synthetic block records (export_test send) in both decoders.
    blk = [r for r in nf if r.get("nat_event_id") in ("16", "17")]
    check("nfcapd: block alloc (16) and free (17): subscriber, address",
          sorted(r["nat_event_id"] for r in blk) == ["16", "17"] and
          all(r["src6_addr"] == "2001:db8:0:7::" and r["src_mask"] == 64 and
              r["src4_xlt_ip"] == "192.0.2.2" and r["proto"] == 6 for r in blk), blk)
    rng = [f for f in ts if "cflow.port_range_start" in f]
    check("tshark: the blocks' ports 40000-40255 and prefix /64",
          rng and rng[-1]["cflow.port_range_start"] == ["40000", "40000"] and
          rng[-1]["cflow.port_range_end"] == ["40255", "40255"] and
          "2001:db8:0:7::" in rng[-1].get("cflow.srcaddrv6", []) and
          rng[-1].get("cflow.srcmaskv6") == ["64", "64"], rng[-1:])
else:
    for client in ("2001:db8::5", "2001:db8::7"):
        # A client may have an ICMP mapping (and block) too: UDP's here.
        b = [r for r in bib_rows if r["addr6"] == client and r["proto"] == "udp"]
        allocs = sl("block-alloc", subscriber=client + "/128", addr4="192.0.2.2", proto="udp")
        check("syslog: one block-alloc for %s/128" % client, len(allocs) == 1, allocs)
        check("bib show: %s's UDP mapping" % client, len(b) == 1, bib_rows)
        if not allocs or not b:
            continue
        first, last = map(int, allocs[0]["ports"].split("-"))
        check("%s's port4 %d is inside its block %d-%d" % (client, b[0]["port4"], first, last),
              first <= b[0]["port4"] <= last and last - first + 1 == 64)
        rs = [r for r in nf if r.get("nat_event_id") == "16" and r.get("src6_addr") == client
              and r.get("proto") == 17]
        check("nfcapd: block allocation (16) for %s, 192.0.2.2" % client,
              len(rs) == 1 and rs[0]["src4_xlt_ip"] == "192.0.2.2" and rs[0]["src_mask"] == 128, rs)
        ok = False
        for f in ts:
            for i, a in enumerate(f.get("cflow.srcaddrv6", [])):
                try:
                    if a == client and f["cflow.nat_event"][i] == "16":
                        ok = (int(f["cflow.port_range_start"][i]), int(f["cflow.port_range_end"][i])) == (first, last)
                except (KeyError, IndexError):
                    pass
        check("tshark: %s's block range %d-%d" % (client, first, last), ok)
        check("nfcapd: block de-allocation (17) for %s" % client,
              len([r for r in nf if r.get("nat_event_id") == "17" and r.get("src6_addr") == client
                   and r.get("proto") == 17]) == 1)
sys.exit(failed)
PY
}
py_check || ret=$ksft_fail
[[ $ret == 0 ]] || { cat "$tmp/nfcapd.log"; head -c 4000 "$tmp/syslog.txt"; }
rm -rf "$tmp"
exit $ret
