#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# make install / make uninstall: the tree a package would ship, the DKMS
# source building kxen.ko, the xl link rule, man pages, bash completion
# and kxen-domains (against a stand-in xl-lite that records its calls).

setup_file() {
	load 'test_helper/common'
	make -s -C "${TOP}/tools/xl-lite" xl-lite >&2
	export ROOT="${BATS_FILE_TMPDIR}/root"
	make -s -C "${TOP}" install DESTDIR="${ROOT}" > "${BATS_FILE_TMPDIR}/install.out"
	export KXEN_VERSION
	KXEN_VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "${ROOT}"/usr/src/kxen-*/dkms.conf)
}

setup() {
	load 'test_helper/common'
	cd "${BATS_TEST_TMPDIR}" || return 1
	SRC="${ROOT}/usr/src/kxen-${KXEN_VERSION}"
}

# The files and links make install puts into DESTDIR, but the DKMS tree.
installed_paths() {
	(cd "$1" && find . ! -type d ! -path './usr/src/*' | sed 's|^\.||' | sort)
}

@test "install puts every file in its place" {
	if [ -e "${TOP}/.git" ]; then
		[ "${KXEN_VERSION}" = "$(git -C "${TOP}" describe --always)" ]
	fi
	diff -u - <(installed_paths "${ROOT}") <<-EOT
		/etc/default/kxen-domains
		/etc/modules-load.d/kxen.conf
		/usr/lib/kxen/kxen-domains
		/usr/lib/kxen/manifest
		/usr/lib/systemd/system/kxen-domains.service
		/usr/sbin/xl
		/usr/sbin/xl-lite
		/usr/share/bash-completion/completions/xl
		/usr/share/bash-completion/completions/xl-lite
		/usr/share/man/man1/xl-lite.1.gz
		/usr/share/man/man4/kxen.4.gz
	EOT
	cmp "${TOP}/tools/xl-lite/xl-lite" "${ROOT}/usr/sbin/xl-lite"
	[ -x "${ROOT}/usr/sbin/xl-lite" ]
	[ -x "${ROOT}/usr/lib/kxen/kxen-domains" ]
	[ "$(cat "${ROOT}/etc/modules-load.d/kxen.conf")" = kxen ]
	grep -qx 'ExecStart=/usr/lib/kxen/kxen-domains start' \
		"${ROOT}/usr/lib/systemd/system/kxen-domains.service"
	grep -qx 'PATH="$PATH:/usr/sbin"' "${ROOT}/usr/lib/kxen/kxen-domains"
	# the defaults file is shell, with the documented defaults
	run -0 sh -c '. "$1"; echo "$XENDOMAINS_AUTO $XENDOMAINS_STOP_MAXWAIT"' \
		_ "${ROOT}/etc/default/kxen-domains"
	[ "${output}" = "/etc/xen/auto 300" ]
	[[ "$(cat "${BATS_FILE_TMPDIR}/install.out")" == *"/usr/sbin/xl -> xl-lite"* ]]
}

@test "dkms.conf names the package, the module and the build" {
	run -0 bash -c 'kernelver=6.1.0-9-amd64; . "$1/dkms.conf"
		printf "%s\n" "$PACKAGE_NAME" "$PACKAGE_VERSION" \
			"${BUILT_MODULE_NAME[0]}" "${DEST_MODULE_LOCATION[0]}" \
			"$AUTOINSTALL" "${MAKE[0]}"' _ "${SRC}"
	diff -u - <(printf '%s\n' "${output}") <<-EOT
		kxen
		${KXEN_VERSION}
		kxen
		/updates/dkms
		yes
		make KDIR=/lib/modules/6.1.0-9-amd64/build
	EOT
}

@test "the DKMS tree has the source of every object in Kbuild, as in the tree" {
	local o n=0 f
	for o in $(grep -o '[A-Za-z0-9_/-]*\.o' "${TOP}/Kbuild" | grep -vx kxen.o); do
		[ -f "${SRC}/${o%.o}.c" ] || [ -f "${SRC}/${o%.o}.S" ] ||
			{ echo "no source for ${o} in ${SRC}"; return 1; }
		n=$((n + 1))
	done
	[ "${n}" -gt 50 ]
	cmp "${TOP}/Kbuild" "${SRC}/Kbuild"
	cmp "${TOP}/uapi/linux/kxen.h" "${SRC}/uapi/linux/kxen.h"
	while read -r f; do
		cmp "${TOP}/${f}" "${SRC}/${f}"
	done < <(cd "${SRC}" && find . -type f ! -name dkms.conf ! -name Makefile)
}

