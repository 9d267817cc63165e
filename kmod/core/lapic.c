// SPDX-License-Identifier: GPL-2.0
/*
 * A local APIC per vCPU, in x2APIC mode only (SDM Vol. 3 ch. 10-11):
 * registers are MSRs 0x800-0x8ff, so no MMIO decoding is needed.  The
 * guest finds x2APIC enabled, as a PVH guest under Xen does.  What Linux
 * uses is here: ID/LDR, TPR/PPR, EOI with ISR/IRR, the LVTs, the timer
 * (one-shot and periodic, 1 GHz bus as Xen's vlapic), fixed and NMI
 * IPIs between vCPUs, self-IPI, and INIT-SIPI-SIPI to start an AP.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/bitops.h>
#include <linux/slab.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>

#include "kxen.h"

#define KXEN_X2APIC_BASE	0x800
#define KXEN_X2APIC_LAST	0x8ff
#define KXEN_APIC_VERSION	0x14
#define KXEN_APIC_NR_LVT	7
#define KXEN_LVT_MASKED		BIT(16)
#define KXEN_LVT_PERIODIC	BIT(17)

/* x2APIC register numbers: MSR - 0x800 = xAPIC offset >> 4. */
enum {
	R_ID = 0x02, R_VER = 0x03, R_TPR = 0x08, R_PPR = 0x0a, R_EOI = 0x0b,
	R_LDR = 0x0d, R_SVR = 0x0f, R_ISR = 0x10, R_TMR = 0x18, R_IRR = 0x20,
	R_ESR = 0x28, R_LVT_CMCI = 0x2f, R_ICR = 0x30, R_LVT_TIMER = 0x32,
	R_LVT_ERROR = 0x37, R_TMICT = 0x38, R_TMCCT = 0x39, R_TDCR = 0x3e,
	R_SELF_IPI = 0x3f,
};

