// SPDX-License-Identifier: GPL-2.0
/*
 * kxen control-plane client: generic netlink requests and /dev/kxen.
 *
 * Replies are read with our own ack/error/finish callbacks so the
 * kernel's errno reaches the caller unchanged; libnl's own error codes
 * (NLE_*) lose the difference between, say, ESRCH and ENOENT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "kxenctl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

struct req {
	struct kxen_ctl *ctl;
	kxen_reply_fn fn;
	void *arg;
	int done;	/* 0 waiting, 1 finished */
	int err;	/* 0 or -errno */
};

int kxen_ctl_open(struct kxen_ctl *ctl)
{
	int one = 1;

	memset(ctl, 0, sizeof(*ctl));
	ctl->sk = nl_socket_alloc();
	if (!ctl->sk)
		return -ENOMEM;
	if (genl_connect(ctl->sk)) {
		kxen_ctl_close(ctl);
		return -EPROTONOSUPPORT;
	}
	/* We ask for ACKs ourselves: a dump ends with DONE, not an ACK. */
	nl_socket_disable_auto_ack(ctl->sk);
	/* Best effort: the kernel's reason text, printed with errors. */
	setsockopt(nl_socket_get_fd(ctl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	ctl->family = genl_ctrl_resolve(ctl->sk, KXEN_GENL_NAME);
	if (ctl->family < 0) {
		kxen_ctl_close(ctl);
		return -ENOENT;
	}
	return 0;
}

void kxen_ctl_close(struct kxen_ctl *ctl)
{
	if (ctl->sk)
		nl_socket_free(ctl->sk);
	ctl->sk = NULL;
}

struct nl_msg *kxen_msg_new(struct kxen_ctl *ctl, uint8_t cmd, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctl->family, 0,
			 dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
			 KXEN_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Copy NLMSGERR_ATTR_MSG of an extended ACK, if the kernel sent one. */
static void save_ext_msg(struct kxen_ctl *ctl, struct nlmsgerr *e)
{
	struct nlmsghdr *nlh = (void *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	int len;

	ctl->ext_msg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)(nlh->nlmsg_len - NLMSG_HDRLEN) - (int)off;
	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX,
				  (struct nlattr *)((char *)e + off), len,
				  NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(ctl->ext_msg, tb[NLMSGERR_ATTR_MSG],
			    sizeof(ctl->ext_msg));
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req *r = arg;

	(void)nla;
	r->err = e->error;
	if (e->error)
		save_ext_msg(r->ctl, e);
	r->done = 1;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	(void)msg;
	r->done = 1;
	return NL_STOP;
}

/* NLMSG_DONE ends a dump; an error met part-way is its int payload. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req *r = arg;
	int err;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(err)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0)
			r->err = err;
	}
	r->done = 1;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[KXEN_A_MAX + 1];
	struct req *r = arg;
	int err;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KXEN_A_MAX, NULL)) {
		r->err = -EPROTO;
		return NL_SKIP;
	}
	if (r->fn && !r->err) {
		err = r->fn(tb, r->arg);
		if (err)
			r->err = err;
	}
	return NL_OK;
}

int kxen_ctl_send(struct kxen_ctl *ctl, struct nl_msg *msg, kxen_reply_fn fn,
		  void *arg)
{
	struct req r = { .ctl = ctl, .fn = fn, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	bool dump = nlh->nlmsg_flags & NLM_F_DUMP;
	uint8_t cmd = genlmsg_hdr(nlh)->cmd;
	int ret;

	ctl->ext_msg[0] = '\0';
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &r);
	ret = nl_send_auto(ctl->sk, msg);
	nlmsg_free(msg);
	while (ret >= 0 && !r.done)
		ret = nl_recvmsgs(ctl->sk, cb);
	nl_cb_put(cb);
	if (ret < 0 && !r.done) {
		snprintf(ctl->ext_msg, sizeof(ctl->ext_msg), "netlink: %s",
			 nl_geterror(ret));
		r.err = -EIO;
	}
	if (ctl->trace)
		ctl->trace(cmd, dump, r.err);
	return r.err;
}

static int get_u32(struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) < (int)sizeof(*v))
		return -EPROTO;
	*v = nla_get_u32(a);
	return 0;
}

static int get_u64(struct nlattr *a, uint64_t *v)
{
	if (!a || nla_len(a) < (int)sizeof(*v))
		return -EPROTO;
	*v = nla_get_u64(a);
	return 0;
}

/* KXEN_A_VBD_STATS: each counter that is there; the others stay 0. */
static void kxen_parse_vbd_stats(struct nlattr *nest, uint64_t *vbd)
{
	struct nlattr *st[KXEN_VBD_MAX + 1];
	int i;

	if (!nest || nla_parse_nested(st, KXEN_VBD_MAX, nest, NULL))
		return;
	for (i = KXEN_VBD_OO; i <= KXEN_VBD_WSECT; i++)
		get_u64(st[i], &vbd[i]);
}

int kxen_parse_dominfo(struct nlattr **tb, struct kxen_dominfo *di)
{
	memset(di, 0, sizeof(*di));
	if (get_u32(tb[KXEN_A_DOMID], &di->domid))
		return -EPROTO;
	if (tb[KXEN_A_NAME])
		nla_strlcpy(di->name, tb[KXEN_A_NAME], sizeof(di->name));
	get_u64(tb[KXEN_A_MEM_KB], &di->mem_kb);
	get_u64(tb[KXEN_A_MAX_MEM_KB], &di->max_mem_kb);
	get_u64(tb[KXEN_A_CUR_MEM_KB], &di->cur_mem_kb);
	get_u32(tb[KXEN_A_VCPUS], &di->vcpus);
	if (get_u32(tb[KXEN_A_VCPUS_ONLINE], &di->vcpus_online))
		di->vcpus_online = di->vcpus;
	get_u32(tb[KXEN_A_STATE], &di->state);
	get_u64(tb[KXEN_A_CPU_TIME_NS], &di->cpu_time_ns);
	di->has_reason = !get_u32(tb[KXEN_A_SHUTDOWN_REASON],
				  &di->shutdown_reason);
	if (tb[KXEN_A_UUID] && nla_len(tb[KXEN_A_UUID]) == sizeof(di->uuid)) {
		memcpy(di->uuid, nla_data(tb[KXEN_A_UUID]), sizeof(di->uuid));
		di->has_uuid = true;
	}
	di->has_sched = !get_u32(tb[KXEN_A_SCHED_WEIGHT], &di->sched_weight) &&
			!get_u32(tb[KXEN_A_SCHED_CAP], &di->sched_cap);
	get_u32(tb[KXEN_A_MAX_GRANT_FRAMES], &di->max_grant_frames);
	get_u32(tb[KXEN_A_MAX_EVTCHN_PORT], &di->max_evtchn_port);
	kxen_parse_vbd_stats(tb[KXEN_A_VBD_STATS], di->vbd);
	return 0;
}

int kxen_parse_hostinfo(struct nlattr **tb, struct kxen_hostinfo *hi)
{
	struct nlattr *st[KXEN_STAT_MAX + 1];

	memset(hi, 0, sizeof(*hi));
	if (get_u32(tb[KXEN_A_API_VERSION], &hi->api_version))
		return -EPROTO;
	get_u64(tb[KXEN_A_CAPS], &hi->caps);
	if (tb[KXEN_A_VENDOR])
		nla_strlcpy(hi->vendor, tb[KXEN_A_VENDOR], sizeof(hi->vendor));
	hi->has_mitigations = !get_u64(tb[KXEN_A_MITIGATIONS],
					&hi->mitigations);
	if (tb[KXEN_A_STATS] &&
	    !nla_parse_nested(st, KXEN_STAT_MAX, tb[KXEN_A_STATS], NULL)) {
		hi->has_stats =
			!get_u64(st[KXEN_STAT_LIVE_PAGES], &hi->live_pages) &&
			!get_u64(st[KXEN_STAT_LIVE_OBJECTS],
				 &hi->live_objects) &&
			!get_u32(st[KXEN_STAT_DOMAINS], &hi->domains);
	}
	return 0;
}

static int hostinfo_cb(struct nlattr **tb, void *arg)
{
	return kxen_parse_hostinfo(tb, arg);
}

int kxen_get_info(struct kxen_ctl *ctl, struct kxen_hostinfo *hi)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_GET_INFO, false);

	if (!msg)
		return -ENOMEM;
	memset(hi, 0, sizeof(*hi));
	return kxen_ctl_send(ctl, msg, hostinfo_cb, hi);
}

static int domid_cb(struct nlattr **tb, void *arg)
{
	return get_u32(tb[KXEN_A_DOMID], arg);
}

int kxen_domain_create_opts(struct kxen_ctl *ctl, const char *name,
			    uint64_t mem_kb, uint32_t vcpus, uint32_t flags,
			    const struct kxen_create_opts *opts,
			    uint32_t *domid)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_DOMAIN_CREATE, false);
	static const struct kxen_create_opts none;
	int ret;

	if (!msg)
		return -ENOMEM;
	if (!opts)
		opts = &none;
	if (nla_put_string(msg, KXEN_A_NAME, name) ||
	    nla_put_u64(msg, KXEN_A_MEM_KB, mem_kb) ||
	    nla_put_u32(msg, KXEN_A_VCPUS, vcpus) ||
	    nla_put_u32(msg, KXEN_A_FLAGS, flags) ||
	    (opts->uuid && nla_put(msg, KXEN_A_UUID, 16, opts->uuid)) ||
	    (opts->max_grant_frames &&
	     nla_put_u32(msg, KXEN_A_MAX_GRANT_FRAMES,
			 opts->max_grant_frames)) ||
	    (opts->max_evtchn_port &&
	     nla_put_u32(msg, KXEN_A_MAX_EVTCHN_PORT,
			 opts->max_evtchn_port)) ||
	    (opts->max_mem_kb &&
	     nla_put_u64(msg, KXEN_A_MAX_MEM_KB, opts->max_mem_kb))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	*domid = UINT32_MAX;
	ret = kxen_ctl_send(ctl, msg, domid_cb, domid);
	if (!ret && *domid == UINT32_MAX)
		return -EPROTO;	/* an ACK without the DOMID reply */
	return ret;
}

