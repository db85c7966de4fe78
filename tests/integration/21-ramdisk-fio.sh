#!/bin/bash
# fio on an scstu_null ramdisk through the Linux initiator: 4 jobs of
# random 4 KiB writes at queue depth 32 (libaio, O_DIRECT), each verified
# with crc32c as it goes, then a separate read-back pass that verifies
# everything again; and a mixed-size run on a 4096-byte-block ramdisk.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/t0

trap cfs_teardown EXIT

load_modules
run mkdir "$CFS/devices/ramdisk/rd0"
cfs_write "$CFS/devices/ramdisk/rd0/size" $((256 << 20))
cfs_write "$CFS/devices/ramdisk/rd0/enable" 1
run mkdir "$CFS/devices/ramdisk/rd4k"
cfs_write "$CFS/devices/ramdisk/rd4k/block_size" 4096
cfs_write "$CFS/devices/ramdisk/rd4k/size" $((128 << 20))
cfs_write "$CFS/devices/ramdisk/rd4k/enable" 1
run mkdir "$T"
run mkdir "$T/luns/0" "$T/luns/1"
run ln -s "$CFS/devices/ramdisk/rd0" "$T/luns/0/device"
run ln -s "$CFS/devices/ramdisk/rd4k" "$T/luns/1/device"
run mkdir "$T/sessions/iqn.test:ini0"
h=$(cat "$T/sessions/iqn.test:ini0/host")
wait_for_scsi_devices 2 || die "SCSI devices did not appear"
dev=$(sd_of_lun "$h" 0) || die "no sd"
dev4k=$(sd_of_lun "$h" 1) || die "no sd"
# no I/O scheduler reordering on top of ours
echo none >"/sys/block/$(basename "$dev")/queue/scheduler" 2>/dev/null

common=(--filename="$dev" --ioengine=libaio --direct=1 --iodepth=32
	--numjobs=4 --size=40M --offset_increment=64M --bs=4k
	--rw=randwrite --verify=crc32c --verify_fatal=1 --randrepeat=1
	--group_reporting)

echo "== fio: 4 jobs x 40 MiB random writes, QD 32, verify crc32c"
run fio --name=write "${common[@]}" --do_verify=1 --output=/tmp/fio-w.log
cat /tmp/fio-w.log
check_fio /tmp/fio-w.log
ok "random writes verified by each job"

echo "== fio: read-back verify pass"
echo 3 >/proc/sys/vm/drop_caches
run fio --name=write "${common[@]}" --verify_only --output=/tmp/fio-v.log
cat /tmp/fio-v.log
check_fio /tmp/fio-v.log
grep -q "READ:" /tmp/fio-v.log || die "the verify pass read nothing"
ok "every block read back and verified"

echo "== fio: mixed sizes on 4096-byte blocks"
run fio --name=mixed --filename="$dev4k" --ioengine=libaio --direct=1 \
	--iodepth=32 --numjobs=2 --size=32M --offset_increment=64M \
	--bsrange=4k-256k --rw=randwrite --verify=crc32c --verify_fatal=1 \
	--do_verify=1 --group_reporting --output=/tmp/fio-m.log
cat /tmp/fio-m.log
check_fio /tmp/fio-m.log
ok "4 KiB to 256 KiB random writes verified on 4096-byte blocks"
