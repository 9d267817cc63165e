// SPDX-License-Identifier: GPL-2.0
/*
 * vCPUs as kernel threads (Xen's execution model on the host scheduler):
 * each thread runs the vendor enter/exit loop, sleeps when the guest halts
 * or blocks, and is woken by kxen_vcpu_kick().
 */
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/smp.h>
#include <asm/trapnr.h>

#include "kxen.h"
#include "../xen/xen.h"

/*
 * A start-up IPI for a vCPU that got INIT and never ran, or a
 * VCPUOP_initialise: give it the real-mode SIPI state or the one asked
 * for, and start its thread.  Runs from a workqueue, since both come
 * from an exit handler that cannot sleep.
 */
static void kxen_vcpu_start_work(struct work_struct *w)
{
	struct kxen_vcpu *v = container_of(w, struct kxen_vcpu, start_work);
	struct kxen_domain *d = v->dom;
	struct kxen_vcpu_regs *regs;
	bool waited;

	mutex_lock(&d->lock);
	regs = xchg(&v->start_regs, NULL);
	if (!v->task && READ_ONCE(d->state) != KXEN_STATE_DYING) {
		/*
		 * Between the look at the state and the thread: a destroy
		 * that sets DYING without this lock would find no thread to
		 * stop, and the thread would start after it (hardening
		 * item 9).  Destroy takes the lock, so it waits here.
		 */
		waited = kxen_fault_state_delay(d, "vCPU start");
		if (regs)
			kxen_arch->vcpu_set_regs(v, regs);
		else
			kxen_arch->vcpu_set_sipi(v, v->sipi_vector);
		if (kxen_vcpu_start(v))
			kxen_domain_crash(d, "vCPU%u: cannot start its thread",
					  v->id);
		else if (waited)	/* for the test to order */
			pr_info(KXEN_PR_PREFIX "d%u: vCPU%u's thread made after the wait\n",
				d->domid, v->id);
	}
	mutex_unlock(&d->lock);
	kfree(regs);
}

/*
 * VCPUOP_initialise of a vCPU that never had a state to run: it gets
 * @r and its thread, and stays down until VCPUOP_up (Xen sets
 * _VPF_down).  -EEXIST once it has a state.
 */
int kxen_vcpu_initialise(struct kxen_vcpu *v, struct kxen_vcpu_regs *r)
{
	if (!kxen_arch->vcpu_set_regs || v->task ||
	    test_and_set_bit(KXEN_VCPU_INITIALISED, &v->flags)) {
		kfree(r);
		return kxen_arch->vcpu_set_regs ? -EEXIST : -EOPNOTSUPP;
	}
	WRITE_ONCE(v->down, true);
	WRITE_ONCE(v->start_regs, r);
	schedule_work(&v->start_work);
	return 0;
}

/*
 * INIT (SDM Vol. 3 8.4, 10.4.7.3): a vCPU that never ran waits for the
 * SIPI that starts its thread.  One whose thread has run (a guest CPU
 * taken offline, now brought back by the guest's cpu_up) leaves guest
 * mode and waits, not runnable, for the SIPI that restarts it.
 */
void kxen_vcpu_init_ipi(struct kxen_vcpu *v)
{
	WRITE_ONCE(v->init_received, true);
	if (!READ_ONCE(v->task))
		return;
	WRITE_ONCE(v->sipi_pending, false);
	WRITE_ONCE(v->wait_sipi, true);
	kxen_vcpu_kick(v);
}

void kxen_vcpu_sipi(struct kxen_vcpu *v, u8 vector)
{
	if (READ_ONCE(v->start_regs) || !READ_ONCE(v->init_received) ||
	    !kxen_arch->vcpu_set_sipi)
		return;
	if (READ_ONCE(v->task)) {
		/* Running CPUs ignore SIPIs (SDM 8.4.4.1). */
		if (!READ_ONCE(v->wait_sipi) || READ_ONCE(v->sipi_pending))
			return;
		WRITE_ONCE(v->init_received, false);
		v->sipi_vector = vector;
		smp_wmb();	/* the vector before the flag its thread reads */
		WRITE_ONCE(v->sipi_pending, true);
		kxen_vcpu_kick(v);
		return;
	}
	WRITE_ONCE(v->init_received, false);
	v->sipi_vector = vector;
	schedule_work(&v->start_work);
}

/*
 * In the vCPU's thread, the SIPI after an INIT: the APIC and the
 * register state as INIT and the SIPI leave them, no event left queued.
 * The x87/SSE state stays, as INIT leaves it (SDM Vol. 3 Table 9-1).
 */
