// SPDX-License-Identifier: GPL-2.0
/*
 * AMD-V bring-up: the load-time refusals, EFER.SVME and VM_HSAVE_PA on
 * every online CPU, the per-CPU host save area VMSAVE/VMLOAD use around
 * VMRUN, ASIDs, and SVM off again when a CPU goes away (AMD APM Vol. 2
 * 15.4 "Enabling SVM", 15.16 "TLB Control", 15.30.4 "VM_HSAVE_PA").
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/mem_encrypt.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/virtext.h>

#include "svm.h"

/* CPUID 0x8000000a EDX (APM Vol. 3 E.4.9). */
#define KXEN_SVM_FEAT_NP		BIT(0)
#define KXEN_SVM_FEAT_NRIPS		BIT(3)
#define KXEN_SVM_FEAT_FLUSH_BY_ASID	BIT(6)
#define KXEN_SVM_FEAT_DECODE_ASSISTS	BIT(7)

/*
 * CR4 bits a guest may set (APM Vol. 2 3.1.3): the architectural ones
 * and those of features the CPU has and the guest's CPUID offers
 * (kmod/core/cpuid.c); not PKE, CET or LA57, which it hides, nor VMXE
 * and SMXE, which an emulated CPU may have but an AMD guest never sees.
 */
static unsigned long kxen_svm_cr4_ok(void)
{
	unsigned long ok = X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD |
			   X86_CR4_DE | X86_CR4_PSE | X86_CR4_PAE |
			   X86_CR4_MCE | X86_CR4_PGE | X86_CR4_PCE |
			   X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

	if (boot_cpu_has(X86_FEATURE_UMIP))
		ok |= X86_CR4_UMIP;
	if (boot_cpu_has(X86_FEATURE_FSGSBASE))
		ok |= X86_CR4_FSGSBASE;
	if (boot_cpu_has(X86_FEATURE_PCID))
		ok |= X86_CR4_PCIDE;
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		ok |= X86_CR4_OSXSAVE;
	if (boot_cpu_has(X86_FEATURE_SMEP))
		ok |= X86_CR4_SMEP;
	if (boot_cpu_has(X86_FEATURE_SMAP))
		ok |= X86_CR4_SMAP;
	return ok;
}

#define KXEN_IOPM_ORDER		2	/* 12 KiB used (APM 15.10.1) */
#define KXEN_MSRPM_ORDER	1	/* 8 KiB (APM 15.11) */

struct kxen_svm_cpu {
	struct page *hsave;		/* VM_HSAVE_PA: VMRUN's host state */
	struct page *host_save;		/* VMSAVE/VMLOAD: FS, GS, TR, ... */
	u64 asid_generation;
	u32 next_asid;
	bool on;
};

struct kxen_svm_config kxen_svm_conf;
static DEFINE_PER_CPU(struct kxen_svm_cpu, kxen_svm_cpu);

u64 kxen_svm_host_save_pa(void)
{
	return kxen_sme_page_pa(this_cpu_ptr(&kxen_svm_cpu)->host_save);
}

static bool check_hsave = true;
module_param(check_hsave, bool, 0644);
MODULE_PARM_DESC(check_hsave,
		 "Before each VMRUN, check that VM_HSAVE_PA is still this CPU's host save area (one RDMSR)");

/*
 * VMRUN stores the host's state at VM_HSAVE_PA (APM 15.5.1): were that
 * MSR to point anywhere but the page kxen gave it, at a VMCB above all,
 * the host's state would land there and run as the guest.  Nothing but
 * kxen writes it while kxen holds SVM; this catches anything that does.
 * Preemption off.
 */
