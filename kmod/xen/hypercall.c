// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall dispatch for HVM/PVH guests (VMCALL/VMMCALL, directly or via
 * the hypercall page).  Arguments come in rdi rsi rdx r10 r8 from 64-bit
 * code and ebx ecx edx esi edi from 32-bit code; the result goes in rax.
 * As on Xen, a caller above CPL 0 gets -EPERM.  Xen's errno values are
 * Linux's on x86 (xen/include/public/errno.h), so handlers return -Exxx.
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/nospec.h>
#include <asm/unaligned.h>
#include <xen/interface/xen.h>

#include "xen.h"
#include "hcall.h"
#include "state.h"
#include "errno.h"

/* Each hypercall's handler, and Xen's name for it (public xen.h). */
static const struct {
	kxen_hcall_fn fn;
	const char *name;
} kxen_hcalls[] = {
	[__HYPERVISOR_memory_op]	= { kxen_hc_memory_op, "memory_op" },
	[__HYPERVISOR_grant_table_op]	= { kxen_hc_grant_table_op, "grant_table_op" },
	[__HYPERVISOR_set_timer_op]	= { kxen_hc_set_timer_op, "set_timer_op" },
	[__HYPERVISOR_xen_version]	= { kxen_hc_xen_version, "xen_version" },
	[__HYPERVISOR_console_io]	= { kxen_hc_console_io, "console_io" },
	[__HYPERVISOR_vcpu_op]	= { kxen_hc_vcpu_op, "vcpu_op" },
	[__HYPERVISOR_sched_op]	= { kxen_hc_sched_op, "sched_op" },
	[__HYPERVISOR_event_channel_op]	= { kxen_hc_event_channel_op, "event_channel_op" },
	[__HYPERVISOR_hvm_op]	= { kxen_hc_hvm_op, "hvm_op" },
	[__HYPERVISOR_vm_assist]	= { kxen_hc_vm_assist, "vm_assist" },
	[__HYPERVISOR_sysctl]	= { kxen_hc_sysctl, "sysctl" },
	[__HYPERVISOR_domctl]	= { kxen_hc_domctl, "domctl" },
};

static const enum kxen_reg kxen_args64[KXEN_HCALL_ARGS] = {
	KXEN_REG_RDI, KXEN_REG_RSI, KXEN_REG_RDX, KXEN_REG_R10, KXEN_REG_R8,
};

static const enum kxen_reg kxen_args32[KXEN_HCALL_ARGS] = {
	KXEN_REG_RBX, KXEN_REG_RCX, KXEN_REG_RDX, KXEN_REG_RSI, KXEN_REG_RDI,
};

static const enum kxen_reg *kxen_hcall_regs(struct kxen_vcpu *v)
{
	return v->st.long_mode ? kxen_args64 : kxen_args32;
}

/* Let a long operation resume where it stopped: the guest re-executes. */
void kxen_hcall_continue(struct kxen_vcpu *v, struct kxen_hcall *hc)
{
	const enum kxen_reg *regs = kxen_hcall_regs(v);
	int i;

	for (i = 0; i < KXEN_HCALL_ARGS; i++)
		v->st.gprs[regs[i]] = hc->args[i];
	hc->restart = true;
	atomic64_inc(&v->dom->xen.hcall_continued);
}

static void kxen_hcall_count_unknown(struct kxen_domain *d, unsigned long nr)
{
	unsigned long slot = min_t(unsigned long, nr, KXEN_HCALL_COUNTED);

	atomic64_inc(&d->xen.hcall_unknown[slot]);
}

u64 kxen_xen_hcall_unknown(struct kxen_domain *d)
{
	u64 n = 0;
	int i;

	for (i = 0; i <= KXEN_HCALL_COUNTED; i++)
		n += atomic64_read(&d->xen.hcall_unknown[i]);
	return n;
}

/* The handler of hypercall @nr, the index clamped under speculation too. */
static kxen_hcall_fn kxen_hcall_lookup(unsigned long nr)
{
	if (nr >= ARRAY_SIZE(kxen_hcalls))
		return NULL;
	return kxen_hcalls[array_index_nospec(nr, ARRAY_SIZE(kxen_hcalls))].fn;
}

