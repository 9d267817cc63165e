// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the 2-level event channel logic (../evtchn_core.c), built
 * for userspace against Xen's public headers: port lifecycle, the errors
 * Xen returns, and delivery through pending/mask/selector/upcall bits.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../evtchn_core.h"
#include "tap.h"

#define NVCPUS	2
#define DOMID	7

static struct shared_info shinfo;
static bool have_shinfo = true;
static unsigned int kicks[NVCPUS], rises[NVCPUS];
static int remote_sends;

static struct shared_info *t_shinfo(void *priv)
{
	return have_shinfo ? &shinfo : NULL;
}

static struct vcpu_info *t_vcpu_info(void *priv, u32 vcpu)
{
	return have_shinfo ? &shinfo.vcpu_info[vcpu] : NULL;
}

static void t_kick(void *priv, u32 vcpu)
{
	kicks[vcpu]++;
}

static void t_upcall(void *priv, u32 vcpu)
{
	rises[vcpu]++;
}

static int t_send_remote(void *priv, u16 dom, u32 port)
{
	remote_sends++;
	return 0;
}

static const struct kxen_evtchn_ops ops = {
	.shinfo = t_shinfo, .vcpu_info = t_vcpu_info, .kick = t_kick,
	.upcall = t_upcall, .send_remote = t_send_remote,
};

static struct kxen_evtchn ports[KXEN_EVTCHN_2L_PORTS];
static u32 virq_port[NVCPUS * NR_VIRQS];
static struct kxen_evtchn_table t;

static void reset(void)
{
	memset(&shinfo, 0, sizeof(shinfo));
	memset(kicks, 0, sizeof(kicks));
	memset(rises, 0, sizeof(rises));
	remote_sends = 0;
	have_shinfo = true;
	kxen_evtchn_table_init(&t, ports, virq_port, NVCPUS, DOMID, &ops,
			       NULL);
}

static bool pending(u32 p)
{
	return kxen_test(p, shinfo.evtchn_pending);
}

static bool upcall(u32 vcpu)
{
	return shinfo.vcpu_info[vcpu].evtchn_upcall_pending;
}

static void test_alloc_close(void)
{
	struct evtchn_status st;
	int p;

	reset();
	p = kxen_evtchn_alloc_unbound(&t, 0);
	CHECK(p == 1, "first port allocated is 1 (0 is reserved), got %d", p);
	CHECK(!kxen_evtchn_status(&t, p, &st) &&
	      st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0,
	      "status of an unbound port names its remote domain");
	CHECK(kxen_evtchn_send(&t, p) == 0 && !pending(p),
	      "send on an unbound port is silently dropped");
	CHECK(kxen_evtchn_close(&t, p) == 0, "close an unbound port");
	CHECK(!kxen_evtchn_status(&t, p, &st) &&
	      st.status == EVTCHNSTAT_closed, "closed port reports closed");
	CHECK(kxen_evtchn_close(&t, p) == -EINVAL, "double close -> EINVAL");
	CHECK(kxen_evtchn_close(&t, 0) == -EINVAL, "close port 0 -> EINVAL");
	CHECK(kxen_evtchn_close(&t, KXEN_EVTCHN_2L_PORTS) == -EINVAL,
	      "close out of range -> EINVAL");
	CHECK(kxen_evtchn_send(&t, 5000) == -EINVAL,
	      "send out of range -> EINVAL");
	CHECK(kxen_evtchn_alloc_unbound(&t, 0) == 1, "freed port is reused");
}

static void test_ipi_delivery(void)
{
	struct evtchn_status st;
	int p;

	reset();
	p = kxen_evtchn_bind_ipi(&t, 1);
	CHECK(p > 0, "bind_ipi to vCPU1 -> port %d", p);
	CHECK(kxen_evtchn_bind_ipi(&t, NVCPUS) == -ENOENT,
	      "bind_ipi to a missing vCPU -> ENOENT");
	CHECK(!kxen_evtchn_status(&t, p, &st) && st.status == EVTCHNSTAT_ipi &&
	      st.vcpu == 1, "status: ipi on vCPU1");
	CHECK(kxen_evtchn_send(&t, p) == 0 && pending(p) && upcall(1) &&
	      !upcall(0) && kicks[1] == 1,
	      "send sets pending, selector and upcall on vCPU1 and kicks it");
	CHECK(shinfo.vcpu_info[1].evtchn_pending_sel == 1,
	      "selector bit 0 covers port %d", p);
	kxen_evtchn_send(&t, p);
	CHECK(kicks[1] == 1, "a second send while pending does nothing");
	CHECK(kxen_evtchn_bind_vcpu(&t, p, 0) == -EINVAL,
	      "bind_vcpu of an IPI port -> EINVAL");
}

