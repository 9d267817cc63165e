// SPDX-License-Identifier: GPL-2.0
/*
 * __HYPERVISOR_console_io (xen/include/public/xen.h): the guest's early
 * console.  Long writes are done in chunks with a continuation, as Xen
 * does, so one call never holds the CPU for long.
 */
#include <linux/types.h>
#include <xen/interface/xen.h>

#include "hcall.h"
#include "errno.h"

#define KXEN_CONSOLE_CHUNK	128
#define KXEN_CONSOLE_PER_EXIT	4096

static long kxen_console_write(struct kxen_hcall *hc)
{
	unsigned long count = hc->args[1], buf = hc->args[2], done = 0, n;
	char chunk[KXEN_CONSOLE_CHUNK];

	while (done < count) {
		if (done >= KXEN_CONSOLE_PER_EXIT) {
			hc->args[1] = count - done;
			hc->args[2] = buf + done;
			kxen_hcall_continue(hc->v, hc);
			return 0;
		}
		n = min(count - done, sizeof(chunk));
		if (kxen_gva_read(hc->v, buf + done, chunk, n))
			return -EFAULT;
		kxen_console_put(hc->v->dom, chunk, n);
		done += n;
	}
	return 0;
}

long kxen_hc_console_io(struct kxen_hcall *hc)
{
	switch (hc->args[0]) {
	case CONSOLEIO_write:
		return kxen_console_write(hc);
	case CONSOLEIO_read:
		return 0;	/* no input on this console yet */
	default:
		return -XEN_ENOSYS;
	}
}
