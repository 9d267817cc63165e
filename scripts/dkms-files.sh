#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The files kxen.ko's build reads, one path a line relative to the top of
# the tree: Kbuild, the source (.c or .S) of every object Kbuild lists,
# and every header those include, followed through #include "..." (next
# to the including file, then in the -I directories of ccflags-y) and
# #include <...> (in those -I directories only; the rest is the kernel's).
# `make install` copies them into the DKMS tree.  Everything is read from
# Kbuild, so an object added there needs no second list; an object
# without a source is an error.
#
#   scripts/dkms-files.sh [TOP]     TOP: the tree (default: this one)

set -eu

top=$(cd "${1:-$(dirname "$0")/..}" && pwd -P)
cd "$top"

# Kbuild's variables, as kbuild sees them with $(src) the top.
vars=$(make -s --no-print-directory -f - <<'EOF'
src := .
include Kbuild
$(info objs $(foreach m,$(obj-m:.o=),$($(m)-y) $($(m)-objs)))
$(info incs $(patsubst -I%,%,$(filter -I%,$(ccflags-y))))
all: ;
EOF
)
objs=$(printf '%s\n' "$vars" | sed -n 's/^objs //p')
incs=$(printf '%s\n' "$vars" | sed -n 's/^incs //p')
if [ -z "$objs" ]; then
	echo "dkms-files: no objects found in $top/Kbuild" >&2
	exit 1
fi

srcs=
for o in $objs; do
	o=${o#./}
	if [ -f "${o%.o}.c" ]; then
		srcs="$srcs${o%.o}.c
"
	elif [ -f "${o%.o}.S" ]; then
		srcs="$srcs${o%.o}.S
"
	else
		echo "dkms-files: Kbuild lists $o, but there is no ${o%.o}.c or .S" >&2
		exit 1
	fi
done

# The sources, then every header they include, found where the compiler
# finds it; each file is read once.
printf '%s' "$srcs" | awk -v incs="$incs" '
# PATH without "." and ".." components ("a/b/../c" is "a/c").
function norm(p,    n, i, k, part, out) {
	n = split(p, part, "/")
	k = 0
	for (i = 1; i <= n; i++) {
		if (part[i] == "." || part[i] == "")
			continue
		if (part[i] == ".." && k > 0 && out[k] != "..")
			k--
		else
			out[++k] = part[i]
	}
	p = ""
	for (i = 1; i <= k; i++)
		p = p (i > 1 ? "/" : "") out[i]
	return p
}

function exists(p,    line, r) {
	r = (getline line < p)
	close(p)
	return r >= 0
}

function add(p) {
	if (!(p in seen)) {
		seen[p] = 1
		queue[++tail] = p
	}
}

BEGIN { ninc = split(incs, inc, " ") }
{ add($0) }
END {
	for (head = 1; head <= tail; head++) {
		f = queue[head]
		dir = f
		if (!sub(/\/[^\/]*$/, "", dir))
			dir = "."
		while ((getline line < f) > 0) {
			if (line !~ /^[ \t]*#[ \t]*include[ \t]*[<"]/)
				continue
			sub(/^[ \t]*#[ \t]*include[ \t]*/, "", line)
			quoted = substr(line, 1, 1) == "\""
			name = substr(line, 2)
			sub(/[>"].*/, "", name)
			if (quoted && exists(norm(dir "/" name))) {
				add(norm(dir "/" name))
				continue
			}
			for (i = 1; i <= ninc; i++)
				if (exists(norm(inc[i] "/" name))) {
					add(norm(inc[i] "/" name))
					break
				}
		}
		close(f)
	}
	print "Kbuild"
	for (i = 1; i <= tail; i++)
		print queue[i]
}' | sort
