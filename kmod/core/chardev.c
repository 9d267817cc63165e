// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/kxen: what netlink is bad at.  An open file binds to one domain,
 * then maps its RAM (for the image builder) and reads its console stream.
 */
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/module.h>

#include "kxen.h"
#include "../xen/xen.h"

struct kxen_file {
	struct mutex lock;		/* guards @dom */
	struct kxen_domain *dom;	/* NULL until KXEN_IOC_BIND_DOMAIN */
	u64 pos;			/* console read position */
};

static int kxen_fop_open(struct inode *inode, struct file *f)
{
	struct kxen_file *kf = kzalloc(sizeof(*kf), GFP_KERNEL);

	if (!kf)
		return -ENOMEM;
	mutex_init(&kf->lock);
	f->private_data = kf;
	return 0;
}

static int kxen_fop_release(struct inode *inode, struct file *f)
{
	struct kxen_file *kf = f->private_data;

	if (kf->dom)
		kxen_domain_put(kf->dom);
	kfree(kf);
	return 0;
}

static bool kxen_zero(const u64 *r, size_t n)
{
	while (n--)
		if (*r++)
			return false;
	return true;
}

static long kxen_ioc_version(void __user *uarg)
{
	struct kxen_version ver;

	if (copy_from_user(&ver, uarg, sizeof(ver)))
		return -EFAULT;
	if (ver.flags || !kxen_zero(ver.reserved, ARRAY_SIZE(ver.reserved)))
		return -EINVAL;
	ver.api_version = KXEN_API_VERSION;
	ver.caps = kxen_arch->caps;
	return copy_to_user(uarg, &ver, sizeof(ver)) ? -EFAULT : 0;
}

static long kxen_ioc_bind(struct kxen_file *kf, void __user *uarg)
{
	struct kxen_domain *d;
	struct kxen_bind b;
	long ret = 0;

	if (copy_from_user(&b, uarg, sizeof(b)))
		return -EFAULT;
	if (b.flags || !kxen_zero(b.reserved, ARRAY_SIZE(b.reserved)))
		return -EINVAL;
	d = kxen_domain_get(b.domid);
	if (!d)
		return -ESRCH;
	mutex_lock(&kf->lock);
	if (kf->dom) {
		ret = -EBUSY;
		kxen_domain_put(d);
	} else {
		kf->dom = d;
	}
	mutex_unlock(&kf->lock);
	return ret;
}

static long kxen_fop_ioctl(struct file *f, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case KXEN_IOC_GET_VERSION:
		return kxen_ioc_version(uarg);
	case KXEN_IOC_BIND_DOMAIN:
		return kxen_ioc_bind(f->private_data, uarg);
	default:
		return -ENOTTY;
	}
}

static struct kxen_domain *kxen_file_dom(struct kxen_file *kf)
{
	struct kxen_domain *d;

	mutex_lock(&kf->lock);
	d = kf->dom;
	mutex_unlock(&kf->lock);
	return d;
}

static bool kxen_console_ready(struct kxen_domain *d, u64 pos)
{
	return READ_ONCE(d->console.head) != pos ||
	       READ_ONCE(d->console.closed);
}

static ssize_t kxen_fop_read(struct file *f, char __user *ubuf, size_t len,
			     loff_t *off)
{
	struct kxen_file *kf = f->private_data;
	struct kxen_domain *d = kxen_file_dom(kf);
	char tmp[256];
	size_t n;
	int ret;

	if (!d)
		return -EINVAL;
	for (;;) {
		n = kxen_console_copy(&d->console, &kf->pos, tmp,
				      min(len, sizeof(tmp)));
		if (n)
			return copy_to_user(ubuf, tmp, n) ? -EFAULT : n;
		if (READ_ONCE(d->console.closed) || !len)
			return 0;
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(d->console.wq,
					       kxen_console_ready(d, kf->pos));
		if (ret)
			return ret;
	}
}

/* Console input for the bound domain's PV console. */
static ssize_t kxen_fop_write(struct file *f, const char __user *ubuf,
			      size_t len, loff_t *off)
{
	struct kxen_domain *d = kxen_file_dom(f->private_data);
	char tmp[256];
	size_t n = min(len, sizeof(tmp));

	if (!d)
		return -EINVAL;
	if (!len)
		return 0;
	if (copy_from_user(tmp, ubuf, n))
		return -EFAULT;
	return kxen_pvcons_input(d, tmp, n);
}

