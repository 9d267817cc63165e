#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Network interfaces in xl-lite, what needs no module: vif = [...] in a
# config file (create -n prints what it parsed, errors name
# file:line:col) and the network-* commands' own argument checks.

setup_file() {
	load 'test_helper/common'
	common_setup_file
}

setup() {
	load 'test_helper/common'
	common_setup
}

# vifs STATUS SPEC...: create -n on the good config with vif = [ SPEC, ... ]
# (each SPEC quoted as given), expecting exit status STATUS.
vifs() {
	local status=$1 list=
	shift
	good_cfg
	printf -v list "'%s', " "$@"
	echo "vif = [ ${list%, } ]" >> good.cfg
	run "-${status}" "${XL}" create -n good.cfg
}

@test "create -n lists each vif with its devid, mac, bridge and netdev" {
	vifs 0 'mac=00:16:3E:74:34:32, bridge=br1' \
		'vifname=web0,mtu=9000,ip=10.0.0.2 10.0.0.3,rate=1MB/s@20ms,untrusted'
	[[ "${output}" == *"vif: 0, mac 00:16:3e:74:34:32, bridge br1, netdev vif<domid>.0, mtu the bridge's, script none"$'\n'* ]]
	[[ "${output}" == *"vif: 1, mac 00:16:3e:"*", bridge xenbr0, netdev web0, mtu 9000, ip 10.0.0.2 10.0.0.3, rate 20000 bytes every 20000 us, script none, untrusted"* ]]
	[[ "${output}" != *"unsupported key"* ]]
}

@test "an empty vif spec takes xl's defaults, a random mac in Xen's OUI" {
	vifs 0 '' ''
	[[ "${output}" =~ "vif: 0, mac 00:16:3e:"[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}", bridge xenbr0, netdev vif<domid>.0" ]]
	[[ "${output}" == *"vif: 1, mac 00:16:3e:"* ]]
	local a b
	a=$(grep -o 'vif: 0, mac [^,]*' <<< "${output}")
	b=$(grep -o 'vif: 1, mac [^,]*' <<< "${output}")
	[ "${a#vif: 0, }" != "${b#vif: 1, }" ]
}

@test "devid= and a relative script, resolved as libxl does" {
	vifs 0 'devid=4,script=vif-route,gatewaydev=eth0'
	[[ "${output}" == *"vif: 4, mac "*", netdev vif<domid>.4, mtu the bridge's, script /etc/xen/scripts/vif-route, gatewaydev eth0"* ]]
}

@test "an emulated NIC is refused, naming where and why" {
	vifs 1 'bridge=xenbr0,model=e1000'
	[[ "${output}" == *"good.cfg:8:9: vif: model e1000 is not supported by kxen (no emulated NICs: the guest gets a PV vif)"* ]]
	vifs 1 'type=ioemu'
	[[ "${output}" == *"good.cfg:8:9: vif: type ioemu is not supported by kxen"* ]]
}

