#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# xl-lite sched-credit2: options, usage errors and their exit status, xl's
# messages, and what it says without the kxen module.  Listing and
# setting against real domains is the lab's sched_cap and uapi tests.

setup_file() {
	load 'test_helper/common'
	common_setup_file
}

setup() {
	load 'test_helper/common'
	common_setup
}

@test "sched-credit2: help documents the weight and cap mapping" {
	run -0 "${XL}" help sched-credit2
	[ "${lines[0]}" = "Usage: xl-lite sched-credit2 [-d <Domain> [-w[=WEIGHT]|-c[=CAP]]]" ]
	[ "${lines[1]}" = "Get/set credit2 scheduler parameters." ]
	[[ "${output}" == *"Weight (1-65535, default 256): the nice"* ]]
	[[ "${output}" == *"256"$'\n'"                        being nice 0"* ]]
	[[ "${output}" == *"-c CAP, --cap=CAP       Cap (0 = none)"* ]]
	[[ "${output}" == *"kxen has no cpupools"* ]]
	run -0 "${XL}" sched-credit2 --help
	[ "${lines[0]}" = "Usage: xl-lite sched-credit2 [-d <Domain> [-w[=WEIGHT]|-c[=CAP]]]" ]
}

@test "sched-credit2: -w or -c without -d, as xl" {
	run -1 "${XL}" sched-credit2 -w 512
	[ "${output}" = "Must specify a domain." ]
	run -1 "${XL}" sched-credit2 --cap=50
	[ "${output}" = "Must specify a domain." ]
}

@test "sched-credit2: bad values are usage errors (2)" {
	run -2 "${XL}" sched-credit2 -d 1 -w 0
	[ "${output}" = "xl-lite sched-credit2: invalid weight '0': must be 1..65535" ]
	run -2 "${XL}" sched-credit2 -d 1 -w 65536
	[ "${output}" = "xl-lite sched-credit2: invalid weight '65536': must be 1..65535" ]
	run -2 "${XL}" sched-credit2 -d 1 --weight=12x
	[ "${output}" = "xl-lite sched-credit2: invalid weight '12x': must be 1..65535" ]
	run -2 "${XL}" sched-credit2 -d 1 -c -1
	[ "${output}" = "xl-lite sched-credit2: invalid cap '-1': must be 0..65535" ]
	run -2 "${XL}" sched-credit2 -d 1 -c ''
	[ "${output}" = "xl-lite sched-credit2: invalid cap '': must be 0..65535" ]
	run -2 "${XL}" sched-credit2 -d
	[[ "${output}" == *"Run 'xl-lite help sched-credit2' for usage."* ]]
	run -2 "${XL}" sched-credit2 -x
	[[ "${output}" == *"Run 'xl-lite help sched-credit2' for usage."* ]]
	run -2 "${XL}" sched-credit2 -d 1 extra
	[ "${lines[0]}" = "xl-lite sched-credit2: unexpected argument 'extra'" ]
}

@test "sched-credit2: pool options are refused: no cpupools" {
	local o
	for o in -s "-p Pool-0" "-r 1000" --schedparam --cpupool=Pool-0; do
		# shellcheck disable=SC2086
		run -1 "${XL}" sched-credit2 ${o}
		[[ "${output}" == "xl-lite: sched-credit2: -"?": kxen has no cpupools: the host's one scheduler has no pool parameters" ]]
	done
}

@test "sched-credit2: -N prints the change and does nothing" {
	run -0 "${XL}" -N sched-credit2 -d guest -w 512 -c 20
	[ "${output}" = "Dry run, nothing done: sched-credit2 -d guest -w 512 -c 20" ]
	run -0 "${XL}" -N sched-credit2 -d 3 --cap=0
	[ "${output}" = "Dry run, nothing done: sched-credit2 -d 3 -c 0" ]
}

@test "sched-credit2 without the module names the fix" {
	skip_if_kxen_loaded
	run -1 "${XL}" sched-credit2
	[[ "${output}" == *"kxen module not loaded"* ]]
	run -1 "${XL}" sched-credit2 -d 1 -w 300
	[[ "${output}" == *"kxen module not loaded"* ]]
}
