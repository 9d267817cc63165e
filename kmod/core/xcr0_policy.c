// SPDX-License-Identifier: GPL-2.0
/*
 * The XCR0 policy (xcr0_policy.h): plain C, no kernel calls, so the
 * userspace unit test (tests/xcr0_policy_test.c) runs the same code.
 */
#include "xcr0_policy.h"

/*
 * The components offered in CPUID leaf 0xD and accepted by XSETBV: the
 * host's, within what kxen can switch, AVX-512 only as its complete
 * triple on top of AVX.  Without XSAVE, x87 and SSE alone.
 */
u64 kxen_xcr0_offered(u64 host_xcr0, bool has_xsave)
{
	u64 x = host_xcr0 & KXEN_XF_OFFERABLE;

	if (!has_xsave)
		return KXEN_XF_FPSSE;
	if (!(x & KXEN_XF_YMM) || (x & KXEN_XF_AVX512) != KXEN_XF_AVX512)
		x &= ~KXEN_XF_AVX512;
	return x;
}

/*
 * An XCR0 value the guest may set (SDM Vol. 2 XSETBV, Vol. 1 13.3): x87
 * on; nothing outside @offered, so never a value the host's own XSETBV
 * would fault on when it switches back (AMX's TILEDATA without TILECFG,
 * a supervisor bit); AVX only with SSE; AVX-512 only as the whole triple
 * and with AVX; the AMX pair only together.  As KVM's __kvm_set_xcr.
 */
bool kxen_xcr0_valid(u64 val, u64 offered)
{
	if (!(val & KXEN_XF_FP) || (val & ~offered))
		return false;
	if ((val & KXEN_XF_YMM) && !(val & KXEN_XF_SSE))
		return false;
	if ((val & KXEN_XF_AVX512) &&
	    ((val & KXEN_XF_AVX512) != KXEN_XF_AVX512 || !(val & KXEN_XF_YMM)))
		return false;
	if (!(val & KXEN_XF_XTILE_CFG) != !(val & KXEN_XF_XTILE_DATA))
		return false;
	return true;
}
