// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the backend's xenbus state machine
 * (../xb_backend.c), driven the way kmod/backends/xenbus_be.c drives it.
 *
 * The input is a sequence of events, one opcode byte each (low 3 bits the
 * event, the rest its argument), some followed by operand bytes:
 *
 *   0 FE_STATE    the frontend's "state" node reads a XenbusState, 0..8
 *   1 FE_INT      ... any int at all: 4 bytes, negative or out of range
 *   2 FE_STRING   ... a string of 0-7 bytes, parsed by xb_state_parse()
 *                 the way the glue does (up to the first NUL)
 *   3 FE_NOREAD   the read fails: -ENOENT is Unknown, anything else -1
 *   4 ONLINE      the toolstack's "online" node: absent, or a number
 *   5 CONNECT_RET what the driver's next connect() returns: 0 or -errno
 *   6 DEV_GONE    the backend directory goes: the glue's kxen_xb_remove()
 *   7 DEV_NEW     it appears: kxen_xb_add(), a zeroed device, probe()
 *                 (which the driver may fail), xb_be_probe(); its driver
 *                 takes Reconfiguring or not (netback, blkback)
 *
 * A device is probed before the first event.  Frontend events reach the
 * machine only while a device is there and its probe worked, as the
 * glue's watch does, with "online" re-read first; the actions go through
 * a copy of the glue's kxen_xb_act(), the driver's rings being one flag.
 *
 * Checked after every step (abort() on a violation, which libFuzzer
 * reports), from io/xenbus.h's states and the handshake that Linux's
 * blkfront and netfront expect of blkback and netback:
 *
 *  - every action mask holds only XB_ACT_* bits; the backend's state is a
 *    XenbusState, and one a backend takes here: XenbusStateInitWait,
 *    XenbusStateConnected, XenbusStateClosing or XenbusStateClosed, or
 *    XenbusStateReconfigured for a driver that takes Reconfiguring;
 *  - probe gives InitWait and writes it;
 *  - connect is asked for exactly when the frontend is
 *    XenbusStateInitialised (or XenbusStateConnected, which Linux
 *    blkback accepts, a watch having missed Initialised) and we are not
 *    Connected already; never while the rings are mapped (DISCONNECT
 *    comes first, and is idempotent), never with REMOVE or FATAL;
 *  - a failed connect ends in Closing with the rings dropped; one that
 *    worked ends in Connected, and is counted once;
 *  - frontend Initialising or InitWait never tears a connection down;
 *    frontend Closing leaves us Closing, Closed leaves us Closed with
 *    the rings dropped; either way we stop being Connected;
 *  - Reconfiguring from a frontend we are Connected (or Reconfigured)
 *    to, for a driver that takes it, re-reads its settings and makes us
 *    Reconfigured with the rings kept; its Connected after that makes us
 *    Connected again, with no reconnect.  Reconfiguring otherwise,
 *    Reconfigured, and anything that is no XenbusState is refused
 *    (FATAL): Closing, rings dropped;
 *  - REMOVE exactly for a frontend gone (Unknown) or Closed while
 *    offline, and then the rings are dropped (and Closed is Closed);
 *  - every change of our state comes with WRITE_STATE, so that our
 *    "state" node (hotplug's deferral aside) is what the machine says,
 *    but for REMOVE: our directory is going, and a write would make it
 *    again;
 *  - Connected (or Reconfigured) means the rings are mapped, REMOVE or not: the glue keeps
 *    the watch until the directory goes, so a frontend may write its
 *    state node again after Unknown, and must then find us Closed.
 *  - xb_state_parse() accepts exactly "0" to "8".
 */
#include "xb_backend.h"

#define MAX_EVENTS	128
#define XB_ACT_ALL	(XB_ACT_DISCONNECT | XB_ACT_CONNECT | \
			 XB_ACT_WRITE_STATE | XB_ACT_REMOVE | XB_ACT_FATAL | \
			 XB_ACT_RECONFIGURE)

enum {
	FE_STATE, FE_INT, FE_STRING, FE_NOREAD, ONLINE, CONNECT_RET,
	DEV_GONE, DEV_NEW,
};

static const int connect_rets[] = {
	0, -EINVAL, -ENOMEM, -ENOENT, -EIO, -EBUSY, -E2BIG, -ENOSPC,
	-EOPNOTSUPP, -EFAULT, -EAGAIN, -ENODEV, -EPERM, -ENXIO, -1, -4095,
};

