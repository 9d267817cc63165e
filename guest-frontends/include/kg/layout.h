/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants shared by the assembly entry code and C: segment selectors,
 * stack sizes, page-table flags.  Usable from .S and .c files.
 */
#ifndef KG_LAYOUT_H
#define KG_LAYOUT_H

/* GDT layout, see head.S.  Intel SDM Vol. 3A 3.4.5 (segment descriptors). */
#define KG_CS		0x08	/* ring-0 code: 64-bit, 32-bit in the 32-bit build */
#define KG_CS64		KG_CS
#define KG_DS		0x10	/* ring-0 data */
#define KG_USER_DS	0x23	/* ring-3 data (GDT slot 4, RPL 3) */
#define KG_USER_CS	0x2b	/* ring-3 code (GDT slot 5, RPL 3) */
#define KG_TSS		0x30	/* 64-bit TSS, 16-byte descriptor */
#define KG_GDT_ENTRIES	8

#define KG_PAGE_SIZE	4096
#define KG_STACK_SIZE	(16 * 1024)

/* Page-table entry bits, Intel SDM Vol. 3A 4.5 (4-level paging). */
#define PTE_P		0x001
#define PTE_W		0x002
#define PTE_U		0x004
#define PTE_PS		0x080

/* Control-register and MSR bits used by the long-mode switch. */
#define X86_CR0_PE	0x00000001
#define X86_CR0_WP	0x00010000
#define X86_CR0_PG	0x80000000
#define X86_CR4_PAE	0x00000020
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100

/* Bytes per interrupt stub in entry.S (kg_irq_stubs). */
#define KG_IRQ_STUB_SIZE	16

/* Vector used by ring-3 code to get back to ring 0 (usermode.c). */
#define KG_USER_RETURN_VECTOR	0x80

#endif /* KG_LAYOUT_H */
