// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite: xl-compatible administration of kxen domains.
 * The command table (cmdtable.c) drives dispatch, option parsing and
 * help output; the global options come before the command, as xl's.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xl.h"

struct xl_globals xl_opts;

static const struct cmd_spec *cmd_lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < cmd_table_size; i++)
		if (!strcmp(cmd_table[i].name, name))
			return &cmd_table[i];
	for (i = 0; i < cmd_hidden_table_size; i++)
		if (!strcmp(cmd_hidden_table[i].name, name))
			return &cmd_hidden_table[i];
	return NULL;
}

static void help_all(FILE *f)
{
	unsigned int i;

	fprintf(f, "Usage: xl-lite [-vfNtT] <subcommand> [args]\n\n");
	fprintf(f, "xl-lite full list of subcommands:\n\n");
	for (i = 0; i < cmd_table_size; i++)
		fprintf(f, " %-19s %s\n", cmd_table[i].name,
			cmd_table[i].summary);
	fprintf(f, "\nGlobal options, before the subcommand:\n\n"
		"-v                      Verbose: log each request to kxen (on\n"
		"                        stderr).\n"
		"-N                      Dry run: a command that would change\n"
		"                        something prints what it would do and\n"
		"                        does nothing (xl refuses -N for most).\n"
		"-f                      Force: accepted; as in xl 4.17 no\n"
		"                        command acts on it.\n"
		"-t                      Carriage returns in progress output:\n"
		"                        accepted; xl-lite prints no progress.\n"
		"-T                      Date and pid on the -v log lines.\n"
		"\nExit status: 0 success, 1 error, 2 usage error (xl exits 1\n"
		"for an unknown subcommand or global option).\n"
		"\nRun 'xl-lite help <subcommand>' for its options.\n");
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
	printf("-h, --help              Print this help.\n");
	if (c->options[0])
		printf("%s\n", c->options);
}

#define CMD_LONGOPTS_MAX	8

/* The command's long options and --help, for getopt_long(3). */
static void cmd_longopts(const struct cmd_spec *c, struct option *lo)
{
	unsigned int n = 0;

	while (c->longopts && c->longopts[n].name &&
	       n < CMD_LONGOPTS_MAX - 2) {
		lo[n] = c->longopts[n];
		n++;
	}
	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
}

int cmd_missing(const char *name)
{
	const struct cmd_spec *c = cmd_lookup(name);

	fprintf(stderr, "xl-lite %s: missing argument\n"
		"Usage: xl-lite %s %s\n", name, name, c->usage);
	return 2;
}

/* -N on a command that changes something and has no dry run of its own. */
static void cmd_dry_run(int argc, char **argv)
{
	int i;

	printf("Dry run, nothing done: xl-lite");
	for (i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	exit(0);
}

int cmd_getopt(int argc, char **argv, const char *name)
{
	const struct cmd_spec *c = cmd_lookup(name);
	struct option lo[CMD_LONGOPTS_MAX];
	char opts[32];
	int opt;

	cmd_longopts(c, lo);
	snprintf(opts, sizeof(opts), "h%s", c->optstring);
	opt = getopt_long(argc, argv, opts, lo, NULL);
	if (opt == 'h') {
		cmd_help(name);
		exit(0);
	}
	if (opt == '?') {
		fprintf(stderr, "Run 'xl-lite help %s' for usage.\n", name);
		exit(2);
	}
	if (opt == -1 && argc - optind < c->min_args)
		exit(cmd_missing(name));
	if (opt == -1 && xl_opts.dryrun &&
	    (c->flags & (CMD_MODIFIES | CMD_DRYRUN)) == CMD_MODIFIES)
		cmd_dry_run(argc, argv);
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

static int help_ok(void)
{
	cmd_help(NULL);
	return 0;
}

/* An unknown global option: @arg is its word; returns the exit status. */
static int unknown_global(const char *arg)
{
	if (optopt)
		fprintf(stderr, "xl-lite: unknown global option '-%c'\n",
			optopt);
	else
		fprintf(stderr, "xl-lite: unknown global option '%s'\n", arg);
	fprintf(stderr, "Run 'xl-lite help' for usage.\n");
	return 1;	/* xl's status here, where a command's usage is 2 */
}

/*
 * xl's global options (xl.c main): -v -f -N -t -T, then the command.
 * Returns the index of the command in @argv, or exits: 0 on -h, 1 on an
 * unknown option, as xl does.
 */
static int global_options(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+vfNtTh", lo, NULL)) != -1) {
		if (opt == 'v')
			xl_opts.verbose++;
		else if (opt == 'f')
			xl_opts.force = true;
		else if (opt == 'N')
			xl_opts.dryrun = true;
		else if (opt == 't')
			xl_opts.progress_cr = true;
		else if (opt == 'T')
			xl_opts.timestamps = true;
		else if (opt == 'h')
			exit(help_ok());
		else
			exit(unknown_global(argv[optind - 1]));
	}
	opterr = 1;
	return optind;
}

int main(int argc, char **argv)
{
	const struct cmd_spec *c;
	int cmd = global_options(argc, argv);

	/* xl exits 1 without a command or with an unknown one. */
	if (cmd >= argc) {
		help_all(stderr);
		return 1;
	}
	c = cmd_lookup(argv[cmd]);
	if (!c) {
		fprintf(stderr, "xl-lite: unknown command '%s'\n"
			"Run 'xl-lite help' for the list of commands.\n",
			argv[cmd]);
		return 1;
	}
	if (xl_opts.dryrun && !(c->flags & CMD_MODIFIES) &&
	    c->fn != main_help) {
		fprintf(stderr, "command does not implement -N (dryrun) option\n");
		return 1;
	}
	/*
	 * The command sees argv[0] = its name, as getopt expects.  optind 0
	 * starts getopt afresh: the command's options may follow its
	 * arguments, where the global ones stop at the command.
	 */
	optind = 0;
	return c->fn(argc - cmd, argv + cmd);
}
