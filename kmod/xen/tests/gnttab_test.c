// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of grant-entry pinning (../gnttab_core.c): which entries a
 * backend may pin, the flags the guest sees while it is pinned (its
 * gnttab_end_foreign_access must find the page busy), the frame fixed at
 * the first pin, and a guest that keeps changing the entry.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../gnttab_core.h"
#include "tap.h"

#define BACKEND	0
#define FRAME	0x1234

static struct grant_entry_v1 ent;
static struct kxen_gnt_active act;

static void reset(u16 flags, u16 domid)
{
	ent.flags = flags;
	ent.domid = domid;
	ent.frame = FRAME;
	act = (struct kxen_gnt_active){ 0 };
}

static s16 pin(bool ro, u32 *frame)
{
	return kxen_gnt_pin(&ent, &act, BACKEND, ro, frame);
}

static void test_refusals(void)
{
	u32 f = 0;

	reset(GTF_invalid, BACKEND);
	CHECK(pin(true, &f) == GNTST_general_error, "invalid entry refused");
	reset(GTF_accept_transfer, BACKEND);
	CHECK(pin(true, &f) == GNTST_general_error, "transfer entry refused");
	reset(GTF_transitive, BACKEND);
	CHECK(pin(true, &f) == GNTST_general_error, "transitive refused");
	reset(GTF_permit_access | GTF_sub_page, BACKEND);
	CHECK(pin(true, &f) == GNTST_general_error, "sub-page refused");
	reset(GTF_permit_access, 5);
	CHECK(pin(true, &f) == GNTST_general_error,
	      "entry granted to another domain refused");
	reset(GTF_permit_access | GTF_readonly, BACKEND);
	CHECK(pin(false, &f) == GNTST_general_error,
	      "writable pin of a read-only grant refused");
	CHECK(ent.flags == (GTF_permit_access | GTF_readonly) && !act.rd &&
	      !act.wr && f == 0, "a refusal changes nothing");
}

static void test_pin_unpin(void)
{
	u32 f = 0;

	reset(GTF_permit_access | GTF_readonly, BACKEND);
	CHECK(pin(true, &f) == GNTST_okay && f == FRAME,
	      "read-only pin of a read-only grant");
	CHECK(ent.flags == (GTF_permit_access | GTF_readonly | GTF_reading),
	      "GTF_reading set, GTF_writing not");
	kxen_gnt_unpin(&ent, &act, true);
	CHECK(ent.flags == (GTF_permit_access | GTF_readonly),
	      "last unpin clears GTF_reading");

	reset(GTF_permit_access, BACKEND);
	CHECK(pin(false, &f) == GNTST_okay &&
	      ent.flags == (GTF_permit_access | GTF_reading | GTF_writing),
	      "writable pin sets GTF_reading and GTF_writing");
	CHECK(pin(true, &f) == GNTST_okay && act.rd == 1 && act.wr == 1,
	      "a second, read-only pin of the same entry");
	kxen_gnt_unpin(&ent, &act, false);
	CHECK(ent.flags == (GTF_permit_access | GTF_reading),
	      "last writable unpin clears only GTF_writing");
	kxen_gnt_unpin(&ent, &act, true);
	CHECK(ent.flags == GTF_permit_access && !act.rd && !act.wr,
	      "last unpin clears GTF_reading");
	kxen_gnt_unpin(&ent, &act, true);
	CHECK(ent.flags == GTF_permit_access && !act.rd && !act.wr,
	      "an unpin with no pin does nothing");
}

static void test_pinned_entry(void)
{
	u32 f = 0;

	reset(GTF_permit_access, BACKEND);
	CHECK(pin(true, &f) == GNTST_okay, "read-only pin");
	/* The guest rewrites the entry while we hold it. */
	ent.frame = 0x9999;
	ent.flags |= GTF_readonly;
	CHECK(pin(true, &f) == GNTST_okay && f == FRAME,
	      "later pins use the frame of the first");
	CHECK(pin(false, &f) == GNTST_general_error && act.wr == 0,
	      "upgrade to writable checks GTF_readonly again");
	ent.flags &= ~GTF_readonly;
	CHECK(pin(false, &f) == GNTST_okay && (ent.flags & GTF_writing) &&
	      f == FRAME, "upgrade to writable sets GTF_writing");
	kxen_gnt_unpin(&ent, &act, false);
	kxen_gnt_unpin(&ent, &act, true);
	kxen_gnt_unpin(&ent, &act, true);
	CHECK(!(ent.flags & (GTF_reading | GTF_writing)), "all released");
	reset(GTF_permit_access, BACKEND);
	act.rd = KXEN_GNT_PIN_MAX;
	CHECK(pin(true, &f) == GNTST_no_device_space,
	      "pin count overflow refused");
}

/* The guest flips a bit that does not matter before every exchange. */
static int flips, flip_limit;

static void flip_pat(u32 *w)
{
	if (flips++ < flip_limit)
		__atomic_fetch_xor(w, GTF_PWT, __ATOMIC_SEQ_CST);
}

/* The guest revokes its grant between our read and the exchange. */
static void revoke(u32 *w)
{
	__atomic_fetch_and(w, ~(u32)GTF_type_mask, __ATOMIC_SEQ_CST);
	kxen_test_cmpxchg_hook = NULL;
}

static void test_racing_guest(void)
{
	u32 f = 0;

	reset(GTF_permit_access, BACKEND);
	flips = 0;
	flip_limit = KXEN_GNT_CMPXCHG_TRIES - 1;
	kxen_test_cmpxchg_hook = flip_pat;
	CHECK(pin(false, &f) == GNTST_okay && (ent.flags & GTF_writing),
	      "an entry changing under us is retried");
	kxen_gnt_unpin(&ent, &act, false);

	reset(GTF_permit_access, BACKEND);
	flips = 0;
	flip_limit = 1000;
	CHECK(pin(false, &f) == GNTST_general_error && !act.wr &&
	      !(ent.flags & (GTF_reading | GTF_writing)) &&
	      flips == KXEN_GNT_CMPXCHG_TRIES,
	      "an entry that never settles fails after %d tries",
	      KXEN_GNT_CMPXCHG_TRIES);

	reset(GTF_permit_access, BACKEND);
	kxen_test_cmpxchg_hook = revoke;
	CHECK(pin(true, &f) == GNTST_general_error &&
	      !(ent.flags & GTF_reading),
	      "a grant revoked during the pin is refused on the re-read");
	kxen_test_cmpxchg_hook = NULL;
}

int main(void)
{
	test_refusals();
	test_pin_unpin();
	test_pinned_entry();
	test_racing_guest();
	return tap_done();
}
