// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's FPU/SSE/AVX state and XCR0, for both vendors: neither VT-x
 * nor AMD-V switches them, so they are restored before each entry and
 * saved after it, inside a kernel_fpu_begin() section (the host's own
 * state is then the kernel's to keep).  Standard (non-compacted) XSAVE
 * format, FXSAVE where the CPU has no XSAVE.
 */
#include <linux/slab.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>
#include <asm/processor.h>

#include "kxen.h"

/* Linux programs XCR0 once at boot; read it once. */
static u64 kxen_host_xcr0(void)
{
	static u64 xcr0;

	if (!xcr0 && boot_cpu_has(X86_FEATURE_XSAVE))
		xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	return xcr0;
}

int kxen_fpu_alloc(struct kxen_vcpu *v)
{
	struct kxen_fpu *f = &v->fpu;
	unsigned int eax, ebx, ecx, edx;

	f->size = 512 + 64;	/* FXSAVE image + XSAVE header */
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
		f->size = max(f->size, ecx);
	}
	f->area = kzalloc(ALIGN(f->size, 64), GFP_KERNEL);
	if (!f->area)
		return -ENOMEM;
	/* Reset values: FCW 0x37f, MXCSR 0x1f80 (SDM Vol. 1 13.4). */
	*(u16 *)f->area = 0x37f;
	*(u32 *)(f->area + 24) = 0x1f80;
	f->xcr0 = XFEATURE_MASK_FP;
	return 0;
}

void kxen_fpu_free(struct kxen_vcpu *v)
{
	kfree(v->fpu.area);
	v->fpu.area = NULL;
}

/* Inside kernel_fpu_begin(): the guest's registers and XCR0 in. */
void kxen_fpu_load(struct kxen_vcpu *v)
{
	struct kxen_fpu *f = &v->fpu;
	u32 lo = f->xcr0, hi = f->xcr0 >> 32;

	if (!boot_cpu_has(X86_FEATURE_XSAVE)) {
		asm volatile("fxrstor64 %0" :: "m" (*(char *)f->area));
		return;
	}
	asm volatile("xrstor64 %0" :: "m" (*(char *)f->area), "a" (lo),
		     "d" (hi) : "memory");
	if (f->xcr0 != kxen_host_xcr0())
		xsetbv(XCR_XFEATURE_ENABLED_MASK, f->xcr0);
}

/* After the exit, IRQs off: the host's XCR0 back, the guest's saved. */
void kxen_fpu_save(struct kxen_vcpu *v)
{
	struct kxen_fpu *f = &v->fpu;
	u32 lo = f->xcr0, hi = f->xcr0 >> 32;

	if (!boot_cpu_has(X86_FEATURE_XSAVE)) {
		asm volatile("fxsave64 %0" : "=m" (*(char *)f->area));
		return;
	}
	if (f->xcr0 != kxen_host_xcr0())
		xsetbv(XCR_XFEATURE_ENABLED_MASK, kxen_host_xcr0());
	asm volatile("xsave64 %0" : "+m" (*(char *)f->area) : "a" (lo),
		     "d" (hi) : "memory");
}

/*
 * XSETBV from the guest (SDM Vol. 2 XSETBV, Vol. 1 13.3): only XCR0, from
 * CPL 0, with x87 on, within what the host enabled, and AVX/AVX-512
 * state only in the combinations the architecture allows.  0, or -EINVAL
 * for #GP.
 */
int kxen_fpu_xsetbv(struct kxen_vcpu *v, u32 index, u64 val)
{
	if (index != 0 || v->st.cpl || !(val & XFEATURE_MASK_FP) ||
	    (val & ~kxen_host_xcr0()) ||
	    ((val & XFEATURE_MASK_YMM) && !(val & XFEATURE_MASK_SSE)) ||
	    ((val & XFEATURE_MASK_AVX512) &&
	     (val & XFEATURE_MASK_AVX512) != XFEATURE_MASK_AVX512) ||
	    ((val & XFEATURE_MASK_AVX512) && !(val & XFEATURE_MASK_YMM)))
		return -EINVAL;
	v->fpu.xcr0 = val;
	return 0;
}
