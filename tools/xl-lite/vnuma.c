// SPDX-License-Identifier: GPL-2.0
/*
 * vnuma = [ [ "pnode=0", "size=512", "vcpus=0-1", "vdistances=10,20" ],
 *           [ "pnode=0", "size=512", "vcpus=2-3", "vdistances=20,10" ] ]
 *
 * One list of "key=value" strings per virtual node (xl.cfg(5)): the host
 * node it comes from, its memory in MiB, its vCPUs, and its distance to
 * every vnode.  xl ignores keys it does not know, and so does this.
 * libxl then wants every vCPU in exactly one vnode and a distance per
 * vnode; xl takes the totals as maxvcpus and maxmem, or refuses a
 * maxvcpus or maxmem that differs from them.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kxen.h>

#include "vnuma.h"

struct vnuma_ctx {
	struct cfg *cfg;
	const struct cfg_setting *set;
	size_t nodes;
	signed char owner[KXEN_MAX_VCPUS];	/* vnode of each vCPU, -1 */
	unsigned int nr_vcpus;
	uint64_t size_mib;
	unsigned int host_nodes;
};

/* "file:line:col: vnuma: vnode N: ..." at @v. */
static int vn_err(struct vnuma_ctx *c, const struct cfg_value *v, size_t node,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int vn_err(struct vnuma_ctx *c, const struct cfg_value *v, size_t node,
		  const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->cfg->err, sizeof(c->cfg->err),
		 "%s:%d:%d: vnuma: vnode %zu: %s", c->set->file, v->line,
		 v->col, node, msg);
	return -1;
}

