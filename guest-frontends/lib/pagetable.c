// SPDX-License-Identifier: GPL-2.0
/*
 * Run-time 4 KiB mappings on top of the boot identity map (head.S), with
 * table pages taken from a small static pool.  4-level paging, Intel SDM
 * Vol. 3A 4.5.  Large pages are never split: mapping inside the identity
 * mapped 4 GiB fails, which is fine because there va == pa already.
 */
#include <kg/asm.h>
#include <kg/cpu.h>
#include <kg/layout.h>
#include <kg/pagetable.h>

#define POOL_PAGES	8
#define ADDR_MASK	0x000ffffffffff000ull

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
	if (!alloc || pool_used == POOL_PAGES)
		return NULL;
	table = pool[pool_used++];
	*entry = (uintptr_t)table | PTE_P | PTE_W | PTE_U;
	return table;
}

static u64 *pte_of(u64 va, bool alloc)
{
	u64 *t = kg_pml4;
	unsigned int shift;

	for (shift = 39; shift > 12; shift -= 9) {
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
