/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 32-bit (i386) layouts of the Xen ABI structs whose x86_64 layout
 * differs, for guests that call from 32-bit code (Xen's compat ABI,
 * xen/include/compat/ generated from the same public headers).  In them
 * xen_ulong_t, xen_pfn_t and guest handles are 32 bits wide and a
 * u64 field is only 4-byte aligned.  Only the structs of the
 * hypercalls kxen serves are here; the rest have one layout for both
 * (kmod/xen/tests/compat_layout_test.c checks both claims against the
 * Xen public headers built with -m32).  Plain C, also for the tests.
 */
#ifndef KXEN_XEN_COMPAT_H
#define KXEN_XEN_COMPAT_H

/*
 * Userspace builds (kmod/xen/tests) define u16..s32, __packed and
 * __aligned() on the compiler's command line.
 */
#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/compiler.h>
#endif

/* memory.h */
struct kxen_compat_add_to_physmap {
	u16 domid;
	u16 size;
	u32 space;
	u32 idx;			/* xen_ulong_t */
	u32 gpfn;			/* xen_pfn_t */
};

struct kxen_compat_memory_reservation {
	u32 extent_start;		/* XEN_GUEST_HANDLE(xen_pfn_t) */
	u32 nr_extents;		/* xen_ulong_t */
	u32 extent_order;
	u32 mem_flags;
	u16 domid;
};

struct kxen_compat_memory_map {
	u32 nr_entries;
	u32 buffer;		/* XEN_GUEST_HANDLE(void) */
};

struct kxen_compat_add_to_physmap_batch {
	u16 domid;
	u16 space;
	u16 size;
	u16 foreign_domid;
	u32 idxs;			/* XEN_GUEST_HANDLE(xen_ulong_t) */
	u32 gpfns;			/* XEN_GUEST_HANDLE(xen_pfn_t) */
	u32 errs;			/* XEN_GUEST_HANDLE(int) */
};

/* grant_table.h */
struct kxen_compat_gnttab_setup_table {
	u16 dom;
	u32 nr_frames;
	s16 status;
	u32 frame_list;		/* XEN_GUEST_HANDLE(xen_pfn_t) */
};

/* sched.h */
struct kxen_compat_sched_poll {
	u32 ports;			/* XEN_GUEST_HANDLE(evtchn_port_t) */
	u32 nr_ports;
	u64 timeout;
};

/* vcpu.h */
struct kxen_compat_vcpu_runstate_info {
	s32 state;
	u64 state_entry_time;
	u64 time[4];
} __packed __aligned(4);

struct kxen_compat_vcpu_set_singleshot_timer {
	u64 timeout_abs_ns;
	u32 flags;
} __packed __aligned(4);

/*
 * xen.h, struct shared_info and struct vcpu_info of a 32-bit guest:
 * 32-bit event words, so 32 * 32 = 1024 2-level ports; the pending
 * bitmap starts where the 64-bit one does and the mask follows it.
 */
#define KXEN_COMPAT_2L_PORTS		1024
#define KXEN_COMPAT_SHINFO_MASK		2176	/* evtchn_mask[] */
#define KXEN_COMPAT_SHINFO_WC		2304	/* wc_version, wc_sec, wc_nsec */
#define KXEN_COMPAT_SHINFO_WC_SEC_HI	2340	/* arch.wc_sec_hi */
#define KXEN_COMPAT_VCPU_INFO_SEL	4	/* evtchn_pending_sel */

#endif /* KXEN_XEN_COMPAT_H */
