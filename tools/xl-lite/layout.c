// SPDX-License-Identifier: GPL-2.0
/*
 * PVH image layout, per xen/arch-x86/hvm/start_info.h and
 * docs/misc/pvh.pandoc: the kernel's PT_LOAD segments at their p_paddr;
 * then, from the first page boundary after the highest kernel byte, one
 * boot-info area holding
 *     hvm_start_info (v1) | memory map | module list | command line
 * the ACPI tables in the last page(s) of RAM, and the ramdisk
 * page-aligned just below them, as far from the kernel as possible (the
 * kernel's early allocations grow up from its end).
 *
 * The memory map, in address order:
 *     [0, 0xe0000)           RAM
 *     [0xe0000, 0x100000)    reserved: the PC BIOS area, zeroed but for
 *                            a copy of the RSDP at 0xfffc0, where libxl
 *                            puts it for kernels that scan for it
 *     [0x100000, acpi)       RAM
 *     [acpi, memory)         ACPI: the tables, as libxl's E820_ACPI
 *                            ranges (libxl__arch_domain_construct_memmap)
 * libxl puts the tables at 0xfc000000, in the MMIO hole; kxen's guest
 * memory is one block from 0, so they go at its top instead.  RAM stays
 * below 0xf0000000: the map has no MMIO hole yet.
 * Nothing is put at address 0: a 0 address means "absent" (start_info.h).
 */
#include <assert.h>
#include <stdarg.h>
#include <string.h>

#include "layout.h"

static_assert(sizeof(struct hvm_start_info) == 56, "start_info.h layout");
static_assert(sizeof(struct hvm_modlist_entry) == 32, "start_info.h layout");
static_assert(sizeof(struct hvm_memmap_table_entry) == 24,
	      "start_info.h layout");

