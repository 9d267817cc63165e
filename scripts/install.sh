#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall: kxen laid out as a distribution package
# lays it out.
#
#   scripts/install.sh install     (VERSION set; DESTDIR, PREFIX optional)
#   scripts/install.sh uninstall   (DESTDIR, PREFIX as for install)
#
# What goes where (PREFIX defaults to /usr; /etc and /usr/src are fixed,
# as Debian has them whatever the prefix):
#   /usr/src/kxen-VERSION/            the module's source for DKMS: the
#                                     files scripts/dkms-files.sh names,
#                                     dkms.conf and a Makefile
#   PREFIX/sbin/xl-lite               and xl, a link to it, unless a file
#                                     named xl is there already
#   PREFIX/share/man/man1/xl-lite.1.gz, man4/kxen.4.gz
#   PREFIX/share/bash-completion/completions/xl-lite (and xl, with the link)
#   PREFIX/lib/systemd/system/kxen-domains.service
#   PREFIX/lib/kxen/kxen-domains      the service's script
#   PREFIX/lib/kxen/manifest          what was installed, for uninstall
#   /etc/modules-load.d/kxen.conf, /etc/default/kxen-domains
# Files in /etc that are there already are kept, and uninstall keeps
# those changed since they were installed.  Installing again first
# uninstalls what the manifest lists.

set -eu

top=$(cd "$(dirname "$0")/.." && pwd -P)
D=${DESTDIR:-}
PREFIX=${PREFIX:-/usr}
sbindir=$PREFIX/sbin
mandir=$PREFIX/share/man
compdir=$PREFIX/share/bash-completion/completions
unitdir=$PREFIX/lib/systemd/system
libdir=$PREFIX/lib/kxen
manifest=$libdir/manifest

# Manifest lines: "f PATH" a file or link, "t PATH" a tree of ours,
# "c SHA256 PATH" a file in /etc as installed.
new_manifest=

record()
{
	echo "$*" >> "$new_manifest"
}

# put MODE SRC DEST: install SRC as DEST.
put()
{
	install -D -m "$1" "$2" "$D$3"
	record f "$3"
	echo "  $3"
}

# put_subst MODE SRC DEST: SRC with the @NAMES@ filled in.
# subst FILE: FILE with @VERSION@, @SBINDIR@ and @LIBDIR@ filled in, as
# $tmp/subst.
subst()
{
	sed -e "s|@VERSION@|$VERSION|g" -e "s|@SBINDIR@|$sbindir|g" \
		-e "s|@LIBDIR@|$libdir|g" "$1" > "$tmp/subst"
}

put_subst()
{
	subst "$2"
	put "$1" "$tmp/subst" "$3"
}

# put_man PAGE SECTION
put_man()
{
	gzip -9n < "$top/dist/man/$1.$2" > "$tmp/$1.$2.gz"
	put 644 "$tmp/$1.$2.gz" "$mandir/man$2/$1.$2.gz"
}

# put_conf SRC DEST: a file in /etc, unless one is there already.
put_conf()
{
	if [ -e "$D$2" ] && ! cmp -s "$1" "$D$2"; then
		echo "  $2: kept, as it is there already"
		return
	fi
	install -D -m 644 "$1" "$D$2"
	record c "$(sha256sum < "$1" | cut -d' ' -f1)" "$2"
	echo "  $2"
}

# put_link TARGET LINK WHAT: LINK -> TARGET unless a file named LINK is
# there already (another package's, which wins).
put_link()
{
	if [ -e "$D$2" ] || [ -L "$D$2" ]; then
		echo "  $2: there already ($3), not replaced by a link to $1"
		return 1
	fi
	ln -s "$1" "$D$2"
	record f "$2"
	echo "  $2 -> $1"
}

