/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl-lite: the command table and helpers shared by the commands.
 * Modelled on xl's tools/xl/xl_cmdtable.c: one row per command, and help
 * output generated from the rows.
 */
#ifndef XL_LITE_XL_H
#define XL_LITE_XL_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kxenctl.h"
#include "util.h"

/* What a command does, as xl's cmd_spec says it (can_dryrun, modifies). */
#define CMD_MODIFIES	BIT(0)	/* changes a domain: -N prints, does not */
#define CMD_DRYRUN	BIT(1)	/* acts on -N itself (xl's can_dryrun) */

/* getopt_long values of long options with no short form. */
#define OPT_FORCE_AFTER	0x100	/* shutdown/reboot --force-after=SECS */

struct cmd_spec {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *optstring;	/* getopt(3) options, "h" is added */
	/* getopt_long(3) options; --help is added; NULL: --help alone */
	const struct option *longopts;
	int min_args;		/* positional arguments required */
	unsigned long flags;	/* CMD_* */
	const char *summary;
	const char *usage;	/* after "xl-lite NAME " */
	const char *options;	/* option lines, may be "" */
};

extern const struct cmd_spec cmd_table[];
extern const unsigned int cmd_table_size;
extern const struct cmd_spec cmd_hidden_table[];
extern const unsigned int cmd_hidden_table_size;

/* The global options before the command, as xl's (xl.c main). */
struct xl_globals {
	int verbose;		/* -v, repeated: log what is asked of kxen */
	bool dryrun;		/* -N */
	bool force;		/* -f: accepted, as xl 4.17, no effect */
	bool progress_cr;	/* -t: accepted, xl-lite has no progress */
	bool timestamps;	/* -T: date and pid on log lines */
};

extern struct xl_globals xl_opts;

/* A -v line on stderr, with -T's date and pid. */
void xl_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print help for one command (to stdout) or a usage hint (to stderr). */
void cmd_help(const char *name);

/*
 * getopt loop for a command, as xl's SWITCH_FOREACH_OPT: returns each
 * option character, -1 when done (optind then at the first positional
 * argument), and itself exits on -h (help, status 0), on an unknown
 * option or too few arguments (usage, status 2).
 */
int cmd_getopt(int argc, char **argv, const char *name);

/* "missing argument" and the usage line, for @name; returns 2. */
int cmd_missing(const char *name);

/*
 * The words of a device spec on the command line joined with commas, as
 * xl joins them, into @buf: 0, or 1 with a message naming @cmd when they
 * do not fit.
 */
int cmd_join_words(const char *cmd, char **words, int n, char *buf,
		   size_t len);

/*
 * A whole decimal number in [@min, @max] (no sign, no blanks, nothing
 * after it) into *@out: true, or false when @s is not one.
 */
bool xl_parse_ulong(const char *s, unsigned long min, unsigned long max,
		    unsigned long *out);

/* "xl-lite: op: strerror(-err) [(kernel says: ...)]", returns 1. */
int report(const char *op, int err, const struct kxen_ctl *ctl);

/* After kxen_ctl_open (@err): with -v, log it and each request. */
void ctl_trace(struct kxen_ctl *ctl, int err);

/* Open the control socket, printing the module-not-loaded fix. */
int ctl_open_or_report(struct kxen_ctl *ctl);

/* The host, kxen's domain 0, as xl lists it. */
#define DOM0_NAME	"Domain-0"

/*
 * Domain name or numeric domid to domid, as xl's find_domain: a number
 * is taken as it is, "Domain-0" is 0, other names are looked up.  Prints
 * xl's "X is an invalid domain identifier" and returns -1 if none.
 */
int find_domain(struct kxen_ctl *ctl, const char *dom, uint32_t *domid);

/* find_domain, and the domain must exist in kxen (Domain-0 does not). */
int find_live_domain(struct kxen_ctl *ctl, const char *dom, uint32_t *domid);

/* A domid, all digits, as libxl_domain_qualifier_to_domid takes one. */
bool domid_parse(const char *s, uint32_t *domid);

/* xl's message for a domain that does not exist; returns 1. */
int invalid_domain(const char *dom);
/* "MemTotal" etc. of /proc/meminfo in MiB; 0 if none. */
unsigned long long meminfo_mib(const char *name);

/*
 * Write /local/domain/@domid/@node = @val and @vm_node = @vm_val under
 * the domain's /vm/UUID, in one transaction as libxl does: 0, or 1 with
 * a message naming @cmd.
 */
struct xs_handle;
/* Each PATHS[i] set to VALS[i] in one xenstore transaction; 1 on error. */
int xl_xs_write_all(struct xs_handle *xs, const char *cmd,
		    const char *const *paths, const char *const *vals,
		    unsigned int n);
