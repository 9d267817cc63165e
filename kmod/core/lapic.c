// SPDX-License-Identifier: GPL-2.0
/*
 * A local APIC per vCPU (SDM Vol. 3 ch. 10-11).  The guest finds it
 * enabled in x2APIC mode, registers as MSRs 0x800-0x8ff, as a PVH guest
 * under Xen does.  IA32_APIC_BASE moves it between the modes (SDM
 * 10.12.5): disabled, xAPIC with its registers in the 4 KiB page at the
 * base address (32-bit accesses at offset reg << 4, reached through
 * mmio.c), and x2APIC.  What Linux and XTF use is here: ID/LDR (and DFR
 * in xAPIC mode), TPR/PPR, EOI with ISR/IRR, ESR, the LVTs, the timer
 * (one-shot and periodic, 1 GHz bus as Xen's vlapic), fixed and NMI
 * IPIs between vCPUs, self-IPI, and INIT-SIPI-SIPI to start an AP.
 *
 * TPR, ISR and IRR live in a register page laid out as the xAPIC page
 * (register N at offset N << 4), so that VT-x's virtual-interrupt
 * delivery can work on the same page (SDM Vol. 3 29.1, "virtual-APIC
 * page"): while the guest runs, the CPU itself moves a vector from IRR
 * to ISR when it delivers it and clears ISR on an EOI.  The page
 * belongs to the vCPU's own thread; other CPUs request a vector in a
 * separate bitmap (pir), which that thread folds into IRR before an
 * entry and before it reads IRR, as posted interrupts do in hardware.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/bitops.h>
#include <linux/slab.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>
#include <asm/processor.h>

#include "kxen.h"

#define KXEN_X2APIC_BASE	0x800
#define KXEN_X2APIC_LAST	0x8ff
#define KXEN_APIC_VERSION	0x14
#define KXEN_APIC_NR_LVT	7
#define KXEN_LVT_MASKED		BIT(16)
#define KXEN_LVT_PERIODIC	BIT(17)
#define KXEN_LVT_ERROR		6	/* index of LVT Error in lvt[] */
#define KXEN_APICBASE_MODE	(MSR_IA32_APICBASE_ENABLE | X2APIC_ENABLE)
#define KXEN_APICBASE_ADDR	(~0ULL << PAGE_SHIFT)
/* Offsets in the register page (xAPIC layout, SDM Vol. 3 Table 10-1). */
#define KXEN_VAPIC_TPR		0x080
#define KXEN_VAPIC_ISR		0x100
#define KXEN_VAPIC_IRR		0x200

/* x2APIC register numbers: MSR - 0x800 = xAPIC offset >> 4. */
enum {
	R_ID = 0x02, R_VER = 0x03, R_TPR = 0x08, R_PPR = 0x0a, R_EOI = 0x0b,
	R_LDR = 0x0d, R_DFR = 0x0e, R_SVR = 0x0f, R_ISR = 0x10, R_TMR = 0x18, R_IRR = 0x20,
	R_ESR = 0x28, R_LVT_CMCI = 0x2f, R_ICR = 0x30, R_ICR2 = 0x31, R_LVT_TIMER = 0x32,
	R_LVT_ERROR = 0x37, R_TMICT = 0x38, R_TMCCT = 0x39, R_TDCR = 0x3e,
	R_SELF_IPI = 0x3f,
};

struct kxen_lapic {
	struct kxen_vcpu *v;
	u64 base;		/* IA32_APIC_BASE less BSP; its own vCPU writes it */
	spinlock_t lock;		/* everything below but regs */
	u8 *regs;			/* TPR, ISR, IRR: see the top */
	u32 svr, esr, tmict, tdcr;
	u32 esr_pending;		/* errors since ESR was last written */
	u32 ldr, dfr, icr, icr2;	/* xAPIC mode only */
	u32 lvt[KXEN_APIC_NR_LVT];	/* CMCI, timer, thermal, perf, LINT0/1, error */
	unsigned long pir[256 / BITS_PER_LONG];	/* requested, not yet in IRR */
	u64 timer_start_ns;
	struct hrtimer timer;
	u64 timer_fires;	/* callbacks run, for the destroy summary */
};

static int kxen_lvt_index(u32 reg)
{
	if (reg == R_LVT_CMCI)
		return 0;
	if (reg >= R_LVT_TIMER && reg <= R_LVT_ERROR)
		return reg - R_LVT_TIMER + 1;
	return -1;
}

