// SPDX-License-Identifier: GPL-2.0
/*
 * Paths (docs/misc/xenstore.txt): '/'-separated, ASCII alphanumerics and
 * "-/_@", no doubled or trailing slash except the root, at most
 * XENSTORE_ABS_PATH_MAX bytes; a relative path (at most
 * XENSTORE_REL_PATH_MAX bytes) is taken under /local/domain/<domid>.
 * Watch paths may instead name a special event, "@...".
 */
#include "xs_core.h"

static bool xs_path_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' ||
	       ch == '_' || ch == '@';
}

static bool xs_path_valid(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!xs_path_char_ok(p[i]))
			return false;
		if (p[i] == '/' && i + 1 < len && p[i + 1] == '/')
			return false;
	}
	/* Only the root itself ends in a slash. */
	return !(len > 1 && p[len - 1] == '/');
}

static char *xs_strdup_len(const char *s, size_t len)
{
	char *d = xs_zalloc(len + 1);

	if (d)
		memcpy(d, s, len);
	return d;
}

/* Canonical absolute path of @in for @c, in a new string at @*out. */
int xs_path_canon(const struct xs_conn *c, const char *in, bool special,
		  char **out)
{
	size_t len = strlen(in);
	char *p;
	int n;

	if (!len)
		return -EINVAL;
	if (in[0] == '@') {
		if (!special || len > XENSTORE_ABS_PATH_MAX)
			return -EINVAL;
	} else if (in[0] == '/') {
		if (len > XENSTORE_ABS_PATH_MAX || !xs_path_valid(in, len))
			return -EINVAL;
	} else {
		if (len > XENSTORE_REL_PATH_MAX || !xs_path_valid(in, len))
			return -EINVAL;
		p = xs_zalloc(sizeof(XS_LOCAL_DOMAIN) + 12 + len);
		if (!p)
			return -ENOMEM;
		n = snprintf(p, sizeof(XS_LOCAL_DOMAIN) + 12, "%s%u/",
			     XS_LOCAL_DOMAIN, c->domid);
		memcpy(p + n, in, len + 1);
		*out = p;
		return 0;
	}
	*out = xs_strdup_len(in, len);
	return *out ? 0 : -ENOMEM;
}

/* True if @child is @parent or below it (the parent of all is "/"). */
bool xs_path_is_child(const char *child, const char *parent)
{
	size_t len = strlen(parent);

	if (len == 1 && parent[0] == '/')
		return child[0] == '/';
	return !strncmp(child, parent, len) &&
	       (child[len] == '/' || child[len] == '\0');
}

/* A decimal number that fits u32: digits only, at least one. */
int xs_parse_u32(const char *s, u32 *val)
{
	u64 v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > 0xffffffffull)
			return -EINVAL;
	}
	*val = (u32)v;
	return 0;
}
