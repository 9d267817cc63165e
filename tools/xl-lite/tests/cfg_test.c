// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the xl.cfg parser (cfg.c) and the domain config rules
 * (domcfg.c): values, escapes, lists, "+=", overrides, and the exact
 * file:line:column messages for malformed input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "domcfg.h"
#include "tap.h"

static struct cfg cfg;

static int parse(const char *text)
{
	cfg_free(&cfg);
	cfg_init(&cfg);
	return cfg_parse(&cfg, "t.cfg", text, strlen(text));
}

static int str_is(const char *key, const char *want)
{
	const char *v;

	return cfg_get_string(&cfg, key, &v) == 1 && !strcmp(v, want);
}

static int num_is(const char *key, uint64_t want)
{
	uint64_t v;

	return cfg_get_u64(&cfg, key, &v) == 1 && v == want;
}

/* Parsing fails with exactly @msg. */
static void bad(const char *text, const char *msg)
{
	int r = parse(text);

	if (!tap_ok(r == -1 && !strcmp(cfg.err, msg), "error: %s", msg))
		tap_diag("got %d \"%s\"", r, cfg.err);
}

/* Parsing succeeds, reading @key as a number fails with exactly @msg. */
static void bad_num(const char *text, const char *key, const char *msg)
{
	uint64_t n;
	int r = parse(text);

	if (!r)
		r = cfg_get_u64(&cfg, key, &n);
	if (!tap_ok(r == -1 && !strcmp(cfg.err, msg), "error: %s", msg))
		tap_diag("got %d \"%s\"", r, cfg.err);
}

static void test_values(void)
{
	const struct cfg_value *l;
	uint64_t n;

	tap_ok(!parse("name = \"vm1\"\nmemory = 512\nvcpus=0x10\n"
		      "kernel='/boot/k'\n") &&
	       str_is("name", "vm1") && num_is("memory", 512) &&
	       num_is("vcpus", 16) && str_is("kernel", "/boot/k"),
	       "strings, decimal and hex numbers");
	tap_ok(!parse("a=1; b=\"x\" # comment ; c=2\n;;\n# only\n\n") &&
	       num_is("a", 1) && str_is("b", "x") && !cfg_find(&cfg, "c"),
	       "';' separators and '#' comments");
	tap_ok(!parse("a = 1\r\nb = \"y\"\r\n") && num_is("a", 1) &&
	       str_is("b", "y"), "CRLF line endings");
	tap_ok(!parse("") && cfg.nset == 0, "empty file");
	tap_ok(!parse("s = \"a\\tb\\n\\\\\\\"\\'\\101z\"") &&
	       str_is("s", "a\tb\n\\\"'z") &&
	       !strcmp(cfg.warn, "t.cfg:1:18: s: escape '\\101' dropped, as xl's parser drops it"),
	       "escapes in double quotes; an octal one dropped, as libxlu: %s",
	       cfg.warn);
	tap_ok(!parse("s = 'it\\'s \"q\"'") && str_is("s", "it's \"q\""),
	       "single quotes");
	tap_ok(!parse("disk = [ \"a\", 'b', 3, ]") &&
	       cfg_get_list(&cfg, "disk", &l) == 1 && l->nitems == 3 &&
	       !strcmp(l->items[0].str, "a") &&
	       !strcmp(l->items[1].str, "b") &&
	       l->items[2].type == CFG_NUMBER &&
	       !cfg_atom_u64(&l->items[2], &n) && n == 3,
	       "list with trailing comma");
	tap_ok(!parse("vif = [\n  'x',\n\n  'y'\n]\nz = 1") &&
	       cfg_get_list(&cfg, "vif", &l) == 1 && l->nitems == 2 &&
	       num_is("z", 1), "list over several lines");
	tap_ok(!parse("l = []") && cfg_get_list(&cfg, "l", &l) == 1 &&
	       l->nitems == 0, "empty list");
	tap_ok(!parse("memory = 1\nmemory = 2") && num_is("memory", 2) &&
	       cfg.nset == 1, "'=' replaces an earlier setting");
}

