// SPDX-License-Identifier: GPL-2.0
/* Backend rings' worker threads; see be_worker.h. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <uapi/linux/sched/types.h>

#include "../core/kxen.h"
#include "be_worker.h"

struct kthread_worker *kxen_be_worker_create(const char *fmt, ...)
{
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = SCHED_BATCH,
	};
	struct kthread_worker *w;
	char name[TASK_COMM_LEN];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	w = kthread_create_worker(0, "%s", name);
	if (IS_ERR(w))
		return w;
	ret = sched_setattr_nocheck(w->task, &attr);
	if (ret) {
		/* Still a working thread: only its wake-ups differ. */
		pr_warn_once(KXEN_PR_PREFIX "backend worker %s: SCHED_BATCH refused (%d)\n",
			     name, ret);
	}
	return w;
}
