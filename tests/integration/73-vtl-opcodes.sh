#!/bin/bash
# Malformed and refused CDBs to a VTL drive and its changer through sg_raw,
# with the exact sense and field pointer (a representative set: the unit
# tests hold the exhaustive list), and REQUEST SENSE after a READ that
# met a filemark: the tape class returns that command's sense (FILEMARK,
# 00/01, INFORMATION) once, then NO SENSE.
# scstu-test-timeout: 420
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/73-vtl
mkdir -p $W/lib
trap 'vtl_stop; cfs_teardown' EXIT
cat >$W/lib0.conf <<C
[library]
name = lib3
dir = $W/lib
socket = $W/lib3.sock
slots = 4
mailslots = 1

[drive 0]
personality = ibm-lto8

[cartridges]
create = R00000L8
capacity = 16M
C

step() { echo "== [${SECONDS}s] $*"; }

step "start"
load_modules
vtl_start $W/lib0.conf
T=$CFS/targets/local/vtl
vtl_map $T
h=$(vtl_session $T iqn.test:op)
SCH=$(sch_of_lun "$h" 0) || die "no sch"
NST=$(nst_of_lun "$h" 1) || die "no nst"
C=$(sg_of_lun "$h" 0) || die "no sg for the changer"
D=$(sg_of_lun "$h" 1) || die "no sg for the drive"

step "drive without a medium"
# the first command of the nexus may get the power-on unit attention
sg_raw $D 00 00 00 00 00 00 >/dev/null 2>&1
expect_sense NOT_READY 0x3a 0x00 -- sg_raw $D 00 00 00 00 00 00
expect_sense NOT_READY 0x3a 0x00 -- sg_raw -r 512 $D 08 00 00 02 00 00
expect_sense NOT_READY 0x3a 0x00 -- sg_raw -r 20 $D 34 00 00 00 00 00 00 00 00 00
# REQUEST SENSE: the not-ready sense (no medium)
_with_raw_sense sg_raw -r 18 $D 03 00 00 00 12 00
expect_good -- sg_raw -r 18 -o $W/rs $D 03 00 00 00 12 00
S=$(xxd -p $W/rs)
[ "${S:4:2}" = 02 ] && [ "${S:24:4}" = 3a00 ] || die "REQUEST SENSE without a medium: $S"
ok "REQUEST SENSE without a medium: NOT READY 3A/00"

step "changer: malformed CDBs"
sg_raw $C 00 00 00 00 00 00 >/dev/null 2>&1
expect_good -- sg_raw $C 00 00 00 00 00 00
# READ(10) is not a changer's command
expect_sense ILLEGAL_REQUEST 0x20 0x00 -- sg_raw $C 28 00 00 00 00 00 00 00 00 00
# MOVE MEDIUM from an address that is no element
expect_field 0x21 0x01 4 - -- sg_raw $C a5 00 00 01 00 02 01 00 00 00 00 00
# to one
expect_field 0x21 0x01 6 - -- sg_raw $C a5 00 00 01 10 00 20 00 00 00 00 00
# NACA in the CONTROL byte
expect_field 0x24 0x00 11 2 -- sg_raw $C a5 00 00 01 10 00 01 00 00 00 00 04
# READ ELEMENT STATUS: element type code 5, a reserved bit of byte 6
expect_field 0x24 0x00 1 3 -- sg_raw -r 1024 $C b8 05 00 00 00 0a 00 00 04 00 00 00
expect_field 0x24 0x00 6 2 -- sg_raw -r 1024 $C b8 00 00 00 00 0a 04 00 04 00 00 00
# past the highest element address
expect_field 0x21 0x01 2 - -- sg_raw -r 1024 $C b8 00 20 00 00 0a 00 00 04 00 00 00
# PREVENT ALLOW MEDIUM REMOVAL with PREVENT 10b
expect_field 0x24 0x00 4 1 -- sg_raw $C 1e 00 00 00 02 00
# INITIALIZE ELEMENT STATUS WITH RANGE from no element, reserved byte 4
expect_field 0x21 0x01 2 - -- sg_raw $C 37 01 00 02 00 00 00 05 00 00
expect_field 0x24 0x00 4 7 -- sg_raw $C 37 00 00 00 80 00 00 00 00 00
# MODE SENSE of a page the changer does not have
expect_field 0x24 0x00 2 5 -- sg_raw -r 255 $C 1a 08 3e 00 ff 00
# nothing moved
[ "$(mtx -f $SCH status | grep -c Full)" = 1 ] || die "the refused moves moved something"
ok "the changer refused each malformed CDB and nothing moved"

