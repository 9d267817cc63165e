// SPDX-License-Identifier: GPL-2.0
/*
 * One tty per domain console, as xenconsoled gives every guest a pty: the
 * domain's console stream comes out of /dev/kxenconsN and what is written
 * to it goes into the guest's PV console ring.  N is not the domid (domids
 * run to 32751, lines are few): /sys/class/tty/kxenconsN/domid names the
 * domain, and the toolstack publishes the path where Xen keeps it
 * (console/tty in xenstore).
 *
 * Lifetime: the tty_port is refcounted on its own.  Destroying the domain
 * detaches it (no more output, writes fail with -EIO) and hangs up open
 * files; the port and its line number are freed with the last reference.
 */
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/tty_flip.h>

#include "kxen.h"
#include "../xen/xen.h"
#include "../xenstore/xenstore.h"

#define KXEN_CONSOLE_TTYS	256

struct kxen_tty {
	struct tty_port port;
	spinlock_t lock;		/* @d */
	struct kxen_domain *d;		/* NULL once the domain is destroyed */
	u32 domid;
	unsigned int index;
	struct work_struct wake;	/* input room: writers may go on */
};

static struct tty_driver *kxen_tty_driver;
static DEFINE_IDA(kxen_tty_ida);
static DEFINE_MUTEX(kxen_tty_lock);	/* kxen_ttys[] */
static struct kxen_tty *kxen_ttys[KXEN_CONSOLE_TTYS];

static struct kxen_tty *to_kt(struct tty_port *port)
{
	return container_of(port, struct kxen_tty, port);
}

static int kxen_tty_install(struct tty_driver *drv, struct tty_struct *tty)
{
	struct kxen_tty *kt;
	int ret = -ENODEV;

	mutex_lock(&kxen_tty_lock);
	kt = kxen_ttys[tty->index];
	if (kt && tty_port_get(&kt->port)) {
		ret = tty_port_install(&kt->port, drv, tty);
		if (ret)
			tty_port_put(&kt->port);
		else
			tty->driver_data = kt;
	}
	mutex_unlock(&kxen_tty_lock);
	return ret;
}

static void kxen_tty_cleanup(struct tty_struct *tty)
{
	struct kxen_tty *kt = tty->driver_data;

	tty->driver_data = NULL;
	if (kt)
		tty_port_put(&kt->port);
}

static int kxen_tty_open(struct tty_struct *tty, struct file *filp)
{
	struct kxen_tty *kt = tty->driver_data;

	return tty_port_open(&kt->port, tty, filp);
}

static void kxen_tty_close(struct tty_struct *tty, struct file *filp)
{
	struct kxen_tty *kt = tty->driver_data;

	tty_port_close(&kt->port, tty, filp);
}

static void kxen_tty_hangup(struct tty_struct *tty)
{
	struct kxen_tty *kt = tty->driver_data;

	tty_port_hangup(&kt->port);
}

/* Into the guest's input ring: what fits now; 0 makes the writer wait. */
static int kxen_tty_write(struct tty_struct *tty, const u8 *buf, int count)
{
	struct kxen_tty *kt = tty->driver_data;
	unsigned long flags;
	ssize_t n = -EIO;

	spin_lock_irqsave(&kt->lock, flags);
	if (kt->d)
		n = kxen_pvcons_input(kt->d, buf, count);
	spin_unlock_irqrestore(&kt->lock, flags);
	if (n == -EAGAIN)
		return 0;
	return n;
}

/* The ring's free space changes under the guest: claim a little, retry. */
static unsigned int kxen_tty_write_room(struct tty_struct *tty)
{
	struct kxen_tty *kt = tty->driver_data;

	return READ_ONCE(kt->d) ? 64 : 0;
}

static const struct tty_operations kxen_tty_ops = {
	.install = kxen_tty_install,
	.cleanup = kxen_tty_cleanup,
	.open = kxen_tty_open,
	.close = kxen_tty_close,
	.hangup = kxen_tty_hangup,
	.write = kxen_tty_write,
	.write_room = kxen_tty_write_room,
};

static void kxen_tty_destruct(struct tty_port *port)
{
	struct kxen_tty *kt = to_kt(port);

	cancel_work_sync(&kt->wake);
	ida_free(&kxen_tty_ida, kt->index);
	kfree(kt);
	kxen_stats_objects(-1);
}

static const struct tty_port_operations kxen_tty_port_ops = {
	.destruct = kxen_tty_destruct,
};

static ssize_t domid_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct kxen_tty *kt = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", kt->domid);
}
static DEVICE_ATTR_RO(domid);

static struct attribute *kxen_tty_attrs[] = {
	&dev_attr_domid.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kxen_tty);

/* Console output, under the console lock: only while a file has it open. */
void kxen_console_tty_put(struct kxen_domain *d, const char *s, size_t len)
{
	struct kxen_tty *kt = d->console.tty;

	if (!kt || !tty_port_initialized(&kt->port))
		return;
	tty_insert_flip_string(&kt->port, s, len);
	tty_flip_buffer_push(&kt->port);
}

