#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of the lab's own parts (no emulator): the PVH disk
# builder, the bzImage payload extraction, the TAP verdicts, the command
# line and the peer lab's table.  Run: bats selftests/lab/tests

LAB="$BATS_TEST_DIRNAME/.."

setup()
{
	W=$BATS_TEST_TMPDIR
	make -s -C "$LAB/pvhboot" O="$W/pvhboot" >/dev/null
	MK="$W/pvhboot/mkpvhdisk"
	LOADER="$W/pvhboot/pvhboot.bin"
	printf 'initrd' > "$W/initrd"
}

# Loads the run script's libraries with their globals set for a test.
load_libs()
{
	ROOT=$(cd "$LAB/../.." && pwd)
	LAB_DIR=$LAB
	BUILD=$W/build
	RUNDIR=$W/run
	mkdir -p "$BUILD" "$RUNDIR"
	KEEP=0 QUIET=1 EMU=qemu TIMEOUT=10
	log() { :; }
	warn() { :; }
	die() { echo "error: $*"; exit 2; }
	. "$LAB/lib/image.sh"
	. "$LAB/lib/tap.sh"
}

le32()
{
	od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '
}

# A real PVH kernel: Debian's, payload extracted the way the lab does.
real_vmlinux()
{
	local bz

	bz=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)
	[ -r "$bz" ] || skip "no /boot/vmlinuz-*-amd64 to test with"
	load_libs
	KVER=test
	lab_vmlinux "$bz"
	echo "$VMLINUX"
}

@test "pvhboot is one boot sector plus the rest, with the BIOS signature" {
	[ "$(stat -c %s "$LOADER")" -eq 4096 ]
	[ "$(od -An -tx1 -j 510 -N 2 "$LOADER" | tr -d ' ')" = 55aa ]
	# The parameter block's magic "KXPB" at offset 512.
	[ "$(head -c 516 "$LOADER" | tail -c 4)" = KXPB ]
}

@test "mkpvhdisk refuses a kernel that is not ELF, naming the problem" {
	head -c 4096 /dev/zero > "$W/notelf"
	run "$MK" -l "$LOADER" -k "$W/notelf" -i "$W/initrd" -c x -o "$W/d"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not a little-endian x86-64 ELF64"* ]]
	[ ! -e "$W/d" ]
}

@test "mkpvhdisk refuses an ELF without the PVH entry note" {
	run "$MK" -l "$LOADER" -k /bin/true -i "$W/initrd" -c x -o "$W/d"
	[ "$status" -ne 0 ]
	[[ "$output" == *"XEN_ELFNOTE_PHYS32_ENTRY"* ]]
}

@test "mkpvhdisk refuses a loader without the parameter block" {
	head -c 4096 /dev/zero > "$W/badloader"
	run "$MK" -l "$W/badloader" -k /bin/true -i "$W/initrd" -c x -o "$W/d"
	[ "$status" -ne 0 ]
	[[ "$output" == *"no parameter block"* ]]
}

@test "mkpvhdisk refuses a command line longer than its slot" {
	local v

	v=$(real_vmlinux)
	run "$MK" -l "$LOADER" -k "$v" -i "$W/initrd" \
		-c "$(head -c 5000 /dev/zero | tr '\0' a)" -o "$W/d"
	[ "$status" -ne 0 ]
	[[ "$output" == *"command line too long"* ]]
}

