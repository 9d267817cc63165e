// SPDX-License-Identifier: GPL-2.0
/*
 * uapi_test: the errno contract of uapi/linux/kxen.h, checked against the
 * loaded kxen module.  kselftest TAP output; exit 0 all passed, 1 any
 * failed, 4 skipped (module not loaded).
 *
 * The contract tested here (the module implements exactly this):
 *
 * /dev/kxen ioctls
 *   GET_VERSION             -> 0, api_version = KXEN_API_VERSION
 *   GET_VERSION, flags != 0 or any reserved[] != 0        -> EINVAL
 *   unknown ioctl number                                  -> ENOTTY
 *   BIND_DOMAIN, no such domid                            -> ESRCH
 *   BIND_DOMAIN, flags != 0 or reserved[] != 0            -> EINVAL
 *   BIND_DOMAIN on a file already bound                   -> EBUSY
 *   mmap() or read() on a file not bound to a domain      -> EINVAL
 *   mmap() past the end of the domain's RAM               -> ENXIO
 *   read(), O_NONBLOCK, nothing in the console stream     -> EAGAIN
 *   read() once the bound domain is destroyed             -> 0 (EOF)
 *   mmap(MAP_SHARED, offset = GPA) writes reach guest RAM: data written
 *   through one mapping is read back through a second one.
 *
 * generic netlink family "kxen" (strict validation, as genetlink gives
 * families by default: unknown attributes and wrong lengths -> EINVAL)
 *   GET_INFO                -> API_VERSION = KXEN_API_VERSION, CAPS,
 *                              STATS{LIVE_PAGES, LIVE_OBJECTS, DOMAINS}
 *   DOMAIN_CREATE missing NAME, MEM_KB or VCPUS           -> EINVAL
 *   DOMAIN_CREATE FLAGS with a bit outside KXEN_DOMAIN_F_ALL -> EINVAL
 *   DOMAIN_CREATE FLAGS NESTED_HVM -> 0 with KXEN_CAP_NESTED_SVM or
 *                           KXEN_CAP_NESTED_VMX, else EOPNOTSUPP
 *   DOMAIN_CREATE VCPUS = 0 or > KXEN_MAX_VCPUS           -> EINVAL
 *       (checked in the handler: NLA_POLICY_RANGE would say ERANGE)
 *   DOMAIN_CREATE MEM_KB = 0 or not a multiple of 4       -> EINVAL
 *   DOMAIN_CREATE NAME empty, or KXEN_NAME_MAX characters or more
 *       (policy NLA_NUL_STRING, .len = KXEN_NAME_MAX - 1)  -> EINVAL
 *       (names are [A-Za-z0-9._-]; the tests use only such names)
 *   DOMAIN_CREATE NAME of a live domain                   -> EEXIST
 *   DOMAIN_CREATE with an attribute type > KXEN_A_MAX     -> EINVAL
 *   DOMAIN_CREATE valid     -> reply with DOMID; the domain is in state
 *                              KXEN_STATE_CREATED and listed by
 *                              DOMAIN_GET (doit and dumpit) with NAME,
 *                              MEM_KB, VCPUS, STATE
 *   DOMAIN_DESTROY, _PAUSE, _UNPAUSE, _GET: no such domid -> ESRCH
 *   DOMAIN_DESTROY without DOMID                          -> EINVAL
 *   VCPU_SET_BOOT, no such domid                          -> ESRCH
 *   VCPU_SET_BOOT, VCPU >= the domain's vcpus             -> EINVAL
 *   SET_PARAM, no such domid                              -> ESRCH
 *   SET_PARAM, index >= HVM_NR_PARAMS (39)                -> EINVAL
 *   SET_PARAM CONSOLE_PFN outside RAM                     -> EINVAL
 *   SET_PARAM CONSOLE_PFN again                           -> EBUSY
 *   SET_PARAM CONSOLE_EVTCHN (kxen picks it)              -> EINVAL
 *   write() without a PV console -> ENODEV; with one, into its ring
 *   VCPU_GET, VCPU_SET_AFFINITY, DOMAIN_SET_MAX_MEM, DOMAIN_RENAME: no
 *       such domid                                        -> ESRCH
 *   VCPU_GET                -> one nest per vCPU: ID, STATE (OFFLINE
 *                              before it ever ran, no CPU), CPUMAP
 *   VCPU_SET_AFFINITY to CPU 0 -> 0; VCPU_GET then shows CPU 0 alone
 *   VCPU_SET_AFFINITY empty CPUMAP, a CPU past nr_cpu_ids, a length not
 *       a multiple of 4, VCPU >= the domain's vcpus, neither CPUMAP nor
 *       CPUMAP_SOFT                                       -> EINVAL
 *   VCPU_GET                -> CPUMAP_SOFT = CPUMAP, every CPU, at first
 *   VCPU_SET_AFFINITY CPUMAP_SOFT alone to CPU 0, then empty -> 0 each;
 *       VCPU_GET shows it as given, the hard set unchanged
 *   VCPU_SET_AFFINITY CPUMAP_SOFT past nr_cpu_ids, of 3 bytes -> EINVAL
 *   DOMAIN_GET              -> MAX_MEM_KB = CUR_MEM_KB = MEM_KB at first
 *   DOMAIN_GET              -> VBD_STATS: its 5 counters, 0 without a
 *                              disk; a GET carrying it -> EINVAL
 *   DOMAIN_SET_MAX_MEM not a multiple of 4                -> EINVAL
 *   DOMAIN_SET_MAX_MEM below what the domain holds -> 0, as Xen's
 *       XEN_DOMCTL_max_mem; GET shows the new MAX_MEM_KB
 *   DOMAIN_RENAME valid -> 0, GET shows it; to its own name -> 0
 *   DOMAIN_RENAME empty, with a '/', or without NAME      -> EINVAL
 *   DOMAIN_RENAME to another live domain's name           -> EEXIST
 *   DOMAIN_SET_SCHED: no such domid                       -> ESRCH
 *   DOMAIN_GET              -> SCHED_WEIGHT 256, SCHED_CAP 0 at first
 *   DOMAIN_SET_SCHED WEIGHT 0 or > 65535, CAP > 100 per vCPU, neither
 *       of them, no DOMID, an unknown attribute, WEIGHT as a u16 -> EINVAL
 *   DOMAIN_SET_SCHED WEIGHT 512 CAP 200 (2 vCPUs) -> 0, GET shows both;
 *       CAP alone leaves WEIGHT as it is
 *   a running domain's vCPU thread "kxen/dNv0" has the nice level of its
 *       weight (/proc/PID/stat): 512 -> -3, then set at once 128 -> 3
 *   DOMAIN_DESTROY valid    -> 0; the domain is then gone (GET: ESRCH),
 *                              and within 2 s of the last file and
 *                              mapping closing, STATS LIVE_PAGES,
 *                              LIVE_OBJECTS and DOMAINS are back to
 *                              their values before the create.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xen/hvm/params.h>
#include <netlink/genl/ctrl.h>

#include "kxenctl.h"
#include "ksft.h"

#define PLAN		125
#define TEST_MEM_KB	(16 * 1024)
#define TEST_VCPUS	2

static struct kxen_ctl ctl;
static uint32_t bad_domid;	/* names no domain */