int kxen_domain_create(struct kxen_ctl *ctl, const char *name,
		       uint64_t mem_kb, uint32_t vcpus, uint32_t flags,
		       uint32_t *domid)
{
	return kxen_domain_create_opts(ctl, name, mem_kb, vcpus, flags, NULL,
				       domid);
}

int kxen_domain_cmd(struct kxen_ctl *ctl, uint8_t cmd, uint32_t domid)
{
	struct nl_msg *msg = kxen_msg_new(ctl, cmd, false);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, KXEN_A_DOMID, domid)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kxen_ctl_send(ctl, msg, NULL, NULL);
}

int kxen_domain_shutdown(struct kxen_ctl *ctl, uint32_t domid,
			 uint32_t reason)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_DOMAIN_SHUTDOWN,
					  false);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, KXEN_A_DOMID, domid) ||
	    nla_put_u32(msg, KXEN_A_SHUTDOWN_REASON, reason)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kxen_ctl_send(ctl, msg, NULL, NULL);
}

static int dominfo_cb(struct nlattr **tb, void *arg)
{
	return kxen_parse_dominfo(tb, arg);
}

int kxen_domain_get(struct kxen_ctl *ctl, uint32_t domid,
		    struct kxen_dominfo *di)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_DOMAIN_GET, false);
	int ret;

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, KXEN_A_DOMID, domid)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	di->domid = UINT32_MAX;
	ret = kxen_ctl_send(ctl, msg, dominfo_cb, di);
	if (!ret && di->domid != domid)
		return -EPROTO;
	return ret;
}

