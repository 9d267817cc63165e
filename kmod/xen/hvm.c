// SPDX-License-Identifier: GPL-2.0
/*
 * __HYPERVISOR_hvm_op (hvm/hvm_op.h, hvm/params.h) and
 * __HYPERVISOR_memory_op (memory.h): HVM parameters, the event upcall
 * vector, mapping shared_info and grant frames (alone or in a batch), the
 * memory map, reservation queries and the balloon.
 */
#include <linux/types.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/sched.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <xen/interface/hvm/hvm_op.h>
#include <xen/interface/hvm/params.h>
#include <xen/interface/hvm/start_info.h>

#include "hcall.h"
#include "errno.h"
#include "state.h"
#include "../backends/console.h"
#include "../backends/xenstore.h"
#include "../xenstore/xenstore.h"

/* The guest may set these; the rest are the toolstack's (read-only). */
static bool kxen_param_guest_writable(u32 idx)
{
	return idx == HVM_PARAM_CALLBACK_IRQ;
}

static long kxen_hvm_param(struct kxen_hcall *hc, bool set)
{
	struct kxen_xen_dom *xd = to_xd(hc->v->dom);
	struct xen_hvm_param p;
	unsigned long flags;

	if (kxen_gva_read(hc->v, hc->args[1], &p, sizeof(p)))
		return -XEN_EFAULT;
	if (p.domid != DOMID_SELF && p.domid != hc->v->dom->domid)
		return -XEN_ESRCH;
	if (p.index >= KXEN_HVM_NR_PARAMS)
		return -XEN_EINVAL;
	if (set) {
		if (!kxen_param_guest_writable(p.index))
			return -XEN_EPERM;
		spin_lock_irqsave(&xd->lock, flags);
		xd->params[p.index] = p.value;
		spin_unlock_irqrestore(&xd->lock, flags);
		kxen_xen_latch_compat(hc->v);
		/* A new callback route: deliver what is already pending. */
		kxen_vcpu_kick(hc->v);
		return 0;
	}
	p.value = READ_ONCE(xd->params[p.index]);
	return kxen_gva_write(hc->v, hc->args[1], &p, sizeof(p)) ?
	       -XEN_EFAULT : 0;
}