int kxen_svm_check_hsave(struct kxen_vcpu *v)
{
	u64 want, pa;

	if (!check_hsave)
		return 0;
	want = kxen_sme_page_pa(this_cpu_ptr(&kxen_svm_cpu)->hsave);
	rdmsrl(MSR_VM_HSAVE_PA, pa);
	if (likely(pa == want && pa != to_svm(v)->vmcb_pa))
		return 0;
	pr_err_ratelimited(KXEN_PR_PREFIX "d%uv%u: CPU%d: VM_HSAVE_PA is 0x%llx, not this CPU's host save area 0x%llx (VMCB 0x%llx)\n",
			   v->dom->domid, v->id, smp_processor_id(), pa, want,
			   to_svm(v)->vmcb_pa);
	return -EIO;
}

/*
 * For a #VMEXIT that left the host's state in the VMCB (run.c): what
 * this CPU's host save area and the VMCB each hold now.  A VMRUN stores
 * the host's state at VM_HSAVE_PA before it reads the guest's from the
 * VMCB; if the area does not hold that VMRUN's state while the VMCB
 * does, the store went to the VMCB.  Preemption off.
 */
void kxen_svm_dump_hsave(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	const struct vmcb_save_area *h, *g = &sx->vmcb->save;
	struct page *pg = this_cpu_ptr(&kxen_svm_cpu)->hsave;
	u64 pa;

	if (!pg)
		return;
	h = page_address(pg) + offsetof(struct vmcb, save);
	rdmsrl(MSR_VM_HSAVE_PA, pa);
	pr_warn(KXEN_PR_PREFIX " CPU%d VM_HSAVE_PA %llx (kxen's %llx), VMCB %llx\n",
		smp_processor_id(), pa, kxen_sme_page_pa(pg), sx->vmcb_pa);
	pr_warn(KXEN_PR_PREFIX " hsave: rip %llx rsp %llx rax %llx cr3 %llx cr4 %llx\n",
		h->rip, h->rsp, h->rax, h->cr3, h->cr4);
	pr_warn(KXEN_PR_PREFIX " vmcb:  rip %llx rsp %llx rax %llx cr3 %llx cr4 %llx\n",
		g->rip, g->rsp, g->rax, g->cr3, g->cr4);
}

/*
 * ASIDs tag TLB entries per guest.  Each CPU hands them out in
 * generations: a vCPU arriving on a CPU, or holding an ASID of an older
 * generation, takes the next one; when they run out the generation ends
 * and the whole TLB is flushed once (the scheme of Linux's KVM).  An ASID
 * is never shared by two vCPUs within a generation, so nothing a freed
 * nested page table left in the TLB is ever used again.  Preemption off.
 */
void kxen_svm_assign_asid(struct kxen_vcpu *v)
{
	struct kxen_svm_cpu *sc = this_cpu_ptr(&kxen_svm_cpu);
	struct kxen_svm_vcpu *sx = to_svm(v);
	int cpu = smp_processor_id();
	u32 max_asid = max(kxen_svm_conf.nr_asids - 1, 1u);

	if (sx->cpu == cpu && sx->asid_generation == sc->asid_generation)
		return;
	if (sc->next_asid > max_asid) {
		sc->asid_generation++;
		sc->next_asid = 1;
		sx->vmcb->control.tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
	}
	sx->asid = sc->next_asid++;
	sx->asid_generation = sc->asid_generation;
	sx->cpu = cpu;
	sx->vmcb->control.asid = sx->asid;
}

static struct page *kxen_svm_page(int cpu)
{
	return alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
}

/* An SVM instruction that faulted: EFER.SVME is clear on this CPU. */
void kxen_svm_op_fault(const char *insn)
{
	pr_err_ratelimited(KXEN_PR_PREFIX "CPU%d: %s faulted: AMD-V is off on this CPU (EFER.SVME lost, e.g. across a suspend); the domain fails instead of the host\n",
			   raw_smp_processor_id(), insn);
}

