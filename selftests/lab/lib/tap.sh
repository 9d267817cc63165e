# SPDX-License-Identifier: GPL-2.0
#
# Reading L1's TAP back from the serial log.  Sourced by selftests/lab/run.

# tap_section LOG N: the console lines of the Nth test (its "# test:"
# header up to the next one), for a failure seen in quiet mode.
tap_section()
{
	awk -v n="$2" '/^# test: / { i++ } i == n' "$1" | sed 's/^/    | /'
}

# tap_digest LOG N NAME: a few lines that say why the Nth test failed:
# its failed checks, where it stopped waiting, and kxen's or the
# kernel's own complaints, each cut to 160 characters.  A CI run shows
# only the end of its output; bench-suite prints these last.
tap_digest()
{
	local sec="$RUNDIR/digest.$2"

	echo "--- $3"
	awk -v n="$2" '/^# test: / { i++ } i == n' "$1" > "$sec"
	# The failed checks first, then the rest.
	# Under the caller's pipefail a grep that finds nothing must not
	# end the report.
	{ grep -a '^# not ok ' "$sec" || true; } | head -n 8 | cut -c 1-160
	{ grep -aE '^# after [0-9]+s|^# Bail out|kxen.*(crash|dump|fault|hap|fail|stuck|timed out|VM_HSAVE_PA|hsave:|vmcb: )|BUG:|WARNING:|Oops|RIP: |general protection|invalid opcode|triple' "$sec" ||
		true; } | head -n 10 | cut -c 1-160
	rm -f "$sec"
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
			tap_digest "$clean" "$n" "$name" >> "$RUNDIR/failures.txt"
			[ "$QUIET" = 1 ] && tap_section "$clean" "$n" ;;
		"")
			fail=$((fail + 1))
			echo "  FAIL $name (no result: L1 did not get that far)"
			echo "--- $name: no result (L1 ended: $END)" >> "$RUNDIR/failures.txt" ;;
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
		{
			echo "--- L1 itself ended: $END; its last lines:"
			tail -n 12 "$clean" | cut -c 1-160
		} >> "$RUNDIR/failures.txt"
	fi
	if [ "$END" != sentinel ] || [ "$fail" -gt 0 ] || [ "$KEEP" = 1 ]; then
		echo "lab: serial log kept at $serial"
	fi

	sum="$pass passed, $fail failed"
	[ "$skip" -gt 0 ] && sum+=", $skip skipped"
	echo "$sum"
	[ "$fail" -eq 0 ] && [ "$END" = sentinel ]
}
