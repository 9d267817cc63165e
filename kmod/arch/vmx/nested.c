// SPDX-License-Identifier: GPL-2.0
/*
 * VMX operation for a domain created with nestedhvm (xl.cfg(5)) on the
 * VT-x backend: the guest sees VMX in CPUID, may set CR4.VMXE, reads the
 * VMX capability MSRs and runs VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST,
 * VMREAD and VMWRITE, each with the faults and VMfail outcomes of SDM
 * Vol. 3 chapter 31 ("VMX instruction reference").  Every VMX instruction
 * exits unconditionally in VMX non-root operation (SDM Vol. 3 26.1.2),
 * so kxen sees them all.
 *
 * The guest's VMCS ("vmcs12") lives in its VMCS region in guest memory,
 * in kxen's own format (SDM Vol. 3 25.2 leaves the format to the
 * implementation): revision, abort indicator, launch state, then one
 * 64-bit slot per supported field in the order of kxen_nvmx_fields[].
 * VMREAD and VMWRITE go to guest memory each time; kxen keeps no copy,
 * so nothing is written back at VMCLEAR or VMPTRLD.
 *
 * VMLAUNCH and VMRESUME run the nested guest (nested_run.c).
 *
 * What differs from a CPU: the memory operand's segment limit is not
 * checked outside 64-bit mode (flat segments are assumed), and a memory
 * operand kxen cannot reach raises #PF without the P and U/S bits of a
 * real walk.  CR0.NE is not required for VMXON, as under Xen 4.17: a PVH
 * guest starts with it clear.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/msr.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "nested.h"
#include "vmx_ops.h"

/* Our VMCS revision (IA32_VMX_BASIC[30:0]); bit 31 must stay clear. */
#define KXEN_NVMX_REVISION	0x6b78656eU

/* RFLAGS bits the VMX outcomes write (SDM Vol. 3 31.2). */
#define KXEN_NVMX_FLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

/*
 * The fields a vmcs12 holds (SDM Vol. 3 Appendix B): those of the basic
 * VMX controls and of the guest-state and host-state areas.  Features
 * kxen does not offer (EPT, VPID, posted interrupts, the VMX preemption
 * timer) have no fields here, so VMREAD and VMWRITE refuse them.
 */
