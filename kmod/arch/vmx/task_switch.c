// SPDX-License-Identifier: GPL-2.0
/*
 * Task switches under VT-x (SDM Vol. 3 7.3, "Task Switching").  Every
 * task switch exits (SDM Vol. 3 26.1.2), with the new TSS selector and
 * what started the switch in the exit qualification (27.2.1, Table
 * 27-2); the switch is emulated here.  AMD-V leaves task switches to the
 * CPU, so this is VT-x only.  Only 32-bit TSSs are emulated: a switch
 * to or from a 16-bit TSS fails the domain, saying so.  In IA-32e mode
 * task switches do not exist; the CPU faults them itself.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/debugreg.h>
#include <asm/trapnr.h>

#include "vmx.h"
#include "vmx_ops.h"

/* The 32-bit TSS (SDM Vol. 3 Figure 7-2). */
struct kxen_tss32 {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3;
	u32 eip, eflags;
	u32 gprs[8];		/* EAX ECX EDX EBX ESP EBP ESI EDI */
	u32 seg[6];		/* ES CS SS DS FS GS */
	u32 ldt;
	u16 trap, iomap;
} __packed;
static_assert(sizeof(struct kxen_tss32) == 0x68);

/* The dynamic fields a switch saves into the old TSS: EIP up to GS. */
#define KXEN_TSS_SAVE_START	offsetof(struct kxen_tss32, eip)
#define KXEN_TSS_SAVE_LEN	(offsetof(struct kxen_tss32, ldt) - \
				 KXEN_TSS_SAVE_START)

/* Exit qualification bits 31:30: what started the switch. */
enum { KXEN_TS_CALL, KXEN_TS_IRET, KXEN_TS_JMP, KXEN_TS_GATE };

/* TSS order of the segment registers, with their VMCS fields. */
enum {
	KXEN_TS_ES, KXEN_TS_CS, KXEN_TS_SS, KXEN_TS_DS, KXEN_TS_FS, KXEN_TS_GS,
	KXEN_TS_NSEGS
};

static const struct kxen_ts_seg_fields {
	u32 sel, base, limit, ar;
} kxen_ts_segs[KXEN_TS_NSEGS] = {
#define KXEN_TS_SEG(n) { GUEST_##n##_SELECTOR, GUEST_##n##_BASE, \
			 GUEST_##n##_LIMIT, GUEST_##n##_AR_BYTES }
	KXEN_TS_SEG(ES), KXEN_TS_SEG(CS), KXEN_TS_SEG(SS),
	KXEN_TS_SEG(DS), KXEN_TS_SEG(FS), KXEN_TS_SEG(GS),
#undef KXEN_TS_SEG
};

/* Descriptor bits (SDM Vol. 3 3.4.5). */
#define KXEN_DESC_ACCESSED	BIT_ULL(40)
#define KXEN_DESC_BUSY		BIT_ULL(41)	/* TSS type bit 1 */
#define KXEN_DESC_TYPE(raw)	(((raw) >> 40) & 0xf)
#define KXEN_DESC_S(raw)	(((raw) >> 44) & 1)
#define KXEN_DESC_DPL(raw)	(((raw) >> 45) & 3)
#define KXEN_DESC_P(raw)	(((raw) >> 47) & 1)
#define KXEN_TYPE_TSS32		0x9	/* available; 0xb busy */
#define KXEN_TYPE_TSS16		0x1	/* available; 0x3 busy */
#define KXEN_TYPE_LDT		0x2
#define KXEN_TYPE_CODE		BIT(3)
#define KXEN_TYPE_CONFORMING	BIT(2)	/* code; expand-down for data */
#define KXEN_TYPE_RW		BIT(1)	/* readable code, writable data */

#define KXEN_AR_UNUSABLE	0x10000
#define KXEN_AR_VM86		0xf3	/* data RW accessed, S, DPL 3, P */
#define KXEN_DR7_LOCAL		0x155	/* L0-L3 and LE (SDM Vol. 3 18.2.4) */

/*
 * A fault of the switch, for the guest: vector and error code packed in
 * a positive return value.  The error code is the selector (EXT, IDT
 * and TI as zero), as SDM Vol. 3 6.13 gives it for these faults.
 */
#define KXEN_TS_FAULT(vec, sel)	(BIT(24) | ((vec) << 16) | ((sel) & 0xfffc))

struct kxen_ts {
	u16 sel;		/* the new TSS */
	int reason;		/* KXEN_TS_* */
	u32 next_eip;		/* saved in the old TSS */
	bool has_error;		/* an exception's error code to push */
	u32 error;
};

