// SPDX-License-Identifier: GPL-2.0
/*
 * Leaving VMX/SVM on an emergency reboot or crash (kexec/kdump): the
 * kernel calls one registered "virtualization off" callback on every CPU.
 * There is a single slot, and KVM takes it when kvm_intel loads, warning
 * if it is taken.  So kxen holds the slot only while KVM does not: it
 * lets go before a KVM vendor module initialises, and takes it back once
 * that module is gone.  KVM's own callback turns VMX off whoever turned
 * it on, so the CPU is covered either way.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include <asm/reboot.h>

#include "kxen.h"

static DEFINE_MUTEX(kxen_emerg_lock);
static bool kxen_emerg_registered;	/* under kxen_emerg_lock */

static void kxen_emergency_disable(void)
{
	if (kxen_arch)
		kxen_arch->emergency_disable();
}

static bool kxen_is_kvm_vendor(const struct module *mod)
{
	return !strcmp(mod->name, "kvm_intel") || !strcmp(mod->name, "kvm_amd");
}

static void kxen_emerg_set(bool on)
{
	mutex_lock(&kxen_emerg_lock);
	if (on && !kxen_emerg_registered)
		cpu_emergency_register_virt_callback(kxen_emergency_disable);
	else if (!on && kxen_emerg_registered)
		cpu_emergency_unregister_virt_callback(kxen_emergency_disable);
	kxen_emerg_registered = on;
	mutex_unlock(&kxen_emerg_lock);
}

static int kxen_module_event(struct notifier_block *nb, unsigned long state,
			     void *data)
{
	struct module *mod = data;

	if (!kxen_is_kvm_vendor(mod))
		return NOTIFY_DONE;
	/* COMING runs before the module's init, GOING after its exit. */
	if (state == MODULE_STATE_COMING)
		kxen_emerg_set(false);
	else if (state == MODULE_STATE_GOING)
		kxen_emerg_set(true);
	return NOTIFY_DONE;
}

static struct notifier_block kxen_module_nb = {
	.notifier_call = kxen_module_event,
};

/* kvm.ko exports kvm_init: if it is there, a KVM vendor module may be. */
static bool kxen_kvm_present(void)
{
	void *sym = __symbol_get("kvm_init");

	if (!sym)
		return false;
	symbol_put_addr(sym);
	return true;
}

int kxen_emergency_init(void)
{
	int ret = register_module_notifier(&kxen_module_nb);

	if (ret)
		return ret;
	if (!kxen_kvm_present())
		kxen_emerg_set(true);
	return 0;
}

void kxen_emergency_exit(void)
{
	unregister_module_notifier(&kxen_module_nb);
	kxen_emerg_set(false);
}
