#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# xl-lite create -n: xl.cfg values as xl reads them (quoted numbers,
# vcpus = 0), the keys kxen parses but does not act on yet, the config
# size cap, and an ELF whose entry point it does not load.

setup_file() {
	load 'test_helper/common'
	common_setup_file
}

setup() {
	load 'test_helper/common'
	common_setup
}

@test "quoted numbers, as xen-tools writes them" {
	good_cfg
	printf '%s\n' "memory = '24'" 'vcpus = "3"' >> good.cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[ "${stderr}" = "Parsing config from good.cfg" ]
	[ "${lines[1]}" = "vcpus: 3" ]
	[ "${lines[2]}" = "memory_mib: 24" ]
}

@test "a bare number where a string is wanted, as xl" {
	good_cfg
	run -0 "${XL}" create -n good.cfg name=42
	[ "${lines[1]}" = "name: 42" ]
}

@test "vcpus = 0 is one vCPU, as libxl" {
	good_cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg vcpus=0
	[ "${lines[1]}" = "vcpus: 1" ]
	[[ "${output}" == *"madt: "*"lapics 1,"* ]]
}

@test "maxmem and maxvcpus: checked and applied, no warning" {
	good_cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg maxmem=64 \
		maxvcpus=4
	[ "${stderr}" = "Parsing config from good.cfg" ]
	[ "${lines[1]}" = "vcpus: 2" ]
	[ "${lines[2]}" = "maxvcpus: 4" ]
	[ "${lines[3]}" = "memory_mib: 16" ]
	[[ "${output}" == *"lapics 4, APIC ID = 2 x vCPU id, 2 enabled, 2 hot-pluggable"* ]]
	[[ "${output}"$'\n' == *$'\nmaxmem_mib: 64\n'* ]]
}

@test "maxmem above memory: the guest's memory map holds maxmem" {
	good_cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg maxmem=64
	# populate-on-demand, as libxl: RAM up to maxmem, the ACPI tables
	# at its top
	[[ "${output}" == *$'\nmemory: 0x4000000\n'* ]]
	[[ "${output}" == *$'memmap 2: [0x100000, 0x3fff000) type 1 RAM\n'* ]]
	[[ "${output}" == *$'memmap 3: [0x3fff000, 0x4000000) type 3 ACPI\n'* ]]
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[[ "${output}" == *$'\nmemory: 0x1000000\n'* ]]
}

@test "maxmem = memory and maxvcpus = vcpus need no warning" {
	good_cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg maxmem=16 \
		maxvcpus=2
	[ "${stderr}" = "Parsing config from good.cfg" ]
	[[ "${output}" != *"maxmem_mib"* ]]
}

@test "-N create shows the maximum create would set" {
	good_cfg
	run -0 --separate-stderr "${XL}" -N create good.cfg maxmem=48
	[[ "${output}"$'\n' == *$'\nmaxmem_mib: 48\n'* ]]
}

@test "maxmem below memory, maxvcpus below vcpus, refused" {
	good_cfg
	run -1 "${XL}" create -n good.cfg maxmem=8
	[ "${lines[1]}" = "<command line>:1:8: maxmem: 8 MiB is less than memory (16 MiB)" ]
	run -1 "${XL}" create -n good.cfg maxvcpus=1
	[ "${lines[1]}" = "<command line>:1:10: maxvcpus: 1 is less than vcpus (2)" ]
	run -1 "${XL}" create -n good.cfg "maxmem='1G'"
	[ "${lines[1]}" = "<command line>:1:8: maxmem: expected a number, got \"1G\"" ]
}

@test "cpus and cpus_soft are applied, malformed refused" {
	good_cfg
	printf '%s\n' 'cpus = "0-3,^1"' 'cpus_soft = [ "0", "all" ]' >> good.cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[[ "${stderr}" != *"cpus"* ]]
	[[ "${stderr}" != *"unsupported key"* ]]
	[[ "${output}" == *$'\ncpus_soft: vcpu 0: 0\ncpus_soft: vcpu 1: all'* ]]
	run -1 "${XL}" create -n good.cfg 'cpus="3-1"'
	[ "${lines[1]}" = "<command line>:1:6: cpus: \"3-1\": expected \"all\", a CPU or a range N-M, each maybe after '^'" ]
	run -1 "${XL}" create -n good.cfg 'cpus=["0","1","2"]'
	[ "${lines[1]}" = "<command line>:1:6: cpus: 3 entries for 2 vCPUs (maxvcpus)" ]
	run -1 "${XL}" create -n good.cfg 'cpus_soft="nodes:0"'
	[ "${lines[1]}" = "<command line>:1:11: cpus_soft: \"nodes:0\": NUMA node affinity is not supported" ]
}

@test "create -n shows each vCPU's hard affinity from cpus" {
	good_cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg 'cpus="all"'
	[[ "${output}" == *$'\ncpus: vcpu 0: all\ncpus: vcpu 1: all'* ]]
	# a list pins only the vCPUs it has entries for
	run -0 --separate-stderr "${XL}" -N create good.cfg 'cpus=["0"]'
	want=0
	[ "$(getconf _NPROCESSORS_CONF)" -gt 1 ] || want=all
	[[ "${output}" == *$'\ncpus: vcpu 0: '"${want}"* ]]
	[[ "${output}" != *"cpus: vcpu 1"* ]]
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[[ "${output}" != *"cpus: vcpu"* ]]
}

