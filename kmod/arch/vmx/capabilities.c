// SPDX-License-Identifier: GPL-2.0
/*
 * VT-x capabilities: read the VMX capability MSRs once, choose the control
 * values kxen runs every guest with, and refuse when a required feature is
 * missing.  One predicate per optional capability.
 */
#include <linux/gfp.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <asm/msr.h>
#include <asm/vmx.h>

#include "vmx.h"

struct kxen_vmcs_config kxen_vmcs_conf;

/*
 * Off by default: under Bochs a Debian guest's poweroff (and once its
 * early boot) stalled with it, which a small guest's checks do not show.
 */
static bool apicv;
module_param(apicv, bool, 0444);
MODULE_PARM_DESC(apicv, "VT-x virtual-interrupt delivery for guests in x2APIC mode, where the CPU has it (default off: experimental)");

/* Read-low, read-high, write-low, write-high (SDM Vol. 3 24.6.9). */
#define KXEN_MSR_BITMAP_WRITE_LOW	0x800

/*
 * Combine wanted and optional bits with what the CPU allows: the low half
 * of a capability MSR gives the bits that must be 1, the high half the bits
 * that may be 1 (SDM Vol. 3 A.3-A.5).
 */
static int kxen_adjust_ctls(u32 need, u32 opt, u32 msr, u32 *out,
			    const char *what)
{
	u32 lo, hi, ctl;

	rdmsr(msr, lo, hi);
	ctl = (need | opt) & hi;
	ctl |= lo;
	if ((ctl & need) != need) {
		pr_err(KXEN_PR_PREFIX "VT-x %s controls lack 0x%x; this CPU cannot run kxen guests\n",
		       what, need & ~ctl);
		return -EOPNOTSUPP;
	}
	*out = ctl;
	return 0;
}

bool kxen_vmx_has_preemption_timer(void)
{
	return kxen_vmcs_conf.pin & PIN_BASED_VMX_PREEMPTION_TIMER;
}

/*
 * Virtual-interrupt delivery (SDM Vol. 3 29.2) in virtualize-x2APIC
 * mode, which needs the TPR shadow and MSR bitmaps with it: a guest in
 * x2APIC mode then takes its local APIC's interrupts as soon as it can,
 * with no interrupt-window exit, and its EOI needs no exit either.
 * The bitmap makes every MSR access exit but the x2APIC EOI write.
 * Optional: without it, or with apicv=0 (the default), interrupts are
 * injected.
 */
static void kxen_vmx_setup_vid(struct kxen_vmcs_config *c)
{
	const u32 proc = CPU_BASED_TPR_SHADOW | CPU_BASED_USE_MSR_BITMAPS;
	const u32 proc2 = SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE |
			  SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY;
	u64 ctls, ctls2;
	u8 *bitmap;

	/* The high halves: the bits that may be 1. */
	rdmsrl(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, ctls);
	rdmsrl(MSR_IA32_VMX_PROCBASED_CTLS2, ctls2);
	if (!apicv || ((ctls >> 32) & proc) != proc ||
	    ((ctls2 >> 32) & proc2) != proc2 ||
	    !(c->pin & PIN_BASED_EXT_INTR_MASK))
		return;
	bitmap = (u8 *)__get_free_page(GFP_KERNEL);
	if (!bitmap)
		return;		/* a missed optimisation, not an error */
	memset(bitmap, 0xff, PAGE_SIZE);
	__clear_bit(APIC_BASE_MSR + (APIC_EOI >> 4),
		    (unsigned long *)(bitmap + KXEN_MSR_BITMAP_WRITE_LOW));
	c->msr_bitmap = bitmap;
	c->proc |= CPU_BASED_TPR_SHADOW;
	pr_info(KXEN_PR_PREFIX "VT-x virtual-interrupt delivery on, for guests in x2APIC mode\n");
}

void kxen_vmx_free_config(void)
{
	free_page((unsigned long)kxen_vmcs_conf.msr_bitmap);
	kxen_vmcs_conf.msr_bitmap = NULL;
}

