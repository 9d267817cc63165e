#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A Debian 12 userland under kxen (lab: LAB_DEBIAN=1): Debian's kernel
# boots a minbase system with systemd as PID 1 from an initramfs, with 2
# vCPUs and 512 MiB; systemd finishes booting in state "running"; a
# workload that leans on the SIMD registers (xz -9 and sha256sum of 280
# KiB, floating point in python3, both vCPUs at once) gives the results
# the image's own programs gave on the host when it was built; systemctl
# poweroff ends the domain with reason poweroff; and the guest's kernel
# log shows no warning, taint or crash along the way.
# The guest's side is selftests/lab/l2-debian/kxen-lab.
# With DEB_ROOT=disk (l2_debian_disk.sh) the same system boots from its
# disk instead: an ext4 image on xvda served by kxen's block backend,
# through Debian's own initrd for the kernel, as a Debian install under
# Xen boots; after poweroff its file system must be clean.
. /selftests/data/tap.sh

DEB_ROOT=${DEB_ROOT:-ramdisk}
EXP=$L2_DIR/debian.expected
if [ "$DEB_ROOT" = disk ]; then
	IMG=$L2_DIR/debian.ext4
	RD=$L2_DIR/initrd.img
	EXTRA=2
else
	IMG=$L2_DIR/debian.cpio
	RD=$IMG
	EXTRA=0
fi
[ -r "$L2_DIR/vmlinux" ] && [ -r "$IMG" ] && [ -r "$RD" ] && [ -r "$EXP" ] ||
	tap_skip_all "no Debian userland in this image (run the lab with LAB_DEBIAN=1)"
# L1 seconds: to systemd's report, then to the workload's end.
BOOT_LIMIT=${DEB_BOOT_LIMIT:-1500}
WORK_LIMIT=${DEB_WORK_LIMIT:-900}
tap_plan $((9 + EXTRA + $(grep -c '^KXEN-RESULT ' "$EXP")))
kxen_load
base=$(kxen_live)
rm -f "$XL_LOG_DIR/xl-deb.log"
cat > /tmp/deb.cfg <<CFG
type = "pvh"
name = "deb"
kernel = "$L2_DIR/vmlinux"
ramdisk = "$RD"
memory = 512
vcpus = 2
cmdline = "console=hvc0 loglevel=7"
on_poweroff = "preserve"
on_reboot = "preserve"
on_crash = "preserve"
CFG
if [ "$DEB_ROOT" = disk ]; then
	cat >> /tmp/deb.cfg <<CFG
disk = [ '$IMG,raw,xvda,rw' ]
root = "/dev/xvda rw"
CFG
	sed -i 's/^cmdline = .*/extra = "console=hvc0 loglevel=7"/' /tmp/deb.cfg
fi
t0=$(l1_uptime)
tap_check "create the Debian guest (2 vCPUs, 512 MiB)" xl-lite create /tmp/deb.cfg
timeout $((BOOT_LIMIT + WORK_LIMIT + 300)) xl-lite console deb > /tmp/deb.raw 2>&1 &
con=$!

console_wait deb /tmp/deb.raw '^KXEN-STATE' "$BOOT_LIMIT" 300
t1=$(l1_uptime)
tr -d '\r' < /tmp/deb.raw > /tmp/deb.out
state=$(sed -n 's/^KXEN-STATE //p' /tmp/deb.out | head -n 1)
awk -v a="$t0" -v b="$t1" -v u="$(sed -n 's/^KXEN-UPTIME //p' /tmp/deb.out)" \
	'BEGIN { printf "boot: %.0f s of L1 time from create to systemd'"'"'s report; guest uptime then %s s\n", b - a, u }'
tap_check "systemd finished booting: is-system-running says '${state:-nothing}'" \
	test "$state" = running

console_wait deb /tmp/deb.raw '^KXEN-POWEROFF' "$WORK_LIMIT" 600
tr -d '\r' < /tmp/deb.raw > /tmp/deb.out
grep -E '^KXEN-(STATE|NPROC|INFO|TAINT|KLOG)' /tmp/deb.out | guest_show
while read -r _ name want; do
	got=$(sed -n "s/^KXEN-RESULT $name //p" /tmp/deb.out | head -n 1)
	[ "$got" = "$want" ] || echo "$name: got '$got', the host had '$want'"
	tap_check "workload: $name as on the host" test "$got" = "$want"
done < "$EXP"
taint=$(sed -n 's/^KXEN-TAINT //p' /tmp/deb.out | head -n 1)
tap_check "the guest kernel is not tainted (${taint:-no report})" test "$taint" = 0

tap_check "systemctl poweroff: the domain shut down" wait_state deb s 180
tap_check "with reason poweroff" \
	wait_grep "$XL_LOG_DIR/xl-deb.log" 'reason code 0 (poweroff)' 30
if [ "$DEB_ROOT" = disk ]; then
	tap_check "its root was ext4 on xvda, through blkfront" \
		grep -q 'EXT4-fs (xvda): mounted filesystem' /tmp/deb.raw
	# ext4's superblock at 1024: s_state (offset 58) has "cleanly
	# unmounted", s_feature_incompat (offset 96) no "needs recovery".
	st=$(od -An -tu2 -j1082 -N2 "$IMG" | tr -d ' ')
	inc=$(od -An -tu4 -j1120 -N4 "$IMG" | tr -d ' ')
	echo "ext4 s_state $st, s_feature_incompat $inc"
	tap_check "and it was unmounted cleanly, the journal empty" \
		test "$((st & 1))" = 1 -a "$((inc & 4))" = 0
fi
kill $con 2>/dev/null
wait $con 2>/dev/null
tr -d '\r' < /tmp/deb.raw > /tmp/deb.out
guest_log_clean "Debian guest" /tmp/deb.out
if [ "$TAP_FAILED" != 0 ]; then
	echo "the guest's console, last 60 lines:"
	tail -n 60 /tmp/deb.out | guest_show
	xl-lite list | sed 's/^/#   /'
	dmesg | grep kxen | tail -n 30 | sed 's/^/# /'
fi
domid=$(xl-lite domid deb)
xl-lite destroy deb
pit_probe_check "$domid"
live_back "$base"
tap_check "the module unloads" kxen_unload
test_elapsed
tap_done
