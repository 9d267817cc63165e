/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl.cfg's bootloader = (pygrub): the kernel, ramdisk and command line
 * taken from the guest's own disk by a program run before the domain is
 * built, with libxl's protocol (tools/libs/light/libxl_bootloader.c):
 *
 *   BOOTLOADER --output FILE --output-format=simple0
 *              --output-directory=DIR [--kernel=K] [--ramdisk=R]
 *              [--args=A] [bootloader_args...] DISK
 *
 * It copies the kernel and ramdisk it chose into DIR and writes FILE as
 * records "kernel PATH", "ramdisk PATH", "args TEXT", each ended by a
 * NUL (simple0; a newline is taken too, as libxl's parser does).
 */
#ifndef XL_LITE_BOOTLOADER_H
#define XL_LITE_BOOTLOADER_H

#include <stddef.h>

#define BOOT_ERR_MAX	256

struct boot_result {
	char *kernel;		/* a file in dir */
	char *ramdisk;		/* NULL: none */
	char *args;		/* NULL: none */
	char *dir;		/* --output-directory, removed by boot_free */
};

/*
 * Parse @len bytes of a bootloader's output into @r (kernel, ramdisk,
 * args).  Unknown records are ignored, as libxl does; a missing kernel,
 * a record without its value or a repeated one is an error in @err.
 * 0 or -1.
 */
int boot_parse(const char *buf, size_t len, struct boot_result *r,
	       char *err, size_t errlen);

/*
 * Where @name runs from: itself when it holds a '/', else the first of
 * Xen's private bin directories (/usr/lib/xen-*\/bin, where Debian puts
 * pygrub) and $PATH that has it executable.  0, or -1 when none has.
 */
int boot_find(const char *name, char *path, size_t len);

struct dom_config;

/*
 * Run @dc's bootloader on its first disk, wait for it, and parse what
 * it wrote: 0 with @r filled, or -1 with the reason on stderr.
 */
int boot_run(const struct dom_config *dc, struct boot_result *r);

/* Remove what the bootloader left in its directory; free @r. */
void boot_free(struct boot_result *r);

#endif /* XL_LITE_BOOTLOADER_H */