static const u32 kxen_nvmx_fields[] = {
	/* 16-bit guest and host state */
	GUEST_ES_SELECTOR, GUEST_CS_SELECTOR, GUEST_SS_SELECTOR,
	GUEST_DS_SELECTOR, GUEST_FS_SELECTOR, GUEST_GS_SELECTOR,
	GUEST_LDTR_SELECTOR, GUEST_TR_SELECTOR,
	HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR,
	HOST_DS_SELECTOR, HOST_FS_SELECTOR, HOST_GS_SELECTOR,
	HOST_TR_SELECTOR,
	/* 64-bit controls, exit information, guest and host state */
	IO_BITMAP_A, IO_BITMAP_B, MSR_BITMAP, VM_EXIT_MSR_STORE_ADDR,
	VM_EXIT_MSR_LOAD_ADDR, VM_ENTRY_MSR_LOAD_ADDR, TSC_OFFSET,
	GUEST_PHYSICAL_ADDRESS, VMCS_LINK_POINTER, GUEST_IA32_DEBUGCTL,
	GUEST_IA32_PAT, GUEST_IA32_EFER, GUEST_PDPTR0, GUEST_PDPTR1,
	GUEST_PDPTR2, GUEST_PDPTR3, HOST_IA32_PAT, HOST_IA32_EFER,
	/* 32-bit controls */
	PIN_BASED_VM_EXEC_CONTROL, CPU_BASED_VM_EXEC_CONTROL,
	EXCEPTION_BITMAP, PAGE_FAULT_ERROR_CODE_MASK,
	PAGE_FAULT_ERROR_CODE_MATCH, CR3_TARGET_COUNT, VM_EXIT_CONTROLS,
	VM_EXIT_MSR_STORE_COUNT, VM_EXIT_MSR_LOAD_COUNT, VM_ENTRY_CONTROLS,
	VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_INTR_INFO_FIELD,
	VM_ENTRY_EXCEPTION_ERROR_CODE, VM_ENTRY_INSTRUCTION_LEN,
	TPR_THRESHOLD,
	/* 32-bit exit information */
	VM_INSTRUCTION_ERROR, VM_EXIT_REASON, VM_EXIT_INTR_INFO,
	VM_EXIT_INTR_ERROR_CODE, IDT_VECTORING_INFO_FIELD,
	IDT_VECTORING_ERROR_CODE, VM_EXIT_INSTRUCTION_LEN,
	VMX_INSTRUCTION_INFO,
	/* 32-bit guest and host state */
	GUEST_ES_LIMIT, GUEST_CS_LIMIT, GUEST_SS_LIMIT, GUEST_DS_LIMIT,
	GUEST_FS_LIMIT, GUEST_GS_LIMIT, GUEST_LDTR_LIMIT, GUEST_TR_LIMIT,
	GUEST_GDTR_LIMIT, GUEST_IDTR_LIMIT, GUEST_ES_AR_BYTES,
	GUEST_CS_AR_BYTES, GUEST_SS_AR_BYTES, GUEST_DS_AR_BYTES,
	GUEST_FS_AR_BYTES, GUEST_GS_AR_BYTES, GUEST_LDTR_AR_BYTES,
	GUEST_TR_AR_BYTES, GUEST_INTERRUPTIBILITY_INFO, GUEST_ACTIVITY_STATE,
	GUEST_SYSENTER_CS, HOST_IA32_SYSENTER_CS,
	/* natural-width controls, exit information, guest and host state */
	CR0_GUEST_HOST_MASK, CR4_GUEST_HOST_MASK, CR0_READ_SHADOW,
	CR4_READ_SHADOW, CR3_TARGET_VALUE0, CR3_TARGET_VALUE1,
	CR3_TARGET_VALUE2, CR3_TARGET_VALUE3, EXIT_QUALIFICATION,
	GUEST_LINEAR_ADDRESS, GUEST_CR0, GUEST_CR3, GUEST_CR4,
	GUEST_ES_BASE, GUEST_CS_BASE, GUEST_SS_BASE, GUEST_DS_BASE,
	GUEST_FS_BASE, GUEST_GS_BASE, GUEST_LDTR_BASE, GUEST_TR_BASE,
	GUEST_GDTR_BASE, GUEST_IDTR_BASE, GUEST_DR7, GUEST_RSP, GUEST_RIP,
	GUEST_RFLAGS, GUEST_PENDING_DBG_EXCEPTIONS, GUEST_SYSENTER_ESP,
	GUEST_SYSENTER_EIP, HOST_CR0, HOST_CR3, HOST_CR4, HOST_FS_BASE,
	HOST_GS_BASE, HOST_TR_BASE, HOST_GDTR_BASE, HOST_IDTR_BASE,
	HOST_IA32_SYSENTER_ESP, HOST_IA32_SYSENTER_EIP, HOST_RSP, HOST_RIP,
};

const unsigned int kxen_nvmx_nr_fields = ARRAY_SIZE(kxen_nvmx_fields);

/* Field encodings (SDM Vol. 3 25.11.2): access type, index, type, width. */
#define ENC_HIGH		BIT(0)
#define ENC_INDEX(f)		(((f) >> 1) & 0x1ff)
#define ENC_RESERVED		(~0x6fffU)	/* bit 12, bits 31:15 */
#define ENC_TYPE(f)		(((f) >> 10) & 3)
#define ENC_TYPE_EXIT_INFO	1
#define ENC_WIDTH(f)		(((f) >> 13) & 3)
#define ENC_W16			0
#define ENC_W64			1
#define ENC_W32			2

int kxen_vmx_nested_create(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n;

	if (!(v->dom->flags & KXEN_DOMAIN_F_NESTED_HVM))
		return 0;
	n = kzalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n)
		return -ENOMEM;
	n->f12 = kcalloc(kxen_nvmx_nr_fields, sizeof(u64), GFP_KERNEL_ACCOUNT);
	if (!n->f12) {
		kfree(n);
		return -ENOMEM;
	}
	n->current_ptr = KXEN_NVMX_NO_VMCS;
	to_vmx(v)->nested = n;
	return 0;
}

void kxen_vmx_nested_free(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);

	if (!n)
		return;
	kfree(n->f12);
	kfree(n);
	to_vmx(v)->nested = NULL;
}

