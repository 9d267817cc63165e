/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A domain's grant table (xen/interface/grant_table.h), version 1: the
 * shared frames the guest writes its grant entries into, and where in
 * its physical address space it placed each one.  The backends read the
 * entries from here when they map or copy grants.
 */
#ifndef KXEN_XEN_GRANT_TABLE_H
#define KXEN_XEN_GRANT_TABLE_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "gnttab_core.h"

/* Xen 4.17's default gnttab_max_frames (xen/common/grant_table.c). */
#define KXEN_GNTTAB_MAX_FRAMES	64

struct kxen_domain;

struct kxen_gnttab {
	spinlock_t lock;		/* everything below */
	u32 version;			/* always 1: v2 is not offered */
	u32 nr_frames;			/* frames allocated so far */
	u32 max_frames;			/* the domain's limit, fixed */
	struct page *frames[KXEN_GNTTAB_MAX_FRAMES];
	u64 gfns[KXEN_GNTTAB_MAX_FRAMES];	/* KXEN_NO_GPA: not mapped */
	/* What the host's backends hold of each entry, a page per frame. */
	struct kxen_gnt_active *active[KXEN_GNTTAB_MAX_FRAMES];
	u32 nr_maps;			/* pins held by backends */
};

int kxen_gnttab_init(struct kxen_gnttab *gt, u32 max_frames);
void kxen_gnttab_free(struct kxen_gnttab *gt);
/*
 * Where a page of the hypervisor's own may appear in the guest's physmap
 * (a grant frame, shared_info): RAM, or the window past it.
 */
bool kxen_gnttab_gfn_ok(struct kxen_domain *d, u64 gfn);
/* Such a page leaves @gfn: unmapped unless the guest's RAM is there now. */
void kxen_gnttab_unmap_old(struct kxen_domain *d, u64 gfn);
/* Is a grant frame mapped at @gfn?  Under the grant-table lock. */
bool kxen_gnttab_frame_at(struct kxen_gnttab *gt, u64 gfn);
/* XENMEM_add_to_physmap(XENMAPSPACE_grant_table): Xen errno result. */
long kxen_gnttab_map_frame(struct kxen_domain *d, struct kxen_gnttab *gt,
			   u64 idx, u64 gfn);

/*
 * The host's backends (domain 0) take a granted frame of domain @d: a
 * referenced page, the entry pinned (GTF_reading, and GTF_writing unless
 * @readonly) until kxen_gnttab_unmap().  Returns GNTST_okay or the
 * GNTST_* error to give the frontend.  The page stays valid whatever the
 * guest does meanwhile; the caller keeps a reference on @d until it has
 * unmapped, since the unmap writes the guest's entry.
 */
s16 kxen_gnttab_map(struct kxen_domain *d, grant_ref_t ref, bool readonly,
		    struct page **page);
void kxen_gnttab_unmap(struct kxen_domain *d, grant_ref_t ref, bool readonly,
		       struct page *page);
/* Pins held by the host's backends, for the tests' leak checks. */
u32 kxen_gnttab_nr_maps(struct kxen_domain *d);

#endif /* KXEN_XEN_GRANT_TABLE_H */
