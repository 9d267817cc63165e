#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A CPU that loses VT-x or AMD-V under a running guest (as after a resume
# without kxen's hooks): the exception fixups on the VMX/SVM instructions
# fail that guest, the host goes on, a guest on another CPU is untouched,
# and the module unloads and loads again with the CPU usable.  The loss
# is made with the module's fault injection (inject_virt_off).
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
P=/sys/module/kxen/parameters/inject_virt_off
[ -r "$G/spin.elf" ] && [ -r "$G/hello.elf" ] || tap_skip_all "no spin.elf or hello.elf"
[ "$(grep -c ^processor /proc/cpuinfo)" -ge 2 ] || tap_skip_all "needs 2 CPUs (lab: --smp 2)"
tap_plan 9
# The test's own commands run on CPU 0: a domain's VMCS or VMCB is set
# up on the CPU that creates it, and CPU 1 is the one broken below.
taskset -p 1 $$ > /dev/null
kxen_load
base=$(kxen_live)

guest_cfg spin1 "$G/spin.elf" 16
echo 'cpus = "1"' >> /tmp/spin1.cfg
xl-lite create /tmp/spin1.cfg
xl-lite console spin1 > /tmp/spin1.out 2>&1 &
con=$!
tap_check "a guest spins on CPU 1" wait_grep /tmp/spin1.out spinning 60
dmesg_mark
tap_check "fault injection turns virtualization off on CPU 1" sh -c "echo 1 > $P"
tap_check "the guest on CPU 1 fails (crashed)" wait_state spin1 c 60
dmesg_new | grep kxen | head -n 12 | sed 's/^/# /'
tap_check "the kernel log names the faulting instruction" \
	sh -c "dmesg | sed -n '/$DMESG_MARK/,\$p' | grep -q 'CPU1: .* faulted: '"
tap_check "a guest on CPU 0 still runs" hello_on hello0 0
kill $con 2>/dev/null
xl-lite destroy spin1
live_back "$base"
tap_check "the module unloads" kxen_unload
tap_check "and loads again" kxen_load
tap_check "a guest on CPU 1 runs again" hello_on hello1 1
kxen_unload
tap_done
