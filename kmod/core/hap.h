/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Second-level page tables (hardware-assisted paging): EPT (SDM Vol. 3
 * 29.3) and AMD's nested page tables (APM Vol. 2 15.25) are both radix
 * trees of 512-entry pages over the guest-physical space; they differ
 * only in the bits of an entry.  The vendor describes those; hap.c builds,
 * changes and frees the tree.
 */
#ifndef KXEN_CORE_HAP_H
#define KXEN_CORE_HAP_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct kxen_domain;

/* A vendor's entry format. */
struct kxen_hap_fmt {
	u64 table;		/* flags of an entry that points to a table */
	u64 leaf;		/* flags of a 4 KiB leaf */
	u64 large;		/* flags added for a 2 MiB leaf */
	u64 addr;		/* the address bits of an entry */
	u64 enc;		/* set in every address the hardware reads */
};

struct kxen_hap {
	const struct kxen_hap_fmt *fmt;
	u64 *root;
	int levels;		/* 4, or 5 for NPT under a host with LA57 */
	spinlock_t lock;	/* table changes after creation */
	unsigned long gen;	/* bumped when a mapping goes away */
	unsigned long nr_table_pages;
};

/* The root table and the domain's RAM, 2 MiB leaves where contiguous. */
int kxen_hap_init(struct kxen_hap *h, const struct kxen_hap_fmt *fmt,
		  int levels, struct kxen_domain *d);
void kxen_hap_free(struct kxen_hap *h);
/* The root as the hardware takes it (EPTP/nCR3 address bits). */
u64 kxen_hap_root_pa(struct kxen_hap *h);
/* Map @gfn to host @pfn, or unmap it (@pfn 0); any context. */
int kxen_hap_set_gfn(struct kxen_hap *h, u64 gfn, unsigned long pfn);
/* After an unmap: a new generation, and every vCPU out of guest mode. */
void kxen_hap_flush(struct kxen_hap *h, struct kxen_domain *d);

/* For a crash report: frames the table maps elsewhere than pfns[]. */
void kxen_hap_check(struct kxen_hap *h, struct kxen_domain *d);

#endif /* KXEN_CORE_HAP_H */
