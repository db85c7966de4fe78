#!/bin/bash
# The whole test run behind `make test` (or one test: `make test T=name`).
#
#   tests/run-all.sh [NAME...]
#
#  1. build      make all (kernel modules + userspace)
#  2. kernel-w1  a scratch W=1 build of kernel/ must print no warning
#  3. checkpatch tests/checkpatch.sh on kernel/
#  4. unit       make unit-test (Check suites: native, ASan, UBSan), each
#                Check check counted as one test
#  5. one VM     tests/vm/guest-runner.sh runs tests/integration/[0-9]*.sh;
#                a test that left no result (VM crash, hang) counts as failed
#  6. host tests tests/integration/host-*.sh, each run on the host (it boots
#                the VM itself, e.g. twice around a power cut), under its
#                "# scstu-test-timeout: N"; exit 0 passes
#
# With NAMEs, only those (integration test names like 01-load or load, or
# kernel-w1, checkpatch, unit) run after the build.  Logs go to
# build/test-results/<timestamp>/ (build/test-results/latest points there).
# The last line printed is exactly "N passed, N failed".  Exit 0 only if
# nothing failed and at least one test ran.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2
KDIR=${KDIR:-$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -1)}
JOBS=$(nproc 2>/dev/null || echo 2)

stamp=$(date +%Y%m%d-%H%M%S)
LOGS=${SCSTU_LOGDIR:-$ROOT/build/test-results/$stamp-$$}
mkdir -p "$LOGS"
ln -sfn "$LOGS" "$ROOT/build/test-results/latest" 2>/dev/null

names=()
results=()	# "PASS|FAIL name detail"
passed=0
failed=0

record() {	# record PASS|FAIL NAME [DETAIL]
	local r=$1 n=$2 d=${3:-}
	results+=("$r $n${d:+ ($d)}")
	if [ "$r" = PASS ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
	echo "$r $n${d:+ ($d)}"
}

# ---- what to run -------------------------------------------------------------
all_itests=()
for f in tests/integration/[0-9]*.sh; do
	[ -f "$f" ] && all_itests+=("$(basename "$f" .sh)")
done
all_htests=()
for f in tests/integration/host-*.sh; do
	[ -f "$f" ] && all_htests+=("$(basename "$f" .sh)")
done

want_w1=1 want_cp=1 want_unit=1
itests=("${all_itests[@]}")
htests=("${all_htests[@]}")
if [ $# -gt 0 ]; then
	want_w1=0 want_cp=0 want_unit=0
	itests=()
	htests=()
	for n in "$@"; do
		case "$n" in
		kernel-w1) want_w1=1; continue ;;
		checkpatch) want_cp=1; continue ;;
		unit | unit-test) want_unit=1; continue ;;
		build) continue ;;
		esac
		m=
		for t in "${all_itests[@]}"; do
			if [ "$t" = "$n" ] || [ "$t" = "${n%.sh}" ] || [ "${t#*-}" = "$n" ]; then
				m=$t
				break
			fi
		done
		for t in "${all_htests[@]}"; do
			[ -z "$m" ] || break
			if [ "$t" = "$n" ] || [ "$t" = "${n%.sh}" ] ||
			   [ "${t#host-}" = "$n" ] || [ "${t#host-*-}" = "$n" ]; then
				htests+=("$t")
				m=host
			fi
		done
		if [ "$m" = host ]; then
			:
		elif [ -n "$m" ]; then
			itests+=("$m")
		else
			echo "run-all: no test named '$n'"
			record FAIL "$n" "no such test"
		fi
	done
fi

echo "run-all: logs in $LOGS"

# ---- 1. build ----------------------------------------------------------------
t0=$(date +%s)
if make -j"$JOBS" all >"$LOGS/build.log" 2>&1; then
	record PASS build "$(($(date +%s) - t0))s"
	built=1
else
	record FAIL build "make all failed, see build.log"
	built=0
fi

# ---- 2. kernel-w1: scratch W=1 build, no warnings allowed -------------------
if [ $want_w1 = 1 ]; then
	w1="$ROOT/build/w1"
	rm -rf "$w1"
	mkdir -p "$w1/kernel"
	(cd kernel && find . -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
		! -name '*.mod.c' | cpio -pdm --quiet "$w1/kernel")
	if [ -z "$KDIR" ] || [ ! -d "$KDIR" ]; then
		echo "no KDIR" >"$LOGS/kernel-w1.log"
		record FAIL kernel-w1 "no kernel headers"
	elif make -C "$KDIR" M="$w1/kernel" W=1 -j"$JOBS" modules \
		>"$LOGS/kernel-w1.log" 2>&1; then
		nw=$(grep -ci 'warning' "$LOGS/kernel-w1.log")
		if [ "$nw" = 0 ]; then
			record PASS kernel-w1
		else
			record FAIL kernel-w1 "$nw warning lines"
		fi
	else
		record FAIL kernel-w1 "W=1 build failed"
	fi
