// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the xl.cfg parser (cfg.c) and the domain config rules
 * (domcfg.c): values, escapes, lists, "+=", overrides, and the exact
 * file:line:column messages for malformed input.
 */
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

static void test_values(void)
{
	const struct cfg_value *l;

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
	tap_ok(!parse("s = \"a\\tb\\n\\\\\\\"\\'\\x41\\101\\x7e\"") &&
	       str_is("s", "a\tb\n\\\"'AA~"), "C escapes in double quotes");
	tap_ok(!parse("s = 'it\\'s \"q\"'") && str_is("s", "it's \"q\""),
	       "single quotes");
	tap_ok(!parse("disk = [ \"a\", 'b', 3, ]") &&
	       cfg_get_list(&cfg, "disk", &l) == 1 && l->nitems == 3 &&
	       !strcmp(l->items[0].str, "a") &&
	       !strcmp(l->items[1].str, "b") &&
	       l->items[2].type == CFG_NUMBER && l->items[2].num == 3,
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
	bad("s = \"\\x4\"",
	    "t.cfg:1:6: s: bad escape '\\x': needs two hex digits");
	bad("memory 512",
	    "t.cfg:1:8: memory: expected '=' or '+=', got number");
	bad("memory\n= 512",
	    "t.cfg:1:7: memory: expected '=' or '+=', got newline");
	bad("memory = 12x", "t.cfg:1:10: memory: bad number '12x'");
	bad("memory = 99999999999999999999",
	    "t.cfg:1:10: memory: bad number '99999999999999999999' (too large)");
	bad("memory = ",
	    "t.cfg:1:10: memory: expected a value, got end of file");
	bad("a = 1 2",
	    "t.cfg:1:7: a: expected ';' or end of line after the value, got number");
	bad("d = [ 'a' 'b' ]",
	    "t.cfg:1:11: d: expected ',' or ']' in list, got string");
	bad("d = [ 'a',\n", "t.cfg:1:5: d: unterminated list");
	bad("d = [ ['a'] ]", "t.cfg:1:7: d: nested lists are not supported");
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
		"t.cfg:4:10: on_crash: invalid action \"explode\" (expected destroy, restart or preserve)");
	dom_bad(BASE "on_reboot='rename-restart'",
		"t.cfg:4:11: on_reboot: action \"rename-restart\" is not supported (kxen has no command to rename the old domain)");
	dom_bad(BASE "on_crash='coredump-destroy'",
		"t.cfg:4:10: on_crash: action \"coredump-destroy\" is not supported (xl-lite cannot dump a domain's core)");
	dom_bad(BASE "on_crash='coredump-restart'",
		"t.cfg:4:10: on_crash: action \"coredump-restart\" is not supported (xl-lite cannot dump a domain's core)");
	dom_bad(BASE "on_soft_reset='soft-reset'",
		"t.cfg:4:15: on_soft_reset: action \"soft-reset\" is not supported (kxen cannot soft-reset a domain)");
	dom_bad(BASE "on_poweroff=1",
		"t.cfg:4:13: on_poweroff: invalid action \"1\" (expected destroy, restart or preserve)");
	dom_bad(BASE "on_poweroff=['destroy']",
		"t.cfg:4:13: on_poweroff: expected a string, got list");
	dom_bad(BASE "on_watchdog='Restart'",
		"t.cfg:4:13: on_watchdog: invalid action \"Restart\" (expected destroy, restart or preserve)");
	dom_bad("type='pvh'\nkernel='k'\n"
		"name='0123456789012345678901234567890123456789012345678901234567890123'",
		"t.cfg:3:6: name: too long (at most 63 characters)");
}

void cfg_tests(void)
{
	cfg_init(&cfg);
	test_values();
	test_append();
	test_errors();
	test_types_and_overrides();
	test_domcfg();
	cfg_free(&cfg);
}
