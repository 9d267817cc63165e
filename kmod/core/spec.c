// SPDX-License-Identifier: GPL-2.0
/*
 * Speculative-execution mitigations around guest entry and exit: the
 * inputs of spec_policy.c gathered from the host kernel at load, the
 * result logged and reported (KXEN_A_MITIGATIONS), and the IBPB a CPU
 * issues when it goes from a vCPU of one domain to one of another.
 *
 * The entry and exit code itself keys on the same kernel feature bits
 * through the kernel's alternatives (FILL_RETURN_BUFFER, CLEAR_CPU_BUFFERS,
 * indirect_branch_prediction_barrier()), so the hot path reads no flag
 * of ours; only the L1D flush, whose mode is kxen's to pick from l1tf=,
 * uses static keys (arch/vmx/run.c).
 */
#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/processor.h>

#include "kxen.h"
#include "spec_policy.h"

/*
 * What the entry and exit code relies on, named so that a kernel without
 * it fails to build here rather than run unprotected.
 */
#ifndef X86_FEATURE_RSB_VMEXIT_LITE
#error "kxen needs a kernel with X86_FEATURE_RSB_VMEXIT_LITE (PBRSB-eIBRS mitigation)"
#endif
#ifndef X86_FEATURE_CLEAR_CPU_BUF_VM
#error "kxen needs a kernel with X86_FEATURE_CLEAR_CPU_BUF_VM (TSA mitigation)"
#endif
#ifndef X86_FEATURE_IBPB_ON_VMEXIT
#error "kxen needs a kernel with X86_FEATURE_IBPB_ON_VMEXIT (SRSO mitigation)"
#endif

u64 kxen_spec_mit __read_mostly;
enum kxen_spec_l1d kxen_spec_l1d __read_mostly;

/* The domain whose vCPU this CPU ran last (its spec_id; 0: none yet). */
static DEFINE_PER_CPU(u64, kxen_spec_last_dom);
static atomic64_t kxen_spec_dom_seq = ATOMIC64_INIT(0);

/* A domid is reused; this is not, so a new domain never looks like the last. */
u64 kxen_spec_domain_id(void)
{
	return atomic64_inc_return(&kxen_spec_dom_seq);
}

/*
 * Before entering a vCPU of @d, preemption off.  Branch predictions that
 * another domain's guest trained must not steer this one (Spectre v2):
 * IBPB when the CPU last ran a vCPU of another domain, as Xen's context
 * switch does on a change of domain and KVM's vcpu_load on a change of
 * VMCS/VMCB.  indirect_branch_prediction_barrier() is the kernel's
 * (alternative on X86_FEATURE_USE_IBPB, the spectre_v2_user= choice); it
 * is not needed where an IBPB follows every exit anyway.
 */
void kxen_spec_switch_domain(const struct kxen_domain *d)
{
	if (likely(this_cpu_read(kxen_spec_last_dom) == d->spec_id))
		return;
	this_cpu_write(kxen_spec_last_dom, d->spec_id);
	if (!cpu_feature_enabled(X86_FEATURE_IBPB_ON_VMEXIT))
		indirect_branch_prediction_barrier();
}

static enum kxen_spec_l1tf_host kxen_spec_l1tf_host(void)
{
	switch (l1tf_mitigation) {
	case L1TF_MITIGATION_OFF:
		return KXEN_SPEC_L1TF_OFF;
	case L1TF_MITIGATION_FULL:
	case L1TF_MITIGATION_FULL_FORCE:
		return KXEN_SPEC_L1TF_FULL;
	default:
		return KXEN_SPEC_L1TF_FLUSH;
	}
}

/* ARCH_CAPABILITIES (SDM Vol. 4, MSR 0x10A), read once at load. */
static bool kxen_spec_skip_l1dflush(void)
{
	u64 cap;

	if (!boot_cpu_has(X86_FEATURE_ARCH_CAPABILITIES) ||
	    rdmsrl_safe(MSR_IA32_ARCH_CAPABILITIES, &cap))
		return false;
	return cap & ARCH_CAP_SKIP_VMENTRY_L1DFLUSH;
}

/* Once, before any vCPU runs: @vmx is the VT-x backend, else AMD-V. */
void kxen_spec_init(bool vmx)
{
	static const char *const names[] = KXEN_MIT_NAMES;
	const struct kxen_spec_in in = {
		.vmx = vmx,
		.rsb_vmexit = boot_cpu_has(X86_FEATURE_RSB_VMEXIT),
		.rsb_vmexit_lite = boot_cpu_has(X86_FEATURE_RSB_VMEXIT_LITE),
		.clear_cpu_buf = boot_cpu_has(X86_FEATURE_CLEAR_CPU_BUF),
		.clear_cpu_buf_vm = boot_cpu_has(X86_FEATURE_CLEAR_CPU_BUF_VM),
		.use_ibpb = boot_cpu_has(X86_FEATURE_USE_IBPB),
		.ibpb_on_vmexit = boot_cpu_has(X86_FEATURE_IBPB_ON_VMEXIT),
		.flush_l1d = boot_cpu_has(X86_FEATURE_FLUSH_L1D),
		.bug_l1tf = boot_cpu_has_bug(X86_BUG_L1TF),
		.skip_l1dflush = kxen_spec_skip_l1dflush(),
		.l1tf = kxen_spec_l1tf_host(),
	};
	struct kxen_spec_out out;
	char buf[96];
	unsigned int i;
	int n = 0;

	kxen_spec_choose(&in, &out);
	kxen_spec_mit = out.mit;
	kxen_spec_l1d = out.l1d;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (out.mit & BIT_ULL(i))
			n += scnprintf(buf + n, sizeof(buf) - n, " %s",
				       names[i]);
	pr_info(KXEN_PR_PREFIX "speculation mitigations:%s; L1D flush: %s\n",
		n ? buf : " none", kxen_spec_l1d_name(out.l1d));
	if (out.l1d == KXEN_L1D_NO_MSR)
		pr_warn(KXEN_PR_PREFIX "L1TF: guests can read host data through the L1D; load microcode that provides IA32_FLUSH_CMD\n");
}
