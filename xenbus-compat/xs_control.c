// SPDX-License-Identifier: GPL-2.0
/*
 * CONTROL (formerly DEBUG), the host's commands to the store.  The set is
 * implementation specific (docs/misc/xenstore.txt); these follow
 * cxenstored's names where they overlap:
 *   print|<string>|                  log the string
 *   help|                            the commands
 *   quota|[<domid>|]                 the limits (and a domain's usage)
 *   quota-set|<name>|<value>|[<domid>|]  change a limit, for all or one
 */
#include "xs_core.h"

static int xs_reply_text(struct xs_conn *c, const struct xsd_sockmsg *h,
			 u32 len)
{
	c->scratch[len] = '\0';
	return xs_queue(c, h->type, h->req_id, h->tx_id, c->scratch, len + 1);
}

static int xs_quota_report(struct xs_conn *c, const struct xsd_sockmsg *h,
			   u32 domid)
{
	char *out = (char *)c->scratch;
	const size_t room = XENSTORE_PAYLOAD_MAX - 1;
	struct xs_dom *d = NULL;
	u32 n = 0;
	int q;

	if (domid != XS_DOMID_DEFAULT) {
		d = xs_dom_find(c->st, domid);
		if (!d)
			return -ENOENT;
		n += snprintf(out + n, room - n, "nodes in use: %u\n"
			      "watches in use: %u\n", d->nodes, d->watches);
	}
	for (q = 0; q < XS_Q_COUNT; q++)
		n += snprintf(out + n, room - n, "%s: %u\n", xs_quota_name(q),
			      xs_quota_get(c->st, domid, q));
	return xs_reply_text(c, h, n);
}

static int xs_quota_cmd(struct xs_conn *c, const struct xsd_sockmsg *h,
			const char **v, int n)
{
	u32 domid = XS_DOMID_DEFAULT, val;
	int q, ret;

	if (!strcmp(v[0], "quota")) {
		if (n > 1 && xs_parse_u32(v[1], &domid))
			return -EINVAL;
		return xs_quota_report(c, h, domid);
	}
	if (n < 3 || xs_parse_u32(v[2], &val) ||
	    (n > 3 && xs_parse_u32(v[3], &domid)))
		return -EINVAL;
	for (q = 0; q < XS_Q_COUNT; q++)
		if (!strcmp(v[1], xs_quota_name(q)))
			break;
	ret = xs_quota_set(c->st, domid, q, val);
	return ret ? ret : xs_queue(c, h->type, h->req_id, h->tx_id, "OK", 3);
}

int xs_control(struct xs_conn *c, const struct xsd_sockmsg *h,
	       const char **v, int n)
{
	static const char help[] = "print\nhelp\nquota\nquota-set\n";

	if (!strcmp(v[0], "print")) {
		if (n < 2)
			return -EINVAL;
		xs_log("control: %s", v[1]);
		return xs_queue(c, h->type, h->req_id, h->tx_id, "OK", 3);
	}
	if (!strcmp(v[0], "help"))
		return xs_queue(c, h->type, h->req_id, h->tx_id, help,
				sizeof(help));
	if (!strcmp(v[0], "quota") || !strcmp(v[0], "quota-set"))
		return xs_quota_cmd(c, h, v, n);
	return -EINVAL;
}
