#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# xl's daily commands without the module: vcpu-list, vcpu-pin, vcpu-set, mem-set,
# mem-max, rename, sysrq, dmesg, destroy -f, shutdown/reboot -a, top.  Their
# usage errors, the values checked before kxen is asked, and -N.

setup_file() {
	load 'test_helper/common'
	common_setup_file
}

setup() {
	load 'test_helper/common'
	common_setup
}

@test "each new command: usage line, missing arguments exit 2" {
	local c
	for c in vcpu-pin vcpu-set mem-set mem-max rename sysrq; do
		run -2 "${XL}" "${c}"
		[ "${lines[0]}" = "xl-lite ${c}: missing argument" ]
	done
	run -0 "${XL}" help vcpu-pin
	[ "${lines[0]}" = "Usage: xl-lite vcpu-pin [option] <Domain> <VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>" ]
	run -0 "${XL}" help mem-set
	[ "${lines[0]}" = "Usage: xl-lite mem-set <Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>" ]
	run -0 "${XL}" help vcpu-list
	[ "${lines[0]}" = "Usage: xl-lite vcpu-list [Domain, ...]" ]
	run -2 "${XL}" vcpu-list -x
	[[ "${output}" == *"Run 'xl-lite help vcpu-list' for usage."* ]]
	run -2 "${XL}" vcpu-pin g 0 0 --frob
	[[ "${output}" == *"Run 'xl-lite help vcpu-pin' for usage."* ]]
}

@test "vcpu-set: xl's usage, its count errors and host check, before kxen is asked" {
	local n
	run -0 "${XL}" help vcpu-set
	[ "${lines[0]}" = "Usage: xl-lite vcpu-set [option] <Domain> <vCPUs>" ]
	[[ "${output}" == *"-i, --ignore-host"* ]]
	run -2 "${XL}" vcpu-set g
	[ "${lines[0]}" = "xl-lite vcpu-set: missing argument" ]
	run -2 "${XL}" vcpu-set --frob g 1
	[[ "${output}" == *"Run 'xl-lite help vcpu-set' for usage."* ]]
	for n in x 1x "" -1 2147483648 99999999999999999999; do
		run -1 "${XL}" vcpu-set -- g "${n}"
		[ "${output}" = "Error: Invalid argument ${n} as number of vcpus." ]
	done
	run -1 "${XL}" vcpu-set g 0
	[ "${output}" = "xl-lite: vcpu-set: 0 vCPUs: a guest keeps its first vCPU" ]
	n=$(($(nproc --all) + 1))
	run -1 "${XL}" vcpu-set g "${n}"
	[[ "${output}" == "You are overcommmitting! You have "*" physical CPUs and want ${n} vCPUs! Aborting, use --ignore-host to continue" ]]
}

@test "vcpu-set -i past the host's CPUs, or a count, without the module names the fix" {
	skip_if_kxen_loaded
	run -1 "${XL}" vcpu-set -i g 4096
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" vcpu-set --ignore-host g 1
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
}

@test "mem-set and mem-max: a bad size is xl's error, before kxen is asked" {
	local s
	for s in 12x 12mb "" m -5 +5 99999999999999999999; do
		run -1 "${XL}" mem-set -- guest "${s}"
		[ "${output}" = "invalid memory size: ${s}" ]
		run -1 "${XL}" mem-max -- guest "${s}"
		[ "${output}" = "invalid memory size: ${s}" ]
	done
}

@test "mem-set, mem-max, rename, sysrq without the module name the fix" {
	skip_if_kxen_loaded
	run -1 "${XL}" mem-set guest 256m
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" mem-max guest 1g
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" rename guest other
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" sysrq guest s
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" vcpu-list
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" vcpu-pin guest 0 0
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
}

@test "-N: mem-set, mem-max, rename, sysrq print, vcpu-list is refused" {
	run -0 "${XL}" -N mem-set guest 256m
	[ "${output}" = "Dry run, nothing done: xl-lite mem-set guest 256m" ]
	run -0 "${XL}" -N mem-max guest 1g
	[ "${output}" = "Dry run, nothing done: xl-lite mem-max guest 1g" ]
	run -0 "${XL}" -N rename guest other
	[ "${output}" = "Dry run, nothing done: xl-lite rename guest other" ]
	run -0 "${XL}" -N sysrq guest s
	[ "${output}" = "Dry run, nothing done: xl-lite sysrq guest s" ]
	run -1 "${XL}" -N vcpu-list
	[[ "${output}" == *"does not implement -N"* ]]
}

