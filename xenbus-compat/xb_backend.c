// SPDX-License-Identifier: GPL-2.0
/*
 * The backend's half of the xenbus handshake; see xb_backend.h.  The
 * transitions are Linux blkback's frontend_changed(), which Xen's own
 * backends follow too:
 *
 *   frontend Initialising  after we went Closed: a fresh start, InitWait
 *                          (GRUB closes the disk and Linux opens it again)
 *   frontend Initialised   connect (after dropping any old connection, so
 *   or Connected           a reconnect with I/O in flight starts clean),
 *                          then Connected; nothing if already Connected
 *   frontend Reconfiguring while Connected, for a driver that takes it:
 *                          re-read its settings, go Reconfigured (Linux
 *                          netback's; the rings stay); back to Connected
 *                          when it is, with no reconnect
 *   frontend Closing       we go Closing
 *   frontend Closed        disconnect, go Closed; and if the toolstack
 *                          has set us offline, the device goes
 *   node gone (Unknown)    disconnect, Closed (not written); the device
 *                          goes
 */
#include "xb_backend.h"

unsigned int xb_be_probe(struct xb_be *be)
{
	be->state = XB_INITWAIT;
	return XB_ACT_WRITE_STATE;
}

/* A state the frontend may not be in: Linux's xenbus_dev_fatal(). */
static unsigned int xb_be_refuse(struct xb_be *be)
{
	be->state = XB_CLOSING;
	return XB_ACT_FATAL | XB_ACT_DISCONNECT | XB_ACT_WRITE_STATE;
}

unsigned int xb_be_frontend_changed(struct xb_be *be, int fe)
{
	switch (fe) {
	case XB_INITIALISING:
		if (be->state != XB_CLOSED)
			return 0;
		be->state = XB_INITWAIT;
		return XB_ACT_WRITE_STATE;
	case XB_INITIALISED:
	case XB_CONNECTED:
		/* Two quick changes may show only the last one: still connect. */
		if (be->state == XB_CONNECTED)
			return 0;
		if (fe == XB_CONNECTED && be->state == XB_RECONFIGURED) {
			be->state = XB_CONNECTED;
			return XB_ACT_WRITE_STATE;
		}
		return XB_ACT_DISCONNECT | XB_ACT_CONNECT;
	case XB_RECONFIGURING:
		if (!be->reconfigure || (be->state != XB_CONNECTED &&
					 be->state != XB_RECONFIGURED))
			return xb_be_refuse(be);
		be->state = XB_RECONFIGURED;
		return XB_ACT_RECONFIGURE | XB_ACT_WRITE_STATE;
	case XB_CLOSING:
		if (be->state == XB_CLOSING)
			return 0;
		be->state = XB_CLOSING;
		return XB_ACT_WRITE_STATE;
	case XB_CLOSED:
		be->state = XB_CLOSED;
		return XB_ACT_DISCONNECT | XB_ACT_WRITE_STATE |
		       (be->online ? 0 : XB_ACT_REMOVE);
	case XB_UNKNOWN:
		/*
		 * Closed, but not written: the toolstack removing the
		 * device removed our directory too, and a write would make
		 * it again.  A frontend that writes its node once more
		 * starts afresh (Initialising, above), not against a
		 * Connected with nothing mapped.
		 */
		be->state = XB_CLOSED;
		return XB_ACT_DISCONNECT | XB_ACT_REMOVE;
	case XB_INITWAIT:
		/* A frontend never waits on us: nothing to do (as Linux). */
		return 0;
	default:
		return xb_be_refuse(be);
	}
}

unsigned int xb_be_connected(struct xb_be *be, int err)
{
	if (err) {
		be->state = XB_CLOSING;
		return XB_ACT_FATAL | XB_ACT_DISCONNECT | XB_ACT_WRITE_STATE;
	}
	be->state = XB_CONNECTED;
	be->connects++;
	return XB_ACT_WRITE_STATE;
}

int xb_state_parse(const char *val, u32 len)
{
	u32 v = 0, i;

	if (!val || !len || len > 2)
		return -1;
	for (i = 0; i < len; i++) {
		if (val[i] < '0' || val[i] > '9')
			return -1;
		v = v * 10 + (val[i] - '0');
	}
	if (len == 2 && val[0] == '0')
		return -1;
	return v <= XB_RECONFIGURED ? (int)v : -1;
}
