// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM and the one accessor family through which the hypervisor
 * touches it.  Every access is bounds-checked and returns an error: no
 * handler dereferences a guest pointer.
 *
 * RAM is pinned host pages, in 2 MiB contiguous chunks where the allocator
 * can give them (so the second-level tables can use large pages), else
 * single 4 KiB pages.
 *
 * The lifetime rule for host accesses to guest memory
 * ----------------------------------------------------
 * A guest may give any frame back (XENMEM_decrease_reservation) or map a
 * grant frame over it (XENMEM_add_to_physmap) from one vCPU while the
 * host uses that frame's page on behalf of another vCPU, a timer or a
 * backend worker.  So:
 *
 * 1. A host access to guest RAM looks the frame up and uses the page
 *    inside one RCU read-side section: rcu_read_lock(), or a region with
 *    interrupts or preemption off (a spin_lock_irqsave of xd->lock, an
 *    hrtimer callback, the vendor loop before entry), which synchronize_rcu()
 *    waits for as well.  kxen_gpa_read/write and the guest page-table walk
 *    do this per page; whoever calls kxen_gpa_to_hva() keeps the pointer
 *    no longer than its own section.
 * 2. A frame the host serves from while it is registered (shared_info, a
 *    vcpu_info, the console and xenstore rings, FIFO control blocks and
 *    event array pages) is pinned: kxen_physmap_pinned() (kmod/xen/hvm.c)
 *    makes decrease_reservation and add_to_physmap over it fail with
 *    EBUSY, and registration looks the frame up under the grant-table
 *    lock that every physmap change holds.  Users of a pinned frame (the
 *    xenstore worker sleeps while it holds its ring) may keep the pointer
 *    for as long as the registration lasts; registrations end only when
 *    the domain dies, after those users have stopped.  Areas registered
 *    by linear address (runstate, vcpu_time) are not pinned: each update
 *    walks the guest's page tables again and copies under rule 1, and a
 *    copy that faults drops the area, as Xen does.
 * 3. kxen_gmem_release() unmaps the frame (pfns[] and the second-level
 *    tables), makes vCPUs in guest mode exit, and frees the page only
 *    after an RCU grace period (kxen_gmem_free_work), so every lookup
 *    that could still have found it has finished.  For many frames,
 *    kxen_gmem_unmap() each and one kxen_gmem_release_batch() after:
 *    one flush for all of them, outside the grant-table lock.
 *
 * 4. A host user that sleeps while it uses a page (a backend's disk or
 *    network I/O to a granted frame) holds a page reference instead:
 *    kxen_gmem_get_page(), put_page() when done.  Every page of guest
 *    RAM has its own reference count (2 MiB chunks are split when
 *    allocated), and every free is a put_page(), so the page outlives
 *    both the frame's release and the domain while it is held.
 *
 * RCU rather than a page reference per access: the accesses are short
 * and never sleep, and the hot ones (hypercall argument copies, event
 * words under xd->lock, hrtimer upcalls) take no atomic on a shared
 * line.  Only the rare balloon path pays, by waiting in a worker.  Debian's kernel has no
 * KASAN: the lab checks this with the live page/object counters and an
 * untainted kernel after hostile guests race balloon-out against these
 * users (selftests/kxen/guest_gmem_race.sh).
 */
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/bitmap.h>
#include <linux/rcupdate.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include "kxen.h"

#define KXEN_CHUNK_ORDER	9	/* 2 MiB */
#define KXEN_CHUNK_PAGES	BIT(KXEN_CHUNK_ORDER)
/*
 * Pages a balloon driver may touch before it gives them back: Linux's
 * takes a page of frame numbers (512) at a time; twice that.
 */
#define KXEN_POD_BATCH		1024UL

