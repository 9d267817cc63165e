# SPDX-License-Identifier: GPL-2.0
#
# Running L1 in an emulator and watching its serial console.
# Sourced by selftests/lab/run.

SENTINEL=KXEN-LAB-DONE
# Kernel lines carry a "[ time]" prefix (printk.time=1); test output comes
# prefixed by "# ", so a test that prints these words does not stop a run.
PANIC_RE='Kernel panic - not syncing|(^|\] )(BUG: |Oops: |general protection fault)'

EMU_PID=

# bochs_rc FILE BOOT(disk|cdrom) IMAGE SERIAL
bochs_rc()
{
	local media

	if [ "$2" = disk ]; then
		media="ata0-master: type=disk, path=\"$3\", mode=flat"
	else
		media="ata0-master: type=cdrom, path=\"$3\", status=inserted"
	fi
	# corei7_haswell_4770: VMX with EPT, unrestricted guest and VPID, and
	# the fastest model under Bochs.  clock sync=none with a fixed time0:
	# L1 time follows the instruction count, not the host's clock.
	cat > "$1" <<-EOF
	cpu: model=corei7_haswell_4770, count=$CPUS, ips=50000000, reset_on_triple_fault=0, ignore_bad_msrs=1
	memory: guest=$LAB_MEM, host=$LAB_MEM
	clock: sync=none, time0=1704067200, rtc_sync=0
	romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
	vgaromimage: file=/usr/share/vgabios/vgabios.bin
	display_library: term, options="hideIPS"
	boot: $2
	$media
	com1: enabled=1, mode=file, dev="$4"
	port_e9_hack: enabled=1
	plugin_ctrl: speaker=0, extfpuirq=0, parallel=0, gameport=0, iodebug=0
	mouse: enabled=0
	log: $RUNDIR/bochs.log
	panic: action=fatal
	error: action=report
	info: action=ignore
	debug: action=ignore
	EOF
}

# Starts the emulator in the background, under timeout -k so that even a
# guest spinning with interrupts off (Bochs ignores SIGTERM then) ends.
emu_start()
{
	local serial=$1 dbg="$RUNDIR/bochs.dbg" rc="$RUNDIR/bochsrc"

	: > "$serial"
	case $EMU in
	qemu)
		# No -no-reboot: a triple fault of L1 resets the machine, and
		# the reset logs each CPU's state as it was (-d cpu_reset)
		# before emu_watch stops it.  -no-reboot would exit with none.
		: > "$RUNDIR/qemu-debug.log"
		timeout -k 5 "$TIMEOUT" "${LAB_QEMU:-qemu-system-x86_64}" \
			-cpu max -m "$LAB_MEM" \
			-smp "$CPUS" -nographic \
			-monitor "unix:$RUNDIR/monitor.sock,server,nowait" \
			-serial "file:$serial" -rtc base=2024-01-01T00:00:00,clock=vm \
			-kernel "$BZIMAGE" -initrd "$INITRD" -append "$CMDLINE" \
			-d "cpu_reset${LAB_QEMU_LOG:+,$LAB_QEMU_LOG}" \
			-D "$RUNDIR/qemu-debug.log" \
			${LAB_QEMU_ACCEL:+-accel "$LAB_QEMU_ACCEL"} \
			< /dev/null > "$RUNDIR/qemu.out" 2>&1 &
		;;
	bochs)
		if [ "$BOOT" = iso ]; then
			bochs_rc "$rc" cdrom "$ISO" "$serial"
		else
			bochs_rc "$rc" disk "$DISK" "$serial"
		fi
		# Debian's Bochs has its debugger built in and stops at a
		# prompt at t=0: feed it "continue" and "quit".
		printf 'continue\nquit\n' > "$dbg"
		TERM=xterm timeout -k 5 "$TIMEOUT" bochs-bin -q -unlock -f "$rc" \
			-rc "$dbg" < /dev/null > "$RUNDIR/bochs.out" 2>&1 &
		EMU_PID=$!
		bochs_drain_screen "$RUNDIR/bochs.out" &
		DRAIN_PID=$!
		return
		;;
	esac
	EMU_PID=$!
}

# Bochs's term display puts the screen on a pty of its own (its debugger
# keeps stdin and stdout) and names it in bochs.out.  Nothing else reads
# that pty: once its buffer is full, minutes into a run, Bochs blocks in a
# write.  Read it into /dev/null until Bochs closes it.
bochs_drain_screen()
{
	local out=$1 pts= i

	for i in $(seq 1 300); do
		pts=$(sed -n 's/.*connected to screen "\([^"]*\)".*/\1/p' \
			"$out" 2>/dev/null)
		[ -n "$pts" ] && break
		sleep 0.1
	done
	[ -c "$pts" ] && exec cat "$pts" > /dev/null 2>&1
}

