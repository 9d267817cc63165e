// SPDX-License-Identifier: GPL-2.0
/*
 * AMD-V exit handlers, one per exit code (AMD APM Vol. 2 Appendix C),
 * mapped onto the same vendor-neutral handlers as VT-x's.  Each returns
 * KXEN_EXIT_CONTINUE to re-enter, KXEN_EXIT_LEAVE to block the vCPU, or
 * crashes the domain; no exit reaches the host as a failure.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/cpufeatures.h>
#include <asm/msr.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>

#include "svm.h"
#include "../../core/mmio_insn.h"

struct kxen_svm_exit {
	int (*fn)(struct kxen_vcpu *v);
	/*
	 * Length of the exiting instruction when the CPU has no next-RIP
	 * saving (CPUID 0x8000000a EDX[3]); 0 for exits that skip nothing.
	 */
	u8 len;
};

/* Features of SVM itself and of MSRs this backend does not emulate. */
#define KXEN_80000001_ECX_HIDE	(BIT(X86_FEATURE_SVM & 31) |		\
				 BIT(X86_FEATURE_SKINIT & 31) |		\
				 BIT(X86_FEATURE_IBS & 31) |		\
				 BIT(X86_FEATURE_LWP & 31) |		\
				 BIT(X86_FEATURE_PERFCTR_CORE & 31) |	\
				 BIT(X86_FEATURE_PERFCTR_NB & 31) |	\
				 BIT(X86_FEATURE_PERFCTR_LLC & 31))
/* AMD mirrors leaf 1 EDX here; what the core hides there stays hidden. */
#define KXEN_80000001_EDX_HIDE	(BIT(X86_FEATURE_MCE & 31) |		\
				 BIT(X86_FEATURE_MCA & 31))
#define KXEN_80000008_EBX_HIDE	(BIT(X86_FEATURE_AMD_IBPB & 31) |	\
				 BIT(X86_FEATURE_AMD_IBRS & 31) |	\
				 BIT(X86_FEATURE_AMD_STIBP & 31) |	\
				 BIT(X86_FEATURE_AMD_STIBP_ALWAYS_ON & 31) | \
				 BIT(X86_FEATURE_AMD_PPIN & 31) |	\
				 BIT(X86_FEATURE_AMD_SSBD & 31) |	\
				 BIT(X86_FEATURE_VIRT_SSBD & 31) |	\
				 BIT(X86_FEATURE_CPPC & 31) |		\
				 BIT(X86_FEATURE_BRS & 31))

/* INTR, NMI, SMI: the host takes them once GIF and IF are set again. */
static int handle_host_event(struct kxen_vcpu *v)
{
	return KXEN_EXIT_CONTINUE;
}

/*
 * Intercepted #DB and #AC go back to the guest (vmcb.c says why they are
 * intercepted); DR6 is in the VMCB, already as the CPU left it.  #MC was
 * the host's and ran its handler before IRQs came back on (run.c).
 */
static int handle_excp_db(struct kxen_vcpu *v)
{
	if (!to_svm(v)->inject)
		kxen_svm_inject_exception(v, X86_TRAP_DB, false, 0);
	return KXEN_EXIT_CONTINUE;
}

/*
 * ICEBP (INT1) exits before it runs, as Xen intercepts it: the #DB it
 * raises is a trap, so it goes in at the next instruction.  Left to the
 * #DB intercept it would be ambiguous whether RIP is at or past it
 * (APM Vol. 2 15.12; Xen's "x86/svm: Always intercept ICEBP").
 */
static int handle_icebp(struct kxen_vcpu *v)
{
	kxen_vcpu_advance_rip(v);
	kxen_svm_inject_exception(v, X86_TRAP_DB, false, 0);
	return KXEN_EXIT_CONTINUE;
}

static int handle_excp_ac(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);

	if (!sx->inject)
		kxen_svm_inject_exception(v, X86_TRAP_AC, true,
					  (u32)sx->exit_info_1);
	return KXEN_EXIT_CONTINUE;
}

static int handle_shutdown(struct kxen_vcpu *v)
{
	return kxen_exit_fail(v, "triple fault");
}

static int handle_vintr(struct kxen_vcpu *v)
{
	struct vmcb_control_area *c = &to_svm(v)->vmcb->control;

	/* The window is open: the upcall goes in at the next entry. */
	c->intercepts[INTERCEPT_VINTR / 32] &= ~BIT(INTERCEPT_VINTR % 32);
	c->int_ctl &= ~KXEN_SVM_VIRQ_CTL;
	return KXEN_EXIT_CONTINUE;
}

