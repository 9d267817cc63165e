/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Adding 4 KiB mappings to the boot page tables at run time, for tests
 * that need an address outside the 4 GiB identity map (a GPA far beyond
 * RAM, a guard page next to a buffer).
 */
#ifndef KG_PAGETABLE_H
#define KG_PAGETABLE_H

#include <kg/lib.h>

/* Maps va -> pa (4 KiB, RW, user); false if out of table pages or busy. */
bool kg_map_page(u64 va, u64 pa);

/* Removes the 4 KiB mapping at va (no-op if absent). */
void kg_unmap_page(u64 va);

#endif /* KG_PAGETABLE_H */
