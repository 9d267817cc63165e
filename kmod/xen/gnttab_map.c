// SPDX-License-Identifier: GPL-2.0
/*
 * Granted frames for the host's in-kernel backends (domain 0 under Xen):
 * the grant entry is pinned as Xen's map path pins it (gnttab_core.c)
 * and the frame's page is taken with a reference, so a backend's I/O to
 * it may sleep and outlive the guest's use of the frame (the lifetime
 * rule, kmod/core/gmem.c rule 4).  No host mapping is made: backends
 * reach the page directly (a bio_vec, a kmap), which is why a granted
 * frame costs no TLB work here.
 */
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/nospec.h>

#include "state.h"
#include "hcall.h"

/* The entry and its active record for @ref, or NULL (GNTST_bad_gntref). */
static struct grant_entry_v1 *
kxen_gnttab_entry(struct kxen_gnttab *gt, grant_ref_t ref,
		  struct kxen_gnt_active **act)
{
	u32 frame = ref / KXEN_GNT_PER_FRAME, idx = ref % KXEN_GNT_PER_FRAME;
	struct grant_entry_v1 *ents;

	if (frame >= gt->nr_frames)
		return NULL;
	frame = array_index_nospec(frame, gt->nr_frames);
	ents = page_address(gt->frames[frame]);
	*act = &gt->active[frame][idx];
	return &ents[idx];
}

s16 kxen_gnttab_map(struct kxen_domain *d, grant_ref_t ref, bool readonly,
		    struct page **page)
{
	struct kxen_gnttab *gt = &to_xd(d)->gnttab;
	struct kxen_gnt_active *act;
	struct grant_entry_v1 *e;
	struct page *pg;
	u32 gfn;
	s16 st;

	*page = NULL;
	spin_lock(&gt->lock);
	e = kxen_gnttab_entry(gt, ref, &act);
	if (!e) {
		st = GNTST_bad_gntref;
		goto out;
	}
	st = kxen_gnt_pin(e, act, 0, readonly, &gfn);
	if (st != GNTST_okay)
		goto out;
	/*
	 * Only the domain's RAM, and none of the frames the hypervisor
	 * serves from (shared_info, vcpu_info, rings, FIFO pages: pinned
	 * under this lock), which a guest may not hand to a backend.
	 */
	pg = kxen_physmap_pinned(to_xd(d), gfn) ? NULL :
	     kxen_gmem_get_page(d, gfn);
	if (!pg) {
		kxen_gnt_unpin(e, act, readonly);
		st = GNTST_general_error;
		goto out;
	}
	gt->nr_maps++;
	*page = pg;
out:
	spin_unlock(&gt->lock);
	return st;
}

void kxen_gnttab_unmap(struct kxen_domain *d, grant_ref_t ref, bool readonly,
		       struct page *page)
{
	struct kxen_gnttab *gt = &to_xd(d)->gnttab;
	struct kxen_gnt_active *act;
	struct grant_entry_v1 *e;

	spin_lock(&gt->lock);
	e = kxen_gnttab_entry(gt, ref, &act);
	if (!WARN_ON_ONCE(!e || !gt->nr_maps)) {
		kxen_gnt_unpin(e, act, readonly);
		gt->nr_maps--;
	}
	spin_unlock(&gt->lock);
	put_page(page);
}

u32 kxen_gnttab_nr_maps(struct kxen_domain *d)
{
	return READ_ONCE(to_xd(d)->gnttab.nr_maps);
}