static u32 kxen_apic_id(struct kxen_lapic *a)
{
	return a->v->id * 2;	/* as libxl numbers them (MADT) */
}

static int kxen_highest(const unsigned long *bits)
{
	int i = find_last_bit(bits, 256);

	return i < 256 ? i : -1;
}

/* The 32-bit register at @off of the register page. */
static u32 *kxen_vapic(struct kxen_lapic *a, u32 off)
{
	return (u32 *)(a->regs + off);
}

/* Bank @idx (vectors idx*32 .. +31) of ISR or IRR at @base. */
static u32 *kxen_vapic_bank(struct kxen_lapic *a, u32 base, u32 idx)
{
	return kxen_vapic(a, base + idx * 0x10);
}

/* The highest vector set in ISR or IRR at @base, or -1. */
static int kxen_vapic_highest(struct kxen_lapic *a, u32 base)
{
	int i;
	u32 w;

	for (i = 7; i >= 0; i--) {
		w = READ_ONCE(*kxen_vapic_bank(a, base, i));
		if (w)
			return i * 32 + __fls(w);
	}
	return -1;
}

static void kxen_vapic_set(struct kxen_lapic *a, u32 base, u8 vec)
{
	*kxen_vapic_bank(a, base, vec / 32) |= BIT(vec % 32);
}

static void kxen_vapic_clear(struct kxen_lapic *a, u32 base, u8 vec)
{
	*kxen_vapic_bank(a, base, vec / 32) &= ~BIT(vec % 32);
}

static u32 kxen_tpr(struct kxen_lapic *a)
{
	return READ_ONCE(*kxen_vapic(a, KXEN_VAPIC_TPR)) & 0xff;
}

static u32 kxen_ppr(struct kxen_lapic *a)
{
	int isr = kxen_vapic_highest(a, KXEN_VAPIC_ISR);
	u32 isrv = isr < 0 ? 0 : isr & 0xf0, tpr = kxen_tpr(a);

	return (tpr & 0xf0) >= isrv ? tpr : isrv;
}

/*
 * Requests from other CPUs into IRR.  Only the vCPU's thread calls it,
 * while the guest is not running: then nothing else writes the page.
 */
static void kxen_lapic_fold(struct kxen_lapic *a)
{
	unsigned long w;
	int i, b;

	for (i = 0; i < ARRAY_SIZE(a->pir); i++) {
		if (!READ_ONCE(a->pir[i]))
			continue;
		w = xchg(&a->pir[i], 0);
		for_each_set_bit(b, &w, BITS_PER_LONG)
			kxen_vapic_set(a, KXEN_VAPIC_IRR, i * BITS_PER_LONG + b);
	}
}

/* Divide configuration register to divisor (SDM Vol. 3 Figure 11-10). */
static u32 kxen_divisor(u32 tdcr)
{
	u32 v = ((tdcr & 0x8) >> 1) | (tdcr & 0x3);

	return v == 7 ? 1 : 2 << v;
}

/*
 * A periodic timer no shorter than KVM's min_timer_period_us (200 us):
 * a guest's TMICT of 1 would otherwise have the host's hrtimer fire and
 * kick the vCPU back to back from hard-IRQ context.  One-shot counts
 * stay exact (each one is armed by an exit).
 */
#define KXEN_LAPIC_MIN_PERIOD_NS	200000ULL

static u64 kxen_timer_period_ns(struct kxen_lapic *a)
{
	u64 ns = (u64)a->tmict * kxen_divisor(a->tdcr);	/* 1 ns per tick */

	if (ns && (READ_ONCE(a->lvt[1]) & KXEN_LVT_PERIODIC))
		ns = max(ns, KXEN_LAPIC_MIN_PERIOD_NS);
	return ns;
}

static bool kxen_lapic_enabled(struct kxen_lapic *a)
{
	return READ_ONCE(a->base) & MSR_IA32_APICBASE_ENABLE;
}

static bool kxen_lapic_x2apic(struct kxen_lapic *a)
{
	return (READ_ONCE(a->base) & KXEN_APICBASE_MODE) == KXEN_APICBASE_MODE;
}

static bool kxen_lapic_xapic(struct kxen_lapic *a)
{
	return (READ_ONCE(a->base) & KXEN_APICBASE_MODE) ==
	       MSR_IA32_APICBASE_ENABLE;
}

