// SPDX-License-Identifier: GPL-2.0
/*
 * The SYSCALL MSRs (STAR, LSTAR, CSTAR, SFMASK) are not switched by VT-x
 * (SDM Vol. 3 27.3 and 28.5 leave them alone), and the host uses them
 * only when one of its user tasks executes SYSCALL.  So the guest's values
 * stay loaded across VM entries, exits and kernel-mode work, and the
 * host's come back only when this CPU next returns to user space: a user
 * return notifier, as KVM does for the same MSRs.  In a steady state an
 * entry writes none of them instead of eight.
 *
 * Per CPU: what the MSRs hold now, and the host's values, read when the
 * notifier is armed (the host never changes them after boot).
 */
#include <linux/percpu.h>
#include <linux/user-return-notifier.h>
#include <asm/msr.h>

#include "vmx.h"

#define KXEN_SMSR_NR	4

static const u32 kxen_smsr_index[KXEN_SMSR_NR] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
};

struct kxen_smsr_cpu {
	struct user_return_notifier urn;
	bool armed;
	u64 host[KXEN_SMSR_NR];
	u64 curr[KXEN_SMSR_NR];
};

static DEFINE_PER_CPU(struct kxen_smsr_cpu, kxen_smsr);

/* Put the host's values back (IRQs off, on this CPU). */
static void kxen_smsr_restore(struct kxen_smsr_cpu *c)
{
	int i;

	for (i = 0; i < KXEN_SMSR_NR; i++) {
		if (c->curr[i] != c->host[i])
			wrmsrl(kxen_smsr_index[i], c->host[i]);
		c->curr[i] = c->host[i];
	}
	user_return_notifier_unregister(&c->urn);
	c->armed = false;
}

static void kxen_smsr_on_user_return(struct user_return_notifier *urn)
{
	struct kxen_smsr_cpu *c = container_of(urn, struct kxen_smsr_cpu, urn);
	unsigned long flags;

	/* The CPU teardown may disarm this CPU too: keep them apart. */
	local_irq_save(flags);
	if (c->armed)
		kxen_smsr_restore(c);
	local_irq_restore(flags);
}

/* Before a VM entry, IRQs off: the guest's values, writing only changes. */
void kxen_vmx_smsr_load(struct kxen_vmx_vcpu *vx)
{
	struct kxen_smsr_cpu *c = this_cpu_ptr(&kxen_smsr);
	u64 guest[KXEN_SMSR_NR] = {
		vx->star, vx->lstar, vx->cstar, vx->sfmask,
	};
	int i;

	if (!c->armed) {
		for (i = 0; i < KXEN_SMSR_NR; i++) {
			c->host[i] = native_read_msr(kxen_smsr_index[i]);
			c->curr[i] = c->host[i];
		}
		c->urn.on_user_return = kxen_smsr_on_user_return;
		user_return_notifier_register(&c->urn);
		c->armed = true;
	}
	for (i = 0; i < KXEN_SMSR_NR; i++) {
		if (c->curr[i] != guest[i]) {
			wrmsrl(kxen_smsr_index[i], guest[i]);
			c->curr[i] = guest[i];
		}
	}
}

/* This CPU leaves VMX operation (offline, unload): host values back. */
void kxen_vmx_smsr_cpu_down(void)
{
	struct kxen_smsr_cpu *c = this_cpu_ptr(&kxen_smsr);
	unsigned long flags;

	local_irq_save(flags);
	if (c->armed)
		kxen_smsr_restore(c);
	local_irq_restore(flags);
}
