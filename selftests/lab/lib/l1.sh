# SPDX-License-Identifier: GPL-2.0
#
# Building L1's initramfs: busybox, the /init runner, the kxen payload and
# the selftests.  Sourced by selftests/lab/run.
#
# Payload contract (what a selftest may rely on inside L1):
#   $KXEN_KO      /kxen/kxen.ko, the module (debug info stripped); tests
#                 insmod/rmmod it themselves
#   $KXEN_GUESTS  /kxen/guests, guest-frontends/build/*.elf
#   xl-lite       on PATH (/usr/bin), with the shared libraries it needs
#   xenstore-*    Debian's xenstore-utils on PATH, when the host has them
#   python3       with python3-pyxs and just the modules it needs, when the
#                 host has them (no site: add /usr/lib/python3/dist-packages)
#   /selftests/   every executable and every *.sh from selftests/kxen/
#                 (top level, not recursive; data files a test needs go in
#                 selftests/kxen/data/, copied to /selftests/data/), plus
#                 the lab's own lab-smoke
#   /lib/modules/$(uname -r)/kernel/...  the L1 kernel's modules named in
#                 selftests/lab/l1/modules.list
#   /kxen/l2/     LAB_L2=1: Debian's kernel (vmlinux) and a busybox
#                 initramfs (initrd, with xen-blkfront.ko in
#                 /lib/modules/, diskbench, netbench and xdpcheck in /bin);
#                 LAB_DEBIAN=1: also a Debian 12 userland
#                 with systemd as an initramfs (debian.cpio) and
#                 as an ext4 image (debian.ext4), Debian's stock initrd
#                 of the kernel (initrd.img), and the workload's
#                 expected results (debian.expected)
#   /kxen/install/  a test with "# lab-stage: install": the tree of
#                 make install DESTDIR=, with the module as DKMS builds
#                 it on the host (when it has dkms) at
#                 lib/modules/KVER/updates/dkms/kxen.ko (lib/install.sh)
#   /extra/       LAB_EXTRA=DIR: a copy of DIR (files a tool outside the
#                 project builds for a test, e.g. selftests/xtf/run's
#                 XTF kernels); absent otherwise
#   KXEN_LAB=1, KXEN_LAB_EMULATOR=bochs|qemu

# Where the payload comes from; each can be pointed elsewhere to run the
# lab against another build.
: "${LAB_KO:=$ROOT/kxen.ko}"
: "${LAB_XL:=$ROOT/tools/xl-lite/xl-lite}"
: "${LAB_GUESTS:=$ROOT/guest-frontends/build}"
: "${LAB_SELFTESTS:=$ROOT/selftests/kxen}"
: "${LAB_BUSYBOX:=/bin/busybox}"

# The Debian kernel version whose headers are installed: the module is
# built against it and L1 boots it.  The host may run another kernel, so
# this is not `uname -r`.  LAB_KVER overrides.
lab_kver()
{
	local d v best=

	if [ -n "${LAB_KVER:-}" ]; then
		echo "$LAB_KVER"
		return
	fi
	for d in /usr/src/linux-headers-*-amd64; do
		[ -d "$d" ] || continue
		v=${d#/usr/src/linux-headers-}
		[ -e "/boot/vmlinuz-$v" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V |
		       tail -n 1)
	done
	if [ -z "$best" ]; then
		die "no linux-headers-*-amd64 with a matching /boot/vmlinuz-*;" \
		    "install linux-image-amd64 and linux-headers-amd64"
	fi
	echo "$best"
}

lab_make()
{
	local kdir="/lib/modules/$KVER/build"

	[ -d "$kdir" ] || die "$kdir missing: install linux-headers-$KVER"
	log "building: make module tools guests selftests (KDIR=$kdir)"
	make -C "$ROOT" -j"$(nproc)" KDIR="$kdir" \
		module tools guests selftests ||
		die "build failed"
}

# Copies FILE to the same path under the staging root, following links.
stage_abs()
{
	mkdir -p "$STAGE$(dirname "$1")"
	cp -L "$1" "$STAGE$1"
}

# Every shared library (and the loader) each dynamic ELF needs.
stage_libs()
{
	local f lib

	for f in "$@"; do
		file_is_dynamic_elf "$f" || continue
		ldd "$f" | awk '/=> \// { print $3 } /^\t\// { print $1 }' |
		while read -r lib; do
			[ -e "$STAGE$lib" ] || stage_abs "$lib"
		done
	done
}

file_is_dynamic_elf()
{
	[ "$(head -c 4 "$1" 2>/dev/null)" = $'\x7fELF' ] || return 1
	LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'INTERP'
}

stage_selftests()
{
	local f name

	install -m 0755 "$LAB_DIR/l1/lab-smoke" "$STAGE/selftests/lab-smoke"
	[ -d "$LAB_SELFTESTS" ] || return 0
	for f in "$LAB_SELFTESTS"/*; do
		[ -f "$f" ] || continue
		name=${f##*/}
		case $name in
		*.sh)	install -m 0755 "$f" "$STAGE/selftests/$name" ;;
		*.c|*.h|*.o|*.d|*.md|*.txt|Makefile|*.mk) ;;
		*)	[ -x "$f" ] && install -m 0755 "$f" "$STAGE/selftests/$name"
			;;
		esac
	done
	if [ -d "$LAB_SELFTESTS/data" ]; then
		cp -r "$LAB_SELFTESTS/data" "$STAGE/selftests/data"
	fi
}