/*
 * An APIC error (SDM Vol. 3 10.5.3): latched for the next ESR write, and
 * signalled through LVT Error.  An illegal vector there is itself a
 * receive error, recorded without a second delivery (Xen's XSA-462 fix).
 * Returns whether the vCPU needs a kick.
 */
static bool kxen_lapic_error(struct kxen_lapic *a, u32 bits)
{
	u32 lvt = READ_ONCE(a->lvt[KXEN_LVT_ERROR]);
	unsigned long flags;
	u8 vec = lvt & 0xff;
	bool deliver;

	spin_lock_irqsave(&a->lock, flags);
	a->esr_pending |= bits;
	deliver = !(lvt & KXEN_LVT_MASKED);
	if (deliver && vec < 16) {
		a->esr_pending |= APIC_ESR_RECVILL;
		deliver = false;
	}
	if (deliver)
		set_bit(vec, a->pir);
	spin_unlock_irqrestore(&a->lock, flags);
	return deliver;
}

/* Accept a vector, from any CPU; the caller kicks the vCPU. */
static void kxen_lapic_set_irr(struct kxen_lapic *a, u8 vec)
{
	if (!kxen_lapic_enabled(a))
		return;		/* a disabled APIC takes no interrupts */
	if (vec < 16) {
		kxen_lapic_error(a, APIC_ESR_RECVILL);
		return;
	}
	set_bit(vec, a->pir);
}

/*
 * An edge-triggered interrupt from the platform (the per-vCPU event
 * upcall, Xen's vlapic_set_irq): into IRR, and the vCPU is kicked.
 */
void kxen_lapic_raise(struct kxen_vcpu *v, u8 vec)
{
	kxen_lapic_set_irr(v->lapic, vec);
	kxen_vcpu_kick(v);
}

static enum hrtimer_restart kxen_lapic_timer_fn(struct hrtimer *t)
{
	struct kxen_lapic *a = container_of(t, struct kxen_lapic, timer);
	u32 lvt = READ_ONCE(a->lvt[1]);
	u64 period = kxen_timer_period_ns(a);

	a->timer_fires++;	/* only this callback writes it */
	if (!(lvt & KXEN_LVT_MASKED)) {
		kxen_lapic_set_irr(a, lvt & 0xff);
		kxen_vcpu_kick(a->v);
	}
	if ((lvt & KXEN_LVT_PERIODIC) && period) {
		a->timer_start_ns = ktime_get_ns();
		hrtimer_forward_now(t, ns_to_ktime(period));
		return HRTIMER_RESTART;
	}
	return HRTIMER_NORESTART;
}

static void kxen_lapic_timer_start(struct kxen_lapic *a)
{
	u64 period = kxen_timer_period_ns(a);

	hrtimer_cancel(&a->timer);
	a->timer_start_ns = ktime_get_ns();
	if (period)
		hrtimer_start(&a->timer, ns_to_ktime(period),
			      HRTIMER_MODE_REL);
}

static u32 kxen_timer_current(struct kxen_lapic *a)
{
	u64 period = kxen_timer_period_ns(a), done;

	if (!period || !hrtimer_active(&a->timer))
		return 0;
	done = ktime_get_ns() - a->timer_start_ns;
	if (done >= period)
		return 0;
	return (period - done) / kxen_divisor(a->tdcr);
}

