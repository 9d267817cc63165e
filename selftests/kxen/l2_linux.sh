#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's stock kernel as a Xen PVH guest (L2) under kxen: boots from an
# xl config, reaches its /init and reports from there (lab: LAB_L2=1).
. /selftests/data/tap.sh

L2=/kxen/l2
[ -r "$L2/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 8
kxen_load
cat > /tmp/l2.cfg <<CFG
type = "pvh"
name = "debian"
kernel = "$L2/vmlinux"
ramdisk = "$L2/initrd"
memory = ${L2_MEM:-256}
vcpus = 2
cmdline = "console=hvc0 earlyprintk=xen loglevel=7"
kxen_debug_port = 1
on_poweroff = "preserve"
CFG
tap_check "create the Debian guest" xl-lite create /tmp/l2.cfg
xl-lite console debian > /tmp/debian.out 2>&1 &
con=$!
i=0
last=0
still=0
while [ $i -lt 300 ]; do
	grep -q L2-READY /tmp/debian.out && break
	# A guest that prints nothing for a minute is stuck: stop waiting.
	size=$(wc -c < /tmp/debian.out)
	if [ "$size" = "$last" ]; then
		still=$((still + 1))
		[ $still -ge 60 ] && break
	else
		still=0
		last=$size
	fi
	case $(xl_state debian) in *[sc]*) break ;; esac
	sleep 1
	i=$((i + 1))
done
echo "after ${i}s: state $(xl_state debian)"
# A command typed at its console (the PV console's input ring).
printf 'echo L2-ANSWER-$((6*7))\n' |
	timeout 120 xl-lite console debian > /tmp/answer.out 2>&1
sleep 1
kill $con 2>/dev/null
tail -n 80 /tmp/debian.out | sed 's/^/#   /'
tap_check "the guest reached its /init" grep -q L2-INIT-OK /tmp/debian.out
tap_check "both vCPUs came up (nproc 2)" grep -q "L2-NPROC 2" /tmp/debian.out
tap_check "it uses the Xen clocksource" grep -q "L2-CLOCKSOURCE xen" /tmp/debian.out
tap_check "a command typed through xl-lite console runs and answers" \
	grep -q L2-ANSWER-42 /tmp/answer.out
tap_check "and it powered off from there" \
	sh -c 'grep -q L2-DONE /tmp/answer.out && xl-lite list | grep -q "^debian .*---s--"'
guest_log_clean "Debian's kernel" /tmp/debian.out /tmp/answer.out
domid=$(xl-lite domid debian)
xl-lite destroy debian
pit_probe_check "$domid"
rip=$(dmesg | sed -n 's/.*d[0-9]*: destroyed, vCPU0 last left guest mode at rip 0x\([0-9a-f]*\).*/\1/p' | tail -n 1)
# Where a guest that never finished was stuck.
if ! grep -q L2-DONE /tmp/debian.out && [ -n "$rip" ]; then
	echo "guest vCPU0 was at $(ksym "$rip")"
	for r in $(dmesg | sed -n 's/.*exit -[0-9]*: reason [0-9]* rip 0x\([0-9a-f]*\).*/\1/p' | sort -u); do
		echo "  exit at $r: $(ksym "$r")"
	done
fi
dmesg | grep kxen | tail -30 | sed 's/^/# /'
kxen_unload
tap_done
