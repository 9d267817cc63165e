#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Domain lifecycle through xl-lite: create paused, unpause, pause a running
# guest (its CPU time stops), unpause, destroy while running; errors for
# unknown domains and duplicate names; every page and object comes back.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/hello.elf" ] && [ -r "$G/badargs.elf" ] ||
	tap_skip_all "no hello.elf or badargs.elf"
tap_plan 13
kxen_load
base=$(kxen_live)
cpu_time() { xl-lite list | awk -v n="$1" '$1 == n { print $6 }'; }

guest_cfg hello "$G/hello.elf" 16
tap_check "create -p leaves the domain paused" \
	sh -c 'xl-lite create -p /tmp/hello.cfg && xl_state() { xl-lite list | awk "\$1 == \"hello\" { print \$5 }"; }; xl_state | grep -q p'
tap_check "list shows its memory and vCPUs" \
	sh -c 'xl-lite list | awk "\$1 == \"hello\" && \$3 == 16 && \$4 == 1" | grep -q hello'
tap_check "a second domain with the same name is refused" \
	sh -c '! xl-lite create /tmp/hello.cfg'
tap_check "unpause runs it to its shutdown" \
	sh -c 'xl-lite unpause hello' 
tap_check "it shut down" wait_state hello s 60
xl-lite destroy hello

# A guest that keeps running: the garbage-arguments loop, very long.
guest_cfg spin "$G/badargs.elf" 16 "iters=1000000000"
xl-lite create /tmp/spin.cfg
tap_check "a long-running guest is running" wait_state spin rb 30
sleep 2
tap_check "pause shows it paused" sh -c 'xl-lite pause spin'
wait_state spin p 10
t1=$(cpu_time spin)
sleep 2
t2=$(cpu_time spin)
echo "CPU time while paused: $t1 then $t2"
tap_check "its CPU time does not advance while paused" test "$t1" = "$t2"
xl-lite unpause spin
sleep 2
t3=$(cpu_time spin)
echo "CPU time after unpause: $t3"
tap_check "after unpause it runs again" \
	sh -c "[ \"\$(xl-lite list | awk '\$1 == \"spin\" { print \$5 }')\" != '--p---' ] && awk 'BEGIN { exit !($t3 > $t2) }'"
tap_check "destroy while running" xl-lite destroy spin
tap_check "it is gone from the list" sh -c '! xl-lite list | grep -q "^spin "'
tap_check "destroy of an unknown domain fails" sh -c '! xl-lite destroy nosuch'
live_back "$base"
tap_done