int kxen_lapic_create(struct kxen_vcpu *v)
{
	struct kxen_lapic *a = kxen_fault_inject() ? NULL :
			       kzalloc(sizeof(*a), GFP_KERNEL);
	int i;

	if (!a)
		return -ENOMEM;
	a->regs = kxen_fault_inject() ? NULL :
		  (u8 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!a->regs) {
		kfree(a);
		return -ENOMEM;
	}
	kxen_stats_pages(1);
	a->v = v;
	a->base = APIC_DEFAULT_PHYS_BASE | KXEN_APICBASE_MODE;
	spin_lock_init(&a->lock);
	a->svr = 0xff;
	a->dfr = APIC_DFR_FLAT;
	for (i = 0; i < KXEN_APIC_NR_LVT; i++)
		a->lvt[i] = KXEN_LVT_MASKED;
	hrtimer_init(&a->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	a->timer.function = kxen_lapic_timer_fn;
	v->lapic = a;
	kxen_stats_objects(1);
	return 0;
}

u64 kxen_lapic_timer_fires(struct kxen_vcpu *v)
{
	return v->lapic ? READ_ONCE(v->lapic->timer_fires) : 0;
}

/* The vCPU is stopped for good: its timer must not outlive it. */
void kxen_lapic_stop(struct kxen_vcpu *v)
{
	if (v->lapic)
		hrtimer_cancel(&v->lapic->timer);
}

void kxen_lapic_free(struct kxen_vcpu *v)
{
	if (!v->lapic)
		return;
	hrtimer_cancel(&v->lapic->timer);
	free_page((unsigned long)v->lapic->regs);
	kxen_stats_pages(-1);
	kfree(v->lapic);
	v->lapic = NULL;
	kxen_stats_objects(-1);
}

/* Bank @idx of ISR/IRR: vectors idx*32 .. idx*32+31. */
static int kxen_lapic_read_bank(struct kxen_lapic *a, u32 base, u32 idx,
				u64 *val)
{
	if (base == KXEN_VAPIC_IRR)
		kxen_lapic_fold(a);
	*val = READ_ONCE(*kxen_vapic_bank(a, base, idx));
	return 0;
}

/* A register both modes have alike (x2APIC numbering); -EINVAL if none. */
static int kxen_lapic_read(struct kxen_lapic *a, u32 reg, u64 *val)
{
	int lvt = kxen_lvt_index(reg);

	switch (reg) {
	case R_VER:
		*val = KXEN_APIC_VERSION | ((KXEN_APIC_NR_LVT - 1) << 16);
		return 0;
	case R_TPR:
		*val = kxen_tpr(a);
		return 0;
	case R_PPR:
		*val = kxen_ppr(a);
		return 0;
	case R_SVR:
		*val = a->svr;
		return 0;
	case R_ESR:
		*val = a->esr;
		return 0;
	case R_TMICT:
		*val = a->tmict;
		return 0;
	case R_TMCCT:
		*val = kxen_timer_current(a);
		return 0;
	case R_TDCR:
		*val = a->tdcr;
		return 0;
	}
	if (reg >= R_ISR && reg < R_ISR + 8)
		return kxen_lapic_read_bank(a, KXEN_VAPIC_ISR, reg - R_ISR,
					    val);
	if (reg >= R_TMR && reg < R_TMR + 8) {
		*val = 0;	/* edge-triggered only */
		return 0;
	}
	if (reg >= R_IRR && reg < R_IRR + 8)
		return kxen_lapic_read_bank(a, KXEN_VAPIC_IRR, reg - R_IRR,
					    val);
	if (lvt >= 0) {
		*val = a->lvt[lvt];
		return 0;
	}
	return -EINVAL;		/* reserved or write-only: #GP */
}

int kxen_lapic_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val)
{
	struct kxen_lapic *a = v->lapic;
	u32 reg = msr - KXEN_X2APIC_BASE;

	if (!kxen_lapic_x2apic(a))
		return -EINVAL;	/* x2APIC MSRs in another mode (SDM 10.12.1.2) */
	switch (reg) {
	case R_ID:
		*val = kxen_apic_id(a);
		return 0;
	case R_LDR:	/* cluster in 31:16, bit in cluster (SDM 10.12.10.2) */
		*val = ((kxen_apic_id(a) >> 4) << 16) |
		       BIT(kxen_apic_id(a) & 0xf);
		return 0;
	}
	return kxen_lapic_read(a, reg, val);
}

/*
 * Whether target @t is a destination: x2APIC by its 32-bit ID
 * (all ones: everyone); xAPIC by its 8-bit ID (0xff: everyone) or, in
 * logical mode, by its LDR in the flat or cluster model of its DFR
 * (SDM Vol. 3 10.6.2.2).
 */
static bool kxen_lapic_dest(struct kxen_lapic *t, u32 dest, bool logical,
			    bool xapic)
{
	u32 ldr;

	if (!xapic)
		return dest == 0xffffffff || dest == kxen_apic_id(t);
	if (dest == 0xff)
		return true;
	if (!logical)
		return dest == kxen_apic_id(t);
	ldr = READ_ONCE(t->ldr) >> 24;
	if (READ_ONCE(t->dfr) >> 28 == 0xf)
		return dest & ldr;
	return dest >> 4 == ldr >> 4 && (dest & ldr & 0xf);
}