static void kxen_svm_cpuid_filter(struct kxen_vcpu *v, u32 leaf, u32 out[4])
{
	switch (leaf) {
	case 0x80000001:
		out[2] &= ~KXEN_80000001_ECX_HIDE;
		out[3] &= ~KXEN_80000001_EDX_HIDE;
		break;
	case 0x80000008:
		out[1] &= ~KXEN_80000008_EBX_HIDE;
		break;
	case SVM_CPUID_FUNC:
		memset(out, 0, 4 * sizeof(u32));
		break;
	}
	kxen_svm_nested_cpuid(v, leaf, out);
}

static int handle_cpuid(struct kxen_vcpu *v)
{
	unsigned long *r = v->st.gprs;
	u32 leaf = r[KXEN_REG_RAX], out[4];

	if (kxen_cpuid_faults(v))
		return kxen_exit_gp(v);
	kxen_cpuid(v, leaf, r[KXEN_REG_RCX], out);
	kxen_svm_cpuid_filter(v, leaf, out);
	r[KXEN_REG_RAX] = out[0];
	r[KXEN_REG_RBX] = out[1];
	r[KXEN_REG_RCX] = out[2];
	r[KXEN_REG_RDX] = out[3];
	return kxen_exit_skip(v);
}

static int handle_hlt(struct kxen_vcpu *v)
{
	return kxen_vcpu_halt(v);
}

/*
 * A hypercall; in a nested guest whose hypervisor did not intercept
 * VMMCALL, #UD (APM Vol. 3 "VMMCALL"), never a hypercall of the guest's.
 */
static int handle_vmmcall(struct kxen_vcpu *v)
{
	if (kxen_svm_nested_l3(to_svm(v)))
		return kxen_exit_ud(v);
	return kxen_vcpu_hypercall(v);
}

/*
 * Port I/O (EXITINFO1, APM 15.10.2), emulated in kmod/core/pio.c.
 * EXITINFO2 holds the next RIP.
 */
