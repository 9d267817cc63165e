// SPDX-License-Identifier: GPL-2.0
/*
 * memop: XENMEM_* (xen/memory.h) and HVMOP_{get,set}_param
 * (xen/hvm/hvm_op.h, hvm/params.h) as an HVM/PVH guest uses them.
 *
 * - XENMEM_memory_map: this domain's E820 map, entries sized, sorted and
 *   disjoint, with RAM around the image, and the same as the start info's
 *   (libxl sets both from one map).  XENMEM_current_reservation
 *   matches that RAM within SLACK_PAGES; maximum_reservation is not below
 *   it; maximum_ram_page and maximum_gpfn are plausible.
 * - XENMEM_decrease_reservation of NR_TEST_PAGES pages of our own .bss
 *   returns NR_TEST_PAGES and lowers current_reservation by as many;
 *   XENMEM_populate_physmap of the same gfns gives them back, writable.
 *   The gfns are not touched while they are unpopulated.
 * - HVM params: get of the xenstore/console params works, a set/get
 *   round trip of HVM_PARAM_CALLBACK_IRQ, -EINVAL past HVM_NR_PARAMS,
 *   -ESRCH for a domain that does not exist.
 * - XENMEM_add_to_physmap_batch of grant frames 0 and 1 over two pages of
 *   ours and of index 64 (past the 64 frames a table may have): rc 0 and
 *   a result per entry in errs[] (0, 0, -EINVAL); the gmfn_range space is
 *   -EOPNOTSUPP for a batch, an empty batch is 0, another domain -ESRCH,
 *   an unreadable index list -EFAULT (Xen 4.17 common/memory.c): NULL
 *   where page 0 is unmapped, else (the 32-bit build without paging,
 *   where every address is a physical one) a hole in the E820 map.
 * - XENMEM_increase_reservation gives the domain a page no frame maps,
 *   counted in current_reservation and against the maximum, and stops
 *   there.
 * - XENMEM_add_to_physmap(XENMAPSPACE_shared_info) maps shared_info in
 *   the layout of the guest's mode: Xen latches 32-bit or 64-bit when
 *   the hypercall page is written and at HVM_PARAM_CALLBACK_IRQ (Xen's
 *   hvm_latch_shinfo_size(), which also rewrites the wallclock).  The
 *   wallclock and vCPU 0's pvclock are read at this build's offsets.
 */
#include <kg/asm.h>
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <kg/time.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>

KG_TEST_TITLE("memop");

#define NR_TEST_PAGES	16
#define SLACK_PAGES	64	/* special pages Xen counts beyond E820 RAM */
#define MAP_MAX		64
#define NO_SUCH_DOMID	0x7000	/* below DOMID_FIRST_RESERVED, unused */
#define E820_RAM	1

/*
 * XENMEM_memory_map fills "E820 entries": the BIOS INT 15h E820 layout
 * (ACPI spec, "Address Range Descriptor Structure"), 20 bytes, packed.
 * Xen's public headers do not declare it.
 */
struct e820_entry {
	u64 addr;
	u64 size;
	u32 type;
} __packed;

static struct e820_entry map[MAP_MAX];
/* A page-aligned address below 4 GiB that no E820 entry covers, or 0. */
static u64 e820_hole;
static u8 test_pages[NR_TEST_PAGES][KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);
/* RAM the batch's grant frames replace: never touched afterwards. */
static u8 batch_pages[2][KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);
/* RAM given back for the increase_reservation checks: not touched again. */
static u8 spare_pages[2][KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);

/*
 * libxl gives Xen (XENMEM_set_memory_map) the map it writes into the
 * PVH start info: XENMEM_memory_map returns that one, reserved ranges
 * and all.
 */
static bool same_as_start_info(const struct xen_memory_map *mm)
{
	const struct hvm_memmap_table_entry *e;
	unsigned int i, n;

	e = kg_memmap(&n);
	if (mm->nr_entries != n)
		return false;
	for (i = 0; i < n; i++)
		if (map[i].addr != e[i].addr || map[i].size != e[i].size ||
		    map[i].type != e[i].type)
			return false;
	return true;
}

