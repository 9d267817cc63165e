// SPDX-License-Identifier: GPL-2.0
/*
 * Pinning v1 grant entries for the host's backends: see gnttab_core.h.
 * The entry's flags and domid are one 32-bit word (struct grant_entry_v1
 * in xen/interface/grant_table.h: u16 flags, then domid_t domid), read
 * once and updated with compare-and-exchange, so a guest changing the
 * entry under us is either seen whole or makes the exchange fail.
 */
#include "gnttab_core.h"

/* flags in the low half of the word, domid in the high half (x86). */
#define KXEN_GNT_FLAGS(w)	((u16)(w))
#define KXEN_GNT_DOMID(w)	((u16)((w) >> 16))

_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 layout");
_Static_assert(__builtin_offsetof(struct grant_entry_v1, flags) == 0,
	       "grant_entry_v1 flags");
_Static_assert(__builtin_offsetof(struct grant_entry_v1, domid) == 2,
	       "grant_entry_v1 domid");

static u32 *kxen_gnt_word(struct grant_entry_v1 *e)
{
	return (u32 *)e;
}

/*
 * Only a plain full-page grant to us: GTF_permit_access with none of the
 * sub-page or transitive forms, which v1 entries cannot express anyway
 * (a v1 flags word with GTF_sub_page is refused as Xen's mapping path
 * refuses it).
 */
static bool kxen_gnt_usable(u32 w, u16 ldom, bool readonly)
{
	u16 flags = KXEN_GNT_FLAGS(w);

	if ((flags & (GTF_type_mask | GTF_sub_page)) != GTF_permit_access)
		return false;
	if (KXEN_GNT_DOMID(w) != ldom)
		return false;
	return readonly || !(flags & GTF_readonly);
}

static s16 kxen_gnt_set_flags(struct grant_entry_v1 *e, u16 ldom, bool readonly,
			      bool check)
{
	u32 *word = kxen_gnt_word(e);
	u32 old = READ_ONCE(*word), new, prev;
	unsigned int i;

	for (i = 0; i < KXEN_GNT_CMPXCHG_TRIES; i++) {
		if (check && !kxen_gnt_usable(old, ldom, readonly))
			return GNTST_general_error;
		if (!readonly && (KXEN_GNT_FLAGS(old) & GTF_readonly))
			return GNTST_general_error;
		new = old | GTF_reading | (readonly ? 0 : GTF_writing);
		prev = kxen_cmpxchg32(word, old, new);
		if (prev == old)
			return GNTST_okay;
		old = prev;	/* the guest changed it: look again */
	}
	return GNTST_general_error;	/* unstable: a misbehaving guest */
}

s16 kxen_gnt_pin(struct grant_entry_v1 *e, struct kxen_gnt_active *act,
		 u16 ldom, bool readonly, u32 *frame)
{
	bool first = !act->rd && !act->wr;
	s16 st;

	if ((readonly ? act->rd : act->wr) >= KXEN_GNT_PIN_MAX)
		return GNTST_no_device_space;
	/*
	 * The entry is checked only when not pinned yet (as Xen): once the
	 * host holds it the guest cannot take it back, and the flags say
	 * so.  A writable pin of an entry pinned only for reading must set
	 * GTF_writing, and checks GTF_readonly on the way.
	 */
	if (first || (!readonly && !act->wr)) {
		st = kxen_gnt_set_flags(e, ldom, readonly, first);
		if (st != GNTST_okay)
			return st;
	}
	if (first)
		act->frame = READ_ONCE(e->frame);
	if (readonly)
		act->rd++;
	else
		act->wr++;
	*frame = act->frame;
	return GNTST_okay;
}

void kxen_gnt_unpin(struct grant_entry_v1 *e, struct kxen_gnt_active *act,
		    bool readonly)
{
	u16 clear = 0;

	if (readonly && act->rd)
		act->rd--;
	else if (!readonly && act->wr)
		act->wr--;
	else
		return;		/* not pinned that way: nothing to undo */
	if (!act->wr)
		clear |= GTF_writing;
	if (!act->rd && !act->wr)
		clear |= GTF_reading;
	if (clear)
		kxen_atomic_andnot32(kxen_gnt_word(e), clear);
}