static const char *err_name(int err)
{
	static char buf[32];

	switch (-err) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ESRCH: return "ESRCH";
	case EEXIST: return "EEXIST";
	case EBUSY: return "EBUSY";
	case ENOTTY: return "ENOTTY";
	case EAGAIN: return "EAGAIN";
	case ERANGE: return "ERANGE";
	case ENOENT: return "ENOENT";
	case ENXIO: return "ENXIO";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	}
	snprintf(buf, sizeof(buf), "errno %d", -err);
	return buf;
}

/* One result: @got (0 or -errno) must equal @want. */
static void expect(int got, int want, const char *what)
{
	ksft_test_result(got == want, "%s -> %s", what, err_name(want));
	if (got != want)
		ksft_print_msg("got %s%s%s\n", err_name(got),
			       ctl.ext_msg[0] ? ": " : "", ctl.ext_msg);
}

static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static void test_version(int fd)
{
	struct kxen_version v = { 0 };
	int err = ioctl_err(fd, KXEN_IOC_GET_VERSION, &v);

	ksft_test_result(!err && v.api_version == KXEN_API_VERSION,
			 "GET_VERSION returns api_version %d",
			 KXEN_API_VERSION);
	if (err || v.api_version != KXEN_API_VERSION)
		ksft_print_msg("got %s, api_version %u\n", err_name(err),
			       v.api_version);
	memset(&v, 0, sizeof(v));
	v.flags = 1;
	expect(ioctl_err(fd, KXEN_IOC_GET_VERSION, &v), -EINVAL,
	       "GET_VERSION with flags set");
	memset(&v, 0, sizeof(v));
	v.reserved[5] = 1;
	expect(ioctl_err(fd, KXEN_IOC_GET_VERSION, &v), -EINVAL,
	       "GET_VERSION with reserved[5] set");
	expect(ioctl_err(fd, _IO(KXEN_IOC_MAGIC, 0x7f), NULL), -ENOTTY,
	       "unknown ioctl");
}

static void test_unbound(int fd)
{
	struct kxen_bind b = { .domid = bad_domid };
	char c;
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);

	expect(p == MAP_FAILED ? -errno : 0, -EINVAL, "mmap before bind");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	expect(read(fd, &c, 1) < 0 ? -errno : 0, -EINVAL, "read before bind");
	expect(ioctl_err(fd, KXEN_IOC_BIND_DOMAIN, &b), -ESRCH,
	       "BIND to a domid with no domain");
	b.flags = 1;
	expect(ioctl_err(fd, KXEN_IOC_BIND_DOMAIN, &b), -EINVAL,
	       "BIND with flags set");
}

static int info_ok(const struct kxen_hostinfo *hi)
{
	return hi->api_version == KXEN_API_VERSION && hi->has_stats;
}

static void test_info(struct kxen_hostinfo *hi)
{
	int err = kxen_get_info(&ctl, hi);

	ksft_test_result(!err && info_ok(hi),
			 "GET_INFO returns API_VERSION %d and STATS",
			 KXEN_API_VERSION);
	if (err || !info_ok(hi))
		ksft_print_msg("got %s, api_version %u, stats %s\n",
			       err_name(err), hi->api_version,
			       hi->has_stats ? "yes" : "missing");
}

/*
 * KXEN_A_MITIGATIONS: in GET_INFO's reply, known bits only, and none
 * that the vendor cannot use (L1TF is VT-x's, the lite RSB fill eIBRS's);
 * in a request it is refused, as every reply-only attribute is.
 */
static void test_mitigations(const struct kxen_hostinfo *hi)
{
	bool svm = !strcmp(hi->vendor, "svm");
	struct nl_msg *m;
	int err;

	ksft_test_result(hi->has_mitigations &&
			 !(hi->mitigations & ~KXEN_MIT_ALL),
			 "GET_INFO returns MITIGATIONS, known bits only");
	if (!hi->has_mitigations || (hi->mitigations & ~KXEN_MIT_ALL))
		ksft_print_msg("mitigations %s 0x%llx\n",
			       hi->has_mitigations ? "" : "missing",
			       (unsigned long long)hi->mitigations);
	ksft_test_result(!svm || !(hi->mitigations &
				   (KXEN_MIT_L1D_FLUSH |
				    KXEN_MIT_RSB_VMEXIT_LITE)),
			 "MITIGATIONS: no l1d_flush or rsb_vmexit_lite on svm");
	ksft_test_result(!((hi->mitigations & KXEN_MIT_IBPB) &&
			   (hi->mitigations & KXEN_MIT_IBPB_VMEXIT)),
			 "MITIGATIONS: ibpb between domains only without ibpb_vmexit");

	m = kxen_msg_new(&ctl, KXEN_CMD_GET_INFO, false);
	err = -ENOMEM;
	if (m && nla_put_u64(m, KXEN_A_MITIGATIONS, 0)) {
		nlmsg_free(m);
		err = -EMSGSIZE;
	} else if (m) {
		err = kxen_ctl_send(&ctl, m, NULL, NULL);
	}
	expect(err, -EINVAL, "GET_INFO carrying MITIGATIONS");
}

struct create_args {
	const char *name;
	uint64_t mem_kb;
	uint32_t vcpus, flags;
	bool no_name, no_mem, no_vcpus, with_flags, unknown_attr;
	bool vcpus_u16;
	const uint8_t *uuid;	/* uuid_len bytes of it, when set */
	int uuid_len;
	uint32_t gnt, evt;	/* MAX_GRANT_FRAMES, MAX_EVTCHN_PORT if set */
	bool with_gnt, with_evt, gnt_u16;
	uint64_t max_kb;	/* MAX_MEM_KB (populate-on-demand) if set */
	bool with_max;
};

static int domid_reply(struct nlattr **tb, void *arg)
{
	if (tb[KXEN_A_DOMID])
		*(uint32_t *)arg = nla_get_u32(tb[KXEN_A_DOMID]);
	return 0;
}

