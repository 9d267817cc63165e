/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kxen core: domains, vCPUs, guest memory and the vendor-neutral vCPU
 * interface.  The Xen layer (kmod/xen) sees a vCPU only through what is
 * declared here; the vendor code (kmod/arch/) implements struct
 * kxen_arch_ops and never knows what Xen is.
 */
#ifndef KXEN_CORE_H
#define KXEN_CORE_H

#include <linux/types.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>
#include <linux/kxen.h>

#include "i8254.h"

#define KXEN_PR_PREFIX "kxen: "

struct kxen_domain;
struct kxen_vcpu;

#define KXEN_EXIT_REASONS	160	/* counted per reason below this */
#define KXEN_EXIT_TRACE		16	/* last exits kept per vCPU */

/* Exit handler results for the vendor exit loop. */
#define KXEN_EXIT_CONTINUE	1
#define KXEN_EXIT_LEAVE		0	/* back to the core (block/stop) */

/* General-purpose registers, in the x86 encoding order (SDM Vol. 2 2.1.5). */
enum kxen_reg {
	KXEN_REG_RAX, KXEN_REG_RCX, KXEN_REG_RDX, KXEN_REG_RBX,
	KXEN_REG_RSP, KXEN_REG_RBP, KXEN_REG_RSI, KXEN_REG_RDI,
	KXEN_REG_R8, KXEN_REG_R9, KXEN_REG_R10, KXEN_REG_R11,
	KXEN_REG_R12, KXEN_REG_R13, KXEN_REG_R14, KXEN_REG_R15,
	KXEN_NR_GPRS,
};

/*
 * Architectural state the vendor code captures at every exit, so that the
 * generic handlers never read a VMCS/VMCB.  Fields the handlers change are
 * marked in @dirty and written back by the vendor code before the next
 * entry.  RSP is kept in gprs[KXEN_REG_RSP].
 */
struct kxen_vcpu_state {
	unsigned long gprs[KXEN_NR_GPRS];
	u64 rip;
	u64 rflags;
	u64 cr0, cr3, cr4, efer;
	u8 cpl;
	bool long_mode;		/* EFER.LMA && CS.L: 64-bit code */
	u32 insn_len;		/* length of the exiting instruction */
	u32 dirty;
};

#define KXEN_DIRTY_RIP		BIT(0)
#define KXEN_DIRTY_RFLAGS	BIT(1)

/*
 * A segment of a start state: @attr is the packed 12-bit descriptor
 * attribute form (type, S, DPL, P, AVL, L, D/B, G), 0 for a null segment.
 */
struct kxen_seg_state {
	u64 base;
	u32 limit;
	u16 sel;
	u16 attr;
};

/* A complete register state to start a vCPU in (VCPUOP_initialise). */
struct kxen_vcpu_regs {
	unsigned long gprs[KXEN_NR_GPRS];
	u64 rip, rflags;
	u64 cr0, cr3, cr4, efer;
	struct kxen_seg_state cs, ds, es, ss, tr;	/* FS, GS: as DS */
};

/* Why a vCPU left the vendor run loop to the core. */
enum kxen_run_result {
	KXEN_RUN_STOP,		/* thread stop, pause or domain not running */
	KXEN_RUN_BLOCK,		/* halted/blocked: sleep until it may wake */
};

