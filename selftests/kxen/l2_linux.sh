#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's stock kernel as a Xen PVH guest (L2) under kxen: boots from an
# xl config, reaches its /init and reports from there (lab: LAB_L2=1).
. /selftests/data/tap.sh

L2=/kxen/l2
[ -r "$L2/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 3
kxen_load
cat > /tmp/l2.cfg <<CFG
type = "pvh"
name = "debian"
kernel = "$L2/vmlinux"
ramdisk = "$L2/initrd"
memory = ${L2_MEM:-256}
vcpus = ${L2_VCPUS:-1}
cmdline = "console=hvc0 earlyprintk=xen loglevel=7 ${L2_EXTRA:-}"
kxen_debug_port = 1
CFG
tap_check "create the Debian guest" xl-lite create /tmp/l2.cfg
wait_state debian sc "${L2_WAIT:-600}"
console_dump debian
tap_check "the guest reached its /init" grep -q L2-INIT-OK /tmp/debian.out
tap_check "and powered off from there" grep -q L2-DONE /tmp/debian.out
dmesg | grep kxen | tail -30 | sed 's/^/# /'
xl-lite destroy debian
kxen_unload
tap_done
