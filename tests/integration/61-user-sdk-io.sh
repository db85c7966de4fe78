#!/bin/bash
# libscstuser samples under real I/O load: fio with crc32c verification
# (4 jobs, QD 32) on scstu-ramdisk with 1 and with 2 handler queues, and
# on scstu-file (io_uring on a backing file), and on scstu-ramdisk served
# from a GLib main loop (SCSTU_DEV_OWN_LOOP, poll() on the device fd); then ext4 on scstu-file:
# mkfs, copy a tree, fsck; stop the handler, start it again on the same
# file, and the filesystem is still clean with the same files.
# scstu-test-timeout: 900
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/io
W=/tmp/61-io
IMG=$W/ufile0.img
MNT=$W/mnt
mkdir -p $W $MNT

trap 'umount $MNT 2>/dev/null; user_stop_all; cfs_teardown' EXIT

# fio_verify DEV TAG: random writes verified as they go, then a read-back pass
fio_verify() {
	local dev=$1 tag=$2
	local common=(--filename="$dev" --ioengine=libaio --direct=1 --iodepth=32
		--numjobs=4 --size=16M --offset_increment=16M --bsrange=4k-128k
		--rw=randwrite --verify=crc32c --verify_fatal=1 --randrepeat=1
		--group_reporting)
	echo 3 >/proc/sys/vm/drop_caches
	run fio --name=w "${common[@]}" --do_verify=1 --output=$W/$tag-w.log
	check_fio $W/$tag-w.log
	run fio --name=w "${common[@]}" --verify_only --output=$W/$tag-v.log
	check_fio $W/$tag-v.log
	grep -q "READ:" $W/$tag-v.log || die "$tag: the verify pass read nothing"
	ok "$tag: 4 jobs x 24 MiB random 4k-128k writes at QD 32 verified twice"
}

# map LUN DEVNAME: map the user device at LUN and wait for its sd
map() {
	run mkdir "$T/luns/$1"
	run ln -s "$CFS/devices/user/$2" "$T/luns/$1/device"
}

load_modules
run mkdir "$T"
user_start ur1 "$ROOT/build/samples/scstu-ramdisk" --name ur1 --size 128M
user_start ur2 "$ROOT/build/samples/scstu-ramdisk" --name ur2 --size 128M --queues 2 --block-size 4096
user_start ug0 "$ROOT/build/samples/scstu-ramdisk" --name ug0 --size 128M --queues 2 --glib
truncate -s 256M $IMG
user_start uf0 "$ROOT/build/samples/scstu-file" --name uf0 --file $IMG --size 256M --queues 2
[ "$(cat $CFS/devices/user/ur2/nr_queues)" = 2 ] || die "ur2 has $(cat $CFS/devices/user/ur2/nr_queues) queues"
map 0 ur1
map 1 ur2
map 2 uf0
map 3 ug0
run mkdir "$T/sessions/iqn.test:io"
h=$(cat "$T/sessions/iqn.test:io/host")
wait_for_scsi_devices 4 || die "SCSI devices did not appear"
s0=$(sd_of_lun "$h" 0) && s1=$(sd_of_lun "$h" 1) && s2=$(sd_of_lun "$h" 2) &&
	s3=$(sd_of_lun "$h" 3) || die "no sd"
for s in $s0 $s1 $s2 $s3; do
	echo none >"/sys/block/$(basename "$s")/queue/scheduler" 2>/dev/null
done
[ "$(blockdev --getss "$s1")" = 4096 ] || die "ur2 block size $(blockdev --getss "$s1")"
[ "$(blockdev --getsize64 "$s2")" = $((256 << 20)) ] || die "uf0 size from the file"

echo "== fio verify"
fio_verify "$s0" "ramdisk-1q"
fio_verify "$s1" "ramdisk-2q-4k"
fio_verify "$s2" "file-2q"
fio_verify "$s3" "ramdisk-glib-2q"
# the SDK names its queue worker threads scstu-qN: none in loop mode
! grep -q "^scstu-q" /proc/${USER_PID[ug0]}/task/*/comm ||
	die "the --glib handler runs SDK worker threads"
grep -q "^scstu-q" /proc/${USER_PID[ur2]}/task/*/comm ||
	die "no scstu-qN worker threads in the threaded handler"
ok "the GLib-loop handler served everything without SDK worker threads"

echo "== ext4 on scstu-file, across a handler restart"
run mkfs.ext4 -F -q "$s2"
run mount "$s2" $MNT
run cp -r "$ROOT/docs" "$ROOT/libscstuser" $MNT/
run sync
(cd $MNT && find . -type f -exec md5sum {} + | sort -k2) >$W/sums
run umount $MNT
run e2fsck -f -n "$s2"
user_stop uf0
user_start uf0 "$ROOT/build/samples/scstu-file" --name uf0 --file $IMG --size 256M --queues 2
run e2fsck -f -n "$s2"
run mount -o ro "$s2" $MNT
(cd $MNT && find . -type f -exec md5sum {} + | sort -k2) >$W/sums2
run umount $MNT
cmp $W/sums $W/sums2 || die "files differ after the handler restart"
ok "mkfs, copy, fsck, restart the handler, fsck and every file intact ($(wc -l <$W/sums) files)"