@test "mkpvhdisk lays out start_info, kernel and initrd as the loader reads them" {
	local v entry d=$W/d p=512 si

	v=$(real_vmlinux)
	run "$MK" -l "$LOADER" -k "$v" -i "$W/initrd" -c "console=ttyS0" -o "$d"
	[ "$status" -eq 0 ]
	# Entry: the Xen note of type 0x12 as readelf decodes it.
	entry=$(LC_ALL=C readelf -nW "$v" | grep -A1 '(0x00000012)' |
		sed -n 's/.*description data: //p' |
		awk '{ print $4 $3 $2 $1 }')
	[ -n "$entry" ]
	[ "$(le32 "$d" $((p + 40)))" -eq $((16#$entry)) ]
	# Kernel at its lowest PT_LOAD physical address.
	load=$(LC_ALL=C readelf -lW "$v" | awk '$1 == "LOAD" { print $4; exit }')
	[ "$(le32 "$d" $((p + 12)))" -eq $((load)) ]
	# hvm_start_info at the info LBA: magic, version 1, one module.
	si=$(( $(le32 "$d" $((p + 28))) * 512 ))
	[ "$(le32 "$d" "$si")" -eq $((0x336ec578)) ]
	[ "$(le32 "$d" $((si + 4)))" -eq 1 ]
	[ "$(le32 "$d" $((si + 12)))" -eq 1 ]
	# The command line where cmdline_paddr points (relative to info).
	off=$(( $(le32 "$d" $((si + 24))) - $(le32 "$d" $((p + 36))) ))
	[ "$(dd if="$d" bs=1 skip=$((si + off)) count=13 status=none)" = \
	  "console=ttyS0" ]
	# The initrd: its bytes at initrd_lba, its size in the module list.
	[ "$(dd if="$d" bs=512 skip="$(le32 "$d" $((p + 16)))" count=1 \
		status=none | head -c 6)" = initrd ]
	[ "$(le32 "$d" $((si + 0x40 + 8)))" -eq 6 ]
	# The initrd lies above the kernel's memory image.
	[ "$(le32 "$d" $((p + 24)))" -gt "$(le32 "$d" $((p + 12)))" ]
	# Whole cylinders, as Bochs's geometry detection wants.
	[ $(( $(stat -c %s "$d") % (16 * 63 * 512) )) -eq 0 ]
}

@test "lab_vmlinux refuses a file that is not a bzImage" {
	load_libs
	KVER=test
	head -c 8192 /dev/zero > "$W/notbz"
	run lab_vmlinux "$W/notbz"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not a bzImage"* ]]
}

# A serial log as L1 writes it.
serial_log()
{
	printf '%s\n' "TAP version 13" "1..3" \
		"# test: a" "# ok 1 x" "ok 1 a" \
		"# test: b" "# not ok 1 y" "not ok 2 b" \
		"# test: c" "ok 3 c # SKIP no device" "$@" > "$W/serial"
}

@test "tap_report: pass, fail and skip counted; a failure fails the run" {
	load_libs
	serial_log KXEN-LAB-DONE
	END=sentinel
	run tap_report "$W/serial" a b c
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "1 passed, 1 failed, 1 skipped" ]
	[[ "$output" == *"SKIP c: no device"* ]]
	# Quiet mode shows the failed test's own output.
	[[ "$output" == *"# not ok 1 y"* ]]
}

@test "tap_report: all passing with the sentinel is success" {
	load_libs
	printf '%s\n' "TAP version 13" "ok 1 a" "ok 2 b 60" KXEN-LAB-DONE \
		> "$W/serial"
	END=sentinel
	run tap_report "$W/serial" a "b 60"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "2 passed, 0 failed" ]
}

@test "tap_report: a test that never reported is a failure" {
	load_libs
	printf '%s\n' "TAP version 13" "ok 1 a" KXEN-LAB-DONE > "$W/serial"
	END=sentinel
	run tap_report "$W/serial" a b
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL b (no result"* ]]
	[ "${lines[-1]}" = "1 passed, 1 failed" ]
}

@test "tap_report: no sentinel (panic) fails even if all reported" {
	load_libs
	printf '%s\n' "ok 1 a" "[ 1.0] Kernel panic - not syncing: x" \
		> "$W/serial"
	END=panic
	run tap_report "$W/serial" a
	[ "$status" -eq 1 ]
	[[ "$output" == *"kernel panic"* ]]
	[[ "$output" == *"last 50 lines"* ]]
}

@test "the panic pattern matches kernel lines, not test output" {
	load_libs
	. "$LAB/lib/emu.sh"
	echo '[   12.5] BUG: unable to handle page fault' | grep -Eq "$PANIC_RE"
	echo 'Kernel panic - not syncing: Fatal exception' | grep -Eq "$PANIC_RE"
	echo '[    3.1] Oops: 0002 [#1] SMP NOPTI' | grep -Eq "$PANIC_RE"
	! echo '# BUG: this test prints the word' | grep -Eq "$PANIC_RE"
	! echo '# ok 3 - no Oops: here' | grep -Eq "$PANIC_RE"
}

@test "run: an unknown option is refused with the usage" {
	run "$LAB/run" --bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--bogus'"* ]]
	[[ "$output" == *"Usage:"* ]]
}

@test "run: --timeout wants a number" {
	run "$LAB/run" --timeout soon
	[ "$status" -eq 2 ]
	[[ "$output" == *"--timeout needs a positive number, got 'soon'"* ]]
}

# list_in EMU [SINGLE]: run's list_tests on $W/list as the pass on EMU
# sees it (SINGLE 1: the one-thread QEMU pass), under bats's run.
list_in()
{
	run env EMU="$1" TCG_SINGLE="${2:-0}" bash -c \
		"$(grep '^VAR_WORD_RE=' "$LAB/run")
		 $(sed -n '/^list_tests()/,/^}/p' "$LAB/run"); list_tests $W/list"
}

@test "list_tests: qemu-marked tests only in the QEMU pass, vmx-marked only in Bochs" {
	printf '%s\n' '# comment' 'vmx_load 300' 'xs_only	120	qemu' \
		'bare' 'vt_only 60 vmx # why' 'one_thread 900 qemu1' \
		'one_more	60	qemu1 # why' '' > "$W/list"
	list_in bochs
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'vmx_load 300\nbare\nvt_only 60')" ]
	list_in qemu
	[ "$output" = "$(printf 'vmx_load 300\nxs_only 120\nbare')" ]
	# --tcg-single: the qemu1-marked ones, and only they
	list_in qemu 1
	[ "$output" = "$(printf 'one_thread 900\none_more 60')" ]
}

@test "list_tests: VAR=VALUE words go with their line, after the pass word or without one" {
	printf '%s\n' 'fpu 900 vmx FPU_ROUNDS=2000' 'fpu 900 qemu' \
		'stress 900 qemu1 ROUNDS=3 SECS=5' 'both 60 N=1' > "$W/list"
	list_in bochs
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'fpu 900 FPU_ROUNDS=2000\nboth 60 N=1')" ]
	list_in qemu
	[ "$output" = "$(printf 'fpu 900\nboth 60 N=1')" ]
	list_in qemu 1
	[ "$output" = "$(printf 'stress 900 ROUNDS=3 SECS=5')" ]
}

