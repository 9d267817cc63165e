// SPDX-License-Identifier: GPL-2.0
/*
 * Domains: the kernel objects behind domids.  A domain lives on after the
 * tool that created it exits, as under Xen, until it is destroyed.
 *
 * Lifetime: the xarray holds one reference while the domain is live;
 * files bound to it (/dev/kxen) and their mappings hold others.  Destroy
 * unpublishes the domid and stops the vCPUs at once; memory is freed when
 * the last reference goes.
 */
#include <linux/slab.h>
#include <linux/xarray.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <xen/interface/sched.h>

#include "kxen.h"
#include "../xen/xen.h"
#include "../xenstore/xenstore.h"

/* Guest domids as Xen hands them out: 1 .. DOMID_FIRST_RESERVED - 1. */
#define KXEN_DOMID_FIRST	1
#define KXEN_DOMID_LAST		0x7fef

static DEFINE_XARRAY_ALLOC(kxen_domains);
static DEFINE_MUTEX(kxen_domains_lock);	/* create/destroy, name checks */
static u32 kxen_next_domid = KXEN_DOMID_FIRST;

/*
 * One atomic step of the domain's state, under state_lock like the
 * vCPUs' own SHUTDOWN/CRASHED writes (kxen_domain_end()): from one of the
 * states in @from (a mask of BIT(state)) to @to; false, and no change, if
 * it is in none of them.  So a pause cannot overwrite a shutdown that
 * came after it looked, and DYING, set by destroy, is never left.
 */
static bool kxen_domain_transition(struct kxen_domain *d, unsigned long from,
				   enum kxen_domain_state to)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&d->state_lock, flags);
	ok = d->state != KXEN_STATE_DYING && (from & BIT(d->state));
	if (ok)
		d->state = to;
	spin_unlock_irqrestore(&d->state_lock, flags);
	return ok;
}

void kxen_domain_set_state(struct kxen_domain *d, enum kxen_domain_state s)
{
	kxen_domain_transition(d, ~0UL, s);
}

static void kxen_domain_release(struct kref *ref)
{
	struct kxen_domain *d = container_of(ref, struct kxen_domain, ref);
	unsigned int i;

	/* Xen state first: its timers point at the vCPUs. */
	kxen_xen_domain_free(d);
	for (i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i])
			kxen_vcpu_destroy(d->vcpus[i]);
	kfree(d->vcpus);
	if (d->arch)
		kxen_arch->domain_free(d);
	kxen_gmem_free(&d->mem);
	kxen_console_free(&d->console);
	kfree(d);
	kxen_stats_objects(-1);
}

struct kxen_domain *kxen_domain_get(u32 domid)
{
	struct kxen_domain *d;

	xa_lock(&kxen_domains);
	d = xa_load(&kxen_domains, domid);
	if (d && !kref_get_unless_zero(&d->ref))
		d = NULL;
	xa_unlock(&kxen_domains);
	return d;
}

void kxen_domain_put(struct kxen_domain *d)
{
	kref_put(&d->ref, kxen_domain_release);
}

/* Under kxen_domains_lock: whether a domain but @self has @name. */
static bool kxen_name_taken(const char *name, struct kxen_domain *self)
{
	struct kxen_domain *d;
	unsigned long idx;

	xa_for_each(&kxen_domains, idx, d)
		if (d != self && !strcmp(d->name, name))
			return true;
	return false;
}

/* Writers hold it and kxen_domains_lock; readers out of either take it. */
static DEFINE_SPINLOCK(kxen_name_lock);

void kxen_domain_name(struct kxen_domain *d, char buf[KXEN_NAME_MAX])
{
	unsigned long flags;

	spin_lock_irqsave(&kxen_name_lock, flags);
	memcpy(buf, d->name, KXEN_NAME_MAX);
	spin_unlock_irqrestore(&kxen_name_lock, flags);
}

/*
 * As libxl_domain_rename: a name no other domain has (renaming to its own
 * name is a no-op).  The caller checked @name's length and characters.
 */
