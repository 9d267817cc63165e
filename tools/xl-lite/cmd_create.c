// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite create: config -> PVH image -> kxen domain.
 *
 * Order, so that a failure leaves nothing behind: everything that can be
 * checked without the module (config, kernel ELF, layout) is checked
 * first; after KXEN_CMD_DOMAIN_CREATE any failure destroys the domain.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <stdint.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xen/hvm/params.h>
#include <xenstore.h>

#include "bootloader.h"
#include "bzimage.h"
#include "cfg.h"
#include "create_apply.h"
#include "devices.h"
#include "domcfg.h"
#include "layout.h"
#include "monitor.h"
#include "xl.h"

/* A file's bytes: mapped, or (an empty file) a buffer of our own. */
struct file_buf {
	void *data;
	size_t len;
	bool mapped;
};

struct image {
	void *kernel;		/* the ELF, from a bzImage or the file */
	size_t kernel_len;
	struct file_buf kfile;	/* the kernel file */
	bool is_bzimage;
	struct bzimage bz;	/* when is_bzimage (bz.elf is kernel) */
	struct file_buf rdfile;	/* the ramdisk file, if any */
	struct layout l;
	struct vcpu_pins pins;		/* cpus, cpus_soft */
};

static int op_failed(const char *op, int err, const struct kxen_ctl *ctl)
{
	report(op, err, ctl);
	return -1;
}

static void warn_msg(const char *msg)
{
	fprintf(stderr, "xl-lite: warning: %s\n", msg);
}

/*
 * @path's bytes, mapped rather than read, as libxc's image builder maps
 * a kernel and a ramdisk (xc_dom_malloc_filemap).  Reading the lab's
 * 63 MiB kernel into fresh memory cost a page fault, a cleared page and a
 * copy per page: 0.7 s of its 1.7-2.4 s create under QEMU.  Mapped, each
 * byte is copied once, from the page cache into the guest's RAM.  Read
 * only: the parsers and the image writer take it const.
 */
static int map_whole(const char *path, struct file_buf *f)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret = 0;

	memset(f, 0, sizeof(*f));
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	} else if (!st.st_size) {
		/* Nothing to map: the parsers say what is wrong with it. */
		f->data = malloc(1);
		ret = f->data ? 0 : -ENOMEM;
	} else {
		f->data = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd,
			       0);
		if (f->data == MAP_FAILED) {
			f->data = NULL;
			ret = -errno;
		} else {
			f->len = st.st_size;
			f->mapped = true;
		}
	}
	close(fd);
	return ret;
}

static void file_buf_release(struct file_buf *f)
{
	if (f->mapped)
		munmap(f->data, f->len);
	else
		free(f->data);
	memset(f, 0, sizeof(*f));
}

static int load_config(const char *path, char **vars, int nvars,
		       struct cfg *cfg, struct dom_config *dc, bool quiet)
{
	int i;

	if (!quiet)
		fprintf(stderr, "Parsing config from %s\n", path);
	if (cfg_parse_file(cfg, path))
		goto bad;
	for (i = 0; i < nvars; i++)
		if (cfg_parse(cfg, "<command line>", vars[i], strlen(vars[i])))
			goto bad;
	if (cfg->warn[0])
		warn_msg(cfg->warn);
	if (dom_config_from_cfg(cfg, dc, warn_msg))
		goto bad;
	return 0;
bad:
	fprintf(stderr, "%s\n", cfg->err);
	return -1;
}

/* Read the kernel; a bzImage is replaced by the ELF in its payload. */
static int load_kernel(const char *path, struct image *im,
		       struct elf_image *img)
{
	char err[LAYOUT_ERR_MAX];
	int ret;

	ret = map_whole(path, &im->kfile);
	if (ret) {
		fprintf(stderr, "xl-lite: kernel: %s: %s\n", path,
			strerror(-ret));
		return -1;
	}
	im->kernel = im->kfile.data;
	im->kernel_len = im->kfile.len;
	if (bzimage_detect(im->kernel, im->kernel_len)) {
		if (bzimage_unpack(im->kernel, im->kernel_len, DECOMP_MAX_OUT,
				   &im->bz, err, sizeof(err))) {
			fprintf(stderr, "xl-lite: kernel: %s: %s\n", path, err);
			return -1;
		}
		file_buf_release(&im->kfile);
		im->kernel = im->bz.elf;
		im->kernel_len = im->bz.elf_len;
		im->is_bzimage = true;
	}
	if (elf_parse(im->kernel, im->kernel_len, img, err, sizeof(err))) {
		if (im->is_bzimage)
			fprintf(stderr,
				"xl-lite: kernel: %s: the ELF in the bzImage's %s payload: %s\n",
				path, decomp_name(im->bz.fmt), err);
		else
			fprintf(stderr, "xl-lite: kernel: %s: %s\n", path, err);
		return -1;
	}
	return 0;
}

