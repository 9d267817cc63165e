/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PVH "kernel" built by the real toolchain: the XEN_ELFNOTE_PHYS32_ENTRY
 * note (type 18, name "Xen", 4-byte value) pointing at a 32-bit entry that
 * halts.  Assembled without -DPVH_NOTE it has no note.
 */
	.code32
	.text
	.globl	pvh_start
pvh_start:
	cli
1:	hlt
	jmp	1b

#ifdef PVH_NOTE
	.section .note.Xen, "a", @note
	.balign	4
	.long	4		/* namesz */
	.long	4		/* descsz */
	.long	18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz	"Xen"
	.long	pvh_start
#endif

	.bss
	.space	0x2000
