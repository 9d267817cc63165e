// SPDX-License-Identifier: GPL-2.0
/*
 * Nested paging (AMD APM Vol. 2 15.25): the domain's second-level table
 * (kmod/core/hap.c) as a long-mode page table, walked with the host's
 * paging rules (4 or 5 levels).  Nested accesses count as user accesses
 * (15.25.5), so every entry carries U/S; the memory type comes from the
 * host PAT entry 0 (WB) combined with the guest's own PAT.  Every GPA
 * outside guest RAM is unmapped, so a guest touching it takes a #NPF and
 * is crashed; the host is unaffected.
 */
#include <linux/mem_encrypt.h>
#include <linux/slab.h>
#include <asm/pgtable_types.h>
#include <asm/tlbflush.h>

#include "svm.h"

#define KXEN_NPT_RWU	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)

int kxen_npt_set_gfn(struct kxen_domain *d, u64 gfn, unsigned long pfn)
{
	return kxen_hap_set_gfn(&to_svm_dom(d)->hap, gfn, pfn);
}

void kxen_npt_flush(struct kxen_domain *d)
{
	kxen_hap_flush(&to_svm_dom(d)->hap, d);
}

int kxen_npt_init(struct kxen_domain *d)
{
	struct kxen_svm_domain *sd;
	int ret;

	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	d->arch = sd;
	kxen_stats_objects(1);
	/* Every address the hardware reads carries the SME C-bit. */
	sd->fmt = (struct kxen_hap_fmt){
		.table = KXEN_NPT_RWU,
		.leaf = KXEN_NPT_RWU,
		.large = _PAGE_PSE,
		.addr = GENMASK_ULL(51, 12),
		.enc = sme_get_me_mask(),
	};
	/*
	 * The nested table has the host's paging mode (APM 15.25.3): five
	 * levels when the host runs with CR4.LA57.
	 */
	ret = kxen_hap_init(&sd->hap, &sd->fmt,
			    cr4_read_shadow() & X86_CR4_LA57 ? 5 : 4, d);
	/* nCR3: the top table, write-back (PWT/PCD clear, APM 15.25.4). */
	if (sd->hap.root)
		sd->ncr3 = kxen_hap_root_pa(&sd->hap);
	return ret;	/* on error, kxen_npt_free() cleans up */
}

void kxen_npt_free(struct kxen_domain *d)
{
	struct kxen_svm_domain *sd = to_svm_dom(d);

	if (!sd)
		return;
	kxen_hap_free(&sd->hap);
	kfree(sd);
	d->arch = NULL;
	kxen_stats_objects(-1);
}
