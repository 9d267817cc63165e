// SPDX-License-Identifier: GPL-2.0
/*
 * DISKSPEC strings -> struct disk_spec, vdev names -> Xen virtual device
 * numbers, and a disk -> the xenstore nodes libxl writes for it.
 *
 * The scanner follows xl's (libxlu_disk_l.l): at the start of each
 * parameter, after any blanks, "target=" takes the rest of the string; a
 * word and a colon is a deprecated prefix, consumed alone; otherwise the
 * parameter runs to the next comma and is a flag, a key=value or, when
 * it has no '=', the next unfilled positional parameter.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diskspec.h"
#include "util.h"

#define BLANKS		" \t\n"
#define XVD_MAX_DISK	((1L << 20) - 1)
#define XVD_MAX_PART	255

enum fmt {
	FMT_UNSET,
	FMT_RAW,
	FMT_EMPTY,
};

struct dparse {
	struct disk_spec *d;
	enum fmt fmt;
	bool had_prefix;	/* after "phy:" etc. no format is positional */
	bool access_set;	/* the positional access was given */
	struct errbuf e;
};

#define fail(c, ...)	errf(&(c)->e, __VA_ARGS__)

/* Set a string parameter; an earlier empty value may be replaced. */
static int save_string(struct dparse *c, char **slot, const char *what,
		       const char *val)
{
	char *s;

	if (*slot && **slot)
		return fail(c, "%s respecified: \"%s\" after \"%s\"", what,
			    val, *slot);
	s = strdup(val);
	if (!s)
		return fail(c, "out of memory");
	free(*slot);
	*slot = s;
	return 0;
}

static int set_format(struct dparse *c, const char *val)
{
	static const char *const refused[] = { "qcow", "qcow2", "vhd", "qed" };
	enum fmt f;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(refused); i++)
		if (!strcmp(val, refused[i]))
			return fail(c,
				    "format %s is not supported by kxen (raw only)",
				    val);
	if (!*val || !strcmp(val, "raw"))
		f = FMT_RAW;
	else if (!strcmp(val, "empty"))
		f = FMT_EMPTY;
	else
		return fail(c,
			    "unknown format \"%s\" (expected raw, qcow, qcow2, vhd or qed)",
			    val);
	if (c->fmt != FMT_UNSET && c->fmt != f)
		return fail(c, "format respecified: \"%s\" after %s", val,
			    c->fmt == FMT_RAW ? "raw" : "empty");
	c->fmt = f;
	return 0;
}

/* xend's "w!" (read-write, sharing allowed) is plain read-write here. */
static int set_access(struct dparse *c, const char *val)
{
	if (!strcmp(val, "r") || !strcmp(val, "ro"))
		c->d->readonly = true;
	else if (!*val || !strcmp(val, "rw") || !strcmp(val, "w") ||
		 !strcmp(val, "w!"))
		c->d->readonly = false;
	else
		return fail(c,
			    "invalid access \"%s\" (expected ro, r, rw or w)",
			    val);
	return 0;
}

/* The deprecated "VDEV:cdrom" / "VDEV:disk" in place of devtype=. */
static int vdev_and_devtype(struct dparse *c, char *tok)
{
	char *colon = strrchr(tok, ':');

	if (strcmp(colon + 1, "cdrom") && strcmp(colon + 1, "disk"))
		return fail(c,
			    "unknown device type \"%s\" in \"%s\" (expected cdrom or disk)",
			    colon + 1, tok);
	c->d->is_cdrom = !strcmp(colon + 1, "cdrom");
	*colon = '\0';
	return save_string(c, &c->d->vdev, "vdev", tok);
}

static int take_positional(struct dparse *c, char *tok)
{
	struct disk_spec *d = c->d;

	if (!d->target)
		return save_string(c, &d->target, "target", tok);
	if (!c->had_prefix && c->fmt == FMT_UNSET) {
		/* xend's empty cdrom: ",hdc:cdrom,r" */
		if (!*d->target && strchr(tok, ':')) {
			c->fmt = FMT_EMPTY;
			return vdev_and_devtype(c, tok);
		}
		return set_format(c, tok);
	}
	if (!d->vdev) {
		if (strchr(tok, ':'))
			return vdev_and_devtype(c, tok);
		return save_string(c, &d->vdev, "vdev", tok);
	}
	if (!c->access_set) {
		c->access_set = true;
		return set_access(c, tok);
	}
	return fail(c, "too many positional parameters at \"%s\"", tok);
}