/* A CREATE built field by field; a domain made by mistake is destroyed. */
static int create_raw(const struct create_args *a)
{
	struct nl_msg *m = kxen_msg_new(&ctl, KXEN_CMD_DOMAIN_CREATE, false);
	uint32_t domid = UINT32_MAX;
	int err = 0;

	if (!m)
		return -ENOMEM;
	if (!a->no_name)
		err |= nla_put_string(m, KXEN_A_NAME, a->name);
	if (!a->no_mem)
		err |= nla_put_u64(m, KXEN_A_MEM_KB, a->mem_kb);
	if (!a->no_vcpus && a->vcpus_u16)
		err |= nla_put_u16(m, KXEN_A_VCPUS, a->vcpus);
	else if (!a->no_vcpus)
		err |= nla_put_u32(m, KXEN_A_VCPUS, a->vcpus);
	if (a->with_flags)
		err |= nla_put_u32(m, KXEN_A_FLAGS, a->flags);
	if (a->unknown_attr)
		err |= nla_put_u32(m, KXEN_A_MAX + 1, 0);
	if (a->uuid)
		err |= nla_put(m, KXEN_A_UUID, a->uuid_len, a->uuid);
	if (a->with_gnt && a->gnt_u16)
		err |= nla_put_u16(m, KXEN_A_MAX_GRANT_FRAMES, a->gnt);
	else if (a->with_gnt)
		err |= nla_put_u32(m, KXEN_A_MAX_GRANT_FRAMES, a->gnt);
	if (a->with_evt)
		err |= nla_put_u32(m, KXEN_A_MAX_EVTCHN_PORT, a->evt);
	if (a->with_max)
		err |= nla_put_u64(m, KXEN_A_MAX_MEM_KB, a->max_kb);
	if (err) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	err = kxen_ctl_send(&ctl, m, domid_reply, &domid);
	if (!err && domid != UINT32_MAX)
		kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_DESTROY, domid);
	return err;
}

/* nestedhvm: created where the backend offers it, refused by name else. */
static void test_create_nested(const char *name,
			       const struct kxen_hostinfo *hi)
{
	const struct create_args a = {
		.name = name, .mem_kb = TEST_MEM_KB, .vcpus = 1,
		.with_flags = true, .flags = KXEN_DOMAIN_F_NESTED_HVM,
	};
	bool offered = hi->caps & (KXEN_CAP_NESTED_SVM | KXEN_CAP_NESTED_VMX);

	expect(create_raw(&a), offered ? 0 : -EOPNOTSUPP,
	       offered ? "CREATE with NESTED_HVM (a KXEN_CAP_NESTED_ cap)" :
			 "CREATE with NESTED_HVM (no KXEN_CAP_NESTED_ cap)");
}

static void test_create_bad(const char *name)
{
	static const uint8_t uuid17[17] = { 1, 2, 3 }, zero[16];
	static const char long_name[KXEN_NAME_MAX + 1] =
		"0123456789012345678901234567890123456789012345678901234567890123";
	const struct create_args ok = {
		.name = name, .mem_kb = TEST_MEM_KB, .vcpus = 1,
	};
	struct create_args a;

#define TRY(field_assignments, what)				\
	do {							\
		a = ok;						\
		field_assignments;				\
		expect(create_raw(&a), -EINVAL, what);		\
	} while (0)

	TRY(a.no_name = true, "CREATE without NAME");
	TRY(a.no_mem = true, "CREATE without MEM_KB");
	TRY(a.no_vcpus = true, "CREATE without VCPUS");
	TRY((a.with_flags = true, a.flags = 1U << 31),
	    "CREATE with an unknown FLAGS bit");
	TRY(a.vcpus = 0, "CREATE with VCPUS = 0");
	TRY(a.vcpus = KXEN_MAX_VCPUS + 1, "CREATE with VCPUS > KXEN_MAX_VCPUS");
	TRY(a.mem_kb = TEST_MEM_KB + 2,
	    "CREATE with MEM_KB not a multiple of 4");
	TRY(a.mem_kb = 0, "CREATE with MEM_KB = 0");
	TRY(a.name = long_name, "CREATE with a name of KXEN_NAME_MAX chars");
	TRY(a.name = "", "CREATE with an empty name");
	TRY(a.unknown_attr = true, "CREATE with an unknown attribute");
	TRY(a.vcpus_u16 = true, "CREATE with VCPUS as a u16");
	TRY((a.uuid = uuid17, a.uuid_len = 15), "CREATE with a 15-byte UUID");
	TRY((a.uuid = uuid17, a.uuid_len = 17), "CREATE with a 17-byte UUID");
	TRY((a.uuid = zero, a.uuid_len = 16), "CREATE with an all-zero UUID");
	TRY((a.with_gnt = true, a.gnt = 0), "CREATE with MAX_GRANT_FRAMES = 0");
	TRY((a.with_gnt = true, a.gnt = KXEN_MAX_GRANT_FRAMES + 1),
	    "CREATE with MAX_GRANT_FRAMES > KXEN_MAX_GRANT_FRAMES");
	TRY((a.with_gnt = true, a.gnt = 4, a.gnt_u16 = true),
	    "CREATE with MAX_GRANT_FRAMES as a u16");
	TRY((a.with_evt = true, a.evt = 0), "CREATE with MAX_EVTCHN_PORT = 0");
	TRY((a.with_evt = true, a.evt = KXEN_MAX_EVTCHN_PORT + 1),
	    "CREATE with MAX_EVTCHN_PORT > KXEN_MAX_EVTCHN_PORT");
	TRY((a.with_max = true, a.max_kb = TEST_MEM_KB + 4),
	    "CREATE with MAX_MEM_KB above MEM_KB");
	TRY((a.with_max = true, a.max_kb = TEST_MEM_KB - 2),
	    "CREATE with MAX_MEM_KB not a multiple of 4");
	TRY((a.with_max = true, a.max_kb = 0), "CREATE with MAX_MEM_KB = 0");
#undef TRY
}

/*
 * MAX_MEM_KB below MEM_KB at CREATE: populate-on-demand.  GET shows the
 * RAM, the maximum, and as held what it may fill (the maximum): nothing
 * has touched its frames yet.
 */
static void test_create_pod(void)
{
	struct kxen_create_opts o = { .max_mem_kb = TEST_MEM_KB / 2 };
	struct kxen_dominfo di = { 0 };
	uint32_t domid;
	int err = kxen_domain_create_opts(&ctl, "uapi-test-pod", TEST_MEM_KB,
					  1, 0, &o, &domid);

	if (!err) {
		err = kxen_domain_get(&ctl, domid, &di);
		kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_DESTROY, domid);
	}
	ksft_test_result(!err && di.mem_kb == TEST_MEM_KB &&
			 di.max_mem_kb == TEST_MEM_KB / 2 &&
			 di.cur_mem_kb == TEST_MEM_KB / 2,
			 "CREATE with MAX_MEM_KB below MEM_KB: GET shows MEM_KB, MAX_MEM_KB, CUR_MEM_KB = MAX_MEM_KB");
	ksft_print_msg("%s: mem_kb %llu max_mem_kb %llu cur_mem_kb %llu\n",
		       err_name(err), (unsigned long long)di.mem_kb,
		       (unsigned long long)di.max_mem_kb,
		       (unsigned long long)di.cur_mem_kb);
}

