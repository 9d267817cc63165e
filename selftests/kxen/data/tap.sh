# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the shell selftests run inside L1 (sourced, not run).
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.

TAP_N=0
TAP_FAILED=0

tap_plan() { echo "TAP version 13"; echo "1..$1"; }

tap_ok()
{
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
}

tap_fail()
{
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $*"
}

# tap_check DESC CMD...: one test point from a command's exit status.
tap_check()
{
	desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_fail "$desc"; fi
}

tap_skip_all() { echo "1..0 # SKIP $*"; exit 4; }

tap_done() { [ "$TAP_FAILED" -eq 0 ] && exit 0; exit 1; }

# Kernel log lines since the mark set by dmesg_mark: a line of its own in
# the log, since counting lines breaks once the log buffer wraps (a guest
# that prints a lot fills it).  If the mark itself has been overwritten,
# the whole buffer is newer than it.
dmesg_mark()
{
	DMESG_MARK="kxen-selftest-mark-$$-$(cut -d' ' -f1 /proc/uptime)"
	echo "$DMESG_MARK" > /dev/kmsg
}
# The kernel log since the mark (also from sh -c: the script).
dmesg_new() { /selftests/data/dmesg_since "$DMESG_MARK"; }

# summary_counts LOG DOMID WHAT: "NAME COUNT" for each item of a line of
# the domain's destroy summary in the kernel log LOG, WHAT naming the
# line ("VM exits by reason", "hypercalls by op").
summary_counts()
{
	awk -v h=" d$2: $3:" 'index($0, h) {
		for (i = 1; i <= NF; i++)
			if (split($i, p, ":") == 2 && p[2] ~ /^[0-9]+$/)
				print p[1], p[2] }' "$1"
}

# summary_per LOG WHAT DOMID N BASE BASE_N UNIT: the BENCH line of the
# counts of WHAT for DOMID less BASE's (a guest that only booted), per
# UNIT of the N - BASE_N units between them, highest first.
summary_per()
{
	{ summary_counts "$1" "$3" "$2" | sed 's/^/b /'
	  summary_counts "$1" "$5" "$2" | sed 's/^/a /'
	  echo "r $4 $6"; } |
	awk '$1 == "b" { b[$2] = $3 } $1 == "a" { a[$2] = $3 }
		$1 == "r" { r = $2 - $3 }
		END { for (k in b) if (r > 0 && b[k] - a[k] > 0)
			printf "%s %.2f\n", k, (b[k] - a[k]) / r }' |
	sort -k2 -rn | awk -v w="$2" -v u="$7" '{ s = s " " $1 ":" $2 }
		END { print "# BENCH less-boot " w " per " u ":" s }'
}

kxen_loaded() { grep -q '^kxen ' /proc/modules; }

# ext4 and what it needs, from L1's kernel (selftests/lab/l1/modules.list):
# L1's busybox has no modprobe to find them.
ext4_load()
{
	local k="/lib/modules/$(uname -r)/kernel" m

	for m in lib/crc16 crypto/crc32c_generic fs/mbcache fs/jbd2/jbd2 \
		 fs/ext4/ext4; do
		grep -q "^$(basename $m) " /proc/modules ||
			insmod "$k/$m.ko" 2>/dev/null
	done
	grep -qw ext4 /proc/filesystems
}

# kxen_load [PARAM=VALUE...]: also the words of KXEN_MODULE_ARGS (a
# test's environment in tests.list or on the run's command line, for an
# A/B benchmark: KXEN_MODULE_ARGS=apicv=0).
kxen_load()
{
	# shellcheck disable=SC2086 # one word per parameter
	kxen_loaded || insmod "${KXEN_KO:-/kxen/kxen.ko}" ${KXEN_MODULE_ARGS:-} "$@"
}

kxen_unload() { ! kxen_loaded || rmmod kxen; }

# Value of one "key : value" line of `xl-lite info`.
xl_info() { xl-lite info | sed -n "s/^$1[[:space:]]*:[[:space:]]*//p"; }