static void test_append(void)
{
	const struct cfg_value *l;

	tap_ok(!parse("extra = \"a\"\nextra += \" b\"") &&
	       str_is("extra", "a b"), "'+=' appends to a string");
	tap_ok(!parse("d = ['a']\nd += ['b', 'c']") &&
	       cfg_get_list(&cfg, "d", &l) == 1 && l->nitems == 3 &&
	       !strcmp(l->items[2].str, "c"), "'+=' appends to a list");
	tap_ok(!parse("d = ['a']\nd += []") &&
	       cfg_get_list(&cfg, "d", &l) == 1 && l->nitems == 1,
	       "'+=' of an empty list");
	tap_ok(!parse("extra += \"x\"") && str_is("extra", "x"),
	       "'+=' without an earlier setting acts as '='");
	bad("m = 1\nm += 2",
	    "t.cfg:2:6: m: cannot append a number to a number with '+='");
	bad("d = ['a']\nd += \"b\"",
	    "t.cfg:2:6: d: cannot append a string to a list with '+='");
}

static void test_errors(void)
{
	bad("kernel = \"abc\n", "t.cfg:1:10: kernel: unterminated string");
	bad("kernel = 'abc", "t.cfg:1:10: kernel: unterminated string");
	bad("a = 1\n\ncmdline = \"a\\q\"",
	    "t.cfg:3:13: cmdline: bad escape '\\q' in string");
	bad("s = \"\\x41\"",
	    "t.cfg:1:6: s: bad escape '\\x': xl's parser takes no hex escapes");
	bad("s = \"\\12\"",
	    "t.cfg:1:6: s: bad escape '\\1': xl's parser wants two more digits after it");
	bad("memory 512",
	    "t.cfg:1:8: memory: expected '=' or '+=', got number");
	bad("memory\n= 512",
	    "t.cfg:1:7: memory: expected '=' or '+=', got newline");
	bad("memory = 12k", "t.cfg:1:10: memory: bad number '12k'");
	bad("x = 0X1", "t.cfg:1:5: x: bad number '0X1'");
	bad_num("memory = 12x", "memory", "t.cfg:1:10: memory: bad number '12x'");
	bad_num("memory = 08", "memory", "t.cfg:1:10: memory: bad number '08'");
	bad_num("memory = 99999999999999999999", "memory",
		"t.cfg:1:10: memory: bad number '99999999999999999999' (too large)");
	bad("Memory = 1", "t.cfg:1:1: unexpected character 'M'");
	bad("_x = 1", "t.cfg:1:1: unexpected character '_'");
	bad("memoryMax = 1",
	    "t.cfg:1:7: memory: unexpected character 'M'");
	bad("memory = ",
	    "t.cfg:1:10: memory: expected a value, got end of file");
	bad("a = 1 2",
	    "t.cfg:1:7: a: expected ';' or end of line after the value, got number");
	bad("d = [ 'a' 'b' ]",
	    "t.cfg:1:11: d: expected ',' or ']' in list, got string");
	bad("d = [ 'a',\n", "t.cfg:1:5: d: unterminated list");
	bad("= 5", "t.cfg:1:1: expected a setting name, got '='");
	bad("x = @", "t.cfg:1:5: x: unexpected character '@'");
	bad("x = 1\n\t3 = 4", "t.cfg:2:2: expected a setting name, got number");
}

