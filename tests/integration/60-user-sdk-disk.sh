#!/bin/bash
# libscstuser disk class through the real initiator: the scstu-ramdisk
# sample behind scstu_local, inspected with sg3_utils the way Linux sd and
# admins do: INQUIRY and its VPD pages, READ CAPACITY(16) with thin
# provisioning, REPORT SUPPORTED OPERATION CODES, MODE SENSE, data round
# trips through sd and sg, UNMAP + GET LBA STATUS, WRITE SAME, COMPARE AND
# WRITE and VERIFY miscompares, and exact sense for malformed CDBs.
# scstu-test-timeout: 300
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/sd
D=$CFS/devices/user/urd0
W=/tmp/60-disk
mkdir -p $W

trap 'user_stop_all; cfs_teardown' EXIT

load_modules
user_start urd0 "$ROOT/build/samples/scstu-ramdisk" --name urd0 --size 64M
[ "$(cat $D/type)" = 0 ] || die "device type $(cat $D/type), want 0"
run mkdir "$T" "$T/luns/0"
run ln -s "$D" "$T/luns/0/device"
run mkdir "$T/sessions/iqn.test:sdk"
h=$(cat "$T/sessions/iqn.test:sdk/host")
wait_for_scsi_devices 1 || die "SCSI device did not appear"
sg=$(sg_of_lun "$h" 0) && sd=$(sd_of_lun "$h" 0) || die "no sg/sd"
sg_turs "$sg" >/dev/null 2>&1
expect_good -- sg_turs "$sg"

echo "== INQUIRY and VPD"
out=$(sg_inq "$sg") || die "sg_inq failed"
echo "$out" | grep -q "Vendor identification: SCSTU" || die "vendor: $out"
echo "$out" | grep -q "Product identification: USER RAMDISK" || die "product: $out"
echo "$out" | grep -q "Peripheral device type: disk" || die "type: $out"
ok "standard INQUIRY: SCSTU / USER RAMDISK, disk"
out=$(sg_vpd -p sv "$sg") || die "sg_vpd -p sv"
for p in sv sn di bl bdc lbpv; do
	[[ $out == *"[$p]"* ]] || die "VPD page [$p] not listed: $out"
done
ok "supported VPD pages: 00 80 83 b0 b1 b2"
sn=$(sg_vpd -p sn "$sg" | sed -n 's/.*Unit serial number: *//p')
[ -n "$sn" ] || die "no unit serial number"
sg_vpd -p di "$sg" | grep -qi "NAA" || die "no NAA designator in VPD 83"
ok "serial '$sn', NAA designator"
out=$(sg_vpd -p bl "$sg") || die "sg_vpd -p bl"
mtl=$(echo "$out" | sed -n 's/.*Maximum transfer length: *\([0-9]*\).*/\1/p')
[ -n "$mtl" ] && [ "$mtl" -gt 0 ] || die "maximum transfer length: $out"
mul=$(echo "$out" | sed -n 's/.*Maximum unmap LBA count: *\([0-9]*\).*/\1/p')
[ -n "$mul" ] && [ "$mul" -gt 0 ] || die "maximum unmap LBA count: $out"
ok "block limits: max transfer $mtl blocks, max unmap $mul blocks"
sg_vpd -p lbpv "$sg" | grep -qi "Unmap command supported (LBPU): 1" ||
	die "LBPU not set in VPD b2"
ok "logical block provisioning VPD: LBPU=1"

echo "== READ CAPACITY(16)"
out=$(sg_readcap -l "$sg") || die "sg_readcap -l"
echo "$out" | grep -q "Last LBA=131071" || die "last LBA: $out"
echo "$out" | grep -q "Logical block length=512" || die "block length: $out"
echo "$out" | grep -q "lbpme=1" || die "LBPME: $out"
[ "$(blockdev --getsize64 "$sd")" = $((64 << 20)) ] || die "sd size"
ok "64 MiB of 512-byte blocks, thin provisioned, sd agrees"

echo "== REPORT SUPPORTED OPERATION CODES"
out=$(sg_opcodes "$sg") || die "sg_opcodes"
for c in "Read(10)" "Write(16)" "Unmap" "Write same(16)" "Get LBA status" \
	"Verify(16)" "Compare and write" "Synchronize cache(10)"; do
	echo "$out" | grep -qi "$c" || die "'$c' not reported: $out"
done
ok "opcodes include the disk class commands and those the callbacks allow"
expect_good -- sg_opcodes -o 0x42 "$sg"

echo "== MODE SENSE"
out=$(sg_modes -a "$sg") || die "sg_modes -a"
echo "$out" | grep -qi "Caching" || die "no caching page: $out"
echo "$out" | grep -qi "Control" || die "no control page: $out"
ok "mode pages: caching, control"
expect_good -- sg_raw -r 255 "$sg" 5a 00 3f 00 00 00 00 00 ff 00

echo "== data through sd and sg"
run dd if=/dev/urandom of=$W/pat bs=1M count=4 status=none
run dd if=$W/pat of="$sd" bs=1M seek=3 oflag=direct status=none
run dd if="$sd" of=$W/back bs=1M skip=3 count=4 iflag=direct status=none
cmp $W/pat $W/back || die "sd round trip differs"
run sg_dd if="$sg" of=$W/back2 bs=512 skip=$((3 * 2048)) count=8192 2>/dev/null
cmp $W/pat $W/back2 || die "sg read differs"
ok "4 MiB written through sd, read back through sd and sg"