int kxen_xen_hypercall(struct kxen_vcpu *v)
{
	const enum kxen_reg *regs = kxen_hcall_regs(v);
	unsigned long nr = v->st.gprs[KXEN_REG_RAX];
	struct kxen_hcall hc = { .v = v, .compat = !v->st.long_mode };
	kxen_hcall_fn fn;
	long ret;
	int i;

	if (!v->st.long_mode)
		nr = (u32)nr;
	for (i = 0; i < KXEN_HCALL_ARGS; i++) {
		hc.args[i] = v->st.gprs[regs[i]];
		if (!v->st.long_mode)
			hc.args[i] = (u32)hc.args[i];
	}
	fn = kxen_hcall_lookup(nr);
	if (v->st.cpl) {
		ret = -XEN_EPERM;
	} else if (fn) {
		to_xv(v)->hcalls[array_index_nospec(nr, KXEN_HCALL_COUNTED)]++;
		ret = fn(&hc);
	} else {
		kxen_hcall_count_unknown(v->dom, nr);
		ret = -XEN_ENOSYS;
	}
	if (hc.restart)
		return KXEN_EXIT_CONTINUE;	/* RIP stays on the VMCALL */
	v->st.gprs[KXEN_REG_RAX] = v->st.long_mode ? ret : (u32)ret;
	kxen_vcpu_advance_rip(v);
	return hc.leave ? KXEN_EXIT_LEAVE : KXEN_EXIT_CONTINUE;
}

/*
 * The domain's hypercalls by number, summed over its vCPUs, on one
 * kernel-log line at destroy beside its exits by reason: what a guest's
 * exits were spent on.  Its vCPUs no longer run.
 */
void kxen_xen_print_hcalls(struct kxen_domain *d)
{
	struct kxen_xen_dom *xd = to_xd(d);
	unsigned int nr, i;
	char buf[256];
	int n = 0;
	u64 sum;

	BUILD_BUG_ON(ARRAY_SIZE(kxen_hcalls) > KXEN_HCALL_COUNTED);
	if (!xd->vcpus)
		return;
	for (nr = 0; nr < ARRAY_SIZE(kxen_hcalls); nr++) {
		for (sum = 0, i = 0; i < d->nr_vcpus; i++)
			sum += xd->vcpus[i].hcalls[nr];
		if (sum && kxen_hcalls[nr].name)
			n += scnprintf(buf + n, sizeof(buf) - n, " %s:%llu",
				       kxen_hcalls[nr].name, sum);
	}
	pr_info(KXEN_PR_PREFIX "d%u: hypercalls by op:%s\n", d->domid,
		n ? buf : " none");
}

/* Xen's hypercall page (xen/arch/x86/hvm/hypercall.c layout): 32 bytes a
 * call, "mov $nr, %eax; <vmcall>; ret", with iret unusable (ud2).
 */
static int kxen_write_hypercall_page(struct kxen_vcpu *v, u64 gpa)
{
	u8 stub[32];
	int i, ret;

	for (i = 0; i < PAGE_SIZE / 32; i++) {
		memset(stub, 0xcc, sizeof(stub));	/* int3 padding */
		if (i == __HYPERVISOR_iret) {
			stub[0] = 0x0f;			/* ud2 */
			stub[1] = 0x0b;
		} else {
			stub[0] = 0xb8;			/* mov $i, %eax */
			put_unaligned_le32(i, stub + 1);
			kxen_arch->hypercall_insn(stub + 5);
			stub[8] = 0xc3;			/* ret */
		}
		ret = kxen_gpa_write(v->dom, gpa + i * 32, stub, sizeof(stub));
		if (ret)
			return ret;
	}
	return 0;
}

int kxen_xen_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val)
{
	if (msr != KXEN_XEN_HYPERCALL_MSR)
		return -ENOENT;
	/* Low 12 bits: page index; we offer one page (CPUID leaf 2). */
	if (val & ~PAGE_MASK)
		return -EINVAL;
	if (kxen_write_hypercall_page(v, val))
		return -EINVAL;
	kxen_xen_latch_compat(v);
	v->dom->xen.hypercall_msr = val;
	return 0;
}

int kxen_xen_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val)
{
	/* The hypercall MSR is write-only, as on Xen: reads take #GP. */
	return msr == KXEN_XEN_HYPERCALL_MSR ? -EINVAL : -ENOENT;
}
