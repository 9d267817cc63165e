// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "kxen": the control plane.  Requests are
 * validated by a strict policy (unknown attributes, bad ranges and unknown
 * flag bits are -EINVAL before any handler runs); state changes are
 * multicast on the "events" group.
 */
#include <net/genetlink.h>
#include <linux/ctype.h>
#include <xen/interface/sched.h>

#include "kxen.h"
#include "../xen/xen.h"

/* Guest RAM bounds for one domain, in KiB. */
#define KXEN_MEM_KB_MIN		1024ULL
#define KXEN_MEM_KB_MAX		(64ULL << 20)

static const struct nla_policy kxen_policy[KXEN_A_MAX + 1] = {
	[KXEN_A_API_VERSION]	= { .type = NLA_REJECT },
	[KXEN_A_CAPS]		= { .type = NLA_REJECT },
	[KXEN_A_VENDOR]		= { .type = NLA_REJECT },
	[KXEN_A_DOMID]		= { .type = NLA_U32 },
	[KXEN_A_NAME]		= { .type = NLA_NUL_STRING,
				    .len = KXEN_NAME_MAX - 1 },
	[KXEN_A_MEM_KB]		= { .type = NLA_U64 },
	[KXEN_A_VCPUS]		= { .type = NLA_U32 },
	[KXEN_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, KXEN_DOMAIN_F_ALL),
	[KXEN_A_STATE]		= { .type = NLA_REJECT },
	[KXEN_A_SHUTDOWN_REASON] = NLA_POLICY_MAX(NLA_U32, SHUTDOWN_MAX),
	[KXEN_A_CPU_TIME_NS]	= { .type = NLA_REJECT },
	[KXEN_A_VCPU]		= NLA_POLICY_MAX(NLA_U32, KXEN_MAX_VCPUS - 1),
	[KXEN_A_ENTRY]		= { .type = NLA_U64 },
	[KXEN_A_START_INFO]	= { .type = NLA_U64 },
	[KXEN_A_STATS]		= { .type = NLA_REJECT },
	[KXEN_A_HCALL_UNKNOWN]	= { .type = NLA_REJECT },
	[KXEN_A_CRASH_REASON]	= { .type = NLA_REJECT },
	[KXEN_A_UUID]		= { .type = NLA_REJECT },
	[KXEN_A_PAD]		= { .type = NLA_REJECT },
	[KXEN_A_PARAM_INDEX]	= { .type = NLA_U32 },
	[KXEN_A_PARAM_VALUE]	= { .type = NLA_U64 },
	[KXEN_A_MAX_MEM_KB]	= { .type = NLA_U64 },
	[KXEN_A_CUR_MEM_KB]	= { .type = NLA_REJECT },
	[KXEN_A_VCPU_INFO]	= { .type = NLA_REJECT },
	[KXEN_A_CPUMAP]		= { .type = NLA_BINARY, .len = KXEN_CPUMAP_MAX },
	[KXEN_A_CPUMAP_SOFT]	= { .type = NLA_BINARY, .len = KXEN_CPUMAP_MAX },
	/* Bounds in the handler: -EINVAL as the others, not -ERANGE. */
	[KXEN_A_SCHED_WEIGHT]	= { .type = NLA_U32 },
	[KXEN_A_SCHED_CAP]	= { .type = NLA_U32 },
	[KXEN_A_MITIGATIONS]	= { .type = NLA_REJECT },
	/* Fixed when the domain is made: only in kxen_create_policy. */
	[KXEN_A_MAX_GRANT_FRAMES] = { .type = NLA_REJECT },
	[KXEN_A_MAX_EVTCHN_PORT] = { .type = NLA_REJECT },
	[KXEN_A_VBD_STATS]	= { .type = NLA_REJECT },
	[KXEN_A_VCPUS_ONLINE]	= { .type = NLA_REJECT },
};

/*
 * DOMAIN_CREATE takes what every command does, and what only a new
 * domain can be given; kxen_netlink_init() fills it in.  Lengths and
 * bounds are checked in the handler: -EINVAL as the others, not -ERANGE.
 */
static struct nla_policy kxen_create_policy[KXEN_A_MAX + 1] __ro_after_init;

static struct genl_family kxen_genl_family;
static bool kxen_nl_live;	/* the family is registered */

