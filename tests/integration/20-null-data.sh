#!/bin/bash
# scstu_null nullio data path: reads really zero the initiator's buffer
# (page cache pages that held other data, direct I/O, sg), writes are
# discarded, VERIFY with BYTCHK compares against zeros (MISCOMPARE with the
# INFORMATION field = offset of the first differing byte), and the delay_ms
# test aid: completions are delayed, and an abort (SCSI error handler
# timeout, LUN reset) ends a delayed command at once.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/t0

trap cfs_teardown EXIT

# sense_info: INFORMATION field of the last expect_sense (fixed format,
# VALID set), decimal
sense_info() {
	local b
	b=($(echo "$_OUT" | awk '/Raw sense data/ { on = 1; next }
		on && /^[ \t]+([0-9a-fA-F][0-9a-fA-F][ \t]*)+$/ { print; next }
		on { on = 0 }'))
	[ ${#b[@]} -ge 7 ] && ((16#${b[0]} & 0x80)) || return 1
	echo $((16#${b[3]}${b[4]}${b[5]}${b[6]}))
}

load_modules
run mkdir "$CFS/devices/nullio/n0"
cfs_write "$CFS/devices/nullio/n0/size" $((256 << 20))
cfs_write "$CFS/devices/nullio/n0/enable" 1
run mkdir "$CFS/devices/nullio/n4k"
cfs_write "$CFS/devices/nullio/n4k/block_size" 4096
cfs_write "$CFS/devices/nullio/n4k/enable" 1
run mkdir "$T"
run mkdir "$T/luns/0" "$T/luns/1"
run ln -s "$CFS/devices/nullio/n0" "$T/luns/0/device"
run ln -s "$CFS/devices/nullio/n4k" "$T/luns/1/device"
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

echo "== nullio: writes discarded, reads zero"
head -c $((8 << 20)) /dev/urandom >/tmp/rand.bin
for d in $sda $sdb; do
	run dd if=/tmp/rand.bin of="$d" bs=1M oflag=direct status=none
	run dd if=/tmp/rand.bin of="$d" bs=64k seek=100 status=none
	run sync
	echo 3 >/proc/sys/vm/drop_caches
	# page cache pages that held random data get filled by the device
	dd if=/tmp/rand.bin of=/dev/null bs=1M status=none
	run sh -c "dd if=$d bs=1M count=16 status=none | cmp -n $((16 << 20)) - /dev/zero"
	run sh -c "dd if=$d bs=1M count=16 iflag=direct status=none | cmp -n $((16 << 20)) - /dev/zero"
	run sh -c "dd if=$d bs=4k skip=1000 count=100 iflag=direct status=none | cmp -n 409600 - /dev/zero"
done
ok "nullio reads return zeros after writes of random data (512 and 4096-byte blocks)"
rm -f /tmp/r.bin
run sg_dd if="$a" of=/tmp/r.bin bs=512 count=2048 bpt=128
cmp -n $((1 << 20)) /tmp/r.bin /dev/zero || die "sg_dd read non-zero data"
[ "$(stat -c %s /tmp/r.bin)" = $((1 << 20)) ] || die "sg_dd read $(stat -c %s /tmp/r.bin) bytes"
ok "sg_dd: 1 MiB of zeros"
grep -q "^write_bytes [1-9]" "$CFS/devices/nullio/n0/stats" || die "no write bytes accounted"

echo "== VERIFY against zeros"
head -c 4096 /dev/zero >/tmp/z.bin
cp /tmp/z.bin /tmp/nz.bin
printf '\x5a' | dd of=/tmp/nz.bin bs=1 seek=700 conv=notrunc status=none
expect_good -- sg_raw "$a" 2f 00 00 00 00 00 00 00 08 00
expect_good -- sg_raw "$a" 2f 10 00 00 10 00 00 ff ff 00
expect_good -- sg_raw -s 4096 -i /tmp/z.bin "$a" 2f 02 00 00 00 10 00 00 08 00
expect_good -- sg_raw -s 4096 -i /tmp/z.bin "$a" 8f 02 00 00 00 00 00 00 00 10 00 00 00 08 00 00
expect_good -- sg_raw -s 4096 -i /tmp/z.bin "$a" af 02 00 00 00 10 00 00 00 08 00 00
expect_sense MISCOMPARE 0x1d 0x00 -- sg_raw -s 4096 -i /tmp/nz.bin "$a" 2f 02 00 00 00 10 00 00 08 00
[ "$(sense_info)" = 700 ] || die "INFORMATION $(sense_info), want 700"
expect_sense MISCOMPARE 0x1d 0x00 -- sg_raw -s 4096 -i /tmp/nz.bin "$b" 8f 02 00 00 00 00 00 00 00 10 00 00 00 01 00 00
[ "$(sense_info)" = 700 ] || die "INFORMATION $(sense_info), want 700"
ok "VERIFY(10/12/16) BYTCHK=1: GOOD for zeros, MISCOMPARE at offset 700 otherwise"
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -s 512 -i /tmp/z.bin "$a" 2f 04 00 00 00 00 00 00 01 00
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -s 512 -i /tmp/z.bin "$a" 2f 06 00 00 00 00 00 00 01 00
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw "$a" 2f 20 00 00 00 00 00 00 01 00
expect_sense ILLEGAL_REQUEST 0x21 0x00 -- sg_raw "$a" 2f 00 00 07 ff ff 00 00 02 00
expect_good -- sg_raw "$a" 2f 00 00 07 ff ff 00 00 01 00
ok "VERIFY: BYTCHK 10b/11b and VRPROTECT refused, range checked"

echo "== delay_ms"
cfs_write "$CFS/devices/nullio/n0/delay_ms" 1500
t0=$(now_ms)
run sg_turs "$a"
dt=$(($(now_ms) - t0))
[ $dt -ge 1400 ] || die "TEST UNIT READY took ${dt} ms with delay_ms=1500"
t0=$(now_ms)
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 36 "$a" 12 02 00 00 24 00
dt=$(($(now_ms) - t0))
[ $dt -ge 1400 ] || die "a failing command took ${dt} ms with delay_ms=1500"
ok "completions (good and check condition) delayed by delay_ms"
# the error handler aborts a command that timed out: it must end at once
cfs_write "$CFS/devices/nullio/n0/delay_ms" 60000
t0=$(now_ms)
sg_raw -t 3 -r 512 "$a" 28 00 00 00 00 00 00 00 01 00 && die "a timed out command succeeded"
dt=$(($(now_ms) - t0))
echo "timed out READ ended after $dt ms"
[ $dt -lt 30000 ] || die "abort did not cut the 60 s delay short (${dt} ms)"
cfs_write "$CFS/devices/nullio/n0/delay_ms" 0
sg_turs -n 3 "$a" >/dev/null 2>&1
run sg_turs "$a"
ok "ABORT TASK from the error handler ended the delayed command"
# LUN reset while commands wait in the delay
cfs_write "$CFS/devices/nullio/n0/delay_ms" 60000
t0=$(now_ms)
pids=()
for i in 1 2 3 4; do
	sg_raw -t 50 -r 512 "$a" 28 00 00 00 00 0$i 00 00 01 00 >/dev/null 2>&1 &
	pids+=($!)
done
# wait until all four are held in the delay
for ((i = 0; i < 300; i++)); do
	grep -q "^in_flight 4" "$CFS/devices/nullio/n0/stats" && break
	sleep 0.1
done
grep -q "^in_flight 4" "$CFS/devices/nullio/n0/stats" || die "the 4 READs are not in flight"
run sg_reset -d "$a"
for p in "${pids[@]}"; do
	wait "$p"
done
dt=$(($(now_ms) - t0))
echo "4 delayed READs ended $dt ms after submission"
[ $dt -lt 30000 ] || die "LUN reset did not end the delayed commands (${dt} ms)"
cfs_write "$CFS/devices/nullio/n0/delay_ms" 0
sg_turs -n 3 "$a" >/dev/null 2>&1
run sg_turs "$a"
grep -q "^in_flight 0" "$CFS/devices/nullio/n0/stats" || die "commands left in flight"
ok "LUN RESET ended every delayed command at once"
