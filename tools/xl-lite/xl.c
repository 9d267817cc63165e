// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite: xl-compatible administration of kxen domains.
 * The command table drives dispatch, option parsing and help output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xl.h"

const struct cmd_spec cmd_table[] = {
	{ "create", main_create, "pcnFe", 1,
	  "Create a domain from config file <filename>",
	  "[options] <ConfigFile> [vars]",
	  "-p                      Leave the domain paused once built.\n"
	  "-c                      Attach to its console once started.\n"
	  "-F                      Run in the foreground until the domain\n"
	  "                        is gone, carrying out on_poweroff,\n"
	  "                        on_reboot and on_crash here.\n"
	  "-e                      Do not leave a monitor behind: nothing\n"
	  "                        acts on the domain's shutdown or crash.\n"
	  "-n                      Dry run: print the layout that would be\n"
	  "                        built; needs no kxen module.\n"
	  "vars                    key=value settings applied after the\n"
	  "                        file, in xl.cfg syntax, e.g.\n"
	  "                        memory=256 'extra=\"quiet\"'" },
	{ "list", main_list, "", 0,
	  "List information about all/some domains",
	  "[Domain]", "" },
	{ "destroy", main_destroy, "", 1,
	  "Terminate a domain immediately",
	  "<Domain>", "" },
	{ "pause", main_pause, "", 1,
	  "Pause execution of a domain",
	  "<Domain>", "" },
	{ "unpause", main_unpause, "", 1,
	  "Unpause a paused domain",
	  "<Domain>", "" },
	{ "console", main_console, "", 1,
	  "Attach to domain's console",
	  "<Domain>",
	  "On a terminal, Ctrl-] detaches; otherwise it reads until the\n"
	  "domain is gone." },
	{ "info", main_info, "", 0,
	  "Get information about the kxen host",
	  "", "" },
	{ "shutdown", main_shutdown, "wF", 1,
	  "Issue a shutdown signal to a domain",
	  "[options] <Domain>",
	  "-w                      Wait for the domain to shut down.\n"
	  "-F                      Do not ask the guest (xenstore\n"
	  "                        control/shutdown): kxen shuts it down\n"
	  "                        at once.  Without -F that is the\n"
	  "                        fallback when there is no xenstore or\n"
	  "                        the guest has not acted in 30 s." },
	{ "reboot", main_reboot, "wF", 1,
	  "Issue a reboot signal to a domain",
	  "[options] <Domain>",
	  "-w                      Wait for the domain to go down.\n"
	  "-F                      Do not ask the guest (xenstore\n"
	  "                        control/shutdown): kxen shuts it down\n"
	  "                        with reason reboot at once.  Without -F\n"
	  "                        that is the fallback when there is no\n"
	  "                        xenstore or the guest has not acted in\n"
	  "                        30 s." },
	{ "block-attach", main_block_attach, "", 2,
	  "Create a new virtual block device",
	  "<Domain> <disk-spec-component(s)>...",
	  "The disk is given as in a config file's disk = [...]\n"
	  "(xl-disk-configuration(5)); the words are joined with\n"
	  "commas.  Only raw images and block devices." },
	{ "block-list", main_block_list, "", 1,
	  "List virtual block devices for a domain",
	  "<Domain(s)>", "" },
	{ "block-detach", main_block_detach, "f", 2,
	  "Destroy a domain's virtual block device",
	  "[-f] <Domain> <DevId>",
	  "-f                      Do not wait for the guest to release\n"
	  "                        the disk: remove it at once.\n"
	  "DevId is the vdev (xvdb) or its number (51728)." },
	{ "network-attach", main_network_attach, "", 1,
	  "Create a new virtual network device",
	  "<Domain> [<nic-spec-component(s)>...]",
	  "The vif is given as in a config file's vif = [...]\n"
	  "(xl-network-configuration(5)); the words are joined with\n"
	  "commas.  xl-lite joins its netdev to the bridge itself\n"
	  "unless script= names a hotplug script." },
	{ "network-list", main_network_list, "", 1,
	  "List virtual network interfaces for a domain",
	  "<Domain(s)>", "" },
	{ "network-detach", main_network_detach, "", 2,
	  "Destroy a domain's virtual network device",
	  "<Domain> <DevId|mac>",
	  "DevId is the vif's number (network-list's Idx)." },
	{ "help", main_help, "", 0,
	  "Print help information",
	  "[command]", "" },
};

const unsigned int cmd_table_size = ARRAY_SIZE(cmd_table);

/* Commands for the lab's tests, left out of the list of commands. */
static const struct cmd_spec hidden_table[] = {
	{ "vif-bridge", main_vif_bridge, "", 2,
	  "Join a netdev to a bridge as a vif's, or take it out (tests)",
	  "attach <netdev> <bridge> [<mtu>] | detach <netdev>",
	  "What create and network-attach do with a vif's netdev once\n"
	  "the backend has made it; for the lab's tests." },
};