/*
 * ICR (SDM Vol. 3 10.6.1): fixed, NMI, INIT and SIPI to vCPUs.  The
 * destination is in bits 63:32 (x2APIC) or 63:56 (xAPIC, from ICR2).  A
 * fixed IPI of a vector below 16 is a send error here and a receive
 * error at each destination.
 */
static int kxen_lapic_ipi(struct kxen_vcpu *v, u64 icr, bool xapic)
{
	struct kxen_domain *d = v->dom;
	u32 mode = (icr >> 8) & 7, shorthand = (icr >> 18) & 3;
	u32 dest = xapic ? icr >> 56 : icr >> 32, i;
	bool logical = icr & APIC_DEST_LOGICAL;
	struct kxen_vcpu *t;

	if (mode != APIC_DM_FIXED >> 8 && mode != APIC_DM_NMI >> 8 &&
	    mode != APIC_DM_INIT >> 8 && mode != APIC_DM_STARTUP >> 8)
		return 0;
	if (mode == APIC_DM_FIXED >> 8 && (icr & 0xff) < 16 &&
	    kxen_lapic_error(v->lapic, APIC_ESR_SENDILL))
		kxen_vcpu_kick(v);
	for (i = 0; i < d->nr_vcpus; i++) {
		t = d->vcpus[i];
		if ((shorthand == 1 && t != v) || (shorthand == 3 && t == v) ||
		    (shorthand == 0 &&
		     !kxen_lapic_dest(t->lapic, dest, logical, xapic)))
			continue;
		if (mode == APIC_DM_INIT >> 8) {
			/* Level de-assert INITs (old 82489DX) change nothing. */
			if (icr & APIC_INT_ASSERT)
				kxen_vcpu_init_ipi(t);
			continue;
		}
		if (mode == APIC_DM_STARTUP >> 8) {
			kxen_vcpu_sipi(t, icr & 0xff);
			continue;
		}
		if (mode == APIC_DM_NMI >> 8)
			WRITE_ONCE(t->nmi_pending, true);
		else
			kxen_lapic_set_irr(t->lapic, icr & 0xff);
		kxen_vcpu_kick(t);
	}
	return 0;
}

/* From the vCPU's thread, as everything that writes the page. */
static void kxen_lapic_eoi(struct kxen_lapic *a)
{
	int vec = kxen_vapic_highest(a, KXEN_VAPIC_ISR);

	if (vec >= 0)
		kxen_vapic_clear(a, KXEN_VAPIC_ISR, vec);
}

/* A register both modes write alike (x2APIC numbering); -EINVAL if none. */
static int kxen_lapic_write(struct kxen_lapic *a, u32 reg, u32 val)
{
	int lvt = kxen_lvt_index(reg);
	unsigned long flags;

	switch (reg) {
	case R_TPR:
		WRITE_ONCE(*kxen_vapic(a, KXEN_VAPIC_TPR), val & 0xff);
		return 0;
	case R_SVR:
		a->svr = val & 0x13ff;
		return 0;
	case R_ESR:	/* latches the errors since the last write (10.5.3) */
		spin_lock_irqsave(&a->lock, flags);
		a->esr = a->esr_pending;
		a->esr_pending = 0;
		spin_unlock_irqrestore(&a->lock, flags);
		return 0;
	case R_TMICT:
		a->tmict = val;
		kxen_lapic_timer_start(a);
		return 0;
	case R_TDCR:
		a->tdcr = val & 0xb;
		return 0;
	}
	if (lvt >= 0) {
		a->lvt[lvt] = val & (lvt == 1 ? 0x710ff : 0x1f7ff);
		if (!(a->svr & APIC_SPIV_APIC_ENABLED))
			a->lvt[lvt] |= KXEN_LVT_MASKED;
		return 0;
	}
	return -EINVAL;
}

int kxen_lapic_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val)
{
	struct kxen_lapic *a = v->lapic;
	u32 reg = msr - KXEN_X2APIC_BASE;

	if (!kxen_lapic_x2apic(a))
		return -EINVAL;	/* x2APIC MSRs in another mode (SDM 10.12.1.2) */
	if (reg != R_ICR && val >> 32)
		return -EINVAL;
	switch (reg) {
	case R_EOI:
	case R_ESR:
		if (val)
			return -EINVAL;	/* x2APIC: non-zero is #GP */
		if (reg == R_ESR)
			break;
		kxen_lapic_eoi(a);
		return 0;
	case R_ICR:
		return kxen_lapic_ipi(v, val, false);
	case R_SELF_IPI:
		kxen_lapic_set_irr(a, val & 0xff);
		return 0;
	}
	return kxen_lapic_write(a, reg, val);
}