static void kxen_vcpu_restart(struct kxen_vcpu *v)
{
	smp_rmb();	/* pairs with kxen_vcpu_sipi(): the flag, then vector */
	kxen_lapic_init_reset(v);
	kxen_xen_upcall_reassert(v);
	WRITE_ONCE(v->nmi_pending, false);
	v->cpuid_faulting = false;
	kxen_arch->vcpu_set_sipi(v, v->sipi_vector);
	WRITE_ONCE(v->sipi_pending, false);
	WRITE_ONCE(v->wait_sipi, false);
}

struct kxen_vcpu *kxen_vcpu_create(struct kxen_domain *d, unsigned int id)
{
	struct kxen_vcpu *v;
	int ret;

	v = kxen_fault_inject() ? NULL : kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);
	v->dom = d;
	v->id = id;
	v->guest_cpu = -1;
	init_waitqueue_head(&v->wq);
	INIT_WORK(&v->start_work, kxen_vcpu_start_work);
	ret = kxen_vcpu_affinity_alloc(v);
	if (ret)
		goto err_free;
	ret = kxen_fault_inject() ? -ENOMEM : kxen_fpu_alloc(v);
	if (ret)
		goto err_mask;
	ret = kxen_lapic_create(v);
	if (ret)
		goto err_fpu;
	ret = kxen_fault_inject() ? -ENOMEM : kxen_arch->vcpu_create(v);
	if (ret)
		goto err_lapic;
	kxen_stats_objects(1);
	return v;

err_lapic:
	kxen_lapic_free(v);
err_fpu:
	kxen_fpu_free(v);
err_mask:
	kxen_vcpu_affinity_free(v);
err_free:
	kfree(v);
	return ERR_PTR(ret);
}

void kxen_vcpu_destroy(struct kxen_vcpu *v)
{
	cancel_work_sync(&v->start_work);
	kfree(v->start_regs);
	kxen_vcpu_stop(v);
	/* The VMCS may name the APIC's page: the vendor state goes first. */
	kxen_arch->vcpu_free(v);
	kxen_lapic_free(v);
	kxen_fpu_free(v);
	kxen_vcpu_affinity_free(v);
	kfree(v);
	kxen_stats_objects(-1);
}

static bool kxen_vcpu_runnable(struct kxen_vcpu *v)
{
	enum kxen_domain_state s = READ_ONCE(v->dom->state);

	if (s != KXEN_STATE_RUNNING && s != KXEN_STATE_BLOCKED)
		return false;
	if (READ_ONCE(v->down))
		return false;
	if (READ_ONCE(v->wait_sipi))
		return READ_ONCE(v->sipi_pending);
	return !READ_ONCE(v->blocked) || kxen_xen_vcpu_wake(v);
}

/* Checked by the vendor loop before every entry. */
bool kxen_vcpu_should_leave(struct kxen_vcpu *v)
{
	enum kxen_domain_state s = READ_ONCE(v->dom->state);

	return kthread_should_stop() || READ_ONCE(v->down) ||
	       READ_ONCE(v->wait_sipi) ||
	       (s != KXEN_STATE_RUNNING && s != KXEN_STATE_BLOCKED) ||
	       freezing(current);
}

/*
 * After an exit handled with the guest's FPU loaded and preemption off
 * (the vendors' run loops): whether to enter again at once, or end the
 * row of entries first, for the host's scheduler, a stop, or a cap to
 * look at (kxen_sched_throttle() sleeps only between rows).
 */
static bool fpu_rows;
module_param(fpu_rows, bool, 0644);
MODULE_PARM_DESC(fpu_rows,
		 "Keep the guest's FPU loaded across a row of exits (off: switched at every exit, until the AMD-V lab fault is understood)");

bool kxen_vcpu_may_stay(struct kxen_vcpu *v)
{
	return READ_ONCE(fpu_rows) && !need_resched() && !v->yield &&
	       !kxen_vcpu_should_leave(v) &&
	       likely(!READ_ONCE(v->dom->sched.budget_ns));
}

/* The architectural state of the last exit, for a crash report. */
void kxen_vcpu_dump_regs(struct kxen_vcpu *v)
{
	const unsigned long *r = v->st.gprs;

	pr_warn(KXEN_PR_PREFIX " rip %016llx rsp %016lx rflags %08llx cpl %u\n",
		v->st.rip, r[KXEN_REG_RSP], v->st.rflags, v->st.cpl);
	pr_warn(KXEN_PR_PREFIX " cr0 %016llx cr3 %016llx cr4 %016llx efer %llx\n",
		v->st.cr0, v->st.cr3, v->st.cr4, v->st.efer);
	pr_warn(KXEN_PR_PREFIX " rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
		r[KXEN_REG_RAX], r[KXEN_REG_RBX], r[KXEN_REG_RCX],
		r[KXEN_REG_RDX]);
	pr_warn(KXEN_PR_PREFIX " rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n",
		r[KXEN_REG_RSI], r[KXEN_REG_RDI], r[KXEN_REG_RBP],
		r[KXEN_REG_R8]);
	pr_warn(KXEN_PR_PREFIX " r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n",
		r[KXEN_REG_R9], r[KXEN_REG_R10], r[KXEN_REG_R11],
		r[KXEN_REG_R12]);
	pr_warn(KXEN_PR_PREFIX " r13 %016lx r14 %016lx r15 %016lx\n",
		r[KXEN_REG_R13], r[KXEN_REG_R14], r[KXEN_REG_R15]);
}