/* INIT, a PVH boot or VCPUOP_initialise: outside VMX operation. */
void kxen_vmx_nested_reset(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);

	if (!n)
		return;
	if (to_vmx(v)->l2)
		kxen_nvmx_leave(v);
	n->vmxon = false;
	n->current_ptr = KXEN_NVMX_NO_VMCS;
}

bool kxen_vmx_nested_vmxon(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);

	return n && n->vmxon;
}

/*
 * 1 + the slot of each supported field by its encoding's width, type and
 * index; 0: unsupported.  Every nested VM entry and exit looks up some
 * sixty fields, so this is a table, filled once at load.
 */
#define NVMX_MAX_INDEX		32
static u8 nvmx_slot_of[4][4][NVMX_MAX_INDEX];

void kxen_vmx_nested_setup(void)
{
	unsigned int i;
	u32 f;

	BUILD_BUG_ON(ARRAY_SIZE(kxen_nvmx_fields) >= U8_MAX);
	for (i = 0; i < ARRAY_SIZE(kxen_nvmx_fields); i++) {
		f = kxen_nvmx_fields[i];
		if (!WARN_ON_ONCE(ENC_INDEX(f) >= NVMX_MAX_INDEX))
			nvmx_slot_of[ENC_WIDTH(f)][ENC_TYPE(f)][ENC_INDEX(f)] =
				i + 1;
	}
}

/* The slot of @field (its HIGH access folded in), or -1: unsupported. */
int kxen_nvmx_slot(u32 field)
{
	if (field & ENC_RESERVED || ENC_INDEX(field) >= NVMX_MAX_INDEX ||
	    ((field & ENC_HIGH) && ENC_WIDTH(field) != ENC_W64))
		return -1;
	return nvmx_slot_of[ENC_WIDTH(field)][ENC_TYPE(field)]
			   [ENC_INDEX(field)] - 1;
}

static u64 nvmx_slot_gpa(struct kxen_vmx_nested *n, int slot)
{
	return n->current_ptr + KXEN_VMCS12_FIELDS + 8 * slot;
}

/* The guest's MAXPHYADDR, as its CPUID 0x80000008 says. */
static unsigned int nvmx_maxphyaddr(struct kxen_vcpu *v)
{
	u32 out[4];

	kxen_cpuid(v, 0x80000008, 0, out);
	return out[0] & 0xff;
}

static bool nvmx_bad_addr(struct kxen_vcpu *v, u64 gpa)
{
	return offset_in_page(gpa) || gpa >> nvmx_maxphyaddr(v);
}

/* ---- outcomes (SDM Vol. 3 31.2) ---- */

static int nvmx_flags(struct kxen_vcpu *v, unsigned long set)
{
	v->st.rflags = (v->st.rflags & ~KXEN_NVMX_FLAGS) | set;
	v->st.dirty |= KXEN_DIRTY_RFLAGS;
	return kxen_exit_skip(v);
}

static int nvmx_succeed(struct kxen_vcpu *v)
{
	return nvmx_flags(v, 0);
}

static int nvmx_fail_invalid(struct kxen_vcpu *v)
{
	return nvmx_flags(v, X86_EFLAGS_CF);
}

/* VMfail(err): VMfailValid with the error in the current VMCS, if any. */
int kxen_nvmx_fail(struct kxen_vcpu *v, u32 err)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	u64 val = err;

	if (n->current_ptr == KXEN_NVMX_NO_VMCS)
		return nvmx_fail_invalid(v);
	kxen_gpa_write(v->dom,
		       nvmx_slot_gpa(n, kxen_nvmx_slot(VM_INSTRUCTION_ERROR)),
		       &val, sizeof(val));
	return nvmx_flags(v, X86_EFLAGS_ZF);
}

/*
 * The checks every VMX instruction makes before anything else (the
 * first lines of each in SDM Vol. 3 31.3): #UD outside protected mode,
 * in virtual-8086 or compatibility mode, with CR4.VMXE clear or, except
 * for VMXON, outside VMX operation; then #GP(0) at CPL > 0.  True when
 * an exception was raised.
 */
static bool nvmx_faults(struct kxen_vcpu *v, bool vmxon)
{
	const struct kxen_vcpu_state *st = &v->st;

	if (!(st->cr4 & X86_CR4_VMXE) || !(st->cr0 & X86_CR0_PE) ||
	    (st->rflags & X86_EFLAGS_VM) ||
	    ((st->efer & EFER_LMA) && !st->long_mode) ||
	    (!vmxon && !kxen_nvmx_of(v)->vmxon)) {
		kxen_exit_ud(v);
		return true;
	}
	if (st->cpl) {
		kxen_exit_gp(v);
		return true;
	}
	return false;
}