struct kxen_desc {
	u64 raw;
	u64 addr;		/* linear address of the descriptor */
	u32 base, limit, ar;
};

static void kxen_ts_decode(struct kxen_desc *d)
{
	u64 raw = d->raw;

	d->base = ((raw >> 16) & 0xffffff) | ((raw >> 32) & 0xff000000);
	d->limit = (raw & 0xffff) | ((raw >> 32) & 0xf0000);
	if (raw & BIT_ULL(55))		/* G: 4 KiB granularity */
		d->limit = (d->limit << 12) | 0xfff;
	/* VMCS access rights: type, S, DPL, P; AVL, L, D/B, G at 12-15. */
	d->ar = ((raw >> 40) & 0xff) | (((raw >> 52) & 0xf) << 12);
}

/* The descriptor @sel names, in the GDT or the current LDT; -ENOENT past
 * the table's limit, -EFAULT where the guest's memory cannot be read.
 */
static int kxen_ts_read_desc(struct kxen_vcpu *v, u16 sel,
			     struct kxen_desc *d)
{
	u64 base;
	u32 limit;

	if (sel & 4) {
		if (vmcs_read32(GUEST_LDTR_AR_BYTES) & KXEN_AR_UNUSABLE)
			return -ENOENT;
		base = vmcs_readl(GUEST_LDTR_BASE);
		limit = vmcs_read32(GUEST_LDTR_LIMIT);
	} else {
		base = vmcs_readl(GUEST_GDTR_BASE);
		limit = vmcs_read32(GUEST_GDTR_LIMIT);
	}
	if ((sel | 7) > limit)
		return -ENOENT;
	d->addr = (u32)(base + (sel & ~7));
	if (kxen_gva_read(v, d->addr, &d->raw, sizeof(d->raw)))
		return -EFAULT;
	kxen_ts_decode(d);
	return 0;
}

/* Set and clear descriptor bits (busy, accessed) in the table too. */
static int kxen_ts_update_desc(struct kxen_vcpu *v, struct kxen_desc *d,
			       u64 set, u64 clear)
{
	u64 raw = (d->raw | set) & ~clear;

	if (raw == d->raw)
		return 0;
	d->raw = raw;
	kxen_ts_decode(d);
	return kxen_gva_write(v, d->addr, &d->raw, sizeof(d->raw));
}

/*
 * What started the switch.  Through a task gate of the IDT the event
 * being delivered is the switch itself, not to be injected again; an
 * exception's error code goes on the new task's stack.  Faults,
 * interrupts and NMIs come back to the interrupted instruction; CALL,
 * JMP, IRET and INT n past it (SDM Vol. 3 27.2.5 gives their length).
 */
static void kxen_ts_source(struct kxen_vcpu *v, struct kxen_ts *ts)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	u32 idt = vx->idt_vectoring, type = idt & INTR_INFO_INTR_TYPE_MASK;
	bool idt_v = idt & VECTORING_INFO_VALID_MASK;

	ts->sel = vx->exit_qual & 0xffff;
	ts->reason = (vx->exit_qual >> 30) & 3;
	ts->next_eip = v->st.rip;
	if (ts->reason == KXEN_TS_GATE && idt_v) {
		vx->inject_info = 0;
		if (type == INTR_TYPE_HARD_EXCEPTION &&
		    (idt & VECTORING_INFO_DELIVER_CODE_MASK)) {
			ts->has_error = true;
			ts->error = vmcs_read32(IDT_VECTORING_ERROR_CODE);
		}
	}
	if (!idt_v || (type != INTR_TYPE_HARD_EXCEPTION &&
		       type != INTR_TYPE_EXT_INTR &&
		       type != INTR_TYPE_NMI_INTR))
		ts->next_eip += v->st.insn_len;
}

/* The new TSS descriptor, checked as SDM Vol. 3 7.3 step 2-3 list. */
static int kxen_ts_check_new(struct kxen_vcpu *v, const struct kxen_ts *ts,
			     struct kxen_desc *d)
{
	int vec = ts->reason == KXEN_TS_IRET ? X86_TRAP_TS : X86_TRAP_GP;
	u32 type;
	int ret;

