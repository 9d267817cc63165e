// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the vif spec parser, xl's rate syntax and the vif's
 * xenstore nodes (nicspec.c), against xl-network-configuration(5),
 * libxlu_vif.c's arithmetic and what libxl writes.
 */
#include <string.h>

#include "nicspec.h"
#include "tap.h"
#include "util.h"

static char err[256];

#define MAC_EXPECTED \
	" (expected six pairs of hex digits separated by colons, e.g. " \
	"00:16:3e:74:3d:76)"
#define IFNAME_BAD "no '/', ':', blanks or control characters allowed"

static int parse(const char *spec, struct nic_spec *n)
{
	int r = nic_spec_parse(spec, n, err, sizeof(err));

	if (r)
		tap_diag("\"%s\": %s", spec, err);
	return r;
}

static void bad(const char *spec, const char *msg)
{
	struct nic_spec n;
	int r = nic_spec_parse(spec, &n, err, sizeof(err));

	if (!tap_ok(r == -1 && !strcmp(err, msg) && !n.bridge && !n.ip &&
		    !n.script, "error: \"%s\": %s", spec, msg))
		tap_diag("got %d \"%s\"", r, err);
	if (!r)
		nic_spec_free(&n);
}

static bool mac_is(const struct nic_spec *n, const char *want)
{
	char got[NIC_MAC_STR];

	nic_format_mac(n->mac, got);
	if (strcmp(got, want))
		tap_diag("mac %s, want %s", got, want);
	return !strcmp(got, want);
}

static void test_defaults(void)
{
	struct nic_spec n[3];
	int i, r = 0;

	for (i = 0; i < 3; i++)
		r |= parse(i ? "" : " , ,", &n[i]);
	tap_ok(!r && n[0].devid == -1 && !strcmp(n[0].bridge, "xenbr0") &&
	       n[0].mtu == 1500 && !n[0].mtu_given && n[0].trusted &&
	       !n[0].rate_usecs && !n[0].ip && !n[0].vifname &&
	       !n[0].script && !n[0].gatewaydev && !n[0].mac_given,
	       "defaults: no devid, xenbr0, mtu 1500, trusted, no script");
	tap_ok(!r && n[0].mac[0] == 0 && n[0].mac[1] == 0x16 &&
	       n[0].mac[2] == 0x3e && n[0].mac[3] < 0x80 &&
	       n[1].mac[3] < 0x80 && n[2].mac[3] < 0x80,
	       "default mac: 00:16:3e, then a byte below 0x80 (libxl's)");
	tap_ok(!r && (memcmp(n[0].mac, n[1].mac, 6) ||
		      memcmp(n[1].mac, n[2].mac, 6)),
	       "default macs are drawn at random");
	for (i = 0; i < 3; i++)
		nic_spec_free(&n[i]);
}

#define EVERY_KEY_1	" bridge=br0 , vifname=web0,ip=10.0.0.2 10.0.0.3/24 ,"
#define EVERY_KEY_2	"mtu=9000,devid=3,type=vif,backend=Domain-0,untrusted"

static void test_man_page(void)
{
	struct nic_spec n;

	tap_ok(!parse("mac=00:16:3E:74:34:32", &n) &&
	       mac_is(&n, "00:16:3e:74:34:32") && n.mac_given,
	       "mac=00:16:3E:74:34:32 (upper case too)");
	nic_spec_free(&n);
	tap_ok(!parse("mac=00:16:3e:5f:48:e4,bridge=xenbr1", &n) &&
	       mac_is(&n, "00:16:3e:5f:48:e4") &&
	       !strcmp(n.bridge, "xenbr1"), "mac and bridge=xenbr1");
	nic_spec_free(&n);
	bad("mac=00:16:3E:74:3d:76,model=rtl8139,bridge=xenbr0",
	    "model rtl8139 is not supported by kxen (no emulated NICs: the guest gets a PV vif)");
	tap_ok(!parse(EVERY_KEY_1 EVERY_KEY_2, &n) && !strcmp(n.bridge, "br0") &&
	       !strcmp(n.vifname, "web0") &&
	       !strcmp(n.ip, "10.0.0.2 10.0.0.3/24") && n.mtu == 9000 &&
	       n.mtu_given && n.devid == 3 && !n.trusted,
	       "every key, blanks around the pieces");
	nic_spec_free(&n);
	tap_ok(!parse("script=vif-route,gatewaydev=eth0", &n) &&
	       !strcmp(n.script, "/etc/xen/scripts/vif-route") &&
	       !strcmp(n.gatewaydev, "eth0"),
	       "a relative script is under /etc/xen/scripts; gatewaydev");
	nic_spec_free(&n);
	tap_ok(!parse("script=/usr/local/sbin/my-vif,netdev=eth1,trusted", &n) &&
	       !strcmp(n.script, "/usr/local/sbin/my-vif") &&
	       !strcmp(n.gatewaydev, "eth1") && n.trusted,
	       "an absolute script as it is; netdev= is gatewaydev");
	nic_spec_free(&n);
	tap_ok(!parse("script=,backend=0,mtu=68,devid=999999", &n) &&
	       !n.script && n.mtu == 68 && n.devid == 999999,
	       "empty script is none; mtu 68; devid 999999");
	nic_spec_free(&n);
}

