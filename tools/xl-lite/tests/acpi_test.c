// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the ACPI tables (acpi.c) and the memory map around
 * them (layout.c): the tables are built into a RAM buffer and read back
 * the way an OS finds them, from hvm_start_info.rsdp_paddr or by
 * scanning the BIOS area for "RSD PTR ".
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/*
 * Follow RSDP -> XSDT -> FADT -> DSDT and MADT; count the LAPICs, the
 * first @enabled of them enabled.
 */
static int walk_enabled(const unsigned char *ram, uint64_t rsdp,
			unsigned int vcpus, unsigned int enabled)
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
		      l[i].flags == (i < enabled);
	return ok;
}

static int walk(const unsigned char *ram, uint64_t rsdp, unsigned int vcpus)
{
	return walk_enabled(ram, rsdp, vcpus, vcpus);
}

/*
 * Each vCPU's processor device in the DSDT's AML at @aml: PRxx with
 * _HID "ACPI0007", _UID its id, _STA 0x0f and a _MAT holding its
 * enabled Local APIC (APIC ID 2 * id).
 */
static int processors_ok(const unsigned char *aml, size_t len,
			 unsigned int vcpus)
{
	static const char hid[] = "\010_HID\015ACPI0007\000\010_UID";
	static const unsigned char sta[] = {
		0x14, 0x09, '_', 'S', 'T', 'A', 0, 0xa4, 0x0a, 0x0f,
		0x08, '_', 'M', 'A', 'T', 0x11, 0x0b, 0x0a, 0x08,
	};
	const unsigned char *p, *end = aml + len;
	unsigned char mat[8] = { 0, 8, 0, 0, 1, 0, 0, 0 };
	char name[8];
	unsigned int i, n;

	for (i = 0; i < vcpus; i++) {
		snprintf(name, sizeof(name), "PR%02X", i);
		p = memmem(aml, len, name, 4);
		if (!p || p < aml + 3 || p[-3] != 0x5b || p[-2] != 0x82 ||
		    end - p < 4 + (long)sizeof(hid) + 2)
			return 0;
		p += 4;
		if (memcmp(p, hid, sizeof(hid) - 1))
			return 0;
		p += sizeof(hid) - 1;
		/* _UID: ZeroOp, OneOp or BytePrefix */
		n = i < 2 ? 1 : 2;
		if ((i < 2 && *p != i) || (i >= 2 && (p[0] != 0x0a || p[1] != i)))
			return 0;
		p += n;
		mat[2] = i;
		mat[3] = 2 * i;
		if (end - p < (long)(sizeof(sta) + sizeof(mat)) ||
		    memcmp(p, sta, sizeof(sta)) ||
		    memcmp(p + sizeof(sta), mat, sizeof(mat)))
			return 0;
	}
	return 1;
}

static void test_tables(unsigned int vcpus, unsigned int enabled)
{
	unsigned char *ram = calloc(1, 2 * MiB);
	struct acpi_tables t;
	int ok;

	acpi_plan(&t, 0x101000, vcpus, 0xfffc0);
	t.enabled = enabled;
	memset(ram + t.base, 0xaa, t.size + 16);
	acpi_write(&t, ram);
	ok = t.size == acpi_tables_size(vcpus) && t.rsdp == t.base &&
	     t.rsdp < t.xsdt && t.xsdt < t.fadt && t.fadt < t.madt &&
	     t.madt < t.dsdt && t.dsdt_aml &&
	     t.dsdt_aml == acpi_dsdt_aml(NULL, 0, vcpus) &&
	     t.dsdt + 36 + t.dsdt_aml == t.base + t.size &&
	     ram[t.base + t.size] == 0xaa;
	tap_ok(ok, "%u vCPUs: tables in order inside [base, base + size)",
	       vcpus);
	tap_ok(rsdp_ok(ram, t.rsdp, t.xsdt) && rsdp_ok(ram, 0xfffc0, t.xsdt),
	       "%u vCPUs: RSDP rev 2 and its copy: checksums, XSDT address",
	       vcpus);
	tap_ok(walk_enabled(ram, t.rsdp, vcpus, enabled),
	       "%u vCPUs: XSDT -> FADT (rev 5, HW_REDUCED_ACPI) -> DSDT, MADT with %u LAPICs, APIC IDs 0, 2, ..., %u enabled",
	       vcpus, vcpus, enabled);
	tap_ok(processors_ok(ram + t.dsdt + 36, t.dsdt_aml, vcpus),
	       "%u vCPUs: DSDT processor devices PR00.. with _HID ACPI0007, _UID, _STA 0x0f, _MAT enabled",
	       vcpus);
	free(ram);
}

static int gas_io(const struct acpi_gas *g, uint16_t port)
{
	return g->space_id == ACPI_GAS_SYSTEM_IO && g->bit_width == 8 &&
	       g->address == port;
}