/* Pages of E820 RAM, or 0 if the map is not sane. */
static u64 check_memory_map(void)
{
	struct xen_memory_map mm = { .nr_entries = MAP_MAX };
	u64 image = (uintptr_t)test_pages, ram = 0, prev_end = 0;
	bool sorted = true, image_in_ram = false;
	unsigned int i;
	long rc;

	set_xen_guest_handle(mm.buffer, map);
	rc = kg_memory_op(XENMEM_memory_map, &mm);
	if (!kg_check(rc == 0 && mm.nr_entries > 0 &&
		      mm.nr_entries <= MAP_MAX,
		      "XENMEM_memory_map rc %ld, %u entries", rc,
		      mm.nr_entries))
		return 0;
	for (i = 0; i < mm.nr_entries; i++) {
		const struct e820_entry *e = &map[i];

		kg_printf("  e820[%u]: %#llx-%#llx type %u\n", i,
			  (unsigned long long)e->addr,
			  (unsigned long long)(e->addr + e->size - 1),
			  e->type);
		if (!e->size || e->addr < prev_end)
			sorted = false;
		prev_end = e->addr + e->size;
		if (e->type != E820_RAM)
			continue;
		ram += e->size / KG_PAGE_SIZE;
		if (image >= e->addr && (uintptr_t)_end <= e->addr + e->size)
			image_in_ram = true;
	}
	/* Sorted entries: one pass moves the candidate past each it hits. */
	e820_hole = 0x100000;
	for (i = 0; i < mm.nr_entries; i++)
		if (e820_hole >= map[i].addr &&
		    e820_hole - map[i].addr < map[i].size)
			e820_hole = (map[i].addr + map[i].size + KG_PAGE_SIZE - 1) &
				    ~(u64)(KG_PAGE_SIZE - 1);
	if (!sorted || e820_hole >= 0x100000000ull)
		e820_hole = 0;
	kg_check(sorted, "E820 entries non-empty, sorted and disjoint");
	kg_check(same_as_start_info(&mm),
		 "the E820 map is the one the toolstack put in start_info");
	kg_check(image_in_ram, "E820 RAM covers the image (%#lx-%#lx)",
		 (unsigned long)image, (unsigned long)(uintptr_t)_end);
	return sorted ? ram : 0;
}

static void check_reservations(u64 ram_pages)
{
	domid_t dom = NO_SUCH_DOMID;
	long cur = kg_reservation(XENMEM_current_reservation);
	long max = kg_reservation(XENMEM_maximum_reservation);
	long top = kg_memory_op(XENMEM_maximum_ram_page, NULL);
	long gpfn = kg_reservation(XENMEM_maximum_gpfn);
	long rc;

	kg_check(cur > 0 && (u64)cur + SLACK_PAGES >= ram_pages &&
		 (u64)cur <= ram_pages + SLACK_PAGES,
		 "XENMEM_current_reservation %ld pages, E820 RAM %llu pages (within %u)",
		 cur, (unsigned long long)ram_pages, SLACK_PAGES);
	kg_check(max >= cur, "XENMEM_maximum_reservation %ld >= current %ld",
		 max, cur);
	kg_check(top > 0, "XENMEM_maximum_ram_page %ld (%#lx)", top,
		 (unsigned long)top);
	kg_check(gpfn > 0 &&
		 (unsigned long)gpfn >= (uintptr_t)_end / KG_PAGE_SIZE,
		 "XENMEM_maximum_gpfn %#lx covers the image", gpfn);
	rc = kg_memory_op(XENMEM_current_reservation, &dom);
	kg_check(rc == -XEN_ESRCH,
		 "XENMEM_current_reservation(dom %#x) rc %ld (want -ESRCH)",
		 NO_SUCH_DOMID, rc);
	rc = kg_memory_op(63, NULL);
	kg_check(rc == -XEN_ENOSYS, "memory_op command 63 rc %ld (want -ENOSYS)",
		 rc);
}

