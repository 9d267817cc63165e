// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI tables for a PVH guest: what Xen's libxl gives one, made smaller.
 * libxl (libxl_x86_acpi.c, tools/libacpi/build.c) builds RSDP, XSDT,
 * FADT, MADT and a DSDT, FADT revision 5, one MADT Processor Local APIC
 * per vCPU up to maxvcpus with APIC ID 2 * vCPU id (Enabled for the
 * first vcpus), a processor object per vCPU in the DSDT for hot-add,
 * and no IO-APIC for PVH.  kxen
 * emulates no PM timer, PM1 event/control blocks or 8259s, so the FADT
 * here is hardware-reduced (ACPI 5.0 5.2.9: no FACS, no fixed hardware)
 * and the MADT does not claim PCAT_COMPAT.
 *
 * Layout from the region's base, each table 16-byte aligned (as libacpi
 * aligns them): RSDP, XSDT, FADT, MADT, DSDT.
 */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <linux/kxen.h>

#include "acpi.h"
#include "aml.h"

static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI 5.2.5.3");
static_assert(sizeof(struct acpi_header) == 36, "ACPI 5.2.6");
static_assert(sizeof(struct acpi_gas) == 12, "ACPI 5.2.3.2");
static_assert(sizeof(struct acpi_fadt) == 268, "ACPI 5.0 5.2.9");
static_assert(offsetof(struct acpi_fadt, flags) == 112, "ACPI 5.2.9");
static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "ACPI 5.2.9");
static_assert(sizeof(struct acpi_madt) == 44, "ACPI 5.2.12");
static_assert(sizeof(struct acpi_madt_lapic) == 8, "ACPI 5.2.12.2");
/* APIC IDs are 8 bits in this entry, and 0xff is the broadcast ID. */
static_assert(ACPI_APIC_ID(KXEN_MAX_VCPUS - 1) < 0xff, "xAPIC IDs");

#define XSDT_ENTRIES	2	/* FADT, MADT */

/*
 * The DSDT's AML:
 *
 *	Scope (\_SB) {
 *		Device (PRxx) {		one per vCPU, xx its id in hex
 *			Name (_HID, "ACPI0007")
 *			Name (_UID, id)
 *			Method (_STA) { Return (0x0F) }
 *			Name (_MAT, Buffer () { its MADT Local APIC, enabled })
 *		}
 *	}
 *	Name (_S5, Package () { S5, S5, 0, 0 })
 *
 * A vCPU above the ones enabled in the MADT is not given a CPU number
 * at boot, but counted as hot-pluggable; the OS's processor driver
 * finds its device present (_STA, ACPI 6.4 6.3.7: present, enabled,
 * shown, functioning) and maps it from the APIC ID in _MAT (6.2.10),
 * matched to the MADT by _UID (5.2.12.2's ACPI Processor UID).  Whether
 * the guest then uses it is the toolstack's word in xenstore
 * (cpu/N/availability), as under Xen.  Processor devices, not the
 * deprecated Processor () term (ACPI 6.4 19.6.108, 8.4).
 */
#define ACPI_PROCESSOR_HID	"ACPI0007"	/* ACPI 6.4 5.6.7 */
#define ACPI_STA_ALL		0x0f		/* ACPI 6.4 6.3.7 bits 0-3 */

static void madt_lapic(struct acpi_madt_lapic *l, unsigned int vcpu,
		       bool enabled)
{
	*l = (struct acpi_madt_lapic) {
		.type = ACPI_MADT_LAPIC,
		.length = sizeof(*l),
		.processor_uid = vcpu,
		.apic_id = ACPI_APIC_ID(vcpu),
		.flags = enabled ? ACPI_MADT_LAPIC_ENABLED : 0,
	};
}

