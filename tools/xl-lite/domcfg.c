// SPDX-License-Identifier: GPL-2.0
/*
 * xl.cfg settings -> struct dom_config.  Only type = "pvh" is built;
 * the keys and defaults follow xl.cfg(5) and xl's parse_config_data().
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kxen.h>

#include "domcfg.h"
#include "vnuma.h"
#include "util.h"

#define NAME_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

static const char *const action_names[] = {
	[ACT_DESTROY] = "destroy",
	[ACT_RESTART] = "restart",
	[ACT_RESTART_RENAME] = "rename-restart",
	[ACT_PRESERVE] = "preserve",
	[ACT_COREDUMP_DESTROY] = "coredump-destroy",
	[ACT_COREDUMP_RESTART] = "coredump-restart",
};

const char *dom_action_name(enum dom_action a)
{
	return action_names[a];
}

/* Actions xl.cfg(5) names that xl-lite cannot carry out, and why. */
static const char *action_refused(enum dom_action a)
{
	switch (a) {
	case ACT_COREDUMP_DESTROY:
	case ACT_COREDUMP_RESTART:
		return "xl-lite cannot dump a domain's core";
	default:
		return NULL;
	}
}

static int get_action(struct cfg *cfg, const char *key, enum dom_action *a)
{
	const char *v, *why;
	unsigned int i;
	int ret = cfg_get_string(cfg, key, &v);

	if (ret <= 0)
		return ret;
	for (i = 0; i < ARRAY_SIZE(action_names); i++)
		if (!strcmp(v, action_names[i]))
			break;
	why = i < ARRAY_SIZE(action_names) ? action_refused(i) : NULL;
	if (why) {
		cfg_error(cfg, cfg_find(cfg, key),
			  "action \"%s\" is not supported (%s)", v, why);
		return -1;
	}
	if (i < ARRAY_SIZE(action_names)) {
		*a = i;
		return 0;
	}
	/* xl's on_soft_reset default; kxen has no soft reset (sched.h) */
	if (!strcmp(v, "soft-reset"))
		cfg_error(cfg, cfg_find(cfg, key),
			  "action \"soft-reset\" is not supported (kxen cannot soft-reset a domain)");
	else
		cfg_error(cfg, cfg_find(cfg, key),
			  "invalid action \"%s\" (expected destroy, restart, rename-restart or preserve)",
			  v);
	return -1;
}

static int get_actions(struct cfg *cfg, struct dom_config *dc)
{
	dc->on_poweroff = ACT_DESTROY;
	dc->on_reboot = ACT_RESTART;
	dc->on_crash = ACT_DESTROY;
	dc->on_watchdog = ACT_DESTROY;
	/* xl's default is soft-reset, which kxen lacks: destroy instead */
	dc->on_soft_reset = ACT_DESTROY;
	if (get_action(cfg, "on_poweroff", &dc->on_poweroff) < 0 ||
	    get_action(cfg, "on_reboot", &dc->on_reboot) < 0 ||
	    get_action(cfg, "on_crash", &dc->on_crash) < 0 ||
	    get_action(cfg, "on_watchdog", &dc->on_watchdog) < 0 ||
	    get_action(cfg, "on_soft_reset", &dc->on_soft_reset) < 0)
		return -1;
	return 0;
}

static int get_type(struct cfg *cfg)
{
	struct cfg_setting *s;
	const char *type;
	int ret = cfg_get_string(cfg, "type", &type);

	if (ret < 0)
		return -1;
	if (ret == 0) {
		snprintf(cfg->err, sizeof(cfg->err),
			 "type: not set, and xl's default \"pv\" is not supported; set type = \"pvh\"");
		return -1;
	}
	if (!strcmp(type, "pvh"))
		return 0;
	s = cfg_find(cfg, "type");
	if (!strcmp(type, "pv") || !strcmp(type, "hvm"))
		cfg_error(cfg, s,
			  "type \"%s\" is not supported yet (xl-lite builds type = \"pvh\" only)",
			  type);
	else
		cfg_error(cfg, s, "unknown type \"%s\" (expected \"pvh\")",
			  type);
	return -1;
}