@test "bad values are refused naming the key and the value" {
	local spec want
	while IFS='|' read -r spec want; do
		vifs 1 "${spec}"
		[[ "${output}" == *"good.cfg:8:9: vif: ${want}"* ]] ||
			{ echo "${spec}: ${output}"; return 1; }
	done <<-'EOF'
	mac=00:16:3e:74:3d|invalid mac "00:16:3e:74:3d" (expected six pairs of hex digits
	mac=01:00:5e:00:00:01|mac "01:00:5e:00:00:01" is a multicast address
	bridge=a-very-long-bridge|invalid bridge "a-very-long-bridge": longer than 15 characters
	vifname=vif/0|invalid vifname "vif/0": no '/', ':', blanks or control characters allowed
	ip=10.0.0.256|invalid ip "10.0.0.256": "10.0.0.256" is not an IPv4 address
	rate=10Mbit/s|invalid rate "10Mbit/s" (expected digits, an optional G, M or K
	rate=1MB/s@20h|invalid rate interval "20h"
	mtu=67|invalid mtu "67" (expected a number from 68 to 65535)
	devid=x|invalid devid "x" (expected a number from 0 to 999999)
	backend=dom1|backend dom1 is not supported by kxen (no driver domains)
	accel=x|accel x is not supported
	colo_sock_mirror_id=1|colo_sock_mirror_id is not supported by kxen (no COLO)
	gatewaydev=eth0|gatewaydev eth0 is for a hotplug script (vif-route, vif-nat): give script= too
	foo=bar|unknown key "foo" in "foo=bar"
	fast|unknown flag "fast" (expected key=value, trusted or untrusted)
	bridge=a,bridge=b|bridge respecified: "b" after "a"
	EOF
}

@test "two vifs with one devid, mac or vifname are refused" {
	vifs 1 'devid=1' ''
	[[ "${output}" == *"good.cfg:8:20: vif: devid 1 is already used by vif 1"* ]]
	vifs 1 'mac=00:16:3e:00:00:01' 'mac=00:16:3e:00:00:01'
	[[ "${output}" == *"vif: mac 00:16:3e:00:00:01 is already used by vif 0"* ]]
	vifs 1 'vifname=web0' 'vifname=web0'
	[[ "${output}" == *"vif: vifname web0 is already used by vif 0"* ]]
}

@test "network-attach checks the vif before anything else" {
	run -1 "${XL}" network-attach 1 bridge=xenbr0 model=e1000
	[ "${output}" = "xl-lite: network-attach: model e1000 is not supported by kxen (no emulated NICs: the guest gets a PV vif)" ]
	run -1 "${XL}" network-attach 1 mac=00:16:3e:00:00 bridge=xenbr0
	[[ "${output}" == "xl-lite: network-attach: invalid mac \"00:16:3e:00:00\""* ]]
	run -1 "${XL}" network-attach 1 rate=10Mbit/s
	[[ "${output}" == "xl-lite: network-attach: invalid rate \"10Mbit/s\""* ]]
	run -2 "${XL}" network-attach
	[ "${lines[0]}" = "xl-lite network-attach: missing argument" ]
	[ "${lines[1]}" = "Usage: xl-lite network-attach <Domain> [<nic-spec-component(s)>...]" ]
}

@test "network-detach names a bad DevId or mac" {
	run -1 "${XL}" network-detach 1 eth0
	[ "${output}" = 'xl-lite: network-detach: bad DevId "eth0" (0 to 999999, or a mac)' ]
	run -1 "${XL}" network-detach 1 00:16:3e:00:00
	[[ "${output}" == 'xl-lite: network-detach: invalid mac "00:16:3e:00:00"'* ]]
	run -2 "${XL}" network-detach 1
	[ "${lines[0]}" = "xl-lite network-detach: missing argument" ]
	[ "${lines[1]}" = "Usage: xl-lite network-detach <Domain> <DevId|mac>" ]
}

@test "network-list: usage, and xl's header" {
	run -2 "${XL}" network-list
	[ "${lines[0]}" = "xl-lite network-list: missing argument" ]
	skip_if_kxen_loaded
	run -1 "${XL}" network-list 1
	local header
	header=$(printf '%s\n' "${lines[@]}" | grep '^Idx')
	[ "${header}" = "Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path                       " ]
	[[ "${output}" == *"kxen module not loaded"* ]]
}

@test "network-attach and -detach need the module after their checks" {
	skip_if_kxen_loaded
	run -1 "${XL}" network-attach 1 bridge=xenbr0
	[[ "${output}" == *"kxen module not loaded"* ]]
	run -1 "${XL}" network-detach 1 0
	[[ "${output}" == *"kxen module not loaded"* ]]
}

@test "help network-attach comes from the command table" {
	run -0 "${XL}" help network-attach
	[ "${lines[0]}" = "Usage: xl-lite network-attach <Domain> [<nic-spec-component(s)>...]" ]
	[ "${lines[1]}" = "Create a new virtual network device." ]
	run -0 "${XL}" network-detach -h
	[ "${lines[0]}" = "Usage: xl-lite network-detach <Domain> <DevId|mac>" ]
}

@test "vif-bridge (for the lab) refuses bad arguments without touching a netdev" {
	run -2 "${XL}" vif-bridge attach
	[ "${lines[0]}" = "xl-lite vif-bridge: missing argument" ]
	run -2 "${XL}" vif-bridge frob vif1.0
	[[ "${output}" == *"Usage: xl-lite vif-bridge attach <netdev> <bridge> [<mtu>] | detach <netdev>"* ]]
	run -2 "${XL}" vif-bridge attach vif1.0 xenbr0 67
	[ "${output}" = 'xl-lite: vif-bridge: invalid mtu "67"' ]
}