static long reserve_op(unsigned int cmd, xen_pfn_t *gfns)
{
	return kg_reservation_op(cmd, NR_TEST_PAGES, 0, gfns);
}

/*
 * What repopulated pages hold.  Not checked: Xen scrubs a page only when
 * a dying domain frees it, so a page ballooned out and back in may come
 * back with the domain's own old data (it does under Xen 4.17).
 */
static const char *pages_content(void)
{
	bool zero = true, old = true;
	unsigned int i, j;
	u8 b;

	for (i = 0; i < NR_TEST_PAGES; i++)
		for (j = 0; j < KG_PAGE_SIZE; j++) {
			b = READ_ONCE(test_pages[i][j]);
			zero &= !b;
			old &= b == 0xa5;
		}
	return zero ? "all zero" : old ? "the old data" : "mixed data";
}

static void check_balloon(void)
{
	xen_pfn_t gfns[NR_TEST_PAGES];
	long before, after, back, rc;
	unsigned int i;

	for (i = 0; i < NR_TEST_PAGES; i++) {
		memset(test_pages[i], 0xa5, KG_PAGE_SIZE);
		gfns[i] = (uintptr_t)test_pages[i] / KG_PAGE_SIZE;
	}
	before = kg_reservation(XENMEM_current_reservation);
	rc = reserve_op(XENMEM_decrease_reservation, gfns);
	after = kg_reservation(XENMEM_current_reservation);
	kg_check(rc == NR_TEST_PAGES && after == before - NR_TEST_PAGES,
		 "XENMEM_decrease_reservation(%u pages at gfn %#lx) rc %ld, current_reservation %ld -> %ld",
		 NR_TEST_PAGES, (unsigned long)gfns[0], rc, before, after);
	rc = reserve_op(XENMEM_decrease_reservation, gfns);
	kg_check(rc == 0 && kg_reservation(XENMEM_current_reservation) == after,
		 "XENMEM_decrease_reservation of the same, now empty gfns rc %ld (want 0)",
		 rc);
	rc = reserve_op(XENMEM_populate_physmap, gfns);
	back = kg_reservation(XENMEM_current_reservation);
	kg_check(rc == NR_TEST_PAGES && back == before,
		 "XENMEM_populate_physmap(%u pages) rc %ld, current_reservation back to %ld (want %ld)",
		 NR_TEST_PAGES, rc, back, before);
	if (rc != NR_TEST_PAGES)
		kg_panic("gfns %#lx.. are not backed, cannot go on\n",
			 (unsigned long)gfns[0]);
	kg_printf("repopulated pages hold %s\n", pages_content());
	memset(test_pages, 0x5a, sizeof(test_pages));
	kg_check(test_pages[NR_TEST_PAGES - 1][KG_PAGE_SIZE - 1] == 0x5a,
		 "repopulated pages are writable");
}

static void check_params(void)
{
	static const unsigned int idx[] = {
		HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN,
		HVM_PARAM_CONSOLE_PFN, HVM_PARAM_CONSOLE_EVTCHN,
	};
	static const char *const name[] = {
		"STORE_PFN", "STORE_EVTCHN", "CONSOLE_PFN", "CONSOLE_EVTCHN",
	};
	u64 cb = (u64)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56 | 0xf3, v = 0;
	struct xen_hvm_param p = {
		.domid = NO_SUCH_DOMID, .index = HVM_PARAM_CALLBACK_IRQ,
	};
	unsigned int i;
	long rc;

	for (i = 0; i < ARRAY_SIZE(idx); i++) {
		rc = kg_hvm_get_param(idx[i], &v);
		kg_check(rc == 0, "HVMOP_get_param(HVM_PARAM_%s) rc %ld value %#llx",
			 name[i], rc, (unsigned long long)v);
	}
	rc = kg_hvm_set_param(HVM_PARAM_CALLBACK_IRQ, cb);
	v = 0;
	if (!rc)
		rc = kg_hvm_get_param(HVM_PARAM_CALLBACK_IRQ, &v);
	kg_check(rc == 0 && v == cb,
		 "HVM_PARAM_CALLBACK_IRQ set/get %#llx: rc %ld, got %#llx",
		 (unsigned long long)cb, rc, (unsigned long long)v);
	rc = kg_hvm_set_param(HVM_PARAM_CALLBACK_IRQ, 0);
	kg_check(rc == 0, "HVM_PARAM_CALLBACK_IRQ set 0 (off) rc %ld", rc);
	rc = kg_hvm_get_param(HVM_NR_PARAMS, &v);
	kg_check(rc == -XEN_EINVAL,
		 "HVMOP_get_param(%u = HVM_NR_PARAMS) rc %ld (want -EINVAL)",
		 HVM_NR_PARAMS, rc);
	rc = kg_hvm_op(HVMOP_get_param, &p);
	kg_check(rc == -XEN_ESRCH,
		 "HVMOP_get_param(dom %#x) rc %ld (want -ESRCH)", NO_SUCH_DOMID,
		 rc);
}

