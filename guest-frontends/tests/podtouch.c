// SPDX-License-Identifier: GPL-2.0
/*
 * podtouch: a guest whose memory map holds more RAM than its maximum
 * (xl's maxmem above memory: populate-on-demand).  current_reservation
 * says what it may hold; the frames past that, from the top of its RAM
 * down, go back with XENMEM_decrease_reservation without ever being
 * touched (a balloon driver's boot-time work), and then every remaining
 * page above the image is written and read back: the domain must keep
 * within its maximum and every page must keep its data.
 *
 * "greedy=1" on the command line skips the giving back and writes every
 * page of RAM: past its maximum the hypervisor must crash the domain
 * (Xen's "out of PoD memory"), so the line after "touching" is never
 * reached.  Lines for the host: "podtouch: ram N pages, may hold M",
 * "podtouch: gave back N", "podtouch: touching N pages".
 */
#include <kg/asm.h>
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <xen/memory.h>

KG_TEST_TITLE("podtouch");

#define PAGE_TAG	0x706f64746f756300ul	/* "podtouc" */
#define BATCH		256

static xen_pfn_t batch[BATCH];

/* The RAM entry holding the image: [*first, *end) in frames above it. */
static bool ram_above_image(unsigned long *first, unsigned long *end)
{
	const struct hvm_memmap_table_entry *e = kg_memmap_ram_at((uintptr_t)_end);

	if (!e)
		return false;
	*first = ((uintptr_t)_end + KG_PAGE_SIZE - 1) / KG_PAGE_SIZE;
	*end = (e->addr + e->size) / KG_PAGE_SIZE;
	return *end > *first;
}

/* Give back @n frames from @end down, untouched; the new end. */
static unsigned long give_back(unsigned long end, unsigned long n)
{
	unsigned long done = 0, i, k;
	long rc;

	while (done < n) {
		k = n - done < BATCH ? n - done : BATCH;
		for (i = 0; i < k; i++)
			batch[i] = end - done - 1 - i;
		rc = kg_reservation_op(XENMEM_decrease_reservation, k, 0,
				       batch);
		if (rc != (long)k)
			kg_panic("decrease_reservation of %lu frames: %ld\n",
				 k, rc);
		done += k;
	}
	return end - n;
}

static bool pages_hold(unsigned long first, unsigned long end)
{
	unsigned long gfn;
	u64 *p;

	for (gfn = first; gfn < end; gfn++) {
		p = (u64 *)(gfn * KG_PAGE_SIZE);
		WRITE_ONCE(p[0], PAGE_TAG | gfn);
		WRITE_ONCE(p[KG_PAGE_SIZE / 8 - 1], ~(PAGE_TAG | gfn));
	}
	for (gfn = first; gfn < end; gfn++) {
		p = (u64 *)(gfn * KG_PAGE_SIZE);
		if (READ_ONCE(p[0]) != (PAGE_TAG | gfn) ||
		    READ_ONCE(p[KG_PAGE_SIZE / 8 - 1]) != ~(PAGE_TAG | gfn))
			return false;
	}
	return true;
}

void test_main(void)
{
	bool greedy = kg_cmdline_ulong("greedy", 0);
	unsigned long first = 0, end = 0, ram, may, over;
	long cur;

	kg_require_xen();
	if (!ram_above_image(&first, &end))
		kg_panic("no RAM above the image\n");
	ram = end;
	may = kg_reservation(XENMEM_current_reservation);
	kg_printf("podtouch: ram %lu pages, may hold %lu\n", ram, may);
	/* The image and the low frames are held already; keep a margin. */
	over = ram > may ? ram - may + 64 : 0;
	if (!greedy && over) {
		end = give_back(end, over);
		cur = kg_reservation(XENMEM_current_reservation);
		kg_printf("podtouch: gave back %lu\n", over);
		kg_check(cur <= (long)may,
			 "current_reservation %ld after giving back %lu (at most %lu)",
			 cur, over, may);
	}
	kg_printf("podtouch: touching %lu pages\n", end - first);
	kg_check(pages_hold(first, end),
		 "every page from gfn %#lx to %#lx keeps its data", first, end);
	if (greedy)
		kg_failure("touched all %lu pages of RAM with a maximum of %lu\n",
			   ram, may);
	kg_success(NULL);
}
