#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the kernel's checkpatch.pl --strict over the project's C and
# assembly: every tracked .c/.h/.S under kmod/ uapi/ tools/
# guest-frontends/ selftests/ xenbus-compat/ (or the files given as
# arguments).
#
#   scripts/checkpatch.sh [FILE...]
#
# checkpatch.pl is taken from $CHECKPATCH, else from an unpacked kernel
# source tree ($KSRC, /usr/src/linux-source-*, /usr/src/linux), else from
# $PATH.  It needs its companions spelling.txt and const_structs.checkpatch
# beside it.  On Debian:
#   apt-get install linux-source-6.1
#   tar -xf /usr/src/linux-source-6.1.tar.xz -C /tmp \
#       linux-source-6.1/scripts/checkpatch.pl \
#       linux-source-6.1/scripts/spelling.txt \
#       linux-source-6.1/scripts/const_structs.checkpatch
#   CHECKPATCH=/tmp/linux-source-6.1/scripts/checkpatch.pl \
#       scripts/checkpatch.sh
#
# Exit status: 0 clean, 1 something reported, 2 checkpatch not usable.

set -u

TREES="kmod uapi tools guest-frontends selftests xenbus-compat"

# The module and the uAPI header are kernel code: no message is ignored.
#
# The xenstore core in xenbus-compat/ is kernel code too (it is built
# into the module); its tests/ and fuzz/ are userspace programs.
#
# tools/ and selftests/ are userspace programs:
#  PREFER_DEFINED_ATTRIBUTE_MACRO  __printf(), __noreturn, __packed come
#	from the kernel's include/linux/compiler_attributes.h, which
#	userspace does not have; it spells __attribute__((...)).
#  PREFER_KERNEL_TYPES  u32 and friends are kernel-internal types;
#	userspace uses <stdint.h>.  checkpatch itself skips this check
#	under tools/ (where the kernel keeps its selftests); our
#	selftests/ lives outside tools/, hence the explicit ignore.
IGNORE_USER="PREFER_DEFINED_ATTRIBUTE_MACRO,PREFER_KERNEL_TYPES"
#
# guest-frontends/ is freestanding guest code.  It uses the kernel's
# u32 types, which include/kg/lib.h defines, and the kernel's attribute
# spellings, which lib.h also defines:
#  PREFER_DEFINED_ATTRIBUTE_MACRO  those definitions are themselves
#	written with __attribute__((...)), and are what checkpatch flags.
IGNORE_GUEST="PREFER_DEFINED_ATTRIBUTE_MACRO"

# Names outside our control that the C standard spells in CamelCase.  In
# a kernel tree checkpatch learns such names from include/; here it
# learns them from a header this script writes (see seed_camelcase()).
#  _Static_assert  C11 keyword; the freestanding guest library defines
#	static_assert from it, as <assert.h> does (not available there).
#  LLVMFuzzerTestOneInput  the entry point libFuzzer calls.
#  inflate*, BZ2_*, ZSTD_*  zlib, libbz2 and libzstd, used by xl-lite.
#  XenbusState*  Xen's enum xenbus_state (xen/io/xenbus.h), which the
#	guest frontends use under their ABI names.
CAMELCASE_KNOWN="_Static_assert LLVMFuzzerTestOneInput
	inflateInit2 inflateEnd deflateInit2 deflateEnd
	BZ2_bzDecompressInit BZ2_bzDecompress BZ2_bzDecompressEnd
	BZ2_bzBuffToBuffCompress ZSTD_createDCtx ZSTD_freeDCtx ZSTD_inBuffer
	ZSTD_outBuffer ZSTD_decompressStream ZSTD_isError ZSTD_getErrorName
	XenbusStateUnknown XenbusStateInitialising XenbusStateInitWait
	XenbusStateInitialised XenbusStateConnected XenbusStateClosing
	XenbusStateClosed XenbusStateReconfiguring XenbusStateReconfigured"

die()
{
	echo "checkpatch.sh: $*" >&2
	exit 2
}

