// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the DISKSPEC parser, the virtual device numbers and the
 * vbd's xenstore nodes (diskspec.c), against xl-disk-configuration(5),
 * xen-vbd-interface(7) and what libxl writes.
 */
#include <string.h>

#include "diskspec.h"
#include "tap.h"
#include "util.h"

static char err[256];

#define VDEV_EXPECTED \
	"expected xvdX, hdX, sdX (X a disk letter, then an optional " \
	"partition), d<disk>p<partition> or a number"

/* What a parse must give; target NULL means "". */
struct want {
	const char *target, *vdev;
	int devid;
	bool ro, cdrom;
	enum disk_format format;
};

static void good(const char *spec, const struct want *w)
{
	struct disk_spec d;
	int r = disk_spec_parse(spec, &d, err, sizeof(err));
	const char *target = w->target ? w->target : "";

	if (!tap_ok(!r && !strcmp(d.target, target) &&
		    !strcmp(d.vdev, w->vdev) && d.devid == w->devid &&
		    d.readonly == w->ro && d.is_cdrom == w->cdrom &&
		    d.removable == w->cdrom && d.format == w->format,
		    "parse: %s", spec)) {
		if (r)
			tap_diag("error \"%s\"", err);
		else
			tap_diag("got \"%s\" \"%s\" %d ro %d cd %d rm %d fmt %d",
				 d.target, d.vdev, d.devid, d.readonly,
				 d.is_cdrom, d.removable, d.format);
	}
	if (!r)
		disk_spec_free(&d);
}

static void bad(const char *spec, const char *msg)
{
	struct disk_spec d;
	int r = disk_spec_parse(spec, &d, err, sizeof(err));

	if (!tap_ok(r == -1 && !strcmp(err, msg) && !d.target && !d.vdev,
		    "error: \"%s\": %s", spec, msg))
		tap_diag("got %d \"%s\"", r, err);
	if (!r)
		disk_spec_free(&d);
}

static void test_forms(void)
{
	static const char *const hda[] = {
		"/dev/vg/guest-volume,,hda",
		"/dev/vg/guest-volume,raw,hda,rw",
		"format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume",
		"raw:/dev/vg/guest-volume,hda,w",
	};
	static const char *const hdc[] = {
		"/root/image.iso,,hdc,cdrom",
		"/root/image.iso,,hdc,,cdrom",
		"/root/image.iso,raw,hdc,devtype=cdrom",
		"format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso",
		"raw:/root/image.iso,hdc:cdrom,ro",
	};
	const struct want disk = {
		"/dev/vg/guest-volume", "hda", 768, false, false,
		DISK_FORMAT_RAW,
	};
	const struct want cd = {
		"/root/image.iso", "hdc", 5632, true, true, DISK_FORMAT_RAW,
	};
	const struct want empty_cd = {
		NULL, "hdc", 5632, true, true, DISK_FORMAT_EMPTY,
	};
	size_t i;

	/* the man page's equivalent strings */
	for (i = 0; i < ARRAY_SIZE(hda); i++)
		good(hda[i], &disk);
	for (i = 0; i < ARRAY_SIZE(hdc); i++)
		good(hdc[i], &cd);
	/* xend's empty cdrom, and the key form of it */
	good(",hdc:cdrom,r", &empty_cd);
	good("vdev=hdc, devtype=cdrom", &empty_cd);
	good("cdrom,vdev=hdc,target=", &empty_cd);
	/* a cdrom is read-only whatever the access says, as in xl */
	good("/root/image.iso,raw,hdc,rw,cdrom", &cd);

	good("/img, raw, xvda, ro", &(struct want){
		"/img", "xvda", 51712, true, false, DISK_FORMAT_RAW });
	good("/img,,xvdb,r", &(struct want){
		"/img", "xvdb", 51728, true, false, DISK_FORMAT_RAW });
	good("/img,,xvdb,w", &(struct want){
		"/img", "xvdb", 51728, false, false, DISK_FORMAT_RAW });
	good("/img,,xvdb,", &(struct want){
		"/img", "xvdb", 51728, false, false, DISK_FORMAT_RAW });
	good("access=r,vdev=xvdc,target=/img", &(struct want){
		"/img", "xvdc", 51744, true, false, DISK_FORMAT_RAW });
	good("vdev=xvda,devtype=disk,/img", &(struct want){
		"/img", "xvda", 51712, false, false, DISK_FORMAT_RAW });
	good("/img,format=raw,xvda", &(struct want){
		"/img", "xvda", 51712, false, false, DISK_FORMAT_RAW });
	good("/img,,xvda,,discard,direct-io-safe,trusted,no-colo",
	     &(struct want){ "/img", "xvda", 51712, false, false,
			     DISK_FORMAT_RAW });
	good("/img,,51712", &(struct want){
		"/img", "51712", 51712, false, false, DISK_FORMAT_RAW });
	good("/img,,d0p1", &(struct want){
		"/img", "d0p1", 51713, false, false, DISK_FORMAT_RAW });
}

