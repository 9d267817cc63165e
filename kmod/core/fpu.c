// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's FPU/SSE/AVX state and XCR0, for both vendors: neither VT-x
 * nor AMD-V switches them.  The registers are loaded once for a run of
 * entries and exits (kxen_fpu_begin(), inside a kernel_fpu_begin()
 * section: the host's own state is then the kernel's to keep, and no
 * host code uses them until kxen_fpu_end() saves them), as KVM keeps the
 * guest's FPU loaded across the exits it handles in the kernel.  XCR0
 * is switched around each entry alone, with IRQs off, so host code never
 * runs with the guest's XCR0.  Standard (non-compacted) XSAVE format,
 * FXSAVE where the CPU has no XSAVE.
 *
 * What is switched is every state component kxen offers the guest
 * (kxen_fpu_guest_xfeatures()), not only those in the guest's XCR0: x87
 * and SSE (with MXCSR) are architectural whatever XCR0 says, and a
 * guest that runs with FXSAVE and never executes XSETBV still uses its
 * XMM registers.  XRSTOR and XSAVE run while the host's XCR0 is loaded,
 * which covers every offered component, so a component the guest turns
 * off and on again in XCR0 keeps its state as well (SDM Vol. 1 13.7,
 * 13.8: the requested-feature bitmap is XCR0 AND EDX:EAX).
 */
#include <linux/slab.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>
#include <asm/processor.h>

#include "kxen.h"
#include "xcr0_policy.h"

/* State components kxen may offer, if the host has them enabled. */
/* Linux programs XCR0 once at boot; read it once. */
static u64 kxen_host_xcr0(void)
{
	static u64 xcr0;

	if (!xcr0 && boot_cpu_has(X86_FEATURE_XSAVE))
		xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	return xcr0;
}

/*
 * The components the guest is offered: in CPUID leaf 0xD (cpuid.c), in
 * what XSETBV accepts, and switched around every entry
 * (xcr0_policy.c).  The policy names the components by their
 * architectural bits; they are the kernel's XFEATURE_MASK_* bits.
 */
u64 kxen_fpu_guest_xfeatures(void)
{
	BUILD_BUG_ON((KXEN_XF_FPSSE ^ XFEATURE_MASK_FPSSE) |
		     (KXEN_XF_YMM ^ XFEATURE_MASK_YMM) |
		     (KXEN_XF_AVX512 ^ XFEATURE_MASK_AVX512) |
		     (KXEN_XF_BNDREGS ^ XFEATURE_MASK_BNDREGS) |
		     (KXEN_XF_BNDCSR ^ XFEATURE_MASK_BNDCSR) |
		     (KXEN_XF_PT ^ XFEATURE_MASK_PT) |
		     (KXEN_XF_PKRU ^ XFEATURE_MASK_PKRU) |
		     (KXEN_XF_XTILE_CFG ^ XFEATURE_MASK_XTILE_CFG) |
		     (KXEN_XF_XTILE_DATA ^ XFEATURE_MASK_XTILE_DATA));
	return kxen_xcr0_offered(kxen_host_xcr0(),
				 boot_cpu_has(X86_FEATURE_XSAVE));
}

static bool kxen_fpu_xcr0_valid(u64 val)
{
	return kxen_xcr0_valid(val, kxen_fpu_guest_xfeatures());
}

/*
 * Size of an XSAVE image holding the components in @mask (SDM Vol. 1
 * 13.4.3; CPUID.(EAX=0DH,ECX=i) gives each one's size, offset and
 * alignment): in the standard format the end of the highest one; in the
 * compacted format each in order after the legacy area and header,
 * 64-byte aligned where sub-leaf i ECX bit 1 says so.  At least the
 * legacy area and header.
 */
unsigned int kxen_fpu_xstate_size(u64 mask, bool compacted)
{
	unsigned int eax, ebx, ecx, edx, size = 512 + 64;
	int i;

	for (i = 2; i < 64; i++) {
		if (!(mask & BIT_ULL(i)))
			continue;
		cpuid_count(0xd, i, &eax, &ebx, &ecx, &edx);
		if (!compacted)
			size = max(size, ebx + eax);
		else
			size = (ecx & BIT(1) ? ALIGN(size, 64) : size) + eax;
	}
	return size;
}