/* xAPIC mode: the registers that differ from x2APIC's (SDM 10.12.1.2). */
static u32 kxen_lapic_xapic_read(struct kxen_lapic *a, u32 reg)
{
	u64 val;

	switch (reg) {
	case R_ID:
		return kxen_apic_id(a) << 24;
	case R_LDR:
		return READ_ONCE(a->ldr);
	case R_DFR:
		return READ_ONCE(a->dfr);
	case R_ICR:
		return a->icr;		/* delivery status: always idle */
	case R_ICR2:
		return a->icr2;
	}
	return kxen_lapic_read(a, reg, &val) ? 0 : val;	/* reserved: 0 */
}

static void kxen_lapic_xapic_write(struct kxen_vcpu *v, u32 reg, u32 val)
{
	struct kxen_lapic *a = v->lapic;

	switch (reg) {
	case R_EOI:
		kxen_lapic_eoi(a);
		return;
	case R_LDR:
		WRITE_ONCE(a->ldr, val & 0xff000000);
		return;
	case R_DFR:	/* bits 27:0 read as ones */
		WRITE_ONCE(a->dfr, val | 0x0fffffff);
		return;
	case R_ICR2:
		a->icr2 = val & 0xff000000;
		return;
	case R_ICR:	/* the write of the low half sends it */
		a->icr = val & ~APIC_ICR_BUSY;
		kxen_lapic_ipi(v, (u64)a->icr2 << 32 | val, true);
		return;
	}
	kxen_lapic_write(a, reg, val);	/* ID, read-only, reserved: ignored */
}

static bool kxen_lapic_mmio_page(struct kxen_lapic *a, u64 gpa)
{
	return a && kxen_lapic_xapic(a) &&
	       (gpa & KXEN_APICBASE_ADDR) ==
	       (READ_ONCE(a->base) & KXEN_APICBASE_ADDR);
}

/*
 * The xAPIC page (SDM Vol. 3 10.4.1): 32-bit registers at 16-byte
 * aligned offsets.  A read of part of a register returns that part, of
 * the rest of the 16 bytes 0; a write takes effect only as an aligned
 * 32-bit store, the one access the SDM defines.  false: not this page,
 * or the APIC is not in xAPIC mode.
 */
bool kxen_lapic_mmio_read(struct kxen_vcpu *v, u64 gpa, unsigned int size,
			  u64 *val)
{
	unsigned int off = gpa & ~PAGE_MASK;

	if (!kxen_lapic_mmio_page(v->lapic, gpa))
		return false;
	*val = 0;
	if ((off & 0xf) < 4)
		*val = kxen_lapic_xapic_read(v->lapic, off >> 4) >>
		       (8 * (off & 3));
	return true;
}

bool kxen_lapic_mmio_write(struct kxen_vcpu *v, u64 gpa, unsigned int size,
			   u64 val)
{
	unsigned int off = gpa & ~PAGE_MASK;

	if (!kxen_lapic_mmio_page(v->lapic, gpa))
		return false;
	if (size == 4 && !(off & 0xf))
		kxen_lapic_xapic_write(v, off >> 4, val);
	return true;
}

u64 kxen_lapic_get_base(struct kxen_vcpu *v)
{
	return READ_ONCE(v->lapic->base) |
	       (v->id ? 0 : MSR_IA32_APICBASE_BSP);
}

/* The power-up state, in which a hardware disable leaves it (10.4.3). */
static void kxen_lapic_reset(struct kxen_lapic *a)
{
	unsigned long flags;
	int i;

	hrtimer_cancel(&a->timer);
	spin_lock_irqsave(&a->lock, flags);
	a->svr = 0xff;
	a->esr = 0;
	a->esr_pending = 0;
	a->tmict = 0;
	a->tdcr = 0;
	a->ldr = 0;
	a->dfr = APIC_DFR_FLAT;
	a->icr = 0;
	a->icr2 = 0;
	for (i = 0; i < KXEN_APIC_NR_LVT; i++)
		a->lvt[i] = KXEN_LVT_MASKED;
	bitmap_zero(a->pir, 256);
	memset(a->regs, 0, PAGE_SIZE);
	spin_unlock_irqrestore(&a->lock, flags);
}

