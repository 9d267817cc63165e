// SPDX-License-Identifier: GPL-2.0
/*
 * evtchn: 2-level event channels as an HVM/PVH guest sees them.
 *
 * shared_info is mapped with XENMEM_add_to_physmap and upcalls come on
 * vector UPCALL_VECTOR (HVM_PARAM_CALLBACK_IRQ, vector type); see
 * kg/evtchn.h.  Then: an IPI port delivers exactly one upcall per send,
 * a masked port only sets its pending bit until EVTCHNOP_unmask,
 * EVTCHNOP_status reports each state, error cases return Xen's errno,
 * SCHEDOP_poll sleeps until its timeout or returns at once for a pending
 * port, and EVTCHNOP_reset closes everything.
 *
 * References: Xen public event_channel.h, xen.h (shared_info, vcpu_info,
 * VIRQ_*), sched.h (SCHEDOP_poll), hvm/params.h.  Error values are those
 * of Xen 4.17 common/event_channel.c: a port that is free or reserved
 * (port 0) or beyond the valid range is -EINVAL for send, close and
 * unmask; a per-vCPU VIRQ or an IPI cannot be moved (bind_vcpu -EINVAL);
 * a VIRQ bound twice is -EEXIST; a vCPU that does not exist is -ENOENT.
 *
 * With max_port=N on the command line (the domain made with xl.cfg's
 * max_event_channels = N, Xen's max_evtchn_port), ports up to N can be
 * allocated and the next one is -ENOSPC (evtchn_allocate_port()), for
 * EVTCHNOP_alloc_unbound and bind_ipi alike.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <xen/sched.h>

KG_TEST_TITLE("evtchn");

#define UPCALL_VECTOR	0xf3
/* The first port past the 2-level ABI's range. */
#define BAD_PORT	((evtchn_port_t)EVTCHN_2L_NR_CHANNELS)
#define NO_SUCH_VCPU	99
#define WAIT_NS		(100 * KG_NSEC_PER_MSEC)
#define POLL_NS		(20 * KG_NSEC_PER_MSEC)

static bool setup(void)
{
	long rc;

	if (!kg_setup_shared_info())
		return false;
	rc = kg_evtchn_setup_upcall(UPCALL_VECTOR);
	if (!kg_check(rc == 0,
		      "HVMOP_set_param(CALLBACK_IRQ, vector %#x) rc %ld",
		      UPCALL_VECTOR, rc))
		return false;
	/* HVM delivery is gated by EFLAGS.IF; clear the PV-style mask too. */
	kg_vcpu_info->evtchn_upcall_mask = 0;
	return true;
}

static void check_status(evtchn_port_t port, u32 want, const char *what)
{
	struct evtchn_status st;
	long rc = kg_evtchn_status(port, &st);

	kg_check(rc == 0 && st.status == want,
		 "EVTCHNOP_status(%u) %s: rc %ld status %u (want %u)",
		 port, what, rc, st.status, want);
}

static void send_and_count(evtchn_port_t p)
{
	xen_ulong_t sel_bit = (xen_ulong_t)1 << (p / (sizeof(xen_ulong_t) * 8));
	unsigned int seen;
	long rc;

	kg_evtchn_log_reset();
	kg_sti();
	rc = kg_evtchn_send(p);
	seen = kg_evtchn_wait_upcall(p, WAIT_NS);
	kg_check(rc == 0 && seen == 1,
		 "EVTCHNOP_send(%u) rc %ld with IF=1: upcall saw it %u time(s) (want 1)",
		 p, rc, seen);
	kg_check(!kg_evtchn_is_pending(p),
		 "port %u not pending after the upcall", p);

	/* Interrupts off: Xen only marks it; the upcall comes on STI. */
	kg_evtchn_log_reset();
	rc = kg_evtchn_send(p);
	kg_check(rc == 0 && kg_evtchn_is_pending(p) &&
		 READ_ONCE(kg_vcpu_info->evtchn_upcall_pending) &&
		 (kg_vcpu_info->evtchn_pending_sel & sel_bit) &&
		 !READ_ONCE(kg_evtchn_log.upcalls),
		 "EVTCHNOP_send(%u) rc %ld with IF=0: pending %d, upcall_pending %u, pending_sel %#lx, %u upcall(s)",
		 p, rc, kg_evtchn_is_pending(p),
		 kg_vcpu_info->evtchn_upcall_pending,
		 (unsigned long)kg_vcpu_info->evtchn_pending_sel,
		 READ_ONCE(kg_evtchn_log.upcalls));
	seen = kg_evtchn_wait_upcall(p, WAIT_NS);
	kg_check(seen == 1,
		 "after STI the upcall saw port %u %u time(s) (want 1)", p,
		 seen);
}