static void rate_is(const char *rate, unsigned long long bytes,
		    unsigned int usecs)
{
	uint64_t b = 0;
	uint32_t us = 0;
	int r = nic_parse_rate(rate, &b, &us, err, sizeof(err));

	if (!tap_ok(!r && b == bytes && us == usecs, "rate %s = %llu,%u", rate,
		    bytes, usecs))
		tap_diag("got %d %llu,%u \"%s\"", r, (unsigned long long)b, us,
			 r ? err : "");
}

static void rate_bad(const char *rate, const char *msg)
{
	uint64_t b;
	uint32_t us;
	int r = nic_parse_rate(rate, &b, &us, err, sizeof(err));

	if (!tap_ok(r == -1 && !strcmp(err, msg), "rate %s: %s", rate, msg))
		tap_diag("got %d \"%s\"", r, err);
}

#define RATE_EXPECTED(s) \
	"invalid rate \"" s "\" (expected digits, an optional G, M or K, " \
	"then B/s for bytes or b/s for bits, e.g. 10Mb/s)"
#define IVAL_EXPECTED(s) \
	"invalid rate interval \"" s "\" (expected digits and an optional " \
	"unit: s, ms or us, e.g. 20ms)"
#define IVAL_RANGE(s) \
	"invalid rate interval \"" s "\": not from 1 us to 4294967295 us " \
	"(a leading 0 makes xl read it as octal)"

static void test_rate(void)
{
	struct nic_spec n;

	/* the man page's three */
	rate_is("10Mb/s", 62500, 50000);
	rate_is("250KB/s", 12500, 50000);
	rate_is("1MB/s@20ms", 20000, 20000);
	rate_is("1MB/s@20m", 20000, 20000);
	rate_is("1MB/s@20us", 20, 20);
	rate_is("1MB/s@20u", 20, 20);
	rate_is("1MB/s@2s", 2000000, 2000000);
	rate_is("1MB/s@2", 2000000, 2000000);	/* no unit: seconds */
	rate_is("1GB/s", 50000000, 50000);
	rate_is("8Gb/s@1ms", 1000000, 1000);
	rate_is("100B/s", 5, 50000);
	rate_is("160b/s", 1, 50000);
	rate_is("010Mb/s", 50000, 50000);	/* octal, as xl reads it */
	rate_is("4294967295B/s@4294s", 18442589564730ULL, 4294000000U);

	rate_bad("", RATE_EXPECTED(""));
	rate_bad("@20ms", RATE_EXPECTED(""));
	rate_bad("Mb/s", RATE_EXPECTED("Mb/s"));
	rate_bad("10Mbit/s", RATE_EXPECTED("10Mbit/s"));
	rate_bad("10mb/s", RATE_EXPECTED("10mb/s"));
	rate_bad("10Mb", RATE_EXPECTED("10Mb"));
	rate_bad("10 Mb/s", RATE_EXPECTED("10 Mb/s"));
	rate_bad("-1Mb/s", RATE_EXPECTED("-1Mb/s"));
	rate_bad("0Mb/s",
		 "invalid rate \"0Mb/s\": 0 is not a number from 1 to 4294967295 (a leading 0 makes xl read it as octal)");
	rate_bad("08Mb/s",
		 "invalid rate \"08Mb/s\": 08 is not a number from 1 to 4294967295 (a leading 0 makes xl read it as octal)");
	rate_bad("4294967296B/s",
		 "invalid rate \"4294967296B/s\": 4294967296 is not a number from 1 to 4294967295 (a leading 0 makes xl read it as octal)");
	rate_bad("1MB/s@", IVAL_EXPECTED(""));
	rate_bad("1MB/s@20h", IVAL_EXPECTED("20h"));
	rate_bad("1MB/s@ms", IVAL_EXPECTED("ms"));
	rate_bad("1MB/s@20mss", IVAL_EXPECTED("20mss"));
	rate_bad("1MB/s@0ms", IVAL_RANGE("0ms"));
	rate_bad("1MB/s@4295s", IVAL_RANGE("4295s"));
	rate_bad("159b/s", "invalid rate \"159b/s\": less than a byte every 50000 us");
	rate_bad("1KB/s@999us",
		 "invalid rate \"1KB/s@999us\": less than a byte every 999 us");
	rate_bad("4294967295GB/s",
		 "invalid rate \"4294967295GB/s\": overflow");

	tap_ok(!parse("rate=1MB/s@20ms", &n) && n.rate_bytes == 20000 &&
	       n.rate_usecs == 20000, "rate= in a spec");
	nic_spec_free(&n);
	bad("rate=1MB/s,rate=2MB/s", "rate respecified: \"2MB/s\"");
	bad("rate=fast", RATE_EXPECTED("fast"));
}