static void test_types_and_overrides(void)
{
	const char *s;
	uint64_t n;

	parse("memory = \"512\"\nname = 5\nmaxmem = '0x20'\nvcpus = 'two'\n"
	      "cap = ' 1'\nl = ['1']");
	tap_ok(num_is("memory", 512) && num_is("maxmem", 32),
	       "a quoted number is a number, as in xl");
	tap_ok(str_is("name", "5"), "a bare number is a string, as in xl");
	tap_ok(cfg_get_u64(&cfg, "vcpus", &n) == -1 &&
	       !strcmp(cfg.err,
		       "t.cfg:4:9: vcpus: expected a number, got \"two\""),
	       "number expected, other string given: %s", cfg.err);
	tap_ok(cfg_get_u64(&cfg, "cap", &n) == -1 &&
	       !strcmp(cfg.err, "t.cfg:5:7: cap: expected a number, got \" 1\""),
	       "a quoted number starts with a digit: %s", cfg.err);
	tap_ok(cfg_get_string(&cfg, "l", &s) == -1 &&
	       !strcmp(cfg.err, "t.cfg:6:5: l: expected a string, got list"),
	       "string expected, list given: %s", cfg.err);
	tap_ok(cfg_get_u64(&cfg, "absent", &n) == 0, "absent key gives 0");

	parse("memory = 512\nextra = 'a'");
	tap_ok(!cfg_parse(&cfg, "<command line>", "memory=64", 9) &&
	       num_is("memory", 64), "override replaces a file setting");
	tap_ok(!cfg_parse(&cfg, "<command line>", "extra+=' b'", 11) &&
	       str_is("extra", "a b"), "override with '+='");
	tap_ok(cfg_parse(&cfg, "<command line>", "memory=x1", 9) == -1 &&
	       !strcmp(cfg.err,
		       "<command line>:1:8: memory: expected a value, got name"),
	       "override error names the command line: %s", cfg.err);
	tap_ok(cfg_parse_file(&cfg, "/nonexistent/x.cfg") == -1 &&
	       !strcmp(cfg.err,
		       "/nonexistent/x.cfg: No such file or directory"),
	       "missing file: %s", cfg.err);
}

static char warned[1024];

static void warn(const char *msg)
{
	strncat(warned, msg, sizeof(warned) - strlen(warned) - 2);
	strcat(warned, "\n");
}

static int dom(const char *text, struct dom_config *dc)
{
	warned[0] = '\0';
	if (parse(text))
		return -2;
	return dom_config_from_cfg(&cfg, dc, warn);
}

#define BASE "type='pvh'\nname='d'\nkernel='k'\n"

static void dom_bad(const char *text, const char *msg)
{
	struct dom_config dc;
	int r = dom(text, &dc);

	if (!tap_ok(r == -1 && !strcmp(cfg.err, msg), "domcfg: %s", msg))
		tap_diag("got %d \"%s\"", r, cfg.err);
	if (!r)
		dom_config_free(&dc);
}

