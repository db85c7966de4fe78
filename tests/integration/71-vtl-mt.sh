#!/bin/bash
# A VTL drive through the Linux st driver and mt-st on /dev/nst0: status,
# weof, fsf, bsf, fsr, bsr, eod, tell, seek, setblk, compression, erase,
# rewind, offline, each followed by the position it must leave (mt tell,
# mt status file and block numbers); three archives separated by filemarks
# read back by positioning and compared byte for byte; tar to and from the
# tape; dd with 256 KiB variable blocks read back with larger and smaller
# buffers (st: a block longer than the read is ENOMEM).
# scstu-test-timeout: 600
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/71-vtl
mkdir -p $W/lib $W/out
trap 'vtl_stop; cfs_teardown' EXIT
cat >$W/lib0.conf <<C
[library]
name = lib1
dir = $W/lib
socket = $W/lib1.sock
slots = 4
mailslots = 1

[drive 0]
personality = ibm-lto8

[cartridges]
create = M00000L8
capacity = 64M
C

step() { echo "== [${SECONDS}s] $*"; }

# pos FILE BLOCK: mt status shows this file and block number
pos() {
	local s
	s=$(mt -f $NST status) || die "mt status failed"
	grep -q "File number=$1, block number=$2, partition=0\." <<<"$s" ||
		die "expected file $1 block $2: $(grep 'File number' <<<"$s")"
	ok "at file $1, block $2"
}

# tell N: mt tell (READ POSITION) reports logical object N
tell() {
	local s
	s=$(mt -f $NST tell) || die "mt tell failed"
	[ "$s" = "At block $1." ] || die "mt tell: expected block $1, got '$s'"
	ok "mt tell: block $1"
}

mtc() {
	run mt -f $NST "$@"
}

# records FILE BS: number of BS-byte records of FILE
records() {
	echo $((($(stat -c %s "$1") + $2 - 1) / $2))
}