/* ---- operands (SDM Vol. 3 28.2.5, Tables 28-14 and 28-15) ---- */

/* The segment field of the instruction information (SDM Table 28-14). */
enum {
	NVMX_SEG_ES, NVMX_SEG_CS, NVMX_SEG_SS, NVMX_SEG_DS, NVMX_SEG_FS,
	NVMX_SEG_GS,
};

struct nvmx_operand {
	bool is_reg;
	unsigned int reg;	/* is_reg: the register */
	u64 gva;		/* else: the linear address */
};

#define INFO_SCALE(i)		((i) & 3)
#define INFO_REG1(i)		(((i) >> 3) & 15)
#define INFO_ASIZE(i)		(((i) >> 7) & 7)
#define INFO_IS_REG		BIT(10)
#define INFO_SEG(i)		(((i) >> 15) & 7)
#define INFO_INDEX(i)		(((i) >> 18) & 15)
#define INFO_NO_INDEX		BIT(22)
#define INFO_BASE(i)		(((i) >> 23) & 15)
#define INFO_NO_BASE		BIT(27)
#define INFO_REG2(i)		(((i) >> 28) & 15)

/* The memory or register operand; false when #GP was raised. */
static bool nvmx_operand(struct kxen_vcpu *v, struct nvmx_operand *op)
{
	u32 info = vmcs_read32(VMX_INSTRUCTION_INFO);
	unsigned int seg = INFO_SEG(info);
	u64 addr = to_vmx(v)->exit_qual, mask;

	op->is_reg = info & INFO_IS_REG;
	op->reg = INFO_REG1(info);
	if (op->is_reg)
		return true;
	if (!(info & INFO_NO_BASE))
		addr += v->st.gprs[INFO_BASE(info)];
	if (!(info & INFO_NO_INDEX))
		addr += v->st.gprs[INFO_INDEX(info)] << INFO_SCALE(info);
	mask = INFO_ASIZE(info) == 0 ? 0xffff :
	       INFO_ASIZE(info) == 1 ? 0xffffffff : ~0ULL;
	addr &= mask;
	/* In 64-bit mode only FS and GS have a base (SDM Vol. 3 3.4.4). */
	if (!v->st.long_mode || seg == NVMX_SEG_FS || seg == NVMX_SEG_GS)
		addr += vmcs_readl(GUEST_ES_BASE + 2 * seg);
	if (!v->st.long_mode) {
		addr &= 0xffffffff;
	} else if (!kxen_canonical(addr)) {
		kxen_vmx_inject_exception(v, seg == NVMX_SEG_SS ?
					  X86_TRAP_SS : X86_TRAP_GP, true, 0);
		return false;
	}
	op->gva = addr;
	return true;
}

/* Guest memory at @gva; false when #PF was raised. */
static bool nvmx_mem(struct kxen_vcpu *v, u64 gva, void *buf, size_t len,
		     bool write)
{
	int ret = write ? kxen_gva_write(v, gva, buf, len) :
			  kxen_gva_read(v, gva, buf, len);

	if (!ret)
		return true;
	to_vmx(v)->cr2 = gva;
	kxen_vmx_inject_exception(v, X86_TRAP_PF, true,
				  (write ? X86_PF_WRITE : 0) |
				  (v->st.cpl == 3 ? X86_PF_USER : 0));
	return false;
}

/* The 64-bit physical address a VMXON/VMCLEAR/VMPTRLD operand holds. */
static bool nvmx_read_ptr(struct kxen_vcpu *v, u64 *gpa)
{
	struct nvmx_operand op;

	return nvmx_operand(v, &op) && !op.is_reg &&
	       nvmx_mem(v, op.gva, gpa, sizeof(*gpa), false);
}

static u32 nvmx_revision_at(struct kxen_vcpu *v, u64 gpa)
{
	u32 rev;

	/* Memory that is not RAM reads as all ones, as on a machine. */
	if (kxen_gpa_read(v->dom, gpa, &rev, sizeof(rev)))
		return ~0U;
	return rev;
}

