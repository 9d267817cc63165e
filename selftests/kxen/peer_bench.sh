#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmark (not in the default list): kxen's side of the peer lab,
# selftests/lab/bench, which boots this L1 and one running Xen 4.17 in
# the same emulator and prints each measure as a ratio kxen/Xen.  The
# measurements are selftests/kxen/data/peer_bench.sh, the same script
# both sides run; its PEER-RESULT lines go to the console as comments.
#   LAB_L2=1 selftests/lab/run --qemu peer_bench
#   (LAB_ENV="PEER_BOOTS=N PEER_OPS=N" for other counts)
. /selftests/data/tap.sh

[ -r "$L2_DIR/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
[ -r /kxen/guests/hcbench.elf ] || tap_skip_all "no hcbench guest in this image"
tap_plan 3
kxen_load
PEER_SIDE=kxen XL=xl-lite /selftests/data/peer_bench.sh > /tmp/peer.out 2>&1
sed 's/^/# /' /tmp/peer.out
tap_check "every measure ran to its end (PEER-DONE)" grep -q '^PEER-DONE' /tmp/peer.out
tap_check "no measure reported an error" sh -c '! grep -q "^PEER-ERROR" /tmp/peer.out'
tap_check "module unloads cleanly" kxen_unload
tap_done