int kxen_domain_rename(u32 domid, const char *name)
{
	struct kxen_domain *d;
	unsigned long flags;
	int ret = 0;

	mutex_lock(&kxen_domains_lock);
	d = xa_load(&kxen_domains, domid);
	if (!d) {
		ret = -ESRCH;
		goto out;
	}
	if (kxen_name_taken(name, d)) {
		ret = -EEXIST;
		goto out;
	}
	spin_lock_irqsave(&kxen_name_lock, flags);
	strscpy(d->name, name, sizeof(d->name));
	spin_unlock_irqrestore(&kxen_name_lock, flags);
	pr_info(KXEN_PR_PREFIX "d%u: renamed \"%s\"\n", domid, name);
out:
	mutex_unlock(&kxen_domains_lock);
	return ret;
}

static int kxen_domain_build(struct kxen_domain *d,
			     const struct kxen_domain_config *cfg)
{
	u32 nr = cfg->vcpus;
	unsigned int i;
	int ret;

	ret = kxen_console_init(&d->console);
	if (ret)
		return ret;
	ret = kxen_gmem_alloc(&d->mem, cfg->mem_kb * 1024,
			      cfg->max_mem_kb * 1024);
	if (ret)
		return ret;
	/* The vendor's own allocations (the second-level table) ask too. */
	ret = kxen_fault_inject() ? -ENOMEM : kxen_arch->domain_init(d);
	if (ret)
		return ret;
	d->vcpus = kxen_fault_inject() ? NULL :
		   kcalloc(nr, sizeof(*d->vcpus), GFP_KERNEL);
	if (!d->vcpus)
		return -ENOMEM;
	d->nr_vcpus = nr;
	for (i = 0; i < nr; i++) {
		d->vcpus[i] = kxen_vcpu_create(d, i);
		if (IS_ERR(d->vcpus[i])) {
			ret = PTR_ERR(d->vcpus[i]);
			d->vcpus[i] = NULL;
			return ret;
		}
	}
	return kxen_xen_domain_init(d);
}

/* Xen's domain handles are unique among live domains: xl looks them up. */
static bool kxen_uuid_taken(const uuid_t *uuid)
{
	struct kxen_domain *d;
	unsigned long idx;

	xa_for_each(&kxen_domains, idx, d)
		if (uuid_equal(&d->uuid, uuid))
			return true;
	return false;
}

static int kxen_domain_publish(struct kxen_domain *d, const char **why)
{
	struct xa_limit lim = XA_LIMIT(KXEN_DOMID_FIRST, KXEN_DOMID_LAST);
	int ret;

	mutex_lock(&kxen_domains_lock);
	if (kxen_name_taken(d->name, NULL)) {
		*why = "another domain has that name";
		ret = -EEXIST;
		goto out;
	}
	if (kxen_uuid_taken(&d->uuid)) {
		*why = "another domain has that UUID";
		ret = -EEXIST;
		goto out;
	}
	/* Like Xen, hand out domids in increasing order before reusing. */
	ret = kxen_fault_inject() ? -ENOMEM :
	      xa_alloc_cyclic(&kxen_domains, &d->domid, d, lim,
			      &kxen_next_domid, GFP_KERNEL);
	if (ret > 0)
		ret = 0;
out:
	mutex_unlock(&kxen_domains_lock);
	return ret;
}

