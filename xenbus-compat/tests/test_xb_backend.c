// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the backend's xenbus state machine (../xb_backend.c):
 * the handshakes of Linux's blkfront and netfront, GRUB's hand-over
 * (Closed, then Initialising again), a frontend that skips a state, a
 * failed connect, removal, and every value a hostile frontend may write.
 */
#include "xb_backend.h"
#include "tests/tap.h"

static void test_normal(void)
{
	struct xb_be be = { .online = true };
	unsigned int a;

	TAP_OK(xb_be_probe(&be) == XB_ACT_WRITE_STATE &&
	       be.state == XB_INITWAIT, "probe: InitWait");
	TAP_OK(xb_be_frontend_changed(&be, XB_INITIALISING) == 0 &&
	       be.state == XB_INITWAIT, "frontend Initialising: nothing");
	a = xb_be_frontend_changed(&be, XB_INITIALISED);
	TAP_OK(a == (XB_ACT_DISCONNECT | XB_ACT_CONNECT),
	       "frontend Initialised: (re)connect");
	TAP_OK(xb_be_connected(&be, 0) == XB_ACT_WRITE_STATE &&
	       be.state == XB_CONNECTED && be.connects == 1,
	       "connect done: Connected");
	TAP_OK(xb_be_frontend_changed(&be, XB_CONNECTED) == 0,
	       "frontend Connected while we are: nothing");
	TAP_OK(xb_be_frontend_changed(&be, XB_CLOSING) == XB_ACT_WRITE_STATE &&
	       be.state == XB_CLOSING, "frontend Closing: Closing");
	TAP_OK(xb_be_frontend_changed(&be, XB_CLOSING) == 0,
	       "a repeated Closing: nothing");
	a = xb_be_frontend_changed(&be, XB_CLOSED);
	TAP_OK(a == (XB_ACT_DISCONNECT | XB_ACT_WRITE_STATE) &&
	       be.state == XB_CLOSED, "frontend Closed (online): disconnect");
	/* GRUB hands the disk over this way; Linux then opens it again. */
	TAP_OK(xb_be_frontend_changed(&be, XB_INITIALISING) ==
	       XB_ACT_WRITE_STATE && be.state == XB_INITWAIT,
	       "Initialising after Closed: InitWait again");
	xb_be_frontend_changed(&be, XB_INITIALISED);
	xb_be_connected(&be, 0);
	TAP_OK(be.state == XB_CONNECTED && be.connects == 2,
	       "second connection");
}

static void test_skipped_and_failed(void)
{
	struct xb_be be = { .online = true };

	xb_be_probe(&be);
	/* The watch fired once for Initialised and Connected together. */
	TAP_OK(xb_be_frontend_changed(&be, XB_CONNECTED) ==
	       (XB_ACT_DISCONNECT | XB_ACT_CONNECT),
	       "frontend seen Connected first: still connect");
	TAP_OK(xb_be_connected(&be, -22) ==
	       (XB_ACT_FATAL | XB_ACT_DISCONNECT | XB_ACT_WRITE_STATE) &&
	       be.state == XB_CLOSING && be.connects == 0,
	       "failed connect: Closing, resources dropped");
	TAP_OK(xb_be_frontend_changed(&be, XB_CLOSED) ==
	       (XB_ACT_DISCONNECT | XB_ACT_WRITE_STATE),
	       "then the frontend closes");
}

static void test_removal(void)
{
	struct xb_be be = { .online = false };

	xb_be_probe(&be);
	TAP_OK(xb_be_frontend_changed(&be, XB_CLOSED) ==
	       (XB_ACT_DISCONNECT | XB_ACT_WRITE_STATE | XB_ACT_REMOVE),
	       "Closed while offline: the device goes");
	be.online = true;
	be.state = XB_CONNECTED;
	TAP_OK(xb_be_frontend_changed(&be, XB_UNKNOWN) ==
	       (XB_ACT_DISCONNECT | XB_ACT_REMOVE),
	       "frontend node gone: the device goes");
	TAP_OK(be.state == XB_CLOSED &&
	       xb_be_frontend_changed(&be, XB_INITIALISING) ==
	       XB_ACT_WRITE_STATE && be.state == XB_INITWAIT &&
	       xb_be_frontend_changed(&be, XB_INITIALISED) ==
	       (XB_ACT_DISCONNECT | XB_ACT_CONNECT),
	       "a frontend back after its node went: a fresh start, then a connect");
}