# Stops the emulator: SIGTERM to timeout(1), which passes it on and sends
# SIGKILL 5 s later; anything still there after that gets SIGKILL here.
emu_stop()
{
	local i c child alive

	[ -n "$EMU_PID" ] || return 0
	child=$(pgrep -P "$EMU_PID" 2>/dev/null || true)
	kill -TERM "$EMU_PID" 2>/dev/null || true
	for i in $(seq 1 40); do
		kill -0 "$EMU_PID" 2>/dev/null || break
		sleep 0.25
	done
	for i in $child $EMU_PID; do
		kill -KILL "$i" 2>/dev/null || true
	done
	wait "$EMU_PID" 2>/dev/null || true
	for i in $(seq 1 20); do
		alive=
		for c in $child; do
			kill -0 "$c" 2>/dev/null && alive=1
		done
		[ -z "$alive" ] && break
		sleep 0.25
	done
	EMU_PID=
	if [ -n "${DRAIN_PID:-}" ]; then
		kill "$DRAIN_PID" 2>/dev/null || true
		wait "$DRAIN_PID" 2>/dev/null || true
		DRAIN_PID=
	fi
} 2>/dev/null	# no "Killed" notice: a killed emulator is expected here

# Prints the serial log's new complete lines and watches for the end:
# the sentinel, a kernel panic/oops, the emulator exiting, or the global
# timeout.  Sets END to sentinel|panic|exit|timeout, BOOT_WALL to the wall
# seconds until /init spoke, EMU_WALL to the seconds the emulator ran.
# Each test's start ("# test: NAME" on the console) is stamped with the
# wall seconds since the emulator started, in $RUNDIR/test-wall: L1's own
# clock runs at the emulator's pace, so only the host can say which test
# costs the run its time.
emu_watch()
{
	local serial=$1 printed=0 lines start=$SECONDS grace=

	END=
	BOOT_WALL=
	S3_WOKEN=0
	S3_SINCE=
	POKE_LINES=0
	POKE_AT=$SECONDS
	POKES=0
	: > "$RUNDIR/test-wall"
	while :; do
		lines=$(wc -l < "$serial")
		if [ "$lines" -gt "$printed" ]; then
			sed -n "$((printed + 1)),${lines}p" "$serial" \
				> "$RUNDIR/new-lines"
			show < "$RUNDIR/new-lines"
			tr -d '\r' < "$RUNDIR/new-lines" |
				sed -n "s/^# test: /$((SECONDS - start)) /p" \
				>> "$RUNDIR/test-wall"
			printed=$lines
		fi
		if [ -z "$BOOT_WALL" ] && grep -aq 'TAP version 13' "$serial"; then
			BOOT_WALL=$((SECONDS - start))
			EMU_RESETS=$(emu_resets)
		fi
		if [ -z "$END" ]; then
			if grep -aq "^$SENTINEL" "$serial"; then
				END=sentinel
			elif grep -aEq "$PANIC_RE" "$serial"; then
				# Give the trace a moment to reach the log.
				END=panic
				grace=$((SECONDS + 3))
			elif emu_triple_fault; then
				END=triple
				grace=$((SECONDS + 2))
			elif ! kill -0 "$EMU_PID" 2>/dev/null; then
				END="exit"
			elif [ $((SECONDS - start)) -ge "$TIMEOUT" ]; then
				END=timeout
			fi
		fi
		[ -z "$END" ] && emu_s3_wake "$serial"
		[ -z "$END" ] && emu_poke "$serial" "$lines"
		if [ -n "$END" ] && [ "$SECONDS" -ge "${grace:-0}" ]; then
			break
		fi
		sleep 0.5
	done
	# Whatever came in since the last look, a partial last line included.
	sed -n "$((printed + 1)),\$p" "$serial" | show
	EMU_WALL=$((SECONDS - start))
}

# emu_monitor CMD: one command to QEMU's monitor; prints its reply.
emu_monitor()
{
	python3 - "$RUNDIR/monitor.sock" "$1" <<'PY' 2>&1
import socket, sys

def upto_prompt(s):
    buf = b""
    while not buf.endswith(b"(qemu) "):
        data = s.recv(4096)
        if not data:
            break
        buf += data
    return buf

s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
upto_prompt(s)
s.sendall(sys.argv[2].encode() + b"\n")
# The monitor echoes the line as typed, then the reply, then a prompt.
print(upto_prompt(s).decode(errors="replace"))
PY
}

