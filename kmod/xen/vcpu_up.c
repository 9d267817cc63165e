// SPDX-License-Identifier: GPL-2.0
/*
 * VCPUOP_initialise, VCPUOP_up, VCPUOP_down and VCPUOP_is_up (vcpu.h)
 * for an HVM/PVH guest: initialise takes a struct vcpu_hvm_context
 * (hvm/hvm_vcpu.h) and leaves the vCPU down until VCPUOP_up.  Checks
 * and results follow Xen 4.17 (xen/arch/x86/hvm/domain.c
 * arch_set_info_hvm_guest(), xen/common/domain.c common_vcpu_op()).
 */
#include <linux/types.h>
#include <linux/slab.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>
#include <xen/interface/xen.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/sched.h>
#include <xen/interface/hvm/hvm_vcpu.h>

#include "hcall.h"
#include "errno.h"
#include "state.h"

/* Packed segment attributes (hvm_vcpu.h's *_ar): type, S, DPL, P, G. */
#define KXEN_AR_TYPE(a)		((a) & 0xf)
#define KXEN_AR_S		BIT(4)
#define KXEN_AR_DPL(a)		(((a) >> 5) & 3)
#define KXEN_AR_P		BIT(7)
#define KXEN_AR_G		BIT(11)
#define KXEN_AR_PAD		0xf000
#define KXEN_TSS_BUSY		0xb	/* SYS_DESC_tss_busy */
#define KXEN_ATTR_CODE64	0xa9b
#define KXEN_ATTR_FLAT		0xc93
#define KXEN_ATTR_TSS		0x8b

/* What a guest may ask for in CR4 and EFER (the rest is -EINVAL). */
#define KXEN_CR4_OK	(X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | \
			 X86_CR4_DE | X86_CR4_PSE | X86_CR4_PAE | \
			 X86_CR4_MCE | X86_CR4_PGE | X86_CR4_PCE | \
			 X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | \
			 X86_CR4_FSGSBASE | X86_CR4_OSXSAVE)
#define KXEN_EFER_OK	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)

/* Xen's check_segment(): accessed/busy is set for a present segment. */
static int kxen_check_seg(struct kxen_seg_state *s, u32 base, u32 limit,
			  u16 ar, char which)
{
	s->base = base;
	s->limit = limit;
	s->sel = 0;
	s->attr = ar;
	if (ar & KXEN_AR_PAD)
		return -EINVAL;
	if (!ar)
		return which == 'd' || which == 'e' ? 0 : -EINVAL;
	s->attr |= !(ar & KXEN_AR_P) ? 0 : which == 't' ? 2 : 1;
	if (which == 't')
		return (ar & KXEN_AR_S) ||
		       KXEN_AR_TYPE(s->attr) != KXEN_TSS_BUSY ||
		       !(ar & KXEN_AR_P) ? -EINVAL : 0;
	if (!(ar & KXEN_AR_S) || !(ar & KXEN_AR_P))
		return -EINVAL;
	switch (which) {
	case 'c':
		return ar & 0x8 ? 0 : -EINVAL;
	case 's':
		return (ar & 0x8) || !(ar & 0x2) ? -EINVAL : 0;
	default:
		return (ar & 0x8) && !(ar & 0x2) ? -EINVAL : 0;
	}
}

static int kxen_ctx32(const struct vcpu_hvm_x86_32 *c,
		      struct kxen_vcpu_regs *r)
{
	u32 limit;