int kxen_domain_create(const struct kxen_domain_config *cfg, u32 *domid,
		       const char **why)
{
	struct kxen_domain *d;
	int ret;

	kxen_fault_arm();
	d = kxen_fault_inject() ? NULL : kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		ret = -ENOMEM;
		goto err_disarm;
	}
	kxen_stats_objects(1);
	kref_init(&d->ref);
	mutex_init(&d->lock);
	spin_lock_init(&d->state_lock);
	spin_lock_init(&d->pit_lock);
	kxen_i8254_init(&d->pit);
	strscpy(d->name, cfg->name, sizeof(d->name));
	if (cfg->uuid)
		uuid_copy(&d->uuid, cfg->uuid);
	else
		uuid_gen(&d->uuid);
	d->spec_id = kxen_spec_domain_id();
	d->flags = cfg->flags;
	d->max_grant_frames = cfg->max_grant_frames ?: KXEN_MAX_GRANT_FRAMES;
	d->max_evtchn_port = cfg->max_evtchn_port ?: KXEN_MAX_EVTCHN_PORT;
	d->state = KXEN_STATE_CREATED;
	kxen_sched_init(&d->sched);

	ret = kxen_domain_build(d, cfg);
	if (ret)
		goto err_put;
	ret = kxen_domain_publish(d, why);
	if (ret)
		goto err_put;
	kxen_fault_disarm();
	kxen_xen_domain_published(d);
	kxen_console_tty_attach(d);
	*domid = d->domid;
	pr_info(KXEN_PR_PREFIX "d%u: created \"%s\", %llu KiB, %u vCPUs\n",
		d->domid, d->name, cfg->mem_kb, cfg->vcpus);
	kxen_netlink_notify(d);
	return 0;

err_put:
	kxen_domain_put(d);
err_disarm:
	kxen_fault_disarm();
	return ret;
}

static void kxen_domain_stop_vcpus(struct kxen_domain *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++)
		kxen_vcpu_stop(d->vcpus[i]);
}

/* The last exits of a vCPU: what led to a crash, or where a hang was. */
#define KXEN_TRACE_FMT KXEN_PR_PREFIX \
	"d%uv%u: exit -%u: reason %u rip 0x%llx qual 0x%llx rax 0x%llx rcx 0x%llx\n"

/* A crashed domain's trace goes out at the crash's level: on the console. */
static void kxen_domain_print_trace(struct kxen_vcpu *v, bool crashed)
{
	struct kxen_exit_trace *t;
	u32 i;

	for (i = 0; i < KXEN_EXIT_TRACE && i < v->trace_pos; i++) {
		t = &v->trace[(v->trace_pos - 1 - i) % KXEN_EXIT_TRACE];
		if (crashed)
			pr_warn(KXEN_TRACE_FMT, v->dom->domid, v->id, i,
				t->reason, t->rip, t->qual, t->rax, t->rcx);
		else
			pr_info(KXEN_TRACE_FMT, v->dom->domid, v->id, i,
				t->reason, t->rip, t->qual, t->rax, t->rcx);
	}
}

/* VM exits by reason, summed over vCPUs, on one kernel-log line. */
static void kxen_domain_print_exits(struct kxen_domain *d)
{
	char buf[256];
	const char *name;
	unsigned int r, i;
	int n = 0;
	u64 sum;

	for (r = 0; r < KXEN_EXIT_REASONS && n < (int)sizeof(buf) - 40; r++) {
		for (sum = 0, i = 0; i < d->nr_vcpus; i++)
			sum += d->vcpus[i]->exits[r];
		if (!sum)
			continue;
		name = kxen_arch->exit_name ? kxen_arch->exit_name(r) : NULL;
		if (name)
			n += scnprintf(buf + n, sizeof(buf) - n, " %s:%llu",
				       name, sum);
		else
			n += scnprintf(buf + n, sizeof(buf) - n, " %u:%llu",
				       r, sum);
	}
	pr_info(KXEN_PR_PREFIX "d%u: VM exits by reason:%s\n", d->domid,
		n ? buf : " none");
	kxen_xen_print_hcalls(d);
	for (sum = 0, i = 0; i < d->nr_vcpus; i++)
		sum += kxen_lapic_timer_fires(d->vcpus[i]);
	pr_info(KXEN_PR_PREFIX "d%u: local APIC timer fired %llu times\n",
		d->domid, sum);
	/* Long hypercalls cut into exits (memory_op's budget). */
	pr_info(KXEN_PR_PREFIX "d%u: hypercalls continued %lld times\n",
		d->domid, atomic64_read(&d->xen.hcall_continued));
}

