// SPDX-License-Identifier: GPL-2.0
/*
 * vmassist: HYPERVISOR_vm_assist (xen.h VMASST_*) as an HVM/PVH guest has
 * it, and the runstate update flag it enables (vcpu.h).
 *
 * - Of the assists, only VMASST_TYPE_runstate_update_flag is valid for
 *   HVM (Xen's HVM_VM_ASSIST_MASK): enable and disable it give 0; any
 *   other type, or one past the bits of a long, is -EINVAL; an unknown
 *   command on a valid type is -ENOSYS (Xen 4.17 common/domain.c
 *   do_vm_assist).
 * - With the flag on, the registered runstate area is still written at
 *   once and on every state change, and XEN_RUNSTATE_UPDATE is clear in
 *   state_entry_time whenever the guest looks (the hypervisor sets it
 *   only while it writes).
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <xen/vcpu.h>

KG_TEST_TITLE("vmassist");

#define SLEEP_NS	(20 * KG_NSEC_PER_MSEC)
#define BAD_CMD		7

static struct vcpu_runstate_info runstate;

static long vm_assist(unsigned long cmd, unsigned long type)
{
	return kg_hcall(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

static void check_types(void)
{
	long rc;

	rc = vm_assist(VMASST_CMD_enable, VMASST_TYPE_4gb_segments);
	kg_check(rc == -XEN_EINVAL, "enable 4gb_segments (PV only): rc %ld", rc);
	rc = vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);
	kg_check(rc == -XEN_EINVAL, "enable writable_pagetables (PV only): rc %ld",
		 rc);
	rc = vm_assist(VMASST_CMD_enable, 64);
	kg_check(rc == -XEN_EINVAL, "enable type 64: rc %ld", rc);
	rc = vm_assist(BAD_CMD, VMASST_TYPE_runstate_update_flag);
	kg_check(rc == -XEN_ENOSYS, "command %d: rc %ld", BAD_CMD, rc);
	rc = vm_assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag);
	kg_check(rc == 0, "enable runstate_update_flag: rc %ld", rc);
}

static void check_runstate(void)
{
	struct vcpu_register_runstate_memory_area area = { 0 };
	evtchn_port_t port;
	u64 blocked, entry;
	long rc;

	area.addr.v = &runstate;
	rc = kg_hcall(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
		      0, (unsigned long)&area, 0, 0);
	if (!kg_check(rc == 0, "register_runstate_memory_area: rc %ld", rc))
		return;
	entry = READ_ONCE(runstate.state_entry_time);
	kg_check(READ_ONCE(runstate.state) == RUNSTATE_running &&
		 entry && !(entry & XEN_RUNSTATE_UPDATE),
		 "written at once: state %d, entry time %#lx",
		 READ_ONCE(runstate.state), (unsigned long)entry);
	blocked = READ_ONCE(runstate.time[RUNSTATE_blocked]);
	rc = kg_evtchn_bind_ipi(0, &port);
	if (!kg_check(rc == 0, "bind_ipi for the sleep: rc %ld", rc))
		return;
	kg_evtchn_mask(port);
	kg_poll_port(port, SLEEP_NS);	/* blocked, then running */
	entry = READ_ONCE(runstate.state_entry_time);
	kg_check(READ_ONCE(runstate.time[RUNSTATE_blocked]) > blocked,
		 "time[blocked] grew across a poll sleep");
	kg_check(!(entry & XEN_RUNSTATE_UPDATE),
		 "XEN_RUNSTATE_UPDATE clear after the update: %#lx",
		 (unsigned long)entry);
	kg_evtchn_close(port);
}

void test_main(void)
{
	long rc;

	kg_require_xen();
	if (!kg_setup_shared_info())
		kg_exit();
	check_types();
	check_runstate();
	rc = vm_assist(VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag);
	kg_check(rc == 0, "disable runstate_update_flag: rc %ld", rc);
	kg_success(NULL);
	kg_exit();
}
