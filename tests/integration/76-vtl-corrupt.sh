#!/bin/bash
# Damaged cartridges while scstu-vtl is stopped: a flipped data byte (READ
# gives MEDIUM ERROR 03/11/00 for that block only, st gets EIO, the next
# block reads), a flipped committed index record and a destroyed header
# (the load is refused with HARDWARE ERROR 04/53/00 and the cartridge stays
# in its slot; vtlctl list reports the header), a flipped newest header
# slot (the older slot and the tail recover everything), p0.dat and p0.idx
# truncated (the tape ends at the last whole object: valid EOD). The daemon
# never dies and an intact cartridge still reads back.
# scstu-test-timeout: 500
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/76-corrupt
mkdir -p $W
trap 'user_stop_all; cfs_teardown' EXIT

# flip FILE OFFSET: invert one byte in place
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1") || die "od $1"
	[ -n "$b" ] || die "$1 has no byte $2"
	printf "\\x$(printf %02x $((b ^ 0xff)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none ||
		die "cannot flip $1 byte $2"
	echo "flipped $1 byte $2"
}

# slot_of BARCODE: 1-based mtx storage element number (slot N = barcode's N)
load() {	# load MTXSLOT: mtx load into drive 0, wait until ready
	run mtx -f "$VTLR_SGC" load "$1" 0
	vtlr_ready
}
unload() {	# unload MTXSLOT
	run mt -f "$VTLR_NST" offline
	run mtx -f "$VTLR_SGC" unload "$1" 0
}
# read_file OUT: dd one tape file into OUT; status of dd
read_file() {
	rm -f "$1"
	dd if="$VTLR_NST" of="$1" bs=64k status=none 2>"$1.err"
}

load_modules
vtlr_conf $W c76 32M VR0004L8-VR0007L8
vtlr_start
for d in ch d0; do
	cfs_write "$CFS/devices/user/c76-$d/reattach_timeout_ms" 60000
done
vtlr_map c76

head -c $((8 * 65536)) /dev/urandom >$W/A
head -c $((4 * 65536)) /dev/urandom >$W/B
echo "== two files (8 + 4 blocks of 64 KiB) on each of 8 cartridges"
for s in 1 2 3 4 5 6 7 8; do
	load $s
	run mt -f "$VTLR_NST" setblk 0
	run dd if=$W/A of="$VTLR_NST" bs=64k status=none
	run dd if=$W/B of="$VTLR_NST" bs=64k status=none
	unload $s
done
ok "written"
vtlr_kill TERM

echo "== damage, daemon stopped"
C=$VTLR_DIR
# VR0001L8: a data byte inside block 3 of file A
flip $C/VR0001L8/p0.dat $((3 * 65536 + 1000))
# VR0002L8: committed index record 2 (its stored length field)
flip $C/VR0002L8/p0.idx $((32 + 2 * 32 + 9))
# VR0003L8: both header slots destroyed
dd if=/dev/zero of=$C/VR0003L8/meta bs=8192 count=1 conv=notrunc status=none
# VR0004L8: the newest header slot (higher generation) damaged
g0=$(od -An -tu8 -j 16 -N8 $C/VR0004L8/meta)
g1=$(od -An -tu8 -j $((4096 + 16)) -N8 $C/VR0004L8/meta)
if [ "$g0" -gt "$g1" ]; then newest=0; else newest=4096; fi
flip $C/VR0004L8/meta $((newest + 200))
# VR0005L8: p0.dat cut inside block 2 of file B (object 11)
truncate -s $((8 * 65536 + 2 * 65536 + 1000)) $C/VR0005L8/p0.dat
# VR0006L8: p0.idx cut inside record 10 (block 1 of file B)
truncate -s $((32 + 10 * 32 + 7)) $C/VR0006L8/p0.idx
# VR0007L8: p0.dat gone to 0 bytes
truncate -s 0 $C/VR0007L8/p0.dat
ok "8 kinds of damage done"

vtlr_start
pid=${USER_PID[c76-ch]}

echo "== vtlctl list names the destroyed header"
out=$(vtlr_ctl list) || die "vtlctl list failed: $out"
echo "$out"
echo "$out" | grep "VR0003L8" | grep -q "error" ||
	die "vtlctl list does not report VR0003L8's header"
ok "vtlctl list reports VR0003L8 as unreadable"