static int handle_io(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	u64 info = sx->exit_info_1;
	unsigned int size = (info & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;
	unsigned int port = info >> 16;

	if (info & SVM_IOIO_STR_MASK)
		return kxen_exit_fail(v, "string port I/O is not emulated");
	v->st.insn_len = sx->exit_info_2 - v->st.rip;
	kxen_pio(v, port, size, info & SVM_IOIO_TYPE_MASK);
	return kxen_exit_skip(v);
}

/* RDMSR and WRMSR share one exit; EXITINFO1 is 1 for a write. */
static int handle_msr(struct kxen_vcpu *v)
{
	unsigned long *r = v->st.gprs;
	u32 msr = r[KXEN_REG_RCX];
	u64 val;

	if (to_svm(v)->exit_info_1) {
		val = (u32)r[KXEN_REG_RAX] | ((u64)(u32)r[KXEN_REG_RDX] << 32);
		if (kxen_svm_wrmsr(v, msr, val))
			return kxen_exit_gp(v);
		return kxen_exit_skip(v);
	}
	if (kxen_svm_rdmsr(v, msr, &val))
		return kxen_exit_gp(v);
	r[KXEN_REG_RAX] = (u32)val;
	r[KXEN_REG_RDX] = val >> 32;
	return kxen_exit_skip(v);
}

/*
 * #NPF: EXITINFO1 is a page-fault error code, with bit 33 set for an
 * access of the guest's own page-table walk (APM Vol. 2 15.25.6),
 * EXITINFO2 the GPA.  Emulated in kmod/core/mmio.c.
 */
#define KXEN_NPF_GUEST_PAGE_TABLE	BIT_ULL(33)

static int handle_npf(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct vmcb_save_area *save = &sx->vmcb->save;
	u64 err = sx->exit_info_1;
	struct kxen_mmio_fault f = {
		.gpa = sx->exit_info_2,
		.cs_base = save->cs.base,
		.cs_db = save->cs.attrib & SVM_SELECTOR_DB_MASK,
		.write = err & X86_PF_WRITE,
		.fetch = err & X86_PF_INSTR,
		.walk = err & KXEN_NPF_GUEST_PAGE_TABLE,
		.event = sx->exit_int_info & SVM_EXITINTINFO_VALID,
	};

	return kxen_mmio_handle(v, &f);
}

/*
 * The source register of an intercepted MOV to CR4: EXITINFO1[3:0] with
 * decode assists (APM Vol. 2 15.8.1), else from the instruction itself,
 * 0F 22 /r with ModRM.mod 3 and reg 4, after a REX prefix in 64-bit
 * code (its B bit extends rm).  -1 for anything else.
 */
static int kxen_svm_cr4_src(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	u8 b[KXEN_INSN_MAX_LEN];
	int n, i = 0, rex = 0;

	if (kxen_svm_conf.decode_assists && (sx->exit_info_1 & BIT_ULL(63)) &&
	    v->st.insn_len)
		return sx->exit_info_1 & 15;
	n = kxen_vcpu_fetch_insn(v, sx->vmcb->save.cs.base, b);
	if (n < 3)
		return -1;
	if (v->st.long_mode && (b[0] & 0xf0) == 0x40)
		rex = b[i++];
	if (n < i + 3 || b[i] != 0x0f || b[i + 1] != 0x22 || (b[i + 2] & 0xf8) != 0xe0)
		return -1;
	v->st.insn_len = i + 3;
	return (b[i + 2] & 7) | (rex & 1) << 3;
}

/*
 * MOV to CR4 (SDM Vol. 3 2.5 and 4.1.3; APM Vol. 2 3.1.3): #GP for a bit
 * the guest may not set, for PAE off in long mode, and for PCIDE going
 * on outside long mode or with a PCID in CR3.  A change flushes the
 * guest's TLB, as the CPU would have for the paging bits.
 */
static int handle_cr4_write(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	bool lma = v->st.efer & EFER_LMA;
	int src = kxen_svm_cr4_src(v);
	unsigned long val;

	if (src < 0)
		return kxen_exit_fail(v, "MOV to CR4 not decoded");
	val = v->st.gprs[src];
	if (!v->st.long_mode)
		val = (u32)val;
	if ((val & ~kxen_svm_conf.cr4_ok) || (lma && !(val & X86_CR4_PAE)) ||
	    ((val & ~v->st.cr4 & X86_CR4_PCIDE) &&
	     (!lma || (v->st.cr3 & 0xfff))))
		return kxen_exit_gp(v);
	if (val != v->st.cr4)
		sx->vmcb->control.tlb_ctl = kxen_svm_conf.flush_by_asid ?
					    TLB_CONTROL_FLUSH_ASID :
					    TLB_CONTROL_FLUSH_ALL_ASID;
	v->st.cr4 = val;
	sx->vmcb->save.cr4 = val;
	return kxen_exit_skip(v);
}

/* XSETBV (APM Vol. 3 XSETBV, Vol. 2 11.5.2): only valid XCR0 values. */
static int handle_xsetbv(struct kxen_vcpu *v)
{
	unsigned long *r = v->st.gprs;
	u64 val = (u32)r[KXEN_REG_RAX] | ((u64)(u32)r[KXEN_REG_RDX] << 32);

	if (kxen_fpu_xsetbv(v, r[KXEN_REG_RCX], val))
		return kxen_exit_gp(v);
	return kxen_exit_skip(v);
}

static const struct kxen_svm_exit kxen_svm_exits[] = {
	[SVM_EXIT_INTR]		= { handle_host_event },
	[SVM_EXIT_NMI]		= { handle_host_event },
	[SVM_EXIT_SMI]		= { handle_host_event },
	[SVM_EXIT_EXCP_BASE + X86_TRAP_DB] = { handle_excp_db },
	[SVM_EXIT_EXCP_BASE + X86_TRAP_AC] = { handle_excp_ac },
	[SVM_EXIT_EXCP_BASE + X86_TRAP_MC] = { handle_host_event },
	[SVM_EXIT_VINTR]	= { handle_vintr },
	[SVM_EXIT_CPUID]	= { handle_cpuid, 2 },
	[SVM_EXIT_INVD]		= { kxen_exit_skip, 2 },
	[SVM_EXIT_HLT]		= { handle_hlt, 1 },
	[SVM_EXIT_INVLPGA]	= { kxen_svm_nested_invlpga, 3 },
	[SVM_EXIT_IOIO]		= { handle_io },
	[SVM_EXIT_MSR]		= { handle_msr, 2 },
	[SVM_EXIT_SHUTDOWN]	= { handle_shutdown },
	[SVM_EXIT_VMRUN]	= { kxen_svm_nested_vmrun, 3 },
	[SVM_EXIT_VMMCALL]	= { handle_vmmcall, 3 },
	[SVM_EXIT_VMLOAD]	= { kxen_svm_nested_vmload, 3 },
	[SVM_EXIT_VMSAVE]	= { kxen_svm_nested_vmsave, 3 },
	[SVM_EXIT_STGI]		= { kxen_svm_nested_stgi, 3 },
	[SVM_EXIT_CLGI]		= { kxen_svm_nested_clgi, 3 },
	[SVM_EXIT_SKINIT]	= { kxen_exit_ud },
	[SVM_EXIT_WBINVD]	= { kxen_exit_skip, 2 },
	[SVM_EXIT_MONITOR]	= { kxen_exit_ud },
	[SVM_EXIT_MWAIT]	= { kxen_exit_ud },
	[SVM_EXIT_MWAIT_COND]	= { kxen_exit_ud },
	[SVM_EXIT_XSETBV]	= { handle_xsetbv, 3 },
	[SVM_EXIT_WRITE_CR4]	= { handle_cr4_write },
	[SVM_EXIT_ICEBP]	= { handle_icebp, 1 },
};

/*
 * The length of the exiting instruction: from next_rip where the CPU
 * saves it (APM 15.7.1), else the length of the only encoding that
 * exits this way.
 */
static u32 kxen_svm_insn_len(struct kxen_vcpu *v, u8 len)
{
	u64 next = to_svm(v)->vmcb->control.next_rip;

	if (kxen_svm_conf.nrips && next > v->st.rip && next - v->st.rip <= 15)
		return next - v->st.rip;
	return len;
}

static const char * const kxen_svm_exit_names[] = {
	[SVM_EXIT_INTR] = "INTR", [SVM_EXIT_NMI] = "NMI",
	[SVM_EXIT_VINTR] = "VINTR", [SVM_EXIT_CPUID] = "CPUID",
	[SVM_EXIT_HLT] = "HLT", [SVM_EXIT_IOIO] = "IOIO",
	[SVM_EXIT_MSR] = "MSR", [SVM_EXIT_SHUTDOWN] = "SHUTDOWN",
	[SVM_EXIT_VMMCALL] = "VMMCALL", [SVM_EXIT_WBINVD] = "WBINVD",
	[SVM_EXIT_XSETBV] = "XSETBV", [SVM_EXIT_WRITE_CR4] = "WRITE_CR4",
	[SVM_EXIT_ICEBP] = "ICEBP", [SVM_EXIT_VMRUN] = "VMRUN",
	[SVM_EXIT_VMLOAD] = "VMLOAD", [SVM_EXIT_VMSAVE] = "VMSAVE",
	[SVM_EXIT_STGI] = "STGI", [SVM_EXIT_CLGI] = "CLGI",
	[SVM_EXIT_EXCP_BASE + X86_TRAP_DB] = "EXCP_DB",
	[SVM_EXIT_EXCP_BASE + X86_TRAP_AC] = "EXCP_AC",
	[SVM_EXIT_EXCP_BASE + X86_TRAP_MC] = "EXCP_MC",
};

const char *kxen_svm_exit_name(u32 code)
{
	return code < ARRAY_SIZE(kxen_svm_exit_names) ?
	       kxen_svm_exit_names[code] : NULL;
}

int kxen_svm_handle_exit(struct kxen_vcpu *v)
{
	u32 code = to_svm(v)->exit_code;
	const struct kxen_svm_exit *e;
	int ret;

	/* A nested guest's exit its hypervisor asked for goes there. */
	if (kxen_svm_nested_l3(to_svm(v)) && kxen_svm_nested_reflect(v, &ret))
		return ret;
	if (code == (u32)SVM_EXIT_NPF)
		return handle_npf(v);
	if (code == (u32)SVM_EXIT_ERR)
		return kxen_exit_fail(v, "VMRUN failed on guest state");
	if (code >= ARRAY_SIZE(kxen_svm_exits) || !kxen_svm_exits[code].fn)
		return kxen_exit_fail(v, "unhandled #VMEXIT");
	e = &kxen_svm_exits[code];
	v->st.insn_len = kxen_svm_insn_len(v, e->len);
	return e->fn(v);
}
