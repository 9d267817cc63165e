/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shared_info and 2-level event channels for an HVM/PVH guest.
 *
 * The shared_info page (xen.h struct shared_info) is placed over a page of
 * the image with XENMEM_add_to_physmap(XENMAPSPACE_shared_info, idx 0),
 * and event upcalls arrive as an IDT vector set with
 * HVM_PARAM_CALLBACK_IRQ type HVM_PARAM_CALLBACK_TYPE_VECTOR (hvm/params.h).
 * That vector is injected while vcpu_info->evtchn_upcall_pending is set
 * and needs no LAPIC EOI, so the handler clears upcall_pending first,
 * then scans evtchn_pending_sel and evtchn_pending & ~evtchn_mask
 * (xen.h, "2-level" ABI), clears each pending bit and logs its port.
 */
#ifndef KG_EVTCHN_H
#define KG_EVTCHN_H

#include <kg/lib.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

/* NULL until kg_map_shared_info() succeeded. */
extern struct shared_info *kg_shinfo;
/* Where vCPU 0's vcpu_info is: &kg_shinfo->vcpu_info[0] unless moved. */
extern struct vcpu_info *kg_vcpu_info;

/* Maps shared_info into the image; returns the add_to_physmap rc. */
long kg_map_shared_info(void);

/*
 * shared_info mapped (a check line) and vCPU 0's pvclock running (else an
 * ERROR report): what every test that waits for events or time needs.
 */
bool kg_setup_shared_info(void);

/*
 * With interrupts on, until the upcall handler logged @port or @ns passed
 * (and 5 ms more, to count a duplicate); how often it was logged.
 */
unsigned int kg_evtchn_wait_upcall(evtchn_port_t port, u64 ns);

/* SCHEDOP_poll of one port, for @ns at most; returns the rc. */
long kg_poll_port(evtchn_port_t port, u64 ns);
/* The same, returning the ns it took and the rc in *@rc. */
u64 kg_poll_timed(evtchn_port_t port, u64 ns, long *rc);

/* Installs the upcall handler on @vector, then sets the HVM param. */
long kg_evtchn_setup_upcall(unsigned int vector);
/*
 * shared_info, the upcall on @vector, vCPU 0's events unmasked and an IPI
 * port to itself in *@port; a check line for each step that fails.
 */
bool kg_evtchn_setup_self_ipi(unsigned int vector, evtchn_port_t *port);
/*
 * The handler itself, for a test that installs its own around it (a
 * per-vCPU upcall vector, which also needs an EOI).
 */
struct kg_regs;
void kg_evtchn_upcall(struct kg_regs *regs);

/* What the upcall handler saw since the last kg_evtchn_log_reset(). */
#define KG_EVTCHN_LOG_MAX	64
struct kg_evtchn_log {
	unsigned int upcalls;	/* handler invocations */
	unsigned int nr;	/* ports seen (only the first _MAX stored) */
	evtchn_port_t ports[KG_EVTCHN_LOG_MAX];
};

/* Written by the upcall handler: read it with READ_ONCE(). */
extern struct kg_evtchn_log kg_evtchn_log;

void kg_evtchn_log_reset(void);
/* How many times the handler logged @port. */
unsigned int kg_evtchn_seen(evtchn_port_t port);

/* The shared_info bits of @port (no hypercall). */
bool kg_evtchn_is_pending(evtchn_port_t port);
bool kg_evtchn_is_masked(evtchn_port_t port);
void kg_evtchn_mask(evtchn_port_t port);
void kg_evtchn_clear_pending(evtchn_port_t port);

/* Hypercall wrappers; each returns the hypercall's rc. */
long kg_evtchn_bind_virq(u32 virq, u32 vcpu, evtchn_port_t *port);
long kg_evtchn_bind_ipi(u32 vcpu, evtchn_port_t *port);
long kg_evtchn_send(evtchn_port_t port);
long kg_evtchn_close(evtchn_port_t port);
long kg_evtchn_unmask(evtchn_port_t port);
long kg_evtchn_status(evtchn_port_t port, struct evtchn_status *st);

#endif /* KG_EVTCHN_H */
