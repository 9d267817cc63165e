// SPDX-License-Identifier: GPL-2.0
/*
 * vif spec strings -> struct nic_spec, and a vif -> the xenstore nodes
 * libxl writes for it.
 *
 * The scanner follows xl's (parse_nic_config() in xl_parse.c): the spec
 * is split at commas, empty pieces are skipped, each piece is a
 * key=value (split at its first '=') or a flag.  Unlike xl, a key given
 * twice is refused instead of the last one winning, and every value is
 * checked here rather than by the hotplug script that would use it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "nicspec.h"
#include "util.h"

#define BLANKS		" \t\n"

struct nparse {
	struct nic_spec *n;
	bool type_set, backend_set;
	struct errbuf e;
};

#define nfail(c, ...)	errf(&(c)->e, __VA_ARGS__)

/* A string setting, once. */
static int set_once(struct nparse *c, char **slot, const char *key,
		    const char *val)
{
	if (*slot)
		return nfail(c, "%s respecified: \"%s\" after \"%s\"", key, val,
			     *slot);
	*slot = strdup(val);
	return *slot ? 0 : nfail(c, "out of memory");
}

const char *nic_ifname_invalid(const char *name)
{
	const char *p;

	if (!*name)
		return "empty";
	if (strlen(name) > NIC_IFNAME_MAX)
		return "longer than 15 characters (Linux's IFNAMSIZ)";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "\".\" and \"..\" cannot name an interface";
	for (p = name; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) ||
		    iscntrl((unsigned char)*p))
			return "no '/', ':', blanks or control characters allowed";
	return NULL;
}

/* bridge=, vifname=, gatewaydev=: an interface name, once. */
static int set_ifname(struct nparse *c, char **slot, const char *key,
		      const char *val)
{
	const char *why = nic_ifname_invalid(val);

	if (why)
		return nfail(c, "invalid %s \"%s\": %s", key, val, why);
	return set_once(c, slot, key, val);
}

int nic_parse_mac(const char *s, uint8_t mac[NIC_MAC_LEN], char *err,
		  size_t errlen)
{
	const char *p = s;
	int i;

	for (i = 0; i < NIC_MAC_LEN; i++, p += 3) {
		if (!isxdigit((unsigned char)p[0]) ||
		    !isxdigit((unsigned char)p[1]) ||
		    p[2] != (i < NIC_MAC_LEN - 1 ? ':' : '\0'))
			break;
		mac[i] = strtoul((char[]){ p[0], p[1], '\0' }, NULL, 16);
	}
	if (i < NIC_MAC_LEN) {
		snprintf(err, errlen,
			 "invalid mac \"%s\" (expected six pairs of hex digits separated by colons, e.g. 00:16:3e:74:3d:76)",
			 s);
		return -1;
	}
	return 0;
}

void nic_format_mac(const uint8_t mac[NIC_MAC_LEN], char *out)
{
	snprintf(out, NIC_MAC_STR, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static int set_mac(struct nparse *c, const char *val)
{
	static const uint8_t zero[NIC_MAC_LEN];
	struct nic_spec *n = c->n;
	char was[NIC_MAC_STR];

	if (n->mac_given) {
		nic_format_mac(n->mac, was);
		return nfail(c, "mac respecified: \"%s\" after \"%s\"", val,
			     was);
	}
	if (nic_parse_mac(val, n->mac, c->e.buf, c->e.len))
		return -1;
	/* A guest's address must be one host's: no group bit, not zero. */
	if (n->mac[0] & 1)
		return nfail(c,
			     "mac \"%s\" is a multicast address (the lowest bit of its first byte is set)",
			     val);
	if (!memcmp(n->mac, zero, sizeof(zero)))
		return nfail(c, "mac \"%s\" is not a usable address", val);
	n->mac_given = true;
	return 0;
}

/* A decimal number from @min to @max, or -1. */
static long decimal(const char *s, long min, long max)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s) || strlen(s) > 9)
		return -1;
	v = strtol(s, &end, 10);
	return *end || v < min || v > max ? -1 : v;
}

/* One "a.b.c.d" or "a.b.c.d/N" (N 0 to 32) of @len bytes at @p. */
static bool ipv4_word(const char *p, size_t len)
{
	char word[INET_ADDRSTRLEN + 3], *slash;
	struct in_addr a;

	if (len >= sizeof(word))
		return false;
	snprintf(word, sizeof(word), "%.*s", (int)len, p);
	slash = strchr(word, '/');
	if (slash) {
		*slash++ = '\0';
		if (decimal(slash, 0, 32) < 0)
			return false;
	}
	return inet_pton(AF_INET, word, &a) == 1;
}