struct kxen_arch_ops {
	const char *name;
	u64 caps;		/* KXEN_CAP_* this backend provides */
	int (*cpu_enable)(void);	/* on the CPU coming online */
	void (*cpu_disable)(void);	/* on the CPU going offline */
	void (*emergency_disable)(void);	/* reboot/kexec, IRQs off */
	/* Fault injection: virtualization off behind kxen's back (main.c) */
	void (*inject_off)(void);
	void (*unload)(void);		/* after every CPU is disabled */
	int (*domain_init)(struct kxen_domain *d);
	void (*domain_free)(struct kxen_domain *d);
	int (*vcpu_create)(struct kxen_vcpu *v);
	void (*vcpu_free)(struct kxen_vcpu *v);
	/* Set the PVH entry state (32-bit flat, paging off, %ebx). */
	void (*vcpu_set_boot)(struct kxen_vcpu *v, u32 entry, u32 ebx);
	/* State after INIT and a start-up IPI: real mode at vector:0000. */
	void (*vcpu_set_sipi)(struct kxen_vcpu *v, u8 vector);
	/* Load a complete start state; the vCPU has never run. */
	void (*vcpu_set_regs)(struct kxen_vcpu *v,
			      const struct kxen_vcpu_regs *r);
	/* Run until the vCPU must sleep or stop; <0 crashes the domain. */
	int (*vcpu_run)(struct kxen_vcpu *v);
	/* Queue a hardware exception for the next entry. */
	void (*inject_exception)(struct kxen_vcpu *v, u8 vector,
				 bool has_error, u32 error);
	/* Rate-limited dump of an exit the domain cannot go on from. */
	void (*dump)(struct kxen_vcpu *v, const char *why);
	/*
	 * Map one guest frame to host @pfn in the second-level tables, or
	 * unmap it (@pfn 0); may run with preemption off.  Then flush_gfns()
	 * before the old page is reused: no vCPU keeps a stale translation.
	 */
	int (*set_gfn)(struct kxen_domain *d, u64 gfn, unsigned long pfn);
	void (*flush_gfns)(struct kxen_domain *d);
	/* The name of a basic exit reason, or NULL. */
	const char *(*exit_name)(u32 reason);
	/* Write the hypercall instruction of this vendor (3 bytes). */
	void (*hypercall_insn)(u8 *buf);
};

extern const struct kxen_arch_ops *kxen_arch;

/* Guest RAM: GPA 0 .. size, backed by pinned pages, 2 MiB where possible. */
struct kxen_gmem {
	u64 size;
	unsigned long nr_pages;
	unsigned long *pfns;		/* host pfn of each frame, 0: ballooned */
	unsigned long *huge;		/* bitmap: 2 MiB chunk is contiguous */
	unsigned long nr_chunks;
	unsigned long nr_absent;	/* frames given back by the guest */
	spinlock_t lock;		/* balloon changes */
	atomic_t user_maps;		/* /dev/kxen mappings alive */
	struct list_head deferred;	/* pages freed once they are unmapped */
	struct list_head released;	/* given back: freed after RCU */
	struct work_struct free_work;	/* frees @released */
	struct list_head extra;		/* increase_reservation: no frame */
	unsigned long nr_extra;		/* pages on @extra */
	/* Xen's max_pages (XEN_DOMCTL_max_mem); at most @nr_pages count. */
	unsigned long max_pages;
	/*
	 * Populate-on-demand (a maximum below the RAM at creation, as xl's
	 * maxmem above memory): frames with no page yet that get one when
	 * first touched.  NULL for a domain whose RAM is all backed.
	 */
	unsigned long *pod;
	unsigned long nr_pod;		/* frames set in @pod */
	/* first touches may fill up to this after a lower maximum */
	unsigned long pod_keep;
};

#define KXEN_CONSOLE_SIZE	(64 * 1024)	/* power of two */

/* The domain's console stream (console_io, debug port), kept for readers. */
struct kxen_console {
	spinlock_t lock;		/* everything below */
	char *buf;
	u64 head;			/* bytes ever written */
	wait_queue_head_t wq;
	bool closed;
	u32 line_len;			/* for mirroring lines to dmesg */
	char line[128];
	u32 e9_len;			/* debug port line being assembled */
	char e9_line[128];
	struct kxen_tty *tty;		/* console_tty.c, or NULL */
};

#define KXEN_HCALL_COUNTED	64