static long physmap_batch(struct xen_add_to_physmap_batch *b,
			  xen_ulong_t *idxs, xen_pfn_t *gpfns, int *errs)
{
	set_xen_guest_handle(b->idxs, idxs);
	set_xen_guest_handle(b->gpfns, gpfns);
	set_xen_guest_handle(b->errs, errs);
	return kg_memory_op(XENMEM_add_to_physmap_batch, b);
}

/*
 * An address the hypervisor cannot read from: NULL once boot.c unmapped
 * page 0, else (paging off) a guest-physical hole; NULL if neither.
 */
static void *unreadable(const char **what)
{
	unsigned long cr0;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	if (cr0 & X86_CR0_PG || !e820_hole) {
		*what = "page 0, unmapped";
		return NULL;
	}
	*what = "not in the E820 map";
	return (void *)(uintptr_t)e820_hole;
}

static void check_physmap_batch(void)
{
	xen_pfn_t gpfns[3] = {
		(uintptr_t)batch_pages[0] / KG_PAGE_SIZE,
		(uintptr_t)batch_pages[1] / KG_PAGE_SIZE,
		(uintptr_t)batch_pages[1] / KG_PAGE_SIZE,
	};
	struct xen_add_to_physmap_batch b = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
		.size = 3,
	};
	xen_ulong_t idxs[3] = { 0, 1, 64 };
	int errs[3] = { 99, 99, 99 };
	const char *what;
	void *bad = unreadable(&what);
	long rc;

	rc = physmap_batch(&b, idxs, gpfns, errs);
	kg_check(rc == 0 && errs[0] == 0 && errs[1] == 0 &&
		 errs[2] == -XEN_EINVAL,
		 "XENMEM_add_to_physmap_batch(grant frames 0, 1, 64) rc %ld errs %d %d %d (want 0: 0 0 -EINVAL)",
		 rc, errs[0], errs[1], errs[2]);
	b.space = XENMAPSPACE_gmfn_range;
	rc = physmap_batch(&b, idxs, gpfns, errs);
	kg_check(rc == -XEN_EOPNOTSUPP,
		 "add_to_physmap_batch(gmfn_range) rc %ld (want -EOPNOTSUPP)",
		 rc);
	b.space = XENMAPSPACE_grant_table;
	b.size = 0;
	errs[0] = 99;
	rc = physmap_batch(&b, idxs, gpfns, errs);
	kg_check(rc == 0 && errs[0] == 99,
		 "add_to_physmap_batch of 0 entries rc %ld, errs untouched", rc);
	b.size = 1;
	b.domid = NO_SUCH_DOMID;
	rc = physmap_batch(&b, idxs, gpfns, errs);
	kg_check(rc == -XEN_ESRCH,
		 "add_to_physmap_batch(dom %#x) rc %ld (want -ESRCH)",
		 NO_SUCH_DOMID, rc);
	b.domid = DOMID_SELF;
	rc = physmap_batch(&b, bad, gpfns, errs);
	kg_check(rc == -XEN_EFAULT,
		 "add_to_physmap_batch with idxs = %p (%s) rc %ld (want -EFAULT)",
		 bad, what, rc);
}

