// SPDX-License-Identifier: GPL-2.0
/*
 * VT-x bring-up: the load-time refusals, VMXON on every online CPU (with
 * CR4.VMXE set through the kernel's CR4 helpers so its shadow stays right
 * and KVM in turn sees VMX as taken), VMXOFF when a CPU goes away.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>

#include "vmx.h"
#include "vmx_ops.h"

static DEFINE_PER_CPU(struct kxen_vmcs *, kxen_vmxon_region);
static DEFINE_PER_CPU(bool, kxen_vmx_on);

void kxen_vmx_op_error(const char *insn, unsigned long field)
{
	pr_err_ratelimited(KXEN_PR_PREFIX "%s of VMCS field 0x%lx failed\n",
			   insn, field);
}

/* A VMX instruction that faulted: this CPU is not in VMX operation. */
void kxen_vmx_op_fault(const char *insn)
{
	pr_err_ratelimited(KXEN_PR_PREFIX "CPU%d: %s faulted: VT-x is off on this CPU (VMXON lost, e.g. across a suspend); the domain fails instead of the host\n",
			   raw_smp_processor_id(), insn);
}

static struct kxen_vmcs *kxen_vmcs_page_alloc(int cpu)
{
	struct page *pg;
	struct kxen_vmcs *vmcs;

	pg = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
	if (!pg)
		return NULL;
	vmcs = page_address(pg);
	vmcs->revision_id = kxen_vmcs_conf.revision_id;
	return vmcs;
}

/* SDM Vol. 3 24.7: VMXON needs CR4.VMXE and IA32_FEATURE_CONTROL bits. */
static int kxen_vmx_cpu_enable(void)
{
	int cpu = smp_processor_id();
	struct kxen_vmcs *region = per_cpu(kxen_vmxon_region, cpu);
	int ret;

	if (!region) {
		region = kxen_vmcs_page_alloc(cpu);
		if (!region)
			return -ENOMEM;
		per_cpu(kxen_vmxon_region, cpu) = region;
	}
	if (cr4_read_shadow() & X86_CR4_VMXE) {
		pr_err(KXEN_PR_PREFIX "CPU%d: VT-x is already in use by another hypervisor (e.g. kvm_intel running a VM); stop it or unload it first\n",
		       cpu);
		return -EBUSY;
	}
	cr4_set_bits(X86_CR4_VMXE);
	ret = kxen_vmxon(__pa(region));
	if (ret) {
		cr4_clear_bits(X86_CR4_VMXE);
		pr_err(KXEN_PR_PREFIX "CPU%d: VMXON failed: VT-x is in use by another hypervisor\n",
		       cpu);
		return ret;
	}
	/* Drop translations a previous VMM may have left tagged. */
	kxen_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	this_cpu_write(kxen_vmx_on, true);
	return 0;
}

static void kxen_vmx_cpu_disable(void)
{
	if (!this_cpu_read(kxen_vmx_on))
		return;
	kxen_vmx_clear_loaded_on_cpu();
	kxen_uret_msr_cpu_down();
	kxen_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
	this_cpu_write(kxen_vmx_on, false);
}

/* Reboot/kexec with IRQs off: leave VMX so the next kernel can use it. */
static void kxen_vmx_emergency_disable(void)
{
	if (!this_cpu_read(kxen_vmx_on))
		return;
	kxen_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
	this_cpu_write(kxen_vmx_on, false);
}

/*
 * Fault injection (main.c's inject_virt_off): leave VMX operation as a
 * resume that lost VMXON would, with kxen's own bookkeeping untouched,
 * so the next VMX instruction here faults into its fixup.
 */
static void kxen_vmx_inject_off(void)
{
	if (!this_cpu_read(kxen_vmx_on))
		return;
	kxen_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
}

static void kxen_vmx_unload(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct kxen_vmcs *r = per_cpu(kxen_vmxon_region, cpu);

		if (r)
			free_page((unsigned long)r);
		per_cpu(kxen_vmxon_region, cpu) = NULL;
	}
	kxen_vmx_free_config();
}

static void kxen_vmx_hypercall_insn(u8 *buf)
{
	buf[0] = 0x0f;	/* vmcall */
	buf[1] = 0x01;
	buf[2] = 0xc1;
}

static const struct kxen_arch_ops kxen_vmx_ops = {
	.name = "vmx",
	.caps = KXEN_CAP_VMX | KXEN_CAP_HAP_2M | KXEN_CAP_PVH |
		KXEN_CAP_CONSOLE_IO | KXEN_CAP_STATS | KXEN_CAP_NESTED_VMX,
	.cpu_enable = kxen_vmx_cpu_enable,
	.cpu_disable = kxen_vmx_cpu_disable,
	.emergency_disable = kxen_vmx_emergency_disable,
	.inject_off = kxen_vmx_inject_off,
	.unload = kxen_vmx_unload,
	.domain_init = kxen_ept_init,
	.domain_free = kxen_ept_free,
	.vcpu_create = kxen_vmx_vcpu_create,
	.vcpu_free = kxen_vmx_vcpu_free,
	.vcpu_set_boot = kxen_vmx_vcpu_set_boot,
	.vcpu_set_sipi = kxen_vmx_vcpu_set_sipi,
	.vcpu_set_regs = kxen_vmx_vcpu_set_regs,
	.vcpu_run = kxen_vmx_vcpu_run,
	.inject_exception = kxen_vmx_inject_exception,
	.dump = kxen_vmx_dump,
	.set_gfn = kxen_ept_set_gfn,
	.flush_gfns = kxen_ept_flush,
	.exit_name = kxen_vmx_exit_name,
	.hypercall_insn = kxen_vmx_hypercall_insn,
};

/*
 * The refusals, each with its own errno and a line naming the fix:
 * -ENODEV no VMX in CPUID, -EPERM firmware locked VMX off, -EOPNOTSUPP
 * EPT or unrestricted guest missing, -EBUSY VMX in use (in cpu_enable).
 */
const struct kxen_arch_ops *kxen_vmx_probe(void)
{
	u64 feat;
	int ret;

	if (!(cpuid_ecx(1) & BIT(X86_FEATURE_VMX & 31))) {
		pr_err(KXEN_PR_PREFIX "this CPU has no VT-x (VMX); kxen needs an Intel CPU with VT-x, or nested VT-x enabled in the VM it runs in\n");
		return ERR_PTR(-ENODEV);
	}
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat) ||
	    !(feat & FEAT_CTL_LOCKED) ||
	    !(feat & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err(KXEN_PR_PREFIX "VT-x is disabled by the firmware (IA32_FEATURE_CONTROL=0x%llx); enable Intel Virtualization Technology in the BIOS/UEFI setup\n",
		       feat);
		return ERR_PTR(-EPERM);
	}
	ret = kxen_vmx_setup_config();
	if (ret)
		return ERR_PTR(ret);
	kxen_spec_init(true);
	kxen_vmx_l1d_setup();
	kxen_vmx_nested_setup();
	return &kxen_vmx_ops;
}
