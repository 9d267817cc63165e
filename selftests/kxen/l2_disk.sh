#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Disks: Debian's kernel as an L2 guest with two disks from its xl config
# (a read-write raw image and a read-only one), served by kxen's block
# backend to Debian's own xen-blkfront.  The guest reads its disk whole,
# writes a known pattern with O_DIRECT and through its page cache; L1
# then checks every byte of both backing files.  A third disk is
# attached while it runs (xl-lite block-attach, an L1 block device this
# time), written, and detached.
# Last, a guest is destroyed in the middle of its disk I/O: everything
# the backend held goes back.
. /selftests/data/tap.sh

L2=/kxen/l2
[ -r "$L2/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 33
kxen_load
base=$(kxen_live)
pattern() { seq -w 1 600000 | head -c 4194304; }
sum() { sha256sum | cut -c1-64; }

# Random contents, kept to compare against afterwards.
dd if=/dev/urandom of=/tmp/disk.img bs=1M count=16 2>/dev/null
dd if=/dev/urandom of=/tmp/ro.img bs=1M count=4 2>/dev/null
cp /tmp/disk.img /tmp/disk.orig
cp /tmp/ro.img /tmp/ro.orig
cat > /tmp/disk.cfg <<CFG
type = "pvh"
name = "disk"
kernel = "$L2/vmlinux"
ramdisk = "$L2/initrd"
memory = 256
vcpus = 2
cmdline = "console=hvc0 loglevel=4 kxen_l2=disk"
disk = [ '/tmp/disk.img,raw,xvda,rw',
         'vdev=xvdb, access=ro, target=/tmp/ro.img' ]
on_poweroff = "preserve"
CFG
tap_check "create a guest with two disks" xl-lite create /tmp/disk.cfg
domid=$(xl_domid disk)
be=/local/domain/0/backend/vbd/$domid
tap_check "xl-lite wrote the backend nodes as libxl does" \
	sh -c "[ \"\$(xenstore-read $be/51712/params)\" = /tmp/disk.img ] &&
	       [ \"\$(xenstore-read $be/51712/mode)\" = w ] &&
	       [ \"\$(xenstore-read $be/51728/mode)\" = r ] &&
	       [ \"\$(xenstore-read /local/domain/$domid/device/vbd/51712/backend)\" = $be/51712 ]"
xl-lite console disk > /tmp/disk.out 2>&1 &
con=$!
console_wait disk /tmp/disk.out L2-DISK-HOTPLUG-READY 600 120
sectors=$(xenstore-read "$be/51712/sectors" 2>/dev/null)

# A backend directory written behind xl-lite's back, naming a file that
# is not there: the backend says so once in its "error" node and lets it
# be (its own write of that node must not probe it again, and again).
dmesg_mark
xenstore-write "$be/51760/params" /tmp/no-such.img "$be/51760/mode" w \
	"$be/51760/frontend" "/local/domain/$domid/device/vbd/51760"
sleep 2
nerr=$(dmesg_new | grep -c 'vbd 51760:')
echo "error node: $(xenstore-read "$be/51760/error" 2>&1); $nerr log line(s)"
tap_check "a backend whose file is missing says so once and stops" \
	sh -c "xenstore-read $be/51760/error | grep -q 'opening /tmp/no-such.img' &&
	       [ $nerr -le 2 ] && ! dmesg | grep -q 'kxen_xb_error: .* callbacks suppressed'"
xenstore-rm "$be/51760"

# Hot attach: a third disk while the guest runs, a block device this time
# (a 4 MiB RAM disk of L1's).
insmod "/lib/modules/$(uname -r)/kernel/drivers/block/brd.ko" rd_nr=1 \
	rd_size=4096
dd if=/dev/urandom of=/dev/ram0 bs=1M count=4 2>/dev/null
hot=$(sum < /dev/ram0)
tap_check "block-attach a block device to the running guest" \
	xl-lite block-attach disk phy:/dev/ram0,xvdc,w
xl-lite block-list disk | sed 's/^/# /'
console_send disk "wait xvdc"
console_wait disk /tmp/disk.out L2-DISK-ATTACHED 120 60
tap_check "the guest sees it, 4 MiB, with the device's bytes" \
	grep -q "L2-DISK-ATTACHED xvdc 4194304 $hot" /tmp/disk.out
console_send disk "write xvdc"
console_wait disk /tmp/disk.out L2-DISK-WRITTEN 120 60
# A worker thread a ring (be_worker.h), SCHED_BATCH: blkfront gives each
# disk as many queues as it took for xvda.
nq=$(xenstore-read "/local/domain/$domid/device/vbd/51712/multi-queue-num-queues" 2>/dev/null || echo 1)
kthreads "kxvbd$domid." > /tmp/disk.threads
sed 's/^/threads: /' /tmp/disk.threads
tap_check "a SCHED_BATCH worker thread per ring: $nq for each of the 3 disks" \
	test "$(for v in 51712 51728 51744; do
			q=0
			while [ $q -lt "$nq" ]; do
				printf 'kxvbd%s.%s-%s 3\n' "$domid" $v $q
				q=$((q + 1))
			done
		done)" = "$(cat /tmp/disk.threads)"
tap_check "block-list shows three disks" \
	sh -c '[ "$(xl-lite block-list disk | grep -c /backend/vbd/)" = 3 ]'
tap_check "block-detach takes it away while the guest runs" \
	xl-lite block-detach disk xvdc
console_send disk "gone xvdc"
console_wait disk /tmp/disk.out L2-DISK-DETACHED 120 60
tap_check "the guest saw it go, and its backend is gone" \
	sh -c "grep -q 'L2-DISK-DETACHED xvdc' /tmp/disk.out &&
	       ! xenstore-read $be/51744/state 2>/dev/null"
tap_check "and its worker thread" \
	test -z "$(kthreads "kxvbd$domid.51744")"
pattern | cmp - /dev/ram0 > /tmp/hot.cmp 2>&1
tap_check "what the guest wrote to it is on the block device" \
	test ! -s /tmp/hot.cmp
console_send disk done
console_wait disk /tmp/disk.out L2-DONE 120 60
kill $con 2>/dev/null
grep -a '^L2-\|blkfront\|xvd' /tmp/disk.out | guest_show
tap_check "the backend reports 16 MiB (32768 sectors)" test "$sectors" = 32768
tap_check "blkfront sees both disks" \
	grep -q 'L2-DISK-DEVS /dev/xvda /dev/xvdb' /tmp/disk.out
tap_check "xvda is 16 MiB" grep -q 'L2-DISK-SIZE 16777216' /tmp/disk.out
# blkfront takes min(256 offered, its max_indirect_segments: 32).
tap_check "blkfront uses indirect descriptors (32 segments) and 2 queues" \
	grep -q 'L2-DISK-QUEUE 32 2' /tmp/disk.out
tap_check "reading xvda whole gives the file's bytes" \
	grep -q "L2-DISK-READ $(sum < /tmp/disk.orig)" /tmp/disk.out
tap_check "the O_DIRECT and buffered writes succeed" \
	sh -c 'grep -q L2-DISK-DIRECT-WRITE /tmp/disk.out &&
	       grep -q L2-DISK-BUFFERED-WRITE /tmp/disk.out'
p=$(pattern | sum)
tap_check "reading the pattern back with O_DIRECT" \
	grep -q "L2-DISK-READBACK $p $p" /tmp/disk.out
tap_check "the guest wrote its disk and powered off" \
	sh -c 'grep -q L2-DONE /tmp/disk.out &&
	       xl-lite list | grep -q "^disk .*---s--"'
# What the file must hold now: the original, the pattern at 1 and 8 MiB.
pattern > /tmp/p
dd if=/tmp/p of=/tmp/disk.orig bs=64k seek=16 conv=notrunc 2>/dev/null
dd if=/tmp/p of=/tmp/disk.orig bs=64k seek=128 conv=notrunc 2>/dev/null
# ... and zeros where it discarded.
dd if=/dev/zero of=/tmp/disk.orig bs=64k seek=192 count=64 conv=notrunc \
	2>/dev/null
tap_check "every byte of the backing file is as the guest wrote it" \
	cmp /tmp/disk.img /tmp/disk.orig
blocks=$(stat -c %b /tmp/disk.img)
echo "backing file: $blocks blocks of 512 bytes allocated (16 MiB: 32768)"
tap_check "the discard reached the file: 4 MiB of it deallocated" \
	sh -c "grep -q 'L2-DISK-DISCARD ok' /tmp/disk.out && [ $blocks -le 24576 ]"
tap_check "the read-only disk is read-only in the guest" \
	grep -q 'L2-DISK-RO 1' /tmp/disk.out
tap_check "a write to it is refused" \
	grep -q 'L2-DISK-RO-WRITE refused' /tmp/disk.out
tap_check "reading it gives the file's bytes, and the file is unchanged" \
	sh -c "grep -q \"L2-DISK-RO-READ $(sum < /tmp/ro.orig)\" /tmp/disk.out &&
	       cmp /tmp/ro.img /tmp/ro.orig"
guest_log_clean "Debian's kernel with blkfront" /tmp/disk.out
# xentop's VBD_RD VBD_WR VBD_RSECT VBD_WSECT: columns 15-18 of its row.
top=$(xl-lite top -b -i 1 | awk '$1 == "disk"')
echo "top: $top"
tap_check "top counts its disk I/O: xvda read whole (32768 sectors), 8 MiB written" \
	sh -c "echo '$top' | awk '{ exit !(\$15 > 0 && \$16 > 0 && \$17 >= 32768 && \$18 >= 16384) }'"
xl-lite destroy disk
wait_gone disk 30
i=0
while xenstore-read "$be/51712/state" > /dev/null 2>&1 && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
tap_check "destroy removes the backend directory" \
	sh -c "! xenstore-read $be/51712/state"

# Destroy in the middle of I/O.
sed -e 's/kxen_l2=disk/kxen_l2=diskload/' -e 's/^name = .*/name = "load"/' \
    -e '/^disk = /,/\]$/d' /tmp/disk.cfg > /tmp/load.cfg
echo "disk = [ '/tmp/disk.img,raw,xvda,rw' ]" >> /tmp/load.cfg
tap_check "create a guest that keeps its disk busy" xl-lite create /tmp/load.cfg
xl-lite console load > /tmp/load.out 2>&1 &
con=$!
console_wait load /tmp/load.out L2-DISK-LOAD 600 120
sleep 5
before=$(dmesg | grep -c 'vbd 51712: queue 0 disconnected')
tap_check "destroy it during its I/O" xl-lite destroy load
kill $con 2>/dev/null
wait_gone load 30
i=0
while [ "$(dmesg | grep -c 'vbd 51712: queue 0 disconnected')" = "$before" ] &&
      [ $i -lt 100 ]; do
	sleep 0.2
	i=$((i + 1))
done
tap_check "the backend disconnected and let go" \
	test "$(dmesg | grep -c 'vbd 51712: queue 0 disconnected')" != "$before"
tap_check "no backend worker thread is left" test -z "$(kthreads kxvbd)"
# The first guest's fsync reached the backend as a cache flush.
tap_check "the guest's fsync came through as flushes" \
	sh -c "dmesg | grep 'd$domid vbd 51712: queue' | grep -qv ' 0 flushes'"
sleep 1
dmesg | grep 'kxen.*vbd' | tail -n 6 | sed 's/^/# /'
live_back "$base"
kxen_unload
rmmod brd
rm -f /tmp/disk.img /tmp/disk.orig /tmp/ro.img /tmp/ro.orig /tmp/p \
	/tmp/hot.img /tmp/hot.cmp /tmp/load.cfg
tap_done
