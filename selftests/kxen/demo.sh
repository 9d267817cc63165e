#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job, shown end to end: load kxen, boot the hello PVH guest with
# `xl-lite create -c` and show its console, then list and destroy it.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/hello.elf" ] || tap_skip_all "no hello.elf"
tap_plan 3
tap_check "load kxen.ko" kxen_load
xl-lite info
cat > /tmp/hello.cfg <<CFG
# A Xen PVH guest, as xl would boot it.
type = "pvh"
name = "hello"
kernel = "$G/hello.elf"
memory = 16
vcpus = 1
cmdline = "demo"
on_poweroff = "preserve"
CFG
echo "\$ xl-lite create -c /tmp/hello.cfg"
t0=$(cut -d' ' -f1 /proc/uptime)
xl-lite create -c /tmp/hello.cfg | {
	IFS= read -r first
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$first"
	cat
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "(create to first console line: %d ms of L1 time)\n", (b - a) * 1000 }'
} | tee /tmp/demo.out
tap_check "the guest's console reports SUCCESS" \
	grep -q "Test result: SUCCESS" /tmp/demo.out
echo "\$ xl-lite list"
xl-lite list
tap_check "destroy it" xl-lite destroy hello
kxen_unload
tap_done