/*
 * XENMEM_increase_reservation after giving two pages back: the domain
 * holds one more page (no frame maps it: the extent list is neither read
 * nor written for a translated guest), and it counts against the maximum
 * when the two frames are populated again (all of them fit, or the
 * reservation stops at its maximum).
 */
static void check_increase(void)
{
	xen_pfn_t gfns[2] = {
		(uintptr_t)spare_pages[0] / KG_PAGE_SIZE,
		(uintptr_t)spare_pages[1] / KG_PAGE_SIZE,
	};
	long max = kg_reservation(XENMEM_maximum_reservation);
	long cur0 = kg_reservation(XENMEM_current_reservation), rc, cur;

	rc = kg_reservation_op(XENMEM_decrease_reservation, 2, 0, gfns);
	cur = kg_reservation(XENMEM_current_reservation);
	kg_check(rc == 2 && cur == cur0 - 2,
		 "XENMEM_decrease_reservation(2 pages) rc %ld, current %ld -> %ld",
		 rc, cur0, cur);
	rc = kg_reservation_op(XENMEM_increase_reservation, 1, 0,
			       (xen_pfn_t *)8);
	cur = kg_reservation(XENMEM_current_reservation);
	kg_check(rc == 1 && cur == cur0 - 1,
		 "XENMEM_increase_reservation(1 page, list at 0x8) rc %ld, current %ld (want 1, %ld)",
		 rc, cur, cur0 - 1);
	rc = kg_reservation_op(XENMEM_populate_physmap, 2, 0, gfns);
	cur = kg_reservation(XENMEM_current_reservation);
	kg_check(rc >= 1 && rc <= 2 && cur == cur0 - 1 + rc &&
		 (rc == 2 || cur == max),
		 "XENMEM_populate_physmap(2 pages) rc %ld, current %ld, maximum %ld",
		 rc, cur, max);
	cur0 = cur;
	rc = kg_reservation_op(XENMEM_increase_reservation, 4, 0, NULL);
	cur = kg_reservation(XENMEM_current_reservation);
	kg_check(rc >= 0 && rc <= 4 && cur == cur0 + rc &&
		 (rc == 4 || cur == max),
		 "XENMEM_increase_reservation(4 pages) rc %ld: up to the maximum (current %ld, maximum %ld)",
		 rc, cur, max);
}

/*
 * shared_info over a page of ours, read at this build's offsets (the
 * 32-bit layout has 4-byte event words, so its wallclock is at 2304, the
 * 64-bit one's at 3072): the wallclock is set, vCPU 0's pvclock has a
 * multiplier and runs.
 */
static void check_shared_info(void)
{
	const struct shared_info *s;
	const struct vcpu_time_info *t;
	u32 version;
	u64 sec;
	long rc;

	rc = kg_map_shared_info();
	if (!kg_check(rc == 0, "XENMEM_add_to_physmap(shared_info) rc %ld",
		      rc))
		return;
	s = kg_shinfo;
	version = READ_ONCE(s->wc_version);
	sec = (u64)s->xen_wc_sec_hi << 32 | s->wc_sec;
	kg_check(version && !(version & 1) && sec > 0 &&
		 s->wc_nsec < KG_NSEC_PER_SEC,
		 "shared_info wallclock at offset %zu: version %u, %llu s %u ns",
		 offsetof(struct shared_info, wc_version), version,
		 (unsigned long long)sec, s->wc_nsec);
	t = &kg_vcpu_info->time;
	kg_check(kg_pvclock_alive(),
		 "vcpu_info[0].time at offset %zu: version %u, mul %u shift %d, advancing",
		 offsetof(struct shared_info, vcpu_info[0].time), t->version,
		 t->tsc_to_system_mul, t->tsc_shift);
}

void test_main(void)
{
	u64 ram;

	kg_require_xen();
	kg_printf("memop: domid %ld\n", kg_xen_domid());
	ram = check_memory_map();
	check_reservations(ram);
	check_balloon();
	check_shared_info();
	check_params();
	check_physmap_batch();
	check_increase();
	kg_success(NULL);
}
