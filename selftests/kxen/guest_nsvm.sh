#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Nested AMD-V (guest-frontends nsvm): with nestedhvm = 1 the guest sees
# SVM and runs guests of its own with VMRUN; exits come back as its
# intercepts ask, GIF holds its interrupts, VMLOAD/VMSAVE move its hidden
# state (kmod/arch/svm/nested.c).  Without nestedhvm it sees no SVM and
# VMRUN raises #UD.  On a VT-x host nestedhvm gives VMX, not SVM
# (guest_nvmx): the guest still sees no SVM.  Each run must report SUCCESS.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/nsvm.elf" ] || tap_skip_all "no nsvm.elf in $G"
tap_plan 8
kxen_load
base=$(kxen_live)
if xl_info kxen_caps | grep -qw nested_svm; then
	nested=1
else
	nested=0
	echo "# kxen_caps without nested_svm: the guest must see no SVM"
fi

# nsvm_run NAME NESTED [CFG_LINE]: the guest told nested=NESTED.
nsvm_run() { guest_run_success "$1" "$G/nsvm.elf" "" "nested=$2" "${3:-}"; }

nsvm_run nsvm "$nested" "nestedhvm = 1"
if [ "$nested" = 1 ] || xl_info kxen_caps | grep -qw nested_vmx; then
	tap_check "nestedhvm accepted without a warning" \
		sh -c '! grep -q nestedhvm /tmp/nsvm.err'
else
	tap_check "nestedhvm refused with a warning naming it" \
		grep -q "nestedhvm: this kxen offers no nested" /tmp/nsvm.err
fi
# Without nestedhvm: no SVM for the guest.
nsvm_run nsvm_off 0
live_back "$base"
kxen_unload
tap_done
