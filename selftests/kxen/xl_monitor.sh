#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# xl-lite create leaves a monitor behind, as xl does: it carries out
# on_poweroff / on_crash (destroy, preserve, restart with xl's refusal of
# restart loops), -F does the same in the foreground, -e leaves none, and
# no monitor outlives its domain.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
for g in hello triplefault badargs; do
	[ -r "$G/$g.elf" ] || tap_skip_all "no $g.elf"
done
tap_plan 34
kxen_load
base=$(kxen_live)
rm -f "$XL_LOG_DIR"/xl-m*.log

# mon_cfg NAME ELF [KEY=VALUE LINES]: a guest with xl's default actions
# unless the extra lines say otherwise.
mon_cfg()
{
	guest_cfg "$1" "$2" 16 "${4:-}"
	sed -i '/^on_/d' "/tmp/$1.cfg"
	[ -n "${3:-}" ] && printf '%s\n' "$3" >> "/tmp/$1.cfg"
	return 0
}

# Default on_poweroff = destroy.
mon_cfg mhello "$G/hello.elf"
tap_check "create hello with xl's default actions" xl-lite create /tmp/mhello.cfg
tap_check "on_poweroff=destroy: its monitor destroys it" wait_gone mhello 60
tap_check "the monitor's log says so" \
	wait_grep "$XL_LOG_DIR/xl-mhello.log" "Action for shutdown reason code 0 is destroy" 10
pid=$(monitor_pid mhello)
tap_check "and the monitor (pid ${pid:-none}) has exited" wait_pid_gone "$pid" 10
# The same name again: the old log moves to .1, as libxl rotates xl's.
echo "first run" >> "$XL_LOG_DIR/xl-mhello.log"
xl-lite create /tmp/mhello.cfg > /dev/null 2>&1
wait_gone mhello 60 > /dev/null
wait_grep "$XL_LOG_DIR/xl-mhello.log" "Action for shutdown reason code 0 is destroy" 10 > /dev/null
tap_check "a second monitor of mhello: the first log is xl-mhello.log.1" sh -c \
	"grep -q '^first run' $XL_LOG_DIR/xl-mhello.log.1 &&
	 ! grep -q '^first run' $XL_LOG_DIR/xl-mhello.log &&
	 grep -q 'Action for shutdown reason code 0 is destroy' $XL_LOG_DIR/xl-mhello.log"

# on_crash = preserve: left listed, crashed; the monitor exits.
mon_cfg mtfp "$G/triplefault.elf" 'on_crash = "preserve"'
tap_check "create a crashing guest with on_crash=preserve" xl-lite create /tmp/mtfp.cfg
tap_check "it is crashed" wait_state mtfp c 60
tap_check "its monitor preserved it" \
	wait_grep "$XL_LOG_DIR/xl-mtfp.log" "Preserving domain" 10
tap_check "and exited" wait_pid_gone "$(monitor_pid mtfp)" 10
tap_check "the domain is still listed crashed" \
	sh -c '. /selftests/data/tap.sh; xl_state mtfp | grep -q c'
xl-lite destroy mtfp

# on_crash = restart: re-created, until it restarts too quickly.
mon_cfg mtfr "$G/triplefault.elf" 'on_crash = "restart"'
tap_check "create a crashing guest with on_crash=restart" xl-lite create /tmp/mtfr.cfg
L=$XL_LOG_DIR/xl-mtfr.log
tap_check "its monitor stops restarting it: restarted too quickly" \
	wait_grep "$L" "restarted too quickly" 120
sed 's/^/#   /' "$L"
first=$(sed -n 's/^Waiting for domain mtfr (domid \([0-9]*\)).*/\1/p' "$L")
n=$(grep -c "^Domain mtfr restarted: domid" "$L")
last=$(xl_domid mtfr)
tap_check "three restarts, each a new domain (domid $first then ... $last)" \
	test "$n" = 3 -a -n "$first" -a "$last" = "$((first + 3))"
tap_check "the last one is left listed crashed" wait_state mtfr c 10
tap_check "and the monitor has exited" wait_pid_gone "$(monitor_pid mtfr)" 10
xl-lite destroy mtfr

# A domain destroyed by someone else: its monitor exits.
mon_cfg mspin "$G/badargs.elf" "" "iters=1000000000"
xl-lite create /tmp/mspin.cfg
tap_check "a long-running guest runs" wait_state mspin rb 30
pid=$(monitor_pid mspin)
tap_check "its monitor (pid ${pid:-none}) waits" pid_alive "$pid"
xl-lite destroy mspin
tap_check "destroyed by xl-lite destroy: the monitor exits" wait_pid_gone "$pid" 10
tap_check "having seen it go" \
	grep -q "Domain [0-9]* has been destroyed." "$XL_LOG_DIR/xl-mspin.log"

