#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make deb: kxen as Debian packages, built from what `make install` lays
# out, so that no file is listed twice.
#
#   scripts/deb.sh OUTDIR      (VERSION set, as for make install)
#
# The tree (git's files, else all but build/ and .lab/) is copied to
# OUTDIR/work/src and installed from there with PREFIX=/usr into
# OUTDIR/work/root, xl-lite built with dpkg-buildflags' flags.  The
# installed files are then shared out:
#   kxen-dkms (all)     /usr/src/kxen-VERSION, /etc/modules-load.d and
#                       man4: the module, its loading and its page
#   kxen-utils (amd64)  all the rest: xl-lite (stripped), its page and
#                       completion, kxen-domains and its unit and
#                       defaults
# but for make install's manifest (dpkg keeps the list of a package's
# files) and the links that kxen-utils.postinst makes with
# update-alternatives instead (xl).  Each package gets its copyright and
# changelog, conffiles (its files in /etc), md5sums and maintainer
# scripts from dist/deb/, and its control from dist/deb/control through
# dpkg-shlibdeps and dpkg-gencontrol; dpkg-deb builds
# OUTDIR/PACKAGE_VERSION_ARCH.deb.  OUTDIR is emptied first and holds
# only the .debs at the end.
#
# The package version is VERSION, but for a leading "v" dropped, "-"
# made "+" (git describe's TAG-N-gHASH), and "0~" put before one that
# does not start with a digit; the DKMS tree keeps VERSION itself.
# The maintainer is DEBFULLNAME <DEBEMAIL> where DEBEMAIL is set, else
# the author of git's HEAD; the date SOURCE_DATE_EPOCH, else HEAD's.

set -eu

top=$(cd "$(dirname "$0")/.." && pwd -P)
deb=$top/dist/deb

if [ $# -ne 1 ] || [ -z "${VERSION:-}" ]; then
	echo "Usage: VERSION=... $0 OUTDIR" >&2
	exit 2
fi
mkdir -p "$1"
out=$(cd "$1" && pwd -P)
case $out in
"$top"|/)
	echo "deb: OUTDIR must be a directory of its own, not $out" >&2
	exit 2
	;;
esac
for t in dpkg-deb dpkg-gencontrol dpkg-shlibdeps dpkg-buildflags; do
	command -v "$t" > /dev/null ||
		{ echo "deb: no $t (apt-get install dpkg-dev)" >&2; exit 2; }
done

debver=$(printf '%s\n' "$VERSION" | sed -e 's/^v\([0-9]\)/\1/' -e 's/-/+/g')
case $debver in
[0-9]*) ;;
*) debver=0~$debver ;;
esac

git_head()
{
	[ -e "$top/.git" ] && git -C "$top" log -1 --format="$1" 2>/dev/null
}

if [ -n "${DEBEMAIL:-}" ]; then
	maintainer="${DEBFULLNAME:-kxen} <$DEBEMAIL>"
elif ! maintainer=$(git_head '%an <%ae>') || [ -z "$maintainer" ]; then
	echo "deb: no maintainer: set DEBEMAIL (and DEBFULLNAME)" >&2
	exit 2
fi
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git_head %ct) || SOURCE_DATE_EPOCH=$(date +%s)
fi
export SOURCE_DATE_EPOCH

rm -rf "$out"
work=$out/work
src=$work/src
root=$work/root
mkdir -p "$src" "$work/debian"

echo "Building the packages of kxen $VERSION (version $debver) in $out:"

# The source: git's files (tracked, and new ones not ignored), else the
# tree without what builds and the lab leave.
if [ -e "$top/.git" ]; then
	(cd "$top" && git -c core.quotePath=false ls-files --cached --others \
		--exclude-standard | while IFS= read -r f; do
			[ -e "$f" ] && printf '%s\n' "$f"
		done) > "$work/src.list"
	tar -C "$top" -cf - -T "$work/src.list" | tar -xf - -C "$src"
else
	tar -C "$top" --exclude=./build --exclude=./.lab -cf - . |
		tar -xf - -C "$src"
fi