# The L1 kernel's own modules named in l1/modules.list.
stage_modules()
{
	local src="/lib/modules/$KVER/kernel" p

	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$LAB_DIR/l1/modules.list" |
	while read -r p; do
		if [ -f "$src/$p" ]; then
			mkdir -p "$STAGE/lib/modules/$KVER/kernel/$(dirname "$p")"
			cp "$src/$p" "$STAGE/lib/modules/$KVER/kernel/$p"
		else
			warn "L1 module $src/$p not found"
		fi
	done
}

# Debian's xenstore-utils: one binary that acts by the name it is run as.
stage_xenstore_tools()
{
	local t

	[ -x /usr/bin/xenstore ] || return 0
	install -m 0755 /usr/bin/xenstore "$STAGE/usr/bin/xenstore"
	for t in ls read write rm list exists chmod watch; do
		ln -sf xenstore "$STAGE/usr/bin/xenstore-$t"
	done
	# glibc dlopen()s libgcc_s when xenstore-watch cancels its reader
	# thread, so ldd does not list it.  awk reads all of its input: an
	# early exit would fail the pipe under pipefail.
	t=$(ldconfig -p |
	    awk '!p && /libgcc_s\.so\.1 .*x86-64/ { p = $NF } END { print p }')
	[ -n "$t" ] && stage_abs "$t"
	return 0
}

# Debian's e2fsprogs: mke2fs and e2fsck, for GRUB's disk image
# (l2_grub) and a file system in L1 that holds a guest's disk
# (l2_diskstress).  In /usr/sbin, clear of the links busybox installs.
stage_e2fsprogs()
{
	local t

	for t in mke2fs e2fsck; do
		[ -x "/sbin/$t" ] || return 0
		install -m 0755 "/sbin/$t" "$STAGE/usr/sbin/$t"
	done
	[ -r /etc/mke2fs.conf ] && stage_abs /etc/mke2fs.conf
	return 0
}

# Debian's python3 with python3-pyxs, cut down to the modules the pyxs
# test imports (found by importing them on the host) and their compiled
# copies, about 8 MB instead of the whole standard library.
stage_pyxs()
{
	local py=/usr/bin/python3 f c

	"$py" -c 'import pyxs' 2>/dev/null || return 0
	install -m 0755 "$(readlink -f "$py")" "$STAGE/usr/bin/python3"
	"$py" -I -S -c '
import sys
sys.path.append("/usr/lib/python3/dist-packages")
import os, time, threading, pyxs, pyxs.client, pyxs.connection
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if f:
        print(f)' |
	while read -r f; do
		stage_abs "$f"
		c="${f%/*}/__pycache__/$(basename "${f%.py}").cpython-*.pyc"
		for c in $c; do
			[ -f "$c" ] && stage_abs "$c"
		done
	done
}