static void test_domcfg(void)
{
	struct dom_config dc;

	tap_ok(!dom(BASE, &dc) && dc.memory_mib == 32 && dc.vcpus == 1 &&
	       !strcmp(dc.cmdline, "") && !dc.ramdisk &&
	       dc.on_poweroff == ACT_DESTROY && dc.on_reboot == ACT_RESTART &&
	       dc.on_crash == ACT_DESTROY && dc.on_watchdog == ACT_DESTROY &&
	       dc.on_soft_reset == ACT_DESTROY && !warned[0],
	       "defaults as xl's");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "root='/dev/xvda1'\nextra='console=hvc0'\n"
		    "memory=256\nvcpus=4\nramdisk='r'\n"
		    "on_crash='preserve'\non_reboot='destroy'\n"
		    "on_poweroff='restart'\non_watchdog='restart'", &dc) &&
	       !strcmp(dc.cmdline, "root=/dev/xvda1 console=hvc0") &&
	       dc.memory_mib == 256 && dc.vcpus == 4 &&
	       !strcmp(dc.ramdisk, "r") && dc.on_crash == ACT_PRESERVE &&
	       dc.on_reboot == ACT_DESTROY && dc.on_poweroff == ACT_RESTART &&
	       dc.on_watchdog == ACT_RESTART,
	       "cmdline from root and extra, sizes, actions");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "extra='quiet'", &dc) &&
	       !strcmp(dc.cmdline, "quiet"), "cmdline from extra alone");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "cmdline='a b'\nroot='x'", &dc) &&
	       !strcmp(dc.cmdline, "a b") && strstr(warned, "ignoring root="),
	       "cmdline wins over root/extra, with a warning");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "vfb=['x']\nfoo=1", &dc) &&
	       strstr(warned, "t.cfg:4:1: vfb: unsupported key, ignored") &&
	       strstr(warned, "t.cfg:5:1: foo: unsupported key, ignored"),
	       "unknown keys warned about, not fatal");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "disk=['/img,raw,xvda,rw', 'vdev=xvdb,target=/b,c']",
		    &dc) && dc.ndisks == 2 && dc.disks[0].devid == 51712 &&
	       !strcmp(dc.disks[1].target, "/b,c") && !dc.disks[1].readonly,
	       "disk = [...]: two disks");
	dom_config_free(&dc);
	tap_ok(dom(BASE "disk=['/a,,xvda', '/b,,xvda']", &dc) &&
	       strstr(cfg.err, "t.cfg:4:19: disk: /b: virtual device xvda is already used by /a"),
	       "two disks on one vdev refused");
	tap_ok(dom(BASE "disk=['/a,qcow2,xvda']", &dc) &&
	       strstr(cfg.err, "t.cfg:4:") && strstr(cfg.err, "qcow2"),
	       "a qcow2 disk refused with where and why");
	tap_ok(!dom(BASE "vif=['', 'bridge=br1', 'devid=7,mac=00:16:3e:00:00:07']",
		    &dc) && dc.nnics == 3 && dc.nics[0].devid == 0 &&
	       dc.nics[1].devid == 1 && !strcmp(dc.nics[1].bridge, "br1") &&
	       dc.nics[2].devid == 7 && !strstr(warned, "vif"),
	       "vif = [...]: devids in order unless devid= says");
	dom_config_free(&dc);
	dom_bad(BASE "vif=['devid=1', '']",
		"t.cfg:4:17: vif: devid 1 is already used by vif 1");
	dom_bad(BASE "vif=['mac=00:16:3e:00:00:01', 'mac=00:16:3E:00:00:01']",
		"t.cfg:4:31: vif: mac 00:16:3e:00:00:01 is already used by vif 0");
	dom_bad(BASE "vif=['vifname=web', 'vifname=web']",
		"t.cfg:4:21: vif: vifname web is already used by vif 0");
	dom_bad(BASE "vif=['',\n 'model=e1000']",
		"t.cfg:5:2: vif: model e1000 is not supported by kxen (no emulated NICs: the guest gets a PV vif)");
	dom_bad(BASE "vif=[1]", "t.cfg:4:6: vif: each entry is a string");

	dom_bad("name='d'\nkernel='k'",
		"type: not set, and xl's default \"pv\" is not supported; set type = \"pvh\"");
	dom_bad("type='hvm'",
		"t.cfg:1:6: type: type \"hvm\" is not supported yet (xl-lite builds type = \"pvh\" only)");
	dom_bad("type='qemu'",
		"t.cfg:1:6: type: unknown type \"qemu\" (expected \"pvh\")");
	dom_bad("type='pvh'\nkernel='k'",
		"name: domain name must be specified");
	dom_bad("type='pvh'\nname='d'",
		"kernel: must be specified for type \"pvh\"");
	dom_bad("type='pvh'\nkernel='k'\nname='my vm'",
		"t.cfg:3:6: name: \"my vm\": only letters, digits, '.', '_' and '-' are allowed");
	dom_bad(BASE "memory='1M'",
		"t.cfg:4:8: memory: expected a number, got \"1M\"");
	dom_bad(BASE "memory=0",
		"t.cfg:4:8: memory: must be a number of MiB, at least 1");
	dom_bad(BASE "vcpus=129",
		"t.cfg:4:7: vcpus: must be between 0 and 128");
	dom_bad(BASE "on_crash='explode'",
		"t.cfg:4:10: on_crash: invalid action \"explode\" (expected destroy, restart, rename-restart or preserve)");
	tap_ok(!dom(BASE "on_reboot='rename-restart'\non_crash='rename-restart'",
		    &dc) && dc.on_reboot == ACT_RESTART_RENAME &&
	       dc.on_crash == ACT_RESTART_RENAME,
	       "rename-restart is taken");
	dom_config_free(&dc);
	dom_bad(BASE "on_crash='coredump-destroy'",
		"t.cfg:4:10: on_crash: action \"coredump-destroy\" is not supported (xl-lite cannot dump a domain's core)");
	dom_bad(BASE "on_crash='coredump-restart'",
		"t.cfg:4:10: on_crash: action \"coredump-restart\" is not supported (xl-lite cannot dump a domain's core)");
	dom_bad(BASE "on_soft_reset='soft-reset'",
		"t.cfg:4:15: on_soft_reset: action \"soft-reset\" is not supported (kxen cannot soft-reset a domain)");
	dom_bad(BASE "on_poweroff=1",
		"t.cfg:4:13: on_poweroff: invalid action \"1\" (expected destroy, restart, rename-restart or preserve)");
	dom_bad(BASE "on_poweroff=['destroy']",
		"t.cfg:4:13: on_poweroff: expected a string, got list");
	dom_bad(BASE "on_watchdog='Restart'",
		"t.cfg:4:13: on_watchdog: invalid action \"Restart\" (expected destroy, restart, rename-restart or preserve)");
	dom_bad("type='pvh'\nkernel='k'\n"
		"name='0123456789012345678901234567890123456789012345678901234567890123'",
		"t.cfg:3:6: name: too long (at most 63 characters)");
}