/* @msg must be a literal: extack keeps the pointer. */
static int kxen_need(struct genl_info *info, int attr, const char *msg)
{
	if (info->attrs[attr])
		return 0;
	if (info->extack)
		info->extack->_msg = msg;
	return -EINVAL;
}

static int kxen_put_stats(struct sk_buff *skb)
{
	struct nlattr *nest = nla_nest_start(skb, KXEN_A_STATS);

	if (!nest ||
	    nla_put_u64_64bit(skb, KXEN_STAT_LIVE_PAGES,
			      atomic64_read(&kxen_live_pages), KXEN_STAT_PAD) ||
	    nla_put_u64_64bit(skb, KXEN_STAT_LIVE_OBJECTS,
			      atomic64_read(&kxen_live_objects),
			      KXEN_STAT_PAD) ||
	    nla_put_u32(skb, KXEN_STAT_DOMAINS, kxen_domain_count()))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int kxen_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kxen_genl_family, 0,
				KXEN_CMD_GET_INFO);
	if (!hdr ||
	    nla_put_u32(msg, KXEN_A_API_VERSION, KXEN_API_VERSION) ||
	    nla_put_u64_64bit(msg, KXEN_A_CAPS, kxen_arch->caps, KXEN_A_PAD) ||
	    nla_put_string(msg, KXEN_A_VENDOR, kxen_arch->name) ||
	    nla_put_u64_64bit(msg, KXEN_A_MITIGATIONS, kxen_spec_mit,
			      KXEN_A_PAD) ||
	    kxen_put_stats(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int kxen_put_vbd_stats(struct sk_buff *skb, struct kxen_domain *d)
{
	struct nlattr *nest = nla_nest_start(skb, KXEN_A_VBD_STATS);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = KXEN_VBD_OO; i <= KXEN_VBD_WSECT; i++)
		if (nla_put_u64_64bit(skb, i, atomic64_read(&d->vbd[i]),
				      KXEN_VBD_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int kxen_put_domain(struct sk_buff *skb, struct kxen_domain *d)
{
	enum kxen_domain_state s = READ_ONCE(d->state);
	char name[KXEN_NAME_MAX];

	kxen_domain_name(d, name);
	if (nla_put_u32(skb, KXEN_A_DOMID, d->domid) ||
	    nla_put_string(skb, KXEN_A_NAME, name) ||
	    nla_put_u64_64bit(skb, KXEN_A_MEM_KB, d->mem.size >> 10,
			      KXEN_A_PAD) ||
	    nla_put_u64_64bit(skb, KXEN_A_MAX_MEM_KB,
			      (u64)READ_ONCE(d->mem.max_pages) <<
			      (PAGE_SHIFT - 10), KXEN_A_PAD) ||
	    nla_put_u64_64bit(skb, KXEN_A_CUR_MEM_KB,
			      (u64)kxen_gmem_entitled(&d->mem) <<
			      (PAGE_SHIFT - 10), KXEN_A_PAD) ||
	    nla_put_u32(skb, KXEN_A_VCPUS, d->nr_vcpus) ||
	    nla_put_u32(skb, KXEN_A_VCPUS_ONLINE,
			kxen_domain_vcpus_online(d)) ||
	    nla_put_u32(skb, KXEN_A_FLAGS, d->flags) ||
	    nla_put_u32(skb, KXEN_A_STATE, s) ||
	    nla_put_u64_64bit(skb, KXEN_A_CPU_TIME_NS, kxen_domain_cpu_ns(d),
			      KXEN_A_PAD) ||
	    nla_put_u64_64bit(skb, KXEN_A_HCALL_UNKNOWN,
			      kxen_xen_hcall_unknown(d), KXEN_A_PAD) ||
	    nla_put(skb, KXEN_A_UUID, sizeof(d->uuid), &d->uuid) ||
	    nla_put_u32(skb, KXEN_A_SCHED_WEIGHT, READ_ONCE(d->sched.weight)) ||
	    nla_put_u32(skb, KXEN_A_SCHED_CAP, READ_ONCE(d->sched.cap)) ||
	    nla_put_u32(skb, KXEN_A_MAX_GRANT_FRAMES, d->max_grant_frames) ||
	    nla_put_u32(skb, KXEN_A_MAX_EVTCHN_PORT, d->max_evtchn_port) ||
	    kxen_put_vbd_stats(skb, d))
		return -EMSGSIZE;
	if ((s == KXEN_STATE_SHUTDOWN || s == KXEN_STATE_CRASHED) &&
	    nla_put_u32(skb, KXEN_A_SHUTDOWN_REASON, d->shutdown_reason))
		return -EMSGSIZE;
	if (s == KXEN_STATE_CRASHED &&
	    nla_put_string(skb, KXEN_A_CRASH_REASON, d->crash_reason))
		return -EMSGSIZE;
	return 0;
}

static int kxen_valid_name(struct genl_info *info, const char *name)
{
	const char *p;

	if (!*name)
		goto bad;
	/* Like xl: names are used in paths and on command lines. */
	for (p = name; *p; p++)
		if (!isalnum(*p) && !strchr("-_.", *p))
			goto bad;
	return 0;
bad:
	NL_SET_ERR_MSG(info->extack,
		       "domain name must be non-empty [A-Za-z0-9._-]");
	return -EINVAL;
}

/*
 * The optional attributes of DOMAIN_CREATE that Xen's
 * XEN_DOMCTL_createdomain takes from xl.cfg(5): uuid (the domain handle),
 * max_grant_frames, max_event_channels (max_evtchn_port).
 */
/*
 * MAX_MEM_KB at creation: the domain's maximum from the start (libxl's
 * setmaxmem before the build).  Below MEM_KB its RAM is populated on
 * demand (Xen's PoD): the guest sees MEM_KB, holds at most this.
 */
static int kxen_create_pod(struct genl_info *info,
			   struct kxen_domain_config *cfg)
{
	struct nlattr *a = info->attrs[KXEN_A_MAX_MEM_KB];

	if (!a)
		return 0;
	cfg->max_mem_kb = nla_get_u64(a);
	if (cfg->max_mem_kb % 4 || cfg->max_mem_kb < KXEN_MEM_KB_MIN ||
	    cfg->max_mem_kb > cfg->mem_kb) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "MAX_MEM_KB must be a multiple of 4 in 1 MiB..MEM_KB");
		return -EINVAL;
	}
	return 0;
}

static int kxen_create_limits(struct genl_info *info,
			      struct kxen_domain_config *cfg, uuid_t *uuid)
{
	struct nlattr *u = info->attrs[KXEN_A_UUID];
	struct nlattr *g = info->attrs[KXEN_A_MAX_GRANT_FRAMES];
	struct nlattr *e = info->attrs[KXEN_A_MAX_EVTCHN_PORT];

	if (u) {
		if (nla_len(u) != sizeof(*uuid)) {
			NL_SET_ERR_MSG_ATTR(info->extack, u,
					    "UUID must be 16 bytes");
			return -EINVAL;
		}
		memcpy(uuid, nla_data(u), sizeof(*uuid));
		/* libxl's "no handle": a domain needs a real one. */
		if (uuid_is_null(uuid)) {
			NL_SET_ERR_MSG_ATTR(info->extack, u,
					    "UUID must not be all zero");
			return -EINVAL;
		}
		cfg->uuid = uuid;
	}
	if (g) {
		cfg->max_grant_frames = nla_get_u32(g);
		if (!cfg->max_grant_frames ||
		    cfg->max_grant_frames > KXEN_MAX_GRANT_FRAMES) {
			NL_SET_ERR_MSG_ATTR(info->extack, g,
					    "MAX_GRANT_FRAMES must be 1..64");
			return -EINVAL;
		}
	}
	if (e) {
		cfg->max_evtchn_port = nla_get_u32(e);
		if (!cfg->max_evtchn_port ||
		    cfg->max_evtchn_port > KXEN_MAX_EVTCHN_PORT) {
			NL_SET_ERR_MSG_ATTR(info->extack, e,
					    "MAX_EVTCHN_PORT must be 1..131071");
			return -EINVAL;
		}
	}
	return 0;
}

static int kxen_nl_create(struct sk_buff *skb, struct genl_info *info)
{
	struct kxen_domain_config cfg = {};
	const char *why = NULL;
	struct sk_buff *msg;
	uuid_t uuid;
	void *hdr;
	u32 domid;
	int ret;

	ret = kxen_need(info, KXEN_A_NAME, "missing NAME") ?:
	      kxen_need(info, KXEN_A_MEM_KB, "missing MEM_KB") ?:
	      kxen_need(info, KXEN_A_VCPUS, "missing VCPUS") ?:
	      kxen_valid_name(info, nla_data(info->attrs[KXEN_A_NAME]));
	if (ret)
		return ret;
	cfg.name = nla_data(info->attrs[KXEN_A_NAME]);
	cfg.mem_kb = nla_get_u64(info->attrs[KXEN_A_MEM_KB]);
	if (cfg.mem_kb % 4 || cfg.mem_kb < KXEN_MEM_KB_MIN ||
	    cfg.mem_kb > KXEN_MEM_KB_MAX) {
		NL_SET_ERR_MSG(info->extack,
			       "MEM_KB must be a multiple of 4 in 1 MiB..64 GiB");
		return -EINVAL;
	}
	cfg.vcpus = nla_get_u32(info->attrs[KXEN_A_VCPUS]);
	if (!cfg.vcpus || cfg.vcpus > KXEN_MAX_VCPUS) {
		NL_SET_ERR_MSG(info->extack, "VCPUS must be 1..128");
		return -EINVAL;
	}
	if (info->attrs[KXEN_A_FLAGS])
		cfg.flags = nla_get_u32(info->attrs[KXEN_A_FLAGS]);
	if ((cfg.flags & KXEN_DOMAIN_F_NESTED_HVM) &&
	    !(kxen_arch->caps & (KXEN_CAP_NESTED_SVM | KXEN_CAP_NESTED_VMX))) {
		NL_SET_ERR_MSG(info->extack,
			       "FLAGS: this backend offers no nested virtualization (nestedhvm)");
		return -EOPNOTSUPP;
	}
	ret = kxen_create_pod(info, &cfg) ?:
	      kxen_create_limits(info, &cfg, &uuid);
	if (ret)
		return ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = kxen_domain_create(&cfg, &domid, &why);
	if (ret) {
		/* A literal of domain.c's: extack keeps the pointer. */
		if (why && info->extack)
			info->extack->_msg = why;
		goto err_free;
	}
	hdr = genlmsg_put_reply(msg, info, &kxen_genl_family, 0,
				KXEN_CMD_DOMAIN_CREATE);
	if (!hdr || nla_put_u32(msg, KXEN_A_DOMID, domid)) {
		kxen_domain_destroy(domid);
		ret = -EMSGSIZE;
		goto err_free;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err_free:
	nlmsg_free(msg);
	return ret;
}

static int kxen_domid(struct genl_info *info, u32 *domid)
{
	int ret = kxen_need(info, KXEN_A_DOMID, "missing DOMID");

	if (!ret)
		*domid = nla_get_u32(info->attrs[KXEN_A_DOMID]);
	return ret;
}

static int kxen_nl_destroy(struct sk_buff *skb, struct genl_info *info)
{
	u32 domid;

	return kxen_domid(info, &domid) ?: kxen_domain_destroy(domid);
}

static int kxen_nl_pause(struct sk_buff *skb, struct genl_info *info)
{
	u32 domid;

	return kxen_domid(info, &domid) ?: kxen_domain_pause(domid);
}

static int kxen_nl_unpause(struct sk_buff *skb, struct genl_info *info)
{
	u32 domid;

	return kxen_domid(info, &domid) ?: kxen_domain_unpause(domid);
}

static int kxen_nl_shutdown(struct sk_buff *skb, struct genl_info *info)
{
	u32 domid;

	struct nlattr *reason = info->attrs[KXEN_A_SHUTDOWN_REASON];

	return kxen_domid(info, &domid) ?:
	       kxen_need(info, KXEN_A_SHUTDOWN_REASON, "missing SHUTDOWN_REASON") ?:
	       kxen_domain_remote_shutdown(domid, nla_get_u32(reason));
}

static int kxen_nl_set_boot(struct sk_buff *skb, struct genl_info *info)
{
	u32 domid, vcpu = 0;

	if (info->attrs[KXEN_A_VCPU])
		vcpu = nla_get_u32(info->attrs[KXEN_A_VCPU]);
	return kxen_domid(info, &domid) ?:
	       kxen_need(info, KXEN_A_ENTRY, "missing ENTRY") ?:
	       kxen_need(info, KXEN_A_START_INFO, "missing START_INFO") ?:
	       kxen_domain_set_boot(domid, vcpu,
				    nla_get_u64(info->attrs[KXEN_A_ENTRY]),
				    nla_get_u64(info->attrs[KXEN_A_START_INFO]));
}

static int kxen_nl_set_param(struct sk_buff *skb, struct genl_info *info)
{
	struct kxen_domain *d;
	u32 domid, idx;
	u64 val;
	int ret;

	ret = kxen_domid(info, &domid) ?:
	      kxen_need(info, KXEN_A_PARAM_INDEX, "missing PARAM_INDEX") ?:
	      kxen_need(info, KXEN_A_PARAM_VALUE, "missing PARAM_VALUE");
	if (ret)
		return ret;
	d = kxen_domain_get(domid);
	if (!d)
		return -ESRCH;
	idx = nla_get_u32(info->attrs[KXEN_A_PARAM_INDEX]);
	val = nla_get_u64(info->attrs[KXEN_A_PARAM_VALUE]);
	ret = kxen_xen_toolstack_set_param(d, idx, val);
	kxen_domain_put(d);
	return ret;
}

/* A reply to @info of about @size bytes, @fill putting @d's attributes. */
static int kxen_reply_domain(struct genl_info *info, u8 cmd, size_t size,
			     int (*fill)(struct sk_buff *skb,
					 struct kxen_domain *d),
			     struct kxen_domain *d)
{
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);
	void *hdr;
	int ret;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kxen_genl_family, 0, cmd);
	ret = hdr ? fill(msg, d) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int kxen_nl_get_domain(struct sk_buff *skb, struct genl_info *info)
{
	struct kxen_domain *d;
	u32 domid;
	int ret;

	ret = kxen_domid(info, &domid);
	if (ret)
		return ret;
	d = kxen_domain_get(domid);
	if (!d)
		return -ESRCH;
	ret = kxen_reply_domain(info, KXEN_CMD_DOMAIN_GET, NLMSG_DEFAULT_SIZE,
				kxen_put_domain, d);
	kxen_domain_put(d);
	return ret;
}

/* A domain for an operation on its vCPUs: locked, not dying; or NULL. */
static struct kxen_domain *kxen_lock_domain(u32 domid)
{
	struct kxen_domain *d = kxen_domain_get(domid);

	if (!d)
		return NULL;
	mutex_lock(&d->lock);
	/* Not DYING under d->lock: no vCPU thread stops until we unlock. */
	if (READ_ONCE(d->state) != KXEN_STATE_DYING)
		return d;
	mutex_unlock(&d->lock);
	kxen_domain_put(d);
	return NULL;
}

static void kxen_unlock_domain(struct kxen_domain *d)
{
	mutex_unlock(&d->lock);
	kxen_domain_put(d);
}

/* The bytes of a KXEN_A_CPUMAP for this host: whole u32 words. */
static unsigned int kxen_cpumap_len(void)
{
	return DIV_ROUND_UP(nr_cpu_ids, 32) * sizeof(u32);
}

/* A CPU set as KXEN_VCPU_A_CPUMAP and _SOFT carry it: whole u32 words. */
static int kxen_put_cpumap(struct sk_buff *skb, int type,
			   const struct cpumask *mask)
{
	struct nlattr *map = nla_reserve(skb, type, kxen_cpumap_len());

	if (!map)
		return -EMSGSIZE;
	bitmap_to_arr32(nla_data(map), cpumask_bits(mask), nr_cpu_ids);
	return 0;
}

static int kxen_put_vcpu(struct sk_buff *skb, struct kxen_vcpu *v,
			 struct cpumask *hard, struct cpumask *soft)
{
	struct kxen_vcpu_info vi;
	struct nlattr *nest;

	kxen_vcpu_get_info(v, &vi, hard, soft);
	nest = nla_nest_start(skb, v->id + 1);
	if (!nest ||
	    nla_put_u32(skb, KXEN_VCPU_A_ID, v->id) ||
	    nla_put_u32(skb, KXEN_VCPU_A_STATE, vi.state) ||
	    (vi.cpu >= 0 && nla_put_u32(skb, KXEN_VCPU_A_CPU, vi.cpu)) ||
	    nla_put_u64_64bit(skb, KXEN_VCPU_A_TIME_NS, vi.time_ns,
			      KXEN_VCPU_A_PAD) ||
	    kxen_put_cpumap(skb, KXEN_VCPU_A_CPUMAP, hard) ||
	    kxen_put_cpumap(skb, KXEN_VCPU_A_CPUMAP_SOFT, soft))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int kxen_put_vcpus(struct sk_buff *msg, struct kxen_domain *d)
{
	struct nlattr *nest;
	cpumask_var_t hard, soft;
	unsigned int i;
	int ret = 0;

	if (!alloc_cpumask_var(&hard, GFP_KERNEL))
		return -ENOMEM;
	if (!alloc_cpumask_var(&soft, GFP_KERNEL)) {
		free_cpumask_var(hard);
		return -ENOMEM;
	}
	if (nla_put_u32(msg, KXEN_A_DOMID, d->domid))
		ret = -EMSGSIZE;
	nest = ret ? NULL : nla_nest_start(msg, KXEN_A_VCPU_INFO);
	if (!nest)
		ret = -EMSGSIZE;
	for (i = 0; i < d->nr_vcpus && !ret; i++)
		ret = kxen_put_vcpu(msg, d->vcpus[i], hard, soft);
	if (!ret)
		nla_nest_end(msg, nest);
	free_cpumask_var(soft);
	free_cpumask_var(hard);
	return ret;
}

/* XEN_DOMCTL_getvcpuinfo and getvcpuaffinity of every vCPU at once. */
static int kxen_nl_vcpu_get(struct sk_buff *skb, struct genl_info *info)
{
	struct kxen_domain *d;
	u32 domid;
	int ret;

	ret = kxen_domid(info, &domid);
	if (ret)
		return ret;
	d = kxen_lock_domain(domid);
	if (!d)
		return -ESRCH;
	ret = kxen_reply_domain(info, KXEN_CMD_VCPU_GET, NLMSG_DEFAULT_SIZE +
				d->nr_vcpus * (128 + 2 * kxen_cpumap_len()),
				kxen_put_vcpus, d);
	kxen_unlock_domain(d);
	return ret;
}

/*
 * A KXEN_A_CPUMAP(_SOFT) into @mask: whole words, no CPU the host lacks.
 * Absent: 0, @mask untouched.
 */
static int kxen_cpumap_parse(struct genl_info *info, int type,
			     struct cpumask *mask)
{
	const struct nlattr *a = info->attrs[type];
	const u32 *w;
	unsigned int i, nbits;

	if (!a)
		return 0;
	w = nla_data(a);
	nbits = nla_len(a) / 4 * 32;
	if (nla_len(a) % 4) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "CPUMAP must be whole u32 words");
		return -EINVAL;
	}
	cpumask_clear(mask);
	for (i = 0; i < nbits; i++) {
		if (!(w[i / 32] & BIT(i % 32)))
			continue;
		if (i >= nr_cpu_ids) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "CPUMAP names a CPU the host cannot have");
			return -EINVAL;
		}
		cpumask_set_cpu(i, mask);
	}
	return 0;
}