/* xl: cmdline wins; else "root=<root> <extra>"; else extra. */
static int build_cmdline(struct cfg *cfg, struct dom_config *dc,
			 void (*warn)(const char *msg))
{
	const char *cmdline = NULL, *root = NULL, *extra = NULL;
	int r;

	if (cfg_get_string(cfg, "root", &root) < 0 ||
	    cfg_get_string(cfg, "extra", &extra) < 0 ||
	    cfg_get_string(cfg, "cmdline", &cmdline) < 0)
		return -1;
	if (cmdline && (root || extra) && warn)
		warn("ignoring root= and extra= in favour of cmdline=");
	if (cmdline)
		r = asprintf(&dc->cmdline, "%s", cmdline);
	else if (root)
		r = asprintf(&dc->cmdline, "root=%s%s%s", root,
			     extra ? " " : "", extra ? extra : "");
	else
		r = asprintf(&dc->cmdline, "%s", extra ? extra : "");
	if (r < 0) {
		dc->cmdline = NULL;
		snprintf(cfg->err, sizeof(cfg->err), "out of memory");
		return -1;
	}
	return 0;
}

/*
 * @key as a number in [@lo, @hi]: 1 set (*@out), 0 absent, -1 bad (the
 * error names the range).
 */
static int get_ranged(struct cfg *cfg, const char *key, uint64_t lo,
		      uint64_t hi, uint64_t *out)
{
	int ret = cfg_get_u64(cfg, key, out);

	if (ret > 0 && (*out < lo || *out > hi)) {
		cfg_error(cfg, cfg_find(cfg, key),
			  "must be between %llu and %llu",
			  (unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	return ret;
}

/* memory, then maxmem (xl: max_memkb), which may not be below it. */
static int get_memory(struct cfg *cfg, struct dom_config *dc)
{
	uint64_t v;
	int ret;

	dc->memory_mib = DOMCFG_DEFAULT_MEMORY_MIB;
	ret = cfg_get_u64(cfg, "memory", &v);
	if (ret < 0)
		return -1;
	/* the layout checks the real ceiling; this keeps MiB->KiB exact */
	if (ret > 0 && (v == 0 || v > (UINT64_MAX >> 20))) {
		cfg_error(cfg, cfg_find(cfg, "memory"),
			  "must be a number of MiB, at least 1");
		return -1;
	}
	if (ret > 0)
		dc->memory_mib = v;
	dc->maxmem_mib = dc->memory_mib;
	ret = cfg_get_u64(cfg, "maxmem", &v);
	if (ret < 0)
		return -1;
	if (ret > 0 && v > (UINT64_MAX >> 20)) {
		cfg_error(cfg, cfg_find(cfg, "maxmem"),
			  "must be a number of MiB");
		return -1;
	}
	if (ret > 0 && v < dc->memory_mib) {
		cfg_error(cfg, cfg_find(cfg, "maxmem"),
			  "%llu MiB is less than memory (%llu MiB)",
			  (unsigned long long)v,
			  (unsigned long long)dc->memory_mib);
		return -1;
	}
	if (ret > 0)
		dc->maxmem_mib = v;
	return 0;
}

/*
 * vcpus = 0 is what libxl makes of it: its default of one vCPU
 * (libxl__domain_build_info_setdefault).  maxvcpus may not be below it.
 */
static int get_vcpus(struct cfg *cfg, struct dom_config *dc)
{
	uint64_t v;
	int ret;

	dc->vcpus = 1;
	ret = get_ranged(cfg, "vcpus", 0, KXEN_MAX_VCPUS, &v);
	if (ret < 0)
		return -1;
	if (ret > 0 && v)
		dc->vcpus = v;
	dc->max_vcpus = dc->vcpus;
	ret = get_ranged(cfg, "maxvcpus", 1, KXEN_MAX_VCPUS, &v);
	if (ret < 0)
		return -1;
	if (ret > 0 && v < dc->vcpus) {
		cfg_error(cfg, cfg_find(cfg, "maxvcpus"),
			  "%llu is less than vcpus (%u)", (unsigned long long)v,
			  dc->vcpus);
		return -1;
	}
	if (ret > 0)
		dc->max_vcpus = v;
	return 0;
}

static int get_sizes(struct cfg *cfg, struct dom_config *dc)
{
	uint64_t v;
	int ret;

	if (get_memory(cfg, dc) || get_vcpus(cfg, dc))
		return -1;
	ret = cfg_get_u64(cfg, "kxen_debug_port", &v);
	if (ret < 0)
		return -1;
	if (ret > 0 && v > 1) {
		cfg_error(cfg, cfg_find(cfg, "kxen_debug_port"),
			  "must be 0 or 1");
		return -1;
	}
	dc->debug_port = ret > 0 ? v : 0;
	/* xl.cfg(5) nestedhvm=BOOLEAN: the guest's own hardware virt */
	ret = cfg_get_u64(cfg, "nestedhvm", &v);
	if (ret < 0)
		return -1;
	if (ret > 0 && v > 1) {
		cfg_error(cfg, cfg_find(cfg, "nestedhvm"), "must be 0 or 1");
		return -1;
	}
	dc->nestedhvm = ret > 0 ? v : 0;
	return 0;
}

static int get_names(struct cfg *cfg, struct dom_config *dc)
{
	struct cfg_setting *s;
	int ret;

	ret = cfg_get_string(cfg, "name", &dc->name);
	if (ret < 0)
		return -1;
	if (ret == 0 || !dc->name[0]) {
		snprintf(cfg->err, sizeof(cfg->err),
			 "name: domain name must be specified");
		return -1;
	}
	/* kxen's rule for names (KXEN_CMD_DOMAIN_CREATE) */
	if (strspn(dc->name, NAME_CHARS) != strlen(dc->name)) {
		cfg_error(cfg, cfg_find(cfg, "name"),
			  "\"%s\": only letters, digits, '.', '_' and '-' are allowed",
			  dc->name);
		return -1;
	}
	if (strlen(dc->name) >= KXEN_NAME_MAX) {
		cfg_error(cfg, cfg_find(cfg, "name"),
			  "too long (at most %d characters)",
			  KXEN_NAME_MAX - 1);
		return -1;
	}
	ret = cfg_get_string(cfg, "kernel", &dc->kernel);
	if (ret < 0)
		return -1;
	if (dc->bootloader && (ret == 0 || !dc->kernel[0]))
		dc->kernel = NULL;	/* the bootloader's choice */
	else if (ret == 0 || !dc->kernel[0]) {
		snprintf(cfg->err, sizeof(cfg->err),
			 "kernel: must be specified for type \"pvh\"");
		return -1;
	}
	if (cfg_get_string(cfg, "ramdisk", &dc->ramdisk) < 0)
		return -1;
	s = cfg_find(cfg, "ramdisk");
	if (s && !dc->ramdisk[0])
		dc->ramdisk = NULL;
	return 0;
}

/* One more bootloader argument; 0 or -1 (cfg->err set) past the cap. */
static int add_boot_arg(struct cfg *cfg, struct dom_config *dc, char *arg,
			const struct cfg_setting *s)
{
	char **more;

	if (dc->nbootloader_args >= DOMCFG_MAX_BOOTLOADER_ARGS) {
		cfg_error(cfg, s, "more than %d arguments",
			  DOMCFG_MAX_BOOTLOADER_ARGS);
		return -1;
	}
	more = reallocarray(dc->bootloader_args, dc->nbootloader_args + 1,
			    sizeof(*more));
	if (!more) {
		cfg_error(cfg, s, "out of memory");
		return -1;
	}
	dc->bootloader_args = more;
	more[dc->nbootloader_args++] = arg;
	return 0;
}

/*
 * bootloader = "pygrub" (or a path) and bootloader_args, a list of
 * strings, or one string split at spaces (xl still takes that form).
 */
static int get_bootloader(struct cfg *cfg, struct dom_config *dc,
			  void (*warn)(const char *msg))
{
	const struct cfg_setting *s = cfg_find(cfg, "bootloader_args");
	const struct cfg_value *list;
	const char *str;
	char *w, *save;
	size_t i;

	if (cfg_get_string(cfg, "bootloader", &dc->bootloader) < 0)
		return -1;
	if (dc->bootloader && !dc->bootloader[0])
		dc->bootloader = NULL;
	if (!s)
		return 0;
	if (s->val.type == CFG_LIST) {
		if (cfg_get_list(cfg, "bootloader_args", &list) < 0)
			return -1;
		for (i = 0; i < list->nitems; i++) {
			if (list->items[i].type != CFG_STRING) {
				cfg_error(cfg, s, "each entry is a string");
				return -1;
			}
			if (add_boot_arg(cfg, dc, list->items[i].str, s))
				return -1;
		}
	} else {
		if (cfg_get_string(cfg, "bootloader_args", &str) < 0)
			return -1;
		if (warn)
			warn("bootloader_args as a string is deprecated, as in xl: give a list");
		dc->bootloader_buf = strdup(str);
		if (!dc->bootloader_buf) {
			cfg_error(cfg, s, "out of memory");
			return -1;
		}
		for (w = strtok_r(dc->bootloader_buf, " \t", &save); w;
		     w = strtok_r(NULL, " \t", &save))
			if (add_boot_arg(cfg, dc, w, s))
				return -1;
	}
	if (!dc->bootloader && dc->nbootloader_args && warn)
		warn("bootloader_args without bootloader: ignored");
	return 0;
}

/* Room for one more element of @size after the @n at *@arrp; 0 or -1. */
static int grow(void *arrp, unsigned int n, size_t size)
{
	void **arr = arrp, *more = reallocarray(*arr, n + 1, size);

	if (!more)
		return -1;
	*arr = more;
	return 0;
}

/* disk = [...]: one more, unless another disk has its vdev. */
static int add_disk(struct dom_config *dc, const char *spec, char *err,
		    size_t errlen)
{
	struct disk_spec d;
	unsigned int i;

	if (disk_spec_parse(spec, &d, err, errlen))
		return -1;
	for (i = 0; i < dc->ndisks; i++) {
		if (dc->disks[i].devid != d.devid)
			continue;
		snprintf(err, errlen,
			 "%s: virtual device %s is already used by %s",
			 d.target, d.vdev, dc->disks[i].target);
		goto bad;
	}
	if (grow(&dc->disks, dc->ndisks, sizeof(d))) {
		snprintf(err, errlen, "out of memory");
		goto bad;
	}
	dc->disks[dc->ndisks++] = d;
	return 0;
bad:
	disk_spec_free(&d);
	return -1;
}

/* What a new vif shares with an earlier one, naming it; NULL if none. */
static const char *vif_clash(const struct dom_config *dc,
			     const struct nic_spec *n, char *err, size_t errlen)
{
	const struct nic_spec *o;
	char mac[NIC_MAC_STR];
	unsigned int i;

	nic_format_mac(n->mac, mac);
	for (i = 0; i < dc->nnics; i++) {
		o = &dc->nics[i];
		if (o->devid == n->devid)
			snprintf(err, errlen, "devid %d is already used by vif %d",
				 n->devid, o->devid);
		else if (!memcmp(o->mac, n->mac, sizeof(n->mac)))
			snprintf(err, errlen, "mac %s is already used by vif %d",
				 mac, o->devid);
		else if (n->vifname && o->vifname &&
			 !strcmp(n->vifname, o->vifname))
			snprintf(err, errlen,
				 "vifname %s is already used by vif %d",
				 n->vifname, o->devid);
		else
			continue;
		return err;
	}
	return NULL;
}

/*
 * vif = [...]: one more, its devid its index unless devid= says (as xl
 * numbers them).  A random mac that happens to equal another's is drawn
 * again; a given one is refused, as is a devid or vifname used twice.
 */
static int add_vif(struct dom_config *dc, const char *spec, char *err,
		   size_t errlen)
{
	struct nic_spec n;
	int tries = 0;

	do {
		if (tries++)
			nic_spec_free(&n);
		if (nic_spec_parse(spec, &n, err, errlen))
			return -1;
		if (n.devid < 0)
			n.devid = dc->nnics;
	} while (!n.mac_given && tries < 8 && vif_clash(dc, &n, err, errlen));
	if (vif_clash(dc, &n, err, errlen))
		goto bad;
	if (grow(&dc->nics, dc->nnics, sizeof(n))) {
		snprintf(err, errlen, "out of memory");
		goto bad;
	}
	dc->nics[dc->nnics++] = n;
	return 0;
bad:
	nic_spec_free(&n);
	return -1;
}

/*
 * @key = [ "spec", ... ]: each string handed to @add in order; errors
 * name the entry's file:line:col.
 */
static int get_specs(struct cfg *cfg, struct dom_config *dc, const char *key,
		     int (*add)(struct dom_config *dc, const char *spec,
				char *err, size_t errlen))
{
	const struct cfg_value *list;
	const struct cfg_setting *s;
	char err[256];
	size_t i;
	int ret;

	ret = cfg_get_list(cfg, key, &list);
	if (ret <= 0)
		return ret;
	s = cfg_find(cfg, key);
	for (i = 0; i < list->nitems; i++) {
		const struct cfg_value *v = &list->items[i];

		if (v->type != CFG_STRING)
			snprintf(err, sizeof(err), "each entry is a string");
		else if (!add(dc, v->str, err, sizeof(err)))
			continue;
		snprintf(cfg->err, sizeof(cfg->err), "%s:%d:%d: %s: %s",
			 s->file, v->line, v->col, key, err);
		return -1;
	}
	return 0;
}

int dom_range_parse(const char *s, unsigned long *lo, unsigned long *hi)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	*lo = strtoul(s, &end, 10);
	*hi = *lo;
	if (*end == '-') {
		s = end + 1;
		if (*s < '0' || *s > '9')
			return -1;
		*hi = strtoul(s, &end, 10);
	}
	return *end || *lo > *hi ? -1 : 0;
}

static bool cpumask_empty(const struct dom_cpumask *m)
{
	unsigned int i;

	for (i = 0; i < DOMCFG_CPU_WORDS; i++)
		if (m->bits[i])
			return false;
	return true;
}

/* One comma-separated item: [^]all, [^]N or [^]N-M; 0 or -1. */
static int cpumask_item(const char *item, struct dom_cpumask *m, char *err,
			size_t errlen)
{
	bool clear = *item == '^';
	const char *r = item + clear;
	unsigned long lo = 0, hi = DOMCFG_MAX_CPUS - 1, cpu;

	if (!strncmp(r, "node", 4)) {
		snprintf(err, errlen, "\"%s\": NUMA node affinity is not supported",
			 item);
		return -1;
	}
	if (strcmp(r, "all") && dom_range_parse(r, &lo, &hi)) {
		snprintf(err, errlen,
			 "\"%s\": expected \"all\", a CPU or a range N-M, each maybe after '^'",
			 item);
		return -1;
	}
	if (hi >= DOMCFG_MAX_CPUS) {
		snprintf(err, errlen, "\"%s\": CPUs are numbered 0 to %d", item,
			 DOMCFG_MAX_CPUS - 1);
		return -1;
	}
	for (cpu = lo; cpu <= hi; cpu++) {
		if (clear)
			m->bits[cpu / 64] &= ~(1ULL << (cpu % 64));
		else
			m->bits[cpu / 64] |= 1ULL << (cpu % 64);
	}
	return 0;
}

/* xl's parse_cpurange(): items in order, "^" removing from the set. */
int dom_cpumask_parse(const char *spec, struct dom_cpumask *m, char *err,
		      size_t errlen)
{
	char *buf = strdup(spec), *item, *save = NULL;
	int ret = 0;

	memset(m, 0, sizeof(*m));
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (item = strtok_r(buf, ",", &save); item && !ret;
	     item = strtok_r(NULL, ",", &save))
		ret = cpumask_item(item, m, err, errlen);
	free(buf);
	if (!ret && cpumask_empty(m)) {
		snprintf(err, errlen, "\"%s\" selects no CPU", spec);
		ret = -1;
	}
	return ret;
}

/* cpus / cpus_soft: a string for all vCPUs, or a list, one per vCPU. */
static int get_affinity(struct cfg *cfg, const char *key,
			struct dom_affinity *a, unsigned int max_vcpus)
{
	const struct cfg_setting *s = cfg_find(cfg, key);
	const struct cfg_value *v;
	char err[256];
	size_t i, n;

	if (!s)
		return 0;
	a->per_vcpu = s->val.type == CFG_LIST;
	a->set = s;
	n = a->per_vcpu ? s->val.nitems : 1;
	if (n > max_vcpus) {
		cfg_error(cfg, s, "%zu entries for %u vCPUs (maxvcpus)", n,
			  max_vcpus);
		return -1;
	}
	a->masks = calloc(n ? n : 1, sizeof(*a->masks));
	if (!a->masks) {
		snprintf(cfg->err, sizeof(cfg->err), "out of memory");
		return -1;
	}
	a->n = n;
	for (i = 0; i < n; i++) {
		v = a->per_vcpu ? &s->val.items[i] : &s->val;
		if (v->type == CFG_LIST)
			snprintf(err, sizeof(err),
				 "each entry is a CPU list string, not a list");
		else if (!dom_cpumask_parse(v->str, &a->masks[i], err,
					    sizeof(err)))
			continue;
		snprintf(cfg->err, sizeof(cfg->err), "%s:%d:%d: %s: %s",
			 s->file, v->line, v->col, key, err);
		return -1;
	}
	return 0;
}

const struct dom_cpumask *dom_affinity_mask(const struct dom_affinity *a,
					    unsigned int vcpu)
{
	if (!a->n)
		return NULL;
	if (!a->per_vcpu)
		return &a->masks[0];
	return vcpu < a->n ? &a->masks[vcpu] : NULL;
}

void dom_affinity_where(const struct dom_affinity *a, unsigned int vcpu,
			char *buf, size_t len)
{
	const struct cfg_value *v = a->per_vcpu ? &a->set->val.items[vcpu] :
				    &a->set->val;

	snprintf(buf, len, "%s:%d:%d: %s: \"%s\"", a->set->file, v->line,
		 v->col, a->set->key, v->str);
}

/* xl's libxl_uuid_from_string(): 8-4-4-4-12 hex digits. */
static int parse_uuid(const char *s, uint8_t uuid[16])
{
	static const char dash_at[] = { 8, 13, 18, 23 };
	unsigned int i, j = 0, d = 0;

	if (strlen(s) != 36)
		return -1;
	for (i = 0; i < 36; i++) {
		if (d < sizeof(dash_at) && i == (unsigned int)dash_at[d]) {
			if (s[i] != '-')
				return -1;
			d++;
			continue;
		}
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		if (j % 2 == 0)
			uuid[j / 2] = 0;
		uuid[j / 2] |= (isdigit((unsigned char)s[i]) ? s[i] - '0' :
				(tolower((unsigned char)s[i]) - 'a' + 10)) <<
			       (j % 2 ? 0 : 4);
		j++;
	}
	return 0;
}

/* uuid, the scheduler's weight and cap, grant and event channel limits */
static int get_extras(struct cfg *cfg, struct dom_config *dc)
{
	const char *s;
	uint64_t v;
	int ret;

	ret = cfg_get_string(cfg, "uuid", &s);
	if (ret < 0)
		return -1;
	if (ret > 0 && parse_uuid(s, dc->uuid)) {
		cfg_error(cfg, cfg_find(cfg, "uuid"),
			  "\"%s\" is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
			  s);
		return -1;
	}
	dc->uuid_given = ret > 0;
	/* Xen's sched credit/credit2 take both as uint16_t; weight 0 is "keep" */
	ret = get_ranged(cfg, "cpu_weight", 1, 65535, &v);
	if (ret < 0)
		return -1;
	dc->cpu_weight = ret > 0 ? v : 0;
	ret = get_ranged(cfg, "cap", 0, 65535, &v);
	if (ret < 0)
		return -1;
	dc->cap = ret > 0 ? (int)v : -1;
	ret = get_ranged(cfg, "max_grant_frames", 1, DOMCFG_MAX_GRANT_FRAMES,
			 &v);
	if (ret < 0)
		return -1;
	dc->max_grant_frames = ret > 0 ? v : 0;
	ret = get_ranged(cfg, "max_event_channels", 1,
			 DOMCFG_MAX_EVENT_CHANNELS, &v);
	if (ret < 0)
		return -1;
	dc->max_event_channels = ret > 0 ? v : 0;
	if (get_affinity(cfg, "cpus", &dc->cpus, dc->max_vcpus) ||
	    get_affinity(cfg, "cpus_soft", &dc->cpus_soft, dc->max_vcpus))
		return -1;
	return 0;
}

/* "file:line:col: key: @what" for @key, when it is set and @cond holds */
static void warn_at(struct cfg *cfg, void (*warn)(const char *msg),
		    const char *key, bool cond, const char *what)
{
	const struct cfg_setting *s = cfg_find(cfg, key);
	char buf[CFG_ERR_MAX + 160];

	if (!s || !cond || !warn)
		return;
	snprintf(buf, sizeof(buf), "%s:%d:%d: %s: %s", s->file, s->line,
		 s->col, key, what);
	warn(buf);
}

static void warn_key(struct cfg *cfg, void (*warn)(const char *msg),
		     const char *key, bool cond, const char *why)
{
	char what[128];

	snprintf(what, sizeof(what), "parsed, not applied: %s", why);
	warn_at(cfg, warn, key, cond, what);
}

/* Settings kxen cannot act on (fully): one warning each, naming the key. */
static void warn_not_applied(struct cfg *cfg, const struct dom_config *dc,
			     void (*warn)(const char *msg))
{
	warn_key(cfg, warn, "vnuma", dc->nr_vnodes,
		 "kxen gives the guest no NUMA topology: it sees one node");
}

static void warn_unused(struct cfg *cfg, void (*warn)(const char *msg))
{
	char buf[CFG_ERR_MAX + 64];
	size_t i;

	for (i = 0; warn && i < cfg->nset; i++) {
		const struct cfg_setting *s = &cfg->set[i];

		if (s->used)
			continue;
		snprintf(buf, sizeof(buf),
			 "%s:%d:%d: %s: unsupported key, ignored", s->file,
			 s->line, s->col, s->key);
		warn(buf);
	}
}

int dom_config_from_cfg(struct cfg *cfg, struct dom_config *dc,
			void (*warn)(const char *msg))
{
	memset(dc, 0, sizeof(*dc));
	if (get_type(cfg) || get_bootloader(cfg, dc, warn) ||
	    get_names(cfg, dc) || get_sizes(cfg, dc) ||
	    dom_vnuma_parse(cfg, dc, dom_host_nodes(), dom_host_cpus()) ||
	    get_actions(cfg, dc) || get_specs(cfg, dc, "disk", add_disk) ||
	    get_specs(cfg, dc, "vif", add_vif) ||
	    get_extras(cfg, dc) || build_cmdline(cfg, dc, warn)) {
		dom_config_free(dc);
		return -1;
	}
	warn_not_applied(cfg, dc, warn);
	warn_unused(cfg, warn);
	return 0;
}

void dom_config_free(struct dom_config *dc)
{
	unsigned int i;

	free(dc->cmdline);
	dc->cmdline = NULL;
	free(dc->bootloader_args);
	free(dc->bootloader_buf);
	dc->bootloader_args = NULL;
	dc->bootloader_buf = NULL;
	dc->nbootloader_args = 0;
	for (i = 0; i < dc->ndisks; i++)
		disk_spec_free(&dc->disks[i]);
	free(dc->disks);
	dc->disks = NULL;
	dc->ndisks = 0;
	for (i = 0; i < dc->nnics; i++)
		nic_spec_free(&dc->nics[i]);
	free(dc->nics);
	dc->nics = NULL;
	dc->nnics = 0;
	free(dc->cpus.masks);
	free(dc->cpus_soft.masks);
	memset(&dc->cpus, 0, sizeof(dc->cpus));
	memset(&dc->cpus_soft, 0, sizeof(dc->cpus_soft));
}
