/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kxen user/kernel contract: the generic netlink family "kxen" and the
 * /dev/kxen character device.  This header is the only interface between
 * the module and its tools; it is versioned by KXEN_API_VERSION and the
 * capability bitmask reported by KXEN_CMD_GET_INFO and KXEN_IOC_GET_VERSION.
 *
 * Rules every command follows:
 *  - reserved fields and unknown flag bits must be zero, else -EINVAL;
 *  - attributes are validated by a strict policy, unknown ones rejected;
 *  - a domid that names no live domain gives -ESRCH.
 */
#ifndef _UAPI_LINUX_KXEN_H
#define _UAPI_LINUX_KXEN_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/const.h>

#define KXEN_API_VERSION	1

/* ---- capabilities (KXEN_A_CAPS, kxen_version.caps) ---- */
#define KXEN_CAP_VMX		_BITULL(0)	/* Intel VT-x backend active */
#define KXEN_CAP_SVM		_BITULL(1)	/* AMD-V backend active */
#define KXEN_CAP_HAP_2M		_BITULL(2)	/* 2 MiB second-level pages */
#define KXEN_CAP_PVH		_BITULL(3)	/* PVH boot of an HVM container */
#define KXEN_CAP_CONSOLE_IO	_BITULL(4)	/* console_io stream via read() */
#define KXEN_CAP_STATS		_BITULL(5)	/* KXEN_A_STATS live counters */
#define KXEN_CAP_NESTED_SVM	_BITULL(6)	/* KXEN_DOMAIN_F_NESTED_HVM */
#define KXEN_CAP_NESTED_VMX	_BITULL(7)	/* the same, on VT-x */

/*
 * The Xen that kxen presents itself as to guests (XENVER_version,
 * XENVER_extraversion, XENVER_capabilities, XENVER_compile_info's
 * compiler, CPUID leaf 1), and that xl-lite info reports.
 */
#define KXEN_XEN_MAJOR		4
#define KXEN_XEN_MINOR		17
#define KXEN_XEN_EXTRA		".0-kxen"
#define KXEN_XEN_CAPS		"hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64"
#define KXEN_XEN_COMPILER	"gcc"

/* ---- generic netlink ---- */
#define KXEN_GENL_NAME		"kxen"
#define KXEN_GENL_VERSION	1
#define KXEN_GENL_MCGRP_EVENTS	"events"

#define KXEN_NAME_MAX		64	/* including the terminating NUL */
#define KXEN_MAX_VCPUS		128

enum kxen_cmd {
	KXEN_CMD_UNSPEC,
	/* -> API_VERSION, CAPS, VENDOR, STATS, MITIGATIONS */
	KXEN_CMD_GET_INFO,
	KXEN_CMD_DOMAIN_CREATE,		/* NAME, MEM_KB, VCPUS, [FLAGS], [UUID],
					 * [MAX_GRANT_FRAMES],
					 * [MAX_EVTCHN_PORT] -> DOMID
					 */
	KXEN_CMD_DOMAIN_DESTROY,	/* DOMID */
	KXEN_CMD_DOMAIN_PAUSE,		/* DOMID */
	KXEN_CMD_DOMAIN_UNPAUSE,	/* DOMID */
	KXEN_CMD_DOMAIN_SHUTDOWN,	/* DOMID, SHUTDOWN_REASON: record + stop */
	KXEN_CMD_DOMAIN_GET,		/* doit: DOMID; dumpit: every domain */
	KXEN_CMD_VCPU_SET_BOOT,		/* DOMID, VCPU, ENTRY, START_INFO */
	KXEN_CMD_EVENT,			/* multicast: DOMID, STATE, [REASON] */
	KXEN_CMD_DOMAIN_SET_PARAM,	/* DOMID, PARAM_INDEX, PARAM_VALUE */
	KXEN_CMD_VCPU_GET,		/* DOMID -> VCPU_INFO, one per vCPU */
	KXEN_CMD_VCPU_SET_AFFINITY,	/* DOMID, VCPU, [CPUMAP], [CPUMAP_SOFT] */
	KXEN_CMD_DOMAIN_SET_MAX_MEM,	/* DOMID, MAX_MEM_KB */
	KXEN_CMD_DOMAIN_RENAME,		/* DOMID, NAME */
	KXEN_CMD_DOMAIN_SET_SCHED,	/* DOMID, [SCHED_WEIGHT], [SCHED_CAP] */
	__KXEN_CMD_MAX,
};

#define KXEN_CMD_MAX (__KXEN_CMD_MAX - 1)

