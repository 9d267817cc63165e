#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# xl-lite create -n: the PVH layout it would build, with no module.

setup_file() {
	load 'test_helper/common'
	common_setup_file
}

setup() {
	load 'test_helper/common'
	common_setup
}

@test "layout of a 64-bit test kernel" {
	good_cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[ "${stderr}" = "Parsing config from good.cfg" ]
	diff -u - <(printf '%s\n' "${output}") <<-EOT
		name: t1
		vcpus: 2
		memory_mib: 16
		kernel: ${K}/pvh64.elf
		memory: 0x1000000
		elf: 64-bit
		segment 0: [0x100000, 0x103000) filesz 0x1800
		entry: 0x100040
		start_info: 0x103000
		memmap: 0x103038 entries 4
		memmap 0: [0x0, 0xe0000) type 1 RAM
		memmap 1: [0xe0000, 0x100000) type 2 reserved
		memmap 2: [0x100000, 0xfff000) type 1 RAM
		memmap 3: [0xfff000, 0x1000000) type 3 ACPI
		modlist: 0x103098 entries 0
		cmdline: 0x103098 "root=/dev/xvda1 console=hvc0"
		ramdisk: none
		acpi: [0xfff000, 0xfff268)
		rsdp: 0xfff000, copy at 0xfffc0
		xsdt: 0xfff030 entries 2
		fadt: 0xfff070 revision 5, hardware-reduced
		madt: 0xfff180 lapics 2, APIC ID = 2 x vCPU id
		dsdt: 0xfff1c0 processors 2 (ACPI0007, _MAT), _S5
		on_poweroff: destroy
		on_reboot: restart
		on_crash: destroy
		on_watchdog: destroy
		on_soft_reset: destroy
	EOT
}

@test "ELF32 kernel gives the same layout" {
	good_cfg
	run -0 "${XL}" create -n good.cfg "kernel=\"${K}/pvh32.elf\""
	[[ "${output}" == *"elf: 32-bit"* ]]
	[[ "${output}" == *"segment 0: [0x100000, 0x103000) filesz 0x1800"* ]]
	[[ "${output}" == *"entry: 0x100040"* ]]
	[[ "${output}" == *"start_info: 0x103000"* ]]
}

@test "note found in a SHT_NOTE section without PT_NOTE" {
	good_cfg
	run -0 "${XL}" create -n good.cfg "kernel=\"${K}/pvh-section.elf\""
	[[ "${output}" == *"entry: 0x100040"* ]]
}

@test "toolchain-built kernel: entry is the note's symbol" {
	local entry
	entry="$(nm "${K}/stub.elf" | awk '$3 == "pvh_start" { print $1 }')"
	good_cfg
	run -0 "${XL}" create -n good.cfg "kernel=\"${K}/stub.elf\""
	[ -n "${entry}" ]
	[[ "${output}" == *"entry: $(printf '0x%x' "0x${entry}")"* ]]
	[[ "${output}" == *"segment 0: [0x200000, "* ]]
}

@test "ramdisk goes page-aligned at the top of RAM, below the ACPI tables" {
	head -c 5000 /dev/zero > initrd
	good_cfg
	printf 'ramdisk = "initrd"\n' >> good.cfg
	run -0 "${XL}" create -n good.cfg
	[[ "${output}" == *"modlist: 0x103098 entries 1"* ]]
	[[ "${output}" == *"cmdline: 0x1030b8 "* ]]
	[[ "${output}" == *"ramdisk: [0xffd000, 0xffe388) size 5000"* ]]
	[[ "${output}" == *"memmap 3: [0xfff000, 0x1000000) type 3 ACPI"* ]]
}

@test "command-line overrides replace file settings" {
	good_cfg
	run -0 "${XL}" create -n good.cfg memory=64 'extra="quiet"' \
		name=\'t2\' on_crash=\"preserve\"
	[[ "${output}" == *"name: t2"* ]]
	[[ "${output}" == *"memmap 3: [0x3fff000, 0x4000000) type 3 ACPI"* ]]
	[[ "${output}" == *'cmdline: 0x103098 "root=/dev/xvda1 quiet"'* ]]
	[[ "${output}" == *"on_crash: preserve"* ]]
}

@test "+= appends, in the file and on the command line" {
	good_cfg
	printf 'extra += " loglevel=8"\n' >> good.cfg
	run -0 "${XL}" create -n good.cfg 'extra+=" quiet"'
	[[ "${output}" == *'"root=/dev/xvda1 console=hvc0 loglevel=8 quiet"'* ]]
}

@test "cmdline wins over root and extra, with xl's warning" {
	good_cfg
	run -0 "${XL}" create -n good.cfg 'cmdline="console=hvc0 ro"'
	[[ "${output}" == *'cmdline: 0x103098 "console=hvc0 ro"'* ]]
	[[ "${output}" == *"ignoring root= and extra= in favour of cmdline="* ]]
}