struct kxen_xen_domain {
	u64 hypercall_msr;			/* last value written */
	int shutdown_code;			/* SCHEDOP_shutdown_code, or -1 */
	void *priv;				/* kmod/xen's own state */
	atomic64_t hcall_unknown[KXEN_HCALL_COUNTED + 1]; /* last: >= 64 */
	atomic64_t hcall_continued;		/* exits a hypercall resumed in */
};

/* Guest FPU/XSAVE state (fpu.c): not switched by the hardware. */
struct kxen_fpu {
	void *area;			/* XSAVE/FXSAVE image, 64-byte aligned */
	unsigned int size;
	u64 xcr0;
};

/* kxen_vcpu.flags */
#define KXEN_VCPU_INITIALISED	0	/* has a state: boot, SIPI, hypercall */

struct kxen_vcpu {
	struct kxen_domain *dom;
	unsigned int id;
	struct task_struct *task;
	struct kxen_vcpu_state st;
	void *arch;			/* vendor private state */
	wait_queue_head_t wq;
	bool blocked;			/* sleeping until kxen_xen_vcpu_wake() */
	int guest_cpu;			/* CPU running it in guest mode, or -1 */
	struct kxen_fpu fpu;
	struct kxen_lapic *lapic;	/* lapic.c */
	/* VM exits by the vendor's basic reason number (stats, debugging). */
	u64 exits[KXEN_EXIT_REASONS];
	/* The last few exits, printed when a domain that never ended dies. */
	struct kxen_exit_trace {
		u32 reason;
		u64 rip, qual, rax, rcx;
	} trace[KXEN_EXIT_TRACE];
	u32 trace_pos;
	bool nmi_pending;
	bool cpuid_faulting;		/* MSR_MISC_FEATURES_ENABLES bit 0 */
	bool init_received;		/* INIT seen: a SIPI may start it */
	bool wait_sipi;			/* INIT stopped its running thread */
	bool sipi_pending;		/* and a SIPI came: restart it */
	u8 sipi_vector;
	struct work_struct start_work;	/* starts the thread after a SIPI */
	u32 boot_entry, boot_ebx;
	bool boot_set;
	unsigned long flags;		/* KXEN_VCPU_* bits */
	bool down;			/* VCPUOP_down: not run until up */
	bool yield;			/* SCHEDOP_yield: schedule() first */
	struct kxen_vcpu_regs *start_regs;	/* applied by start_work */
	u64 run_ns;			/* time spent running */
	u64 sched_seen_ns;		/* run_ns last charged to the cap */
	u32 sched_gen;			/* kxen_sched.gen it was charged in */
	/* affinity.c: the sets under dom->lock and aff_lock */
	cpumask_var_t affinity;		/* hard affinity */
	cpumask_var_t soft_affinity;	/* soft affinity, as given */
	cpumask_var_t soft_eff;		/* soft & hard & online */
	cpumask_var_t soft_rest;	/* hard & online, less soft */
	struct mutex aff_lock;		/* the sets, and the thread's mask */
	u8 soft_mode;			/* KXEN_SOFT_*, the thread steers */
	u64 soft_since_ns;		/* when this mode or window began */
	u64 soft_delay_ns;		/* the thread's run_delay then */
	u64 soft_backoff_ns;		/* wide this long before a retry */
	u64 soft_narrow_ns;		/* when it last went narrow */
};

/* How a vCPU's thread follows its soft affinity (affinity.c). */
enum {
	KXEN_SOFT_OFF,		/* no preference: the hard set */
	KXEN_SOFT_NARROW,	/* on soft & hard */
	KXEN_SOFT_WIDE,		/* soft & hard busy: the hard set a while */
};

/*
 * Credit2's weight and cap (sched.c).  @weight and @cap change under
 * dom->lock; the vCPU threads read @budget_ns on every entry and share
 * @used_ns and @period_start.
 */
