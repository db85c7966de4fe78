#!/bin/bash
# `make bench`: one VM run of the same fio workloads on scstu nullio (via
# scstu_local), the userspace null sample through scstu_user with 1 and 2
# queues, LIO TCMU with tests/bench/tcmu_null, LIO tcm_loop + rd_mcp and
# scsi_debug (tests/bench/guest.sh), then a table of IOPS, MB/s and latency
# with the ratios between them.  Under TCG only the ratios mean something:
# the workloads run in rounds with the targets interleaved, and each ratio
# is the median of the per-round ratios.
#
#   tests/bench/run.sh [TARGET...]     TARGET: scstu user1 user2 tcmu lio
#                                      scsi_debug scsi_debug_nodelay tape
#                                      (default: all eight)
#
# tape (tests/bench/guest-tape.sh, after the others in the same boot): 256
# KiB streaming write/read through st on a scstu-vtl drive vs the
# userspace null disk, tape.csv and tape.txt; SCSTU_BENCH_TAPE_ROUNDS (3),
# SCSTU_BENCH_TAPE_MIB (64).
#
# Results: build/bench/<timestamp>/ (results.csv per round, summary.csv,
# results.json, ratios.csv, table.txt, fio output, device settings, handler
# logs, dmesg); build/bench/latest points there.
# Environment: SCSTU_BENCH_ROUNDS (4), SCSTU_BENCH_RUNTIME (5 s per run),
# SCSTU_BENCH_RAMP (1 s), SCSTU_BENCH_WORKLOADS, SCSTU_BENCH_FULL (0: the
# QD 1 and write workloads only on scstu/user/tcmu), SCSTU_BENCH_BUSY_POLL (0),
# SCSTU_BENCH_USER_NULL, SCSTU_VM_MEM (default here 4096), SCSTU_KVM=1,
# SCSTU_BENCH_NATIVE (1: first run build/bench/native-disk on the host,
# then build/bench/cart-bench: SCSTU_BENCH_CART (1), SCSTU_BENCH_CART_MIB
# (256), SCSTU_BENCH_CART_ROUNDS (5)).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${SCSTU_RESULTS:-$ROOT/build/bench/$(date +%Y%m%d-%H%M%S)-$$}
mkdir -p "$OUT"
ln -sfn "$OUT" "$ROOT/build/bench/latest" 2>/dev/null

# the SDK through its in-process harness, on the host before the VM
# (tests/bench/native; SCSTU_BENCH_NATIVE=0 skips it)
if [ "${SCSTU_BENCH_NATIVE:-1}" != 0 ]; then
	if make -s -C "$ROOT/tests/bench/native" BUILD="$ROOT/build" \
		>"$OUT/native-build.log" 2>&1; then
		"$ROOT/build/bench/native-disk" -c "$OUT/native.csv" \
			>"$OUT/native.txt" 2>&1 || echo "bench: native-disk failed"
		cat "$OUT/native.txt"
		# a VTL cartridge behind the tape class vs plain write()/read(),
		# on the filesystem of build/ (SCSTU_BENCH_CART=0 skips it)
		if [ "${SCSTU_BENCH_CART:-1}" != 0 ]; then
			"$ROOT/build/bench/cart-bench" -d "$ROOT/build/bench/cart-work.$$" \
				-s "${SCSTU_BENCH_CART_MIB:-256}" \
				-r "${SCSTU_BENCH_CART_ROUNDS:-5}" -c "$OUT/cart.csv" \
				>"$OUT/cart.txt" 2>&1 || echo "bench: cart-bench failed"
			{ echo "host load: $(cut -d' ' -f1-3 /proc/loadavg)"; cat "$OUT/cart.txt"; } |
				tee "$OUT/cart.tmp" && mv "$OUT/cart.tmp" "$OUT/cart.txt"
		fi
	else
		echo "bench: native benches did not build, see $OUT/native-build.log"
	fi
fi

export SCSTU_VM_MEM=${SCSTU_VM_MEM:-4096}
export SCSTU_VM_TIMEOUT=${SCSTU_VM_TIMEOUT:-1700}
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

