#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fpustate guest fills x87, SSE, AVX registers and MXCSR on two vCPUs,
# leaves guest mode every way it can (host interrupts, hypercalls, yield,
# CPUID, sleeping polls, event upcalls) and checks them after each, in
# three XCR0 regimes (never set, set, switched at run time).  Meanwhile
# L1 runs SIMD-heavy user work on each of its CPUs (glibc's vector string
# and memory routines under gzip and sha256sum), so the host's own
# register contents are there to leak in if kxen does not switch the
# guest's.  Zero mismatches in 10^6 register checks, or it fails.
#
# FPU_ROUNDS sets the rounds per phase (default 5000: about 1.08 million
# checks with AVX, 280 thousand without; under Bochs about three minutes).
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/fpustate.elf" ] || tap_skip_all "no fpustate.elf"
tap_plan 6
kxen_load
base=$(kxen_live)
rounds=${FPU_ROUNDS:-5000}

# One SIMD-heavy loop per L1 CPU; each counts its passes in a file.
load_pids=
n=0
while [ $n -lt "$(nproc)" ]; do
	(
		i=0
		while :; do
			dd if=/dev/urandom bs=64k count=4 2>/dev/null |
				gzip -6 | sha256sum > /dev/null
			i=$((i + 1))
			echo $i > /tmp/fpu_load.$n
		done
	) &
	load_pids="$load_pids $!"
	n=$((n + 1))
done

guest_cfg fpustate "$G/fpustate.elf" 32 "rounds=$rounds" 2
tap_check "create the FPU-state guest (2 vCPUs, $rounds rounds a phase)" \
	xl-lite create /tmp/fpustate.cfg
tap_check "it finishes and shuts down" wait_state fpustate s 900
# shellcheck disable=SC2086
kill $load_pids 2>/dev/null
wait 2>/dev/null
console_dump fpustate
passes=$(cat /tmp/fpu_load.* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
echo "host SIMD load: $passes passes on $(nproc) CPUs"
tap_check "the host ran its SIMD load meanwhile" test "$passes" -gt 0
tap_check "it reports Test result: SUCCESS (no register changed)" \
	grep -q "Test result: SUCCESS" /tmp/fpustate.out
tap_check "destroy it" xl-lite destroy fpustate
live_back "$base"
rm -f /tmp/fpu_load.*
kxen_unload
tap_done
