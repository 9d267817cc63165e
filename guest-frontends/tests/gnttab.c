// SPDX-License-Identifier: GPL-2.0
/*
 * gnttab: setting up a version-1 grant table as a PVH guest does
 * (xen/grant_table.h, xen/memory.h), with Xen 4.17's results.
 *
 * - GNTTABOP_query_size: one frame to start with (x86's
 *   INITIAL_NR_GRANT_FRAMES), 64 at most (gnttab_max_frames' default);
 *   count != 1 is -EINVAL, an unknown domain GNTST_bad_domain, a bad
 *   pointer -EFAULT.
 * - GNTTABOP_get_version is 1; set_version(1) is 0; versions other than
 *   1 and 2 are -EINVAL with the current version written back;
 *   set_version(2) is either accepted (Xen with v2 enabled; the test
 *   goes back to 1) or -ENOSYS with version 1 (v2 disabled, as kxen).
 * - XENMEM_add_to_physmap(XENMAPSPACE_grant_table) puts frame 0 over a
 *   page of our RAM: it reads as zeros (Xen clears new frames); what we
 *   write there is still there after the frame moves to a GPA far past
 *   RAM (which then reads it through a new page-table entry), and
 *   GNTTABOP_setup_table reports the frame's new GFN.  The old place is
 *   not touched again: it is a hole now.
 * - Index 63 grows the table to 64 frames; index 64 is -EINVAL, so is
 *   GFN INVALID_GFN; setup_table for 65 frames is GNTST_general_error,
 *   to an unmapped list GNTST_bad_virt_addr.
 * - With max_frames=N on the command line (the domain made with xl.cfg's
 *   max_grant_frames = N, 2..64), the same with N for 64: query_size's
 *   max_nr_frames is N and index N is -EINVAL.
 * - Commands an HVM guest may not use (get_status_frames, dump_table,
 *   an unknown one) are -ENOSYS.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/pagetable.h>
#include <kg/report.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

KG_TEST_TITLE("gnttab");

#define MAX_FRAMES	64	/* Xen 4.17's default gnttab_max_frames */
#define MIN_FRAMES	2	/* check_frame0() sets 2 up */
#define NO_SUCH_DOMID	0x7000	/* below DOMID_FIRST_RESERVED, unused */
#define FAR_GPA		0x101000000ULL	/* 4 GiB + 16 MiB: past our RAM */
#define TEST_REF	10
#define INVALID_PFN	(~(xen_pfn_t)0)

/* Pages of our RAM the grant frames replace; not touched afterwards. */
static u8 over[2][KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);
static xen_pfn_t frames[MAX_FRAMES + 1];
static unsigned int max_frames = MAX_FRAMES;	/* cmdline max_frames= */

static long gnttab_op(unsigned int cmd, void *arg, unsigned int count)
{
	return kg_hcall(__HYPERVISOR_grant_table_op, cmd, (unsigned long)arg,
			count, 0, 0);
}

static long map_frame(unsigned long idx, xen_pfn_t gfn)
{
	struct xen_add_to_physmap a = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
		.idx = idx, .gpfn = gfn,
	};

	return kg_memory_op(XENMEM_add_to_physmap, &a);
}

static long query(domid_t dom, struct gnttab_query_size *q)
{
	q->dom = dom;
	q->status = 1;
	return gnttab_op(GNTTABOP_query_size, q, 1);
}

static long setup_table(u32 nr, xen_pfn_t *list, s16 *status)
{
	struct gnttab_setup_table s = {
		.dom = DOMID_SELF, .nr_frames = nr, .status = 1,
	};
	long rc;

	set_xen_guest_handle(s.frame_list, list);
	rc = gnttab_op(GNTTABOP_setup_table, &s, 1);
	*status = s.status;
	return rc;
}

