// SPDX-License-Identifier: GPL-2.0
/*
 * Building lists of xenstore nodes (xsnode.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "xsnode.h"

int xs_node_add(struct xs_node_list *l, const char *name, const char *fmt,
		...)
{
	struct xs_node *e;
	va_list ap;
	int r;

	if (l->n >= l->max)
		return -1;
	e = &l->out[l->n++];
	if (name)
		r = snprintf(e->path, sizeof(e->path), "%s/%s", l->dir, name);
	else
		r = snprintf(e->path, sizeof(e->path), "%s", l->dir);
	if (r < 0 || (size_t)r >= sizeof(e->path))
		return -1;
	snprintf(e->perms, sizeof(e->perms), "%s", l->perms);
	va_start(ap, fmt);
	r = vsnprintf(e->value, sizeof(e->value), fmt, ap);
	va_end(ap);
	return r < 0 || (size_t)r >= sizeof(e->value) ? -1 : 0;
}