echo "== UNMAP and GET LBA STATUS"
sg_get_lba_status --lba=6144 "$sg" | grep -qi "mapped" || die "no status"
run sg_unmap --force --lba=6144 --num=2048 "$sg"
out=$(sg_get_lba_status --lba=6144 "$sg") || die "get lba status"
echo "$out"
echo "$out" | grep -qi "deallocated" || die "LBA 6144 not deallocated after UNMAP"
run dd if="$sd" of=$W/z bs=1M skip=3 count=1 iflag=direct status=none
cmp $W/z <(head -c 1M /dev/zero) || die "unmapped blocks do not read as zeros"
ok "UNMAP deallocates, GET LBA STATUS says so, the blocks read as zeros"

echo "== WRITE SAME(16)"
head -c 512 /dev/urandom >$W/blk
run sg_write_same --16 --in=$W/blk --lba=20000 --num=64 "$sg"
run dd if="$sd" of=$W/ws bs=512 skip=20000 count=64 iflag=direct status=none
for ((i = 0; i < 64; i += 21)); do
	cmp <(dd if=$W/ws bs=512 skip=$i count=1 status=none) $W/blk ||
		die "block $i of WRITE SAME differs"
done
ok "WRITE SAME replicated the block"

echo "== COMPARE AND WRITE, VERIFY"
head -c 512 /dev/urandom >$W/new
cat $W/blk $W/new >$W/caw
run sg_compare_and_write --in=$W/caw --lba=20000 --num=1 "$sg"
run dd if="$sd" of=$W/c bs=512 skip=20000 count=1 iflag=direct status=none
cmp $W/c $W/new || die "COMPARE AND WRITE did not write"
# sg3_utils exit status 14: MISCOMPARE sense key
expect_miscompare() {
	"$@" >$W/mc.out 2>&1
	local rc=$?
	cat $W/mc.out
	[ $rc = 14 ] || die "expected MISCOMPARE (exit 14), got exit $rc: $*"
	grep -qi "miscompare" $W/mc.out || die "no miscompare message: $*"
}
expect_miscompare sg_compare_and_write --in=$W/caw --lba=20000 --num=1 "$sg"
grep -q "Miscompare at byte offset: 0 " $W/mc.out || die "miscompare offset"
# VERIFY(10) BYTCHK=1: the block at 20001 still holds the WRITE SAME data,
# the one at 20000 no longer does (VERIFY(16) alike)
expect_good -- sg_raw -s 512 -i $W/blk "$sg" 2f 02 00 00 4e 21 00 00 01 00
expect_sense MISCOMPARE 0x1d 0x00 -- sg_raw -s 512 -i $W/blk "$sg" 2f 02 00 00 4e 20 00 00 01 00
expect_sense MISCOMPARE 0x1d 0x00 -- sg_raw -s 512 -i $W/blk "$sg" 8f 02 00 00 00 00 00 00 4e 20 00 00 00 01 00 00
ok "COMPARE AND WRITE and VERIFY BYTCHK=1 compare for real"

echo "== malformed CDBs"
# READ(10) past the end (LBA 131071 + 2 blocks)
expect_sense ILLEGAL_REQUEST 0x21 0x00 -- sg_raw -r 1024 "$sg" 28 00 00 01 ff ff 00 00 02 00
# READ(16) with an LBA beyond 2^32
expect_sense ILLEGAL_REQUEST 0x21 0x00 -- sg_raw -r 512 "$sg" 88 00 00 00 00 01 00 00 00 00 00 00 00 01 00 00
# an opcode nobody implements
expect_sense ILLEGAL_REQUEST 0x20 0x00 -- sg_raw "$sg" c5 00 00 00 00 00
# reserved bit in READ CAPACITY(10) byte 1
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 8 "$sg" 25 02 00 00 00 00 00 00 00 00
# SERVICE ACTION IN(16) with an unknown service action
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 32 "$sg" 9e 1f 00 00 00 00 00 00 00 00 00 00 00 20 00 00
# UNMAP with a parameter list of 1..7 bytes: PARAMETER LIST LENGTH ERROR
printf '\x00\x16\x00\x10' >$W/um4
expect_sense ILLEGAL_REQUEST 0x1a 0x00 -- sg_raw -s 4 -i $W/um4 "$sg" 42 00 00 00 00 00 00 00 04 00
# UNMAP of a range that ends past the last LBA: LBA OUT OF RANGE
# (header: data length 22, descriptor length 16; LBA 0x1ffff, 2 blocks)
printf '\x00\x16\x00\x10\x00\x00\x00\x00''\x00\x00\x00\x00\x00\x01\xff\xff''\x00\x00\x00\x02\x00\x00\x00\x00' >$W/um
expect_sense ILLEGAL_REQUEST 0x21 0x00 -- sg_raw -s 24 -i $W/um "$sg" 42 00 00 00 00 00 00 00 18 00
# MODE SELECT(10) of the caching page with a wrong page length: 26/00
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x08\x05\x00\x00\x00\x00\x00' >$W/ms
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- sg_raw -s 15 -i $W/ms "$sg" 55 10 00 00 00 00 00 00 0f 00
ok "malformed CDBs and parameter lists get the right sense"

echo "== stats"
grep -q "^commands [1-9]" $D/stats || die "device stats: $(cat $D/stats)"
ok "device stats count the commands"
