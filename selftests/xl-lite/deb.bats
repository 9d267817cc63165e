#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# make deb: kxen-dkms and kxen-utils hold what make install lays out,
# each file once, with their control fields, conffiles and maintainer
# scripts; extracted or installed into a scratch root they give the same
# tree.

setup_file() {
	load 'test_helper/common'
	command -v dpkg-gencontrol > /dev/null || return 0
	make -s -C "${TOP}/tools/xl-lite" xl-lite >&2
	export ROOT="${BATS_FILE_TMPDIR}/root" DEBS="${TOP}/build/deb"
	make -s -C "${TOP}" install DESTDIR="${ROOT}" > /dev/null
	export KXEN_VERSION
	KXEN_VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "${ROOT}"/usr/src/kxen-*/dkms.conf)
	if [ -e "${TOP}/.git" ]; then
		git -C "${TOP}" status --porcelain > "${BATS_FILE_TMPDIR}/status.before"
	fi
	make -s -C "${TOP}" deb > "${BATS_FILE_TMPDIR}/deb.out"
	if [ -e "${TOP}/.git" ]; then
		git -C "${TOP}" status --porcelain > "${BATS_FILE_TMPDIR}/status.after"
	fi
}

setup() {
	load 'test_helper/common'
	command -v dpkg-gencontrol > /dev/null ||
		skip "dpkg-gencontrol not installed (package dpkg-dev)"
	cd "${BATS_TEST_TMPDIR}" || return 1
	ARCH=$(dpkg --print-architecture)
	# the package version: make install's, as scripts/deb.sh makes it
	DEBVER=$(printf '%s\n' "${KXEN_VERSION}" | sed -e 's/^v\([0-9]\)/\1/' -e 's/-/+/g')
	[[ "${DEBVER}" == [0-9]* ]] || DEBVER="0~${DEBVER}"
	DKMS_DEB="${DEBS}/kxen-dkms_${DEBVER}_all.deb"
	UTILS_DEB="${DEBS}/kxen-utils_${DEBVER}_${ARCH}.deb"
}

# The files and links make install puts into DESTDIR, but its manifest
# (dpkg keeps the list of a package's files).
installed_paths() {
	(cd "$1" && find . ! -type d ! -path ./usr/lib/kxen/manifest |
		sed 's|^\.||' | LC_ALL=C sort)
}

# The files and links of package $1, but its copyright and changelog.
package_paths() {
	dpkg-deb --fsys-tarfile "$1" | tar -tvf - | awk '$1 !~ /^d/ { print $6 }' |
		sed 's|^\.||' | grep -v '^/usr/share/doc/' | LC_ALL=C sort
}

# The maintainer scripts of package $1 in ./$2/.
control_of() {
	mkdir -p "$2"
	dpkg-deb -e "$1" "$2"
}

# The postinst of kxen-utils, continuation lines joined.
utils_postinst() {
	control_of "${UTILS_DEB}" utils.ctl
	sed -e ':a' -e '/\\$/N; s/[[:space:]]*\\\n[[:space:]]*/ /; ta' utils.ctl/postinst
}

@test "make deb: both packages in build/deb, nothing else; the tree stays clean" {
	diff -u - <(cd "${DEBS}" && ls -A) <<-EOT
		$(basename "${DKMS_DEB}")
		$(basename "${UTILS_DEB}")
	EOT
	grep -q "kxen-dkms_${DEBVER}_all.deb" "${BATS_FILE_TMPDIR}/deb.out"
	if [ -e "${TOP}/.git" ]; then
		diff -u "${BATS_FILE_TMPDIR}/status.before" "${BATS_FILE_TMPDIR}/status.after"
	fi
}

