/* SPDX-License-Identifier: GPL-2.0 */
/* Symbols defined in head.S and entry.S, and the C entry head.S calls. */
#ifndef KG_ASM_H
#define KG_ASM_H

#include <kg/layout.h>
#include <kg/lib.h>

#ifdef __x86_64__
extern u64 kg_pml4[512];			/* head.S: boot PML4 */
#endif
extern u64 kg_gdt[KG_GDT_ENTRIES];		/* head.S: the one GDT */
extern const unsigned long kg_exc_stubs[32];	/* entry.S: vectors 0-31 */
extern char kg_usermode_return[];		/* entry.S: int $0x80 target */
extern const char kg_irq_stubs[];		/* entry.S: vectors 32-255 */

extern char _end[];				/* link.ld: end of the image */

void __noreturn kg_main(u32 start_info_pa);	/* boot.c */

#endif /* KG_ASM_H */