@test "cpus naming none of the host's CPUs is refused before create" {
	good_cfg
	run -1 --separate-stderr "${XL}" create -n good.cfg 'cpus=["all", "8000"]'
	[ "${stderr}" = "Parsing config from good.cfg
<command line>:1:14: cpus: \"8000\" names no CPU of this host (0-$(( $(getconf _NPROCESSORS_CONF) - 1 )))" ]
	[ -z "${output}" ]
}

@test "uuid, cpu_weight, cap, max_grant_frames, max_event_channels" {
	good_cfg
	printf '%s\n' 'uuid = "5bd8e4a1-0C3B-4f3e-9d55-3e0a1b2c3d4e"' \
		'cpu_weight = 512' 'cap = 50' 'max_grant_frames = 4' \
		'max_event_channels = 100' >> good.cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg
	# all applied when the domain is made: no warning
	[ "${stderr}" = "Parsing config from good.cfg" ]
	[[ "${output}" == *"
uuid: 5bd8e4a1-0c3b-4f3e-9d55-3e0a1b2c3d4e
max_grant_frames: 4
max_event_channels: 100
cpu_weight: 512
cap: 50"* ]]
	# not set: the module's UUID, 64 frames, libxl's 1023 ports
	good_cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[[ "${output}" != *"uuid:"* ]]
	[[ "${output}" != *"max_grant_frames:"* ]]
	[[ "${output}" != *"max_event_channels:"* ]]
	[[ "${output}" != *"cpu_weight:"* ]]
	[[ "${output}" != *"cap:"* ]]
	run -0 --separate-stderr "${XL}" create -n good.cfg cap=0
	[[ "${output}" == *$'\ncap: 0' ]]
	run -1 "${XL}" create -n good.cfg 'uuid="5bd8e4a1"'
	[ "${lines[1]}" = '<command line>:1:6: uuid: "5bd8e4a1" is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)' ]
	run -1 "${XL}" create -n good.cfg cpu_weight=0
	[ "${lines[1]}" = "<command line>:1:12: cpu_weight: must be between 1 and 65535" ]
	run -1 "${XL}" create -n good.cfg max_grant_frames=65
	[ "${lines[1]}" = "<command line>:1:18: max_grant_frames: must be between 1 and 64" ]
	run -1 "${XL}" create -n good.cfg max_grant_frames=0
	[ "${lines[1]}" = "<command line>:1:18: max_grant_frames: must be between 1 and 64" ]
	run -1 "${XL}" create -n good.cfg max_event_channels=131072
	[ "${lines[1]}" = "<command line>:1:20: max_event_channels: must be between 1 and 131071" ]
}

@test "vnuma: lists of lists, checked as xl, then one warning" {
	good_cfg
	cat >> good.cfg <<-'EOF'
	memory = 64
	maxvcpus = 2
	vnuma = [ [ "pnode=0", "size=32", "vcpus=0", "vdistances=10,20" ],
	          [ "pnode=0", "size=32", "vcpus=1", "vdistances=20,10" ] ]
	EOF
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[[ "${stderr}" == *"good.cfg:"*": vnuma: parsed, not applied: kxen gives the guest no NUMA topology: it sees one node"* ]]
	sed -i 's/"vcpus=1"/"vcpus=0"/' good.cfg
	run -1 --separate-stderr "${XL}" create -n good.cfg
	[[ "${stderr}" == *": vnuma: vnode 1: vCPU 0 is in vnode 0 already"* ]]
	printf 'cpus = [ [ "0" ] ]\n' >> good.cfg
	sed -i '/vnuma\|vcpus=/d' good.cfg
	run -1 --separate-stderr "${XL}" create -n good.cfg
	[[ "${stderr}" == *": cpus: each entry is a CPU list string, not a list"* ]]
}

@test "a config over 1 MiB is refused" {
	good_cfg
	head -c 1048576 /dev/zero | tr '\0' '\n' >> good.cfg
	run -1 "${XL}" create -n good.cfg
	[ "${lines[1]}" = "good.cfg: config too large (xl-lite reads at most 1024 KiB)" ]
}

@test "a config of just under 1 MiB parses" {
	good_cfg
	head -c 1000000 /dev/zero | tr '\0' '\n' >> good.cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[ "${lines[1]}" = "vcpus: 2" ]
}

@test "an ELF whose entry point is outside its segments is refused" {
	"${K}/mkelf" -e 0x200000 bad.elf
	good_cfg
	run -1 "${XL}" create -n good.cfg "kernel=\"${BATS_TEST_TMPDIR}/bad.elf\""
	[ "${lines[1]}" = "xl-lite: kernel: ${BATS_TEST_TMPDIR}/bad.elf: PVH entry point 0x200000 is outside the loaded segments" ]
}