@test "control fields: names, version, architecture, dependencies" {
	local f
	run -0 dpkg-deb -f "${DKMS_DEB}" Package Version Architecture Source
	diff -u - <(printf '%s\n' "${output}") <<-EOT
		Package: kxen-dkms
		Version: ${DEBVER}
		Architecture: all
		Source: kxen
	EOT
	[ "$(dpkg-deb -f "${DKMS_DEB}" Depends)" = dkms ]
	run -0 dpkg-deb -f "${UTILS_DEB}" Package Version Architecture
	diff -u - <(printf '%s\n' "${output}") <<-EOT
		Package: kxen-utils
		Version: ${DEBVER}
		Architecture: amd64
	EOT
	# Depends from the libraries xl-lite links against
	run -0 dpkg-deb -f "${UTILS_DEB}" Depends
	[[ "${output}" == *"libc6 (>= "* ]]
	[[ "${output}" == *libnl-genl-3-200* ]]
	[[ "${output}" == *libxenstore* ]]
	[ "$(dpkg-deb -f "${UTILS_DEB}" Recommends)" = kxen-dkms ]
	for f in "${DKMS_DEB}" "${UTILS_DEB}"; do
		[ -n "$(dpkg-deb -f "${f}" Maintainer)" ]
		[ -n "$(dpkg-deb -f "${f}" Description)" ]
		[ "$(dpkg-deb -f "${f}" Installed-Size)" -gt 0 ]
		dpkg-deb -I "${f}" | grep -q '^ Priority: optional$'
	done
}

@test "the packages hold what make install lays out, each file once" {
	local l t
	package_paths "${DKMS_DEB}" > dkms.list
	package_paths "${UTILS_DEB}" > utils.list
	[ -z "$(LC_ALL=C comm -12 dkms.list utils.list)" ]
	# the module's source, its loading and its page in kxen-dkms
	grep -q "^/usr/src/kxen-${KXEN_VERSION}/dkms.conf$" dkms.list
	grep -qx /etc/modules-load.d/kxen.conf dkms.list
	grep -qx /usr/share/man/man4/kxen.4.gz dkms.list
	[ -z "$(grep -v -e '^/usr/src/' -e '^/etc/modules-load.d/' -e '^/usr/share/man/man4/' dkms.list)" ]
	grep -qx /usr/sbin/xl-lite utils.list
	# all make install lays out, but the links the postinst makes as
	# alternatives: each pointing where make install's does
	LC_ALL=C sort -m dkms.list utils.list > packages.list
	utils_postinst > postinst
	while read -r l; do
		[ -L "${ROOT}${l}" ] || { echo "${l}: in no package"; return 1; }
		t="$(dirname "${l}")/$(readlink "${ROOT}${l}")"
		grep -Eq -- "(--install|--slave) ${l} [^ ]+ ${t}( |\$)" postinst ||
			{ echo "${l}: in no package, not an alternative for ${t}"; return 1; }
	done < <(LC_ALL=C comm -23 <(installed_paths "${ROOT}") packages.list)
	[ -z "$(LC_ALL=C comm -13 <(installed_paths "${ROOT}") packages.list)" ]
	# every file root's, as dpkg-deb --root-owner-group makes them
	[ -z "$(dpkg-deb -c "${DKMS_DEB}" "${UTILS_DEB}" | awk '$2 != "root/root"')" ]
}

@test "dpkg -x gives make install's files, xl-lite stripped" {
	local f
	dpkg -x "${DKMS_DEB}" x
	dpkg -x "${UTILS_DEB}" x
	while read -r f; do
		[ "$(stat -c %a "x${f}")" = "$(stat -c %a "${ROOT}${f}")" ] ||
			{ echo "${f}: mode $(stat -c %a "x${f}")"; return 1; }
		[ "${f}" = /usr/sbin/xl-lite ] && continue
		cmp "${ROOT}${f}" "x${f}"
	done < <(cd x && find . -type f ! -path './usr/share/doc/*' | sed 's|^\.||')
	# the same program, built with Debian's flags, stripped
	run -0 x/usr/sbin/xl-lite help
	[ "${output}" = "$("${ROOT}/usr/sbin/xl-lite" help)" ]
	[ -z "$(readelf -S x/usr/sbin/xl-lite | grep -e '\.symtab' -e '\.comment')" ]
	# both: copyright and changelog, of this version
	for f in kxen-dkms kxen-utils; do
		grep -q '^License: GPL-2$' "x/usr/share/doc/${f}/copyright"
		zcat "x/usr/share/doc/${f}/changelog.gz" | head -1 | grep -q "^kxen (${DEBVER}) "
	done
}

