// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite info, in xl's "key : value" layout and order (xl_info.c): the
 * host's keys from uname, /proc and /sys; xl's xen_* keys as the Xen
 * kxen presents to guests; then kxen's own, from KXEN_CMD_GET_INFO.
 * "xl-lite info KEY" prints the values of the keys KEY begins, as xl.
 */
#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util.h"
#include "xl.h"

/* Print only the keys this begins (xl info's argument), if set. */
struct info_out {
	const char *only;
	int matched;
};

static __attribute__((format(printf, 3, 4)))
void key(struct info_out *o, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (o->only && strncmp(name, o->only, strlen(o->only)))
		return;
	o->matched++;
	if (!o->only)
		printf("%-23s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* The first "@name : value" line of /proc/cpuinfo, or "". */
static void cpuinfo_field(const char *name, char *val, size_t len)
{
	char line[512], *colon;
	size_t n = strlen(name);
	FILE *f = fopen("/proc/cpuinfo", "r");

	val[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		colon = strchr(line, ':');
		if (strncmp(line, name, n) || !colon ||
		    strspn(line + n, " \t") != (size_t)(colon - line - n))
			continue;
		snprintf(val, len, "%s", colon + 1 + strspn(colon + 1, " "));
		val[strcspn(val, "\n")] = '\0';
		break;
	}
	if (f)
		fclose(f);
}

/* The highest number in a sysfs cpu/node list ("0-3,8"), or -1. */
static long sysfs_list_max(const char *path)
{
	char buf[256], *p;
	long max = -1, v;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		for (p = buf; *p; p += strspn(p, ",-\n")) {
			v = strtol(p, &p, 10);
			if (v > max)
				max = v;
			if (*p && !strchr(",-\n", *p))
				break;
		}
	fclose(f);
	return max;
}

static unsigned long cpuinfo_ulong(const char *name)
{
	char v[64];

	cpuinfo_field(name, v, sizeof(v));
	return strtoul(v, NULL, 10);
}

/* xl's output_nodeinfo: uname(2). */
static void host_node(struct info_out *o)
{
	struct utsname u;

	if (uname(&u))
		return;
	key(o, "host", "%s", u.nodename);
	key(o, "release", "%s", u.release);
	key(o, "version", "%s", u.version);
	key(o, "machine", "%s", u.machine);
}

/*
 * xl's hw_caps: the host CPU's feature words in Xen's featureset order
 * (public/arch-x86/cpufeatureset.h words 0-7: 1d, 1c, e1d, e1c, Da1, 7b0,
 * 7c0, e7d), as XEN_SYSCTL_physinfo's hw_cap[8] copies them.
 */
static void hw_caps(struct info_out *o)
{
	static const unsigned int leaf[8][3] = {	/* leaf, subleaf, reg */
		{ 1, 0, 3 }, { 1, 0, 2 }, { 0x80000001, 0, 3 },
		{ 0x80000001, 0, 2 }, { 0xd, 1, 0 }, { 7, 0, 1 }, { 7, 0, 2 },
		{ 0x80000007, 0, 3 },
	};
	unsigned int w[8] = { 0 }, r[4], max, ext, i;

	max = __get_cpuid_max(0, NULL);
	ext = __get_cpuid_max(0x80000000, NULL);
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		if (leaf[i][0] > (leaf[i][0] & 0x80000000 ? ext : max))
			continue;
		__cpuid_count(leaf[i][0], leaf[i][1], r[0], r[1], r[2], r[3]);
		w[i] = r[leaf[i][2]];
	}
	key(o, "hw_caps", "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x",
	    w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]);
}