# State letters of one domain in `xl-lite list` (e.g. "---s--"), or "".
xl_state() { xl-lite list | awk -v n="$1" '$1 == n { print $5 }'; }

# wait_state NAME LETTERS SECONDS: until the state shows one of LETTERS.
wait_state()
{
	_i=0
	while [ $_i -lt $(($3 * 5)) ]; do
		case $(xl_state "$1") in *["$2"]*) return 0 ;; esac
		sleep 0.2
		_i=$((_i + 1))
	done
	echo "domain $1 never reached [$2]: state '$(xl_state "$1")'"
	return 1
}

# guest_cfg NAME ELF MEM [CMDLINE [VCPUS]]: writes /tmp/NAME.cfg.  The
# domain stays listed when it ends (the tests look at how it ended), where
# xl's defaults would have its monitor destroy or restart it.
guest_cfg()
{
	cat > "/tmp/$1.cfg" <<CFG
type = "pvh"
name = "$1"
kernel = "$2"
memory = $3
vcpus = ${5:-1}
cmdline = "${4:-}"
on_poweroff = "preserve"
on_reboot = "preserve"
on_crash = "preserve"
CFG
}

# console_dump NAME: what the guest wrote so far, into /tmp/NAME.out.
console_dump()
{
	timeout 3 xl-lite console "$1" > "/tmp/$1.out" 2>&1
	sed 's/^/#   /' "/tmp/$1.out"
}

# guest_run_success NAME ELF [PATTERN [CMDLINE [CFG_LINE]]]: three checks
# on a one-shot test guest of 32 MiB, one vCPU, CFG_LINE added to its
# config: created (xl-lite's stderr shown and kept in /tmp/NAME.err),
# reports "Test result: SUCCESS" (its console lines matching PATTERN
# shown), destroyed.
guest_run_success()
{
	guest_cfg "$1" "$2" 32 "${4:-}"
	[ -n "${5:-}" ] && echo "$5" >> "/tmp/$1.cfg"
	xl-lite create "/tmp/$1.cfg" 2> "/tmp/$1.err"
	tap_check "$1: xl-lite create" test $? -eq 0
	sed 's/^/#   stderr: /' "/tmp/$1.err"
	wait_state "$1" sc 120
	console_dump "$1" |
		grep -E "${3:-FAIL|PASS|PANIC|Unhandled|Test result}" | head -80
	tap_check "$1: Test result: SUCCESS" \
		grep -q "Test result: SUCCESS" "/tmp/$1.out"
	tap_check "$1: destroyed" xl-lite destroy "$1"
}

# kthreads PREFIX: "NAME POLICY" of each thread whose name starts with
# PREFIX, sorted; POLICY as sched(7) numbers it (0 normal, 3 batch).
kthreads()
{
	cat /proc/[0-9]*/stat 2>/dev/null |
		awk -v p="($1" 'index($2, p) == 1 {
			print substr($2, 2, length($2) - 2), $41 }' | sort
}

# Live counters of the module (xl-lite info): "pages objects".
kxen_live() { echo "$(xl_info live_pages) $(xl_info live_objects)"; }

# live_back BASE: one check that the live counters are back at BASE
# (a kxen_live from before the test made its domains).  A destroyed
# domain is freed when its last reference goes: a monitor's open
# /dev/kxen, a backend finishing its disconnect.  On a loaded L1 that
# can trail the destroy by seconds, so wait up to 60 s, and say how long.
live_back()
{
	_i=0
	_after=$(kxen_live)
	while [ "$_after" != "$1" ] && [ $_i -lt 300 ]; do
		sleep 0.2
		_i=$((_i + 1))
		_after=$(kxen_live)
	done
	echo "live pages/objects before: $1 after: $_after" \
		"($((_i / 5)).$((_i % 5 * 2)) s after the last destroy)"
	tap_check "live pages and objects are back where they were" \
		test "$1" = "$_after"
}

