/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-domain monitor `xl-lite create` leaves behind, as xl does
 * (tools/xl/xl_vmcontrol.c): it carries out the config's on_poweroff,
 * on_reboot, on_crash, on_watchdog and on_soft_reset actions.
 */
#ifndef XL_LITE_MONITOR_H
#define XL_LITE_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "domcfg.h"

/* Where a background monitor writes: xl-NAME.log, as xl's (XEN_LOG_DIR). */
#define MONITOR_LOG_DIR		"/var/log/xen"
/* Older logs kept as xl-NAME.log.1 (newest) .. .10, as libxl keeps them. */
#define MONITOR_LOG_KEEP	10

/*
 * Restart loops are refused, as xend refused a domain "restarting too
 * fast": a restart asked for less than MONITOR_QUICK_S seconds after the
 * domain started is quick, and after MONITOR_QUICK_MAX quick restarts in a
 * row the next one is refused and the domain is left as it is.
 */
#define MONITOR_QUICK_S		10
#define MONITOR_QUICK_MAX	3

/*
 * Watch @domid until it is gone or its end is dealt with; @dc (and the
 * cfg it points into) must live as long.  Messages go to stdout.
 * Returns the exit status: 0, or 1 on an error.
 */
int monitor_run(const struct dom_config *dc, uint32_t domid);

/*
 * Run monitor_run() in a daemon (new session, stdio on the log file) and
 * return in the caller once it is detached: 0, or 1 if it could not be.
 */
int monitor_spawn(const struct dom_config *dc, uint32_t domid);

/* Build and start a domain from @dc (cmd_create.c); 0 or -1. */
int create_build(const struct dom_config *dc, bool paused, uint32_t *domid);

#endif /* XL_LITE_MONITOR_H */
