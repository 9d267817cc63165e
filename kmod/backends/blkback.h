/* SPDX-License-Identifier: GPL-2.0 */
/* The in-kernel block backend (blkback.c). */
#ifndef KXEN_BACKENDS_BLKBACK_H
#define KXEN_BACKENDS_BLKBACK_H

int kxen_blkback_init(void);
void kxen_blkback_exit(void);

#endif /* KXEN_BACKENDS_BLKBACK_H */