struct kxen_sched {
	u32 weight;			/* KXEN_SCHED_WEIGHT_MIN..MAX */
	u32 cap;			/* % of one CPU, 0: none */
	u64 budget_ns;			/* per period; 0: no cap */
	u32 gen;			/* a new one at each cap change */
	atomic64_t used_ns;		/* guest time charged, a debt carried */
	atomic64_t period_start;	/* ktime_get_ns() of this period */
};

struct kxen_domain {
	struct kref ref;
	struct list_head node;		/* kxen_domains, under kxen_domains_lock */
	u32 domid;
	char name[KXEN_NAME_MAX];
	uuid_t uuid;
	u32 flags;			/* KXEN_DOMAIN_F_* */
	/* Fixed at creation (uapi kxen.h, XEN_DOMCTL_createdomain). */
	u32 max_grant_frames;		/* 1..KXEN_MAX_GRANT_FRAMES */
	u32 max_evtchn_port;		/* 1..KXEN_MAX_EVTCHN_PORT */
	/* Its block backends' counters, KXEN_VBD_* (uapi kxen.h). */
	atomic64_t vbd[__KXEN_VBD_MAX];
	struct mutex lock;		/* serializes control operations */
	spinlock_t state_lock;		/* @state: vCPUs change it too */
	enum kxen_domain_state state;
	bool ever_run;
	bool ended;			/* shut down or crashed by itself */
	u32 shutdown_reason;
	char crash_reason[96];
	struct kxen_gmem mem;
	unsigned int nr_vcpus;
	struct kxen_vcpu **vcpus;
	void *arch;			/* vendor private (EPT/NPT root) */
	struct kxen_console console;
	struct kxen_xen_domain xen;
	struct kxen_sched sched;
	u64 spec_id;			/* never reused: kxen_spec_switch_domain */
	spinlock_t pit_lock;		/* @pit: any vCPU may touch it */
	struct kxen_i8254 pit;		/* PIT counter 2 (pio.c) */
};

/* ---- accounting: proves destroy frees everything ---- */
extern atomic64_t kxen_live_pages;
/* Bumped on each resume from suspend or hibernation (main.c). */
extern unsigned int kxen_resume_gen;
extern atomic64_t kxen_live_objects;
void kxen_stats_pages(long delta);
void kxen_stats_objects(long delta);

/* ---- domains (domain.c) ---- */
/* What KXEN_CMD_DOMAIN_CREATE asks for, checked against uapi kxen.h. */
struct kxen_domain_config {
	const char *name;
	u64 mem_kb;
	u64 max_mem_kb;			/* 0: mem_kb; below it, populate on demand */
	u32 vcpus;
	u32 flags;			/* KXEN_DOMAIN_F_* */
	const uuid_t *uuid;		/* NULL: a random one */
	u32 max_grant_frames;		/* 0: KXEN_MAX_GRANT_FRAMES */
	u32 max_evtchn_port;		/* 0: KXEN_MAX_EVTCHN_PORT */
};

/* -EEXIST: another live domain has the name or the UUID (@why says). */
int kxen_domain_create(const struct kxen_domain_config *cfg, u32 *domid,
		       const char **why);
int kxen_domain_destroy(u32 domid);
struct kxen_domain *kxen_domain_get(u32 domid);	/* takes a reference */
void kxen_domain_put(struct kxen_domain *d);
int kxen_domain_pause(u32 domid);
int kxen_domain_unpause(u32 domid);
int kxen_domain_set_boot(u32 domid, u32 vcpu, u64 entry, u64 start_info);
int kxen_domain_remote_shutdown(u32 domid, u32 reason);
void kxen_domain_set_state(struct kxen_domain *d, enum kxen_domain_state s);
void kxen_domain_shutdown(struct kxen_domain *d, u32 reason);
__printf(2, 3) void kxen_domain_crash(struct kxen_domain *d,
				      const char *fmt, ...);
/* Visit every live domain in domid order, starting at @start. */
int kxen_domain_for_each(u32 start,
			 int (*fn)(struct kxen_domain *d, void *arg),
			 void *arg);
