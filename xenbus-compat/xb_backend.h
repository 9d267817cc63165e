/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backend side of a xenbus device's state machine (the XenbusState
 * handshake of xen/interface/io/xenbus.h), as Linux's blkback and
 * netback drive it, in plain C for the kernel and the unit tests.  The
 * glue feeds in what the frontend's "state" node says and carries out
 * the actions returned, in the order of the bits below, then reports
 * how a connect went.
 */
#ifndef XB_BACKEND_H
#define XB_BACKEND_H

#include "xs_os.h"

/* XenbusState values (io/xenbus.h), for code that has no Xen headers. */
enum xb_state {
	XB_UNKNOWN = 0,
	XB_INITIALISING = 1,
	XB_INITWAIT = 2,
	XB_INITIALISED = 3,
	XB_CONNECTED = 4,
	XB_CLOSING = 5,
	XB_CLOSED = 6,
	XB_RECONFIGURING = 7,
	XB_RECONFIGURED = 8,
};

/* What the glue does, in this order, for one frontend change. */
#define XB_ACT_DISCONNECT	0x01u	/* drop rings and event channels */
#define XB_ACT_CONNECT		0x02u	/* map rings, then xb_be_connected() */
#define XB_ACT_WRITE_STATE	0x04u	/* write be->state to our "state" */
#define XB_ACT_REMOVE		0x08u	/* the device goes */
#define XB_ACT_FATAL		0x10u	/* frontend broke protocol: log it */
/* Re-read the frontend's settings, before the state is written. */
#define XB_ACT_RECONFIGURE	0x20u

struct xb_be {
	enum xb_state state;	/* ours, as last written */
	bool online;		/* the toolstack's "online" node */
	/*
	 * The driver takes Reconfiguring from a connected frontend, as
	 * Linux's netback does for netif.h's "xdp-headroom"; else it is
	 * refused, as Linux's blkback refuses it.
	 */
	bool reconfigure;
	u32 connects;		/* connections made, for the tests */
};

/* A new device, after the backend's features are written: InitWait. */
unsigned int xb_be_probe(struct xb_be *be);
/* The frontend's state node now reads @fe (parsed; XB_UNKNOWN if gone). */
unsigned int xb_be_frontend_changed(struct xb_be *be, int fe);
/* How XB_ACT_CONNECT went: 0, or a negative errno (we close). */
unsigned int xb_be_connected(struct xb_be *be, int err);
/* Parse a state node's value: a state, or -1 for anything else. */
int xb_state_parse(const char *val, u32 len);

#endif /* XB_BACKEND_H */