# -F: the same in the foreground; create returns once the domain is gone.
mon_cfg mfg "$G/hello.elf"
timeout 120 xl-lite create -F /tmp/mfg.cfg > /tmp/mfg.out 2>&1
rc=$?
sed 's/^/#   /' /tmp/mfg.out
tap_check "create -F returns 0 once its domain powered off and was destroyed" \
	sh -c "[ $rc = 0 ] && grep -q 'reason code 0 (poweroff)' /tmp/mfg.out && \
		grep -q 'destroying the domain' /tmp/mfg.out"
tap_check "and the domain is gone" wait_gone mfg 5

# -e: no monitor, the domain stays shut down.
mon_cfg mnomon "$G/hello.elf"
xl-lite create -e /tmp/mnomon.cfg
tap_check "create -e: nobody acts on the shutdown, it stays listed" \
	wait_state mnomon s 60
tap_check "and no monitor log was written" test ! -e "$XL_LOG_DIR/xl-mnomon.log"
xl-lite destroy mnomon

# shutdown / reboot of a guest with no PV control interface (these test
# guests never write control/feature-*): as xl, refused without -F; with
# -F kxen shuts it down, and the monitor follows.
mon_cfg msd "$G/badargs.elf" "" "iters=1000000000"
xl-lite create /tmp/msd.cfg
wait_state msd rb 30
timeout 60 xl-lite shutdown msd > /tmp/msd.out 2>&1
rc=$?
sed 's/^/#   /' /tmp/msd.out
tap_check "shutdown without -F: status 1 (got $rc), xl's words, still running" \
	sh -c "[ $rc = 1 ] && \
		grep -q '^PV control interface not available: external graceful shutdown not possible' /tmp/msd.out && \
		grep -q '^shutdown failed (rc=-10)' /tmp/msd.out && \
		. /selftests/data/tap.sh && wait_state msd rb 5"
timeout 120 xl-lite shutdown -F -w msd > /tmp/msd.out 2>&1
sed 's/^/#   /' /tmp/msd.out
# -w sees it shut down, or already destroyed by its monitor.
tap_check "shutdown -F -w: kxen shut it down with reason poweroff" \
	sh -c "grep -q 'kxen shuts it down' /tmp/msd.out && \
		grep -Eq 'has been (shut down, reason code 0|destroyed)' /tmp/msd.out && \
		grep -q 'reason code 0 (poweroff)' $XL_LOG_DIR/xl-msd.log"
tap_check "and on_poweroff=destroy: its monitor destroyed it" wait_gone msd 30

# A guest that says it listens (dom0 writes its control/feature-poweroff
# for it) but never acts: shutdown asks, returns and forces nothing; only
# kxen's explicit --force-after falls back.
mon_cfg mfa "$G/badargs.elf" "" "iters=1000000000"
xl-lite create /tmp/mfa.cfg
wait_state mfa rb 30
d=$(xl_domid mfa)
xenstore-write "/local/domain/$d/control/feature-poweroff" 1
timeout 60 xl-lite shutdown mfa > /tmp/mfa.out 2>&1
rc=$?
sed 's/^/#   /' /tmp/mfa.out
sleep 2
tap_check "shutdown: status $rc, control/shutdown = poweroff, nothing forced" \
	sh -c "[ $rc = 0 ] && \
		[ \"\$(xenstore-read /local/domain/$d/control/shutdown)\" = poweroff ] && \
		! grep -q 'kxen shuts it down' /tmp/mfa.out && \
		. /selftests/data/tap.sh && wait_state mfa rb 5"
timeout 60 xl-lite shutdown --force-after=2 -w mfa > /tmp/mfa.out 2>&1
sed 's/^/#   /' /tmp/mfa.out
tap_check "shutdown --force-after=2: kxen shut it down 2 s later" \
	sh -c "grep -q '^Domain $d did not act on control/shutdown in 2 s: kxen shuts it down' /tmp/mfa.out && \
		grep -Eq 'has been (shut down, reason code 0|destroyed)' /tmp/mfa.out"
tap_check "and its monitor destroyed it" wait_gone mfa 30

mon_cfg mrb "$G/badargs.elf" "" "iters=1000000000"
xl-lite create /tmp/mrb.cfg
wait_state mrb rb 30
d1=$(xl_domid mrb)
timeout 120 xl-lite reboot -F mrb 2>&1 | sed 's/^/#   /'
tap_check "reboot: on_reboot=restart, its monitor re-created it" \
	wait_grep "$XL_LOG_DIR/xl-mrb.log" "^Domain mrb restarted: domid" 30
d2=$(xl_domid mrb)
tap_check "as a new domain that runs (domid $d1, then ${d2:-none})" \
	sh -c "[ '${d2:-0}' -gt '${d1:-0}' ] && \
		. /selftests/data/tap.sh && wait_state mrb rb 30"
pid=$(monitor_pid mrb)
xl-lite destroy mrb
tap_check "destroyed: its monitor exits" wait_pid_gone "$pid" 10

live_back "$base"
tap_check "the module unloads" kxen_unload
test_elapsed
tap_done
