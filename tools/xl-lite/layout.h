/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PVH image layout: where the kernel, hvm_start_info, memory map, module
 * list, command line, ramdisk and ACPI tables go in guest-physical
 * memory, and the writer that puts them there.  Plain C: the same code
 * fills the mmap()ed guest RAM and a test buffer.
 */
#ifndef XL_LITE_LAYOUT_H
#define XL_LITE_LAYOUT_H

#include <stdint.h>
#include <stdio.h>
#include <xen/arch-x86/hvm/start_info.h>

#include "acpi.h"
#include "pvhelf.h"

#define LAYOUT_PAGE		4096ULL
#define LAYOUT_MAX_MEMMAP	4
/*
 * RAM is one block from 0, so memory must stay below the IOAPIC/LAPIC
 * MMIO window (0xfec00000) until the map grows a hole.
 */
#define LAYOUT_RAM_LIMIT	0xf0000000ULL
/* The PC BIOS area, reserved; the RSDP's copy for scanning kernels. */
#define LAYOUT_BIOS		0xe0000ULL
#define LAYOUT_BIOS_END		0x100000ULL
#define LAYOUT_RSDP_LOW		(LAYOUT_BIOS_END - 64)	/* as libxl */
#define LAYOUT_ERR_MAX		256

struct layout {
	uint64_t mem_bytes;
	unsigned int vcpus;		/* maxvcpus */
	struct elf_image img;
	uint64_t info, info_end;	/* boot-info area, page aligned */
	uint64_t start_info;		/* GPA of hvm_start_info, in %ebx */
	uint64_t memmap;
	unsigned int nr_memmap;
	struct hvm_memmap_table_entry map[LAYOUT_MAX_MEMMAP];
	uint64_t modlist;
	unsigned int nr_modules;	/* 1 with a ramdisk, else 0 */
	uint64_t cmdline, cmdline_size;	/* size includes the NUL */
	uint64_t ramdisk, ramdisk_size;	/* ramdisk 0 when none */
	uint64_t acpi, acpi_end;	/* the ACPI region, page aligned */
	struct acpi_tables tables;
};

/*
 * Plan the layout (nothing is written).  Returns 0, or -1 with a message
 * naming what does not fit in @err.
 */
int layout_plan(struct layout *l, const struct elf_image *img,
		uint64_t mem_bytes, unsigned int vcpus, const char *cmdline,
		uint64_t ramdisk_size, char *err, size_t errlen);

/*
 * Of the planned vCPUs, only the first @n are enabled at boot in the
 * MADT; the rest wait for the guest to hot-add them (maxvcpus above
 * vcpus).  No change to the layout: the tables are as large.
 */
void layout_set_boot_vcpus(struct layout *l, unsigned int n);

/*
 * Write the planned image into @ram (guest-physical address 0 at ram[0],
 * @ram_len bytes): kernel segments from @kernel, boot info, @cmdline,
 * @ramdisk, the ACPI tables and the BIOS area (zeroed, with the RSDP's
 * copy).  Bytes outside the written ranges are left as they are.
 * Returns 0, or -1 if the plan does not match the buffers.
 */
int layout_write(const struct layout *l, void *ram, uint64_t ram_len,
		 const void *kernel, size_t kernel_len, const char *cmdline,
		 const void *ramdisk);

/* The layout as stable "key: value" lines, for create -n. */
void layout_print(const struct layout *l, const char *cmdline, FILE *f);

#endif /* XL_LITE_LAYOUT_H */
