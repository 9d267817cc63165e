// SPDX-License-Identifier: GPL-2.0
/*
 * The second-level page table of a domain, for either vendor (hap.h):
 * guest RAM 0..size mapped at creation, 2 MiB leaves where the backing
 * chunk is contiguous; every other guest-physical address unmapped, so a
 * guest touching it takes an EPT violation or #NPF and is crashed.  Later
 * changes (balloon, grant frames) are single 4 KiB frames: a 2 MiB leaf
 * they hit is split first.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "kxen.h"
#include "hap.h"

#define KXEN_HAP_ENTRIES	512

static u64 *kxen_hap_alloc(struct kxen_hap *h, gfp_t gfp)
{
	u64 *t = kxen_fault_inject() ? NULL :
		 (u64 *)get_zeroed_page(gfp | __GFP_ACCOUNT);

	if (t) {
		h->nr_table_pages++;
		kxen_stats_pages(1);
	}
	return t;
}

/* An address as the hardware reads it (with the SME C-bit for NPT). */
static u64 kxen_hap_hw(const struct kxen_hap *h, u64 pa)
{
	return pa | h->fmt->enc;
}

static u64 *kxen_hap_table_va(const struct kxen_hap *h, u64 entry)
{
	return __va(entry & h->fmt->addr & ~h->fmt->enc);
}

static unsigned int kxen_hap_index(u64 gpa, int level)
{
	return (gpa >> (PAGE_SHIFT + 9 * (level - 1))) & (KXEN_HAP_ENTRIES - 1);
}

/* The table below @t[idx], created if needed. */
static u64 *kxen_hap_next(struct kxen_hap *h, u64 *t, unsigned int idx,
			  gfp_t gfp)
{
	u64 *next;

	if (t[idx])
		return kxen_hap_table_va(h, t[idx]);
	next = kxen_hap_alloc(h, gfp);
	if (!next)
		return NULL;
	t[idx] = kxen_hap_hw(h, __pa(next)) | h->fmt->table;
	return next;
}

static int kxen_hap_map(struct kxen_hap *h, u64 gpa, u64 hpa, bool large)
{
	int level, leaf = large ? 2 : 1;
	u64 *t = h->root;

	for (level = h->levels; level > leaf; level--) {
		t = kxen_hap_next(h, t, kxen_hap_index(gpa, level),
				  GFP_KERNEL);
		if (!t)
			return -ENOMEM;
	}
	t[kxen_hap_index(gpa, leaf)] = kxen_hap_hw(h, hpa) | h->fmt->leaf |
				       (large ? h->fmt->large : 0);
	return 0;
}

static int kxen_hap_map_ram(struct kxen_hap *h, struct kxen_domain *d)
{
	struct kxen_gmem *m = &d->mem;
	unsigned long gfn = 0;
	bool large;
	int ret;

	while (gfn < m->nr_pages) {
		/* No page yet (populate-on-demand): it faults in later. */
		if (!m->pfns[gfn]) {
			gfn++;
			continue;
		}
		large = !(gfn & 511) && test_bit(gfn >> 9, m->huge);
		ret = kxen_hap_map(h, (u64)gfn << PAGE_SHIFT,
				   (u64)m->pfns[gfn] << PAGE_SHIFT, large);
		if (ret)
			return ret;
		gfn += large ? 512 : 1;
	}
	return 0;
}

int kxen_hap_init(struct kxen_hap *h, const struct kxen_hap_fmt *fmt,
		  int levels, struct kxen_domain *d)
{
	h->fmt = fmt;
	h->levels = levels;
	spin_lock_init(&h->lock);
	h->root = kxen_hap_alloc(h, GFP_KERNEL);
	if (!h->root)
		return -ENOMEM;	/* kxen_hap_free() cleans up */
	return kxen_hap_map_ram(h, d);
}

u64 kxen_hap_root_pa(struct kxen_hap *h)
{
	return kxen_hap_hw(h, __pa(h->root));
}

/* Turn a 2 MiB leaf into a table of 512 4 KiB leaves, same mappings. */
static int kxen_hap_split(struct kxen_hap *h, u64 *pde)
{
	u64 base = (*pde & h->fmt->addr & ~h->fmt->enc) & ~(u64)(SZ_2M - 1);
	u64 *pt = kxen_hap_alloc(h, GFP_ATOMIC);
	int i;

	if (!pt)
		return -ENOMEM;
	for (i = 0; i < KXEN_HAP_ENTRIES; i++)
		pt[i] = kxen_hap_hw(h, base + i * PAGE_SIZE) | h->fmt->leaf;
	WRITE_ONCE(*pde, kxen_hap_hw(h, __pa(pt)) | h->fmt->table);
	return 0;
}

/*
 * Frames of guest RAM backed at creation have their upper tables from
 * then; others (populated on demand, or grant-table frames a guest
 * places in unpopulated space past RAM) get them here, up to what the
 * walk reaches.  Atomic allocations: the caller may be a vCPU's exit
 * path.
 */