	if (ts->sel & 4)
		return KXEN_TS_FAULT(vec, ts->sel);
	ret = kxen_ts_read_desc(v, ts->sel, d);
	if (ret == -ENOENT)
		return KXEN_TS_FAULT(vec, ts->sel);
	if (ret)
		return ret;
	type = KXEN_DESC_TYPE(d->raw);
	if (!KXEN_DESC_S(d->raw) && (type & ~2) == KXEN_TYPE_TSS16)
		return -EOPNOTSUPP;
	if (KXEN_DESC_S(d->raw) || (type & ~2) != KXEN_TYPE_TSS32)
		return KXEN_TS_FAULT(vec, ts->sel);
	/* IRET returns to a busy task; the others start an idle one. */
	if (!!(type & 2) != !!(ts->reason == KXEN_TS_IRET))
		return KXEN_TS_FAULT(vec, ts->sel);
	if ((ts->reason == KXEN_TS_CALL || ts->reason == KXEN_TS_JMP) &&
	    KXEN_DESC_DPL(d->raw) < max_t(u32, v->st.cpl, ts->sel & 3))
		return KXEN_TS_FAULT(X86_TRAP_GP, ts->sel);
	if (!KXEN_DESC_P(d->raw))
		return KXEN_TS_FAULT(X86_TRAP_NP, ts->sel);
	if (d->limit < sizeof(struct kxen_tss32) - 1)
		return KXEN_TS_FAULT(X86_TRAP_TS, ts->sel);
	return 0;
}

/* Step 4-6: the outgoing task's state into its TSS; JMP and IRET free it. */
static int kxen_ts_save_old(struct kxen_vcpu *v, const struct kxen_ts *ts)
{
	u16 tr = vmcs_read16(GUEST_TR_SELECTOR);
	u64 base = (u32)vmcs_readl(GUEST_TR_BASE);
	struct kxen_tss32 old;
	struct kxen_desc d;
	int i;

	if ((vmcs_read32(GUEST_TR_AR_BYTES) & 0xf) != (KXEN_TYPE_TSS32 | 2))
		return -EOPNOTSUPP;
	old.eip = ts->next_eip;
	old.eflags = v->st.rflags;
	if (ts->reason == KXEN_TS_IRET)
		old.eflags &= ~X86_EFLAGS_NT;
	for (i = 0; i < 8; i++)
		old.gprs[i] = v->st.gprs[KXEN_REG_RAX + i];
	for (i = 0; i < KXEN_TS_NSEGS; i++)
		old.seg[i] = vmcs_read16(kxen_ts_segs[i].sel);
	if (kxen_gva_write(v, base + KXEN_TSS_SAVE_START,
			   (u8 *)&old + KXEN_TSS_SAVE_START, KXEN_TSS_SAVE_LEN))
		return -EFAULT;
	if (ts->reason != KXEN_TS_JMP && ts->reason != KXEN_TS_IRET)
		return 0;
	if (kxen_ts_read_desc(v, tr & ~4, &d))
		return -EFAULT;
	return kxen_ts_update_desc(v, &d, 0, KXEN_DESC_BUSY);
}

/* Step 7-9: link the new task to the old, mark it busy, read it in. */
static int kxen_ts_enter_new(struct kxen_vcpu *v, const struct kxen_ts *ts,
			     struct kxen_desc *d, struct kxen_tss32 *tss)
{
	if (kxen_gva_read(v, d->base, tss, sizeof(*tss)))
		return -EFAULT;
	if (ts->reason == KXEN_TS_CALL || ts->reason == KXEN_TS_GATE) {
		tss->link = vmcs_read16(GUEST_TR_SELECTOR);
		tss->eflags |= X86_EFLAGS_NT;
		if (kxen_gva_write(v, d->base, &tss->link, 2))
			return -EFAULT;
	}
	/* IRET's new TSS is busy already (kxen_ts_check_new). */
	if (kxen_ts_update_desc(v, d, KXEN_DESC_BUSY, 0))
		return -EFAULT;
	vmcs_write16(GUEST_TR_SELECTOR, ts->sel);
	vmcs_writel(GUEST_TR_BASE, d->base);
	vmcs_write32(GUEST_TR_LIMIT, d->limit);
	vmcs_write32(GUEST_TR_AR_BYTES, d->ar);
	return 0;
}

/* CR3 of the new task; PAE paging takes its PDPTEs from the VMCS. */
static int kxen_ts_load_cr3(struct kxen_vcpu *v, u32 cr3)
{
	if (!(v->st.cr0 & X86_CR0_PG))
		return 0;
	if ((v->st.cr4 & X86_CR4_PAE) && kxen_vmx_load_pdptrs(v, cr3))
		return -EFAULT;
	vmcs_writel(GUEST_CR3, cr3);
	v->st.cr3 = cr3;
	return 0;
}

