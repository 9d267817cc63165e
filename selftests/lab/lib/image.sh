# SPDX-License-Identifier: GPL-2.0
#
# Boot images for L1, cached under $BUILD keyed on their inputs.
# Sourced by selftests/lab/run.

# Reads a little-endian unsigned integer of SIZE bytes at OFFSET of FILE.
le_read()
{
	od -An -tu"$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

# cache_keep DIR FILE: FILE was just used; all but the newest few images
# in DIR go.  A run beside this one may still be reading an older one,
# hence a few, not one.
cache_keep()
{
	local f

	touch "$2"
	find "$1" -maxdepth 1 -type f \( -name 'l1-*.img' -o -name 'l1-*.iso' \) \
		-printf '%T@ %p\n' | sort -rn | tail -n +4 | cut -d' ' -f2- |
	while read -r f; do
		rm -f "$f" "$f.lock"
	done
}

# The ELF vmlinux inside a bzImage.  The boot protocol header
# (Documentation/x86/boot.rst) gives the protected-mode code's start
# ((setup_sects + 1) * 512) and, from protocol 2.08 on, the compressed
# payload's offset and length within it; Debian compresses with xz.  The
# last four bytes of the payload hold the uncompressed size, which xz would
# take for a second stream, hence --single-stream.
lab_vmlinux()
{
	local bz=$1 out key setup off len

	key="$bz $(stat -c '%s-%Y' "$bz")"
	out="$BUILD/kernel/vmlinux-$KVER"
	if [ -s "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
		VMLINUX=$out
		return
	fi
	mkdir -p "$BUILD/kernel"
	[ "$(head -c 518 "$bz" | tail -c 4)" = HdrS ] ||
		die "$bz is not a bzImage (no HdrS signature)"
	setup=$(le_read "$bz" $((0x1f1)) 1)
	[ "$setup" -eq 0 ] && setup=4
	off=$(le_read "$bz" $((0x248)) 4)
	len=$(le_read "$bz" $((0x24c)) 4)
	off=$(( (setup + 1) * 512 + off ))
	dd if="$bz" bs=1M iflag=skip_bytes,count_bytes skip="$off" \
		count="$len" status=none | xz -dc --single-stream > "$out.$$" ||
		die "cannot extract the xz payload of $bz"
	# Key off first: a run beside this one must not pair the new key
	# with the old file; it extracts again instead.
	rm -f "$out.key"
	mv "$out.$$" "$out"
	echo "$key" > "$out.key.$$"
	mv "$out.key.$$" "$out.key"
	VMLINUX=$out
}

lab_cmdline()
{
	local cpus=$1

	# quiet + loglevel: errors, oopses and panics reach the console,
	# ordinary boot chatter does not; /init raises it to warnings.
	# oops=panic: a broken module stops the run at once instead of
	# leaving a hung L1 to time out.  cryptomgr.notests saves ~10 s of
	# emulated crypto self-tests.  page_poison=1: Debian's kernel has no
	# KASAN, but it fills freed pages with a pattern and checks it when
	# they are handed out again, which catches a write to a guest page
	# kxen freed too early (kmod/core/gmem.c).
	printf '%s' "console=ttyS0,115200 quiet loglevel=4 printk.time=1" \
		" oops=panic panic=0 cryptomgr.notests mitigations=off" \
		" random.trust_cpu=on page_poison=1 rdinit=/init"
	[ "$cpus" = 1 ] && printf '%s' " nosmp"
	[ -n "${LAB_CMDLINE:-}" ] && printf ' %s' "$LAB_CMDLINE"
	echo
}

# lab_iso BZIMAGE INITRD CMDLINE: a GRUB rescue ISO (BIOS) booting them.
lab_iso()
{
	local bz=$1 initrd=$2 cmdline=$3 key dir

	key=$(printf '%s' "$cmdline" | cat - "$bz" "$initrd" | sha256sum |
	      cut -c1-16)
	ISO="$BUILD/iso/l1-$key.iso"
	mkdir -p "$BUILD/iso"
	if [ -s "$ISO" ]; then
		cache_keep "$BUILD/iso" "$ISO"
		return
	fi
	dir="$RUNDIR/iso-root"
	mkdir -p "$dir/boot/grub"
	cp "$bz" "$dir/boot/vmlinuz"
	cp "$initrd" "$dir/boot/initrd"
	cat > "$dir/boot/grub/grub.cfg" <<-EOF
	set timeout=0
	set default=0
	serial --unit=0 --speed=115200
	terminal_output serial
	menuentry "kxen lab L1" {
		linux /boot/vmlinuz $cmdline
		initrd /boot/initrd
	}
	EOF
	grub-mkrescue -o "$ISO.$$" "$dir" \
		--install-modules="linux normal serial terminal iso9660 biosdisk" \
		--modules="linux normal serial" \
		--locales= --fonts= --themes= >"$RUNDIR/mkrescue.log" 2>&1 ||
		die "grub-mkrescue failed (see $RUNDIR/mkrescue.log)"
	mv "$ISO.$$" "$ISO"
	rm -rf "$dir"
	cache_keep "$BUILD/iso" "$ISO"
}

# lab_disk VMLINUX INITRD CMDLINE: the fast path's raw disk, pvhboot's
# loader followed by the flat kernel, the initrd and hvm_start_info.
lab_disk()
{
	local vmlinux=$1 initrd=$2 cmdline=$3 tooldir="$RUNDIR/pvhboot" key

	make -s -C "$LAB_DIR/pvhboot" O="$tooldir" ||
		die "building the PVH loader failed"
	key=$(printf '%s' "$cmdline" |
	      cat - "$tooldir/pvhboot.bin" "$vmlinux.key" "$initrd" |
	      sha256sum | cut -c1-16)
	DISK="$BUILD/disk/l1-$key.img"
	mkdir -p "$BUILD/disk"
	if [ ! -s "$DISK" ]; then
		"$tooldir/mkpvhdisk" -l "$tooldir/pvhboot.bin" -k "$vmlinux" \
			-i "$initrd" -c "$cmdline" -o "$DISK.$$" ||
			die "mkpvhdisk failed"
		mv "$DISK.$$" "$DISK"
	fi
	cache_keep "$BUILD/disk" "$DISK"
}