/* Linux's netfront attaching an XDP program (netif.h "xdp-headroom"). */
static void test_reconfigure(void)
{
	struct xb_be be = { .online = true, .reconfigure = true };

	xb_be_probe(&be);
	TAP_OK(xb_be_frontend_changed(&be, XB_RECONFIGURING) & XB_ACT_FATAL,
	       "Reconfiguring before a connection is refused");
	be.state = XB_INITWAIT;
	xb_be_frontend_changed(&be, XB_INITIALISED);
	xb_be_connected(&be, 0);
	TAP_OK(xb_be_frontend_changed(&be, XB_RECONFIGURING) ==
	       (XB_ACT_RECONFIGURE | XB_ACT_WRITE_STATE) &&
	       be.state == XB_RECONFIGURED,
	       "Reconfiguring while Connected: re-read, Reconfigured");
	TAP_OK(xb_be_frontend_changed(&be, XB_RECONFIGURING) ==
	       (XB_ACT_RECONFIGURE | XB_ACT_WRITE_STATE) &&
	       be.state == XB_RECONFIGURED, "a repeated Reconfiguring: again");
	TAP_OK(xb_be_frontend_changed(&be, XB_CONNECTED) ==
	       XB_ACT_WRITE_STATE && be.state == XB_CONNECTED &&
	       be.connects == 1,
	       "back to Connected: Connected, the rings kept (no reconnect)");
	be.state = XB_RECONFIGURED;
	TAP_OK(xb_be_frontend_changed(&be, XB_INITIALISED) ==
	       (XB_ACT_DISCONNECT | XB_ACT_CONNECT),
	       "Initialised after Reconfigured: a fresh connection");
	be.state = XB_CLOSING;
	TAP_OK(xb_be_frontend_changed(&be, XB_RECONFIGURING) & XB_ACT_FATAL,
	       "Reconfiguring while Closing is refused");
}

static void test_hostile(void)
{
	struct xb_be be = { .online = true };
	int v;

	xb_be_probe(&be);
	TAP_OK(xb_be_frontend_changed(&be, XB_INITWAIT) == 0 &&
	       be.state == XB_INITWAIT, "frontend InitWait: nothing");
	TAP_OK(xb_be_frontend_changed(&be, XB_RECONFIGURING) & XB_ACT_FATAL,
	       "Reconfiguring is refused by a driver that does not take it");
	for (v = -3; v < 300; v++) {
		be.state = XB_CONNECTED;
		if (v >= XB_UNKNOWN && v <= XB_RECONFIGURED)
			continue;
		if (!(xb_be_frontend_changed(&be, v) & XB_ACT_FATAL))
			break;
	}
	TAP_OK(v == 300, "every out-of-range state is fatal");
	TAP_OK(xb_state_parse("4", 1) == 4 && xb_state_parse("6", 1) == 6,
	       "parse 4, 6");
	TAP_OK(xb_state_parse("", 0) == -1 && xb_state_parse("9", 1) == -1 &&
	       xb_state_parse("04", 2) == -1 && xb_state_parse("4x", 2) == -1 &&
	       xb_state_parse("-1", 2) == -1 && xb_state_parse("123", 3) == -1 &&
	       xb_state_parse(NULL, 1) == -1, "parse refuses garbage");
}

int main(void)
{
	test_normal();
	test_skipped_and_failed();
	test_removal();
	test_reconfigure();
	test_hostile();
	return tap_done();
}