/* Under d->lock: the sets asked for, hard first as Xen's domctl does. */
static int kxen_vcpu_set_sets(struct genl_info *info, struct kxen_vcpu *v,
			      struct cpumask *hard, struct cpumask *soft)
{
	int ret;

	if (info->attrs[KXEN_A_CPUMAP]) {
		ret = kxen_vcpu_set_affinity(v, hard);
		if (ret) {
			NL_SET_ERR_MSG(info->extack, "no online CPU in CPUMAP");
			return ret;
		}
	}
	if (info->attrs[KXEN_A_CPUMAP_SOFT])
		kxen_vcpu_set_soft_affinity(v, soft);
	return 0;
}

/*
 * XEN_DOMCTL_setvcpuaffinity: CPUMAP the hard affinity (the vCPU
 * thread's set), CPUMAP_SOFT the soft one (affinity.c); one or both.
 */
static int kxen_nl_vcpu_set_affinity(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct kxen_domain *d;
	cpumask_var_t hard, soft;
	u32 domid, vcpu;
	int ret;

	ret = kxen_domid(info, &domid) ?:
	      kxen_need(info, KXEN_A_VCPU, "missing VCPU");
	if (ret)
		return ret;
	if (!info->attrs[KXEN_A_CPUMAP] && !info->attrs[KXEN_A_CPUMAP_SOFT]) {
		NL_SET_ERR_MSG(info->extack, "missing CPUMAP and CPUMAP_SOFT");
		return -EINVAL;
	}
	if (!zalloc_cpumask_var(&hard, GFP_KERNEL))
		return -ENOMEM;
	ret = -ENOMEM;
	if (!zalloc_cpumask_var(&soft, GFP_KERNEL))
		goto out_hard;
	ret = kxen_cpumap_parse(info, KXEN_A_CPUMAP, hard) ?:
	      kxen_cpumap_parse(info, KXEN_A_CPUMAP_SOFT, soft);
	if (ret)
		goto out_soft;
	vcpu = nla_get_u32(info->attrs[KXEN_A_VCPU]);
	d = kxen_lock_domain(domid);
	ret = -ESRCH;
	if (!d)
		goto out_soft;
	ret = -EINVAL;		/* Xen: a vCPU id past max_vcpus */
	if (vcpu >= d->nr_vcpus)
		NL_SET_ERR_MSG(info->extack, "no such vCPU");
	else
		ret = kxen_vcpu_set_sets(info, d->vcpus[vcpu], hard, soft);
	kxen_unlock_domain(d);
out_soft:
	free_cpumask_var(soft);
out_hard:
	free_cpumask_var(hard);
	return ret;
}

