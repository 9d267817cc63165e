// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs the guest owns while it runs that neither VM entry nor exit
 * switches, and that the host uses only once one of its user tasks runs:
 *  - the SYSCALL MSRs (STAR, LSTAR, CSTAR, SFMASK) under VT-x (SDM Vol. 3
 *    27.3 and 28.5 leave them alone; AMD-V moves them with VMLOAD);
 *  - TSC_AUX under both: RDTSCP and RDPID read it in the guest without an
 *    exit (SDM Vol. 2 RDTSCP; APM Vol. 2 15.9 intercepts only RDTSCP,
 *    never RDPID), so the guest must find its own value there, not the
 *    number of the host CPU its vCPU thread happens to run on.  The host
 *    kernel never reads it itself (Linux's entry code avoids RDPID for
 *    this reason); its vDSO's getcpu does, from user space.
 * So the guest's values stay loaded across VM entries, exits and
 * kernel-mode work, and the host's come back only when this CPU next
 * returns to user space: a user return notifier, as KVM does for the same
 * MSRs.  In a steady state an entry writes none of them.
 *
 * Per CPU: what the MSRs hold now, and the host's values, read when the
 * notifier is armed (the host never changes them after boot).
 */
#include <linux/percpu.h>
#include <linux/user-return-notifier.h>
#include <asm/msr.h>

#include "kxen.h"

static const u32 kxen_uret_index[KXEN_URET_NR] = {
	[KXEN_URET_STAR] = MSR_STAR,
	[KXEN_URET_LSTAR] = MSR_LSTAR,
	[KXEN_URET_CSTAR] = MSR_CSTAR,
	[KXEN_URET_SFMASK] = MSR_SYSCALL_MASK,
	[KXEN_URET_TSC_AUX] = MSR_TSC_AUX,
};

struct kxen_uret_cpu {
	struct user_return_notifier urn;
	bool armed;
	u64 host[KXEN_URET_NR];
	u64 curr[KXEN_URET_NR];
};

static DEFINE_PER_CPU(struct kxen_uret_cpu, kxen_uret);

/* Put the host's values back (IRQs off, on this CPU). */
static void kxen_uret_restore(struct kxen_uret_cpu *c)
{
	int i;

	for (i = 0; i < KXEN_URET_NR; i++) {
		if (c->curr[i] != c->host[i])
			wrmsrl(kxen_uret_index[i], c->host[i]);
		c->curr[i] = c->host[i];
	}
	user_return_notifier_unregister(&c->urn);
	c->armed = false;
}

static void kxen_uret_on_user_return(struct user_return_notifier *urn)
{
	struct kxen_uret_cpu *c = container_of(urn, struct kxen_uret_cpu, urn);
	unsigned long flags;

	/* The CPU teardown may disarm this CPU too: keep them apart. */
	local_irq_save(flags);
	if (c->armed)
		kxen_uret_restore(c);
	local_irq_restore(flags);
}

/*
 * Before a VM entry, IRQs off: the guest's values of the MSRs in @mask
 * (bits of enum kxen_uret), indexed by the same enum, writing only
 * changes.
 */
void kxen_uret_msr_load(const u64 *guest, unsigned long mask)
{
	struct kxen_uret_cpu *c = this_cpu_ptr(&kxen_uret);
	int i;

	if (!c->armed) {
		for (i = 0; i < KXEN_URET_NR; i++) {
			c->host[i] = native_read_msr(kxen_uret_index[i]);
			c->curr[i] = c->host[i];
		}
		c->urn.on_user_return = kxen_uret_on_user_return;
		user_return_notifier_register(&c->urn);
		c->armed = true;
	}
	for_each_set_bit(i, &mask, KXEN_URET_NR) {
		if (c->curr[i] != guest[i]) {
			wrmsrl(kxen_uret_index[i], guest[i]);
			c->curr[i] = guest[i];
		}
	}
}

/* This CPU leaves VMX or SVM operation (offline, unload): host values back. */
void kxen_uret_msr_cpu_down(void)
{
	struct kxen_uret_cpu *c = this_cpu_ptr(&kxen_uret);
	unsigned long flags;

	local_irq_save(flags);
	if (c->armed)
		kxen_uret_restore(c);
	local_irq_restore(flags);
}