/* The glue's device, and what the harness knows besides. */
struct harness {
	struct xb_be *sm;	/* NULL: no device */
	bool failed;		/* its probe failed: no watch, no machine */
	bool mapped;		/* the driver holds rings */
	bool removed;		/* REMOVE asked since the probe */
	int written;		/* our "state" node; -1: not written */
	u32 connects;		/* connects that worked */
	bool online_set;	/* the "online" node */
	u32 online;
	int connect_ret;
};

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_xb_backend: line %d: %s\n",	\
			__LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static bool fe_is(int fe, int a, int b)
{
	return fe == a || fe == b;
}

/* What xb_state_parse() must make of @len bytes. */
static int parse_ref(const char *s, u32 len)
{
	return len == 1 && s[0] >= '0' && s[0] <= '8' ? s[0] - '0' : -1;
}

static void check_always(const struct harness *h)
{
	const struct xb_be *sm = h->sm;

	if (!sm || h->failed)
		return;
	CHECK(sm->state >= XB_UNKNOWN && sm->state <= XB_RECONFIGURED);
	CHECK(sm->state == XB_INITWAIT || sm->state == XB_CONNECTED ||
	      sm->state == XB_CLOSING || sm->state == XB_CLOSED ||
	      (sm->state == XB_RECONFIGURED && sm->reconfigure));
	CHECK(h->written == (int)sm->state || h->removed);
	CHECK((sm->state != XB_CONNECTED && sm->state != XB_RECONFIGURED) ||
	      h->mapped);
	CHECK(sm->connects == h->connects);
}

/* The driver's disconnect(): idempotent. */
static void disconnect(struct harness *h)
{
	h->mapped = false;
}

/* kxen_xb_act(), with the driver's connect() and the checks around it. */
static void act(struct harness *h, unsigned int a, int fe)
{
	struct xb_be *sm = h->sm;
	int ret;

	CHECK(!(a & ~XB_ACT_ALL));
	if (a & (XB_ACT_DISCONNECT | XB_ACT_REMOVE))
		disconnect(h);
	if (a & XB_ACT_CONNECT) {
		CHECK(fe_is(fe, XB_INITIALISED, XB_CONNECTED));
		CHECK(sm->state != XB_CONNECTED);
		CHECK(!h->mapped);
		/* A failed connect() may have mapped some rings. */
		h->mapped = true;
		ret = h->connect_ret;
		if (ret)
			disconnect(h);
		a = xb_be_connected(sm, ret);
		CHECK(!(a & ~XB_ACT_ALL));
		CHECK(!(a & (XB_ACT_CONNECT | XB_ACT_REMOVE)));
		if (ret) {
			CHECK(a == (XB_ACT_FATAL | XB_ACT_DISCONNECT |
				    XB_ACT_WRITE_STATE));
			CHECK(sm->state == XB_CLOSING);
		} else {
			CHECK(a == XB_ACT_WRITE_STATE);
			CHECK(sm->state == XB_CONNECTED);
			h->connects++;
		}
		a &= ~XB_ACT_FATAL;
		if (a & XB_ACT_DISCONNECT)
			disconnect(h);
	}
	if (a & XB_ACT_WRITE_STATE)
		h->written = sm->state;
}

/* kxen_xb_work(): the frontend's state node now gives @fe. */
static void fe_changed(struct harness *h, int fe)
{
	struct xb_be *sm = h->sm;
	enum xb_state prev;
	bool online, was_mapped = h->mapped, reconf, back;
	bool known = fe >= XB_UNKNOWN && fe <= XB_CLOSED;
	unsigned int a;

	if (!sm || h->failed)
		return;		/* no watch */
	sm->online = h->online_set ? h->online : 0;
	online = sm->online;
	prev = sm->state;
	/* Taken Reconfiguring; Connected again after it. */
	reconf = fe == XB_RECONFIGURING && sm->reconfigure &&
		 fe_is(prev, XB_CONNECTED, XB_RECONFIGURED);
	back = fe == XB_CONNECTED && prev == XB_RECONFIGURED;
	a = xb_be_frontend_changed(sm, fe);

	CHECK(!(a & ~XB_ACT_ALL));
	CHECK(sm->online == online);
	CHECK(!!(a & XB_ACT_CONNECT) ==
	      (fe_is(fe, XB_INITIALISED, XB_CONNECTED) &&
	       prev != XB_CONNECTED && !back));
	if (a & XB_ACT_CONNECT)
		CHECK(a == (XB_ACT_DISCONNECT | XB_ACT_CONNECT));
	CHECK(!!(a & XB_ACT_FATAL) == !(known || reconf));
	CHECK(!!(a & XB_ACT_RECONFIGURE) == reconf);
	if (reconf)
		CHECK(a == (XB_ACT_RECONFIGURE | XB_ACT_WRITE_STATE) &&
		      sm->state == XB_RECONFIGURED);
	if (back)
		CHECK(a == XB_ACT_WRITE_STATE && sm->state == XB_CONNECTED);
	CHECK(!!(a & XB_ACT_REMOVE) ==
	      (fe == XB_UNKNOWN || (fe == XB_CLOSED && !online)));
	if (fe_is(fe, XB_INITIALISING, XB_INITWAIT))
		CHECK(!(a & (XB_ACT_DISCONNECT | XB_ACT_CONNECT)));
	if (fe_is(fe, XB_INITIALISED, XB_CONNECTED) && prev == XB_CONNECTED)
		CHECK(a == 0);

	act(h, a, fe);
	if (a & XB_ACT_REMOVE)
		h->removed = true;

	if (fe == XB_CLOSING)
		CHECK(sm->state == XB_CLOSING);
	if (fe == XB_CLOSED)
		CHECK(sm->state == XB_CLOSED && !h->mapped);
	if (!known && !reconf)
		CHECK(sm->state == XB_CLOSING && !h->mapped);
	if (reconf || back)
		CHECK(h->mapped && h->mapped == was_mapped);
	if (a & XB_ACT_REMOVE)
		CHECK(!h->mapped);
	if (a & XB_ACT_CONNECT)
		CHECK(h->connect_ret ?
		      sm->state == XB_CLOSING && !h->mapped :
		      sm->state == XB_CONNECTED && h->mapped);
	/* Unchanged, but for GRUB's hand-over: Closed, then Initialising. */
	if (fe_is(fe, XB_INITIALISING, XB_INITWAIT))
		CHECK(h->mapped == was_mapped &&
		      (sm->state == prev ||
		       (fe == XB_INITIALISING && prev == XB_CLOSED &&
			sm->state == XB_INITWAIT)));
	check_always(h);
}