static void test_legacy(void)
{
	good("phy:/dev/x,xvda,w", &(struct want){
		"/dev/x", "xvda", 51712, false, false, DISK_FORMAT_RAW });
	good("file:/img,xvda1,r", &(struct want){
		"/img", "xvda1", 51713, true, false, DISK_FORMAT_RAW });
	good("aio:/img,xvdb,w", &(struct want){
		"/img", "xvdb", 51728, false, false, DISK_FORMAT_RAW });
	good("tap:aio:/img,xvdb,r", &(struct want){
		"/img", "xvdb", 51728, true, false, DISK_FORMAT_RAW });
	good("tap2:tapdisk:ioemu:/img,hdc:cdrom,r", &(struct want){
		"/img", "hdc", 5632, true, true, DISK_FORMAT_RAW });
	good("phy:/dev/x,xvda,w!", &(struct want){
		"/dev/x", "xvda", 51712, false, false, DISK_FORMAT_RAW });
	good("phy:/dev/x,xvda:disk,w", &(struct want){
		"/dev/x", "xvda", 51712, false, false, DISK_FORMAT_RAW });
	good("phy:/dev/x,hdc:cdrom", &(struct want){
		"/dev/x", "hdc", 5632, true, true, DISK_FORMAT_RAW });
}

static void test_target_key(void)
{
	good("vdev=xvda,target=/img/a,b,c", &(struct want){
		"/img/a,b,c", "xvda", 51712, false, false, DISK_FORMAT_RAW });
	/* colons and '=' too, and the blanks after them */
	good(",,xvda,target=/x:y=z, w", &(struct want){
		"/x:y=z, w", "xvda", 51712, false, false, DISK_FORMAT_RAW });
	good("vdev=xvda, target=/img,", &(struct want){
		"/img", "xvda", 51712, false, false, DISK_FORMAT_RAW });
	/* an empty positional target may be given again by key */
	good(",,xvda,ro,target=/a b,c", &(struct want){
		"/a b,c", "xvda", 51712, true, false, DISK_FORMAT_RAW });
}

static void test_flags(void)
{
	struct disk_spec d;

	tap_ok(!disk_spec_parse("/img,,xvda", &d, err, sizeof(err)) &&
	       d.discard == DISK_DISCARD_DEFAULT &&
	       disk_spec_discard_enabled(&d) &&
	       d.backend == DISK_BACKEND_DEFAULT &&
	       !strcmp(disk_spec_backend_type(&d), "phy") && !d.direct_io_safe,
	       "defaults: discard on for rw, backendtype unset, type phy");
	disk_spec_free(&d);
	tap_ok(!disk_spec_parse("/img,,xvda,r", &d, err, sizeof(err)) &&
	       d.discard == DISK_DISCARD_DEFAULT &&
	       !disk_spec_discard_enabled(&d),
	       "discard off by default for ro");
	disk_spec_free(&d);
	tap_ok(!disk_spec_parse("/img,,xvda,r,discard", &d, err,
				sizeof(err)) &&
	       d.discard == DISK_DISCARD_ON && disk_spec_discard_enabled(&d),
	       "discard");
	disk_spec_free(&d);
	tap_ok(!disk_spec_parse("no-discard,/img,,xvda", &d, err,
				sizeof(err)) &&
	       d.discard == DISK_DISCARD_OFF &&
	       !disk_spec_discard_enabled(&d), "no-discard");
	disk_spec_free(&d);
	tap_ok(!disk_spec_parse("/img,,xvda,backendtype=phy,direct-io-safe",
				&d, err, sizeof(err)) &&
	       d.backend == DISK_BACKEND_PHY && d.direct_io_safe &&
	       !strcmp(disk_spec_backend_type(&d), "phy"),
	       "backendtype=phy, direct-io-safe");
	disk_spec_free(&d);
	tap_ok(!disk_spec_parse("/img,,xvda,backend=Domain-0,script=", &d,
				err, sizeof(err)),
	       "backend=Domain-0, empty script");
	disk_spec_free(&d);
	tap_ok(!disk_spec_parse("/img,,xvda,specification=xen,grant_usage=1",
				&d, err, sizeof(err)),
	       "specification=xen, grant_usage=1");
	disk_spec_free(&d);
}