	if (c->pad1 || c->pad2[0] || c->pad2[1] || c->pad2[2])
		return -EINVAL;
	if (kxen_check_seg(&r->cs, c->cs_base, c->cs_limit, c->cs_ar, 'c') ||
	    kxen_check_seg(&r->ds, c->ds_base, c->ds_limit, c->ds_ar, 'd') ||
	    kxen_check_seg(&r->ss, c->ss_base, c->ss_limit, c->ss_ar, 's') ||
	    kxen_check_seg(&r->es, c->es_base, c->es_limit, c->es_ar, 'e') ||
	    kxen_check_seg(&r->tr, c->tr_base, c->tr_limit, c->tr_ar, 't'))
		return -EINVAL;
	limit = c->cs_ar & KXEN_AR_G ? (c->cs_limit << 12) | 0xfff :
				       c->cs_limit;
	if (c->eip > limit ||
	    KXEN_AR_DPL(c->ss_ar) != KXEN_AR_DPL(c->cs_ar) ||
	    ((c->ds_ar & KXEN_AR_P) &&
	     KXEN_AR_DPL(c->ds_ar) > KXEN_AR_DPL(c->cs_ar)) ||
	    ((c->es_ar & KXEN_AR_P) &&
	     KXEN_AR_DPL(c->es_ar) > KXEN_AR_DPL(c->cs_ar)) ||
	    ((c->efer & EFER_LMA) && !(c->efer & EFER_LME)))
		return -EINVAL;
	r->gprs[KXEN_REG_RAX] = c->eax;
	r->gprs[KXEN_REG_RCX] = c->ecx;
	r->gprs[KXEN_REG_RDX] = c->edx;
	r->gprs[KXEN_REG_RBX] = c->ebx;
	r->gprs[KXEN_REG_RSP] = c->esp;
	r->gprs[KXEN_REG_RBP] = c->ebp;
	r->gprs[KXEN_REG_RSI] = c->esi;
	r->gprs[KXEN_REG_RDI] = c->edi;
	r->rip = c->eip;
	r->rflags = c->eflags;
	r->cr0 = c->cr0;
	r->cr3 = c->cr3;
	r->cr4 = c->cr4;
	r->efer = c->efer;
	return 0;
}

static void kxen_flat(struct kxen_seg_state *s, u16 attr, u32 limit)
{
	s->sel = 0;
	s->base = 0;
	s->limit = limit;
	s->attr = attr;
}

static int kxen_ctx64(const struct vcpu_hvm_x86_64 *c,
		      struct kxen_vcpu_regs *r)
{
	if (!kxen_canonical(c->rip) || !(c->cr0 & X86_CR0_PG) ||
	    !(c->cr4 & X86_CR4_PAE) || !(c->efer & EFER_LME))
		return -EINVAL;
	r->gprs[KXEN_REG_RAX] = c->rax;
	r->gprs[KXEN_REG_RCX] = c->rcx;
	r->gprs[KXEN_REG_RDX] = c->rdx;
	r->gprs[KXEN_REG_RBX] = c->rbx;
	r->gprs[KXEN_REG_RSP] = c->rsp;
	r->gprs[KXEN_REG_RBP] = c->rbp;
	r->gprs[KXEN_REG_RSI] = c->rsi;
	r->gprs[KXEN_REG_RDI] = c->rdi;
	r->rip = c->rip;
	r->rflags = c->rflags;
	r->cr0 = c->cr0;
	r->cr3 = c->cr3;
	r->cr4 = c->cr4;
	r->efer = c->efer;
	kxen_flat(&r->cs, KXEN_ATTR_CODE64, ~0u);
	kxen_flat(&r->ds, KXEN_ATTR_FLAT, ~0u);
	kxen_flat(&r->es, KXEN_ATTR_FLAT, ~0u);
	kxen_flat(&r->ss, KXEN_ATTR_FLAT, ~0u);
	kxen_flat(&r->tr, KXEN_ATTR_TSS, 0x67);
	return 0;
}

/*
 * The checks common to both modes; beyond Xen's, states the hardware
 * would refuse to enter (paging without protection, long mode without
 * paging) are refused here rather than crashing the domain later.
 */