static void test_values(void)
{
	bad("mac=00:16:3e:74:3d", "invalid mac \"00:16:3e:74:3d\"" MAC_EXPECTED);
	bad("mac=00:16:3e:74:3d:76:00",
	    "invalid mac \"00:16:3e:74:3d:76:00\"" MAC_EXPECTED);
	bad("mac=0:16:3e:74:3d:76", "invalid mac \"0:16:3e:74:3d:76\"" MAC_EXPECTED);
	bad("mac=00-16-3e-74-3d-76",
	    "invalid mac \"00-16-3e-74-3d-76\"" MAC_EXPECTED);
	bad("mac=00:16:3e:74:3d:7g",
	    "invalid mac \"00:16:3e:74:3d:7g\"" MAC_EXPECTED);
	bad("mac=", "invalid mac \"\"" MAC_EXPECTED);
	bad("mac=01:00:5e:00:00:01",
	    "mac \"01:00:5e:00:00:01\" is a multicast address (the lowest bit of its first byte is set)");
	bad("mac=ff:ff:ff:ff:ff:ff",
	    "mac \"ff:ff:ff:ff:ff:ff\" is a multicast address (the lowest bit of its first byte is set)");
	bad("mac=00:00:00:00:00:00",
	    "mac \"00:00:00:00:00:00\" is not a usable address");
	bad("bridge=", "invalid bridge \"\": empty");
	bad("bridge=a-very-long-bridge",
	    "invalid bridge \"a-very-long-bridge\": longer than 15 characters (Linux's IFNAMSIZ)");
	bad("bridge=br/0", "invalid bridge \"br/0\": " IFNAME_BAD);
	bad("bridge=br:0", "invalid bridge \"br:0\": " IFNAME_BAD);
	bad("bridge=br 0", "invalid bridge \"br 0\": " IFNAME_BAD);
	bad("bridge=..",
	    "invalid bridge \"..\": \".\" and \"..\" cannot name an interface");
	bad("vifname=0123456789abcdef",
	    "invalid vifname \"0123456789abcdef\": longer than 15 characters (Linux's IFNAMSIZ)");
	bad("ip=", "invalid ip \"\": no address");
	bad("ip=10.0.0",
	    "invalid ip \"10.0.0\": \"10.0.0\" is not an IPv4 address (a.b.c.d, optionally /0 to /32)");
	bad("ip=10.0.0.1 10.0.0.256",
	    "invalid ip \"10.0.0.1 10.0.0.256\": \"10.0.0.256\" is not an IPv4 address (a.b.c.d, optionally /0 to /32)");
	bad("ip=fe80::1",
	    "invalid ip \"fe80::1\": \"fe80::1\" is not an IPv4 address (a.b.c.d, optionally /0 to /32)");
	bad("ip=10.0.0.1/33",
	    "invalid ip \"10.0.0.1/33\": \"10.0.0.1/33\" is not an IPv4 address (a.b.c.d, optionally /0 to /32)");
	bad("ip=10.0.0.1/",
	    "invalid ip \"10.0.0.1/\": \"10.0.0.1/\" is not an IPv4 address (a.b.c.d, optionally /0 to /32)");
	bad("mtu=67", "invalid mtu \"67\" (expected a number from 68 to 65535)");
	bad("mtu=65536",
	    "invalid mtu \"65536\" (expected a number from 68 to 65535)");
	bad("mtu=1500x",
	    "invalid mtu \"1500x\" (expected a number from 68 to 65535)");
	bad("mtu=", "invalid mtu \"\" (expected a number from 68 to 65535)");
	bad("devid=1000000",
	    "invalid devid \"1000000\" (expected a number from 0 to 999999)");
	bad("devid=-1", "invalid devid \"-1\" (expected a number from 0 to 999999)");
	bad("devid=0x1", "invalid devid \"0x1\" (expected a number from 0 to 999999)");
}