static void test_errors(void)
{
	bad("", "empty disk specification");
	bad(" \t", "empty disk specification");
	bad("/img,qcow2,xvda",
	    "format qcow2 is not supported by kxen (raw only)");
	bad("format=qcow,/img,,xvda",
	    "format qcow is not supported by kxen (raw only)");
	bad("/img,,xvda,format=vhd",
	    "format vhd is not supported by kxen (raw only)");
	bad("/img,qed,xvda", "format qed is not supported by kxen (raw only)");
	bad("qcow2:/img,xvda,w",
	    "format qcow2 is not supported by kxen (raw only)");
	bad("/img,xvda,w",
	    "unknown format \"xvda\" (expected raw, qcow, qcow2, vhd or qed)");
	bad("/img,raw,xvda,format=empty",
	    "format respecified: \"empty\" after raw");
	bad("/img,,xvda,rx", "invalid access \"rx\" (expected ro, r, rw or w)");
	bad("access=W,/img,,xvda",
	    "invalid access \"W\" (expected ro, r, rw or w)");
	bad("/img,,xvd", "invalid virtual device \"xvd\": no disk letter");
	bad("/img,,xvda256",
	    "invalid virtual device \"xvda256\": partition out of range (1 to 255)");
	bad("/img,,sdq",
	    "invalid virtual device \"sdq\": disk out of range (at most 16 disks)");
	bad("/img,,floppy0", "invalid virtual device \"floppy0\": " VDEV_EXPECTED);
	bad("/img,,vdev=", "no vdev specified");
	bad("/img", "no vdev specified");
	bad(",,xvda", "no target specified (and not a cdrom)");
	bad("vdev=xvda", "no target specified (and not a cdrom)");
	bad("foo=bar,/img,,xvda", "unknown key \"foo\" in \"foo=bar\"");
	bad("/img,,xvda,Format=raw",
	    "unknown key \"Format\" in \"Format=raw\"");
	bad("/img,,xvda,colo-port=1",
	    "colo-port is not supported by kxen (no COLO)");
	bad("/img,,xvda,colo", "colo is not supported by kxen (no COLO)");
	bad("/img/a=b,,xvda",
	    "\"/img/a=b\": a positional parameter cannot contain '=' (give such a target as target=, last)");
	bad("/img,,xvda,w,extra", "too many positional parameters at \"extra\"");
	bad("/img,,hdc:floppy",
	    "unknown device type \"floppy\" in \"hdc:floppy\" (expected cdrom or disk)");
	bad("/img,,xvda,devtype=floppy",
	    "unknown devtype \"floppy\" (expected cdrom or disk)");
	bad("/img,,xvda,backendtype=qdisk",
	    "backendtype qdisk is not supported by kxen (phy only)");
	bad("/img,,xvda,backendtype=tap",
	    "backendtype tap is not supported by kxen (phy only)");
	bad("/img,,xvda,backendtype=nvme",
	    "unknown backendtype \"nvme\" (expected phy, tap, qdisk or standalone)");
	bad("/img,,xvda,script=block-iscsi",
	    "script block-iscsi is not supported by kxen (no hotplug scripts)");
	bad("nbd:host:10809,xvda,w",
	    "prefix nbd: (script block-nbd) is not supported by kxen (no hotplug scripts)");
	bad("foo:/img,xvda,w", "unknown deprecated disk prefix \"foo:\"");
	bad("/img,,xvda,backend=dom1",
	    "backend dom1 is not supported by kxen (no driver domains)");
	bad("/img,,xvda,specification=virtio",
	    "specification virtio is not supported by kxen (xen only)");
	bad("/img,,xvda,vdev=xvdb",
	    "vdev respecified: \"xvdb\" after \"xvda\"");
	bad("/a,,xvda,target=/b", "target respecified: \"/b\" after \"/a\"");
	bad(",hdc:disk,r", "format empty is for a cdrom drive only");
}