static void aml_processor(struct aml *a, unsigned int vcpu)
{
	struct acpi_madt_lapic l;
	char name[8];
	size_t dev, sta;

	snprintf(name, sizeof(name), "PR%02X", vcpu & 0xff);
	dev = aml_device_open(a, name);
	aml_name(a, "_HID");
	aml_string(a, ACPI_PROCESSOR_HID);
	aml_name(a, "_UID");
	aml_integer(a, vcpu);
	sta = aml_method_open(a, "_STA", 0);
	aml_return(a);
	aml_integer(a, ACPI_STA_ALL);
	aml_close(a, sta);
	madt_lapic(&l, vcpu, true);
	aml_name(a, "_MAT");
	aml_buffer(a, &l, sizeof(l));
	aml_close(a, dev);
}

size_t acpi_dsdt_aml(unsigned char *buf, size_t cap, unsigned int vcpus)
{
	struct aml a;
	size_t sb, pkg;
	unsigned int i;

	aml_init(&a, buf, cap);
	sb = aml_scope_open(&a, "\\_SB");
	for (i = 0; i < vcpus; i++)
		aml_processor(&a, i);
	aml_close(&a, sb);
	/*
	 * The sleep type for soft off, which the OS writes to the sleep
	 * control register (ACPI 5.0 7.3.4.6): \_S5's first two elements.
	 */
	aml_name(&a, "_S5");
	pkg = aml_package_open(&a, 4);
	aml_integer(&a, KXEN_ACPI_SLP_TYP_S5);
	aml_integer(&a, KXEN_ACPI_SLP_TYP_S5);
	aml_integer(&a, 0);
	aml_integer(&a, 0);
	aml_close(&a, pkg);
	return a.error ? 0 : a.len;
}

static uint64_t align16(uint64_t x)
{
	return (x + 15) & ~15ULL;
}

static uint64_t madt_size(unsigned int vcpus)
{
	return sizeof(struct acpi_madt) +
	       (uint64_t)vcpus * sizeof(struct acpi_madt_lapic);
}

void acpi_plan(struct acpi_tables *t, uint64_t base, unsigned int vcpus,
	       uint64_t rsdp_low)
{
	uint64_t p = base;

	memset(t, 0, sizeof(*t));
	t->vcpus = vcpus;
	t->enabled = vcpus;
	t->base = base;
	t->rsdp = p;
	p = align16(p + sizeof(struct acpi_rsdp));
	t->xsdt = p;
	p = align16(p + sizeof(struct acpi_header) + XSDT_ENTRIES * 8);
	t->fadt = p;
	p = align16(p + sizeof(struct acpi_fadt));
	t->madt = p;
	p = align16(p + madt_size(vcpus));
	t->dsdt = p;
	t->dsdt_aml = acpi_dsdt_aml(NULL, 0, vcpus);
	p += sizeof(struct acpi_header) + t->dsdt_aml;
	t->size = p - base;
	t->rsdp_low = rsdp_low;
}

uint64_t acpi_tables_size(unsigned int vcpus)
{
	struct acpi_tables t;

	acpi_plan(&t, 0, vcpus, 0);
	return t.size;
}

uint8_t acpi_sum(const void *p, uint64_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

static void header(struct acpi_header *h, const char *sig, uint32_t len,
		   uint8_t rev)
{
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, ACPI_OEM_ID, 6);
	memcpy(h->oem_table_id, ACPI_OEM_TABLE_ID, 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, "KXEN", 4);
	h->creator_revision = 1;
}

/* Set the checksum of the table at @h so that it sums to 0. */
static void seal(struct acpi_header *h)
{
	h->checksum = 0;
	h->checksum = -acpi_sum(h, h->length);
}

static void write_rsdp(const struct acpi_tables *t, unsigned char *ram)
{
	struct acpi_rsdp r = {
		.signature = "RSD PTR ",
		.revision = 2,
		.length = sizeof(r),
		.xsdt_address = t->xsdt,
	};

	memcpy(r.oem_id, ACPI_OEM_ID, 6);
	r.checksum = -acpi_sum(&r, 20);
	r.extended_checksum = -acpi_sum(&r, sizeof(r));
	memcpy(ram + t->rsdp, &r, sizeof(r));
	if (t->rsdp_low)
		memcpy(ram + t->rsdp_low, &r, sizeof(r));
}

