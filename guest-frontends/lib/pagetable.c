// SPDX-License-Identifier: GPL-2.0
/*
 * Run-time 4 KiB mappings on top of the boot identity map (head.S), with
 * table pages taken from a small static pool.  4-level paging in the
 * 64-bit build, PAE paging in the 32-bit one when head32.S turned it on
 * (Intel SDM Vol. 3A 4.4, 4.5): both have 8-byte entries and 9 index bits
 * a level below the top table, which CR3 points at.  Without paging (the
 * plain 32-bit build) nothing can be mapped or unmapped.  Large pages are
 * never split: mapping inside the identity mapped 4 GiB fails, which is
 * fine because there va == pa already.
 */
#include <kg/asm.h>
#include <kg/cpu.h>
#include <kg/layout.h>
#include <kg/pagetable.h>

#define POOL_PAGES	8
#define ADDR_MASK	0x000ffffffffff000ull

#ifdef __x86_64__
#define TOP_SHIFT	39		/* PML4 index: bits 47:39 */
#define CR3_ADDR_MASK	ADDR_MASK
#else
#define TOP_SHIFT	30		/* PDPT index: bits 31:30 */
#define CR3_ADDR_MASK	0xffffffe0ul	/* PAE: a 32-byte aligned PDPT */
#endif

static u64 pool[POOL_PAGES][512] __aligned(KG_PAGE_SIZE);
static unsigned int pool_used;

static u64 *next_level(u64 *entry, bool alloc)
{
	u64 *table;

	if (*entry & PTE_P) {
		if (*entry & PTE_PS)
			return NULL;
		return (u64 *)(uintptr_t)(*entry & ADDR_MASK);
	}
	/* A new PAE PDPTE could take no W or U bit: every one is present. */
	if (!alloc || pool_used == POOL_PAGES)
		return NULL;
	table = pool[pool_used++];
	*entry = (uintptr_t)table | PTE_P | PTE_W | PTE_U;
	return table;
}

static u64 *top_table(void)
{
	unsigned long cr0, cr3;

	asm volatile("mov %%cr0, %0\n\tmov %%cr3, %1"
		     : "=r"(cr0), "=r"(cr3));
	if (!(cr0 & X86_CR0_PG))
		return NULL;
	return (u64 *)(uintptr_t)(cr3 & CR3_ADDR_MASK);
}

static u64 *pte_of(u64 va, bool alloc)
{
	u64 *t = top_table();
	unsigned int shift;

	if (!t || va != (uintptr_t)va)
		return NULL;
	for (shift = TOP_SHIFT; shift > 12; shift -= 9) {
		t = next_level(&t[(va >> shift) & 511], alloc);
		if (!t)
			return NULL;
	}
	return &t[(va >> 12) & 511];
}

bool kg_map_page(u64 va, u64 pa)
{
	u64 *pte = pte_of(va, true);

	if (!pte || (*pte & PTE_P))
		return false;
	*pte = (pa & ADDR_MASK) | PTE_P | PTE_W | PTE_U;
	kg_invlpg((void *)(uintptr_t)va);
	return true;
}

void kg_unmap_page(u64 va)
{
	u64 *pte = pte_of(va, false);

	if (pte) {
		*pte = 0;
		kg_invlpg((void *)(uintptr_t)va);
	}
}