unsigned int kxen_domain_count(void);
u64 kxen_domain_cpu_ns(struct kxen_domain *d);
/* A unique name of 1..KXEN_NAME_MAX - 1 chars: 0, -ESRCH, -EEXIST. */
int kxen_domain_rename(u32 domid, const char *name);
/* The name, copied whole: a rename may run at the same time. */
void kxen_domain_name(struct kxen_domain *d, char buf[KXEN_NAME_MAX]);
void kxen_domains_destroy_all(void);

/* ---- failure injection on the create path (fault.c) ---- */
void kxen_fault_arm(void);
void kxen_fault_disarm(void);
bool kxen_fault_inject(void);
bool kxen_fault_state_delay(struct kxen_domain *d, const char *what);

/* ---- guest memory (gmem.c) ---- */
int kxen_gmem_alloc(struct kxen_gmem *m, u64 size, u64 max_size);
void kxen_gmem_free(struct kxen_gmem *m);
/* Balloon: give a frame back to the host / back it again. 0 or -errno. */
int kxen_gmem_release(struct kxen_domain *d, u64 gfn);
/* Many frames: unmap each onto @batch, then one flush for all of them. */
int kxen_gmem_unmap(struct kxen_domain *d, u64 gfn, struct list_head *batch);
void kxen_gmem_release_batch(struct kxen_domain *d, struct list_head *batch);
int kxen_gmem_populate(struct kxen_domain *d, u64 gfn);
int kxen_gmem_reserve(struct kxen_domain *d, unsigned int order);
unsigned long kxen_gmem_current(struct kxen_gmem *m);
unsigned long kxen_gmem_entitled(struct kxen_gmem *m);
int kxen_gmem_pod_fault(struct kxen_vcpu *v, u64 gpa);
void kxen_gmem_pod_drop(struct kxen_gmem *m, u64 gfn);
int kxen_gmem_fill_user(struct kxen_domain *d, u64 gfn);
void kxen_gmem_set_max(struct kxen_gmem *m, unsigned long pages);
void kxen_gmem_unmapped(struct kxen_domain *d);	/* last user mapping */
void *kxen_gpa_to_hva(struct kxen_domain *d, u64 gpa);
struct page *kxen_gmem_get_page(struct kxen_domain *d, u64 gfn);
int kxen_gpa_read(struct kxen_domain *d, u64 gpa, void *buf, size_t len);
int kxen_gpa_write(struct kxen_domain *d, u64 gpa, const void *buf,
		   size_t len);
int kxen_gva_read(struct kxen_vcpu *v, u64 gva, void *buf, size_t len);
int kxen_gva_write(struct kxen_vcpu *v, u64 gva, const void *buf,
		   size_t len);
void kxen_gva_dump_walk(struct kxen_vcpu *v, const char *what, u64 gva);

/* ---- vCPUs (vcpu.c) ---- */
struct kxen_vcpu *kxen_vcpu_create(struct kxen_domain *d, unsigned int id);
void kxen_vcpu_destroy(struct kxen_vcpu *v);
int kxen_vcpu_start(struct kxen_vcpu *v);
void kxen_vcpu_stop(struct kxen_vcpu *v);
void kxen_vcpu_kick(struct kxen_vcpu *v);	/* any context */

/* What KXEN_CMD_VCPU_GET reports of one vCPU. */
struct kxen_vcpu_info {
	u32 state;		/* enum kxen_vcpu_runstate */
	int cpu;		/* host CPU it last ran on, -1: never ran */
	u64 time_ns;
};

/* vCPUs not down, as Xen counts them online (KXEN_A_VCPUS_ONLINE). */
unsigned int kxen_domain_vcpus_online(struct kxen_domain *d);
/* Under d->lock, the domain not DYING: its hard and soft affinity. */
void kxen_vcpu_get_info(struct kxen_vcpu *v, struct kxen_vcpu_info *info,
			struct cpumask *hard, struct cpumask *soft);

