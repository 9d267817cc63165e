/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-kernel generator: a minimal x86 ELF32/ELF64 with one PT_LOAD
 * segment and, optionally, the Xen PVH entry note (type 18,
 * XEN_ELFNOTE_PHYS32_ENTRY) in a PT_NOTE segment or only in a SHT_NOTE
 * section.  Used by the unit tests and by selftests/xl-lite/mkelf.
 *
 * File layout: ELF header, program headers, note at 0x200, section
 * headers at 0x300, segment contents at 0x1000.
 */
#ifndef XL_LITE_TESTS_ELFGEN_H
#define XL_LITE_TESTS_ELFGEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/elf.h>

enum elfgen_note {
	ELFGEN_NOTE_SEGMENT,	/* PT_NOTE and SHT_NOTE */
	ELFGEN_NOTE_SECTION,	/* SHT_NOTE only */
	ELFGEN_NOTE_NONE,
};

struct elfgen {
	bool elf32;
	enum elfgen_note note;
	bool desc8;		/* 8-byte note value instead of 4 */
	uint64_t paddr, filesz, memsz, entry;
};

#define ELFGEN_NOTE_OFF		0x200
#define ELFGEN_SHDR_OFF		0x300
#define ELFGEN_DATA_OFF		0x1000

/* Byte i of the segment's file contents. */
static inline unsigned char elfgen_byte(uint64_t i)
{
	return (unsigned char)(i * 7 + 1);
}

static inline size_t elfgen_note(const struct elfgen *g, unsigned char *p)
{
	uint32_t hdr[3] = { 4, g->desc8 ? 8 : 4, 18 };

	memcpy(p, hdr, sizeof(hdr));
	memcpy(p + 12, "Xen", 4);
	memcpy(p + 16, &g->entry, g->desc8 ? 8 : 4);	/* little endian */
	return 16 + (g->desc8 ? 8 : 4);
}

static inline void elfgen_hdrs64(const struct elfgen *g, unsigned char *b,
				 size_t notesz)
{
	struct elf64_hdr eh = {
		.e_type = ET_EXEC, .e_machine = EM_X86_64,
		.e_version = EV_CURRENT, .e_entry = g->entry,
		.e_phoff = sizeof(eh), .e_ehsize = sizeof(eh),
		.e_phentsize = sizeof(struct elf64_phdr),
		.e_shentsize = sizeof(struct elf64_shdr),
	};
	struct elf64_phdr ph[2] = {
		{ .p_type = PT_LOAD, .p_offset = ELFGEN_DATA_OFF,
		  .p_vaddr = g->paddr, .p_paddr = g->paddr,
		  .p_filesz = g->filesz, .p_memsz = g->memsz,
		  .p_flags = PF_R | PF_X, .p_align = 0x1000 },
		{ .p_type = PT_NOTE, .p_offset = ELFGEN_NOTE_OFF,
		  .p_filesz = notesz, .p_align = 4 },
	};
	struct elf64_shdr sh[2] = {
		{ 0 },
		{ .sh_type = SHT_NOTE, .sh_offset = ELFGEN_NOTE_OFF,
		  .sh_size = notesz, .sh_addralign = 4 },
	};

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_phnum = g->note == ELFGEN_NOTE_SEGMENT ? 2 : 1;
	if (g->note != ELFGEN_NOTE_NONE) {
		eh.e_shoff = ELFGEN_SHDR_OFF;
		eh.e_shnum = 2;
	}
	memcpy(b, &eh, sizeof(eh));
	memcpy(b + sizeof(eh), ph, sizeof(ph));
	memcpy(b + ELFGEN_SHDR_OFF, sh, sizeof(sh));
}

static inline void elfgen_hdrs32(const struct elfgen *g, unsigned char *b,
				 size_t notesz)
{
	struct elf32_hdr eh = {
		.e_type = ET_EXEC, .e_machine = EM_386,
		.e_version = EV_CURRENT, .e_entry = g->entry,
		.e_phoff = sizeof(eh), .e_ehsize = sizeof(eh),
		.e_phentsize = sizeof(struct elf32_phdr),
		.e_shentsize = sizeof(struct elf32_shdr),
	};
	struct elf32_phdr ph[2] = {
		{ .p_type = PT_LOAD, .p_offset = ELFGEN_DATA_OFF,
		  .p_vaddr = g->paddr, .p_paddr = g->paddr,
		  .p_filesz = g->filesz, .p_memsz = g->memsz,
		  .p_flags = PF_R | PF_X, .p_align = 0x1000 },
		{ .p_type = PT_NOTE, .p_offset = ELFGEN_NOTE_OFF,
		  .p_filesz = notesz, .p_align = 4 },
	};
	struct elf32_shdr sh[2] = {
		{ 0 },
		{ .sh_type = SHT_NOTE, .sh_offset = ELFGEN_NOTE_OFF,
		  .sh_size = notesz, .sh_addralign = 4 },
	};

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_phnum = g->note == ELFGEN_NOTE_SEGMENT ? 2 : 1;
	if (g->note != ELFGEN_NOTE_NONE) {
		eh.e_shoff = ELFGEN_SHDR_OFF;
		eh.e_shnum = 2;
	}
	memcpy(b, &eh, sizeof(eh));
	memcpy(b + sizeof(eh), ph, sizeof(ph));
	memcpy(b + ELFGEN_SHDR_OFF, sh, sizeof(sh));
}

/* A malloc()ed image of *len bytes, or NULL. */
static inline unsigned char *elfgen_build(const struct elfgen *g, size_t *len)
{
	unsigned char *b;
	size_t notesz = 0;
	uint64_t i;

	*len = ELFGEN_DATA_OFF + g->filesz;
	b = calloc(1, *len);
	if (!b)
		return NULL;
	if (g->note != ELFGEN_NOTE_NONE)
		notesz = elfgen_note(g, b + ELFGEN_NOTE_OFF);
	if (g->elf32)
		elfgen_hdrs32(g, b, notesz);
	else
		elfgen_hdrs64(g, b, notesz);
	for (i = 0; i < g->filesz; i++)
		b[ELFGEN_DATA_OFF + i] = elfgen_byte(i);
	return b;
}

#endif /* XL_LITE_TESTS_ELFGEN_H */
