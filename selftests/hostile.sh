#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A seeded barrage of malformed and hostile frames (hostile.py), through a
# tap device and through veth, at a translator with TCP, UDP and ICMP
# sessions and two static BIB entries: fuzzed headers, lying lengths,
# IPv4 options of every length, IPv6 extension header chains, tiny and
# overlapping fragments, ICMP errors quoting 0..1280 bytes (nested ones
# too), TTL and hop limit 0 and 1, forbidden addresses. Asserts: every
# packet sent out is well-formed; it still translates (old and new
# mappings, static entries, both ways); the counters account for every
# packet it took; and (selftests/vm/run) the kernel logged nothing, the
# module unloads and kmemleak is silent.
#
#   NAT64_FUZZ_SEED   the seed (default: a new one, printed)
#   NAT64_FUZZ_COUNT  frames per link kind (default 2000)
#   NAT64_FUZZ_ONLY   categories, comma separated (default: all of them)
# A failing run is reproduced by running it again with the printed seed.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip modprobe
require_scapy
require_tun
NAT64=$REPO_DIR/tools/nat64/nat64
[[ -x $NAT64 ]] || skip "tools/nat64/nat64 is not built (make tool)"

seed=${NAT64_FUZZ_SEED:-$(( $(date +%s%N) % 1000000007 ))}
count=${NAT64_FUZZ_COUNT:-2000}
log "seed $seed, $count frames per link kind (NAT64_FUZZ_SEED=$seed to repeat)"

setup_ns nsN nsP || skip "cannot make namespaces"
nat64_load "$nsN" pool6=64:ff9b::/96 pool4=192.0.2.2 ||
	{ check "load the translator" false; exit $ret; }
check "static BIB entries tcp #8080 <-> #80, udp #5353 <-> #53" \
	bash -c "ip netns exec $nsN $NAT64 bib add tcp 2001:db8::5#8080 192.0.2.2#80 &&
		 ip netns exec $nsN $NAT64 bib add udp 2001:db8::5#5353 192.0.2.2#53"
py_test "hostile.py ran to the end" "$SELFTESTS_DIR/hostile.py" \
	--ns "$nsN" --kinds "$LINK_KINDS" --peer-ns "$nsP" --seed "$seed" \
	--count "$count" ${NAT64_FUZZ_ONLY:+--only "$NAT64_FUZZ_ONLY"}
del_ns "$nsN" "$nsP"
check "the module unloads after the barrage" nat64_unload
[[ $ret -eq 0 ]] || log "to repeat: NAT64_FUZZ_SEED=$seed NAT64_FUZZ_COUNT=$count $0"
log "$(basename "$0"): ${SECONDS} s"
exit $ret
