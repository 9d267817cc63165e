// SPDX-License-Identifier: GPL-2.0
/*
 * shared_info mapping, the event-channel upcall and EVTCHNOP wrappers.
 * See kg/evtchn.h; ABI from Xen public xen.h (struct shared_info,
 * struct vcpu_info), memory.h (XENMEM_add_to_physmap), hvm/params.h
 * (HVM_PARAM_CALLBACK_IRQ) and event_channel.h.
 */
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <kg/time.h>
#include <kg/traps.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/sched.h>

/*
 * The 2-level words are xen_ulong_t: 8 bytes in the 64-bit build, 4 in
 * the 32-bit one, which moves evtchn_pending_sel and evtchn_mask (xen.h).
 * Both builds test the layout their mode gets from the hypervisor.
 */
#ifdef __x86_64__
static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "64-bit vcpu_info");
static_assert(offsetof(struct shared_info, evtchn_mask) == 2560, "64-bit shared_info");
#else
static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 4, "32-bit vcpu_info");
static_assert(offsetof(struct shared_info, evtchn_mask) == 2176, "32-bit shared_info");
#endif
static_assert(offsetof(struct shared_info, evtchn_pending) == 2048, "shared_info");

#define BITS_PER_WORD	(sizeof(xen_ulong_t) * 8)
#define NR_PORTS	(sizeof(((struct shared_info *)0)->evtchn_pending) * 8)

struct shared_info *kg_shinfo;
struct vcpu_info *kg_vcpu_info;
struct kg_evtchn_log kg_evtchn_log;

/* The RAM page Xen's shared_info frame replaces in our physmap. */
static u8 shinfo_page[KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);

long kg_map_shared_info(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (uintptr_t)shinfo_page / KG_PAGE_SIZE,
	};
	long rc = kg_memory_op(XENMEM_add_to_physmap, &xatp);

	if (!rc) {
		kg_shinfo = (struct shared_info *)shinfo_page;
		kg_vcpu_info = &kg_shinfo->vcpu_info[0];
	}
	return rc;
}

static void log_port(evtchn_port_t port)
{
	unsigned int n = kg_evtchn_log.nr;

	if (n < KG_EVTCHN_LOG_MAX)
		WRITE_ONCE(kg_evtchn_log.ports[n], port);
	WRITE_ONCE(kg_evtchn_log.nr, n + 1);
}

/* One upcall: the 2-level scan of xen.h, lowest port first. */
void kg_evtchn_upcall(struct kg_regs *regs)
{
	struct vcpu_info *vi = kg_vcpu_info;
	xen_ulong_t sel, bits;
	unsigned int w, b;

	(void)regs;
	WRITE_ONCE(kg_evtchn_log.upcalls, kg_evtchn_log.upcalls + 1);
	/* Clear before scanning, so an event set meanwhile re-raises it. */
	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
				  __ATOMIC_SEQ_CST);
	while (sel) {
		w = __builtin_ctzl(sel);
		sel &= sel - 1;
		bits = kg_shinfo->evtchn_pending[w] & ~kg_shinfo->evtchn_mask[w];
		while (bits) {
			b = __builtin_ctzl(bits);
			bits &= bits - 1;
			kg_evtchn_clear_pending(w * BITS_PER_WORD + b);
			log_port(w * BITS_PER_WORD + b);
		}
	}
}

bool kg_setup_shared_info(void)
{
	long rc = kg_map_shared_info();

	if (!kg_check(rc == 0, "XENMEM_add_to_physmap(shared_info) rc %ld",
		      rc))
		return false;
	if (!kg_pvclock_alive()) {
		kg_error("vcpu_info[0].time does not advance; the timeouts here need it\n");
		return false;
	}
	return true;
}

unsigned int kg_evtchn_wait_upcall(evtchn_port_t port, u64 ns)
{
	u64 end = kg_now_ns() + ns;

	kg_sti();
	while (!kg_evtchn_seen(port) && kg_now_ns() < end)
		kg_cpu_relax();
	/* A little longer, so that a duplicate upcall would be counted. */
	kg_delay_ns(5 * KG_NSEC_PER_MSEC);
	kg_cli();
	return kg_evtchn_seen(port);
}

