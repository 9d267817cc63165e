// SPDX-License-Identifier: GPL-2.0
/*
 * mkpvhdisk: lays out a raw disk image that pvhboot.S boots: the loader,
 * the hvm_start_info block, the kernel's PT_LOAD segments as one flat image
 * and the initrd.  The kernel is an ELF vmlinux carrying the
 * XEN_ELFNOTE_PHYS32_ENTRY note (xen/include/public/elfnote.h), as Linux
 * built with CONFIG_PVH is.
 *
 * Usage: mkpvhdisk -l LOADER -k VMLINUX -i INITRD -c CMDLINE -o DISK
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/elf.h>
#include <xen/elfnote.h>
#include <xen/arch-x86/hvm/start_info.h>

#define SECTOR			512
#define LOADER_SECTORS		8	/* pvhboot.S LOADER_SECTORS */
#define PARAMS_MAGIC		0x4250584bu	/* "KXPB" */

/*
 * Low memory below the loader (0x7c00) is free once the BIOS has run; the
 * kernel reserves the first MiB, and reads start_info, the module list and
 * the memory map before it uses any of it.
 */
#define INFO_PADDR		0x1000u
#define INFO_SIZE		0x1000u	/* start_info + modlist + cmdline */
#define MODLIST_OFF		0x40u
#define CMDLINE_OFF		0x80u
#define MEMMAP_PADDR		0x2000u
#define MEMMAP_MAX		128u
#define INITRD_ALIGN		0x200000u
/* Geometry Bochs assumes for a flat image: 16 heads, 63 sectors. */
#define CYLINDER_SECTORS	(16 * 63)

/* Offsets must match the P_* constants in pvhboot.S. */
struct pvhboot_params {
	uint32_t magic;
	uint32_t kernel_lba, kernel_sectors, kernel_paddr;
	uint32_t initrd_lba, initrd_sectors, initrd_paddr;
	uint32_t info_lba, info_sectors, info_paddr;
	uint32_t entry;
	uint32_t start_info;
	uint32_t memmap, memmap_max, memmap_count;
};

static_assert(sizeof(struct pvhboot_params) == 60, "pvhboot.S P_* layout");
static_assert(MODLIST_OFF + sizeof(struct hvm_modlist_entry) <= CMDLINE_OFF,
	      "module list overlaps the command line");
static_assert(MEMMAP_MAX * sizeof(struct hvm_memmap_table_entry) <=
	      0x7c00 - MEMMAP_PADDR - 0x1000, "memory map reaches the stack");

struct blob {
	unsigned char *data;
	size_t size;
};

struct kernel {
	struct blob flat;	/* PT_LOAD file contents from paddr lo */
	uint64_t lo, end;	/* paddr range incl. memsz */
	uint32_t entry;		/* PVH 32-bit entry */
};

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("mkpvhdisk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static struct blob read_file(const char *path)
{
	struct blob b = { NULL, 0 };
	FILE *f = fopen(path, "rb");
	long len;

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END))
		die("%s: cannot size: %s", path, strerror(errno));
	len = ftell(f);
	if (len < 0 || fseek(f, 0, SEEK_SET))
		die("%s: cannot size: %s", path, strerror(errno));
	b.size = len;
	b.data = malloc(b.size ? b.size : 1);
	if (!b.data)
		die("out of memory for %s", path);
	if (fread(b.data, 1, b.size, f) != b.size)
		die("%s: short read", path);
	fclose(f);
	return b;
}

/* Checks that [off, off + len) lies in the file. */
static const void *in_file(const struct blob *b, uint64_t off, uint64_t len,
			   const char *what)
{
	if (off > b->size || len > b->size - off)
		die("vmlinux: %s lies outside the file", what);
	return b->data + off;
}

/* XEN_ELFNOTE_PHYS32_ENTRY from one PT_NOTE segment, 0 if absent. */
static uint32_t pvh_entry(const struct blob *elf,
			  const struct elf64_phdr *ph)
{
	const unsigned char *p = in_file(elf, ph->p_offset, ph->p_filesz,
					 "a note segment");
	uint64_t pos = 0;

	while (pos + sizeof(struct elf64_note) <= ph->p_filesz) {
		const struct elf64_note *n = (const void *)(p + pos);
		uint64_t name = pos + sizeof(*n);
		uint64_t desc = name + ((n->n_namesz + 3) & ~3u);

		pos = desc + ((n->n_descsz + 3) & ~3u);
		if (pos > ph->p_filesz)
			die("vmlinux: truncated ELF note");
		if (n->n_namesz == 4 && !memcmp(p + name, "Xen", 4) &&
		    n->n_type == XEN_ELFNOTE_PHYS32_ENTRY && n->n_descsz >= 4) {
			uint32_t v;

			memcpy(&v, p + desc, sizeof(v));
			return v;
		}
	}
	return 0;
}

