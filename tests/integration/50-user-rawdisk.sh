#!/bin/bash
# scstu_user: the raw-ABI rawdisk handler (tests/user-abi/rawdisk.c) behind
# scstu_local. INQUIRY and READ CAPACITY answers come from the handler, a
# dd write/read round trip compares, fio verifies (crc32c, 4 jobs QD 32)
# with 1 and then 2 handler queues (re-registration by name), the
# configfs attributes say what happened, and nothing was rejected.
# scstu-test-timeout: 600
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/u0
D=$CFS/devices/user/rd0
RAWDISK=$ROOT/build/user-abi/rawdisk
W=/tmp/50-user
mkdir -p $W
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	cfs_teardown
}
trap cleanup EXIT

# start_rawdisk ARGS...: run rawdisk in the background, wait for "ready"
start_rawdisk() {
	"$RAWDISK" --name rd0 --size-mb 96 "$@" >$W/rawdisk.log 2>&1 &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		grep -q '^ready' $W/rawdisk.log && { cat $W/rawdisk.log; return 0; }
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

load_modules
grep -q "^scstu_user " /proc/modules || run insmod "$ROOT/kernel/scstu_user.ko"
[ -x "$RAWDISK" ] || die "$RAWDISK not built"

echo "== before registration: enable is refused"
run mkdir "$D"
[ "$(cat $D/state)" = new ] || die "state $(cat $D/state), want new"
[ "$(cat $D/handler)" = none ] || die "handler $(cat $D/handler)"
echo 1 >"$D/enable" 2>/dev/null && die "enable=1 accepted before a handler registered"
ok "enable refused while state is new"

echo "== one queue"
start_rawdisk --queues 1
[ "$(cat $D/state)" = attached ] || die "state $(cat $D/state)"
[ "$(cat $D/handler)" = "$pid" ] || die "handler $(cat $D/handler), want $pid"
[ "$(cat $D/nr_queues)" = 1 ] || die "nr_queues $(cat $D/nr_queues)"
[ "$(cat $D/queue_depth)" = 248 ] || die "queue_depth $(cat $D/queue_depth)"
[ "$(cat $D/enable)" = 1 ] || die "rawdisk did not enable the device"
[ "$(cat $D/type)" = 0 ] || die "type $(cat $D/type)"
run mkdir "$T" "$T/luns/0"
run ln -s "$D" "$T/luns/0/device"
run mkdir "$T/sessions/iqn.test:u0"
h=$(cat "$T/sessions/iqn.test:u0/host")
wait_for_scsi_devices 1 || die "SCSI device did not appear"
sg=$(sg_of_lun "$h" 0) && sd=$(sd_of_lun "$h" 0) || die "no sg/sd"
echo none >"/sys/block/$(basename "$sd")/queue/scheduler" 2>/dev/null
sg_turs "$sg" >/dev/null 2>&1 # the power-on unit attention

run sg_inq "$sg" >$W/inq.txt
grep -q "Vendor identification: SCSTU" $W/inq.txt || die "vendor: $(cat $W/inq.txt)"
grep -q "Product identification: RAWDISK" $W/inq.txt || die "product: $(cat $W/inq.txt)"
ok "INQUIRY answered by the handler"
run sg_readcap "$sg" >$W/cap.txt
grep -q "Last LBA=196607" $W/cap.txt || die "capacity: $(cat $W/cap.txt)"
run sg_readcap -16 "$sg" >$W/cap16.txt
grep -q "Last LBA=196607" $W/cap16.txt || die "capacity(16): $(cat $W/cap16.txt)"
ok "READ CAPACITY(10/16): 196608 blocks of 512"
expect_sense ILLEGAL_REQUEST 0x20 0x00 -- sg_raw "$sg" c0 00 00 00 00 00
expect_sense ILLEGAL_REQUEST 0x21 0x00 -- sg_raw -r 512 "$sg" 28 00 00 03 00 00 00 00 01 00

echo "== dd round trip"
run dd if=/dev/urandom of=$W/pattern bs=1M count=8 status=none
run dd if=$W/pattern of="$sd" bs=1M oflag=direct status=none
run dd if="$sd" of=$W/back bs=1M count=8 iflag=direct status=none
cmp $W/pattern $W/back || die "data read back differs"
ok "8 MiB written and read back identical"

common=(--filename="$sd" --ioengine=libaio --direct=1 --iodepth=32
	--numjobs=4 --size=16M --offset_increment=16M --bs=4k
	--rw=randwrite --verify=crc32c --verify_fatal=1 --randrepeat=1
	--group_reporting)
echo "== fio, 1 queue"
run fio --name=w1 "${common[@]}" --do_verify=1 --output=$W/fio1.log
cat $W/fio1.log
check_fio $W/fio1.log
ok "fio verify with 1 queue"

echo "== re-register with 2 queues (same name, LUN stays)"
stop_rawdisk
[ "$(cat $D/state)" = detached ] || die "state $(cat $D/state), want detached"
[ "$(cat $D/handler)" = none ] || die "handler $(cat $D/handler)"
start_rawdisk --queues 2 --depth 64
[ "$(cat $D/nr_queues)" = 2 ] || die "nr_queues $(cat $D/nr_queues)"
[ "$(cat $D/queue_depth)" = 56 ] || die "queue_depth $(cat $D/queue_depth)"
run fio --name=w2 "${common[@]}" --bsrange=4k-128k --do_verify=1 --output=$W/fio2.log
cat $W/fio2.log
check_fio $W/fio2.log
ok "fio verify with 2 queues (4 KiB to 128 KiB)"

[ "$(cat $D/protocol_errors)" = 0 ] || die "protocol_errors $(cat $D/protocol_errors)"
ok "no protocol errors"

echo "== device removed under an attached handler"
run rm "$T/luns/0/device"
cfs_write "$D/enable" 0
run rmdir "$D"
for ((i = 0; i < 50; i++)); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$pid" 2>/dev/null && die "rawdisk still runs after the device was removed"
wait "$pid"
pid=
grep -q "queue 0: device removed" $W/rawdisk.log || die "rawdisk did not see ENODEV: $(cat $W/rawdisk.log)"
grep -q "queue 1: device removed" $W/rawdisk.log || die "queue 1 did not see ENODEV"
ok "every queue's ENTER got ENODEV; the handler exited cleanly"

echo "== teardown; rmmod refused while the device exists"
cfs_teardown || die "teardown left something"
run mkdir "$D"
rmmod scstu_user 2>/dev/null && die "rmmod scstu_user succeeded with a device"
run rmdir "$D"
run rmmod scstu_user
ok "rmmod after teardown"
