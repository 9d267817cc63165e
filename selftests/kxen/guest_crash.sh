#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guests that go wrong crash alone: a triple fault and an instruction
# fetch outside guest RAM (reads and writes there complete: guest_mmio)
# each crash their domain with a reason naming the fault, while the host
# carries on and gets every page back.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/triplefault.elf" ] && [ -r "$G/badmem.elf" ] ||
	tap_skip_all "no triplefault.elf or badmem.elf"
tap_plan 10
kxen_load
base=$(kxen_live)

dmesg_mark
guest_cfg tf "$G/triplefault.elf" 16
tap_check "create the triple-fault guest" xl-lite create /tmp/tf.cfg
tap_check "its domain is crashed" wait_state tf c 60
tap_check "the kernel log names the triple fault" \
	sh -c "/selftests/data/dmesg_since $DMESG_MARK | grep -q 'd[0-9]*: crashed: .*triple fault'"

dmesg_mark
guest_cfg badmem "$G/badmem.elf" 16
tap_check "create the bad-memory guest" xl-lite create /tmp/badmem.cfg
tap_check "its domain is crashed" wait_state badmem c 60
tap_check "the kernel log names the GPA outside guest RAM" \
	sh -c "/selftests/data/dmesg_since $DMESG_MARK | grep -q 'crashed: .*fetch of GPA 0x[0-9a-f]* outside guest RAM'"
dmesg_new | grep kxen | sed 's/^/#   /'

dmesg_mark
tap_check "destroy both" sh -c 'xl-lite destroy tf && xl-lite destroy badmem'
# A crashed domain's destroy logs each vCPU's last exits, the crash's.
tap_check "destroying a crashed domain logs its vCPU's last exits" \
	sh -c "/selftests/data/dmesg_since $DMESG_MARK | grep -q 'd[0-9]*v0: exit -0: reason '"
dmesg_new | grep 'exit -[0-2]:' | sed 's/^/#   /'
live_back "$base"
tap_check "the module unloads" kxen_unload
tap_done