@test "list_tests: a word that is no pass and no VAR=VALUE is an error naming it" {
	printf '%s\n' 'ok 60' 'fpu 900 vmx X=$(reboot)' > "$W/list"
	list_in bochs
	[ "$status" -eq 2 ]
	[[ "$output" == *'fpu: "X=$(reboot)" is neither qemu, vmx, qemu1 nor VAR=VALUE'* ]]
	printf '%s\n' 'fpu 900 FOO=1 qemu' > "$W/list"
	list_in bochs
	[ "$status" -eq 2 ]
	[[ "$output" == *'fpu: "qemu" is neither'* ]]
	printf '%s\n' 'fpu soon' > "$W/list"
	list_in bochs
	[ "$status" -eq 2 ]
	[[ "$output" == *'fpu: timeout "soon" is not a number of seconds'* ]]
}

@test "run: a test named with a bad VAR=VALUE word is refused" {
	run "$LAB/run" --no-build 'guest_fpu 900 X=a;b'
	[ "$status" -eq 2 ]
	[[ "$output" == *"test 'guest_fpu 900 X=a;b': 'X=a;b' is not VAR=VALUE"* ]]
	run "$LAB/run" --no-build 'guest_fpu soon'
	[ "$status" -eq 2 ]
	[[ "$output" == *"the timeout needs a positive number, got 'soon'"* ]]
}

@test "run: --tcg-single is for the QEMU pass" {
	run "$LAB/run" --tcg-single --no-build lab-smoke
	[ "$status" -eq 2 ]
	[[ "$output" == *"--tcg-single is for the QEMU pass (--qemu)"* ]]
}

# The peer lab's table (selftests/lab/bench --report): per side mean,
# range and count, and kxen/Xen with the range of the per-round ratios.
@test "bench --report: means, ranges and per-round ratios" {
	cat > "$W/res.txt" <<-'RES'
	0 all info_date 2026-12-06T00:00Z
	0 all info_commit abc1234
	0 all info_machine QEMU TCG -cpu max, 1 CPU(s), 2048 MiB
	1 kxen l2_to_init_s 6.2
	1 kxen l2_to_init_s 6.0
	1 xen l2_to_init_s 6.1
	2 kxen l2_to_init_s 5.0
	2 xen l2_to_init_s 6.5
	1 kxen xs_read_ops_s 70000
	1 xen xs_read_ops_s 1000
	1 kxen l2_vm_exits 137000
	2 xen info_foreign_emulators 1234 5678
	RES
	run "$LAB/bench" --report "$W/res.txt"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"QEMU TCG -cpu max, 1 CPU(s), 2048 MiB; 2026-12-06T00:00Z, commit abc1234" ]]
	# round 1: 6.1 / 6.1; round 2: 5.0 / 6.5; means 5.73 / 6.3
	printf '%s\n' "${lines[@]}" | grep -Eq '^l2_to_init_s +5\.73 \[5-6\.2\] n=3 +6\.3 \[6\.1-6\.5\] n=2 +0\.91 \[0\.77-1\.00\] +lower$'
	printf '%s\n' "${lines[@]}" | grep -Eq '^xs_read_ops_s +70000 .* +70\.00 \[70\.00-70\.00\] +higher$'
	# a measure of one side only has no ratio
	printf '%s\n' "${lines[@]}" | grep -Eq '^l2_vm_exits +137000 \[137000-137000\] n=1 +- +- +lower$'
	printf '%s\n' "${lines[@]}" | grep -q '^  round 2 xen: pids 1234 5678$'
}

