// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite rename, sysrq and dmesg, as xl's (tools/xl/xl_misc.c,
 * xl_info.c) over libxl's libxl_domain_rename and libxl_send_sysrq.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "devices.h"
#include "xl.h"

int xl_xs_write_all(struct xs_handle *xs, const char *cmd,
		    const char *const *paths, const char *const *vals,
		    unsigned int n)
{
	xs_transaction_t t;
	unsigned int i;
	bool ok;

	do {
		t = xs_transaction_start(xs);
		ok = t != XBT_NULL;
		for (i = 0; ok && i < n; i++)
			ok = xs_write(xs, t, paths[i], vals[i], strlen(vals[i]));
		if (t == XBT_NULL)
			break;
		if (!ok) {
			xs_transaction_end(xs, t, true);
			break;
		}
		ok = xs_transaction_end(xs, t, false);
	} while (!ok && errno == EAGAIN);
	if (!ok)
		fprintf(stderr, "xl-lite: %s: xenstore: %s\n", cmd,
			strerror(errno));
	return !ok;
}

int dom_xs_write(struct xs_handle *xs, const char *cmd, uint32_t domid,
		 const char *node, const char *val, const char *vm_node,
		 const char *vm_val)
{
	char *vm = devices_xs_read(xs, "/local/domain/%u/vm", domid);
	char path[320], vm_path[320];
	const char *paths[2], *vals[2];
	int ret;

	if (!vm) {
		fprintf(stderr, "xl-lite: %s: domain %u: no vm in xenstore\n",
			cmd, domid);
		return 1;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, node);
	snprintf(vm_path, sizeof(vm_path), "%s/%s", vm, vm_node);
	paths[0] = path;
	paths[1] = vm_path;
	vals[0] = val;
	vals[1] = vm_val;
	ret = xl_xs_write_all(xs, cmd, paths, vals, 2);
	free(vm);
	return ret;
}

int dom_rename(struct kxen_ctl *ctl, uint32_t domid, const char *name,
	       const char *cmd)
{
	struct xs_handle *xs;
	int err = kxen_domain_rename(ctl, domid, name);

	if (err == -EEXIST)
		return err;
	if (err) {
		report(cmd, err, ctl);
		return -1;
	}
	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "xl-lite: %s: cannot open xenstore: %s\n", cmd,
			strerror(errno));
		return 1;
	}
	err = dom_xs_write(xs, cmd, domid, "name", name, "name", name);
	xs_close(xs);
	return err;
}

int main_rename(int argc, char **argv)
{
	struct kxen_ctl ctl;
	const char *dom, *name;
	uint32_t domid;
	int ret;

	while (cmd_getopt(argc, argv, "rename") != -1)
		;
	dom = argv[optind];
	name = argv[optind + 1];
	if (ctl_open_or_report(&ctl))
		return 1;
	if (find_live_domain(&ctl, dom, &domid)) {
		kxen_ctl_close(&ctl);
		return 1;
	}
	ret = dom_rename(&ctl, domid, name, "rename");
	kxen_ctl_close(&ctl);
	if (ret == -EEXIST)
		fprintf(stderr, "xl-lite: rename: domain with name \"%s\" already exists.\n",
			name);
	/* xl's words when kxen refused */
	if (ret < 0)
		fprintf(stderr, "Can't rename domain '%s'.\n", dom);
	return !!ret;
}

/* libxl_send_sysrq: the letter into ~/control/sysrq, for the guest. */
int main_sysrq(int argc, char **argv)
{
	struct xs_handle *xs;
	char path[64];
	uint32_t domid;
	const char *key;
	bool ok;
	int ret;

	while (cmd_getopt(argc, argv, "sysrq") != -1)
		;
	key = argv[optind + 1];
	if (strlen(key) != 1) {
		fprintf(stderr, "Invalid sysrq.\n\n");
		cmd_help("sysrq");
		return 1;
	}
	ret = devices_open_dom(argv[optind], &xs, &domid);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/local/domain/%u/control/sysrq", domid);
	ok = xs_write(xs, XBT_NULL, path, key, 1);
	if (!ok)
		fprintf(stderr, "xl-lite: sysrq: %s: %s\n", path,
			strerror(errno));
	xs_close(xs);
	return !ok;
}

/* The kernel log, one record a read(2) (Documentation/ABI/testing/dev-kmsg). */
#define KMSG_PATH	"/dev/kmsg"

/* One "PRI,SEQ,USEC,FLAGS;TEXT" record: print TEXT if it is kxen's. */
static void dmesg_record(const char *rec)
{
	unsigned long long usec;
	const char *text = strchr(rec, ';');

	if (!text || sscanf(rec, "%*u,%*u,%llu", &usec) != 1)
		return;
	text++;
	if (strncmp(text, "kxen", 4) || !text[4] || !strchr(":/", text[4]))
		return;
	printf("[%5llu.%06llu] %s", usec / 1000000, usec % 1000000, text);
}

/*
 * kxen's lines of the kernel log, as xl dmesg prints the hypervisor's
 * console ring.  The log is the host's, so -c (clear) is refused: the
 * kernel only clears all of it (syslog(2) SYSLOG_ACTION_CLEAR).
 * XL_LITE_KMSG names another file in /dev/kmsg's format (tests).
 */
int main_dmesg(int argc, char **argv)
{
	const char *path = getenv("XL_LITE_KMSG") ?: KMSG_PATH;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int opt, fd, err;

	while ((opt = cmd_getopt(argc, argv, "dmesg")) != -1) {
		if (opt == 'c') {
			fprintf(stderr, "xl-lite: dmesg: -c refused: %s\n",
				"kxen's lines are in the host's kernel log, which can only be cleared whole");
			return 1;
		}
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	f = fd < 0 ? NULL : fdopen(fd, "r");
	if (!f) {
		fprintf(stderr, "xl-lite: dmesg: %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	for (;;) {
		errno = 0;
		if (getline(&line, &cap, f) >= 0) {
			/* a record's dictionary lines start with a blank */
			if (line[0] != ' ')
				dmesg_record(line);
			continue;
		}
		if (errno != EPIPE)	/* EPIPE: records lost to wrap */
			break;
		clearerr(f);
	}
	err = errno;	/* 0 at a file's end, EAGAIN at the log's */
	free(line);
	fclose(f);
	return err && err != EAGAIN ? report("dmesg", -err, NULL) : 0;
}