static void masked_send(evtchn_port_t p)
{
	unsigned int seen;
	bool masked;
	long rc;

	kg_evtchn_mask(p);
	kg_evtchn_log_reset();
	rc = kg_evtchn_send(p);
	kg_sti();
	kg_delay_ns(10 * KG_NSEC_PER_MSEC);
	kg_cli();
	kg_check(rc == 0 && !kg_evtchn_seen(p) && kg_evtchn_is_pending(p),
		 "EVTCHNOP_send(%u) masked: rc %ld, %u upcall(s) (want 0), pending %d (want 1)",
		 p, rc, kg_evtchn_seen(p), kg_evtchn_is_pending(p));
	rc = kg_evtchn_unmask(p);
	masked = kg_evtchn_is_masked(p);
	seen = kg_evtchn_wait_upcall(p, WAIT_NS);
	kg_check(rc == 0 && !masked && seen == 1,
		 "EVTCHNOP_unmask(%u) rc %ld: mask %d (want 0), upcall saw it %u time(s) (want 1)",
		 p, rc, masked, seen);
}

static void test_ipi(void)
{
	struct evtchn_bind_vcpu bv;
	struct evtchn_status st;
	evtchn_port_t p, p2;
	long rc;

	rc = kg_evtchn_bind_ipi(0, &p);
	if (!kg_check(rc == 0 && p != 0 && p < BAD_PORT,
		      "EVTCHNOP_bind_ipi(vcpu 0) rc %ld port %u", rc, p))
		return;
	send_and_count(p);
	masked_send(p);
	rc = kg_evtchn_status(p, &st);
	kg_check(rc == 0 && st.status == EVTCHNSTAT_ipi && st.vcpu == 0,
		 "EVTCHNOP_status(%u) rc %ld status %u vcpu %u (want %u, 0)",
		 p, rc, st.status, st.vcpu, EVTCHNSTAT_ipi);
	bv = (struct evtchn_bind_vcpu){ .port = p, .vcpu = 0 };
	rc = kg_evtchn_op(EVTCHNOP_bind_vcpu, &bv);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_bind_vcpu(IPI port %u) rc %ld (want -EINVAL)", p, rc);
	rc = kg_evtchn_bind_ipi(NO_SUCH_VCPU, &p2);
	kg_check(rc == -XEN_ENOENT,
		 "EVTCHNOP_bind_ipi(vcpu %u) rc %ld (want -ENOENT)",
		 NO_SUCH_VCPU, rc);
	rc = kg_evtchn_close(p);
	kg_check(rc == 0, "EVTCHNOP_close(%u) rc %ld", p, rc);
	check_status(p, EVTCHNSTAT_closed, "after close");
}

static void test_unbound(void)
{
	struct evtchn_alloc_unbound au = {
		.dom = DOMID_SELF, .remote_dom = 0,
	};
	struct evtchn_bind_vcpu bv;
	struct evtchn_status st;
	long rc;

	rc = kg_evtchn_op(EVTCHNOP_alloc_unbound, &au);
	if (!kg_check(rc == 0 && au.port != 0,
		      "EVTCHNOP_alloc_unbound(self, remote 0) rc %ld port %u",
		      rc, au.port))
		return;
	rc = kg_evtchn_status(au.port, &st);
	kg_check(rc == 0 && st.status == EVTCHNSTAT_unbound &&
		 st.u.unbound.dom == 0,
		 "EVTCHNOP_status(%u) rc %ld status %u remote dom %u (want %u, 0)",
		 au.port, rc, st.status, st.u.unbound.dom, EVTCHNSTAT_unbound);
	/* Nobody is connected: Xen drops the event and returns 0. */
	rc = kg_evtchn_send(au.port);
	kg_check(rc == 0 && !kg_evtchn_is_pending(au.port),
		 "EVTCHNOP_send(unbound %u) rc %ld (want 0), pending %d (want 0)",
		 au.port, rc, kg_evtchn_is_pending(au.port));
	bv = (struct evtchn_bind_vcpu){ .port = au.port, .vcpu = 0 };
	rc = kg_evtchn_op(EVTCHNOP_bind_vcpu, &bv);
	kg_check(rc == 0, "EVTCHNOP_bind_vcpu(unbound %u, vcpu 0) rc %ld",
		 au.port, rc);
	rc = kg_evtchn_close(au.port);
	kg_check(rc == 0, "EVTCHNOP_close(%u) rc %ld", au.port, rc);
	check_status(au.port, EVTCHNSTAT_closed, "after close");
	rc = kg_evtchn_send(au.port);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_send(closed %u) rc %ld (want -EINVAL)", au.port, rc);
	rc = kg_evtchn_close(au.port);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_close(closed %u) rc %ld (want -EINVAL)", au.port,
		 rc);
}