@test "bench: bad options are usage errors" {
	run "$LAB/bench" --rounds x
	[ "$status" -eq 2 ]
	[[ "$output" == *"--rounds: not a positive number: x"* ]]
	run "$LAB/bench" --only both
	[ "$status" -eq 2 ]
	[[ "$output" == *"--only: kxen or xen, not both"* ]]
	run "$LAB/bench" --report "$W/none.txt"
	[ "$status" -eq 2 ]
	run "$LAB/bench" --frobnicate
	[ "$status" -eq 2 ]
	run "$LAB/bench" --measures l2,boots
	[ "$status" -eq 2 ]
	[[ "$output" == *"--measures: no group boots"* ]]
}

# Only a run with a test that boots the Debian disk image (or GRUB)
# carries it; an entry of the default list is "NAME TIMEOUT", one given
# on the command line just NAME.
@test "tests_want_stage: from the list or the command line" {
	load_libs
	. "$LAB/lib/l1.sh"
	mkdir -p "$W/st"
	printf '#!/bin/sh\n# lab-stage: debian-disk\n' > "$W/st/needs.sh"
	printf '#!/bin/sh\n# lab-stage: other\n' > "$W/st/plain.sh"
	LAB_SELFTESTS=$W/st
	TESTS=("plain 300" "needs 3000")
	tests_want_stage debian-disk
	TESTS=(plain needs)
	tests_want_stage debian-disk
	tests_want_stage other
	run tests_want_stage grub
	[ "$status" -eq 1 ]
	TESTS=("plain 300" "missing 10")
	run tests_want_stage debian-disk
	[ "$status" -eq 1 ]
	# and the real ones say so
	LAB_SELFTESTS=$LAB/../kxen
	TESTS=("l2_debian 3000" "l2_debian_disk 3000")
	tests_want_stage debian-disk
	TESTS=("l2_debian 3000")
	run tests_want_stage debian-disk
	[ "$status" -eq 1 ]
	TESTS=("l2_grub 900")
	tests_want_stage grub
}

# bench-suite against a stand-in run script (LAB_RUN): the Bochs pass
# passes; the QEMU pass fails test guest_fpu in its first boot, and in the
# second boot (FAKE_SECOND) either passes or fails it again.  FAKE_END
# makes the first boot's L1 end early instead.
fake_run()
{
	cat > "$W/fake-run" <<'SH'
#!/bin/bash
echo "$*" >> "$W/calls"
case " $* " in *" --build-only "*) exit 0 ;; esac
case " $* " in
*" --tcg-single "*)
		if [ "${FAKE_SINGLE:-}" = fail ]; then
			printf 'lab: results\n  FAIL one\n0 passed, 1 failed\n'; exit 1
		fi
		printf 'lab: results\n  PASS one\n1 passed, 0 failed\n'; exit 0 ;;
*" --qemu "*)	;;
*)		printf 'lab: booting L1 under bochs (pvh), 2 CPU(s)\nlab: results\n  PASS a\n1 passed, 0 failed\n'; exit 0 ;;
esac
if [ ! -e "$W/first-done" ]; then
	touch "$W/first-done"
	mkdir -p "$W/run1"
	printf -- '--- guest_fpu\n# not ok 3 - the first boot saw it fail\n' > "$W/run1/failures.txt"
	printf 'lab: results\n  PASS a\n  FAIL guest_fpu\n'
	[ -n "${FAKE_END:-}" ] && echo "lab: L1 reset: a triple fault or a reboot (the host itself died)"
	printf 'lab: serial log kept at %s/run1/serial.log\n1 passed, 1 failed\n' "$W"
	exit 1
fi
if [ "$FAKE_SECOND" = pass ]; then
	printf 'lab: results\n  PASS guest_fpu\n1 passed, 0 failed\n'; exit 0
fi
printf 'lab: results\n  FAIL guest_fpu\n0 passed, 1 failed\n'; exit 1
SH
	chmod +x "$W/fake-run"
	export W LAB_RUN=$W/fake-run LAB_SERIAL=1
	# make test runs these tests as bench-suite's host checks
	unset LAB_BESIDE_BOCHS
}