# Built and installed as make install does, with Debian's build flags.
(
	cd "$src"
	DEB_BUILD_MAINT_OPTIONS=${DEB_BUILD_MAINT_OPTIONS:-hardening=+all}
	export DEB_BUILD_MAINT_OPTIONS
	eval "$(dpkg-buildflags --export=sh)"
	make -s -C tools/xl-lite clean > /dev/null
	make -s install DESTDIR="$root" PREFIX=/usr VERSION="$VERSION" \
		> "$work/install.log"
)

sed "s|@MAINTAINER@|$maintainer|" "$deb/control" > "$work/debian/control"
cat > "$work/debian/changelog" <<EOF
kxen ($debver) unstable; urgency=medium

  * kxen $VERSION, packaged by make deb.

 -- $maintainer  $(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")
EOF
packages=$(sed -n 's/^Package: //p' "$work/debian/control")

# package_of PATH: the package PATH (relative to the root) goes in; none
# for make install's manifest and for the links kxen-utils' postinst
# makes as alternatives.
package_of()
{
	case $1 in
	usr/lib/kxen/manifest)
		return
		;;
	esac
	if [ -L "$root/$1" ] &&
	   grep -Eq "(^|[[:space:]])/$1([[:space:]]|\$)" "$deb/kxen-utils.postinst"; then
		return
	fi
	case $1 in
	usr/src/*|etc/modules-load.d/*|usr/share/man/man4/*)
		echo kxen-dkms
		;;
	*)
		echo kxen-utils
		;;
	esac
}

(cd "$root" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort) > "$work/files"
for p in $packages; do
	: > "$work/$p.files"
done
while IFS= read -r f; do
	p=$(package_of "$f")
	[ -z "$p" ] || printf '%s\n' "$f" >> "$work/$p.files"
done < "$work/files"

is_elf()
{
	[ "$(dd if="$1" bs=4 count=1 2>/dev/null)" = "$(printf '\177ELF')" ]
}

for p in $packages; do
	stage=$work/debian/$p
	mkdir -p "$stage/DEBIAN" "$stage/usr/share/doc/$p"
	tar -C "$root" -cf - -T "$work/$p.files" | tar -xf - -C "$stage"
	install -m 644 "$deb/copyright" "$stage/usr/share/doc/$p/copyright"
	gzip -9n < "$work/debian/changelog" > "$stage/usr/share/doc/$p/changelog.gz"
	chmod 644 "$stage/usr/share/doc/$p/changelog.gz"

	# as dh_strip does for programs; their libraries make Depends
	: > "$work/$p.elf"
	find "$stage" -type f -perm -u+x ! -path "$stage/DEBIAN/*" |
		LC_ALL=C sort > "$work/$p.exec"
	while IFS= read -r f; do
		if is_elf "$f"; then
			strip --remove-section=.comment --remove-section=.note "$f"
			echo "$f" >> "$work/$p.elf"
		fi
	done < "$work/$p.exec"
	: > "$work/debian/$p.substvars"
	if [ -s "$work/$p.elf" ]; then
		# shellcheck disable=SC2046 # one path a line, no blanks
		(cd "$work" && dpkg-shlibdeps -T"debian/$p.substvars" \
			$(sed 's|^|-e|' "$p.elf"))
	fi

	for s in preinst postinst prerm postrm; do
		for f in "$deb/$p.$s" "$deb/$p.$s.in"; do
			[ -f "$f" ] || continue
			sed "s|@DKMS_VERSION@|$VERSION|g" "$f" > "$stage/DEBIAN/$s"
			chmod 755 "$stage/DEBIAN/$s"
		done
	done
	(cd "$stage" && find etc -type f 2>/dev/null | sed 's|^|/|' |
		LC_ALL=C sort) > "$stage/DEBIAN/conffiles"
	[ -s "$stage/DEBIAN/conffiles" ] || rm "$stage/DEBIAN/conffiles"
	(cd "$stage" && find . -type f ! -path './DEBIAN/*' | sed 's|^\./||' |
		LC_ALL=C sort | while IFS= read -r f; do md5sum "$f"; done) \
		> "$stage/DEBIAN/md5sums"

	find "$stage" -type d -exec chmod 755 {} +
	(cd "$work" && dpkg-gencontrol -p"$p" -P"debian/$p" \
		-T"debian/$p.substvars" -f"debian/files")
	chmod 644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"
	dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" > /dev/null
	echo "  $(cd "$out" && ls "${p}_"*.deb)"
done

rm -rf "$work"
