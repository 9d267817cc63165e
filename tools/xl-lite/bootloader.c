// SPDX-License-Identifier: GPL-2.0
/*
 * xl.cfg's bootloader =: see bootloader.h for the protocol.  The output
 * is parsed by a plain function (unit-tested); the run itself forks the
 * program with its own arguments array, no shell.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bootloader.h"
#include "domcfg.h"

/* What a bootloader may write: far more than three paths and a line. */
#define BOOT_OUT_MAX	(64 * 1024)
#define BOOT_ARGV_MAX	64
/* The arguments boot_argv() formats: output directory, kernel, ramdisk, args. */
#define BOOT_OWN	4

/* One record "KEY VALUE" of @len bytes into @r; 0 or -1. */
static int boot_record(const char *rec, size_t len, struct boot_result *r,
		       char *err, size_t errlen)
{
	static const char *const keys[] = { "kernel", "ramdisk", "args" };
	char **slot[] = { &r->kernel, &r->ramdisk, &r->args };
	size_t i, klen;

	for (i = 0; i < 3; i++) {
		klen = strlen(keys[i]);
		if (len <= klen || strncmp(rec, keys[i], klen) ||
		    rec[klen] != ' ')
			continue;
		if (*slot[i]) {
			snprintf(err, errlen, "\"%s\" given twice", keys[i]);
			return -1;
		}
		*slot[i] = strndup(rec + klen + 1, len - klen - 1);
		if (!*slot[i]) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		return 0;
	}
	/* A key without its value is refused; others are not ours. */
	for (i = 0; i < 3; i++)
		if (len == strlen(keys[i]) && !strncmp(rec, keys[i], len)) {
			snprintf(err, errlen, "\"%s\" without a value", keys[i]);
			return -1;
		}
	return 0;
}

int boot_parse(const char *buf, size_t len, struct boot_result *r,
	       char *err, size_t errlen)
{
	size_t start = 0, i;

	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\0' && buf[i] != '\n')
			continue;
		if (i > start &&
		    boot_record(buf + start, i - start, r, err, errlen))
			return -1;
		start = i + 1;
	}
	if (!r->kernel || !r->kernel[0]) {
		snprintf(err, errlen, "no kernel in its output");
		return -1;
	}
	return 0;
}

static int executable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

/* @dir/@name into @path when it is executable there; 0 or -1. */
static int try_dir(const char *dir, size_t dlen, const char *name,
		   char *path, size_t len)
{
	if ((size_t)snprintf(path, len, "%.*s/%s", (int)dlen, dir, name) >= len)
		return -1;
	return executable(path) ? 0 : -1;
}

int boot_find(const char *name, char *path, size_t len)
{
	const char *p, *end;
	glob_t g;
	size_t i;
	int ret = -1;

	if (strchr(name, '/')) {
		if ((size_t)snprintf(path, len, "%s", name) >= len)
			return -1;
		return executable(path) ? 0 : -1;
	}
	/* libxl looks in Xen's own bin directory first. */
	if (!glob("/usr/lib/xen-*/bin", 0, NULL, &g)) {
		for (i = g.gl_pathc; i-- > 0 && ret;)
			ret = try_dir(g.gl_pathv[i], strlen(g.gl_pathv[i]),
				      name, path, len);
		globfree(&g);
		if (!ret)
			return 0;
	}
	p = getenv("PATH");
	for (p = p ? p : "/usr/sbin:/usr/bin:/sbin:/bin"; *p; p = end) {
		end = strchrnul(p, ':');
		if (end > p && !try_dir(p, end - p, name, path, len))
			return 0;
		if (*end)
			end++;
	}
	return -1;
}

/* "PREFIX=VALUE" as the next argument, its string kept in @own[*k]. */
static int add_opt(char **argv, int *n, char **own, int *k,
		   const char *prefix, const char *value)
{
	size_t len = strlen(prefix) + strlen(value) + 2;
	char *arg = malloc(len);

	if (!arg)
		return -1;
	snprintf(arg, len, "%s=%s", prefix, value);
	own[(*k)++] = arg;
	argv[(*n)++] = arg;
	return 0;
}