find_checkpatch()
{
	local c

	if [ -n "${CHECKPATCH:-}" ]; then
		[ -f "$CHECKPATCH" ] ||
			die "CHECKPATCH=$CHECKPATCH: no such file"
		echo "$CHECKPATCH"
		return
	fi
	for c in ${KSRC:+"$KSRC/scripts/checkpatch.pl"} \
		 /usr/src/linux-source-*/scripts/checkpatch.pl \
		 /usr/src/linux/scripts/checkpatch.pl; do
		if [ -f "$c" ]; then
			echo "$c"
			return
		fi
	done
	c=$(command -v checkpatch.pl) && { echo "$c"; return; }
	die "checkpatch.pl not found: set CHECKPATCH=/path/to/scripts/checkpatch.pl" \
	    "(Debian: linux-source-6.1, see the top of this script)"
}

# The ignore list for one file, by the tree it is in.
ignores_for()
{
	case "$1" in
	tools/* | selftests/* | xenbus-compat/tests/* | xenbus-compat/fuzz/*)
		echo "$IGNORE_USER" ;;
	guest-frontends/*)	echo "$IGNORE_GUEST" ;;
	*)			echo "" ;;
	esac
}

# checkpatch seeds its list of known CamelCase names from $root/include
# (see seed_camelcase_includes() in checkpatch.pl); give it one header.
seed_camelcase()
{
	local name

	mkdir -p "$1/include" || exit 2
	for name in $CAMELCASE_KNOWN; do
		echo "#define $name"
	done > "$1/include/known-camelcase.h"
}

list_files()
{
	if git -C "$SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		# shellcheck disable=SC2086
		git -C "$SRC" ls-files -- $TREES
	else
		# shellcheck disable=SC2086
		(cd "$SRC" && find $TREES -type f 2>/dev/null | sort)
	fi | grep -E '\.(c|h|S)$'
}

SRC=$(cd "$(dirname "$0")/.." && pwd) || exit 2
CP=$(find_checkpatch) || exit 2
CP=$(cd "$(dirname "$CP")" && pwd)/$(basename "$CP")
for f in spelling.txt const_structs.checkpatch; do
	[ -f "$(dirname "$CP")/$f" ] ||
		die "$(dirname "$CP")/$f is missing: checkpatch.pl needs it beside it"
done

# checkpatch writes a .checkpatch-camelcase.* cache into its working
# directory (and deletes old ones there): run it in a scratch directory
# that mirrors the source trees through symlinks, so that the file names
# it prints stay relative to the top of the source tree.
WORK=$(mktemp -d) || exit 2
trap 'rm -rf "$WORK"' EXIT
seed_camelcase "$WORK/root"

if [ $# -gt 0 ]; then
	files=()
	for f in "$@"; do
		f=$(realpath --relative-to="$SRC" "$f") || exit 2
		files+=("$f")
	done
else
	mapfile -t files < <(list_files)
fi
[ ${#files[@]} -gt 0 ] || die "no files to check"

nfiles=0
nbad=0
errors=0
warnings=0
checks=0
for f in "${files[@]}"; do
	case "$f" in
	../* | /*)
		die "$f: not under $SRC" ;;
	esac
	top=${f%%/*}
	[ -e "$WORK/$top" ] || ln -s "$SRC/$top" "$WORK/$top" || exit 2
	ign=$(ignores_for "$f")
	out=$(cd "$WORK" && unset GIT_DIR &&
	      "$CP" --no-tree --root="$WORK/root" --strict --terse \
		    --show-types --no-summary --quiet \
		    ${ign:+--ignore "$ign"} -f "$f" 2>&1)
	rc=$?
	nfiles=$((nfiles + 1))
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		nbad=$((nbad + 1))
		[ -n "$out" ] && echo "$out"
		[ -z "$out" ] && echo "$f: checkpatch.pl exited with $rc"
	fi
	errors=$((errors + $(grep -c ': ERROR:' <<<"$out")))
	warnings=$((warnings + $(grep -c ': WARNING:' <<<"$out")))
	checks=$((checks + $(grep -c ': CHECK:' <<<"$out")))
done

total=$((errors + warnings + checks))
if [ $nbad -eq 0 ]; then
	echo "checkpatch: $nfiles files clean (--strict; ignored for" \
	     "userspace: $IGNORE_USER; for the guest: $IGNORE_GUEST)"
	exit 0
fi
echo "checkpatch: FAILED: $total reports ($errors errors, $warnings" \
     "warnings, $checks checks) in $nbad of $nfiles files"
exit 1
