#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# xl-lite's config parser against Xen's own: the libxlutil of Debian's
# libxen-dev (Xen 4.17), which xl reads xl.cfg with.  Each line below,
# added to a valid config, is taken by both parsers or refused by both.
# A key xl-lite does not know draws its "unsupported key" warning, which
# is not a refusal.

setup_file() {
	load 'test_helper/common'
	common_setup_file
	if [ -r /usr/include/libxlutil.h ]; then
		gcc -Wall -Wextra -O2 -o "${BATS_FILE_TMPDIR}/xlureader" \
			"${XL_TEST_DIR}/xlureader.c" -lxlutil >&2
	fi
}

setup() {
	load 'test_helper/common'
	common_setup
	[ -x "${K}/xlureader" ] ||
		skip "no libxlutil (Debian's libxen-dev) to compare with"
}

# same LINE: libxlu and xl-lite agree on a config ending in LINE.
same() {
	good_cfg
	printf '%s\n' "$1" >> good.cfg
	local xlu=0 lite=0
	"${K}/xlureader" good.cfg 2> xlu.err || xlu=$?
	"${XL}" create -q -n good.cfg > /dev/null 2> lite.err || lite=$?
	echo "line: $1; libxlu: $xlu ($(head -c 200 xlu.err)); xl-lite: $lite ($(head -c 200 lite.err))"
	[ "${xlu}" -le 1 ]
	[ "$((xlu != 0))" = "$((lite != 0))" ]
}

@test "the base config parses for both" {
	same '# nothing'
}

@test "keys: dots past the first letter are taken; a leading dot or a dash is not" {
	same 'foo.bar = 1'
	same 'a..b. = "x"'
	same 'f_o.1x = 1'
	same '.foo = 1'
	same 'foo-bar = 1'
}

@test "lists: empty, a trailing comma, nested; a lone comma refused" {
	same 'x = []'
	same 'x = [ "a", ]'
	same 'x = [ [ "a" ], "b" ]'
	same 'x = [ , ]'
	same 'x = ,'
}

@test "separators, comments, +=, a missing value" {
	same 'a = 1; b = 2'
	same 'x = "a" # a comment'
	same 'x += "c"'
	same 'x ='
	same 'x = 1 2'
}

@test "numbers and strings" {
	same 'x = 0x10'
	same 'x = "a\tb"'
	same "x = 'single'"
	same 'x = 1.5'
	same "x = 'it''s'"
	same 'x = "unterminated'
}

@test "a number is [0-9][0-9a-fx]*, read only for a key that wants one" {
	same 'x = 08'
	same 'x = 0x'
	same 'x = 1e5'
	same 'x = 99999999999999999999'
	same 'x = 1k'
	same 'x = 1F'
	same 'x = 0X1'
	same 'x = 1_000'
	same 'x = -1'
}

@test "keys are lower case: capitals or a leading _ are refused" {
	same 'X = 1'
	same '_x = 1'
	same 'fooBar = 1'
	same 'foo_bar = 1'
}

@test "escapes: no hex; octal needs two more digits and is dropped" {
	same 'x = "\x41"'
	same 'x = "\101"'
	same 'x = "\12"'
	same 'x = "\0"'
	same 'x = "\18"'
	same 'x = "\q"'
	same 'x = "a\"b"'
	# the value as xl reads it: libxlu stores nothing for "\101"
	good_cfg
	printf '%s\n' 'extra = "a\101b"' >> good.cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[[ "${output}" == *'cmdline: 0x'*' "root=/dev/xvda1 ab"'* ]]
	[[ "${stderr}" == *"xl-lite: warning: good.cfg:"*": extra: escape '\101' dropped, as xl's parser drops it"* ]]
}