static void vdev_is(const char *vdev, int want)
{
	int n = disk_vdev_number(vdev, err, sizeof(err));

	if (!tap_ok(n == want, "vdev %s = %d", vdev, want))
		tap_diag("got %d \"%s\"", n, n < 0 ? err : "");
}

static void vdev_bad(const char *vdev, const char *why)
{
	char msg[256];
	int n = disk_vdev_number(vdev, err, sizeof(err));

	snprintf(msg, sizeof(msg), "invalid virtual device \"%s\": %s", vdev,
		 why);
	if (!tap_ok(n == -1 && !strcmp(err, msg), "vdev %s: %s", vdev, why))
		tap_diag("got %d \"%s\"", n, err);
}

static void test_vdev(void)
{
	vdev_is("xvda", 51712);
	vdev_is("xvdb", 51728);
	vdev_is("xvda1", 51713);
	vdev_is("xvdp15", 202 << 8 | 15 << 4 | 15);
	vdev_is("xvdq", 268439552);		/* (1 << 28) | (16 << 8) */
	vdev_is("xvdz", 1 << 28 | 25 << 8);
	vdev_is("xvdaa", 1 << 28 | 26 << 8);	/* bijective base 26 */
	vdev_is("xvdba", 1 << 28 | 52 << 8);
	vdev_is("xvdtq37", 1 << 28 | 536 << 8 | 37);	/* the doc's d536p37 */
	vdev_is("d536p37", 1 << 28 | 536 << 8 | 37);
	vdev_is("d0p0", 51712);
	/* partitions past 15 take the 1 << 28 form, as libxl does */
	vdev_is("xvda16", 1 << 28 | 16);
	vdev_is("xvda255", 1 << 28 | 255);
	vdev_is("hda", 768);
	vdev_is("hdb", 3 << 8 | 1 << 6);
	vdev_is("hdc", 5632);
	vdev_is("hdd1", 22 << 8 | 1 << 6 | 1);
	vdev_is("hda63", 768 + 63);
	vdev_is("sda", 2048);
	vdev_is("sdb2", 8 << 8 | 1 << 4 | 2);
	vdev_is("sdp15", 8 << 8 | 15 << 4 | 15);
	vdev_is("51712", 51712);
	vdev_is("0xca01", 51713);
	vdev_is("2147483647", 2147483647);

	vdev_bad("xvd", "no disk letter");
	vdev_bad("xvda0", "bad partition (1 or more, in decimal)");
	vdev_bad("xvda01", "bad partition (1 or more, in decimal)");
	vdev_bad("xvda1x", "bad partition (1 or more, in decimal)");
	vdev_bad("xvdA", VDEV_EXPECTED);
	vdev_bad("xvda256", "partition out of range (1 to 255)");
	vdev_bad("xvdaaaaaa", "disk out of range (at most 1048576 disks)");
	vdev_bad("hde", "disk out of range (at most 4 disks)");
	vdev_bad("hda64", "partition out of range (1 to 63)");
	vdev_bad("sdq", "disk out of range (at most 16 disks)");
	vdev_bad("sda16", "partition out of range (1 to 15)");
	vdev_bad("2147483648", "not a number from 0 to 2147483647");
	vdev_bad("12ab", "not a number from 0 to 2147483647");
	vdev_bad("d1", "expected d<disk>p<partition>, in decimal");
	vdev_bad("d1048576p0", "disk or partition out of range");
	vdev_bad("", VDEV_EXPECTED);
}

