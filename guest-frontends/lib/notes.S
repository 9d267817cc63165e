/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen ELF notes of every guest image, 64-bit or 32-bit (Xen public
 * elfnote.h; docs/misc/pvh.pandoc for XEN_ELFNOTE_PHYS32_ENTRY).  Each
 * note is "Xen" named and 4-byte aligned, as Xen's libelf and QEMU's PVH
 * loader expect; link.ld puts them first in the image, under a PT_NOTE.
 */
#include <xen/elfnote.h>

/* One Xen ELF note: name "Xen", 4-byte aligned (xen/elfnote.h). */
.macro XEN_NOTE_BEGIN type
	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 2f - 1f		/* namesz */
	.long 4f - 3f		/* descsz */
	.long \type
1:	.asciz "Xen"
2:	.balign 4
3:
.endm

.macro XEN_NOTE_END
4:	.balign 4
	.popsection
.endm

.macro XEN_NOTE_STR type, str
	XEN_NOTE_BEGIN \type
	.asciz "\str"
	XEN_NOTE_END
.endm

	XEN_NOTE_STR XEN_ELFNOTE_GUEST_OS, "kxen-test"
	XEN_NOTE_STR XEN_ELFNOTE_GUEST_VERSION, "1"
	XEN_NOTE_STR XEN_ELFNOTE_XEN_VERSION, "xen-3.0"
	XEN_NOTE_STR XEN_ELFNOTE_LOADER, "generic"
	/* pvh.pandoc: a 32-bit physical entry address. */
	XEN_NOTE_BEGIN XEN_ELFNOTE_PHYS32_ENTRY
	.long kg_pvh_start
	XEN_NOTE_END

	.section .note.GNU-stack, "", @progbits