static void test_mask_unmask(void)
{
	int p;

	reset();
	p = kxen_evtchn_bind_ipi(&t, 0);
	kxen_test_and_set(p, shinfo.evtchn_mask);
	kxen_evtchn_send(&t, p);
	CHECK(pending(p) && !upcall(0) &&
	      !shinfo.vcpu_info[0].evtchn_pending_sel,
	      "send on a masked port: pending only, no upcall");
	CHECK(kicks[0] == 1, "a masked send still kicks (pollers)");
	CHECK(kxen_evtchn_unmask(&t, p) == 0 && upcall(0) &&
	      !kxen_test(p, shinfo.evtchn_mask),
	      "unmask of a pending port delivers the upcall");
	CHECK(kxen_evtchn_unmask(&t, 4096) == -EINVAL,
	      "unmask out of range -> EINVAL");
	have_shinfo = false;
	CHECK(kxen_evtchn_send(&t, p) == 0,
	      "send before shared_info exists is harmless");
}

static void test_virq(void)
{
	struct evtchn_status st;
	int p, g;

	reset();
	p = kxen_evtchn_bind_virq(&t, VIRQ_TIMER, 1);
	CHECK(p > 0, "bind VIRQ_TIMER on vCPU1");
	CHECK(kxen_evtchn_bind_virq(&t, VIRQ_TIMER, 1) == -EEXIST,
	      "binding it twice -> EEXIST");
	CHECK(kxen_evtchn_bind_virq(&t, NR_VIRQS, 0) == -EINVAL,
	      "virq out of range -> EINVAL");
	CHECK(kxen_evtchn_bind_virq(&t, VIRQ_CONSOLE, 1) == -EINVAL,
	      "a global VIRQ on vCPU1 -> EINVAL");
	CHECK(kxen_evtchn_bind_virq(&t, VIRQ_TIMER, 5) == -ENOENT,
	      "a per-vCPU VIRQ on a missing vCPU -> ENOENT");
	CHECK(!kxen_evtchn_status(&t, p, &st) && st.status == EVTCHNSTAT_virq &&
	      st.u.virq == VIRQ_TIMER && st.vcpu == 1, "status: virq timer");
	CHECK(kxen_evtchn_send(&t, p) == -EINVAL, "send on a VIRQ -> EINVAL");
	kxen_evtchn_raise_virq(&t, VIRQ_TIMER, 1);
	CHECK(pending(p) && upcall(1), "raising VIRQ_TIMER delivers to vCPU1");
	kxen_evtchn_raise_virq(&t, VIRQ_TIMER, 0);
	CHECK(kicks[0] == 0, "unbound VIRQ_TIMER on vCPU0 does nothing");
	CHECK(kxen_evtchn_bind_vcpu(&t, p, 0) == -EINVAL,
	      "per-vCPU VIRQ cannot be rebound");
	g = kxen_evtchn_bind_virq(&t, VIRQ_CONSOLE, 0);
	CHECK(g > 0 && kxen_evtchn_bind_vcpu(&t, g, 1) == 0,
	      "a global VIRQ can move to vCPU1");
	kxen_evtchn_raise_virq(&t, VIRQ_CONSOLE, 0);
	CHECK(pending(g) && kicks[1] == 2, "and is delivered there");
	CHECK(kxen_evtchn_close(&t, p) == 0 &&
	      kxen_evtchn_bind_virq(&t, VIRQ_TIMER, 1) > 0,
	      "after close the VIRQ can be bound again");
	/* The global VIRQ moved to vCPU 1 is still vCPU 0's slot. */
	CHECK(kxen_evtchn_close(&t, g) == 0, "close the moved global VIRQ");
	g = kxen_evtchn_bind_virq(&t, VIRQ_CONSOLE, 0);
	CHECK(g > 0, "and bind it again (rc %d, want a port)", g);
	kxen_evtchn_raise_virq(&t, VIRQ_CONSOLE, 0);
	CHECK(g > 0 && pending(g), "the new port gets the VIRQ");
}