int dom_xs_write(struct xs_handle *xs, const char *cmd, uint32_t domid,
		 const char *node, const char *val, const char *vm_node,
		 const char *vm_val);

/* Host memory in MiB and busy CPU seconds, from /proc (Domain-0's). */
void host_usage(unsigned long long *mem_mib, double *busy_s);

/* The host's CPUs, as xl's physinfo.nr_cpus. */
unsigned int xl_host_cpus(void);

/* An affinity as kxen takes it: the host's CPUs of an xl cpu list. */
struct vcpu_cpumap {
	uint32_t words[KXEN_CPUMAP_WORDS];
	unsigned int nwords;
};

/* The host's CPUs in @m into @map; how many there are (0: none). */
struct dom_cpumask;
unsigned int vcpu_cpumap_from_mask(const struct dom_cpumask *m,
				   struct vcpu_cpumap *map);

/*
 * Set vCPU @vcpu of @domid's hard affinity to @hard and its soft one to
 * @soft, either NULL to leave it (vcpu-pin, and create for cpus= and
 * cpus_soft=): 0, or 1 after xl's message naming @cmd.
 */
int vcpu_pin_one(struct kxen_ctl *ctl, uint32_t domid, uint32_t vcpu,
		 const struct vcpu_cpumap *hard, const struct vcpu_cpumap *soft,
		 const char *cmd);

/*
 * ~/cpu/I/availability of @domid's @max vCPUs: "online" for the first
 * @n, "offline" for the rest (vcpu-set, and create for maxvcpus): 0, or
 * 1 after a message naming @cmd.
 */
int vcpu_avail_write(uint32_t domid, unsigned int max, unsigned int n,
		     const char *cmd);

/*
 * The domain's maximum in kxen (XEN_DOMCTL_max_mem), for mem-max,
 * mem-set and create's maxmem: 0, or 1 after a message naming @cmd.
 */
int mem_set_max_kb(struct kxen_ctl *ctl, uint32_t domid, uint64_t kb,
		   const char *cmd);

/*
 * Rename @domid in kxen (which keeps names unique), then, as libxl, its
 * ~/name and /vm/UUID/name: 0; -EEXIST (nothing printed) when the name
 * is taken; -1 when kxen refused, 1 when xenstore failed (after a
 * message naming @cmd).
 */
int dom_rename(struct kxen_ctl *ctl, uint32_t domid, const char *name,
	       const char *cmd);

/* The domain's ~/memory/@node ("target") in KiB; -1: absent or bad. */
long long dom_mem_node_kb(struct xs_handle *xs, uint32_t domid,
			  const char *node);

/*
 * Each of the @n domains' memory/@node ("target", "static-max") in KiB,
 * 0 where not known, through @xs (NULL: no xenstore): a malloc()ed
 * array, or NULL (out of memory, no xenstore).
 */
uint64_t *dom_mem_nodes_kb(struct xs_handle *xs,
			   const struct kxen_dominfo *v, size_t n,
			   const char *node);

/*
 * Each of the @n domains' vCPUs whose cpu/I/availability is "online", as
 * libxl reads avail_vcpus back, through @xs: a malloc()ed array, or NULL.
 */
struct dom_avail *dom_avail_vcpus(struct xs_handle *xs,
				  const struct kxen_dominfo *v, size_t n);

/* The disk and vif lines of create -n, also block/network-attach -N. */
struct disk_spec;
struct nic_spec;
void print_disk(FILE *f, const struct disk_spec *d);
void print_vif(FILE *f, const struct nic_spec *n);

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
int main_domid(int argc, char **argv);
int main_domname(int argc, char **argv);
int main_uptime(int argc, char **argv);
int main_shutdown(int argc, char **argv);
int main_block_attach(int argc, char **argv);
int main_block_detach(int argc, char **argv);
int main_block_list(int argc, char **argv);
int main_reboot(int argc, char **argv);
int main_network_attach(int argc, char **argv);
int main_network_detach(int argc, char **argv);
int main_network_list(int argc, char **argv);
int main_vif_bridge(int argc, char **argv);
int main_vcpu_list(int argc, char **argv);
int main_vcpu_pin(int argc, char **argv);
int main_vcpu_set(int argc, char **argv);
int main_mem_set(int argc, char **argv);
int main_mem_max(int argc, char **argv);

/* sched-credit2, and the config's cpu_weight and cap (cmd_sched.c). */
int main_sched_credit2(int argc, char **argv);
struct dom_config;
/* Before the domain first runs: 0, or -1 with a message. */
int sched_config_apply(struct kxen_ctl *ctl, uint32_t domid,
		       const struct dom_config *dc);
int main_rename(int argc, char **argv);
int main_sysrq(int argc, char **argv);
int main_dmesg(int argc, char **argv);
int main_top(int argc, char **argv);
int main_help(int argc, char **argv);

#endif /* XL_LITE_XL_H */
