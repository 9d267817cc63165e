// SPDX-License-Identifier: GPL-2.0
/*
 * A domain's console stream: what the guest writes through console_io (and
 * the debug port when allowed) kept in a ring that /dev/kxen readers follow
 * at their own pace.  A reader that falls more than the ring behind skips
 * to the oldest byte still held.  Complete lines are also mirrored to the
 * kernel log, prefixed with the domid, rate-limited.
 */
#include <linux/slab.h>
#include <linux/ratelimit.h>

#include "kxen.h"

int kxen_console_init(struct kxen_console *c)
{
	spin_lock_init(&c->lock);
	init_waitqueue_head(&c->wq);
	c->buf = kxen_fault_inject() ? NULL :
		 kzalloc(KXEN_CONSOLE_SIZE, GFP_KERNEL);
	if (!c->buf)
		return -ENOMEM;
	kxen_stats_objects(1);
	return 0;
}

void kxen_console_free(struct kxen_console *c)
{
	if (!c->buf)
		return;
	kfree(c->buf);
	c->buf = NULL;
	kxen_stats_objects(-1);
}

static void kxen_console_mirror(struct kxen_domain *d, char ch)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 50);
	struct kxen_console *c = &d->console;

	if (ch != '\n' && c->line_len < sizeof(c->line) - 1) {
		if (ch >= 0x20 && ch < 0x7f)
			c->line[c->line_len++] = ch;
		return;
	}
	c->line[c->line_len] = '\0';
	if (__ratelimit(&rs))
		pr_info(KXEN_PR_PREFIX "d%u: %s\n", d->domid, c->line);
	c->line_len = 0;
}

void kxen_console_put(struct kxen_domain *d, const char *s, size_t len)
{
	struct kxen_console *c = &d->console;
	unsigned long flags;
	size_t i;

	spin_lock_irqsave(&c->lock, flags);
	for (i = 0; i < len; i++) {
		c->buf[c->head++ & (KXEN_CONSOLE_SIZE - 1)] = s[i];
		kxen_console_mirror(d, s[i]);
	}
	kxen_console_tty_put(d, s, len);
	spin_unlock_irqrestore(&c->lock, flags);
	wake_up_interruptible(&c->wq);
}

/*
 * Port 0xe9, as Xen's HVM debug port: lines go to the kernel log, and into
 * the console stream only for domains created with KXEN_DOMAIN_F_DEBUG_PORT
 * (test guests print to both, and would otherwise be read twice).
 */
void kxen_debug_port_put(struct kxen_domain *d, char ch)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 50);
	struct kxen_console *c = &d->console;
	unsigned long flags;

	if (d->flags & KXEN_DOMAIN_F_DEBUG_PORT) {
		kxen_console_put(d, &ch, 1);
		return;
	}
	spin_lock_irqsave(&c->lock, flags);
	if (ch != '\n' && c->e9_len < sizeof(c->e9_line) - 1) {
		if (ch >= 0x20 && ch < 0x7f)
			c->e9_line[c->e9_len++] = ch;
	} else {
		c->e9_line[c->e9_len] = '\0';
		if (__ratelimit(&rs))
			pr_info(KXEN_PR_PREFIX "d%u: e9: %s\n", d->domid,
				c->e9_line);
		c->e9_len = 0;
	}
	spin_unlock_irqrestore(&c->lock, flags);
}

void kxen_console_close(struct kxen_console *c)
{
	spin_lock_irq(&c->lock);
	c->closed = true;
	spin_unlock_irq(&c->lock);
	wake_up_interruptible(&c->wq);
}

/* Copy what is new since *pos into dst; returns the bytes copied. */
size_t kxen_console_copy(struct kxen_console *c, u64 *pos, char *dst,
			 size_t len)
{
	size_t n = 0;

	spin_lock_irq(&c->lock);
	if (c->head - *pos > KXEN_CONSOLE_SIZE)
		*pos = c->head - KXEN_CONSOLE_SIZE;
	while (n < len && *pos < c->head)
		dst[n++] = c->buf[(*pos)++ & (KXEN_CONSOLE_SIZE - 1)];
	spin_unlock_irq(&c->lock);
	return n;
}
