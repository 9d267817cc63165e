#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# First guest: xl-lite boots the hello PVH guest, its console output
# reaches `xl-lite console`, and it shuts itself down with reason poweroff.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/hello.elf" ] || tap_skip_all "no hello.elf"
tap_plan 5
kxen_load

cat > /tmp/hello.cfg <<CFG
type = "pvh"
name = "hello"
kernel = "$G/hello.elf"
memory = 16
vcpus = 1
cmdline = "greeting=lab"
on_poweroff = "preserve"
CFG
tap_check "xl-lite create hello.cfg" xl-lite create /tmp/hello.cfg
st=""
i=0
while [ $i -lt 100 ]; do
	st=$(xl-lite list | awk '$1 == "hello" { print $5 }')
	case $st in *s*) break ;; esac
	sleep 0.2
	i=$((i + 1))
done
echo "state: $st"
tap_check "domain reaches the shutdown state" sh -c "echo '$st' | grep -q s"
timeout 5 xl-lite console hello > /tmp/hello.out 2>&1
sed 's/^/# /' /tmp/hello.out
tap_check "console shows the greeting" grep -q "Hello from kxen guest" /tmp/hello.out
tap_check "console shows Test result: SUCCESS" grep -q "Test result: SUCCESS" /tmp/hello.out
xl-lite list
tap_check "xl-lite destroy hello" xl-lite destroy hello
dmesg | grep kxen | tail -20 | sed 's/^/# /'
kxen_unload
tap_done