# ksym ADDR (16 hex digits, no 0x): the L1 kernel symbol at or below
# ADDR.  The L2 guest runs the same kernel build, unrelocated (PVH entry
# skips KASLR), so this names guest addresses too.  kallsyms addresses
# have a fixed width, so comparing them as strings orders them.
ksym()
{
	awk -v a="$1" '$1 <= a && $1 > best { best = $1; name = $3 }
		END { print name " (at " best ")" }' /proc/kallsyms
}

# ---- xl-lite's domain monitor (xl-lite create without -e) ----

XL_LOG_DIR=/var/log/xen

# Domain id of NAME in `xl-lite list`, or "".
xl_domid() { xl-lite list | awk -v n="$1" '$1 == n { print $2 }'; }

# wait_gone NAME SECONDS: until NAME is no longer listed.
wait_gone()
{
	_i=0
	while [ $_i -lt $(($2 * 5)) ]; do
		[ -z "$(xl_state "$1")" ] && return 0
		sleep 0.2
		_i=$((_i + 1))
	done
	echo "domain $1 still listed: state '$(xl_state "$1")'"
	return 1
}

# wait_grep FILE PATTERN SECONDS: until FILE has a line matching PATTERN.
wait_grep()
{
	_i=0
	while [ $_i -lt $(($3 * 5)) ]; do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.2
		_i=$((_i + 1))
	done
	echo "no '$2' in $1 after $3 s"
	return 1
}

# The pid of NAME's monitor, from the "[pid N]" of its last start in
# its log ($XL_LOG_DIR/xl-NAME.log), waiting 10 s at most for the
# monitor to write it; or "".
monitor_pid()
{
	wait_grep "$XL_LOG_DIR/xl-$1.log" 'to die \[pid [0-9]*\]$' 10 >&2
	sed -n 's/^Waiting for domain .* to die \[pid \([0-9]*\)\]$/\1/p' \
		"$XL_LOG_DIR/xl-$1.log" 2>/dev/null | tail -n 1
}

# True while PID runs (a zombie waiting for its reaper does not count).
pid_alive()
{
	_st=$(cat "/proc/${1:-none}/stat" 2>/dev/null) || return 1
	case $_st in *") Z "*|"") return 1 ;; esac
	return 0
}

# wait_pid_gone PID SECONDS: until PID has exited.
wait_pid_gone()
{
	_i=0
	while [ $_i -lt $(($2 * 5)) ]; do
		pid_alive "$1" || return 0
		sleep 0.2
		_i=$((_i + 1))
	done
	echo "process $1 still running: $(cat "/proc/$1/cmdline" 2>/dev/null | tr '\0' ' ')"
	return 1
}

# ---- the Debian L2 guest (the lab with LAB_L2=1) ----

L2_DIR=/kxen/l2

# l2_cfg NAME MODE [LINES]: writes /tmp/NAME.cfg, Debian's kernel with
# kxen_l2=MODE for selftests/lab/l2/init, its warnings on the console;
# LINES (e.g. 'on_crash = "preserve"') are appended.  L2_MEM and L2_VCPUS override the sizes.
l2_cfg()
{
	cat > "/tmp/$1.cfg" <<CFG
type = "pvh"
name = "$1"
kernel = "$L2_DIR/vmlinux"
ramdisk = "$L2_DIR/initrd"
memory = ${L2_MEM:-256}
vcpus = ${L2_VCPUS:-1}
cmdline = "console=hvc0 loglevel=5 kxen_l2=$2"
CFG
	[ -n "${3:-}" ] && printf '%s\n' "$3" >> "/tmp/$1.cfg"
	return 0
}

# guest_show [FILE]: a guest's console lines (FILE or stdin) as TAP
# diagnostics, each "] " widened: the lab's host stops the run at an L1
# line with "] BUG: " and must not take a guest's for one.
guest_show()
{
	if [ -n "${1:-}" ]; then cat "$1"; else cat; fi |
		tr -d '\r' | sed -e 's/\] /]  /g' -e 's/^/#   /'
}