static void test_loopback(void)
{
	struct evtchn_status st;
	int u, l;

	reset();
	u = kxen_evtchn_alloc_unbound(&t, DOMID);
	l = kxen_evtchn_bind_loopback(&t, u);
	CHECK(l > 0 && l != u, "bind_interdomain to own unbound port");
	CHECK(!kxen_evtchn_status(&t, l, &st) &&
	      st.status == EVTCHNSTAT_interdomain &&
	      st.u.interdomain.port == (u32)u, "status names the peer port");
	CHECK(pending(l), "the new port starts pending (no lost event)");
	CHECK(kxen_evtchn_send(&t, l) == 0 && pending(u),
	      "send on one end marks the other");
	CHECK(kxen_evtchn_bind_loopback(&t, u) == -EINVAL,
	      "binding a connected port again -> EINVAL");
	CHECK(kxen_evtchn_close(&t, l) == 0 &&
	      !kxen_evtchn_status(&t, u, &st) &&
	      st.status == EVTCHNSTAT_unbound,
	      "closing one end leaves the other unbound");
	u = kxen_evtchn_alloc_unbound(&t, 0);
	CHECK(kxen_evtchn_bind_loopback(&t, u) == -EINVAL,
	      "a port meant for another domain cannot be bound locally");
}

static void test_remote_and_reset(void)
{
	struct evtchn_status st;
	int p, q, i, n = 0;

	reset();
	p = kxen_evtchn_alloc_unbound(&t, 0);
	ports[p].state = KXEN_ECS_INTERDOMAIN;	/* as a host backend binds */
	ports[p].remote_port = 3;
	CHECK(kxen_evtchn_send(&t, p) == 0 && remote_sends == 1,
	      "send on a port connected elsewhere goes to the peer");
	for (i = 0; i < 10; i++)
		kxen_evtchn_bind_ipi(&t, 0);
	kxen_evtchn_reset(&t);
	for (i = 1; i < 20; i++) {
		kxen_evtchn_status(&t, i, &st);
		n += st.status != EVTCHNSTAT_closed;
	}
	CHECK(n == 0, "reset closes every port");
	for (i = 1; i < (int)KXEN_EVTCHN_2L_PORTS; i++)
		if (kxen_evtchn_bind_ipi(&t, 0) < 0)
			break;
	CHECK(i == (int)KXEN_EVTCHN_2L_PORTS, "all %d ports can be used", i - 1);
	q = kxen_evtchn_bind_ipi(&t, 0);
	CHECK(q == -ENOSPC, "then allocation fails with ENOSPC");
	kxen_evtchn_send(&t, 4095);
	CHECK(pending(4095) && (shinfo.vcpu_info[0].evtchn_pending_sel >> 63),
	      "the last port maps to the last selector bit");
}

/*
 * A 32-bit guest's shared_info (compat.h): 32-bit words, so 1024 ports,
 * the mask right after 32 words of pending bits, the selector a 32-bit
 * word at vcpu_info offset 4 with one bit per 32 ports.
 */
static u32 *compat_word(unsigned int off)
{
	return (u32 *)((u8 *)&shinfo + off);
}

static void test_compat_layout(void)
{
	u32 *sel1 = compat_word(sizeof(struct vcpu_info) +
				KXEN_COMPAT_VCPU_INFO_SEL);
	u32 *mask = compat_word(KXEN_COMPAT_SHINFO_MASK);
	int p, q;

	reset();
	CHECK(kxen_evtchn_set_compat(&t, true) &&
	      !kxen_evtchn_set_compat(&t, true),
	      "latching the 32-bit layout reports a change once");
	for (p = 0; p < 40; p++)
		q = kxen_evtchn_bind_ipi(&t, 1);
	CHECK(q == 40, "40th IPI port is %d", q);
	kxen_evtchn_send(&t, q);
	CHECK(pending(q) && upcall(1) && *sel1 == 1U << (40 / 32),
	      "send: selector bit %d of the 32-bit word (got %#x)", 40 / 32,
	      *sel1);
	CHECK(((u32 *)shinfo.evtchn_pending)[1] == 1U << (40 % 32),
	      "pending: bit %d of 32-bit word 1", 40 % 32);
	CHECK(shinfo.vcpu_info[1].evtchn_pending_sel == 0,
	      "the 64-bit layout's selector (offset 8) is left alone");
	kxen_evtchn_close(&t, q);
	q = kxen_evtchn_bind_ipi(&t, 0);
	mask[q / 32] |= 1U << (q % 32);
	kxen_evtchn_send(&t, q);
	CHECK(pending(q) && !upcall(0), "the mask is read at offset %d",
	      KXEN_COMPAT_SHINFO_MASK);
	CHECK(kxen_evtchn_unmask(&t, q) == 0 && upcall(0) &&
	      !(mask[q / 32] & (1U << (q % 32))),
	      "unmask clears the 32-bit guest's mask bit and delivers");
	CHECK(kxen_evtchn_send(&t, KXEN_COMPAT_2L_PORTS) == -EINVAL &&
	      kxen_evtchn_unmask(&t, KXEN_COMPAT_2L_PORTS) == -EINVAL,
	      "port %d is past a 32-bit guest's 2-level ports",
	      KXEN_COMPAT_2L_PORTS);
	while ((p = kxen_evtchn_alloc_unbound(&t, 0)) > 0)
		q = p;
	CHECK(p == -ENOSPC && q == KXEN_COMPAT_2L_PORTS - 1,
	      "allocation stops at port %d (last %d)",
	      KXEN_COMPAT_2L_PORTS - 1, q);
	*sel1 = 0;
	kxen_evtchn_vcpu_info_moved(&t, 1);
	CHECK(*sel1 == ~0U && shinfo.vcpu_info[1].evtchn_pending_sel == 0,
	      "a moved vcpu_info rescans all 32 selector bits");
}

