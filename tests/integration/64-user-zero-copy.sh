#!/bin/bash
# Zero copy (SCSTU_USER_F_ZERO_COPY, asked for by libscstuser): data that
# is whole pages reaches the handler as the initiator's own pages, the
# rest goes through the copy window. Proves both paths are taken
# (devices/user/NAME/zero_copy_cmds and copied_cmds) and that data
# survives both:
#  - fio O_DIRECT random writes 4k..1M, verified (zero copy);
#  - fio O_DIRECT with sizes 512..61.5k, not whole pages, verified (mostly copied);
#  - buffered I/O through the page cache: dd a file in, drop caches,
#    read it back;
#  - sg_dd with 512-byte blocks, odd counts and skips (copy fallback);
#  - the null sample returns zeros over a buffer full of garbage;
#  - SCSTU_ZERO_COPY=0 turns it off (zero_copy_cmds stays 0);
#  - zero_copy_min: 64 KiB by default, 0 on zr0 (4 KiB zero-copy too);
#  - a LUN reset aborts a zero-copy READ the handler has filled (the
#    delay mode of the ramdisk): the command ends at once, its pages
#    are unmapped before its chunks are reused, later I/O is intact;
#  - SIGKILL of the handler under zero-copy load: commands end BUSY and
#    retry on the restarted handler, data verifies, no page leaks (the
#    kernel stays clean: dmesg is checked by the runner).
# scstu-test-timeout: 900
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/zc
W=/tmp/64-zc
mkdir -p $W && cd $W

trap 'user_stop_all; cfs_teardown' EXIT

cnt() { cat "$CFS/devices/user/$1/$2"; }

map() {
	run mkdir "$T/luns/$1"
	run ln -s "$CFS/devices/user/$2" "$T/luns/$1/device"
}

load_modules
run mkdir "$T"
user_start zr0 "$ROOT/build/samples/scstu-ramdisk" --name zr0 --size 96M --queues 2
user_start zn0 "$ROOT/build/samples/scstu-null" --name zn0 --size 1G
SCSTU_ZERO_COPY=0 user_start zr1 "$ROOT/build/samples/scstu-ramdisk" --name zr1 --size 32M
user_start zd0 "$ROOT/build/samples/scstu-ramdisk" --name zd0 --size 16M --delay-ms 6000
map 0 zr0
map 1 zn0
map 2 zr1
map 3 zd0
cfs_write "$CFS/devices/user/zd0/zero_copy_min" 0
run mkdir "$T/sessions/iqn.test:zc"
h=$(cat "$T/sessions/iqn.test:zc/host")
wait_for_scsi_devices 4 || die "SCSI devices did not appear"
s0=$(sd_of_lun "$h" 0) && s1=$(sd_of_lun "$h" 1) && s2=$(sd_of_lun "$h" 2) || die "no sd"
[ "$(cnt zn0 zero_copy_min)" = 65536 ] || die "zero_copy_min default $(cnt zn0 zero_copy_min)"
# zr0: every whole-page transfer, however small, goes zero-copy
cfs_write "$CFS/devices/user/zr0/zero_copy_min" 0
dmesg | grep -q "zr0: handler .* features 0x1f" ||
	die "zero copy not granted: $(dmesg | grep -m1 'zr0: handler')"

echo "== fio O_DIRECT 4k..1M, verified"
z0=$(cnt zr0 zero_copy_cmds)
run fio --name=zc --filename="$s0" --ioengine=libaio --direct=1 --iodepth=16 \
	--numjobs=2 --size=40M --offset_increment=40M --bsrange=4k-1m \
	--rw=randwrite --verify=crc32c --verify_fatal=1 --do_verify=1 \
	--group_reporting --output=$W/zc.log
check_fio $W/zc.log
z1=$(cnt zr0 zero_copy_cmds)
[ $((z1 - z0)) -gt 200 ] || die "only $((z1 - z0)) zero-copy commands for the fio run"
ok "fio 4k..1M verified, $((z1 - z0)) zero-copy commands, $(cnt zr0 copied_cmds) copied so far"

echo "== fio O_DIRECT sizes 512..61.5k, not whole pages, verified"
c0=$(cnt zr0 copied_cmds)
run fio --name=cp --filename="$s0" --ioengine=libaio --direct=1 --iodepth=16 \
	--size=16M --bssplit=512/20:1536/20:3584/20:7680/20:62976/20 --rw=randwrite \
	--verify=crc32c --verify_fatal=1 --do_verify=1 --output=$W/cp.log
check_fio $W/cp.log
c1=$(cnt zr0 copied_cmds)
[ $((c1 - c0)) -gt 100 ] || die "only $((c1 - c0)) copied commands for unaligned sizes"
ok "unaligned fio verified, $((c1 - c0)) commands through the copy window"

echo "== buffered I/O through the page cache"
run dd if=/dev/urandom of=$W/rand bs=1M count=24 status=none
run dd if=$W/rand of="$s0" bs=64k status=none conv=fsync
echo 3 >/proc/sys/vm/drop_caches
run cmp -n $((24 << 20)) $W/rand "$s0"
run dd if=$W/rand of="$s0" bs=1M seek=30 oflag=direct status=none
echo 3 >/proc/sys/vm/drop_caches
dd if="$s0" of=$W/back bs=4k skip=$((30 * 256)) count=$((24 * 256)) status=none
run cmp $W/rand $W/back
ok "24 MiB buffered and direct writes read back identical"