/* VCPU_SET_AFFINITY built by hand; @len < 0: no map at all. */
static int affinity_attr(uint32_t domid, uint32_t vcpu, int type,
			 const void *map, int len)
{
	struct nl_msg *m = kxen_msg_new(&ctl, KXEN_CMD_VCPU_SET_AFFINITY,
					false);

	if (!m)
		return -ENOMEM;
	if (nla_put_u32(m, KXEN_A_DOMID, domid) ||
	    nla_put_u32(m, KXEN_A_VCPU, vcpu) ||
	    (len >= 0 && nla_put(m, type, len, map))) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	return kxen_ctl_send(&ctl, m, NULL, NULL);
}

/* The hard affinity (KXEN_A_CPUMAP) alone. */
static int affinity_raw(uint32_t domid, uint32_t vcpu, const void *map,
			int len)
{
	return affinity_attr(domid, vcpu, KXEN_A_CPUMAP, map, len);
}

static void test_bad_domid_domctl(void)
{
	const uint32_t cpu0 = 1;
	struct kxen_vcpuinfo *v = NULL;
	size_t n;

	expect(kxen_vcpu_list(&ctl, bad_domid, &v, &n), -ESRCH,
	       "VCPU_GET of a domid with no domain");
	free(v);
	expect(affinity_raw(bad_domid, 0, &cpu0, 4), -ESRCH,
	       "VCPU_SET_AFFINITY of a domid with no domain");
	expect(kxen_domain_set_max_mem(&ctl, bad_domid, TEST_MEM_KB), -ESRCH,
	       "DOMAIN_SET_MAX_MEM of a domid with no domain");
	expect(kxen_domain_rename(&ctl, bad_domid, "uapi-test-x"), -ESRCH,
	       "DOMAIN_RENAME of a domid with no domain");
	expect(kxen_domain_set_sched(&ctl, bad_domid, 512, 0), -ESRCH,
	       "DOMAIN_SET_SCHED of a domid with no domain");
}

static void test_bad_domid(void)
{
	struct kxen_dominfo di;
	struct nl_msg *m;

	expect(kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_DESTROY, bad_domid),
	       -ESRCH, "DESTROY of a domid with no domain");
	m = kxen_msg_new(&ctl, KXEN_CMD_DOMAIN_DESTROY, false);
	expect(m ? kxen_ctl_send(&ctl, m, NULL, NULL) : -ENOMEM, -EINVAL,
	       "DESTROY without DOMID");
	expect(kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_PAUSE, bad_domid),
	       -ESRCH, "PAUSE of a domid with no domain");
	expect(kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_UNPAUSE, bad_domid),
	       -ESRCH, "UNPAUSE of a domid with no domain");
	expect(kxen_domain_get(&ctl, bad_domid, &di), -ESRCH,
	       "GET of a domid with no domain");
	expect(kxen_vcpu_set_boot(&ctl, bad_domid, 0, 0x100000, 0x200000),
	       -ESRCH, "VCPU_SET_BOOT of a domid with no domain");
	expect(kxen_domain_set_param(&ctl, bad_domid, HVM_PARAM_CONSOLE_PFN,
				     KXEN_CONSOLE_PFN),
	       -ESRCH, "SET_PARAM of a domid with no domain");
	test_bad_domid_domctl();
}

/* A domid that no live domain has, chosen from the dump. */
static int pick_bad_domid(void)
{
	struct kxen_dominfo *v;
	size_t n, i;
	int err = kxen_domain_list(&ctl, &v, &n);

	if (err)
		return err;
	bad_domid = 0x7fef;	/* DOMID_FIRST_RESERVED - 1 */
	for (i = 0; i < n; i++)
		if (v[i].domid == bad_domid)
			bad_domid--, i = (size_t)-1;
	free(v);
	return 0;
}

static bool listed(uint32_t domid)
{
	struct kxen_dominfo *v;
	size_t n, i;
	bool found = false;

	if (kxen_domain_list(&ctl, &v, &n))
		return false;
	for (i = 0; i < n; i++)
		found |= v[i].domid == domid;
	free(v);
	return found;
}

static void test_get(uint32_t domid, const char *name)
{
	struct kxen_dominfo di;
	int err = kxen_domain_get(&ctl, domid, &di);

	ksft_test_result(!err && !strcmp(di.name, name) &&
			 di.mem_kb == TEST_MEM_KB && di.vcpus == TEST_VCPUS &&
			 di.state == KXEN_STATE_CREATED,
			 "GET shows NAME, MEM_KB, VCPUS, STATE_CREATED");
	if (err)
		ksft_print_msg("got %s\n", err_name(err));
	else
		ksft_print_msg("name '%s' mem_kb %llu vcpus %u state %u\n",
			       di.name, (unsigned long long)di.mem_kb,
			       di.vcpus, di.state);
	ksft_test_result(listed(domid), "the dump lists the new domain");
}

/* VCPU_GET of @domid: every vCPU, and vCPU @id's map is CPU 0 alone. */
static bool vcpus_ok(uint32_t domid, bool pinned_1)
{
	struct kxen_vcpuinfo *v;
	size_t n, i;
	bool ok;
	int err = kxen_vcpu_list(&ctl, domid, &v, &n);

	if (err) {
		ksft_print_msg("VCPU_GET: %s\n", err_name(err));
		return false;
	}
	ok = n == TEST_VCPUS;
	for (i = 0; ok && i < n; i++) {
		ksft_print_msg("vCPU %u state %u cpu %s map[0] 0x%x words %u\n",
			       v[i].id, v[i].state, v[i].has_cpu ? "yes" : "-",
			       v[i].cpumap[0], v[i].cpumap_words);
		ok = v[i].id == i && v[i].state == KXEN_VCPU_OFFLINE &&
		     !v[i].has_cpu && v[i].cpumap_words > 0 &&
		     (v[i].cpumap[0] & 1);
		if (ok && i == 1 && pinned_1)
			ok = v[i].cpumap[0] == 1;
	}
	free(v);
	return ok;
}

/* vCPU 0's first word of its hard and of its soft map: 0, or -1. */
static int vcpu0_maps(uint32_t domid, uint32_t *hard, uint32_t *soft)
{
	struct kxen_vcpuinfo *v;
	size_t n;
	int ret = -1;

	if (kxen_vcpu_list(&ctl, domid, &v, &n))
		return -1;
	if (n && v[0].soft_words && v[0].soft_words == v[0].cpumap_words) {
		*hard = v[0].cpumap[0];
		*soft = v[0].cpumap_soft[0];
		ksft_print_msg("vCPU 0: hard 0x%x soft 0x%x\n", *hard, *soft);
		ret = 0;
	}
	free(v);
	return ret;
}

/*
 * The soft affinity: reported as given, every CPU at first; set alone
 * without touching the hard one; an empty set taken, as Xen's
 * vcpu_set_soft_affinity takes it; the map checks of the hard one.
 */
