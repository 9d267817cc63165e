// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/xenbus: the store's wire protocol (io/xs_wire.h) as a byte
 * stream, for host tools (libxenstore opens this device when it finds
 * it, or the path in XENSTORED_PATH).  Each open file is one connection
 * of the privileged host (domain 0): write() feeds requests, read()
 * returns replies and watch events.  A request the core rejects as
 * malformed closes this file's connection only: then write() fails
 * with EPIPE and read() sees end of file.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "xenstore.h"

/* Bytes moved per step: one whole message fits. */
#define KXEN_XENBUS_CHUNK	(sizeof(struct xsd_sockmsg) + \
				 XENSTORE_PAYLOAD_MAX)

struct kxen_xenbus_file {
	struct xs_conn *c;		/* under kxen_xs_lock() */
	wait_queue_head_t wq;
	bool ready;			/* output queued, or closed */
};

/* The core queued output (store lock held): wake readers. */
static void kxen_xenbus_notify(struct xs_conn *c, void *arg)
{
	struct kxen_xenbus_file *f = arg;

	WRITE_ONCE(f->ready, true);
	wake_up_interruptible(&f->wq);
}

static int kxen_xenbus_open(struct inode *inode, struct file *file)
{
	struct kxen_xenbus_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	init_waitqueue_head(&f->wq);
	kxen_xs_lock();
	f->c = xs_conn_new(kxen_xs_store(), 0, XS_CONN_PRIV);
	if (f->c)
		xs_conn_set_notify(f->c, kxen_xenbus_notify, f);
	kxen_xs_unlock();
	if (!f->c) {
		kfree(f);
		return -ENOMEM;
	}
	file->private_data = f;
	return stream_open(inode, file);
}

static int kxen_xenbus_release(struct inode *inode, struct file *file)
{
	struct kxen_xenbus_file *f = file->private_data;

	kxen_xs_lock();
	xs_conn_free(f->c);	/* its watches and transactions too */
	kxen_xs_unlock();
	kfree(f);
	return 0;
}

static ssize_t kxen_xenbus_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct kxen_xenbus_file *f = file->private_data;
	size_t n = min_t(size_t, len, KXEN_XENBUS_CHUNK);
	void *buf;
	long ret;

	if (!len)
		return 0;
	buf = memdup_user(ubuf, n);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	kxen_xs_lock();
	ret = xs_conn_input(f->c, buf, n);
	kxen_xs_unlock();
	kfree(buf);
	return ret;
}

/* Some output, or end of file once the connection is closed. */
static ssize_t kxen_xenbus_take(struct kxen_xenbus_file *f, void *buf,
				size_t len)
{
	size_t n;

	kxen_xs_lock();
	n = xs_conn_output(f->c, buf, len);
	WRITE_ONCE(f->ready, xs_conn_output_pending(f->c) ||
		   xs_conn_closed(f->c));
	if (!n && !xs_conn_closed(f->c)) {
		kxen_xs_unlock();
		return -EAGAIN;
	}
	kxen_xs_unlock();
	return n;
}

static ssize_t kxen_xenbus_read(struct file *file, char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct kxen_xenbus_file *f = file->private_data;
	size_t n = min_t(size_t, len, KXEN_XENBUS_CHUNK);
	ssize_t ret;
	void *buf;

	if (!len)
		return 0;
	buf = kmalloc(n, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ret = kxen_xenbus_take(f, buf, n);
		if (ret != -EAGAIN || (file->f_flags & O_NONBLOCK))
			break;
		ret = wait_event_interruptible(f->wq, READ_ONCE(f->ready));
		if (ret)
			break;
	}
	if (ret > 0 && copy_to_user(ubuf, buf, ret))
		ret = -EFAULT;
	kfree(buf);
	return ret;
}

static __poll_t kxen_xenbus_poll(struct file *file, poll_table *wait)
{
	struct kxen_xenbus_file *f = file->private_data;

	poll_wait(file, &f->wq, wait);
	return EPOLLOUT | EPOLLWRNORM |
	       (READ_ONCE(f->ready) ? EPOLLIN | EPOLLRDNORM : 0);
}

static const struct file_operations kxen_xenbus_fops = {
	.owner = THIS_MODULE,
	.open = kxen_xenbus_open,
	.release = kxen_xenbus_release,
	.read = kxen_xenbus_read,
	.write = kxen_xenbus_write,
	.poll = kxen_xenbus_poll,
	.llseek = no_llseek,
};

/* The name Linux's own xenbus device has: devtmpfs makes the directory. */
static struct miscdevice kxen_xenbus_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/xenbus",
	.fops = &kxen_xenbus_fops,
	.mode = 0600,
};

static bool kxen_xenbus_registered;

/*
 * A host that itself runs on Xen has Linux's own /dev/xen/xenbus: the
 * store then works for guests and in-kernel users without the device.
 */
int kxen_xenbus_dev_init(void)
{
	int ret = misc_register(&kxen_xenbus_dev);

	if (ret) {
		pr_warn("kxen: /dev/xen/xenbus not registered (%d)\n", ret);
		return 0;
	}
	kxen_xenbus_registered = true;
	return 0;
}

void kxen_xenbus_dev_exit(void)
{
	if (kxen_xenbus_registered)
		misc_deregister(&kxen_xenbus_dev);
	kxen_xenbus_registered = false;
}
