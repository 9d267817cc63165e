/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl-lite: the command table and helpers shared by the commands.
 * Modelled on xl's tools/xl/xl_cmdtable.c: one row per command, and help
 * output generated from the rows.
 */
#ifndef XL_LITE_XL_H
#define XL_LITE_XL_H

#include <stddef.h>
#include <stdint.h>

#include "kxenctl.h"

struct cmd_spec {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *optstring;	/* getopt(3) options, "h" is added */
	int min_args;		/* positional arguments required */
	const char *summary;
	const char *usage;	/* after "xl-lite NAME " */
	const char *options;	/* option lines, may be "" */
};

extern const struct cmd_spec cmd_table[];
extern const unsigned int cmd_table_size;

/* Print help for one command (to stdout) or a usage hint (to stderr). */
void cmd_help(const char *name);

/*
 * getopt loop for a command, as xl's SWITCH_FOREACH_OPT: returns each
 * option character, -1 when done (optind then at the first positional
 * argument), and itself exits on -h (help, status 0), on an unknown
 * option or too few arguments (usage, status 2).
 */
int cmd_getopt(int argc, char **argv, const char *name);

/*
 * The words of a device spec on the command line joined with commas, as
 * xl joins them, into @buf: 0, or 1 with a message naming @cmd when they
 * do not fit.
 */
int cmd_join_words(const char *cmd, char **words, int n, char *buf,
		   size_t len);

/* "xl-lite: op: strerror(-err) [(kernel says: ...)]", returns 1. */
int report(const char *op, int err, const struct kxen_ctl *ctl);

/* Open the control socket, printing the module-not-loaded fix. */
int ctl_open_or_report(struct kxen_ctl *ctl);

/* Domain name or numeric domid to domid; prints and returns -1 if none. */
int find_domain(struct kxen_ctl *ctl, const char *dom, uint32_t *domid);

/* Copy the console of the domain bound to @fd to stdout until EOF. */
int console_loop(int fd, uint32_t domid);

/* xl-lite console on @domid (@dom names it in messages); exit status. */
int console_attach(uint32_t domid, const char *dom);

int main_create(int argc, char **argv);
int main_list(int argc, char **argv);
int main_destroy(int argc, char **argv);
int main_pause(int argc, char **argv);
int main_unpause(int argc, char **argv);
int main_console(int argc, char **argv);
int main_info(int argc, char **argv);
int main_shutdown(int argc, char **argv);
int main_block_attach(int argc, char **argv);
int main_block_detach(int argc, char **argv);
int main_block_list(int argc, char **argv);
int main_reboot(int argc, char **argv);
int main_network_attach(int argc, char **argv);
int main_network_detach(int argc, char **argv);
int main_network_list(int argc, char **argv);
int main_vif_bridge(int argc, char **argv);
int main_help(int argc, char **argv);

#endif /* XL_LITE_XL_H */