/* XEN_DOMCTL_max_mem, in KiB as xc_domain_setmaxmem takes it. */
static int kxen_nl_set_max_mem(struct sk_buff *skb, struct genl_info *info)
{
	struct kxen_domain *d;
	u32 domid;
	u64 kb;
	int ret;

	ret = kxen_domid(info, &domid) ?:
	      kxen_need(info, KXEN_A_MAX_MEM_KB, "missing MAX_MEM_KB");
	if (ret)
		return ret;
	kb = nla_get_u64(info->attrs[KXEN_A_MAX_MEM_KB]);
	if (kb % 4) {
		NL_SET_ERR_MSG(info->extack, "MAX_MEM_KB must be a multiple of 4");
		return -EINVAL;
	}
	d = kxen_domain_get(domid);
	if (!d)
		return -ESRCH;
	kxen_gmem_set_max(&d->mem, min_t(u64, kb >> (PAGE_SHIFT - 10),
					 ULONG_MAX));
	kxen_domain_put(d);
	return 0;
}

static int kxen_nl_rename(struct sk_buff *skb, struct genl_info *info)
{
	u32 domid;
	int ret;

	ret = kxen_domid(info, &domid) ?:
	      kxen_need(info, KXEN_A_NAME, "missing NAME") ?:
	      kxen_valid_name(info, nla_data(info->attrs[KXEN_A_NAME]));
	if (ret)
		return ret;
	ret = kxen_domain_rename(domid, nla_data(info->attrs[KXEN_A_NAME]));
	if (ret == -EEXIST)
		NL_SET_ERR_MSG(info->extack, "another domain has that name");
	return ret;
}

