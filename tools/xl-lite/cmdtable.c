// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite's command table, as xl's tools/xl/xl_cmdtable.c: one row per
 * command, from which dispatch, option parsing and help are generated.
 * Where xl-lite differs from xl on purpose, the help text says so.
 */
#include <getopt.h>

#include "util.h"
#include "xl.h"

static const struct option create_longopts[] = {
	{ "defconfig", required_argument, NULL, 'f' },
	{ "dryrun", no_argument, NULL, 'n' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "vncviewer", no_argument, NULL, 'V' },
	{ "vncviewer-autopass", no_argument, NULL, 'A' },
	{ NULL, 0, NULL, 0 },
};

static const struct option list_longopts[] = {
	{ "long", no_argument, NULL, 'l' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

static const struct option shutdown_longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "wait", no_argument, NULL, 'w' },
	{ "force-after", required_argument, NULL, OPT_FORCE_AFTER },
	{ NULL, 0, NULL, 0 },
};

static const struct option sched_longopts[] = {
	{ "domain", required_argument, NULL, 'd' },
	{ "weight", required_argument, NULL, 'w' },
	{ "cap", required_argument, NULL, 'c' },
	{ "schedparam", no_argument, NULL, 's' },
	{ "ratelimit_us", required_argument, NULL, 'r' },
	{ "cpupool", required_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 },
};

static const struct option vcpu_set_longopts[] = {
	{ "ignore-host", no_argument, NULL, 'i' },
	{ NULL, 0, NULL, 0 },
};