/* ---- the instructions (SDM Vol. 3 31.3) ---- */

static int handle_vmxon(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	u64 gpa;

	if (nvmx_faults(v, true))
		return KXEN_EXIT_CONTINUE;
	if (n->vmxon)
		return kxen_nvmx_fail(v, VMXERR_VMXON_IN_ROOT);
	if (!nvmx_read_ptr(v, &gpa))
		return KXEN_EXIT_CONTINUE;
	if (nvmx_bad_addr(v, gpa) ||
	    nvmx_revision_at(v, gpa) != KXEN_NVMX_REVISION)
		return nvmx_fail_invalid(v);
	n->vmxon = true;
	n->vmxon_ptr = gpa;
	n->current_ptr = KXEN_NVMX_NO_VMCS;
	return nvmx_succeed(v);
}

static int handle_vmxoff(struct kxen_vcpu *v)
{
	if (nvmx_faults(v, false))
		return KXEN_EXIT_CONTINUE;
	kxen_vmx_nested_reset(v);
	return nvmx_succeed(v);
}

static int handle_vmptrld(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	u64 gpa;

	if (nvmx_faults(v, false) || !nvmx_read_ptr(v, &gpa))
		return KXEN_EXIT_CONTINUE;
	if (nvmx_bad_addr(v, gpa))
		return kxen_nvmx_fail(v, VMXERR_VMPTRLD_BAD_ADDR);
	if (gpa == n->vmxon_ptr)
		return kxen_nvmx_fail(v, VMXERR_VMPTRLD_VMXON_PTR);
	/* Bit 31 asks for a shadow VMCS, which kxen does not offer. */
	if (nvmx_revision_at(v, gpa) != KXEN_NVMX_REVISION)
		return kxen_nvmx_fail(v, VMXERR_VMPTRLD_BAD_REVISION);
	n->current_ptr = gpa;
	return nvmx_succeed(v);
}

static int handle_vmclear(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	u32 clear = 0;
	u64 gpa;

	if (nvmx_faults(v, false) || !nvmx_read_ptr(v, &gpa))
		return KXEN_EXIT_CONTINUE;
	if (nvmx_bad_addr(v, gpa))
		return kxen_nvmx_fail(v, VMXERR_VMCLEAR_BAD_ADDR);
	if (gpa == n->vmxon_ptr)
		return kxen_nvmx_fail(v, VMXERR_VMCLEAR_VMXON_PTR);
	/* Not RAM: nothing to write, as a CPU's write would go nowhere. */
	kxen_gpa_write(v->dom, gpa + KXEN_VMCS12_LAUNCH, &clear,
		       sizeof(clear));
	if (gpa == n->current_ptr)
		n->current_ptr = KXEN_NVMX_NO_VMCS;
	return nvmx_succeed(v);
}

static int handle_vmptrst(struct kxen_vcpu *v)
{
	struct nvmx_operand op;

	if (nvmx_faults(v, false) || !nvmx_operand(v, &op) ||
	    !nvmx_mem(v, op.gva, &kxen_nvmx_of(v)->current_ptr, sizeof(u64),
		      true))
		return KXEN_EXIT_CONTINUE;
	return nvmx_succeed(v);
}

/* VMREAD/VMWRITE's field (reg2); -1 once VMfail was given. */
static int nvmx_field_slot(struct kxen_vcpu *v, u32 *field)
{
	u32 info = vmcs_read32(VMX_INSTRUCTION_INFO);
	int slot;

	*field = v->st.gprs[INFO_REG2(info)];
	if (v->st.long_mode && v->st.gprs[INFO_REG2(info)] >> 32)
		slot = -1;
	else
		slot = kxen_nvmx_slot(*field);
	if (slot < 0)
		kxen_nvmx_fail(v, VMXERR_BAD_COMPONENT);
	return slot;
}

/* A field's value as an access of its width reads it (SDM 25.11.2). */
static u64 nvmx_field_get(u32 field, u64 val)
{
	if (field & ENC_HIGH)
		return val >> 32;
	switch (ENC_WIDTH(field)) {
	case ENC_W16:
		return (u16)val;
	case ENC_W32:
		return (u32)val;
	}
	return val;
}

static u64 nvmx_field_put(u32 field, u64 old, u64 val)
{
	if (field & ENC_HIGH)
		return (u32)old | (u64)(u32)val << 32;
	return nvmx_field_get(field, val);
}

