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

# Kernel log lines since the mark set by dmesg_mark.
dmesg_mark() { DMESG_FROM=$(dmesg | wc -l); }
dmesg_new() { dmesg | tail -n +"$((DMESG_FROM + 1))"; }

kxen_loaded() { grep -q '^kxen ' /proc/modules; }

kxen_load()
{
	kxen_loaded || insmod "${KXEN_KO:-/kxen/kxen.ko}" "$@"
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

# guest_cfg NAME ELF MEM [CMDLINE [VCPUS]]: writes /tmp/NAME.cfg.
guest_cfg()
{
	cat > "/tmp/$1.cfg" <<CFG
type = "pvh"
name = "$1"
kernel = "$2"
memory = $3
vcpus = ${5:-1}
cmdline = "${4:-}"
CFG
}

# console_dump NAME: what the guest wrote so far, into /tmp/NAME.out.
console_dump()
{
	timeout 3 xl-lite console "$1" > "/tmp/$1.out" 2>&1
	sed 's/^/#   /' "/tmp/$1.out"
}

# Live counters of the module (xl-lite info): "pages objects".
kxen_live() { echo "$(xl_info live_pages) $(xl_info live_objects)"; }

# ksym ADDR (16 hex digits, no 0x): the L1 kernel symbol at or below
# ADDR.  The L2 guest runs the same kernel build, unrelocated (PVH entry
# skips KASLR), so this names guest addresses too.  kallsyms addresses
# have a fixed width, so comparing them as strings orders them.
ksym()
{
	awk -v a="$1" '$1 <= a && $1 > best { best = $1; name = $3 }
		END { print name " (at " best ")" }' /proc/kallsyms
}