fi

# ---- 3. checkpatch -----------------------------------------------------------
if [ $want_cp = 1 ]; then
	if bash tests/checkpatch.sh >"$LOGS/checkpatch.log" 2>&1; then
		record PASS checkpatch
	else
		record FAIL checkpatch "$(tail -1 "$LOGS/checkpatch.log")"
	fi
fi

# ---- 4. unit tests -----------------------------------------------------------
if [ $want_unit = 1 ]; then
	if [ ! -f tests/unit/Makefile ]; then
		echo "run-all: tests/unit/Makefile does not exist yet: unit tests skipped"
	else
		make unit-test >"$LOGS/unit.log" 2>&1
		urc=$?
		# Check prints "NN%: Checks: X, Failures: Y, Errors: Z" per run
		nsum=0 ufail=0
		while IFS= read -r line; do
			x=$(sed -n 's/.*Checks: \([0-9]*\).*/\1/p' <<<"$line")
			y=$(sed -n 's/.*Failures: \([0-9]*\).*/\1/p' <<<"$line")
			z=$(sed -n 's/.*Errors: \([0-9]*\).*/\1/p' <<<"$line")
			[ -n "$x" ] || continue
			nsum=$((nsum + 1))
			bad=$((${y:-0} + ${z:-0}))
			ufail=$((ufail + bad))
			passed=$((passed + x - bad))
			failed=$((failed + bad))
			if [ $bad = 0 ]; then
				results+=("PASS unit[$nsum] $x checks")
				echo "PASS unit[$nsum] $line"
			else
				results+=("FAIL unit[$nsum] $bad of $x checks failed")
				echo "FAIL unit[$nsum] $line"
			fi
		done < <(grep -a -E '[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$LOGS/unit.log")
		if [ $nsum = 0 ]; then
			if [ $urc = 0 ]; then
				record PASS unit-test "no Check summary"
			else
				record FAIL unit-test "make unit-test exit $urc"
			fi
		elif [ $urc != 0 ] && [ $ufail = 0 ]; then
			record FAIL unit-test "make unit-test exit $urc although all checks passed"
		fi
	fi
fi

# ---- 5. integration tests in one VM ------------------------------------------
if [ ${#itests[@]} -gt 0 ]; then
	VMRES="$LOGS/vm"
	mkdir -p "$VMRES"
	if [ $built = 0 ]; then
		for t in "${itests[@]}"; do
			record FAIL "$t" "not run: build failed"
		done
	else
		args=()
		[ $# -gt 0 ] && args=("${itests[@]}")
		# the VM's time limit: every test's own limit (a test may set
		# "# scstu-test-timeout: N") plus boot and cleanup, at most 60 min (CI allows 90 for everything)
		if [ -z "${SCSTU_VM_TIMEOUT:-}" ]; then
			sum=120
			for t in "${itests[@]}"; do
				n=$(sed -n 's/^# scstu-test-timeout: *\([0-9][0-9]*\).*/\1/p' \
					"tests/integration/$t.sh" | head -1)
				sum=$((sum + ${n:-${SCSTU_TEST_TIMEOUT:-300}} + 20))
			done
			[ $sum -le 3600 ] || sum=3600
			export SCSTU_VM_TIMEOUT=$sum
		fi
		echo "run-all: ${#itests[@]} integration test(s) in the VM" \
			"(VM time limit ${SCSTU_VM_TIMEOUT}s)"
		t0=$(date +%s)
		SCSTU_RESULTS="$VMRES" SCSTU_VM_QUIET=1 \
			bash tests/vm/vm.sh tests/vm/guest-runner.sh "${args[@]}" \
			>"$LOGS/vm.log" 2>&1 &
		vmpid=$!
		# progress: show each result as it appears (the results share,
		# not the console, is what counts)
		declare -A shown=()
		while :; do
			alive=1
			kill -0 $vmpid 2>/dev/null || alive=0
			for t in "${itests[@]}"; do
				[ -z "${shown[$t]:-}" ] && [ -f "$VMRES/$t.result" ] || continue
				shown[$t]=1
				echo "  [vm] $(tail -1 "$VMRES/$t.log" 2>/dev/null | sed 's/^== //')"
			done
			[ $alive = 1 ] || break
			sleep 2
		done
		wait $vmpid
		vmrc=$?
		echo "run-all: VM finished in $(($(date +%s) - t0))s (vm.sh exit $vmrc)"
		[ -f "$VMRES/.vm/status" ] && echo "run-all: VM $(cat "$VMRES/.vm/status")"
		vmbroken=0
		for t in "${itests[@]}"; do
			r=$(cat "$VMRES/$t.result" 2>/dev/null)
			case "$r" in
			PASS) record PASS "$t" ;;
			FAIL) record FAIL "$t" "$(tail -1 "$VMRES/$t.log" 2>/dev/null |
				sed -n 's/^== [^:]*: FAIL ([^)]*): //p')" ;;
			*)
				vmbroken=1
				if [ -f "$VMRES/$t.running" ]; then
					record FAIL "$t" "no result: the VM died or hung during this test"
				else
					record FAIL "$t" "no result: not reached (VM died or hung earlier)"
				fi ;;
			esac
		done
	fi
