#!/bin/bash
# `make bench`: one VM run of the same fio workloads on scstu nullio (via
# scstu_local), LIO tcm_loop + rd_mcp and scsi_debug (tests/bench/guest.sh),
# then a table of IOPS and MB/s with the ratios scstu/scsi_debug and
# scstu/LIO.  Under TCG only the ratios mean something: the workloads run in
# rounds with the targets interleaved, and each ratio is the median of the
# per-round ratios.
#
#   tests/bench/run.sh [TARGET...]     TARGET: scsi_debug scsi_debug_nodelay
#                                      lio scstu (default: all four)
#
# Results: build/bench/<timestamp>/ (results.csv per round, summary.csv,
# results.json, table.txt, fio output, device settings, dmesg);
# build/bench/latest points there.
# Environment: SCSTU_BENCH_ROUNDS (4), SCSTU_BENCH_RUNTIME (5 s per run),
# SCSTU_BENCH_RAMP (1 s), SCSTU_VM_MEM (default here 4096), SCSTU_KVM=1.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${SCSTU_RESULTS:-$ROOT/build/bench/$(date +%Y%m%d-%H%M%S)-$$}
mkdir -p "$OUT"
ln -sfn "$OUT" "$ROOT/build/bench/latest" 2>/dev/null

export SCSTU_VM_MEM=${SCSTU_VM_MEM:-4096}
export SCSTU_VM_TIMEOUT=${SCSTU_VM_TIMEOUT:-1200}
echo "bench: one VM, results in $OUT"
t0=$(date +%s)
SCSTU_RESULTS="$OUT" SCSTU_VM_QUIET=1 bash "$ROOT/tests/vm/vm.sh" \
	"$ROOT/tests/bench/guest.sh" "$@" >"$OUT/vm.log" 2>&1
rc=$?
echo "bench: VM done in $(($(date +%s) - t0))s, guest exit $rc"
if [ ! -s "$OUT/results.csv" ]; then
	echo "bench: no results.csv; console:" >&2
	tail -40 "$OUT/console.log" >&2
	exit 1
fi
cat "$OUT/env.txt" 2>/dev/null

awk -F, -v json="$OUT/results.json" -v summary="$OUT/summary.csv" '
	NR == 1 { next }
	{
		r = $1; tg = $2; wl = $3
		if (!(wl in seenw)) { seenw[wl] = 1; w[nw++] = wl }
		if (!(tg in seent)) { seent[tg] = 1; t[nt++] = tg }
		if (r > nr) nr = r
		if ($4 == "") { bad[tg, wl] = 1; next }
		k = tg SUBSEP wl
		iops[k, r] = $4
		n[k]++; si[k] += $4; sm[k] += $5; sl[k] += $6
		if (!(k in mn) || $4 + 0 < mn[k]) mn[k] = $4 + 0
		if (!(k in mx) || $4 + 0 > mx[k]) mx[k] = $4 + 0
	}
	# median of the per-round ratios scstu/b
	function ratio(wl, b,    r, m, i, j, v, x, ks, kb) {
		m = 0
		for (r = 1; r <= nr; r++) {
			ks = "scstu" SUBSEP wl SUBSEP r
			kb = b SUBSEP wl SUBSEP r
			if ((ks in iops) && (kb in iops) && iops[kb] > 0)
				v[m++] = iops[ks] / iops[kb]
		}
		if (m == 0) return "n/a"
		for (i = 1; i < m; i++)
			for (j = i; j > 0 && v[j - 1] > v[j]; j--) { x = v[j]; v[j] = v[j - 1]; v[j - 1] = x }
		return sprintf("%.2f", m % 2 ? v[int(m / 2)] : (v[m / 2 - 1] + v[m / 2]) / 2)
	}
	END {
		printf "%-19s %-17s %9s %9s %11s %17s\n", "target", "workload", "IOPS", "MB/s", "lat avg us", "IOPS min..max"
		print "target,workload,rounds,iops,mb_s,lat_mean_us,iops_min,iops_max" > summary
		printf "[" > json
		c = 0
		for (i = 0; i < nw; i++)
			for (j = 0; j < nt; j++) {
				k = t[j] SUBSEP w[i]
				if (!n[k]) {
					printf "%-19s %-17s %9s\n", t[j], w[i], "FAILED"
					printf "%s,%s,0,,,,,\n", t[j], w[i] > summary
					printf "%s\n  {\"target\": \"%s\", \"workload\": \"%s\", \"rounds\": 0}", (c++ ? "," : ""), t[j], w[i] > json
					continue
				}
				a = si[k] / n[k]; b = sm[k] / n[k]; l = sl[k] / n[k]
				printf "%-19s %-17s %9.0f %9.1f %11.0f %8d..%-8d\n", t[j], w[i], a, b, l, mn[k], mx[k]
				printf "%s,%s,%d,%.0f,%.1f,%.0f,%d,%d\n", t[j], w[i], n[k], a, b, l, mn[k], mx[k] > summary
				printf "%s\n  {\"target\": \"%s\", \"workload\": \"%s\", \"rounds\": %d, \"iops\": %.0f, \"mb_s\": %.1f, \"lat_mean_us\": %.0f, \"iops_min\": %d, \"iops_max\": %d}", \
					(c++ ? "," : ""), t[j], w[i], n[k], a, b, l, mn[k], mx[k] > json
			}
		print "\n]" > json
		print ""
		print "ratios (median of the per-round IOPS ratios; same block size, so MB/s alike):"
		printf "%-17s %17s %25s %10s\n", "workload", "scstu/scsi_debug", "scstu/scsi_debug_nodelay", "scstu/LIO"
		for (i = 0; i < nw; i++)
			printf "%-17s %17s %25s %10s\n", w[i], ratio(w[i], "scsi_debug"),
				ratio(w[i], "scsi_debug_nodelay"), ratio(w[i], "lio")
	}' "$OUT/results.csv" | tee "$OUT/table.txt"
grep -h '^!!' "$OUT/console.log" 2>/dev/null
exit $rc