put_dkms_tree()
{
	dir=/usr/src/kxen-$VERSION
	rm -rf "$D$dir"
	# Listed first: a source missing from Kbuild's objects stops here.
	"$top/scripts/dkms-files.sh" > "$tmp/files"
	while read -r f; do
		install -D -m 644 "$top/$f" "$D$dir/$f"
	done < "$tmp/files"
	install -m 644 "$top/dist/dkms.mk" "$D$dir/Makefile"
	subst "$top/dist/dkms.conf.in"
	install -m 644 "$tmp/subst" "$D$dir/dkms.conf"
	record t "$dir"
	echo "  $dir/ ($(wc -l < "$tmp/files") files, dkms.conf, Makefile)"
}

do_install()
{
	if [ -z "${VERSION:-}" ]; then
		echo "install: no VERSION (not a git tree, no VERSION file): make install VERSION=..." >&2
		exit 2
	fi
	case $VERSION in
	*[!A-Za-z0-9._+~-]*)
		echo "install: VERSION=$VERSION: only letters, digits and ._+~- (dkms)" >&2
		exit 2
		;;
	esac
	if [ ! -x "$top/tools/xl-lite/xl-lite" ]; then
		echo "install: build tools/xl-lite/xl-lite first (make tools)" >&2
		exit 2
	fi
	if [ -f "$D$manifest" ]; then
		echo "Replacing the kxen installed in $D$PREFIX:"
		do_uninstall
	fi
	echo "Installing kxen $VERSION into ${D:-/}:"
	put_dkms_tree
	put 755 "$top/tools/xl-lite/xl-lite" "$sbindir/xl-lite"
	xl_link=no
	put_link xl-lite "$sbindir/xl" "Xen's xl?" && xl_link=yes
	put_man xl-lite 1
	put_man kxen 4
	put 644 "$top/dist/xl-lite.bash-completion" "$compdir/xl-lite"
	if [ "$xl_link" = yes ]; then
		put_link xl-lite "$compdir/xl" "xl's own completion" || :
	fi
	put_conf "$top/dist/modules-load.conf" /etc/modules-load.d/kxen.conf
	put_conf "$top/dist/kxen-domains.default" /etc/default/kxen-domains
	put_subst 755 "$top/dist/kxen-domains.in" "$libdir/kxen-domains"
	put_subst 644 "$top/dist/kxen-domains.service.in" \
		"$unitdir/kxen-domains.service"
	record f "$manifest"
	install -D -m 644 "$new_manifest" "$D$manifest"
	cat <<EOF
Next, as root: dkms install kxen/$VERSION (builds and installs kxen.ko
for the running kernel; later kernels get it automatically), then
modprobe kxen, and systemctl enable --now kxen-domains.service to start
the domains of /etc/xen/auto at boot.
EOF
}

# rmdir_up DIR: DIR and its parents while empty, below DESTDIR; only into
# a DESTDIR, so that a real system keeps its empty standard directories.
rmdir_up()
{
	[ -n "$D" ] || return 0
	d=$1
	while [ "$d" != / ] && [ "$d" != . ] && rmdir "$D$d" 2>/dev/null; do
		d=$(dirname "$d")
	done
}

do_uninstall()
{
	if [ ! -f "$D$manifest" ]; then
		echo "uninstall: no $D$manifest: nothing installed there"
		return 0
	fi
	while read -r kind a b; do
		case $kind in
		f)
			rm -f "$D$a"
			echo "  removed $a"
			;;
		t)
			rm -rf "$D$a"
			echo "  removed $a/"
			;;
		c)
			if [ -f "$D$b" ] &&
			   [ "$(sha256sum < "$D$b" | cut -d' ' -f1)" != "$a" ]; then
				echo "  $b: kept, changed since it was installed"
				continue
			fi
			rm -f "$D$b"
			echo "  removed $b"
			a=$b
			;;
		*)
			continue
			;;
		esac
		rmdir_up "$(dirname "$a")"
	done < "$D$manifest"
	rmdir "$D$libdir" 2>/dev/null || :
	rmdir_up "$(dirname "$libdir")"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
new_manifest=$tmp/manifest
: > "$new_manifest"

case ${1:-} in
install)
	do_install
	;;
uninstall)
	echo "Uninstalling kxen from ${D:-/}:"
	do_uninstall
	;;
*)
	echo "Usage: $0 install|uninstall" >&2
	exit 2
	;;
esac
