#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# xl-lite create: config file errors, named by file:line:column and key.

setup_file() {
	load 'test_helper/common'
	common_setup_file
}

setup() {
	load 'test_helper/common'
	common_setup
}

@test "file not found" {
	run -1 "${XL}" create -n nope.cfg
	[ "${lines[0]}" = "Parsing config from nope.cfg" ]
	[ "${lines[1]}" = "nope.cfg: No such file or directory" ]
}

@test "unterminated string" {
	write_cfg bad.cfg 'name = "t1"' 'kernel = "/boot/vmlinux'
	run -1 "${XL}" create -n bad.cfg
	[ "${lines[1]}" = "bad.cfg:2:10: kernel: unterminated string" ]
}

@test "bad escape" {
	write_cfg bad.cfg 'type = "pvh"' 'extra = "a\qb"'
	run -1 "${XL}" create -n bad.cfg
	[ "${lines[1]}" = "bad.cfg:2:11: extra: bad escape '\\q' in string" ]
}

@test "missing =" {
	write_cfg bad.cfg '# a comment' '' 'memory 512'
	run -1 "${XL}" create -n bad.cfg
	[ "${lines[1]}" = "bad.cfg:3:8: memory: expected '=' or '+=', got number" ]
}

@test "bad number" {
	write_cfg bad.cfg 'memory = 5l2'
	run -1 "${XL}" create -n bad.cfg
	[ "${lines[1]}" = "bad.cfg:1:10: memory: bad number '5l2'" ]
}

@test "dotted keys parse, as libxlu's identifiers; a dotted number does not" {
	good_cfg
	# Xen 4.17's libxlu takes [a-z][._0-9a-z]* as a key
	printf 'foo.bar = 1\na..b. = "x"\n' >> good.cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[[ "${stderr}" == *"good.cfg:8:1: foo.bar: unsupported key, ignored"* ]]
	[[ "${stderr}" == *"good.cfg:9:1: a..b.: unsupported key, ignored"* ]]
	write_cfg bad.cfg 'memory = 1.5'
	run -1 "${XL}" create -n bad.cfg
	[ "${lines[1]}" = "bad.cfg:1:11: memory: unexpected character '.'" ]
}

@test "string where a number is expected" {
	good_cfg
	printf 'memory = "512M"\n' >> good.cfg
	run -1 "${XL}" create -n good.cfg
	[ "${lines[1]}" = 'good.cfg:8:10: memory: expected a number, got "512M"' ]
}

@test "unknown type" {
	write_cfg bad.cfg 'type = "xen"' 'name = "t1"' 'kernel = "k"'
	run -1 "${XL}" create -n bad.cfg
	[ "${lines[1]}" = 'bad.cfg:1:8: type: unknown type "xen" (expected "pvh")' ]
}

@test "type hvm is not supported yet" {
	write_cfg bad.cfg 'type = "hvm"' 'name = "t1"' 'kernel = "k"'
	run -1 "${XL}" create -n bad.cfg
	[[ "${lines[1]}" == *'type: type "hvm" is not supported yet'* ]]
}

@test "missing type names xl's pv default" {
	write_cfg bad.cfg 'name = "t1"' 'kernel = "k"'
	run -1 "${XL}" create -n bad.cfg
	[[ "${lines[1]}" == *'type: not set'*'set type = "pvh"' ]]
}

@test "missing kernel" {
	write_cfg bad.cfg 'type = "pvh"' 'name = "t1"'
	run -1 "${XL}" create -n bad.cfg
	[ "${lines[1]}" = 'kernel: must be specified for type "pvh"' ]
}

@test "missing name" {
	write_cfg bad.cfg 'type = "pvh"' 'kernel = "k"'
	run -1 "${XL}" create -n bad.cfg
	[ "${lines[1]}" = 'name: domain name must be specified' ]
}

@test "bad on_crash action" {
	good_cfg
	printf 'on_crash = "reboot"\n' >> good.cfg
	run -1 "${XL}" create -n good.cfg
	[[ "${lines[1]}" == 'good.cfg:8:12: on_crash: invalid action "reboot"'* ]]
}