/* "0-3,5": each vCPU into this vnode, once across all vnodes. */
static int vn_vcpus(struct vnuma_ctx *c, const struct cfg_value *v,
		    size_t node, char *spec)
{
	unsigned long lo, hi;
	char *item, *save = NULL;

	for (item = strtok_r(spec, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		if (dom_range_parse(item, &lo, &hi))
			return vn_err(c, v, node, "bad vcpus range");
		if (hi >= KXEN_MAX_VCPUS)
			return vn_err(c, v, node, "vCPU %lu: kxen has %d at most",
				      hi, KXEN_MAX_VCPUS);
		for (; lo <= hi; lo++) {
			if (c->owner[lo] >= 0)
				return vn_err(c, v, node,
					      "vCPU %lu is in vnode %d already",
					      lo, c->owner[lo]);
			c->owner[lo] = (signed char)node;
			c->nr_vcpus++;
		}
	}
	return 0;
}

/* "10,20": one distance per vnode. */
static int vn_distances(struct vnuma_ctx *c, const struct cfg_value *v,
			size_t node, char *spec)
{
	uint64_t d;
	char *item, *save = NULL;
	size_t n = 0;

	for (item = strtok_r(spec, ",", &save); item;
	     item = strtok_r(NULL, ",", &save), n++)
		if (cfg_str_u64(item, &d) || d > 255)
			return vn_err(c, v, node, "bad vdistances entry");
	if (n != c->nodes)
		return vn_err(c, v, node, "%zu vdistances for %zu vnodes", n,
			      c->nodes);
	return 0;
}

/* Blanks off both ends, in place (xl trims the key and the value). */
static char *vn_trim(char *s)
{
	char *e = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int vn_option(struct vnuma_ctx *c, const struct cfg_value *v,
		     size_t node, char *buf)
{
	char *eq = strchr(buf, '='), *key, *val;
	uint64_t n;

	if (!eq)
		return vn_err(c, v, node, "\"%s\" is not key=value", buf);
	*eq = '\0';
	key = vn_trim(buf);
	val = vn_trim(eq + 1);
	if (!strcmp(key, "pnode")) {
		if (cfg_str_u64(val, &n) || n >= c->host_nodes)
			return vn_err(c, v, node,
				      "invalid pnode \"%s\": the host has %u node(s)",
				      val, c->host_nodes);
	} else if (!strcmp(key, "size")) {
		if (cfg_str_u64(val, &n) || !n || n > (1ULL << 26))
			return vn_err(c, v, node, "bad size \"%s\" (MiB)", val);
		c->size_mib += n;
	} else if (!strcmp(key, "vcpus")) {
		return vn_vcpus(c, v, node, val);
	} else if (!strcmp(key, "vdistances")) {
		return vn_distances(c, v, node, val);
	}
	return 0;
}

static int vn_node(struct vnuma_ctx *c, const struct cfg_value *v,
		   size_t node)
{
	size_t i;
	char *buf;
	int ret;

	if (v->type != CFG_LIST)
		return vn_err(c, v, node,
			      "each vnode is a list of \"key=value\" strings");
	for (i = 0; i < v->nitems; i++) {
		if (v->items[i].type != CFG_STRING)
			return vn_err(c, &v->items[i], node,
				      "each option is a \"key=value\" string");
		buf = strdup(v->items[i].str);
		if (!buf)
			return vn_err(c, v, node, "out of memory");
		ret = vn_option(c, &v->items[i], node, buf);
		free(buf);
		if (ret)
			return ret;
	}
	return 0;
}

/* The totals against vcpus, maxvcpus, memory and maxmem, as xl. */
static int vn_totals(struct vnuma_ctx *c, struct dom_config *dc,
		     unsigned int host_cpus)
{
	unsigned int i;

	for (i = 0; i < c->nr_vcpus; i++)
		if (c->owner[i] < 0) {
			cfg_error(c->cfg, c->set,
				  "vCPU %u is in no vnode (vCPUs 0..%u must all be)",
				  i, c->nr_vcpus - 1);
			return -1;
		}
	if (cfg_find(c->cfg, "maxvcpus")) {
		if (dc->max_vcpus != c->nr_vcpus) {
			cfg_error(c->cfg, c->set,
				  "%u vCPUs, maxvcpus says %u (they must match)",
				  c->nr_vcpus, dc->max_vcpus);
			return -1;
		}
	} else if (c->nr_vcpus > host_cpus) {
		cfg_error(c->cfg, c->set,
			  "%u vCPUs, more than the host's %u CPUs; maxvcpus= overrides this check",
			  c->nr_vcpus, host_cpus);
		return -1;
	}
	if (c->nr_vcpus < dc->vcpus) {
		cfg_error(c->cfg, c->set, "%u vCPUs, fewer than vcpus (%u)",
			  c->nr_vcpus, dc->vcpus);
		return -1;
	}
	dc->max_vcpus = c->nr_vcpus;
	if (cfg_find(c->cfg, "maxmem") && dc->maxmem_mib != c->size_mib) {
		cfg_error(c->cfg, c->set,
			  "%llu MiB, maxmem says %llu (they must match)",
			  (unsigned long long)c->size_mib,
			  (unsigned long long)dc->maxmem_mib);
		return -1;
	}
	if (c->size_mib < dc->memory_mib) {
		cfg_error(c->cfg, c->set, "%llu MiB, less than memory (%llu)",
			  (unsigned long long)c->size_mib,
			  (unsigned long long)dc->memory_mib);
		return -1;
	}
	dc->maxmem_mib = c->size_mib;
	return 0;
}

int dom_vnuma_parse(struct cfg *cfg, struct dom_config *dc,
		    unsigned int host_nodes, unsigned int host_cpus)
{
	struct vnuma_ctx c = { .cfg = cfg, .host_nodes = host_nodes };
	const struct cfg_value *list;
	size_t i;
	int ret;

	ret = cfg_get_list(cfg, "vnuma", &list);
	if (ret <= 0 || !list->nitems)
		return ret < 0 ? -1 : 0;
	c.set = cfg_find(cfg, "vnuma");
	c.nodes = list->nitems;
	if (c.nodes > DOMCFG_MAX_VNODES) {
		cfg_error(cfg, c.set, "%zu vnodes, at most %d", c.nodes,
			  DOMCFG_MAX_VNODES);
		return -1;
	}
	memset(c.owner, -1, sizeof(c.owner));
	for (i = 0; i < c.nodes; i++)
		if (vn_node(&c, &list->items[i], i))
			return -1;
	if (!c.nr_vcpus || !c.size_mib) {
		cfg_error(cfg, c.set, "vnodes with no %s",
			  c.nr_vcpus ? "size" : "vcpus");
		return -1;
	}
	if (vn_totals(&c, dc, host_cpus))
		return -1;
	dc->nr_vnodes = c.nodes;
	return 0;
}

unsigned int dom_host_nodes(void)
{
	DIR *d = opendir("/sys/devices/system/node");
	struct dirent *e;
	unsigned int n = 0;

	if (!d)
		return 1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "node", 4) &&
		    isdigit((unsigned char)e->d_name[4]))
			n++;
	closedir(d);
	return n ? n : 1;
}

unsigned int dom_host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}
