// SPDX-License-Identifier: GPL-2.0
/*
 * PVH kernel ELF reader.  Every offset and size read from the file is
 * bounds-checked against the buffer before use.
 *
 * The entry point is the XEN_ELFNOTE_PHYS32_ENTRY note (xen/elfnote.h:
 * "Physical entry point into the kernel in 32-bit flat mode, paging
 * off"), found in PT_NOTE segments or, failing those, SHT_NOTE sections.
 * Notes are Elf_Nhdr + name ("Xen\0") + desc, each padded to 4 bytes;
 * the desc is a 4- or 8-byte little-endian number (Linux emits 4).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/elf.h>
#include <xen/elfnote.h>

#include "pvhelf.h"

struct ctx {
	const unsigned char *buf;
	size_t len;
	bool is64;
	char *err;
	size_t errlen;
};

static int fail(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static bool in_file(const struct ctx *c, uint64_t off, uint64_t size)
{
	return off <= c->len && size <= c->len - off;
}

/* Program header @i, widened to the 64-bit layout. */
static void get_phdr(struct ctx *c, uint64_t phoff, unsigned int i,
		     struct elf64_phdr *ph)
{
	if (c->is64) {
		memcpy(ph, c->buf + phoff + i * sizeof(*ph), sizeof(*ph));
	} else {
		struct elf32_phdr p;

		memcpy(&p, c->buf + phoff + i * sizeof(p), sizeof(p));
		ph->p_type = p.p_type;
		ph->p_offset = p.p_offset;
		ph->p_paddr = p.p_paddr;
		ph->p_filesz = p.p_filesz;
		ph->p_memsz = p.p_memsz;
	}
}

static void get_shdr(struct ctx *c, uint64_t shoff, unsigned int i,
		     struct elf64_shdr *sh)
{
	if (c->is64) {
		memcpy(sh, c->buf + shoff + i * sizeof(*sh), sizeof(*sh));
	} else {
		struct elf32_shdr s;

		memcpy(&s, c->buf + shoff + i * sizeof(s), sizeof(s));
		sh->sh_type = s.sh_type;
		sh->sh_offset = s.sh_offset;
		sh->sh_size = s.sh_size;
	}
}

/* Scan one note area; 1 found (entry set), 0 not there, -1 malformed. */
static int scan_notes(struct ctx *c, uint64_t off, uint64_t size,
		      uint64_t *entry)
{
	uint64_t end = off + size, name_off, desc_off;
	struct elf64_note nh;	/* same layout as struct elf32_note */

	if (!in_file(c, off, size))
		return fail(c,
			    "note area [0x%llx, +0x%llx) is past the end of the file",
			    (unsigned long long)off,
			    (unsigned long long)size);
	while (end - off >= sizeof(nh)) {
		memcpy(&nh, c->buf + off, sizeof(nh));
		name_off = off + sizeof(nh);
		desc_off = name_off + ((nh.n_namesz + 3ULL) & ~3ULL);
		off = desc_off + ((nh.n_descsz + 3ULL) & ~3ULL);
		if (off > end)
			return fail(c, "truncated ELF note");
		if (nh.n_namesz != 4 || memcmp(c->buf + name_off, "Xen", 4) ||
		    nh.n_type != XEN_ELFNOTE_PHYS32_ENTRY)
			continue;
		if (nh.n_descsz == 4) {
			uint32_t v;

			memcpy(&v, c->buf + desc_off, 4);
			*entry = v;
		} else if (nh.n_descsz == 8) {
			memcpy(entry, c->buf + desc_off, 8);
		} else {
			return fail(c,
				    "XEN_ELFNOTE_PHYS32_ENTRY has a %u-byte value (expected 4 or 8)",
				    nh.n_descsz);
		}
		return 1;
	}
	return 0;
}

static int find_entry(struct ctx *c, const struct elf64_hdr *eh,
		      uint64_t *entry)
{
	struct elf64_phdr ph;
	struct elf64_shdr sh;
	unsigned int i;
	int r;

	for (i = 0; i < eh->e_phnum; i++) {
		get_phdr(c, eh->e_phoff, i, &ph);
		if (ph.p_type != PT_NOTE)
			continue;
		r = scan_notes(c, ph.p_offset, ph.p_filesz, entry);
		if (r)
			return r;
	}
	for (i = 0; i < eh->e_shnum; i++) {
		get_shdr(c, eh->e_shoff, i, &sh);
		if (sh.sh_type != SHT_NOTE)
			continue;
		r = scan_notes(c, sh.sh_offset, sh.sh_size, entry);
		if (r)
			return r;
	}
	return 0;
}

static int add_load(struct ctx *c, struct elf_image *img,
		    const struct elf64_phdr *ph)
{
	struct elf_seg *s;

	if (ph->p_memsz == 0)
		return 0;
	if (img->nseg == ELF_MAX_SEGS)
		return fail(c, "more than %d PT_LOAD segments", ELF_MAX_SEGS);
	if (ph->p_filesz > ph->p_memsz)
		return fail(c, "PT_LOAD segment at 0x%llx has filesz > memsz",
			    (unsigned long long)ph->p_paddr);
	if (!in_file(c, ph->p_offset, ph->p_filesz))
		return fail(c,
			    "PT_LOAD segment at 0x%llx is past the end of the file",
			    (unsigned long long)ph->p_paddr);
	if (ph->p_paddr + ph->p_memsz < ph->p_paddr)
		return fail(c, "PT_LOAD segment at 0x%llx wraps around",
			    (unsigned long long)ph->p_paddr);
	s = &img->seg[img->nseg++];
	s->paddr = ph->p_paddr;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->memsz = ph->p_memsz;
	if (img->nseg == 1 || s->paddr < img->lo)
		img->lo = s->paddr;
	if (s->paddr + s->memsz > img->hi)
		img->hi = s->paddr + s->memsz;
	return 0;
}