# console_wait NAME FILE PATTERN SECONDS QUIET: until FILE, NAME's console
# output, has a line matching PATTERN.  Gives up after SECONDS, after
# QUIET seconds with no new output, or when NAME has shut down, crashed
# or gone, and says which.
console_wait()
{
	_i=0 _still=0 _last=-1
	while [ $_i -lt "$4" ]; do
		grep -q -- "$3" "$2" 2>/dev/null && return 0
		case $(xl_state "$1") in
		*[sc]*|"")
			sleep 1
			grep -q -- "$3" "$2" 2>/dev/null && return 0
			echo "domain $1 ended (state '$(xl_state "$1")') with no '$3'"
			return 1 ;;
		esac
		_size=$(wc -c < "$2")
		if [ "$_size" = "$_last" ]; then
			_still=$((_still + 1))
			if [ $_still -ge "$5" ]; then
				echo "no output from $1 for $5 s and no '$3'"
				return 1
			fi
		else
			_still=0
			_last=$_size
		fi
		sleep 1
		_i=$((_i + 1))
	done
	echo "no '$3' from $1 after $4 s"
	return 1
}

# Signs of trouble in a guest's kernel log or programs: a kernel warning,
# BUG or oops, a taint, a segfault, a general protection fault, a
# "problem" (the kernel's "XSAVE consistency problem") or a call trace.
GUEST_TROUBLE_RE='WARNING|\<BUG\>|Oops|[Tt]aint|segfault|general protection|problem|Call Trace'

# guest_log_clean DESC FILE...: one check that the guest console output
# in FILEs (all there) has no GUEST_TROUBLE_RE line.  The guest's kernel
# messages reach its console when its loglevel lets them (l2_cfg:
# warnings and worse).
guest_log_clean()
{
	_desc=$1
	shift
	_bad=$(for _f; do
		[ -r "$_f" ] || echo "no console output in $_f"
	done
	cat "$@" 2>/dev/null | tr -d '\r' | grep -E "$GUEST_TROUBLE_RE")
	[ -n "$_bad" ] &&
		printf '%s\n' "$_bad" | head -n 30 | sed 's/^/trouble: /' | guest_show
	tap_check "$_desc: no warning, BUG, taint, segfault or fault in the guest's log" \
		test -z "$_bad"
}

# l2_finish NAME CONPID PATTERN WHAT BASE: the end of a test with one
# L2 guest whose console CONPID copies into /tmp/NAME.out: "done" at its
# console, it powers off, its console lines matching PATTERN shown (the
# last 20), its kernel log clean (guest_log_clean WHAT), destroyed, the
# live counters back at BASE, the module unloaded; then the plan's end.
# Four checks of the plan.
l2_finish()
{
	console_send "$1" done
	tap_check "the guest powers off" wait_state "$1" s 120
	kill "$2" 2>/dev/null
	grep -E "$3" "/tmp/$1.out" | tail -n 20 | guest_show
	guest_log_clean "$4" "/tmp/$1.out"
	xl-lite destroy "$1"
	live_back "$5"
	tap_check "the module unloads" kxen_unload
	test_elapsed
	tap_done
}

# port_io_exits DOMID: the port I/O exits (IOIO on AMD-V, IO_INSTRUCTION
# on VT-x) of domain DOMID over its life, from the "VM exits by reason"
# line kxen logs when it is destroyed; empty when there is no such line.
port_io_exits()
{
	dmesg | sed -n "s/.*kxen: d$1: VM exits by reason://p" | tail -n 1 |
		tr ' ' '\n' | sed -nE 's/^(IOIO|IO_INSTRUCTION):([0-9]+)$/\2/p'
}