static void test_dsdt(void)
{
	/* Assembled by hand from ACPI 6.4 chapter 20 */
	static const unsigned char aml[] = {
		/* Scope (\_SB) */
		0x10, 0x3d, '\\', '_', 'S', 'B', '_',
		/* Device (PR00) */
		0x5b, 0x82, 0x35, 'P', 'R', '0', '0',
		/* Name (_HID, "ACPI0007") */
		0x08, '_', 'H', 'I', 'D',
		0x0d, 'A', 'C', 'P', 'I', '0', '0', '0', '7', 0x00,
		/* Name (_UID, Zero) */
		0x08, '_', 'U', 'I', 'D', 0x00,
		/* Method (_STA, 0, NotSerialized) { Return (0x0F) } */
		0x14, 0x09, '_', 'S', 'T', 'A', 0x00, 0xa4, 0x0a, 0x0f,
		/* Name (_MAT, Buffer (8) { Local APIC 0, APIC ID 0, on }) */
		0x08, '_', 'M', 'A', 'T', 0x11, 0x0b, 0x0a, 0x08,
		0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		/* Name (_S5, Package (4) { 5, 5, Zero, Zero }) */
		0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
		0x0a, KXEN_ACPI_SLP_TYP_S5, 0x0a, KXEN_ACPI_SLP_TYP_S5, 0, 0,
	};
	unsigned char *ram = calloc(1, 0x2000);
	struct acpi_fadt *f;
	struct acpi_tables t;

	acpi_plan(&t, 0x100, 1, 0);
	acpi_write(&t, ram);
	f = (void *)(ram + t.fadt);
	tap_ok(t.dsdt_aml == sizeof(aml) &&
	       !memcmp(ram + t.dsdt + 36, aml, sizeof(aml)) &&
	       table(ram, t.dsdt, "DSDT", 36 + sizeof(aml)),
	       "DSDT holds Scope (\\_SB) with one processor and the \\_S5 sleep type, nothing else");
	tap_ok(gas_io(&f->sleep_control_reg, KXEN_PORT_SLEEP_CONTROL) &&
	       gas_io(&f->sleep_status_reg, KXEN_PORT_SLEEP_STATUS),
	       "FADT sleep control/status registers are kxen's I/O ports");
	tap_ok(gas_io(&f->reset_reg, KXEN_PORT_RESET) &&
	       f->reset_value == KXEN_ACPI_RESET_VALUE &&
	       (f->flags & ACPI_FADT_RESET_REG_SUP),
	       "FADT reset register: kxen's port and value, RESET_REG_SUP");
	tap_ok(acpi_tables_size(1) < LAYOUT_PAGE &&
	       acpi_tables_size(128) < 3 * LAYOUT_PAGE,
	       "1 vCPU's tables fit one page, 128 vCPUs' three (%llu bytes)",
	       (unsigned long long)acpi_tables_size(128));
	free(ram);
}

/* @len bytes of @p into @dir/@name: 0 or -1. */
static int put_file(const char *dir, const char *name, const void *p,
		    size_t len)
{
	char path[256];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	ok = fwrite(p, 1, len, f) == len;
	return fclose(f) || !ok ? -1 : 0;
}

/* @dir/@name's bytes (malloc()ed) and their count in *len, or NULL. */
static unsigned char *get_file(const char *dir, const char *name,
			       size_t *len)
{
	unsigned char *b = malloc(1 << 16);
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f || !b) {
		if (f)
			fclose(f);
		free(b);
		return NULL;
	}
	*len = fread(b, 1, (1 << 16) - 1, f);
	b[*len] = 0;
	fclose(f);
	return b;
}

/*
 * ACPICA's iasl (Debian's acpica-tools), where installed: the DSDT for
 * @vcpus disassembles without complaint to the expected ASL, and that
 * ASL compiled with no optimizations gives back the same AML.
 */
static void test_iasl_one(unsigned int vcpus)
{
	char dir[] = "/tmp/kxen-acpi-XXXXXX", cmd[512];
	unsigned char *ram = calloc(1, 64 * 1024), *aml = NULL;
	char *dsl = NULL;
	struct acpi_tables t;
	size_t len = 0, dlen;
	int ok = 0;

	acpi_plan(&t, 0x100, vcpus, 0);
	t.enabled = 1;
	acpi_write(&t, ram);
	if (!mkdtemp(dir) ||
	    put_file(dir, "dsdt.dat", ram + t.dsdt, 36 + t.dsdt_aml))
		goto out;
	snprintf(cmd, sizeof(cmd),
		 "cd %s && iasl -d dsdt.dat >log 2>&1 && iasl -oa -p again dsdt.dsl >>log 2>&1",
		 dir);
	if (system(cmd)) {
		snprintf(cmd, sizeof(cmd), "sed 's/^/# /' %s/log", dir);
		if (system(cmd))
			tap_diag("no iasl log");
		goto out;
	}
	dsl = (char *)get_file(dir, "dsdt.dsl", &dlen);
	aml = get_file(dir, "again.aml", &len);
	ok = dsl && aml && strstr(dsl, "Device (PR01)") &&
	     strstr(dsl, "Name (_HID, \"ACPI0007\"") &&
	     strstr(dsl, "Name (_MAT, Buffer (0x08)") &&
	     strstr(dsl, "Method (_STA, 0, NotSerialized)") &&
	     strstr(dsl, "Name (_S5, Package (0x04)") &&
	     len == 36 + t.dsdt_aml &&
	     !memcmp(aml + 36, ram + t.dsdt + 36, t.dsdt_aml);
out:
	tap_ok(ok, "%u vCPUs: iasl disassembles the DSDT to the ASL expected, %s",
	       vcpus, "and compiles that back to the same AML");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (dir[0] && system(cmd))
		tap_diag("cannot remove %s", dir);
	free(dsl);
	free(aml);
	free(ram);
}

static void test_iasl(void)
{
	if (system("command -v iasl >/dev/null 2>&1")) {
		tap_ok(1, "iasl check # SKIP no iasl (Debian's acpica-tools)");
		return;
	}
	test_iasl_one(2);
	test_iasl_one(128);
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
	test_tables(1, 1);
	test_tables(2, 2);
	test_tables(2, 1);
	test_tables(128, 128);
	test_tables(128, 3);
	test_dsdt();
	test_iasl();
	test_memmap();
	test_memmap_write();
}