static void test_soft_affinity(uint32_t domid)
{
	static uint32_t far[KXEN_CPUMAP_WORDS];
	const uint32_t cpu0 = 1, none = 0;
	uint32_t all = 0, hard = 0, soft = 0;

	ksft_test_result(!vcpu0_maps(domid, &all, &soft) && (all & 1) &&
			 soft == all,
			 "VCPU_GET: vCPU 0's CPUMAP_SOFT is its CPUMAP, every CPU, at first");
	expect(affinity_attr(domid, 0, KXEN_A_CPUMAP_SOFT, &cpu0, 4), 0,
	       "VCPU_SET_AFFINITY with CPUMAP_SOFT alone, CPU 0");
	ksft_test_result(!vcpu0_maps(domid, &hard, &soft) && soft == 1 &&
			 hard == all,
			 "VCPU_GET: soft CPU 0 alone, the hard set as it was");
	expect(affinity_attr(domid, 0, KXEN_A_CPUMAP_SOFT, &none, 4), 0,
	       "VCPU_SET_AFFINITY with an empty CPUMAP_SOFT: taken, as Xen");
	ksft_test_result(!vcpu0_maps(domid, &hard, &soft) && !soft &&
			 hard == all,
			 "VCPU_GET: the empty soft set, as given");
	far[KXEN_CPUMAP_WORDS - 1] = 1U << 31;	/* CPU 8191 */
	expect(affinity_attr(domid, 0, KXEN_A_CPUMAP_SOFT, far, sizeof(far)),
	       -EINVAL, "VCPU_SET_AFFINITY with a soft CPU past nr_cpu_ids");
	expect(affinity_attr(domid, 0, KXEN_A_CPUMAP_SOFT, &cpu0, 3), -EINVAL,
	       "VCPU_SET_AFFINITY with a CPUMAP_SOFT of 3 bytes");
}

static void test_affinity(uint32_t domid)
{
	static uint32_t far[KXEN_CPUMAP_WORDS];
	const uint32_t cpu0 = 1, none = 0;

	ksft_test_result(vcpus_ok(domid, false),
			 "VCPU_GET: each vCPU offline, never ran, CPU 0 allowed");
	expect(affinity_raw(domid, 1, &cpu0, 4), 0,
	       "VCPU_SET_AFFINITY of vCPU 1 to CPU 0");
	ksft_test_result(vcpus_ok(domid, true),
			 "VCPU_GET shows vCPU 1 on CPU 0 alone");
	expect(affinity_raw(domid, 1, &none, 4), -EINVAL,
	       "VCPU_SET_AFFINITY with an empty CPUMAP");
	far[KXEN_CPUMAP_WORDS - 1] = 1U << 31;	/* CPU 8191 */
	expect(affinity_raw(domid, 1, far, sizeof(far)), -EINVAL,
	       "VCPU_SET_AFFINITY with a CPU past nr_cpu_ids");
	expect(affinity_raw(domid, 1, &cpu0, 3), -EINVAL,
	       "VCPU_SET_AFFINITY with a CPUMAP of 3 bytes");
	expect(affinity_raw(domid, TEST_VCPUS, &cpu0, 4), -EINVAL,
	       "VCPU_SET_AFFINITY of a vCPU the domain lacks");
	expect(affinity_raw(domid, 0, NULL, -1), -EINVAL,
	       "VCPU_SET_AFFINITY without CPUMAP or CPUMAP_SOFT");
	test_soft_affinity(domid);
}

static void test_max_mem(uint32_t domid)
{
	struct kxen_dominfo di;
	int err = kxen_domain_get(&ctl, domid, &di);

	ksft_test_result(!err && di.max_mem_kb == TEST_MEM_KB &&
			 di.cur_mem_kb == TEST_MEM_KB,
			 "GET: MAX_MEM_KB and CUR_MEM_KB are MEM_KB at first");
	expect(kxen_domain_set_max_mem(&ctl, domid, TEST_MEM_KB / 2 + 2),
	       -EINVAL, "DOMAIN_SET_MAX_MEM not a multiple of 4");
	err = kxen_domain_set_max_mem(&ctl, domid, TEST_MEM_KB / 2) ?:
	      kxen_domain_get(&ctl, domid, &di);
	ksft_test_result(!err && di.max_mem_kb == TEST_MEM_KB / 2 &&
			 di.cur_mem_kb == TEST_MEM_KB,
			 "DOMAIN_SET_MAX_MEM below what it holds, as Xen: taken");
	if (!err)
		ksft_print_msg("max_mem_kb %llu cur_mem_kb %llu\n",
			       (unsigned long long)di.max_mem_kb,
			       (unsigned long long)di.cur_mem_kb);
}

static void test_rename(uint32_t domid, const char *name)
{
	struct kxen_dominfo di;
	char other[48];
	uint32_t id2;
	int err;

	snprintf(other, sizeof(other), "%s-r", name);
	err = kxen_domain_rename(&ctl, domid, other) ?:
	      kxen_domain_get(&ctl, domid, &di);
	ksft_test_result(!err && !strcmp(di.name, other),
			 "DOMAIN_RENAME, and GET shows the new name");
	expect(kxen_domain_rename(&ctl, domid, ""), -EINVAL,
	       "DOMAIN_RENAME to an empty name");
	expect(kxen_domain_rename(&ctl, domid, "a/b"), -EINVAL,
	       "DOMAIN_RENAME to a name with a '/'");
	expect(kxen_domain_rename(&ctl, domid, NULL), -EINVAL,
	       "DOMAIN_RENAME without NAME");
	err = kxen_domain_rename(&ctl, domid, other) ?:
	      kxen_domain_rename(&ctl, domid, name);
	expect(err, 0, "DOMAIN_RENAME to its own name, then back");
	snprintf(other, sizeof(other), "%s-b", name);
	err = kxen_domain_create(&ctl, other, TEST_MEM_KB, 1, 0, &id2);
	if (!err) {
		err = kxen_domain_rename(&ctl, id2, name);
		kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_DESTROY, id2);
	}
	expect(err, -EEXIST, "DOMAIN_RENAME to another domain's name");
}

struct sched_args {
	int64_t domid, weight, cap;	/* -1: left out */
	bool unknown_attr, weight_u16;
};

/* A DOMAIN_SET_SCHED built field by field. */
static int sched_raw(const struct sched_args *a)
{
	struct nl_msg *m = kxen_msg_new(&ctl, KXEN_CMD_DOMAIN_SET_SCHED, false);
	int err = 0;

	if (!m)
		return -ENOMEM;
	if (a->domid >= 0)
		err |= nla_put_u32(m, KXEN_A_DOMID, a->domid);
	if (a->weight >= 0 && a->weight_u16)
		err |= nla_put_u16(m, KXEN_A_SCHED_WEIGHT, a->weight);
	else if (a->weight >= 0)
		err |= nla_put_u32(m, KXEN_A_SCHED_WEIGHT, a->weight);
	if (a->cap >= 0)
		err |= nla_put_u32(m, KXEN_A_SCHED_CAP, a->cap);
	if (a->unknown_attr)
		err |= nla_put_u32(m, KXEN_A_MAX + 1, 0);
	if (err) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	return kxen_ctl_send(&ctl, m, NULL, NULL);
}