/* APM 15.4: EFER.SVME enables SVM; VMRUN needs VM_HSAVE_PA set. */
static int kxen_svm_cpu_enable(void)
{
	int cpu = smp_processor_id();
	struct kxen_svm_cpu *sc = this_cpu_ptr(&kxen_svm_cpu);
	u64 efer;

	if (!sc->hsave)
		sc->hsave = kxen_svm_page(cpu);
	if (!sc->host_save)
		sc->host_save = kxen_svm_page(cpu);
	if (!sc->hsave || !sc->host_save)
		return -ENOMEM;
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		pr_err(KXEN_PR_PREFIX "CPU%d: AMD-V (SVM) is already in use by another hypervisor (e.g. kvm_amd running a VM); stop it or unload it first\n",
		       cpu);
		return -EBUSY;
	}
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, kxen_sme_page_pa(sc->hsave));
	/* Start a new ASID generation: the first VMRUN flushes the TLB. */
	sc->asid_generation++;
	sc->next_asid = U32_MAX;
	sc->on = true;
	return 0;
}

static void kxen_svm_cpu_off(void)
{
	struct kxen_svm_cpu *sc = this_cpu_ptr(&kxen_svm_cpu);

	if (!sc->on)
		return;
	/* GIF back to 1, VM_HSAVE_PA 0, EFER.SVME clear. */
	cpu_svm_disable();
	sc->on = false;
}

static void kxen_svm_cpu_disable(void)
{
	if (this_cpu_ptr(&kxen_svm_cpu)->on)
		kxen_uret_msr_cpu_down();
	kxen_svm_cpu_off();
}

/*
 * Fault injection (main.c's inject_virt_off): EFER.SVME off as a resume
 * that lost it would, with kxen's own bookkeeping untouched, so the next
 * SVM instruction here faults into its fixup.
 */
static void kxen_svm_inject_off(void)
{
	u64 efer;

	if (!this_cpu_ptr(&kxen_svm_cpu)->on)
		return;
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
}

/* Reboot/kexec with IRQs off: leave SVM so the next kernel can use it. */
static void kxen_svm_emergency_disable(void)
{
	kxen_svm_cpu_off();
}

static void kxen_svm_free_maps(void)
{
	if (kxen_svm_conf.iopm_pa)
		__free_pages(pfn_to_page(__sme_clr(kxen_svm_conf.iopm_pa) >>
					 PAGE_SHIFT), KXEN_IOPM_ORDER);
	if (kxen_svm_conf.msrpm_pa)
		__free_pages(pfn_to_page(__sme_clr(kxen_svm_conf.msrpm_pa) >>
					 PAGE_SHIFT), KXEN_MSRPM_ORDER);
	kxen_svm_conf.iopm_pa = 0;
	kxen_svm_conf.msrpm_pa = 0;
}

static void kxen_svm_unload(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct kxen_svm_cpu *sc = per_cpu_ptr(&kxen_svm_cpu, cpu);

		if (sc->hsave)
			__free_page(sc->hsave);
		if (sc->host_save)
			__free_page(sc->host_save);
		sc->hsave = NULL;
		sc->host_save = NULL;
	}
	kxen_svm_free_maps();
}

/*
 * Every port and every MSR access exits: the permission maps are all
 * ones and shared by all vCPUs, read-only for the hardware.
 */
static int kxen_svm_alloc_maps(void)
{
	struct page *io, *msr;

	io = alloc_pages(GFP_KERNEL, KXEN_IOPM_ORDER);
	msr = alloc_pages(GFP_KERNEL, KXEN_MSRPM_ORDER);
	if (!io || !msr) {
		if (io)
			__free_pages(io, KXEN_IOPM_ORDER);
		if (msr)
			__free_pages(msr, KXEN_MSRPM_ORDER);
		return -ENOMEM;
	}
	memset(page_address(io), 0xff, PAGE_SIZE << KXEN_IOPM_ORDER);
	memset(page_address(msr), 0xff, PAGE_SIZE << KXEN_MSRPM_ORDER);
	kxen_svm_conf.iopm_pa = kxen_sme_page_pa(io);
	kxen_svm_conf.msrpm_pa = kxen_sme_page_pa(msr);
	return 0;
}

static void kxen_svm_hypercall_insn(u8 *buf)
{
	buf[0] = 0x0f;	/* vmmcall */
	buf[1] = 0x01;
	buf[2] = 0xd9;
}

