/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which XSAVE components a guest is offered and which XCR0 values it may
 * set, from the host's XCR0 alone.  Plain C for the kernel (fpu.c) and
 * for the userspace unit test, which runs it against host XCR0 values no
 * emulator here has (AMX, PKRU, supervisor components).
 */
#ifndef KXEN_CORE_XCR0_POLICY_H
#define KXEN_CORE_XCR0_POLICY_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <linux/types.h>
typedef __u64 u64;
#define BIT_ULL(n)	(1ULL << (n))
#endif

/* XSAVE state components by their bit (SDM Vol. 1 13.1, Table 13-1). */
#define KXEN_XF_FP		BIT_ULL(0)
#define KXEN_XF_SSE		BIT_ULL(1)
#define KXEN_XF_YMM		BIT_ULL(2)
#define KXEN_XF_BNDREGS		BIT_ULL(3)
#define KXEN_XF_BNDCSR		BIT_ULL(4)
#define KXEN_XF_OPMASK		BIT_ULL(5)
#define KXEN_XF_ZMM_HI256	BIT_ULL(6)
#define KXEN_XF_HI16_ZMM	BIT_ULL(7)
#define KXEN_XF_PT		BIT_ULL(8)	/* supervisor */
#define KXEN_XF_PKRU		BIT_ULL(9)
#define KXEN_XF_XTILE_CFG	BIT_ULL(17)
#define KXEN_XF_XTILE_DATA	BIT_ULL(18)	/* dynamic: needs XFD */

#define KXEN_XF_FPSSE		(KXEN_XF_FP | KXEN_XF_SSE)
#define KXEN_XF_AVX512		(KXEN_XF_OPMASK | KXEN_XF_ZMM_HI256 | \
				 KXEN_XF_HI16_ZMM)

/*
 * What kxen can switch around an entry: x87, SSE, AVX and AVX-512.  Not
 * MPX (no BNDCFGS switching), PKRU (PKU is hidden), AMX (its tile data
 * is a dynamic, XFD-armed buffer) or any supervisor component (XSAVES is
 * hidden).
 */
#define KXEN_XF_OFFERABLE	(KXEN_XF_FPSSE | KXEN_XF_YMM | KXEN_XF_AVX512)

u64 kxen_xcr0_offered(u64 host_xcr0, bool has_xsave);
bool kxen_xcr0_valid(u64 val, u64 offered);

#endif /* KXEN_CORE_XCR0_POLICY_H */