echo "== sg_dd with 512-byte blocks and odd counts (copy fallback)"
sg=$(sg_of_lun "$h" 0) || die "no sg node for LUN 0"
c0=$(cnt zr0 copied_cmds)
run dd if=/dev/urandom of=$W/odd bs=512 count=1531 status=none
run sg_dd if=$W/odd of="$sg" bs=512 bpt=7 seek=4099 count=1531
run sg_dd if="$sg" of=$W/odd2 bs=512 bpt=13 skip=4099 count=1531
run cmp $W/odd $W/odd2
c1=$(cnt zr0 copied_cmds)
[ $((c1 - c0)) -gt 200 ] || die "sg_dd: only $((c1 - c0)) copied commands"
ok "sg_dd odd offsets verified ($((c1 - c0)) copied commands)"

echo "== null sample reads zeros"
z0=$(cnt zn0 zero_copy_cmds)
head -c $((8 << 20)) /dev/urandom >$W/garbage
run dd if=$W/garbage of="$s1" bs=1M count=8 oflag=direct status=none
run dd if="$s1" of=$W/nz bs=1M count=8 iflag=direct status=none
run cmp -n $((8 << 20)) $W/nz /dev/zero
run fio --name=nz --filename="$s1" --ioengine=libaio --direct=1 --iodepth=8 \
	--size=64M --bs=1M --rw=read --verify=pattern --verify_pattern=0x00 \
	--verify_fatal=1 --verify_only=0 --output=$W/nz.log
check_fio $W/nz.log
z1=$(cnt zn0 zero_copy_cmds)
[ $((z1 - z0)) -ge 64 ] || die "null: only $((z1 - z0)) zero-copy commands"
ok "null reads are zeros ($((z1 - z0)) zero-copy commands)"

echo "== SCSTU_ZERO_COPY=0"
run fio --name=off --filename="$s2" --ioengine=libaio --direct=1 --iodepth=8 \
	--size=16M --bsrange=4k-256k --rw=randwrite --verify=crc32c \
	--verify_fatal=1 --do_verify=1 --output=$W/off.log
check_fio $W/off.log
[ "$(cnt zr1 zero_copy_cmds)" = 0 ] || die "zero copy used although disabled"
[ "$(cnt zr1 copied_cmds)" -gt 100 ] || die "zr1: nothing copied?"
ok "without the feature every command is copied ($(cnt zr1 copied_cmds))"

echo "== LUN reset aborts a zero-copy READ the handler has filled"
sgd=$(sg_of_lun "$h" 3) || die "no sg node for LUN 3"
for i in 1 2 3 4 5; do sg_turs "$sgd" >/dev/null 2>&1 && break; done
run dd if=/dev/urandom of=$W/zd bs=64k count=1 status=none
run sg_dd if=$W/zd of="$sgd" bs=512 bpt=128 count=128
z0=$(cnt zd0 zero_copy_cmds)
t0=$(now_ms)
(sg_raw -t 60 -r 65536 "$sgd" 28 00 00 00 00 00 00 00 80 00 >$W/zd.out 2>&1) &
rpid=$!
for ((i = 0; i < 100; i++)); do
	[ "$(sed -n 's/^in_flight //p' "$CFS/devices/user/zd0/stats")" -ge 1 ] && break
	sleep 0.1
done
run sg_reset -d "$sgd"
wait $rpid
dt=$(($(now_ms) - t0))
[ $dt -lt 5000 ] || die "the aborted READ took $dt ms"
[ "$(cnt zd0 zero_copy_cmds)" -gt "$z0" ] || die "the READ did not go zero-copy"
for i in 1 2 3 4 5; do sg_turs "$sgd" >/dev/null 2>&1 && break; done
run sg_dd if="$sgd" of=$W/zd2 bs=512 bpt=128 count=128
run cmp $W/zd $W/zd2
[ "$(cnt zd0 protocol_errors)" = 0 ] || die "zd0: protocol errors $(cnt zd0 protocol_errors)"
ok "aborted zero-copy READ ended after $dt ms; the next READ is intact"

echo "== SIGKILL under zero-copy load"
fio --name=k --filename="$s0" --ioengine=libaio --direct=1 --iodepth=32 \
	--size=64M --bs=256k --rw=randwrite --time_based --runtime=8 \
	--output=$W/k.log &
fpid=$!
sleep 3
user_stop zr0 KILL
sleep 1
user_start zr0 "$ROOT/build/samples/scstu-ramdisk" --name zr0 --size 96M --queues 2
wait $fpid || die "fio failed across the handler kill: $(grep -m3 err= $W/k.log)"
run fio --name=after --filename="$s0" --ioengine=libaio --direct=1 \
	--iodepth=16 --size=32M --bsrange=4k-1m --rw=randwrite \
	--verify=crc32c --verify_fatal=1 --do_verify=1 --output=$W/after.log
check_fio $W/after.log
ok "handler killed under load: fio finished, then verified on the new handler"
