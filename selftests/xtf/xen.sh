# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# The reference side of selftests/xtf/run: the lab's Xen L1
# (selftests/lab/lib/xen.sh) running selftests/kxen/xtf_run.sh with xl.
# Sourced by selftests/xtf/run (uses W, ROOT, BUILD, log, die).

# shellcheck source=selftests/lab/lib/xen.sh
. "$ROOT/selftests/lab/lib/xen.sh"
XEN_SMP=${XTF_XEN_SMP:-2}
XEN_MEM=${XTF_XEN_MEM:-1024}

# $XEN_DIR/l1.cpio: the Xen L1 (xen_stage_base) with the XTF payload as
# /extra, xtf_run.sh and its helpers, run with xl as its /payload.
xen_initramfs()
{
	local s=$XEN_DIR/stage

	xen_stage_base "$s"
	install -m 0755 "$ROOT/selftests/kxen/xtf_run.sh" "$s/selftests/xtf_run.sh"
	cp "$ROOT/selftests/kxen/data/tap.sh" "$s/selftests/data/tap.sh"
	cp -r "$W/payload" "$s/extra"
	cat > "$s/payload" <<-'EOF'
	#!/bin/sh
	XTF_XL=xl XTF_CFG_EXTRA='tsc_mode="native"' exec /selftests/xtf_run.sh
	EOF
	chmod 0755 "$s/payload"
	xen_pack "$s" "$XEN_DIR/l1.cpio"
}

# start_emu EMU SERIAL LIMIT: the Xen L1 under QEMU or Bochs, in the
# background, its pid in EMU_PID.  Bochs boots a GRUB ISO (it has no
# -kernel) with one CPU: both of its CPUs would share one host thread.
start_emu()
{
	local serial=$2 limit=$3

	if [ "$1" = bochs ]; then
		command -v bochs-bin > /dev/null || die "bochs-bin missing"
		# shellcheck source=selftests/lab/lib/emu.sh
		. "$ROOT/selftests/lab/lib/emu.sh"
		xen_iso "$XEN_DIR/l1.cpio" "$XEN_DIR/l1.iso"
		xen_bochs_start 1 "$XEN_MEM" "$XEN_DIR/l1.iso" "$serial" \
			"$XEN_DIR/l1" "$limit"
		return
	fi
	command -v qemu-system-x86_64 > /dev/null || die "qemu-system-x86_64 missing"
	xen_qemu_args "$XEN_SMP" "$XEN_MEM" "$serial" "$XEN_DIR/l1.cpio"
	timeout -k 5 "$limit" qemu-system-x86_64 "${XEN_QEMU_ARGS[@]}" \
		< /dev/null > "$XEN_DIR/qemu.out" 2>&1 &
	EMU_PID=$!
}

# run_xen EMU: one Xen L1 boot under EMU (qemu or bochs) running the
# selected tests; its results are side xen (QEMU) or xenbochs.
run_xen()
{
	local emu=$1 side=xen serial limit t0 qpid end='' shown=0 n

	[ "$emu" = bochs ] && side=xenbochs
	serial=$XEN_DIR/serial-$emu.log
	[ -x /bin/busybox ] || die "busybox-static missing"
	xen_fetch
	xen_dom0_kernel
	xen_initramfs
	limit=$(boot_limit 1)
	[ "$emu" = bochs ] && limit=$((limit * 4))
	log "$side: one L1 boot (Xen $XEN_VER, PV dom0 $KVER, $emu)," \
	    "$(wc -l < "$W/instances") tests, limit ${limit}s"
	: > "$serial"
	t0=$SECONDS
	start_emu "$emu" "$serial" "$limit"
	qpid=$EMU_PID
	while :; do
		n=$(wc -l < "$serial")
		if [ "$n" -gt "$shown" ]; then
			sed -n "$((shown + 1)),${n}p" "$serial" | progress
			shown=$n
		fi
		if grep -aq '^XEN-L1-DONE' "$serial"; then
			end=sentinel
		elif grep -aEq 'Panic on CPU|Kernel panic - not syncing' "$serial"; then
			end=panic
		elif ! kill -0 "$qpid" 2>/dev/null; then
			end=exited
		fi
		[ -n "$end" ] && break
		sleep 0.5
	done
	sleep 2
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	sed -n "$((shown + 1)),\$p" "$serial" | progress
	log "$side: L1 ended by: $end; serial log $serial"
	if [ "$end" != sentinel ] || grep -aq 'XEN-L1-ERROR' "$serial"; then
		tr -d '\r' < "$serial" | tail -n 30 | sed 's/^/  | /' >&2
	fi
	parse_tap "$serial" "$side" $((SECONDS - t0))
}
