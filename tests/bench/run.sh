#!/bin/bash
# `make bench`: one VM run of the same fio workloads on scstu nullio (via
# scstu_local), LIO tcm_loop + rd_mcp and scsi_debug (tests/bench/guest.sh),
# then a table of IOPS and MB/s with the ratios scstu/scsi_debug and
# scstu/LIO.  Under TCG only the ratios mean something.
#
#   tests/bench/run.sh [TARGET...]     TARGET: scsi_debug scsi_debug_nodelay
#                                      lio scstu (default: all four)
#
# Results: build/bench/<timestamp>/ (results.csv, results.json, fio output,
# device settings, dmesg); build/bench/latest points there.
# Environment: SCSTU_BENCH_RUNTIME (default 20 s per workload),
# SCSTU_BENCH_RAMP (3 s), SCSTU_VM_MEM (default here 4096), SCSTU_KVM=1.
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

# Table and ratios; results.json for machines.
awk -F, -v json="$OUT/results.json" '
	NR == 1 { next }
	{
		key = $1 SUBSEP $2
		iops[key] = $3; mbs[key] = $4; lat[key] = $5
		if (!($2 in seenw)) { seenw[$2] = 1; w[nw++] = $2 }
		if (!($1 in seent)) { seent[$1] = 1; t[nt++] = $1 }
	}
	function ratio(a, b) { return (a != "" && b != "" && b + 0 > 0) ? sprintf("%.2f", a / b) : "n/a" }
	END {
		printf "%-19s %-17s %10s %9s %12s\n", "target", "workload", "IOPS", "MB/s", "lat avg us"
		for (i = 0; i < nw; i++)
			for (j = 0; j < nt; j++) {
				k = t[j] SUBSEP w[i]
				printf "%-19s %-17s %10s %9s %12s\n", t[j], w[i],
					iops[k] == "" ? "FAILED" : iops[k], mbs[k], lat[k]
			}
		print ""
		printf "%-17s %18s %20s %12s\n", "workload", "scstu/scsi_debug", "scstu/sdebug_nodelay", "scstu/LIO"
		for (i = 0; i < nw; i++) {
			s = iops["scstu" SUBSEP w[i]]
			printf "%-17s %18s %20s %12s\n", w[i],
				ratio(s, iops["scsi_debug" SUBSEP w[i]]),
				ratio(s, iops["scsi_debug_nodelay" SUBSEP w[i]]),
				ratio(s, iops["lio" SUBSEP w[i]])
		}
		printf "[" > json
		n = 0
		for (i = 0; i < nw; i++)
			for (j = 0; j < nt; j++) {
				k = t[j] SUBSEP w[i]
				printf "%s\n  {\"target\": \"%s\", \"workload\": \"%s\", \"iops\": %s, \"mb_s\": %s, \"lat_mean_us\": %s}",
					(n++ ? "," : ""), t[j], w[i],
					iops[k] == "" ? "null" : iops[k], mbs[k] == "" ? "null" : mbs[k],
					lat[k] == "" ? "null" : lat[k] > json
			}
		print "\n]" > json
	}' "$OUT/results.csv" | tee "$OUT/table.txt"
grep -h '^!!' "$OUT/console.log" 2>/dev/null
exit $rc