int kxen_domain_destroy(u32 domid)
{
	struct kxen_domain *d;
	bool crashed;
	unsigned int i;

	mutex_lock(&kxen_domains_lock);
	d = xa_erase(&kxen_domains, domid);
	mutex_unlock(&kxen_domains_lock);
	if (!d)
		return -ESRCH;

	/*
	 * Under d->lock, as unpause and the vCPU start work check the state:
	 * once DYING is set no thread starts, so the stop loop below stops
	 * every vCPU thread there will ever be.
	 */
	mutex_lock(&d->lock);
	crashed = READ_ONCE(d->state) == KXEN_STATE_CRASHED;
	kxen_domain_set_state(d, KXEN_STATE_DYING);
	mutex_unlock(&d->lock);
	kxen_domain_stop_vcpus(d);
	kxen_xs_domain_release(d);
	kxen_console_close(&d->console);
	kxen_console_tty_detach(d);
	kxen_netlink_notify(d);
	/* Where a guest that never finished was: the first clue to why. */
	pr_info(KXEN_PR_PREFIX "d%u: destroyed, vCPU0 last left guest mode at rip 0x%llx\n",
		d->domid, d->vcpus[0]->st.rip);
	kxen_domain_print_exits(d);
	/* Every vCPU's: a crash on one may have started on another. */
	if (!d->ended || crashed)
		for (i = 0; i < d->nr_vcpus; i++)
			kxen_domain_print_trace(d->vcpus[i], crashed);
	kxen_domain_put(d);
	return 0;
}

void kxen_domains_destroy_all(void)
{
	struct kxen_domain *d;
	unsigned long idx;

	xa_for_each(&kxen_domains, idx, d)
		kxen_domain_destroy(idx);
}

static void kxen_domain_kick_all(struct kxen_domain *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++)
		kxen_vcpu_kick(d->vcpus[i]);
}

int kxen_domain_pause(u32 domid)
{
	struct kxen_domain *d = kxen_domain_get(domid);
	int ret = 0;

	if (!d)
		return -ESRCH;
	mutex_lock(&d->lock);
	kxen_fault_state_delay(d, "pause");
	if (!kxen_domain_transition(d, BIT(KXEN_STATE_RUNNING) |
				    BIT(KXEN_STATE_BLOCKED),
				    KXEN_STATE_PAUSED) &&
	    !kxen_domain_transition(d, BIT(KXEN_STATE_PAUSED) |
				    BIT(KXEN_STATE_CREATED), READ_ONCE(d->state)))
		ret = -EINVAL;
	mutex_unlock(&d->lock);
	if (!ret) {
		kxen_domain_kick_all(d);
		kxen_netlink_notify(d);
	}
	kxen_domain_put(d);
	return ret;
}

static int kxen_domain_first_run(struct kxen_domain *d)
{
	int ret;

	if (!d->vcpus[0]->boot_set)
		return -ENOEXEC;	/* no image was loaded */
	/* Secondary vCPUs stay down until the guest brings them up. */
	ret = kxen_vcpu_start(d->vcpus[0]);
	if (!ret)
		d->ever_run = true;
	return ret;
}

int kxen_domain_unpause(u32 domid)
{
	struct kxen_domain *d = kxen_domain_get(domid);
	int ret = 0;

	if (!d)
		return -ESRCH;
	mutex_lock(&d->lock);
	kxen_fault_state_delay(d, "unpause");
	switch (READ_ONCE(d->state)) {
	case KXEN_STATE_CREATED:
		ret = kxen_domain_first_run(d);
		if (!ret)
			kxen_domain_transition(d, BIT(KXEN_STATE_CREATED),
					       KXEN_STATE_RUNNING);
		break;
	case KXEN_STATE_PAUSED:
		if (!kxen_domain_transition(d, BIT(KXEN_STATE_PAUSED),
					    d->ever_run ? KXEN_STATE_RUNNING :
					    KXEN_STATE_CREATED))
			ret = -EINVAL;	/* it shut down meanwhile */
		break;
	case KXEN_STATE_RUNNING:
	case KXEN_STATE_BLOCKED:
		break;
	default:
		ret = -EINVAL;
	}
	mutex_unlock(&d->lock);
	if (!ret) {
		kxen_domain_kick_all(d);
		kxen_netlink_notify(d);
	}
	kxen_domain_put(d);
	return ret;
}