static const struct kxen_arch_ops kxen_svm_ops = {
	.name = "svm",
	.caps = KXEN_CAP_SVM | KXEN_CAP_HAP_2M | KXEN_CAP_PVH |
		KXEN_CAP_CONSOLE_IO | KXEN_CAP_STATS | KXEN_CAP_NESTED_SVM,
	.cpu_enable = kxen_svm_cpu_enable,
	.cpu_disable = kxen_svm_cpu_disable,
	.emergency_disable = kxen_svm_emergency_disable,
	.inject_off = kxen_svm_inject_off,
	.unload = kxen_svm_unload,
	.domain_init = kxen_npt_init,
	.domain_free = kxen_npt_free,
	.vcpu_create = kxen_svm_vcpu_create,
	.vcpu_free = kxen_svm_vcpu_free,
	.vcpu_set_boot = kxen_svm_vcpu_set_boot,
	.vcpu_set_sipi = kxen_svm_vcpu_set_sipi,
	.vcpu_set_regs = kxen_svm_vcpu_set_regs,
	.exit_name = kxen_svm_exit_name,
	.vcpu_run = kxen_svm_vcpu_run,
	.inject_exception = kxen_svm_inject_exception,
	.dump = kxen_svm_dump,
	.set_gfn = kxen_npt_set_gfn,
	.flush_gfns = kxen_npt_flush,
	.hypercall_insn = kxen_svm_hypercall_insn,
};

static bool kxen_svm_in_cpuid(void)
{
	return cpuid_eax(0x80000000) >= 0x80000001 &&
	       (cpuid_ecx(0x80000001) & BIT(X86_FEATURE_SVM & 31));
}

/*
 * The refusals, each with its own errno and a line naming the fix:
 * -ENODEV no SVM in CPUID, -EPERM firmware disabled SVM (VM_CR.SVMDIS,
 * APM 15.30.1), -EOPNOTSUPP no nested paging, -EBUSY SVM in use (in
 * cpu_enable).
 */
const struct kxen_arch_ops *kxen_svm_probe(void)
{
	u32 eax, ebx, ecx, edx;
	u64 vm_cr = 0;

	if (!kxen_svm_in_cpuid()) {
		pr_err(KXEN_PR_PREFIX "this CPU has no AMD-V (SVM); kxen needs an AMD CPU with SVM, or nested SVM enabled in the VM it runs in\n");
		return ERR_PTR(-ENODEV);
	}
	/* A hypervisor below us may not offer VM_CR: then SVM is not off. */
	if (!rdmsrl_safe(MSR_VM_CR, &vm_cr) &&
	    (vm_cr & SVM_VM_CR_SVM_DIS_MASK)) {
		pr_err(KXEN_PR_PREFIX "AMD-V is disabled by the firmware (VM_CR=0x%llx); enable SVM Mode in the BIOS/UEFI setup\n",
		       vm_cr);
		return ERR_PTR(-EPERM);
	}
	cpuid(SVM_CPUID_FUNC, &eax, &ebx, &ecx, &edx);
	if (!(edx & KXEN_SVM_FEAT_NP)) {
		pr_err(KXEN_PR_PREFIX "AMD-V lacks nested paging (NPT); this CPU cannot run kxen guests\n");
		return ERR_PTR(-EOPNOTSUPP);
	}
	kxen_svm_conf.nr_asids = ebx;
	kxen_svm_conf.nrips = edx & KXEN_SVM_FEAT_NRIPS;
	kxen_svm_conf.flush_by_asid = edx & KXEN_SVM_FEAT_FLUSH_BY_ASID;
	kxen_svm_conf.decode_assists = edx & KXEN_SVM_FEAT_DECODE_ASSISTS;
	kxen_svm_conf.cr4_ok = kxen_svm_cr4_ok();
	if (kxen_svm_alloc_maps())
		return ERR_PTR(-ENOMEM);
	kxen_spec_init(false);
	return &kxen_svm_ops;
}
