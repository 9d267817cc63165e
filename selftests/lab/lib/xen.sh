# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's Xen 4.17 as an L1 of the lab: the hypervisor under QEMU TCG
# with Debian's kernel as a PV dom0 and Debian's toolstack, the reference
# kxen is compared with.  Sourced by selftests/xtf/run (XTF under both)
# and selftests/lab/bench (the peer benchmarks); uses ROOT, BUILD, log
# and die, and KVER once xen_dom0_kernel has run.
#
# Under QEMU 7.2 TCG (-cpu max: AMD SVM with NPT) Xen needs smap=hvm: with
# SMAP on, Xen's writes to a PV dom0's stack fault and dom0 dies at its
# start.  A PV dom0 refuses "nosmp"; dom0_max_vcpus=1 keeps it to one.

XEN_VER=4.17
XEN_DIR=$BUILD/xen-$XEN_VER
XEN_PKGS="xen-hypervisor-$XEN_VER-amd64 xen-utils-$XEN_VER xen-utils-common
	libxenmisc$XEN_VER libxenstore4 libxencall1 libxenevtchn1
	libxenforeignmemory1 libxengnttab1 libxentoollog1 libxentoolcore1
	libxendevicemodel1 libxenhypfs1 libyajl2"
XEN_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=1 noreboot smap=hvm"
DOM0_CMDLINE="console=hvc0 quiet loglevel=4 oops=panic panic=0 cryptomgr.notests mitigations=off random.trust_cpu=on rdinit=/init"

