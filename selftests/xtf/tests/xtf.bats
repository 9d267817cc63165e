#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of selftests/xtf/run, no emulator and no XTF: the skip
# without a source tree, the selection of instances and the configs
# staged for them (from a stand-in XTF tree of the same layout), and the
# verdict of the table.  Run: bats selftests/xtf/tests

RUN="$BATS_TEST_DIRNAME/../run"

setup()
{
	W=$BATS_TEST_TMPDIR
	export LAB_BUILD=$W/build
	X=$W/xtf
	mkdir -p "$X/build" "$X/tests"
	: > "$X/build/gen.mk"
	printf 'all:\n\t@:\n' > "$X/Makefile"
}

# fake_test NAME CATEGORY ENV[~VARIATION]... : a test directory as
# XTF's build leaves it, a kernel and a config per instance.
fake_test()
{
	local name=$1 cat=$2 e env
	shift 2

	mkdir -p "$X/tests/$name"
	echo "{ \"name\": \"$name\", \"category\": \"$cat\" }" > "$X/tests/$name/info.json"
	for e in "$@"; do
		env=${e%%~*}
		cp /bin/true "$X/tests/$name/test-$env-$name"
		cat > "$X/tests/$name/test-$env-$name${e#"$env"}.cfg" <<-EOF
		name="test-$env-$name${e#"$env"}"

		vcpus=2 

		type="hvm"
		builder="hvm" # Legacy for before Xen 4.10

		memory=128
		firmware_override="/xtf/tests/$name/test-$env-$name"
		on_reboot = "destroy"
		EOF
	done
}

@test "no --xtf: SKIP line, TAP skip, exit 0" {
	run "$RUN"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "SKIP: no XTF source (give --xtf DIR, a clone of XTF)" ]
	[[ "${lines[1]}" == "1..0 # SKIP no XTF source"* ]]
}

@test "a missing --xtf directory skips too" {
	run "$RUN" --xtf "$W/none"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "SKIP: no XTF source ($W/none is not a directory)" ]]
}

@test "a bad side or a PV environment is a usage error" {
	fake_test example special hvm64
	run "$RUN" --xtf "$X" --only kvm --list
	[ "$status" -eq 2 ]
	run "$RUN" --xtf "$X" --env pv64 --list
	[ "$status" -eq 2 ]
}

@test "--list: HVM instances only, variations apart, filters apply" {
	fake_test example special hvm64 hvm32 pv64
	fake_test invlpg functional hvm64~hap hvm64~shadow
	fake_test xsa-123 xsa hvm32
	run "$RUN" --xtf "$X" --list
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -v '^xtf:')" = "$(printf '%s\n' \
		'hvm64 example special' 'hvm32 example special' \
		'hvm64 invlpg~hap functional' 'hvm64 invlpg~shadow functional' \
		'hvm32 xsa-123 xsa')" ]
	run "$RUN" --xtf "$X" --list --env hvm32
	[ "$(printf '%s\n' "${lines[@]}" | grep -vc '^xtf:')" -eq 2 ]
	run "$RUN" --xtf "$X" --list invlpg
	[ "$(printf '%s\n' "${lines[@]}" | grep -vc '^xtf:')" -eq 2 ]
	run "$RUN" --xtf "$X" --list 'invlpg~shadow' hvm32-example
	[ "$(printf '%s\n' "${lines[@]}" | grep -v '^xtf:' | tr '\n' ,)" = \
		"hvm32 example special,hvm64 invlpg~shadow functional," ]
	run "$RUN" --xtf "$X" --list --category xsa
	[ "$(printf '%s\n' "${lines[@]}" | grep -v '^xtf:')" = "hvm32 xsa-123 xsa" ]
	run "$RUN" --xtf "$X" --list nothing-matches
	[ "$status" -eq 2 ]
}

@test "staged configs: PVH with the kernel, XTF's other keys kept" {
	fake_test invlpg functional hvm64~shadow
	echo 'hap=0' >> "$X/tests/invlpg/test-hvm64-invlpg~shadow.cfg"
	run "$RUN" --xtf "$X" --list
	[ "$status" -eq 0 ]
	p=$LAB_BUILD/xtf/payload/xtf
	[ "$(cat "$p/list")" = "hvm64 invlpg~shadow /extra/xtf/cfg/xtf-hvm64-invlpg.shadow.cfg" ]
	[ -x "$p/k/test-hvm64-invlpg" ]
	c=$p/cfg/xtf-hvm64-invlpg.shadow.cfg
	grep -qx 'type = "pvh"' "$c"
	grep -qx 'name = "xtf-hvm64-invlpg.shadow"' "$c"
	grep -qx 'kernel = "/extra/xtf/k/test-hvm64-invlpg"' "$c"
	grep -qx 'on_reboot = "preserve"' "$c"
	grep -qx 'vcpus=2' "$c"
	grep -qx 'memory=128' "$c"
	grep -qx 'hap=0' "$c"
	! grep -q 'firmware_override\|builder\|"hvm"\|destroy' "$c"
	[ "$(grep -c '^type' "$c")" -eq 1 ]
	[ "$(grep -c '^name' "$c")" -eq 1 ]
	grep -qx 'XTF_TIMEOUT=30' "$p/config"
}

# results SIDE "ENV NAME RESULT SECONDS"...
results()
{
	local s=$1
	shift
	printf '%s\n' "$@" > "$LAB_BUILD/xtf/results-$s.txt"
	echo "wall 12" > "$LAB_BUILD/xtf/results-$s.meta"
}

@test "--table: exit 1 only for a test Xen passes and kxen does not" {
	mkdir -p "$LAB_BUILD/xtf"
	printf '%s\n' 'hvm64 a special' 'hvm64 b xsa' 'hvm64 c xsa' \
		> "$LAB_BUILD/xtf/instances"
	results xen 'hvm64 a SUCCESS 1.0' 'hvm64 b FAILURE 2.0' 'hvm64 c SKIP 1'
	results qemu 'hvm64 a SUCCESS 0.5' 'hvm64 b CRASH 1.0' 'hvm64 c SKIP 1'
	run "$RUN" --table
	[ "$status" -eq 0 ]
	[[ "$output" == *"hvm64 b"*"FAILURE 2.0s"*"CRASH 1.0s"* ]]
	results qemu 'hvm64 a TIMEOUT 30.1' 'hvm64 b CRASH 1.0' 'hvm64 c SKIP 1'
	run "$RUN" --table
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | grep -c '<<$')" -eq 1 ]
	[[ "$output" == *"hvm64 a"*"SUCCESS 1.0s"*"TIMEOUT 30.1s"*"<<"* ]]
	# A kxen side that did not get to a test Xen passes fails it too.
	results qemu 'hvm64 b CRASH 1.0'
	run "$RUN" --table
	[ "$status" -eq 1 ]
	# With no Xen results, any not-ok result on kxen counts.
	rm "$LAB_BUILD/xtf/results-xen.txt"
	results qemu 'hvm64 a SUCCESS 1' 'hvm64 b SKIP 1' 'hvm64 c SKIP 1'
	run "$RUN" --table
	[ "$status" -eq 0 ]
	results qemu 'hvm64 a SUCCESS 1' 'hvm64 b ERROR 1' 'hvm64 c SKIP 1'
	run "$RUN" --table
	[ "$status" -eq 1 ]
}