enum kxen_attr {
	KXEN_A_UNSPEC,
	KXEN_A_API_VERSION,	/* u32 */
	KXEN_A_CAPS,		/* u64 */
	KXEN_A_VENDOR,		/* string: "vmx" or "svm" */
	KXEN_A_DOMID,		/* u32 */
	KXEN_A_NAME,		/* string, < KXEN_NAME_MAX */
	KXEN_A_MEM_KB,		/* u64, multiple of 4 */
	KXEN_A_VCPUS,		/* u32, 1..KXEN_MAX_VCPUS */
	KXEN_A_FLAGS,		/* u32, KXEN_DOMAIN_F_* */
	KXEN_A_STATE,		/* u32, enum kxen_domain_state */
	KXEN_A_SHUTDOWN_REASON,	/* u32, Xen SHUTDOWN_* (sched.h) */
	KXEN_A_CPU_TIME_NS,	/* u64, summed over vCPUs */
	KXEN_A_VCPU,		/* u32, vCPU id */
	KXEN_A_ENTRY,		/* u64, PVH entry (32-bit flat, paging off) */
	KXEN_A_START_INFO,	/* u64, GPA of hvm_start_info, put in %ebx */
	KXEN_A_STATS,		/* nested, enum kxen_stat */
	KXEN_A_HCALL_UNKNOWN,	/* u64, hypercalls answered -ENOSYS */
	KXEN_A_CRASH_REASON,	/* string, why the domain was crashed */
	KXEN_A_UUID,		/* binary, 16 bytes */
	KXEN_A_PAD,
	KXEN_A_PARAM_INDEX,	/* u32, HVM_PARAM_* (xen hvm/params.h) */
	KXEN_A_PARAM_VALUE,	/* u64 */
	KXEN_A_MAX_MEM_KB,	/* u64, multiple of 4: XEN_DOMCTL_max_mem */
	KXEN_A_CUR_MEM_KB,	/* u64, what the domain holds now */
	KXEN_A_VCPU_INFO,	/* nested: per vCPU, type id + 1, a nest */
	KXEN_A_CPUMAP,		/* binary, a host CPU set: see below */
	KXEN_A_SCHED_WEIGHT,	/* u32, KXEN_SCHED_WEIGHT_MIN..MAX */
	KXEN_A_SCHED_CAP,	/* u32, % of one CPU, 0: none */
	KXEN_A_MITIGATIONS,	/* u64, KXEN_MIT_*, in GET_INFO's reply */
	KXEN_A_MAX_GRANT_FRAMES, /* u32, 1..KXEN_MAX_GRANT_FRAMES */
	KXEN_A_MAX_EVTCHN_PORT,	/* u32, 1..KXEN_MAX_EVTCHN_PORT */
	KXEN_A_VBD_STATS,	/* nested, enum kxen_vbd_stat */
	KXEN_A_VCPUS_ONLINE,	/* u32, of KXEN_A_VCPUS: not down, as Xen's */
	KXEN_A_CPUMAP_SOFT,	/* binary, a host CPU set: the soft affinity */
	__KXEN_A_MAX,
};

#define KXEN_A_MAX (__KXEN_A_MAX - 1)

/*
 * The speculative-execution mitigations kxen applies around guest entry
 * and exit (KXEN_A_MITIGATIONS), each chosen from the host kernel's own
 * mitigation state at load.  A bit is set only where the mitigation is
 * active; one that does not apply to this CPU or vendor stays clear.
 */
#define KXEN_MIT_RSB_VMEXIT	_BITULL(0)	/* RSB filled after each exit */
#define KXEN_MIT_RSB_VMEXIT_LITE _BITULL(1)	/* one CALL retired after exit */
#define KXEN_MIT_VERW		_BITULL(2)	/* CPU buffers cleared at entry */
#define KXEN_MIT_L1D_FLUSH	_BITULL(3)	/* L1D flushed before entry */
#define KXEN_MIT_IBPB		_BITULL(4)	/* IBPB between two domains */
#define KXEN_MIT_IBPB_VMEXIT	_BITULL(5)	/* IBPB after each exit */
#define KXEN_MIT_ALL		(_BITULL(6) - 1)
/* Their names, bit 0 first, as xl-lite info and the module's log print them. */
#define KXEN_MIT_NAMES { "rsb_vmexit", "rsb_vmexit_lite", "verw", \
			 "l1d_flush", "ibpb", "ibpb_vmexit" }

/* Counters that prove destroy frees everything (KXEN_A_STATS). */
enum kxen_stat {
	KXEN_STAT_UNSPEC,
	KXEN_STAT_LIVE_PAGES,	/* u64, pages held for all domains */
	KXEN_STAT_LIVE_OBJECTS,	/* u64, domains + vCPUs + other objects */
	KXEN_STAT_DOMAINS,	/* u32, live domains */
	KXEN_STAT_PAD,
	__KXEN_STAT_MAX,
};

