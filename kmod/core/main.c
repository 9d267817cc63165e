// SPDX-License-Identifier: GPL-2.0
/*
 * kxen: a Xen-ABI hypervisor as a loadable module.
 *
 * Load order, unwound in reverse on failure and on unload: pick the vendor
 * backend (which refuses with a distinct errno when the CPU cannot host
 * guests), enable virtualization on every online CPU through a CPU-hotplug
 * state, hook suspend/resume and emergency reboot (emergency.c), start the
 * xenstore, then expose /dev/kxen and the netlink family.
 */
#include <linux/module.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/err.h>
#include <linux/moduleparam.h>
#include <linux/smp.h>
#include <linux/syscore_ops.h>
#include <asm/processor.h>

#include "kxen.h"
#include "../xenstore/xenstore.h"
#include "../backends/blkback.h"
#include "../backends/netback.h"
#include "../backends/xenbus_be.h"

const struct kxen_arch_ops *kxen_arch;
atomic64_t kxen_live_pages = ATOMIC64_INIT(0);
atomic64_t kxen_live_objects = ATOMIC64_INIT(0);
static enum cpuhp_state kxen_cpuhp_state;
unsigned int kxen_resume_gen;

void kxen_stats_pages(long delta)
{
	atomic64_add(delta, &kxen_live_pages);
}

void kxen_stats_objects(long delta)
{
	atomic64_add(delta, &kxen_live_objects);
}

static int kxen_cpu_online(unsigned int cpu)
{
	return kxen_arch->cpu_enable();
}

static int kxen_cpu_offline(unsigned int cpu)
{
	kxen_arch->cpu_disable();
	return 0;
}

/*
 * Suspend to RAM and hibernation: every CPU but the last leaves through
 * the hotplug state above.  The last one, the boot CPU, comes here with
 * IRQs off and no other task running, before the kernel saves its own
 * register state (so CR4 and EFER are saved without VMXE/SVME) and
 * after it has restored it.  VMXON and VM_HSAVE_PA do not survive a
 * power cycle of the CPU: enable them again, as KVM's kvm_suspend and
 * kvm_resume do.  vCPU threads are frozen by then (vcpu.c), so no
 * VMX/SVM instruction runs in between; the fixups on those instructions
 * catch one that would.
 */
static int kxen_syscore_suspend(void)
{
	kxen_arch->cpu_disable();
	return 0;
}

static void kxen_syscore_resume(void)
{
	int ret = kxen_arch->cpu_enable();

	/* Guests' time info is written again: the TSC may have stopped. */
	WRITE_ONCE(kxen_resume_gen, kxen_resume_gen + 1);
	if (ret)
		pr_err(KXEN_PR_PREFIX "CPU%d: cannot enable %s again after resume (%d): guests that run there fail\n",
		       smp_processor_id(), kxen_arch->name, ret);
}

static struct syscore_ops kxen_syscore_ops = {
	.suspend = kxen_syscore_suspend,
	.resume = kxen_syscore_resume,
};

/*
 * Fault injection for the lab (root only, write-only): a CPU number
 * written here turns VT-x or AMD-V off on that CPU behind kxen's back,
 * as a resume that lost it would.  The fixups on the VMX/SVM
 * instructions then fail the domains that run there, and the host goes
 * on; unloading the module puts that CPU right.
 */
static void kxen_inject_off_fn(void *unused)
{
	kxen_arch->inject_off();
}

static int kxen_inject_off_set(const char *val, const struct kernel_param *kp)
{
	unsigned int cpu;
	int ret;

	ret = kstrtouint(val, 0, &cpu);
	if (ret)
		return ret;
	if (!kxen_arch)
		return -ENODEV;		/* only once loaded */
	cpus_read_lock();
	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		ret = -EINVAL;
	else
		ret = smp_call_function_single(cpu, kxen_inject_off_fn, NULL, 1);
	cpus_read_unlock();
	if (!ret)
		pr_warn(KXEN_PR_PREFIX "CPU%u: %s turned off by fault injection\n",
			cpu, kxen_arch->name);
	return ret;
}

static const struct kernel_param_ops kxen_inject_off_ops = {
	.set = kxen_inject_off_set,
};

module_param_cb(inject_virt_off, &kxen_inject_off_ops, NULL, 0200);
MODULE_PARM_DESC(inject_virt_off,
		 "Fault injection: a CPU number written here turns VT-x/AMD-V off on it behind kxen's back (its guests fail; unloading recovers)");

/* The vendor backend is chosen once, by the CPU's vendor. */
static const struct kxen_arch_ops *kxen_arch_probe(void)
{
	switch (boot_cpu_data.x86_vendor) {
	case X86_VENDOR_AMD:
	case X86_VENDOR_HYGON:
		return kxen_svm_probe();
	default:
		return kxen_vmx_probe();
	}
}

static int __init kxen_init(void)
{
	const struct kxen_arch_ops *ops;
	int ret;

	ops = kxen_arch_probe();
	if (IS_ERR(ops))
		return PTR_ERR(ops);
	kxen_arch = ops;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "kxen:online",
				kxen_cpu_online, kxen_cpu_offline);
	if (ret < 0)
		goto err_arch;
	kxen_cpuhp_state = ret;
	register_syscore_ops(&kxen_syscore_ops);
	ret = kxen_emergency_init();
	if (ret)
		goto err_cpuhp;

	ret = kxen_xs_init();
	if (ret)
		goto err_emergency;
	ret = kxen_blkback_init();
	if (ret)
		goto err_xs;
	ret = kxen_netback_init();
	if (ret)
		goto err_blkback;
	ret = kxen_chardev_init();
	if (ret)
		goto err_netback;
	ret = kxen_netlink_init();
	if (ret)
		goto err_chardev;

	pr_info(KXEN_PR_PREFIX "loaded, %s backend, API %u\n", ops->name,
		KXEN_API_VERSION);
	return 0;

err_chardev:
	kxen_chardev_exit();
err_netback:
	kxen_netback_exit();
err_blkback:
	kxen_blkback_exit();
	kxen_xb_exit();
err_xs:
	kxen_xs_exit();
err_emergency:
	kxen_emergency_exit();
err_cpuhp:
	unregister_syscore_ops(&kxen_syscore_ops);
	cpuhp_remove_state(kxen_cpuhp_state);
err_arch:
	ops->unload();
	kxen_arch = NULL;
	return ret;
}

static void __exit kxen_exit(void)
{
	kxen_netlink_exit();
	kxen_domains_destroy_all();	/* before their console ttys go */
	/* Backends let go of the domains' last references. */
	kxen_netback_exit();
	kxen_blkback_exit();
	kxen_xb_exit();
	kxen_chardev_exit();
	kxen_xs_exit();
	kxen_emergency_exit();
	unregister_syscore_ops(&kxen_syscore_ops);
	cpuhp_remove_state(kxen_cpuhp_state);
	kxen_arch->unload();
	if (atomic64_read(&kxen_live_pages) || atomic64_read(&kxen_live_objects))
		pr_err(KXEN_PR_PREFIX "unload leaks %lld pages, %lld objects\n",
		       atomic64_read(&kxen_live_pages),
		       atomic64_read(&kxen_live_objects));
	kxen_arch = NULL;
	pr_info(KXEN_PR_PREFIX "unloaded\n");
}

module_init(kxen_init);
module_exit(kxen_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kxen: Xen guest ABI hypervisor on VT-x or AMD-V");