@test "sysrq takes one letter, as xl" {
	run -1 --separate-stderr "${XL}" sysrq guest sb
	[ "${stderr_lines[0]}" = "Invalid sysrq." ]
	[ "${lines[0]}" = "Usage: xl-lite sysrq <Domain> <letter>" ]
}

@test "vcpu-pin: xl's VCPU argument and CPU lists, checked first" {
	run -1 "${XL}" vcpu-pin guest x 0
	[ "${output}" = "Error: Invalid argument x as VCPU." ]
	run -1 "${XL}" vcpu-pin guest -- -1 0
	[ "${output}" = "Error: Invalid argument -1 as VCPU." ]
	run -1 "${XL}" vcpu-pin -f guest all 0
	[ "${output}" = "Error: --force and 'all' as VCPU not allowed." ]
	run -1 "${XL}" vcpu-pin guest 0 3-1
	[[ "${output}" == "xl-lite: vcpu-pin: \"3-1\": expected \"all\""* ]]
	run -1 "${XL}" vcpu-pin guest 0 node:0
	[[ "${output}" == *"NUMA node affinity is not supported"* ]]
	run -1 "${XL}" vcpu-pin guest 0 8191
	[[ "${output}" == "xl-lite: vcpu-pin: \"8191\" names no CPU of this host (0-"* ]]
	run -1 "${XL}" vcpu-pin guest 0 - 3-1
	[[ "${output}" == "xl-lite: vcpu-pin: \"3-1\": expected \"all\""* ]]
	run -1 "${XL}" vcpu-pin guest 0 0 8191
	[[ "${output}" == "xl-lite: vcpu-pin: \"8191\" names no CPU of this host (0-"* ]]
}

@test "vcpu-pin -N prints the CPU set, as xl's dry run" {
	local last=$(($(getconf _NPROCESSORS_CONF) - 1))
	run -0 "${XL}" -N vcpu-pin guest 0 all
	[ "${output}" = "cpumap: all" ]
	run -0 "${XL}" -N vcpu-pin guest all - -
	[ "${output}" = "cpumap: -" ]
	# a soft affinity follows the hard one, as in xl's dry run
	run -0 "${XL}" -N vcpu-pin guest 0 - 0
	[ "${output}" = "cpumap: - 0" ]
	run -0 "${XL}" -N vcpu-pin guest 0 all all
	[ "${output}" = "cpumap: all all" ]
	run -0 "${XL}" -N vcpu-pin guest 1 "0-${last},^0"
	if [ "${last}" -eq 0 ]; then
		[ "${output}" = "cpumap: none" ]
	else
		[ "${output}" = "cpumap: $([ "${last}" -eq 1 ] && echo 1 || echo "1-${last}")" ]
	fi
	# CPUs the host lacks are dropped
	run -0 "${XL}" -N vcpu-pin guest 0 "0,8191"
	[ "${output}" = "cpumap: $([ "${last}" -eq 0 ] && echo all || echo 0)" ]
}

@test "dmesg prints kxen's kernel log lines only, as dmesg(1) stamps them" {
	printf '%s\n' \
		'6,100,1500000,-;kxen: loaded (vmx)' \
		' SUBSYSTEM=cpu' \
		'6,101,1600000,-;e1000: link up' \
		'4,102,2000042,-;kxen/d1v0: exit' \
		'6,103,3000000,-;kxenfoo: not ours' \
		'6,104,4000000,-;kxen: xenstore: d1 introduced' > kmsg
	XL_LITE_KMSG=kmsg run -0 "${XL}" dmesg
	diff -u - <(printf '%s\n' "${output}") <<-'EOT'
		[    1.500000] kxen: loaded (vmx)
		[    2.000042] kxen/d1v0: exit
		[    4.000000] kxen: xenstore: d1 introduced
	EOT
	XL_LITE_KMSG=nosuch run -1 "${XL}" dmesg
	[ "${output}" = "xl-lite: dmesg: nosuch: No such file or directory" ]
}