static void kxen_gmem_free_chunk(struct kxen_gmem *m, unsigned long c)
{
	unsigned long first = c * KXEN_CHUNK_PAGES, i, n;

	/* Every page its own: a backend may still hold a reference. */
	n = min(KXEN_CHUNK_PAGES, m->nr_pages - first);
	for (i = first; i < first + n; i++) {
		if (!m->pfns[i])
			continue;
		put_page(pfn_to_page(m->pfns[i]));
		kxen_stats_pages(-1);
	}
}

static int kxen_gmem_alloc_small(struct kxen_gmem *m, unsigned long first,
				 unsigned long n)
{
	struct page *pg;
	unsigned long i;

	for (i = first; i < first + n; i++) {
		pg = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!pg)
			return -ENOMEM;
		m->pfns[i] = page_to_pfn(pg);
		kxen_stats_pages(1);
	}
	return 0;
}

static int kxen_gmem_alloc_chunk(struct kxen_gmem *m, unsigned long c)
{
	unsigned long first = c * KXEN_CHUNK_PAGES, i, pfn;
	unsigned long n = min(KXEN_CHUNK_PAGES, m->nr_pages - first);
	struct page *pg = NULL;

	/* One injection point a chunk, however it ends up allocated. */
	if (kxen_fault_inject())
		return -ENOMEM;
	if (n == KXEN_CHUNK_PAGES)
		pg = alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO |
				 __GFP_NOWARN | __GFP_NORETRY,
				 KXEN_CHUNK_ORDER);
	if (!pg)
		return kxen_gmem_alloc_small(m, first, n);
	/*
	 * Split at once: each page gets its own reference count, so a
	 * backend can hold any frame of the chunk (kxen_gmem_get_page) past
	 * the frame's release.  The chunk stays physically contiguous, which
	 * is all the second-level tables' 2 MiB entries need.
	 */
	split_page(pg, KXEN_CHUNK_ORDER);
	pfn = page_to_pfn(pg);
	for (i = 0; i < KXEN_CHUNK_PAGES; i++)
		m->pfns[first + i] = pfn + i;
	__set_bit(c, m->huge);
	kxen_stats_pages(KXEN_CHUNK_PAGES);
	return 0;
}

/* Free single pages taken off a list of the domain's. */
static void kxen_gmem_free_list(struct list_head *list)
{
	struct page *pg, *tmp;

	list_for_each_entry_safe(pg, tmp, list, lru) {
		list_del(&pg->lru);
		put_page(pg);
		kxen_stats_pages(-1);
	}
}

/*
 * Pages given back by the guest, once no lookup that began before they
 * were unmapped can still use them (rule 3 above); while a tool has guest
 * RAM mapped they wait on @deferred until that mapping is gone.
 */
static void kxen_gmem_free_released(struct kxen_gmem *m)
{
	LIST_HEAD(list);

	spin_lock(&m->lock);
	list_splice_init(&m->released, &list);
	spin_unlock(&m->lock);
	if (list_empty(&list))
		return;
	synchronize_rcu();
	spin_lock(&m->lock);
	if (atomic_read(&m->user_maps))
		list_splice_init(&list, &m->deferred);
	spin_unlock(&m->lock);
	kxen_gmem_free_list(&list);
}

static void kxen_gmem_free_work(struct work_struct *work)
{
	kxen_gmem_free_released(container_of(work, struct kxen_gmem,
					     free_work));
}

/*
 * Populate-on-demand, as Xen's PoD for an HVM guest whose maximum is
 * below its RAM (libxl's target_memkb < max_memkb): the guest sees all of
 * its RAM in its memory map, no frame has a page yet, and each gets one
 * when first touched (by a vCPU, the host on its behalf, or the
 * toolstack's mapping), while the domain holds less than its maximum.
 * Its balloon driver gives back what it may not keep at boot; a frame
 * given back leaves the set.  Xen keeps a cache of pages reserved up
 * front; kxen allocates at the touch, so the host holds only what the
 * guest used, and the second-level tables map these frames 4 KiB each.
 */
