// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the ACPI tables (acpi.c) and the memory map around
 * them (layout.c): the tables are built into a RAM buffer and read back
 * the way an OS finds them, from hvm_start_info.rsdp_paddr or by
 * scanning the BIOS area for "RSD PTR ".
 */
#include <stddef.h>
#include <string.h>

#include <linux/kxen.h>

#include "acpi.h"
#include "layout.h"
#include "tap.h"
#include "elfgen.h"

#define MiB	(1024ULL * 1024)
#define OVERLAP "kernel: segment [0xff000, 0x101000) overlaps the reserved BIOS area [0xe0000, 0x100000)"

static char err[256];

/* The table at @gpa has signature @sig, a right length and checksum. */
static const void *table(const unsigned char *ram, uint64_t gpa,
			 const char *sig, uint32_t min_len)
{
	const struct acpi_header *h = (const void *)(ram + gpa);

	if (memcmp(h->signature, sig, 4) || h->length < min_len ||
	    acpi_sum(h, h->length) || memcmp(h->oem_id, "KXEN  ", 6))
		return NULL;
	return h;
}

static int rsdp_ok(const unsigned char *ram, uint64_t gpa, uint64_t xsdt)
{
	const struct acpi_rsdp *r = (const void *)(ram + gpa);

	return !(gpa & 15) && !memcmp(r->signature, "RSD PTR ", 8) &&
	       !acpi_sum(r, 20) && !acpi_sum(r, 36) && r->revision == 2 &&
	       r->length == 36 && r->xsdt_address == xsdt &&
	       r->rsdt_address == 0;
}

/* Follow RSDP -> XSDT -> FADT -> DSDT and MADT; count the LAPICs. */
static int walk(const unsigned char *ram, uint64_t rsdp, unsigned int vcpus)
{
	const struct acpi_rsdp *r = (const void *)(ram + rsdp);
	const struct acpi_header *x, *d;
	const struct acpi_fadt *f;
	const struct acpi_madt *m;
	const struct acpi_madt_lapic *l;
	uint64_t e[2];
	unsigned int i, ok;

	x = table(ram, r->xsdt_address, "XSDT", 36);
	if (!x || x->length != 36 + 16)
		return 0;
	memcpy(e, x + 1, sizeof(e));
	f = table(ram, e[0], "FACP", sizeof(*f));
	m = table(ram, e[1], "APIC", sizeof(*m));
	if (!f || !m || f->h.revision != 5 || f->x_dsdt != f->dsdt ||
	    !(f->flags & (1U << 20)) || f->firmware_ctrl ||
	    f->x_firmware_ctrl)
		return 0;
	d = table(ram, f->x_dsdt, "DSDT", 36);
	if (!d || d->revision != 2 || m->lapic_address != 0xfee00000 ||
	    m->h.length != 44 + 8 * vcpus)
		return 0;
	l = (const void *)(m + 1);
	for (i = 0, ok = 1; i < vcpus; i++)
		ok &= l[i].type == 0 && l[i].length == 8 &&
		      l[i].processor_uid == i && l[i].apic_id == 2 * i &&
		      l[i].flags == 1;
	return ok;
}

static void test_tables(unsigned int vcpus)
{
	unsigned char *ram = calloc(1, 2 * MiB);
	struct acpi_tables t;
	int ok;

	acpi_plan(&t, 0x101000, vcpus, 0xfffc0);
	memset(ram + t.base, 0xaa, t.size + 16);
	acpi_write(&t, ram);
	ok = t.size == acpi_tables_size(vcpus) && t.rsdp == t.base &&
	     t.rsdp < t.xsdt && t.xsdt < t.fadt && t.fadt < t.madt &&
	     t.madt < t.dsdt &&
	     t.dsdt + 36 + acpi_dsdt_aml_size() == t.base + t.size &&
	     ram[t.base + t.size] == 0xaa;
	tap_ok(ok, "%u vCPUs: tables in order inside [base, base + size)",
	       vcpus);
	tap_ok(rsdp_ok(ram, t.rsdp, t.xsdt) && rsdp_ok(ram, 0xfffc0, t.xsdt),
	       "%u vCPUs: RSDP rev 2 and its copy: checksums, XSDT address",
	       vcpus);
	tap_ok(walk(ram, t.rsdp, vcpus),
	       "%u vCPUs: XSDT -> FADT (rev 5, HW_REDUCED_ACPI) -> DSDT, MADT with %u LAPICs, APIC IDs 0, 2, ...",
	       vcpus, vcpus);
	free(ram);
}

static int gas_io(const struct acpi_gas *g, uint16_t port)
{
	return g->space_id == ACPI_GAS_SYSTEM_IO && g->bit_width == 8 &&
	       g->address == port;
}