@test "the file list follows Kbuild: a new object and its header, a missing source" {
	local t="${BATS_TEST_TMPDIR}/tree"
	mkdir -p "${t}/scripts"
	cp -r "${TOP}/Kbuild" "${TOP}/kmod" "${TOP}/uapi" "${TOP}/xenbus-compat" "${t}"
	cp "${TOP}/scripts/dkms-files.sh" "${t}/scripts"
	echo 'kxen-y += kmod/core/extra.o' >> "${t}/Kbuild"
	mkdir -p "${t}/kmod/extra"
	echo '#include "../extra/extra.h"' > "${t}/kmod/core/extra.c"
	echo '#include <linux/kxen.h>' > "${t}/kmod/extra/extra.h"
	run -0 "${t}/scripts/dkms-files.sh"
	printf '%s\n' "${lines[@]}" | grep -qx kmod/core/extra.c
	printf '%s\n' "${lines[@]}" | grep -qx kmod/extra/extra.h
	printf '%s\n' "${lines[@]}" | grep -qx uapi/linux/kxen.h
	printf '%s\n' "${lines[@]}" | grep -qx kmod/core/kxen.h
	# nothing Kbuild does not reach: the userspace tests stay out
	[ -z "$(printf '%s\n' "${lines[@]}" | grep /tests/)" ]
	rm "${t}/kmod/core/extra.c"
	run -1 "${t}/scripts/dkms-files.sh"
	[[ "${output}" == *"Kbuild lists kmod/core/extra.o, but there is no kmod/core/extra.c or .S"* ]]
}

# The kernel build tree DKMS would use: the running kernel's, else the
# newest installed.
kernel_build_dir() {
	local d="/lib/modules/$(uname -r)/build"
	[ -f "${d}/Makefile" ] && { echo "${d}"; return; }
	for d in $(ls -d /lib/modules/*/build 2>/dev/null | sort -rV); do
		[ -f "${d}/Makefile" ] && { echo "${d}"; return; }
	done
	return 0
}

@test "the DKMS tree builds kxen.ko with W=1, as dkms.conf says" {
	local kdir kver b="${BATS_TEST_TMPDIR}/build"
	kdir=$(kernel_build_dir)
	[ -n "${kdir}" ] || skip "no kernel build tree in /lib/modules/*/build (linux-headers-amd64)"
	kver=$(basename "$(dirname "${kdir}")")
	# as dkms does: a copy of the tree, its MAKE line for the kernel
	cp -r "${SRC}" "${b}"
	run bash -c 'cd "$1" && kernelver=$2 && . ./dkms.conf &&
		eval "nice ${MAKE[0]} W=1 -j$3" 2>&1' _ "${b}" "${kver}" \
		"${KXEN_BUILD_JOBS:-$(nproc)}"
	if [ "${status}" != 0 ] || [[ "${output}" == *"error:"* ]]; then
		printf '%s\n' "${output}" | grep -B2 -A4 -m5 'error' >&2
		false
	fi
	run -0 env PATH="${PATH}:/usr/sbin:/sbin" modinfo -F vermagic "${b}/kxen.ko"
	[[ "${output}" == "${kver} "* ]]
}

@test "a build from a tree missing a header fails" {
	local kdir b="${BATS_TEST_TMPDIR}/build"
	kdir=$(kernel_build_dir)
	[ -n "${kdir}" ] || skip "no kernel build tree in /lib/modules/*/build (linux-headers-amd64)"
	cp -r "${SRC}" "${b}"
	rm "${b}/kmod/core/kxen.h"
	run nice make -C "${kdir}" M="${b}" kmod/core/main.o
	[ "${status}" -ne 0 ]
	[[ "${output}" == *"kxen.h: No such file or directory"* ]]
}

@test "xl: a link to xl-lite only where there is no xl; uninstall keeps Xen's" {
	local d="${BATS_TEST_TMPDIR}/xen"
	mkdir -p "${d}/usr/sbin" "${d}/usr/share/bash-completion/completions"
	echo "Xen's xl" > "${d}/usr/sbin/xl"
	run -0 make -s -C "${TOP}" install DESTDIR="${d}"
	[[ "${output}" == *"/usr/sbin/xl: there already (Xen's xl?), not replaced by a link to xl-lite"* ]]
	[ "$(cat "${d}/usr/sbin/xl")" = "Xen's xl" ]
	[ ! -e "${d}/usr/share/bash-completion/completions/xl" ]
	[ -x "${d}/usr/sbin/xl-lite" ]
	# without one, the link (and xl's completion) are made
	[ "$(readlink "${ROOT}/usr/sbin/xl")" = xl-lite ]
	[ "$(readlink "${ROOT}/usr/share/bash-completion/completions/xl")" = xl-lite ]
	run -0 make -s -C "${TOP}" uninstall DESTDIR="${d}"
	diff -u - <(cd "${d}" && find . ! -type d) <<-EOT
		./usr/sbin/xl
	EOT
}

@test "PREFIX moves all but /etc and /usr/src" {
	local d="${BATS_TEST_TMPDIR}/local"
	make -s -C "${TOP}" install DESTDIR="${d}" PREFIX=/usr/local > /dev/null
	[ -x "${d}/usr/local/sbin/xl-lite" ]
	[ -f "${d}/usr/local/share/man/man4/kxen.4.gz" ]
	[ -f "${d}/etc/modules-load.d/kxen.conf" ]
	[ -f "${d}/usr/src/kxen-${KXEN_VERSION}/dkms.conf" ]
	grep -qx 'ExecStop=/usr/local/lib/kxen/kxen-domains stop' \
		"${d}/usr/local/lib/systemd/system/kxen-domains.service"
	grep -qx 'PATH="$PATH:/usr/local/sbin"' "${d}/usr/local/lib/kxen/kxen-domains"
	[ ! -e "${d}/usr/sbin" ]
}

@test "man pages render without warnings" {
	command -v man > /dev/null || skip "man (man-db) not installed"
	local p
	for p in man1/xl-lite.1.gz man4/kxen.4.gz; do
		run -0 --separate-stderr env LC_ALL=C.UTF-8 MANWIDTH=80 \
			man --warnings -l "${ROOT}/usr/share/man/${p}"
		[ -z "${stderr}" ] || { echo "${p}: ${stderr}"; false; }
		[ "${#lines[@]}" -gt 50 ]
	done
}

@test "xl-lite(1) has every command of xl-lite help, kxen(4) every parameter" {
	local c page
	page=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "${ROOT}/usr/share/man/man1/xl-lite.1.gz")
	for c in $("${XL}" help | awk '/^ [a-z]/ { print $1 }'); do
		grep -Eq "^ {7}${c}( |$)" <<< "${page}" ||
			{ echo "xl-lite(1) has no entry for ${c}"; false; }
	done
	page=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "${ROOT}/usr/share/man/man4/kxen.4.gz")
	for c in $(grep -rhoE 'module_param(_named)?\([a-z_0-9]+' "${TOP}/kmod" |
		   sed 's/.*(//'); do
		grep -Eq "^ {7}${c}$" <<< "${page}" ||
			{ echo "kxen(4) has no entry for parameter ${c}"; false; }
	done
	for c in ENODEV EPERM EOPNOTSUPP EBUSY /dev/kxen /dev/kxenconsN; do
		grep -Eq "^ {7}${c}( |$)" <<< "${page}" ||
			{ echo "kxen(4) has no entry for ${c}"; false; }
	done
}