int kxen_hap_set_gfn(struct kxen_hap *h, u64 gfn, unsigned long pfn)
{
	u64 gpa = gfn << PAGE_SHIFT, *t = h->root, *pde, *pt = NULL;
	int level, ret = 0;

	if (gfn >> (9 * h->levels))
		return -EINVAL;
	spin_lock(&h->lock);
	for (level = h->levels; t && level > 2; level--)
		t = kxen_hap_next(h, t, kxen_hap_index(gpa, level),
				  GFP_ATOMIC);
	pde = t ? &t[kxen_hap_index(gpa, 2)] : NULL;
	if (pde && (*pde & h->fmt->large))
		ret = kxen_hap_split(h, pde);
	if (pde && !ret)
		pt = kxen_hap_next(h, t, kxen_hap_index(gpa, 2), GFP_ATOMIC);
	if (pt)
		WRITE_ONCE(pt[kxen_hap_index(gpa, 1)],
			   pfn ? kxen_hap_hw(h, (u64)pfn << PAGE_SHIFT) |
				 h->fmt->leaf : 0);
	else if (!ret)
		ret = -ENOMEM;
	spin_unlock(&h->lock);
	return ret;
}

/*
 * Every vCPU flushes (INVEPT, or a new ASID) before it enters again, and
 * any vCPU in guest mode right now is made to exit first: translations
 * stay cached until flushed (SDM Vol. 3 29.4.3.1, APM Vol. 2 15.16).
 */
void kxen_hap_flush(struct kxen_hap *h, struct kxen_domain *d)
{
	WRITE_ONCE(h->gen, h->gen + 1);
	smp_mb();	/* the new generation before we look at guest_cpu */
	kxen_domain_sync_vcpus(d);
}

/* What kxen_hap_check() found, and where it is in the walk. */
struct kxen_hap_audit {
	struct kxen_hap *h;
	const struct kxen_gmem *m;
	unsigned long bad, freed;
};

/* One leaf covering @n frames from @gfn: does it map what pfns[] says? */
static void kxen_hap_audit_leaf(struct kxen_hap_audit *a, u64 gfn, u64 e,
				unsigned long n)
{
	u64 hpfn = (e & a->h->fmt->addr & ~a->h->fmt->enc) >> PAGE_SHIFT;
	unsigned long i, want;

	for (i = 0; i < n && gfn + i < a->m->nr_pages; i++) {
		want = READ_ONCE(a->m->pfns[gfn + i]);
		if (!want || want == hpfn + i)
			continue;	/* a hole may hold a grant frame */
		if (a->bad++ < 4)
			pr_warn(KXEN_PR_PREFIX " hap: gfn %llx maps pfn %llx (entry %llx), RAM is pfn %lx\n",
				gfn + i, hpfn + i, e, want);
	}
}

static void kxen_hap_audit_level(struct kxen_hap_audit *a, u64 *t,
				 int level, u64 gfn)
{
	unsigned long span = 1UL << (9 * (level - 1));
	struct page *pg = virt_to_page(t);
	int i;

	if (page_count(pg) < 1 && a->freed++ < 4)
		pr_warn(KXEN_PR_PREFIX " hap: table page pfn %lx (level %d, gfn %llx) is free\n",
			page_to_pfn(pg), level, gfn);
	for (i = 0; i < KXEN_HAP_ENTRIES; i++, gfn += span) {
		if (!t[i] || gfn >= a->m->nr_pages)
			continue;
		if (level == 1 || (t[i] & a->h->fmt->large))
			kxen_hap_audit_leaf(a, gfn, t[i], span);
		else
			kxen_hap_audit_level(a, kxen_hap_table_va(a->h, t[i]),
					     level - 1, gfn);
	}
}

/*
 * For a crash report: does the second-level table still map every frame
 * of guest RAM to the page pfns[] holds, from table pages that are still
 * allocated?  A guest that faults where the host's walk of its page
 * tables succeeds saw other memory than the host: this says whether the
 * table is where the two parted.  Reads only; the tables may be changing.
 */
void kxen_hap_check(struct kxen_hap *h, struct kxen_domain *d)
{
	struct kxen_hap_audit a = { .h = h, .m = &d->mem };

	if (!h->root)
		return;
	kxen_hap_audit_level(&a, h->root, h->levels, 0);
	pr_warn(KXEN_PR_PREFIX " hap: %lu of %lu frames mapped elsewhere, %lu table pages free, %lu table pages\n",
		a.bad, a.m->nr_pages, a.freed, h->nr_table_pages);
}

static void kxen_hap_free_level(struct kxen_hap *h, u64 *t, int level)
{
	int i;

	for (i = 0; level > 1 && i < KXEN_HAP_ENTRIES; i++)
		if (t[i] && !(t[i] & h->fmt->large))
			kxen_hap_free_level(h, kxen_hap_table_va(h, t[i]),
					    level - 1);
	free_page((unsigned long)t);
	h->nr_table_pages--;
	kxen_stats_pages(-1);
}

void kxen_hap_free(struct kxen_hap *h)
{
	if (h->root)
		kxen_hap_free_level(h, h->root, h->levels);
	h->root = NULL;
}