/* xl's output_physinfo, for the host's CPUs and memory. */
static void host_phys(struct info_out *o, bool have_kxen)
{
	unsigned long cores = cpuinfo_ulong("cpu cores");
	unsigned long siblings = cpuinfo_ulong("siblings");
	long nodes = sysfs_list_max("/sys/devices/system/node/online");
	char mhz[64];

	key(o, "nr_cpus", "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	key(o, "max_cpu_id", "%ld",
	    sysfs_list_max("/sys/devices/system/cpu/possible"));
	key(o, "nr_nodes", "%ld", nodes < 0 ? 1 : nodes + 1);
	key(o, "cores_per_socket", "%lu", cores ? cores : 1);
	key(o, "threads_per_core", "%lu",
	    cores && siblings >= cores ? siblings / cores : 1);
	cpuinfo_field("cpu MHz", mhz, sizeof(mhz));
	key(o, "cpu_mhz", "%.3f", strtod(mhz, NULL));
	hw_caps(o);
	/*
	 * Xen's names for what kxen offers: HVM-container (PVH) guests on
	 * EPT/NPT, grant tables v1 (GNTTABOP_set_version to 2 is refused).
	 */
	if (have_kxen)
		key(o, "virt_caps", "%s", "hvm hap gnttab-v1");
	key(o, "total_memory", "%llu", meminfo_mib("MemTotal"));
	/* what new domains can still have: the host's available memory */
	key(o, "free_memory", "%llu", meminfo_mib("MemAvailable"));
}

/* qsort() order for module parameter names. */
static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * xl's xen_commandline, Xen's boot options: kxen's are its module
 * parameters, "name=value" for each in /sys/module/kxen/parameters,
 * sorted by name.
 */
static void xen_commandline(struct info_out *o)
{
	static const char dir_path[] = "/sys/module/kxen/parameters";
	char *names[64], line[1024] = "", path[320], val[256];
	unsigned int n = 0, i;
	size_t used = 0;
	struct dirent *e;
	DIR *d = opendir(dir_path);
	FILE *f;

	while (d && (e = readdir(d)) && n < ARRAY_SIZE(names)) {
		if (e->d_name[0] == '.')
			continue;
		names[n] = strdup(e->d_name);
		if (names[n])
			n++;
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir_path, names[i]);
		f = fopen(path, "r");
		if (f && fgets(val, sizeof(val), f)) {
			val[strcspn(val, "\n")] = '\0';
			used += snprintf(line + used, sizeof(line) - used,
					 "%s%s=%s", used ? " " : "", names[i],
					 val);
			if (used >= sizeof(line))
				used = sizeof(line) - 1;
		}
		if (f)
			fclose(f);
		free(names[i]);
	}
	key(o, "xen_commandline", "%s", line);
}

/* xl's output_xeninfo: the Xen that kxen presents to guests. */
static void xen_info(struct info_out *o)
{
	key(o, "xen_major", "%d", KXEN_XEN_MAJOR);
	key(o, "xen_minor", "%d", KXEN_XEN_MINOR);
	key(o, "xen_extra", "%s", KXEN_XEN_EXTRA);
	key(o, "xen_version", "%d.%d%s", KXEN_XEN_MAJOR, KXEN_XEN_MINOR,
	    KXEN_XEN_EXTRA);
	key(o, "xen_caps", "%s", KXEN_XEN_CAPS);
	/* vCPUs are host threads: Linux's scheduler runs them */
	key(o, "xen_scheduler", "%s", "linux");
	key(o, "xen_pagesize", "%ld", sysconf(_SC_PAGESIZE));
	xen_commandline(o);
	key(o, "cc_compiler", "%s", KXEN_XEN_COMPILER);
}

/*
 * The set bits of @mask as names from @names (bitN past them), bit 0
 * first, one space apart; "" for none.
 */
static void bit_names(char *buf, size_t len, const char *const *names,
		      unsigned int nr_names, uint64_t mask)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 64 && n < len; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		if (i < nr_names)
			n += snprintf(buf + n, len - n, "%s%s",
				      n ? " " : "", names[i]);
		else
			n += snprintf(buf + n, len - n, "%sbit%u",
				      n ? " " : "", i);
	}
}