static bool kxen_vmx_ept_usable(u64 cap)
{
	return (cap & VMX_EPT_PAGE_WALK_4_BIT) && (cap & VMX_EPTP_WB_BIT) &&
	       (cap & VMX_EPT_INVEPT_BIT) &&
	       (cap & (VMX_EPT_EXTENT_CONTEXT_BIT | VMX_EPT_EXTENT_GLOBAL_BIT));
}

static int kxen_vmx_setup_exec(struct kxen_vmcs_config *c)
{
	u32 need, opt;
	int ret;

	need = PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING;
	ret = kxen_adjust_ctls(need, PIN_BASED_VMX_PREEMPTION_TIMER,
			       MSR_IA32_VMX_TRUE_PINBASED_CTLS, &c->pin,
			       "pin-based");
	if (ret)
		return ret;
	/* Every I/O port and MSR access exits; CR8 is emulated (no TPR). */
	need = CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
	       CPU_BASED_MOV_DR_EXITING | CPU_BASED_CR8_LOAD_EXITING |
	       CPU_BASED_CR8_STORE_EXITING | CPU_BASED_MWAIT_EXITING |
	       CPU_BASED_MONITOR_EXITING |
	       CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	ret = kxen_adjust_ctls(need, 0, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
			       &c->proc, "processor-based");
	if (ret)
		return ret;
	need = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST;
	opt = SECONDARY_EXEC_ENABLE_RDTSCP | SECONDARY_EXEC_ENABLE_INVPCID |
	      SECONDARY_EXEC_WBINVD_EXITING;
	return kxen_adjust_ctls(need, opt, MSR_IA32_VMX_PROCBASED_CTLS2,
				&c->proc2, "secondary");
}

static int kxen_vmx_setup_entry_exit(struct kxen_vmcs_config *c)
{
	u32 need;
	int ret;

	need = VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER |
	       VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT |
	       VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_DEBUG_CONTROLS;
	ret = kxen_adjust_ctls(need, 0, MSR_IA32_VMX_TRUE_EXIT_CTLS, &c->exit,
			       "VM-exit");
	if (ret)
		return ret;
	need = VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT |
	       VM_ENTRY_LOAD_DEBUG_CONTROLS;
	ret = kxen_adjust_ctls(need, 0, MSR_IA32_VMX_TRUE_ENTRY_CTLS,
			       &c->entry, "VM-entry");
	/* IA-32e mode guest is set per vCPU as the guest enters long mode. */
	c->entry &= ~VM_ENTRY_IA32E_MODE;
	return ret;
}

int kxen_vmx_setup_config(void)
{
	struct kxen_vmcs_config *c = &kxen_vmcs_conf;
	u64 basic, misc;
	int ret;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	if (!(basic & VMX_BASIC_TRUE_CTLS) ||
	    ((basic & VMX_BASIC_MEM_TYPE_MASK) >> VMX_BASIC_MEM_TYPE_SHIFT) !=
	    VMX_BASIC_MEM_TYPE_WB) {
		pr_err(KXEN_PR_PREFIX "VT-x lacks true controls or write-back VMCS; this CPU cannot run kxen guests\n");
		return -EOPNOTSUPP;
	}
	c->revision_id = vmx_basic_vmcs_revision_id(basic);
	c->vmcs_size = vmx_basic_vmcs_size(basic);

	ret = kxen_vmx_setup_exec(c);
	if (ret)
		return ret;
	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, c->ept_vpid_cap);
	if (!kxen_vmx_ept_usable(c->ept_vpid_cap)) {
		pr_err(KXEN_PR_PREFIX "VT-x EPT lacks 4-level walks, write-back or INVEPT; this CPU cannot run kxen guests\n");
		return -EOPNOTSUPP;
	}
	ret = kxen_vmx_setup_entry_exit(c);
	if (ret)
		return ret;
	rdmsrl(MSR_IA32_VMX_MISC, misc);
	c->preemption_timer_shift = vmx_misc_preemption_timer_rate(misc);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, c->cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, c->cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, c->cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, c->cr4_fixed1);
	kxen_vmx_setup_vid(c);
	return 0;
}
