/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client side of uapi/linux/kxen.h: the "kxen" generic netlink family
 * (through libnl-genl-3) and /dev/kxen.  Shared by xl-lite and the
 * selftests.  Every call returns 0 or a negative errno exactly as the
 * kernel reported it (not libnl's translation), so callers can test the
 * contract and print strerror().
 */
#ifndef XL_LITE_KXENCTL_H
#define XL_LITE_KXENCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/kxen.h>

#define KXEN_DEV_PATH		"/dev/kxen"
#define KXEN_NOT_LOADED_HINT \
	"kxen module not loaded (no generic netlink family \"kxen\"); " \
	"load it with: insmod kxen.ko (or: modprobe kxen)"

struct kxen_ctl {
	struct nl_sock *sk;
	int family;
	char ext_msg[256];	/* extended ACK text of the last error */
	/* Told of each request once answered (0 or -errno), when set. */
	void (*trace)(uint8_t cmd, bool dump, int err);
};

struct kxen_dominfo {
	uint32_t domid;
	char name[KXEN_NAME_MAX];
	uint64_t mem_kb;
	uint64_t max_mem_kb;	/* XEN_DOMCTL_max_mem; 0: not reported */
	uint64_t cur_mem_kb;	/* what it holds now; 0: not reported */
	uint32_t vcpus;
	uint32_t vcpus_online;	/* not down, as Xen's; vcpus if not reported */
	uint32_t state;		/* enum kxen_domain_state */
	bool has_reason;
	uint32_t shutdown_reason;
	uint64_t cpu_time_ns;
	bool has_uuid;
	uint8_t uuid[16];
	bool has_sched;		/* weight and cap reported */
	uint32_t sched_weight;	/* credit2 weight, 1..65535 */
	uint32_t sched_cap;	/* % of one CPU, 0: none */
	uint32_t max_grant_frames;	/* 0: not reported */
	uint32_t max_evtchn_port;	/* 0: not reported */
	uint64_t vbd[__KXEN_VBD_MAX];	/* KXEN_VBD_*, 0 if not reported */
};

#define KXEN_CPUMAP_WORDS	(KXEN_CPUMAP_MAX / 4)

/* One vCPU of KXEN_CMD_VCPU_GET. */
struct kxen_vcpuinfo {
	uint32_t id;
	uint32_t state;		/* enum kxen_vcpu_runstate */
	bool has_cpu;		/* false: it never ran */
	uint32_t cpu;
	uint64_t time_ns;
	unsigned int cpumap_words;
	uint32_t cpumap[KXEN_CPUMAP_WORDS];	/* hard affinity */
	unsigned int soft_words;		/* 0: not reported, all CPUs */
	uint32_t cpumap_soft[KXEN_CPUMAP_WORDS]; /* soft affinity */
};

struct kxen_hostinfo {
	uint32_t api_version;
	uint64_t caps;
	char vendor[16];
	bool has_mitigations;	/* KXEN_A_MITIGATIONS came: older modules lack it */
	uint64_t mitigations;	/* KXEN_MIT_* */
	bool has_stats;
	uint64_t live_pages;
	uint64_t live_objects;
	uint32_t domains;
};

/* Parses one reply message's attributes (tb[0..KXEN_A_MAX]). */
typedef int (*kxen_reply_fn)(struct nlattr **tb, void *arg);

/* -ENOENT when the family is not registered: the module is not loaded. */
int kxen_ctl_open(struct kxen_ctl *ctl);
void kxen_ctl_close(struct kxen_ctl *ctl);

/* A request for @cmd; @dump asks for every object (NLM_F_DUMP). */
struct nl_msg *kxen_msg_new(struct kxen_ctl *ctl, uint8_t cmd, bool dump);
/* Send @msg (always freed) and wait for the ACK, or for a dump's end. */
int kxen_ctl_send(struct kxen_ctl *ctl, struct nl_msg *msg, kxen_reply_fn fn,
		  void *arg);

int kxen_get_info(struct kxen_ctl *ctl, struct kxen_hostinfo *hi);
int kxen_domain_create(struct kxen_ctl *ctl, const char *name,
		       uint64_t mem_kb, uint32_t vcpus, uint32_t flags,
		       uint32_t *domid);

/* What a domain may be given only when it is made; 0 or NULL: default. */
struct kxen_create_opts {
	const uint8_t *uuid;		/* 16 bytes */
	uint32_t max_grant_frames;	/* 1..KXEN_MAX_GRANT_FRAMES */
	uint32_t max_evtchn_port;	/* 1..KXEN_MAX_EVTCHN_PORT */
	uint64_t max_mem_kb;		/* below mem_kb: populate on demand */
};

int kxen_domain_create_opts(struct kxen_ctl *ctl, const char *name,
			    uint64_t mem_kb, uint32_t vcpus, uint32_t flags,
			    const struct kxen_create_opts *opts,
			    uint32_t *domid);
/* DESTROY, PAUSE, UNPAUSE: commands that take only DOMID. */
int kxen_domain_cmd(struct kxen_ctl *ctl, uint8_t cmd, uint32_t domid);
/* Shut @domid down with Xen SHUTDOWN_* @reason, as if the guest asked. */
int kxen_domain_shutdown(struct kxen_ctl *ctl, uint32_t domid,
			 uint32_t reason);
int kxen_domain_get(struct kxen_ctl *ctl, uint32_t domid,
		    struct kxen_dominfo *di);
/* Every domain; *out is malloc()ed (free it), *n may be 0. */
int kxen_domain_list(struct kxen_ctl *ctl, struct kxen_dominfo **out,
		     size_t *n);
int kxen_vcpu_set_boot(struct kxen_ctl *ctl, uint32_t domid, uint32_t vcpu,
		       uint64_t entry, uint64_t start_info);
/* An HVM param, as the toolstack sets it (xen/hvm/params.h). */
int kxen_domain_set_param(struct kxen_ctl *ctl, uint32_t domid,
			  uint32_t index, uint64_t value);
/* Every vCPU of @domid; *out is malloc()ed (free it). */
int kxen_vcpu_list(struct kxen_ctl *ctl, uint32_t domid,
		   struct kxen_vcpuinfo **out, size_t *n);
/*
 * @vcpu's hard affinity (its thread's CPUs) to @hard and its soft one to
 * @soft, each @nwords words (bit n of word n / 32), either NULL to leave.
 */
int kxen_vcpu_set_affinity(struct kxen_ctl *ctl, uint32_t domid,
			   uint32_t vcpu, const uint32_t *hard,
			   const uint32_t *soft, unsigned int nwords);
int kxen_domain_set_max_mem(struct kxen_ctl *ctl, uint32_t domid,
			    uint64_t max_kb);
/* @name NULL: the request without NAME (for the selftests). */
int kxen_domain_rename(struct kxen_ctl *ctl, uint32_t domid,
		       const char *name);

/*
 * Credit2's weight and cap of @domid (KXEN_CMD_DOMAIN_SET_SCHED); @weight
 * 0 and @cap < 0 leave that one out of the request (both: for the
 * selftests, which the module refuses).
 */
int kxen_domain_set_sched(struct kxen_ctl *ctl, uint32_t domid,
			  uint32_t weight, int64_t cap);

/* Fill a dominfo/hostinfo from reply attributes (also for selftests). */
int kxen_parse_dominfo(struct nlattr **tb, struct kxen_dominfo *di);
int kxen_parse_hostinfo(struct nlattr **tb, struct kxen_hostinfo *hi);

/* /dev/kxen: open it; -ENOENT when the module is not loaded. */
int kxen_dev_open(void);
/* GET_VERSION, and -EPROTO when api_version is not KXEN_API_VERSION. */
int kxen_dev_version(int fd, struct kxen_version *ver);
int kxen_dev_bind(int fd, uint32_t domid);

#endif /* XL_LITE_KXENCTL_H */
