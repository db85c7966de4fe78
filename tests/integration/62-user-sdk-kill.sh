#!/bin/bash
# libscstuser handler death: scstu-file is SIGKILLed while fio writes with
# verification; the initiator sees no error (dispatched commands come back
# BUSY and are retried, new ones are held), a restarted scstu-file
# re-attaches by name, fio finishes, and a read-back verify pass over
# everything succeeds. Then a SIGKILL during ext4 activity, restart, and
# fsck finds the filesystem clean.
# scstu-test-timeout: 600
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/kl
D=$CFS/devices/user/uk0
W=/tmp/62-kill
IMG=$W/uk0.img
MNT=$W/mnt
mkdir -p $W $MNT

trap 'umount $MNT 2>/dev/null; user_stop_all; cfs_teardown' EXIT

start() {
	user_start uk0 "$ROOT/build/samples/scstu-file" --name uk0 --file $IMG --size 128M --queues 2
}

load_modules
truncate -s 128M $IMG
start
cfs_write $D/reattach_timeout_ms 20000
run mkdir "$T" "$T/luns/0"
run ln -s "$D" "$T/luns/0/device"
run mkdir "$T/sessions/iqn.test:kill"
h=$(cat "$T/sessions/iqn.test:kill/host")
wait_for_scsi_devices 1 || die "SCSI device did not appear"
sd=$(sd_of_lun "$h" 0) || die "no sd"
echo none >"/sys/block/$(basename "$sd")/queue/scheduler" 2>/dev/null

common=(--filename="$sd" --ioengine=libaio --direct=1 --iodepth=32
	--numjobs=2 --size=48M --offset_increment=48M --bs=16k
	--rw=randwrite --verify=crc32c --verify_fatal=1 --randrepeat=1
	--group_reporting)

echo "== SIGKILL during fio, restart"
fio --name=k "${common[@]}" --do_verify=1 --eta=never --output=$W/fio-k.log &
fpid=$!
# let it get going, then kill the handler with commands in flight
for ((i = 0; i < 100; i++)); do
	n=$(sed -n 's/^write_commands //p' $D/stats)
	[ "${n:-0}" -gt 200 ] && break
	sleep 0.1
done
[ "${n:-0}" -gt 200 ] || die "fio did not start writing"
kill -KILL "${USER_PID[uk0]}"
wait "${USER_PID[uk0]}" 2>/dev/null
unset "USER_PID[uk0]"
[ "$(cat $D/state)" = detached ] || die "state after SIGKILL: $(cat $D/state)"
ok "handler killed after $n writes; device detached, LUN kept"
sleep 2
kill -0 $fpid 2>/dev/null || die "fio ended while the handler was dead"
start
ok "handler re-attached"
wait $fpid || { cat $W/fio-k.log; die "fio failed across the restart"; }
check_fio $W/fio-k.log
run fio --name=k "${common[@]}" --verify_only --output=$W/fio-v.log
check_fio $W/fio-v.log
grep -q "READ:" $W/fio-v.log || die "the verify pass read nothing"
ok "fio saw no error across SIGKILL + restart; every block verifies"

echo "== SIGKILL during ext4 writes, restart, fsck"
run mkfs.ext4 -F -q "$sd"
run mount "$sd" $MNT
(for i in $(seq 1 40); do
	dd if=/dev/urandom of=$MNT/f$i bs=64k count=8 status=none conv=fsync || exit 1
done) &
wpid=$!
sleep 2
kill -KILL "${USER_PID[uk0]}"
wait "${USER_PID[uk0]}" 2>/dev/null
unset "USER_PID[uk0]"
sleep 1
start
wait $wpid || die "writes failed across the restart"
run umount $MNT
run e2fsck -f -n "$sd"
ok "ext4 clean after a handler SIGKILL during writes"
