#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# xl-lite's command line as xl's: the global options before the command,
# exit statuses, -h/--help and long options on every command, -N.

setup_file() {
	load 'test_helper/common'
	common_setup_file
}

setup() {
	load 'test_helper/common'
	common_setup
}

# The commands of the help list, one a line.
commands() {
	"${XL}" help | awk '/^ [a-z-]+ +[A-Z]/ { print $1 }'
}

@test "global -h and --help print the list of commands" {
	run -0 "${XL}" help
	local list="${output}"
	run -0 "${XL}" -h
	[ "${output}" = "${list}" ]
	run -0 "${XL}" --help
	[ "${output}" = "${list}" ]
	[[ "${list}" == *"-N                      Dry run"* ]]
	[[ "${list}" == *"Exit status: 0 success, 1 error, 2 usage error"* ]]
}

@test "unknown global option: an error naming it, status 1 as xl" {
	run -1 "${XL}" -x list
	[ "${lines[0]}" = "xl-lite: unknown global option '-x'" ]
	[ "${lines[1]}" = "Run 'xl-lite help' for usage." ]
	run -1 "${XL}" --frob list
	[ "${lines[0]}" = "xl-lite: unknown global option '--frob'" ]
}

@test "global options go before the command; a command's are its own" {
	run -0 "${XL}" -v -f -t -T help destroy
	[ "${lines[0]}" = "Usage: xl-lite destroy [-f] <Domain>" ]
	run -0 "${XL}" -vfNtT help
	[ "${lines[0]}" = "Usage: xl-lite [-vfNtT] <subcommand> [args]" ]
	# after the command -N is the command's option, which destroy lacks
	run -2 "${XL}" destroy -N guest
	[[ "${output}" == *"Run 'xl-lite help destroy' for usage."* ]]
}

@test "a command's options may follow its arguments" {
	run -0 "${XL}" destroy guest -h
	[ "${lines[0]}" = "Usage: xl-lite destroy [-f] <Domain>" ]
	run -0 "${XL}" -N shutdown guest --wait
	[ "${output}" = "Dry run, nothing done: xl-lite shutdown --wait guest" ]
	good_cfg
	run -0 --separate-stderr "${XL}" create good.cfg -n -q
	[ -z "${stderr}" ]
	[[ "${output}" == *"name: t1"* ]]
}

@test "global options alone: usage, status 1 as xl" {
	run -1 "${XL}" -v
	[ "${lines[0]}" = "Usage: xl-lite [-vfNtT] <subcommand> [args]" ]
}

