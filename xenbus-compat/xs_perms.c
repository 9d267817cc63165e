// SPDX-License-Identifier: GPL-2.0
/*
 * Permissions (docs/misc/xenstore.txt, GET_PERMS/SET_PERMS): a list of
 * "<n|r|w|b><domid>" entries.  The first names the owner, who may do
 * everything, and its letter is what every domain not listed gets.  The
 * host (a privileged connection) may do everything.  A domain that
 * SET_TARGET gave a target acts as that target too: it owns the target's
 * nodes and gets the target's entries where it has none of its own.
 */
#include "xs_core.h"

u32 xs_perm_for(struct xs_store *st, const struct xs_conn *c,
		const struct xs_perm *p, u32 n)
{
	const u32 all = XS_PERM_BOTH | XS_PERM_OWNER;
	struct xs_dom *d;
	u32 target, i;

	if (c->priv)
		return all;
	d = xs_dom_find(st, c->domid);
	target = d ? d->target : XS_DOMID_NONE;
	if (p[0].domid == c->domid ||
	    (target != XS_DOMID_NONE && p[0].domid == target))
		return all;
	for (i = 1; i < n; i++)
		if (p[i].domid == c->domid)
			return p[i].perm;
	if (target != XS_DOMID_NONE)
		for (i = 1; i < n; i++)
			if (p[i].domid == target)
				return p[i].perm;
	return p[0].perm;
}

static int xs_perm_letter(char ch)
{
	switch (ch) {
	case 'n':
		return XS_PERM_NONE;
	case 'r':
		return XS_PERM_READ;
	case 'w':
		return XS_PERM_WRITE;
	case 'b':
		return XS_PERM_BOTH;
	}
	return -EINVAL;
}

int xs_perms_parse(const char *const *strs, u32 n, struct xs_perm **out)
{
	struct xs_perm *p;
	u32 i;
	int perm;

	if (!n)
		return -EINVAL;
	p = xs_zalloc(n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		perm = xs_perm_letter(strs[i][0]);
		if (perm < 0 || xs_parse_u32(strs[i] + 1, &p[i].domid)) {
			xs_free(p);
			return -EINVAL;
		}
		p[i].perm = perm;
	}
	*out = p;
	return 0;
}

/* "<letter><domid>" and its NUL into @buf; returns the length with it. */
int xs_perm_format(const struct xs_perm *p, char *buf, size_t len)
{
	static const char letters[] = "nrwb";
	int n = snprintf(buf, len, "%c%u", letters[p->perm & XS_PERM_BOTH],
			 p->domid);

	return n < 0 || (size_t)n >= len ? -E2BIG : n + 1;
}

int xs_special_index(const char *path)
{
	if (!strcmp(path, XS_SPECIAL_INTRODUCE))
		return 0;
	if (!strcmp(path, XS_SPECIAL_RELEASE))
		return 1;
	return -1;
}