# A stand-in xl-lite in ./bin: domains in ./domains ("NAME STATE"),
# each call in ./calls.  On shutdown, a domain in ./obey goes away (its
# monitor destroys it), one in ./preserve stays listed, shut down; the
# others ignore it.  help goes to the real xl-lite.
stub_xl() {
	mkdir -p bin
	: > calls
	touch domains obey preserve
	cat > bin/xl-lite <<-'EOF'
		#!/bin/sh
		cd "$(dirname "$0")/.." || exit 1
		# one call at a time, in case calls ever overlap
		exec 9>> lock
		flock 9
		echo "$*" >> calls
		case $1 in
		list)
			[ -e list-fails ] && { echo "xl-lite: kxen module not loaded" >&2; exit 1; }
			printf 'Name                                        ID   Mem VCPUs\tState\tTime(s)\n'
			printf '%-40s %5u %5u %5u     %s  %8.1f\n' Domain-0 0 4096 2 r----- 10
			id=1
			while read -r name state; do
				printf '%-40s %5u %5u %5u     %s  %8.1f\n' "$name" $id 256 1 "$state" 1
				id=$((id + 1))
			done < domains
			;;
		create)
			echo "$(sed -n "s/^name *= *[\"']\(.*\)[\"']/\1/p" "$2") -b----" >> domains
			;;
		shutdown)
			for name; do :; done	# the last word: options come first
			if grep -qx "$name" obey; then
				sed -i "/^$name /d" domains
			elif grep -qx "$name" preserve; then
				sed -i "s/^$name .*/$name ---s--/" domains
			fi
			;;
		destroy)
			sed -i "/^$2 /d" domains
			;;
		*)
			exec "$XL_REAL" "$@"
			;;
		esac
	EOF
	chmod +x bin/xl-lite
	export XL_REAL="${XL}" PATH="${PWD}/bin:${PATH}"
	export KXEN_DOMAINS_DEFAULTS="${PWD}/defaults"
	printf '%s\n' "XENDOMAINS_AUTO=${PWD}/auto" XENDOMAINS_STOP_MAXWAIT=2 > defaults
	mkdir -p auto
}