# pit_probe_check DOMID: one check that a Linux guest's boot did not spin
# in its early PIT probe.  Linux reads PIT counter 2 until its MSB moves
# (kmod/core/i8254.h): 100,000 port reads, each an exit, a boot when the
# counter did not count.  What is left is a few hundred other port
# accesses and, on CPUs that say AMD family 0xf as QEMU's does, Linux's
# GART aperture probe: two scans of 256 PCI buses, about 33,000 exits.
pit_probe_check()
{
	_io=$(port_io_exits "$1")
	echo "d$1: ${_io:-no} port I/O exits"
	tap_check "Linux's PIT probe ended early: ${_io:-no} port I/O exits in the boot (< 50000)" \
		test -n "$_io" -a "${_io:-0}" -lt 50000
}

# console_send NAME TEXT: types TEXT and a newline at NAME's console and
# detaches at once (the Ctrl-] that follows it).
console_send()
{
	printf '%s\n\035' "$2" | timeout 30 xl-lite console "$1" > /dev/null 2>&1
}

# console_step NAME FILE WORD PREFIX N: type WORD at NAME's console, wait
# (2 min at most) until FILE, its console output, holds N lines starting
# with PREFIX; prints the last of them.
console_step()
{
	console_send "$1" "$3"
	_i=0
	while [ "$(tr -d '\r' < "$2" | grep -c "^$4")" -lt "$5" ]; do
		[ $_i -ge 600 ] && return 1
		sleep 0.2
		_i=$((_i + 1))
	done
	tr -d '\r' < "$2" | grep "^$4" | tail -n 1
}

# L1's wall clock, seconds.microseconds (busybox date has no %N).
wall_now()
{
	adjtimex | awk '/time.tv_sec/ { s = $2 } /time.tv_usec/ { u = $2 }
		END { printf "%d.%06d\n", s, u }'
}

# ---- an L2 guest's wall clock against L1's (kxen_l2=clock) ----
#
# Console latency must not decide a result, so each reading is a round
# trip: L1 notes its clock (h0), asks the guest for its time (g), and
# notes its clock again once the answer is in (h1).  The guest read its
# clock between h0 and h1, so its offset from L1 lies in [g - h1, g - h0].

CLOCK_LIMIT=1

# clock_probe NAME FILE: one round trip to NAME, whose console output is
# FILE; sets LO HI (the offset interval) and RTT.
clock_probe()
{
	_n=$(grep -c '^L2-TIME' "$2")
	_h0=$(wall_now)
	console_send "$1" t
	_i=0
	while [ "$(grep -c '^L2-TIME' "$2")" -le "$_n" ]; do
		[ $_i -ge 1200 ] && return 1
		sleep 0.05
		_i=$((_i + 1))
	done
	_h1=$(wall_now)
	_g=$(grep '^L2-TIME' "$2" | tail -n 1 | awk '{ print $2 }')
	set -- $(awk -v g="$_g" -v a="$_h0" -v b="$_h1" \
		'BEGIN { printf "%.6f %.6f %.6f\n", g - b, g - a, b - a }')
	LO=$1 HI=$2 RTT=$3
}

# clock_decided: 0 if [LO, HI] is inside [-CLOCK_LIMIT, CLOCK_LIMIT], 1
# if wholly outside, 2 if the round trip was too long to tell.
clock_decided()
{
	awk -v lo="$LO" -v hi="$HI" -v l="$CLOCK_LIMIT" 'BEGIN {
		if (lo >= -l && hi <= l) exit 0
		if (hi < -l || lo > l) exit 1
		exit 2 }'
}

# clock_reading DESC NAME FILE: up to 5 round trips until one decides;
# 0 when the guest's clock is within CLOCK_LIMIT s of L1's.
clock_reading()
{
	_t=0
	while [ $_t -lt 5 ]; do
		if ! clock_probe "$2" "$3"; then
			echo "$1: no answer from the guest"
			return 1
		fi
		clock_decided
		_v=$?
		echo "$1: guest - L1 offset in [$LO, $HI] s (round trip $RTT s)"
		[ $_v -ne 2 ] && return $_v
		_t=$((_t + 1))
	done
	return 1
}

