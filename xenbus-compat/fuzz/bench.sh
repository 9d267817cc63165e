#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The long fuzzing run: 10^7 executions of the xenstore fuzzer under
# ASan/UBSan (RUNS overrides), reporting executions per second.
#
#   xenbus-compat/fuzz/bench.sh [RUNS]
set -eu

cd "$(dirname "$0")/.."
runs=${1:-10000000}
make -s build/fuzz_xs build/mkcorpus
t0=$(date +%s)
fuzz/run.sh build/fuzz_xs build/mkcorpus 86400 "$runs"
t=$(( $(date +%s) - t0 ))
echo "fuzz bench: $runs executions in ${t}s ($(( runs / (t > 0 ? t : 1) )) exec/s)"
