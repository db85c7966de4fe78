#!/bin/bash
# scstu_user: task management with a slow handler (rawdisk --delay-ms).
#  - with --tmf: ATTACH reaches the handler at REGISTER; a LUN reset
#    (sg_reset -d) while a READ waits in the handler: the handler logs
#    ABORT and RESET LUN, the READ ends TASK ABORTED long before its
#    delay, the reset succeeds;
#  - an SG_IO timeout (sg_raw -t 1) makes the initiator's EH abort the
#    command: the ABORT reaches the handler and the command ends;
#  - without --tmf: an abort completes after tmf_timeout_ms, and the
#    handler's late answer to it is silently dropped (no protocol error).
# scstu-test-timeout: 300
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/ut
D=$CFS/devices/user/td0
W=/tmp/50-tmf
mkdir -p $W
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	cfs_teardown
}
trap cleanup EXIT

start_rawdisk() {
	"$ROOT/build/user-abi/rawdisk" --name td0 --size-mb 16 "$@" >$W/rawdisk.log 2>&1 &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		grep -q '^ready' $W/rawdisk.log && return 0
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	cat $W/rawdisk.log
	die "rawdisk did not start"
}

stop_rawdisk() {
	kill "$pid"
	wait "$pid" 2>/dev/null
	pid=
}

# wait_log PATTERN: until rawdisk's log has a line matching PATTERN
wait_log() {
	for ((i = 0; i < 200; i++)); do
		grep -q "$1" $W/rawdisk.log && return 0
		sleep 0.1
	done
	cat $W/rawdisk.log
	die "rawdisk never logged '$1'"
}

load_modules
grep -q "^scstu_user " /proc/modules || run insmod "$ROOT/kernel/scstu_user.ko"
run mkdir "$T" "$T/luns/0"
start_rawdisk --tmf
run ln -s "$D" "$T/luns/0/device"
run mkdir "$T/sessions/iqn.test:tmf"
h=$(cat "$T/sessions/iqn.test:tmf/host")
wait_for_scsi_devices 1 || die "SCSI device did not appear"
sg=$(sg_of_lun "$h" 0) || die "no sg"
sg_turs "$sg" >/dev/null 2>&1
wait_log "^ATTACH session [0-9]* lun 0 initiator iqn.test:tmf target ut"
ok "ATTACH with initiator and target names"
stop_rawdisk

echo "== LUN reset while the handler is slow"
start_rawdisk --tmf --delay-ms 20000
grep -q "^ATTACH session [0-9]* lun 0 initiator iqn.test:tmf" $W/rawdisk.log ||
	wait_log "^ATTACH"
ok "a re-registered handler learns the existing nexus"
t0=$(now_ms)
(sg_raw -t 60 -r 512 "$sg" 28 00 00 00 00 00 00 00 01 00 >$W/r1.out 2>&1; echo "exit $?" >>$W/r1.out) &
rpid=$!
sleep 1
run sg_reset -d "$sg"
wait $rpid
el=$(($(now_ms) - t0))
cat $W/r1.out $W/rawdisk.log
grep -q "^ABORT id" $W/rawdisk.log || die "no ABORT reached the handler"
grep -q "^RESET LUN session [0-9]* lun 0" $W/rawdisk.log || die "no RESET LUN reached the handler"
[ $el -lt 15000 ] || die "the READ took $el ms: it waited for the handler's delay"
grep -q "SCSI Status: Good" $W/r1.out && die "the aborted READ ended GOOD"
ok "LUN reset: ABORT and RESET reached the handler, READ ended after $el ms"

echo "== abort through an SG_IO timeout"
n0=$(grep -c "^ABORT id" $W/rawdisk.log)
sg_turs "$sg" >/dev/null 2>&1 # the reset's unit attention
t0=$(now_ms)
sg_raw -t 2 -r 512 "$sg" 28 00 00 00 00 00 00 00 01 00 >$W/r2.out 2>&1
el=$(($(now_ms) - t0))
cat $W/r2.out
[ "$(grep -c "^ABORT id" $W/rawdisk.log)" -gt "$n0" ] || die "no ABORT for the timed-out command"
[ $el -lt 15000 ] || die "the timed-out READ took $el ms"
ok "EH abort reached the handler; the command ended after $el ms"
[ "$(cat $D/protocol_errors)" = 0 ] || die "protocol_errors $(cat $D/protocol_errors)"
stop_rawdisk

echo "== handler without TMF events: tmf_timeout_ms"
cfs_write "$D/tmf_timeout_ms" 1500
start_rawdisk --delay-ms 6000
sg_turs "$sg" >/dev/null 2>&1
t0=$(now_ms)
(sg_raw -t 60 -r 512 "$sg" 28 00 00 00 00 00 00 00 01 00 >$W/r3.out 2>&1) &
rpid=$!
sleep 1
run sg_reset -d "$sg"
wait $rpid
el=$(($(now_ms) - t0))
cat $W/r3.out
[ $el -lt 5500 ] || die "the READ took $el ms: tmf_timeout_ms did not end it"
ok "the aborted READ ended after $el ms (tmf_timeout_ms 1500, handler delay 6000)"
grep -q "^ABORT\|^RESET" $W/rawdisk.log && die "TMF events sent without the feature"
sleep 6
[ "$(cat $D/protocol_errors)" = 0 ] || die "the late answer counted as a protocol error"
sg_turs "$sg" >/dev/null 2>&1
expect_good -- sg_raw -r 512 "$sg" 28 00 00 00 00 00 00 00 01 00
ok "late answer dropped silently; the device serves commands"
stop_rawdisk
