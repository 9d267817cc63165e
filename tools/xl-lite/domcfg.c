// SPDX-License-Identifier: GPL-2.0
/*
 * xl.cfg settings -> struct dom_config.  Only type = "pvh" is built;
 * the keys and defaults follow xl.cfg(5) and xl's parse_config_data().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kxen.h>

#include "domcfg.h"
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
	case ACT_RESTART_RENAME:
		return "kxen has no command to rename the old domain";
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
			  "invalid action \"%s\" (expected destroy, restart or preserve)",
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

static int get_sizes(struct cfg *cfg, struct dom_config *dc)
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
	dc->vcpus = 1;
	ret = cfg_get_u64(cfg, "vcpus", &v);
	if (ret < 0)
		return -1;
	if (ret > 0 && (v < 1 || v > KXEN_MAX_VCPUS)) {
		cfg_error(cfg, cfg_find(cfg, "vcpus"),
			  "must be between 1 and %d", KXEN_MAX_VCPUS);
		return -1;
	}
	if (ret > 0)
		dc->vcpus = v;
	ret = cfg_get_u64(cfg, "kxen_debug_port", &v);
	if (ret < 0)
		return -1;
	if (ret > 0 && v > 1) {
		cfg_error(cfg, cfg_find(cfg, "kxen_debug_port"),
			  "must be 0 or 1");
		return -1;
	}
	dc->debug_port = ret > 0 ? v : 0;
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
	if (ret == 0 || !dc->kernel[0]) {
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
	if (get_type(cfg) || get_names(cfg, dc) || get_sizes(cfg, dc) ||
	    get_actions(cfg, dc) || get_specs(cfg, dc, "disk", add_disk) ||
	    get_specs(cfg, dc, "vif", add_vif) ||
	    build_cmdline(cfg, dc, warn)) {
		dom_config_free(dc);
		return -1;
	}
	warn_unused(cfg, warn);
	return 0;
}

void dom_config_free(struct dom_config *dc)
{
	unsigned int i;

	free(dc->cmdline);
	dc->cmdline = NULL;
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
}
