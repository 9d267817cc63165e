#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# xl-lite shutdown and reboot through xenstore, with Debian's kernel as
# the guest (lab: LAB_L2=1): xl-lite writes ~/control/shutdown, the guest's
# xenbus acts on it (its kernel runs /sbin/poweroff or /sbin/reboot), and
# the domain's monitor follows on_poweroff / on_reboot.  No fallback: the
# guest did it, well before xl-lite's 30 s limit.
. /selftests/data/tap.sh

[ -r "$L2_DIR/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
command -v xenstore-read >/dev/null ||
	tap_skip_all "no xenstore-read in L1 (xenstore-utils not on the lab host)"
tap_plan 10
kxen_load
base=$(kxen_live)
cons=

# boot_idle NAME: create NAME in idle mode, its console into /tmp/NAME.out,
# until its xenbus says it listens for poweroff (or 5 minutes).
boot_idle()
{
	l2_cfg "$1" idle
	xl-lite create "/tmp/$1.cfg" > /dev/null
	timeout 900 xl-lite console "$1" > "/tmp/$1.out" 2>&1 &
	cons="$cons $!"
	wait_grep "/tmp/$1.out" L2-IDLE 300
	d=$(xl_domid "$1")
	_i=0
	while [ "$(xenstore-read /local/domain/$d/control/feature-poweroff 2>/dev/null)" != 1 ] &&
	      [ $_i -lt 300 ]; do
		sleep 1
		_i=$((_i + 1))
	done
}

boot_idle l2s
tap_check "the guest's xenbus says it listens (control/feature-poweroff)" \
	test "$(xenstore-read /local/domain/$d/control/feature-poweroff)" = 1
timeout 120 xl-lite shutdown -w l2s > /tmp/l2s.sd 2>&1
sed 's/^/#   /' /tmp/l2s.sd
tap_check "shutdown -w: the guest got the request through xenstore" \
	wait_grep /tmp/l2s.out "L2-SHUTDOWN-REQUEST poweroff" 10
tap_check "and powered off by itself, no fallback" \
	sh -c "! grep -q 'kxen shuts it down' /tmp/l2s.sd &&
	       grep -Eq 'has been (shut down, reason code 0|destroyed)' /tmp/l2s.sd"
tap_check "on_poweroff=destroy: its monitor destroyed it" wait_gone l2s 60

boot_idle l2b
d1=$d
timeout 120 xl-lite reboot l2b > /tmp/l2b.rb 2>&1
sed 's/^/#   /' /tmp/l2b.rb
tap_check "reboot: the guest got the request through xenstore" \
	wait_grep /tmp/l2b.out "L2-SHUTDOWN-REQUEST reboot" 60
tap_check "and rebooted by itself, no fallback" \
	sh -c "! grep -q 'kxen shuts it down' /tmp/l2b.rb"
tap_check "on_reboot=restart: its monitor re-created it" \
	wait_grep "$XL_LOG_DIR/xl-l2b.log" "^Domain l2b restarted: domid" 60
d2=$(xl_domid l2b)
tap_check "as a new domain (domid $d1, then ${d2:-none})" \
	test "${d2:-0}" -gt "${d1:-0}"
pid=$(monitor_pid l2b)
kill "$pid"
wait_pid_gone "$pid" 10
xl-lite destroy l2b
kill $cons 2>/dev/null
guest_log_clean "both guests" /tmp/l2s.out /tmp/l2b.out
live_back "$base"
kxen_unload
tap_done