static int handle_vmread(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	unsigned int len = v->st.long_mode ? 8 : 4;
	struct nvmx_operand op;
	u64 val = 0;
	u32 field;
	int slot;

	if (nvmx_faults(v, false))
		return KXEN_EXIT_CONTINUE;
	if (n->current_ptr == KXEN_NVMX_NO_VMCS)
		return nvmx_fail_invalid(v);
	slot = nvmx_field_slot(v, &field);
	if (slot < 0)
		return KXEN_EXIT_CONTINUE;
	kxen_gpa_read(v->dom, nvmx_slot_gpa(n, slot), &val, sizeof(val));
	val = nvmx_field_get(field, val);
	if (!nvmx_operand(v, &op))
		return KXEN_EXIT_CONTINUE;
	if (op.is_reg)
		v->st.gprs[op.reg] = len == 8 ? val : (u32)val;
	else if (!nvmx_mem(v, op.gva, &val, len, true))
		return KXEN_EXIT_CONTINUE;
	return nvmx_succeed(v);
}

static int handle_vmwrite(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	unsigned int len = v->st.long_mode ? 8 : 4;
	struct nvmx_operand op;
	u64 val = 0, old = 0, gpa;
	u32 field;
	int slot;

	if (nvmx_faults(v, false))
		return KXEN_EXIT_CONTINUE;
	if (!nvmx_operand(v, &op))
		return KXEN_EXIT_CONTINUE;
	if (op.is_reg)
		val = v->st.gprs[op.reg];
	else if (!nvmx_mem(v, op.gva, &val, len, false))
		return KXEN_EXIT_CONTINUE;
	if (len == 4)
		val = (u32)val;
	if (n->current_ptr == KXEN_NVMX_NO_VMCS)
		return nvmx_fail_invalid(v);
	slot = nvmx_field_slot(v, &field);
	if (slot < 0)
		return KXEN_EXIT_CONTINUE;
	/* IA32_VMX_MISC[29] is clear: exit information is read-only. */
	if (ENC_TYPE(field) == ENC_TYPE_EXIT_INFO)
		return kxen_nvmx_fail(v, VMXERR_READ_ONLY_COMPONENT);
	gpa = nvmx_slot_gpa(n, slot);
	kxen_gpa_read(v->dom, gpa, &old, sizeof(old));
	val = nvmx_field_put(field, old, val);
	kxen_gpa_write(v->dom, gpa, &val, sizeof(val));
	return nvmx_succeed(v);
}

static int nvmx_entry(struct kxen_vcpu *v, bool launch)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	u32 launched = 0;

	if (nvmx_faults(v, false))
		return KXEN_EXIT_CONTINUE;
	if (n->current_ptr == KXEN_NVMX_NO_VMCS)
		return nvmx_fail_invalid(v);
	kxen_gpa_read(v->dom, n->current_ptr + KXEN_VMCS12_LAUNCH, &launched,
		      sizeof(launched));
	if (launch && launched)
		return kxen_nvmx_fail(v, VMXERR_LAUNCH_NOT_CLEAR);
	if (!launch && !launched)
		return kxen_nvmx_fail(v, VMXERR_RESUME_NOT_LAUNCHED);
	return kxen_nvmx_enter(v, launch);
}

/* Every VMX instruction's exit (SDM Vol. 3 26.1.2), without nestedhvm #UD. */
int kxen_vmx_nested_insn(struct kxen_vcpu *v)
{
	if (!kxen_nvmx_of(v))
		return kxen_exit_ud(v);
	switch (to_vmx(v)->exit_reason & 0xffff) {
	case EXIT_REASON_VMON:
		return handle_vmxon(v);
	case EXIT_REASON_VMOFF:
		return handle_vmxoff(v);
	case EXIT_REASON_VMPTRLD:
		return handle_vmptrld(v);
	case EXIT_REASON_VMPTRST:
		return handle_vmptrst(v);
	case EXIT_REASON_VMCLEAR:
		return handle_vmclear(v);
	case EXIT_REASON_VMREAD:
		return handle_vmread(v);
	case EXIT_REASON_VMWRITE:
		return handle_vmwrite(v);
	case EXIT_REASON_VMLAUNCH:
		return nvmx_entry(v, true);
	case EXIT_REASON_VMRESUME:
		return nvmx_entry(v, false);
	}
	return kxen_exit_ud(v);
}