/* Called by the vendor code on every exit, after the state is synced. */
void kxen_vcpu_trace_exit(struct kxen_vcpu *v, u32 reason, u64 qual)
{
	struct kxen_exit_trace *t = &v->trace[v->trace_pos++ % KXEN_EXIT_TRACE];

	t->reason = reason;
	t->rip = v->st.rip;
	t->qual = qual;
	t->rax = v->st.gprs[KXEN_REG_RAX];
	t->rcx = v->st.gprs[KXEN_REG_RCX];
	if (reason < KXEN_EXIT_REASONS)
		v->exits[reason]++;
}

void kxen_vcpu_advance_rip(struct kxen_vcpu *v)
{
	v->st.rip += v->st.insn_len;
	v->st.dirty |= KXEN_DIRTY_RIP;
}

/* Exit handlers' common endings, for both vendors' tables. */
int kxen_exit_gp(struct kxen_vcpu *v)
{
	kxen_arch->inject_exception(v, X86_TRAP_GP, true, 0);
	return KXEN_EXIT_CONTINUE;
}

int kxen_exit_ud(struct kxen_vcpu *v)
{
	kxen_arch->inject_exception(v, X86_TRAP_UD, false, 0);
	return KXEN_EXIT_CONTINUE;
}

int kxen_exit_skip(struct kxen_vcpu *v)
{
	kxen_vcpu_advance_rip(v);
	return KXEN_EXIT_CONTINUE;
}

/* An exit the domain cannot go on from: a register dump, then a crash. */
int kxen_exit_fail(struct kxen_vcpu *v, const char *why)
{
	kxen_arch->dump(v, why);
	kxen_gva_dump_walk(v, "rip", v->st.rip);
	kxen_gva_dump_walk(v, "rsp", v->st.gprs[KXEN_REG_RSP]);
	kxen_domain_crash(v->dom, "vCPU%u: %s at rip 0x%llx", v->id, why,
			  v->st.rip);
	return KXEN_EXIT_CONTINUE;	/* the loop sees the crash and stops */
}

/*
 * vCPU threads are freezable: a host suspend or hibernation stops each
 * one outside guest mode (kxen_vcpu_should_leave() ends its row, the
 * freezer takes it here or asleep), so the guest is paused across the
 * host's sleep and no VMX/SVM instruction runs while the CPUs lose
 * their virtualization state (main.c's syscore hooks).
 */
static int kxen_vcpu_thread(void *arg)
{
	struct kxen_vcpu *v = arg;
	int ret;

	set_freezable();
	kxen_xen_vcpu_started(v);
	while (!kthread_should_stop()) {
		try_to_freeze();
		wait_event_freezable(v->wq, kxen_vcpu_runnable(v) ||
				     kthread_should_stop());
		if (kthread_should_stop())
			break;
		if (READ_ONCE(v->wait_sipi)) {
			if (!READ_ONCE(v->sipi_pending))
				continue;	/* frozen or woken early */
			kxen_vcpu_restart(v);
		}
		if (READ_ONCE(v->blocked)) {
			WRITE_ONCE(v->blocked, false);
			kxen_xen_vcpu_unblock(v);
		}
		kxen_xen_vcpu_running(v);
		ret = kxen_arch->vcpu_run(v);
		if (ret < 0)
			kxen_domain_crash(v->dom, "vCPU%u: run failed (%d)",
					  v->id, ret);
		else if (ret == KXEN_RUN_BLOCK)
			WRITE_ONCE(v->blocked, true);
	}
	return 0;
}

int kxen_vcpu_start(struct kxen_vcpu *v)
{
	struct task_struct *t;

	lockdep_assert_held(&v->dom->lock);
	if (v->task)
		return 0;
	t = kthread_create(kxen_vcpu_thread, v, "kxen/d%uv%u", v->dom->domid,
			   v->id);
	if (IS_ERR(t))
		return PTR_ERR(t);
	/* Sets given before the thread existed (vcpu-pin of a paused one). */
	kxen_vcpu_affinity_start(v, t);
	kxen_sched_vcpu_start(v, t);
	get_task_struct(t);
	set_bit(KXEN_VCPU_INITIALISED, &v->flags);
	v->task = t;
	wake_up_process(t);
	return 0;
}