static void check_query(void)
{
	struct gnttab_query_size q;
	long rc;

	rc = query(DOMID_SELF, &q);
	kg_check(rc == 0 && q.status == GNTST_okay && q.nr_frames == 1 &&
		 q.max_nr_frames == max_frames,
		 "GNTTABOP_query_size rc %ld status %d: %u of %u frames (want 1 of %u)",
		 rc, q.status, q.nr_frames, q.max_nr_frames, max_frames);
	q.dom = DOMID_SELF;
	rc = gnttab_op(GNTTABOP_query_size, &q, 2);
	kg_check(rc == -XEN_EINVAL,
		 "GNTTABOP_query_size count 2 rc %ld (want -EINVAL)", rc);
	rc = query(NO_SUCH_DOMID, &q);
	kg_check(rc == 0 && q.status == GNTST_bad_domain,
		 "GNTTABOP_query_size(dom %#x) rc %ld status %d (want GNTST_bad_domain)",
		 NO_SUCH_DOMID, rc, q.status);
	rc = gnttab_op(GNTTABOP_query_size, NULL, 1);
	kg_check(rc == -XEN_EFAULT,
		 "GNTTABOP_query_size(NULL) rc %ld (want -EFAULT)", rc);
}

static void check_version(void)
{
	struct gnttab_get_version gv = { .dom = DOMID_SELF };
	struct gnttab_set_version sv = { .version = 1 };
	long rc;

	rc = gnttab_op(GNTTABOP_get_version, &gv, 1);
	kg_check(rc == 0 && gv.version == 1,
		 "GNTTABOP_get_version rc %ld version %u (want 1)", rc,
		 gv.version);
	gv.dom = NO_SUCH_DOMID;
	rc = gnttab_op(GNTTABOP_get_version, &gv, 1);
	kg_check(rc == -XEN_ESRCH,
		 "GNTTABOP_get_version(dom %#x) rc %ld (want -ESRCH)",
		 NO_SUCH_DOMID, rc);
	rc = gnttab_op(GNTTABOP_set_version, &sv, 1);
	kg_check(rc == 0 && sv.version == 1,
		 "GNTTABOP_set_version(1) rc %ld version %u", rc, sv.version);
	sv.version = 3;
	rc = gnttab_op(GNTTABOP_set_version, &sv, 1);
	kg_check(rc == -XEN_EINVAL && sv.version == 1,
		 "GNTTABOP_set_version(3) rc %ld version %u (want -EINVAL, 1)",
		 rc, sv.version);
	sv.version = 2;
	rc = gnttab_op(GNTTABOP_set_version, &sv, 1);
	if (rc == 0 && sv.version == 2) {
		kg_printf("GNTTABOP_set_version(2) rc 0: v2 is enabled here\n");
		sv.version = 1;
		rc = gnttab_op(GNTTABOP_set_version, &sv, 1);
		kg_check(rc == 0 && sv.version == 1,
			 "GNTTABOP_set_version(1) back from 2 rc %ld version %u",
			 rc, sv.version);
		return;
	}
	kg_check(rc == -XEN_ENOSYS && sv.version == 1,
		 "GNTTABOP_set_version(2) rc %ld version %u (want -ENOSYS, 1: v2 disabled)",
		 rc, sv.version);
}

