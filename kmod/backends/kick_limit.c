// SPDX-License-Identifier: GPL-2.0
/* The bound on work a guest's kicks cause; see kick_limit.h. */
#include "kick_limit.h"

unsigned long kxen_kick_after_pass(struct kxen_kick_limit *kl,
				   unsigned long now, bool idle)
{
	kl->passes++;
	if (!idle)
		return 0;
	kl->idle_passes++;
	if (kl->tick != now) {
		kl->tick = now;
		kl->idle = 0;
	}
	if (++kl->idle <= KXEN_KICK_IDLE_PER_TICK)
		return 0;
	kl->held++;
	return 1;	/* the rest of this tick */
}
