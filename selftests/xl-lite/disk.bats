#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Disks in xl-lite, what needs no module: disk = [...] in a config file
# (create -n prints what it parsed, errors name file:line:col) and the
# block-* commands' own argument checks.

setup_file() {
	load 'test_helper/common'
	common_setup_file
}

setup() {
	load 'test_helper/common'
	common_setup
}

@test "create -n lists each disk with its vdev number and access" {
	good_cfg
	printf '%s\n' "disk = [ '/img/root.raw,raw,xvda,rw'," \
		"         'vdev=xvdb, access=ro, target=/img/a,b.iso' ]" >> good.cfg
	run -0 "${XL}" create -n good.cfg
	[[ "${output}" == *"disk: xvda (51712) /img/root.raw, raw, rw"* ]]
	[[ "${output}" == *"disk: xvdb (51728) /img/a,b.iso, raw, ro"* ]]
}

@test "the old phy: form, and a cdrom" {
	good_cfg
	printf '%s\n' "disk = [ 'phy:/dev/loop0,xvda,w', '/x.iso,,hdc:cdrom,r' ]" >> good.cfg
	run -0 "${XL}" create -n good.cfg
	[[ "${output}" == *"disk: xvda (51712) /dev/loop0, raw, rw"* ]]
	[[ "${output}" == *"disk: hdc (5632) /x.iso, raw, ro, cdrom"* ]]
}

@test "a qcow2 disk is refused, naming where and why" {
	good_cfg
	printf '%s\n' "disk = [ '/img/a.qcow2,qcow2,xvda,rw' ]" >> good.cfg
	run -1 "${XL}" create -n good.cfg
	[[ "${output}" == *"good.cfg:8:10: disk: "*"qcow2"* ]]
}

@test "two disks on one vdev are refused" {
	good_cfg
	printf '%s\n' "disk = [ '/a,,xvda', '/b,,xvda' ]" >> good.cfg
	run -1 "${XL}" create -n good.cfg
	[[ "${output}" == *"disk: /b: virtual device xvda is already used by /a"* ]]
}

@test "create refuses a disk whose file is missing, before it asks the module" {
	good_cfg
	printf '%s\n' "disk = [ '${BATS_TEST_TMPDIR}/none.img,raw,xvda,rw' ]" >> good.cfg
	run -1 "${XL}" create good.cfg
	[[ "${output}" == *"xl-lite: disk vdev=xvda failed to stat: ${BATS_TEST_TMPDIR}/none.img: No such file or directory"* ]]
	[[ "${output}" != *"/dev/kxen"* ]]
}

@test "create refuses a disk that is a directory" {
	good_cfg
	printf '%s\n' "disk = [ '${BATS_TEST_TMPDIR},raw,xvdb,rw' ]" >> good.cfg
	run -1 "${XL}" create good.cfg
	[[ "${output}" == *"xl-lite: disk vdev=xvdb: ${BATS_TEST_TMPDIR} is neither a file nor a block device"* ]]
}

@test "block-attach checks the disk before anything else" {
	run -1 "${XL}" block-attach 1 /img/a.qcow2,qcow2,xvdb
	[[ "${output}" == *"block-attach: "*"qcow2"* ]]
	run -2 "${XL}" block-attach 1
}

@test "block-detach names a bad device" {
	run -1 "${XL}" block-detach 1 xvd
	[[ "${output}" == *"block-detach: "*"xvd"* ]]
	run -2 "${XL}" block-detach 1
}
