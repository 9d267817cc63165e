# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# kxen installed as a distribution package, for the lab test install_l1:
# the tree `make install DESTDIR=` lays out and, when the host has dkms,
# the module as DKMS builds it from that tree's /usr/src/kxen-VERSION for
# L1's kernel, at /lib/modules/KVER/updates/dkms/kxen.ko, where
# `dkms install` puts it.  L1 gets both in /kxen/install/.  Sourced by
# selftests/lab/run (through lib/l1.sh); uses ROOT, BUILD, KVER, RUNDIR,
# STAGE, log and die.

# lab_install_tree DIR: make install into DIR, from what is built.
lab_install_tree()
{
	rm -rf "$1"
	make -C "$ROOT" -s install DESTDIR="$1" PREFIX=/usr \
		> "$RUNDIR/install.log" 2>&1 ||
		die "make install failed (see $RUNDIR/install.log)"
}

# lab_dkms_ko TREE: the DKMS build of TREE's module source for KVER, in
# DKMS_KO; cached under $BUILD/dkms by the source's content, so that
# passes side by side build it once (the first waits for the lock).
lab_dkms_ko()
{
	local src ver key dir work

	src=$(echo "$1"/usr/src/kxen-*)
	[ -f "$src/dkms.conf" ] || die "no DKMS tree in $1/usr/src"
	ver=${src##*/kxen-}
	key=$( { echo "$KVER"; cd "$src" && find . -type f | LC_ALL=C sort |
		  xargs sha256sum; } | sha256sum | cut -c1-16)
	dir=$BUILD/dkms
	DKMS_KO=$dir/kxen-$key.ko
	mkdir -p "$dir"
	exec {lock}> "$dir/lock"
	flock "$lock"
	if [ ! -s "$DKMS_KO" ]; then
		log "building kxen.ko with dkms from the installed tree (KVER $KVER)"
		work=$(mktemp -d "$dir/work-XXXXXX")
		if dkms add -m kxen -v "$ver" --sourcetree "$1/usr/src" \
			--dkmstree "$work" > "$work.log" 2>&1 &&
		   dkms build -m kxen -v "$ver" -k "$KVER" \
			--sourcetree "$1/usr/src" --dkmstree "$work" \
			>> "$work.log" 2>&1; then
			cp "$work/kxen/$ver/$KVER/x86_64/module/kxen.ko" \
				"$DKMS_KO.tmp" && mv "$DKMS_KO.tmp" "$DKMS_KO" &&
				rm -f "$work.log"
		fi
		rm -rf "$work"
		# Only the newest few stay.
		find "$dir" -maxdepth 1 -name 'kxen-*.ko' -printf '%T@ %p\n' |
			sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -f
	fi
	flock -u "$lock"
	exec {lock}>&-
	[ -s "$DKMS_KO" ] || die "dkms build failed (see $work.log)"
}

# lab_install_warm: the DKMS build done once before passes side by side
# stage the tree (run --build-only).
lab_install_warm()
{
	local root="$RUNDIR/install-root"

	command -v dkms > /dev/null || return 0
	lab_install_tree "$root"
	lab_dkms_ko "$root"
	rm -rf "$root"
}

# stage_install: /kxen/install/ in L1: the installed tree, with the
# DKMS-built module when the host has dkms (install_l1 says so when not).
stage_install()
{
	local root="$RUNDIR/install-root" m

	lab_install_tree "$root"
	if command -v dkms > /dev/null; then
		lab_dkms_ko "$root"
		m=$root/lib/modules/$KVER/updates/dkms
		mkdir -p "$m"
		strip --strip-debug -o "$m/kxen.ko" "$DKMS_KO"
	fi
	cp -a "$root" "$STAGE/kxen/install"
	rm -rf "$root"
}