static int kxen_gmem_alloc_pod(struct kxen_gmem *m, unsigned long max_pages)
{
	if (!kxen_arch->set_gfn)
		return -EOPNOTSUPP;
	if (!kxen_fault_inject())
		m->pod = bitmap_zalloc(m->nr_pages, GFP_KERNEL);
	if (!m->pod)
		return -ENOMEM;
	bitmap_set(m->pod, 0, m->nr_pages);
	m->nr_pod = m->nr_pages;
	m->nr_absent = m->nr_pages;
	m->max_pages = max_pages;
	return 0;
}

/*
 * @size bytes of RAM from GPA 0; @max_size, when below it, the most the
 * domain may hold: frames then get pages on first touch (above).
 */
int kxen_gmem_alloc(struct kxen_gmem *m, u64 size, u64 max_size)
{
	unsigned long c;
	int ret;

	spin_lock_init(&m->lock);
	INIT_LIST_HEAD(&m->deferred);
	INIT_LIST_HEAD(&m->released);
	INIT_WORK(&m->free_work, kxen_gmem_free_work);
	INIT_LIST_HEAD(&m->extra);
	atomic_set(&m->user_maps, 0);
	if (!size || size & ~PAGE_MASK || max_size & ~PAGE_MASK)
		return -EINVAL;
	m->nr_pages = size >> PAGE_SHIFT;
	m->max_pages = m->nr_pages;
	m->nr_chunks = DIV_ROUND_UP(m->nr_pages, KXEN_CHUNK_PAGES);
	if (!kxen_fault_inject())
		m->pfns = vzalloc(array_size(m->nr_pages, sizeof(*m->pfns)));
	if (!kxen_fault_inject())
		m->huge = bitmap_zalloc(m->nr_chunks, GFP_KERNEL);
	if (!m->pfns || !m->huge)
		return -ENOMEM;	/* the caller frees what was allocated */
	m->size = size;
	if (max_size && max_size < size)
		return kxen_gmem_alloc_pod(m, max_size >> PAGE_SHIFT);
	for (c = 0; c < m->nr_chunks; c++) {
		ret = kxen_gmem_alloc_chunk(m, c);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static void kxen_gmem_free_deferred(struct kxen_gmem *m)
{
	LIST_HEAD(list);

	spin_lock(&m->lock);
	list_splice_init(&m->deferred, &list);
	spin_unlock(&m->lock);
	kxen_gmem_free_list(&list);
}

static void kxen_gmem_free_extra(struct kxen_gmem *m)
{
	struct page *pg, *tmp;

	list_for_each_entry_safe(pg, tmp, &m->extra, lru) {
		list_del(&pg->lru);
		kxen_stats_pages(-(1L << page_private(pg)));
		__free_pages(pg, page_private(pg));
	}
}

void kxen_gmem_free(struct kxen_gmem *m)
{
	unsigned long c;

	if (m->pfns) {
		cancel_work_sync(&m->free_work);
		kxen_gmem_free_released(m);
		kxen_gmem_free_deferred(m);
		kxen_gmem_free_extra(m);
	}
	/*
	 * Tens of thousands of pages for a guest of a few hundred MiB: a
	 * chance to reschedule after each 2 MiB, or a slow host sees a soft
	 * lockup (the destroy runs in the toolstack's netlink request).
	 */
	if (m->pfns && m->huge)
		for (c = 0; c < m->nr_chunks; c++) {
			kxen_gmem_free_chunk(m, c);
			cond_resched();
		}
	vfree(m->pfns);
	bitmap_free(m->huge);
	bitmap_free(m->pod);
	memset(m, 0, sizeof(*m));
}

/*
 * The guest gives a frame back (XENMEM_decrease_reservation): unmap it
 * and put its page on @batch.  The caller holds the grant-table lock and
 * has checked that the frame is not pinned; after dropping the lock it
 * hands @batch to kxen_gmem_release_batch(), which makes sure no vCPU
 * still translates to those pages and frees them after an RCU grace
 * period (the rule above).  One flush covers the whole batch.
 */
int kxen_gmem_unmap(struct kxen_domain *d, u64 gfn, struct list_head *batch)
{
	struct kxen_gmem *m = &d->mem;
	unsigned long pfn, c = gfn / KXEN_CHUNK_PAGES;
	int ret;

	if (gfn >= m->nr_pages)
		return -EINVAL;
	spin_lock(&m->lock);
	pfn = m->pfns[gfn];
	if (!pfn) {
		/* Never touched: it leaves the set, with nothing to free. */
		ret = m->pod && __test_and_clear_bit(gfn, m->pod) ? 0 : -ENOENT;
		if (!ret)
			m->nr_pod--;
		spin_unlock(&m->lock);
		return ret;
	}
	ret = kxen_arch->set_gfn(d, gfn, 0);
	if (ret) {
		spin_unlock(&m->lock);
		return ret;
	}
	/* The 2 MiB block is no longer whole (its pages are split already). */
	clear_bit(c, m->huge);
	WRITE_ONCE(m->pfns[gfn], 0);
	m->nr_absent++;
	if (kxen_gmem_current(m) <= m->max_pages)
		m->pod_keep = 0;	/* back within its maximum */
	spin_unlock(&m->lock);
	list_add_tail(&pfn_to_page(pfn)->lru, batch);
	return 0;
}

/*
 * Pages kxen_gmem_unmap() took out: one flush (vCPUs in guest mode exit,
 * every vCPU drops its cached translations before it enters again), then
 * freed by the worker after an RCU grace period.  No lock held: the
 * flush waits for other CPUs.
 */
void kxen_gmem_release_batch(struct kxen_domain *d, struct list_head *batch)
{
	struct kxen_gmem *m = &d->mem;

	if (list_empty(batch))
		return;
	kxen_arch->flush_gfns(d);
	spin_lock(&m->lock);
	list_splice_tail_init(batch, &m->released);
	spin_unlock(&m->lock);
	schedule_work(&m->free_work);
}

/* One frame given back: kxen_gmem_unmap() and its batch of one. */
int kxen_gmem_release(struct kxen_domain *d, u64 gfn)
{
	LIST_HEAD(batch);
	int ret;

	ret = kxen_gmem_unmap(d, gfn, &batch);
	kxen_gmem_release_batch(d, &batch);
	return ret;
}

/* Pages the domain holds: its backed frames and its frameless ones. */
unsigned long kxen_gmem_current(struct kxen_gmem *m)
{
	return m->nr_pages - READ_ONCE(m->nr_absent) + READ_ONCE(m->nr_extra);
}

/*
 * What the domain is reported to hold (Xen's tot_pages, which counts the
 * PoD cache): its pages, plus the untouched frames it may still fill up
 * to its maximum.
 */
unsigned long kxen_gmem_entitled(struct kxen_gmem *m)
{
	unsigned long cur = kxen_gmem_current(m);
	unsigned long max = READ_ONCE(m->max_pages);

	if (!m->pod || cur >= max)
		return cur;
	return cur + min(READ_ONCE(m->nr_pod), max - cur);
}

/*
 * XEN_DOMCTL_max_mem: as Xen (xen/common/domctl.c), a maximum below what
 * the domain holds is taken; it then gets nothing more until it has
 * given enough back.  Frames past its RAM are never backed, whatever the
 * maximum: kxen has no memory hot-add.
 */
void kxen_gmem_set_max(struct kxen_gmem *m, unsigned long pages)
{
	unsigned long cur;

	spin_lock(&m->lock);
	cur = kxen_gmem_current(m);
	/*
	 * Populate-on-demand below what it holds: until it has given that
	 * back, first touches may still take pages while it holds no more
	 * than now.  Its balloon driver touches what it allocates (Linux
	 * zeroes it) before giving it back, a batch at a time; Xen lets its
	 * PoD sweep reclaim zeroed pages for those.
	 */
	if (m->pod && pages < cur)
		m->pod_keep = max(m->pod_keep, cur + KXEN_POD_BATCH);
	WRITE_ONCE(m->max_pages, pages);
	spin_unlock(&m->lock);
}

/*
 * Would @n more pages overfill the reservation?  Frames given back bound
 * what may come back (frameless pages count too), and the maximum
 * (XEN_DOMCTL_max_mem) bounds what the domain holds.  Read once without
 * the lock for the early refusal, again under it before committing.
 */
static bool kxen_gmem_full(struct kxen_gmem *m, unsigned long n)
{
	return READ_ONCE(m->nr_extra) + n > READ_ONCE(m->nr_absent) ||
	       kxen_gmem_current(m) + n > READ_ONCE(m->max_pages);
}

/* The same for a first touch: it may use what set_max left it. */
static bool kxen_gmem_pod_full(struct kxen_gmem *m)
{
	unsigned long limit = max(READ_ONCE(m->max_pages),
				  READ_ONCE(m->pod_keep));

	return kxen_gmem_current(m) + 1 > limit;
}

/*
 * XENMEM_increase_reservation of a translated guest: as Xen, allocate
 * pages the domain holds (they count in its reservation, up to the
 * maximum) but no guest frame maps; they go back when it is destroyed.
 * -ENOSPC at the maximum, -ENOMEM without memory.
 */
int kxen_gmem_reserve(struct kxen_domain *d, unsigned int order)
{
	struct kxen_gmem *m = &d->mem;
	unsigned long n = 1UL << order;
	struct page *pg;
	int ret = 0;

	if (kxen_gmem_full(m, n))
		return -ENOSPC;
	pg = alloc_pages(GFP_ATOMIC | __GFP_ACCOUNT | __GFP_NOWARN, order);
	if (!pg)
		return -ENOMEM;
	set_page_private(pg, order);
	spin_lock(&m->lock);
	if (kxen_gmem_full(m, n)) {
		ret = -ENOSPC;
	} else {
		list_add(&pg->lru, &m->extra);
		m->nr_extra += n;
	}
	spin_unlock(&m->lock);
	if (ret)
		__free_pages(pg, order);
	else
		kxen_stats_pages(n);
	return ret;
}

/*
 * Back frame @gfn with a fresh zeroed page: any absent frame
 * (XENMEM_populate_physmap), or with @pod_only only one awaiting its
 * first touch.  -ENOENT for a frame that is neither.
 */
static int kxen_gmem_fill(struct kxen_domain *d, u64 gfn, bool pod_only)
{
	struct kxen_gmem *m = &d->mem;
	struct page *pg;
	int ret;

	if (gfn >= m->nr_pages)
		return -EINVAL;
	if (READ_ONCE(m->pfns[gfn]))
		return 0;	/* already backed: nothing to do */
	if (pod_only && !(m->pod && test_bit(gfn, m->pod)))
		return -ENOENT;
	/* Frameless pages fill the reservation too (Xen's max_pages). */
	if (pod_only ? kxen_gmem_pod_full(m) : kxen_gmem_full(m, 1))
		return -ENOSPC;
	pg = alloc_page(GFP_ATOMIC | __GFP_ZERO | __GFP_ACCOUNT);
	if (!pg)
		return -ENOMEM;
	spin_lock(&m->lock);
	if (m->pfns[gfn])
		ret = 0;
	else if (pod_only && !test_bit(gfn, m->pod))
		ret = -ENOENT;
	else if (pod_only ? kxen_gmem_pod_full(m) : kxen_gmem_full(m, 1))
		ret = -ENOSPC;
	else
		ret = kxen_arch->set_gfn(d, gfn, page_to_pfn(pg));
	if (!ret && !m->pfns[gfn]) {
		/* Zeroed before lockless lookups can find it. */
		smp_store_release(&m->pfns[gfn], page_to_pfn(pg));
		m->nr_absent--;
		if (m->pod && __test_and_clear_bit(gfn, m->pod))
			m->nr_pod--;
		pg = NULL;
	}
	spin_unlock(&m->lock);
	if (pg)
		__free_page(pg);
	else
		kxen_stats_pages(1);
	return ret;
}

/* XENMEM_populate_physmap: a fresh zeroed page for an absent frame. */
int kxen_gmem_populate(struct kxen_domain *d, u64 gfn)
{
	return kxen_gmem_fill(d, gfn, false);
}

/*
 * A vCPU touched @gpa and it has no page.  A frame awaiting its first
 * touch gets one and the access runs again; at the maximum (the guest
 * touched memory its balloon driver should have given back) or without
 * host memory the domain is crashed, as Xen's PoD does when its cache
 * and sweep find nothing.  -ENOENT for any other frame: not ours.
 */
int kxen_gmem_pod_fault(struct kxen_vcpu *v, u64 gpa)
{
	struct kxen_domain *d = v->dom;
	struct kxen_gmem *m = &d->mem;
	u64 gfn = gpa >> PAGE_SHIFT;
	const char *why;
	int ret;

	if (!m->pod || gfn >= m->nr_pages || !test_bit(gfn, m->pod))
		return -ENOENT;
	ret = kxen_gmem_fill(d, gfn, true);
	if (ret == -ENOENT)
		return ret;	/* given back meanwhile */
	if (!ret)
		return KXEN_EXIT_CONTINUE;
	why = ret == -ENOSPC ? "at its maximum" : "no host memory";
	kxen_domain_crash(d, "vCPU%u: PoD fill of GPA 0x%llx: %s (holds %lu KiB of %lu)",
			  v->id, gpa, why,
			  kxen_gmem_current(m) << (PAGE_SHIFT - 10),
			  READ_ONCE(m->max_pages) << (PAGE_SHIFT - 10));
	return KXEN_EXIT_CONTINUE;
}

/* The toolstack's mapping touched frame @gfn (the image builder). */
int kxen_gmem_fill_user(struct kxen_domain *d, u64 gfn)
{
	return kxen_gmem_fill(d, gfn, true);
}

/* A grant frame now sits at @gfn: it awaits no touch any more. */
void kxen_gmem_pod_drop(struct kxen_gmem *m, u64 gfn)
{
	if (!m->pod || gfn >= m->nr_pages)
		return;
	spin_lock(&m->lock);
	if (!m->pfns[gfn] && __test_and_clear_bit(gfn, m->pod))
		m->nr_pod--;
	spin_unlock(&m->lock);
}

void kxen_gmem_unmapped(struct kxen_domain *d)
{
	kxen_gmem_free_deferred(&d->mem);
}

/*
 * The host page backing frame @gfn, or NULL (outside RAM, ballooned out).
 * pfns[] is read once: a release may clear it at any time, and the page
 * stays valid only until the caller's RCU read-side section ends.
 */
static struct page *kxen_gmem_page(struct kxen_gmem *m, u64 gfn)
{
	unsigned long pfn;

	if (gfn >= m->nr_pages)
		return NULL;
	pfn = READ_ONCE(m->pfns[gfn]);
	return pfn ? pfn_to_page(pfn) : NULL;
}

/*
 * As kxen_gmem_page(), but a frame awaiting its first touch is backed now
 * when the caller runs in task context (a hypercall, a backend worker),
 * as Xen populates a PoD frame its copies reach.  An hrtimer's update
 * finds no page, as for a frame given back.
 */
static struct page *kxen_gmem_page_fill(struct kxen_domain *d, u64 gfn)
{
	struct page *pg = kxen_gmem_page(&d->mem, gfn);

	if (pg || !d->mem.pod || !in_task() ||
	    kxen_gmem_fill(d, gfn, true))
		return pg;
	return kxen_gmem_page(&d->mem, gfn);
}

/*
 * A reference on the page backing frame @gfn, for a host user that
 * sleeps while it uses the page (a backend's I/O): the page outlives the
 * frame's release and the domain until put_page().  NULL outside RAM or
 * for a frame given back.  The lookup runs under RCU, so the page
 * cannot reach its free before get_page() (rule 3 above).
 */
struct page *kxen_gmem_get_page(struct kxen_domain *d, u64 gfn)
{
	struct page *pg;

	rcu_read_lock();
	pg = kxen_gmem_page_fill(d, gfn);
	if (pg)
		get_page(pg);
	rcu_read_unlock();
	return pg;
}

/* Copy to or from guest RAM one page at a time; -EFAULT past its end. */
static int kxen_gpa_copy(struct kxen_domain *d, u64 gpa, void *buf,
			 size_t len, bool write)
{
	struct kxen_gmem *m = &d->mem;
	struct page *pg;
	size_t off, n;
	void *va;

	if (gpa >= m->size || len > m->size - gpa)
		return -EFAULT;
	while (len) {
		off = offset_in_page(gpa);
		n = min_t(size_t, len, PAGE_SIZE - off);
		rcu_read_lock();
		pg = kxen_gmem_page_fill(d, gpa >> PAGE_SHIFT);
		if (!pg) {
			rcu_read_unlock();
			return -EFAULT;		/* ballooned out */
		}
		va = page_address(pg) + off;
		if (write)
			memcpy(va, buf, n);
		else
			memcpy(buf, va, n);
		rcu_read_unlock();
		gpa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * The host mapping of the guest page holding @gpa, for structures the
 * hypervisor shares with the guest; NULL outside RAM or for a frame
 * given back.  Valid inside the caller's RCU read-side section, or for
 * as long as the frame is pinned (kxen_physmap_pinned), not longer.
 */
void *kxen_gpa_to_hva(struct kxen_domain *d, u64 gpa)
{
	struct page *pg = kxen_gmem_page_fill(d, gpa >> PAGE_SHIFT);

	return pg ? page_address(pg) + offset_in_page(gpa) : NULL;
}

int kxen_gpa_read(struct kxen_domain *d, u64 gpa, void *buf, size_t len)
{
	return kxen_gpa_copy(d, gpa, buf, len, false);
}

int kxen_gpa_write(struct kxen_domain *d, u64 gpa, const void *buf,
		   size_t len)
{
	return kxen_gpa_copy(d, gpa, (void *)buf, len, true);
}

#define KXEN_PTE_P	BIT_ULL(0)
#define KXEN_PTE_PS	BIT_ULL(7)
#define KXEN_PTE_ADDR	GENMASK_ULL(51, 12)

/*
 * Walk the guest's page tables (SDM Vol. 3 4.3-4.5) to translate a linear
 * address.  Hypercall arguments of HVM/PVH guests are linear addresses.
 */
static int kxen_gva_to_gpa(struct kxen_vcpu *v, u64 gva, u64 *gpa)
{
	const struct kxen_vcpu_state *st = &v->st;
	int levels, shift, idx_bits;
	u64 table, pte;
	u32 pte32;

	if (!(st->cr0 & X86_CR0_PG)) {
		*gpa = gva & (st->long_mode ? ~0ULL : 0xffffffffULL);
		return 0;
	}
	if (st->efer & EFER_LMA) {
		levels = 4;
		idx_bits = 9;
		/* Non-canonical addresses fault, as they would in the guest. */
		if ((u64)((s64)(gva << 16) >> 16) != gva)
			return -EFAULT;
		table = st->cr3 & KXEN_PTE_ADDR;
	} else if (st->cr4 & X86_CR4_PAE) {
		gva &= 0xffffffffULL;
		if (kxen_gpa_read(v->dom, (st->cr3 & ~0x1fULL) +
				  ((gva >> 30) & 3) * 8, &pte, 8) ||
		    !(pte & KXEN_PTE_P))
			return -EFAULT;
		table = pte & KXEN_PTE_ADDR;
		levels = 2;
		idx_bits = 9;
	} else {
		/* 32-bit paging: 4-byte entries, 4 MiB pages with PSE. */
		gva &= 0xffffffffULL;
		table = st->cr3 & 0xfffff000ULL;
		for (shift = 22; shift >= 12; shift -= 10) {
			if (kxen_gpa_read(v->dom, table +
					  ((gva >> shift) & 0x3ff) * 4,
					  &pte32, 4) || !(pte32 & KXEN_PTE_P))
				return -EFAULT;
			if (shift == 22 && (pte32 & KXEN_PTE_PS) &&
			    (st->cr4 & X86_CR4_PSE)) {
				*gpa = (pte32 & 0xffc00000) | (gva & 0x3fffff);
				return 0;
			}
			table = pte32 & 0xfffff000;
		}
		*gpa = table | (gva & 0xfff);
		return 0;
	}
	for (shift = 12 + idx_bits * (levels - 1); shift >= 12;
	     shift -= idx_bits) {
		if (kxen_gpa_read(v->dom, table + ((gva >> shift) & 511) * 8,
				  &pte, 8) || !(pte & KXEN_PTE_P))
			return -EFAULT;
		table = pte & KXEN_PTE_ADDR;
		if (shift > 12 && (pte & KXEN_PTE_PS)) {
			if (shift > 30)
				return -EFAULT;	/* PS is reserved in PML4 */
			table &= ~((1ULL << shift) - 1);
			*gpa = table | (gva & ((1ULL << shift) - 1));
			return 0;
		}
	}
	*gpa = table | (gva & 0xfff);
	return 0;
}

/*
 * For a crash report: the guest's 4-level walk of @gva as the host reads
 * it, each entry with the host frame of the table it came from.  A walk
 * that succeeds here while the guest faulted on it says the guest's view
 * of its memory differed from the host's at the time.
 */
void kxen_gva_dump_walk(struct kxen_vcpu *v, const char *what, u64 gva)
{
	const struct kxen_vcpu_state *st = &v->st;
	u64 table = st->cr3 & KXEN_PTE_ADDR, pte = 0;
	struct kxen_gmem *m = &v->dom->mem;
	unsigned long pfn;
	char buf[192];
	int shift, n = 0;

	if (!(st->efer & EFER_LMA) || !(st->cr0 & X86_CR0_PG))
		return;
	for (shift = 39; shift >= 12; shift -= 9) {
		pfn = (table >> PAGE_SHIFT) < m->nr_pages ?
		      READ_ONCE(m->pfns[table >> PAGE_SHIFT]) : 0;
		if (kxen_gpa_read(v->dom, table + ((gva >> shift) & 511) * 8,
				  &pte, 8)) {
			n += scnprintf(buf + n, sizeof(buf) - n,
				       " [%llx: no RAM]", table);
			break;
		}
		n += scnprintf(buf + n, sizeof(buf) - n, " %llx@%lx", pte, pfn);
		if (!(pte & KXEN_PTE_P) || (shift > 12 && (pte & KXEN_PTE_PS)))
			break;
		table = pte & KXEN_PTE_ADDR;
	}
	pr_warn(KXEN_PR_PREFIX " walk %s %016llx:%s\n", what, gva, buf);
}

static int kxen_gva_copy(struct kxen_vcpu *v, u64 gva, void *buf,
			 size_t len, bool write)
{
	size_t n;
	u64 gpa;
	int ret;

	while (len) {
		n = min_t(size_t, len, PAGE_SIZE - offset_in_page(gva));
		ret = kxen_gva_to_gpa(v, gva, &gpa);
		if (!ret)
			ret = kxen_gpa_copy(v->dom, gpa, buf, n, write);
		if (ret)
			return ret;
		gva += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int kxen_gva_read(struct kxen_vcpu *v, u64 gva, void *buf, size_t len)
{
	return kxen_gva_copy(v, gva, buf, len, false);
}

int kxen_gva_write(struct kxen_vcpu *v, u64 gva, const void *buf,
		   size_t len)
{
	return kxen_gva_copy(v, gva, (void *)buf, len, true);
}
