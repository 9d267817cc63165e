#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a VM exit takes from the host CPU is put back: while a two-vCPU
# guest exits constantly on both L1 CPUs, one user task per CPU keeps
# reloading a segment from its LDT and writing an I/O port its ioperm()
# bitmap allows.  A null LDTR or a TSS limit left at 0x67 after an exit
# (VT-x, SDM Vol. 3 28.5.2) kills them with SIGSEGV.  Under AMD-V the
# host's VMSAVE/VMLOAD restore these, and the same test must pass too.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
HS=/selftests/data/host_state
[ -r "$G/fpustate.elf" ] || tap_skip_all "no fpustate.elf"
[ -x "$HS" ] || tap_skip_all "no $HS"
SECS=${HOST_STATE_SECONDS:-20}
tap_plan 4
kxen_load
# A guest that leaves guest mode all the time, on both vCPUs, for longer
# than the tasks run; it is destroyed after them.
guest_cfg busy "$G/fpustate.elf" 32 "rounds=1000000" 2
tap_check "create a busy two-vCPU guest" xl-lite create /tmp/busy.cfg
pids=
n=0
while [ $n -lt "$(nproc)" ]; do
	"$HS" "$SECS" > "/tmp/host_state.$n" 2>&1 &
	pids="$pids $!"
	n=$((n + 1))
done
bad=0
for p in $pids; do
	wait "$p" || bad=$((bad + 1))
done
cat /tmp/host_state.* | sed 's/^/#   /'
tap_check "every LDT and ioperm task survived $SECS s beside the guest ($bad died)" \
	test "$bad" = 0
state=$(xl_state busy)
echo "guest state afterwards: $state"
tap_check "the guest was still running all along" \
	sh -c "case '$state' in ''|*[sc]*) exit 1 ;; esac"
tap_check "destroy it" xl-lite destroy busy
rm -f /tmp/host_state.*
kxen_unload
tap_done
