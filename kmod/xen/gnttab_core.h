/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant entries as the host's backends use them: pinning a guest's v1
 * grant entry for a mapping (Xen's _set_status_v1 and gnttab_clear_flags
 * in xen/common/grant_table.c), as plain C over plain structs so the
 * userspace unit tests run the same code.  The caller holds the grant
 * table's lock; the guest writes its entries concurrently, which is why
 * an entry is read once and updated only with compare-and-exchange.
 *
 * Version 1 entries only.  A v2 table would add its own pin function over
 * grant_entry_header_t and the status array; the active entries below do
 * not depend on the version.
 */
#ifndef KXEN_XEN_GNTTAB_CORE_H
#define KXEN_XEN_GNTTAB_CORE_H

#include "plat.h"
#ifdef __KERNEL__
#include <xen/interface/grant_table.h>
#else
#include <xen/grant_table.h>
#endif

/* v1 entries in one 4 KiB grant frame. */
#define KXEN_GNT_PER_FRAME	(4096 / sizeof(struct grant_entry_v1))
/* Pins of one entry at most, of each kind (Xen's are 8-bit counters x 2). */
#define KXEN_GNT_PIN_MAX	0xffffu
/* Tries of the flags' compare-and-exchange before the entry is unstable. */
#define KXEN_GNT_CMPXCHG_TRIES	5

/*
 * What the host holds of one grant entry (Xen's active_grant_entry): the
 * frame recorded at the first pin, used by every later pin while any
 * remains, whatever the guest writes into the entry meanwhile.
 */
struct kxen_gnt_active {
	u32 frame;
	u16 rd;		/* read-only pins */
	u16 wr;		/* writable pins */
};

/*
 * Pin entry @e for domain @ldom (the host's backends: 0), writable unless
 * @readonly.  The first pin checks a single read of flags and domid
 * (GTF_permit_access, domid == @ldom, not GTF_readonly for a writable
 * pin, no sub-page or transitive grant) and sets GTF_reading, plus
 * GTF_writing for a writable pin, with compare-and-exchange.  Returns
 * GNTST_okay with the frame in *@frame, or a GNTST_* error; nothing
 * changes on error.
 */
s16 kxen_gnt_pin(struct grant_entry_v1 *e, struct kxen_gnt_active *act,
		 u16 ldom, bool readonly, u32 *frame);

/* Drop a pin: GTF_writing goes with the last writable one, GTF_reading
 * with the last of all (the guest may then end foreign access).
 */
void kxen_gnt_unpin(struct grant_entry_v1 *e, struct kxen_gnt_active *act,
		    bool readonly);

#endif /* KXEN_XEN_GNTTAB_CORE_H */
