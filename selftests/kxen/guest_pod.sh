#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Populate-on-demand (maxmem above memory) with a guest that keeps to its
# maximum and one that does not (the podtouch guest): 64 MiB of RAM in
# its memory map, 16 MiB its maximum.  The first gives back the frames
# past its maximum untouched, writes and reads back every other page,
# and the host never holds more than 16 MiB for it; the second writes
# every page and is crashed, with the reason, once it holds its maximum.
# The host's counters come back either way.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/podtouch.elf" ] || tap_skip_all "no podtouch.elf"
tap_plan 10
kxen_load
base=$(kxen_live)
MEM=16
MAX=64

# pod_cfg NAME CMDLINE
pod_cfg()
{
	guest_cfg "$1" "$G/podtouch.elf" $MEM "$2"
	echo "maxmem = $MAX" >> "/tmp/$1.cfg"
}

pod_cfg podok ""
tap_check "create a guest of $MAX MiB RAM, at most $MEM MiB" \
	xl-lite create /tmp/podok.cfg
tap_check "it shuts down" wait_state podok s 120
console_dump podok | grep -E 'podtouch:|FAIL|Test result'
tap_check "it gave back what it may not hold and kept every page's data" \
	grep -q "Test result: SUCCESS" /tmp/podok.out
# kept until destroyed (on_poweroff = "preserve"): all it ever touched
held=$(($(xl_info live_pages) - ${base% *}))
touched=$(sed -n 's/.*podtouch: touching \([0-9]*\) pages.*/\1/p' /tmp/podok.out)
tap_check "the host holds at most $MEM MiB for it: $held pages, $touched touched" \
	test "$held" -le $((MEM << 8)) -a "$held" -ge "${touched:-999999}"
tap_check "destroy it" xl-lite destroy podok

dmesg_mark
pod_cfg podgreedy "greedy=1"
tap_check "create a guest that writes all $MAX MiB" \
	xl-lite create /tmp/podgreedy.cfg
tap_check "it is crashed" wait_state podgreedy c 120
console_dump podgreedy | grep -E 'podtouch:|FAIL|Test result'
tap_check "the reason: populate-on-demand at its maximum" \
	sh -c "dmesg_new() { /selftests/data/dmesg_since $DMESG_MARK; };
	       dmesg_new | grep 'crashed: .*PoD fill of GPA 0x[0-9a-f]*: at its maximum (holds [0-9]* KiB of $((MEM << 10)))'"
tap_check "destroy it" xl-lite destroy podgreedy
live_back "$base"
kxen_unload
tap_done
