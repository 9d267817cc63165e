# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# The peer lab's table (selftests/lab/bench).  Results are lines
# "ROUND SIDE KEY VALUE", SIDE kxen or xen; keys starting with info_ are
# notes (round 0, side "all", for the whole run).

# bench_report FILE: one row per measure: each side's mean, range and
# count, kxen/Xen as the ratio of the means with the range of the
# per-round ratios, and which way is better.
bench_report()
{
	local f=$1

	awk '$3 == "info_date" || $3 == "info_commit" || $3 == "info_machine" {
		v = $0; sub(/^[^ ]* [^ ]* [^ ]* /, "", v); info[$3] = v
	}
	$3 ~ /^info_/ { next }
	{
		side = $2; key = $3; v = $4 + 0; r = $1
		if (!(key in known)) { known[key] = 1; order[++nkeys] = key }
		k = side SUBSEP key
		n[k]++; sum[k] += v
		if (!(k in lo) || v < lo[k]) lo[k] = v
		if (!(k in hi) || v > hi[k]) hi[k] = v
		rsum[r, k] += v; rn[r, k]++; rounds[r] = 1
	}
	function num(v) {
		if (v >= 1000) return sprintf("%.0f", v)
		if (v >= 100) return sprintf("%.1f", v)
		return sprintf("%.3g", v)
	}
	function cell(side, key,    k) {
		k = side SUBSEP key
		if (!(k in n)) return "-"
		return sprintf("%s [%s-%s] n=%d", num(sum[k] / n[k]),
			       num(lo[k]), num(hi[k]), n[k])
	}
	function better(key) {
		if (key ~ /_(ops_s|mb_s|iops)$/) return "higher"
		return "lower"
	}
	function ratio(key,    a, b, r, q, qlo, qhi, first) {
		a = "kxen" SUBSEP key; b = "xen" SUBSEP key
		if (!(a in n) || !(b in n) || sum[b] == 0) return "-"
		first = 1
		for (r in rounds) {
			if (!((r, a) in rn) || !((r, b) in rn) || rsum[r, b] == 0)
				continue
			q = (rsum[r, a] / rn[r, a]) / (rsum[r, b] / rn[r, b])
			if (first || q < qlo) qlo = q
			if (first || q > qhi) qhi = q
			first = 0
		}
		if (first) return sprintf("%.2f", (sum[a] / n[a]) / (sum[b] / n[b]))
		return sprintf("%.2f [%.2f-%.2f]",
			       (sum[a] / n[a]) / (sum[b] / n[b]), qlo, qhi)
	}
	END {
		printf "kxen against Xen 4.17, %s; %s, commit %s\n",
		       info["info_machine"], info["info_date"], info["info_commit"]
		printf "times in s of L1 time (l1_wall_s: host wall), hc_*_ns per operation\n\n"
		printf "%-30s %-30s %-30s %-22s %s\n", "measure", "kxen mean [min-max]",
		       "xen mean [min-max]", "kxen/xen [rounds]", "better"
		for (i = 1; i <= nkeys; i++) {
			key = order[i]
			printf "%-30s %-30s %-30s %-22s %s\n", key, cell("kxen", key),
			       cell("xen", key), ratio(key), better(key)
		}
	}' "$f"
	if grep -q ' info_foreign_emulators ' "$f"; then
		echo
		echo "L1 boots with another emulator running on this machine (timings skewed):"
		awk '$3 == "info_foreign_emulators" {
			printf "  round %s %s: pids", $1, $2
			for (i = 4; i <= NF; i++) printf " %s", $i
			printf "\n"
		}' "$f"
	fi
}