static void test_xl_keys(void)
{
	struct dom_config dc;

	tap_ok(!dom(BASE "memory='512'\nvcpus='2'", &dc) &&
	       dc.memory_mib == 512 && dc.vcpus == 2 && dc.maxmem_mib == 512 &&
	       dc.max_vcpus == 2 && !warned[0],
	       "quoted memory and vcpus, as xen-tools writes them");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "vcpus=0", &dc) && dc.vcpus == 1 && dc.max_vcpus == 1,
	       "vcpus = 0 is libxl's default of one vCPU");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "memory=256\nmaxmem=1024\nvcpus=2\nmaxvcpus=8", &dc) &&
	       dc.maxmem_mib == 1024 && dc.max_vcpus == 8 &&
	       dc.vcpus == 2 && !warned[0],
	       "maxmem above memory, maxvcpus above vcpus: applied, no warning");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "memory=256\nmaxmem=256\nvcpus=2\nmaxvcpus=2", &dc) &&
	       !warned[0], "maxmem = memory, maxvcpus = vcpus: nothing to warn");
	dom_config_free(&dc);
	dom_bad(BASE "memory=512\nmaxmem=256",
		"t.cfg:5:8: maxmem: 256 MiB is less than memory (512 MiB)");
	dom_bad(BASE "maxmem=16",
		"t.cfg:4:8: maxmem: 16 MiB is less than memory (32 MiB)");
	dom_bad(BASE "maxmem='lots'",
		"t.cfg:4:8: maxmem: expected a number, got \"lots\"");
	dom_bad(BASE "vcpus=4\nmaxvcpus=2",
		"t.cfg:5:10: maxvcpus: 2 is less than vcpus (4)");
	dom_bad(BASE "maxvcpus=0",
		"t.cfg:4:10: maxvcpus: must be between 1 and 128");
	dom_bad(BASE "maxvcpus=129",
		"t.cfg:4:10: maxvcpus: must be between 1 and 128");
	tap_ok(!dom(BASE "uuid='0123abcd-EF01-2345-6789-abcdef012345'", &dc) &&
	       dc.uuid_given && dc.uuid[0] == 0x01 && dc.uuid[3] == 0xcd &&
	       dc.uuid[4] == 0xef && dc.uuid[15] == 0x45 && !warned[0],
	       "uuid (applied: no warning)");
	dom_config_free(&dc);
	dom_bad(BASE "uuid='0123abcd-ef01-2345-6789-abcdef01234'",
		"t.cfg:4:6: uuid: \"0123abcd-ef01-2345-6789-abcdef01234\" is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
	dom_bad(BASE "uuid='0123abcd-ef01-2345-6789_abcdef012345'",
		"t.cfg:4:6: uuid: \"0123abcd-ef01-2345-6789_abcdef012345\" is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
	dom_bad(BASE "uuid='g123abcd-ef01-2345-6789-abcdef012345'",
		"t.cfg:4:6: uuid: \"g123abcd-ef01-2345-6789-abcdef012345\" is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
	tap_ok(!dom(BASE "cpu_weight=512\ncap='50'\nmax_grant_frames=64\n"
		    "max_event_channels=1023", &dc) &&
	       dc.cpu_weight == 512 && dc.cap == 50 &&
	       dc.max_grant_frames == 64 && dc.max_event_channels == 1023 &&
	       !strstr(warned, "cpu_weight") && !strstr(warned, "cap:") &&
	       !warned[0],
	       "cpu_weight, cap, max_grant_frames, max_event_channels (applied: no warning)");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "cpu_weight=256\ncap=0", &dc) && dc.cpu_weight == 256 &&
	       dc.cap == 0 && !warned[0],
	       "Xen's default weight and no cap: nothing to warn about");
	dom_config_free(&dc);
	tap_ok(!dom(BASE, &dc) && dc.cpu_weight == 0 && dc.cap == -1 &&
	       !dc.uuid_given && !dc.cpus.n && !dc.cpus_soft.n,
	       "none of them set: defaults");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "max_grant_frames=1\nmax_event_channels=131071",
		    &dc) && dc.max_grant_frames == 1 &&
	       dc.max_event_channels == 131071 && !warned[0],
	       "the least grant frames, the most event channels");
	dom_config_free(&dc);
	dom_bad(BASE "cpu_weight=0",
		"t.cfg:4:12: cpu_weight: must be between 1 and 65535");
	dom_bad(BASE "cap=65536", "t.cfg:4:5: cap: must be between 0 and 65535");
	dom_bad(BASE "max_grant_frames=65",
		"t.cfg:4:18: max_grant_frames: must be between 1 and 64");
	dom_bad(BASE "max_event_channels=0",
		"t.cfg:4:20: max_event_channels: must be between 1 and 131071");
	dom_bad(BASE "max_event_channels=131072",
		"t.cfg:4:20: max_event_channels: must be between 1 and 131071");
	tap_ok(!dom(BASE "nestedhvm=1", &dc) && dc.nestedhvm == 1 &&
	       !warned[0], "nestedhvm=1 (applied: no warning)");
	dom_config_free(&dc);
	tap_ok(!dom(BASE "nestedhvm=0", &dc) && dc.nestedhvm == 0 &&
	       !warned[0], "nestedhvm=0");
	dom_config_free(&dc);
	dom_bad(BASE "nestedhvm=2", "t.cfg:4:11: nestedhvm: must be 0 or 1");
}

