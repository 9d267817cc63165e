// SPDX-License-Identifier: GPL-2.0
/*
 * bigballoon: XENMEM_decrease_reservation and XENMEM_populate_physmap
 * (xen/memory.h) over most of the domain's RAM in single calls, as a
 * balloon driver giving back and taking back large amounts does.
 *
 * - Every 2 MiB extent of RAM above the image (up to 512) but the last
 *   two goes back in one decrease_reservation of order 9: the result is
 *   the number of
 *   extents, current_reservation drops by that many 2 MiB; one
 *   populate_physmap of the same list backs them again, current is back
 *   where it was, and every page of them is writable and keeps what is
 *   written.  The hypervisor may cut the call into several exits (Xen's
 *   hypercall continuation); the guest sees one call.
 * - The same with 1024 single pages (order 0).
 * - A list whose fourth extent is misaligned: the result is 3 (the
 *   extents done, also when the failure comes in a later exit).
 *
 * The line "bigballoon: N extents of order 9" tells the host how many
 * extents the big call had.
 */
#include <kg/asm.h>
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <xen/memory.h>

KG_TEST_TITLE("bigballoon");

#define EXTENT_ORDER	9
#define EXTENT_PAGES	512UL	/* 2^EXTENT_ORDER */
#define MAX_EXTENTS	512
#define NR_SINGLE	1024	/* order-0 extents: two 2 MiB extents' pages */
#define PAGE_MAGIC	0x6b78656e00000000ul

static xen_pfn_t big[MAX_EXTENTS];
static xen_pfn_t single[NR_SINGLE];

/* The first and last frame (exclusive) of 2 MiB extents above the image. */
static bool usable_ram(unsigned long *first, unsigned long *end)
{
	const struct hvm_memmap_table_entry *e = kg_memmap_ram_at((uintptr_t)_end);
	unsigned long image_end = ((uintptr_t)_end + (2ul << 20) - 1) >> 21;

	if (!e)
		return false;
	*first = image_end * EXTENT_PAGES;
	*end = ((e->addr + e->size) >> 21) * EXTENT_PAGES;
	return *end > *first;
}

/* Write each page's own tag into it, then read every tag back. */
static bool pages_hold(const xen_pfn_t *gfns, unsigned long n,
		       unsigned long pages)
{
	unsigned long i, j;
	u64 *p, tag;

	for (i = 0; i < n; i++)
		for (j = 0; j < pages; j++) {
			p = (u64 *)((gfns[i] + j) * KG_PAGE_SIZE);
			tag = PAGE_MAGIC | (gfns[i] + j);
			WRITE_ONCE(p[0], tag);
			WRITE_ONCE(p[KG_PAGE_SIZE / 8 - 1], ~tag);
		}
	for (i = 0; i < n; i++)
		for (j = 0; j < pages; j++) {
			p = (u64 *)((gfns[i] + j) * KG_PAGE_SIZE);
			tag = PAGE_MAGIC | (gfns[i] + j);
			if (READ_ONCE(p[0]) != tag ||
			    READ_ONCE(p[KG_PAGE_SIZE / 8 - 1]) != ~tag)
				return false;
		}
	return true;
}

/* Give @n extents of 2^@order pages back in one call, then take them back. */
static void balloon_round(const char *what, xen_pfn_t *gfns, unsigned long n,
			  unsigned int order)
{
	long cur0 = kg_reservation(XENMEM_current_reservation), cur, rc;
	long pages = (long)n << order;

	rc = kg_reservation_op(XENMEM_decrease_reservation, n, order, gfns);
	cur = kg_reservation(XENMEM_current_reservation);
	kg_check(rc == (long)n && cur == cur0 - pages,
		 "%s: decrease_reservation(%lu extents of order %u) rc %ld, current_reservation %ld -> %ld (want -%ld)",
		 what, n, order, rc, cur0, cur, pages);
	rc = kg_reservation_op(XENMEM_populate_physmap, n, order, gfns);
	cur = kg_reservation(XENMEM_current_reservation);
	if (!kg_check(rc == (long)n && cur == cur0,
		      "%s: populate_physmap(%lu extents of order %u) rc %ld, current_reservation back to %ld (want %ld)",
		      what, n, order, rc, cur, cur0))
		kg_panic("frames are not backed, cannot go on\n");
	kg_check(pages_hold(gfns, n, 1UL << order),
		 "%s: all %ld pages repopulated are writable and keep their data",
		 what, pages);
}

/* The fourth extent is misaligned: three done, in however many exits. */
static void partial_list(void)
{
	long cur0 = kg_reservation(XENMEM_current_reservation), cur, rc;
	xen_pfn_t list[4] = { big[0], big[1], big[2], big[3] + 1 };

	rc = kg_reservation_op(XENMEM_decrease_reservation, 4, EXTENT_ORDER,
			       list);
	cur = kg_reservation(XENMEM_current_reservation);
	kg_check(rc == 3 && cur == cur0 - 3 * (long)EXTENT_PAGES,
		 "decrease_reservation, 4th extent misaligned: rc %ld (want 3), current %ld -> %ld",
		 rc, cur0, cur);
	rc = kg_reservation_op(XENMEM_populate_physmap, 3, EXTENT_ORDER, list);
	cur = kg_reservation(XENMEM_current_reservation);
	if (!kg_check(rc == 3 && cur == cur0,
		      "populate_physmap of the 3 given back: rc %ld, current %ld (want %ld)",
		      rc, cur, cur0))
		kg_panic("frames are not backed, cannot go on\n");
}

void test_main(void)
{
	unsigned long first = 0, end = 0, gfn, n = 0, i;

	kg_require_xen();
	if (!usable_ram(&first, &end) || end - first < 6 * EXTENT_PAGES)
		kg_panic("need 12 MiB of RAM above the image (%#lx-%#lx)\n",
			 first, end);
	/* The last two extents are for the single pages. */
	for (gfn = first; gfn + 3 * EXTENT_PAGES <= end && n < MAX_EXTENTS;
	     gfn += EXTENT_PAGES)
		big[n++] = gfn;
	for (i = 0; i < NR_SINGLE; i++)
		single[i] = end - 2 * EXTENT_PAGES + i;
	kg_printf("bigballoon: %lu extents of order %u from gfn %#lx\n", n,
		  EXTENT_ORDER, first);
	balloon_round("2 MiB extents", big, n, EXTENT_ORDER);
	balloon_round("single pages", single, NR_SINGLE, 0);
	partial_list();
	kg_success(NULL);
}