# Debian's packages, downloaded (apt-get download) and unpacked into
# $XEN_DIR/root, not installed; kept for the next run.
xen_fetch()
{
	local p

	if [ -x "$XEN_DIR/root/usr/lib/xen-$XEN_VER/bin/xl" ] &&
	   [ -s "$XEN_DIR/xen.elf" ]; then
		return 0
	fi
	log "xen: fetching Debian's Xen $XEN_VER packages (apt-get download)"
	mkdir -p "$XEN_DIR/debs"
	for p in $XEN_PKGS; do
		ls "$XEN_DIR/debs/${p}_"*.deb > /dev/null 2>&1 && continue
		(cd "$XEN_DIR/debs" && apt-get download -q "$p" > /dev/null 2>&1) ||
			die "apt-get download $p failed (Debian's package registry)"
	done
	rm -rf "$XEN_DIR/root"
	mkdir -p "$XEN_DIR/root"
	for p in "$XEN_DIR"/debs/*.deb; do
		dpkg-deb -x "$p" "$XEN_DIR/root" || die "dpkg-deb -x $p failed"
	done
	zcat "$XEN_DIR/root/boot/xen-$XEN_VER-amd64.gz" > "$XEN_DIR/xen.elf" ||
		die "no Xen hypervisor in xen-hypervisor-$XEN_VER-amd64"
}

# xen_libs STAGE FILE...: the shared libraries of each FILE, Xen's from
# the unpacked packages, the others from this (Debian) host.
xen_libs()
{
	local s=$1 xr=$XEN_DIR/root f lib d
	shift

	for f in "$@"; do
		[ "$(head -c 4 "$f" 2>/dev/null)" = $'\x7fELF' ] || continue
		LD_LIBRARY_PATH="$xr/usr/lib/x86_64-linux-gnu:$xr/lib/x86_64-linux-gnu" \
			ldd "$f" 2>/dev/null |
		awk '/=> \// { print $3 } /^\t\// { print $1 }' |
		while read -r lib; do
			d=${lib#"$xr"}
			[ -e "$s$d" ] && continue
			mkdir -p "$s$(dirname "$d")"
			cp -L "$lib" "$s$d"
		done
	done
	# glibc dlopen()s libgcc_s for pthread_cancel (xl does that), so
	# ldd does not list it.  awk reads all its input (pipefail).
	lib=$(ldconfig -p |
	      awk '!p && /libgcc_s\.so\.1 .*x86-64/ { p = $NF } END { print p }')
	if [ -n "$lib" ] && [ ! -e "$s$lib" ]; then
		mkdir -p "$s$(dirname "$lib")"
		cp -L "$lib" "$s$lib"
	fi
}

# xen_stage_kmods STAGE PATH...: modules of dom0's kernel, PATH under
# its kernel/ directory, at the same place in STAGE.
xen_stage_kmods()
{
	local s=$1 m

	shift
	for m in "$@"; do
		mkdir -p "$s/lib/modules/$KVER/kernel/$(dirname "$m")"
		cp "/lib/modules/$KVER/kernel/$m" "$s/lib/modules/$KVER/kernel/$m" ||
			die "no $m for $KVER"
	done
}

# xen_stage_base STAGE: what every Xen L1 initramfs holds: busybox, the
# toolstack (xl, xenstored, xenconsoled, xen-init-dom0) with its
# libraries, dom0's Xen drivers, and selftests/lab/xen/init as /init.
# The caller adds /payload, the script /init runs once Xen is up.
xen_stage_base()
{
	local s=$1 xb=/usr/lib/xen-$XEN_VER/bin b m

	rm -rf "$s"
	mkdir -p "$s"/{bin,sbin,usr/bin,usr/sbin,etc/xen,proc,sys,dev,tmp,run}
	mkdir -p "$s"/{var/lib,var/log,selftests/data,"$xb"}
	install -m 0755 /bin/busybox "$s/bin/busybox"
	ln -s busybox "$s/bin/sh"
	# xenstored's socket is /var/run/xenstored/socket.
	ln -s ../run "$s/var/run"
	for b in xl xenstored xenconsoled xenconsole xen-init-dom0; do
		install -m 0755 "$XEN_DIR/root$xb/$b" "$s$xb/$b" ||
			die "no $b in Debian's xen-utils-$XEN_VER"
	done
	cp "$XEN_DIR/root/etc/xen/xl.conf" "$s/etc/xen/"
	for m in xen-evtchn xen-privcmd xen-gntdev xen-gntalloc xenfs/xenfs; do
		xen_stage_kmods "$s" "drivers/xen/$m.ko"
	done
	xen_libs "$s" "$s$xb"/*
	install -m 0755 "$ROOT/selftests/lab/xen/init" "$s/init"
}

# xen_pack STAGE OUT: the stage as a newc archive, then the stage removed.
xen_pack()
{
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
	 cpio --quiet -o -H newc -R 0:0 --reproducible) > "$2" ||
		die "cannot pack the Xen L1 initramfs $2"
	rm -rf "$1"
}

# xen_qemu_args CPUS MEM SERIAL L1CPIO: QEMU's arguments for one Xen L1
# boot, in $XEN_QEMU_ARGS: the lab's machine (selftests/lab/lib/emu.sh),
# Xen as the multiboot kernel, dom0's kernel and initramfs its modules.
xen_qemu_args()
{
	XEN_QEMU_ARGS=(-cpu max -m "$2" -smp "$1" -nographic -monitor none
		-no-reboot -display none -serial "file:$3"
		-rtc base=2024-01-01T00:00:00,clock=vm
		-kernel "$XEN_DIR/xen.elf" -append "$XEN_CMDLINE"
		-initrd "$DOM0_KERNEL $DOM0_CMDLINE,$4")
}

# xen_iso L1CPIO OUT: a GRUB rescue ISO (BIOS) booting Xen by multiboot2
# with dom0's kernel and L1CPIO as its modules, for Bochs, which has no
# -kernel; built again only when an input changed.
xen_iso()
{
	local key dir

	key=$(printf '%s %s' "$XEN_CMDLINE" "$DOM0_CMDLINE" |
	      cat - "$XEN_DIR/xen.elf" "$DOM0_KERNEL" "$1" | sha256sum | cut -c1-16)
	if [ -s "$2" ] && [ "$(cat "$2.key" 2>/dev/null)" = "$key" ]; then
		return 0
	fi
	dir=$XEN_DIR/iso-root
	rm -rf "$dir"
	mkdir -p "$dir/boot/grub"
	cp "$XEN_DIR/xen.elf" "$dir/boot/xen"
	cp "$DOM0_KERNEL" "$dir/boot/dom0"
	cp "$1" "$dir/boot/l1.cpio"
	cat > "$dir/boot/grub/grub.cfg" <<-EOF
	set timeout=0
	set default=0
	serial --unit=0 --speed=115200
	terminal_output serial
	menuentry "Xen $XEN_VER, lab L1" {
		# Bochs's text display has no graphics modes to offer the
		# framebuffer Xen's multiboot2 header asks for, nor Xen a
		# VESA mode of its own choosing: text, as GRUB leaves it.
		set gfxpayload=text
		multiboot2 /boot/xen $XEN_CMDLINE vga=current
		module2 /boot/dom0 $DOM0_CMDLINE
		module2 /boot/l1.cpio
	}
	EOF
	grub-mkrescue -d /usr/lib/grub/i386-pc -o "$2.tmp" "$dir" \
		--install-modules="multiboot2 normal serial terminal iso9660 biosdisk" \
		--modules="multiboot2 normal serial" \
		--locales= --fonts= --themes= > "$XEN_DIR/mkrescue.log" 2>&1 ||
		die "grub-mkrescue failed (see $XEN_DIR/mkrescue.log)"
	mv "$2.tmp" "$2"
	echo "$key" > "$2.key"
	rm -rf "$dir"
}

# xen_bochs_start CPUS MEM ISO SERIAL PREFIX LIMIT: the Xen L1 of ISO
# (xen_iso) under Bochs in the background, its serial console in SERIAL,
# its files at PREFIX.bochsrc, .bochsdbg and .bochs; pid in EMU_PID.
# Needs selftests/lab/lib/emu.sh (bochs_rc, bochs_drain_screen).
xen_bochs_start()
{
	local prefix=$5

	# bochs_rc reads these.
	CPUS=$1 LAB_MEM=$2 RUNDIR=$(dirname "$prefix")
	bochs_rc "$prefix.bochsrc" cdrom "$3" "$4"
	# No VBE: the term display has no graphics modes, and GRUB's
	# multiboot2 loader would set one for Xen's framebuffer.
	echo "vga: extension=none" >> "$prefix.bochsrc"
	printf 'continue\nquit\n' > "$prefix.bochsdbg"
	TERM=xterm timeout -k 5 "$6" bochs-bin -q -unlock \
		-f "$prefix.bochsrc" -rc "$prefix.bochsdbg" \
		< /dev/null > "$prefix.bochs" 2>&1 &
	EMU_PID=$!
	bochs_drain_screen "$prefix.bochs" &
}

# The Debian kernel of the lab (its headers installed), as an ELF: Xen
# takes dom0's kernel as a multiboot module and an ELF needs no
# unpacking inside the emulator.
xen_dom0_kernel()
{
	# shellcheck source=selftests/lab/lib/l1.sh
	. "$ROOT/selftests/lab/lib/l1.sh"
	# shellcheck source=selftests/lab/lib/image.sh
	. "$ROOT/selftests/lab/lib/image.sh"
	KVER=$(lab_kver)
	lab_vmlinux "/boot/vmlinuz-$KVER"
	DOM0_KERNEL=$VMLINUX
}

