#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# xl-lite's command table: help output, usage errors, and what the
# commands say when the kxen module is not loaded.

setup_file() {
	load 'test_helper/common'
	common_setup_file
}

setup() {
	load 'test_helper/common'
	common_setup
}

@test "help lists every command of the table, one per line" {
	run -0 "${XL}" help
	[ "${lines[0]}" = "Usage: xl-lite [-vfNtT] <subcommand> [args]" ]
	local c
	for c in create list destroy pause unpause console info domid domname \
		 uptime shutdown reboot block-attach block-list block-detach \
		 network-attach network-list network-detach vcpu-list vcpu-pin vcpu-set \
		 mem-max mem-set sched-credit2 rename sysrq dmesg top help; do
		printf '%s\n' "${lines[@]}" | grep -Eq "^ ${c} +[A-Z]"
	done
	[ "$(printf '%s\n' "${lines[@]}" | grep -Ec '^ [a-z0-9-]+ +[A-Z]')" -eq 29 ]
	# the lab's test command is not listed
	[[ "${output}" != *vif-bridge* ]]
}

@test "help CMD and CMD -h print the same generated text" {
	run -0 "${XL}" help create
	local help_out="${output}"
	[ "${lines[0]}" = "Usage: xl-lite create [options] <ConfigFile> [vars]" ]
	[[ "${output}" == *"-p                      Leave the domain paused"* ]]
	[[ "${output}" == *"-n, --dryrun            Dry run"* ]]
	run -0 "${XL}" create -h
	[ "${output}" = "${help_out}" ]
}

@test "help for a command without options" {
	run -0 "${XL}" pause -h
	[ "${lines[0]}" = "Usage: xl-lite pause <Domain>" ]
	[ "${lines[1]}" = "Pause execution of a domain." ]
	[ "${lines[-1]}" = "-h, --help              Print this help." ]
}

@test "no command prints usage and fails with 1, as xl" {
	run -1 "${XL}"
	[ "${lines[0]}" = "Usage: xl-lite [-vfNtT] <subcommand> [args]" ]
}

@test "unknown command: status 1, as xl" {
	run -1 "${XL}" frobnicate
	[ "${lines[0]}" = "xl-lite: unknown command 'frobnicate'" ]
	run -2 "${XL}" help frobnicate
	[ "${lines[0]}" = "xl-lite: unknown command 'frobnicate'" ]
}

@test "missing argument and unknown option" {
	run -2 "${XL}" destroy
	[ "${lines[0]}" = "xl-lite destroy: missing argument" ]
	run -2 "${XL}" list -q
	[[ "${output}" == *"Run 'xl-lite help list' for usage."* ]]
}

@test "list without the module names the fix" {
	skip_if_kxen_loaded
	run -1 "${XL}" list
	[ "${output}" = 'xl-lite: kxen module not loaded (no generic netlink family "kxen"); load it with: insmod kxen.ko (or: modprobe kxen)' ]
}

@test "info, destroy, console without the module" {
	skip_if_kxen_loaded
	run -1 "${XL}" info
	[[ "${output}" == *"kxen module not loaded"* ]]
	run -1 "${XL}" destroy 3
	[[ "${output}" == *"kxen module not loaded"* ]]
	run -1 "${XL}" console guest
	[[ "${output}" == *"kxen module not loaded"* ]]
}

@test "create without the module fails after checking the config" {
	skip_if_kxen_loaded
	good_cfg
	run -1 "${XL}" create good.cfg
	[ "${lines[0]}" = "Parsing config from good.cfg" ]
	[[ "${lines[1]}" == *"kxen module not loaded"* ]]
}

@test "create -F and -e exclude each other; help shows both" {
	good_cfg
	run -2 "${XL}" create -F -e good.cfg
	[ "${output}" = "xl-lite create: -F and -e exclude each other" ]
	run -0 "${XL}" help create
	[[ "${output}" == *"-F                      Run in the foreground"* ]]
	[[ "${output}" == *"-e                      Do not leave a monitor"* ]]
}

@test "shutdown and reboot: usage errors" {
	# as xl: neither -a nor a domain is an error (1), not a usage one
	run -1 "${XL}" shutdown
	[ "${output}" = "You must specify -a or a domain id." ]
	run -1 "${XL}" reboot -w
	[ "${output}" = "You must specify -a or a domain id." ]
	run -0 "${XL}" help shutdown
	[ "${lines[0]}" = "Usage: xl-lite shutdown [options] <-a|Domain>" ]
	run -2 "${XL}" reboot -x guest
	[[ "${output}" == *"Run 'xl-lite help reboot' for usage."* ]]
	run -0 "${XL}" help shutdown
	[[ "${output}" == *"-w, --wait              Wait for the domain(s) to shut down."* ]]
	[[ "${output}" == *"-a, --all               Shut down every domain but Domain-0."* ]]
	[[ "${output}" == *"-F                      Fall back for a guest with no PV"* ]]
	[[ "${output}" == *"--force-after=SECS      kxen's own"* ]]
}

@test "shutdown and reboot without the module name the fix" {
	skip_if_kxen_loaded
	run -1 "${XL}" shutdown -w guest
	[[ "${output}" == *"kxen module not loaded"* ]]
	run -1 "${XL}" reboot -F 3
	[[ "${output}" == *"kxen module not loaded"* ]]
}
