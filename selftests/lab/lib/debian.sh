# SPDX-License-Identifier: GPL-2.0
#
# The Debian userland of the L2 guest (LAB_DEBIAN=1): a Debian 12 minbase
# system with systemd, built on the host by mmdebstrap from l2-debian/ and
# packed whole into one initramfs whose /init is systemd.  Cached under
# $BUILD/debian/, keyed on its inputs: the suite, the mirror, this file
# (the build's options) and the files of l2-debian/ (package list,
# customize hook, the guest's unit and script).
# Sourced by selftests/lab/run.

LAB_DEBIAN_SUITE=bookworm

# The Debian mirror this machine's apt uses (its first URI that serves the
# plain suite), unless LAB_DEBIAN_MIRROR names one.
debian_mirror()
{
	local m

	if [ -n "${LAB_DEBIAN_MIRROR:-}" ]; then
		echo "$LAB_DEBIAN_MIRROR"
		return
	fi
	m=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && !found {
			for (i = 2; i <= NF; i++) if ($i == s) { print u; found = 1 } }' \
		s="$LAB_DEBIAN_SUITE" /etc/apt/sources.list.d/*.sources 2>/dev/null)
	[ -n "$m" ] || m=$(awk -v s="$LAB_DEBIAN_SUITE" \
		'$1 == "deb" && $3 == s { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null)
	[ -n "$m" ] || die "no Debian mirror for $LAB_DEBIAN_SUITE in apt's sources: set LAB_DEBIAN_MIRROR"
	echo "$m"
}

# What a RAM disk need not hold: documentation, manuals, translations,
# udev's hardware database (names for PCI and USB ids) and glibc's
# character set converters, the leap-second time zones.
DEBIAN_EXCLUDE=(
	'/usr/share/doc/*' '/usr/share/man/*' '/usr/share/info/*'
	'/usr/share/locale/*' '/usr/share/lintian/*'
	'/usr/share/bash-completion/*' '/usr/share/zsh/*'
	'/lib/udev/hwdb.d/*' '/usr/lib/x86_64-linux-gnu/gconv/*'
	'/usr/share/zoneinfo/right/*'
)

# The same userland as an ext4 file system image (DEBIAN_EXT4), for the
# guest that boots from its disk: made from the initramfs with
# mkfs.ext4 -d, a third larger than its files plus 64 MiB for the
# journal and the guest's writes.  Cached beside the initramfs.
debian_ext4()
{
	local dir="$RUNDIR/debian-ext4" mib

	DEBIAN_EXT4=${DEBIAN_CPIO%.cpio}.ext4
	if [ -s "$DEBIAN_EXT4" ]; then
		touch "$DEBIAN_EXT4"
		return
	fi
	command -v mkfs.ext4 > /dev/null ||
		die "LAB_DEBIAN=1 needs mkfs.ext4 (apt-get install e2fsprogs)"
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && cpio --quiet -idm < "$DEBIAN_CPIO") ||
		die "unpacking the Debian userland failed"
	mib=$(du -sm "$dir" | cut -f1)
	mib=$((mib * 4 / 3 + 64))
	rm -f "$DEBIAN_EXT4.$$"
	truncate -s "${mib}M" "$DEBIAN_EXT4.$$"
	mkfs.ext4 -q -F -L kxen-debian -E root_owner=0:0 -d "$dir" \
		"$DEBIAN_EXT4.$$" > "$RUNDIR/mkfs.log" 2>&1 ||
		die "mkfs.ext4 failed (see $RUNDIR/mkfs.log)"
	rm -rf --one-file-system "$dir"
	mv "$DEBIAN_EXT4.$$" "$DEBIAN_EXT4"
	log "Debian userland: ext4 image of $mib MiB"
}

# Sets DEBIAN_CPIO (the initramfs) and DEBIAN_EXPECTED (the workload's
# results computed at build time by the image's own programs).
lab_debian()
{
	local src="$LAB_DIR/l2-debian" key out dir pkgs p t0=$SECONDS mirror
	local opts=()

	mirror=$(debian_mirror) || exit 2
	key=$({ echo "$LAB_DEBIAN_SUITE $mirror"
		cat "$LAB_DIR/lib/debian.sh" "$src/packages" "$src/customize" \
		    "$src/kxen-lab" "$src/kxen-lab.service"; } |
	      sha256sum | cut -c1-16)
	out="$BUILD/debian/debian-$key"
	DEBIAN_CPIO=$out.cpio
	DEBIAN_EXPECTED=$out.expected
	if [ -s "$DEBIAN_CPIO" ] && [ -s "$DEBIAN_EXPECTED" ]; then
		touch "$DEBIAN_CPIO" "$DEBIAN_EXPECTED"
		log "Debian userland: cached ${out##*/}.cpio"
		debian_ext4
		return
	fi
	command -v mmdebstrap > /dev/null ||
		die "LAB_DEBIAN=1 needs mmdebstrap (apt-get install mmdebstrap)"
	[ "$(id -u)" = 0 ] ||
		die "LAB_DEBIAN=1 builds the Debian image as root (mmdebstrap --mode=root)"
	for p in "${DEBIAN_EXCLUDE[@]}"; do
		opts+=(--dpkgopt="path-exclude=$p")
	done
	pkgs=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$src/packages" |
	       paste -sd, -)
	dir="$RUNDIR/debian-root"
	log "Debian userland: building ${out##*/} with mmdebstrap ($pkgs)"
	mkdir -p "$BUILD/debian"
	# merged-usr: /usr merged from the start, as debootstrap does for
	# bookworm, instead of the usrmerge package (and perl with it).
	timeout 1800 mmdebstrap --mode=root --variant=minbase \
		--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
		--format=directory --include="$pkgs" "${opts[@]}" \
		--aptopt='Acquire::Languages "none"' \
		--customize-hook="\"$src/customize\" \"\$1\" \"$src\"" \
		"$LAB_DEBIAN_SUITE" "$dir" "$mirror" \
		> "$RUNDIR/mmdebstrap.log" 2>&1 ||
		die "mmdebstrap failed (see $RUNDIR/mmdebstrap.log)"
	# Owners and modes as installed (this runs as root); fixed times.
	find "$dir" -exec touch -h -d @0 {} +
	(cd "$dir" && find . -mindepth 1 | LC_ALL=C sort |
	 cpio --quiet -o -H newc --reproducible) > "$out.cpio.$$" ||
		die "packing the Debian userland failed"
	cp "$dir/etc/kxen-lab/expected" "$out.expected.$$"
	rm -rf --one-file-system "$dir"
	# Only the newest two images stay.
	find "$BUILD/debian" -maxdepth 1 -name 'debian-*.cpio' -printf '%T@ %p\n' |
		sort -rn | tail -n +3 | cut -d' ' -f2- |
	while read -r p; do
		rm -f "$p" "${p%.cpio}.expected" "${p%.cpio}.ext4"
	done
	mv "$out.expected.$$" "$DEBIAN_EXPECTED"
	mv "$out.cpio.$$" "$DEBIAN_CPIO"
	log "Debian userland: $(stat -c %s "$DEBIAN_CPIO") bytes," \
	    "built in $((SECONDS - t0)) s"
	debian_ext4
}
