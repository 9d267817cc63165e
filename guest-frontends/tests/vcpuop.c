// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuop: VCPUOP_* (xen/vcpu.h) on the boot vCPU.
 *
 * - VCPUOP_is_up(0) is 1; a vCPU that does not exist is -ENOENT for
 *   is_up and initialise.
 * - VCPUOP_get_runstate_info: running, time[running] grows.
 *   VCPUOP_register_runstate_memory_area: Xen fills the area at once
 *   (running) and time[blocked] grows across a SCHEDOP_poll sleep.
 * - VCPUOP_register_vcpu_time_memory_area: the copy is written at once,
 *   with an even version, vcpu_info's scale and a time agreeing with it;
 *   an unmapped address is accepted (Xen does not check it), 0 stops it.
 * - VCPUOP_register_vcpu_info: an offset that leaves no room for the
 *   struct is -ENXIO (as Xen 4.17.7 returns); a good one moves vcpu_info,
 *   after which events
 *   mark the new copy (upcall_pending, pending_sel) and not the one in
 *   shared_info; registering twice is -EINVAL (Xen 4.17 common/domain.c).
 *
 * Bringing up a second vCPU (VCPUOP_initialise/up) is not tested: the
 * reference setup gives the domain one vCPU.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <kg/time.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

KG_TEST_TITLE("vcpuop");

#define UPCALL_VECTOR	0xf3
#define NO_SUCH_VCPU	99
#define VI_OFFSET	64
#define SLEEP_NS	(20 * KG_NSEC_PER_MSEC)

static u8 vcpu_info_page[KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);
static struct vcpu_time_info time_area __aligned(64);
static struct vcpu_runstate_info runstate;

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
	kg_vcpu_info->evtchn_upcall_mask = 0;
	return true;
}

static void check_is_up(void)
{
	long rc;

	rc = kg_vcpu_op(VCPUOP_is_up, 0, NULL);
	kg_check(rc == 1, "VCPUOP_is_up(0) rc %ld (want 1)", rc);
	rc = kg_vcpu_op(VCPUOP_is_up, NO_SUCH_VCPU, NULL);
	kg_check(rc == -XEN_ENOENT, "VCPUOP_is_up(%u) rc %ld (want -ENOENT)",
		 NO_SUCH_VCPU, rc);
	rc = kg_vcpu_op(VCPUOP_initialise, NO_SUCH_VCPU, NULL);
	kg_check(rc == -XEN_ENOENT,
		 "VCPUOP_initialise(%u) rc %ld (want -ENOENT)", NO_SUCH_VCPU,
		 rc);
	rc = kg_vcpu_op(VCPUOP_is_up, 1, NULL);
	kg_printf("VCPUOP_is_up(1) rc %ld (-ENOENT with one vCPU)\n", rc);
	rc = kg_vcpu_op(99, 0, NULL);
	kg_check(rc == -XEN_ENOSYS, "vcpu_op command 99 rc %ld (want -ENOSYS)",
		 rc);
}

static void check_runstate(evtchn_port_t idle)
{
	struct vcpu_runstate_info a, b;
	u64 blocked;
	long rc, rc2;
	int state;

	rc = kg_vcpu_op(VCPUOP_get_runstate_info, 0, &a);
	kg_delay_ns(KG_NSEC_PER_MSEC);
	rc2 = kg_vcpu_op(VCPUOP_get_runstate_info, 0, &b);
	kg_check(rc == 0 && rc2 == 0 && a.state == RUNSTATE_running &&
		 b.time[RUNSTATE_running] > a.time[RUNSTATE_running],
		 "VCPUOP_get_runstate_info rc %ld state %d, time[running] %lu -> %lu us",
		 rc, a.state, (unsigned long)a.time[RUNSTATE_running] / 1000,
		 (unsigned long)b.time[RUNSTATE_running] / 1000);

	runstate.state = -1;
	rc = kg_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
			&(struct vcpu_register_runstate_memory_area){
				.addr.v = &runstate });
	kg_check(rc == 0 && runstate.state == RUNSTATE_running,
		 "VCPUOP_register_runstate_memory_area rc %ld: state %d (want %d)",
		 rc, runstate.state, RUNSTATE_running);
	/*
	 * Plain reads of the 8-byte times (a 32-bit build has no 8-byte
	 * atomic load): the hypervisor writes the area only while this vCPU
	 * is not running, and the hypercall between is a compiler barrier.
	 */
	blocked = runstate.time[RUNSTATE_blocked];
	rc = kg_poll_port(idle, SLEEP_NS);
	state = READ_ONCE(runstate.state);
	blocked = runstate.time[RUNSTATE_blocked] - blocked;
	kg_check(rc == 0 && state == RUNSTATE_running &&
		 blocked >= SLEEP_NS / 2,
		 "runstate area after a %lu ms poll: state %d, time[blocked] +%lu us",
		 SLEEP_NS / KG_NSEC_PER_MSEC, state,
		 (unsigned long)blocked / 1000);
}

static long register_vcpu_info(u32 offset)
{
	struct vcpu_register_vcpu_info r = {
		.mfn = (uintptr_t)vcpu_info_page / KG_PAGE_SIZE,
		.offset = offset,
	};

	return kg_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
}

