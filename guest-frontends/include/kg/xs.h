/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A xenstore client over the guest's own ring, as a PVH Linux's xenbus
 * uses it.  The ring page (io/xs_wire.h struct xenstore_domain_interface:
 * 1024-byte request and reply rings) is at HVM_PARAM_STORE_PFN and its
 * event channel, bound by the toolstack to the store's end, is
 * HVM_PARAM_STORE_EVTCHN (hvm/params.h).  Messages are an xsd_sockmsg
 * header and a payload (docs/misc/xenstore.txt).  Paths without a
 * leading '/' are relative to /local/domain/<our domid>.
 *
 * kg_now_ns() times the waits: map shared_info first.  One request is
 * in flight at a time.
 */
#ifndef KG_XS_H
#define KG_XS_H

#include <kg/lib.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/io/xs_wire.h>

/* How long a request waits for its reply, and the ring for room. */
#define KG_XS_WAIT_NS	(2000ull * 1000 * 1000)
/* The same, for this guest: KG_XS_WAIT_NS unless it set another. */
extern u64 kg_xs_wait_ns;

/* The ring and its port; NULL and 0 until kg_xs_init() found them. */
extern struct xenstore_domain_interface *kg_xs;
extern evtchn_port_t kg_xs_port;

/* The message read last: its header, then its payload and a NUL. */
extern struct xsd_sockmsg kg_xs_hdr;
extern char kg_xs_body[XENSTORE_PAYLOAD_MAX + 1];

/*
 * HVM_PARAM_STORE_PFN and _EVTCHN into *pfn and *port; returns non-zero
 * if either hypercall failed.  A usable pair (a frame in the 4 GiB the
 * boot page tables map, a 2-level port) becomes the ring used below.
 */
long kg_xs_init(u64 *pfn, u64 *port);

/*
 * Waits for the store block the vCPU (SCHEDOP_poll on its port) instead
 * of spinning, as a Linux guest's xenbus sleeps: for guests that load the
 * store while others need the CPU.
 */
extern bool kg_xs_block;

/* A fresh req_id for a request header. */
u32 kg_xs_next_id(void);

/* @len bytes into the request ring (a notify per chunk); false on timeout. */
bool kg_xs_put(const void *buf, u32 len);

/* One message into kg_xs_hdr/kg_xs_body; false on a timeout or bad length. */
bool kg_xs_recv(u64 wait_ns);

/*
 * Sends a request (arguments @a and @b, each NUL-terminated on the wire
 * unless @b_raw, which sends @b as a value without its NUL) and waits
 * for its reply, noting watch events on the way.  Returns the reply's
 * type (XS_ERROR with the errno name in kg_xs_body), or XS_INVALID on a
 * timeout.
 */
u32 kg_xs_request(u32 type, u32 tx, const char *a, const char *b, bool b_raw);

/* Watch events (path, token) that came while waiting: the first few. */
#define KG_XS_MAX_EVENTS	8
void kg_xs_note_event(void);		/* kg_xs_body is a WATCH_EVENT */
bool kg_xs_saw_event(const char *path, const char *token);
unsigned int kg_xs_nr_events(void);
void kg_xs_forget_events(void);

/*
 * One request each, outside a transaction.  The reads NUL-terminate
 * into @buf and fail (false) on an error reply, a timeout or a value
 * that does not fit.
 */
bool kg_xs_read(const char *path, char *buf, size_t size);
bool kg_xs_read_ulong(const char *path, unsigned long *val);
bool kg_xs_write(const char *path, const char *val);
bool kg_xs_printf(const char *path, const char *fmt, ...) __printf(2, 3);

#endif /* KG_XS_H */