/* Its argument list, libxl's order; strings it allocates in @own. */
static int boot_argv(const struct dom_config *dc, const char *prog,
		     const char *out, const char *dir, char **argv,
		     char **own)
{
	int n = 0, k = 0;
	unsigned int i;

	argv[n++] = (char *)prog;
	argv[n++] = "--output";
	argv[n++] = (char *)out;
	argv[n++] = "--output-format=simple0";
	if (add_opt(argv, &n, own, &k, "--output-directory", dir))
		return -1;
	/* With a bootloader, kernel= and ramdisk= name files in the guest. */
	if (dc->kernel && add_opt(argv, &n, own, &k, "--kernel", dc->kernel))
		return -1;
	if (dc->ramdisk &&
	    add_opt(argv, &n, own, &k, "--ramdisk", dc->ramdisk))
		return -1;
	/* Nobody at a terminal to pick from pygrub's menu: its default. */
	if (!isatty(STDIN_FILENO))
		argv[n++] = "-q";
	if (dc->cmdline && dc->cmdline[0] &&
	    add_opt(argv, &n, own, &k, "--args", dc->cmdline))
		return -1;
	for (i = 0; i < dc->nbootloader_args && n < BOOT_ARGV_MAX - 2; i++)
		argv[n++] = dc->bootloader_args[i];
	argv[n++] = dc->disks[0].target;
	argv[n] = NULL;
	return 0;
}

/* Fork @argv[0] and wait; its exit status, or -1. */
static int boot_exec(char **argv)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		fprintf(stderr, "xl-lite: bootloader: %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int read_output(const char *path, struct boot_result *r)
{
	char *buf = malloc(BOOT_OUT_MAX), err[BOOT_ERR_MAX];
	ssize_t n = -1;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (buf && fd >= 0)
		n = read(fd, buf, BOOT_OUT_MAX);
	if (fd >= 0)
		close(fd);
	if (n < 0)
		fprintf(stderr, "xl-lite: bootloader: cannot read its output %s: %s\n",
			path, buf ? strerror(errno) : "out of memory");
	else if (n == BOOT_OUT_MAX)
		fprintf(stderr, "xl-lite: bootloader: its output is over %d bytes\n",
			BOOT_OUT_MAX);
	else if (boot_parse(buf, n, r, err, sizeof(err)))
		fprintf(stderr, "xl-lite: bootloader: %s\n", err);
	else
		ret = 0;
	free(buf);
	return ret;
}

int boot_run(const struct dom_config *dc, struct boot_result *r)
{
	char prog[4096], tmpl[] = "/tmp/xl-lite-boot.XXXXXX", *out = NULL;
	char *argv[BOOT_ARGV_MAX], *own[BOOT_OWN] = { NULL };
	int fd, i, status, ret = -1;

	memset(r, 0, sizeof(*r));
	if (boot_find(dc->bootloader, prog, sizeof(prog))) {
		fprintf(stderr, "xl-lite: bootloader: %s is not installed (not executable %s); ",
			dc->bootloader, strchr(dc->bootloader, '/') ?
			"there" : "in /usr/lib/xen-*/bin or $PATH");
		fprintf(stderr, "%s\n",
			"Debian's xen-utils has pygrub; or boot with kernel=");
		return -1;
	}
	if (!dc->ndisks) {
		fprintf(stderr, "xl-lite: bootloader: %s needs a disk to read (disk = [...])\n",
			dc->bootloader);
		return -1;
	}
	r->dir = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
	if (!r->dir || asprintf(&out, "%s/output", r->dir) < 0 ||
	    boot_argv(dc, prog, out, r->dir, argv, own)) {
		perror("xl-lite: bootloader: its directory");
		goto out;
	}
	/* pygrub opens --output for writing without creating it. */
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror("xl-lite: bootloader: its output file");
		goto out;
	}
	close(fd);
	status = boot_exec(argv);
	if (status)
		fprintf(stderr, "xl-lite: bootloader: %s %s\n", prog,
			status < 0 ? "could not be run" : "failed");
	if (status > 0)
		fprintf(stderr, "xl-lite: bootloader: its exit status was %d\n",
			status);
	if (!status)
		ret = read_output(out, r);
out:
	free(out);
	for (i = 0; i < BOOT_OWN; i++)
		free(own[i]);
	if (ret)
		boot_free(r);
	return ret;
}

void boot_free(struct boot_result *r)
{
	struct dirent *e;
	DIR *d;

	d = r->dir ? opendir(r->dir) : NULL;
	if (d) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
		rmdir(r->dir);
	}
	free(r->kernel);
	free(r->ramdisk);
	free(r->args);
	free(r->dir);
	memset(r, 0, sizeof(*r));
}
