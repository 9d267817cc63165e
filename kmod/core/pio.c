// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's port I/O, for both vendors: the few ports a PVH guest
 * uses, the rest an empty bus (reads all-ones, writes ignored).
 *  - 0xe9: Xen's HVM debug console;
 *  - the ACPI sleep control register of the hardware-reduced FADT the
 *    toolstack builds: S5 powers the domain off (ACPI 5.0 4.8.3.7);
 *  - the reset register (FADT, also PCI's 0xcf9): reboot.
 * Ports are named in uapi/linux/kxen.h, shared with the image builder.
 */
#include <linux/types.h>
#include <xen/interface/sched.h>

#include "kxen.h"

#define KXEN_SLP_EN		BIT(5)	/* ACPI 5.0 Table 4-21 */
#define KXEN_SLP_TYP(v)		(((v) >> 2) & 7)
#define KXEN_CF9_RESET		BIT(2)	/* "system reset" */

static void kxen_pio_write(struct kxen_vcpu *v, u16 port, u32 val)
{
	switch (port) {
	case 0xe9:
		kxen_debug_port_put(v->dom, val & 0xff);
		break;
	case KXEN_PORT_SLEEP_CONTROL:
		if ((val & KXEN_SLP_EN) &&
		    KXEN_SLP_TYP(val) == KXEN_ACPI_SLP_TYP_S5)
			kxen_domain_shutdown(v->dom, SHUTDOWN_poweroff);
		break;
	case KXEN_PORT_RESET:
		if (val & KXEN_CF9_RESET)
			kxen_domain_shutdown(v->dom, SHUTDOWN_reboot);
		break;
	}
}

/* IN/OUT of @size bytes (1, 2, 4) through the guest's RAX. */
void kxen_pio(struct kxen_vcpu *v, u16 port, unsigned int size, bool in)
{
	unsigned long *rax = &v->st.gprs[KXEN_REG_RAX];
	u32 mask = size == 4 ? 0xffffffff : (1U << (size * 8)) - 1;

	if (!in) {
		kxen_pio_write(v, port, *rax & mask);
		return;
	}
	/* 32-bit results zero the upper half, as in 64-bit mode. */
	if (port == KXEN_PORT_SLEEP_STATUS)
		*rax = size == 4 ? 0 : *rax & ~(unsigned long)mask;
	else
		*rax = size == 4 ? mask : *rax | mask;
}