# QEMU 7.2's AMD-V emulation can lose an L1 CPU's wake-up: its VMRUN and
# #VMEXIT helpers clear bits of the CPU's interrupt requests without the
# lock under which the timer thread sets the one that makes the CPU look
# at its local APIC, so a halted CPU can sleep on with its timer's vector
# pending in the APIC (seen: L1 idle, IRR 236, QEMU at 0% CPU, until any
# other interrupt arrived).  Any new APIC event makes it look again, so
# after 10 s with no new console line the lab presses Shift (a key that
# types nothing) on L1's keyboard, except while L1 is suspended to RAM
# (a key press wakes it).  Each press is counted in the run's log.
emu_poke()
{
	[ "$EMU" = qemu ] || return 0
	if [ "$2" != "$POKE_LINES" ]; then
		POKE_LINES=$2
		POKE_AT=$SECONDS
		return 0
	fi
	[ $((SECONDS - POKE_AT)) -ge 10 ] || return 0
	POKE_AT=$SECONDS
	# a suspend announced and not yet woken from
	[ "$(grep -ac '^# lab-s3-suspend' "$1" || true)" -gt "$S3_WOKEN" ] &&
		return 0
	case $(emu_monitor "info status") in
	*suspended*) return 0 ;;
	esac
	emu_monitor "sendkey shift" > /dev/null
	POKES=$((POKES + 1))
	echo "$POKES" > "$RUNDIR/pokes"
}

# A test that suspends L1 to RAM says so first on a line
# "lab-s3-suspend SECONDS"; once QEMU has reported L1 suspended for that
# long, the lab wakes it (system_wakeup), as a key press would.  L1's own
# RTC alarm cannot: its rtc_cmos takes its interrupts through the HPET
# ("hpet irqs"), so QEMU's RTC never sees an alarm armed.
emu_s3_wake()
{
	local n secs

	[ "$EMU" = qemu ] || return 0
	n=$(grep -ac '^# lab-s3-suspend' "$1" || true)
	[ "$n" -gt "$S3_WOKEN" ] || return 0
	if [ -z "$S3_SINCE" ]; then
		case $(emu_monitor "info status") in
		*suspended*)	S3_SINCE=$SECONDS ;;
		esac
		return 0
	fi
	secs=$(tr -d '\r' < "$1" |
		sed -n 's/^# lab-s3-suspend \([0-9][0-9]*\)$/\1/p' | tail -n 1)
	[ $((SECONDS - S3_SINCE)) -ge "${secs:-0}" ] || return 0
	emu_monitor system_wakeup > /dev/null
	echo "lab: L1 suspended to RAM for $((SECONDS - S3_SINCE)) s; woken through QEMU's monitor"
	S3_WOKEN=$n
	S3_SINCE=
	return 0
}

# Prints each test's wall seconds, from the stamps emu_watch left; the
# last test ends when the emulator did.
emu_test_walls()
{
	[ -s "$RUNDIR/test-wall" ] || return 0
	echo "lab: wall seconds per test ($EMU):"
	awk -v end="$EMU_WALL" '
		{ t[NR] = $1; n[NR] = $2 }
		END {
			for (i = 1; i <= NR; i++) {
				e = (i < NR) ? t[i + 1] : end
				printf "lab:   %6d  %s\n", e - t[i], n[i]
			}
		}' "$RUNDIR/test-wall"
}

# QEMU logs "Triple fault" (-d cpu_reset) when L1 itself triple-faults;
# one in L2 is a #VMEXIT (SHUTDOWN) that kxen handles instead.  Any other
# reset of L1's first CPU once /init has spoken is L1 rebooting: the
# lab's L1 never does, so it ends the run the same way.  A wake from
# ACPI S3 resets the CPUs too: a test that suspends L1 says so first
# with a "lab-s3-suspend" line, and each such line allows one reset.
emu_resets()
{
	# Always succeeds (the caller runs under set -e): 0 without a log.
	if [ "$EMU" = qemu ] && [ -f "$RUNDIR/qemu-debug.log" ]; then
		grep -ac '^CPU Reset (CPU 0)' "$RUNDIR/qemu-debug.log" || true
	else
		echo 0
	fi
}

emu_triple_fault()
{
	[ "$EMU" = qemu ] || return 1
	local s3

	grep -aq '^Triple fault' "$RUNDIR/qemu-debug.log" && return 0
	s3=$(grep -ac "^# lab-s3-suspend" "$serial" || true)
	[ -n "${EMU_RESETS:-}" ] &&
		[ "$(emu_resets)" -gt $((EMU_RESETS + s3)) ]
}

# What the emulator itself said, and for a triple fault the state of every
# L1 CPU as the reset found it: where L1 was when it died.
emu_report_end()
{
	local out="$RUNDIR/$EMU.out" dbg="$RUNDIR/qemu-debug.log"

	if [ "$END" = triple ] && [ -s "$dbg" ]; then
		echo "lab: L1's CPUs when it reset (QEMU -d cpu_reset):"
		awk -v n="$EMU_RESETS" '/^Triple fault/ { p = 1 }
			/^CPU Reset \(CPU 0\)/ && ++r > n { p = 1 }
			p' "$dbg" | head -n 120 | sed 's/^/  | /'
	fi
	if [ "$EMU" = qemu ] && [ "$END" != sentinel ] && [ -s "$out" ]; then
		echo "lab: last 20 lines of QEMU's own output:"
		tail -n 20 "$out" | sed 's/^/  | /'
	fi
	return 0
}

show()
{
	[ "$QUIET" = 1 ] && { cat > /dev/null; return; }
	tr -d '\r' | sed 's/^/  | /'
}
