#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the xenstore fuzzer for a bounded time or number of runs over a
# fresh seed corpus; fails on any crash, sanitizer report or leak.
#
#   fuzz/run.sh FUZZER MKCORPUS SECONDS [RUNS]   (RUNS 0: bounded by time)
set -eu

fuzzer=$1 mkcorpus=$2 secs=$3 runs=${4:-0}
work=$(dirname "$fuzzer")/fuzz-work
rm -rf "$work"
mkdir -p "$work/corpus" "$work/seeds"
"$mkcorpus" "$work/seeds"
args=(-max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048
      -artifact_prefix="$work/" -print_final_stats=1)
[ "$runs" != 0 ] && args+=(-runs="$runs")
limit="${secs}s"; [ "$runs" != 0 ] && limit="$runs runs"
echo "fuzz: $fuzzer, $limit, seeds: $(ls "$work/seeds" | wc -l)"
"$fuzzer" "${args[@]}" "$work/corpus" "$work/seeds" 2>&1 | tee "$work/log" |
	grep -E '^(#[0-9]+ +DONE|Done|stat::|==[0-9]+==ERROR|SUMMARY)' || true
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ] || ls "$work"/crash-* "$work"/leak-* >/dev/null 2>&1; then
	echo "fuzz: FAILED (status $status); see $work/log"
	exit 1
fi
echo "fuzz: OK, no crash, no leak"