static void write_xsdt(const struct acpi_tables *t, unsigned char *ram)
{
	struct acpi_header *h = (void *)(ram + t->xsdt);
	uint64_t entry[XSDT_ENTRIES] = { t->fadt, t->madt };

	header(h, "XSDT", sizeof(*h) + sizeof(entry), 1);
	memcpy(h + 1, entry, sizeof(entry));
	seal(h);
}

/* An 8-bit register in system I/O space (ACPI 5.0 5.2.3.2). */
static struct acpi_gas io_reg(uint16_t port)
{
	return (struct acpi_gas) {
		.space_id = ACPI_GAS_SYSTEM_IO, .bit_width = 8,
		.access_size = ACPI_GAS_ACCESS_BYTE, .address = port,
	};
}

static void write_fadt(const struct acpi_tables *t, unsigned char *ram)
{
	struct acpi_fadt *f = (void *)(ram + t->fadt);

	header(&f->h, "FACP", sizeof(*f), ACPI_FADT_REVISION);
	f->dsdt = t->dsdt;
	f->x_dsdt = t->dsdt;
	f->flags = ACPI_FADT_HW_REDUCED_ACPI | ACPI_FADT_RESET_REG_SUP;
	/* No VGA, no CMOS RTC: the guest has neither. */
	f->iapc_boot_arch = ACPI_FADT_NO_VGA | ACPI_FADT_NO_CMOS_RTC;
	/* Power off and reboot: ports kxen emulates (uapi/linux/kxen.h). */
	f->sleep_control_reg = io_reg(KXEN_PORT_SLEEP_CONTROL);
	f->sleep_status_reg = io_reg(KXEN_PORT_SLEEP_STATUS);
	f->reset_reg = io_reg(KXEN_PORT_RESET);
	f->reset_value = KXEN_ACPI_RESET_VALUE;
	seal(&f->h);
}

static void write_madt(const struct acpi_tables *t, unsigned char *ram)
{
	struct acpi_madt *m = (void *)(ram + t->madt);
	unsigned char *p = (unsigned char *)(m + 1);
	struct acpi_madt_lapic l;
	unsigned int i;

	header(&m->h, "APIC", madt_size(t->vcpus), ACPI_MADT_REVISION);
	m->lapic_address = ACPI_LAPIC_BASE;
	/*
	 * As libxl for maxvcpus above vcpus: the vCPUs past the first
	 * t->enabled have their entry with Enabled clear (5.2.12.2), for
	 * the OS to count as hot-pluggable (Linux's "hotplug CPUs").
	 */
	for (i = 0; i < t->vcpus; i++) {
		madt_lapic(&l, i, i < t->enabled);
		memcpy(p + i * sizeof(l), &l, sizeof(l));
	}
	seal(&m->h);
}

static void write_dsdt(const struct acpi_tables *t, unsigned char *ram)
{
	struct acpi_header *h = (void *)(ram + t->dsdt);
	size_t n;

	/* revision 2: 64-bit AML integers (ACPI 5.2.11.1) */
	header(h, "DSDT", sizeof(*h) + t->dsdt_aml, 2);
	/* acpi_plan() counted these bytes with the same code */
	n = acpi_dsdt_aml((unsigned char *)(h + 1), t->dsdt_aml, t->vcpus);
	assert(n == t->dsdt_aml);
	(void)n;
	seal(h);
}

void acpi_write(const struct acpi_tables *t, unsigned char *ram)
{
	memset(ram + t->base, 0, t->size);
	write_rsdp(t, ram);
	write_xsdt(t, ram);
	write_fadt(t, ram);
	write_madt(t, ram);
	write_dsdt(t, ram);
}