static bool sched_is(uint32_t domid, uint32_t weight, uint32_t cap)
{
	struct kxen_dominfo di;
	int err = kxen_domain_get(&ctl, domid, &di);

	if (!err && di.has_sched && di.sched_weight == weight &&
	    di.sched_cap == cap)
		return true;
	ksft_print_msg("GET: %s, weight %u cap %u (%s)\n", err_name(err),
		       di.sched_weight, di.sched_cap,
		       di.has_sched ? "reported" : "not reported");
	return false;
}

/* Weight and cap of a domain with TEST_VCPUS vCPUs: bounds, read back. */
static void test_sched(uint32_t domid)
{
	const struct sched_args ok = {
		.domid = domid, .weight = 256, .cap = 0,
	};
	struct sched_args a;

	ksft_test_result(sched_is(domid, KXEN_SCHED_WEIGHT_DEFAULT, 0),
			 "GET: weight 256 and no cap at first");
#define TRY(field_assignments, what)				\
	do {							\
		a = ok;						\
		field_assignments;				\
		expect(sched_raw(&a), -EINVAL, what);		\
	} while (0)

	TRY(a.weight = 0, "DOMAIN_SET_SCHED with WEIGHT 0");
	TRY(a.weight = 65536, "DOMAIN_SET_SCHED with WEIGHT 65536");
	TRY(a.cap = 100 * TEST_VCPUS + 1,
	    "DOMAIN_SET_SCHED with CAP over 100 per vCPU");
	TRY((a.weight = -1, a.cap = -1),
	    "DOMAIN_SET_SCHED without WEIGHT or CAP");
	TRY(a.domid = -1, "DOMAIN_SET_SCHED without DOMID");
	TRY(a.unknown_attr = true, "DOMAIN_SET_SCHED with an unknown attribute");
	TRY(a.weight_u16 = true, "DOMAIN_SET_SCHED with WEIGHT as a u16");
#undef TRY
	expect(kxen_domain_set_sched(&ctl, domid, 512, 100 * TEST_VCPUS), 0,
	       "DOMAIN_SET_SCHED of weight 512, cap 100 per vCPU");
	ksft_test_result(sched_is(domid, 512, 100 * TEST_VCPUS),
			 "GET shows weight 512 and the cap");
	a = ok;
	a.weight = -1;
	expect(sched_raw(&a), 0, "DOMAIN_SET_SCHED of the cap alone");
	ksft_test_result(sched_is(domid, 512, 0),
			 "GET: the weight is kept, the cap gone");
}

/* Process @pid's nice level if its name is @comm, else INT_MIN. */
static int stat_nice(const char *pid, const char *comm)
{
	char path[300], buf[512], *p, *q = NULL;
	size_t len = strlen(comm);
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return INT_MIN;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	if (p)
		q = strchr(buf, '(');
	if (!q || p - q - 1 != (long)len || strncmp(q + 1, comm, len))
		return INT_MIN;
	/* "PID (COMM) STATE ...": nice is field 19, the 17th after ')' */
	for (i = 0; p && i < 17; i++)
		p = strchr(p + 1, ' ');
	return p ? atoi(p + 1) : INT_MIN;
}

/* The nice level of the thread named @comm, or INT_MIN if none. */
static int thread_nice(const char *comm)
{
	DIR *dir = opendir("/proc");
	int nice = INT_MIN;
	struct dirent *e;

	while (dir && nice == INT_MIN && (e = readdir(dir)))
		nice = stat_nice(e->d_name, comm);
	if (dir)
		closedir(dir);
	return nice;
}

/* hlt; jmp back: the vCPU runs, then sleeps for good. */
static int start_halted(uint32_t domid)
{
	static const unsigned char code[] = { 0xf4, 0xeb, 0xfd };
	int fd = kxen_dev_open(), err;
	unsigned char *p;

	if (fd < 0)
		return fd;
	err = kxen_dev_bind(fd, domid);
	p = err ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				    MAP_SHARED, fd, 0x1000);
	if (p == MAP_FAILED) {
		close(fd);
		return err ? err : -errno;
	}
	memcpy(p, code, sizeof(code));
	munmap(p, 4096);
	close(fd);
	return kxen_vcpu_set_boot(&ctl, domid, 0, 0x1000, 0x2000) ?:
	       kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_UNPAUSE, domid);
}

/* A weight before the thread exists, and one while it runs. */
static void test_sched_nice(void)
{
	char name[32], comm[32];
	uint32_t domid;
	int err, n1 = INT_MIN, n2 = INT_MIN;

	snprintf(name, sizeof(name), "uapi-nice-%d", (int)getpid());
	err = kxen_domain_create(&ctl, name, TEST_MEM_KB, 1, 0, &domid) ?:
	      kxen_domain_set_sched(&ctl, domid, 512, -1);
	if (!err) {
		err = start_halted(domid);
		snprintf(comm, sizeof(comm), "kxen/d%uv0", domid);
		n1 = thread_nice(comm);
		if (!err)
			err = kxen_domain_set_sched(&ctl, domid, 128, -1);
		n2 = thread_nice(comm);
		kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_DESTROY, domid);
	}
	if (err)
		ksft_print_msg("running a halted domain: %s%s%s\n",
			       err_name(err), ctl.ext_msg[0] ? ": " : "",
			       ctl.ext_msg);
	ksft_test_result(!err && n1 == -3,
			 "weight 512 set before it ran: its vCPU thread is nice -3 (%d)",
			 n1);
	ksft_test_result(!err && n2 == 3,
			 "weight 128 set while it runs: nice 3 at once (%d)", n2);
}

/* Write a pattern through one mapping, read it through another. */
static bool ram_round_trip(int fd)
{
	size_t len = (size_t)TEST_MEM_KB << 10, i;
	unsigned char *p, *q;
	bool ok = true;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return false;
	for (i = 0; i < len; i += 4096)
		p[i] = (unsigned char)(i >> 12) ^ 0x5a;
	munmap(p, len);
	q = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, len - 2 * 4096);
	if (q == MAP_FAILED)
		return false;
	for (i = 0; i < 2; i++)
		ok &= q[i * 4096] ==
		      ((unsigned char)((len - (2 - i) * 4096) >> 12) ^ 0x5a);
	munmap(q, 2 * 4096);
	return ok;
}

