#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's GRUB for Xen PVH (grub-xen-host: grub-i386-xen_pvh.bin),
# unmodified, as the guest's kernel: its built-in configuration finds
# /boot/grub/grub.cfg on xvda through its own 32-bit blkfront (blkif's
# x86_32-abi), loads Debian's kernel and an initrd from that disk, and
# Linux comes up from there.  This is how Debian's Xen users boot a PVH
# guest from its own disk.
# lab-stage: grub
. /selftests/data/tap.sh

L2=/kxen/l2
[ -r "$L2/grub-pvh.bin" ] && [ -r "$L2/vmlinuz" ] ||
	tap_skip_all "no GRUB PVH image or vmlinuz (lab: LAB_L2=1 and the grub-xen-host package)"
[ -x /usr/sbin/mke2fs ] || tap_skip_all "no mke2fs in L1"
tap_plan 9
kxen_load
base=$(kxen_live)

rm -rf /tmp/grubroot
mkdir -p /tmp/grubroot/boot/grub
cp "$L2/vmlinuz" /tmp/grubroot/boot/vmlinuz
cp "$L2/initrd" /tmp/grubroot/boot/initrd
cat > /tmp/grubroot/boot/grub/grub.cfg <<CFG
set timeout=0
menuentry 'Debian from xvda' {
	echo 'L2-GRUB-LOADING'
	linux /boot/vmlinuz console=hvc0 loglevel=4 kxen_l2=boot
	initrd /boot/initrd
}
CFG
/usr/sbin/mke2fs -q -t ext4 -d /tmp/grubroot /tmp/grub.img 48M
tap_check "an ext4 disk image holds grub.cfg, the kernel and an initrd" \
	test -s /tmp/grub.img
cat > /tmp/grub.cfg <<CFG
type = "pvh"
name = "grub"
kernel = "$L2/grub-pvh.bin"
memory = 256
vcpus = 1
disk = [ '/tmp/grub.img,raw,xvda,rw' ]
kxen_debug_port = 1
on_poweroff = "preserve"
CFG
dmesg_mark
tap_check "create a guest whose kernel is GRUB" xl-lite create /tmp/grub.cfg
xl-lite console grub > /tmp/grub.out 2>&1 &
con=$!
console_wait grub /tmp/grub.out L2-INIT-OK 600 120
console_wait grub /tmp/grub.out L2-DONE 120 60
kill $con 2>/dev/null
tail -n 60 /tmp/grub.out | sed 's/^/#   /'
dmesg_new | grep kxen | tail -n 12 | sed 's/^/# /'
tap_check "GRUB read grub.cfg from xvda" \
	grep -q 'L2-GRUB-LOADING' /tmp/grub.out
let_go=0
dmesg_new | grep -q 'vbd 51712: x86_32-abi ring layout' &&
	dmesg_new | grep -q 'vbd 51712: queue 0 disconnected' && let_go=1
tap_check "its blkfront connected with the x86_32 ring layout, and let go" \
	test "$let_go" = 1
tap_check "the kernel it loaded from xvda reached /init" \
	grep -q L2-INIT-OK /tmp/grub.out
tap_check "and powered off from there" \
	sh -c 'grep -q L2-DONE /tmp/grub.out && xl-lite list | grep -q "^grub .*---s--"'
guest_log_clean "GRUB, then Debian's kernel" /tmp/grub.out
xl-lite destroy grub
wait_gone grub 30
live_back "$base"
tap_check "the module unloads" kxen_unload
rm -rf /tmp/grubroot /tmp/grub.img /tmp/grub.cfg /tmp/grub.out
tap_done