static int flag(struct dparse *c, const char *tok)
{
	struct disk_spec *d = c->d;

	if (!strcmp(tok, "cdrom"))
		d->is_cdrom = true;
	else if (!strcmp(tok, "discard"))
		d->discard = DISK_DISCARD_ON;
	else if (!strcmp(tok, "no-discard"))
		d->discard = DISK_DISCARD_OFF;
	else if (!strcmp(tok, "direct-io-safe"))
		d->direct_io_safe = true;
	else if (!strcmp(tok, "colo"))
		return fail(c, "colo is not supported by kxen (no COLO)");
	else if (strcmp(tok, "no-colo") && strcmp(tok, "trusted") &&
		 strcmp(tok, "untrusted"))
		return 0;	/* not a flag */
	return 1;
}

static bool is_key_name(const char *s, size_t len)
{
	size_t i;

	if (!len || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_')
			return false;
	return true;
}

static int key_value(struct dparse *c, char *tok, char *eq)
{
	static const char *const colo[] = {
		"colo-host", "colo-port", "colo-export", "active-disk",
		"hidden-disk",
	};
	struct disk_spec *d = c->d;
	const char *key = tok, *val = eq + 1;
	size_t i;

	*eq = '\0';
	if (!strcmp(key, "format"))
		return set_format(c, val);
	if (!strcmp(key, "access"))
		return set_access(c, val);
	if (!strcmp(key, "vdev"))
		return save_string(c, &d->vdev, "vdev", val);
	if (!strcmp(key, "devtype")) {
		if (strcmp(val, "cdrom") && strcmp(val, "disk"))
			return fail(c,
				    "unknown devtype \"%s\" (expected cdrom or disk)",
				    val);
		d->is_cdrom = !strcmp(val, "cdrom");
		return 0;
	}
	if (!strcmp(key, "backendtype")) {
		if (!strcmp(val, "phy")) {
			d->backend = DISK_BACKEND_PHY;
			return 0;
		}
		if (!strcmp(val, "tap") || !strcmp(val, "qdisk") ||
		    !strcmp(val, "standalone"))
			return fail(c,
				    "backendtype %s is not supported by kxen (phy only)",
				    val);
		return fail(c,
			    "unknown backendtype \"%s\" (expected phy, tap, qdisk or standalone)",
			    val);
	}
	if (!strcmp(key, "backend")) {
		if (!*val || !strcmp(val, "0") || !strcmp(val, "Domain-0"))
			return 0;
		return fail(c,
			    "backend %s is not supported by kxen (no driver domains)",
			    val);
	}
	if (!strcmp(key, "script")) {
		if (!*val)
			return 0;
		return fail(c,
			    "script %s is not supported by kxen (no hotplug scripts)",
			    val);
	}
	if (!strcmp(key, "specification")) {
		if (!strcmp(val, "xen"))
			return 0;
		if (!strcmp(val, "virtio"))
			return fail(c,
				    "specification virtio is not supported by kxen (xen only)");
		return fail(c,
			    "unknown specification \"%s\" (expected xen or virtio)",
			    val);
	}
	if (!strcmp(key, "grant_usage")) {
		if (!strcmp(val, "0") || !strcmp(val, "1"))
			return 0;
		return fail(c, "unknown grant_usage \"%s\" (expected 0 or 1)",
			    val);
	}
	for (i = 0; i < ARRAY_SIZE(colo); i++)
		if (!strcmp(key, colo[i]))
			return fail(c, "%s is not supported by kxen (no COLO)",
				    key);
	*eq = '=';
	if (is_key_name(key, eq - key))
		return fail(c, "unknown key \"%.*s\" in \"%s\"",
			    (int)(eq - key), key, tok);
	return fail(c,
		    "\"%s\": a positional parameter cannot contain '=' (give such a target as target=, last)",
		    tok);
}

static int parameter(struct dparse *c, char *tok)
{
	char *eq = strchr(tok, '=');
	int r;

	if (eq)
		return key_value(c, tok, eq);
	r = flag(c, tok);
	if (r)
		return r < 0 ? r : 0;
	return take_positional(c, tok);
}

/*
 * A deprecated prefix at @p ("phy:", "tap:", "raw:", ...): returns its
 * length with the colon, 0 if there is none, or -1 (error set).  As in
 * xl, an unknown word and colon is an error unless a letter or digit
 * follows it, which makes "hdc:cdrom" a vdev and not a prefix.
 */
static int depr_prefix(struct dparse *c, const char *p)
{
	static const char *const ignored[] = {
		"tapdisk", "tap", "tap2", "aio", "ioemu", "file", "phy",
	};
	static const char *const formats[] = { "raw", "qcow", "qcow2", "vhd" };
	static const char *const scripts[] = { "iscsi", "nbd", "enbd", "drbd" };
	char word[16];
	size_t len, i;
	bool had = c->had_prefix;

	if (!islower((unsigned char)p[0]))
		return 0;
	len = 1;
	while (islower((unsigned char)p[len]) || isdigit((unsigned char)p[len]))
		len++;
	if (p[len] != ':')
		return 0;
	if (len >= sizeof(word)) {
		if (isalnum((unsigned char)p[len + 1]))
			return 0;
		return fail(c, "unknown deprecated disk prefix \"%.*s:\"",
			    (int)len, p);
	}
	memcpy(word, p, len);
	word[len] = '\0';
	c->had_prefix = true;
	for (i = 0; i < ARRAY_SIZE(ignored); i++)
		if (!strcmp(word, ignored[i]))
			return len + 1;
	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if (!strcmp(word, formats[i]))
			return set_format(c, word) ? -1 : (int)len + 1;
	for (i = 0; i < ARRAY_SIZE(scripts); i++)
		if (!strcmp(word, scripts[i]))
			return fail(c,
				    "prefix %s: (script block-%s) is not supported by kxen (no hotplug scripts)",
				    word, word);
	c->had_prefix = had;
	if (isalnum((unsigned char)p[len + 1]))
		return 0;
	return fail(c, "unknown deprecated disk prefix \"%s:\"", word);
}

/* "target=": the rest of the string, less one trailing comma. */
static int target_key(struct dparse *c, const char *val)
{
	size_t len = strlen(val);
	char *s;
	int r;

	if (len && val[len - 1] == ',')
		len--;
	s = strndup(val, len);
	if (!s)
		return fail(c, "out of memory");
	r = save_string(c, &c->d->target, "target", s);
	free(s);
	return r;
}

static int scan(struct dparse *c, const char *spec)
{
	const char *p = spec;
	char *tok;
	size_t len;
	int r;

	for (;;) {
		p += strspn(p, BLANKS);
		if (!*p)
			return 0;
		if (!strncmp(p, "target=", 7))
			return target_key(c, p + 7);
		r = depr_prefix(c, p);
		if (r < 0)
			return -1;
		if (r > 0) {
			p += r;
			continue;
		}
		len = strcspn(p, ",");
		tok = strndup(p, len);
		if (!tok)
			return fail(c, "out of memory");
		r = parameter(c, tok);
		free(tok);
		if (r)
			return -1;
		p += len;
		if (*p == ',')
			p++;
	}
}

/* xl's rules after the scan (libxlu_disk.c), and the vdev's number. */
static int finish(struct dparse *c)
{
	struct disk_spec *d = c->d;
	bool no_target = !d->target || !*d->target;

	if (c->fmt == FMT_UNSET)
		c->fmt = FMT_RAW;
	if (d->is_cdrom) {
		d->removable = true;
		d->readonly = true;
		if (no_target)
			c->fmt = FMT_EMPTY;
	}
	if (!d->vdev || !*d->vdev)
		return fail(c, "no vdev specified");
	if (c->fmt == FMT_EMPTY && !d->is_cdrom)
		return fail(c, "format empty is for a cdrom drive only");
	if (no_target && !d->removable)
		return fail(c, "no target specified (and not a cdrom)");
	if (c->fmt == FMT_EMPTY && !no_target)
		return fail(c,
			    "format empty with target \"%s\" (an empty drive has none)",
			    d->target);
	if (!d->target) {
		d->target = strdup("");
		if (!d->target)
			return fail(c, "out of memory");
	}
	if (strlen(d->target) >= DISK_TARGET_MAX)
		return fail(c, "target too long (%zu bytes, at most %d)",
			    strlen(d->target), DISK_TARGET_MAX - 1);
	d->format = c->fmt == FMT_EMPTY ? DISK_FORMAT_EMPTY : DISK_FORMAT_RAW;
	d->devid = disk_vdev_number(d->vdev, c->e.buf, c->e.len);
	return d->devid < 0 ? -1 : 0;
}

int disk_spec_parse(const char *spec, struct disk_spec *d, char *err,
		    size_t errlen)
{
	struct dparse c = { .d = d, .e = { err, errlen } };

	memset(d, 0, sizeof(*d));
	if (errlen)
		err[0] = '\0';
	if (!spec[strspn(spec, BLANKS)]) {
		fail(&c, "empty disk specification");
		return -1;
	}
	if (scan(&c, spec) || finish(&c)) {
		disk_spec_free(d);
		return -1;
	}
	return 0;
}

void disk_spec_free(struct disk_spec *d)
{
	free(d->target);
	free(d->vdev);
	memset(d, 0, sizeof(*d));
}

static int vdev_fail(char *err, size_t errlen, const char *vdev,
		     const char *why)
{
	if (errlen)
		snprintf(err, errlen, "invalid virtual device \"%s\": %s",
			 vdev, why);
	return -1;
}

/*
 * "<pfx><letters>[<partition>]" with the disk index at most @max_disk and
 * the partition at most @max_part: 1 with *@disk and *@part set, 0 if
 * @vdev does not start with @pfx and a letter, -1 with @err set.
 */
static int vdev_name(const char *vdev, const char *pfx, long max_disk,
		     long max_part, long *disk, long *part, char *err,
		     size_t errlen)
{
	const char *p = vdev + strlen(pfx);
	char why[64];
	long n = -1;
	char *end;

	if (strncmp(vdev, pfx, strlen(pfx)) || !islower((unsigned char)*p))
		return 0;
	for (; islower((unsigned char)*p); p++) {
		n = (n + 1) * 26 + (*p - 'a');
		if (n > max_disk) {
			snprintf(why, sizeof(why),
				 "disk out of range (at most %ld disks)",
				 max_disk + 1);
			return vdev_fail(err, errlen, vdev, why);
		}
	}
	*disk = n;
	*part = 0;
	if (!*p)
		return 1;
	if (*p < '1' || *p > '9' || strspn(p, "0123456789") != strlen(p))
		return vdev_fail(err, errlen, vdev,
				 "bad partition (1 or more, in decimal)");
	errno = 0;
	*part = strtol(p, &end, 10);
	if (errno || *part > max_part) {
		snprintf(why, sizeof(why),
			 "partition out of range (1 to %ld)", max_part);
		return vdev_fail(err, errlen, vdev, why);
	}
	return 1;
}

static int xvd_number(long disk, long part)
{
	if (disk <= 15 && part <= 15)
		return 202 << 8 | disk << 4 | part;
	return 1 << 28 | disk << 8 | part;
}

/* "d<disk>p<partition>", both decimal: 1, 0 if not that form, -1 */
static int vdev_dp(const char *vdev, long *disk, long *part, char *err,
		   size_t errlen)
{
	const char *p = vdev + 1;
	size_t n;

	if (vdev[0] != 'd' || !isdigit((unsigned char)vdev[1]))
		return 0;
	n = strspn(p, "0123456789");
	if (p[n] != 'p' || !p[n + 1] ||
	    strspn(p + n + 1, "0123456789") != strlen(p + n + 1))
		return vdev_fail(err, errlen, vdev,
				 "expected d<disk>p<partition>, in decimal");
	if (n > 7 || strlen(p + n + 1) > 3)
		return vdev_fail(err, errlen, vdev,
				 "disk or partition out of range");
	*disk = strtol(p, NULL, 10);
	*part = strtol(p + n + 1, NULL, 10);
	if (*disk > XVD_MAX_DISK || *part > XVD_MAX_PART)
		return vdev_fail(err, errlen, vdev,
				 "disk or partition out of range");
	return 1;
}

int disk_vdev_number(const char *vdev, char *err, size_t errlen)
{
	unsigned long ul;
	long disk, part;
	char *end;
	int r;

	r = vdev_dp(vdev, &disk, &part, err, errlen);
	if (!r)
		r = vdev_name(vdev, "xvd", XVD_MAX_DISK, XVD_MAX_PART, &disk,
			      &part, err, errlen);
	if (r)
		return r < 0 ? -1 : xvd_number(disk, part);
	if (isdigit((unsigned char)vdev[0])) {
		errno = 0;
		ul = strtoul(vdev, &end, 0);
		if (errno || *end || ul > INT_MAX)
			return vdev_fail(err, errlen, vdev,
					 "not a number from 0 to 2147483647");
		return ul;
	}
	r = vdev_name(vdev, "hd", 3, 63, &disk, &part, err, errlen);
	if (r)
		return r < 0 ? -1 :
		       (disk < 2 ? 3 : 22) << 8 | (disk & 1) << 6 | part;
	r = vdev_name(vdev, "sd", 15, 15, &disk, &part, err, errlen);
	if (r)
		return r < 0 ? -1 : 8 << 8 | disk << 4 | part;
	if (!strcmp(vdev, "xvd") || !strcmp(vdev, "hd") || !strcmp(vdev, "sd"))
		return vdev_fail(err, errlen, vdev, "no disk letter");
	return vdev_fail(err, errlen, vdev,
			 "expected xvdX, hdX, sdX (X a disk letter, then an optional partition), d<disk>p<partition> or a number");
}

const char *disk_spec_backend_type(const struct disk_spec *d)
{
	(void)d;
	return "phy";
}

bool disk_spec_discard_enabled(const struct disk_spec *d)
{
	if (d->discard == DISK_DISCARD_DEFAULT)
		return !d->readonly;
	return d->discard == DISK_DISCARD_ON;
}

int disk_spec_nodes(const struct disk_spec *d, int domid, int backend_domid,
		    struct xs_node *out, int max)
{
	const char *devtype = d->is_cdrom ? "cdrom" : "disk";
	struct xs_node_list l = { .out = out, .max = max };
	struct xs_device dev;
	int bad = 0;

	if (max < DISK_NODES_MAX ||
	    xs_device_init(&dev, "vbd", domid, backend_domid, d->devid))
		return -1;

	/* libxl__device_generic_add: the frontend, then the backend */
	bad |= xs_device_frontend(&l, &dev);
	bad |= xs_node_add(&l, "virtual-device", "%d", d->devid);
	bad |= xs_node_add(&l, "device-type", "%s", devtype);

	bad |= xs_device_backend(&l, &dev);
	bad |= xs_node_add(&l, "params", "%s", d->target ? d->target : "");
	bad |= xs_node_add(&l, "frontend-id", "%d", domid);
	bad |= xs_node_add(&l, "online", "%d", 1);
	bad |= xs_node_add(&l, "removable", "%d", d->removable ? 1 : 0);
	bad |= xs_node_add(&l, "bootable", "%d", 1);
	bad |= xs_node_add(&l, "state", "%d", 1);
	bad |= xs_node_add(&l, "dev", "%s", d->vdev ? d->vdev : "");
	bad |= xs_node_add(&l, "type", "%s", disk_spec_backend_type(d));
	bad |= xs_node_add(&l, "mode", "%s", d->readonly ? "r" : "w");
	bad |= xs_node_add(&l, "device-type", "%s", devtype);
	bad |= xs_node_add(&l, "discard-enable", "%d",
		    disk_spec_discard_enabled(d) ? 1 : 0);
	return bad ? -1 : l.n;
}