@test "dmesg -c is refused: the log is the host's, cleared only whole" {
	: > kmsg
	XL_LITE_KMSG=kmsg run -1 "${XL}" dmesg -c
	[[ "${output}" == "xl-lite: dmesg: -c refused:"* ]]
	run -0 "${XL}" help dmesg
	[[ "${output}" == *"-c                      Refused: the kernel log is the host's,"* ]]
}

@test "destroy 0: xl's refusal; with -f, refused as the host" {
	run -1 "${XL}" destroy 0
	[ "${lines[0]}" = "Not destroying domain 0; use -f to force." ]
	run -1 "${XL}" destroy Domain-0
	[ "${lines[0]}" = "Not destroying domain 0; use -f to force." ]
	run -1 "${XL}" destroy -f 0
	[ "${output}" = "xl-lite: destroy: Domain-0 is the host: kxen cannot destroy it" ]
	run -0 "${XL}" -N destroy -f guest
	[ "${output}" = "Dry run, nothing done: xl-lite destroy -f guest" ]
}

@test "shutdown -a and reboot -a -w: no domain needed; --all is -a" {
	run -0 "${XL}" -N shutdown -a
	[ "${output}" = "Dry run, nothing done: xl-lite shutdown -a" ]
	run -0 "${XL}" -N reboot --all --wait
	[ "${output}" = "Dry run, nothing done: xl-lite reboot --all --wait" ]
	skip_if_kxen_loaded
	run -1 "${XL}" shutdown -a -w
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" reboot --all
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
}

@test "shutdown --force-after=SECS: kxen's own, a number of seconds" {
	run -0 "${XL}" -N shutdown --force-after=30 -w guest
	[ "${output}" = "Dry run, nothing done: xl-lite shutdown --force-after=30 -w guest" ]
	run -0 "${XL}" -N reboot --force-after 0 guest
	[ "${output}" = "Dry run, nothing done: xl-lite reboot --force-after 0 guest" ]
	for bad in x -1 1.5 '' 86401; do
		run -2 "${XL}" shutdown --force-after="${bad}" guest
		[ "${output}" = "xl-lite shutdown: --force-after: \"${bad}\" is not a number of seconds (0-86400)" ]
	done
	run -2 "${XL}" reboot --force-after
	[ "${lines[1]}" = "Run 'xl-lite help reboot' for usage." ]
	run -0 "${XL}" help shutdown
	[[ "${output}" == *"nothing more is done: one that ignores it keeps running."* ]]
}

@test "top: help names xentop's options and what its VBD counters count" {
	run -0 "${XL}" help top
	[ "${lines[0]}" = "Usage: xl-lite top [-b] [-d DELAY] [-i ITERATIONS]" ]
	[[ "${output}" == *"-b                      Batch mode, as xentop -b"* ]]
	[[ "${output}" == *"VBD_RD"*"and VBD_WR count the reads and writes"* ]]
	[[ "${output}" == *"SSID is"*"0 (no XSM)."* ]]
	run -0 "${XL}" top --help
	[ "${lines[0]}" = "Usage: xl-lite top [-b] [-d DELAY] [-i ITERATIONS]" ]
}

@test "top: a bad delay or count, an argument, an option: status 2" {
	local a
	for a in 0 -1 x 3s 86401 ""; do
		run -2 "${XL}" top -b -d "${a}"
		[ "${output}" = "xl-lite: top: -d: \"${a}\" is not a number from 1 to 86400" ]
		run -2 "${XL}" top -b -i "${a}"
		[ "${output}" = "xl-lite: top: -i: \"${a}\" is not a number from 1 to 86400" ]
	done
	run -2 "${XL}" top -b guest
	[ "${lines[0]}" = "Usage: xl-lite top [-b] [-d DELAY] [-i ITERATIONS]" ]
	run -2 "${XL}" top -x
	[[ "${output}" == *"Run 'xl-lite help top' for usage."* ]]
	run -2 "${XL}" top -d
	[[ "${output}" == *"Run 'xl-lite help top' for usage."* ]]
}

@test "top without the module names the fix" {
	skip_if_kxen_loaded
	run -1 "${XL}" top -b -i 1
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
}

@test "-N top is refused, as xl refuses it" {
	run -1 "${XL}" -N top -b -i 1
	[[ "${output}" == *"does not implement -N"* ]]
}