KD() {
	"${ROOT}/usr/lib/kxen/kxen-domains" "$@"
}

@test "kxen-domains start creates the configs of XENDOMAINS_AUTO not running" {
	stub_xl
	echo 'name = "web"' > auto/web.cfg
	echo "name = 'db'" > auto/db
	printf '%s\n' 'name = "old"' 'name = "up"' > auto/up.cfg
	echo 'name = "web2"' > auto/web.cfg~
	echo 'name = "web3"' > auto/web.cfg.dpkg-old
	echo 'up -b----' > domains
	run -0 KD start
	[[ "${output}" == *"kxen-domains: up (${PWD}/auto/up.cfg): already there"* ]]
	diff -u - calls <<-EOT
		list
		create ${PWD}/auto/db
		create ${PWD}/auto/web.cfg
	EOT
	# again: all are there now
	: > calls
	run -0 KD start
	diff -u - calls <<< list
	# a config without a name is reported, the others still started
	echo 'memory = 64' > auto/noname.cfg
	echo 'name = "new"' > auto/new.cfg
	run -1 KD start
	[[ "${output}" == *"noname.cfg: no name = \"...\" in it, not started"* ]]
	grep -qx "new -b----" domains
}

@test "kxen-domains start and stop fail when xl-lite cannot list" {
	stub_xl
	touch list-fails
	run -1 KD start
	[[ "${output}" == *"kxen module not loaded"* ]]
	run -1 KD stop
	run -1 KD status
}

@test "kxen-domains stop: shutdown to all, destroy after XENDOMAINS_STOP_MAXWAIT" {
	stub_xl
	printf '%s\n' 'a -b----' 'stuck r-----' 'b -b----' > domains
	printf '%s\n' a b > obey
	local t0
	t0=$(date +%s%N)
	run -0 KD stop
	# it waited for the stuck one (whole seconds: more than 1 s), then
	# destroyed it alone
	local ms=$((($(date +%s%N) - t0) / 1000000))
	[ "${ms}" -gt 1000 ]
	[ "${ms}" -lt 10000 ]
	[[ "${output}" == *"kxen-domains: not down after 2 s: stuck"$'\n'* ]]
	[ "$(grep -c '^shutdown ' calls)" = 3 ]
	grep -qx 'shutdown -F a' calls
	grep -qx 'shutdown -F b' calls
	grep -qx 'shutdown -F stuck' calls
	diff -u - <(grep '^destroy' calls) <<< 'destroy stuck'
	[ ! -s domains ]
}

@test "kxen-domains stop: no wait when all are down; kept ones destroyed" {
	stub_xl
	printf '%s\n' 'a -b----' 'kept -b----' 'down ---s--' > domains
	echo a > obey
	echo kept > preserve
	echo XENDOMAINS_STOP_MAXWAIT=30 >> defaults
	local t0=${SECONDS}
	run -0 KD stop
	[ $((SECONDS - t0)) -lt 10 ]
	# shutdown only to those up
	diff -u - <(grep '^shutdown' calls | sort) <<-EOT
		shutdown -F a
		shutdown -F kept
	EOT
	diff -u - <(grep '^destroy' calls) <<-EOT
		destroy kept
		destroy down
	EOT
	[ ! -s domains ]
	run -0 KD stop
	[ "${output}" = "kxen-domains: no domains to stop" ]
	run -0 KD status
	[ "${lines[1]%% *}" = Domain-0 ]
	run -2 KD frobnicate
}

@test "kxen-domains parses as POSIX sh" {
	sh -n "${ROOT}/usr/lib/kxen/kxen-domains"
	command -v dash > /dev/null && dash -n "${ROOT}/usr/lib/kxen/kxen-domains"
	sh -n "${TOP}/scripts/install.sh"
	sh -n "${TOP}/scripts/dkms-files.sh"
}

@test "shellcheck: kxen-domains, completion, install scripts" {
	command -v shellcheck > /dev/null || skip "shellcheck not installed"
	shellcheck "${ROOT}/usr/lib/kxen/kxen-domains" "${TOP}/scripts/install.sh" \
		"${TOP}/scripts/dkms-files.sh"
	shellcheck -s bash "${ROOT}/usr/share/bash-completion/completions/xl-lite"
}

