#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Vendor bring-up: kxen.ko loads on the stock kernel with the backend of
# this CPU's vendor (VMXON, or EFER.SVME and VM_HSAVE_PA, on every online
# CPU), exposes its interfaces, and unloads cleanly; repeated.
. /selftests/data/tap.sh

[ -r "${KXEN_KO:-/kxen/kxen.ko}" ] || tap_skip_all "no kxen.ko in this image"
if grep -qw vmx /proc/cpuinfo; then
	backend=vmx
elif grep -qw svm /proc/cpuinfo; then
	backend=svm
else
	tap_skip_all "CPU has neither VT-x (vmx flag) nor AMD-V (svm flag)"
fi
tap_plan 7

kxen_unload
dmesg_mark
tap_check "insmod kxen.ko succeeds" kxen_load
tap_check "dmesg reports the $backend backend" \
	sh -c "/selftests/data/dmesg_since $DMESG_MARK | grep -q 'kxen: loaded, $backend backend'"
tap_check "/dev/kxen is a character device" test -c /dev/kxen
tap_check "generic netlink family answers (xl-lite info: $backend)" \
	test "$(xl_info kxen_vendor)" = "$backend"
tap_check "rmmod kxen succeeds" kxen_unload
tap_check "/dev/kxen is gone after unload" test ! -e /dev/kxen

cycles_ok=1
i=0
while [ $i -lt 5 ]; do
	kxen_load && kxen_unload || { cycles_ok=0; break; }
	i=$((i + 1))
done
tap_check "5 quick load/unload cycles" test $cycles_ok -eq 1
dmesg_new | grep -i 'kxen' | sed 's/^/# /'
tap_done
