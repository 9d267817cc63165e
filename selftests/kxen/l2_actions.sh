#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# on_reboot / on_crash with Debian's kernel as the guest (lab: LAB_L2=1):
# a guest reboot makes xl-lite's monitor re-create it (a new domid that
# boots to /init again); a kernel panic (sysrq c) is a crash that
# on_crash = destroy cleans up and on_crash = preserve leaves listed.
. /selftests/data/tap.sh

[ -r "$L2_DIR/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 14
kxen_load
base=$(kxen_live)
rm -f "$XL_LOG_DIR"/xl-l2*.log

# create_console NAME OUT: create NAME and copy its console to OUT until
# the guest has ended (shut down, crashed or gone).  Only the L2- lines
# are echoed: the lab stops at the first panic message on L1's console,
# even one quoted from a guest.
create_console()
{
	timeout 900 xl-lite create -c "/tmp/$1.cfg" > "$2" 2>&1
	grep '^L2-' "$2" | sed 's/^/#   /'
}

# on_reboot = restart, xl's default.
l2_cfg l2r reboot
L=$XL_LOG_DIR/xl-l2r.log
create_console l2r /tmp/l2r-1.out
d1=$(sed -n 's/^Waiting for domain l2r (domid \([0-9]*\)).*/\1/p' "$L")
tap_check "reboot: the first boot reached /init and rebooted" \
	sh -c 'grep -q L2-INIT-OK /tmp/l2r-1.out && grep -q L2-REBOOTING /tmp/l2r-1.out'
tap_check "its monitor restarted it" \
	wait_grep "$L" "^Domain l2r restarted: domid" 120
d2=$(sed -n 's/^Domain l2r restarted: domid \([0-9]*\),.*/\1/p' "$L" | head -n 1)
tap_check "as a new domain (domid $d1, then ${d2:-none})" \
	test -n "$d1" -a -n "$d2" -a "${d2:-0}" -gt "${d1:-0}"
timeout 900 xl-lite console "$d2" > /tmp/l2r-2.out 2>&1
grep '^L2-' /tmp/l2r-2.out | sed 's/^/#   /'
tap_check "which boots to /init again" grep -q L2-INIT-OK /tmp/l2r-2.out
guest_log_clean "both boots" /tmp/l2r-1.out /tmp/l2r-2.out
# Each boot reboots again: stop the monitor first, then its domain.
pid=$(monitor_pid l2r)
kill "$pid"
tap_check "the monitor stops on SIGTERM" wait_pid_gone "$pid" 10
sed 's/^/#   /' "$L"
xl-lite destroy l2r 2>/dev/null

# A kernel panic with on_crash = destroy, xl's default.
l2_cfg l2c crash
create_console l2c /tmp/l2c.out
tap_check "crash: the guest kernel panicked" grep -q "Kernel panic" /tmp/l2c.out
tap_check "on_crash=destroy: its monitor destroyed it" wait_gone l2c 60
tap_check "having seen shutdown reason crash" \
	grep -q "reason code 3 (crash)" "$XL_LOG_DIR/xl-l2c.log"

# The same with on_crash = preserve.
l2_cfg l2p crash 'on_crash = "preserve"'
create_console l2p /tmp/l2p.out
tap_check "on_crash=preserve: it stays listed, crashed" wait_state l2p c 60
xl-lite list | sed 's/^/#   /'
tap_check "and its monitor has exited" wait_pid_gone "$(monitor_pid l2p)" 10
tap_check "destroy it" xl-lite destroy l2p

live_back "$base"
tap_check "the module unloads" kxen_unload
test_elapsed
tap_done