/*
 * XEN_DOMCTL_SCHEDOP_putinfo of credit2: weight, cap or both.  As Xen's
 * credit2, a cap is at most 100 per vCPU: all of them at full speed.
 */
static int kxen_nl_set_sched(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *w = info->attrs[KXEN_A_SCHED_WEIGHT];
	struct nlattr *c = info->attrs[KXEN_A_SCHED_CAP];
	u32 domid, cap = c ? nla_get_u32(c) : KXEN_SCHED_CAP_KEEP;
	u32 weight = w ? nla_get_u32(w) : 0;
	struct kxen_domain *d;
	int ret;

	ret = kxen_domid(info, &domid);
	if (ret)
		return ret;
	if (!w && !c) {
		NL_SET_ERR_MSG(info->extack,
			       "missing SCHED_WEIGHT or SCHED_CAP");
		return -EINVAL;
	}
	if (w && (weight < KXEN_SCHED_WEIGHT_MIN ||
		  weight > KXEN_SCHED_WEIGHT_MAX)) {
		NL_SET_ERR_MSG_ATTR(info->extack, w,
				    "SCHED_WEIGHT must be 1..65535");
		return -EINVAL;
	}
	d = kxen_lock_domain(domid);
	if (!d)
		return -ESRCH;
	if (c && cap > 100 * d->nr_vcpus) {
		NL_SET_ERR_MSG_ATTR(info->extack, c,
				    "SCHED_CAP must be 0..100 per vCPU");
		ret = -EINVAL;
	} else {
		kxen_sched_set(d, weight, cap);
	}
	kxen_unlock_domain(d);
	return ret;
}