# drive_stat KEY: a member of drive 0 in vtlctl --json drives (a number,
# or a string without its quotes)
drive_stat() {
	local j
	j=$(vtlctl --json drives | tr -d ' \n') || die "vtlctl drives"
	[[ $j == *\"$1\":* ]] || die "vtlctl drives: no $1"
	j=${j#*\"$1\":}
	j=${j%%[,\}]*}
	j=${j//\"/}
	[ -n "$j" ] || die "vtlctl drives: empty $1"
	echo "$j"
}

# drive_num KEY: drive_stat KEY, which must be a number
drive_num() {
	local v
	v=$(drive_stat "$1") || exit 1
	[[ $v =~ ^[0-9]+$ ]] || die "vtlctl drives: $1 is '$v', not a number"
	echo "$v"
}

# dce: the DCE bit of the current data compression mode page (0Fh)
dce() {
	local l b
	l=$(sg_modes -p 0x0f $SG | grep -E '^ 00 +[08]f 0e ') || die "no page 0Fh"
	b=($l)
	echo $(((16#${b[3]} >> 7) & 1))
}

step "start"
load_modules
vtl_start $W/lib0.conf
T=$CFS/targets/local/vtl
vtl_map $T
h=$(vtl_session $T iqn.test:mt)
SCH=$(sch_of_lun "$h" 0) || die "no sch"
NST=$(nst_of_lun "$h" 1) || die "no nst"
SG=$(sg_of_lun "$h" 1) || die "no sg"
run mtx -f $SCH load 1 0
mtc status
mt -f $NST status | grep -q "BOT ONLINE" || die "not BOT ONLINE after the load"
pos 0 0
tell 0

step "three archives separated by filemarks"
run tar -cf $W/a1.tar -C "$ROOT" docs
run tar -cf $W/a2.tar -C "$ROOT" handlers/vtl
run tar -cf $W/a3.tar -C "$ROOT" libscstuser/include
n1=$(records $W/a1.tar 10240) n2=$(records $W/a2.tar 10240) n3=$(records $W/a3.tar 10240)
echo "archives of $n1, $n2, $n3 records of 10240 bytes"
for i in 1 2 3; do
	# st writes a filemark when the device is closed after writing
	run dd if=$W/a$i.tar of=$NST bs=10240 status=none
	pos $i 0
done
tell $((n1 + n2 + n3 + 3))
mtc weof 2
pos 5 0
tell $((n1 + n2 + n3 + 5))
mtc rewind
pos 0 0
tell 0

step "fsf, bsf, read back"
mtc fsf 2
pos 2 0
tell $((n1 + n2 + 2))
run dd if=$NST of=$W/b3.tar bs=10240 status=none
cmp $W/a3.tar $W/b3.tar || die "archive 3 differs"
ok "archive 3 read back after fsf 2"
pos 3 0
mtc bsf 2
# on the beginning-of-tape side of the second filemark
tell $((n1 + n2 + 1))
mtc fsf 1
pos 2 0
mtc rewind
mtc fsf 1
run dd if=$NST of=$W/b2.tar bs=10240 status=none
cmp $W/a2.tar $W/b2.tar || die "archive 2 differs"
ok "archive 2 read back after fsf 1"

step "fsr, bsr"
mtc rewind
mtc fsr 3
pos 0 3
tell 3
mtc bsr 2
pos 0 1
tell 1
# spacing records over a filemark stops after it with an error
mt -f $NST fsr $((n1 + 5)) && die "fsr over a filemark succeeded"
pos 1 0
tell $((n1 + 1))
# backwards over the filemark: st reports the error, the tape is on its
# beginning-of-tape side
mt -f $NST bsr 1 && die "bsr over a filemark succeeded"
tell $n1

step "eod, seek, tell"
# st spaces filemarks to EOD: the file number comes from the residue of
# the BLANK CHECK, the block number is unknown (-1)
mtc eod
pos 5 -1
tell $((n1 + n2 + n3 + 5))
mtc seek $((n1 + 1))
tell $((n1 + 1))
run dd if=$NST of=$W/b2s.tar bs=10240 status=none
cmp $W/a2.tar $W/b2s.tar || die "archive 2 differs after seek"
ok "archive 2 read back after mt seek"
mtc seek 0
run dd if=$NST of=$W/b1.tar bs=10240 status=none
cmp $W/a1.tar $W/b1.tar || die "archive 1 differs"
ok "archive 1 read back after mt seek 0"

step "tar to and from the tape"
mtc eod
run tar -cf $NST -b 20 -C "$ROOT" tests/integration
pos 6 0
mtc bsf 2
mtc fsf 1
pos 5 0
run tar -xf $NST -b 20 -C $W/out
diff -r "$ROOT/tests/integration" $W/out/tests/integration || die "tar extracted different files"
ok "tar archive written to and extracted from the tape"
mtc rewind
mtc fsf 2
L=$(tar -tf $NST -b 20) || die "tar -tf at file 2 failed"
echo "$L"
[ "$(head -n1 <<<"$L")" = "libscstuser/include/" ] || die "tar -t at file 2 is not archive 3"

step "fixed blocks: setblk 65536"
mtc eod
P=$(mt -f $NST tell | tr -dc 0-9)
mtc setblk 65536
mt -f $NST status | grep -q "Tape block size 65536 bytes" || die "block size not 65536"
run dd if=/dev/urandom of=$W/fixed bs=64k count=4 status=none
run dd if=$W/fixed of=$NST bs=64k status=none
tell $((P + 5))
# a write that is not a multiple of the block size
dd if=$W/fixed of=$NST bs=1000 count=1 status=none 2>$W/err && die "fixed mode wrote 1000 bytes"
cat $W/err
mtc seek $P
run dd if=$NST of=$W/fixed.back bs=64k status=none
cmp $W/fixed $W/fixed.back || die "fixed blocks differ"
ok "4 fixed 64 KiB blocks read back"
mtc setblk 0
mt -f $NST status | grep -q "Tape block size 0 bytes" || die "not variable mode after setblk 0"

step "variable 256 KiB blocks, larger and smaller reads"
mtc eod
P=$(mt -f $NST tell | tr -dc 0-9)
run dd if=/dev/urandom of=$W/var bs=256k count=8 status=none
run dd if=$W/var of=$NST bs=256k status=none
tell $((P + 9))
mtc seek $P
# a larger read returns the whole block, short
dd if=$NST of=$W/var.back bs=512k 2>$W/err || die "dd bs=512k failed: $(cat $W/err)"
cat $W/err
grep -q "^0+8 records in" $W/err || die "not 8 short records"
cmp $W/var $W/var.back || die "variable blocks differ"
ok "8 blocks of 256 KiB read with 512 KiB reads: 8 short records, same data"
mtc seek $P
# a smaller read: the block is longer than the request (ILI): ENOMEM
dd if=$NST of=$W/x bs=128k count=1 2>$W/err && die "a 128 KiB read of a 256 KiB block succeeded"
cat $W/err
grep -q "Cannot allocate memory" $W/err || die "not ENOMEM for an over-long block"
# the tape is past the block that was too long
tell $((P + 1))
ok "a 128 KiB read of a 256 KiB block: ENOMEM, positioned after the block"

step "compression"
mtc compression 1
[ "$(dce)" = 1 ] || die "DCE not set after mt compression 1"
mtc eod
w0=$(drive_num bytes_written) && s0=$(drive_num bytes_stored) || exit 1
run dd if=/dev/zero of=$NST bs=64k count=64 status=none
w1=$(drive_num bytes_written) && s1=$(drive_num bytes_stored) || exit 1
echo "compressed: $((w1 - w0)) bytes written, $((s1 - s0)) stored"
[ $((w1 - w0)) = $((4 << 20)) ] || die "4 MiB written, counted $((w1 - w0))"
[ $((s1 - s0)) -lt $((1 << 20)) ] || die "4 MiB of zeros compressed to $((s1 - s0)) bytes"
L=$(sg_logs -p 0x32 $SG)
echo "$L"
mtc compression 0
[ "$(dce)" = 0 ] || die "DCE still set after mt compression 0"
run dd if=/dev/zero of=$NST bs=64k count=16 status=none
w2=$(drive_num bytes_written) && s2=$(drive_num bytes_stored) || exit 1
echo "uncompressed: $((w2 - w1)) bytes written, $((s2 - s1)) stored"
[ $((s2 - s1)) -ge $((1 << 20)) ] || die "1 MiB without compression stored as $((s2 - s1)) bytes"
ok "compression on: zeros stored compressed; off: stored whole"

step "erase, offline"
mtc rewind
mtc erase
pos 0 0
tell 0
mtc eod
pos 0 -1
tell 0
# reading the blank tape: BLANK CHECK, which st reports as EIO
dd if=$NST of=$W/x bs=64k count=1 2>$W/err && die "read an erased tape"
cat $W/err
grep -q "Input/output error" $W/err || die "not EIO reading an erased tape"
[ ! -s $W/x ] || die "read data from an erased tape"
mtc offline
mt -f $NST status | grep -q "DR_OPEN" || die "no DR_OPEN after offline"
st=$(drive_stat state) || exit 1
[ "$st" = ejected ] || die "vtlctl: drive 0 is $st, not ejected"
run mtx -f $SCH unload 1 0
vtlctl drives
ok "erase leaves an empty tape; offline ejects it, mtx unloads it"