long kg_poll_port(evtchn_port_t port, u64 ns)
{
	struct sched_poll sp = {
		.nr_ports = 1, .timeout = kg_now_ns() + ns,
	};

	set_xen_guest_handle(sp.ports, &port);
	return kg_sched_op(SCHEDOP_poll, &sp);
}

u64 kg_poll_timed(evtchn_port_t port, u64 ns, long *rc)
{
	u64 t0 = kg_now_ns();

	*rc = kg_poll_port(port, ns);
	return kg_now_ns() - t0;
}

long kg_evtchn_setup_upcall(unsigned int vector)
{
	kg_set_irq_handler(vector, kg_evtchn_upcall);
	return kg_hvm_set_param(HVM_PARAM_CALLBACK_IRQ,
				(u64)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56 |
				vector);
}

void kg_evtchn_log_reset(void)
{
	WRITE_ONCE(kg_evtchn_log.upcalls, 0);
	WRITE_ONCE(kg_evtchn_log.nr, 0);
}

unsigned int kg_evtchn_seen(evtchn_port_t port)
{
	unsigned int i, n = 0, nr = READ_ONCE(kg_evtchn_log.nr);

	if (nr > KG_EVTCHN_LOG_MAX)
		nr = KG_EVTCHN_LOG_MAX;
	for (i = 0; i < nr; i++)
		n += READ_ONCE(kg_evtchn_log.ports[i]) == port;
	return n;
}

static xen_ulong_t port_bit(evtchn_port_t port)
{
	return (xen_ulong_t)1 << (port % BITS_PER_WORD);
}

bool kg_evtchn_is_pending(evtchn_port_t port)
{
	return port < NR_PORTS &&
	       (__atomic_load_n(&kg_shinfo->evtchn_pending[port / BITS_PER_WORD],
				__ATOMIC_SEQ_CST) & port_bit(port));
}

bool kg_evtchn_is_masked(evtchn_port_t port)
{
	return port < NR_PORTS &&
	       (__atomic_load_n(&kg_shinfo->evtchn_mask[port / BITS_PER_WORD],
				__ATOMIC_SEQ_CST) & port_bit(port));
}

void kg_evtchn_mask(evtchn_port_t port)
{
	if (port < NR_PORTS)
		__atomic_fetch_or(&kg_shinfo->evtchn_mask[port / BITS_PER_WORD],
				  port_bit(port), __ATOMIC_SEQ_CST);
}

void kg_evtchn_clear_pending(evtchn_port_t port)
{
	if (port < NR_PORTS)
		__atomic_fetch_and(&kg_shinfo->evtchn_pending[port / BITS_PER_WORD],
				   ~port_bit(port), __ATOMIC_SEQ_CST);
}

long kg_evtchn_bind_virq(u32 virq, u32 vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
	long rc = kg_evtchn_op(EVTCHNOP_bind_virq, &op);

	*port = op.port;
	return rc;
}

long kg_evtchn_bind_ipi(u32 vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_ipi op = { .vcpu = vcpu };
	long rc = kg_evtchn_op(EVTCHNOP_bind_ipi, &op);

	*port = op.port;
	return rc;
}

long kg_evtchn_send(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	return kg_evtchn_op(EVTCHNOP_send, &op);
}

long kg_evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	return kg_evtchn_op(EVTCHNOP_close, &op);
}

long kg_evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	return kg_evtchn_op(EVTCHNOP_unmask, &op);
}

long kg_evtchn_status(evtchn_port_t port, struct evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = DOMID_SELF;
	st->port = port;
	return kg_evtchn_op(EVTCHNOP_status, st);
}

bool kg_evtchn_setup_self_ipi(unsigned int vector, evtchn_port_t *port)
{
	long rc;

	if (!kg_setup_shared_info())
		return false;
	rc = kg_evtchn_setup_upcall(vector);
	if (!kg_check(rc == 0, "upcall vector %#x: rc %ld", vector, rc))
		return false;
	kg_vcpu_info->evtchn_upcall_mask = 0;
	rc = kg_evtchn_bind_ipi(0, port);
	return kg_check(rc == 0, "EVTCHNOP_bind_ipi rc %ld", rc);
}