stage_payload()
{
	local g

	if [ -f "$LAB_KO" ]; then
		strip --strip-debug -o "$STAGE/kxen/kxen.ko" "$LAB_KO"
	else
		warn "no module at $LAB_KO: tests that load it will fail"
	fi
	if [ -f "$LAB_XL" ]; then
		install -m 0755 "$LAB_XL" "$STAGE/usr/bin/xl-lite"
	else
		warn "no xl-lite at $LAB_XL"
	fi
	for g in "$LAB_GUESTS"/*.elf; do
		[ -f "$g" ] && cp "$g" "$STAGE/kxen/guests/"
	done
	stage_modules
	stage_selftests
	stage_xenstore_tools
	stage_e2fsprogs
	stage_pyxs
	[ "${LAB_L2:-0}" = 1 ] || [ "${LAB_DEBIAN:-0}" = 1 ] && stage_l2
	[ "${LAB_DEBIAN:-0}" = 1 ] && stage_debian
	tests_want_stage install && stage_install
	if [ -n "${LAB_EXTRA:-}" ]; then
		[ -d "$LAB_EXTRA" ] || die "LAB_EXTRA=$LAB_EXTRA is not a directory"
		cp -r "$LAB_EXTRA" "$STAGE/extra"
	fi
	stage_libs "$STAGE"/usr/bin/* "$STAGE"/usr/sbin/* "$STAGE"/selftests/* \
		"$STAGE"/selftests/data/*
}

# LAB_L2=1: the L2 guest too, in /kxen/l2/: Debian's kernel as an ELF
# vmlinux (decompressed on the host: inside the emulator that would take
# a minute) and a busybox initramfs whose /init is selftests/lab/l2/init.
stage_l2()
{
	lab_vmlinux "/boot/vmlinuz-$KVER"
	mkdir -p "$STAGE/kxen/l2"
	cp "$VMLINUX" "$STAGE/kxen/l2/vmlinux"
	lab_l2_initrd "$STAGE/kxen/l2/initrd"
	# GRUB's PVH image and the kernel as a bzImage for it to load, for a
	# test that says "# lab-stage: grub".
	if tests_want_stage grub &&
	   [ -r /usr/lib/grub-xen/grub-i386-xen_pvh.bin ]; then
		cp /usr/lib/grub-xen/grub-i386-xen_pvh.bin \
			"$STAGE/kxen/l2/grub-pvh.bin"
		cp "/boot/vmlinuz-$KVER" "$STAGE/kxen/l2/vmlinuz"
	fi
}

# lab_l2_initrd OUT: the L2's busybox initramfs (also the peer lab's, for
# Xen's L1: selftests/lab/bench).
lab_l2_initrd()
{
	local root="${RUNDIR:-${TMPDIR:-/tmp}}/l2-root.$$"

	rm -rf "$root"
	# sbin and usr: busybox --install puts poweroff and reboot there,
	# where the kernel runs them for a xenstore shutdown request.
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev}
	install -m 0755 "$LAB_BUSYBOX" "$root/bin/busybox"
	install -m 0755 "$LAB_DIR/l2/init" "$root/init"
	# Its block and network frontends and two RAM disk drivers (the disk
	# benchmark's anchors inside the guest), from the same kernel package,
	# the disk and network benchmarks and the XDP check (static).
	mkdir -p "$root/lib/modules"
	cp "/lib/modules/$KVER/kernel/drivers/block/xen-blkfront.ko" \
		"/lib/modules/$KVER/kernel/drivers/block/brd.ko" \
		"/lib/modules/$KVER/kernel/drivers/block/null_blk/null_blk.ko" \
		"/lib/modules/$KVER/kernel/fs/configfs/configfs.ko" \
		"/lib/modules/$KVER/kernel/drivers/net/xen-netfront.ko" \
		"$root/lib/modules/"
	install -m 0755 "$LAB_SELFTESTS/data/diskbench" "$root/bin/diskbench"
	install -m 0755 "$LAB_SELFTESTS/data/netbench" "$root/bin/netbench"
	install -m 0755 "$LAB_SELFTESTS/data/xdpcheck" "$root/bin/xdpcheck"
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	 cpio --quiet -o -H newc -R 0:0 --reproducible) > "$1"
	rm -rf "$root"
}

# tests_want_stage WHAT: whether a test of this run says, with a line
# "# lab-stage: WHAT" in its script, that it needs that part of the
# image (debian-disk: the Debian disk image; grub: GRUB's PVH image and
# a bzImage).  Only those runs carry it: L1 unpacks every byte of its
# initramfs, and under Bochs 200 MiB more cost about a minute.
tests_want_stage()
{
	local t

	# An entry of the default list is "NAME TIMEOUT".
	for t in "${TESTS[@]}"; do
		grep -qsx "# lab-stage: $1" \
			"$LAB_SELFTESTS/${t%% *}.sh" && return 0
	done
	return 1
}

# LAB_DEBIAN=1: the Debian userland for the L2 kernel (lib/debian.sh),
# /kxen/l2/debian.cpio, with the workload's expected results beside it.
stage_debian()
{
	lab_debian
	cp "$DEBIAN_CPIO" "$STAGE/kxen/l2/debian.cpio"
	cp "$DEBIAN_EXPECTED" "$STAGE/kxen/l2/debian.expected"
	tests_want_stage debian-disk || return 0
	# The same system on an ext4 disk image, and Debian's own initrd for
	# the kernel (initramfs-tools: xen-blkfront, ext4) to boot it.
	cp "$DEBIAN_EXT4" "$STAGE/kxen/l2/debian.ext4"
	[ -r "/boot/initrd.img-$KVER" ] ||
		die "no /boot/initrd.img-$KVER: make it with update-initramfs -c -k $KVER"
	cp "/boot/initrd.img-$KVER" "$STAGE/kxen/l2/initrd.img"
}

# Builds $RUNDIR/l1-base.cpio(.gz): everything but the test list, which
# goes into a small archive appended per run (lab_initrd).
lab_initramfs()
{
	local out="$RUNDIR/l1-base.cpio"

	STAGE="$RUNDIR/l1-root"
	rm -rf "$STAGE"
	mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run}
	mkdir -p "$STAGE"/{selftests,kxen/guests,lab}
	install -m 0755 "$LAB_BUSYBOX" "$STAGE/bin/busybox"
	ln -s busybox "$STAGE/bin/sh"
	install -m 0755 "$LAB_DIR/l1/init" "$STAGE/init"
	stage_payload

	# Fixed owners and times keep the archive a function of its content.
	find "$STAGE" -exec touch -h -d @0 {} +
	(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort |
	 cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out.tmp"
	if [ "$LAB_INITRD_GZIP" = 1 ]; then
		gzip -n -1 < "$out.tmp" > "$out.gz"
		rm -f "$out.tmp"
		L1_BASE="$out.gz"
	else
		mv "$out.tmp" "$out"
		L1_BASE="$out"
	fi
}

# lab_initrd OUT EMULATOR TEST...: base archive + /lab/tests + /lab/config.
# LAB_ENV="NAME=VALUE ...": variables exported to every test in L1 (e.g.
# L2_BOOTS=30); a word that is not NAME=VALUE is an error.
lab_env_lines()
{
	local w

	for w in ${LAB_ENV:-}; do
		case $w in
		[A-Za-z_]*=*)
			case ${w%%=*} in
			*[!A-Za-z0-9_]*) die "LAB_ENV: not NAME=VALUE: $w" ;;
			esac
			printf 'export %s=%q\n' "${w%%=*}" "${w#*=}" ;;
		*)	die "LAB_ENV: not NAME=VALUE: $w" ;;
		esac
	done
}

lab_initrd()
{
	local out=$1 emu=$2 dir="$RUNDIR/l1-run" t
	shift 2

	rm -rf "$dir"
	mkdir -p "$dir/lab"
	for t in "$@"; do
		printf '%s\n' "$t"
	done > "$dir/lab/tests"
	{
		echo "LAB_EMULATOR=$emu"
		echo "DEFAULT_TIMEOUT=$TEST_TIMEOUT"
		lab_env_lines
	} > "$dir/lab/config"
	find "$dir" -exec touch -h -d @0 {} +
	(cd "$dir" && printf '%s\n' lab lab/tests lab/config |
	 cpio --quiet -o -H newc -R 0:0 --reproducible) > "$dir.cpio"
	cat "$L1_BASE" "$dir.cpio" > "$out"
	rm -rf "$STAGE" "$dir"
}