step "drive: malformed CDBs"
run mtx -f $SCH load 1 0
sg_raw $D 00 00 00 00 00 00 >/dev/null 2>&1
expect_good -- sg_raw $D 00 00 00 00 00 00
# READ(10) is a disk's command
expect_sense ILLEGAL_REQUEST 0x20 0x00 -- sg_raw $D 28 00 00 00 00 00 00 00 01 00
# READ(6) FIXED in variable block mode; FIXED and SILI; a reserved bit
expect_field 0x24 0x00 1 0 -- sg_raw -r 512 $D 08 01 00 00 01 00
expect_field 0x24 0x00 1 1 -- sg_raw -r 512 $D 08 03 00 00 01 00
expect_field 0x24 0x00 1 2 -- sg_raw -r 512 $D 08 04 00 00 01 00
# NACA in the CONTROL byte
expect_field 0x24 0x00 5 2 -- sg_raw -r 512 $D 08 00 00 02 00 04
# WRITE(6) of a block over the 8 MiB maximum of READ BLOCK LIMITS
expect_field 0x24 0x00 2 - -- sg_raw $D 0a 00 80 00 01 00
# SPACE(6) code 2 (sequential filemarks), a reserved bit of byte 1
expect_field 0x24 0x00 1 3 -- sg_raw $D 11 02 00 00 01 00
expect_field 0x24 0x00 1 4 -- sg_raw $D 11 10 00 00 01 00
# LOCATE(16) DEST_TYPE 2, a partition the medium does not have
expect_field 0x24 0x00 1 5 -- sg_raw $D 92 10 00 00 00 00 00 00 00 00 00 00 00 00 00 00
expect_field 0x24 0x00 3 - -- sg_raw $D 92 02 00 01 00 00 00 00 00 00 00 00 00 00 00 00
# LOG SENSE of a page the drive does not have
expect_field 0x24 0x00 2 5 -- sg_raw -r 512 $D 4d 00 73 00 00 00 00 02 00 00
# MODE SENSE of a page the drive does not have
expect_field 0x24 0x00 2 5 -- sg_raw -r 255 $D 1a 08 3e 00 ff 00
# MODE SELECT(6): a block descriptor with a block length over the maximum
# (parameter list byte 9) and with NUMBER OF BLOCKS not 0 (byte 5)
printf '\x00\x00\x10\x08\x00\x00\x00\x00\x00\x80\x00\x01' >$W/ms
expect_field 0x26 0x00 9 - 0 -- sg_raw -s 12 -i $W/ms $D 15 10 00 00 0c 00
printf '\x00\x00\x10\x08\x00\x00\x00\x01\x00\x00\x00\x00' >$W/ms
expect_field 0x26 0x00 5 - 0 -- sg_raw -s 12 -i $W/ms $D 15 10 00 00 0c 00
# LOCATE beyond EOD: BLANK CHECK 00/05
expect_sense BLANK_CHECK 0x00 0x05 -- sg_raw $D 92 00 00 00 00 00 00 00 00 00 00 64 00 00 00 00
ok "the drive refused each malformed CDB"

step "REQUEST SENSE after a READ that met a filemark"
run dd if=/dev/urandom of=$W/blk bs=64k count=1 status=none
run mt -f $NST rewind
run dd if=$W/blk of=$NST bs=64k status=none
run mt -f $NST rewind
expect_good -- sg_raw -r 65536 -o $W/x $D 08 00 01 00 00 00
cmp $W/blk $W/x || die "READ(6) returned other data than dd wrote"
# the next READ(6) of 64 KiB meets the filemark: nothing read
_with_raw_sense sg_raw -r 65536 -o $W/x $D 08 00 01 00 00 00
_sense_bytes
[ ${#_SB[@]} -ge 18 ] || die "no sense for the READ at the filemark"
[ "${_SB[2]}" = 80 ] && [ "${_SB[12]}${_SB[13]}" = 0001 ] ||
	die "READ at the filemark: sense $(echo "${_SB[@]}")"
[ "${_SB[0]}" = f0 ] && [ "${_SB[3]}${_SB[4]}${_SB[5]}${_SB[6]}" = 00010000 ] ||
	die "READ at the filemark: VALID/INFORMATION not 65536: $(echo "${_SB[@]}")"
ok "READ at the filemark: NO SENSE, FILEMARK, 00/01, INFORMATION 65536"
# REQUEST SENSE of the same nexus returns that sense once
expect_good -- sg_raw -r 18 -o $W/rs $D 03 00 00 00 12 00
S=$(xxd -p $W/rs | tr -d '\n')
echo "REQUEST SENSE: $S"
[ "${S:0:2}" = f0 ] && [ "${S:4:2}" = 80 ] && [ "${S:24:4}" = 0001 ] &&
	[ "${S:6:8}" = 00010000 ] || die "REQUEST SENSE does not return the filemark sense: $S"
ok "REQUEST SENSE: FILEMARK 00/01 with INFORMATION 65536"
expect_good -- sg_raw -r 18 -o $W/rs $D 03 00 00 00 12 00
S=$(xxd -p $W/rs | tr -d '\n')
[ "${S:4:2}" = 00 ] && [ "${S:24:4}" = 0000 ] || die "second REQUEST SENSE is not NO SENSE: $S"
ok "the second REQUEST SENSE: NO SENSE"
# descriptor format (DESC=1) of a kept sense
_with_raw_sense sg_raw -r 65536 -o $W/x $D 08 00 01 00 00 00
expect_good -- sg_raw -r 32 -o $W/rs $D 03 01 00 00 20 00
S=$(xxd -p $W/rs | tr -d '\n')
echo "REQUEST SENSE (DESC): $S"
[ "${S:0:2}" = 72 ] || die "DESC=1 did not give descriptor format: $S"
# READ POSITION: after the filemark (object 2), file 1
expect_good -- sg_raw -r 20 -o $W/rp $D 34 00 00 00 00 00 00 00 00 00
S=$(xxd -p $W/rp | tr -d '\n')
[ $((16#${S:8:8})) = 2 ] || die "READ POSITION: object $((16#${S:8:8})), not 2: $S"
ok "positioned after the filemark"