static void test_dev_bound(int fd, uint32_t domid)
{
	size_t len = (size_t)TEST_MEM_KB << 10;
	struct kxen_bind b = { .domid = domid };
	char c;
	void *p;

	expect(ioctl_err(fd, KXEN_IOC_BIND_DOMAIN, &b), 0, "BIND to it");
	expect(ioctl_err(fd, KXEN_IOC_BIND_DOMAIN, &b), -EBUSY, "second BIND");
	ksft_test_result(ram_round_trip(fd),
			 "RAM written through mmap reads back through another");
	p = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, len - 4096);
	expect(p == MAP_FAILED ? -errno : 0, -ENXIO,
	       "mmap past the end of RAM");
	if (p != MAP_FAILED)
		munmap(p, 2 * 4096);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	expect(read(fd, &c, 1) < 0 ? -errno : 0, -EAGAIN,
	       "non-blocking read of an empty console");
	expect(kxen_vcpu_set_boot(&ctl, domid, TEST_VCPUS, 0x100000, 0x200000),
	       -EINVAL, "VCPU_SET_BOOT with VCPU >= vcpus");
	expect(write(fd, "x", 1) < 0 ? -errno : 0, -ENODEV,
	       "console write() before the PV console exists");
	expect(kxen_domain_set_param(&ctl, domid, 39, 0), -EINVAL,
	       "SET_PARAM of an index past HVM_NR_PARAMS");
	expect(kxen_domain_set_param(&ctl, domid, HVM_PARAM_CONSOLE_PFN,
				     (uint64_t)TEST_MEM_KB >> 2),
	       -EINVAL, "SET_PARAM CONSOLE_PFN outside RAM");
	expect(kxen_domain_set_param(&ctl, domid, HVM_PARAM_CONSOLE_PFN,
				     KXEN_CONSOLE_PFN),
	       0, "SET_PARAM CONSOLE_PFN sets up the PV console");
	expect(kxen_domain_set_param(&ctl, domid, HVM_PARAM_CONSOLE_PFN,
				     KXEN_CONSOLE_PFN),
	       -EBUSY, "a second console -> EBUSY");
	expect(kxen_domain_set_param(&ctl, domid, HVM_PARAM_CONSOLE_EVTCHN, 5),
	       -EINVAL, "SET_PARAM CONSOLE_EVTCHN is kxen's to choose");
	expect(write(fd, "x", 1), 1, "console write() goes into its ring");
}

static bool stats_back(const struct kxen_hostinfo *before)
{
	struct kxen_hostinfo now;
	int i;

	for (i = 0; i < 20; i++) {
		if (!kxen_get_info(&ctl, &now) && now.has_stats &&
		    now.live_pages == before->live_pages &&
		    now.live_objects == before->live_objects &&
		    now.domains == before->domains)
			return true;
		usleep(100000);
	}
	ksft_print_msg("pages %llu -> %llu, objects %llu -> %llu, domains %u -> %u\n",
		       (unsigned long long)before->live_pages,
		       (unsigned long long)now.live_pages,
		       (unsigned long long)before->live_objects,
		       (unsigned long long)now.live_objects,
		       before->domains, now.domains);
	return false;
}

/* What an unprivileged user's calls return (the child's side). */
enum {
	UP_INFO, UP_GET, UP_DUMP, UP_CREATE, UP_DESTROY, UP_EVENTS, UP_DEV,
	UP_N
};

static void unprivileged_calls(uint32_t domid, int out)
{
	struct kxen_hostinfo hi;
	struct kxen_dominfo di, *v = NULL;
	struct kxen_ctl uctl;
	int r[UP_N], grp, i;
	uint32_t newid;
	size_t n;

	for (i = 0; i < UP_N; i++)
		r[i] = -EIO;
	if (setgid(65534) || setuid(65534) || kxen_ctl_open(&uctl))
		goto out;
	r[UP_INFO] = kxen_get_info(&uctl, &hi);
	r[UP_GET] = kxen_domain_get(&uctl, domid, &di);
	r[UP_DUMP] = kxen_domain_list(&uctl, &v, &n);
	free(v);
	r[UP_CREATE] = kxen_domain_create(&uctl, "uapi-unpriv", TEST_MEM_KB,
					  1, 0, &newid);
	r[UP_DESTROY] = kxen_domain_cmd(&uctl, KXEN_CMD_DOMAIN_DESTROY, domid);
	grp = genl_ctrl_resolve_grp(uctl.sk, KXEN_GENL_NAME,
				    KXEN_GENL_MCGRP_EVENTS);
	r[UP_EVENTS] = grp < 0 ? grp : nl_socket_add_membership(uctl.sk, grp);
	r[UP_DEV] = kxen_dev_open();
	if (r[UP_DEV] >= 0)
		close(r[UP_DEV]);
	kxen_ctl_close(&uctl);
out:
	if (write(out, r, sizeof(r)) != sizeof(r))
		_exit(1);
	_exit(0);
}

/*
 * As user nobody: the host's version and capabilities are readable;
 * nothing that names, lists, reports on or changes a domain is.
 */
static void test_unprivileged(uint32_t domid)
{
	int p[2], r[UP_N], st, i;
	pid_t pid;

	for (i = 0; i < UP_N; i++)
		r[i] = -EIO;
	if (pipe(p) == 0) {
		pid = fork();
		if (pid == 0) {
			close(p[0]);
			unprivileged_calls(domid, p[1]);
		}
		close(p[1]);
		if (read(p[0], r, sizeof(r)) != sizeof(r))
			ksft_print_msg("the unprivileged child reported nothing\n");
		close(p[0]);
		if (pid > 0)
			waitpid(pid, &st, 0);
	}
	expect(r[UP_INFO], 0, "unprivileged GET_INFO");
	expect(r[UP_GET], -EPERM, "unprivileged GET of a live domain");
	expect(r[UP_DUMP], -EPERM, "unprivileged GET dump");
	expect(r[UP_CREATE], -EPERM, "unprivileged CREATE");
	expect(r[UP_DESTROY], -EPERM, "unprivileged DESTROY");
	ksft_test_result(r[UP_EVENTS] != 0,
			 "unprivileged join of the events group is refused (%d)",
			 r[UP_EVENTS]);
	expect(r[UP_DEV], -EACCES, "unprivileged open of " KXEN_DEV_PATH);
}

/* GET of @domid carrying @attr, which only CREATE takes. */
static int get_with(uint32_t domid, int attr)
{
	struct nl_msg *m = kxen_msg_new(&ctl, KXEN_CMD_DOMAIN_GET, false);
	static const uint8_t uuid[16] = { 1 };

	if (!m)
		return -ENOMEM;
	if (nla_put_u32(m, KXEN_A_DOMID, domid) ||
	    (attr == KXEN_A_UUID ? nla_put(m, attr, sizeof(uuid), uuid) :
	     nla_put_u32(m, attr, 4))) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	return kxen_ctl_send(&ctl, m, NULL, NULL);
}

/* KXEN_A_VBD_STATS of a GET reply: how many counters, how many non-zero. */
struct vbd_seen {
	int present, nonzero;
	bool nest;
};