static bool all_zero(const u8 *p)
{
	unsigned int i;

	for (i = 0; i < KG_PAGE_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

/* Frame 0 over our page, then far past RAM; the entry moves with it. */
static void check_frame0(void)
{
	xen_pfn_t gfn = (uintptr_t)over[0] / KG_PAGE_SIZE;
	grant_entry_v1_t *e = (grant_entry_v1_t *)over[0];
	grant_entry_v1_t *far = (grant_entry_v1_t *)FAR_GPA;
	s16 status;
	long rc;

	over[0][100] = 0x5a;
	rc = map_frame(0, gfn);
	if (!kg_check(rc == 0, "XENMEM_add_to_physmap(grant_table 0, gfn %#lx) rc %ld",
		      (unsigned long)gfn, rc))
		return;
	kg_check(all_zero(over[0]), "grant frame 0 reads as zeros");
	e[TEST_REF].domid = 0;
	e[TEST_REF].frame = 0x1234;
	e[TEST_REF].flags = GTF_permit_access;
	rc = setup_table(1, frames, &status);
	kg_check(rc == 0 && status == GNTST_okay && frames[0] == gfn,
		 "GNTTABOP_setup_table(1) rc %ld status %d frame[0] %#lx (want %#lx)",
		 rc, status, (unsigned long)frames[0], (unsigned long)gfn);
	if (!kg_map_page(FAR_GPA, FAR_GPA)) {
		kg_error("cannot map %#llx in our page tables\n", FAR_GPA);
		return;
	}
	rc = map_frame(0, FAR_GPA / KG_PAGE_SIZE);
	kg_check(rc == 0, "XENMEM_add_to_physmap(grant_table 0, gfn %#llx) rc %ld",
		 FAR_GPA / KG_PAGE_SIZE, rc);
	kg_check(rc == 0 && far[TEST_REF].frame == 0x1234 &&
		 far[TEST_REF].flags == GTF_permit_access,
		 "entry %u moved with the frame: flags %#x frame %#x",
		 TEST_REF, rc ? 0 : far[TEST_REF].flags,
		 rc ? 0 : far[TEST_REF].frame);
	rc = setup_table(2, frames, &status);
	kg_check(rc == 0 && status == GNTST_okay &&
		 frames[0] == FAR_GPA / KG_PAGE_SIZE,
		 "GNTTABOP_setup_table(2) rc %ld status %d frame[0] %#lx (want %#llx), frame[1] %#lx",
		 rc, status, (unsigned long)frames[0], FAR_GPA / KG_PAGE_SIZE,
		 (unsigned long)frames[1]);
}

static void check_limits(void)
{
	xen_pfn_t gfn = (uintptr_t)over[1] / KG_PAGE_SIZE;
	struct gnttab_query_size q;
	s16 status;
	long rc;

	rc = map_frame(max_frames, gfn);
	kg_check(rc == -XEN_EINVAL,
		 "XENMEM_add_to_physmap(grant_table %u) rc %ld (want -EINVAL)",
		 max_frames, rc);
	rc = map_frame(1, ~0UL);
	kg_check(rc == -XEN_EINVAL,
		 "XENMEM_add_to_physmap(grant_table 1, INVALID_GFN) rc %ld (want -EINVAL)",
		 rc);
	rc = map_frame(max_frames - 1, gfn);
	query(DOMID_SELF, &q);
	kg_check(rc == 0 && q.nr_frames == max_frames,
		 "XENMEM_add_to_physmap(grant_table %u) rc %ld: %u frames (want %u)",
		 max_frames - 1, rc, q.nr_frames, max_frames);
	rc = setup_table(max_frames + 1, frames, &status);
	kg_check(rc == 0 && status == GNTST_general_error,
		 "GNTTABOP_setup_table(%u) rc %ld status %d (want GNTST_general_error)",
		 max_frames + 1, rc, status);
	rc = setup_table(1, NULL, &status);
	kg_check(rc == 0 && status == GNTST_bad_virt_addr,
		 "GNTTABOP_setup_table(list NULL) rc %ld status %d (want GNTST_bad_virt_addr)",
		 rc, status);
	rc = gnttab_op(GNTTABOP_setup_table, frames, 2);
	kg_check(rc == -XEN_EINVAL,
		 "GNTTABOP_setup_table count 2 rc %ld (want -EINVAL)", rc);
}

static void check_unknown(void)
{
	static const unsigned int cmds[] = {
		GNTTABOP_dump_table, GNTTABOP_get_status_frames, 99,
	};
	unsigned int i;
	long rc;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		rc = gnttab_op(cmds[i], frames, 1);
		kg_check(rc == -XEN_ENOSYS,
			 "grant_table_op command %u rc %ld (want -ENOSYS)",
			 cmds[i], rc);
	}
}

void test_main(void)
{
	unsigned long n = kg_cmdline_ulong("max_frames", MAX_FRAMES);

	kg_require_xen();
	if (n < MIN_FRAMES || n > MAX_FRAMES) {
		kg_error("max_frames=%lu: want %u..%u\n", n, MIN_FRAMES,
			 MAX_FRAMES);
		return;
	}
	max_frames = n;
	kg_printf("gnttab: max_frames %u\n", max_frames);
	check_query();
	check_version();
	check_frame0();
	check_limits();
	check_unknown();
	kg_success(NULL);
}