/* ip=: IPv4 addresses, blank-separated, as the hotplug scripts take them */
static int set_ip(struct nparse *c, const char *val)
{
	const char *p = val + strspn(val, BLANKS);
	size_t len;

	if (!*p)
		return nfail(c, "invalid ip \"%s\": no address", val);
	for (; *p; p += len, p += strspn(p, BLANKS)) {
		len = strcspn(p, BLANKS);
		if (!ipv4_word(p, len))
			return nfail(c,
				     "invalid ip \"%s\": \"%.*s\" is not an IPv4 address (a.b.c.d, optionally /0 to /32)",
				     val, (int)len, p);
	}
	return set_once(c, &c->n->ip, "ip", val);
}

/*
 * Digits as xl reads them (strtoull, base 0: a leading 0 means octal),
 * 1 to UINT32_MAX, ending at @end: the value, or 0 when invalid.
 */
static uint64_t xl_number(const char *s, const char *end)
{
	unsigned long long v;
	char *stop;

	errno = 0;
	v = strtoull(s, &stop, 0);
	if (errno || stop != end || v > UINT32_MAX)
		return 0;
	return v;
}

/* "RATE/s": *@bps the bytes per second; 0, or -1 with @err set. */
static int rate_bytes_per_sec(const char *s, uint64_t *bps, char *err,
			      size_t errlen)
{
	size_t n = strspn(s, "0123456789");
	const char *p = s + n;
	uint64_t v, mult = 1;

	if (*p == 'G' || *p == 'M' || *p == 'K') {
		mult = *p == 'G' ? 1000000000 : *p == 'M' ? 1000000 : 1000;
		p++;
	}
	if (!n || (*p != 'B' && *p != 'b') || strcmp(p + 1, "/s")) {
		snprintf(err, errlen,
			 "invalid rate \"%s\" (expected digits, an optional G, M or K, then B/s for bytes or b/s for bits, e.g. 10Mb/s)",
			 s);
		return -1;
	}
	v = xl_number(s, s + n);
	if (!v) {
		snprintf(err, errlen,
			 "invalid rate \"%s\": %.*s is not a number from 1 to 4294967295 (a leading 0 makes xl read it as octal)",
			 s, (int)n, s);
		return -1;
	}
	v *= mult;
	*bps = *p == 'b' ? v / 8 : v;
	return 0;
}

/* "INTERVAL": microseconds, or 0 with @err set. */
static uint32_t rate_interval(const char *s, char *err, size_t errlen)
{
	size_t n = strspn(s, "0123456789");
	const char *p = s + n;
	uint64_t v, mult = 1000000;

	if (*p == 'm' || *p == 'u')
		mult = *p++ == 'm' ? 1000 : 1;
	if (*p == 's')
		p++;
	if (!n || *p) {
		snprintf(err, errlen,
			 "invalid rate interval \"%s\" (expected digits and an optional unit: s, ms or us, e.g. 20ms)",
			 s);
		return 0;
	}
	v = xl_number(s, s + n) * mult;
	if (!v || v > UINT32_MAX) {
		snprintf(err, errlen,
			 "invalid rate interval \"%s\": not from 1 us to 4294967295 us (a leading 0 makes xl read it as octal)",
			 s);
		return 0;
	}
	return v;
}

int nic_parse_rate(const char *s, uint64_t *bytes, uint32_t *usecs,
		   char *err, size_t errlen)
{
	char *rate = strdup(s), *at;
	uint64_t bps;
	uint32_t us = NIC_RATE_INTERVAL_US;
	int ret = -1;

	if (!rate) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	at = strchr(rate, '@');
	if (at)
		*at++ = '\0';
	if (rate_bytes_per_sec(rate, &bps, err, errlen))
		goto out;
	if (at)
		us = rate_interval(at, err, errlen);
	if (!us)
		goto out;
	if (bps > UINT64_MAX / us) {
		snprintf(err, errlen, "invalid rate \"%s\": overflow", s);
		goto out;
	}
	/* libxl would pass on 0, a credit that lets no packet through */
	*bytes = bps * us / 1000000;
	if (!*bytes) {
		snprintf(err, errlen,
			 "invalid rate \"%s\": less than a byte every %u us",
			 s, us);
		goto out;
	}
	*usecs = us;
	ret = 0;
out:
	free(rate);
	return ret;
}

static int set_number(struct nparse *c, const char *key, const char *val)
{
	struct nic_spec *n = c->n;
	bool is_mtu = !strcmp(key, "mtu");
	long min = is_mtu ? NIC_MTU_MIN : 0;
	long max = is_mtu ? NIC_MTU_MAX : NIC_DEVID_MAX;
	long v = decimal(val, min, max);

	if (v < 0)
		return nfail(c,
			     "invalid %s \"%s\" (expected a number from %ld to %ld)",
			     key, val, min, max);
	if (is_mtu ? n->mtu_given : n->devid >= 0)
		return nfail(c, "%s respecified: \"%s\" after %d", key, val,
			     is_mtu ? (int)n->mtu : n->devid);
	if (is_mtu) {
		n->mtu = v;
		n->mtu_given = true;
	} else {
		n->devid = v;
	}
	return 0;
}