struct kxen_dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int kxen_dump_one(struct kxen_domain *d, void *arg)
{
	struct kxen_dump_ctx *ctx = arg;
	void *hdr;

	hdr = genlmsg_put(ctx->skb, NETLINK_CB(ctx->cb->skb).portid,
			  ctx->cb->nlh->nlmsg_seq, &kxen_genl_family,
			  NLM_F_MULTI, KXEN_CMD_DOMAIN_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (kxen_put_domain(ctx->skb, d)) {
		genlmsg_cancel(ctx->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(ctx->skb, hdr);
	ctx->cb->args[0] = d->domid + 1;	/* resume after this one */
	return 0;
}

static int kxen_nl_dump_domains(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct kxen_dump_ctx ctx = { .skb = skb, .cb = cb };

	kxen_domain_for_each(cb->args[0], kxen_dump_one, &ctx);
	return skb->len;
}

/*
 * Who may call what, as Xen's default XSM policy splits dom0 from other
 * domains: the host's version and capabilities are anyone's (as
 * XENVER_* is every domain's); everything that names, lists, reports on
 * or changes a domain is the control domain's, here CAP_NET_ADMIN.
 */
static const struct genl_ops kxen_genl_ops[] = {
	{ .cmd = KXEN_CMD_GET_INFO, .doit = kxen_nl_get_info },
	{ .cmd = KXEN_CMD_DOMAIN_CREATE, .doit = kxen_nl_create,
	  .policy = kxen_create_policy, .maxattr = KXEN_A_MAX,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_DOMAIN_DESTROY, .doit = kxen_nl_destroy,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_DOMAIN_PAUSE, .doit = kxen_nl_pause,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_DOMAIN_UNPAUSE, .doit = kxen_nl_unpause,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_DOMAIN_SHUTDOWN, .doit = kxen_nl_shutdown,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_DOMAIN_GET, .doit = kxen_nl_get_domain,
	  .dumpit = kxen_nl_dump_domains, .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_VCPU_SET_BOOT, .doit = kxen_nl_set_boot,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_DOMAIN_SET_PARAM, .doit = kxen_nl_set_param,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_VCPU_GET, .doit = kxen_nl_vcpu_get,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_VCPU_SET_AFFINITY, .doit = kxen_nl_vcpu_set_affinity,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_DOMAIN_SET_MAX_MEM, .doit = kxen_nl_set_max_mem,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_DOMAIN_RENAME, .doit = kxen_nl_rename,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = KXEN_CMD_DOMAIN_SET_SCHED, .doit = kxen_nl_set_sched,
	  .flags = GENL_ADMIN_PERM },
};

static const struct genl_multicast_group kxen_mcgrps[] = {
	/* Domain names and crash reasons: not for every local user. */
	{ .name = KXEN_GENL_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family kxen_genl_family __ro_after_init = {
	.name = KXEN_GENL_NAME,
	.version = KXEN_GENL_VERSION,
	.maxattr = KXEN_A_MAX,
	.policy = kxen_policy,
	.module = THIS_MODULE,
	.ops = kxen_genl_ops,
	.n_ops = ARRAY_SIZE(kxen_genl_ops),
	.mcgrps = kxen_mcgrps,
	.n_mcgrps = ARRAY_SIZE(kxen_mcgrps),
	/* Every command validates strictly, reserved header bytes included. */
	.resv_start_op = KXEN_CMD_GET_INFO,
};

/* May run in a vCPU's exit path: atomic allocation, best effort. */
void kxen_netlink_notify(struct kxen_domain *d)
{
	struct sk_buff *msg;
	void *hdr;

	if (!READ_ONCE(kxen_nl_live) ||
	    !genl_has_listeners(&kxen_genl_family, &init_net, 0))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &kxen_genl_family, 0, KXEN_CMD_EVENT);
	if (!hdr || kxen_put_domain(msg, d)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&kxen_genl_family, msg, 0, 0, GFP_ATOMIC);
}

int kxen_netlink_init(void)
{
	int ret;

	memcpy(kxen_create_policy, kxen_policy, sizeof(kxen_policy));
	kxen_create_policy[KXEN_A_UUID].type = NLA_BINARY;
	kxen_create_policy[KXEN_A_MAX_GRANT_FRAMES].type = NLA_U32;
	kxen_create_policy[KXEN_A_MAX_EVTCHN_PORT].type = NLA_U32;
	ret = genl_register_family(&kxen_genl_family);

	if (!ret)
		WRITE_ONCE(kxen_nl_live, true);
	return ret;
}

void kxen_netlink_exit(void)
{
	WRITE_ONCE(kxen_nl_live, false);
	genl_unregister_family(&kxen_genl_family);
}