static void test_refused(void)
{
	bad("type=ioemu",
	    "type ioemu is not supported by kxen (no emulated NICs: type=vif only)");
	bad("type=tap", "unknown type \"tap\" (expected vif or ioemu)");
	bad("model=e1000",
	    "model e1000 is not supported by kxen (no emulated NICs: the guest gets a PV vif)");
	bad("backend=dom1",
	    "backend dom1 is not supported by kxen (no driver domains)");
	bad("accel=netfront",
	    "accel netfront is not supported (xl ignores it too: vif acceleration is gone)");
	bad("forwarddev=eth0", "forwarddev is not supported by kxen (no COLO)");
	bad("colo_sock_mirror_id=1",
	    "colo_sock_mirror_id is not supported by kxen (no COLO)");
	bad("gatewaydev=eth0",
	    "gatewaydev eth0 is for a hotplug script (vif-route, vif-nat): give script= too");
	bad("foo=bar", "unknown key \"foo\" in \"foo=bar\"");
	bad("Bridge=br0", "unknown key \"Bridge\" in \"Bridge=br0\"");
	bad("bridge=br0,bogus",
	    "unknown flag \"bogus\" (expected key=value, trusted or untrusted)");
	bad("bridge=br0,bridge=br1",
	    "bridge respecified: \"br1\" after \"br0\"");
	bad("mac=00:16:3e:00:00:01,mac=00:16:3e:00:00:02",
	    "mac respecified: \"00:16:3e:00:00:02\" after \"00:16:3e:00:00:01\"");
	bad("mtu=1500,mtu=9000", "mtu respecified: \"9000\" after 1500");
	bad("devid=1,devid=2", "devid respecified: \"2\" after 1");
	bad("type=vif,type=vif", "type respecified: \"vif\"");
	bad("script=a,script=b",
	    "script respecified: \"/etc/xen/scripts/b\" after \"/etc/xen/scripts/a\"");
}

static void test_devname(void)
{
	struct nic_spec n;
	char name[16];

	parse("devid=2", &n);
	tap_ok(!nic_devname(&n, 5, name, sizeof(name)) &&
	       !strcmp(name, "vif5.2"), "netdev vif5.2 by default");
	nic_spec_free(&n);
	parse("devid=999999", &n);
	tap_ok(!nic_devname(&n, 32751, name, sizeof(name)) &&
	       !strcmp(name, "vif32751.999999"),
	       "the largest default name fits IFNAMSIZ");
	nic_spec_free(&n);
	parse("vifname=web0,devid=1", &n);
	tap_ok(!nic_devname(&n, 5, name, sizeof(name)) &&
	       !strcmp(name, "web0"), "vifname names the netdev");
	nic_spec_free(&n);
}

#define FE5	"/local/domain/5/device/vif/0"
#define BE5	"/local/domain/0/backend/vif/5/0"
#define FE7	"/local/domain/7/device/vif/3"
#define BE7	"/local/domain/2/backend/vif/7/3"

