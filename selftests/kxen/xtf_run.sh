#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xtf_run: XTF (the Xen Test Framework) test kernels, one domain after
# another, one TAP line each with XTF's own verdict.  The kernels and a
# config per test instance come from selftests/xtf/run, which builds XTF
# and stages them as /extra/xtf (LAB_EXTRA); without them this skips.
#
# The same script runs under real Xen (selftests/xtf/run's reference L1,
# with XTF_XL=xl and XTF_CFG_EXTRA set) and under kxen (xl-lite, the
# default, which loads the module first).
#
# /extra/xtf/list: "ENV NAME CFG" per instance (NAME may carry XTF's
# "~variation"); /extra/xtf/config may set XTF_TIMEOUT (seconds of L1
# time per test, default 30).
#
# As xtf-runner reads a result: the console line "Test result: SUCCESS"
# (or SKIP, ERROR, FAILURE); a domain that ends without one is CRASH, one
# still running at the limit TIMEOUT, one that cannot be created NOSTART.
# SUCCESS and SKIP are "ok"; every other outcome is "not ok".  Each line
# ends in the seconds from create to the verdict: "ok 1 - hvm64 example:
# SUCCESS [0.42 s]".

XTF_DIR=${XTF_DIR:-/extra/xtf}
XTF_TIMEOUT=30
XTF_XL=${XTF_XL:-xl-lite}
XTF_CFG_EXTRA=${XTF_CFG_EXTRA:-}

if [ ! -r "$XTF_DIR/list" ]; then
	echo "1..0 # SKIP no XTF kernels in $XTF_DIR (selftests/xtf/run --xtf DIR stages them)"
	exit 4
fi
[ -r "$XTF_DIR/config" ] && . "$XTF_DIR/config"
if [ -r /selftests/data/tap.sh ]; then
	. /selftests/data/tap.sh
fi

# xl_ LIMIT ARGS...: the toolstack, bounded: a hung command must not
# hold up the tests after it.
xl_()
{
	_l=$1
	shift
	timeout "$_l" "$XTF_XL" "$@"
}

now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# State letters of domain $1 ("r-----", "---s--", ...), "" once gone.
dom_state()
{
	xl_ 20 list 2>/dev/null | awk -v n="$1" '$1 == n { print $5 }'
}

# run_one CFG DOM: runs one test domain to its end or the limit; leaves
# its console in /tmp/xtf.out and how it ended in END (result, crash,
# shutdown, gone, timeout, nostart).
run_one()
{
	cfg=$1 dom=$2 t0=$3

	: > /tmp/xtf.out
	END=
	# Paused first, so that the console reader is attached before the
	# guest writes its first line (as xtf-runner does).  The extra
	# settings are words of key=value.
	# shellcheck disable=SC2086
	if ! xl_ 60 create -p -e "$cfg" $XTF_CFG_EXTRA > /tmp/xtf.create 2>&1; then
		END=nostart
		return
	fi
	$XTF_XL console "$dom" <&3 > /tmp/xtf.out 2>&1 &
	reader=$!
	if ! xl_ 30 unpause "$dom" >> /tmp/xtf.create 2>&1; then
		END=nostart
	fi
	while [ -z "$END" ]; do
		if grep -q 'Test result:' /tmp/xtf.out; then
			END=result
			break
		fi
		st=$(dom_state "$dom")
		case $st in
		"")	END=gone ;;
		*c*)	END=crash ;;
		*s*)	END=shutdown ;;
		esac
		[ -n "$END" ] && break
		if awk -v e="$(elapsed "$t0")" -v l="$XTF_TIMEOUT" \
			'BEGIN { exit !(e >= l) }'; then
			END=timeout
			LAST_STATE=$st
			break
		fi
		sleep 0.2
	done
	# The console reader may still be draining the last lines (a test
	# that prints hundreds of lines and shuts down at once, on a busy
	# host): up to 5 s for the result line before it is stopped.
	_i=0
	while [ "$END" != result ] && [ $_i -lt 25 ] &&
	      ! grep -q 'Test result:' /tmp/xtf.out; do
		sleep 0.2
		_i=$((_i + 1))
	done
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
}

# verdict END: RESULT and REASON from the console and how it ended.
verdict()
{
	line=$(tr -d '\r' < /tmp/xtf.out | grep 'Test result:' | tail -n 1)
	REASON=
	RESULT=
	if [ -n "$line" ]; then
		for r in SUCCESS SKIP ERROR FAILURE; do
			case $line in *"$r"*) RESULT=$r; break ;; esac
		done
		# XTF prints why it skipped, failed or erred just before (the
		# line may come twice: ring and console_io in one stream).
		REASON=$(tr -d '\r' < /tmp/xtf.out |
			 awk '/Test result:/ { r = last; next }
			      /[^ ]/ { last = $0 } END { print r }' |
			 sed 's/^ *//; s/#/ /g')
	fi
	[ -n "$RESULT" ] && return
	case $1 in
	timeout)	RESULT=TIMEOUT
			REASON="state ${LAST_STATE:-?} at the limit, $(wc -c < /tmp/xtf.out) console bytes" ;;
	nostart)	RESULT=NOSTART
			REASON=$(grep -v '^ *$' /tmp/xtf.create | tail -n 1) ;;
	*)		RESULT=CRASH; REASON="domain $1 without a result" ;;
	esac
}

if [ "$XTF_XL" = xl-lite ]; then
	command -v kxen_load > /dev/null || {
		echo "1..0 # SKIP no /selftests/data/tap.sh"
		exit 4
	}
	kxen_load || { echo "1..0 # SKIP kxen.ko does not load"; exit 4; }
fi

# A console reader's stdin that never reaches EOF.
rm -f /tmp/xtf.in
mkfifo /tmp/xtf.in
exec 3<> /tmp/xtf.in

total=$(grep -c . "$XTF_DIR/list")
echo "TAP version 13"
echo "1..$total"
n=0
bad=0
while read -r env name cfg <&4; do
	n=$((n + 1))
	dom=$(sed -n 's/^name *= *"\(.*\)"$/\1/p' "$cfg")
	command -v dmesg_mark > /dev/null && dmesg_mark
	t0=$(now)
	run_one "$cfg" "$dom" "$t0"
	dt=$(elapsed "$t0")
	xl_ 30 destroy "$dom" > /dev/null 2>&1
	verdict "$END"
	case $RESULT in
	SUCCESS)	echo "ok $n - $env $name: $RESULT [$dt s]" ;;
	SKIP)		echo "ok $n - $env $name: $RESULT [$dt s] # SKIP ${REASON:-no reason given}" ;;
	*)		bad=$((bad + 1))
			echo "not ok $n - $env $name: $RESULT [$dt s]${REASON:+ ($REASON)}"
			tr -d '\r' < /tmp/xtf.out | tail -n 8 | sed 's/^/#   console: /'
			[ "$RESULT" = NOSTART ] &&
				tail -n 12 /tmp/xtf.create | sed 's/^/#   create: /'
			if command -v dmesg_new > /dev/null; then
				dmesg_new | grep -i 'kxen' | tail -n 6 | sed 's/^/#   dmesg: /'
			fi
			;;
	esac
	# A domain left behind would take the next one's memory.
	i=0
	while [ -n "$(dom_state "$dom")" ] && [ $i -lt 25 ]; do
		sleep 0.2
		i=$((i + 1))
	done
done 4< "$XTF_DIR/list"
echo "# xtf: $n run, $bad not ok"
[ "$XTF_XL" = xl-lite ] && kxen_unload
[ "$bad" -eq 0 ]