static int plan_image(const struct dom_config *dc, struct image *im)
{
	struct elf_image img;
	char err[LAYOUT_ERR_MAX];
	int ret;

	if (load_kernel(dc->kernel, im, &img))
		return -1;
	if (dc->ramdisk) {
		ret = map_whole(dc->ramdisk, &im->rdfile);
		if (ret) {
			fprintf(stderr, "xl-lite: ramdisk: %s: %s\n",
				dc->ramdisk, strerror(-ret));
			return -1;
		}
	}
	/*
	 * With maxmem above memory the guest sees maxmem of RAM and holds
	 * memory: libxl's populate-on-demand (create_domain() below).
	 */
	if (layout_plan(&im->l, &img, dc->maxmem_mib << 20, dc->max_vcpus,
			dc->cmdline, im->rdfile.len, err, sizeof(err))) {
		fprintf(stderr, "xl-lite: %s\n", err);
		return -1;
	}
	/* vCPUs above vcpus, up to maxvcpus, are there to hot-add. */
	layout_set_boot_vcpus(&im->l, dc->vcpus);
	return create_plan_affinity(dc, &im->pins);
}

/*
 * One vif as create -n shows it: what was given, and the defaults.  A
 * devid not yet chosen (network-attach -N) is "next".
 */
void print_vif(FILE *f, const struct nic_spec *n)
{
	char mac[NIC_MAC_STR], devid[16] = "next";

	if (n->devid >= 0)
		snprintf(devid, sizeof(devid), "%d", n->devid);
	nic_format_mac(n->mac, mac);
	fprintf(f, "vif: %s, mac %s, bridge %s, netdev ", devid, mac, n->bridge);
	if (n->vifname)
		fprintf(f, "%s", n->vifname);
	else if (n->devid >= 0)
		fprintf(f, "vif<domid>.%d", n->devid);
	else
		fprintf(f, "vif<domid>.<devid>");
	if (n->mtu_given)
		fprintf(f, ", mtu %u", n->mtu);
	else
		fprintf(f, ", mtu the bridge's");
	if (n->ip)
		fprintf(f, ", ip %s", n->ip);
	if (n->rate_usecs)
		fprintf(f, ", rate %llu bytes every %u us",
			(unsigned long long)n->rate_bytes, n->rate_usecs);
	fprintf(f, ", script %s", n->script ? n->script : "none");
	if (n->gatewaydev)
		fprintf(f, ", gatewaydev %s", n->gatewaydev);
	fprintf(f, "%s\n", n->trusted ? "" : ", untrusted");
}

void print_disk(FILE *f, const struct disk_spec *d)
{
	fprintf(f, "disk: %s (%d) %s, raw, %s%s\n", d->vdev, d->devid, d->target,
		d->readonly ? "ro" : "rw", d->is_cdrom ? ", cdrom" : "");
}

static void print_plan(FILE *f, const struct dom_config *dc,
		       const struct image *im)
{
	unsigned int i;

	fprintf(f, "name: %s\n", dc->name);
	fprintf(f, "vcpus: %u\n", dc->vcpus);
	if (dc->max_vcpus > dc->vcpus)
		fprintf(f, "maxvcpus: %u\n", dc->max_vcpus);
	fprintf(f, "memory_mib: %llu\n", (unsigned long long)dc->memory_mib);
	fprintf(f, "kernel: %s\n", dc->kernel);
	if (im->is_bzimage) {
		fprintf(f, "bzimage: protocol %u.%02u, %s payload",
			im->bz.version >> 8, im->bz.version & 0xff,
			decomp_name(im->bz.fmt));
		fprintf(f, " [0x%llx, +0x%llx), vmlinux 0x%zx bytes\n",
			(unsigned long long)im->bz.payload_offset,
			(unsigned long long)im->bz.payload_length,
			im->bz.elf_len);
	}
	layout_print(&im->l, dc->cmdline, f);
	fprintf(f, "on_poweroff: %s\n", dom_action_name(dc->on_poweroff));
	fprintf(f, "on_reboot: %s\n", dom_action_name(dc->on_reboot));
	fprintf(f, "on_crash: %s\n", dom_action_name(dc->on_crash));
	fprintf(f, "on_watchdog: %s\n", dom_action_name(dc->on_watchdog));
	fprintf(f, "on_soft_reset: %s\n", dom_action_name(dc->on_soft_reset));
	create_print_applied(f, dc, &im->pins);
	for (i = 0; i < dc->ndisks; i++)
		print_disk(f, &dc->disks[i]);
	for (i = 0; i < dc->nnics; i++)
		print_vif(f, &dc->nics[i]);
}

