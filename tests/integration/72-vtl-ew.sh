#!/bin/bash
# A small VTL cartridge (vtlctl create --capacity 16M) filled through the
# st driver: dd stops with ENOSPC at the early warning (the last 2% of the
# capacity) and everything dd wrote reads back; then WRITE(6) through sg
# in the early warning zone (NO SENSE, EOM, 00/02, written) until the
# volume overflows (VOLUME OVERFLOW, EOM, 00/02, not written). Then four
# drives streaming at once (dd and tar on four /dev/nst), each verified.
# scstu-test-timeout: 900
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/72-vtl
mkdir -p $W/lib $W/out
trap 'vtl_stop; cfs_teardown' EXIT
cat >$W/lib0.conf <<C
[library]
name = lib2
dir = $W/lib
socket = $W/lib2.sock
slots = 8
mailslots = 1

[drive 0]
personality = ibm-lto8
[drive 1]
personality = ibm-lto8
[drive 2]
personality = hp-lto8
[drive 3]
personality = hp-lto9

[cartridges]
create = P00000L8-P00003L8
capacity = 48M
C
CAP=$((16 << 20))

step() { echo "== [${SECONDS}s] $*"; }

step "start"
load_modules
# made on the shelf before the start: the daemon puts it in slot 4
VTL_CONF=$W/lib0.conf
run vtlctl create S00016L8 --capacity 16M
vtl_start $W/lib0.conf
vtlctl list | grep -E '^S00016L8 +LTO8 +slot 4 ' || die "S00016L8 not in slot 4"
T=$CFS/targets/local/vtl
vtl_map $T
h=$(vtl_session $T iqn.test:ew)
SCH=$(sch_of_lun "$h" 0) || die "no sch"
for i in 0 1 2 3; do
	NST[i]=$(nst_of_lun "$h" $((i + 1))) || die "no nst for drive $i"
	SG[i]=$(sg_of_lun "$h" $((i + 1))) || die "no sg for drive $i"
done

step "early warning through st"
run mtx -f $SCH load 5 0
# random data and no compression: what is written is what is stored
run mt -f ${NST[0]} compression 0
run dd if=/dev/urandom of=$W/src bs=1M count=17 status=none
dd if=$W/src of=${NST[0]} bs=64k 2>$W/err && die "dd filled 17 MiB into 16 MiB"
cat $W/err
grep -q "No space left on device" $W/err || die "dd did not end with ENOSPC"
n=$(sed -n 's/^\([0-9]*\)+0 records out$/\1/p' $W/err)
[ -n "$n" ] || die "no record count from dd"
echo "dd wrote $n blocks of 64 KiB ($((n * 64)) KiB) of $((CAP >> 10)) KiB"
# the early warning zone starts at 98% of the capacity
[ $((n * 65536)) -ge $((CAP * 97 / 100)) ] && [ $((n * 65536)) -le $((CAP * 99 / 100)) ] ||
	die "ENOSPC after $((n * 65536)) bytes, not at 98% of $CAP"
ok "ENOSPC at the early warning, after $n blocks"
run mt -f ${NST[0]} status
run mt -f ${NST[0]} rewind
dd if=${NST[0]} of=$W/back bs=64k 2>$W/err || die "reading back failed: $(cat $W/err)"
cat $W/err
m=$(sed -n 's/^\([0-9]*\)+0 records in$/\1/p' $W/err)
# st returned ENOSPC for the write that reached the early warning, but
# that block was written (SSC: NO SENSE, EOM; data written)
[ "$m" = "$n" ] || [ "$m" = $((n + 1)) ] || die "read back $m blocks, dd wrote $n"
cmp -n $((n * 65536)) $W/src $W/back || die "the data dd wrote differs"
ok "the $n blocks dd wrote read back unchanged ($m on the tape)"

step "early warning zone and volume overflow through sg"
run mt -f ${NST[0]} eod
run dd if=/dev/urandom of=$W/blk bs=64k count=1 status=none
ew=0 ov=0
for ((i = 0; i < 64; i++)); do
	_with_raw_sense sg_raw -s 65536 -i $W/blk ${SG[0]} 0a 00 01 00 00 00
	_parse_sense || die "WRITE(6) in the early warning zone: no sense (exit $_RC)"
	case "$_SENSE" in
	"0 0 2") ew=$((ew + 1)) ;;
	"13 0 2") ov=1; break ;;
	*) die "WRITE(6) near the end: sense $_SENSE" ;;
	esac
done
[ $ov = 1 ] || die "no VOLUME OVERFLOW after 64 more blocks"
[ $ew -ge 1 ] || die "no write succeeded in the early warning zone"
ok "$ew writes in the early warning zone (NO SENSE EOM 00/02), then VOLUME OVERFLOW EOM 00/02"
# nothing of the refused block was written: that one failed again
expect_sense VOLUME_OVERFLOW 0x00 0x02 -- sg_raw -s 65536 -i $W/blk ${SG[0]} 0a 00 01 00 00 00
# a filemark still fits (LTO drives keep room for it)? not required:
# the drive reads back every block up to the overflow
run mt -f ${NST[0]} rewind
dd if=${NST[0]} of=$W/back bs=64k 2>$W/err || die "reading back failed: $(cat $W/err)"
m2=$(sed -n 's/^\([0-9]*\)+0 records in$/\1/p' $W/err)
[ "$m2" = "$m" ] || die "file 0 has $m2 blocks, had $m"
run mt -f ${NST[0]} status
U=$(vtlctl --json list)
echo "$U"
run mt -f ${NST[0]} offline
run mtx -f $SCH unload 5 0

step "four drives at once"
for i in 0 1 2 3; do
	run mtx -f $SCH load $((i + 1)) $i
	run dd if=/dev/urandom of=$W/s$i bs=1M count=6 status=none
done
mkdir -p $W/t
cp $W/s0 $W/s1 $W/t/
t0=$SECONDS
dd if=$W/s0 of=${NST[0]} bs=256k status=none 2>$W/e0 &
p0=$!
dd if=$W/s1 of=${NST[1]} bs=64k status=none 2>$W/e1 &
p1=$!
tar -cf ${NST[2]} -b 64 -C $W t 2>$W/e2 &
p2=$!
dd if=$W/s3 of=${NST[3]} bs=128k status=none 2>$W/e3 &
p3=$!
rc=0
for p in $p0 $p1 $p2 $p3; do wait $p || rc=1; done
cat $W/e[0-3]
[ $rc = 0 ] || die "a parallel write failed"
ok "four streams written at once in $((SECONDS - t0)) s"
for i in 0 1 2 3; do run mt -f ${NST[i]} rewind; done
dd if=${NST[0]} of=$W/r0 bs=256k status=none 2>$W/e0 &
p0=$!
dd if=${NST[1]} of=$W/r1 bs=64k status=none 2>$W/e1 &
p1=$!
tar -xf ${NST[2]} -b 64 -C $W/out 2>$W/e2 &
p2=$!
dd if=${NST[3]} of=$W/r3 bs=128k status=none 2>$W/e3 &
p3=$!
rc=0
for p in $p0 $p1 $p2 $p3; do wait $p || rc=1; done
cat $W/e[0-3]
[ $rc = 0 ] || die "a parallel read failed"
cmp $W/s0 $W/r0 || die "drive 0 read back different data"
cmp $W/s1 $W/r1 || die "drive 1 read back different data"
diff -r $W/t $W/out/t || die "drive 2: tar extracted different files"
cmp $W/s3 $W/r3 || die "drive 3 read back different data"
ok "four streams read back at once, each identical"
vtlctl drives