/* Read the ELF header, widened to the 64-bit layout. */
static int get_ehdr(struct ctx *c, struct elf64_hdr *eh)
{
	const unsigned char *id = c->buf;
	struct elf32_hdr e32;

	/* Linux boot protocol: "HdrS" at 0x202 marks a bzImage */
	if (c->len >= 0x206 && !memcmp(c->buf + 0x202, "HdrS", 4))
		return fail(c, "a bzImage, not an ELF file (unpack it first)");
	if (c->len < EI_NIDENT || memcmp(id, ELFMAG, SELFMAG))
		return fail(c, "not an ELF file");
	if (id[EI_DATA] != ELFDATA2LSB)
		return fail(c, "not a little-endian ELF file");
	c->is64 = id[EI_CLASS] == ELFCLASS64;
	if (!c->is64 && id[EI_CLASS] != ELFCLASS32)
		return fail(c, "unknown ELF class %u", id[EI_CLASS]);
	if (c->is64) {
		if (c->len < sizeof(*eh))
			return fail(c, "truncated ELF header");
		memcpy(eh, c->buf, sizeof(*eh));
		return 0;
	}
	if (c->len < sizeof(e32))
		return fail(c, "truncated ELF header");
	memcpy(&e32, c->buf, sizeof(e32));
	memset(eh, 0, sizeof(*eh));
	eh->e_machine = e32.e_machine;
	eh->e_phoff = e32.e_phoff;
	eh->e_phentsize = e32.e_phentsize;
	eh->e_phnum = e32.e_phnum;
	eh->e_shoff = e32.e_shoff;
	eh->e_shentsize = e32.e_shentsize;
	eh->e_shnum = e32.e_shnum;
	return 0;
}

static int check_tables(struct ctx *c, struct elf64_hdr *eh)
{
	size_t phsz = c->is64 ? sizeof(struct elf64_phdr) :
				sizeof(struct elf32_phdr);
	size_t shsz = c->is64 ? sizeof(struct elf64_shdr) :
				sizeof(struct elf32_shdr);

	if (eh->e_machine != EM_X86_64 && eh->e_machine != EM_386)
		return fail(c, "ELF machine %u is not x86", eh->e_machine);
	if (eh->e_phnum && eh->e_phentsize != phsz)
		return fail(c, "bad program header size %u", eh->e_phentsize);
	if (!in_file(c, eh->e_phoff, (uint64_t)eh->e_phnum * phsz))
		return fail(c, "program headers are past the end of the file");
	/* Sections are only a fallback for notes: ignore a bad table. */
	if (eh->e_shentsize != shsz ||
	    !in_file(c, eh->e_shoff, (uint64_t)eh->e_shnum * shsz))
		eh->e_shnum = 0;
	return 0;
}

/*
 * The entry must be an address the image loads, as Xen's libelf demands
 * of its entry ("ELF start or entries are out of bounds",
 * elf_xen_addr_calc_check): else the vCPU starts in zeroed or unloaded
 * memory.  Checked per segment, so a gap between two is refused too.
 */
static bool entry_loaded(const struct elf_image *img)
{
	unsigned int i;

	for (i = 0; i < img->nseg; i++)
		if (img->entry >= img->seg[i].paddr &&
		    img->entry - img->seg[i].paddr < img->seg[i].memsz)
			return true;
	return false;
}

int elf_parse(const void *buf, size_t len, struct elf_image *img,
	      char *err, size_t errlen)
{
	struct ctx c = { .buf = buf, .len = len, .err = err,
			 .errlen = errlen };
	struct elf64_hdr eh = { 0 };
	struct elf64_phdr ph;
	unsigned int i;
	int r;

	memset(img, 0, sizeof(*img));
	if (get_ehdr(&c, &eh) || check_tables(&c, &eh))
		return -1;
	img->bits = c.is64 ? 64 : 32;
	for (i = 0; i < eh.e_phnum; i++) {
		get_phdr(&c, eh.e_phoff, i, &ph);
		if (ph.p_type == PT_LOAD && add_load(&c, img, &ph))
			return -1;
	}
	if (!img->nseg)
		return fail(&c, "no PT_LOAD segments");
	r = find_entry(&c, &eh, &img->entry);
	if (r < 0)
		return -1;
	if (r == 0)
		return fail(&c,
			    "no PVH entry point: the kernel has no XEN_ELFNOTE_PHYS32_ENTRY note (Linux needs CONFIG_XEN_PVH=y)");
	if (img->entry >> 32)
		return fail(&c, "PVH entry point 0x%llx is above 4 GiB",
			    (unsigned long long)img->entry);
	if (!entry_loaded(img))
		return fail(&c,
			    "PVH entry point 0x%llx is outside the loaded segments",
			    (unsigned long long)img->entry);
	return 0;
}
