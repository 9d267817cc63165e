#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's own pygrub, for the xl-lite tests of bootloader = "pygrub":
# xen-utils-4.17 (pygrub, its grub.cfg parsers and the xenfsimage
# plugins that read ext4 and friends) and libxenmisc4.17, downloaded and
# unpacked into DIR (default .lab/xen-utils), not installed: the host
# keeps no Xen toolstack of its own.  Run it with
#
#   XEN_FSIMAGE_FSDIR=DIR/usr/lib/xen-4.17/lib/x86_64-linux-gnu/xenfsimage
#   LD_LIBRARY_PATH=DIR/usr/lib/xen-4.17/lib/x86_64-linux-gnu
#
# as selftests/xl-lite/dryrun.bats does.  Does nothing when DIR has it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=${1:-.lab/xen-utils}
pygrub=$dir/usr/lib/xen-4.17/bin/pygrub

[ -x "$pygrub" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt-get download fetches as the _apt user where it can.
chown _apt "$tmp" 2>/dev/null || true
(cd "$tmp" && apt-get download -q xen-utils-4.17 libxenmisc4.17)
mkdir -p "$dir"
for deb in "$tmp"/*.deb; do
	dpkg-deb -x "$deb" "$dir"
done
[ -x "$pygrub" ] || { echo "fetch-pygrub: no $pygrub in the packages" >&2; exit 1; }
echo "fetch-pygrub: $pygrub"
