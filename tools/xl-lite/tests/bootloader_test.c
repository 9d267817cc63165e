// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite's bootloader protocol (bootloader.c): the output parser, the
 * program's lookup, and a whole run of a stand-in bootloader (a shell
 * script) that checks its arguments, copies a "kernel" out of the disk
 * and writes libxl's simple0 records.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootloader.h"
#include "domcfg.h"
#include "tap.h"

static void parse_is(const char *buf, size_t len, const char *kernel,
		     const char *ramdisk, const char *args, const char *what)
{
	struct boot_result r = { 0 };
	char err[BOOT_ERR_MAX] = "";
	int ok = !boot_parse(buf, len, &r, err, sizeof(err)) &&
		 !strcmp(r.kernel, kernel) &&
		 (ramdisk ? r.ramdisk && !strcmp(r.ramdisk, ramdisk) :
			    !r.ramdisk) &&
		 (args ? r.args && !strcmp(r.args, args) : !r.args);

	if (!tap_ok(ok, "bootloader output: %s", what))
		tap_diag("err \"%s\" kernel %s ramdisk %s args %s", err,
			 r.kernel, r.ramdisk, r.args);
	boot_free(&r);
}

static void parse_bad(const char *buf, size_t len, const char *want)
{
	struct boot_result r = { 0 };
	char err[BOOT_ERR_MAX] = "";
	int ret = boot_parse(buf, len, &r, err, sizeof(err));

	if (!tap_ok(ret == -1 && !strcmp(err, want),
		    "bootloader output refused: %s", want))
		tap_diag("got %d \"%s\"", ret, err);
	boot_free(&r);
}

static void test_parse(void)
{
	static const char s0[] =
		"kernel /t/k\0ramdisk /t/r\0args root=/dev/xvda1 ro quiet\0";
	static const char nl[] = "kernel /t/k\nargs a b\n";
	static const char other[] = "kernel /t/k\0title Debian\0";
	static const char twice[] = "kernel /a\0kernel /b\0";
	static const char bare[] = "kernel /a\0args\0";
	static const char none[] = "ramdisk /r\0args x\0";

	parse_is(s0, sizeof(s0) - 1, "/t/k", "/t/r", "root=/dev/xvda1 ro quiet",
		 "simple0: kernel, ramdisk, args");
	parse_is(nl, sizeof(nl) - 1, "/t/k", NULL, "a b",
		 "simple (newlines), no ramdisk");
	parse_is(other, sizeof(other) - 1, "/t/k", NULL, NULL,
		 "a record not ours is ignored");
	parse_bad(twice, sizeof(twice) - 1, "\"kernel\" given twice");
	parse_bad(bare, sizeof(bare) - 1, "\"args\" without a value");
	parse_bad(none, sizeof(none) - 1, "no kernel in its output");
	parse_bad("", 0, "no kernel in its output");
}

/* A stand-in for pygrub: checks libxl's arguments, then answers. */
static const char fake[] =
	"#!/bin/sh\n"
	"[ \"$1\" = --output ] || exit 3\n"
	"out=$2\n"
	"[ \"$3\" = --output-format=simple0 ] || exit 4\n"
	"dir=${4#--output-directory=}\n"
	"[ -f \"$out\" ] && [ -d \"$dir\" ] || exit 5\n"
	"shift 4\n"
	"for a; do last=$a; done\n"
	"[ \"$last\" = \"$FAKE_DISK\" ] || exit 6\n"
	"case \" $* \" in *' --args=console=hvc0 '*) ;; *) exit 7 ;; esac\n"
	"case \" $* \" in *' --entry=2 '*) ;; *) exit 8 ;; esac\n"
	"cp \"$FAKE_DISK\" \"$dir/kernel.1\"\n"
	"printf 'kernel %s\\0args %s\\0' \"$dir/kernel.1\" \\\n"
	"	'root=/dev/xvda1 console=hvc0' > \"$out\"\n";

static int write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void test_run(void)
{
	char dir[] = "/tmp/xl-lite-boottest.XXXXXX", prog[128], disk[128];
	char found[256], *dc_args[] = { "--entry=2" };
	struct disk_spec d = { 0 };
	struct dom_config dc = { 0 };
	struct boot_result r;
	char cmdline[] = "console=hvc0";
	struct stat st;
	int ok;

	if (!mkdtemp(dir)) {
		tap_ok(0, "bootloader run: a scratch directory");
		return;
	}
	snprintf(prog, sizeof(prog), "%s/fakegrub", dir);
	snprintf(disk, sizeof(disk), "%s/disk.img", dir);
	write_file(prog, fake, 0755);
	write_file(disk, "KERNEL-BYTES", 0644);
	setenv("FAKE_DISK", disk, 1);
	d.target = disk;
	dc.bootloader = prog;
	dc.bootloader_args = dc_args;
	dc.nbootloader_args = 1;
	dc.cmdline = cmdline;
	dc.disks = &d;
	dc.ndisks = 1;

	tap_ok(!boot_find(prog, found, sizeof(found)) && !strcmp(found, prog),
	       "bootloader: a path is taken as it is");
	tap_ok(boot_find("xl-lite-no-such-bootloader", found, sizeof(found)),
	       "bootloader: a name on no path is not found");
	ok = !boot_run(&dc, &r);
	tap_ok(ok && !strncmp(r.kernel, r.dir, strlen(r.dir)) &&
	       !stat(r.kernel, &st) && st.st_size == 12 && !r.ramdisk &&
	       !strcmp(r.args, "root=/dev/xvda1 console=hvc0"),
	       "bootloader run: libxl's arguments in, its kernel and args out");
	if (ok) {
		char *kdir = strdup(r.dir);

		boot_free(&r);
		tap_ok(kdir && stat(kdir, &st) && !r.kernel,
		       "bootloader run: its directory removed after use");
		free(kdir);
	}
	dc.nbootloader_args = 0;	/* the stand-in wants --entry=2 */
	tap_ok(boot_run(&dc, &r) == -1 && !r.dir,
	       "bootloader run: a failing bootloader fails the create, cleaned up");
	dc.ndisks = 0;
	tap_ok(boot_run(&dc, &r) == -1, "bootloader run: no disk, refused");
	dc.ndisks = 1;
	dc.bootloader = "xl-lite-no-such-bootloader";
	tap_ok(boot_run(&dc, &r) == -1, "bootloader run: not installed, refused");
	unlink(prog);
	unlink(disk);
	rmdir(dir);
}

void bootloader_tests(void)
{
	test_parse();
	test_run();
}