/*
 * Online as Xen counts a vCPU (not _VPF_down: getdomaininfo's
 * nr_online_vcpus, getvcpuinfo's online): it has a state to run (the
 * boot vCPU's entry, a SIPI, VCPUOP_initialise then VCPUOP_up), is not
 * stopped by INIT waiting for a SIPI, and is not parked, halted with
 * interrupts off.  A vCPU above vcpus (maxvcpus) is offline until the
 * guest starts it.
 */
static bool kxen_vcpu_online(struct kxen_vcpu *v)
{
	if (READ_ONCE(v->down) || READ_ONCE(v->wait_sipi))
		return false;
	if (!READ_ONCE(v->task))
		return READ_ONCE(v->boot_set);
	return !kxen_xen_vcpu_parked(v);
}

unsigned int kxen_domain_vcpus_online(struct kxen_domain *d)
{
	unsigned int i, n = 0;

	for (i = 0; i < d->nr_vcpus; i++)
		n += kxen_vcpu_online(d->vcpus[i]);
	return n;
}

void kxen_vcpu_get_info(struct kxen_vcpu *v, struct kxen_vcpu_info *info,
			struct cpumask *hard, struct cpumask *soft)
{
	struct task_struct *t = v->task;

	lockdep_assert_held(&v->dom->lock);
	info->time_ns = READ_ONCE(v->run_ns);
	info->cpu = t ? (int)task_cpu(t) : -1;
	if (!t || !kxen_vcpu_online(v))
		info->state = KXEN_VCPU_OFFLINE;
	else if (READ_ONCE(v->guest_cpu) >= 0)
		info->state = KXEN_VCPU_RUNNING;
	else if (READ_ONCE(v->blocked))
		info->state = KXEN_VCPU_BLOCKED;
	else
		info->state = KXEN_VCPU_RUNNABLE;
	kxen_vcpu_get_affinity(v, hard, soft);
}

void kxen_vcpu_stop(struct kxen_vcpu *v)
{
	if (!v->task)
		return;
	kthread_stop(v->task);
	put_task_struct(v->task);
	v->task = NULL;
	/* Only the vCPU thread arms it: after this it stays off. */
	kxen_lapic_stop(v);
}

/*
 * Something for the vCPU to look at: wake it if it sleeps, and if it is
 * in guest mode on another CPU, interrupt it so it sees the event now
 * (any host interrupt makes it exit).  Pairs with the barrier the vendor
 * loop puts between setting guest_cpu and its last look for events.
 */
static void kxen_vcpu_sync_ipi(void *unused)
{
	/* Nothing: taking the IPI made that CPU's vCPU leave guest mode. */
}

/*
 * Make every vCPU of @d that is in guest mode on another CPU exit, and
 * wait until it has: after a second-level unmap, no vCPU may go on using
 * a translation it cached before.  Callers have published what the vCPUs
 * must check before entering again (a full barrier first).
 */
void kxen_domain_sync_vcpus(struct kxen_domain *d)
{
	unsigned int i;
	int cpu;

	for (i = 0; i < d->nr_vcpus; i++) {
		cpu = READ_ONCE(d->vcpus[i]->guest_cpu);
		if (cpu >= 0 && cpu != smp_processor_id())
			smp_call_function_single(cpu, kxen_vcpu_sync_ipi,
						 NULL, 1);
	}
}

void kxen_vcpu_kick(struct kxen_vcpu *v)
{
	int cpu;

	wake_up(&v->wq);
	smp_mb();	/* the event is visible before we look at guest_cpu */
	cpu = READ_ONCE(v->guest_cpu);
	if (cpu >= 0 && cpu != raw_smp_processor_id())
		smp_send_reschedule(cpu);
}

/*
 * What the vendor code asks of the guest ABI personality (kmod/xen), and
 * only through these: VT-x and AMD-V know nothing of Xen (DESIGN.md),
 * as KVM's vmx/svm reach xen.c only through x86.c.  Direct calls, not an
 * ops table: there is one personality, and two of these run on every
 * entry, where an indirect call would cost a retpoline.
 */
int kxen_vcpu_hypercall(struct kxen_vcpu *v)
{
	return kxen_xen_hypercall(v);
}

/* HLT: past the instruction, then asleep until an interrupt it can take. */
int kxen_vcpu_halt(struct kxen_vcpu *v)
{
	kxen_vcpu_advance_rip(v);
	kxen_xen_vcpu_block(v, KXEN_BLOCK_HLT);
	return KXEN_EXIT_LEAVE;
}

/* The event-upcall vector to inject now, or -1. */
int kxen_vcpu_pending_vector(struct kxen_vcpu *v)
{
	return kxen_xen_pending_vector(v);
}

/* Last updates of guest-visible state before an entry (IRQs off). */
void kxen_vcpu_prepare_entry(struct kxen_vcpu *v)
{
	kxen_xen_vcpu_enter(v);
}