static void nodes_are(const char *spec, int domid, int bd,
		      const struct node_want *w, int nw)
{
	static struct xs_node out[DISK_NODES_MAX];
	struct disk_spec d;
	int n;

	if (disk_spec_parse(spec, &d, err, sizeof(err))) {
		tap_ok(0, "nodes for %s: %s", spec, err);
		return;
	}
	n = disk_spec_nodes(&d, domid, bd, out, DISK_NODES_MAX);
	tap_ok(nodes_match(out, n, w, nw), "nodes for \"%s\", dom%d on dom%d",
	       spec, domid, bd);
	tap_ok(disk_spec_nodes(&d, domid, bd, out, DISK_NODES_MAX - 1) == -1,
	       "nodes: -1 when the array is too small");
	disk_spec_free(&d);
}

#define FE5	"/local/domain/5/device/vbd/51712"
#define BE5	"/local/domain/0/backend/vbd/5/51712"
#define FE7	"/local/domain/7/device/vbd/5632"
#define BE7	"/local/domain/2/backend/vbd/7/5632"

static void test_nodes(void)
{
	static const struct node_want disk[] = {
		{ FE5, "", "n5,r0" },
		{ FE5 "/backend", BE5, "n5,r0" },
		{ FE5 "/backend-id", "0", "n5,r0" },
		{ FE5 "/state", "1", "n5,r0" },
		{ FE5 "/virtual-device", "51712", "n5,r0" },
		{ FE5 "/device-type", "disk", "n5,r0" },
		{ BE5, "", "n0,r5" },
		{ BE5 "/frontend", FE5, "n0,r5" },
		{ BE5 "/params", "/dev/vg/guest", "n0,r5" },
		{ BE5 "/frontend-id", "5", "n0,r5" },
		{ BE5 "/online", "1", "n0,r5" },
		{ BE5 "/removable", "0", "n0,r5" },
		{ BE5 "/bootable", "1", "n0,r5" },
		{ BE5 "/state", "1", "n0,r5" },
		{ BE5 "/dev", "xvda", "n0,r5" },
		{ BE5 "/type", "phy", "n0,r5" },
		{ BE5 "/mode", "w", "n0,r5" },
		{ BE5 "/device-type", "disk", "n0,r5" },
		{ BE5 "/discard-enable", "1", "n0,r5" },
	};
	static const struct node_want cdrom[] = {
		{ FE7, "", "n7,r2" },
		{ FE7 "/backend", BE7, "n7,r2" },
		{ FE7 "/backend-id", "2", "n7,r2" },
		{ FE7 "/state", "1", "n7,r2" },
		{ FE7 "/virtual-device", "5632", "n7,r2" },
		{ FE7 "/device-type", "cdrom", "n7,r2" },
		{ BE7, "", "n2,r7" },
		{ BE7 "/frontend", FE7, "n2,r7" },
		{ BE7 "/params", "", "n2,r7" },
		{ BE7 "/frontend-id", "7", "n2,r7" },
		{ BE7 "/online", "1", "n2,r7" },
		{ BE7 "/removable", "1", "n2,r7" },
		{ BE7 "/bootable", "1", "n2,r7" },
		{ BE7 "/state", "1", "n2,r7" },
		{ BE7 "/dev", "hdc", "n2,r7" },
		{ BE7 "/type", "phy", "n2,r7" },
		{ BE7 "/mode", "r", "n2,r7" },
		{ BE7 "/device-type", "cdrom", "n2,r7" },
		{ BE7 "/discard-enable", "0", "n2,r7" },
	};

	nodes_are("phy:/dev/vg/guest,xvda,w", 5, 0, disk, ARRAY_SIZE(disk));
	nodes_are(",hdc:cdrom,r", 7, 2, cdrom, ARRAY_SIZE(cdrom));
}

void diskspec_tests(void)
{
	test_forms();
	test_legacy();
	test_target_key();
	test_flags();
	test_errors();
	test_vdev();
	test_nodes();
}
