#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Nested VT-x (guest-frontends nvmx): with nestedhvm = 1 on the VT-x
# backend the guest sees VMX in CPUID and its MSRs, the VMX instructions
# behave as SDM Vol. 3 chapter 31 says (kmod/arch/vmx/nested.c), and it
# runs a guest of its own with VMLAUNCH/VMRESUME: exits come back as its
# controls ask, bad VMCSes are refused, 1000 of garbage harm nothing
# (nested_run.c).  Without nestedhvm the guest sees no VMX and VMXON
# raises #UD.  Each run must report SUCCESS.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/nvmx.elf" ] || tap_skip_all "no nvmx.elf in $G"
kxen_load
if ! xl_info kxen_caps | grep -qw nested_vmx; then
	kxen_unload
	tap_skip_all "kxen_caps without nested_vmx: not the VT-x backend"
fi
tap_plan 8
base=$(kxen_live)

# nvmx_run NAME NESTED [CFG_LINE]: the guest told nested=NESTED.
nvmx_run() { guest_run_success "$1" "$G/nvmx.elf" "" "nested=$2" "${3:-}"; }

nvmx_run nvmx 1 "nestedhvm = 1"
tap_check "nestedhvm accepted without a warning" \
	sh -c '! grep -q nestedhvm /tmp/nvmx.err'
nvmx_run nvmx_off 0
live_back "$base"
kxen_unload
tap_done