#define KXEN_STAT_MAX (__KXEN_STAT_MAX - 1)

/*
 * The domain's virtual block devices, summed over all it ever had, as
 * xentop's VBD_* columns (KXEN_A_VBD_STATS in DOMAIN_GET's reply): reads
 * and writes the backend served, their 512-byte sectors, and how often
 * a ring had requests waiting while every in-flight slot was taken.
 */
enum kxen_vbd_stat {
	KXEN_VBD_UNSPEC,
	KXEN_VBD_OO,		/* u64, "out of requests": waits for a slot */
	KXEN_VBD_RD,		/* u64, reads served */
	KXEN_VBD_WR,		/* u64, writes served */
	KXEN_VBD_RSECT,		/* u64, sectors read */
	KXEN_VBD_WSECT,		/* u64, sectors written */
	KXEN_VBD_PAD,
	__KXEN_VBD_MAX,
};

#define KXEN_VBD_MAX (__KXEN_VBD_MAX - 1)

/*
 * A host CPU set (KXEN_A_CPUMAP, KXEN_VCPU_A_CPUMAP and their _SOFT
 * twins): an array of __u32 words in host order, CPU n being bit n % 32
 * of word n / 32, as Xen's xenctl_bitmap but in 32-bit words.  In requests it holds at most
 * KXEN_CPUMAP_MAX bytes, a multiple of 4; a bit past the host's last
 * possible CPU is -EINVAL.
 */
#define KXEN_CPUMAP_MAX		1024

/*
 * One vCPU (a nest inside KXEN_A_VCPU_INFO, of type its id + 1, holding
 * enum kxen_vcpu_attr attributes), as Xen's XEN_DOMCTL_getvcpuinfo and
 * XEN_DOMCTL_getvcpuaffinity together report it.  KXEN_VCPU_A_CPU is the
 * host CPU it last ran on; absent for a vCPU that never ran.  Its hard
 * affinity is the CPU set its thread may run on; its soft affinity the
 * CPUs of that set it prefers while one of them has room for it (a
 * preference Linux's scheduler lacks: the thread steers itself, see
 * kxen(4)).
 */
enum kxen_vcpu_attr {
	KXEN_VCPU_A_UNSPEC,
	KXEN_VCPU_A_ID,		/* u32 */
	KXEN_VCPU_A_STATE,	/* u32, enum kxen_vcpu_runstate */
	KXEN_VCPU_A_CPU,	/* u32 */
	KXEN_VCPU_A_TIME_NS,	/* u64, time spent in guest mode */
	KXEN_VCPU_A_CPUMAP,	/* binary, its hard affinity */
	KXEN_VCPU_A_PAD,
	KXEN_VCPU_A_CPUMAP_SOFT, /* binary, its soft affinity, as given */
	__KXEN_VCPU_A_MAX,
};

#define KXEN_VCPU_A_MAX (__KXEN_VCPU_A_MAX - 1)

/* As xl vcpu-list shows them: "---p", "r--", "-b-", "---". */
enum kxen_vcpu_runstate {
	KXEN_VCPU_OFFLINE,	/* never started, or VCPUOP_down */
	KXEN_VCPU_RUNNING,	/* in guest mode on KXEN_VCPU_A_CPU now */
	KXEN_VCPU_BLOCKED,	/* halted or SCHEDOP_block'ed */
	KXEN_VCPU_RUNNABLE,	/* online, neither of the above */
};

/*
 * A domain's scheduling parameters, as Xen's credit2 scheduler takes them
 * (XEN_DOMCTL_SCHEDOP_putinfo): KXEN_CMD_DOMAIN_SET_SCHED sets either or
 * both, KXEN_CMD_DOMAIN_GET reports them.
 *  - weight: the share of the host's CPUs its vCPUs get when they
 *    compete; it sets the nice level of the vCPU threads, Xen's default
 *    256 being nice 0, each nice step a factor of about 1.25 (the host
 *    scheduler's own step), clamped to nice -20..19;
 *  - cap: the most CPU time all its vCPUs together may use, in percent of
 *    one host CPU, at most 100 per vCPU; 0 is no cap.  It is enforced over
 *    periods of KXEN_SCHED_PERIOD_US.
 */
#define KXEN_SCHED_WEIGHT_MIN		1
#define KXEN_SCHED_WEIGHT_MAX		65535
#define KXEN_SCHED_WEIGHT_DEFAULT	256
#define KXEN_SCHED_PERIOD_US		10000