struct kxen_lapic {
	struct kxen_vcpu *v;
	spinlock_t lock;		/* everything below */
	u32 tpr, svr, esr, tmict, tdcr;
	u32 lvt[KXEN_APIC_NR_LVT];	/* CMCI, timer, thermal, perf, LINT0/1, error */
	unsigned long irr[256 / BITS_PER_LONG];
	unsigned long isr[256 / BITS_PER_LONG];
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

static u32 kxen_ppr(struct kxen_lapic *a)
{
	int isr = kxen_highest(a->isr);
	u32 isrv = isr < 0 ? 0 : isr & 0xf0;

	return (a->tpr & 0xf0) >= isrv ? a->tpr : isrv;
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

/* Accept a vector; the caller kicks the vCPU. */
static void kxen_lapic_set_irr(struct kxen_lapic *a, u8 vec)
{
	unsigned long flags;

	if (vec < 16)
		return;		/* illegal vector: SDM sets ESR; we drop it */
	spin_lock_irqsave(&a->lock, flags);
	__set_bit(vec, a->irr);
	spin_unlock_irqrestore(&a->lock, flags);
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
	a->v = v;
	spin_lock_init(&a->lock);
	a->svr = 0xff;
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
	kfree(v->lapic);
	v->lapic = NULL;
	kxen_stats_objects(-1);
}

/* Bank @idx of ISR/IRR: vectors idx*32 .. idx*32+31. */
static int kxen_lapic_read_bank(const unsigned long *bits, u32 idx, u64 *val)
{
	*val = (u32)(bits[idx * 32 / BITS_PER_LONG] >>
		     (idx * 32 % BITS_PER_LONG));
	return 0;
}

int kxen_lapic_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val)
{
	struct kxen_lapic *a = v->lapic;
	u32 reg = msr - KXEN_X2APIC_BASE;
	int lvt = kxen_lvt_index(reg);

	switch (reg) {
	case R_ID:
		*val = kxen_apic_id(a);
		return 0;
	case R_VER:
		*val = KXEN_APIC_VERSION | ((KXEN_APIC_NR_LVT - 1) << 16);
		return 0;
	case R_TPR:
		*val = a->tpr;
		return 0;
	case R_PPR:
		*val = kxen_ppr(a);
		return 0;
	case R_LDR:	/* cluster in 31:16, bit in cluster (SDM 10.12.10.2) */
		*val = ((kxen_apic_id(a) >> 4) << 16) |
		       BIT(kxen_apic_id(a) & 0xf);
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
		return kxen_lapic_read_bank(a->isr, reg - R_ISR, val);
	if (reg >= R_TMR && reg < R_TMR + 8) {
		*val = 0;	/* edge-triggered only */
		return 0;
	}
	if (reg >= R_IRR && reg < R_IRR + 8)
		return kxen_lapic_read_bank(a->irr, reg - R_IRR, val);
	if (lvt >= 0) {
		*val = a->lvt[lvt];
		return 0;
	}
	return -EINVAL;		/* reserved or write-only: #GP */
}

/* ICR (SDM Vol. 3 10.6.1): fixed and NMI to vCPUs by x2APIC ID. */
static int kxen_lapic_ipi(struct kxen_vcpu *v, u64 icr)
{
	struct kxen_domain *d = v->dom;
	u32 mode = (icr >> 8) & 7, shorthand = (icr >> 18) & 3;
	u32 dest = icr >> 32, i;
	struct kxen_vcpu *t;

	if (mode != APIC_DM_FIXED >> 8 && mode != APIC_DM_NMI >> 8 &&
	    mode != APIC_DM_INIT >> 8 && mode != APIC_DM_STARTUP >> 8)
		return 0;
	for (i = 0; i < d->nr_vcpus; i++) {
		t = d->vcpus[i];
		if ((shorthand == 1 && t != v) || (shorthand == 3 && t == v) ||
		    (shorthand == 0 && dest != 0xffffffff &&
		     dest != kxen_apic_id(t->lapic)))
			continue;
		if (mode == APIC_DM_INIT >> 8) {
			/* Level de-assert INITs (old 82489DX) change nothing. */
			if (icr & APIC_INT_ASSERT)
				WRITE_ONCE(t->init_received, true);
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

static void kxen_lapic_eoi(struct kxen_lapic *a)
{
	unsigned long flags;
	int vec;

	spin_lock_irqsave(&a->lock, flags);
	vec = kxen_highest(a->isr);
	if (vec >= 0)
		__clear_bit(vec, a->isr);
	spin_unlock_irqrestore(&a->lock, flags);
}

int kxen_lapic_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val)
{
	struct kxen_lapic *a = v->lapic;
	u32 reg = msr - KXEN_X2APIC_BASE;
	int lvt = kxen_lvt_index(reg);

	if (reg != R_ICR && val >> 32)
		return -EINVAL;
	switch (reg) {
	case R_TPR:
		a->tpr = val & 0xff;
		return 0;
	case R_EOI:
		if (val)
			return -EINVAL;	/* x2APIC: non-zero EOI is #GP */
		kxen_lapic_eoi(a);
		return 0;
	case R_SVR:
		a->svr = val & 0x13ff;
		return 0;
	case R_ESR:
		a->esr = 0;
		return 0;
	case R_ICR:
		return kxen_lapic_ipi(v, val);
	case R_TMICT:
		a->tmict = val;
		kxen_lapic_timer_start(a);
		return 0;
	case R_TDCR:
		a->tdcr = val & 0xb;
		return 0;
	case R_SELF_IPI:
		kxen_lapic_set_irr(a, val & 0xff);
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

bool kxen_lapic_is_reg(u32 msr)
{
	return msr >= KXEN_X2APIC_BASE && msr <= KXEN_X2APIC_LAST;
}

/* The vector to inject now, if it beats the processor priority. */
int kxen_lapic_pending(struct kxen_vcpu *v)
{
	struct kxen_lapic *a = v->lapic;
	int vec;

	if (!a || !(READ_ONCE(a->svr) & APIC_SPIV_APIC_ENABLED))
		return -1;
	vec = kxen_highest(a->irr);
	if (vec < 0 || (vec & 0xf0) <= (kxen_ppr(a) & 0xf0))
		return -1;
	return vec;
}

/* The vector was injected: IRR -> ISR (SDM Vol. 3 10.8.4). */
void kxen_lapic_accept(struct kxen_vcpu *v, int vec)
{
	struct kxen_lapic *a = v->lapic;
	unsigned long flags;

	spin_lock_irqsave(&a->lock, flags);
	__clear_bit(vec, a->irr);
	__set_bit(vec, a->isr);
	spin_unlock_irqrestore(&a->lock, flags);
}
