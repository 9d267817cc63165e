# SPDX-License-Identifier: GPL-2.0
# Shared setup for the xl-lite bats tests: paths, test kernels, configs.

bats_require_minimum_version 1.5.0

XL_TEST_DIR="$(cd "$(dirname "${BATS_TEST_FILENAME}")" && pwd)"
TOP="$(cd "${XL_TEST_DIR}/../.." && pwd)"
XL="${TOP}/tools/xl-lite/xl-lite"

# Once per file: build xl-lite and the test kernels into BATS_FILE_TMPDIR.
common_setup_file() {
	make -s -C "${TOP}/tools/xl-lite" xl-lite >&2
	local k="${BATS_FILE_TMPDIR}"
	gcc -Wall -Wextra -O2 -I"${TOP}/tools/xl-lite/tests" \
		-o "${k}/mkelf" "${XL_TEST_DIR}/mkelf.c"
	"${k}/mkelf" "${k}/pvh64.elf"
	"${k}/mkelf" -3 "${k}/pvh32.elf"
	"${k}/mkelf" -s -8 "${k}/pvh-section.elf"
	"${k}/mkelf" -n "${k}/nonote.elf"
	# The same, through the real assembler and linker.
	gcc -c -m32 -DPVH_NOTE -o "${k}/stub.o" "${XL_TEST_DIR}/pvh-stub.S"
	gcc -c -m32 -o "${k}/stub-nonote.o" "${XL_TEST_DIR}/pvh-stub.S"
	local o
	for o in stub stub-nonote; do
		ld -m elf_i386 -T "${XL_TEST_DIR}/pvh-stub.lds" \
			-z noseparate-code --no-warn-rwx-segments \
			-o "${k}/${o}.elf" "${k}/${o}.o"
	done
}

# Per test: a scratch directory to write configs in.
common_setup() {
	K="${BATS_FILE_TMPDIR}"
	cd "${BATS_TEST_TMPDIR}" || return 1
}

# write_cfg FILE LINES...: one line per argument.
write_cfg() {
	local f="$1"
	shift
	printf '%s\n' "$@" > "${f}"
}

# A valid PVH config for the 64-bit test kernel.
good_cfg() {
	write_cfg "${1:-good.cfg}" \
		'type = "pvh"' \
		'name = "t1"' \
		"kernel = \"${K}/pvh64.elf\"" \
		'memory = 16' \
		'vcpus = 2' \
		'root = "/dev/xvda1"' \
		"extra = 'console=hvc0'"
}

# What a command that needs the module says without it (kxenctl.h).
# shellcheck disable=SC2034
NOT_LOADED='kxen module not loaded (no generic netlink family "kxen"); load it with: insmod kxen.ko (or: modprobe kxen)'

# Commands that talk to the module can only be checked here without it.
skip_if_kxen_loaded() {
	if [ -d /sys/module/kxen ]; then
		skip "kxen is loaded on this machine"
	fi
}
