// SPDX-License-Identifier: GPL-2.0
/*
 * Compile-time checks of compat.h against the Xen public headers: built
 * with -m32, where the headers give the i386 layouts, each kxen_compat_*
 * struct must match its Xen struct field for field; built with -m32 and
 * -m64, the structs kxen reads or writes in one layout for both callers
 * must have the same size and offsets in both.  Nothing runs: the build
 * is the test (the Makefile compiles it twice and prints a TAP line).
 */
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/grant_table.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/event_channel.h>
#include <xen/version.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/hvm/hvm_vcpu.h>

#include "../compat.h"

#define OFF(s, f)	offsetof(struct s, f)
#define SIZE(s)		sizeof(struct s)
/* One layout for both callers: the same values under -m32 and -m64. */
#define ONE_LAYOUT(s, size) \
	_Static_assert(SIZE(s) == (size), #s " has two layouts")
#define ONE_OFF(s, f, off) \
	_Static_assert(OFF(s, f) == (off), #s " has two layouts")

/* The Makefile defines KXEN_LAYOUT_I386 for its -m32 build. */
#ifdef KXEN_LAYOUT_I386
_Static_assert(SIZE(kxen_compat_add_to_physmap) == SIZE(xen_add_to_physmap) &&
	       OFF(kxen_compat_add_to_physmap, space) ==
	       OFF(xen_add_to_physmap, space) &&
	       OFF(kxen_compat_add_to_physmap, idx) ==
	       OFF(xen_add_to_physmap, idx) &&
	       OFF(kxen_compat_add_to_physmap, gpfn) ==
	       OFF(xen_add_to_physmap, gpfn), "xen_add_to_physmap");

_Static_assert(SIZE(kxen_compat_memory_reservation) ==
	       SIZE(xen_memory_reservation) &&
	       OFF(kxen_compat_memory_reservation, nr_extents) ==
	       OFF(xen_memory_reservation, nr_extents) &&
	       OFF(kxen_compat_memory_reservation, extent_order) ==
	       OFF(xen_memory_reservation, extent_order) &&
	       OFF(kxen_compat_memory_reservation, mem_flags) ==
	       OFF(xen_memory_reservation, mem_flags) &&
	       OFF(kxen_compat_memory_reservation, domid) ==
	       OFF(xen_memory_reservation, domid), "xen_memory_reservation");

_Static_assert(SIZE(kxen_compat_memory_map) == SIZE(xen_memory_map) &&
	       OFF(kxen_compat_memory_map, buffer) ==
	       OFF(xen_memory_map, buffer), "xen_memory_map");

_Static_assert(SIZE(kxen_compat_add_to_physmap_batch) ==
	       SIZE(xen_add_to_physmap_batch) &&
	       OFF(kxen_compat_add_to_physmap_batch, size) ==
	       OFF(xen_add_to_physmap_batch, size) &&
	       OFF(kxen_compat_add_to_physmap_batch, idxs) ==
	       OFF(xen_add_to_physmap_batch, idxs) &&
	       OFF(kxen_compat_add_to_physmap_batch, gpfns) ==
	       OFF(xen_add_to_physmap_batch, gpfns) &&
	       OFF(kxen_compat_add_to_physmap_batch, errs) ==
	       OFF(xen_add_to_physmap_batch, errs), "xen_add_to_physmap_batch");

_Static_assert(SIZE(kxen_compat_gnttab_setup_table) ==
	       SIZE(gnttab_setup_table) &&
	       OFF(kxen_compat_gnttab_setup_table, nr_frames) ==
	       OFF(gnttab_setup_table, nr_frames) &&
	       OFF(kxen_compat_gnttab_setup_table, status) ==
	       OFF(gnttab_setup_table, status) &&
	       OFF(kxen_compat_gnttab_setup_table, frame_list) ==
	       OFF(gnttab_setup_table, frame_list), "gnttab_setup_table");

_Static_assert(SIZE(kxen_compat_sched_poll) == SIZE(sched_poll) &&
	       OFF(kxen_compat_sched_poll, nr_ports) ==
	       OFF(sched_poll, nr_ports) &&
	       OFF(kxen_compat_sched_poll, timeout) ==
	       OFF(sched_poll, timeout), "sched_poll");

_Static_assert(SIZE(kxen_compat_vcpu_runstate_info) ==
	       SIZE(vcpu_runstate_info) &&
	       OFF(kxen_compat_vcpu_runstate_info, state_entry_time) ==
	       OFF(vcpu_runstate_info, state_entry_time) &&
	       OFF(kxen_compat_vcpu_runstate_info, time) ==
	       OFF(vcpu_runstate_info, time), "vcpu_runstate_info");

_Static_assert(SIZE(kxen_compat_vcpu_set_singleshot_timer) ==
	       SIZE(vcpu_set_singleshot_timer) &&
	       OFF(kxen_compat_vcpu_set_singleshot_timer, flags) ==
	       OFF(vcpu_set_singleshot_timer, flags),
	       "vcpu_set_singleshot_timer");

_Static_assert(sizeof(xen_ulong_t) * 8 * sizeof(xen_ulong_t) * 8 ==
	       KXEN_COMPAT_2L_PORTS, "2-level port count");
_Static_assert(OFF(shared_info, evtchn_mask) == KXEN_COMPAT_SHINFO_MASK,
	       "shared_info.evtchn_mask");
_Static_assert(OFF(shared_info, wc_version) == KXEN_COMPAT_SHINFO_WC,
	       "shared_info.wc_version");
_Static_assert(OFF(shared_info, arch.wc_sec_hi) ==
	       KXEN_COMPAT_SHINFO_WC_SEC_HI, "shared_info.arch.wc_sec_hi");
_Static_assert(OFF(vcpu_info, evtchn_pending_sel) ==
	       KXEN_COMPAT_VCPU_INFO_SEL, "vcpu_info.evtchn_pending_sel");
#endif

/*
 * What both kinds of caller share: the pending bitmap's place, the
 * vCPU time record, and the argument structs read without conversion.
 */
ONE_OFF(shared_info, evtchn_pending, 2048);
ONE_LAYOUT(vcpu_info, 64);
ONE_OFF(vcpu_info, time, 32);
ONE_LAYOUT(vcpu_time_info, 32);
ONE_LAYOUT(xen_hvm_param, 16);
ONE_OFF(xen_hvm_param, value, 8);
ONE_LAYOUT(xen_hvm_evtchn_upcall_vector, 8);
ONE_LAYOUT(gnttab_query_size, 16);
ONE_LAYOUT(gnttab_set_version, 4);
ONE_LAYOUT(gnttab_get_version, 8);
ONE_LAYOUT(sched_shutdown, 4);
ONE_LAYOUT(vcpu_register_vcpu_info, 16);
ONE_LAYOUT(vcpu_register_runstate_memory_area, 8);
ONE_LAYOUT(vcpu_register_time_memory_area, 8);
ONE_LAYOUT(vcpu_set_periodic_timer, 8);
ONE_LAYOUT(vcpu_hvm_context, 128);
ONE_OFF(vcpu_hvm_context, cpu_regs, 8);
ONE_LAYOUT(evtchn_alloc_unbound, 8);
ONE_LAYOUT(evtchn_bind_interdomain, 12);
ONE_LAYOUT(evtchn_bind_virq, 12);
ONE_LAYOUT(evtchn_bind_ipi, 8);
ONE_LAYOUT(evtchn_status, 24);
ONE_LAYOUT(evtchn_bind_vcpu, 8);
ONE_LAYOUT(evtchn_init_control, 24);
ONE_LAYOUT(evtchn_expand_array, 8);
ONE_LAYOUT(evtchn_set_priority, 8);
ONE_LAYOUT(xen_feature_info, 8);
ONE_LAYOUT(xen_compile_info, 144);
