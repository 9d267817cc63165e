// SPDX-License-Identifier: GPL-2.0
/*
 * EPT (SDM Vol. 3 29.3): a 4-level table mapping guest RAM 0..size with
 * write-back memory type, 2 MiB leaves where the backing chunk is
 * contiguous.  Every other GPA is unmapped, so a guest touching it takes
 * an EPT violation and is crashed; the host is unaffected.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/smp.h>
#include <asm/vmx.h>

#include "vmx.h"

#define KXEN_EPT_RWX	(VMX_EPT_READABLE_MASK | VMX_EPT_WRITABLE_MASK | \
			 VMX_EPT_EXECUTABLE_MASK)
#define KXEN_EPT_WB	(VMX_EPTP_MT_WB << VMX_EPT_MT_EPTE_SHIFT)
#define KXEN_EPT_LARGE	BIT_ULL(7)
#define KXEN_EPT_ADDR	GENMASK_ULL(51, 12)

static u64 *kxen_ept_alloc_table(struct kxen_vmx_domain *vd, gfp_t gfp)
{
	u64 *t = (u64 *)get_zeroed_page(gfp | __GFP_ACCOUNT);

	if (t) {
		vd->nr_table_pages++;
		kxen_stats_pages(1);
	}
	return t;
}

/* Return the table below @t[idx], creating it if needed. */
static u64 *kxen_ept_next(struct kxen_vmx_domain *vd, u64 *t, int idx,
			  gfp_t gfp)
{
	u64 *next;

	if (t[idx])
		return __va(t[idx] & KXEN_EPT_ADDR);
	next = kxen_ept_alloc_table(vd, gfp);
	if (!next)
		return NULL;
	t[idx] = __pa(next) | KXEN_EPT_RWX;
	return next;
}

static int kxen_ept_map(struct kxen_vmx_domain *vd, u64 gpa, u64 hpa,
			bool large)
{
	u64 *pdpt, *pd, *pt;

	pdpt = kxen_ept_next(vd, vd->root, (gpa >> 39) & 511, GFP_KERNEL);
	pd = pdpt ? kxen_ept_next(vd, pdpt, (gpa >> 30) & 511, GFP_KERNEL) :
		    NULL;
	if (!pd)
		return -ENOMEM;
	if (large) {
		pd[(gpa >> 21) & 511] = hpa | KXEN_EPT_RWX | KXEN_EPT_WB |
					KXEN_EPT_LARGE;
		return 0;
	}
	pt = kxen_ept_next(vd, pd, (gpa >> 21) & 511, GFP_KERNEL);
	if (!pt)
		return -ENOMEM;
	pt[(gpa >> 12) & 511] = hpa | KXEN_EPT_RWX | KXEN_EPT_WB;
	return 0;
}

/* Turn a 2 MiB leaf into a table of 512 4 KiB leaves, same mappings. */
static int kxen_ept_split(struct kxen_vmx_domain *vd, u64 *pde)
{
	u64 base = *pde & KXEN_EPT_ADDR & ~(u64)(SZ_2M - 1);
	u64 *pt = kxen_ept_alloc_table(vd, GFP_ATOMIC);
	int i;

	if (!pt)
		return -ENOMEM;
	for (i = 0; i < 512; i++)
		pt[i] = (base + i * PAGE_SIZE) | KXEN_EPT_RWX | KXEN_EPT_WB;
	WRITE_ONCE(*pde, __pa(pt) | KXEN_EPT_RWX);
	return 0;
}

/*
 * Balloon and grant-frame changes (preemption may be off): map @gfn to
 * @pfn, or unmap it.  Frames inside guest RAM have their upper tables
 * from creation; frames past it (grant-table frames the guest places in
 * unpopulated space) get them here, up to what a 4-level walk reaches.
 */