/* script=: "" is none; a relative name is under NIC_SCRIPT_DIR. */
static int set_script(struct nparse *c, const char *val)
{
	char *path;
	int r;

	if (!*val)
		return 0;
	if (val[0] == '/')
		return set_once(c, &c->n->script, "script", val);
	if (asprintf(&path, "%s/%s", NIC_SCRIPT_DIR, val) < 0)
		return nfail(c, "out of memory");
	r = set_once(c, &c->n->script, "script", path);
	free(path);
	return r;
}

static int set_rate(struct nparse *c, const char *val)
{
	struct nic_spec *n = c->n;

	if (n->rate_usecs)
		return nfail(c, "rate respecified: \"%s\"", val);
	return nic_parse_rate(val, &n->rate_bytes, &n->rate_usecs, c->e.buf,
			      c->e.len);
}

static int set_type(struct nparse *c, const char *val)
{
	if (c->type_set)
		return nfail(c, "type respecified: \"%s\"", val);
	c->type_set = true;
	if (!strcmp(val, "vif"))
		return 0;
	if (!strcmp(val, "ioemu"))
		return nfail(c,
			     "type ioemu is not supported by kxen (no emulated NICs: type=vif only)");
	return nfail(c, "unknown type \"%s\" (expected vif or ioemu)", val);
}

static int set_backend(struct nparse *c, const char *val)
{
	if (c->backend_set)
		return nfail(c, "backend respecified: \"%s\"", val);
	c->backend_set = true;
	if (!*val || !strcmp(val, "0") || !strcmp(val, "Domain-0"))
		return 0;
	return nfail(c,
		     "backend %s is not supported by kxen (no driver domains)",
		     val);
}

/* Keys xl knows that kxen has no use for: -1 (error set), else 0. */
static int refused_key(struct nparse *c, const char *key, const char *val)
{
	if (!strcmp(key, "model"))
		return nfail(c,
			     "model %s is not supported by kxen (no emulated NICs: the guest gets a PV vif)",
			     val);
	if (!strcmp(key, "accel"))
		return nfail(c,
			     "accel %s is not supported (xl ignores it too: vif acceleration is gone)",
			     val);
	if (!strcmp(key, "forwarddev") || !strncmp(key, "colo_", 5))
		return nfail(c, "%s is not supported by kxen (no COLO)", key);
	return 0;
}

static int key_value(struct nparse *c, const char *tok, char *eq)
{
	struct nic_spec *n = c->n;
	const char *key = tok, *val = eq + 1;

	*eq = '\0';
	if (!strcmp(key, "mac"))
		return set_mac(c, val);
	if (!strcmp(key, "bridge"))
		return set_ifname(c, &n->bridge, key, val);
	if (!strcmp(key, "vifname"))
		return set_ifname(c, &n->vifname, key, val);
	if (!strcmp(key, "gatewaydev") || !strcmp(key, "netdev"))
		return set_ifname(c, &n->gatewaydev, "gatewaydev", val);
	if (!strcmp(key, "ip"))
		return set_ip(c, val);
	if (!strcmp(key, "rate"))
		return set_rate(c, val);
	if (!strcmp(key, "mtu") || !strcmp(key, "devid"))
		return set_number(c, key, val);
	if (!strcmp(key, "script"))
		return set_script(c, val);
	if (!strcmp(key, "type"))
		return set_type(c, val);
	if (!strcmp(key, "backend"))
		return set_backend(c, val);
	if (refused_key(c, key, val))
		return -1;
	return nfail(c, "unknown key \"%s\" in \"%s=%s\"", key, key, val);
}

static int parameter(struct nparse *c, char *tok)
{
	char *eq = strchr(tok, '=');

	if (eq)
		return key_value(c, tok, eq);
	if (!strcmp(tok, "trusted") || !strcmp(tok, "untrusted")) {
		c->n->trusted = tok[0] == 't';
		return 0;
	}
	return nfail(c, "unknown flag \"%s\" (expected key=value, trusted or untrusted)",
		     tok);
}

static int scan(struct nparse *c, const char *spec)
{
	const char *p = spec;
	char *tok;
	size_t len;
	int r;

	for (; *p; p += *p == ',') {
		p += strspn(p, BLANKS);
		len = strcspn(p, ",");
		while (len && strchr(BLANKS, p[len - 1]))
			len--;
		if (len) {
			tok = strndup(p, len);
			if (!tok)
				return nfail(c, "out of memory");
			r = parameter(c, tok);
			free(tok);
			if (r)
				return -1;
		}
		p += strcspn(p, ",");
	}
	return 0;
}