/*
 * INIT (SDM Vol. 3 10.4.7.3): the local APIC as at power-up, but for its
 * APIC ID and IA32_APIC_BASE.  From the vCPU's own thread.
 */
void kxen_lapic_init_reset(struct kxen_vcpu *v)
{
	kxen_lapic_reset(v->lapic);
}

/*
 * WRMSR IA32_APIC_BASE (SDM Vol. 3 10.12.5, Figure 10-27): reserved
 * bits, EXTD without EN, x2APIC straight to xAPIC and disabled straight
 * to x2APIC are #GP.  BSP belongs to the platform: a write leaves it.
 */
int kxen_lapic_set_base(struct kxen_vcpu *v, u64 val)
{
	struct kxen_lapic *a = v->lapic;
	u64 addr = GENMASK_ULL(boot_cpu_data.x86_phys_bits - 1, PAGE_SHIFT);
	u64 old = a->base & KXEN_APICBASE_MODE;
	u64 new = val & KXEN_APICBASE_MODE;

	if (val & ~(addr | KXEN_APICBASE_MODE | MSR_IA32_APICBASE_BSP))
		return -EINVAL;
	if (new == X2APIC_ENABLE ||
	    (old == KXEN_APICBASE_MODE && new == MSR_IA32_APICBASE_ENABLE) ||
	    (!old && new == KXEN_APICBASE_MODE))
		return -EINVAL;
	if (old && !new)
		kxen_lapic_reset(a);
	WRITE_ONCE(a->base, val & ~(u64)MSR_IA32_APICBASE_BSP);
	return 0;
}

bool kxen_lapic_is_reg(u32 msr)
{
	return msr >= KXEN_X2APIC_BASE && msr <= KXEN_X2APIC_LAST;
}

static bool kxen_lapic_accepts(struct kxen_lapic *a)
{
	return a && kxen_lapic_enabled(a) &&
	       (READ_ONCE(a->svr) & APIC_SPIV_APIC_ENABLED);
}

/*
 * The vector to inject now, if it beats the processor priority.  Only
 * reads, so that a waker on another CPU may ask too.
 */
int kxen_lapic_pending(struct kxen_vcpu *v)
{
	struct kxen_lapic *a = v->lapic;
	int vec;

	if (!kxen_lapic_accepts(a))
		return -1;
	vec = max(kxen_vapic_highest(a, KXEN_VAPIC_IRR), kxen_highest(a->pir));
	if (vec < 0 || (vec & 0xf0) <= (kxen_ppr(a) & 0xf0))
		return -1;
	return vec;
}

/* The vector was injected: IRR -> ISR (SDM Vol. 3 10.8.4). */
void kxen_lapic_accept(struct kxen_vcpu *v, int vec)
{
	struct kxen_lapic *a = v->lapic;

	kxen_lapic_fold(a);
	kxen_vapic_clear(a, KXEN_VAPIC_IRR, vec);
	kxen_vapic_set(a, KXEN_VAPIC_ISR, vec);
}

/*
 * For virtual-interrupt delivery (SDM Vol. 3 29.1.1, guest interrupt
 * status): RVI, the highest vector requested, in bits 7:0 (0 while the
 * APIC is off, so that nothing is delivered), SVI, the highest in
 * service, in 15:8.  Folds the other CPUs' requests in first; from the
 * vCPU's thread with IRQs off, just before an entry.
 */
u16 kxen_lapic_vid_status(struct kxen_vcpu *v)
{
	struct kxen_lapic *a = v->lapic;
	int rvi, svi;

	kxen_lapic_fold(a);
	rvi = kxen_lapic_accepts(a) ? kxen_vapic_highest(a, KXEN_VAPIC_IRR) : 0;
	svi = kxen_vapic_highest(a, KXEN_VAPIC_ISR);
	return (rvi > 0 ? rvi : 0) | (svi > 0 ? svi : 0) << 8;
}

/* The register page, for the CPU's virtual-APIC page address. */
void *kxen_lapic_regs(struct kxen_vcpu *v)
{
	return v->lapic->regs;
}

/* x2APIC mode: the one in which VT-x virtualizes the EOI MSR. */
bool kxen_lapic_in_x2apic(struct kxen_vcpu *v)
{
	return kxen_lapic_x2apic(v->lapic);
}