struct dom_array {
	struct kxen_dominfo *v;
	size_t n, alloc;
};

static int list_cb(struct nlattr **tb, void *arg)
{
	struct dom_array *a = arg;
	struct kxen_dominfo *n;

	if (a->n == a->alloc) {
		a->alloc = a->alloc ? a->alloc * 2 : 16;
		n = realloc(a->v, a->alloc * sizeof(*n));
		if (!n)
			return -ENOMEM;
		a->v = n;
	}
	return kxen_parse_dominfo(tb, &a->v[a->n++]);
}

int kxen_domain_list(struct kxen_ctl *ctl, struct kxen_dominfo **out,
		     size_t *n)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_DOMAIN_GET, true);
	struct dom_array a = { 0 };
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = kxen_ctl_send(ctl, msg, list_cb, &a);
	if (ret) {
		free(a.v);
		return ret;
	}
	*out = a.v;
	*n = a.n;
	return 0;
}

int kxen_vcpu_set_boot(struct kxen_ctl *ctl, uint32_t domid, uint32_t vcpu,
		       uint64_t entry, uint64_t start_info)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_VCPU_SET_BOOT, false);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, KXEN_A_DOMID, domid) ||
	    nla_put_u32(msg, KXEN_A_VCPU, vcpu) ||
	    nla_put_u64(msg, KXEN_A_ENTRY, entry) ||
	    nla_put_u64(msg, KXEN_A_START_INFO, start_info)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kxen_ctl_send(ctl, msg, NULL, NULL);
}