elif [ ${#htests[@]} = 0 ]; then
	echo "run-all: no integration tests selected"
fi

# ---- 6. host tests: each boots the VM itself ---------------------------------
for t in "${htests[@]}"; do
	if [ $built = 0 ]; then
		record FAIL "$t" "not run: build failed"
		continue
	fi
	n=$(sed -n 's/^# scstu-test-timeout: *\([0-9][0-9]*\).*/\1/p' \
		"tests/integration/$t.sh" | head -1)
	n=${n:-${SCSTU_TEST_TIMEOUT:-300}}
	echo "run-all: host test $t (limit ${n}s)"
	mkdir -p "$LOGS/host"
	t0=$(date +%s)
	SCSTU_HOST_TEST_DIR="$LOGS/host/$t" timeout -k 10 "$n" \
		bash "tests/integration/$t.sh" >"$LOGS/host/$t.log" 2>&1 </dev/null
	hrc=$?
	if [ $hrc = 0 ]; then
		record PASS "$t" "$(($(date +%s) - t0))s"
	elif [ $hrc = 124 ] || [ $hrc = 137 ]; then
		record FAIL "$t" "timed out after ${n}s"
	else
		record FAIL "$t" "$(grep -m1 '^FAIL' "$LOGS/host/$t.log" || echo "exit $hrc")"
	fi
done

# ---- summary -----------------------------------------------------------------
if [ $failed -gt 0 ]; then
	echo
	echo "==================== failures (logs: $LOGS) ===================="
	for r in "${results[@]}"; do
		set -- $r
		[ "$1" = FAIL ] || continue
		n=$2
		case "$n" in
		build)
			echo "---- build: last 40 lines of build.log"
			tail -40 "$LOGS/build.log" ;;
		kernel-w1)
			echo "---- kernel-w1: warnings"
			grep -i -E 'warning|error|\*\*\*' "$LOGS/kernel-w1.log" | head -40 ;;
		checkpatch)
			echo "---- checkpatch"
			tail -60 "$LOGS/checkpatch.log" ;;
		unit*)
			echo "---- unit tests: failures"
			grep -a -E ':[FE]:|Checks:|error|Error|ERROR|Sanitizer' "$LOGS/unit.log" | head -60 ;;
		host-*)
			echo "---- $n: last 40 lines of host/$n.log"
			tail -40 "$LOGS/host/$n.log" 2>/dev/null ;;
		*)
			if [ -f "$LOGS/vm/$n.log" ]; then
				echo "---- $n: last 40 lines of vm/$n.log"
				tail -40 "$LOGS/vm/$n.log"
				if [ -f "$LOGS/vm/$n.dmesg" ] &&
				   ! bash tests/vm/guest-runner.sh --check-dmesg "$LOGS/vm/$n.dmesg" >/dev/null; then
					echo "---- $n: dmesg problems"
					bash tests/vm/guest-runner.sh --check-dmesg "$LOGS/vm/$n.dmesg" | head -40
				fi
			fi ;;
		esac
	done
	if [ "${vmbroken:-0}" = 1 ]; then
		echo "---- VM console (last 60 lines of vm/console.log)"
		tail -60 "$LOGS/vm/console.log" 2>/dev/null | tr -d '\r'
		tail -5 "$LOGS/vm.log" 2>/dev/null
	fi
	echo "================================================================"
fi

echo
echo "Results:"
for r in "${results[@]}"; do
	echo "  $r"
done
echo "Logs: $LOGS"
echo "$passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