# clock_guest_end NAME CONSOLE_PID: ends a kxen_l2=clock guest: two
# checks (it powers off; its log is clean), its L2- lines shown, the
# console reader stopped and the domain destroyed.
clock_guest_end()
{
	console_send "$1" done
	tap_check "the guest powers off" wait_state "$1" s 120
	kill "$2" 2>/dev/null
	grep '^L2-' "/tmp/$1.out" | sed 's/^/#   /'
	guest_log_clean "the guest" "/tmp/$1.out"
	xl-lite destroy "$1"
}

# hello_on NAME CPU: a one-shot hello guest pinned to CPU reports
# SUCCESS (0), and is destroyed either way.
hello_on()
{
	guest_cfg "$1" "${KXEN_GUESTS:-/kxen/guests}/hello.elf" 16 "greeting=$1"
	echo "cpus = \"$2\"" >> "/tmp/$1.cfg"
	xl-lite create "/tmp/$1.cfg" && wait_state "$1" s 120 &&
		console_dump "$1" > /dev/null &&
		grep -q "Test result: SUCCESS" "/tmp/$1.out"
	_rc=$?
	xl-lite destroy "$1" 2>/dev/null
	return $_rc
}

# L1's uptime in seconds, as /proc/uptime has it.
l1_uptime() { cut -d' ' -f1 /proc/uptime; }

# vcpu_time NAME: vCPU 0's seconds in guest mode (vcpu-list's Time(s)).
vcpu_time()
{
	xl-lite vcpu-list "$1" | awk -v n="$1" '$1 == n && $3 == 0 { print $6 }'
}

# vcpu_share NAME SECONDS: vCPU 0's percentage of the wall clock in
# guest mode over SECONDS.
vcpu_share()
{
	_t0=$(vcpu_time "$1")
	_w0=$(l1_uptime)
	sleep "$2"
	_t1=$(vcpu_time "$1")
	_w1=$(l1_uptime)
	awk -v a="$_t0" -v b="$_t1" -v c="$_w0" -v d="$_w1" \
		'BEGIN { printf "%d\n", 100 * (b - a) / (d - c) + 0.5 }'
}

# in_range VALUE LOW HIGH
in_range() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# test_elapsed: prints the L1 seconds since this file was sourced.
TEST_T0=$(cut -d' ' -f1 /proc/uptime 2>/dev/null)
test_elapsed()
{
	awk -v a="$TEST_T0" -v b="$(cut -d' ' -f1 /proc/uptime)" \
		'BEGIN { printf "elapsed: %.0f s of L1 time\n", b - a }'
}

# flood_checks WHO CONSOLE IDLE HELD: two checks of a backend's worker
# after a guest flooded its port with notifies and nothing in its ring
# (CONSOLE has the guest's "kick flood: N notifies ... in MS ms"; see
# kmod/backends/kick_limit.h): it held back (HELD times), and its IDLE
# passes stayed within (KXEN_KICK_IDLE_PER_TICK + 1) a tick at Debian's
# HZ=250, 2250 a second, over the flood and two seconds more (its last
# partial second, and the few idle passes of the rest of the connection).
flood_checks()
{
	local ms max

	ms=$(tr -d '\r' < "$2" |
		sed -n 's/^kick flood: [0-9]* notifies .* in \([0-9]*\) ms$/\1/p')
	max=$(( (${ms:-0} / 1000 + 2) * 2250 ))
	echo "$1: $3 idle passes, $4 held back; the flood took ${ms:-?} ms"
	tap_check "$1 held back during the flood ($4 times)" \
		test -n "$ms" -a "$4" -gt 0
	tap_check "$1's idle passes stayed within the bound ($3 <= $max for ${ms:-?} ms)" \
		test -n "$ms" -a "$3" -le "$max"
}