int kxen_domain_set_param(struct kxen_ctl *ctl, uint32_t domid,
			  uint32_t index, uint64_t value)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_DOMAIN_SET_PARAM,
					  false);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, KXEN_A_DOMID, domid) ||
	    nla_put_u32(msg, KXEN_A_PARAM_INDEX, index) ||
	    nla_put_u64(msg, KXEN_A_PARAM_VALUE, value)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kxen_ctl_send(ctl, msg, NULL, NULL);
}

struct vcpu_array {
	struct kxen_vcpuinfo *v;
	size_t n;
};

static int get_cpumap(const struct nlattr *map, uint32_t *words,
		      unsigned int *nwords)
{
	if (nla_len(map) % 4 || nla_len(map) > KXEN_CPUMAP_MAX)
		return -EPROTO;
	*nwords = nla_len(map) / 4;
	memcpy(words, nla_data(map), nla_len(map));
	return 0;
}

static int parse_vcpu(struct nlattr *nest, struct kxen_vcpuinfo *vi)
{
	struct nlattr *tb[KXEN_VCPU_A_MAX + 1];
	struct nlattr *map;

	if (nla_parse_nested(tb, KXEN_VCPU_A_MAX, nest, NULL) ||
	    get_u32(tb[KXEN_VCPU_A_ID], &vi->id) ||
	    get_u32(tb[KXEN_VCPU_A_STATE], &vi->state) ||
	    get_u64(tb[KXEN_VCPU_A_TIME_NS], &vi->time_ns))
		return -EPROTO;
	vi->has_cpu = !get_u32(tb[KXEN_VCPU_A_CPU], &vi->cpu);
	map = tb[KXEN_VCPU_A_CPUMAP];
	if (!map || get_cpumap(map, vi->cpumap, &vi->cpumap_words))
		return -EPROTO;
	map = tb[KXEN_VCPU_A_CPUMAP_SOFT];
	if (map && get_cpumap(map, vi->cpumap_soft, &vi->soft_words))
		return -EPROTO;
	return 0;
}

static int vcpus_cb(struct nlattr **tb, void *arg)
{
	struct vcpu_array *a = arg;
	struct nlattr *nest;
	int rem, n = 0;

	if (!tb[KXEN_A_VCPU_INFO])
		return -EPROTO;
	nla_for_each_nested(nest, tb[KXEN_A_VCPU_INFO], rem)
		n++;
	a->v = calloc(n ? n : 1, sizeof(*a->v));
	if (!a->v)
		return -ENOMEM;
	nla_for_each_nested(nest, tb[KXEN_A_VCPU_INFO], rem) {
		if (parse_vcpu(nest, &a->v[a->n]))
			return -EPROTO;
		a->n++;
	}
	return 0;
}