/*
 * xl's max_event_channels (Xen's max_evtchn_port): every sub-op that
 * takes a new port stops past it with ENOSPC; ports below it stay.
 */
static void test_max_port(void)
{
	int p, q, u, v, l, i;

	reset();
	t.max_port = 7;
	for (i = 1; i <= 7; i++)
		p = kxen_evtchn_bind_ipi(&t, 0);
	CHECK(p == 7, "ports 1..max_port can be bound (last %d)", p);
	q = kxen_evtchn_alloc_unbound(&t, 0);
	u = kxen_evtchn_bind_virq(&t, VIRQ_TIMER, 0);
	v = kxen_evtchn_bind_ipi(&t, 1);
	CHECK(q == -ENOSPC && u == -ENOSPC && v == -ENOSPC,
	      "alloc_unbound, bind_virq, bind_ipi past it -> ENOSPC");
	kxen_evtchn_close(&t, 3);
	u = kxen_evtchn_alloc_unbound(&t, DOMID);
	l = kxen_evtchn_bind_loopback(&t, u);
	CHECK(u == 3 && l == -ENOSPC,
	      "a closed port is reused; bind_interdomain past it -> ENOSPC");
	CHECK(kxen_evtchn_nr_ports(&t) == KXEN_EVTCHN_2L_PORTS &&
	      kxen_evtchn_usable_ports(&t) == 8,
	      "the ABI's ports are unchanged, 8 of them usable");
}

/*
 * ops->upcall once per rise of evtchn_upcall_pending (Xen's
 * vcpu_mark_events_pending): a per-vCPU upcall vector is an edge, and
 * one raised for an upcall already pending would be spurious.
 */
static void test_upcall_edges(void)
{
	struct vcpu_info *vi = &shinfo.vcpu_info[0];
	int p, q, m;

	reset();
	p = kxen_evtchn_bind_ipi(&t, 0);
	q = kxen_evtchn_bind_ipi(&t, 0);
	kxen_evtchn_send(&t, p);
	CHECK(rises[0] == 1 && upcall(0), "the first event raises the upcall");
	kxen_evtchn_send(&t, q);
	CHECK(rises[0] == 1,
	      "a second port while the upcall is pending: no second rise");
	/* The guest's handler: upcall, selector, pending bits cleared. */
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	memset(shinfo.evtchn_pending, 0, sizeof(shinfo.evtchn_pending));
	kxen_evtchn_send(&t, q);
	CHECK(rises[0] == 2, "after the guest cleared it, it rises again (%u)",
	      rises[0]);
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	m = kxen_evtchn_bind_ipi(&t, 0);
	kxen_test_and_set(m, shinfo.evtchn_mask);
	kxen_evtchn_send(&t, m);
	CHECK(rises[0] == 2, "a masked port does not raise it");
	kxen_evtchn_unmask(&t, m);
	CHECK(rises[0] == 3 && upcall(0), "its unmask does (%u)", rises[0]);
	kxen_evtchn_vcpu_info_moved(&t, 0);
	CHECK(rises[0] == 3, "a vcpu_info move with the upcall up: no rise");
	vi->evtchn_upcall_pending = 0;
	kxen_evtchn_vcpu_info_moved(&t, 0);
	CHECK(rises[0] == 4, "with it down: a rise (%u)", rises[0]);
}

int main(void)
{
	printf("TAP version 13\n");
	test_alloc_close();
	test_ipi_delivery();
	test_mask_unmask();
	test_virq();
	test_loopback();
	test_remote_and_reset();
	test_compat_layout();
	test_max_port();
	test_upcall_edges();
	return tap_done();
}