int kxen_fpu_alloc(struct kxen_vcpu *v)
{
	struct kxen_fpu *f = &v->fpu;

	f->size = kxen_fpu_xstate_size(kxen_fpu_guest_xfeatures(), false);
	f->area = kzalloc(ALIGN(f->size, 64), GFP_KERNEL);
	if (!f->area)
		return -ENOMEM;
	/*
	 * Reset values: FCW 0x37f, MXCSR 0x1f80 (SDM Vol. 1 13.4, Vol. 3
	 * 10.1 table 10-1).  XSTATE_BV is 0, so XRSTOR puts every component
	 * in its initial state, except MXCSR, which it always loads when SSE
	 * is requested (SDM Vol. 1 13.8.1).
	 */
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

/*
 * The guest's registers in, for entries to come; preemption is off until
 * kxen_fpu_end().  XRSTOR runs with the host's XCR0 loaded: every offered
 * component.
 */
void kxen_fpu_begin(struct kxen_vcpu *v)
{
	struct kxen_fpu *f = &v->fpu;
	u64 mask = kxen_fpu_guest_xfeatures();

	kernel_fpu_begin();
	if (!boot_cpu_has(X86_FEATURE_XSAVE)) {
		asm volatile("fxrstor64 %0" :: "m" (*(char *)f->area));
		return;
	}
	asm volatile("xrstor64 %0" :: "m" (*(char *)f->area),
		     "a" ((u32)mask), "d" ((u32)(mask >> 32)) : "memory");
}

/* The guest's registers saved, the host's FPU usable again. */
void kxen_fpu_end(struct kxen_vcpu *v)
{
	struct kxen_fpu *f = &v->fpu;
	u64 mask = kxen_fpu_guest_xfeatures();

	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		asm volatile("fxsave64 %0" : "=m" (*(char *)f->area));
	else
		asm volatile("xsave64 %0" : "+m" (*(char *)f->area)
			     : "a" ((u32)mask), "d" ((u32)(mask >> 32))
			     : "memory");
	kernel_fpu_end();
}

/* Just before an entry, IRQs off: the guest's XCR0. */
void kxen_fpu_guest_xcr0(struct kxen_vcpu *v)
{
	if (boot_cpu_has(X86_FEATURE_XSAVE) &&
	    v->fpu.xcr0 != kxen_host_xcr0())
		xsetbv(XCR_XFEATURE_ENABLED_MASK, v->fpu.xcr0);
}

/*
 * Just after an exit, IRQs off: the host's XCR0 back.  XCR0 is only ever
 * set by kxen_fpu_xsetbv(), on the intercepted XSETBV, but QEMU's TCG
 * (7.2) runs XSETBV in an SVM guest without honouring the intercept, so
 * there the guest loads XCR0 itself: the value it left is taken over
 * when kxen would have accepted it, so that it is not lost on the next
 * entry, and whatever it is, the host's goes back.  On hardware the
 * live value is always the one kxen loaded.
 */
void kxen_fpu_host_xcr0(struct kxen_vcpu *v)
{
	u64 live;

	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		return;
	live = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	if (unlikely(live != v->fpu.xcr0) && kxen_fpu_xcr0_valid(live))
		v->fpu.xcr0 = live;
	if (live != kxen_host_xcr0())
		xsetbv(XCR_XFEATURE_ENABLED_MASK, kxen_host_xcr0());
}

/* XSETBV from the guest: only XCR0, from CPL 0.  0, or -EINVAL for #GP. */
int kxen_fpu_xsetbv(struct kxen_vcpu *v, u32 index, u64 val)
{
	if (index != 0 || v->st.cpl || !kxen_fpu_xcr0_valid(val))
		return -EINVAL;
	v->fpu.xcr0 = val;
	return 0;
}
