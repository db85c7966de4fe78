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

# Is any of our modules loaded?  Prints their names on one line (bash only:
# every program started costs ~0.1 s under TCG).
our_loaded() {
	local m rest out=
	while read -r m rest; do
		case " $OUR_MODULES " in
		*" $m "*) out+="$m " ;;
		esac
	done </proc/modules
	echo -n "${out% }"
}

# cleanup LOG: remove what the test left configured and unload our modules;
# prints the modules that stay loaded and returns 1 if any do.
cleanup() {
	local m left tries log=$1
	left=$(our_loaded)
	[ -z "$left" ] && return 0
	if [ -x "$ROOT/build/scstuadm" ] && [ -d /sys/kernel/config/scstu ]; then
		# best effort: remove whatever the test left configured
		echo "== cleanup: scstuadm clear" >>"$log"
		timeout 60 "$ROOT/build/scstuadm" clear >>"$log" 2>&1
	fi
	if [ -n "$(find /sys/kernel/config/scstu/targets/ /sys/kernel/config/scstu/devices/ \
		-mindepth 2 -maxdepth 2 -type d 2>/dev/null)" ]; then
		echo "== cleanup: configfs not empty, removing by hand" >>"$log"
		(. "$ROOT/tests/integration/lib.sh" && cfs_teardown) >>"$log" 2>&1
	fi
	for tries in 1 2 3; do
		for m in $OUR_MODULES; do
			case " $left " in
			*" $m "*) rmmod "$m" >>"$log" 2>&1 ;;
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

# test_timeout FILE: seconds allowed for a test.  A test may ask for more (or
# less) than SCSTU_TEST_TIMEOUT with a line "# scstu-test-timeout: N".
test_timeout() {
	local line n=
	while IFS= read -r line; do
		case "$line" in
		"# scstu-test-timeout:"*)
			n=${line#*:}
			n=${n//[!0-9]/}
			break ;;
		esac
	done <"$1"
	echo "${n:-$TEST_TIMEOUT}"
}

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
	tmo=$(test_timeout "$f")
	t0=$(date +%s)
	(cd "$ROOT" && exec timeout -k 10 "$tmo" bash "$f") >>"$log" 2>&1 </dev/null &
	pid=$!
	# wait for it, but do not hang with it: a process stuck in the kernel
	# survives SIGKILL
	deadline=$((SECONDS + tmo + 30))
	stuck=0
	n=0
	while kill -0 $pid 2>/dev/null; do
		if [ $SECONDS -ge $deadline ]; then
			stuck=1
			break
		fi
		n=$((n + 1))
		if [ $n -lt 25 ]; then sleep 0.2; else sleep 1; fi
	done
	if [ $stuck = 1 ]; then
		rc=stuck
	else
		wait $pid
		rc=$?
	fi
	t1=$(date +%s)
	why=()
	if [ "$rc" = stuck ]; then
		why+=("timed out after ${tmo}s and could not be killed (stuck in the kernel)")
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		why+=("timed out after ${tmo}s")
	elif [ "$rc" != 0 ]; then
		why+=("exit code $rc")
	fi
	if [ "$rc" = stuck ]; then
		# show the blocked tasks, keep what we have and stop: the kernel
		# is wedged, later tests would only hang too (they count as failed)
		echo w >/proc/sysrq-trigger
		sleep 2
		dmesg >"$RES/$name.dmesg"
		ps -eo pid,stat,wchan:32,args >>"$log" 2>&1
		echo "== $name: FAIL (${tmo}s+): ${why[*]}" >>"$log"
		echo FAIL >"$RES/$name.result"
		rm -f "$RES/$name.running"
		echo "FAIL $name: ${why[*]}; stopping here"
		sync
		exit 1
	fi
	left=$(cleanup "$log") || {
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