static int cpu_is(const struct dom_cpumask *m, unsigned int cpu)
{
	return !!(m->bits[cpu / 64] & (1ULL << (cpu % 64)));
}

static int cpus_are(const char *spec, const char *want)
{
	static struct dom_cpumask m;
	char err[256], got[64] = "";
	unsigned int c;

	if (dom_cpumask_parse(spec, &m, err, sizeof(err)))
		return 0;
	for (c = 0; c < DOMCFG_MAX_CPUS && strlen(got) < sizeof(got) - 8; c++)
		if (cpu_is(&m, c))
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
				 "%s%u", got[0] ? "," : "", c);
	if (strcmp(got, want))
		tap_diag("%s: got %s, want %s", spec, got, want);
	return !strcmp(got, want);
}

static void cpus_bad(const char *spec, const char *msg)
{
	static struct dom_cpumask m;
	char err[256] = "";
	int r = dom_cpumask_parse(spec, &m, err, sizeof(err));

	if (!tap_ok(r == -1 && !strcmp(err, msg), "cpus \"%s\": %s", spec, msg))
		tap_diag("got %d \"%s\"", r, err);
}

static void test_cpus(void)
{
	static struct dom_cpumask m;
	struct dom_config dc;
	char err[256];

	tap_ok(cpus_are("3", "3") && cpus_are("0-3,^2", "0,1,3") &&
	       cpus_are("1,,5-6", "1,5,6") && cpus_are("^1,4", "4") &&
	       cpus_are("8191", "8191"), "cpu lists as xl reads them");
	tap_ok(!dom_cpumask_parse("all,^0-8190", &m, err, sizeof(err)) &&
	       cpu_is(&m, 8191) && !cpu_is(&m, 8190), "\"all\" and exclusion");
	cpus_bad("", "\"\" selects no CPU");
	cpus_bad("2,^2", "\"2,^2\" selects no CPU");
	cpus_bad("3-1", "\"3-1\": expected \"all\", a CPU or a range N-M, each maybe after '^'");
	cpus_bad("x", "\"x\": expected \"all\", a CPU or a range N-M, each maybe after '^'");
	cpus_bad("1-", "\"1-\": expected \"all\", a CPU or a range N-M, each maybe after '^'");
	cpus_bad("-1", "\"-1\": expected \"all\", a CPU or a range N-M, each maybe after '^'");
	cpus_bad("8192", "\"8192\": CPUs are numbered 0 to 8191");
	cpus_bad("0-99999999999999999999999",
		 "\"0-99999999999999999999999\": CPUs are numbered 0 to 8191");
	cpus_bad("nodes:0", "\"nodes:0\": NUMA node affinity is not supported");
	tap_ok(!dom(BASE "vcpus=2\ncpus='0-1'\ncpus_soft=['2', 3]", &dc) &&
	       dc.cpus.n == 1 && !dc.cpus.per_vcpu &&
	       cpu_is(&dc.cpus.masks[0], 1) && !cpu_is(&dc.cpus.masks[0], 2) &&
	       dc.cpus_soft.n == 2 && dc.cpus_soft.per_vcpu &&
	       cpu_is(&dc.cpus_soft.masks[0], 2) &&
	       cpu_is(&dc.cpus_soft.masks[1], 3) &&
	       !cpu_is(&dc.cpus_soft.masks[1], 2) &&
	       !strstr(warned, "cpus:") && !strstr(warned, "cpus_soft"),
	       "cpus as a string and cpus_soft per vCPU, neither warned about");
	tap_ok(dom_affinity_mask(&dc.cpus, 0) == &dc.cpus.masks[0] &&
	       dom_affinity_mask(&dc.cpus, 5) == &dc.cpus.masks[0] &&
	       dom_affinity_mask(&dc.cpus_soft, 1) == &dc.cpus_soft.masks[1] &&
	       !dom_affinity_mask(&dc.cpus_soft, 2),
	       "a string pins every vCPU, a list only those it has entries for");
	dom_affinity_where(&dc.cpus_soft, 1, err, sizeof(err));
	tap_ok(!strcmp(err, "t.cfg:6:17: cpus_soft: \"3\""),
	       "a list entry's place: %s", err);
	dom_affinity_where(&dc.cpus, 1, err, sizeof(err));
	tap_ok(!strcmp(err, "t.cfg:5:6: cpus: \"0-1\""),
	       "a string's place, for every vCPU: %s", err);
	dom_config_free(&dc);
	tap_ok(!dom(BASE "vcpus=2", &dc) && !dom_affinity_mask(&dc.cpus, 0),
	       "no cpus: no vCPU pinned");
	dom_config_free(&dc);
	dom_bad(BASE "vcpus=2\ncpus=['0', '1', '2']",
		"t.cfg:5:6: cpus: 3 entries for 2 vCPUs (maxvcpus)");
	dom_bad(BASE "vcpus=2\ncpus_soft=['0',\n '9-8']",
		"t.cfg:6:2: cpus_soft: \"9-8\": expected \"all\", a CPU or a range N-M, each maybe after '^'");
	dom_bad(BASE "cpus='^0'", "t.cfg:4:6: cpus: \"^0\" selects no CPU");
}

