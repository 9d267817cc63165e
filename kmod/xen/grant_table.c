// SPDX-License-Identifier: GPL-2.0
/*
 * __HYPERVISOR_grant_table_op (xen/interface/grant_table.h), the part a
 * PVH guest needs to set its grant table up: query_size, setup_table,
 * set_version and get_version, and the shared frames it maps with
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table).  Version 1 only; the
 * data path (map, unmap, copy, swap) comes with the backends.
 *
 * Results follow Xen 4.17 (xen/common/grant_table.c and the HVM filter
 * in xen/arch/x86/hvm/hypercall.c): per-op status in the GNTST_* field,
 * the hypercall's own result for malformed calls.
 */
#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>

#include "hcall.h"
#include "errno.h"
#include "state.h"

/*
 * Grant frames the guest places past its RAM (Linux puts them in
 * unpopulated address space just above it) must lie within this much of
 * the larger of RAM's end and 4 GiB: each new place can cost page-table
 * pages, so a guest moving frames around must not make that unbounded.
 */
#define KXEN_GNTTAB_WINDOW_PAGES	(SZ_4G >> PAGE_SHIFT)

/* Xen's gnttab_grow_table(): zeroed frames up to @nr; gt->lock held. */
static int kxen_gnttab_grow(struct kxen_gnttab *gt, u32 nr)
{
	struct page *pg;

	if (nr > gt->max_frames)
		return -EINVAL;
	while (gt->nr_frames < nr) {
		pg = kxen_fault_inject() ? NULL :
		     alloc_page(GFP_ATOMIC | __GFP_ZERO | __GFP_ACCOUNT);
		if (!pg)
			return -ENOMEM;
		gt->active[gt->nr_frames] =
			kcalloc(KXEN_GNT_PER_FRAME, sizeof(*gt->active[0]),
				GFP_ATOMIC | __GFP_ACCOUNT);
		if (!gt->active[gt->nr_frames]) {
			__free_page(pg);
			return -ENOMEM;
		}
		gt->frames[gt->nr_frames++] = pg;
		kxen_stats_pages(1);
	}
	return 0;
}

int kxen_gnttab_init(struct kxen_gnttab *gt, u32 max_frames)
{
	unsigned int i;

	spin_lock_init(&gt->lock);
	gt->version = 1;
	/*
	 * xl's max_grant_frames (Xen's max_grant_frames of the domain):
	 * what query_size reports, setup_table and add_to_physmap stop at.
	 */
	gt->max_frames = clamp_t(u32, max_frames, 1, KXEN_GNTTAB_MAX_FRAMES);
	for (i = 0; i < KXEN_GNTTAB_MAX_FRAMES; i++)
		gt->gfns[i] = KXEN_NO_GPA;
	/* Xen starts with INITIAL_NR_GRANT_FRAMES (1) on x86. */
	return kxen_gnttab_grow(gt, 1);
}

/* After the vCPUs have stopped: nothing runs on the frames any more. */
void kxen_gnttab_free(struct kxen_gnttab *gt)
{
	unsigned int i;

	WARN_ON_ONCE(gt->nr_maps);	/* backends hold a domain reference */
	for (i = 0; i < gt->nr_frames; i++) {
		__free_page(gt->frames[i]);
		kfree(gt->active[i]);
		kxen_stats_pages(-1);
	}
	gt->nr_frames = 0;
}

/*
 * Who @dom is: 0 ourselves, -EPERM the host (dom0, which a guest may not
 * query under Xen either), -ESRCH anyone else.  Other guests are not
 * looked up: from an exit handler a reference we dropped could be the
 * last one, and releasing a domain sleeps.
 */
static int kxen_gnttab_target(struct kxen_domain *d, domid_t dom)
{
	if (dom == DOMID_SELF || dom == d->domid)
		return 0;
	return dom == 0 ? -EPERM : -ESRCH;
}

static s16 kxen_gnttab_target_status(struct kxen_domain *d, domid_t dom)
{
	int ret = kxen_gnttab_target(d, dom);

	if (ret == -ESRCH)
		return GNTST_bad_domain;
	return ret ? GNTST_permission_denied : GNTST_okay;
}