/* Bind @fd to @domid and copy the image into its RAM. */
static int fill_memory(int fd, uint32_t domid, const struct dom_config *dc,
		       const struct image *im)
{
	struct kxen_version ver;
	uint64_t len = im->l.mem_bytes;
	void *ram;
	int err;

	err = kxen_dev_version(fd, &ver);
	if (err == -EPROTO) {
		fprintf(stderr,
			"xl-lite: %s speaks API version %u, xl-lite needs %u: rebuild the module or xl-lite\n",
			KXEN_DEV_PATH, ver.api_version, KXEN_API_VERSION);
		return -1;
	}
	if (err)
		return op_failed("get version", err, NULL);
	err = kxen_dev_bind(fd, domid);
	if (err)
		return op_failed("bind", err, NULL);
	ram = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ram == MAP_FAILED)
		return op_failed("mmap guest memory", -errno, NULL);
	err = layout_write(&im->l, ram, len, im->kernel, im->kernel_len,
			   dc->cmdline, im->rdfile.data);
	munmap(ram, len);
	if (err)
		fprintf(stderr, "xl-lite: internal error writing the image\n");
	return err;
}

static int start_domain(struct kxen_ctl *ctl, uint32_t domid, int fd,
			const struct dom_config *dc, const struct image *im,
			bool paused)
{
	int err;

	if (fill_memory(fd, domid, dc, im))
		return -1;
	err = kxen_vcpu_set_boot(ctl, domid, 0, im->l.img.entry,
				 im->l.start_info);
	if (err)
		return op_failed("set boot vcpu", err, ctl);
	/* The PV console ring, in the reserved BIOS area, as xl's is in a
	 * reserved page; kxen serves it and picks its event channel.
	 */
	err = kxen_domain_set_param(ctl, domid, HVM_PARAM_CONSOLE_PFN,
				    KXEN_CONSOLE_PFN);
	if (err)
		return op_failed("set up the console", err, ctl);
	/* The xenstore ring beside it, where xl puts its own. */
	err = kxen_domain_set_param(ctl, domid, HVM_PARAM_STORE_PFN,
				    KXEN_STORE_PFN);
	if (err)
		return op_failed("set up the xenstore ring", err, ctl);
	if (create_apply(ctl, domid, dc, &im->pins))
		return -1;
	/* Devices before the guest runs, as xl: its frontends find them. */
	if (devices_add_disks(domid, dc) || devices_add_nics(domid, dc) ||
	    sched_config_apply(ctl, domid, dc))
		return -1;
	if (paused)
		return 0;
	err = kxen_domain_cmd(ctl, KXEN_CMD_DOMAIN_UNPAUSE, domid);
	if (err)
		return op_failed("unpause", err, ctl);
	return 0;
}

/*
 * As libxl__domain_build: the build's time, "SECS.CC", in the domain's
 * /vm/UUID/start_time, where uptime reads it.  Not fatal: the domain
 * runs without it, uptime then says it does not know.
 */
static void write_start_time(uint32_t domid)
{
	struct xs_handle *xs = xs_open(0);
	char *vm = NULL, path[160], val[32];
	struct timeval tv;
	bool ok = false;

	gettimeofday(&tv, NULL);
	if (xs)
		vm = devices_xs_read(xs, "/local/domain/%u/vm", domid);
	if (vm) {
		snprintf(path, sizeof(path), "%s/start_time", vm);
		snprintf(val, sizeof(val), "%lld.%02ld", (long long)tv.tv_sec,
			 (long)tv.tv_usec / 10000);
		ok = xs_write(xs, XBT_NULL, path, val, strlen(val));
	}
	if (!ok)
		fprintf(stderr, "xl-lite: warning: domain %u: %s: no start_time for uptime\n",
			domid, !xs ? "no xenstore" : !vm ? "no ~/vm" :
			"cannot write it");
	free(vm);
	if (xs)
		xs_close(xs);
}