static void check_elf(const struct blob *elf)
{
	const struct elf64_hdr *eh = in_file(elf, 0, sizeof(*eh),
					     "the ELF header");

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
		die("vmlinux: not a little-endian x86-64 ELF64 file");
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		die("vmlinux: unexpected program header size %u",
		    eh->e_phentsize);
	in_file(elf, eh->e_phoff,
		(uint64_t)eh->e_phnum * sizeof(struct elf64_phdr),
		"the program headers");
}

/* Range of the PT_LOAD segments, by physical address, and the entry. */
static void scan_phdrs(const struct blob *elf, struct kernel *k,
		       uint64_t *file_end)
{
	const struct elf64_hdr *eh = (const void *)elf->data;
	const struct elf64_phdr *ph = (const void *)(elf->data + eh->e_phoff);
	int i;

	k->lo = UINT64_MAX;
	k->end = 0;
	*file_end = 0;
	k->entry = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_NOTE && !k->entry)
			k->entry = pvh_entry(elf, &ph[i]);
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		in_file(elf, ph[i].p_offset, ph[i].p_filesz, "a PT_LOAD");
		if (ph[i].p_paddr < k->lo)
			k->lo = ph[i].p_paddr;
		if (ph[i].p_paddr + ph[i].p_memsz > k->end)
			k->end = ph[i].p_paddr + ph[i].p_memsz;
		if (ph[i].p_paddr + ph[i].p_filesz > *file_end)
			*file_end = ph[i].p_paddr + ph[i].p_filesz;
	}
	if (!k->entry)
		die("vmlinux: no XEN_ELFNOTE_PHYS32_ENTRY note (not a PVH kernel)");
	if (k->lo == UINT64_MAX)
		die("vmlinux: no PT_LOAD segment");
	if (k->lo < 0x100000 || k->end > 0xc0000000u)
		die("vmlinux: segments at 0x%llx-0x%llx, outside 1 MiB-3 GiB",
		    (unsigned long long)k->lo, (unsigned long long)k->end);
	if (k->entry < k->lo || k->entry >= k->end)
		die("vmlinux: PVH entry 0x%x outside the loaded segments",
		    k->entry);
}

/*
 * Emulated RAM starts zeroed, so the trailing zeros of the image (.bss,
 * .brk) need not be read from the disk.
 */
static void load_kernel(const struct blob *elf, struct kernel *k)
{
	const struct elf64_hdr *eh = (const void *)elf->data;
	const struct elf64_phdr *ph = (const void *)(elf->data + eh->e_phoff);
	uint64_t file_end;
	int i;

	check_elf(elf);
	scan_phdrs(elf, k, &file_end);
	k->flat.size = file_end - k->lo;
	k->flat.data = calloc(1, k->flat.size);
	if (!k->flat.data)
		die("out of memory for the flat kernel image");
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_filesz)
			continue;
		memcpy(k->flat.data + (ph[i].p_paddr - k->lo),
		       elf->data + ph[i].p_offset, ph[i].p_filesz);
	}
	while (k->flat.size && !k->flat.data[k->flat.size - 1])
		k->flat.size--;
}

static uint32_t sectors(size_t bytes)
{
	return (bytes + SECTOR - 1) / SECTOR;
}

/* hvm_start_info v1, its module list (the initrd) and the command line. */
static void build_info(unsigned char *info, const char *cmdline,
		       uint32_t initrd_paddr, size_t initrd_size)
{
	struct hvm_start_info si = {
		.magic = XEN_HVM_START_MAGIC_VALUE,
		.version = 1,
		.nr_modules = 1,
		.modlist_paddr = INFO_PADDR + MODLIST_OFF,
		.cmdline_paddr = INFO_PADDR + CMDLINE_OFF,
		.memmap_paddr = MEMMAP_PADDR,
		/* memmap_entries: written by the loader from E820 */
	};
	struct hvm_modlist_entry mod = {
		.paddr = initrd_paddr,
		.size = initrd_size,
	};
	size_t len = strlen(cmdline);

	if (len + 1 > INFO_SIZE - CMDLINE_OFF)
		die("command line too long (%zu bytes, at most %u)", len,
		    INFO_SIZE - CMDLINE_OFF - 1);
	memset(info, 0, INFO_SIZE);
	memcpy(info, &si, sizeof(si));
	memcpy(info + MODLIST_OFF, &mod, sizeof(mod));
	memcpy(info + CMDLINE_OFF, cmdline, len + 1);
}

