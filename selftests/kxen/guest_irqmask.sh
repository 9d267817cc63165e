#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Interrupt delivery respects the guest's IF and happens once per
# request (guest-frontends irqmask): a 200 us local APIC timer against a
# guest that mostly runs with interrupts off, while the host's other CPU
# is kept busy.  An emulated CPU that is kicked (by the work on its other
# CPU) with an injected interrupt still pending would deliver it a second
# time, into a context with IF clear.  Three runs, each must report
# SUCCESS; one under Bochs, whose VT-x has no such fault and which takes
# about 40 s a run.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
RUNS=3
if [ "${KXEN_LAB_EMULATOR:-}" = bochs ]; then
	RUNS=1
	echo "# one run under Bochs: the repeats are for QEMU's AMD-V"
fi
[ -r "$G/irqmask.elf" ] || tap_skip_all "no irqmask.elf in $G"
tap_plan $((RUNS * 3 + 1))
kxen_load
base=$(kxen_live)
# Work for the other CPU: walking sysfs allocates and frees kernel
# objects all the time.
(while :; do find /sys > /dev/null 2>&1; done) &
load=$!
i=1
while [ "$i" -le "$RUNS" ]; do
	guest_run_success irqmask "$G/irqmask.elf" "FAIL|PASS|rounds|Test result"
	i=$((i + 1))
done
kill "$load"
wait "$load" 2> /dev/null
live_back "$base"
kxen_unload
tap_done