#define TOO_BIG ": config too large (xl-lite reads at most 1024 KiB)"

/* "+=", many keys and the size cap: results right at sizes that matter. */
static void test_linear(void)
{
	const struct cfg_value *l;
	static const char add[] = "s += \"ab\"\nl += [1, 'x']\n";
	char *big, line[64];
	size_t i, n, len;
	int ok = 1;

	cfg_free(&cfg);
	cfg_init(&cfg);
	for (i = 0; i < 2000 && ok; i++)
		ok = !cfg_parse(&cfg, "t.cfg", add, sizeof(add) - 1);
	tap_ok(ok && str_is("s", "") == 0 &&
	       cfg_find(&cfg, "s")->val.len == 4000 &&
	       cfg_get_list(&cfg, "l", &l) == 1 && l->nitems == 4000 &&
	       !strcmp(l->items[3999].str, "x"), "2000 appends to a string and a list");
	big = malloc(CFG_MAX_SIZE + 2);
	for (len = 0, n = 0; len + 40 < CFG_MAX_SIZE; n++) {
		i = snprintf(line, sizeof(line), "key_%zu = %zu\n", n, n);
		memcpy(big + len, line, i);
		len += i;
	}
	cfg_free(&cfg);
	cfg_init(&cfg);
	tap_ok(!cfg_parse(&cfg, "t.cfg", big, len) && cfg.nset == n &&
	       num_is("key_0", 0) && num_is("key_12345", 12345),
	       "%zu keys just under 1 MiB, each found", n);
	tap_ok(cfg_parse(&cfg, "<command line>", "a=1", 3) == 0 &&
	       cfg_parse(&cfg, "<command line>", big, CFG_MAX_SIZE) == -1 &&
	       !strcmp(cfg.err, "<command line>" TOO_BIG),
	       "the cap counts all text given to one config: %s", cfg.err);
	memset(big, ' ', CFG_MAX_SIZE + 1);
	cfg_free(&cfg);
	cfg_init(&cfg);
	tap_ok(!cfg_parse(&cfg, "t.cfg", big, CFG_MAX_SIZE) &&
	       cfg_parse(&cfg, "u.cfg", big, 0) == 0, "exactly 1 MiB parses");
	cfg_free(&cfg);
	cfg_init(&cfg);
	tap_ok(cfg_parse(&cfg, "t.cfg", big, CFG_MAX_SIZE + 1) == -1 &&
	       !strcmp(cfg.err, "t.cfg" TOO_BIG),
	       "1 MiB + 1 refused: %s", cfg.err);
	free(big);
}

