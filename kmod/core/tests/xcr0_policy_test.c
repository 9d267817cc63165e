// SPDX-License-Identifier: GPL-2.0
/*
 * The XCR0 policy (kmod/core/xcr0_policy.c) against host XCR0 values of
 * CPUs no emulator here has: AMX, PKRU, MPX, supervisor components.
 * What the guest is offered, then every value XSETBV must refuse, as
 * KVM's __kvm_set_xcr refuses it (SDM Vol. 1 13.3, Vol. 2 XSETBV).
 */
#include <stdio.h>
#include "../xcr0_policy.h"
#include "tap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define AVX	(KXEN_XF_FPSSE | KXEN_XF_YMM)
#define AVX512	(AVX | KXEN_XF_AVX512)
#define AMX	(KXEN_XF_XTILE_CFG | KXEN_XF_XTILE_DATA)
/* A Sapphire Rapids host: x87..AVX-512, PKRU, AMX. */
#define SPR	(AVX512 | KXEN_XF_PKRU | AMX)

static void test_offered(void)
{
	CHECK(kxen_xcr0_offered(0, false) == KXEN_XF_FPSSE,
	      "no XSAVE: x87 and SSE alone");
	CHECK(kxen_xcr0_offered(AVX, true) == AVX,
	      "an AVX host: x87, SSE, AVX");
	CHECK(kxen_xcr0_offered(SPR, true) == AVX512,
	      "an AMX host: AVX-512 offered; PKRU and AMX not (0x%llx)",
	      (unsigned long long)kxen_xcr0_offered(SPR, true));
	CHECK(kxen_xcr0_offered(AVX | KXEN_XF_BNDREGS | KXEN_XF_BNDCSR, true) == AVX,
	      "an MPX host: BNDREGS/BNDCSR not offered");
	CHECK(kxen_xcr0_offered(AVX | KXEN_XF_PT, true) == AVX,
	      "a supervisor component in the host's mask is never offered");
	CHECK(kxen_xcr0_offered(AVX | KXEN_XF_OPMASK, true) == AVX,
	      "half of AVX-512 on the host: none of it offered");
	CHECK(kxen_xcr0_offered(KXEN_XF_FPSSE | KXEN_XF_AVX512, true) ==
	      KXEN_XF_FPSSE,
	      "AVX-512 without AVX on the host: not offered");
}

struct bad {
	unsigned long long val;
	const char *why;
};

static const struct bad refused[] = {
	{ 0, "x87 clear (zero)" },
	{ KXEN_XF_SSE, "x87 clear, SSE set" },
	{ KXEN_XF_SSE | KXEN_XF_YMM, "x87 clear, AVX set" },
	{ KXEN_XF_FP | KXEN_XF_YMM, "AVX without SSE" },
	{ KXEN_XF_FP | KXEN_XF_YMM | KXEN_XF_AVX512, "AVX-512 without SSE" },
	{ AVX | KXEN_XF_OPMASK, "AVX-512: opmask alone" },
	{ AVX | KXEN_XF_OPMASK | KXEN_XF_ZMM_HI256, "AVX-512: two of three" },
	{ KXEN_XF_FPSSE | KXEN_XF_AVX512, "AVX-512 without AVX" },
	{ AVX | KXEN_XF_XTILE_DATA, "AMX TILEDATA without TILECFG" },
	{ AVX | KXEN_XF_XTILE_CFG, "AMX TILECFG without TILEDATA" },
	{ AVX | AMX, "AMX, both (a dynamic feature kxen does not offer)" },
	{ AVX | KXEN_XF_PKRU, "PKRU (PKU is hidden)" },
	{ AVX | KXEN_XF_BNDREGS | KXEN_XF_BNDCSR, "MPX" },
	{ AVX | KXEN_XF_PT, "a supervisor component (PT)" },
	{ AVX | (1ULL << 63), "a reserved bit (63)" },
};

static void test_valid(void)
{
	u64 offered = kxen_xcr0_offered(SPR, true);
	unsigned int i;

	CHECK(kxen_xcr0_valid(KXEN_XF_FP, offered), "x87 alone is valid");
	CHECK(kxen_xcr0_valid(KXEN_XF_FPSSE, offered), "x87 and SSE");
	CHECK(kxen_xcr0_valid(AVX, offered), "x87, SSE, AVX");
	CHECK(kxen_xcr0_valid(AVX512, offered), "x87 through AVX-512");
	for (i = 0; i < ARRAY_SIZE(refused); i++)
		CHECK(!kxen_xcr0_valid(refused[i].val, offered),
		      "refused on an AMX host: %s (0x%llx)", refused[i].why,
		      refused[i].val);
	/* What the host offers bounds it: AVX on an SSE-only host. */
	CHECK(!kxen_xcr0_valid(AVX, kxen_xcr0_offered(KXEN_XF_FPSSE, true)),
	      "AVX refused where the host has no AVX");
	CHECK(!kxen_xcr0_valid(AVX512, kxen_xcr0_offered(AVX, true)),
	      "AVX-512 refused where the host has none");
	/* Were AMX ever offered, the pair rule still holds. */
	CHECK(!kxen_xcr0_valid(AVX | KXEN_XF_XTILE_DATA, AVX | AMX) &&
	      kxen_xcr0_valid(AVX | AMX, AVX | AMX),
	      "with AMX offered: TILEDATA alone refused, the pair accepted");
}

int main(void)
{
	test_offered();
	test_valid();
	return tap_done();
}