static void put(FILE *f, uint32_t lba, const void *data, size_t size)
{
	if (fseek(f, (long)lba * SECTOR, SEEK_SET) ||
	    fwrite(data, 1, size, f) != size)
		die("writing the disk image: %s", strerror(errno));
}

static void write_disk(const char *out, struct blob *loader,
		       const struct kernel *k, const struct blob *initrd,
		       const char *cmdline)
{
	static unsigned char info[INFO_SIZE];
	struct pvhboot_params p = { .magic = PARAMS_MAGIC };
	uint32_t total;
	FILE *f;

	p.info_lba = LOADER_SECTORS;
	p.info_sectors = sectors(INFO_SIZE);
	p.info_paddr = INFO_PADDR;
	p.kernel_lba = p.info_lba + p.info_sectors;
	p.kernel_sectors = sectors(k->flat.size);
	p.kernel_paddr = k->lo;
	p.initrd_lba = p.kernel_lba + p.kernel_sectors;
	p.initrd_sectors = sectors(initrd->size);
	p.initrd_paddr = (k->end + INITRD_ALIGN - 1) & ~(INITRD_ALIGN - 1);
	p.entry = k->entry;
	p.start_info = INFO_PADDR;
	p.memmap = MEMMAP_PADDR;
	p.memmap_max = MEMMAP_MAX;
	p.memmap_count = INFO_PADDR +
		offsetof(struct hvm_start_info, memmap_entries);
	memcpy(loader->data + SECTOR, &p, sizeof(p));
	build_info(info, cmdline, p.initrd_paddr, initrd->size);

	total = p.initrd_lba + p.initrd_sectors;
	total = (total + CYLINDER_SECTORS - 1) / CYLINDER_SECTORS *
		CYLINDER_SECTORS;
	f = fopen(out, "wb");
	if (!f)
		die("%s: %s", out, strerror(errno));
	put(f, 0, loader->data, loader->size);
	put(f, p.info_lba, info, sizeof(info));
	put(f, p.kernel_lba, k->flat.data, k->flat.size);
	put(f, p.initrd_lba, initrd->data, initrd->size);
	if (ftruncate(fileno(f), (off_t)total * SECTOR) || fclose(f))
		die("%s: %s", out, strerror(errno));
	printf("mkpvhdisk: kernel 0x%llx+0x%zx entry 0x%x, initrd 0x%x+0x%zx\n",
	       (unsigned long long)k->lo, k->flat.size, k->entry,
	       p.initrd_paddr, initrd->size);
}

static void check_loader(const struct blob *loader)
{
	uint32_t magic;

	if (loader->size != LOADER_SECTORS * SECTOR)
		die("loader is %zu bytes, expected %d", loader->size,
		    LOADER_SECTORS * SECTOR);
	memcpy(&magic, loader->data + SECTOR, sizeof(magic));
	if (magic != PARAMS_MAGIC)
		die("loader has no parameter block at offset %d", SECTOR);
}

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
		"usage: mkpvhdisk -l LOADER -k VMLINUX -i INITRD -c CMDLINE -o DISK\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *lpath = NULL, *kpath = NULL, *ipath = NULL;
	const char *cmdline = NULL, *out = NULL;
	struct blob loader, elf, initrd;
	struct kernel k;
	int c;

	while ((c = getopt(argc, argv, "l:k:i:c:o:")) != -1) {
		switch (c) {
		case 'l':
			lpath = optarg;
			break;
		case 'k':
			kpath = optarg;
			break;
		case 'i':
			ipath = optarg;
			break;
		case 'c':
			cmdline = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			usage();
		}
	}
	if (!lpath || !kpath || !ipath || !cmdline || !out || optind != argc)
		usage();

	loader = read_file(lpath);
	check_loader(&loader);
	elf = read_file(kpath);
	load_kernel(&elf, &k);
	free(elf.data);
	initrd = read_file(ipath);
	write_disk(out, &loader, &k, &initrd, cmdline);
	return 0;
}