/* Step 10: registers, CR0.TS, the local breakpoints cleared. */
static void kxen_ts_load_regs(struct kxen_vcpu *v, const struct kxen_tss32 *tss)
{
	int i;

	for (i = 0; i < 8; i++)
		v->st.gprs[KXEN_REG_RAX + i] = tss->gprs[i];
	v->st.rip = tss->eip;
	v->st.rflags = tss->eflags | X86_EFLAGS_FIXED;
	v->st.dirty |= KXEN_DIRTY_RIP | KXEN_DIRTY_RFLAGS;
	kxen_vmx_write_cr0(v, v->st.cr0 | X86_CR0_TS);
	vmcs_writel(GUEST_DR7, vmcs_readl(GUEST_DR7) & ~KXEN_DR7_LOCAL);
}

static void kxen_ts_set_seg(int i, u16 sel, u32 base, u32 limit, u32 ar)
{
	vmcs_write16(kxen_ts_segs[i].sel, sel);
	vmcs_writel(kxen_ts_segs[i].base, base);
	vmcs_write32(kxen_ts_segs[i].limit, limit);
	vmcs_write32(kxen_ts_segs[i].ar, ar);
}

static int kxen_ts_load_ldt(struct kxen_vcpu *v, u16 sel)
{
	struct kxen_desc d;
	int ret;

	vmcs_write16(GUEST_LDTR_SELECTOR, sel);
	if (!(sel & ~3)) {
		vmcs_write32(GUEST_LDTR_AR_BYTES, KXEN_AR_UNUSABLE);
		return 0;
	}
	if (sel & 4)
		return KXEN_TS_FAULT(X86_TRAP_TS, sel);
	ret = kxen_ts_read_desc(v, sel, &d);
	if (ret == -ENOENT)
		return KXEN_TS_FAULT(X86_TRAP_TS, sel);
	if (ret)
		return ret;
	if (KXEN_DESC_S(d.raw) || KXEN_DESC_TYPE(d.raw) != KXEN_TYPE_LDT ||
	    !KXEN_DESC_P(d.raw))
		return KXEN_TS_FAULT(X86_TRAP_TS, sel);
	vmcs_writel(GUEST_LDTR_BASE, d.base);
	vmcs_write32(GUEST_LDTR_LIMIT, d.limit);
	vmcs_write32(GUEST_LDTR_AR_BYTES, d.ar);
	return 0;
}

/* Why segment @i of the new task cannot be loaded: a fault, or 0. */
static int kxen_ts_check_seg(int i, u16 sel, u64 raw, u32 cpl)
{
	u32 type = KXEN_DESC_TYPE(raw), dpl = KXEN_DESC_DPL(raw);
	bool code = type & KXEN_TYPE_CODE;

	if (!KXEN_DESC_S(raw))
		return KXEN_TS_FAULT(X86_TRAP_TS, sel);
	switch (i) {
	case KXEN_TS_CS:
		if (!code || ((type & KXEN_TYPE_CONFORMING) ? dpl > cpl :
							     dpl != cpl))
			return KXEN_TS_FAULT(X86_TRAP_TS, sel);
		break;
	case KXEN_TS_SS:
		if (code || !(type & KXEN_TYPE_RW) || dpl != cpl)
			return KXEN_TS_FAULT(X86_TRAP_TS, sel);
		if (!KXEN_DESC_P(raw))
			return KXEN_TS_FAULT(X86_TRAP_SS, sel);
		return 0;
	default:
		if (code && !(type & KXEN_TYPE_RW))
			return KXEN_TS_FAULT(X86_TRAP_TS, sel);
		if ((!code || !(type & KXEN_TYPE_CONFORMING)) &&
		    dpl < max_t(u32, cpl, sel & 3))
			return KXEN_TS_FAULT(X86_TRAP_TS, sel);
	}
	return KXEN_DESC_P(raw) ? 0 : KXEN_TS_FAULT(X86_TRAP_NP, sel);
}