/* ---- hard and soft affinity (affinity.c) ---- */
int kxen_vcpu_affinity_alloc(struct kxen_vcpu *v);
void kxen_vcpu_affinity_free(struct kxen_vcpu *v);
/* Under d->lock: pin its thread (now or when it starts) to @mask. */
int kxen_vcpu_set_affinity(struct kxen_vcpu *v, const struct cpumask *mask);
/* Under d->lock: the CPUs it prefers within the hard set. */
void kxen_vcpu_set_soft_affinity(struct kxen_vcpu *v,
				 const struct cpumask *mask);
void kxen_vcpu_get_affinity(struct kxen_vcpu *v, struct cpumask *hard,
			    struct cpumask *soft);
/* Under d->lock: a new thread @t takes the sets. */
void kxen_vcpu_affinity_start(struct kxen_vcpu *v, struct task_struct *t);
/* Its own thread, between rows: follow the soft affinity. */
void kxen_vcpu_soft_steer(struct kxen_vcpu *v);
void kxen_domain_sync_vcpus(struct kxen_domain *d);
bool kxen_vcpu_should_leave(struct kxen_vcpu *v);
bool kxen_vcpu_may_stay(struct kxen_vcpu *v);
void kxen_vcpu_advance_rip(struct kxen_vcpu *v);
/* Exit handler endings (KXEN_EXIT_CONTINUE): #GP, #UD, skip, crash. */
int kxen_exit_gp(struct kxen_vcpu *v);
int kxen_exit_ud(struct kxen_vcpu *v);
int kxen_exit_skip(struct kxen_vcpu *v);
int kxen_exit_fail(struct kxen_vcpu *v, const char *why);
void kxen_vcpu_trace_exit(struct kxen_vcpu *v, u32 reason, u64 qual);
void kxen_vcpu_dump_regs(struct kxen_vcpu *v);
void kxen_vcpu_init_ipi(struct kxen_vcpu *v);
void kxen_vcpu_sipi(struct kxen_vcpu *v, u8 vector);	/* any context */
/* Start a never-run vCPU in @r (taken over, kfree'd); any context. */
int kxen_vcpu_initialise(struct kxen_vcpu *v, struct kxen_vcpu_regs *r);

/* ---- credit2's weight and cap on the host scheduler (sched.c) ---- */
#define KXEN_SCHED_CAP_KEEP	U32_MAX	/* kxen_sched_set(): cap unchanged */

void kxen_sched_init(struct kxen_sched *s);
int kxen_sched_nice(u32 weight);
/* Under d->lock, the domain not DYING; @weight 0: unchanged. */
void kxen_sched_set(struct kxen_domain *d, u32 weight, u32 cap);
/* Under d->lock: a vCPU thread about to run for the first time. */
void kxen_sched_vcpu_start(struct kxen_vcpu *v, struct task_struct *t);
void kxen_sched_wait(struct kxen_vcpu *v);

/*
 * The vendor loops call this before each row of entries, preemption on:
 * it sleeps while the domain's cap is spent.  No cap costs one load.
 */
static inline void kxen_sched_throttle(struct kxen_vcpu *v)
{
	if (unlikely(READ_ONCE(v->dom->sched.budget_ns)))
		kxen_sched_wait(v);
}

