// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's port I/O, for both vendors: the few ports a PVH guest
 * uses, the rest an empty bus (reads all-ones, writes ignored).
 *  - 0xe9: Xen's HVM debug console;
 *  - the ACPI sleep control register of the hardware-reduced FADT the
 *    toolstack builds: S5 powers the domain off (ACPI 5.0 4.8.3.7);
 *  - the reset register (FADT, also PCI's 0xcf9): reboot;
 *  - the PIT's counter 2 and port 0x61 (i8254.h says why).
 * Ports are named in uapi/linux/kxen.h, shared with the image builder.
 */
#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
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

/*
 * An IN's @size-byte result @val into RAX: 32-bit results zero the upper
 * half, as in 64-bit mode; narrower ones keep the bytes above them.
 */
static void kxen_pio_result(unsigned long *rax, unsigned int size, u32 val)
{
	unsigned long mask = size == 4 ? 0xffffffffUL : BIT(size * 8) - 1;

	*rax = size == 4 ? val : (*rax & ~mask) | (val & mask);
}

/*
 * The 8254 is a byte-wide device: a wider access reaches it a byte a
 * port at a time, as the bus splits it; the bytes past its ports float.
 */
static void kxen_pio_i8254(struct kxen_vcpu *v, u16 port, unsigned int size,
			   bool in)
{
	struct kxen_domain *d = v->dom;
	unsigned long *rax = &v->st.gprs[KXEN_REG_RAX];
	u64 now = ktime_get_ns();
	u32 val = 0;
	unsigned int i;

	spin_lock(&d->pit_lock);
	for (i = 0; i < size; i++) {
		u16 p = port + i;
		u8 b = 0xff;

		if (!in && kxen_i8254_owns(p))
			kxen_i8254_write(&d->pit, p, *rax >> (8 * i), now);
		else if (kxen_i8254_owns(p))
			b = kxen_i8254_read(&d->pit, p, now);
		val |= (u32)b << (8 * i);
	}
	spin_unlock(&d->pit_lock);
	if (in)
		kxen_pio_result(rax, size, val);
}

static bool kxen_pio_hits_i8254(u16 port, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		if (kxen_i8254_owns(port + i))
			return true;
	return false;
}

/* IN/OUT of @size bytes (1, 2, 4) through the guest's RAX. */
void kxen_pio(struct kxen_vcpu *v, u16 port, unsigned int size, bool in)
{
	unsigned long *rax = &v->st.gprs[KXEN_REG_RAX];
	u32 mask = size == 4 ? 0xffffffff : (1U << (size * 8)) - 1;

	if (kxen_pio_hits_i8254(port, size)) {
		kxen_pio_i8254(v, port, size, in);
		return;
	}
	if (!in) {
		kxen_pio_write(v, port, *rax & mask);
		return;
	}
	kxen_pio_result(rax, size, port == KXEN_PORT_SLEEP_STATUS ? 0 : mask);
}