static int kxen_ts_load_seg(struct kxen_vcpu *v, int i, u16 sel, u32 cpl)
{
	struct kxen_desc d;
	int ret;

	if (!(sel & ~3)) {
		if (i == KXEN_TS_CS || i == KXEN_TS_SS)
			return KXEN_TS_FAULT(X86_TRAP_TS, sel);
		kxen_ts_set_seg(i, sel, 0, 0, KXEN_AR_UNUSABLE);
		return 0;
	}
	ret = kxen_ts_read_desc(v, sel, &d);
	if (ret == -ENOENT)
		return KXEN_TS_FAULT(X86_TRAP_TS, sel);
	if (ret)
		return ret;
	if ((i == KXEN_TS_CS || i == KXEN_TS_SS) && (sel & 3) != cpl)
		return KXEN_TS_FAULT(X86_TRAP_TS, sel);
	ret = kxen_ts_check_seg(i, sel, d.raw, cpl);
	if (ret)
		return ret;
	/* The CPU marks a descriptor accessed when it loads it. */
	if (kxen_ts_update_desc(v, &d, KXEN_DESC_ACCESSED, 0))
		return -EFAULT;
	kxen_ts_set_seg(i, sel, d.base, d.limit, d.ar);
	return 0;
}

/* Step 11: LDTR, then the segments: vm86 ones, or checked descriptors. */
static int kxen_ts_load_segs(struct kxen_vcpu *v, const struct kxen_tss32 *tss)
{
	u32 cpl = tss->seg[KXEN_TS_CS] & 3;
	int i, ret;

	ret = kxen_ts_load_ldt(v, tss->ldt);
	if (ret)
		return ret;
	if (tss->eflags & X86_EFLAGS_VM) {
		for (i = 0; i < KXEN_TS_NSEGS; i++)
			kxen_ts_set_seg(i, tss->seg[i], (tss->seg[i] & 0xffff) << 4,
					0xffff, KXEN_AR_VM86);
		v->st.cpl = 3;
		return 0;
	}
	/* Selectors first: a fault below is taken in the new task. */
	for (i = 0; i < KXEN_TS_NSEGS; i++)
		vmcs_write16(kxen_ts_segs[i].sel, tss->seg[i]);
	for (i = 0; i < KXEN_TS_NSEGS; i++) {
		ret = kxen_ts_load_seg(v, i, tss->seg[i], cpl);
		if (ret)
			return ret;
	}
	v->st.cpl = cpl;
	return 0;
}

/* An exception through a task gate pushes its error code (SDM 6.13). */
static int kxen_ts_push_error(struct kxen_vcpu *v, u32 error)
{
	u32 esp = v->st.gprs[KXEN_REG_RSP] - 4;

	if (kxen_gva_write(v, (u32)(vmcs_readl(GUEST_SS_BASE) + esp),
			   &error, sizeof(error)))
		return -EFAULT;
	v->st.gprs[KXEN_REG_RSP] = esp;
	return 0;
}

static int kxen_ts_switch(struct kxen_vcpu *v, const struct kxen_ts *ts)
{
	struct kxen_tss32 tss;
	struct kxen_desc d;
	int ret;

	ret = kxen_ts_check_new(v, ts, &d);
	if (!ret)
		ret = kxen_ts_save_old(v, ts);
	if (!ret)
		ret = kxen_ts_enter_new(v, ts, &d, &tss);
	if (ret)
		return ret;
	/* From here on, faults belong to the new task. */
	ret = kxen_ts_load_cr3(v, tss.cr3);
	if (ret)
		return ret;
	kxen_ts_load_regs(v, &tss);
	ret = kxen_ts_load_segs(v, &tss);
	if (!ret && ts->has_error)
		ret = kxen_ts_push_error(v, ts->error);
	if (!ret && tss.eip > vmcs_read32(GUEST_CS_LIMIT))
		ret = KXEN_TS_FAULT(X86_TRAP_GP, 0);
	/* The T flag of the new TSS: a debug trap on its first instruction. */
	if (!ret && (tss.trap & 1)) {
		to_vmx(v)->dr6 |= DR_SWITCH;
		ret = KXEN_TS_FAULT(X86_TRAP_DB, 0);
	}
	return ret;
}

int kxen_vmx_task_switch(struct kxen_vcpu *v)
{
	struct kxen_ts ts = { };
	int ret;

	if (v->st.efer & EFER_LMA)
		return kxen_exit_fail(v, "task switch in IA-32e mode");
	kxen_ts_source(v, &ts);
	ret = kxen_ts_switch(v, &ts);
	if (ret == -EOPNOTSUPP)
		return kxen_exit_fail(v, "task switch with a 16-bit TSS (not emulated)");
	if (ret < 0)
		return kxen_exit_fail(v,
				      "task switch: TSS or descriptor table not readable or writable");
	if (ret > 0) {
		u8 vec = (ret >> 16) & 0xff;

		kxen_vmx_inject_exception(v, vec, vec != X86_TRAP_DB,
					  ret & 0xffff);
	}
	return KXEN_EXIT_CONTINUE;
}