static uint64_t page_up(uint64_t x)
{
	return (x + LAYOUT_PAGE - 1) & ~(LAYOUT_PAGE - 1);
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint64_t mib_up(uint64_t bytes)
{
	return (bytes + (1ULL << 20) - 1) >> 20;
}

static void add_memmap(struct layout *l, uint64_t start, uint64_t end,
		       uint32_t type)
{
	struct hvm_memmap_table_entry *e = &l->map[l->nr_memmap++];

	e->addr = start;
	e->size = end - start;
	e->type = type;
	e->reserved = 0;
}

static void plan_memmap(struct layout *l)
{
	l->nr_memmap = 0;
	add_memmap(l, 0, LAYOUT_BIOS, XEN_HVM_MEMMAP_TYPE_RAM);
	add_memmap(l, LAYOUT_BIOS, LAYOUT_BIOS_END,
		   XEN_HVM_MEMMAP_TYPE_RESERVED);
	add_memmap(l, LAYOUT_BIOS_END, l->acpi, XEN_HVM_MEMMAP_TYPE_RAM);
	add_memmap(l, l->acpi, l->acpi_end, XEN_HVM_MEMMAP_TYPE_ACPI);
}

static void plan_info(struct layout *l, const char *cmdline, uint64_t at)
{
	uint64_t p;

	l->info = at;
	l->start_info = l->info;
	p = l->start_info + sizeof(struct hvm_start_info);
	p = (p + 7) & ~7ULL;
	l->memmap = p;
	plan_memmap(l);
	p += l->nr_memmap * sizeof(struct hvm_memmap_table_entry);
	l->modlist = p;
	l->nr_modules = l->ramdisk_size ? 1 : 0;
	p += l->nr_modules * sizeof(struct hvm_modlist_entry);
	l->cmdline = p;
	l->cmdline_size = strlen(cmdline) + 1;
	l->info_end = page_up(l->cmdline + l->cmdline_size);
}

/* The BIOS area is reserved: no kernel byte may land in it. */
static int check_bios_area(const struct elf_image *img, char *err,
			   size_t errlen)
{
	const struct elf_seg *s;
	unsigned int i;

	for (i = 0; i < img->nseg; i++) {
		s = &img->seg[i];
		if (s->paddr < LAYOUT_BIOS_END &&
		    s->paddr + s->memsz > LAYOUT_BIOS)
			return fail(err, errlen,
				    "kernel: segment [0x%llx, 0x%llx) overlaps the reserved BIOS area [0x%llx, 0x%llx)",
				    (unsigned long long)s->paddr,
				    (unsigned long long)(s->paddr + s->memsz),
				    LAYOUT_BIOS, LAYOUT_BIOS_END);
	}
	return 0;
}

int layout_plan(struct layout *l, const struct elf_image *img,
		uint64_t mem_bytes, unsigned int vcpus, const char *cmdline,
		uint64_t ramdisk_size, char *err, size_t errlen)
{
	uint64_t need, acpi_size = page_up(acpi_tables_size(vcpus));

	memset(l, 0, sizeof(*l));
	l->img = *img;
	l->mem_bytes = mem_bytes;
	l->vcpus = vcpus;
	l->ramdisk_size = ramdisk_size;
	if (mem_bytes > LAYOUT_RAM_LIMIT)
		return fail(err, errlen,
			    "memory: %llu MiB is more than the %llu MiB supported so far (the memory map has no MMIO hole yet)",
			    (unsigned long long)(mem_bytes >> 20),
			    LAYOUT_RAM_LIMIT >> 20);
	if (img->hi > mem_bytes)
		return fail(err, errlen,
			    "memory: %llu MiB is too small: the kernel ends at 0x%llx, needs at least %llu MiB",
			    (unsigned long long)(mem_bytes >> 20),
			    (unsigned long long)img->hi,
			    (unsigned long long)mib_up(img->hi + LAYOUT_PAGE));
	if (check_bios_area(img, err, errlen))
		return -1;
	l->acpi = (mem_bytes - acpi_size) & ~(LAYOUT_PAGE - 1);
	l->acpi_end = mem_bytes;
	plan_info(l, cmdline, page_up(img->hi));
	if (l->info < LAYOUT_BIOS_END && l->info_end > LAYOUT_BIOS)
		plan_info(l, cmdline, LAYOUT_BIOS_END);
	need = (l->info_end > LAYOUT_BIOS_END ? l->info_end : LAYOUT_BIOS_END)
	       + page_up(ramdisk_size) + acpi_size;
	if (need > mem_bytes || need < l->info_end)
		return fail(err, errlen,
			    "memory: %llu MiB is too small: kernel, boot info, ramdisk (%llu bytes) and ACPI tables need at least %llu MiB",
			    (unsigned long long)(mem_bytes >> 20),
			    (unsigned long long)ramdisk_size,
			    (unsigned long long)mib_up(need));
	acpi_plan(&l->tables, l->acpi, vcpus, LAYOUT_RSDP_LOW);
	if (ramdisk_size)
		l->ramdisk = (l->acpi - ramdisk_size) & ~(LAYOUT_PAGE - 1);
	return 0;
}

void layout_set_boot_vcpus(struct layout *l, unsigned int n)
{
	if (n && n < l->tables.vcpus)
		l->tables.enabled = n;
}

static void write_info(const struct layout *l, unsigned char *ram)
{
	struct hvm_start_info si = {
		.magic = XEN_HVM_START_MAGIC_VALUE,
		.version = 1,
		.nr_modules = l->nr_modules,
		.modlist_paddr = l->nr_modules ? l->modlist : 0,
		.cmdline_paddr = l->cmdline,
		.rsdp_paddr = l->tables.rsdp,
		.memmap_paddr = l->memmap,
		.memmap_entries = l->nr_memmap,
	};
	struct hvm_modlist_entry mod = {
		.paddr = l->ramdisk,
		.size = l->ramdisk_size,
	};

	memset(ram + l->info, 0, l->info_end - l->info);
	memcpy(ram + l->start_info, &si, sizeof(si));
	memcpy(ram + l->memmap, l->map, l->nr_memmap * sizeof(l->map[0]));
	if (l->nr_modules)
		memcpy(ram + l->modlist, &mod, sizeof(mod));
}

int layout_write(const struct layout *l, void *ram, uint64_t ram_len,
		 const void *kernel, size_t kernel_len, const char *cmdline,
		 const void *ramdisk)
{
	unsigned char *r = ram;
	const struct elf_seg *s;
	unsigned int i;

	if (ram_len < l->mem_bytes || strlen(cmdline) + 1 != l->cmdline_size)
		return -1;
	for (i = 0; i < l->img.nseg; i++) {
		s = &l->img.seg[i];
		if (s->offset + s->filesz > kernel_len)
			return -1;
		memcpy(r + s->paddr, (const char *)kernel + s->offset,
		       s->filesz);
		memset(r + s->paddr + s->filesz, 0, s->memsz - s->filesz);
	}
	write_info(l, r);
	memcpy(r + l->cmdline, cmdline, l->cmdline_size);
	if (l->ramdisk_size)
		memcpy(r + l->ramdisk, ramdisk, l->ramdisk_size);
	memset(r + LAYOUT_BIOS, 0, LAYOUT_BIOS_END - LAYOUT_BIOS);
	memset(r + l->acpi, 0, l->acpi_end - l->acpi);
	acpi_write(&l->tables, r);
	return 0;
}

static const char *memmap_type(uint32_t type)
{
	switch (type) {
	case XEN_HVM_MEMMAP_TYPE_RAM:
		return "RAM";
	case XEN_HVM_MEMMAP_TYPE_RESERVED:
		return "reserved";
	case XEN_HVM_MEMMAP_TYPE_ACPI:
		return "ACPI";
	default:
		return "?";
	}
}

static void print_acpi(const struct acpi_tables *t, FILE *f)
{
	fprintf(f, "acpi: [0x%llx, 0x%llx)\n", (unsigned long long)t->base,
		(unsigned long long)(t->base + t->size));
	fprintf(f, "rsdp: 0x%llx, copy at 0x%llx\n",
		(unsigned long long)t->rsdp, (unsigned long long)t->rsdp_low);
	fprintf(f, "xsdt: 0x%llx entries 2\n", (unsigned long long)t->xsdt);
	fprintf(f, "fadt: 0x%llx revision %d, hardware-reduced\n",
		(unsigned long long)t->fadt, ACPI_FADT_REVISION);
	fprintf(f, "madt: 0x%llx lapics %u, APIC ID = 2 x vCPU id",
		(unsigned long long)t->madt, t->vcpus);
	if (t->enabled < t->vcpus)
		fprintf(f, ", %u enabled, %u hot-pluggable", t->enabled,
			t->vcpus - t->enabled);
	fprintf(f, "\ndsdt: 0x%llx processors %u (ACPI0007, _MAT), _S5\n",
		(unsigned long long)t->dsdt, t->vcpus);
}

void layout_print(const struct layout *l, const char *cmdline, FILE *f)
{
	const struct hvm_memmap_table_entry *e;
	unsigned int i;

	fprintf(f, "memory: 0x%llx\n", (unsigned long long)l->mem_bytes);
	fprintf(f, "elf: %d-bit\n", l->img.bits);
	for (i = 0; i < l->img.nseg; i++) {
		const struct elf_seg *s = &l->img.seg[i];

		fprintf(f, "segment %u: [0x%llx, 0x%llx) filesz 0x%llx\n", i,
			(unsigned long long)s->paddr,
			(unsigned long long)(s->paddr + s->memsz),
			(unsigned long long)s->filesz);
	}
	fprintf(f, "entry: 0x%llx\n", (unsigned long long)l->img.entry);
	fprintf(f, "start_info: 0x%llx\n", (unsigned long long)l->start_info);
	fprintf(f, "memmap: 0x%llx entries %u\n",
		(unsigned long long)l->memmap, l->nr_memmap);
	for (i = 0; i < l->nr_memmap; i++) {
		e = &l->map[i];
		fprintf(f, "memmap %u: [0x%llx, 0x%llx) type %u %s\n", i,
			(unsigned long long)e->addr,
			(unsigned long long)(e->addr + e->size), e->type,
			memmap_type(e->type));
	}
	fprintf(f, "modlist: 0x%llx entries %u\n",
		(unsigned long long)l->modlist, l->nr_modules);
	fprintf(f, "cmdline: 0x%llx \"%s\"\n", (unsigned long long)l->cmdline,
		cmdline);
	if (l->ramdisk_size)
		fprintf(f, "ramdisk: [0x%llx, 0x%llx) size %llu\n",
			(unsigned long long)l->ramdisk,
			(unsigned long long)(l->ramdisk + l->ramdisk_size),
			(unsigned long long)l->ramdisk_size);
	else
		fprintf(f, "ramdisk: none\n");
	print_acpi(&l->tables, f);
}
