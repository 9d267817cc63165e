// SPDX-License-Identifier: GPL-2.0
/*
 * The xenstore ring client; see kg/xs.h.  Ring indexes are free-running
 * (io/xs_wire.h MASK_XENSTORE_IDX), each side moves only its own
 * producer or consumer index and notifies the port after it did.
 */
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <kg/xs.h>
#include <xen/hvm/params.h>

#define FOUR_GIB_PFN	0x100000ull	/* 4 GiB in 4 KiB frames */

struct xenstore_domain_interface *kg_xs;
evtchn_port_t kg_xs_port;
struct xsd_sockmsg kg_xs_hdr;
char kg_xs_body[XENSTORE_PAYLOAD_MAX + 1];

static u32 next_req = 1;

static struct {
	char path[64];
	char token[32];
} events[KG_XS_MAX_EVENTS];
static unsigned int nr_events;

long kg_xs_init(u64 *pfn, u64 *port)
{
	long rc;

	*pfn = 0;
	*port = 0;
	rc = kg_hvm_get_param(HVM_PARAM_STORE_PFN, pfn);
	rc |= kg_hvm_get_param(HVM_PARAM_STORE_EVTCHN, port);
	if (!rc && *pfn && *pfn < FOUR_GIB_PFN && *port &&
	    *port < EVTCHN_2L_NR_CHANNELS) {
		/* Below 4 GiB the boot page tables map va == pa. */
		kg_xs = (void *)(uintptr_t)(*pfn << 12);
		kg_xs_port = *port;
	}
	return rc;
}

u32 kg_xs_next_id(void)
{
	return next_req++;
}

bool kg_xs_block;
u64 kg_xs_wait_ns = KG_XS_WAIT_NS;

/*
 * A wait for the other end: a spin, or with kg_xs_block the vCPU gives
 * its CPU away in SCHEDOP_poll on the store's port until it is pending,
 * for 1 ms at most (an upcall may have taken the event between the
 * ring's check and the poll).
 */
static void wait_for_store(void)
{
	if (!kg_xs_block) {
		kg_cpu_relax();
		return;
	}
	if (kg_evtchn_is_pending(kg_xs_port))
		kg_evtchn_clear_pending(kg_xs_port);
	else
		kg_poll_port(kg_xs_port, KG_NSEC_PER_MSEC);
}

static void kick(void)
{
	kg_evtchn_send(kg_xs_port);
}

bool kg_xs_put(const void *buf, u32 len)
{
	const char *p = buf;
	u64 end = kg_now_ns() + kg_xs_wait_ns;
	XENSTORE_RING_IDX cons, prod;
	u32 n;

	while (len) {
		cons = READ_ONCE(kg_xs->req_cons);
		prod = kg_xs->req_prod;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (prod - cons >= XENSTORE_RING_SIZE) {
			if (kg_now_ns() > end)
				return false;
			wait_for_store();
			continue;
		}
		n = XENSTORE_RING_SIZE - (prod - cons);
		if (n > len)
			n = len;
		if (n > XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod))
			n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
		memcpy(kg_xs->req + MASK_XENSTORE_IDX(prod), p, n);
		/* The bytes before the index that publishes them. */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		WRITE_ONCE(kg_xs->req_prod, prod + n);
		kick();
		p += n;
		len -= n;
	}
	return true;
}

