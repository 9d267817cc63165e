/* SPDX-License-Identifier: GPL-2.0 */
/* The in-kernel PV console backend (console.c). */
#ifndef KXEN_BACKENDS_CONSOLE_H
#define KXEN_BACKENDS_CONSOLE_H

#include "../xen/state.h"

int kxen_pvcons_setup(struct kxen_domain *d, u64 gfn);
void kxen_pvcons_drain(struct kxen_xen_dom *xd);

#endif /* KXEN_BACKENDS_CONSOLE_H */