static void test_virq(void)
{
	struct evtchn_bind_vcpu bv;
	struct evtchn_status st;
	evtchn_port_t p, p2;
	long rc;

	/* VIRQ_DEBUG is per-vCPU (xen.h "V."), so any domain may bind it. */
	rc = kg_evtchn_bind_virq(VIRQ_DEBUG, 0, &p);
	if (!kg_check(rc == 0 && p != 0,
		      "EVTCHNOP_bind_virq(VIRQ_DEBUG, vcpu 0) rc %ld port %u",
		      rc, p))
		return;
	rc = kg_evtchn_status(p, &st);
	kg_check(rc == 0 && st.status == EVTCHNSTAT_virq &&
		 st.u.virq == VIRQ_DEBUG && st.vcpu == 0,
		 "EVTCHNOP_status(%u) rc %ld status %u virq %u vcpu %u (want %u, %u, 0)",
		 p, rc, st.status, st.u.virq, st.vcpu, EVTCHNSTAT_virq,
		 VIRQ_DEBUG);
	rc = kg_evtchn_bind_virq(VIRQ_DEBUG, 0, &p2);
	kg_check(rc == -XEN_EEXIST,
		 "EVTCHNOP_bind_virq(VIRQ_DEBUG) again rc %ld (want -EEXIST)",
		 rc);
	bv = (struct evtchn_bind_vcpu){ .port = p, .vcpu = 0 };
	rc = kg_evtchn_op(EVTCHNOP_bind_vcpu, &bv);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_bind_vcpu(per-vCPU VIRQ port %u) rc %ld (want -EINVAL)",
		 p, rc);
	rc = kg_evtchn_bind_virq(NR_VIRQS, 0, &p2);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_bind_virq(%u) rc %ld (want -EINVAL)", NR_VIRQS, rc);
	rc = kg_evtchn_bind_virq(VIRQ_DEBUG, NO_SUCH_VCPU, &p2);
	kg_check(rc == -XEN_ENOENT,
		 "EVTCHNOP_bind_virq(VIRQ_DEBUG, vcpu %u) rc %ld (want -ENOENT)",
		 NO_SUCH_VCPU, rc);
	rc = kg_evtchn_close(p);
	kg_check(rc == 0, "EVTCHNOP_close(VIRQ port %u) rc %ld", p, rc);
}

static void test_bad_ports(void)
{
	struct evtchn_status st;
	long rc;

	rc = kg_evtchn_close(0);
	kg_check(rc == -XEN_EINVAL, "EVTCHNOP_close(0) rc %ld (want -EINVAL)",
		 rc);
	rc = kg_evtchn_send(0);
	kg_check(rc == -XEN_EINVAL, "EVTCHNOP_send(0) rc %ld (want -EINVAL)",
		 rc);
	rc = kg_evtchn_status(0, &st);
	kg_check(rc == 0 && st.status == EVTCHNSTAT_closed,
		 "EVTCHNOP_status(0) rc %ld status %u (want 0, closed)", rc,
		 st.status);
	rc = kg_evtchn_close(BAD_PORT);
	kg_check(rc == -XEN_EINVAL, "EVTCHNOP_close(%u) rc %ld (want -EINVAL)",
		 BAD_PORT, rc);
	rc = kg_evtchn_send(BAD_PORT);
	kg_check(rc == -XEN_EINVAL, "EVTCHNOP_send(%u) rc %ld (want -EINVAL)",
		 BAD_PORT, rc);
	rc = kg_evtchn_unmask(BAD_PORT);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_unmask(%u) rc %ld (want -EINVAL)", BAD_PORT, rc);
	rc = kg_evtchn_status(BAD_PORT, &st);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_status(%u) rc %ld (want -EINVAL)", BAD_PORT, rc);
	rc = kg_evtchn_op(99, &st);
	kg_check(rc == -XEN_ENOSYS,
		 "event_channel_op command 99 rc %ld (want -ENOSYS)", rc);
}

