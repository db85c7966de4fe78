#!/bin/bash
# scstu-vtl SIGKILLed while dd writes a file to /dev/nstN after three files
# (each closed with a synchronous filemark, a commit point of the
# cartridge); restarted, the library says the cartridge is still in the
# drive, the st device recovers (unit attention, position unknown, rewind),
# the three files read back byte for byte, the fourth is a prefix of what
# was written, and the tape ends at a valid EOD (BLANK CHECK 00/05, mt eod).
# scstu-test-timeout: 400
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/75-kill
mkdir -p $W
trap 'user_stop_all; cfs_teardown' EXIT

load_modules
vtlr_conf $W k75 64M
vtlr_start
cfs_write "$CFS/devices/user/k75-d0/reattach_timeout_ms" 60000
cfs_write "$CFS/devices/user/k75-ch/reattach_timeout_ms" 60000
vtlr_map k75
echo "changer $VTLR_SCH ($VTLR_SGC), drive $VTLR_NST ($VTLR_SGT)"

run mtx -f "$VTLR_SGC" load 2 0
vtlr_ready
run mt -f "$VTLR_NST" rewind
run mt -f "$VTLR_NST" setblk 0

# three files, each closed by st with WRITE FILEMARKS (not IMMED): committed
sizes=(1048576 2097152 589824)
for i in 0 1 2; do
	head -c "${sizes[$i]}" /dev/urandom >$W/f$i
	run dd if=$W/f$i of="$VTLR_NST" bs=64k status=none
done
head -c $((24 << 20)) /dev/urandom >$W/f3
ok "three files written"

echo "== SIGKILL of scstu-vtl while dd writes the fourth file"
st=$CFS/devices/user/k75-d0/stats
w0=$(sed -n 's/^write_commands //p' $st)
dd if=$W/f3 of="$VTLR_NST" bs=64k status=none 2>$W/dd4.err &
ddpid=$!
for ((i = 0; i < 300; i++)); do
	w=$(sed -n 's/^write_commands //p' $st)
	[ $((w - w0)) -ge 40 ] && break
	sleep 0.1
done
[ $((w - w0)) -ge 40 ] || die "the fourth file did not start (writes $w0 -> $w)"
vtlr_kill KILL
ok "killed after $((w - w0)) WRITE commands of the fourth file"
sleep 1
kill -0 $ddpid 2>/dev/null || echo "dd already ended: $(cat $W/dd4.err)"
vtlr_start
ok "scstu-vtl restarted"
wait $ddpid && die "dd wrote on across the restart (the position was lost)"
echo "dd of the fourth file failed as it must: $(cat $W/dd4.err)"

grep "held across a handler restart" /tmp/handler-k75-ch.log ||
	echo "(no held command reached the new daemon this time)"
echo "== the library and the drive after the restart"
out=$(mtx -f "$VTLR_SGC" status) || die "mtx status: $out"
echo "$out"
echo "$out" | grep -q "Data Transfer Element 0:Full (Storage Element 2 Loaded):VolumeTag = VR0001L8" ||
	die "the cartridge is not reported in drive 0"
ok "mtx: VR0001L8 still in drive 0, from slot 2"
vtlr_ready
run mt -f "$VTLR_NST" rewind
out=$(mt -f "$VTLR_NST" status) || die "mt status: $out"
echo "$out"
echo "$out" | grep -q "File number=0, block number=0" || die "not at BOT: $out"
ok "st recovered: rewound to BOT"

echo "== read back"
for i in 0 1 2; do
	rm -f $W/r$i
	run dd if="$VTLR_NST" of=$W/r$i bs=64k status=none
	cmp $W/f$i $W/r$i || die "file $i differs after the kill"
done
ok "the three committed files read back byte for byte"
rm -f $W/r3
dd if="$VTLR_NST" of=$W/r3 bs=64k status=none 2>$W/rd3.err
echo "read of file 4: $(stat -c %s $W/r3) bytes, $(cat $W/rd3.err)"
n=$(stat -c %s $W/r3)
cmp -n "$n" $W/f3 $W/r3 || die "the fourth file is not a prefix of what was written"
[ $((n % 65536)) = 0 ] || die "the fourth file ends in half a block ($n bytes)"
ok "the fourth file is a whole-block prefix ($n of $((24 << 20)) bytes)"

echo "== EOD"
run mt -f "$VTLR_NST" rewind
run mt -f "$VTLR_NST" eod
out=$(mt -f "$VTLR_NST" status)
echo "$out"
echo "$out" | grep -q "File number=3," || die "mt eod: wrong file number: $out"
expect_sense BLANK_CHECK 0x00 0x05 -- sg_raw -r 65536 "$VTLR_SGT" 08 00 01 00 00 00
ok "the tape ends at a valid EOD"

echo "== append after the EOD, read it back"
head -c 300000 /dev/urandom >$W/f4
run mt -f "$VTLR_NST" eod
run dd if=$W/f4 of="$VTLR_NST" bs=64k status=none
run mt -f "$VTLR_NST" rewind
run mt -f "$VTLR_NST" fsf 3
# the surviving part of the fourth file had no filemark: the new data
# follows it in the same file
{ head -c "$n" $W/f3; cat $W/f4; } >$W/f34
rm -f $W/r4
run dd if="$VTLR_NST" of=$W/r4 bs=64k status=none
cmp $W/f34 $W/r4 || die "the file appended after recovery differs"
ok "a file appended after the recovery reads back"

vtlr_kill TERM
ok "clean shutdown"