awk -F, -v json="$OUT/results.json" -v summary="$OUT/summary.csv" \
	-v ratios="$OUT/ratios.csv" '
	NR == 1 { next }
	{
		r = $1; tg = $2; wl = $3
		if (!(wl in seenw)) { seenw[wl] = 1; w[nw++] = wl }
		if (!(tg in seent)) { seent[tg] = 1; t[nt++] = tg }
		if (r > nr) nr = r
		ran[tg, wl] = 1
		if ($4 == "") next
		k = tg SUBSEP wl
		iops[k, r] = $4
		n[k]++; si[k] += $4; sm[k] += $5; sl[k] += $6; sp[k] += $7
		if (!(k in mn) || $4 + 0 < mn[k]) mn[k] = $4 + 0
		if (!(k in mx) || $4 + 0 > mx[k]) mx[k] = $4 + 0
	}
	# median of the per-round IOPS ratios a/b
	function ratio(wl, a, b,    r, m, i, j, v, x, ka, kb) {
		m = 0
		for (r = 1; r <= nr; r++) {
			ka = a SUBSEP wl SUBSEP r
			kb = b SUBSEP wl SUBSEP r
			if ((ka in iops) && (kb in iops) && iops[kb] > 0)
				v[m++] = iops[ka] / iops[kb]
		}
		if (m == 0) return "n/a"
		for (i = 1; i < m; i++)
			for (j = i; j > 0 && v[j - 1] > v[j]; j--) { x = v[j]; v[j] = v[j - 1]; v[j - 1] = x }
		return sprintf("%.2f", m % 2 ? v[int(m / 2)] : (v[m / 2 - 1] + v[m / 2]) / 2)
	}
	function goal(what, wl, a, b, min,    x) {
		if (!((a, wl) in n) || !((b, wl) in n)) return
		x = ratio(wl, a, b)
		printf "  %-44s %5s  (goal >= %.2f) %s\n", what " " a "/" b " " wl, x, min,
			x == "n/a" ? "" : (x + 0 >= min ? "met" : "MISSED")
	}
	END {
		printf "%-19s %-17s %9s %9s %11s %11s %17s\n", "target", "workload", "IOPS", "MB/s", "lat avg us", "clat p99 us", "IOPS min..max"
		print "target,workload,rounds,iops,mb_s,lat_mean_us,clat_p99_us,iops_min,iops_max" > summary
		printf "[" > json
		c = 0
		for (i = 0; i < nw; i++)
			for (j = 0; j < nt; j++) {
				k = t[j] SUBSEP w[i]
				if (!(k in ran))
					continue
				if (!n[k]) {
					printf "%-19s %-17s %9s\n", t[j], w[i], "FAILED"
					printf "%s,%s,0,,,,,,\n", t[j], w[i] > summary
					printf "%s\n  {\"target\": \"%s\", \"workload\": \"%s\", \"rounds\": 0}", (c++ ? "," : ""), t[j], w[i] > json
					continue
				}
				a = si[k] / n[k]; b = sm[k] / n[k]; l = sl[k] / n[k]; p = sp[k] / n[k]
				printf "%-19s %-17s %9.0f %9.1f %11.0f %11.0f %8d..%-8d\n", t[j], w[i], a, b, l, p, mn[k], mx[k]
				printf "%s,%s,%d,%.0f,%.1f,%.0f,%.0f,%d,%d\n", t[j], w[i], n[k], a, b, l, p, mn[k], mx[k] > summary
				printf "%s\n  {\"target\": \"%s\", \"workload\": \"%s\", \"rounds\": %d, \"iops\": %.0f, \"mb_s\": %.1f, \"lat_mean_us\": %.0f, \"clat_p99_us\": %.0f, \"iops_min\": %d, \"iops_max\": %d}", \
					(c++ ? "," : ""), t[j], w[i], n[k], a, b, l, p, mn[k], mx[k] > json
			}
		print "\n]" > json
		# the comparisons whose two targets both ran
		np = split("user1/scstu user2/scstu user1/tcmu user2/tcmu scstu/scsi_debug scstu/scsi_debug_nodelay scstu/lio", pairs, " ")
		m = 0
		for (i = 1; i <= np; i++) {
			split(pairs[i], ab, "/")
			if ((ab[1] in seent) && (ab[2] in seent)) {
				use[++m] = pairs[i]; pa[m] = ab[1]; pb[m] = ab[2]
				fmt[m] = " %" (length(use[m]) < 11 ? 11 : length(use[m])) "s"
			}
		}
		print ""
		print "ratios (median of the per-round IOPS ratios; scstu = in-kernel nullio, user1/user2 = userspace null with 1/2 queues):"
		printf "%-17s", "workload"
		for (i = 1; i <= m; i++) printf fmt[i], use[i]
		printf "\n"
		printf "workload" > ratios
		for (i = 1; i <= m; i++) printf ",%s", use[i] > ratios
		printf "\n" > ratios
		for (j = 0; j < nw; j++) {
			printf "%-17s", w[j]
			printf "%s", w[j] > ratios
			for (i = 1; i <= m; i++) {
				x = ratio(w[j], pa[i], pb[i])
				printf fmt[i], x
				printf ",%s", x > ratios
			}
			printf "\n"
			printf "\n" > ratios
		}
		if (("scstu" in seent) || ("tcmu" in seent)) {
			print ""
			print "goals of the userspace path (issue 3):"
			for (q = 1; q <= 2; q++) {
				u = "user" q
				if (!(u in seent)) continue
				goal("IOPS", "randread-4k-qd32", u, "scstu", 0.95)
				goal("MB/s", "seqread-1m-qd8", u, "scstu", 0.95)
				goal("MB/s", "seqwrite-1m-qd8", u, "scstu", 0.95)
				goal("IOPS", "randread-4k-qd32", u, "tcmu", 2.0)
			}
		}
	}' "$OUT/results.csv" | tee "$OUT/table.txt"