static void kxen_tty_wake_work(struct work_struct *work)
{
	tty_port_tty_wakeup(&container_of(work, struct kxen_tty, wake)->port);
}

/*
 * The guest took input from its ring: a writer on an open tty may go on.
 * Called under the domain's event lock, which a line discipline writing from its
 * wakeup would take again: the wakeup runs from a work item instead.
 */
void kxen_console_tty_wakeup(struct kxen_domain *d)
{
	struct kxen_console *c = &d->console;
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	if (c->tty && tty_port_initialized(&c->tty->port))
		schedule_work(&c->tty->wake);
	spin_unlock_irqrestore(&c->lock, flags);
}

/* Where xenconsoled records the pty: ~/console/tty (xenstore-paths). */
static void kxen_console_tty_publish(struct kxen_domain *d, int index)
{
	char path[48], val[32];

	snprintf(path, sizeof(path), "/local/domain/%u/console/tty",
		 d->domid);
	snprintf(val, sizeof(val), "/dev/%s%d", kxen_tty_driver->name, index);
	if (kxen_xs_write(0, path, val))
		pr_info_ratelimited(KXEN_PR_PREFIX "d%u: cannot write %s\n",
				    d->domid, path);
}

/* A tty for a new domain; without one the console stream still works. */
void kxen_console_tty_attach(struct kxen_domain *d)
{
	struct kxen_tty *kt;
	struct device *dev;
	int index;

	kt = kzalloc(sizeof(*kt), GFP_KERNEL);
	if (!kt)
		return;
	index = ida_alloc_max(&kxen_tty_ida, KXEN_CONSOLE_TTYS - 1, GFP_KERNEL);
	if (index < 0) {
		pr_info_ratelimited(KXEN_PR_PREFIX "d%u: no console tty: all %d in use\n",
				    d->domid, KXEN_CONSOLE_TTYS);
		kfree(kt);
		return;
	}
	kxen_stats_objects(1);
	tty_port_init(&kt->port);
	kt->port.ops = &kxen_tty_port_ops;
	spin_lock_init(&kt->lock);
	INIT_WORK(&kt->wake, kxen_tty_wake_work);
	kt->d = d;
	kt->domid = d->domid;
	kt->index = index;
	mutex_lock(&kxen_tty_lock);
	kxen_ttys[index] = kt;
	mutex_unlock(&kxen_tty_lock);
	dev = tty_port_register_device_attr(&kt->port, kxen_tty_driver, index,
					    NULL, kt, kxen_tty_groups);
	if (IS_ERR(dev)) {
		mutex_lock(&kxen_tty_lock);
		kxen_ttys[index] = NULL;
		mutex_unlock(&kxen_tty_lock);
		tty_port_put(&kt->port);
		return;
	}
	spin_lock_irq(&d->console.lock);
	d->console.tty = kt;
	spin_unlock_irq(&d->console.lock);
	kxen_console_tty_publish(d, index);
}

/* The domain is going: no more output or input, open files hung up. */
void kxen_console_tty_detach(struct kxen_domain *d)
{
	struct kxen_tty *kt = d->console.tty;

	if (!kt)
		return;
	spin_lock_irq(&d->console.lock);
	d->console.tty = NULL;
	spin_unlock_irq(&d->console.lock);
	spin_lock_irq(&kt->lock);
	kt->d = NULL;
	spin_unlock_irq(&kt->lock);
	mutex_lock(&kxen_tty_lock);
	kxen_ttys[kt->index] = NULL;
	mutex_unlock(&kxen_tty_lock);
	tty_port_tty_hangup(&kt->port, false);
	tty_unregister_device(kxen_tty_driver, kt->index);
	tty_port_put(&kt->port);
}

int kxen_console_tty_init(void)
{
	struct tty_driver *drv;
	int ret;

	drv = tty_alloc_driver(KXEN_CONSOLE_TTYS, TTY_DRIVER_REAL_RAW |
			       TTY_DRIVER_DYNAMIC_DEV);
	if (IS_ERR(drv))
		return PTR_ERR(drv);
	drv->driver_name = "kxen_console";
	drv->name = "kxencons";
	drv->type = TTY_DRIVER_TYPE_SYSTEM;
	/*
	 * Raw, as xenconsoled leaves its ptys: no echo of guest output back
	 * into its input, no line editing between the user and the guest.
	 */
	drv->init_termios = tty_std_termios;
	drv->init_termios.c_iflag = 0;
	drv->init_termios.c_oflag = 0;
	drv->init_termios.c_lflag = 0;
	drv->init_termios.c_cflag = B38400 | CS8 | CREAD | HUPCL | CLOCAL;
	tty_set_operations(drv, &kxen_tty_ops);
	ret = tty_register_driver(drv);
	if (ret) {
		tty_driver_kref_put(drv);
		return ret;
	}
	kxen_tty_driver = drv;
	return 0;
}

/* Every domain is gone by now, so every line is unregistered. */
void kxen_console_tty_exit(void)
{
	tty_unregister_driver(kxen_tty_driver);
	tty_driver_kref_put(kxen_tty_driver);
}