/* Lets pending upcalls run; returns how often @port was seen. */
static unsigned int drain(evtchn_port_t port)
{
	kg_evtchn_log_reset();
	kg_sti();
	kg_delay_ns(KG_NSEC_PER_MSEC);
	kg_cli();
	return kg_evtchn_seen(port);
}

static void check_vcpu_info(void)
{
	struct vcpu_info *old = &kg_shinfo->vcpu_info[0];
	struct vcpu_info *vi = (void *)(vcpu_info_page + VI_OFFSET);
	evtchn_port_t p = 0;
	unsigned int seen;
	long rc;

	rc = register_vcpu_info(KG_PAGE_SIZE - sizeof(*vi) + 8);
	kg_check(rc == -XEN_ENXIO,
		 "VCPUOP_register_vcpu_info(offset %lu, crosses the page) rc %ld (want -ENXIO)",
		 (unsigned long)(KG_PAGE_SIZE - sizeof(*vi) + 8), rc);
	rc = register_vcpu_info(VI_OFFSET);
	if (!kg_check(rc == 0, "VCPUOP_register_vcpu_info(gfn %#lx offset %u) rc %ld",
		      (unsigned long)(uintptr_t)vcpu_info_page / KG_PAGE_SIZE,
		      VI_OFFSET, rc))
		return;
	kg_vcpu_info = vi;
	kg_check(vi->time.tsc_to_system_mul && kg_pvclock_alive(),
		 "moved vcpu_info has a running pvclock (mul %u)",
		 vi->time.tsc_to_system_mul);
	/* Xen marks everything pending on the move: take that upcall. */
	drain(0);
	rc = kg_evtchn_bind_ipi(0, &p);
	if (!kg_check(rc == 0, "EVTCHNOP_bind_ipi rc %ld port %u", rc, p))
		return;
	old->evtchn_upcall_pending = 0;
	rc = kg_evtchn_send(p);
	kg_check(rc == 0 && vi->evtchn_upcall_pending &&
		 vi->evtchn_pending_sel && !old->evtchn_upcall_pending,
		 "EVTCHNOP_send(%u) with IF=0 marks the new vcpu_info (upcall_pending %u, pending_sel %#lx), not the old (%u)",
		 p, vi->evtchn_upcall_pending,
		 (unsigned long)vi->evtchn_pending_sel,
		 old->evtchn_upcall_pending);
	seen = drain(p);
	kg_check(seen == 1, "upcall through the moved vcpu_info saw port %u %u time(s) (want 1)",
		 p, seen);
	rc = register_vcpu_info(VI_OFFSET + 128);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_register_vcpu_info again rc %ld (want -EINVAL)", rc);
}

static long register_time_area(u64 addr)
{
	struct vcpu_register_time_memory_area area = { .addr.p = addr };

	return kg_hcall(__HYPERVISOR_vcpu_op,
			VCPUOP_register_vcpu_time_memory_area, 0,
			(unsigned long)&area, 0, 0);
}

/*
 * The copy of vcpu_time_info a vDSO reads: written at once, with an even
 * version, the scale vcpu_info has, and a time that agrees with it.
 */
static void check_time_area(void)
{
	const struct vcpu_time_info *vt = &kg_vcpu_info->time;
	u64 mine, ref;
	u32 ver;
	long rc;

	rc = register_time_area((uintptr_t)&time_area);
	ver = READ_ONCE(time_area.version);
	kg_check(rc == 0 && ver && !(ver & 1),
		 "VCPUOP_register_vcpu_time_memory_area rc %ld, version %u",
		 rc, ver);
	kg_check(time_area.tsc_to_system_mul == vt->tsc_to_system_mul &&
		 time_area.tsc_shift == vt->tsc_shift,
		 "its scale is vcpu_info's (mul %u shift %d)",
		 time_area.tsc_to_system_mul, time_area.tsc_shift);
	mine = kg_pvclock_ns(&time_area);
	ref = kg_now_ns();
	kg_check(mine <= ref && ref - mine < 10 * KG_NSEC_PER_MSEC,
		 "its time agrees with vcpu_info's (%lu ns behind)",
		 (unsigned long)(ref - mine));
	rc = register_time_area(0x10);
	kg_check(rc == 0 && kg_now_ns() > ref,
		 "an unmapped area is accepted (rc %ld), vcpu_info's time goes on",
		 rc);
	rc = register_time_area(0);
	kg_check(rc == 0, "VCPUOP_register_vcpu_time_memory_area(0) rc %ld",
		 rc);
}

void test_main(void)
{
	evtchn_port_t idle = 0;
	long rc;

	kg_require_xen();
	if (!setup())
		return;
	check_is_up();
	rc = kg_evtchn_bind_ipi(0, &idle);
	if (!kg_check(rc == 0, "EVTCHNOP_bind_ipi (idle port to poll) rc %ld",
		      rc))
		return;
	kg_evtchn_mask(idle);
	check_runstate(idle);
	check_time_area();
	check_vcpu_info();
	kg_success(NULL);
}