/* Copies @len bytes out of the reply ring, waiting up to @wait_ns. */
static bool ring_get(void *buf, u32 len, u64 wait_ns)
{
	char *p = buf;
	u64 end = kg_now_ns() + wait_ns;
	XENSTORE_RING_IDX cons, prod;
	u32 n;

	while (len) {
		prod = READ_ONCE(kg_xs->rsp_prod);
		cons = kg_xs->rsp_cons;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (prod == cons) {
			if (kg_now_ns() > end)
				return false;
			wait_for_store();
			continue;
		}
		n = prod - cons;
		if (n > len)
			n = len;
		if (n > XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons))
			n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
		memcpy(p, kg_xs->rsp + MASK_XENSTORE_IDX(cons), n);
		/* Done reading the bytes before giving their room back. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		WRITE_ONCE(kg_xs->rsp_cons, cons + n);
		kick();
		p += n;
		len -= n;
	}
	return true;
}

bool kg_xs_recv(u64 wait_ns)
{
	if (!ring_get(&kg_xs_hdr, sizeof(kg_xs_hdr), wait_ns))
		return false;
	if (kg_xs_hdr.len > XENSTORE_PAYLOAD_MAX) {
		kg_error("reply length %u over XENSTORE_PAYLOAD_MAX\n",
			 kg_xs_hdr.len);
		return false;
	}
	if (!ring_get(kg_xs_body, kg_xs_hdr.len, kg_xs_wait_ns))
		return false;
	kg_xs_body[kg_xs_hdr.len] = '\0';
	return true;
}

void kg_xs_note_event(void)
{
	u32 len = kg_xs_hdr.len;
	size_t pl = strnlen(kg_xs_body, len);
	const char *token = kg_xs_body + pl + 1;

	/* The payload is "path\0token\0" (xenstore.txt, WATCH_EVENT). */
	if (nr_events >= KG_XS_MAX_EVENTS || pl + 1 >= len ||
	    pl >= sizeof(events[0].path) ||
	    strlen(token) >= sizeof(events[0].token))
		return;
	memcpy(events[nr_events].path, kg_xs_body, pl + 1);
	memcpy(events[nr_events].token, token, strlen(token) + 1);
	nr_events++;
}

bool kg_xs_saw_event(const char *path, const char *token)
{
	unsigned int i;

	for (i = 0; i < nr_events; i++)
		if (!strcmp(events[i].path, path) &&
		    !strcmp(events[i].token, token))
			return true;
	return false;
}

unsigned int kg_xs_nr_events(void)
{
	return nr_events;
}

void kg_xs_forget_events(void)
{
	nr_events = 0;
}

u32 kg_xs_request(u32 type, u32 tx, const char *a, const char *b, bool b_raw)
{
	struct xsd_sockmsg h = { .type = type, .req_id = kg_xs_next_id(),
				 .tx_id = tx };
	u32 al = a ? strlen(a) + 1 : 0;
	u32 bl = b ? strlen(b) + !b_raw : 0;

	h.len = al + bl;
	if (!kg_xs_put(&h, sizeof(h)) || !kg_xs_put(a, al) ||
	    !kg_xs_put(b, bl))
		return XS_INVALID;
	for (;;) {
		if (!kg_xs_recv(kg_xs_wait_ns))
			return XS_INVALID;
		if (kg_xs_hdr.type == XS_WATCH_EVENT) {
			kg_xs_note_event();
			continue;
		}
		if (kg_xs_hdr.req_id != h.req_id) {
			kg_error("reply with req_id %u, want %u\n",
				 kg_xs_hdr.req_id, h.req_id);
			return XS_INVALID;
		}
		return kg_xs_hdr.type;
	}
}

bool kg_xs_read(const char *path, char *buf, size_t size)
{
	if (kg_xs_request(XS_READ, 0, path, NULL, false) != XS_READ ||
	    kg_xs_hdr.len >= size)
		return false;
	memcpy(buf, kg_xs_body, kg_xs_hdr.len + 1);
	return true;
}

bool kg_xs_read_ulong(const char *path, unsigned long *val)
{
	const char *end;
	char buf[24];

	return kg_xs_read(path, buf, sizeof(buf)) &&
	       kg_parse_ulong(buf, val, &end) && !*end;
}

bool kg_xs_write(const char *path, const char *val)
{
	return kg_xs_request(XS_WRITE, 0, path, val, true) == XS_WRITE;
}

bool kg_xs_printf(const char *path, const char *fmt, ...)
{
	char val[128];
	va_list ap;

	va_start(ap, fmt);
	kg_vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return kg_xs_write(path, val);
}