/* kxen_xb_remove(): the glue drops the rings, remove(), kfree(). */
static void dev_gone(struct harness *h)
{
	if (!h->sm)
		return;
	if (!h->failed)
		disconnect(h);
	CHECK(!h->mapped);
	free(h->sm);
	h->sm = NULL;
}

/* kxen_xb_add(): a zeroed device, the driver's probe, then ours. */
static void dev_new(struct harness *h, bool probe_fails, bool reconfigure)
{
	unsigned int a;

	if (h->sm)
		return;		/* the directory was there already */
	h->sm = calloc(1, sizeof(*h->sm));
	if (!h->sm)
		abort();
	h->failed = probe_fails;
	h->mapped = false;
	h->removed = false;
	h->written = -1;
	h->connects = 0;
	if (probe_fails)
		return;
	h->sm->reconfigure = reconfigure;
	a = xb_be_probe(h->sm);
	CHECK(a == XB_ACT_WRITE_STATE && h->sm->state == XB_INITWAIT);
	act(h, a, 0);
	check_always(h);
}

/* The frontend wrote @len bytes (any bytes) to its state node. */
static void fe_string(struct harness *h, const u8 *data, u32 len)
{
	char *s = malloc(len ? len : 1);	/* exact: ASan sees overreads */
	u32 n;
	int fe;

	if (!s)
		abort();
	memcpy(s, data, len);
	CHECK(xb_state_parse(s, len) == parse_ref(s, len));
	/* The glue's read gives a C string: it ends at the first NUL. */
	n = strnlen(s, len);
	fe = xb_state_parse(s, n);
	CHECK(fe == parse_ref(s, n));
	free(s);
	fe_changed(h, fe);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct harness h = { .written = -1 };
	unsigned int ev, arg, n;
	int32_t v;

	dev_new(&h, false, true);
	for (n = 0; n < MAX_EVENTS && size; n++) {
		ev = data[0] & 7;
		arg = data[0] >> 3;
		data++;
		size--;
		switch (ev) {
		case FE_STATE:
			fe_changed(&h, arg % (XB_RECONFIGURED + 1));
			break;
		case FE_INT:
			if (size < 4)
				goto out;
			memcpy(&v, data, sizeof(v));
			data += 4;
			size -= 4;
			fe_changed(&h, v);
			break;
		case FE_STRING:
			arg %= 8;
			if (size < arg)
				goto out;
			fe_string(&h, data, arg);
			data += arg;
			size -= arg;
			break;
		case FE_NOREAD:
			fe_changed(&h, arg & 1 ? XB_UNKNOWN : -1);
			break;
		case ONLINE:
			h.online_set = arg & 1;
			h.online = arg >> 1;
			break;
		case CONNECT_RET:
			h.connect_ret = connect_rets[arg %
						     ARRAY_SIZE(connect_rets)];
			break;
		case DEV_GONE:
			dev_gone(&h);
			break;
		case DEV_NEW:
			dev_new(&h, arg & 1, arg & 2);
			break;
		}
	}
out:
	dev_gone(&h);
	return 0;
}