@test "event actions: every valid one, and each key" {
	good_cfg
	run -0 "${XL}" create -n good.cfg on_poweroff=\"restart\" \
		on_reboot=\"preserve\" on_crash=\"restart\" \
		on_watchdog=\"preserve\" on_soft_reset=\"restart\"
	[[ "${output}" == *$'on_poweroff: restart\non_reboot: preserve\non_crash: restart\non_watchdog: preserve\non_soft_reset: restart'* ]]
}

@test "rename-restart is taken, coredump refused, saying why" {
	good_cfg
	printf 'on_reboot = "rename-restart"\n' >> good.cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg on_crash=\"rename-restart\"
	[ "${stderr}" = "Parsing config from good.cfg" ]
	[[ "${output}" == *$'\non_reboot: rename-restart\non_crash: rename-restart\n'* ]]
	run -1 "${XL}" create -n good.cfg on_reboot=\"restart\" \
		on_crash=\"coredump-restart\"
	[ "${lines[1]}" = "<command line>:1:10: on_crash: action \"coredump-restart\" is not supported (xl-lite cannot dump a domain's core)" ]
}

@test "soft-reset is refused, a number is not an action" {
	good_cfg
	run -1 "${XL}" create -n good.cfg on_soft_reset=\"soft-reset\"
	[ "${lines[1]}" = '<command line>:1:15: on_soft_reset: action "soft-reset" is not supported (kxen cannot soft-reset a domain)' ]
	run -1 "${XL}" create -n good.cfg on_poweroff=0
	[ "${lines[1]}" = '<command line>:1:13: on_poweroff: invalid action "0" (expected destroy, restart, rename-restart or preserve)' ]
	run -1 "${XL}" create -n good.cfg on_poweroff=[\"destroy\"]
	[ "${lines[1]}" = '<command line>:1:13: on_poweroff: expected a string, got list' ]
}

@test "vcpus out of range" {
	good_cfg
	run -1 "${XL}" create -n good.cfg vcpus=129
	[ "${lines[1]}" = "<command line>:1:7: vcpus: must be between 0 and 128" ]
}

@test "kernel file missing" {
	write_cfg c.cfg 'type = "pvh"' 'name = "t1"' 'kernel = "/nonexistent/vmlinux"'
	run -1 "${XL}" create -n c.cfg
	[ "${lines[1]}" = "xl-lite: kernel: /nonexistent/vmlinux: No such file or directory" ]
}

@test "kernel without the PVH note" {
	write_cfg c.cfg 'type = "pvh"' 'name = "t1"' "kernel = \"${K}/nonote.elf\""
	run -1 "${XL}" create -n c.cfg
	[[ "${lines[1]}" == "xl-lite: kernel: ${K}/nonote.elf: no PVH entry point: the kernel has no XEN_ELFNOTE_PHYS32_ENTRY note"* ]]
}

@test "toolchain-built kernel without the PVH note" {
	write_cfg c.cfg 'type = "pvh"' 'name = "t1"' "kernel = \"${K}/stub-nonote.elf\""
	run -1 "${XL}" create -n c.cfg
	[[ "${output}" == *"no PVH entry point"* ]]
}

@test "kernel that is not ELF" {
	printf '#!/bin/sh\n' > notelf
	write_cfg c.cfg 'type = "pvh"' 'name = "t1"' 'kernel = "notelf"'
	run -1 "${XL}" create -n c.cfg
	[ "${lines[1]}" = "xl-lite: kernel: notelf: not an ELF file" ]
}

@test "bzImage header without payload fields gives a clear error" {
	# Linux boot protocol header: "HdrS" at 0x202, version 0 at 0x206
	head -c 1024 /dev/zero > bzImage
	printf 'HdrS' | dd of=bzImage bs=1 seek=514 conv=notrunc 2>/dev/null
	write_cfg c.cfg 'type = "pvh"' 'name = "t1"' 'kernel = "bzImage"'
	run -1 "${XL}" create -n c.cfg
	[ "${lines[1]}" = "xl-lite: kernel: bzImage: bzImage: boot protocol 0.00 has no payload fields (2.08 or later needed)" ]
}

@test "unknown keys are warned about, not fatal" {
	good_cfg
	printf 'vfb = [ "vnc=1" ]\n' >> good.cfg
	run -0 "${XL}" create -n good.cfg
	[[ "${output}" == *"xl-lite: warning: good.cfg:8:1: vfb: unsupported key, ignored"* ]]
}