/* What xl.cfg accepts is what the module takes (uapi kxen.h). */
static_assert(DOMCFG_MAX_GRANT_FRAMES == KXEN_MAX_GRANT_FRAMES, "frames");
static_assert(DOMCFG_MAX_EVENT_CHANNELS == KXEN_MAX_EVTCHN_PORT, "ports");

/*
 * The module's create flags.  nestedhvm on a host whose kxen offers no
 * nested virtualization starts the guest without it, with a warning, as
 * it ran before the key was known.
 */
static uint32_t create_flags(int fd, const struct dom_config *dc)
{
	uint32_t flags = dc->debug_port ? KXEN_DOMAIN_F_DEBUG_PORT : 0;
	struct kxen_version ver;

	if (!dc->nestedhvm)
		return flags;
	if (!kxen_dev_version(fd, &ver) &&
	    !(ver.caps & (KXEN_CAP_NESTED_SVM | KXEN_CAP_NESTED_VMX))) {
		warn_msg("nestedhvm: this kxen offers no nested virtualization: ignored");
		return flags;
	}
	return flags | KXEN_DOMAIN_F_NESTED_HVM;
}

static int create_domain(const struct dom_config *dc, const struct image *im,
			 bool paused, uint32_t *domid)
{
	/*
	 * libxl's domain_make: xl's uuid (xl makes one when it is not set,
	 * the module here), max_grant_frames (else the module's 64, xl.conf's
	 * default) and event_channels (else libxl's 1023).
	 */
	struct kxen_create_opts opts = {
		.uuid = dc->uuid_given ? dc->uuid : NULL,
		.max_grant_frames = dc->max_grant_frames,
		.max_evtchn_port = dc->max_event_channels ?:
				   DOMCFG_DEFAULT_EVENT_CHANNELS,
	};
	struct kxen_ctl ctl;
	int fd, err, ret = -1;

	if (devices_check_disks(dc) || ctl_open_or_report(&ctl))
		return -1;
	fd = kxen_dev_open();
	if (fd < 0) {
		if (fd == -ENOENT)
			fprintf(stderr, "xl-lite: %s: %s\n", KXEN_DEV_PATH,
				KXEN_NOT_LOADED_HINT);
		else
			report(KXEN_DEV_PATH, fd, NULL);
		goto out_ctl;
	}
	if (dc->maxmem_mib > dc->memory_mib)
		opts.max_mem_kb = dc->memory_mib << 10;
	err = kxen_domain_create_opts(&ctl, dc->name, dc->maxmem_mib << 10,
				      dc->max_vcpus, create_flags(fd, dc),
				      &opts, domid);
	if (err) {
		report("create", err, &ctl);
		goto out_fd;
	}
	write_start_time(*domid);
	if (start_domain(&ctl, *domid, fd, dc, im, paused)) {
		devices_release_nics(*domid);
		err = kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_DESTROY, *domid);
		if (err)
			report("destroy after failed create", err, &ctl);
		goto out_fd;
	}
	ret = 0;
out_fd:
	close(fd);
out_ctl:
	kxen_ctl_close(&ctl);
	return ret;
}

static void image_free(struct image *im)
{
	if (im->is_bzimage)
		free(im->bz.elf);
	file_buf_release(&im->kfile);
	file_buf_release(&im->rdfile);
	create_pins_free(&im->pins);
	memset(im, 0, sizeof(*im));
}

/*
 * @dc as it boots, in @bdc: with a bootloader, the kernel, ramdisk and
 * command line it chose from the guest's disk (files in @r's directory,
 * until boot_free), as libxl takes them; else @dc as it is.  0 or -1.
 */
static int boot_config(const struct dom_config *dc, struct dom_config *bdc,
		       struct boot_result *r)
{
	*bdc = *dc;
	memset(r, 0, sizeof(*r));
	if (!dc->bootloader)
		return 0;
	if (boot_run(dc, r))
		return -1;
	bdc->kernel = r->kernel;
	bdc->ramdisk = r->ramdisk;
	bdc->cmdline = r->args ? r->args : "";
	return 0;
}