static void nodes_are(const char *spec, int domid, int bd,
		      const struct node_want *w, int nw)
{
	static struct xs_node out[NIC_NODES_MAX];
	struct nic_spec n;
	int got;

	if (parse(spec, &n)) {
		tap_ok(0, "nodes for %s", spec);
		return;
	}
	if (n.devid < 0)
		n.devid = 0;
	got = nic_spec_nodes(&n, domid, bd, out, NIC_NODES_MAX);
	tap_ok(nodes_match(out, got, w, nw), "nodes for \"%s\", dom%d on dom%d",
	       spec, domid, bd);
	tap_ok(nic_spec_nodes(&n, domid, bd, out, NIC_NODES_MAX - 1) == -1,
	       "nodes: -1 when the array is too small");
	n.devid = -1;
	tap_ok(nic_spec_nodes(&n, domid, bd, out, NIC_NODES_MAX) == -1,
	       "nodes: -1 without a devid");
	nic_spec_free(&n);
}

#define FULL_1	"mac=AA:00:00:00:00:01,bridge=br1,vifname=web0,untrusted,"
#define FULL_2	"ip=10.0.0.2 10.0.0.3,rate=1MB/s@20ms,mtu=9000,devid=3,"
#define FULL_3	"script=vif-route,gatewaydev=eth0"

static void test_nodes(void)
{
	static const struct node_want plain[] = {
		{ FE5, "", "n5,r0" },
		{ FE5 "/backend", BE5, "n5,r0" },
		{ FE5 "/backend-id", "0", "n5,r0" },
		{ FE5 "/state", "1", "n5,r0" },
		{ FE5 "/handle", "0", "n5,r0" },
		{ FE5 "/mac", "00:16:3e:74:34:32", "n5,r0" },
		{ FE5 "/trusted", "1", "n5,r0" },
		{ FE5 "/mtu", "1500", "n0,r5" },
		{ BE5, "", "n0,r5" },
		{ BE5 "/frontend", FE5, "n0,r5" },
		{ BE5 "/frontend-id", "5", "n0,r5" },
		{ BE5 "/online", "1", "n0,r5" },
		{ BE5 "/state", "1", "n0,r5" },
		{ BE5 "/mac", "00:16:3e:74:34:32", "n0,r5" },
		{ BE5 "/bridge", "xenbr0", "n0,r5" },
		{ BE5 "/handle", "0", "n0,r5" },
		{ BE5 "/type", "vif", "n0,r5" },
		{ BE5 "/hotplug-status", "", "n0,r5" },
	};
	static const struct node_want full[] = {
		{ FE7, "", "n7,r2" },
		{ FE7 "/backend", BE7, "n7,r2" },
		{ FE7 "/backend-id", "2", "n7,r2" },
		{ FE7 "/state", "1", "n7,r2" },
		{ FE7 "/handle", "3", "n7,r2" },
		{ FE7 "/mac", "aa:00:00:00:00:01", "n7,r2" },
		{ FE7 "/trusted", "0", "n7,r2" },
		{ FE7 "/mtu", "9000", "n2,r7" },
		{ BE7, "", "n2,r7" },
		{ BE7 "/frontend", FE7, "n2,r7" },
		{ BE7 "/frontend-id", "7", "n2,r7" },
		{ BE7 "/online", "1", "n2,r7" },
		{ BE7 "/state", "1", "n2,r7" },
		{ BE7 "/script", "/etc/xen/scripts/vif-route", "n2,r7" },
		{ BE7 "/vifname", "web0", "n2,r7" },
		{ BE7 "/mac", "aa:00:00:00:00:01", "n2,r7" },
		{ BE7 "/ip", "10.0.0.2 10.0.0.3", "n2,r7" },
		{ BE7 "/gatewaydev", "eth0", "n2,r7" },
		{ BE7 "/rate", "20000,20000", "n2,r7" },
		{ BE7 "/mtu", "9000", "n2,r7" },
		{ BE7 "/bridge", "br1", "n2,r7" },
		{ BE7 "/handle", "3", "n2,r7" },
		{ BE7 "/type", "vif", "n2,r7" },
		{ BE7 "/hotplug-status", "", "n2,r7" },
	};

	nodes_are("mac=00:16:3e:74:34:32", 5, 0, plain, ARRAY_SIZE(plain));
	nodes_are(FULL_1 FULL_2 FULL_3, 7, 2, full, ARRAY_SIZE(full));
}

void nicspec_tests(void)
{
	test_defaults();
	test_man_page();
	test_rate();
	test_values();
	test_refused();
	test_devname();
	test_nodes();
}
