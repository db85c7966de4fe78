#!/bin/bash
# Runs inside the test VM (started by tests/run-all.sh through tests/vm/vm.sh).
#
#   guest-runner.sh [TEST...]      default: every tests/integration/[0-9]*.sh
#
# For each test: clear dmesg, run it under a timeout with its output in
# $SCSTU_RESULTS/<test>.log, save dmesg to <test>.dmesg, then clean up
# (scstuadm clear, unload our modules).  A test fails when it exits non-zero,
# when dmesg shows a kernel problem (see dmesg_bad) or when our modules cannot
# be unloaded after it.  Writes <test>.result (PASS/FAIL) and prints a line.
#
# Environment: SCSTU_TEST_TIMEOUT (seconds per test, default 300),
# SCSTU_TEST_DIR (where the tests are, default tests/integration; for
# testing the harness itself).
#
# Also usable on the host to test the dmesg matcher:
#   guest-runner.sh --check-dmesg FILE    exit 0 if FILE is clean
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RES=${SCSTU_RESULTS:-/run/scstu-results}
TEST_TIMEOUT=${SCSTU_TEST_TIMEOUT:-300}
TDIR=${SCSTU_TEST_DIR:-$ROOT/tests/integration}
OUR_MODULES="scstu_local scstu_null scstu_user scstu"

# Kernel messages that fail a test wherever they appear in its dmesg.
DMESG_BAD=(
	'Oops' 'BUG:' 'WARNING:' 'general protection fault' 'soft lockup'
	'hard LOCKUP' 'blocked for more than' 'hung_task' 'Call Trace'
	'kernel BUG' 'UBSAN' 'KASAN' 'refcount_t'
)

# dmesg_bad FILE: print the offending lines; status 0 if any were found.
dmesg_bad() {
	local args=() p
	for p in "${DMESG_BAD[@]}"; do
		args+=(-e "$p")
	done
	grep -a -F "${args[@]}" "$1"
}

if [ "${1:-}" = "--check-dmesg" ]; then
	if dmesg_bad "$2"; then
		exit 1
	fi
	exit 0
fi

# Is any of our modules loaded?  Prints their names (bash only: every
# program started costs ~0.1 s under TCG).
our_loaded() {
	local m rest
	while read -r m rest; do
		case " $OUR_MODULES " in
		*" $m "*) echo "$m" ;;
		esac
	done </proc/modules
}

cleanup() {
	local m left tries
	if [ -x "$ROOT/build/scstuadm" ] && [ -d /sys/kernel/config/scstu ]; then
		# best effort: remove whatever the test left configured
		timeout 60 "$ROOT/build/scstuadm" clear >/dev/null 2>&1
	fi
	left=$(our_loaded)
	[ -z "$left" ] && return 0
	for tries in 1 2 3; do
		for m in $OUR_MODULES; do
			case " $left " in
			*" $m "*) rmmod "$m" 2>/dev/null ;;
			esac
		done
		left=$(our_loaded)
		[ -z "$left" ] && return 0
		sleep 1
	done
	echo "$left"
	return 1
}

mountpoint -q /sys/kernel/config || {
	modprobe configfs
	mount -t configfs configfs /sys/kernel/config
}
sysctl -q -w kernel.hung_task_timeout_secs=60 2>/dev/null

if [ $# -gt 0 ]; then
	tests=()
	for t in "$@"; do
		f=
		for c in "$TDIR/$t" "$TDIR/$t.sh"; do
			[ -f "$c" ] && { f=$c; break; }
		done
		if [ -z "$f" ]; then
			# by name without the number: "load" finds 01-load.sh
			for c in "$TDIR"/[0-9]*-"$t".sh; do
				[ -f "$c" ] && { f=$c; break; }
			done
		fi
		if [ -z "$f" ]; then
			echo "guest-runner: no test named $t" | tee "$RES/$t.log"
			echo FAIL >"$RES/$t.result"
			continue
		fi
		tests+=("$f")
	done
else
	tests=("$TDIR"/[0-9]*.sh)
	[ -f "${tests[0]}" ] || tests=()
fi

echo "guest-runner: ${#tests[@]} test(s), kernel $(uname -r)"
for f in "${tests[@]}"; do
	name=$(basename "$f" .sh)
	log="$RES/$name.log"
	rm -f "$RES/$name.result"
	echo RUNNING >"$RES/$name.running"
	dmesg -C
	echo "== $name: start $(date -u +%T), uptime $(cut -d' ' -f1 /proc/uptime)" >"$log"
	t0=$(date +%s)
	(cd "$ROOT" && exec timeout -k 10 "$TEST_TIMEOUT" bash "$f") >>"$log" 2>&1 </dev/null
	rc=$?
	t1=$(date +%s)
	why=()
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		why+=("timed out after ${TEST_TIMEOUT}s")
	elif [ "$rc" != 0 ]; then
		why+=("exit code $rc")
	fi
	left=$(cleanup) || {
		why+=("module(s) would not unload: $(echo $left)")
		lsmod >>"$log" 2>&1
	}
	dmesg >"$RES/$name.dmesg"
	if bad=$(dmesg_bad "$RES/$name.dmesg"); then
		why+=("kernel problem in dmesg")
		{
			echo "== dmesg problems:"
			echo "$bad"
		} >>"$log"
	fi
	secs=$((t1 - t0))
	if [ ${#why[@]} -eq 0 ]; then
		result=PASS
		echo "== $name: PASS (${secs}s)" >>"$log"
	else
		result=FAIL
		echo "== $name: FAIL (${secs}s): $(IFS=';'; echo "${why[*]}")" >>"$log"
	fi
	echo "$result" >"$RES/$name.result"
	rm -f "$RES/$name.running"
	printf '%s %s (%ss)%s\n' "$result" "$name" "$secs" \
		"$([ $result = FAIL ] && printf ': %s' "$(IFS=';'; echo "${why[*]}")")"
	sync
done
exit 0