static void test_dsdt(void)
{
	static const unsigned char aml[] = {
		0x10, 0x06, '\\', '_', 'S', 'B', '_',
		0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
		0x0a, KXEN_ACPI_SLP_TYP_S5, 0x0a, KXEN_ACPI_SLP_TYP_S5, 0, 0,
	};
	unsigned char *ram = calloc(1, 0x2000);
	struct acpi_fadt *f;
	struct acpi_tables t;

	acpi_plan(&t, 0x100, 1, 0);
	acpi_write(&t, ram);
	f = (void *)(ram + t.fadt);
	tap_ok(acpi_dsdt_aml_size() == sizeof(aml) &&
	       !memcmp(ram + t.dsdt + 36, aml, sizeof(aml)) &&
	       table(ram, t.dsdt, "DSDT", 36 + sizeof(aml)),
	       "DSDT holds Scope (\\_SB) and the \\_S5 sleep type, nothing else");
	tap_ok(gas_io(&f->sleep_control_reg, KXEN_PORT_SLEEP_CONTROL) &&
	       gas_io(&f->sleep_status_reg, KXEN_PORT_SLEEP_STATUS),
	       "FADT sleep control/status registers are kxen's I/O ports");
	tap_ok(gas_io(&f->reset_reg, KXEN_PORT_RESET) &&
	       f->reset_value == KXEN_ACPI_RESET_VALUE &&
	       (f->flags & ACPI_FADT_RESET_REG_SUP),
	       "FADT reset register: kxen's port and value, RESET_REG_SUP");
	tap_ok(acpi_tables_size(128) < LAYOUT_PAGE,
	       "128 vCPUs' tables fit one page (%llu bytes)",
	       (unsigned long long)acpi_tables_size(128));
	free(ram);
}

static struct elf_image kernel_at(uint64_t paddr, uint64_t memsz)
{
	struct elfgen g = { .paddr = paddr, .filesz = 0x100, .memsz = memsz,
			    .entry = paddr };
	struct elf_image img;
	size_t len;
	unsigned char *b = elfgen_build(&g, &len);

	elf_parse(b, len, &img, err, sizeof(err));
	free(b);
	return img;
}

/* Sorted, touching, covering [0, mem), with the expected types. */
static int memmap_ok(const struct layout *l)
{
	static const uint32_t types[] = { 1, 2, 1, 3 };
	uint64_t end = 0;
	unsigned int i;

	if (l->nr_memmap != 4)
		return 0;
	for (i = 0; i < l->nr_memmap; i++) {
		if (l->map[i].addr != end || !l->map[i].size ||
		    l->map[i].type != types[i])
			return 0;
		end += l->map[i].size;
	}
	return end == l->mem_bytes && l->map[1].addr == 0xe0000 &&
	       l->map[2].addr == 0x100000 && l->map[3].addr == l->acpi;
}

static void test_memmap(void)
{
	struct elf_image img = kernel_at(0x100000, 0x3000);
	struct layout l;

	tap_ok(!layout_plan(&l, &img, 64 * MiB, 4, "", 0x2345, err,
			    sizeof(err)) && memmap_ok(&l) &&
	       l.acpi == 64 * MiB - LAYOUT_PAGE && l.acpi_end == 64 * MiB &&
	       l.tables.rsdp == l.acpi && l.tables.vcpus == 4 &&
	       l.tables.rsdp_low == 0xfffc0 &&
	       l.ramdisk + l.ramdisk_size <= l.acpi,
	       "memmap: RAM, reserved BIOS area, RAM, ACPI at the top");
	img = kernel_at(0x10000, 0xcf800);
	tap_ok(!layout_plan(&l, &img, 8 * MiB, 1, "", 0, err, sizeof(err)) &&
	       l.start_info == 0x100000 && memmap_ok(&l),
	       "boot info that would land in the BIOS area goes to 1 MiB");
	img = kernel_at(0xff000, 0x2000);
	tap_ok(layout_plan(&l, &img, 8 * MiB, 1, "", 0, err, sizeof(err)) &&
	       !strcmp(err, OVERLAP),
	       "kernel in the BIOS area: %s", err);
}

static void test_memmap_write(void)
{
	struct elf_image img = kernel_at(0x100000, 0x3000);
	unsigned char *ram = malloc(4 * MiB), k[0x1100] = { 0 };
	const struct hvm_start_info *si;
	struct layout l;
	uint64_t a;
	int ok = 1;

	layout_plan(&l, &img, 4 * MiB, 2, "x", 0, err, sizeof(err));
	memset(ram, 0xaa, 4 * MiB);
	layout_write(&l, ram, 4 * MiB, k, sizeof(k), "x", NULL);
	si = (const void *)(ram + l.start_info);
	for (a = 0xe0000; a < 0x100000; a++)
		if (a < 0xfffc0 || a >= 0xfffc0 + 36)
			ok &= ram[a] == 0;
	tap_ok(ok, "BIOS area zeroed but for the RSDP copy");
	tap_ok(si->rsdp_paddr == l.tables.rsdp && si->memmap_entries == 4 &&
	       !memcmp(ram + si->memmap_paddr, l.map, sizeof(l.map)) &&
	       walk(ram, si->rsdp_paddr, 2) && walk(ram, 0xfffc0, 2),
	       "start_info: rsdp_paddr and the 4-entry memmap; tables found from both RSDPs");
	free(ram);
}

void acpi_tests(void)
{
	test_tables(1);
	test_tables(2);
	test_tables(128);
	test_dsdt();
	test_memmap();
	test_memmap_write();
}