static long kxen_gnttab_query_size(struct kxen_hcall *hc, u32 count)
{
	struct kxen_gnttab *gt = &to_xd(hc->v->dom)->gnttab;
	struct gnttab_query_size q;

	if (count != 1)
		return -XEN_EINVAL;
	if (kxen_gva_read(hc->v, hc->args[1], &q, sizeof(q)))
		return -XEN_EFAULT;
	q.status = kxen_gnttab_target_status(hc->v->dom, q.dom);
	if (q.status == GNTST_okay) {
		spin_lock(&gt->lock);
		q.nr_frames = gt->nr_frames;
		q.max_nr_frames = gt->max_frames;
		spin_unlock(&gt->lock);
	}
	return kxen_gva_write(hc->v, hc->args[1], &q, sizeof(q)) ?
	       -XEN_EFAULT : 0;
}

/*
 * The frames' guest frame numbers go to frame_list (a translated guest
 * sees where it mapped each one, or ~0 for a frame it has not mapped).
 */
static s16 kxen_gnttab_list_frames(struct kxen_hcall *hc,
				   struct gnttab_setup_table *s)
{
	struct kxen_gnttab *gt = &to_xd(hc->v->dom)->gnttab;
	u64 list = (unsigned long)s->frame_list;
	s16 status = GNTST_okay;
	u32 i;
	int ret;

	spin_lock(&gt->lock);
	ret = kxen_gnttab_grow(gt, s->nr_frames);
	spin_unlock(&gt->lock);
	if (ret)
		return GNTST_general_error;
	for (i = 0; i < s->nr_frames; i++)
		if (kxen_hc_write_ulong(hc, list, i, READ_ONCE(gt->gfns[i])))
			status = GNTST_bad_virt_addr;
	return status;
}

static long kxen_gnttab_setup_table(struct kxen_hcall *hc, u32 count)
{
	struct kxen_gnttab *gt = &to_xd(hc->v->dom)->gnttab;
	struct gnttab_setup_table s;

	if (count != 1)
		return -XEN_EINVAL;
	if (kxen_hc_read_setup_table(hc, &s))
		return -XEN_EFAULT;
	s.status = kxen_gnttab_target_status(hc->v->dom, s.dom);
	if (s.status == GNTST_okay && s.nr_frames > gt->max_frames)
		s.status = GNTST_general_error;
	if (s.status == GNTST_okay)
		s.status = kxen_gnttab_list_frames(hc, &s);
	return kxen_gva_write(hc->v, hc->args[1] +
			      offsetof(struct gnttab_setup_table, status),
			      &s.status, sizeof(s.status)) ? -XEN_EFAULT : 0;
}

/*
 * Version 2 is refused as Xen refuses it to a domain created with
 * max_grant_version 1: -ENOSYS, "as before set_version was introduced".
 */
static long kxen_gnttab_set_version(struct kxen_hcall *hc)
{
	struct gnttab_set_version sv;
	long ret = 0;

	if (kxen_gva_read(hc->v, hc->args[1], &sv, sizeof(sv)))
		return -XEN_EFAULT;
	if (sv.version != 1 && sv.version != 2)
		ret = -XEN_EINVAL;
	else if (sv.version == 2)
		ret = -XEN_ENOSYS;
	sv.version = to_xd(hc->v->dom)->gnttab.version;
	if (kxen_gva_write(hc->v, hc->args[1], &sv, sizeof(sv)))
		return -XEN_EFAULT;
	return ret;
}

static long kxen_gnttab_get_version(struct kxen_hcall *hc)
{
	struct gnttab_get_version gv;
	int ret;

	if (kxen_gva_read(hc->v, hc->args[1], &gv, sizeof(gv)))
		return -XEN_EFAULT;
	ret = kxen_gnttab_target(hc->v->dom, gv.dom);
	if (ret)
		return ret;	/* -ESRCH, -EPERM: Xen's values too */
	gv.version = to_xd(hc->v->dom)->gnttab.version;
	return kxen_gva_write(hc->v, hc->args[1] +
			      offsetof(struct gnttab_get_version, version),
			      &gv.version, sizeof(gv.version)) ?
	       -XEN_EFAULT : 0;
}

