// SPDX-License-Identifier: GPL-2.0
/*
 * Nested paging (AMD APM Vol. 2 15.25): a long-mode page table, walked
 * with the host's paging rules (4 or 5 levels), mapping guest RAM
 * 0..size with 2 MiB leaves where the backing chunk is contiguous.
 * Nested accesses count as user accesses (15.25.5), so every entry
 * carries U/S.  The memory type comes from the host PAT entry 0 (WB)
 * combined with the guest's own PAT.  Every other GPA is unmapped, so a
 * guest touching it takes a #NPF and is crashed; the host is unaffected.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <asm/pgtable_types.h>
#include <asm/tlbflush.h>

#include "svm.h"

#define KXEN_NPT_RWU	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define KXEN_NPT_ADDR	GENMASK_ULL(51, 12)

static u64 *kxen_npt_alloc_table(struct kxen_svm_domain *sd, gfp_t gfp)
{
	u64 *t = (u64 *)get_zeroed_page(gfp);

	if (t) {
		sd->nr_table_pages++;
		kxen_stats_pages(1);
	}
	return t;
}

static u64 *kxen_npt_table_va(u64 entry)
{
	return __va(__sme_clr(entry & KXEN_NPT_ADDR));
}

/* Return the table below @t[idx], creating it if needed. */
static u64 *kxen_npt_next(struct kxen_svm_domain *sd, u64 *t, int idx,
			  gfp_t gfp)
{
	u64 *next;

	if (t[idx])
		return kxen_npt_table_va(t[idx]);
	next = kxen_npt_alloc_table(sd, gfp | __GFP_ACCOUNT);
	if (!next)
		return NULL;
	t[idx] = __sme_pa(next) | KXEN_NPT_RWU;
	return next;
}

static unsigned int kxen_npt_index(u64 gpa, int level)
{
	return (gpa >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

static int kxen_npt_map(struct kxen_svm_domain *sd, u64 gpa, u64 hpa,
			bool large)
{
	int level, leaf = large ? 2 : 1;
	u64 *t = sd->root;

	for (level = sd->levels; level > leaf; level--) {
		t = kxen_npt_next(sd, t, kxen_npt_index(gpa, level),
				  GFP_KERNEL);
		if (!t)
			return -ENOMEM;
	}
	t[kxen_npt_index(gpa, leaf)] = __sme_set(hpa) | KXEN_NPT_RWU |
				       (large ? _PAGE_PSE : 0);
	return 0;
}

/* Turn a 2 MiB leaf into a table of 512 4 KiB leaves, same mappings. */
static int kxen_npt_split(struct kxen_svm_domain *sd, u64 *pde)
{
	u64 base = *pde & KXEN_NPT_ADDR & ~(u64)(SZ_2M - 1);
	u64 *pt = kxen_npt_alloc_table(sd, GFP_ATOMIC | __GFP_ACCOUNT);
	int i;

	if (!pt)
		return -ENOMEM;
	for (i = 0; i < 512; i++)
		pt[i] = (base + i * PAGE_SIZE) | KXEN_NPT_RWU;
	WRITE_ONCE(*pde, __sme_pa(pt) | KXEN_NPT_RWU);
	return 0;
}

/*
 * Balloon and grant-frame changes (preemption may be off): map @gfn to
 * @pfn, or unmap it.  Frames inside guest RAM have their upper tables
 * from creation; frames past it (grant-table frames the guest places in
 * unpopulated space) get them here, up to what the walk reaches.
 */
int kxen_npt_set_gfn(struct kxen_domain *d, u64 gfn, unsigned long pfn)
{
	struct kxen_svm_domain *sd = to_svm_dom(d);
	u64 gpa = gfn << PAGE_SHIFT, *t = sd->root, *pde, *pt = NULL;
	int level, ret = 0;

	if (gfn >> (9 * sd->levels))
		return -EINVAL;
	spin_lock(&sd->lock);
	for (level = sd->levels; t && level > 2; level--)
		t = kxen_npt_next(sd, t, kxen_npt_index(gpa, level),
				  GFP_ATOMIC);
	pde = t ? &t[kxen_npt_index(gpa, 2)] : NULL;
	if (pde && (*pde & _PAGE_PSE))
		ret = kxen_npt_split(sd, pde);
	if (pde && !ret)
		pt = kxen_npt_next(sd, t, kxen_npt_index(gpa, 2), GFP_ATOMIC);
	if (pt)
		WRITE_ONCE(pt[kxen_npt_index(gpa, 1)],
			   pfn ? __sme_set((u64)pfn << PAGE_SHIFT) |
			   KXEN_NPT_RWU : 0);
	else if (!ret)
		ret = -ENOMEM;
	spin_unlock(&sd->lock);
	return ret;
}

/*
 * After an unmap: every vCPU flushes its ASID before it enters again
 * (run.c), and any vCPU in guest mode right now is made to exit first
 * (APM Vol. 2 15.16: nested translations stay cached until flushed).
 */
void kxen_npt_flush(struct kxen_domain *d)
{
	struct kxen_svm_domain *sd = to_svm_dom(d);

	WRITE_ONCE(sd->gen, sd->gen + 1);
	smp_mb();	/* the new generation before we look at guest_cpu */
	kxen_domain_sync_vcpus(d);
}

static int kxen_npt_map_ram(struct kxen_domain *d)
{
	struct kxen_svm_domain *sd = to_svm_dom(d);
	struct kxen_gmem *m = &d->mem;
	unsigned long gfn = 0;
	bool large;
	int ret;

	while (gfn < m->nr_pages) {
		large = !(gfn & 511) && test_bit(gfn >> 9, m->huge);
		ret = kxen_npt_map(sd, (u64)gfn << PAGE_SHIFT,
				   (u64)m->pfns[gfn] << PAGE_SHIFT, large);
		if (ret)
			return ret;
		gfn += large ? 512 : 1;
	}
	return 0;
}

int kxen_npt_init(struct kxen_domain *d)
{
	struct kxen_svm_domain *sd;

	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	d->arch = sd;
	kxen_stats_objects(1);
	/*
	 * The nested table has the host's paging mode (APM 15.25.3): five
	 * levels when the host runs with CR4.LA57.
	 */
	sd->levels = cr4_read_shadow() & X86_CR4_LA57 ? 5 : 4;
	spin_lock_init(&sd->lock);
	sd->root = kxen_npt_alloc_table(sd, GFP_KERNEL_ACCOUNT);
	if (!sd->root)
		return -ENOMEM;	/* kxen_npt_free() cleans up */
	/* nCR3: the PML4, write-back (PWT/PCD clear, APM 15.25.4). */
	sd->ncr3 = __sme_pa(sd->root);
	return kxen_npt_map_ram(d);
}

static void kxen_npt_free_level(struct kxen_svm_domain *sd, u64 *t,
				int level)
{
	int i;

	for (i = 0; level > 1 && i < 512; i++)
		if (t[i] && !(t[i] & _PAGE_PSE))
			kxen_npt_free_level(sd, kxen_npt_table_va(t[i]),
					    level - 1);
	free_page((unsigned long)t);
	sd->nr_table_pages--;
	kxen_stats_pages(-1);
}

void kxen_npt_free(struct kxen_domain *d)
{
	struct kxen_svm_domain *sd = to_svm_dom(d);

	if (!sd)
		return;
	if (sd->root)
		kxen_npt_free_level(sd, sd->root, sd->levels);
	kfree(sd);
	d->arch = NULL;
	kxen_stats_objects(-1);
}
