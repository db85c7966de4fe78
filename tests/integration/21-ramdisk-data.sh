#!/bin/bash
# scstu_null ramdisk data path: sparse medium (unwritten blocks read as
# zeros), data integrity for 512 and 4096-byte blocks with every READ/WRITE
# CDB size, partial-page writes, short data-out buffers, VERIFY BYTCHK=1
# real compare (MISCOMPARE with the offset in INFORMATION), shrinking frees
# and zeroes what lies beyond the end, rmdir gives the memory back.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/t0

trap cfs_teardown EXIT

sense_info() {
	local b
	b=($(echo "$_OUT" | awk '/Raw sense data/ { on = 1; next }
		on && /^[ \t]+([0-9a-fA-F][0-9a-fA-F][ \t]*)+$/ { print; next }
		on { on = 0 }'))
	[ ${#b[@]} -ge 7 ] && ((16#${b[0]} & 0x80)) || return 1
	echo $((16#${b[3]}${b[4]}${b[5]}${b[6]}))
}

# readraw DEV FILE LEN CDB...: READ into FILE, exactly LEN bytes expected
readraw() {
	local d=$1 f=$2 n=$3
	shift 3
	rm -f "$f"
	sg_raw -o "$f" -r "$n" "$d" "$@" >/tmp/sg.log 2>&1 ||
		{ cat /tmp/sg.log; die "READ failed: $*"; }
	[ "$(stat -c %s "$f" 2>/dev/null)" = "$n" ] || die "READ returned $(stat -c %s "$f" 2>/dev/null) bytes, want $n: $*"
}

memavail_mb() {
	echo $(($(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo) / 1024))
}

load_modules
run mkdir "$CFS/devices/ramdisk/rd0"
cfs_write "$CFS/devices/ramdisk/rd0/size" $((64 << 20))
cfs_write "$CFS/devices/ramdisk/rd0/enable" 1
run mkdir "$CFS/devices/ramdisk/rd4k"
cfs_write "$CFS/devices/ramdisk/rd4k/block_size" 4096
cfs_write "$CFS/devices/ramdisk/rd4k/size" $((64 << 20))
cfs_write "$CFS/devices/ramdisk/rd4k/enable" 1
run mkdir "$T"
run mkdir "$T/luns/0" "$T/luns/1"
run ln -s "$CFS/devices/ramdisk/rd0" "$T/luns/0/device"
run ln -s "$CFS/devices/ramdisk/rd4k" "$T/luns/1/device"
run mkdir "$T/sessions/iqn.test:ini0"
h=$(cat "$T/sessions/iqn.test:ini0/host")
wait_for_scsi_devices 2 || die "SCSI devices did not appear"
a=$(sg_of_lun "$h" 0) || die "no sg"
b=$(sg_of_lun "$h" 1) || die "no sg"
sda=$(sd_of_lun "$h" 0) || die "no sd"
sdb=$(sd_of_lun "$h" 1) || die "no sd"
for d in $a $b; do
	sg_turs -n 3 "$d" >/dev/null 2>&1
	run sg_turs "$d"
done

echo "== sparse: a fresh ramdisk reads zeros"
for d in $sda $sdb; do
	run bash -c "dd if=$d bs=1M iflag=direct status=none | cmp -n $((64 << 20)) - /dev/zero"
done
ok "64 MiB of zeros from both fresh ramdisks"

echo "== data integrity"
head -c $((8 << 20)) /dev/urandom >/tmp/rand.bin
for d in $sda $sdb; do
	run dd if=/tmp/rand.bin of="$d" bs=1M seek=3 oflag=direct status=none
	run dd if=/tmp/rand.bin of="$d" bs=4k count=100 seek=5000 conv=notrunc status=none
	run sync
	echo 3 >/proc/sys/vm/drop_caches
	run bash -c "dd if=$d bs=1M skip=3 count=8 iflag=direct status=none | cmp - /tmp/rand.bin"
	run bash -c "dd if=$d bs=4k skip=5000 count=100 status=none | cmp - <(head -c 409600 /tmp/rand.bin)"
	run bash -c "dd if=$d bs=1M count=3 iflag=direct status=none | cmp -n $((3 << 20)) - /dev/zero"
	run bash -c "dd if=$d bs=1M skip=11 count=8 iflag=direct status=none | cmp -n $((8 << 20)) - /dev/zero"
done
ok "written ranges read back, unwritten neighbours stay zero"

# every CDB size, 512-byte blocks, odd LBAs inside a page
head -c 2048 /dev/urandom >/tmp/w.bin
run sg_raw -s 512 -i /tmp/w.bin "$a" 0a 01 00 01 01 00
readraw "$a" /tmp/r.bin 512 08 01 00 01 01 00
cmp /tmp/r.bin <(head -c 512 /tmp/w.bin) || die "WRITE(6)/READ(6) mismatch"
run sg_raw -s 1024 -i /tmp/w.bin "$a" 2a 08 00 01 00 13 00 00 02 00
readraw "$a" /tmp/r.bin 1024 28 08 00 01 00 13 00 00 02 00
cmp /tmp/r.bin <(head -c 1024 /tmp/w.bin) || die "WRITE(10)/READ(10) mismatch"
run sg_raw -s 1536 -i /tmp/w.bin "$a" aa 00 00 01 00 25 00 00 00 03 00 00
readraw "$a" /tmp/r.bin 1536 a8 00 00 01 00 25 00 00 00 03 00 00
cmp /tmp/r.bin <(head -c 1536 /tmp/w.bin) || die "WRITE(12)/READ(12) mismatch"
# this one crosses a page boundary
run sg_raw -s 2048 -i /tmp/w.bin "$a" 8a 00 00 00 00 00 00 01 00 36 00 00 00 04 00 00
readraw "$a" /tmp/r.bin 2048 88 00 00 00 00 00 00 01 00 36 00 00 00 04 00 00
cmp /tmp/r.bin /tmp/w.bin || die "WRITE(16)/READ(16) mismatch"
# the rest of those pages is still zero
readraw "$a" /tmp/r.bin $((64 * 512)) 28 00 00 01 00 00 00 00 40 00
z() { head -c $(($1 * 512)) /dev/zero; }
w() { head -c $(($1 * 512)) /tmp/w.bin; }
cmp /tmp/r.bin <(z 1; w 1; z 17; w 2; z 16; w 3; z 14; w 4; z 6) ||
	die "partial-page writes disturbed their neighbours"
ok "WRITE/READ 6/10/12/16 round trips, partial pages keep their zeros"
# a data-out buffer shorter than the CDB says: only what came is written
head -c 4096 /dev/zero | tr '\0' '\377' >/tmp/ff.bin
run sg_raw -s 4096 -i /tmp/ff.bin "$a" 2a 00 00 00 80 00 00 00 08 00
run sg_raw -s 512 -i /tmp/w.bin "$a" 2a 00 00 00 80 00 00 00 02 00
readraw "$a" /tmp/r.bin 1024 28 00 00 00 80 00 00 00 02 00
cmp /tmp/r.bin <(head -c 512 /tmp/w.bin; head -c 512 /tmp/ff.bin) ||
	die "short data-out buffer: unexpected medium contents"
ok "a short data-out buffer writes what was transferred"
# 4096-byte blocks: READ(6) 0 = 256 blocks = 1 MiB
run dd if=/tmp/rand.bin of="$sdb" bs=1M count=1 oflag=direct status=none
readraw "$b" /tmp/r.bin $((1 << 20)) 08 00 00 00 00 00
cmp /tmp/r.bin <(head -c $((1 << 20)) /tmp/rand.bin) || die "READ(6) of 256 4096-byte blocks"
ok "READ(6) transfer length 0 reads 256 blocks of 4096 bytes"

echo "== VERIFY BYTCHK=1 compares with the medium"
head -c 8192 /dev/urandom >/tmp/v.bin
run sg_raw -s 8192 -i /tmp/v.bin "$a" 2a 00 00 00 90 00 00 00 10 00
expect_good -- sg_raw -s 8192 -i /tmp/v.bin "$a" 2f 02 00 00 90 00 00 00 10 00
cp /tmp/v.bin /tmp/v2.bin
printf '\x00' | dd of=/tmp/v2.bin bs=1 seek=5000 conv=notrunc status=none
cmp -s /tmp/v.bin /tmp/v2.bin && printf '\x01' | dd of=/tmp/v2.bin bs=1 seek=5000 conv=notrunc status=none
expect_sense MISCOMPARE 0x1d 0x00 -- sg_raw -s 8192 -i /tmp/v2.bin "$a" 2f 02 00 00 90 00 00 00 10 00
[ "$(sense_info)" = 5000 ] || die "INFORMATION $(sense_info), want 5000"
expect_sense MISCOMPARE 0x1d 0x00 -- sg_raw -s 8192 -i /tmp/v2.bin "$a" 8f 12 00 00 00 00 00 00 90 00 00 00 00 10 00 00
[ "$(sense_info)" = 5000 ] || die "VERIFY(16): INFORMATION $(sense_info), want 5000"
expect_good -- sg_raw -s 4096 -i /tmp/v.bin "$a" af 02 00 00 90 00 00 00 00 08 00 00
# holes compare as zeros
head -c 4096 /dev/zero >/tmp/z.bin
expect_good -- sg_raw -s 4096 -i /tmp/z.bin "$a" 2f 02 00 01 80 00 00 00 08 00
expect_sense MISCOMPARE 0x1d 0x00 -- sg_raw -s 2048 -i /tmp/w.bin "$a" 2f 02 00 01 80 00 00 00 04 00
[ "$(sense_info)" -lt 16 ] || die "INFORMATION $(sense_info) for random data against a hole"
# 4096-byte blocks
run sg_raw -s 8192 -i /tmp/v.bin "$b" 2a 00 00 00 10 00 00 00 02 00
expect_good -- sg_raw -s 8192 -i /tmp/v.bin "$b" 2f 02 00 00 10 00 00 00 02 00
expect_sense MISCOMPARE 0x1d 0x00 -- sg_raw -s 8192 -i /tmp/v2.bin "$b" 2f 02 00 00 10 00 00 00 02 00
[ "$(sense_info)" = 5000 ] || die "4096: INFORMATION $(sense_info), want 5000"
ok "VERIFY: equal data GOOD, MISCOMPARE 1D/00 with the offset of the first difference"

echo "== shrinking frees and zeroes what lies beyond the end"
# data in the last 2 MiB and in the page that will hold the new end
run dd if=/tmp/rand.bin of="$sda" bs=1M seek=62 count=2 oflag=direct status=none
run dd if=/tmp/rand.bin of="$sda" bs=4k seek=$((60 * 256)) count=1 oflag=direct status=none
cfs_write "$CFS/devices/ramdisk/rd0/size" $((60 * 1048576 + 1024))
expect_sense UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$a" 00 00 00 00 00 00
sg_readcap "$a" | grep -q "Number of logical blocks=$((60 * 2048 + 2))\$" || die "capacity after shrink"
readraw "$a" /tmp/r.bin 1024 28 00 00 01 e0 00 00 00 02 00
cmp /tmp/r.bin <(head -c 1024 /tmp/rand.bin) || die "data below the new end lost"
expect_sense ILLEGAL_REQUEST 0x21 0x00 -- sg_raw -r 1024 "$a" 28 00 00 01 e0 01 00 00 02 00
cfs_write "$CFS/devices/ramdisk/rd0/size" $((64 << 20))
expect_sense UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$a" 00 00 00 00 00 00
readraw "$a" /tmp/r.bin 4096 28 00 00 01 e0 00 00 00 08 00
cmp /tmp/r.bin <(head -c 1024 /tmp/rand.bin; head -c 3072 /dev/zero) ||
	die "the tail of the page at the old end was not zeroed"
run bash -c "dd if=$sda bs=1M skip=62 count=2 iflag=direct status=none | cmp -n $((2 << 20)) - /dev/zero"
ok "after shrink + grow: beyond the old end reads zeros, data below kept"

echo "== rmdir gives the memory back"
run mkdir "$CFS/devices/ramdisk/rdm"
cfs_write "$CFS/devices/ramdisk/rdm/size" $((128 << 20))
cfs_write "$CFS/devices/ramdisk/rdm/enable" 1
run mkdir "$T/luns/2"
run ln -s "$CFS/devices/ramdisk/rdm" "$T/luns/2/device"
wait_for_scsi_devices 3 || die "LUN 2 did not appear"
sdm=$(sd_of_lun "$h" 2) || die "no sd for LUN 2"
sgm=$(sg_of_lun "$h" 2) || die "no sg for LUN 2"
sg_turs -n 3 "$sgm" >/dev/null 2>&1
sync
echo 3 >/proc/sys/vm/drop_caches
[ "$(cat "$CFS/devices/ramdisk/rdm/used_bytes")" = 0 ] || die "fresh ramdisk uses memory"
run bash -c "head -c $((96 << 20)) /dev/urandom | dd of=$sdm bs=1M oflag=direct status=none"
used=$(cat "$CFS/devices/ramdisk/rdm/used_bytes")
[ "$used" = $((96 << 20)) ] || die "96 MiB written, used_bytes $used"
cfs_write "$CFS/devices/ramdisk/rdm/size" $((32 << 20))
used=$(cat "$CFS/devices/ramdisk/rdm/used_bytes")
[ "$used" = $((32 << 20)) ] || die "shrunk to 32 MiB, used_bytes $used"
ok "used_bytes follows writes (96 MiB) and shrinking (32 MiB)"
sync
echo 3 >/proc/sys/vm/drop_caches
m1=$(memavail_mb)
run rm "$T/luns/2/device"
run rmdir "$T/luns/2"
for ((i = 0; i < 100; i++)); do
	[ -e "/sys/class/scsi_device/$h:0:0:2" ] || break
	sleep 0.1
done
cfs_write "$CFS/devices/ramdisk/rdm/enable" 0
run rmdir "$CFS/devices/ramdisk/rdm"
m2=$(memavail_mb)
echo "MemAvailable: $m1 MiB before, $m2 MiB after rmdir"
# 32 MiB of pages go back; other activity makes MemAvailable noisy
[ $((m2 - m1)) -ge 16 ] || die "rmdir gave back only $((m2 - m1)) MiB"
ok "the ramdisk's pages are freed on rmdir"