@test "-v logs the lookup of kxen's netlink family" {
	skip_if_kxen_loaded
	run -1 "${XL}" -v list
	[ "${lines[0]}" = 'xl-lite: kxen: generic netlink family "kxen": not registered' ]
	[ "${lines[1]}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" -v -v list
	[ "${#lines[@]}" -eq 2 ]
	# without -v, the error alone
	run -1 "${XL}" list
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
}

@test "-T puts xl's date and pid on the -v log lines" {
	skip_if_kxen_loaded
	run -1 "${XL}" -v -T list
	[[ "${lines[0]}" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ [A-Z+0-9-]+\ \[[0-9]+\]\ xl-lite:\ kxen:\ generic\ netlink ]]
	# not on the error itself, as xl's own messages
	[ "${lines[1]}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" -T list
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
}

@test "-N on a command that changes nothing is refused, as xl" {
	local c
	for c in "list" "info" "console guest" "block-list guest" "uptime"; do
		# shellcheck disable=SC2086
		run -1 "${XL}" -N ${c}
		[ "${output}" = "command does not implement -N (dryrun) option" ]
	done
	run -0 "${XL}" -N help destroy
	[ "${lines[0]}" = "Usage: xl-lite destroy [-f] <Domain>" ]
}

@test "-N on a command that changes a domain: printed, not done" {
	run -0 "${XL}" -N destroy guest
	[ "${output}" = "Dry run, nothing done: xl-lite destroy guest" ]
	run -0 "${XL}" -N shutdown -w guest
	[ "${output}" = "Dry run, nothing done: xl-lite shutdown -w guest" ]
	run -0 "${XL}" -N block-detach --force guest xvdb
	[ "${output}" = "Dry run, nothing done: xl-lite block-detach --force guest xvdb" ]
	local c
	for c in pause unpause reboot; do
		run -0 "${XL}" -N "${c}" 7
		[ "${output}" = "Dry run, nothing done: xl-lite ${c} 7" ]
	done
	run -0 "${XL}" -N network-detach guest 00:16:3e:00:00:01
	[ "${output}" = "Dry run, nothing done: xl-lite network-detach guest 00:16:3e:00:00:01" ]
}

@test "-N still checks the command's arguments" {
	run -2 "${XL}" -N destroy
	[ "${lines[0]}" = "xl-lite destroy: missing argument" ]
	run -2 "${XL}" -N shutdown -x guest
	[[ "${output}" == *"Run 'xl-lite help shutdown' for usage."* ]]
	run -0 "${XL}" -N destroy -h
	[ "${lines[0]}" = "Usage: xl-lite destroy [-f] <Domain>" ]
}

@test "-N create is create -n" {
	good_cfg
	run -0 "${XL}" create -n good.cfg
	local want="${output}"
	[[ "${want}" == *"entry: 0x100040"* ]]
	run -0 "${XL}" -N create good.cfg
	[ "${output}" = "${want}" ]
}

@test "-N block-attach prints the disk as create -n does" {
	good_cfg
	printf 'disk = [ "/srv/d.img,raw,xvdb,ro" ]\n' >> good.cfg
	run -0 "${XL}" create -n good.cfg
	local want
	want="$(printf '%s\n' "${lines[@]}" | grep '^disk: ')"
	[ "${want}" = "disk: xvdb (51728) /srv/d.img, raw, ro" ]
	run -0 "${XL}" -N block-attach guest /srv/d.img raw xvdb ro
	[ "${output}" = "${want}" ]
}

@test "-N block-attach with a bad disk fails naming it" {
	run -1 "${XL}" -N block-attach guest /srv/d.img,qcow2,xvdb
	[ "${output}" = "xl-lite: block-attach: format qcow2 is not supported by kxen (raw only)" ]
}

@test "-N network-attach prints the vif; its devid is not chosen yet" {
	run -0 "${XL}" -N network-attach guest mac=00:16:3e:01:02:03 bridge=br1
	[ "${output}" = "vif: next, mac 00:16:3e:01:02:03, bridge br1, netdev vif<domid>.<devid>, mtu the bridge's, script none" ]
	run -0 "${XL}" -N network-attach guest devid=4 mac=00:16:3e:01:02:03 mtu=9000
	[ "${output}" = "vif: 4, mac 00:16:3e:01:02:03, bridge xenbr0, netdev vif<domid>.4, mtu 9000, script none" ]
}

@test "every command prints its help for -h and --help, status 0" {
	local c n=0
	for c in $(commands); do
		run -0 "${XL}" help "${c}"
		local want="${output}"
		[ "${lines[0]%% *}" = "Usage:" ]
		run -0 "${XL}" "${c}" -h
		[ "${output}" = "${want}" ]
		run -0 "${XL}" "${c}" --help
		[ "${output}" = "${want}" ]
		n=$((n + 1))
	done
	[ "${n}" -eq 28 ]
}

@test "usage errors exit 2: unknown option, missing or extra argument" {
	run -2 "${XL}" list --frob
	[[ "${output}" == *"Run 'xl-lite help list' for usage."* ]]
	run -2 "${XL}" list a b
	[ "${lines[0]}" = "Usage: xl-lite list [options] [Domain]" ]
	run -2 "${XL}" info a b
	[ "${lines[0]}" = "Usage: xl-lite info [item]" ]
	run -2 "${XL}" domid
	[ "${lines[0]}" = "xl-lite domid: missing argument" ]
	run -2 "${XL}" domname
	[ "${lines[0]}" = "xl-lite domname: missing argument" ]
	run -2 "${XL}" uptime -x
	[[ "${output}" == *"Run 'xl-lite help uptime' for usage."* ]]
	run -2 "${XL}" block-detach guest
	[ "${lines[0]}" = "xl-lite block-detach: missing argument" ]
}

@test "create --dryrun and --defconfig are -n and -f" {
	good_cfg
	run -0 "${XL}" create -n good.cfg
	local want="${output}"
	run -0 "${XL}" create --dryrun good.cfg
	[ "${output}" = "${want}" ]
	run -0 "${XL}" create --dryrun --defconfig=good.cfg
	[ "${output}" = "${want}" ]
	run -0 "${XL}" create -n -f good.cfg
	[ "${output}" = "${want}" ]
}

@test "create -f FILE: the arguments are all vars" {
	good_cfg
	run -0 "${XL}" create -n -f good.cfg vcpus=3 memory=32
	[[ "${output}" == *$'\nvcpus: 3\n'* ]]
	[[ "${output}" == *$'\nmemory_mib: 32\n'* ]]
	# without -f the first argument is the file
	run -1 "${XL}" create -n vcpus=3
	[[ "${output}" == *"vcpus=3"* ]]
}

@test "create --quiet leaves out the Parsing config line" {
	good_cfg
	run -0 --separate-stderr "${XL}" create -n good.cfg
	[ "${stderr}" = "Parsing config from good.cfg" ]
	run -0 --separate-stderr "${XL}" create --quiet -n good.cfg
	[ -z "${stderr}" ]
	[[ "${output}" == *"name: t1"* ]]
	run -0 --separate-stderr "${XL}" create -q -n good.cfg
	[ -z "${stderr}" ]
}

@test "create -d prints the plan on stderr, then goes on to create" {
	skip_if_kxen_loaded
	good_cfg
	# the plan -n prints, on stderr; then only the module is missing
	run -1 --separate-stderr "${XL}" create -d good.cfg
	[ -z "${output}" ]
	[[ "${stderr}" == *$'Parsing config from good.cfg\nname: t1\n'* ]]
	[[ "${stderr}" == *"on_poweroff: "* ]]
	[[ "${stderr}" == *"xl-lite: ${NOT_LOADED}"* ]]
	# with -n the dry run's stdout wins, as xl's
	run -0 --separate-stderr "${XL}" create -d -n good.cfg
	[[ "${output}" == *"name: t1"* ]]
	[[ "${stderr}" != *"name: t1"* ]]
}

@test "create -V, --vncviewer, -A, --vncviewer-autopass are taken" {
	skip_if_kxen_loaded
	good_cfg
	for o in -V --vncviewer -A --vncviewer-autopass; do
		run -0 "${XL}" create -n "$o" good.cfg
		[[ "${output}" == *"name: t1"* ]]
		# past the option, the create fails only for want of the module
		run -1 "${XL}" create -q "$o" good.cfg
		[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	done
}

@test "create with no config: usage error; -f needs its FILE" {
	run -2 "${XL}" create
	[ "${lines[0]}" = "xl-lite create: missing argument" ]
	[ "${lines[1]}" = "Usage: xl-lite create [options] <ConfigFile> [vars]" ]
	run -2 "${XL}" create -n -f
	[[ "${output}" == *"Run 'xl-lite help create' for usage."* ]]
}

@test "long options of shutdown, reboot, block-detach, list are taken" {
	skip_if_kxen_loaded
	# past the options, each fails only for want of the module
	run -1 "${XL}" shutdown --wait guest
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" reboot --wait guest
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" block-detach --force guest xvdb
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" list --long
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -1 "${XL}" list --verbose guest
	[ "${output}" = "xl-lite: ${NOT_LOADED}" ]
	run -2 "${XL}" shutdown --wiat guest
	[[ "${output}" == *"Run 'xl-lite help shutdown' for usage."* ]]
}