@test "bad override is named as the command line" {
	good_cfg
	run -1 "${XL}" create -n good.cfg memory=lots
	[ "${lines[1]}" = "<command line>:1:8: memory: expected a value, got name" ]
}

@test "memory too small for the kernel" {
	good_cfg
	run -1 "${XL}" create -n good.cfg memory=1
	[ "${lines[1]}" = "xl-lite: memory: 1 MiB is too small: the kernel ends at 0x103000, needs at least 2 MiB" ]
}

@test "memory too small for the ramdisk" {
	head -c 2097152 /dev/zero > initrd
	good_cfg
	run -1 "${XL}" create -n good.cfg memory=2 'ramdisk="initrd"'
	[ "${lines[1]}" = "xl-lite: memory: 2 MiB is too small: kernel, boot info, ramdisk (2097152 bytes) and ACPI tables need at least 4 MiB" ]
}

@test "memory above the supported ceiling" {
	good_cfg
	run -1 "${XL}" create -n good.cfg memory=4096
	[[ "${lines[1]}" == *"more than the 3840 MiB supported so far"* ]]
}

@test "vcpus sets the MADT's LAPIC count and the DSDT's processors" {
	good_cfg
	run -0 "${XL}" create -n good.cfg vcpus=8
	[[ "${output}"$'\n' == *$'\nmadt: 0xfff180 lapics 8, APIC ID = 2 x vCPU id\n'* ]]
	[[ "${output}" == *$'\ndsdt: 0xfff1f0 processors 8 (ACPI0007, _MAT), _S5\n'* ]]
	[[ "${output}" == *"acpi: [0xfff000, 0xfff3e8)"* ]]
}

@test "maxvcpus above vcpus: its LAPICs disabled in the MADT, processors in the DSDT" {
	good_cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg vcpus=1 maxvcpus=3
	[ "${stderr}" = "Parsing config from good.cfg" ]
	[ "${lines[1]}" = "vcpus: 1" ]
	[ "${lines[2]}" = "maxvcpus: 3" ]
	[[ "${output}" == *$'\nmadt: 0xfff180 lapics 3, APIC ID = 2 x vCPU id, 1 enabled, 2 hot-pluggable\n'* ]]
	[[ "${output}" == *$'\ndsdt: 0xfff1d0 processors 3 (ACPI0007, _MAT), _S5\n'* ]]
	run -0 --separate-stderr "${XL}" create -n good.cfg maxvcpus=2
	[[ "${output}" != *"maxvcpus"* ]]
	[[ "${output}"$'\n' == *$'\nmadt: 0xfff180 lapics 2, APIC ID = 2 x vCPU id\n'* ]]
}

@test "the host's Debian kernel: its bzImage and its extracted ELF agree" {
	local v off
	v="$(ls /boot/vmlinuz-* 2>/dev/null | head -n1)"
	[ -n "${v}" ] && [ -r "${v}" ] || skip "no readable /boot/vmlinuz-*"
	command -v xz >/dev/null || skip "xz not installed"
	off="$(grep -abo $'\xfd7zXZ\x00' "${v}" | head -n1 | cut -d: -f1)"
	[ -n "${off}" ] || skip "${v} has no xz payload"
	tail -c +$((off + 1)) "${v}" | xz -dc > vmlinux 2>/dev/null || true
	readelf -h vmlinux >/dev/null 2>&1 || skip "payload is not an ELF"
	good_cfg
	run -0 "${XL}" create -n good.cfg kernel=\"vmlinux\" memory=512
	[ "$(grep -c '^segment ' <<< "${output}")" -eq \
	  "$(readelf -lW vmlinux | grep -c ' LOAD ')" ]
	local elf="${output}"
	run -0 "${XL}" create -n good.cfg kernel=\"${v}\" memory=512
	[[ "${output}" == *"vmlinux 0x$(printf '%x' "$(stat -c %s vmlinux)") bytes"* ]]
	diff -u <(grep -v '^kernel: \|^bzimage: ' <<< "${elf}") \
		<(grep -v '^kernel: \|^bzimage: ' <<< "${output}")
}

# boot_cfg BOOTLOADER: boot.cfg for a 16 MiB guest whose kernel the
# bootloader finds on disk.img, here.
boot_cfg() {
	write_cfg boot.cfg 'type = "pvh"' 'name = "b1"' 'memory = 16' \
		"bootloader = \"$1\"" "disk = [ \"$PWD/disk.img,raw,xvda,rw\" ]"
}