/* libxl__device_nic_setdefault's MAC: Xen's OUI, then 23 random bits. */
static int random_mac(struct nparse *c)
{
	uint8_t r[3];

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return nfail(c, "cannot draw a random mac: %s",
			     strerror(errno));
	c->n->mac[0] = 0x00;
	c->n->mac[1] = 0x16;
	c->n->mac[2] = 0x3e;
	c->n->mac[3] = r[0] & 0x7f;
	c->n->mac[4] = r[1];
	c->n->mac[5] = r[2];
	return 0;
}

static int finish(struct nparse *c)
{
	struct nic_spec *n = c->n;

	if (n->gatewaydev && !n->script)
		return nfail(c,
			     "gatewaydev %s is for a hotplug script (vif-route, vif-nat): give script= too",
			     n->gatewaydev);
	if (!n->bridge) {
		n->bridge = strdup(NIC_DEFAULT_BRIDGE);
		if (!n->bridge)
			return nfail(c, "out of memory");
	}
	if (!n->mtu_given)
		n->mtu = NIC_DEFAULT_MTU;
	return n->mac_given ? 0 : random_mac(c);
}

int nic_spec_parse(const char *spec, struct nic_spec *n, char *err,
		   size_t errlen)
{
	struct nparse c = { .n = n, .e = { err, errlen } };

	memset(n, 0, sizeof(*n));
	n->devid = -1;
	n->trusted = true;
	if (errlen)
		err[0] = '\0';
	if (scan(&c, spec) || finish(&c)) {
		nic_spec_free(n);
		return -1;
	}
	return 0;
}

void nic_spec_free(struct nic_spec *n)
{
	free(n->bridge);
	free(n->ip);
	free(n->vifname);
	free(n->script);
	free(n->gatewaydev);
	memset(n, 0, sizeof(*n));
	n->devid = -1;
}

int nic_devname(const struct nic_spec *n, unsigned int domid, char *buf,
		size_t len)
{
	int r;

	if (n->vifname)
		r = snprintf(buf, len, "%s", n->vifname);
	else
		r = snprintf(buf, len, "vif%u.%d", domid, n->devid);
	return r < 0 || (size_t)r >= len ? -1 : 0;
}

/* The backend's optional nodes, in libxl__set_xenstore_nic's order. */
static int backend_optional(struct xs_node_list *l, const struct nic_spec *n,
			    const char *mac)
{
	int bad = 0;

	if (n->script)
		bad |= xs_node_add(l, "script", "%s", n->script);
	if (n->vifname)
		bad |= xs_node_add(l, "vifname", "%s", n->vifname);
	bad |= xs_node_add(l, "mac", "%s", mac);
	if (n->ip)
		bad |= xs_node_add(l, "ip", "%s", n->ip);
	if (n->gatewaydev)
		bad |= xs_node_add(l, "gatewaydev", "%s", n->gatewaydev);
	if (n->rate_usecs)
		bad |= xs_node_add(l, "rate", "%llu,%u",
				   (unsigned long long)n->rate_bytes,
				   n->rate_usecs);
	if (n->mtu_given)
		bad |= xs_node_add(l, "mtu", "%u", n->mtu);
	return bad;
}

int nic_spec_nodes(const struct nic_spec *n, int domid, int backend_domid,
		   struct xs_node *out, int max)
{
	struct xs_node_list l = { .out = out, .max = max };
	struct xs_device dev;
	char mac[NIC_MAC_STR];
	int bad = 0;

	if (max < NIC_NODES_MAX ||
	    xs_device_init(&dev, "vif", domid, backend_domid, n->devid))
		return -1;
	nic_format_mac(n->mac, mac);

	bad |= xs_device_frontend(&l, &dev);
	bad |= xs_node_add(&l, "handle", "%d", n->devid);
	bad |= xs_node_add(&l, "mac", "%s", mac);
	bad |= xs_node_add(&l, "trusted", "%d", n->trusted ? 1 : 0);
	/* libxl's ro_front: the guest may read its MTU, not change it */
	l.perms = dev.be_perms;
	bad |= xs_node_add(&l, "mtu", "%u", n->mtu);

	bad |= xs_device_backend(&l, &dev);
	bad |= xs_node_add(&l, "frontend-id", "%d", domid);
	bad |= xs_node_add(&l, "online", "%d", 1);
	bad |= xs_node_add(&l, "state", "%d", 1);
	bad |= backend_optional(&l, n, mac);
	bad |= xs_node_add(&l, "bridge", "%s", n->bridge);
	bad |= xs_node_add(&l, "handle", "%d", n->devid);
	bad |= xs_node_add(&l, "type", "%s", "vif");
	bad |= xs_node_add(&l, "hotplug-status", "%s", "");
	return bad ? -1 : l.n;
}
