/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which speculative-execution mitigations kxen applies around guest entry
 * and exit, decided from the host kernel's own choices (its feature and
 * bug bits and its l1tf= mode, Documentation/admin-guide/hw-vuln/).  Plain
 * C for the kernel and for the userspace unit test: the kernel glue
 * (spec.c) gathers the inputs, this says what follows from them.
 */
#ifndef KXEN_CORE_SPEC_POLICY_H
#define KXEN_CORE_SPEC_POLICY_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <linux/types.h>
typedef __u64 u64;
#endif

#include <linux/kxen.h>

/* The host's l1tf= choice, as the kernel's enum l1tf_mitigations groups it. */
enum kxen_spec_l1tf_host {
	KXEN_SPEC_L1TF_OFF,	/* l1tf=off */
	KXEN_SPEC_L1TF_FLUSH,	/* flush, flush,nowarn, flush,nosmt */
	KXEN_SPEC_L1TF_FULL,	/* full, full,force */
};

/* What kxen does with the L1D before a VT-x entry. */
enum kxen_spec_l1d {
	KXEN_L1D_NOT_AFFECTED,	/* no L1TF, or the CPU says no flush needed */
	KXEN_L1D_NEVER,		/* the host turned the L1TF mitigation off */
	KXEN_L1D_COND,		/* after host code that may have run */
	KXEN_L1D_ALWAYS,	/* before every entry */
	KXEN_L1D_NO_MSR,	/* wanted, but no IA32_FLUSH_CMD: skipped */
	KXEN_L1D_NOT_VMX,	/* AMD-V: L1TF is a VT-x (Intel) issue */
};

struct kxen_spec_in {
	bool vmx;		/* the VT-x backend, else AMD-V */
	/* X86_FEATURE_* bits, as the host kernel set them at boot */
	bool rsb_vmexit;	/* RSB_VMEXIT */
	bool rsb_vmexit_lite;	/* RSB_VMEXIT_LITE */
	bool clear_cpu_buf;	/* CLEAR_CPU_BUF: MDS, TAA, MMIO, RFDS */
	bool clear_cpu_buf_vm;	/* CLEAR_CPU_BUF_VM: VERW before VMRUN */
	bool use_ibpb;		/* USE_IBPB: spectre_v2_user asks for IBPB */
	bool ibpb_on_vmexit;	/* IBPB_ON_VMEXIT: retbleed/SRSO ibpb */
	bool flush_l1d;		/* FLUSH_L1D: IA32_FLUSH_CMD exists */
	/* L1TF */
	bool bug_l1tf;		/* X86_BUG_L1TF */
	bool skip_l1dflush;	/* ARCH_CAPABILITIES.SKIP_L1DFL_VMENTRY */
	enum kxen_spec_l1tf_host l1tf;
};

struct kxen_spec_out {
	u64 mit;		/* KXEN_MIT_* */
	enum kxen_spec_l1d l1d;
};

void kxen_spec_choose(const struct kxen_spec_in *in,
		      struct kxen_spec_out *out);
const char *kxen_spec_l1d_name(enum kxen_spec_l1d l1d);

#ifdef __KERNEL__
extern enum kxen_spec_l1d kxen_spec_l1d;	/* spec.c: chosen at load */
#endif

#endif