int kxen_domain_set_boot(u32 domid, u32 vcpu, u64 entry, u64 start_info)
{
	struct kxen_domain *d = kxen_domain_get(domid);
	struct kxen_vcpu *v;
	int ret = 0;

	if (!d)
		return -ESRCH;
	/* PVH enters in 32-bit mode: both values must fit below 4 GiB. */
	if (vcpu >= d->nr_vcpus || entry > U32_MAX || start_info > U32_MAX ||
	    start_info >= d->mem.size || entry >= d->mem.size) {
		ret = -EINVAL;
		goto out;
	}
	mutex_lock(&d->lock);
	if (d->state != KXEN_STATE_CREATED) {
		ret = -EBUSY;
	} else {
		v = d->vcpus[vcpu];
		v->boot_entry = entry;
		v->boot_ebx = start_info;
		kxen_arch->vcpu_set_boot(v, entry, start_info);
		v->boot_set = true;
	}
	mutex_unlock(&d->lock);
out:
	kxen_domain_put(d);
	return ret;
}

/* May be called from a vCPU's exit handler, with preemption off. */
static bool kxen_domain_end(struct kxen_domain *d, enum kxen_domain_state s)
{
	bool changed = false;
	unsigned long flags;

	spin_lock_irqsave(&d->state_lock, flags);
	if (d->state != KXEN_STATE_SHUTDOWN && d->state != KXEN_STATE_CRASHED &&
	    d->state != KXEN_STATE_DYING) {
		d->state = s;
		changed = true;
	}
	if (changed)
		d->ended = true;
	spin_unlock_irqrestore(&d->state_lock, flags);
	if (changed) {
		kxen_domain_kick_all(d);
		kxen_netlink_notify(d);
		kxen_xs_domain_ended(d);
	}
	return changed;
}

/* The guest asked to stop (SCHEDOP_shutdown); the domain stays listed. */
void kxen_domain_shutdown(struct kxen_domain *d, u32 reason)
{
	d->shutdown_reason = reason;
	if (kxen_domain_end(d, KXEN_STATE_SHUTDOWN))
		pr_info(KXEN_PR_PREFIX "d%u: shutdown, reason %u\n", d->domid,
			reason);
}

int kxen_domain_remote_shutdown(u32 domid, u32 reason)
{
	struct kxen_domain *d;

	if (reason > SHUTDOWN_MAX)
		return -EINVAL;
	d = kxen_domain_get(domid);
	if (!d)
		return -ESRCH;
	kxen_domain_shutdown(d, reason);
	kxen_domain_put(d);
	return 0;
}

void kxen_domain_crash(struct kxen_domain *d, const char *fmt, ...)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 10);
	va_list args;

	if (d->state == KXEN_STATE_CRASHED)
		return;
	va_start(args, fmt);
	vsnprintf(d->crash_reason, sizeof(d->crash_reason), fmt, args);
	va_end(args);
	d->shutdown_reason = SHUTDOWN_crash;
	if (kxen_domain_end(d, KXEN_STATE_CRASHED) && __ratelimit(&rs))
		pr_warn(KXEN_PR_PREFIX "d%u: crashed: %s\n", d->domid,
			d->crash_reason);
}

int kxen_domain_for_each(u32 start,
			 int (*fn)(struct kxen_domain *d, void *arg),
			 void *arg)
{
	struct kxen_domain *d;
	unsigned long idx = start;
	int ret = 0;

	mutex_lock(&kxen_domains_lock);
	xa_for_each_start(&kxen_domains, idx, d, start) {
		ret = fn(d, arg);
		if (ret)
			break;
	}
	mutex_unlock(&kxen_domains_lock);
	return ret;
}

unsigned int kxen_domain_count(void)
{
	struct kxen_domain *d;
	unsigned long idx;
	unsigned int n = 0;

	xa_for_each(&kxen_domains, idx, d)
		n++;
	return n;
}

u64 kxen_domain_cpu_ns(struct kxen_domain *d)
{
	u64 ns = 0;
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++)
		ns += READ_ONCE(d->vcpus[i]->run_ns);
	return ns;
}
