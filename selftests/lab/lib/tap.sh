# SPDX-License-Identifier: GPL-2.0
#
# Reading L1's TAP back from the serial log.  Sourced by selftests/lab/run.

# tap_section LOG N: the console lines of the Nth test (its "# test:"
# header up to the next one), for a failure seen in quiet mode.
tap_section()
{
	awk -v n="$2" '/^# test: / { i++ } i == n' "$1" | sed 's/^/    | /'
}

# tap_report SERIAL TEST...: prints one line per requested test and the
# totals; returns 0 only when all reported, none failed, and the sentinel
# was seen.
tap_report()
{
	local serial=$1 clean="$RUNDIR/console.txt" n=0 pass=0 fail=0 skip=0
	local t name line sum
	shift

	tr -d '\r' < "$serial" > "$clean"
	echo "lab: results"
	for t in "$@"; do
		n=$((n + 1))
		name=${t%%[[:space:]]*}
		line=$(grep -aE "^(not )?ok $n( |$)" "$clean" | tail -n 1 || true)
		case $line in
		"ok $n $name # SKIP"*)
			skip=$((skip + 1))
			echo "  SKIP $name:${line#*# SKIP}" ;;
		"ok $n $name"|"ok $n $name "*)
			pass=$((pass + 1))
			echo "  PASS $name" ;;
		"not ok $n $name"*)
			fail=$((fail + 1))
			echo "  FAIL $name"
			[ "$QUIET" = 1 ] && tap_section "$clean" "$n" ;;
		"")
			fail=$((fail + 1))
			echo "  FAIL $name (no result: L1 did not get that far)" ;;
		*)
			fail=$((fail + 1))
			echo "  FAIL $name (result line names another test: $line)"
			;;
		esac
	done

	if [ "$END" != sentinel ]; then
		case $END in
		panic)	echo "lab: L1 kernel panic/oops" ;;
		exit)	echo "lab: the emulator exited before L1 finished" ;;
		triple)	echo "lab: L1 reset: a triple fault or a reboot (the host itself died)" ;;
		*)	echo "lab: timed out after ${TIMEOUT}s" ;;
		esac
		echo "lab: last 50 lines of the serial log:"
		tail -n 50 "$clean" | sed 's/^/  | /'
		[ "$EMU" = bochs ] && [ -s "$RUNDIR/bochs.log" ] && {
			echo "lab: last 10 lines of the Bochs log:"
			tail -n 10 "$RUNDIR/bochs.log" | sed 's/^/  | /'
		}
		emu_report_end
	fi
	if [ "$END" != sentinel ] || [ "$fail" -gt 0 ] || [ "$KEEP" = 1 ]; then
		echo "lab: serial log kept at $serial"
	fi

	sum="$pass passed, $fail failed"
	[ "$skip" -gt 0 ] && sum+=", $skip skipped"
	echo "$sum"
	[ "$fail" -eq 0 ] && [ "$END" = sentinel ]
}