@test "conffiles are the files in /etc; md5sums cover the rest" {
	local d
	for d in "${DKMS_DEB}" "${UTILS_DEB}"; do
		rm -rf ctl x && control_of "${d}" ctl && dpkg -x "${d}" x
		diff -u <(cd x && find etc -type f | sed 's|^|/|' | LC_ALL=C sort) \
			<(LC_ALL=C sort ctl/conffiles)
		(cd x && md5sum --quiet -c ../ctl/md5sums)
		[ "$(wc -l < ctl/md5sums)" = "$(cd x && find . -type f | wc -l)" ]
	done
}

@test "maintainer scripts parse as POSIX sh" {
	local d s n=0
	for d in "${DKMS_DEB}" "${UTILS_DEB}"; do
		rm -rf ctl && control_of "${d}" ctl
		for s in preinst postinst prerm postrm; do
			[ -e "ctl/${s}" ] || continue
			[ -x "ctl/${s}" ]
			head -1 "ctl/${s}" | grep -qx '#!/bin/sh'
			sh -n "ctl/${s}"
			if command -v dash > /dev/null; then dash -n "ctl/${s}"; fi
			n=$((n + 1))
		done
	done
	[ "${n}" = 5 ]
}

@test "shellcheck: maintainer scripts, scripts/deb.sh" {
	command -v shellcheck > /dev/null || skip "shellcheck not installed"
	control_of "${DKMS_DEB}" dkms.ctl
	control_of "${UTILS_DEB}" utils.ctl
	shellcheck dkms.ctl/postinst dkms.ctl/prerm utils.ctl/postinst \
		utils.ctl/prerm utils.ctl/postrm "${TOP}/scripts/deb.sh"
}

@test "kxen-dkms's scripts: dkms for the tree the package holds, as dh_dkms's do" {
	control_of "${DKMS_DEB}" ctl
	run -0 bash -c '. "$1"/dkms.conf; echo "$PACKAGE_NAME $PACKAGE_VERSION"' _ \
		"${ROOT}/usr/src/kxen-${KXEN_VERSION}"
	[ "${output}" = "kxen ${KXEN_VERSION}" ]
	grep -qx 'DKMS_NAME=kxen' ctl/postinst
	grep -qx "DKMS_VERSION=${KXEN_VERSION}" ctl/postinst
	grep -qx "DKMS_VERSION=${KXEN_VERSION}" ctl/prerm
	grep -q '/usr/lib/dkms/common.postinst' ctl/postinst
	grep -q 'dkms remove -m "$DKMS_NAME" -v "$DKMS_VERSION" --all' ctl/prerm
	# into another root, dkms is left alone
	run -0 env DPKG_ROOT="${PWD}/elsewhere" sh ctl/postinst configure
	[ "${output}" = "kxen-dkms: not running dkms for ${PWD}/elsewhere" ]
	run -0 env DPKG_ROOT="${PWD}/elsewhere" sh ctl/prerm remove
	[ -z "${output}" ]
}

@test "kxen-dkms's postinst: dkms add, build and install for real" {
	skip "needs root, dkms and kernel headers, and changes the host's /lib/modules: not run by the test suite"
}