# the tape bench: medians of MB/s, and of the per-round ratios tape/disk
if [ -s "$OUT/tape.csv" ]; then
	echo
	awk -F, 'NR == 1 { next }
	{
		if (!(($3) in seen)) { seen[$3] = 1; w[nw++] = $3 }
		if ($5 != "") mb[$2, $3, $1] = $5
		if ($1 > nr) nr = $1
	}
	function med(v, m,    i, j, x) {
		for (i = 1; i < m; i++)
			for (j = i; j > 0 && v[j - 1] > v[j]; j--) { x = v[j]; v[j] = v[j - 1]; v[j - 1] = x }
		return m % 2 ? v[int(m / 2)] : (v[m / 2 - 1] + v[m / 2]) / 2
	}
	END {
		print "tape (scstu-vtl drive through st, cartridges in the guest tmpfs) vs the userspace null disk, 256 KiB blocks, QD 1:"
		printf "%-15s %10s %10s %10s\n", "workload", "tape MB/s", "disk MB/s", "tape/disk"
		for (i = 0; i < nw; i++) {
			nt = nd = nq = 0
			for (r = 1; r <= nr; r++) {
				a = ("tape" SUBSEP w[i] SUBSEP r) in mb
				b = ("disk" SUBSEP w[i] SUBSEP r) in mb
				if (a) t[nt++] = mb["tape", w[i], r]
				if (b) d[nd++] = mb["disk", w[i], r]
				if (a && b && mb["disk", w[i], r] > 0)
					q[nq++] = mb["tape", w[i], r] / mb["disk", w[i], r]
			}
			x = nq ? sprintf("%.2f", med(q, nq)) : "n/a"
			printf "%-15s %10s %10s %10s  (goal >= 0.80) %s\n", w[i],
				nt ? sprintf("%.1f", med(t, nt)) : "FAILED",
				nd ? sprintf("%.1f", med(d, nd)) : "FAILED", x,
				nq ? (x + 0 >= 0.8 ? "met" : "MISSED") : ""
		}
	}' "$OUT/tape.csv" >"$OUT/tape.txt"
	cat "$OUT/tape.txt" | tee -a "$OUT/table.txt"
fi
[ -s "$OUT/native.txt" ] && { echo; cat "$OUT/native.txt"; } | tee -a "$OUT/table.txt"
[ -s "$OUT/cart.txt" ] && { echo; cat "$OUT/cart.txt"; } | tee -a "$OUT/table.txt"
grep -h '^!!' "$OUT/console.log" 2>/dev/null
exit $rc