long kxen_hc_grant_table_op(struct kxen_hcall *hc)
{
	u32 cmd = hc->args[0], count = hc->args[2];

	/* An HVM guest gets these only; cmd with opaque bits is unknown. */
	switch (cmd) {
	case GNTTABOP_query_size:
	case GNTTABOP_setup_table:
	case GNTTABOP_set_version:
	case GNTTABOP_get_version:
		break;
	default:
		/* map/unmap/copy/swap: the data path is not offered yet. */
		return -XEN_ENOSYS;
	}
	if ((int)count < 0)
		return -XEN_EINVAL;
	switch (cmd) {
	case GNTTABOP_query_size:
		return kxen_gnttab_query_size(hc, count);
	case GNTTABOP_setup_table:
		return kxen_gnttab_setup_table(hc, count);
	case GNTTABOP_set_version:
		return kxen_gnttab_set_version(hc);
	default:
		return kxen_gnttab_get_version(hc);
	}
}

bool kxen_gnttab_gfn_ok(struct kxen_domain *d, u64 gfn)
{
	u64 end = max_t(u64, d->mem.nr_pages, SZ_4G >> PAGE_SHIFT);

	return gfn < end + KXEN_GNTTAB_WINDOW_PAGES;
}

bool kxen_gnttab_frame_at(struct kxen_gnttab *gt, u64 gfn)
{
	u32 i;

	for (i = 0; i < gt->nr_frames; i++)
		if (gt->gfns[i] == gfn)
			return true;
	return false;
}

/*
 * Unmap a frame from where it was: past RAM the slot is ours; inside
 * RAM only while it is still a hole (the guest may have populated it
 * since, and that page is its RAM now).
 */
void kxen_gnttab_unmap_old(struct kxen_domain *d, u64 gfn)
{
	if (gfn < d->mem.nr_pages && READ_ONCE(d->mem.pfns[gfn]))
		return;
	kxen_arch->set_gfn(d, gfn, 0);
	kxen_arch->flush_gfns(d);
}

/*
 * Xen's xenmem_add_to_physmap_one() for a grant frame: the table grows
 * to cover @idx, RAM at @gfn is given up (Xen frees it), the frame
 * appears at @gfn and leaves its previous place.  Another frame mapped
 * at @gfn is unhooked.  The host page stays the table's until destroy.
 */
long kxen_gnttab_map_frame(struct kxen_domain *d, struct kxen_gnttab *gt,
			   u64 idx, u64 gfn)
{
	u32 i, frame = idx;	/* Xen takes the index as unsigned int */
	u64 old;
	int ret = 0;

	if (!kxen_arch->set_gfn || !kxen_gnttab_gfn_ok(d, gfn))
		return -XEN_EINVAL;
	spin_lock(&gt->lock);
	/* A table that cannot grow to @idx makes it invalid (Xen's check). */
	if (frame >= gt->max_frames || kxen_gnttab_grow(gt, frame + 1)) {
		ret = -EINVAL;
		goto out;
	}
	old = gt->gfns[frame];
	if (old == gfn)
		goto out;
	for (i = 0; i < gt->nr_frames; i++)
		if (gt->gfns[i] == gfn)
			gt->gfns[i] = KXEN_NO_GPA;
	if (kxen_physmap_pinned(to_xd(d), gfn))
		ret = -EBUSY;	/* as its owner, we cannot unhook it */
	else if (gfn < d->mem.nr_pages && READ_ONCE(d->mem.pfns[gfn]))
		ret = kxen_gmem_release(d, gfn);
	else
		kxen_gmem_pod_drop(&d->mem, gfn);
	if (!ret)
		ret = kxen_arch->set_gfn(d, gfn,
					 page_to_pfn(gt->frames[frame]));
	if (ret)
		goto out;
	gt->gfns[frame] = gfn;
	if (old != KXEN_NO_GPA)
		kxen_gnttab_unmap_old(d, old);
out:
	spin_unlock(&gt->lock);
	return ret == -ENOMEM ? -XEN_ENOMEM : ret == -EBUSY ? -XEN_EBUSY :
	       ret ? -XEN_EINVAL : 0;
}