/* bootloader = and bootloader_args, as xl takes them. */
static void test_bootloader(void)
{
	struct dom_config dc;

	tap_ok(!dom("type='pvh'\nname='d'\nbootloader='pygrub'\n"
		    "disk=['/img,raw,xvda,rw']\n"
		    "bootloader_args=['-q', '--entry=1']", &dc) &&
	       !strcmp(dc.bootloader, "pygrub") && !dc.kernel &&
	       dc.nbootloader_args == 2 &&
	       !strcmp(dc.bootloader_args[0], "-q") &&
	       !strcmp(dc.bootloader_args[1], "--entry=1") && !warned[0],
	       "bootloader: no kernel needed, a list of arguments");
	dom_config_free(&dc);
	tap_ok(!dom("type='pvh'\nname='d'\nbootloader='/x/pygrub'\n"
		    "kernel='/boot/vmlinuz'\nbootloader_args='-q  --entry=2'",
		    &dc) &&
	       !strcmp(dc.kernel, "/boot/vmlinuz") &&
	       dc.nbootloader_args == 2 &&
	       !strcmp(dc.bootloader_args[1], "--entry=2") &&
	       strstr(warned, "bootloader_args as a string is deprecated"),
	       "bootloader_args as a string: split at spaces, with xl's warning");
	dom_config_free(&dc);
	dom_bad("type='pvh'\nname='d'\nbootloader='pygrub'\n"
		"bootloader_args=['-q', 3]",
		"t.cfg:4:17: bootloader_args: each entry is a string");
	dom_bad("type='pvh'\nname='d'\n"
		"bootloader_args=['-q']",
		"kernel: must be specified for type \"pvh\"");
	dom_bad("type='pvh'\nname='d'\nbootloader='pygrub'\n"
		"bootloader_args='a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7'",
		"t.cfg:4:17: bootloader_args: more than 32 arguments");
}

void cfg_tests(void)
{
	cfg_init(&cfg);
	test_values();
	test_append();
	test_errors();
	test_types_and_overrides();
	test_domcfg();
	test_xl_keys();
	test_cpus();
	test_bootloader();
	test_linear();
	cfg_free(&cfg);
}