/* ---- local APIC: x2APIC, xAPIC or disabled (lapic.c) ---- */
struct kxen_lapic;
int kxen_lapic_create(struct kxen_vcpu *v);
/* The guest ABI personality, for the vendor code (vcpu.c). */
int kxen_vcpu_hypercall(struct kxen_vcpu *v);
int kxen_vcpu_halt(struct kxen_vcpu *v);
int kxen_vcpu_pending_vector(struct kxen_vcpu *v);
void kxen_vcpu_prepare_entry(struct kxen_vcpu *v);
void kxen_lapic_stop(struct kxen_vcpu *v);
void kxen_lapic_init_reset(struct kxen_vcpu *v);
u64 kxen_lapic_timer_fires(struct kxen_vcpu *v);
void kxen_lapic_free(struct kxen_vcpu *v);
bool kxen_lapic_is_reg(u32 msr);
int kxen_lapic_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val);
int kxen_lapic_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val);
int kxen_lapic_pending(struct kxen_vcpu *v);
void kxen_lapic_accept(struct kxen_vcpu *v, int vec);
void kxen_lapic_raise(struct kxen_vcpu *v, u8 vec);
/* VT-x virtual-interrupt delivery: the page, RVI | SVI << 8, the mode. */
void *kxen_lapic_regs(struct kxen_vcpu *v);
u16 kxen_lapic_vid_status(struct kxen_vcpu *v);
bool kxen_lapic_in_x2apic(struct kxen_vcpu *v);
u64 kxen_lapic_get_base(struct kxen_vcpu *v);
int kxen_lapic_set_base(struct kxen_vcpu *v, u64 val);
/* The xAPIC page; false if @gpa is not it in the APIC's current mode. */
bool kxen_lapic_mmio_read(struct kxen_vcpu *v, u64 gpa, unsigned int size,
			  u64 *val);
bool kxen_lapic_mmio_write(struct kxen_vcpu *v, u64 gpa, unsigned int size,
			   u64 val);

/*
 * ---- accesses to guest-physical addresses no RAM backs (mmio.c) ----
 * What the vendor code knows of an EPT violation / nested page fault.
 */
struct kxen_mmio_fault {
	u64 gpa;
	u64 cs_base;		/* for the linear address of RIP */
	bool cs_db;		/* CS.D: 32-bit code outside long mode */
	bool write;
	bool fetch;		/* an instruction fetch */
	bool walk;		/* the guest's own page-table walk */
	bool event;		/* during the delivery of an event */
};

/* Emulate the access (xAPIC page or null handler), or crash the domain. */
/* Up to KXEN_INSN_MAX_LEN bytes at RIP; how many, or -EFAULT. */
int kxen_vcpu_fetch_insn(struct kxen_vcpu *v, u64 cs_base, u8 *buf);
int kxen_mmio_handle(struct kxen_vcpu *v, const struct kxen_mmio_fault *f);

/* ---- guest FPU state (fpu.c) ---- */
int kxen_fpu_alloc(struct kxen_vcpu *v);
void kxen_fpu_free(struct kxen_vcpu *v);
void kxen_fpu_begin(struct kxen_vcpu *v);
void kxen_fpu_end(struct kxen_vcpu *v);
void kxen_fpu_guest_xcr0(struct kxen_vcpu *v);
void kxen_fpu_host_xcr0(struct kxen_vcpu *v);
int kxen_fpu_xsetbv(struct kxen_vcpu *v, u32 index, u64 val);
u64 kxen_fpu_guest_xfeatures(void);
unsigned int kxen_fpu_xstate_size(u64 mask, bool compacted);

/*
 * A vCPU thread's run loop, one for both vendors: rows of entries, the
 * guest's FPU loaded across each row's exits (kxen_vcpu_may_stay() ends
 * a row), and between rows, preemption on, the cap, a stop and the host
 * scheduler.  @row_begin (or NULL) runs before each row; @run_once is one
 * entry and its exit handled, preemption off.  Always inline, so the
 * vendor's functions are called directly: no indirect call, and so no
 * retpoline, on the way into the guest.
 */