/*
 * What KXEN_CMD_DOMAIN_CREATE may fix for the domain's life, as Xen's
 * XEN_DOMCTL_createdomain takes them from xl.cfg(5), and DOMAIN_GET
 * reports:
 *  - UUID: its handle, 16 bytes, not all zero, no other live domain's;
 *    absent, the module makes a random one (xl's default too);
 *  - MAX_GRANT_FRAMES: the most grant-table frames the guest may use
 *    (max_grant_frames, Xen's max_grant_frames); absent, the most there
 *    is, Xen 4.17's default;
 *  - MAX_EVTCHN_PORT: the highest event-channel port the guest may bind
 *    (max_event_channels, Xen's max_evtchn_port); absent, every port its
 *    event-channel ABI names.  The FIFO ABI's last port is the bound.
 */
#define KXEN_MAX_GRANT_FRAMES	64
#define KXEN_MAX_EVTCHN_PORT	131071

/* KXEN_A_FLAGS on KXEN_CMD_DOMAIN_CREATE */
#define KXEN_DOMAIN_F_DEBUG_PORT	_BITUL(0) /* port 0xe9 bytes to console */
/* nestedhvm: the guest's own AMD-V or VT-x (KXEN_CAP_NESTED_SVM or _VMX) */
#define KXEN_DOMAIN_F_NESTED_HVM	_BITUL(1)
#define KXEN_DOMAIN_F_ALL		(KXEN_DOMAIN_F_DEBUG_PORT | \
					 KXEN_DOMAIN_F_NESTED_HVM)

/* As `xl list` prints them: r b p s c d */
enum kxen_domain_state {
	KXEN_STATE_CREATED,	/* built, never unpaused: shown as paused */
	KXEN_STATE_RUNNING,
	KXEN_STATE_BLOCKED,
	KXEN_STATE_PAUSED,
	KXEN_STATE_SHUTDOWN,	/* guest asked; reason in SHUTDOWN_REASON */
	KXEN_STATE_CRASHED,
	KXEN_STATE_DYING,
};

/*
 * Platform I/O ports the hypervisor emulates for every guest, and that
 * the image builder names in the guest's ACPI tables (FADT):
 *  - the hardware-reduced ACPI sleep control register: writing
 *    SLP_EN | KXEN_ACPI_SLP_TYP_S5 << 2 (the type the DSDT's \_S5 gives)
 *    powers the domain off;
 *  - the reset register: writing KXEN_ACPI_RESET_VALUE reboots it.
 */
#define KXEN_PORT_SLEEP_CONTROL	0xb004
#define KXEN_PORT_SLEEP_STATUS	0xb005
#define KXEN_PORT_RESET		0xcf9
#define KXEN_ACPI_SLP_TYP_S5	5
#define KXEN_ACPI_RESET_VALUE	0x06

/*
 * Toolstack-chosen guest frames (KXEN_CMD_DOMAIN_SET_PARAM), in the
 * reserved BIOS area of the memory map the image builder writes.  Setting
 * HVM_PARAM_CONSOLE_PFN makes kxen serve a PV console there (its event
 * channel is then HVM_PARAM_CONSOLE_EVTCHN); HVM_PARAM_STORE_PFN the
 * domain's xenstore ring (HVM_PARAM_STORE_EVTCHN).
 */
#define KXEN_CONSOLE_PFN	0xe0
#define KXEN_STORE_PFN		0xe1

/* ---- /dev/kxen ---- */
#define KXEN_IOC_MAGIC		0xB7

struct kxen_version {
	__u32 api_version;	/* out: KXEN_API_VERSION */
	__u32 flags;		/* in: must be 0 */
	__u64 caps;		/* out: KXEN_CAP_* */
	__u64 reserved[6];	/* in: must be 0 */
};

/*
 * Bind this open file to one domain.  Afterwards:
 *  - mmap(offset = guest physical address) maps that domain's RAM, shared;
 *  - read() returns the domain's console stream (console_io, the PV
 *    console ring and, with KXEN_DOMAIN_F_DEBUG_PORT, port 0xe9), from the
 *    oldest retained byte; it blocks unless O_NONBLOCK, and returns 0
 *    once the domain is gone;
 *  - write() is console input, into the PV console ring (set up by
 *    KXEN_CMD_DOMAIN_SET_PARAM of HVM_PARAM_CONSOLE_PFN): it returns how
 *    much fitted, -EAGAIN when the ring is full, -ENODEV without a ring.
 * A file binds once: a second bind gives -EBUSY.
 */
struct kxen_bind {
	__u32 domid;
	__u32 flags;		/* must be 0 */
	__u64 reserved[3];	/* must be 0 */
};

#define KXEN_IOC_GET_VERSION	_IOWR(KXEN_IOC_MAGIC, 0x00, struct kxen_version)
#define KXEN_IOC_BIND_DOMAIN	_IOW(KXEN_IOC_MAGIC, 0x01, struct kxen_bind)

#endif /* _UAPI_LINUX_KXEN_H */
