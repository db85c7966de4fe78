#!/bin/bash
# scstu_user: handler death. rawdisk (medium in /dev/shm, so the data
# survives it) is SIGKILLed while fio writes with verify; dispatched
# commands come back BUSY, new ones are held; a new rawdisk re-attaches by
# name within reattach_timeout_ms, fio finishes without an error and a
# read-back verify pass succeeds. Then killed and not restarted: after
# reattach_timeout_ms held and new commands fail with NOT READY 04/03
# (state "failed"), the LUN stays; a new handler makes it work again.
# scstu-test-timeout: 600
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/uk
D=$CFS/devices/user/kd0
W=/tmp/50-kill
MEDIUM=/dev/shm/50-kill.img
mkdir -p $W
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	cfs_teardown
	rm -f $MEDIUM
}
trap cleanup EXIT

start_rawdisk() {
	"$ROOT/build/user-abi/rawdisk" --name kd0 --size-mb 128 --file $MEDIUM \
		"$@" >>$W/rawdisk.log 2>&1 &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		[ "$(cat $D/handler 2>/dev/null)" = "$pid" ] && return 0
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	cat $W/rawdisk.log
	die "rawdisk did not start"
}

load_modules
grep -q "^scstu_user " /proc/modules || run insmod "$ROOT/kernel/scstu_user.ko"
rm -f $MEDIUM
start_rawdisk --queues 2
run mkdir "$T" "$T/luns/0"
run ln -s "$D" "$T/luns/0/device"
run mkdir "$T/sessions/iqn.test:kill"
h=$(cat "$T/sessions/iqn.test:kill/host")
wait_for_scsi_devices 1 || die "SCSI device did not appear"
sg=$(sg_of_lun "$h" 0) && sd=$(sd_of_lun "$h" 0) || die "no sg/sd"
echo none >"/sys/block/$(basename "$sd")/queue/scheduler" 2>/dev/null
sg_turs "$sg" >/dev/null 2>&1

common=(--filename="$sd" --ioengine=libaio --direct=1 --iodepth=32
	--numjobs=4 --size=24M --offset_increment=24M --bs=4k
	--rw=randwrite --verify=crc32c --verify_fatal=1 --randrepeat=1
	--group_reporting)

echo "== SIGKILL during fio, restart after 1 s"
fio --name=k "${common[@]}" --do_verify=1 --output=$W/fio.log &
fpid=$!
sleep 4
kill -0 $fpid 2>/dev/null || die "fio ended before the kill"
run kill -9 "$pid"
wait "$pid" 2>/dev/null
sleep 1
[ "$(cat $D/state)" = detached ] || die "state $(cat $D/state), want detached"
start_rawdisk --queues 2
[ "$(cat $D/state)" = attached ] || die "state $(cat $D/state)"
wait $fpid || die "fio failed ($?)"
cat $W/fio.log
check_fio $W/fio.log
ok "fio with verify survived the handler's death"
run fio --name=k "${common[@]}" --verify_only --output=$W/fio-v.log
check_fio $W/fio-v.log
grep -q "READ:" $W/fio-v.log || die "the verify pass read nothing"
ok "read-back verify pass after the restart"
[ "$(cat $D/protocol_errors)" = 0 ] || die "protocol_errors $(cat $D/protocol_errors)"

echo "== killed, not restarted: NOT READY 04/03 after reattach_timeout_ms"
cfs_write "$D/reattach_timeout_ms" 2000
# the timeout runs from the handler's death, which comes after t0
t0=$(now_ms)
run kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=
expect_sense NOT_READY 0x04 0x03 -- sg_raw -t 30 -r 512 "$sg" 28 00 00 00 00 00 00 00 01 00
el=$(($(now_ms) - t0))
[ $el -ge 1950 ] || die "held command failed after $el ms, before the timeout"
[ $el -lt 15000 ] || die "held command failed only after $el ms"
ok "held command failed after $el ms"
[ "$(cat $D/state)" = failed ] || die "state $(cat $D/state), want failed"
# a long timeout now: a command that were held would take 60 s, one
# failed at once takes what sg_raw takes to run, even on a loaded host
cfs_write $D/reattach_timeout_ms 60000
t0=$(now_ms)
expect_sense NOT_READY 0x04 0x03 -- sg_raw -r 512 "$sg" 28 00 00 00 00 00 00 00 01 00
[ $(($(now_ms) - t0)) -lt 20000 ] || die "new command in state failed was not failed at once"
[ -e "$T/luns/0/device" ] || die "LUN link gone"
ok "new commands fail at once; the LUN stays mapped"

echo "== a new handler"
start_rawdisk --queues 1
[ "$(cat $D/state)" = attached ] || die "state $(cat $D/state)"
expect_good -- sg_raw -r 512 "$sg" 28 00 00 00 00 00 00 00 01 00
run fio --name=k "${common[@]}" --verify_only --output=$W/fio-v2.log
check_fio $W/fio-v2.log
ok "data still verifies with the third handler"
