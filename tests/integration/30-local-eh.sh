#!/bin/bash
# scstu_local: the Linux SCSI error handler on command timeouts.
#  - an SG_IO command that times out is aborted (ABORT TASK) at once: it
#    leaves the backend right away instead of running to its end;
#  - an sd read whose first two tries time out goes through the full error
#    handler (abort, then TEST UNIT READY sent by the error handler itself)
#    and succeeds once the device answers in time, and the device stays
#    online.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/et
A=iqn.2026-11.org.scstu:eh-a
N0=$CFS/devices/nullio/n0

in_flight() { sed -n 's/^in_flight //p' "$N0/stats"; }

load_modules

echo "== setup"
run mkdir "$N0"
cfs_write "$N0/size" $((1 << 30))
cfs_write "$N0/enable" 1
run mkdir "$T" "$T/luns/0"
run ln -s "$N0" "$T/luns/0/device"
run mkdir "$T/sessions/$A"
h=$(cat "$T/sessions/$A/host") || die "host attribute"
wait_for_scsi_devices 1 || die "no SCSI device"
s0=$(sg_of_lun "$h" 0) && d0=$(sd_of_lun "$h" 0) || die "device nodes"
for _ in 1 2 3; do sg_turs "$s0" >/dev/null 2>&1 && break; done
expect_good -- sg_raw "$s0" 00 00 00 00 00 00
SDEV=/sys/class/scsi_device/$h:0:0:0/device

echo "== SG_IO timeout: the command is aborted"
cfs_write "$N0/delay_ms" 15000
t0=$(now_ms)
echo "+ sg_raw -t 2 -r 512 $s0 28 00 00 00 00 00 00 00 01 00"
out=$(sg_raw -t 2 -r 512 "$s0" 28 00 00 00 00 00 00 00 01 00 2>&1)
rc=$?
el=$(($(now_ms) - t0))
echo "$out" | sed 's/^/    /'
echo "   exit $rc after $el ms"
[ $rc != 0 ] || die "a timed out command reported success"
[ $el -lt 12000 ] || die "sg_raw returned after $el ms: the command was not aborted"
for _ in $(seq 20); do [ "$(in_flight)" = 0 ] && break; sleep 0.1; done
[ "$(in_flight)" = 0 ] || die "the timed out command is still in the backend"
ok "timed out after 2 s, aborted in the backend at once"
cfs_write "$N0/delay_ms" 0
for _ in 1 2 3; do sg_turs "$s0" >/dev/null 2>&1 && break; done
expect_good -- sg_raw "$s0" 00 00 00 00 00 00
[ "$(cat $SDEV/state)" = running ] || die "device state $(cat $SDEV/state)"
ok "device usable after the abort"

echo "== sd timeouts: full error handling, then success"
# The first try times out (2-3 s: the block layer rounds timers up to whole
# seconds) and is aborted and retried; the retry, still delayed, times out
# too, which sends the command to the error handler thread: ABORT TASK, then
# TEST UNIT READY sent by the error handler itself (delay 0 by then), then
# the read is retried and succeeds. Had the error handler's own TEST UNIT
# READY not completed, it would have waited 10 s (eh_timeout) and escalated.
old=$(cat $SDEV/timeout)
tmo0=$(($(cat $SDEV/iotmo_cnt)))
echo 2 >$SDEV/timeout || die "cannot set the sd timeout"
cfs_write "$N0/delay_ms" 10000
t0=$(now_ms)
dd if="$d0" of=/dev/null bs=4k count=1 skip=1234 iflag=direct status=none &
pid=$!
sleep 4.5
cfs_write "$N0/delay_ms" 0
wait $pid || die "the read failed after error handling"
el=$(($(now_ms) - t0))
tmo=$(($(cat $SDEV/iotmo_cnt) - tmo0))
echo "   the read took $el ms, $tmo timeouts"
echo "$old" >$SDEV/timeout
[ $tmo -ge 2 ] || die "$tmo timeouts: the error handler thread was not involved"
[ $el -lt 15000 ] || die "the read took $el ms: error handling escalated"
[ "$(cat $SDEV/state)" = running ] || die "device state $(cat $SDEV/state) after error handling"
run dd if="$d0" of=/dev/null bs=64k count=16 iflag=direct status=none
[ "$(in_flight)" = 0 ] || die "commands left in the backend"
ok "two timeouts recovered by the error handler, device online and usable"

echo "== teardown"
run rmdir "$T/sessions/$A"
run rm "$T/luns/0/device"
run rmdir "$T/luns/0" "$T"
cfs_write "$N0/enable" 0
run rmdir "$N0"
unload_modules || die "modules did not unload"
ok "all done"