int kxen_vcpu_list(struct kxen_ctl *ctl, uint32_t domid,
		   struct kxen_vcpuinfo **out, size_t *n)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_VCPU_GET, false);
	struct vcpu_array a = { 0 };
	int ret;

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, KXEN_A_DOMID, domid)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	ret = kxen_ctl_send(ctl, msg, vcpus_cb, &a);
	if (!ret && !a.v)
		ret = -EPROTO;	/* an ACK without the reply */
	if (ret) {
		free(a.v);
		return ret;
	}
	*out = a.v;
	*n = a.n;
	return 0;
}

/* Send a request unless putting its attributes failed (@put_err). */
static int send_put(struct kxen_ctl *ctl, struct nl_msg *msg, int put_err)
{
	if (put_err) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kxen_ctl_send(ctl, msg, NULL, NULL);
}

int kxen_vcpu_set_affinity(struct kxen_ctl *ctl, uint32_t domid,
			   uint32_t vcpu, const uint32_t *hard,
			   const uint32_t *soft, unsigned int nwords)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_VCPU_SET_AFFINITY,
					  false);

	if (!msg)
		return -ENOMEM;
	return send_put(ctl, msg, nla_put_u32(msg, KXEN_A_DOMID, domid) ||
			    nla_put_u32(msg, KXEN_A_VCPU, vcpu) ||
			    (hard && nla_put(msg, KXEN_A_CPUMAP, nwords * 4,
					     hard)) ||
			    (soft && nla_put(msg, KXEN_A_CPUMAP_SOFT, nwords * 4,
					     soft)));
}

int kxen_domain_set_max_mem(struct kxen_ctl *ctl, uint32_t domid,
			    uint64_t max_kb)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_DOMAIN_SET_MAX_MEM,
					  false);

	if (!msg)
		return -ENOMEM;
	return send_put(ctl, msg, nla_put_u32(msg, KXEN_A_DOMID, domid) ||
			    nla_put_u64(msg, KXEN_A_MAX_MEM_KB, max_kb));
}

int kxen_domain_rename(struct kxen_ctl *ctl, uint32_t domid,
		       const char *name)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_DOMAIN_RENAME, false);

	if (!msg)
		return -ENOMEM;
	return send_put(ctl, msg, nla_put_u32(msg, KXEN_A_DOMID, domid) ||
			    (name && nla_put_string(msg, KXEN_A_NAME, name)));
}

int kxen_domain_set_sched(struct kxen_ctl *ctl, uint32_t domid,
			  uint32_t weight, int64_t cap)
{
	struct nl_msg *msg = kxen_msg_new(ctl, KXEN_CMD_DOMAIN_SET_SCHED,
					  false);

	if (!msg)
		return -ENOMEM;
	return send_put(ctl, msg, nla_put_u32(msg, KXEN_A_DOMID, domid) ||
			    (weight && nla_put_u32(msg, KXEN_A_SCHED_WEIGHT,
						   weight)) ||
			    (cap >= 0 && nla_put_u32(msg, KXEN_A_SCHED_CAP,
						     (uint32_t)cap)));
}

int kxen_dev_open(void)
{
	int fd = open(KXEN_DEV_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int kxen_dev_version(int fd, struct kxen_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	if (ioctl(fd, KXEN_IOC_GET_VERSION, ver))
		return -errno;
	return ver->api_version == KXEN_API_VERSION ? 0 : -EPROTO;
}

int kxen_dev_bind(int fd, uint32_t domid)
{
	struct kxen_bind b = { .domid = domid };

	return ioctl(fd, KXEN_IOC_BIND_DOMAIN, &b) ? -errno : 0;
}