echo "== VR0001L8: flipped data byte"
load 2
read_file $W/r && die "dd read through a damaged block"
cat $W/r.err
grep -q "Input/output error" $W/r.err || die "st did not report EIO"
[ "$(stat -c %s $W/r)" = $((3 * 65536)) ] || die "dd read $(stat -c %s $W/r) bytes before the damage"
cmp -n $((3 * 65536)) $W/A $W/r || die "blocks before the damage differ"
ok "st: EIO at block 3, blocks 0-2 intact"
run mt -f "$VTLR_NST" rewind
for b in 0 1 2; do
	expect_good -- sg_raw -r 65536 "$VTLR_SGT" 08 00 01 00 00 00
done
expect_sense MEDIUM_ERROR 0x11 0x00 -- sg_raw -r 65536 "$VTLR_SGT" 08 00 01 00 00 00
expect_good -- sg_raw -r 65536 -o $W/b4 "$VTLR_SGT" 08 00 01 00 00 00
cmp $W/b4 <(dd if=$W/A bs=65536 skip=4 count=1 status=none) ||
	die "block 4 after the damaged one differs"
ok "sg_raw READ: 03/11/00 for block 3 only, block 4 reads"
unload 2

echo "== VR0002L8: flipped committed index record"
expect_sense HARDWARE_ERROR 0x53 0x00 -- sg_raw "$VTLR_SGC" a5 00 00 01 10 02 01 00 00 00 00 00
echo "== VR0003L8: destroyed header"
expect_sense HARDWARE_ERROR 0x53 0x00 -- sg_raw "$VTLR_SGC" a5 00 00 01 10 03 01 00 00 00 00 00
out=$(mtx -f "$VTLR_SGC" status)
echo "$out" | grep -q "Data Transfer Element 0:Empty" || die "drive not empty: $out"
echo "$out" | grep -q "Storage Element 3:Full :VolumeTag=VR0002L8" || die "VR0002L8 left its slot: $out"
echo "$out" | grep -q "Storage Element 4:Full :VolumeTag=VR0003L8" || die "VR0003L8 left its slot: $out"
grep -q "VR0002L8.*p0.idx.*object 2" /tmp/handler-c76-ch.log ||
	die "the log does not name the damaged index record"
ok "unopenable cartridges: load refused 04/53/00, they stay in their slots, log names the place"

echo "== VR0004L8: newest header slot damaged"
load 5
read_file $W/r || die "file A unreadable: $(cat $W/r.err)"
cmp $W/A $W/r || die "file A differs"
read_file $W/r || die "file B unreadable: $(cat $W/r.err)"
cmp $W/B $W/r || die "file B differs"
ok "both files read back from the older header slot + tail"
unload 5

# tape_ends FILE_B_BLOCKS: file A whole, then FILE_B_BLOCKS of B, then EOD
tape_ends() {
	read_file $W/r || die "file A unreadable: $(cat $W/r.err)"
	cmp $W/A $W/r || die "file A differs"
	read_file $W/r
	[ "$(stat -c %s $W/r)" = $(($1 * 65536)) ] ||
		die "file B: $(stat -c %s $W/r) bytes, want $1 blocks"
	cmp -n $(($1 * 65536)) $W/B $W/r || die "file B's surviving blocks differ"
	# st's file count after a read that met EOD is its own guess: rewind
	run mt -f "$VTLR_NST" rewind
	run mt -f "$VTLR_NST" eod
	mt -f "$VTLR_NST" status | grep -q "File number=1," ||
		die "mt eod: $(mt -f "$VTLR_NST" status)"
	expect_sense BLANK_CHECK 0x00 0x05 -- sg_raw -r 65536 "$VTLR_SGT" 08 00 01 00 00 00
}
echo "== VR0005L8: p0.dat truncated inside block 2 of file B"
load 6
tape_ends 2
ok "the tape ends after the last whole block"
unload 6
echo "== VR0006L8: p0.idx truncated inside record 10"
load 7
tape_ends 1
ok "the tape ends after the last whole record"
unload 7
echo "== VR0007L8: p0.dat empty"
load 8
expect_sense BLANK_CHECK 0x00 0x05 -- sg_raw -r 65536 "$VTLR_SGT" 08 00 01 00 00 00
ok "an empty data file is an empty tape (EOD at BOP)"
unload 8

echo "== the daemon lives, an intact cartridge reads"
kill -0 "$pid" || die "scstu-vtl died"
load 1
read_file $W/r && cmp $W/A $W/r || die "VR0000L8 file A"
read_file $W/r && cmp $W/B $W/r || die "VR0000L8 file B"
ok "VR0000L8 intact after all that"
unload 1
run vtlr_ctl status
kill -0 "$pid" || die "scstu-vtl died"
vtlr_kill TERM
ok "clean shutdown"