@test "bench-suite: a QEMU failure that passes in a second boot counts, and is named" {
	fake_run
	FAKE_SECOND=pass run "$LAB/bench-suite" --smp 2 --no-build
	[ "$status" -eq 0 ]
	# the second boot ran only that test, with the options and the
	# test's limit from tests.list
	grep -qx -- '--qemu --no-build --smp 2 guest_fpu 900' "$W/calls"
	[[ "$output" == *"--- guest_fpu"* ]]
	[[ "$output" == *"# not ok 3 - the first boot saw it fail"* ]]
	[[ "$output" == *"passed only on a second boot"*"guest_fpu"* ]]
	# then the qemu1 pass, the list's one-thread tests
	grep -qx -- '--qemu --tcg-single --no-build --smp 2' "$W/calls"
	[[ "$output" == *"qemu1    svm"*"1 passed, 0 failed"* ]]
	[ "${lines[-1]}" = "4 passed, 0 failed" ]
}

@test "bench-suite: a QEMU failure that fails again fails the suite" {
	fake_run
	FAKE_SECOND=fail run "$LAB/bench-suite" --no-build
	[ "$status" -eq 1 ]
	[[ "$output" != *"passed only on a second boot"* ]]
	[ "${lines[-1]}" = "3 passed, 1 failed" ]
}

@test "bench-suite: no second boot after L1 itself ended" {
	fake_run
	FAKE_END=1 FAKE_SECOND=pass run "$LAB/bench-suite" --no-build
	[ "$status" -eq 1 ]
	[ "$(grep -c -- '--qemu --no-build' "$W/calls")" = 1 ]
	[ "${lines[-1]}" = "3 passed, 1 failed" ]
}

@test "bench-suite: the second boot also works with the passes side by side" {
	fake_run
	LAB_SERIAL=0 FAKE_SECOND=pass run "$LAB/bench-suite" --no-build
	[ "$status" -eq 0 ]
	[ "$(grep -c -- '--qemu --no-build' "$W/calls")" = 2 ]
	[[ "$output" == *"passed only on a second boot"*"guest_fpu"* ]]
	[ "${lines[-1]}" = "4 passed, 0 failed" ]
}

@test "bench-suite: a failure in the qemu1 pass fails the suite, with no second boot" {
	fake_run
	FAKE_SECOND=pass FAKE_SINGLE=fail run "$LAB/bench-suite" --no-build
	[ "$status" -eq 1 ]
	[ "$(grep -c -- '--tcg-single' "$W/calls")" = 1 ]
	[[ "$output" == *"qemu1    svm"*"0 passed, 1 failed"* ]]
	[ "${lines[-1]}" = "3 passed, 1 failed" ]
}

@test "bench-suite: LAB_BESIDE_BOCHS runs before the QEMU pass, and its failure fails the suite" {
	fake_run
	FAKE_SECOND=pass LAB_BESIDE_BOCHS="echo host-checks >> $W/calls; echo why; exit 3" \
		run "$LAB/bench-suite" --no-build
	[ "$status" -eq 1 ]
	first_qemu=$(grep -n -- '--qemu' "$W/calls" | head -n 1 | cut -d: -f1)
	[ "$(grep -n -x host-checks "$W/calls" | cut -d: -f1)" -lt "$first_qemu" ]
	[[ "$output" == *"host     -"*"host checks failed (exit 3)"* ]]
	[[ "$output" == *"the host checks failed: why"* ]]
	[ "${lines[-1]}" = "4 passed, 1 failed" ]
}

@test "bench-suite: side by side, LAB_BESIDE_BOCHS waits for Bochs's L1 image, then passes" {
	fake_run
	LAB_SERIAL=0 FAKE_SECOND=pass LAB_BESIDE_BOCHS="echo host-checks \${LAB_BESIDE_BOCHS:-unset} >> $W/calls" \
		run "$LAB/bench-suite" --no-build
	[ "$status" -eq 0 ]
	# not passed on to the checks, which run bench-suite's own tests
	grep -qx "host-checks unset" "$W/calls"
	[ "$(grep -n -x -- --no-build "$W/calls" | cut -d: -f1)" -lt \
	  "$(grep -n -x "host-checks unset" "$W/calls" | cut -d: -f1)" ]
	[[ "$output" == *"host     -"*"host checks passed"* ]]
	[ "${lines[-1]}" = "4 passed, 0 failed" ]
}

@test "bench-suite: no qemu1 pass when tests are named" {
	fake_run
	FAKE_SECOND=pass run "$LAB/bench-suite" --no-build guest_fpu
	[ "$(grep -c -- '--tcg-single' "$W/calls")" = 0 ]
	[[ "$output" != *"qemu1    svm"* ]]
}