/*
 * Read the kernel and ramdisk, build and start the domain.  The monitor
 * calls this again on restart, so the files are read afresh (and the
 * bootloader runs again), as xl does.  With @show, what would be built is
 * printed there first (-n: stdout; -d: stderr); without @create, that is
 * all (the dry run).
 */
static int build_shown(const struct dom_config *dc, FILE *show, bool create,
		       bool paused, uint32_t *domid)
{
	struct boot_result r;
	struct dom_config bdc;
	struct image im = { 0 };
	int ret = -1;

	if (!boot_config(dc, &bdc, &r) && !plan_image(&bdc, &im)) {
		if (show && dc->bootloader)
			fprintf(show, "bootloader: %s chose kernel %s%s%s\n",
				dc->bootloader, r.kernel,
				r.ramdisk ? ", ramdisk " : "",
				r.ramdisk ? r.ramdisk : "");
		if (show)
			print_plan(show, &bdc, &im);
		ret = create ? create_domain(&bdc, &im, paused, domid) : 0;
	}
	image_free(&im);
	boot_free(&r);
	return ret;
}

int create_build(const struct dom_config *dc, bool paused, uint32_t *domid)
{
	return build_shown(dc, NULL, true, paused, domid);
}

struct create_opts {
	bool paused, console, dry, quiet;
	bool debug;		/* -d: the plan on stderr, as xl's config */
	bool vnc;		/* -V or -A: a VNC viewer asked for */
	bool foreground;	/* -F: the monitor runs in this process */
	bool no_monitor;	/* -e: no monitor at all */
	const char *config;	/* -f FILE, else the first argument */
};

/* Foreground monitor and console together: the console in a child. */
static int monitor_here(const struct dom_config *dc, uint32_t domid,
			bool console)
{
	pid_t pid = -1;
	int ret;

	if (console) {
		fflush(NULL);
		pid = fork();
		if (pid == 0)
			exit(console_attach(domid, dc->name));
		if (pid < 0)
			perror("xl-lite: fork the console");
	}
	ret = monitor_run(dc, domid);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return ret;
}

/* After the domain is built: the monitor (xl's -F/-e) and the console. */
static int after_create(const struct dom_config *dc, uint32_t domid,
			const struct create_opts *o)
{
	/* xl starts a viewer that finds none; the domain stays, as there. */
	if (o->vnc)
		fprintf(stderr, "xl-lite: create: -V: %s has no VNC display %s\n",
			dc->name, "(a PVH guest has no device model)");
	if (o->foreground)
		return monitor_here(dc, domid, o->console);
	if (!o->no_monitor && monitor_spawn(dc, domid))
		return 1;
	return o->console ? console_attach(domid, dc->name) : 0;
}

static void create_option(struct create_opts *o, int opt)
{
	if (opt == 'p')
		o->paused = true;
	else if (opt == 'c')
		o->console = true;
	else if (opt == 'n')
		o->dry = true;
	else if (opt == 'F')
		o->foreground = true;
	else if (opt == 'e')
		o->no_monitor = true;
	else if (opt == 'q')
		o->quiet = true;
	else if (opt == 'd')
		o->debug = true;
	else if (opt == 'V' || opt == 'A')
		o->vnc = true;
	else if (opt == 'f')
		o->config = optarg;
}

int main_create(int argc, char **argv)
{
	struct create_opts o = { .dry = xl_opts.dryrun };
	struct dom_config dc;
	struct cfg cfg;
	uint32_t domid;
	int opt, ret = 1;

	while ((opt = cmd_getopt(argc, argv, "create")) != -1)
		create_option(&o, opt);
	if (o.foreground && o.no_monitor) {
		fprintf(stderr, "xl-lite create: -F and -e exclude each other\n");
		return 2;
	}
	if (!o.config && optind >= argc)
		return cmd_missing("create");
	if (!o.config)
		o.config = argv[optind++];
	cfg_init(&cfg);
	if (load_config(o.config, argv + optind, argc - optind, &cfg, &dc,
			o.quiet))
		goto out_cfg;
	if (o.dry)
		ret = build_shown(&dc, stdout, false, false, NULL) ? 1 : 0;
	else if (!build_shown(&dc, o.debug ? stderr : NULL, true, o.paused,
			      &domid))
		ret = after_create(&dc, domid, &o);
	dom_config_free(&dc);
out_cfg:
	cfg_free(&cfg);
	return ret;
}