@test "systemd-analyze verify: kxen-domains.service" {
	command -v systemd-analyze > /dev/null ||
		skip "systemd-analyze not installed (package systemd)"
	# the unit with its paths in DESTDIR; man pages looked up there too
	mkdir unit
	sed "s|/usr/lib/kxen/|${ROOT}/usr/lib/kxen/|" \
		"${ROOT}/usr/lib/systemd/system/kxen-domains.service" \
		> unit/kxen-domains.service
	run -0 env MANPATH="${ROOT}/usr/share/man" \
		systemd-analyze verify "${PWD}/unit/kxen-domains.service"
	[ -z "${output}" ]
	grep -qx 'Type=oneshot' unit/kxen-domains.service
	grep -qx 'RemainAfterExit=yes' unit/kxen-domains.service
	grep -q '^After=.*systemd-modules-load.service' unit/kxen-domains.service
}

# complete WORD...: what the completion installed as $COMPFILE offers for
# the last word, with the command line so far; the stand-in xl-lite on
# PATH lists the domains.
complete_words() {
	bash -c '. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		f=$(complete -p "$1" | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
		"$f" "$1" "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "${COMPFILE}" "$@"
}

@test "bash completion: commands, options, domains, config files" {
	stub_xl
	printf '%s\n' 'web1 -b----' 'web2 r-----' 'db -b----' > domains
	COMPFILE="${ROOT}/usr/share/bash-completion/completions/xl-lite"
	run -0 complete_words xl-lite cre
	[ "${output}" = create ]
	run -0 complete_words xl-lite net
	diff -u - <(printf '%s\n' "${output}") <<-EOT
		network-attach
		network-list
		network-detach
	EOT
	run -0 complete_words xl-lite shutdown -
	[ "${output}" = "$(printf '%s\n' -h --help -a --all -w --wait -F --force-after)" ]
	run -0 complete_words xl-lite create --d
	[ "${output}" = "$(printf '%s\n' --defconfig --dryrun)" ]
	run -0 complete_words xl-lite destroy we
	[ "${output}" = "$(printf '%s\n' web1 web2)" ]
	run -0 complete_words xl-lite block-detach -f d
	[ "${output}" = db ]
	run -0 complete_words xl-lite block-list web1 w
	[ "${output}" = "$(printf '%s\n' web1 web2)" ]
	run -0 complete_words xl-lite block-detach web1 w
	[ -z "${output}" ]
	run -0 complete_words xl-lite help blo
	[ "${output}" = "$(printf '%s\n' block-attach block-list block-detach)" ]
	touch guest.cfg
	run -0 complete_words xl-lite create gu
	[ "${output}" = guest.cfg ]
}

@test "bash completion: xl completed only where loaded as xl" {
	run -0 bash -c '. "$1"; complete -p xl-lite; ! complete -p xl' _ \
		"${ROOT}/usr/share/bash-completion/completions/xl-lite"
	run -0 bash -c '. "$1"; complete -p xl' _ \
		"${ROOT}/usr/share/bash-completion/completions/xl"
	[ "${output}" = "complete -F _xl_lite xl" ]
}

@test "uninstall leaves nothing; a changed /etc file stays; install twice" {
	local d="${BATS_TEST_TMPDIR}/twice"
	make -s -C "${TOP}" install DESTDIR="${d}" > /dev/null
	run -0 make -s -C "${TOP}" install DESTDIR="${d}"
	[[ "${output}" == *"Replacing the kxen installed in ${d}/usr:"* ]]
	# the xl link is ours, so it is made again
	[ "$(readlink "${d}/usr/sbin/xl")" = xl-lite ]
	diff -u <(installed_paths "${ROOT}") <(installed_paths "${d}")
	run -0 make -s -C "${TOP}" uninstall DESTDIR="${d}"
	[ -z "$(find "${d}" -mindepth 1)" ]

	make -s -C "${TOP}" install DESTDIR="${d}" > /dev/null
	echo XENDOMAINS_STOP_MAXWAIT=60 >> "${d}/etc/default/kxen-domains"
	run -0 make -s -C "${TOP}" uninstall DESTDIR="${d}"
	[[ "${output}" == *"/etc/default/kxen-domains: kept, changed since it was installed"* ]]
	diff -u - <(cd "${d}" && find . ! -type d) <<< ./etc/default/kxen-domains
	# and a new install keeps it as it is
	run -0 make -s -C "${TOP}" install DESTDIR="${d}"
	[[ "${output}" == *"/etc/default/kxen-domains: kept, as it is there already"* ]]
	grep -qx XENDOMAINS_STOP_MAXWAIT=60 "${d}/etc/default/kxen-domains"
}
