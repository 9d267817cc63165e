// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall arguments of 32-bit callers: a guest calling from 32-bit
 * code passes the i386 layouts of compat.h (Xen's compat ABI: the
 * hypercall's mode decides, as Xen's hvm_hypercall() picks the compat
 * table by the vCPU's mode at the call).  Each reader fills the native
 * struct either way, so the handlers know one layout.  Guest handles
 * become guest linear addresses held in the native handle.
 */
#include <linux/types.h>
#include <linux/string.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>

#include "hcall.h"
#include "errno.h"
#include "compat.h"

/* The argument struct at args[@arg]: the native one or @c of @clen. */
static int kxen_hc_read_arg(struct kxen_hcall *hc, int arg, void *native,
			    size_t nlen, void *c, size_t clen)
{
	if (hc->compat ? kxen_gva_read(hc->v, hc->args[arg], c, clen) :
			 kxen_gva_read(hc->v, hc->args[arg], native, nlen))
		return -XEN_EFAULT;
	return 0;
}

static void *kxen_compat_handle(u32 gva)
{
	return (void *)(unsigned long)gva;
}

int kxen_hc_read_physmap(struct kxen_hcall *hc, struct xen_add_to_physmap *a)
{
	struct kxen_compat_add_to_physmap c;
	int ret = kxen_hc_read_arg(hc, 1, a, sizeof(*a), &c, sizeof(c));

	if (ret || !hc->compat)
		return ret;
	*a = (struct xen_add_to_physmap) {
		.domid = c.domid, .size = c.size, .space = c.space,
		.idx = c.idx, .gpfn = c.gpfn,
	};
	return 0;
}

int kxen_hc_read_reservation(struct kxen_hcall *hc,
			     struct xen_memory_reservation *r)
{
	struct kxen_compat_memory_reservation c;
	int ret = kxen_hc_read_arg(hc, 1, r, sizeof(*r), &c, sizeof(c));

	if (ret || !hc->compat)
		return ret;
	*r = (struct xen_memory_reservation) {
		.nr_extents = c.nr_extents, .extent_order = c.extent_order,
		.address_bits = c.mem_flags, .domid = c.domid,
	};
	set_xen_guest_handle(r->extent_start,
			     (xen_pfn_t *)kxen_compat_handle(c.extent_start));
	return 0;
}

/* struct xen_memory_map: only its two fields, either layout. */
int kxen_hc_read_memory_map(struct kxen_hcall *hc, u32 *nr_entries,
			    u64 *buffer)
{
	struct kxen_compat_memory_map c;
	struct xen_memory_map m;
	int ret = kxen_hc_read_arg(hc, 1, &m, sizeof(m), &c, sizeof(c));

	/* The handler writes nr_entries back alone. */
	BUILD_BUG_ON(offsetof(struct xen_memory_map, nr_entries) != 0 ||
		     offsetof(struct kxen_compat_memory_map, nr_entries) != 0);
	if (ret)
		return ret;
	*nr_entries = hc->compat ? c.nr_entries : m.nr_entries;
	*buffer = hc->compat ? c.buffer : (unsigned long)m.buffer;
	return 0;
}

int kxen_hc_read_physmap_batch(struct kxen_hcall *hc,
			       struct xen_add_to_physmap_range *b)
{
	struct kxen_compat_add_to_physmap_batch c;
	int ret = kxen_hc_read_arg(hc, 1, b, sizeof(*b), &c, sizeof(c));

	if (ret || !hc->compat)
		return ret;
	*b = (struct xen_add_to_physmap_range) {
		.domid = c.domid, .space = c.space, .size = c.size,
		.foreign_domid = c.foreign_domid,
	};
	set_xen_guest_handle(b->idxs, kxen_compat_handle(c.idxs));
	set_xen_guest_handle(b->gpfns, kxen_compat_handle(c.gpfns));
	set_xen_guest_handle(b->errs, kxen_compat_handle(c.errs));
	return 0;
}

int kxen_hc_read_setup_table(struct kxen_hcall *hc,
			     struct gnttab_setup_table *s)
{
	struct kxen_compat_gnttab_setup_table c;
	int ret = kxen_hc_read_arg(hc, 1, s, sizeof(*s), &c, sizeof(c));

	/* The handler writes status back at the native offset. */
	BUILD_BUG_ON(offsetof(struct gnttab_setup_table, status) !=
		     offsetof(struct kxen_compat_gnttab_setup_table, status));
	if (ret || !hc->compat)
		return ret;
	*s = (struct gnttab_setup_table) {
		.dom = c.dom, .nr_frames = c.nr_frames, .status = c.status,
	};
	set_xen_guest_handle(s->frame_list,
			     (xen_pfn_t *)kxen_compat_handle(c.frame_list));
	return 0;
}

int kxen_hc_read_poll(struct kxen_hcall *hc, struct sched_poll *p)
{
	struct kxen_compat_sched_poll c;
	int ret = kxen_hc_read_arg(hc, 1, p, sizeof(*p), &c, sizeof(c));

	if (ret || !hc->compat)
		return ret;
	*p = (struct sched_poll) { .nr_ports = c.nr_ports,
				   .timeout = c.timeout };
	set_xen_guest_handle(p->ports,
			     (evtchn_port_t *)kxen_compat_handle(c.ports));
	return 0;
}

/* Same offsets, 4 bytes shorter: only the size read differs. */
int kxen_hc_read_singleshot(struct kxen_hcall *hc,
			    struct vcpu_set_singleshot_timer *t)
{
	BUILD_BUG_ON(offsetof(struct vcpu_set_singleshot_timer, flags) !=
		     offsetof(struct kxen_compat_vcpu_set_singleshot_timer,
			      flags));
	if (kxen_gva_read(hc->v, hc->args[2], t, hc->compat ?
			  sizeof(struct kxen_compat_vcpu_set_singleshot_timer) :
			  sizeof(*t)))
		return -XEN_EFAULT;
	return 0;
}

/* xen_ulong_t and xen_pfn_t are 32 bits wide for a 32-bit caller. */
int kxen_hc_read_ulong(struct kxen_hcall *hc, u64 array, u64 i, u64 *val)
{
	u32 v32;

	if (!hc->compat)
		return kxen_gva_read(hc->v, array + i * 8, val, 8) ?
		       -XEN_EFAULT : 0;
	if (kxen_gva_read(hc->v, array + i * 4, &v32, 4))
		return -XEN_EFAULT;
	*val = v32;
	return 0;
}

int kxen_hc_write_ulong(struct kxen_hcall *hc, u64 array, u64 i, u64 val)
{
	u32 v32 = val;

	if (!hc->compat)
		return kxen_gva_write(hc->v, array + i * 8, &val, 8) ?
		       -XEN_EFAULT : 0;
	return kxen_gva_write(hc->v, array + i * 4, &v32, 4) ?
	       -XEN_EFAULT : 0;
}

int kxen_runstate_write(struct kxen_vcpu *v, u64 gva, bool compat,
			const struct vcpu_runstate_info *rs)
{
	struct kxen_compat_vcpu_runstate_info c;

	if (!compat)
		return kxen_gva_write(v, gva, rs, sizeof(*rs));
	c.state = rs->state;
	c.state_entry_time = rs->state_entry_time;
	memcpy(c.time, rs->time, sizeof(c.time));
	return kxen_gva_write(v, gva, &c, sizeof(c));
}