static long kxen_hvm_upcall_vector(struct kxen_hcall *hc)
{
	struct xen_hvm_evtchn_upcall_vector uv;
	struct kxen_domain *d = hc->v->dom;

	if (kxen_gva_read(hc->v, hc->args[1], &uv, sizeof(uv)))
		return -XEN_EFAULT;
	/* Vectors below 0x10 are exceptions (Xen's check). */
	if (uv.vector < 0x10)
		return -XEN_EINVAL;
	if (uv.vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	uv.vcpu = array_index_nospec(uv.vcpu, d->nr_vcpus);
	WRITE_ONCE(to_xd(d)->vcpus[uv.vcpu].upcall_vector, uv.vector);
	kxen_xen_upcall_reassert(d->vcpus[uv.vcpu]);
	return 0;
}

/*
 * A ring the host serves: its backend picks the event channel; the
 * guest's xenstore nodes name both, as xl writes them.
 */
static int kxen_toolstack_ring(struct kxen_domain *d, u32 idx, u64 gfn)
{
	bool cons = idx == HVM_PARAM_CONSOLE_PFN;
	u32 port_idx = cons ? HVM_PARAM_CONSOLE_EVTCHN : HVM_PARAM_STORE_EVTCHN;
	int ret;

	ret = cons ? kxen_pvcons_setup(d, gfn) : kxen_xsring_setup(d, gfn);
	if (!ret)
		kxen_xs_domain_ring(d, cons ? "console" : "store", gfn,
				    READ_ONCE(to_xd(d)->params[port_idx]));
	return ret;
}

/*
 * Xen's hvm_latch_shinfo_size(): setting the callback and writing the
 * hypercall page are among the first things a guest does, so the mode
 * of the vCPU doing them decides the layout of shared_info, vcpu_info
 * and runstate areas from then on.  The wall clock is rewritten in the
 * new layout; nothing else is converted, as on Xen.
 */
void kxen_xen_latch_compat(struct kxen_vcpu *v)
{
	struct kxen_xen_dom *xd = to_xd(v->dom);
	unsigned long flags;
	bool changed;

	spin_lock_irqsave(&xd->lock, flags);
	changed = kxen_evtchn_set_compat(&xd->evtchn, !v->st.long_mode);
	spin_unlock_irqrestore(&xd->lock, flags);
	if (changed)
		kxen_time_wallclock(xd);
}

/* KXEN_CMD_DOMAIN_SET_PARAM: the toolstack's view of the HVM params. */
int kxen_xen_toolstack_set_param(struct kxen_domain *d, u32 idx, u64 val)
{
	struct kxen_xen_dom *xd = to_xd(d);
	unsigned long flags;

	if (idx >= KXEN_HVM_NR_PARAMS)
		return -EINVAL;
	if (idx == HVM_PARAM_CONSOLE_PFN || idx == HVM_PARAM_STORE_PFN)
		return kxen_toolstack_ring(d, idx, val);
	if (idx == HVM_PARAM_CONSOLE_EVTCHN || idx == HVM_PARAM_STORE_EVTCHN)
		return -EINVAL;		/* chosen with the ring's page */
	spin_lock_irqsave(&xd->lock, flags);
	xd->params[idx] = val;
	spin_unlock_irqrestore(&xd->lock, flags);
	return 0;
}

long kxen_hc_hvm_op(struct kxen_hcall *hc)
{
	switch (hc->args[0]) {
	case HVMOP_set_param:
		return kxen_hvm_param(hc, true);
	case HVMOP_get_param:
		return kxen_hvm_param(hc, false);
	case HVMOP_set_evtchn_upcall_vector:
		return kxen_hvm_upcall_vector(hc);
	case HVMOP_pagetable_dying:
		return 0;	/* a hint for shadow paging: nothing to do */
	default:
		return -XEN_ENOSYS;
	}
}

/*
 * Frames the hypervisor serves from while they are registered
 * (shared_info, a registered vcpu_info, the PV console and xenstore
 * rings, FIFO control blocks and event array pages) may not go back to
 * the host or be covered by a grant frame: the host keeps using their
 * pages (the lifetime rule in kmod/core/gmem.c).  Such requests fail with
 * EBUSY.  (Xen holds page references instead.)  Callers hold the
 * grant-table lock, which every change of the guest's physmap and every
 * registration takes.
 */
bool kxen_physmap_pinned(struct kxen_xen_dom *xd, u64 gfn)
{
	unsigned long flags;
	unsigned int i;
	bool fifo;

	lockdep_assert_held(&xd->gnttab.lock);
	if (gfn == xd->shinfo_gfn || (xd->cons_port && gfn == xd->cons_gfn) ||
	    (xd->xs_port && gfn == xd->xs_gfn))
		return true;
	for (i = 0; i < xd->d->nr_vcpus; i++)
		if (xd->vcpus[i].vcpu_info_gpa != KXEN_NO_GPA &&
		    xd->vcpus[i].vcpu_info_gpa >> PAGE_SHIFT == gfn)
			return true;
	/* EVTCHNOP_reset drops FIFO pages under xd->lock alone. */
	spin_lock_irqsave(&xd->lock, flags);
	fifo = kxen_evtchn_fifo_uses_gfn(&xd->evtchn, gfn);
	spin_unlock_irqrestore(&xd->lock, flags);
	return fifo;
}

/*
 * Where there is no RAM (past it, or a frame given back), kxen's own
 * page appears at @gfn, as Xen's shared_info page does wherever the
 * guest puts it: GRUB's PVH image maps it in the first hole of its
 * memory map, past RAM.  Grant-table lock held.
 */
static struct shared_info *kxen_shinfo_own_at(struct kxen_domain *d, u64 gfn)
{
	struct kxen_xen_dom *xd = to_xd(d);

	if (!kxen_arch->set_gfn || !kxen_gnttab_gfn_ok(d, gfn) ||
	    kxen_gnttab_frame_at(&xd->gnttab, gfn) ||
	    kxen_arch->set_gfn(d, gfn, page_to_pfn(virt_to_page(xd->shinfo_own))))
		return NULL;
	return xd->shinfo_own;
}

/*
 * XENMAPSPACE_shared_info: a RAM frame at @gfn becomes the page (Linux
 * gives up a page of its RAM for it), else kxen's own page is mapped
 * there.  Its contents move along, the hypervisor updates it where it
 * now is, and it leaves its previous place.
 */
static long kxen_map_shared_info(struct kxen_domain *d, u64 gfn)
{
	struct kxen_xen_dom *xd = to_xd(d);
	struct shared_info *dst;
	unsigned long flags;
	u64 old;

	spin_lock(&xd->gnttab.lock);
	old = xd->shinfo_gfn;
	dst = kxen_gpa_to_hva(d, gfn << PAGE_SHIFT);
	if (!dst)
		dst = kxen_shinfo_own_at(d, gfn);
	if (!dst) {
		spin_unlock(&xd->gnttab.lock);
		return -XEN_EINVAL;
	}
	spin_lock_irqsave(&xd->lock, flags);
	if (dst != xd->shinfo)
		memcpy(dst, xd->shinfo, sizeof(*dst));
	WRITE_ONCE(xd->shinfo, dst);
	xd->shinfo_gfn = gfn;
	spin_unlock_irqrestore(&xd->lock, flags);
	if (old != KXEN_NO_GPA && old != gfn)
		kxen_gnttab_unmap_old(d, old);
	spin_unlock(&xd->gnttab.lock);
	kxen_time_wallclock(xd);
	return 0;
}

/* One mapping, alone or in a batch (Xen's xenmem_add_to_physmap_one). */
static long kxen_physmap_one(struct kxen_domain *d, unsigned int space,
			     u64 idx, u64 gfn)
{
	switch (space) {
	case XENMAPSPACE_shared_info:
		if (idx != 0)
			return -XEN_EINVAL;
		return kxen_map_shared_info(d, gfn);
	case XENMAPSPACE_grant_table:
		return kxen_gnttab_map_frame(d, &to_xd(d)->gnttab, idx, gfn);
	default:
		return -XEN_EINVAL;
	}
}

static long kxen_add_to_physmap(struct kxen_hcall *hc)
{
	struct kxen_domain *d = hc->v->dom;
	struct xen_add_to_physmap a;

	if (kxen_hc_read_physmap(hc, &a))
		return -XEN_EFAULT;
	if (a.domid != DOMID_SELF && a.domid != d->domid)
		return -XEN_ESRCH;
	return kxen_physmap_one(d, a.space, a.idx, a.gpfn);
}

/*
 * The memory map the toolstack wrote into the guest's PVH start info
 * (xen/interface/hvm/start_info.h), copied before the guest first runs,
 * when RAM holds only what the toolstack put there: libxl gives the same
 * map to XENMEM_set_memory_map, and this is what XENMEM_memory_map then
 * returns.  A start info that is not there or not sane leaves none.
 * vCPU 0's thread as it starts (kxen_xen_vcpu_started); may sleep.
 */
void kxen_xen_take_memmap(struct kxen_vcpu *v)
{
	struct kxen_xen_dom *xd = to_xd(v->dom);
	struct hvm_memmap_table_entry e;
	struct hvm_start_info si;
	struct kxen_e820 *map;
	u32 i;

	if (kxen_gpa_read(v->dom, v->boot_ebx, &si, sizeof(si)) ||
	    si.magic != XEN_HVM_START_MAGIC_VALUE || si.version < 1 ||
	    !si.memmap_entries || si.memmap_entries > KXEN_E820_MAX)
		return;
	map = kcalloc(si.memmap_entries, sizeof(*map), GFP_KERNEL);
	if (!map)
		return;
	for (i = 0; i < si.memmap_entries; i++) {
		if (kxen_gpa_read(v->dom, si.memmap_paddr + i * sizeof(e), &e,
				  sizeof(e))) {
			kfree(map);
			return;
		}
		map[i] = (struct kxen_e820){ e.addr, e.size, e.type };
	}
	kxen_stats_objects(1);
	xd->nr_memmap = si.memmap_entries;
	/* Other vCPUs start later; the map is whole before they look. */
	smp_store_release(&xd->memmap, map);
}

void kxen_xen_free_memmap(struct kxen_xen_dom *xd)
{
	if (!xd->memmap)
		return;
	kfree(xd->memmap);
	kxen_stats_objects(-1);
}

/* As Xen's: as many entries as the buffer takes, their count back. */
static long kxen_memory_map(struct kxen_hcall *hc)
{
	struct kxen_domain *d = hc->v->dom;
	struct kxen_xen_dom *xd = to_xd(d);
	struct kxen_e820 ram = { .addr = 0, .size = d->mem.size, .type = 1 };
	const struct kxen_e820 *map;
	u32 nr_entries, n;
	u64 buffer;

	/* Pairs with kxen_xen_take_memmap(): the count before the pointer. */
	map = smp_load_acquire(&xd->memmap);
	n = map ? xd->nr_memmap : 1;

	if (kxen_hc_read_memory_map(hc, &nr_entries, &buffer))
		return -XEN_EFAULT;
	if (nr_entries < 1)
		return -XEN_EINVAL;
	n = min(n, nr_entries);
	if (kxen_gva_write(hc->v, buffer, map ?: &ram, n * sizeof(ram)))
		return -XEN_EFAULT;
	/* nr_entries leads the struct in both layouts. */
	return kxen_gva_write(hc->v, hc->args[1], &n, sizeof(n)) ?
	       -XEN_EFAULT : 0;
}

static long kxen_reservation(struct kxen_hcall *hc, bool now)
{
	struct kxen_domain *d = hc->v->dom;
	domid_t dom;

	if (kxen_gva_read(hc->v, hc->args[1], &dom, sizeof(dom)))
		return -XEN_EFAULT;
	if (dom != DOMID_SELF && dom != d->domid)
		return -XEN_ESRCH;
	return now ? kxen_gmem_entitled(&d->mem) : d->mem.nr_pages;
}

/* Xen's memory_op continuation: the start extent rides in the command. */
#define KXEN_MEMOP_EXTENT_SHIFT	6
#define KXEN_MEMOP_CMD_MASK	((1UL << KXEN_MEMOP_EXTENT_SHIFT) - 1)
#define KXEN_MEMOP_PER_EXIT	512UL
#define KXEN_MEMOP_MAX_ORDER	9	/* 2 MiB extents at most */
/*
 * Pages the balloon ops give back or back again in one exit before they
 * continue: one 2 MiB extent, or 512 single pages.  The exit handler
 * runs with preemption off.
 */
#define KXEN_MEMOP_PAGES_PER_EXIT	512UL

/* Give back or back again the 2^@order frames from @gfn. */
static int kxen_extent_frames(struct kxen_domain *d, unsigned long cmd,
			      u64 gfn, unsigned int order)
{
	struct kxen_xen_dom *xd = to_xd(d);
	LIST_HEAD(batch);
	int ret = 0;
	u64 i;

	/* One grant-table lock and one flush for the whole extent. */
	spin_lock(&xd->gnttab.lock);
	for (i = 0; i < (1ULL << order) && !ret; i++) {
		if (cmd == XENMEM_populate_physmap)
			ret = kxen_gmem_populate(d, gfn + i);
		else if (kxen_physmap_pinned(xd, gfn + i))
			ret = -EBUSY;
		else
			ret = kxen_gmem_unmap(d, gfn + i, &batch);
	}
	spin_unlock(&xd->gnttab.lock);
	kxen_gmem_release_batch(d, &batch);
	return ret;
}

static int kxen_extent(struct kxen_domain *d, unsigned long cmd, u64 gfn,
		       unsigned int order)
{
	if (cmd == XENMEM_increase_reservation)
		return kxen_gmem_reserve(d, order);
	if (gfn & ((1ULL << order) - 1))
		return -XEN_EINVAL;
	return kxen_extent_frames(d, cmd, gfn, order);
}

/*
 * As Xen's hypercall_preempt_check(): past the first extent of this
 * exit, stop when the next one would go over the budget or the host
 * wants the CPU back.
 */
static bool kxen_memop_preempt(unsigned long pages, unsigned int order)
{
	return pages + (1UL << order) > KXEN_MEMOP_PAGES_PER_EXIT ||
	       need_resched();
}

/*
 * XENMEM_increase_reservation, decrease_reservation, populate_physmap
 * (memory.h): the balloon.  Frames listed in extent_start go back to the
 * host or are backed again; increase_reservation of a translated guest
 * neither reads nor writes the list (its pages get no frame).  As Xen,
 * the result is the number of extents done, also when the request itself
 * is bad (unreadable, another domain, an order past a domU's 2 MiB).  A
 * long list continues in later exits, KXEN_MEMOP_PAGES_PER_EXIT pages
 * each: the guest re-executes the call with the next extent in the
 * command and sees one call.
 */
static long kxen_reservation_op(struct kxen_hcall *hc)
{
	struct kxen_domain *d = hc->v->dom;
	unsigned long cmd = hc->args[0] & KXEN_MEMOP_CMD_MASK;
	unsigned long i = hc->args[0] >> KXEN_MEMOP_EXTENT_SHIFT;
	unsigned long pages = 0;
	struct xen_memory_reservation r;
	u64 gfn = 0;

	if (!kxen_arch->set_gfn)
		return -XEN_ENOSYS;
	if (kxen_hc_read_reservation(hc, &r) ||
	    (r.domid != DOMID_SELF && r.domid != d->domid) ||
	    r.extent_order > KXEN_MEMOP_MAX_ORDER)
		return i;
	for (; i < r.nr_extents; i++) {
		if (pages && kxen_memop_preempt(pages, r.extent_order)) {
			hc->args[0] = cmd | (i << KXEN_MEMOP_EXTENT_SHIFT);
			kxen_hcall_continue(hc->v, hc);
			return i;
		}
		if (cmd != XENMEM_increase_reservation &&
		    kxen_hc_read_ulong(hc, (unsigned long)r.extent_start, i,
				       &gfn))
			return i;
		if (kxen_extent(d, cmd, gfn, r.extent_order))
			return i;
		pages += 1UL << r.extent_order;
	}
	return i;
}

/*
 * XENMEM_add_to_physmap_batch (memory.h; Linux's copy calls it _range):
 * one space, @size index/frame pairs, each pair's result in errs[].  The
 * call fails as a whole only on the batch itself; a long one continues
 * through the command's extent bits, as Xen's does.
 */
static long kxen_add_to_physmap_batch(struct kxen_hcall *hc)
{
	unsigned long cmd = hc->args[0] & KXEN_MEMOP_CMD_MASK;
	unsigned long i = hc->args[0] >> KXEN_MEMOP_EXTENT_SHIFT, stop;
	struct kxen_domain *d = hc->v->dom;
	struct xen_add_to_physmap_range b;
	u64 idx, gfn;
	int err;

	if (kxen_hc_read_physmap_batch(hc, &b))
		return -XEN_EFAULT;
	if (b.space == XENMAPSPACE_gmfn_range)
		return -XEN_EOPNOTSUPP;
	if (b.domid != DOMID_SELF && b.domid != d->domid)
		return -XEN_ESRCH;
	/* A continuation at or past the end is not one Xen made. */
	if (i > b.size || (i && i == b.size))
		return -XEN_EILSEQ;
	stop = min_t(unsigned long, b.size, i + KXEN_MEMOP_PER_EXIT);
	for (; i < stop; i++) {
		if (kxen_hc_read_ulong(hc, (unsigned long)b.idxs, i, &idx) ||
		    kxen_hc_read_ulong(hc, (unsigned long)b.gpfns, i, &gfn))
			return -XEN_EFAULT;
		err = kxen_physmap_one(d, b.space, idx, gfn);
		if (kxen_gva_write(hc->v, (unsigned long)b.errs +
				   i * sizeof(err), &err, sizeof(err)))
			return -XEN_EFAULT;
	}
	if (i < b.size) {
		hc->args[0] = cmd | (i << KXEN_MEMOP_EXTENT_SHIFT);
		kxen_hcall_continue(hc->v, hc);
	}
	return 0;
}

/* Not in Linux's copy of memory.h (xen/include/public/memory.h). */
#define XENMEM_maximum_gpfn	14

long kxen_hc_memory_op(struct kxen_hcall *hc)
{
	switch (hc->args[0] & KXEN_MEMOP_CMD_MASK) {
	case XENMEM_add_to_physmap:
		return kxen_add_to_physmap(hc);
	case XENMEM_add_to_physmap_range:
		return kxen_add_to_physmap_batch(hc);
	case XENMEM_memory_map:
		return kxen_memory_map(hc);
	case XENMEM_current_reservation:
		return kxen_reservation(hc, true);
	case XENMEM_maximum_reservation:
		return kxen_reservation(hc, false);
	case XENMEM_maximum_ram_page:
	case XENMEM_maximum_gpfn:
		return hc->v->dom->mem.nr_pages - 1;
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return kxen_reservation_op(hc);
	default:
		return -XEN_ENOSYS;
	}
}