static void test_poll(void)
{
	evtchn_port_t p = 0;
	u64 ns, tsc0, tsc;
	long rc;

	rc = kg_evtchn_bind_ipi(0, &p);
	if (!kg_check(rc == 0, "poll: EVTCHNOP_bind_ipi rc %ld port %u", rc,
		      p))
		return;
	kg_evtchn_mask(p);
	tsc0 = kg_rdtsc();
	ns = kg_poll_timed(p, POLL_NS, &rc);
	tsc = kg_rdtsc() - tsc0;
	kg_check(rc == 0 && ns >= POLL_NS && ns < 50 * POLL_NS,
		 "SCHEDOP_poll(idle port %u, %lu ms timeout) rc %ld after %llu us (%llu TSC ticks)",
		 p, POLL_NS / KG_NSEC_PER_MSEC, rc,
		 (unsigned long long)ns / 1000, (unsigned long long)tsc);
	kg_evtchn_send(p);
	ns = kg_poll_timed(p, 50 * POLL_NS, &rc);
	kg_check(rc == 0 && ns < POLL_NS && kg_evtchn_is_pending(p),
		 "SCHEDOP_poll(pending port %u) rc %ld after %llu us (want < %lu), still pending %d",
		 p, rc, (unsigned long long)ns / 1000, POLL_NS / 1000,
		 kg_evtchn_is_pending(p));
	kg_evtchn_clear_pending(p);
	ns = kg_poll_timed(BAD_PORT, POLL_NS, &rc);
	kg_check(rc == -XEN_EINVAL,
		 "SCHEDOP_poll(port %u) rc %ld (want -EINVAL)", BAD_PORT, rc);
	kg_evtchn_unmask(p);
	kg_evtchn_close(p);
}

static void test_reset(void)
{
	struct evtchn_reset r = { .dom = DOMID_SELF };
	struct evtchn_alloc_unbound au = {
		.dom = DOMID_SELF, .remote_dom = 0,
	};
	evtchn_port_t ipi = 0, virq = 0;
	long rc;

	kg_evtchn_bind_ipi(0, &ipi);
	kg_evtchn_bind_virq(VIRQ_DEBUG, 0, &virq);
	kg_evtchn_op(EVTCHNOP_alloc_unbound, &au);
	if (!kg_check(ipi && virq && au.port,
		      "reset: ports %u (IPI) %u (VIRQ) %u (unbound) open",
		      ipi, virq, au.port))
		return;
	rc = kg_evtchn_op(EVTCHNOP_reset, &r);
	kg_check(rc == 0, "EVTCHNOP_reset(DOMID_SELF) rc %ld", rc);
	check_status(ipi, EVTCHNSTAT_closed, "IPI after reset");
	check_status(virq, EVTCHNSTAT_closed, "VIRQ after reset");
	check_status(au.port, EVTCHNSTAT_closed, "unbound after reset");
	rc = kg_evtchn_bind_virq(VIRQ_DEBUG, 0, &virq);
	kg_check(rc == 0, "EVTCHNOP_bind_virq(VIRQ_DEBUG) after reset rc %ld",
		 rc);
}

/* After test_reset: every port but VIRQ_DEBUG's is free. */
static void test_max_port(unsigned long max)
{
	struct evtchn_reset r = { .dom = DOMID_SELF };
	struct evtchn_alloc_unbound au;
	evtchn_port_t last = 0, ipi = 0;
	long rc;

	for (;;) {
		au = (struct evtchn_alloc_unbound){
			.dom = DOMID_SELF, .remote_dom = 0,
		};
		rc = kg_evtchn_op(EVTCHNOP_alloc_unbound, &au);
		if (rc || au.port > max)
			break;
		last = au.port;
	}
	kg_check(rc == -XEN_ENOSPC && last == max,
		 "max_port %lu: EVTCHNOP_alloc_unbound up to port %u, then rc %ld (want %lu, -ENOSPC)",
		 max, last, rc, max);
	rc = kg_evtchn_bind_ipi(0, &ipi);
	kg_check(rc == -XEN_ENOSPC,
		 "max_port %lu: EVTCHNOP_bind_ipi when all are taken rc %ld (want -ENOSPC)",
		 max, rc);
	rc = kg_evtchn_op(EVTCHNOP_reset, &r);
	kg_check(rc == 0, "EVTCHNOP_reset after max_port rc %ld", rc);
}

void test_main(void)
{
	unsigned long max_port = kg_cmdline_ulong("max_port", 0);

	kg_require_xen();
	kg_printf("evtchn: domid %ld\n", kg_xen_domid());
	if (!setup())
		return;
	test_ipi();
	test_unbound();
	test_virq();
	test_bad_ports();
	test_poll();
	test_reset();
	if (max_port)
		test_max_port(max_port);
	kg_success(NULL);
}