static __poll_t kxen_fop_poll(struct file *f, poll_table *wait)
{
	struct kxen_file *kf = f->private_data;
	struct kxen_domain *d = kxen_file_dom(kf);
	__poll_t mask = 0;

	if (!d)
		return EPOLLERR;
	poll_wait(f, &d->console.wq, wait);
	if (READ_ONCE(d->console.head) != kf->pos)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(d->console.closed))
		mask |= EPOLLHUP;
	return mask;
}

/* Mappings keep the domain (and so its RAM) alive until unmapped. */
static void kxen_vma_open(struct vm_area_struct *vma)
{
	struct kxen_domain *d = vma->vm_private_data;

	kref_get(&d->ref);
	atomic_inc(&d->mem.user_maps);
	/*
	 * Counted before pfns[] is read: pairs with the grace period
	 * kxen_gmem_free_released() waits before it reads the count.
	 */
	smp_mb__after_atomic();
}

static void kxen_vma_close(struct vm_area_struct *vma)
{
	struct kxen_domain *d = vma->vm_private_data;

	if (atomic_dec_and_test(&d->mem.user_maps))
		kxen_gmem_unmapped(d);
	kxen_domain_put(d);
}

/*
 * A frame that had no page when mapped: one populated on demand gets its
 * page now (the image builder writing the kernel into RAM the guest will
 * see), anything else stays a hole.
 */
static vm_fault_t kxen_vma_fault(struct vm_fault *vmf)
{
	struct kxen_domain *d = vmf->vma->vm_private_data;
	unsigned long pfn;

	if (vmf->pgoff >= d->mem.nr_pages ||
	    kxen_gmem_fill_user(d, vmf->pgoff))
		return VM_FAULT_SIGBUS;
	pfn = READ_ONCE(d->mem.pfns[vmf->pgoff]);
	if (!pfn)
		return VM_FAULT_SIGBUS;	/* given back meanwhile */
	return vmf_insert_pfn(vmf->vma, vmf->address, pfn);
}

static const struct vm_operations_struct kxen_vm_ops = {
	.open = kxen_vma_open,
	.close = kxen_vma_close,
	.fault = kxen_vma_fault,
};

static int kxen_map_range(struct vm_area_struct *vma, struct kxen_gmem *m,
			  unsigned long gfn, unsigned long nr)
{
	unsigned long i, run, pfn, uaddr = vma->vm_start;
	int ret;

	for (i = 0; i < nr; i += run) {
		/* A ballooned-out frame stays a hole in the mapping. */
		pfn = READ_ONCE(m->pfns[gfn + i]);
		if (!pfn) {
			run = 1;
			continue;
		}
		/* Map physically contiguous runs in one call. */
		for (run = 1; i + run < nr &&
		     READ_ONCE(m->pfns[gfn + i + run]) == pfn + run; run++)
			;
		ret = remap_pfn_range(vma, uaddr + (i << PAGE_SHIFT),
				      pfn, run << PAGE_SHIFT,
				      vma->vm_page_prot);
		if (ret)
			return ret;
	}
	return 0;
}

static int kxen_fop_mmap(struct file *f, struct vm_area_struct *vma)
{
	struct kxen_domain *d = kxen_file_dom(f->private_data);
	unsigned long nr = vma_pages(vma), gfn = vma->vm_pgoff;
	int ret;

	if (!d)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (gfn >= d->mem.nr_pages || nr > d->mem.nr_pages - gfn)
		return -ENXIO;
	/* Page-frame mapped, as remap_pfn_range() makes it, also for holes. */
	vma->vm_flags |= VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_ops = &kxen_vm_ops;
	vma->vm_private_data = d;
	/* Counted first: a frame ballooned meanwhile is not freed under us. */
	kxen_vma_open(vma);
	ret = kxen_map_range(vma, &d->mem, gfn, nr);
	if (ret)
		kxen_vma_close(vma);
	return ret;
}

static const struct file_operations kxen_fops = {
	.owner = THIS_MODULE,
	.open = kxen_fop_open,
	.release = kxen_fop_release,
	.unlocked_ioctl = kxen_fop_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.read = kxen_fop_read,
	.write = kxen_fop_write,
	.poll = kxen_fop_poll,
	.mmap = kxen_fop_mmap,
	.llseek = noop_llseek,
};

static struct miscdevice kxen_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kxen",
	.fops = &kxen_fops,
	.mode = 0600,
};

int kxen_chardev_init(void)
{
	int ret;

	ret = kxen_console_tty_init();
	if (ret)
		return ret;
	ret = misc_register(&kxen_miscdev);
	if (ret)
		goto err_tty;
	return 0;

err_tty:
	kxen_console_tty_exit();
	return ret;
}

void kxen_chardev_exit(void)
{
	misc_deregister(&kxen_miscdev);
	kxen_console_tty_exit();
}