/* ---- CPUID and the capability MSRs (SDM Vol. 3 Appendix A) ---- */

void kxen_vmx_nested_cpuid(struct kxen_vcpu *v, u32 leaf, u32 out[4])
{
	if (leaf == 1 && kxen_nvmx_of(v))
		out[2] |= BIT(X86_FEATURE_VMX & 31);
}

#define KXEN_NVMX_BASIC	(KXEN_NVMX_REVISION |				\
			 (u64)PAGE_SIZE << 32 |	/* VMCS region size */	\
			 6ULL << 50)		/* write-back */
/* IA32_VMX_MISC: EFER.LMA stored on exit; nothing else offered. */
#define KXEN_NVMX_MISC			BIT_ULL(5)

/* A control MSR: allowed-0 settings low, allowed-1 high (SDM A.3). */
static u64 nvmx_ctls(u32 default1, u32 allowed1)
{
	return default1 | (u64)allowed1 << 32;
}

static u64 nvmx_vmcs_enum(void)
{
	unsigned int i, idx = 0;

	for (i = 0; i < ARRAY_SIZE(kxen_nvmx_fields); i++)
		idx = max(idx, ENC_INDEX(kxen_nvmx_fields[i]));
	return idx << 1;
}

/*
 * 0 with @val, -EINVAL for #GP, -ENOENT when @msr is not one of these.
 * Without nestedhvm IA32_FEATURE_CONTROL stays the core's (locked, no
 * VMX) and the VMX MSRs raise #GP there.
 */
int kxen_vmx_nested_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val)
{
	if (!kxen_nvmx_of(v))
		return -ENOENT;
	switch (msr) {
	case MSR_IA32_FEAT_CTL:
		*val = FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX;
		return 0;
	case MSR_IA32_VMX_BASIC:
		*val = KXEN_NVMX_BASIC;
		return 0;
	case MSR_IA32_VMX_PINBASED_CTLS:
		*val = nvmx_ctls(KXEN_NVMX_PIN_DEFAULT1, KXEN_NVMX_PIN_ALLOWED);
		return 0;
	case MSR_IA32_VMX_PROCBASED_CTLS:
		*val = nvmx_ctls(KXEN_NVMX_PROC_DEFAULT1, KXEN_NVMX_PROC_ALLOWED);
		return 0;
	case MSR_IA32_VMX_EXIT_CTLS:
		*val = nvmx_ctls(KXEN_NVMX_EXIT_DEFAULT1, KXEN_NVMX_EXIT_ALLOWED);
		return 0;
	case MSR_IA32_VMX_ENTRY_CTLS:
		*val = nvmx_ctls(KXEN_NVMX_ENTRY_DEFAULT1, KXEN_NVMX_ENTRY_ALLOWED);
		return 0;
	case MSR_IA32_VMX_MISC:
		*val = KXEN_NVMX_MISC;
		return 0;
	case MSR_IA32_VMX_CR0_FIXED0:
		*val = KXEN_NVMX_CR0_FIXED0;
		return 0;
	case MSR_IA32_VMX_CR0_FIXED1:
		*val = 0xffffffff;
		return 0;
	case MSR_IA32_VMX_CR4_FIXED0:
		*val = X86_CR4_VMXE;
		return 0;
	case MSR_IA32_VMX_CR4_FIXED1:
		*val = kxen_vmx_cr4_allowed(v);
		return 0;
	case MSR_IA32_VMX_VMCS_ENUM:
		*val = nvmx_vmcs_enum();
		return 0;
	}
	/* The secondary, TRUE_ and EPT MSRs: absent, as their bits say. */
	return msr >= MSR_IA32_VMX_BASIC && msr <= MSR_IA32_VMX_VMFUNC ?
	       -EINVAL : -ENOENT;
}

/* The VMX MSRs and the locked IA32_FEATURE_CONTROL are read-only. */
int kxen_vmx_nested_wrmsr(struct kxen_vcpu *v, u32 msr)
{
	if (!kxen_nvmx_of(v))
		return -ENOENT;
	if (msr == MSR_IA32_FEAT_CTL ||
	    (msr >= MSR_IA32_VMX_BASIC && msr <= MSR_IA32_VMX_VMFUNC))
		return -EINVAL;
	return -ENOENT;
}