# bootloader = (pygrub's protocol): a stand-in copies the kernel it finds
# on the disk into its directory and names it, with its args; create -n
# plans from its choice, and leaves nothing of it behind.
@test "bootloader: the kernel and args it chose from the disk" {
	cp "${K}/pvh64.elf" disk.img
	cat > fakegrub <<-'EOS'
		#!/bin/sh
		out=$2 dir=${4#--output-directory=}
		for a; do disk=$a; done
		cp "$disk" "$dir/kernel.x"
		printf 'kernel %s\0args %s\0' "$dir/kernel.x" "root=/dev/xvda1 from-disk" > "$out"
		echo "$dir" > dir.used
	EOS
	chmod +x fakegrub
	boot_cfg "$PWD/fakegrub"
	run -0 --separate-stderr "${XL}" create -n boot.cfg
	[ "${lines[0]}" = "bootloader: $PWD/fakegrub chose kernel $(cat dir.used)/kernel.x" ]
	[[ "${output}" == *'cmdline: '*'"root=/dev/xvda1 from-disk"'* ]]
	[[ "${output}" == *"elf: 64-bit"* ]]
	[ ! -e "$(cat dir.used)" ]
}

# Debian's own pygrub (xen-utils-4.17; scripts/fetch-pygrub.sh unpacks it
# into .lab/xen-utils): pygrub from the host's Xen if installed, else
# that copy.  It reads grub.cfg from an ext4 image through its xenfsimage
# plugins and writes xl's bootloader protocol.
real_pygrub() {
	local root="${TOP}/.lab/xen-utils" lib
	PYGRUB=/usr/lib/xen-4.17/bin/pygrub
	[ -x "${PYGRUB}" ] && return 0
	PYGRUB="${root}/usr/lib/xen-4.17/bin/pygrub"
	[ -x "${PYGRUB}" ] || return 1
	lib="${root}/usr/lib/xen-4.17/lib/x86_64-linux-gnu"
	export XEN_FSIMAGE_FSDIR="${lib}/xenfsimage"
	export LD_LIBRARY_PATH="${lib}"
}

@test "bootloader: Debian's pygrub boots grub.cfg's default entry from ext4" {
	real_pygrub || skip "no pygrub: run scripts/fetch-pygrub.sh (Debian's xen-utils-4.17, unpacked)"
	command -v mke2fs > /dev/null || skip "no mke2fs (e2fsprogs)"
	mkdir -p fs/boot/grub
	cp "${K}/pvh64.elf" fs/boot/vmlinuz-old
	cp "${K}/pvh32.elf" fs/boot/vmlinuz-new
	head -c 12345 /dev/urandom > fs/boot/initrd.img-new
	# Two entries and default=1: pygrub -q takes the second.
	cat > fs/boot/grub/grub.cfg <<-'EOF2'
		set default=1
		set timeout=5
		menuentry 'Debian GNU/Linux, old kernel' {
			linux /boot/vmlinuz-old root=/dev/xvda ro old
		}
		menuentry 'Debian GNU/Linux' {
			linux /boot/vmlinuz-new root=/dev/xvda ro console=hvc0 quiet
			initrd /boot/initrd.img-new
		}
	EOF2
	mke2fs -q -t ext4 -d fs disk.img 8M
	boot_cfg "${PYGRUB}"
	run -0 --separate-stderr "${XL}" create -n boot.cfg
	[[ "${lines[0]}" == "bootloader: ${PYGRUB} chose kernel /tmp/xl-lite-boot."*"/boot_kernel."*", ramdisk /tmp/xl-lite-boot."*"/boot_ramdisk."* ]]
	[[ "${output}" == *'cmdline: '*'"root=/dev/xvda ro console=hvc0 quiet"'* ]]
	# The 32-bit kernel of the second entry, and its initrd, whole.
	[[ "${output}" == *"elf: 32-bit"* ]]
	[[ "${output}" == *"ramdisk: ["*") size 12345"* ]]
	# Nothing of pygrub's output is left behind.
	local k="${lines[0]#*chose kernel }"
	k="${k%%, ramdisk*}"
	[ ! -e "${k%/*}" ]
}

@test "bootloader: not installed, or no disk: create says so" {
	cat > boot.cfg <<-'EOF2'
		type = "pvh"
		name = "b1"
		bootloader = "xl-lite-no-such-bootloader"
		disk = [ "/nonexistent.img,raw,xvda,rw" ]
	EOF2
	run -1 --separate-stderr "${XL}" create -n boot.cfg
	[[ "${stderr}" == *"bootloader: xl-lite-no-such-bootloader is not installed"*"pygrub"* ]]
	cat > boot.cfg <<-EOF2
		type = "pvh"
		name = "b1"
		bootloader = "/bin/true"
	EOF2
	run -1 --separate-stderr "${XL}" create -n boot.cfg
	[[ "${stderr}" == *"bootloader: /bin/true needs a disk to read (disk = [...])"* ]]
}