static __always_inline int
kxen_vcpu_run_rows(struct kxen_vcpu *v, void (*row_begin)(struct kxen_vcpu *v),
		   int (*run_once)(struct kxen_vcpu *v))
{
	int ret;

	for (;;) {
		kxen_sched_throttle(v);
		kxen_vcpu_soft_steer(v);
		if (kxen_vcpu_should_leave(v))
			return KXEN_RUN_STOP;
		if (unlikely(v->yield)) {
			/*
			 * A reschedule even with no need_resched: the host's
			 * scheduler runs whichever thread is furthest behind
			 * its share, this one again if that is it.
			 */
			v->yield = false;
			schedule();
		}
		cond_resched();
		if (row_begin)
			row_begin(v);
		kxen_fpu_begin(v);
		do {
			ret = run_once(v);
		} while (ret == KXEN_EXIT_CONTINUE && kxen_vcpu_may_stay(v));
		kxen_fpu_end(v);
		if (ret < 0)
			return ret;
		if (ret == KXEN_EXIT_LEAVE)
			return KXEN_RUN_BLOCK;
	}
}

/* ---- speculation mitigations (spec.c, spec_policy.c) ---- */
extern u64 kxen_spec_mit;		/* KXEN_MIT_* */
void kxen_spec_init(bool vmx);
u64 kxen_spec_domain_id(void);
void kxen_spec_switch_domain(const struct kxen_domain *d);

/* ---- port I/O (pio.c) ---- */
void kxen_pio(struct kxen_vcpu *v, u16 port, unsigned int size, bool in);

/* ---- CPUID and platform MSRs (cpuid.c, msr.c) ---- */
void kxen_cpuid(struct kxen_vcpu *v, u32 leaf, u32 subleaf, u32 out[4]);
/* CPUID faulting on and CPL > 0: the CPUID exit raises #GP(0) instead. */
static inline bool kxen_cpuid_faults(const struct kxen_vcpu *v)
{
	return v->cpuid_faulting && v->st.cpl;
}

int kxen_msr_read(struct kxen_vcpu *v, u32 msr, u64 *val);
bool kxen_canonical(u64 va);
bool kxen_pat_valid(u64 pat);
/* EFER bits a guest may set (not SVME: nested SVM keeps its own). */
#define KXEN_EFER_ALLOWED	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)
int kxen_efer_check(struct kxen_vcpu *v, u64 *val);
int kxen_msr_write(struct kxen_vcpu *v, u32 msr, u64 val);

/* ---- guest MSRs the host gets back on return to user space (uret_msr.c) */
enum kxen_uret {
	KXEN_URET_STAR,
	KXEN_URET_LSTAR,
	KXEN_URET_CSTAR,
	KXEN_URET_SFMASK,
	KXEN_URET_TSC_AUX,
	KXEN_URET_NR
};

void kxen_uret_msr_load(const u64 *guest, unsigned long mask);
void kxen_uret_msr_cpu_down(void);

/* ---- console stream (console.c) ---- */
int kxen_console_init(struct kxen_console *c);
void kxen_console_free(struct kxen_console *c);
void kxen_console_put(struct kxen_domain *d, const char *s, size_t len);
void kxen_console_close(struct kxen_console *c);
/* console_tty.c: /dev/kxenconsN for each domain */
int kxen_console_tty_init(void);
void kxen_console_tty_exit(void);
void kxen_console_tty_attach(struct kxen_domain *d);
void kxen_console_tty_detach(struct kxen_domain *d);
void kxen_console_tty_put(struct kxen_domain *d, const char *s, size_t len);
void kxen_console_tty_wakeup(struct kxen_domain *d);
void kxen_debug_port_put(struct kxen_domain *d, char ch);
size_t kxen_console_copy(struct kxen_console *c, u64 *pos, char *dst,
			 size_t len);

/* ---- emergency reboot/kexec hook (emergency.c) ---- */
int kxen_emergency_init(void);
void kxen_emergency_exit(void);

/* ---- control plane ---- */
int kxen_chardev_init(void);
void kxen_chardev_exit(void);
int kxen_netlink_init(void);
void kxen_netlink_exit(void);
void kxen_netlink_notify(struct kxen_domain *d);

/* ---- vendor probes: return the ops, or an ERR_PTR naming the refusal ---- */
const struct kxen_arch_ops *kxen_vmx_probe(void);
const struct kxen_arch_ops *kxen_svm_probe(void);

#endif /* KXEN_CORE_H */
