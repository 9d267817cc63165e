#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xenstore operations per second (read, write, directory, transaction
# commit) through Debian's libxenstore: kxen's store core served by
# xsd-user on a Unix socket, side by side with Debian's own xenstored
# (package xen-utils-4.17) started the same way when it can run here.
# Debian's xenstored cannot serve without a Xen hypervisor: this script
# tries it in the same run and prints the reason it measured.
#
#   xenbus-compat/bench/bench.sh [OPS]
#   XENSTORED_BIN=path/to/xenstored xenbus-compat/bench/bench.sh
set -eu

cd "$(dirname "$0")/.."
ops=${1:-20000}
make -s build/xsd-user build/xs_bench
dir=$(mktemp -d)
pids=()
cleanup()
{
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT

wait_socket()
{
	for _ in $(seq 50); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

echo "== kxen store core (xsd-user, Unix socket), $ops ops each"
build/xsd-user "$dir/kxen.sock" &
pids+=($!)
wait_socket "$dir/kxen.sock"
XENSTORED_PATH=$dir/kxen.sock build/xs_bench -n "$ops" | tee "$dir/kxen.txt"

bin=${XENSTORED_BIN:-$(ls /usr/lib/xen-*/bin/xenstored 2>/dev/null | head -n 1)}
echo "== Debian's xenstored (${bin:-not installed})"
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
	echo "peer: skipped: no xenstored binary (Debian package xen-utils-4.17, or XENSTORED_BIN=)"
	exit 0
fi
# Without a hypervisor it cannot open privcmd; -D (no dom0 setup) is the
# only way it starts here.
mkdir -p "$dir/run"
if ! XENSTORED_RUNDIR=$dir/run timeout 5 "$bin" -N >"$dir/full.log" 2>&1; then
	echo "peer: '$bin -N' exits: $(tail -n 1 "$dir/full.log")"
fi
XENSTORED_RUNDIR=$dir/run "$bin" -N -D </dev/null >"$dir/xsd.log" 2>&1 &
xsd=$!
pids+=($xsd)
wait_socket "$dir/run/socket" || { echo "peer: no socket with -D"; exit 0; }
if XENSTORED_PATH=$dir/run/socket build/xs_bench -n "$ops" -p /kxen-bench \
	> "$dir/peer.txt" 2>&1; then
	cat "$dir/peer.txt"
	paste "$dir/kxen.txt" "$dir/peer.txt" | awk '$1 == "xs_bench:" {
		printf "ratio %-11s kxen/xenstored = %.2f\n", $2, $9 / $(NF-1) }'
else
	rc=0
	wait "$xsd" 2>/dev/null || rc=$?
	sig=""
	[ $rc -gt 128 ] && sig=" (killed by signal $((rc - 128)): $(kill -l $((rc - 128))))"
	echo "peer: '$bin -N -D' answered no request: exit status $rc$sig on the first request."
	echo "peer: with -D dom0 is never introduced, and the first message dereferences its missing domain; without -D it needs the hypervisor (above). No side-by-side numbers on a machine without Xen."
fi
