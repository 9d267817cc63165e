// SPDX-License-Identifier: GPL-2.0
/*
 * Domains as the store sees them: introduced or not (INTRODUCE,
 * RELEASE, IS_DOMAIN_INTRODUCED), their SET_TARGET, and the nodes a
 * toolstack writes when it creates one (docs/misc/xenstore-paths), with
 * the permissions xl gives them: read-only ones owned by dom0 and
 * readable by the domain, writable ones owned by the domain.
 */
#include "xs_core.h"

/* Real domain ids: not dom0, below DOMID_FIRST_RESERVED (xen.h). */
#define XS_DOMID_FIRST_RESERVED	0x7ff0

static bool xs_domid_real(u32 domid)
{
	return domid && domid < XS_DOMID_FIRST_RESERVED;
}

int xs_domain_introduce(struct xs_store *st, u32 domid)
{
	struct xs_dom *d;

	if (!xs_domid_real(domid))
		return -EINVAL;
	d = xs_dom_get(st, domid);
	if (!d)
		return -ENOMEM;
	d->introduced = true;
	d->shutdown = false;
	xs_fire_special(st, 0);
	return 0;
}

/*
 * cxenstored fires @releaseDomain when it finds a domain shut down or
 * crashed, once, and again when the domain is destroyed: a toolstack
 * watching it learns of both (domain_cleanup() in Xen's xenstored).
 */
int xs_domain_shutdown(struct xs_store *st, u32 domid)
{
	struct xs_dom *d = xs_dom_find(st, domid);

	if (!xs_domid_real(domid))
		return -EINVAL;
	if (!d || !d->introduced)
		return -ENOENT;
	if (!d->shutdown) {
		d->shutdown = true;
		xs_fire_special(st, 1);
	}
	return 0;
}

int xs_domain_release(struct xs_store *st, u32 domid)
{
	struct xs_dom *d = xs_dom_find(st, domid);

	if (!xs_domid_real(domid))
		return -EINVAL;
	if (!d || !d->introduced)
		return -ENOENT;
	d->introduced = false;
	d->target = XS_DOMID_NONE;
	xs_fire_special(st, 1);
	return 0;
}

bool xs_domain_introduced(struct xs_store *st, u32 domid)
{
	struct xs_dom *d = xs_dom_find(st, domid);

	return !domid || (d && d->introduced);
}

int xs_domain_set_target(struct xs_store *st, u32 domid, u32 target)
{
	struct xs_dom *d = xs_dom_find(st, domid);

	if (!xs_domid_real(domid) || !xs_domid_real(target) ||
	    domid == target)
		return -EINVAL;
	if (!d || !d->introduced)
		return -ENOENT;
	d->target = target;
	return 0;
}

struct xs_dnode {
	const char *path;	/* under the domain's home; "" is the home */
	bool rw;		/* owned by the domain */
};

/* docs/misc/xenstore-paths, as xl creates them. */
static const struct xs_dnode xs_dnodes[] = {
	{ "", false },
	{ "/vm", false },
	{ "/name", false },
	{ "/domid", false },
	{ "/control", false },
	{ "/control/shutdown", true },
	{ "/control/feature-poweroff", true },
	{ "/control/feature-reboot", true },
	{ "/control/feature-suspend", true },
	{ "/control/sysrq", true },
	{ "/control/platform-feature-multiprocessor-suspend", false },
	{ "/control/platform-feature-xs_reset_watches", false },
	{ "/memory", false },
	{ "/memory/static-max", false },
	{ "/memory/target", false },
	{ "/cpu", false },
	{ "/console", false },
	{ "/device", false },
	{ "/device/suspend/event-channel", true },
	{ "/data", true },
	{ "/drivers", true },
	{ "/feature", true },
	{ "/attr", true },
	{ "/error", true },
};

static int xs_dwrite(struct xs_conn *c, const char *path, const char *val,
		     u32 domid, bool rw)
{
	struct xs_perm ro[2] = {
		{ 0, XS_PERM_NONE }, { domid, XS_PERM_READ },
	};
	struct xs_perm own = { domid, XS_PERM_NONE };
	int ret;

	ret = xs_write(c, 0, path, val, strlen(val));
	if (!ret)
		ret = rw ? xs_set_perms(c, 0, path, &own, 1) :
			   xs_set_perms(c, 0, path, ro, 2);
	return ret;
}

