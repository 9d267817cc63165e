#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Rounds (DISKSTRESS_ROUNDS, default 5) of a guest that keeps its disk
# busy with O_DIRECT reads and writes (kxen_l2=diskload), its disk a file
# on ext4 (DISKSTRESS_FS=ext4, the default: the backend's direct I/O) or
# on tmpfs (buffered), each round DISKSTRESS_SECS seconds of I/O, then a
# destroy.  Every round's guest must still be running when it is
# destroyed: a guest that crashed under the load fails it.  On ext4,
# e2fsck then finds the file system clean after all those destroys under
# load.  In the lab's qemu1 pass (tests.list): under QEMU's
# multi-threaded TCG this load brings out the open AMD-V fault.
. /selftests/data/tap.sh

L2=/kxen/l2
[ -r "$L2/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
ROUNDS=${DISKSTRESS_ROUNDS:-5}
SECS=${DISKSTRESS_SECS:-20}
FS=${DISKSTRESS_FS:-ext4}
if [ "$FS" = ext4 ]; then tap_plan 4; else tap_plan 3; fi
kxen_load
base=$(kxen_live)
dd if=/dev/urandom of=/tmp/stress.img bs=1M count=16 2>/dev/null
if [ "$FS" = ext4 ]; then
	insmod "/lib/modules/$(uname -r)/kernel/drivers/block/brd.ko" rd_nr=1 \
		rd_size=65536
	ext4_load
	mkdir -p /mnt/be
	/usr/sbin/mke2fs -q -t ext4 /dev/ram0 && mount -t ext4 /dev/ram0 /mnt/be
	cp /tmp/stress.img /mnt/be/stress.img
	img=/mnt/be/stress.img
else
	img=/tmp/stress.img
fi
crashed=0
round=0
while [ $round -lt "$ROUNDS" ]; do
	round=$((round + 1))
	cat > /tmp/stress.cfg <<CFG
type = "pvh"
name = "stress$round"
kernel = "$L2/vmlinux"
ramdisk = "$L2/initrd"
memory = 256
vcpus = 2
cmdline = "console=hvc0 loglevel=4 kxen_l2=diskload"
disk = [ '$img,raw,xvda,rw' ]
on_crash = "preserve"
CFG
	xl-lite create /tmp/stress.cfg > /dev/null
	xl-lite console "stress$round" > /tmp/stress.out 2>&1 &
	con=$!
	console_wait "stress$round" /tmp/stress.out L2-DISK-LOAD 600 120
	sleep "$SECS"
	st=$(xl_state "stress$round")
	echo "round $round: state $st after ${SECS}s of I/O"
	case $st in
	*c*)	crashed=$((crashed + 1))
		dmesg | grep 'kxen: d[0-9]*v[0-9]*: \(triple\|run failed\|#VMEXIT\)' |
			tail -n 2 | sed 's/^/#   /' ;;
	esac
	kill $con 2>/dev/null
	xl-lite destroy "stress$round"
	wait_gone "stress$round" 30
done
echo "guests crashed under the load: $crashed of $ROUNDS ($FS)"
tap_check "no guest crashed under the load ($crashed of $ROUNDS)" test "$crashed" = 0
live_back "$base"
tap_check "the module unloads" kxen_unload
if [ "$FS" = ext4 ]; then
	umount /mnt/be
	/usr/sbin/e2fsck -fn /dev/ram0 > /tmp/fsck.out 2>&1
	rc=$?
	sed 's/^/# e2fsck: /' /tmp/fsck.out
	tap_check "with the module gone, e2fsck finds the file system clean" \
		test "$rc" = 0
	rmmod brd
	rm -f /tmp/fsck.out
fi
rm -f /tmp/stress.img /tmp/stress.cfg /tmp/stress.out
tap_done