static const struct cmd_spec *cmd_lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < cmd_table_size; i++)
		if (!strcmp(cmd_table[i].name, name))
			return &cmd_table[i];
	for (i = 0; i < ARRAY_SIZE(hidden_table); i++)
		if (!strcmp(hidden_table[i].name, name))
			return &hidden_table[i];
	return NULL;
}

static void help_all(FILE *f)
{
	unsigned int i;

	fprintf(f, "Usage: xl-lite <subcommand> [args]\n\n");
	fprintf(f, "xl-lite full list of subcommands:\n\n");
	for (i = 0; i < cmd_table_size; i++)
		fprintf(f, " %-19s %s\n", cmd_table[i].name,
			cmd_table[i].summary);
	fprintf(f, "\nRun 'xl-lite help <subcommand>' for its options.\n");
}

void cmd_help(const char *name)
{
	const struct cmd_spec *c = name ? cmd_lookup(name) : NULL;

	if (!c) {
		help_all(stdout);
		return;
	}
	printf("Usage: xl-lite %s%s%s\n\n%s.\n\n", c->name,
	       c->usage[0] ? " " : "", c->usage, c->summary);
	printf("Options:\n\n");
	printf("-h                      Print this help.\n");
	if (c->options[0])
		printf("%s\n", c->options);
}

int cmd_getopt(int argc, char **argv, const char *name)
{
	const struct cmd_spec *c = cmd_lookup(name);
	char opts[32];
	int opt;

	snprintf(opts, sizeof(opts), "h%s", c->optstring);
	opt = getopt(argc, argv, opts);
	if (opt == 'h') {
		cmd_help(name);
		exit(0);
	}
	if (opt == '?') {
		fprintf(stderr, "Run 'xl-lite help %s' for usage.\n", name);
		exit(2);
	}
	if (opt == -1 && argc - optind < c->min_args) {
		fprintf(stderr, "xl-lite %s: missing argument\n"
			"Usage: xl-lite %s %s\n", name, name, c->usage);
		exit(2);
	}
	return opt;
}

int cmd_join_words(const char *cmd, char **words, int n, char *buf,
		   size_t len)
{
	size_t used = 0;
	int i, r;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		r = snprintf(buf + used, len - used, "%s%s", i ? "," : "",
			     words[i]);
		if (r < 0 || (size_t)r >= len - used) {
			fprintf(stderr, "xl-lite: %s: specification too long\n",
				cmd);
			return 1;
		}
		used += r;
	}
	return 0;
}

int report(const char *op, int err, const struct kxen_ctl *ctl)
{
	if (ctl && ctl->ext_msg[0])
		fprintf(stderr, "xl-lite: %s: %s (%s)\n", op, strerror(-err),
			ctl->ext_msg);
	else
		fprintf(stderr, "xl-lite: %s: %s\n", op, strerror(-err));
	return 1;
}

int ctl_open_or_report(struct kxen_ctl *ctl)
{
	int err = kxen_ctl_open(ctl);

	if (err == -ENOENT)
		fprintf(stderr, "xl-lite: %s\n", KXEN_NOT_LOADED_HINT);
	else if (err)
		report("netlink", err, NULL);
	return err;
}

int find_domain(struct kxen_ctl *ctl, const char *dom, uint32_t *domid)
{
	struct kxen_dominfo *v;
	unsigned long n;
	size_t nr, i;
	char *end;
	int err;

	errno = 0;
	n = strtoul(dom, &end, 10);
	if (dom[0] >= '0' && dom[0] <= '9' && !*end && !errno &&
	    n <= UINT32_MAX) {
		*domid = n;
		return 0;
	}
	err = kxen_domain_list(ctl, &v, &nr);
	if (err) {
		report("list", err, ctl);
		return -1;
	}
	for (i = 0; i < nr && strcmp(v[i].name, dom); i++)
		;
	if (i < nr)
		*domid = v[i].domid;
	free(v);
	if (i == nr) {
		fprintf(stderr, "Error: Domain '%s' does not exist.\n", dom);
		return -1;
	}
	return 0;
}

int main_help(int argc, char **argv)
{
	while (cmd_getopt(argc, argv, "help") != -1)
		;
	if (optind < argc && !cmd_lookup(argv[optind])) {
		fprintf(stderr, "xl-lite: unknown command '%s'\n",
			argv[optind]);
		return 2;
	}
	cmd_help(optind < argc ? argv[optind] : NULL);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd_spec *c;

	if (argc < 2) {
		help_all(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		cmd_help(NULL);
		return 0;
	}
	c = cmd_lookup(argv[1]);
	if (!c) {
		fprintf(stderr, "xl-lite: unknown command '%s'\n"
			"Run 'xl-lite help' for the list of commands.\n",
			argv[1]);
		return 2;
	}
	/* The command sees argv[0] = its name, as getopt expects. */
	return c->fn(argc - 1, argv + 1);
}