int kxen_ept_set_gfn(struct kxen_domain *d, u64 gfn, unsigned long pfn)
{
	struct kxen_vmx_domain *vd = to_vmx_dom(d);
	u64 gpa = gfn << PAGE_SHIFT, *pdpt, *pd, *pde, *pt;
	int ret = 0;

	if (gfn >> (4 * 9))
		return -EINVAL;
	spin_lock(&vd->lock);
	pdpt = kxen_ept_next(vd, vd->root, (gpa >> 39) & 511, GFP_ATOMIC);
	pd = pdpt ? kxen_ept_next(vd, pdpt, (gpa >> 30) & 511, GFP_ATOMIC) :
		    NULL;
	if (!pd) {
		ret = -ENOMEM;
		goto out;
	}
	pde = &pd[(gpa >> 21) & 511];
	if (*pde & KXEN_EPT_LARGE)
		ret = kxen_ept_split(vd, pde);
	pt = ret ? NULL : kxen_ept_next(vd, pd, (gpa >> 21) & 511, GFP_ATOMIC);
	if (pt)
		WRITE_ONCE(pt[(gpa >> 12) & 511], pfn ? ((u64)pfn << PAGE_SHIFT) |
			   KXEN_EPT_RWX | KXEN_EPT_WB : 0);
	else if (!ret)
		ret = -ENOMEM;
out:
	spin_unlock(&vd->lock);
	return ret;
}

/*
 * After an unmap: every vCPU flushes (INVEPT) before it enters again, and
 * any vCPU in guest mode right now is made to exit first (SDM Vol. 3
 * 29.4.3.1: translations may be cached until INVEPT).
 */
void kxen_ept_flush(struct kxen_domain *d)
{
	struct kxen_vmx_domain *vd = to_vmx_dom(d);

	WRITE_ONCE(vd->gen, vd->gen + 1);
	smp_mb();	/* the new generation before we look at guest_cpu */
	kxen_domain_sync_vcpus(d);
}

static int kxen_ept_map_ram(struct kxen_domain *d)
{
	struct kxen_vmx_domain *vd = to_vmx_dom(d);
	struct kxen_gmem *m = &d->mem;
	unsigned long gfn = 0;
	bool large;
	int ret;

	while (gfn < m->nr_pages) {
		large = !(gfn & 511) && test_bit(gfn >> 9, m->huge);
		ret = kxen_ept_map(vd, (u64)gfn << PAGE_SHIFT,
				   (u64)m->pfns[gfn] << PAGE_SHIFT, large);
		if (ret)
			return ret;
		gfn += large ? 512 : 1;
	}
	return 0;
}

int kxen_ept_init(struct kxen_domain *d)
{
	struct kxen_vmx_domain *vd;

	vd = kzalloc(sizeof(*vd), GFP_KERNEL);
	if (!vd)
		return -ENOMEM;
	d->arch = vd;
	kxen_stats_objects(1);
	spin_lock_init(&vd->lock);
	vd->root = kxen_ept_alloc_table(vd, GFP_KERNEL);
	if (!vd->root)
		return -ENOMEM;	/* kxen_ept_free() cleans up */
	/* EPTP: WB, 4-level walk (SDM Vol. 3 25.6.11). */
	vd->eptp = __pa(vd->root) | VMX_EPTP_MT_WB | VMX_EPTP_PWL_4;
	return kxen_ept_map_ram(d);
}

static void kxen_ept_free_level(struct kxen_vmx_domain *vd, u64 *t,
				int level)
{
	int i;

	for (i = 0; level > 1 && i < 512; i++)
		if (t[i] && !(t[i] & KXEN_EPT_LARGE))
			kxen_ept_free_level(vd, __va(t[i] & KXEN_EPT_ADDR),
					    level - 1);
	free_page((unsigned long)t);
	vd->nr_table_pages--;
	kxen_stats_pages(-1);
}

void kxen_ept_free(struct kxen_domain *d)
{
	struct kxen_vmx_domain *vd = to_vmx_dom(d);

	if (!vd)
		return;
	if (vd->root)
		kxen_ept_free_level(vd, vd->root, 4);
	kfree(vd);
	d->arch = NULL;
	kxen_stats_objects(-1);
}