# dpkg with its database in $R, the maintainer scripts run outside it
# with DPKG_ROOT set.
dpkg_root() {
	env PATH="${PATH}:/usr/sbin:/sbin" dpkg --root="${R}" --log=/dev/null \
		--force-script-chrootless --force-depends "$@"
}

@test "dpkg --root: install, the xl alternative, remove and purge in a scratch root" {
	[ "$(id -u)" = 0 ] || skip "dpkg --root needs root (files owned by root)"
	R="${BATS_TEST_TMPDIR}/sysroot"
	mkdir -p "${R}/var/lib/dpkg/info" "${R}/var/lib/dpkg/updates" \
		"${R}/var/lib/dpkg/alternatives" "${R}/etc/alternatives"
	touch "${R}/var/lib/dpkg/status" "${R}/var/lib/dpkg/available"
	run -0 dpkg_root -i "${DKMS_DEB}" "${UTILS_DEB}"
	[[ "${output}" == *"kxen-dkms: not running dkms for ${R}"* ]]
	# make install's tree, xl the alternative
	diff -u <(installed_paths "${ROOT}" | grep -v -e '^/usr/sbin/xl$' \
			-e '^/usr/share/bash-completion/completions/xl$') \
		<(cd "${R}" && find . ! -type d ! -path './var/lib/dpkg/*' \
			! -path './etc/alternatives/*' ! -path './usr/share/doc/*' \
			! -path ./var/log/alternatives.log \
			! -path ./usr/sbin/xl \
			! -path ./usr/share/bash-completion/completions/xl |
			sed 's|^\.||' | LC_ALL=C sort)
	[ "$(readlink "${R}/usr/sbin/xl")" = /etc/alternatives/xl ]
	[ "$(readlink "${R}/etc/alternatives/xl")" = /usr/sbin/xl-lite ]
	[ "$(readlink "${R}/etc/alternatives/xl.bash-completion")" = \
		/usr/share/bash-completion/completions/xl-lite ]
	run -0 dpkg_root -r kxen-utils
	[ ! -e "${R}/usr/sbin/xl" ]
	[ ! -L "${R}/usr/sbin/xl" ]
	[ -f "${R}/etc/default/kxen-domains" ]
	# another package's xl stays as it is
	mkdir -p "${R}/usr/sbin"
	echo "Xen's xl" > "${R}/usr/sbin/xl"
	run -0 dpkg_root -i "${UTILS_DEB}"
	[ "$(cat "${R}/usr/sbin/xl")" = "Xen's xl" ]
	rm "${R}/usr/sbin/xl"
	# purge: nothing of either left
	run -0 dpkg_root -P kxen-utils kxen-dkms
	[ -z "$(cd "${R}" && find . ! -type d ! -path './var/lib/dpkg/*' \
		! -path ./var/log/alternatives.log)" ]
}

@test "lintian: no errors or warnings" {
	command -v lintian > /dev/null || skip "lintian not installed"
	run -0 lintian --fail-on error,warning "${DKMS_DEB}" "${UTILS_DEB}"
	[ -z "$(grep -E '^[EW]: ' <<< "${output}")" ]
}

@test "a version from git describe (TAG-N-gHASH) makes a Debian one; DKMS keeps it" {
	VERSION=v1.2-3-gabc1234 run -0 "${TOP}/scripts/deb.sh" "${PWD}/out"
	diff -u - <(ls out) <<-EOT
		kxen-dkms_1.2+3+gabc1234_all.deb
		kxen-utils_1.2+3+gabc1234_${ARCH}.deb
	EOT
	dpkg-deb -c out/kxen-dkms_*.deb | grep -q ' ./usr/src/kxen-v1.2-3-gabc1234/dkms.conf$'
	dpkg-deb -e out/kxen-dkms_*.deb ctl
	grep -qx 'DKMS_VERSION=v1.2-3-gabc1234' ctl/postinst
	[ "$(dpkg-deb -f out/kxen-utils_*.deb Version)" = 1.2+3+gabc1234 ]
}