static void xs_dvalue(const struct xs_domain_info *di, const char *p,
		      char *buf, size_t len)
{
	if (!strcmp(p, "/vm"))
		snprintf(buf, len, "/vm/%s", di->uuid);
	else if (!strcmp(p, "/name"))
		snprintf(buf, len, "%s", di->name);
	else if (!strcmp(p, "/domid"))
		snprintf(buf, len, "%u", di->domid);
	else if (!strncmp(p, "/control/platform-feature-", 26))
		snprintf(buf, len, "1");
	else if (!strcmp(p, "/memory/target") && di->target_kb)
		snprintf(buf, len, "%llu", di->target_kb);
	else if (!strncmp(p, "/memory/", 8))
		snprintf(buf, len, "%llu", di->mem_kb);
	else
		buf[0] = '\0';
}

static int xs_domain_write_cpus(struct xs_conn *c, char *path, size_t plen,
				const struct xs_domain_info *di)
{
	u32 i;
	int ret = 0;

	for (i = 0; i < di->vcpus && !ret; i++) {
		snprintf(path, plen, "%s%u/cpu/%u/availability",
			 XS_LOCAL_DOMAIN, di->domid, i);
		ret = xs_dwrite(c, path, "online", di->domid, false);
	}
	return ret;
}

static int xs_domain_write_vm(struct xs_conn *c, char *path, size_t plen,
			      const struct xs_domain_info *di)
{
	int ret;

	snprintf(path, plen, "/vm/%s", di->uuid);
	ret = xs_dwrite(c, path, "", di->domid, false);
	snprintf(path, plen, "/vm/%s/uuid", di->uuid);
	if (!ret)
		ret = xs_dwrite(c, path, di->uuid, di->domid, false);
	snprintf(path, plen, "/vm/%s/name", di->uuid);
	if (!ret)
		ret = xs_dwrite(c, path, di->name, di->domid, false);
	return ret;
}

int xs_domain_write_nodes(struct xs_store *st,
			  const struct xs_domain_info *di)
{
	const size_t plen = 160, vlen = 96;
	char *path, *val;
	struct xs_conn *c;
	size_t i;
	int ret = -ENOMEM;

	if (!xs_domid_real(di->domid) || !di->name || !di->uuid ||
	    strlen(di->name) >= vlen || strlen(di->uuid) != 36)
		return -EINVAL;
	c = xs_conn_new(st, 0, XS_CONN_PRIV);
	path = xs_zalloc(plen);
	val = xs_zalloc(vlen);
	if (!c || !path || !val)
		goto out;
	ret = 0;
	for (i = 0; i < ARRAY_SIZE(xs_dnodes) && !ret; i++) {
		snprintf(path, plen, "%s%u%s", XS_LOCAL_DOMAIN, di->domid,
			 xs_dnodes[i].path);
		xs_dvalue(di, xs_dnodes[i].path, val, vlen);
		ret = xs_dwrite(c, path, val, di->domid, xs_dnodes[i].rw);
	}
	if (!ret)
		ret = xs_domain_write_cpus(c, path, plen, di);
	if (!ret)
		ret = xs_domain_write_vm(c, path, plen, di);
out:
	xs_free(path);
	xs_free(val);
	xs_conn_free(c);
	return ret;
}

/* Device classes whose backends live in the host (domain 0). */
static const char *const xs_backend_types[] = { "vbd", "vif", "console" };

int xs_domain_remove_nodes(struct xs_store *st, u32 domid, const char *uuid)
{
	char path[sizeof(XS_LOCAL_DOMAIN) + 48];
	struct xs_conn *c;
	int ret, ret2 = 0;
	size_t i;

	if (!xs_domid_real(domid))
		return -EINVAL;
	c = xs_conn_new(st, 0, XS_CONN_PRIV);
	if (!c)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s%u", XS_LOCAL_DOMAIN, domid);
	ret = xs_rm(c, 0, path);
	/*
	 * Its devices' backend directories in the host's tree, as libxl
	 * removes them on destroy: the backends see them go and let go.
	 */
	for (i = 0; i < ARRAY_SIZE(xs_backend_types); i++) {
		snprintf(path, sizeof(path), "%s0/backend/%s/%u",
			 XS_LOCAL_DOMAIN, xs_backend_types[i], domid);
		xs_rm(c, 0, path);	/* absent: nothing to remove */
	}
	if (uuid && strlen(uuid) == 36) {
		snprintf(path, sizeof(path), "/vm/%s", uuid);
		ret2 = xs_rm(c, 0, path);
	}
	xs_conn_free(c);
	return ret ? ret : ret2;
}
