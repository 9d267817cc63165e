// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the PVH ELF reader (pvhelf.c) and the image layout and
 * writer (layout.c), on generated test kernels and a RAM buffer.
 */
#include <string.h>

#include "layout.h"
#include "pvhelf.h"
#include "tap.h"
#include "elfgen.h"

#define MiB	(1024ULL * 1024)

static const struct elfgen base = {
	.paddr = 0x100000, .filesz = 0x1800, .memsz = 0x3000,
	.entry = 0x100040,
};

static char err[256];

static int parse(const struct elfgen *g, struct elf_image *img)
{
	size_t len;
	unsigned char *b = elfgen_build(g, &len);
	int r;

	err[0] = '\0';
	r = elf_parse(b, len, img, err, sizeof(err));
	free(b);
	return r;
}

static void test_elf_ok(void)
{
	struct elfgen g = base;
	struct elf_image img;

	tap_ok(!parse(&g, &img) && img.bits == 64 && img.nseg == 1 &&
	       img.entry == 0x100040 && img.lo == 0x100000 &&
	       img.hi == 0x103000 && img.seg[0].filesz == 0x1800 &&
	       img.seg[0].offset == ELFGEN_DATA_OFF,
	       "ELF64 with PT_NOTE: segment and entry");
	g.elf32 = true;
	tap_ok(!parse(&g, &img) && img.bits == 32 && img.entry == 0x100040 &&
	       img.hi == 0x103000, "ELF32 with PT_NOTE");
	g.note = ELFGEN_NOTE_SECTION;
	tap_ok(!parse(&g, &img) && img.entry == 0x100040,
	       "ELF32, note only in a SHT_NOTE section");
	g.elf32 = false;
	g.desc8 = true;
	tap_ok(!parse(&g, &img) && img.entry == 0x100040,
	       "ELF64, 8-byte note value, section only");
}

static void elf_bad(const void *buf, size_t len, const char *msg,
		    const char *what)
{
	struct elf_image img;
	int r;

	err[0] = '\0';
	r = elf_parse(buf, len, &img, err, sizeof(err));
	if (!tap_ok(r == -1 && strstr(err, msg), "%s: %s", what, msg))
		tap_diag("got %d \"%s\"", r, err);
}

static void test_elf_bad(void)
{
	struct elfgen g = base;
	unsigned char *b, bz[0x300] = { 0 };
	size_t len;

	g.note = ELFGEN_NOTE_NONE;
	b = elfgen_build(&g, &len);
	elf_bad(b, len,
		"no PVH entry point: the kernel has no XEN_ELFNOTE_PHYS32_ENTRY note",
		"no note");
	free(b);
	g = base;
	b = elfgen_build(&g, &len);
	elf_bad(b, len - 1, "past the end of the file", "truncated segment");
	elf_bad(b, 40, "truncated ELF header", "truncated header");
	b[EI_CLASS] = 7;
	elf_bad(b, len, "unknown ELF class 7", "bad class");
	free(b);
	g.memsz = 0x100;
	b = elfgen_build(&g, &len);
	elf_bad(b, len, "has filesz > memsz", "filesz > memsz");
	free(b);
	memcpy(bz + 0x202, "HdrS", 4);
	elf_bad(bz, sizeof(bz), "a bzImage, not an ELF file", "bzImage");
	elf_bad("#!/bin/sh\necho hi\n", 18, "not an ELF file", "script");
	g = base;
	g.entry = 0x100000000ULL;
	g.desc8 = true;
	b = elfgen_build(&g, &len);
	elf_bad(b, len, "above 4 GiB", "entry above 4 GiB");
	free(b);
	g = base;
	g.entry = g.paddr + g.memsz;
	b = elfgen_build(&g, &len);
	elf_bad(b, len,
		"PVH entry point 0x103000 is outside the loaded segments",
		"entry just past the segment");
	free(b);
	g.entry = g.paddr - 1;
	b = elfgen_build(&g, &len);
	elf_bad(b, len,
		"PVH entry point 0xfffff is outside the loaded segments",
		"entry just below the segment");
	free(b);
	g.entry = 0;
	g.elf32 = true;
	b = elfgen_build(&g, &len);
	elf_bad(b, len, "PVH entry point 0x0 is outside the loaded segments",
		"ELF32 entry 0");
	free(b);
}

/* The entry may be anywhere in the memory a segment loads, BSS included. */
static void test_elf_entry_bounds(void)
{
	struct elfgen g = base;
	struct elf_image img;

	g.entry = g.paddr;
	tap_ok(!parse(&g, &img) && img.entry == g.paddr,
	       "entry at the first loaded byte");
	g.entry = g.paddr + g.memsz - 1;
	tap_ok(!parse(&g, &img) && img.entry == g.paddr + g.memsz - 1,
	       "entry at the last loaded byte (past filesz, in BSS)");
}