static void kxen_caps(struct info_out *o, uint64_t caps)
{
	static const char *const names[] = {
		"vmx", "svm", "hap_2m", "pvh", "console_io", "stats",
		"nested_svm", "nested_vmx",
	};
	char buf[256];

	bit_names(buf, sizeof(buf), names, ARRAY_SIZE(names), caps);
	key(o, "kxen_caps", "%s (0x%llx)", buf[0] ? buf : "none",
	    (unsigned long long)caps);
}

/*
 * The speculation mitigations the module applies around guest entry and
 * exit, by name, bit 0 first; "none" where it applies none.
 */
static void kxen_mitigations(struct info_out *o, uint64_t mit)
{
	static const char *const names[] = KXEN_MIT_NAMES;
	char buf[256];

	bit_names(buf, sizeof(buf), names, ARRAY_SIZE(names), mit);
	key(o, "kxen_mitigations", "%s", buf[0] ? buf : "none");
}

static void kxen_info(struct info_out *o, const struct kxen_hostinfo *hi)
{
	key(o, "kxen_api_version", "%u", hi->api_version);
	kxen_caps(o, hi->caps);
	key(o, "kxen_vendor", "%s", hi->vendor[0] ? hi->vendor : "-");
	if (hi->has_mitigations)
		kxen_mitigations(o, hi->mitigations);
	if (hi->has_stats) {
		key(o, "nr_domains", "%u", hi->domains);
		key(o, "live_pages", "%llu",
		    (unsigned long long)hi->live_pages);
		key(o, "live_objects", "%llu",
		    (unsigned long long)hi->live_objects);
	}
}

/* KXEN_CMD_GET_INFO: 0, -ENOENT without the module, else -errno. */
static int get_hostinfo(struct kxen_hostinfo *hi)
{
	struct kxen_ctl ctl;
	int err = kxen_ctl_open(&ctl);

	ctl_trace(&ctl, err);
	if (err)
		return err;
	err = kxen_get_info(&ctl, hi);
	if (err)
		report("info", err, &ctl);
	kxen_ctl_close(&ctl);
	return err;
}

/* Whether @only (NULL: all) asks for a key that needs the module. */
static bool wants_module(const char *only)
{
	static const char *const keys[] = {
		"xen_major", "xen_minor", "xen_extra", "xen_version",
		"xen_caps", "xen_scheduler", "xen_pagesize",
		"xen_commandline", "cc_compiler", "virt_caps",
		"kxen_api_version", "kxen_caps", "kxen_vendor",
		"kxen_mitigations", "nr_domains",
		"live_pages", "live_objects",
	};
	unsigned int i;

	for (i = 0; only && i < ARRAY_SIZE(keys); i++)
		if (!strncmp(keys[i], only, strlen(only)))
			return true;
	return !only;
}

int main_info(int argc, char **argv)
{
	struct info_out o = { 0 };
	struct kxen_hostinfo hi;
	int err;

	while (cmd_getopt(argc, argv, "info") != -1)
		;
	if (argc - optind > 1) {
		cmd_help("info");
		return 2;
	}
	o.only = optind < argc ? argv[optind] : NULL;
	err = get_hostinfo(&hi);
	host_node(&o);
	host_phys(&o, !err);
	if (!err)
		xen_info(&o);
	key(&o, "xend_config_format", "%d", 4);
	if (!err)
		kxen_info(&o, &hi);
	key(&o, "xl_lite_api_version", "%u", KXEN_API_VERSION);
	fflush(stdout);
	if (err && wants_module(o.only)) {
		fprintf(stderr, "xl-lite: info: the xen_* and kxen_* keys are unavailable: %s\n",
			err == -ENOENT ? KXEN_NOT_LOADED_HINT :
			"kxen did not answer");
		return 1;
	}
	if (o.only && !o.matched) {
		fprintf(stderr, "xl-lite: info: no key begins with '%s'\n",
			o.only);
		return 1;
	}
	return 0;
}
