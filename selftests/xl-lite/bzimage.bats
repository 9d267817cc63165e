#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# xl-lite create -n with bzImage kernels: small bzImages around the test
# kernel, compressed with each format's command-line tool as Linux's
# arch/x86/boot/compressed/Makefile does it, and the host's Debian kernel.

# The decompressed size, 4 bytes little-endian, as Linux's size_append.
size_append() {
	local hex
	hex="$(printf '%08x' "$(stat -c %s "$1")")"
	printf "\\x${hex:6:2}\\x${hex:4:2}\\x${hex:2:2}\\x${hex:0:2}"
}

# compress FMT IN: the payload on stdout.
compress() {
	case "$1" in
	gzip)	gzip -n -9 -c "$2" ;;
	bzip2)	bzip2 -9 -c "$2"; size_append "$2" ;;
	lzma)	lzma -9 -c "$2"; size_append "$2" ;;
	xz)	xz --check=crc32 -c "$2"; size_append "$2" ;;
	lz4)	lz4 -l -9 -c "$2"; size_append "$2" ;;
	zstd)	zstd -q -19 -c "$2"; size_append "$2" ;;
	esac
}

setup_file() {
	load 'test_helper/common'
	common_setup_file
	local k="${BATS_FILE_TMPDIR}" f
	gcc -Wall -Wextra -O2 -I"${TOP}/tools/xl-lite/tests" \
		-o "${k}/mkbzimage" "${XL_TEST_DIR}/mkbzimage.c"
	for f in gzip bzip2 lzma xz lz4 zstd; do
		command -v "${f}" >/dev/null || continue
		compress "${f}" "${k}/pvh64.elf" > "${k}/payload.${f}"
		"${k}/mkbzimage" "${k}/payload.${f}" "${k}/bz-${f}"
	done
	if command -v xz >/dev/null; then
		compress xz "${k}/nonote.elf" > "${k}/payload-nonote.xz"
		"${k}/mkbzimage" "${k}/payload-nonote.xz" "${k}/bz-nonote"
	fi
}

# need FMT: skip unless FMT's tool made the test bzImages.
need() {
	[ -e "${K}/bz-$1" ] || skip "$1 not installed (the test bzImages need it)"
}

setup() {
	load 'test_helper/common'
	common_setup
}

# bz_entry FMT: the bzImage with a FMT payload boots at the note's entry.
bz_entry() {
	need "$1"
	good_cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg \
		"kernel=\"${K}/bz-$1\""
	[[ "${output}" == *"bzimage: protocol 2.15, $1 payload [0xc00, +0x$(printf '%x' "$(stat -c %s "${K}/payload.$1")"))"* ]]
	[[ "${output}" == *"vmlinux 0x$(printf '%x' "$(stat -c %s "${K}/pvh64.elf")") bytes"* ]]
	[[ "${output}" == *"segment 0: [0x100000, 0x103000) filesz 0x1800"* ]]
	[[ "${output}" == *"entry: 0x100040"* ]]
}

@test "bzImage, gzip payload" {
	bz_entry gzip
}

@test "bzImage, bzip2 payload" {
	bz_entry bzip2
}

@test "bzImage, lzma payload" {
	bz_entry lzma
}

@test "bzImage, xz payload" {
	bz_entry xz
}

@test "bzImage, lz4 legacy payload" {
	bz_entry lz4
}

@test "bzImage, zstd payload" {
	bz_entry zstd
}

@test "bzImage whose ELF has no PVH note" {
	need xz
	good_cfg
	run -1 "${XL}" create -n good.cfg "kernel=\"${K}/bz-nonote\""
	[ "${lines[1]}" = "xl-lite: kernel: ${K}/bz-nonote: the ELF in the bzImage's xz payload: no PVH entry point: the kernel has no XEN_ELFNOTE_PHYS32_ENTRY note (Linux needs CONFIG_XEN_PVH=y)" ]
}

@test "bzImage with a truncated payload" {
	need xz
	head -c 100 "${K}/payload.xz" > short.xz
	"${K}/mkbzimage" short.xz bz-short
	good_cfg
	run -1 "${XL}" create -n good.cfg 'kernel="bz-short"'
	[ "${lines[1]}" = "xl-lite: kernel: bz-short: bzImage payload (xz): truncated: the stream ends without its end marker at byte 100" ]
}

@test "bzImage with a corrupt payload" {
	need gzip
	cp "${K}/payload.gzip" bad.gz
	printf '\xff\xff\xff\xff' |
		dd of=bad.gz bs=1 seek=40 conv=notrunc status=none
	"${K}/mkbzimage" bad.gz bz-bad
	good_cfg
	run -1 "${XL}" create -n good.cfg 'kernel="bz-bad"'
	[[ "${lines[1]}" == "xl-lite: kernel: bz-bad: bzImage payload (gzip): corrupt data at byte "* ]]
}

@test "bzImage cut short: the payload runs past the end of the file" {
	need xz
	head -c 1000 "${K}/bz-xz" > bz-cut
	good_cfg
	run -1 "${XL}" create -n good.cfg 'kernel="bz-cut"'
	[[ "${lines[1]}" == "xl-lite: kernel: bz-cut: bzImage: payload [0xc00, +0x"*") is past the end of the file (1000 bytes)" ]]
}

@test "bzImage with an uncompressed payload" {
	"${K}/mkbzimage" "${K}/pvh64.elf" bz-plain
	good_cfg
	run -1 "${XL}" create -n good.cfg 'kernel="bz-plain"'
	[[ "${lines[1]}" == *"bzImage payload: unknown compression (starts with 7f 45 4c 46;"* ]]
}

@test "bzImage with boot protocol 2.06" {
	need xz
	"${K}/mkbzimage" -v 0x206 "${K}/payload.xz" bz-old
	good_cfg
	run -1 "${XL}" create -n good.cfg 'kernel="bz-old"'
	[ "${lines[1]}" = "xl-lite: kernel: bz-old: bzImage: boot protocol 2.06 has no payload fields (2.08 or later needed)" ]
}

# The stock kernel: Debian's linux-image-amd64, an xz payload whose ELF
# has XEN_ELFNOTE_PHYS32_ENTRY = 0x1000850.
debian_kernel() {
	local v
	for v in /boot/vmlinuz-*-amd64; do
		[ -r "${v}" ] && { echo "${v}"; return; }
	done
}

@test "the host's Debian kernel, 2 vCPUs, 256 MiB, a ramdisk" {
	local v
	v="$(debian_kernel)"
	[ -n "${v}" ] || skip "no readable /boot/vmlinuz-*-amd64 (Debian's linux-image-amd64)"
	head -c 1000000 /dev/urandom > initrd
	write_cfg deb.cfg 'type = "pvh"' 'name = "deb"' "kernel = \"${v}\"" \
		'ramdisk = "initrd"' 'memory = 256' 'vcpus = 2' \
		'extra = "console=hvc0"'
	run -0 --separate-stderr "${XL}" create -n deb.cfg
	[[ "${output}" == *"bzimage: protocol 2."*", xz payload ["* ]]
	[[ "${output}" == *"entry: 0x1000850"* ]]
	[[ "${output}" == *"memmap 3: [0xffff000, 0x10000000) type 3 ACPI"* ]]
	[[ "${output}" == *"madt: 0xffff180 lapics 2, APIC ID = 2 x vCPU id"* ]]
	[[ "${output}" == *"modlist: "*" entries 1"* ]]
	[[ "${output}" == *"ramdisk: [0xff0a000, 0xfffe240) size 1000000"* ]]
}
