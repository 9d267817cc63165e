// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI tables for a PVH guest: what Xen's libxl gives one, made smaller.
 * libxl (libxl_x86_acpi.c, tools/libacpi/build.c) builds RSDP, XSDT,
 * FADT, MADT and a DSDT, FADT revision 5, one MADT Processor Local APIC
 * per vCPU with APIC ID 2 * vCPU id, and no IO-APIC for PVH.  kxen
 * emulates no PM timer, PM1 event/control blocks or 8259s, so the FADT
 * here is hardware-reduced (ACPI 5.0 5.2.9: no FACS, no fixed hardware)
 * and the MADT does not claim PCAT_COMPAT.
 *
 * Layout from the region's base, each table 16-byte aligned (as libacpi
 * aligns them): RSDP, XSDT, FADT, MADT, DSDT.
 */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include <linux/kxen.h>

#include "acpi.h"

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
 * DefinitionBlock with one empty Scope (\_SB) (ACPI 5.0 19.6.117,
 * AML 20.2.5.1: ScopeOp 0x10, PkgLength 6, "\_SB_"), so that the
 * namespace has a system bus for the OS to walk.
 */
static const unsigned char dsdt_aml[] = {
	0x10, 0x06, '\\', '_', 'S', 'B', '_',
	/*
	 * Name (_S5, Package () { S5, S5, 0, 0 }): the sleep type for soft
	 * off, which the OS writes to the sleep control register (ACPI 5.0
	 * 7.3.4.6; AML NameOp 0x08, PackageOp 0x12, PkgLength 8, 4 elements,
	 * BytePrefix 0x0a, ZeroOp 0x00).
	 */
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, KXEN_ACPI_SLP_TYP_S5, 0x0a, KXEN_ACPI_SLP_TYP_S5, 0x00, 0x00,
};

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
	p += sizeof(struct acpi_header) + sizeof(dsdt_aml);
	t->size = p - base;
	t->rsdp_low = rsdp_low;
}

size_t acpi_dsdt_aml_size(void)
{
	return sizeof(dsdt_aml);
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
	struct acpi_madt_lapic l = {
		.type = ACPI_MADT_LAPIC,
		.length = sizeof(l),
		.flags = ACPI_MADT_LAPIC_ENABLED,
	};
	unsigned char *p = (unsigned char *)(m + 1);
	unsigned int i;

	header(&m->h, "APIC", madt_size(t->vcpus), ACPI_MADT_REVISION);
	m->lapic_address = ACPI_LAPIC_BASE;
	for (i = 0; i < t->vcpus; i++) {
		l.processor_uid = i;
		l.apic_id = ACPI_APIC_ID(i);
		memcpy(p + i * sizeof(l), &l, sizeof(l));
	}
	seal(&m->h);
}

static void write_dsdt(const struct acpi_tables *t, unsigned char *ram)
{
	struct acpi_header *h = (void *)(ram + t->dsdt);

	/* revision 2: 64-bit AML integers (ACPI 5.2.11.1) */
	header(h, "DSDT", sizeof(*h) + sizeof(dsdt_aml), 2);
	memcpy(h + 1, dsdt_aml, sizeof(dsdt_aml));
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