static int kxen_ctx_common(struct kxen_vcpu_regs *r)
{
	if (r->efer & EFER_LME)
		r->efer |= EFER_LMA;
	r->rflags |= X86_EFLAGS_FIXED;
	if ((r->cr4 & ~KXEN_CR4_OK) || (r->efer & ~KXEN_EFER_OK))
		return -EINVAL;
	if ((r->cr0 & X86_CR0_PG) && !(r->cr0 & X86_CR0_PE))
		return -EINVAL;
	if ((r->efer & EFER_LMA) &&
	    (!(r->cr0 & X86_CR0_PG) || !(r->cr4 & X86_CR4_PAE)))
		return -EINVAL;
	r->cr0 |= X86_CR0_ET;
	return 0;
}

static int kxen_ctx_regs(const struct vcpu_hvm_context *ctx,
			 struct kxen_vcpu_regs *r)
{
	int ret;

	if (ctx->pad)
		return -EINVAL;
	switch (ctx->mode) {
	case VCPU_HVM_MODE_32B:
		ret = kxen_ctx32(&ctx->cpu_regs.x86_32, r);
		break;
	case VCPU_HVM_MODE_64B:
		ret = kxen_ctx64(&ctx->cpu_regs.x86_64, r);
		break;
	default:
		return -EINVAL;
	}
	return ret ? ret : kxen_ctx_common(r);
}

static bool kxen_vcpu_is_up(struct kxen_vcpu *v)
{
	return test_bit(KXEN_VCPU_INITIALISED, &v->flags) &&
	       !READ_ONCE(v->down);
}

static long kxen_vcpu_op_initialise(struct kxen_hcall *hc,
				    struct kxen_vcpu *t)
{
	struct vcpu_hvm_context ctx;
	struct kxen_vcpu_regs *r;
	int ret;

	/* Past shared_info's slots a vCPU needs its own vcpu_info first. */
	if (!kxen_xen_vcpu_info(to_xd(t->dom), t->id))
		return -XEN_EINVAL;
	if (kxen_gva_read(hc->v, hc->args[2], &ctx, sizeof(ctx)))
		return -XEN_EFAULT;
	if (test_bit(KXEN_VCPU_INITIALISED, &t->flags))
		return -XEN_EEXIST;
	r = kzalloc(sizeof(*r), GFP_ATOMIC);
	if (!r)
		return -XEN_ENOMEM;
	ret = kxen_ctx_regs(&ctx, r);
	if (ret) {
		kfree(r);
		return -XEN_EINVAL;
	}
	ret = kxen_vcpu_initialise(t, r);
	/* No vendor hook: as if the sub-op did not exist. */
	return ret == -EEXIST ? -XEN_EEXIST : ret ? -XEN_ENOSYS : 0;
}

/* The last vCPU going down powers the domain off, as on Xen. */
static long kxen_vcpu_op_down(struct kxen_hcall *hc, struct kxen_vcpu *t)
{
	struct kxen_domain *d = hc->v->dom;
	struct kxen_xen_dom *xd = to_xd(d);
	unsigned long flags;
	bool last = true;
	unsigned int i;

	spin_lock_irqsave(&xd->lock, flags);
	for (i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i] != t && kxen_vcpu_is_up(d->vcpus[i]))
			last = false;
	if (!last)
		WRITE_ONCE(t->down, true);
	spin_unlock_irqrestore(&xd->lock, flags);
	if (last)
		kxen_domain_shutdown(d, SHUTDOWN_poweroff);
	else
		kxen_vcpu_kick(t);	/* out of guest mode, to sleep */
	return 0;
}

long kxen_vcpu_op_updown(struct kxen_hcall *hc, u32 cmd, u32 vcpu)
{
	struct kxen_vcpu *t = hc->v->dom->vcpus[vcpu];

	switch (cmd) {
	case VCPUOP_initialise:
		return kxen_vcpu_op_initialise(hc, t);
	case VCPUOP_up:
		if (!test_bit(KXEN_VCPU_INITIALISED, &t->flags))
			return -XEN_EINVAL;
		WRITE_ONCE(t->down, false);
		kxen_vcpu_kick(t);
		return 0;
	case VCPUOP_down:
		return kxen_vcpu_op_down(hc, t);
	default:
		return kxen_vcpu_is_up(t);
	}
}
