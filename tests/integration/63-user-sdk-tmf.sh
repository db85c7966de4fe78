#!/bin/bash
# libscstuser task management with a slow handler (scstu-ramdisk
# --delay-ms: reads and writes complete later from a delay thread):
#  - LUN reset (sg_reset -d) while a READ waits in the handler: the SDK
#    logs the abort and the reset, the READ ends long before its delay,
#    the reset succeeds and the device works afterwards;
#  - an SG_IO timeout makes the initiator's error handler abort the
#    command: the abort reaches the handler and the command ends;
#  - ABORT TASK SET through the session's tmf attribute.
# scstu-test-timeout: 300
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/tm
D=$CFS/devices/user/ut0
W=/tmp/63-tmf
LOG=/tmp/handler-ut0.log
mkdir -p $W
: >$LOG

trap 'user_stop_all; cfs_teardown' EXIT

# wait_log PATTERN COUNT: until the handler log has COUNT matching lines
wait_log() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(grep -c "$1" $LOG)" -ge "$2" ] && return 0
		sleep 0.1
	done
	cat $LOG
	die "the handler never logged '$1' $2 times"
}

in_flight() { sed -n 's/^in_flight //p' "$D/stats"; }

wait_in_flight() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(in_flight)" -ge "$1" ] && return 0
		sleep 0.1
	done
	die "in_flight is $(in_flight), want $1"
}

load_modules
# scan the LUN with a fast handler (sd reads the partition table), then
# replace it with a slow one
user_start ut0 "$ROOT/build/samples/scstu-ramdisk" --name ut0 --size 16M
run mkdir "$T" "$T/luns/0"
run ln -s "$D" "$T/luns/0/device"
run mkdir "$T/sessions/iqn.test:tmf"
h=$(cat "$T/sessions/iqn.test:tmf/host")
wait_for_scsi_devices 1 || die "SCSI device did not appear"
sg=$(sg_of_lun "$h" 0) || die "no sg"
sg_turs "$sg" >/dev/null 2>&1
user_stop ut0
: >$LOG
export SCSTU_LOG=info
user_start ut0 "$ROOT/build/samples/scstu-ramdisk" --name ut0 --size 16M --delay-ms 15000
unset SCSTU_LOG
cfs_write $D/tmf_timeout_ms 30000
wait_log "attach session .* lun 0" 1
ok "a re-registered handler learned the existing nexus (attach)"

echo "== LUN reset while a READ waits in the handler"
t0=$(now_ms)
(sg_raw -t 60 -r 512 "$sg" 28 00 00 00 00 00 00 00 01 00 >$W/r1.out 2>&1; echo "exit $?" >>$W/r1.out) &
rpid=$!
wait_in_flight 1
run sg_reset -d "$sg"
wait $rpid
dt=$(($(now_ms) - t0))
cat $W/r1.out
[ $dt -lt 12000 ] || die "the READ took $dt ms: the reset did not cut the delay"
wait_log "abort of" 1
wait_log "reset 1 session" 1
ok "LUN reset: abort and reset reached the handler, READ ended after $dt ms"
sg_turs "$sg" >/dev/null 2>&1

echo "== initiator error handling: SG_IO timeout -> ABORT TASK"
t0=$(now_ms)
sg_raw -t 2 -r 512 "$sg" 28 00 00 00 00 08 00 00 01 00 >$W/r2.out 2>&1
dt=$(($(now_ms) - t0))
cat $W/r2.out
wait_log "abort of" 2
[ $dt -lt 14000 ] || die "the timed-out READ took $dt ms"
ok "the EH abort reached the handler after $dt ms"
for i in 1 2 3 4 5; do sg_turs "$sg" >/dev/null 2>&1 && break; done
expect_good -- sg_turs "$sg"

echo "== ABORT TASK SET through the session"
# the initiator never hears back about a command a TMF it did not send
# aborted: a short SG_IO timeout lets its EH clean up
(sg_raw -t 5 -r 512 "$sg" 28 00 00 00 00 10 00 00 01 00 >$W/r3.out 2>&1) &
rpid=$!
wait_in_flight 1
n=$(grep -c "abort of" $LOG)
cfs_write "$T/sessions/iqn.test:tmf/tmf" "abort_task_set 0"
wait_log "abort of" $((n + 1))
[ "$(in_flight)" = 0 ] || die "in_flight $(in_flight) after ABORT TASK SET"
ok "ABORT TASK SET reached the handler and ended the command"
wait $rpid 2>/dev/null

echo "== still usable"
for i in 1 2 3 4 5; do sg_turs "$sg" >/dev/null 2>&1 && break; done
expect_good -- sg_turs "$sg"
