#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# xl-lite info, uptime, domid and domname: what they say of the host
# (kxen's Domain-0) with no module, in xl's formats.

setup_file() {
	load 'test_helper/common'
	common_setup_file
}

setup() {
	load 'test_helper/common'
	common_setup
}

# info_value KEY: the value of KEY in $output's "key : value" lines.
info_value() {
	printf '%s\n' "${output}" | sed -n "s/^$1 *: //p"
}

# seconds "[D day[s], ]HH:MM:SS": the uptime as a number of seconds.
seconds() {
	local d=0 t="$1"
	if [[ "${t}" == *day* ]]; then
		d="${t%% *}"
		t="${t##*, }"
	fi
	IFS=: read -r h m s <<< "${t// /}"
	echo $((d * 86400 + 10#${h} * 3600 + 10#${m} * 60 + 10#${s}))
}

@test "info without the module: the host's keys in xl's order and layout" {
	skip_if_kxen_loaded
	run -1 --separate-stderr "${XL}" info
	[ "${stderr}" = "xl-lite: info: the xen_* and kxen_* keys are unavailable: ${NOT_LOADED}" ]
	diff -u - <(printf '%s\n' "${lines[@]}" | cut -c1-25) <<-EOT
		host                   : 
		release                : 
		version                : 
		machine                : 
		nr_cpus                : 
		max_cpu_id             : 
		nr_nodes               : 
		cores_per_socket       : 
		threads_per_core       : 
		cpu_mhz                : 
		hw_caps                : 
		total_memory           : 
		free_memory            : 
		xend_config_format     : 
		xl_lite_api_version    : 
	EOT
}

@test "info: the host keys are the host's" {
	run "${XL}" info
	[ "$(info_value host)" = "$(uname -n)" ]
	[ "$(info_value release)" = "$(uname -r)" ]
	[ "$(info_value version)" = "$(uname -v)" ]
	[ "$(info_value machine)" = "$(uname -m)" ]
	[ "$(info_value nr_cpus)" = "$(getconf _NPROCESSORS_ONLN)" ]
	[ "$(info_value max_cpu_id)" = "$(sed 's/.*[-,]//' /sys/devices/system/cpu/possible)" ]
	[ "$(info_value total_memory)" = "$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)" ]
	[ "$(info_value xend_config_format)" = 4 ]
	[[ "$(info_value cpu_mhz)" =~ ^[0-9]+\.[0-9]{3}$ ]]
	local free total
	free="$(info_value free_memory)"
	total="$(info_value total_memory)"
	[ "${free}" -gt 0 ] && [ "${free}" -le "${total}" ]
}

@test "info: hw_caps is the host CPU's feature words, in Xen's order" {
	run "${XL}" info hw_caps
	[[ "${output}" =~ ^([0-9a-f]{8}:){7}[0-9a-f]{8}$ ]]
	local -a w
	IFS=: read -r -a w <<< "${output}"
	# word 0 is CPUID 1 EDX (fpu bit 0, sse2 bit 26), word 5 leaf 7
	# EBX (smep bit 7), word 2 0x80000001 EDX (lm bit 29): as the
	# host's /proc/cpuinfo flags say
	local flags
	flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
	bit() { echo $(((16#$1 >> $2) & 1)); }
	has() { [[ "${flags}" == *" $1 "* ]] && echo 1 || echo 0; }
	[ "$(bit "${w[0]}" 0)" = "$(has fpu)" ]
	[ "$(bit "${w[0]}" 26)" = "$(has sse2)" ]
	[ "$(bit "${w[2]}" 29)" = "$(has lm)" ]
	[ "$(bit "${w[5]}" 7)" = "$(has smep)" ]
}

@test "info: cores and threads multiply to the CPUs of a package" {
	run "${XL}" info
	local siblings
	siblings="$(awk -F': ' '/^siblings/ { print $2; exit }' /proc/cpuinfo)"
	[ -n "${siblings}" ] || skip "no siblings in /proc/cpuinfo"
	[ $(($(info_value cores_per_socket) * $(info_value threads_per_core))) -eq "${siblings}" ]
}

@test "info KEY prints its value alone, as xl, without the module too" {
	run -0 "${XL}" info release
	[ "${output}" = "$(uname -r)" ]
	run -0 "${XL}" info xend_config_format
	[ "${output}" = 4 ]
	# a prefix: every key it begins, one value a line
	run -0 "${XL}" info threads
	[ "${#lines[@]}" -eq 1 ]
}

@test "info KEY of no key fails naming it" {
	run -1 --separate-stderr "${XL}" info frobnicate
	[ -z "${output}" ]
	[ "${stderr}" = "xl-lite: info: no key begins with 'frobnicate'" ]
}

@test "info xen_* and kxen_* without the module say why not" {
	skip_if_kxen_loaded
	run -1 --separate-stderr "${XL}" info xen_major
	[ -z "${output}" ]
	[ "${stderr}" = "xl-lite: info: the xen_* and kxen_* keys are unavailable: ${NOT_LOADED}" ]
	run -1 "${XL}" info kxen_vendor
	[[ "${output}" == *"keys are unavailable"* ]]
}

@test "domid Domain-0 and domname 0: the host, no module needed" {
	run -0 "${XL}" domid Domain-0
	[ "${output}" = 0 ]
	run -0 "${XL}" domname 0
	[ "${output}" = Domain-0 ]
}

@test "domname of something that is not a domid, as xl" {
	run -1 "${XL}" domname guest
	[ "${output}" = "Invalid domain id." ]
	run -1 "${XL}" domname 3x
	[ "${output}" = "Invalid domain id." ]
	run -1 "${XL}" domname -- -3
	[ "${output}" = "Invalid domain id." ]
}

@test "domid and domname of other domains ask the module" {
	skip_if_kxen_loaded
	run -1 "${XL}" domid guest
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" domname 5
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
}

@test "uptime 0: the host's, in xl's columns" {
	local before after t
	before="$(cut -d. -f1 /proc/uptime)"
	run -0 "${XL}" uptime 0
	after="$(cut -d. -f1 /proc/uptime)"
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "Name                                ID Uptime" ]
	[[ "${lines[1]}" =~ ^Domain-0\ {29}0\ (.*)$ ]]
	t="$(seconds "${BASH_REMATCH[1]}")"
	[ "${t}" -ge "${before}" ] && [ "${t}" -le "${after}" ]
}

@test "uptime -s: uptime(1)'s line for the host" {
	run -0 "${XL}" uptime -s Domain-0
	[ "${#lines[@]}" -eq 1 ]
	[[ "${output}" =~ ^\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ up\ ([0-9]+\ days?,\ )?[\ 0-9][0-9]:[0-9]{2},\ Domain-0\ \(0\)$ ]]
}

@test "uptime of Domain-0 by name and number, in the order given" {
	run -0 "${XL}" uptime Domain-0 0
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[1]}" == "Domain-0 "* ]]
	[[ "${lines[2]}" == "Domain-0 "* ]]
}

@test "uptime of every domain or of a named one asks the module" {
	skip_if_kxen_loaded
	run -1 "${XL}" uptime
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" uptime 0 guest
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
}
