#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# xl-lite's commands that need the module, as xl's: domid and domname,
# list -v's UUID and list -l's JSON, uptime from the start_time create
# writes, info's xen_* keys, -v's log and the invalid domain identifier
# message.  The hello guest is built paused and left so.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/hello.elf" ] || tap_skip_all "no hello.elf"
tap_plan 14
kxen_load

cat > /tmp/cli.cfg <<CFG
type = "pvh"
name = "clihello"
kernel = "$G/hello.elf"
memory = 16
vcpus = 2
CFG
tap_check "xl-lite create -p -e cli.cfg" xl-lite create -p -e /tmp/cli.cfg
id=$(xl-lite domid clihello)
echo "# domid: $id"
tap_check "domid prints the domain's ID" \
	sh -c "xl-lite list | awk '\$1 == \"clihello\" { print \$2 }' | grep -qx '$id'"
tap_check "domname of that ID is its name" \
	test "$(xl-lite domname "$id")" = clihello
tap_check "domid of no domain: xl's message, status 1" sh -c \
	"! xl-lite domid nosuch 2> /tmp/cli.err &&
	 grep -qx \"Can't get domid of domain name 'nosuch', maybe this domain does not exist.\" /tmp/cli.err"

xl-lite list -v | sed 's/^/# /'
uuid=$(xl-lite list -v clihello | awk 'NR == 2 { print $7 }')
tap_check "list -v: a UUID column" sh -c \
	"echo '$uuid' | grep -Eqx '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}'"
xl-lite list -l clihello > /tmp/cli.json
sed 's/^/# /' /tmp/cli.json
tap_check "list -l: domid, name and the same uuid" sh -c \
	"grep -q '\"domid\": $id,' /tmp/cli.json &&
	 grep -q '\"name\": \"clihello\",' /tmp/cli.json &&
	 grep -q '\"uuid\": \"$uuid\"' /tmp/cli.json"
tap_check "list -l: vCPUs and memory" sh -c \
	"grep -q '\"max_vcpus\": 2,' /tmp/cli.json &&
	 grep -q '\"target_memkb\": 16384' /tmp/cli.json"
tap_check "list -l of every domain leaves out Domain-0" sh -c \
	"xl-lite list -l | grep -q '\"name\": \"clihello\"' &&
	 ! xl-lite list -l | grep -q Domain-0"

sleep 2
xl-lite uptime | sed 's/^/# /'
tap_check "uptime: the domain's, from its start_time" sh -c \
	"xl-lite uptime clihello | grep -Eq '^clihello +$id +0:0[0-9]:[0-9]{2}\$'"
tap_check "uptime lists Domain-0 and the domain" sh -c \
	"xl-lite uptime | grep -q '^Domain-0 ' && xl-lite uptime | grep -q '^clihello '"

xl-lite info | sed 's/^/# /'
tap_check "info: xen_version is the version guests see" \
	test "$(xl_info xen_version)" = "4.17.0-kxen"
tap_check "-v logs the requests to kxen" sh -c \
	"xl-lite -v list 2>&1 >/dev/null | grep -q 'KXEN_CMD_DOMAIN_GET (dump): ok'"
tap_check "a name that is no domain: invalid domain identifier, status 1" sh -c \
	"! xl-lite pause nosuch 2> /tmp/cli.err &&
	 grep -qx 'nosuch is an invalid domain identifier' /tmp/cli.err"
tap_check "xl-lite destroy clihello" xl-lite destroy clihello
kxen_unload
tap_done