static const struct option force_longopts[] = {
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

const struct cmd_spec cmd_table[] = {
	{ "create", main_create, "pcnFef:qdVA", create_longopts, 0,
	  CMD_MODIFIES | CMD_DRYRUN,
	  "Create a domain from config file <filename>",
	  "[options] <ConfigFile> [vars]",
	  "-p                      Leave the domain paused once built.\n"
	  "-c                      Attach to its console once started.\n"
	  "-F                      Run in the foreground until the domain\n"
	  "                        is gone, carrying out on_poweroff,\n"
	  "                        on_reboot and on_crash here.\n"
	  "-e                      Do not leave a monitor behind: nothing\n"
	  "                        acts on the domain's shutdown or crash.\n"
	  "-f FILE, --defconfig=FILE\n"
	  "                        Use the given configuration file; the\n"
	  "                        arguments are then all vars.\n"
	  "-n, --dryrun            Dry run: print the layout that would be\n"
	  "                        built; needs no kxen module.  The same\n"
	  "                        as the global -N (xl-lite -N create).\n"
	  "-q, --quiet             Quiet: no \"Parsing config from\" line.\n"
	  "-d                      Debug: print what -n prints on stderr,\n"
	  "                        then create the domain (xl prints its\n"
	  "                        config there).\n"
	  "-V, --vncviewer         Taken as xl's, but a PVH guest has no\n"
	  "                        VNC display: said once it is created.\n"
	  "-A, --vncviewer-autopass\n"
	  "                        The same.\n"
	  "vars                    key=value settings applied after the\n"
	  "                        file, in xl.cfg syntax, e.g.\n"
	  "                        memory=256 'extra=\"quiet\"'" },
	{ "list", main_list, "lv", list_longopts, 0, 0,
	  "List information about all/some domains",
	  "[options] [Domain]",
	  "-l, --long              Output all VM details: JSON, as xl's,\n"
	  "                        with the fields kxen reports (domid,\n"
	  "                        c_info type/name/uuid, b_info vCPUs,\n"
	  "                        memory and grant/event-channel limits);\n"
	  "                        Domain-0 is left out.\n"
	  "-v, --verbose           Add the UUID and shutdown reason code\n"
	  "                        columns (no security label: kxen has\n"
	  "                        none, \"-\" is printed)." },
	{ "destroy", main_destroy, "f", NULL, 1, CMD_MODIFIES,
	  "Terminate a domain immediately",
	  "[-f] <Domain>",
	  "-f                      Permit destroying domain 0, as xl 4.17;\n"
	  "                        kxen's domain 0 is the host, so it is\n"
	  "                        refused even then." },
	{ "pause", main_pause, "", NULL, 1, CMD_MODIFIES,
	  "Pause execution of a domain",
	  "<Domain>", "" },
	{ "unpause", main_unpause, "", NULL, 1, CMD_MODIFIES,
	  "Unpause a paused domain",
	  "<Domain>", "" },
	{ "console", main_console, "", NULL, 1, 0,
	  "Attach to domain's console",
	  "<Domain>",
	  "On a terminal, Ctrl-] detaches; otherwise it reads until the\n"
	  "domain is gone." },
	{ "info", main_info, "", NULL, 0, 0,
	  "Get information about the kxen host",
	  "[item]",
	  "item                    Print only the value of this key, e.g.\n"
	  "                        xl-lite info free_memory.\n"
	  "The host's keys come from uname, /proc and /sys; xen_* are the\n"
	  "Xen version kxen presents to guests, kxen_* what the module\n"
	  "reports.  Without the module only the host's keys are printed." },
	{ "domid", main_domid, "", NULL, 1, 0,
	  "Convert a domain name to domain id",
	  "<DomainName>", "" },
	{ "domname", main_domname, "", NULL, 1, 0,
	  "Convert a domain id to domain name",
	  "<DomainId>", "" },
	{ "uptime", main_uptime, "s", NULL, 0, 0,
	  "Print uptime for all/some domains",
	  "[-s] [Domain...]",
	  "-s                      Short: one line each, as uptime(1).\n"
	  "Domain-0's is the host's (/proc/uptime); a domain's runs from\n"
	  "the start_time that create writes under its /vm/UUID in\n"
	  "xenstore, as libxl does." },
	{ "shutdown", main_shutdown, "awF", shutdown_longopts, 0,
	  CMD_MODIFIES,
	  "Issue a shutdown signal to a domain",
	  "[options] <-a|Domain>",
	  "-a, --all               Shut down every domain but Domain-0.\n"
	  "-w, --wait              Wait for the domain(s) to shut down.\n"
	  "-F                      Fall back for a guest with no PV\n"
	  "                        control interface: kxen shuts it down\n"
	  "                        (xl: an ACPI power button event).\n"
	  "--force-after=SECS      kxen's own: also fall back when the\n"
	  "                        guest is not down SECS s after the\n"
	  "                        request (waits that long).\n"
	  "The guest is asked through xenstore (control/shutdown) and\n"
	  "nothing more is done: one that ignores it keeps running." },
	{ "reboot", main_reboot, "awF", shutdown_longopts, 0, CMD_MODIFIES,
	  "Issue a reboot signal to a domain",
	  "[options] <-a|Domain>",
	  "-a, --all               Reboot every domain but Domain-0.\n"
	  "-w, --wait              Wait for the domain(s) to go down.\n"
	  "-F                      Fall back for a guest with no PV\n"
	  "                        control interface: kxen shuts it down\n"
	  "                        with reason reboot (xl: an ACPI reset\n"
	  "                        button event).\n"
	  "--force-after=SECS      kxen's own: also fall back when the\n"
	  "                        guest is not down SECS s after the\n"
	  "                        request (waits that long).\n"
	  "The guest is asked through xenstore (control/shutdown) and\n"
	  "nothing more is done: one that ignores it keeps running." },
	{ "block-attach", main_block_attach, "", NULL, 2,
	  CMD_MODIFIES | CMD_DRYRUN,
	  "Create a new virtual block device",
	  "<Domain> <disk-spec-component(s)>...",
	  "The disk is given as in a config file's disk = [...]\n"
	  "(xl-disk-configuration(5)); the words are joined with\n"
	  "commas.  Only raw images and block devices.  With the global\n"
	  "-N the disk is printed as create -n shows it, and the domain\n"
	  "is not looked up." },
	{ "block-list", main_block_list, "", NULL, 1, 0,
	  "List virtual block devices for a domain",
	  "<Domain(s)>", "" },
	{ "block-detach", main_block_detach, "f", force_longopts, 2,
	  CMD_MODIFIES,
	  "Destroy a domain's virtual block device",
	  "[-f] <Domain> <DevId>",
	  "-f, --force             Do not wait for the guest to release\n"
	  "                        the disk: remove it at once.\n"
	  "DevId is the vdev (xvdb) or its number (51728)." },
	{ "network-attach", main_network_attach, "", NULL, 1,
	  CMD_MODIFIES | CMD_DRYRUN,
	  "Create a new virtual network device",
	  "<Domain> [<nic-spec-component(s)>...]",
	  "The vif is given as in a config file's vif = [...]\n"
	  "(xl-network-configuration(5)); the words are joined with\n"
	  "commas.  xl-lite joins its netdev to the bridge itself\n"
	  "unless script= names a hotplug script.  With the global -N\n"
	  "the vif is printed as create -n shows it, and the domain is\n"
	  "not looked up." },
	{ "network-list", main_network_list, "", NULL, 1, 0,
	  "List virtual network interfaces for a domain",
	  "<Domain(s)>", "" },
	{ "network-detach", main_network_detach, "", NULL, 2, CMD_MODIFIES,
	  "Destroy a domain's virtual network device",
	  "<Domain> <DevId|mac>",
	  "DevId is the vif's number (network-list's Idx)." },
	{ "vcpu-list", main_vcpu_list, "", NULL, 0, 0,
	  "List the VCPUs for all/some domains",
	  "[Domain, ...]",
	  "A vCPU is a kernel thread of the host: CPU is the one it last\n"
	  "ran on, Time(s) its time in guest mode, the hard affinity\n"
	  "its thread's CPU set, the soft one the CPUs of it the thread\n"
	  "keeps to while they have room.  Domain-0 (the host) has no\n"
	  "vCPUs to list." },
	{ "vcpu-pin", main_vcpu_pin, "f", force_longopts, 3,
	  CMD_MODIFIES | CMD_DRYRUN,
	  "Set which CPUs a VCPU can use",
	  "[option] <Domain> <VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>",
	  "-f, --force             Accepted, as xl's (kxen keeps no\n"
	  "                        configuration to leave unchanged);\n"
	  "                        not with VCPU \"all\".\n"
	  "The affinity is xl's CPU list: \"all\", \"3\", \"0-3,^2\".  CPUs\n"
	  "the host does not have are dropped; \"-\", or no soft one,\n"
	  "leaves it.  Linux's scheduler has no soft affinity: the vCPU's\n"
	  "thread keeps to the soft CPUs (within the hard ones) itself,\n"
	  "and runs on the other hard ones while it waits for those.\n"
	  "With the global -N the CPU sets are printed and nothing is\n"
	  "done." },
	{ "vcpu-set", main_vcpu_set, "i", vcpu_set_longopts, 2, CMD_MODIFIES,
	  "Set the number of active VCPUs allowed for the domain",
	  "[option] <Domain> <vCPUs>",
	  "-i, --ignore-host       Don't limit the vCPU based on the host\n"
	  "                        CPU count.\n"
	  "As libxl does for a PV or PVH guest: cpu/N/availability in the\n"
	  "domain's xenstore is \"online\" for the first vCPUs and\n"
	  "\"offline\" for the others; the guest takes those down, or brings\n"
	  "them back.  At most maxvcpus, the vCPUs the domain was created\n"
	  "with (those past vcpus are hot-added by the guest); 0 is\n"
	  "refused, where xl would ask the guest for none." },
	{ "mem-max", main_mem_max, "", NULL, 2, CMD_MODIFIES,
	  "Set the maximum amount reservation for a domain",
	  "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>",
	  "Refused below the domain's memory/target, as libxl does; the\n"
	  "new maximum is written as memory/static-max too (libxl 4.17),\n"
	  "the bound of mem-set.  A domain holding more keeps it, but\n"
	  "gets no more pages." },
	{ "mem-set", main_mem_set, "", NULL, 2, CMD_MODIFIES,
	  "Set the current memory usage for a domain",
	  "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>",
	  "Refused above the domain's memory/static-max; the maximum\n"
	  "is set to the target and memory/target written, for the\n"
	  "guest's balloon driver, as libxl does." },
	{ "sched-credit2", main_sched_credit2, "d:w:c:sr:p:", sched_longopts,
	  0, CMD_MODIFIES | CMD_DRYRUN,
	  "Get/set credit2 scheduler parameters",
	  "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]]",
	  "-d DOMAIN, --domain=DOMAIN\n"
	  "                        Domain to modify; without it, list\n"
	  "                        every domain.\n"
	  "-w WEIGHT, --weight=WEIGHT\n"
	  "                        Weight (1-65535, default 256): the nice\n"
	  "                        level of the domain's vCPU threads, 256\n"
	  "                        being nice 0, each doubling about 3\n"
	  "                        levels lower (512: -3, 128: 3), within\n"
	  "                        -20..19.\n"
	  "-c CAP, --cap=CAP       Cap (0 = none): the most CPU time all\n"
	  "                        its vCPUs together may use, in percent\n"
	  "                        of one CPU, up to 100 per vCPU, over\n"
	  "                        10 ms periods.\n"
	  "-s, -r, -p              Refused: kxen has no cpupools, and the\n"
	  "                        host scheduler no pool parameters." },
	{ "rename", main_rename, "", NULL, 2, CMD_MODIFIES,
	  "Rename a domain",
	  "<Domain> <NewDomainName>",
	  "The name must be unique, 1-63 characters of [A-Za-z0-9._-]." },
	{ "sysrq", main_sysrq, "", NULL, 2, CMD_MODIFIES,
	  "Send a sysrq to a domain",
	  "<Domain> <letter>",
	  "The letter goes to the guest's control/sysrq in xenstore." },
	{ "dmesg", main_dmesg, "c", NULL, 0, 0,
	  "Read and/or clear dmesg buffer",
	  "[-c]",
	  "Prints kxen's lines of the host's kernel log (/dev/kmsg), as\n"
	  "xl prints Xen's console ring.\n"
	  "-c                      Refused: the kernel log is the host's,\n"
	  "                        and the kernel clears only all of it,\n"
	  "                        not kxen's lines alone." },
	{ "top", main_top, "bd:i:", NULL, 0, 0,
	  "Monitor a host and the domains in real time",
	  "[-b] [-d DELAY] [-i ITERATIONS]",
	  "-b                      Batch mode, as xentop -b: the table\n"
	  "                        each time, no screen handling.\n"
	  "-d DELAY                Seconds between tables (default 3).\n"
	  "-i ITERATIONS           Tables to print before exiting\n"
	  "                        (default: until q, Ctrl-C or SIGTERM).\n"
	  "xentop's columns.  CPU(sec) sums the vCPUs' run times and\n"
	  "CPU(%) is over the last DELAY (0.0 the first time); MEM is\n"
	  "what the domain holds, MAXMEM its maximum; NETTX/NETRX are\n"
	  "the guest's side of its vifs' host netdev counters.  VBD_RD\n"
	  "and VBD_WR count the reads and writes kxen's block backend\n"
	  "served, VBD_RSECT and VBD_WSECT their sectors, VBD_OO the\n"
	  "times requests waited for a free slot: summed over every\n"
	  "disk the domain had (xentop: the ones it has now).  SSID is\n"
	  "0 (no XSM)." },
	{ "help", main_help, "", NULL, 0, 0,
	  "Print help information",
	  "[command]", "" },
};

const unsigned int cmd_table_size = ARRAY_SIZE(cmd_table);

/* Commands for the lab's tests, left out of the list of commands. */
const struct cmd_spec cmd_hidden_table[] = {
	{ "vif-bridge", main_vif_bridge, "", NULL, 2, CMD_MODIFIES,
	  "Join a netdev to a bridge as a vif's, or take it out (tests)",
	  "attach <netdev> <bridge> [<mtu>] | detach <netdev>",
	  "What create and network-attach do with a vif's netdev once\n"
	  "the backend has made it; for the lab's tests." },
};

const unsigned int cmd_hidden_table_size = ARRAY_SIZE(cmd_hidden_table);