/* layout_plan() for @mem bytes of RAM and @rd of ramdisk must fail: @msg */
static void plan_bad(const struct elf_image *img, uint64_t mem, uint64_t rd,
		     const char *what, const char *msg)
{
	struct layout l;

	tap_ok(layout_plan(&l, img, mem, 1, "", rd, err, sizeof(err)) &&
	       !strcmp(err, msg), "%s: %s", what, err);
}

static void test_plan(void)
{
	struct elfgen g = base;
	struct elf_image img;
	struct layout l;

	parse(&g, &img);
	tap_ok(!layout_plan(&l, &img, 64 * MiB, 2, "console=hvc0", 0x2345,
			    err, sizeof(err)) &&
	       l.start_info == 0x103000 && l.memmap == 0x103038 &&
	       l.nr_memmap == 4 && l.map[0].addr == 0 &&
	       l.map[0].size == 0xe0000 && l.map[0].type == 1 &&
	       l.modlist == 0x103098 && l.nr_modules == 1 &&
	       l.cmdline == 0x1030b8 && l.cmdline_size == 13 &&
	       l.info_end == 0x104000 && l.acpi == 64 * MiB - 0x1000 &&
	       l.ramdisk == 64 * MiB - 0x4000 && l.ramdisk_size == 0x2345,
	       "layout: boot info after the kernel, ramdisk below the ACPI tables");
	tap_ok(!layout_plan(&l, &img, 64 * MiB, 1, "", 0, err, sizeof(err)) &&
	       l.nr_modules == 0 && l.ramdisk == 0 && l.cmdline == 0x103098,
	       "layout without a ramdisk");
	plan_bad(&img, 1 * MiB, 0, "kernel beyond memory",
		 "memory: 1 MiB is too small: the kernel ends at 0x103000, needs at least 2 MiB");
	plan_bad(&img, 2 * MiB, 2 * MiB, "ramdisk does not fit",
		 "memory: 2 MiB is too small: kernel, boot info, ramdisk (2097152 bytes) and ACPI tables need at least 4 MiB");
	tap_ok(layout_plan(&l, &img, 4096 * MiB, 1, "", 0, err, sizeof(err)) &&
	       strstr(err, "more than the 3840 MiB supported"),
	       "memory above the MMIO window: %s", err);
}

static int check_start_info(const unsigned char *ram, const struct layout *l)
{
	const struct hvm_start_info *si = (const void *)(ram + l->start_info);
	const struct hvm_modlist_entry *m = (const void *)(ram + l->modlist);
	const struct hvm_memmap_table_entry *e =
		(const void *)(ram + l->memmap);

	return si->magic == XEN_HVM_START_MAGIC_VALUE && si->version == 1 &&
	       si->flags == 0 && si->nr_modules == 1 &&
	       si->modlist_paddr == l->modlist &&
	       si->cmdline_paddr == l->cmdline &&
	       si->rsdp_paddr == l->tables.rsdp && si->rsdp_paddr &&
	       si->memmap_paddr == l->memmap && si->memmap_entries == 4 &&
	       si->reserved == 0 && m->paddr == l->ramdisk &&
	       m->size == 5 && m->cmdline_paddr == 0 && m->reserved == 0 &&
	       e->addr == 0 && e->size == 0xe0000 && e->type == 1 &&
	       e->reserved == 0;
}

static void test_write(void)
{
	struct elfgen g = base;
	struct elf_image img;
	struct layout l;
	unsigned char *k, *ram = malloc(8 * MiB);
	size_t klen, i;
	int ok = 1;

	k = elfgen_build(&g, &klen);
	elf_parse(k, klen, &img, err, sizeof(err));
	layout_plan(&l, &img, 8 * MiB, 1, "root=/dev/xvda", 5, err,
		    sizeof(err));
	memset(ram, 0xaa, 8 * MiB);
	tap_ok(!layout_write(&l, ram, 8 * MiB, k, klen, "root=/dev/xvda",
			     "hello"), "layout_write succeeds");
	for (i = 0; i < g.filesz; i++)
		ok &= ram[g.paddr + i] == elfgen_byte(i);
	tap_ok(ok, "kernel bytes at p_paddr");
	for (i = g.filesz; i < g.memsz; i++)
		ok &= ram[g.paddr + i] == 0;
	tap_ok(ok && ram[LAYOUT_BIOS - 1] == 0xaa && ram[l.info_end] == 0xaa &&
	       ram[l.ramdisk - 1] == 0xaa && ram[l.acpi - 1] == 0xaa,
	       "bss zeroed, nothing written outside the planned ranges");
	tap_ok(check_start_info(ram, &l), "hvm_start_info v1, memmap, modlist");
	tap_ok(!strcmp((char *)ram + l.cmdline, "root=/dev/xvda") &&
	       !memcmp(ram + l.ramdisk, "hello", 5),
	       "cmdline and ramdisk contents");
	tap_ok(layout_write(&l, ram, 4 * MiB, k, klen, "root=/dev/xvda",
			    "hello") == -1, "refuses a RAM buffer too small");
	free(k);
	free(ram);
}

void layout_tests(void)
{
	test_elf_ok();
	test_elf_bad();
	test_elf_entry_bounds();
	test_plan();
	test_write();
}
