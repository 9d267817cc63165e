/* SPDX-License-Identifier: GPL-2.0 */
/* The guests' xenstore rings, served by the host's store (xenstore.c). */
#ifndef KXEN_BACKENDS_XENSTORE_H
#define KXEN_BACKENDS_XENSTORE_H

#include "../xen/state.h"

int kxen_xsring_setup(struct kxen_domain *d, u64 gfn);
void kxen_xsring_kick(struct kxen_xen_dom *xd);
void kxen_xsring_free(struct kxen_xen_dom *xd);

#endif /* KXEN_BACKENDS_XENSTORE_H */
