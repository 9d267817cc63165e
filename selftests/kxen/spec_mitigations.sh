#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Speculation mitigations: `xl-lite info`'s kxen_mitigations lists what
# the module applies around guest entry and exit, and that list is what
# L1's own kernel asks of a hypervisor, read back from
# /sys/devices/system/cpu/vulnerabilities/* (strings of the kernel's
# arch/x86/kernel/cpu/bugs.c), /proc/cpuinfo's flags and the command
# line.  An emulated CPU reports "Not affected" for much: each check
# says which branch this CPU took.  The lab boots L1 with
# mitigations=off (all "none"); LAB_CMDLINE=mitigations=auto turns the
# kernel's own choices on (Bochs: rsb_vmexit, verw, L1TF without
# IA32_FLUSH_CMD; QEMU: rsb_vmexit).
. /selftests/data/tap.sh

V=/sys/devices/system/cpu/vulnerabilities
[ -d "$V" ] || tap_skip_all "no $V"
tap_plan 9

vuln() { cat "$V/$1" 2>/dev/null || echo "absent"; }
flag() { grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -qx "$1"; }
# param NAME: the value of NAME= on the command line, the last one winning.
param() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }

kxen_unload
dmesg_mark
tap_check "insmod kxen.ko succeeds" kxen_load
vendor=$(xl_info kxen_vendor)
mit=$(xl_info kxen_mitigations)
echo "# vendor $vendor; kxen_mitigations: ${mit:-<missing>}"
for f in spectre_v2 retbleed srso vmscape mds tsx_async_abort \
	 mmio_stale_data reg_file_data_sampling tsa l1tf; do
	echo "# $f: $(vuln $f)"
done
echo "# cmdline: $(cat /proc/cmdline)"

tap_check "xl-lite info has kxen_mitigations" test -n "$mit"

# The log line at load names the same list.
logged=$(dmesg_new | sed -n 's/.*kxen: speculation mitigations: *\([^;]*\);.*/\1/p' | tail -n 1)
echo "# logged: ${logged:-<none>}"
tap_check "dmesg names the same mitigations as xl-lite info" \
	test -n "$logged" -a "$logged" = "$mit"

listed() { case " $mit " in *" $1 "*) return 0 ;; esac; return 1; }

# expect NAME WANT WHY: NAME is listed exactly when WANT is 1.
expect()
{
	if [ "$2" = 1 ]; then
		tap_check "$1 listed: $3" listed "$1"
	else
		tap_check "$1 not listed: $3" sh -c "! case ' $mit ' in *' $1 '*) true ;; *) false ;; esac"
	fi
}

sv2=$(vuln spectre_v2)
rb=$(vuln retbleed)
srso=$(vuln srso)
vms=$(vuln vmscape)

# IBPB after every exit: retbleed=ibpb (on AMD, where its string says
# so), spec_rstack_overflow=ibpb / ibpb-vmexit, vmscape's IBPB on VMEXIT.
ibpb_vmexit=0
why="no IBPB-on-exit mitigation"
case "$rb" in "Mitigation: IBPB"*) ibpb_vmexit=1; why="retbleed: IBPB" ;; esac
case "$srso" in "Mitigation: IBPB"*) ibpb_vmexit=1; why="srso: $srso" ;; esac
case "$vms" in "Mitigation: IBPB on VMEXIT"*) ibpb_vmexit=1; why="vmscape: $vms" ;; esac
expect ibpb_vmexit $ibpb_vmexit "$why"

# RSB: the full fill where spectre_v2 runs with retpolines, LFENCE or
# (legacy) IBRS, unless retbleed=ibpb dropped it; the lite one where
# eIBRS has PBRSB (VT-x only).
rsb=0
lite=0
case "$sv2" in
"Mitigation: Retpolines"* | "Mitigation: LFENCE"* | "Mitigation: IBRS"*)
	rsb=1; why="spectre_v2 fills the RSB on exit" ;;
*"PBRSB-eIBRS: SW sequence"*)
	[ "$vendor" = vmx ] && lite=1; why="eIBRS with PBRSB" ;;
*)	why="spectre_v2 wants no fill on exit" ;;
esac
case "$rb" in "Mitigation: IBPB"*)
	[ $rsb = 1 ] && why="retbleed=ibpb replaces the fill"; rsb=0 ;;
esac
expect rsb_vmexit $rsb "$why"
expect rsb_vmexit_lite $lite "$why"

# IBPB between domains: where the kernel uses IBPB on context switch
# (spectre_v2's "IBPB: conditional/always-on"), unless one follows
# every exit anyway.
ibpb=0
case "$sv2" in
*"IBPB: conditional"* | *"IBPB: always-on"*)
	why="spectre_v2_user uses IBPB"; [ $ibpb_vmexit = 0 ] && ibpb=1 ;;
*)	why="the kernel uses no IBPB on context switch" ;;
esac
expect ibpb $ibpb "$why"

# VERW before entry.  VT-x: where the kernel clears CPU buffers itself
# (MDS, TAA, RFDS; MMIO Stale Data where MDS also applies; TSA's
# user/kernel and full modes).  AMD-V: where TSA asks for VERW before
# VMRUN (in a VM, the "no microcode" mode is forced to full).
verw=0
why="no mitigation clears CPU buffers"
if [ "$vendor" = vmx ]; then
	case "$(vuln mds)" in *"Clear CPU buffers"*) verw=1; why="mds" ;; esac
	case "$(vuln tsx_async_abort)" in *"Clear CPU buffers"*) verw=1; why="taa" ;; esac
	case "$(vuln reg_file_data_sampling)" in *"Clear Register File"*) verw=1; why="rfds" ;; esac
	case "$(vuln mmio_stale_data)" in *"Clear CPU buffers"*)
		[ "$(vuln mds)" != "Not affected" ] && { verw=1; why="mmio_stale_data with mds"; } ;;
	esac
	case "$(vuln tsa)" in
	*"user/kernel boundary"* | "Mitigation: Clear CPU buffers")
		verw=1; why="tsa" ;;
	esac
else
	case "$(vuln tsa)" in
	"Mitigation: Clear CPU buffers"*) case "$(vuln tsa)" in
		*"user/kernel boundary"*) ;;
		*) verw=1; why="tsa" ;;
		esac ;;
	"Vulnerable: Clear CPU buffers attempted"*)
		flag hypervisor && { verw=1; why="tsa forced in a VM"; } ;;
	esac
fi
expect verw $verw "$why"

# L1D flush: VT-x on an L1TF-affected CPU with IA32_FLUSH_CMD
# (flush_l1d), unless l1tf=off; kxen does no software flush, and says
# so at load.
l1d=0
if [ "$vendor" != vmx ]; then
	why="AMD-V"
elif [ "$(vuln l1tf)" = "Not affected" ]; then
	why="L1TF not affected"
elif [ "$(param l1tf)" = off ] || [ "$(param mitigations)" = off ]; then
	why="l1tf=off or mitigations=off"
elif ! flag flush_l1d; then
	why="L1TF affected, no flush_l1d: skipped"
	dmesg_new | grep -q 'kxen: L1TF: guests can read host data' ||
		why="$why (and the load-time warning is MISSING)"
elif dmesg_new | grep -q 'L1D flush: not needed'; then
	why="the CPU reports SKIP_L1DFL_VMENTRY"
else
	l1d=1; why="L1TF affected, flush_l1d"
fi
expect l1d_flush $l1d "$why"

dmesg_new | grep 'kxen' | sed 's/^/# /'
tap_done