static int vbd_reply(struct nlattr **tb, void *arg)
{
	struct nlattr *st[KXEN_VBD_MAX + 1];
	struct vbd_seen *s = arg;
	int i;

	if (!tb[KXEN_A_VBD_STATS] ||
	    nla_parse_nested(st, KXEN_VBD_MAX, tb[KXEN_A_VBD_STATS], NULL))
		return 0;
	s->nest = true;
	for (i = KXEN_VBD_OO; i <= KXEN_VBD_WSECT; i++) {
		if (!st[i] || nla_len(st[i]) != sizeof(uint64_t))
			continue;
		s->present++;
		s->nonzero += nla_get_u64(st[i]) != 0;
	}
	return 0;
}

/* xentop's VBD counters: all five in GET's reply, 0 without a disk. */
static void test_vbd_stats(uint32_t domid)
{
	struct nl_msg *m = kxen_msg_new(&ctl, KXEN_CMD_DOMAIN_GET, false);
	struct vbd_seen s = { 0 };
	int err = -ENOMEM;

	if (m && nla_put_u32(m, KXEN_A_DOMID, domid)) {
		nlmsg_free(m);
		m = NULL;
	}
	if (m)
		err = kxen_ctl_send(&ctl, m, vbd_reply, &s);
	ksft_test_result(!err && s.nest && s.present == 5 && !s.nonzero,
			 "GET: VBD_STATS has its 5 counters, 0 without a disk (%d, %d)",
			 s.present, s.nonzero);
	expect(get_with(domid, KXEN_A_VBD_STATS), -EINVAL,
	       "GET with VBD_STATS");
}

/* xl.cfg's uuid, max_grant_frames, max_event_channels: set, read back. */
static void test_create_limits(uint32_t domid, const char *name)
{
	static const uint8_t uuid[16] = {
		0x5b, 0xd8, 0xe4, 0xa1, 0x0c, 0x3b, 0x4f, 0x3e,
		0x9d, 0x55, 0x3e, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e,
	};
	const struct kxen_create_opts o = {
		.uuid = uuid, .max_grant_frames = 4, .max_evtchn_port = 100,
	};
	struct create_args a = {
		.mem_kb = TEST_MEM_KB, .vcpus = 1,
		.uuid = uuid, .uuid_len = sizeof(uuid),
	};
	struct kxen_dominfo di;
	char other[48];
	uint32_t id2;
	int err;

	expect(get_with(domid, KXEN_A_UUID), -EINVAL, "GET with a UUID");
	expect(get_with(domid, KXEN_A_MAX_GRANT_FRAMES), -EINVAL,
	       "GET with MAX_GRANT_FRAMES");
	err = kxen_domain_get(&ctl, domid, &di);
	ksft_test_result(!err && di.max_grant_frames == KXEN_MAX_GRANT_FRAMES &&
			 di.max_evtchn_port == KXEN_MAX_EVTCHN_PORT,
			 "GET without them at CREATE: 64 frames, every port");
	snprintf(other, sizeof(other), "%s-limits", name);
	err = kxen_domain_create_opts(&ctl, other, TEST_MEM_KB, 1, 0, &o,
				      &id2);
	expect(err, 0, "CREATE with UUID, MAX_GRANT_FRAMES, MAX_EVTCHN_PORT");
	if (err) {
		ksft_test_result_skip("CREATE failed", "read back");
		ksft_test_result_skip("CREATE failed", "duplicate UUID");
		ksft_test_result_skip("CREATE failed", "UUID free again");
		return;
	}
	err = kxen_domain_get(&ctl, id2, &di);
	ksft_test_result(!err && di.has_uuid &&
			 !memcmp(di.uuid, uuid, sizeof(uuid)) &&
			 di.max_grant_frames == 4 && di.max_evtchn_port == 100,
			 "GET reads the UUID and both limits back");
	snprintf(other, sizeof(other), "%s-dup", name);
	a.name = other;
	err = create_raw(&a);
	expect(err, -EEXIST, "CREATE with a live domain's UUID");
	if (err == -EEXIST && !strstr(ctl.ext_msg, "UUID"))
		ksft_print_msg("extack: '%s'\n", ctl.ext_msg);
	kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_DESTROY, id2);
	expect(create_raw(&a), 0, "CREATE with the UUID once its domain is gone");
}

#define LIFECYCLE_TESTS	66	/* results test_lifecycle() reports */

/* Create, inspect through @fd, destroy; closes @fd. */
static void test_lifecycle(int fd, const struct kxen_hostinfo *before)
{
	const struct create_args dup = {
		.name = NULL, .mem_kb = TEST_MEM_KB, .vcpus = 1,
	};
	struct create_args a = dup;
	struct kxen_dominfo di;
	char name[32], c;
	uint32_t domid;
	int err, i;

	snprintf(name, sizeof(name), "uapi-test-%d", (int)getpid());
	err = kxen_domain_create(&ctl, name, TEST_MEM_KB, TEST_VCPUS, 0,
				 &domid);
	expect(err, 0, "CREATE of a valid domain");
	if (err) {
		for (i = 1; i < LIFECYCLE_TESTS; i++)
			ksft_test_result_skip("CREATE failed", "lifecycle");
		close(fd);
		return;
	}
	test_get(domid, name);
	test_affinity(domid);
	test_max_mem(domid);
	test_rename(domid, name);
	test_sched(domid);
	test_unprivileged(domid);
	test_create_limits(domid, name);
	test_vbd_stats(domid);
	a.name = name;
	expect(create_raw(&a), -EEXIST, "CREATE with a live domain's name");
	test_dev_bound(fd, domid);
	expect(kxen_domain_cmd(&ctl, KXEN_CMD_DOMAIN_DESTROY, domid), 0,
	       "DESTROY of the domain");
	expect(kxen_domain_get(&ctl, domid, &di), -ESRCH,
	       "GET after DESTROY");
	expect(read(fd, &c, 1) < 0 ? -errno : 0, 0,
	       "read after DESTROY returns EOF");
	close(fd);
	ksft_test_result(stats_back(before),
			 "STATS pages, objects, domains back after DESTROY");
}

int main(void)
{
	struct kxen_hostinfo before;
	int fd, err;

	ksft_print_header();
	fd = kxen_dev_open();
	err = kxen_ctl_open(&ctl);
	if (fd == -ENOENT && err == -ENOENT)
		ksft_exit_skip("kxen module not loaded");
	ksft_set_plan(PLAN);
	if (fd < 0 || err) {
		ksft_print_msg("%s: %s; netlink family: %s\n", KXEN_DEV_PATH,
			       strerror(-fd), err_name(err));
		return KSFT_FAIL;
	}
	if (pick_bad_domid())
		bad_domid = 0x7fef;
	test_version(fd);
	test_unbound(fd);
	test_info(&before);
	test_mitigations(&before);
	test_create_bad("uapi-test-bad");
	test_create_nested("uapi-test-nested", &before);
	test_create_pod();
	test_bad_domid();
	test_sched_nice();
	test_lifecycle(fd, &before);
	kxen_ctl_close(&ctl);
	if (ksft_n != PLAN)
		ksft_print_msg("ran %u tests, planned %d\n", ksft_n, PLAN);
	return ksft_exit();
}
