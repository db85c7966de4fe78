#!/bin/bash
# The VTL's changer through the Linux ch driver and mtx: a library of four
# mixed drives (IBM LTO-8 x2, IBM LTO-6, HP LTO-7), 20 slots, 4 mailslots.
# status/inventory/load/unload/transfer/first/next, import and export
# through a mailslot (unit attention 28/01), refused moves with their exact
# sense (drive loaded twice, drive not unloaded, incompatible media, empty
# source), the drives through tapeinfo, sg_logs, sg_modes, sg_read_attr,
# sg_opcodes, VPD 83h against the changer's DVCID, and the library state
# across a daemon restart.
# scstu-test-timeout: 600
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/70-vtl
mkdir -p $W/lib
trap 'vtl_stop; cfs_teardown' EXIT
cat >$W/lib0.conf <<C
[library]
name = lib0
dir = $W/lib
socket = $W/lib0.sock
slots = 20
mailslots = 4

[drive 0]
personality = ibm-lto8
serial = 1013000000

[drive 1]
personality = ibm-lto8

[drive 2]
personality = ibm-lto6

[drive 3]
personality = hp-lto7

[cartridges]
create = E01000L8-E01009L8, F01000L6-F01002L6, G01000L5, H01000L7
capacity = 32M
C

step() { echo "== [${SECONDS}s] $*"; }

# move SRC DST: MOVE MEDIUM with the picker 0x0001 (addresses in hex, 4 digits)
move() {
	echo "sg_raw $sgc a5 00 00 01 ${1:0:2} ${1:2:2} ${2:0:2} ${2:2:2} 00 00 00 00"
}

# mtx_fails SENSE_KEY_NAME ASC ASCQ MTX_ARGS...: mtx must fail and print
# the sense data it got (mtx's "Request Sense" lines) with exactly these
# sense key (as mtx names it) / ASC / ASCQ (hex, as mtx prints them)
mtx_fails() {
	local key=$1 asc=$2 ascq=$3 out
	shift 3
	echo "+ mtx -f $SCH $*"
	out=$(mtx -f "$SCH" "$@" 2>&1) && die "mtx $* succeeded: $out"
	echo "$out" | sed 's/^/    /'
	grep -q "Sense Key=$key\$" <<<"$out" || die "mtx $*: not sense key $key"
	grep -q "Additional Sense Code = $asc\$" <<<"$out" || die "mtx $*: ASC not $asc"
	grep -q "Additional Sense Qualifier = $ascq\$" <<<"$out" || die "mtx $*: ASCQ not $ascq"
	ok "mtx $* refused with $key $asc/$ascq"
}

# expect_elem STATUS N WHAT: mtx status element N ("Storage Element N" or
# "Data Transfer Element N") holds WHAT (a barcode, or Empty)
expect_elem() {
	local line
	line=$(grep -E "^ *$2( IMPORT/EXPORT)?:" <<<"$1") || die "no element '$2' in mtx status"
	case "$3" in
	Empty) [[ $line == *:Empty* ]] || die "$2 is not empty: $line" ;;
	*) [[ $line == *"VolumeTag = $3 "* || $line == *"VolumeTag=$3 "* ]] ||
		die "$2 does not hold $3: $line" ;;
	esac
}

step "start"
load_modules
vtl_start $W/lib0.conf
T=$CFS/targets/local/vtl
vtl_map $T
h=$(vtl_session $T iqn.test:vtl)
SCH=$(sch_of_lun "$h" 0) || die "no /dev/sch for LUN 0"
sgc=$(sg_of_lun "$h" 0) || die "no sg for the changer"
for i in 0 1 2 3; do
	NST[i]=$(nst_of_lun "$h" $((i + 1))) || die "no nst for drive $i"
	SG[i]=$(sg_of_lun "$h" $((i + 1))) || die "no sg for drive $i"
done
echo "changer $SCH ($sgc), drives ${NST[*]} (${SG[*]})"
lsscsi -g

step "the ch driver's view"
# ch prints the element map it read from mode page 1Dh at probe (verbose=1)
dmesg | grep -E '\[ch[0-9]+\]|ch[0-9]+:' | sed 's/^/    /'
dmesg | grep -q 'type #1 (mt): 0x1+1 \[medium transport\]' || die "ch: no picker at 0x1"
dmesg | grep -q 'type #2 (st): 0x1000+20 \[storage\]' || die "ch: not 20 slots at 0x1000"
dmesg | grep -q 'type #3 (ie): 0x10+4 \[import/export\]' || die "ch: not 4 mailslots at 0x10"
dmesg | grep -q 'type #4 (dt): 0x100+4 \[data transfer\]' || die "ch: not 4 drives at 0x100"
ok "ch read the element map: picker 0x1, 20 slots 0x1000, 4 mailslots 0x10, 4 drives 0x100"

step "mtx status, inventory, inquiry"
run mtx -f $SCH inventory
S=$(mtx_status $SCH) || exit 1
echo "$S"
grep -q "Storage Changer $SCH:4 Drives, 24 Slots ( 4 Import/Export )" <<<"$S" ||
	die "mtx: not 4 drives, 24 slots, 4 I/E"
for i in 0 1 2 3; do expect_elem "$S" "Data Transfer Element $i" Empty; done
n=1
for b in E0100{0..9}L8 F0100{0..2}L6 G01000L5 H01000L7; do
	expect_elem "$S" "Storage Element $n" $b
	n=$((n + 1))
done
for n in 16 17 18 19 20 21 22 23 24; do expect_elem "$S" "Storage Element $n" Empty; done
[ "$(grep -c IMPORT/EXPORT <<<"$S")" = 4 ] || die "not 4 import/export elements"
ok "mtx status: 15 cartridges in slots 1-15 in create order, drives and mailslots empty"
Q=$(mtx -f $SCH inquiry) || die "mtx inquiry"
grep -q "Product Type: Medium Changer" <<<"$Q" || die "mtx inquiry: not a changer: $Q"

step "load, unload"
run mtx -f $SCH load 1 0
run mt -f ${NST[0]} status
mt -f ${NST[0]} status | grep -q "File number=0, block number=0" || die "drive 0 not at BOT after load"
S=$(mtx_status $SCH) || exit 1
grep -q "Data Transfer Element 0:Full (Storage Element 1 Loaded):VolumeTag = E01000L8" <<<"$S" ||
	die "drive 0 does not show E01000L8 from slot 1: $(grep 'Element 0:' <<<"$S")"
expect_elem "$S" "Storage Element 1" Empty
# loading a full drive: mtx sees it itself; MOVE MEDIUM to a full element
mtx -f $SCH load 2 0 && die "mtx loaded a full drive"
expect_sense ILLEGAL_REQUEST 0x3b 0x0d -- $(move 1001 0100)
# the drive holds a loaded cartridge the initiator has not unloaded
mtx_fails "Illegal Request" 53 01 unload 1 0
S2=$(mtx_status $SCH) || exit 1
[ "$S" = "$S2" ] || die "a refused move changed the library"
ok "refused moves changed nothing"
run mt -f ${NST[0]} offline
run mtx -f $SCH unload 1 0
S=$(mtx_status $SCH) || exit 1
expect_elem "$S" "Data Transfer Element 0" Empty
expect_elem "$S" "Storage Element 1" E01000L8
# from an empty slot
mtx -f $SCH load 16 0 && die "mtx loaded from an empty slot"
expect_sense ILLEGAL_REQUEST 0x3b 0x0e -- $(move 100f 0100)
# an element address the library does not have
expect_sense ILLEGAL_REQUEST 0x21 0x01 -- $(move 1014 0100)

step "incompatible media"
# an LTO-8 drive reads LTO-7 and LTO-8 only; an LTO-6 drive LTO-4..6
mtx_fails "Illegal Request" 30 00 load 11 0
mtx_fails "Illegal Request" 30 00 load 14 1
mtx_fails "Illegal Request" 30 00 load 1 2
S=$(mtx_status $SCH) || exit 1
expect_elem "$S" "Storage Element 11" F01000L6
expect_elem "$S" "Storage Element 14" G01000L5
expect_elem "$S" "Storage Element 1" E01000L8
for i in 0 1 2; do expect_elem "$S" "Data Transfer Element $i" Empty; done
run mtx -f $SCH load 14 2
run mtx -f $SCH load 15 3
mtx -f $SCH load 12 3 2>/dev/null && die "drive 3 loaded twice"
S=$(mtx_status $SCH) || exit 1
expect_elem "$S" "Data Transfer Element 2" G01000L5
expect_elem "$S" "Data Transfer Element 3" H01000L7
ok "LTO-5 media loads into the LTO-6 drive, LTO-7 into the HP LTO-7 drive"
run mt -f ${NST[2]} status
mt -f ${NST[2]} status | grep -q "ONLINE" || die "drive 2 not online with LTO-5 media"
for i in 2 3; do run mt -f ${NST[i]} offline; done
run mtx -f $SCH unload 14 2
run mtx -f $SCH unload 15 3

step "first, next"
run mtx -f $SCH first 1
S=$(mtx_status $SCH) || exit 1
expect_elem "$S" "Data Transfer Element 1" E01000L8
run mt -f ${NST[1]} offline
run mtx -f $SCH next 1
S=$(mtx_status $SCH) || exit 1
expect_elem "$S" "Data Transfer Element 1" E01001L8
expect_elem "$S" "Storage Element 1" E01000L8
expect_elem "$S" "Storage Element 2" Empty
run mt -f ${NST[1]} offline
run mtx -f $SCH unload 2 1

step "transfer, export through a mailslot"
run mtx -f $SCH transfer 10 21
S=$(mtx_status $SCH) || exit 1
expect_elem "$S" "Storage Element 10" Empty
expect_elem "$S" "Storage Element 21" E01009L8
vtlctl list | grep -E '^E01009L8 .*mailslot 0 +0x0010' || die "vtlctl: E01009L8 not in mailslot 0"
run vtlctl export
# the changer raised 28/01 on every initiator: the first command gets it
expect_sense UNIT_ATTENTION 0x28 0x01 -- sg_raw "$sgc" 00 00 00 00 00 00
expect_good -- sg_raw "$sgc" 00 00 00 00 00 00
S=$(mtx_status $SCH) || exit 1
expect_elem "$S" "Storage Element 21" Empty
vtlctl list | grep -E '^E01009L8 .*shelf' || die "vtlctl: E01009L8 not on the shelf"
ok "mtx transfer to the I/E element, vtlctl export: on the shelf"

step "import"
run vtlctl import E01009L8 2
expect_sense UNIT_ATTENTION 0x28 0x01 -- sg_raw "$sgc" 00 00 00 00 00 00
S=$(mtx_status $SCH) || exit 1
expect_elem "$S" "Storage Element 23" E01009L8
run vtlctl create S00001L8 --capacity 16M
run vtlctl import S00001L8
# mtx status right after the unit attention (mtx retries it)
S=$(mtx_status $SCH) || exit 1
expect_elem "$S" "Storage Element 21" S00001L8
# no export while an initiator prevents medium removal on the changer
expect_good -- sg_raw "$sgc" 1e 00 00 00 01 00
vtlctl export S00001L8 && die "exported while medium removal is prevented"
expect_good -- sg_raw "$sgc" 1e 00 00 00 00 00
run mtx -f $SCH transfer 23 10
run mtx -f $SCH transfer 21 16
S=$(mtx_status $SCH) || exit 1
expect_elem "$S" "Storage Element 10" E01009L8
expect_elem "$S" "Storage Element 16" S00001L8
ok "import into a mailslot, unit attention, mtx moves them into slots"
vtlctl import G01000L5 && die "imported a cartridge that is in a slot"

step "the drives: tapeinfo, sg_inq, sg_opcodes, sg_modes"
run mtx -f $SCH load 1 0
run mtx -f $SCH load 16 1
run mtx -f $SCH load 11 2
run mtx -f $SCH load 15 3
TI=$(tapeinfo -f ${SG[0]}) || die "tapeinfo on ${SG[0]}"
echo "$TI"
grep -q "Product ID: 'ULT3580-TD8 *'" <<<"$TI" || die "tapeinfo: not ULT3580-TD8"
grep -q "SerialNumber: '1013000000'" <<<"$TI" || die "tapeinfo: serial"
grep -q "Ready: yes" <<<"$TI" || die "tapeinfo: not ready"
grep -q "Density Code: 0x5e" <<<"$TI" || die "tapeinfo: LTO-8 density 0x5e"
grep -q "BOP: yes" <<<"$TI" || die "tapeinfo: not at BOP"
TI=$(tapeinfo -f ${SG[3]}) || die "tapeinfo on ${SG[3]}"
grep -q "Vendor ID: 'HP *'" <<<"$TI" || die "tapeinfo: drive 3 not HP: $TI"
grep -q "Product ID: 'Ultrium 7-SCSI *'" <<<"$TI" || die "tapeinfo: drive 3 not Ultrium 7: $TI"
TI=$(tapeinfo -f ${SG[2]}) || die "tapeinfo on ${SG[2]}"
grep -q "Product ID: 'ULT3580-TD6 *'" <<<"$TI" || die "tapeinfo: drive 2 not TD6: $TI"
ok "tapeinfo: identities, serial, ready at BOP"
run sg_opcodes ${SG[0]}
O=$(sg_opcodes ${SG[0]}) || die "sg_opcodes"
for op in "00 .*Test Unit Ready" "01 .*Rewind" "08 .*Read\(6\)" "0a .*Write\(6\)" \
	"10 .*Write filemarks" "11 .*Space\(6\)" "1b .*Load unload" "34 .*Read position" \
	"4d .*Log sense" "8c .*Read attribute" "92 .*Locate\(16\)"; do
	grep -Eiq "^ *$op" <<<"$O" || die "sg_opcodes: no '$op'"
done
grep -Eiq "^ *28 .*Read\(10\)" <<<"$O" && die "a tape drive lists READ(10)"
O=$(sg_opcodes $sgc) || die "sg_opcodes on the changer"
grep -Eiq "^ *a5 .*Move medium" <<<"$O" || die "sg_opcodes: changer without MOVE MEDIUM"
grep -Eiq "^ *b8 .*Read element status" <<<"$O" || die "sg_opcodes: changer without RES"
ok "sg_opcodes lists the SSC commands of the drive and the SMC ones of the changer"
run sg_modes -a ${SG[0]}
M=$(sg_modes -a ${SG[0]}) || die "sg_modes -a"
for p in "Data compression" "Device configuration" "Medium partition" "Informational exceptions" "Control"; do
	grep -qi "$p" <<<"$M" || die "sg_modes -a: no $p page"
done
M=$(sg_modes -a $sgc) || die "sg_modes -a on the changer"
echo "$M"
for p in "Element address assignment" "Transport geometry" "Device capabilities"; do
	grep -qi "$p" <<<"$M" || die "sg_modes -a changer: no $p page"
done
ok "sg_modes -a: the drive's and the changer's pages"

step "sg_logs, sg_read_attr"
run dd if=/dev/urandom of=$W/data bs=64k count=16 status=none
run dd if=$W/data of=${NST[0]} bs=64k status=none
run mt -f ${NST[0]} rewind
for p in 0xc 0x17 0x2e 0x31 0x32; do
	run sg_logs --page=$p ${SG[0]}
done
# LOG SENSE page 00h (supported pages), raw
run sg_raw -r 64 -o $W/log0 ${SG[0]} 4d 00 40 00 00 00 00 00 40 00
L=$(xxd -p $W/log0 | tr -d '\n')
[ "$L" = 00000006000c172e3132 ] || die "log page 00h: $L"
# page 0Ch parameter 0000h: bytes received by WRITE (8 bytes)
run sg_raw -r 512 -o $W/log0c ${SG[0]} 4d 00 4c 00 00 00 00 02 00 00
L=$(xxd -p $W/log0c | tr -d '\n')
[ "${L:0:2}" = 0c ] && [ "${L:8:8}" = 00004008 ] || die "page 0Ch: bad start $L"
rx=$((16#${L:16:16}))
[ "$rx" = $((16 * 65536)) ] || die "page 0Ch: $rx bytes received, wrote $((16 * 65536))"
ok "log page 0Ch counts the 1 MiB written"
L=$(sg_logs --page=0x17 ${SG[0]})
grep -q "E01000L8" <<<"$L" || die "log page 17h: no barcode E01000L8"
ok "log page 17h names the barcode E01000L8"
# The barcode attribute (0806h) is a host attribute: a new cartridge has
# none until software writes it (LTFS, backup software), as with real media
# the load's unit attention (28/00) is still pending on drive 1
expect_sense UNIT_ATTENTION 0x28 0x00 -- sg_raw ${SG[1]} 00 00 00 00 00 00
A=$(sg_read_attr ${SG[1]}) || die "sg_read_attr drive 1"
echo "$A"
grep -q "Barcode" <<<"$A" && die "a new cartridge has a barcode attribute"
grep -q "Load count: 1" <<<"$A" || die "sg_read_attr: S00001L8 not loaded once"
# WRITE ATTRIBUTE: barcode, ASCII, 32 bytes
printf '\x00\x00\x00\x25\x08\x06\x01\x00\x20%-32s' E01000L8 >$W/attr
expect_good -- sg_raw -s 41 -i $W/attr ${SG[0]} 8d 01 00 00 00 00 00 00 00 00 00 00 00 29 00 00
A=$(sg_read_attr ${SG[0]}) || die "sg_read_attr"
echo "$A"
grep -Eq "Barcode: *E01000L8" <<<"$A" || die "sg_read_attr: barcode is not E01000L8"
grep -q "Load count: 3" <<<"$A" || die "sg_read_attr: E01000L8 not loaded three times"
grep -q "Density vendor/serial number at last load: IBM *1013000000" <<<"$A" ||
	die "sg_read_attr: the last load was not in drive 0 (serial 1013000000)"
ok "MAM: barcode written and read back, load count and drive serials"

step "DVCID: READ ELEMENT STATUS of the drives against VPD 83h"
# B8: VOLTAG, type 4 (DTE), from 0x100, 4 elements, DVCID, 4096 bytes
run sg_raw -r 4096 -o $W/res $sgc b8 14 01 00 00 04 01 00 10 00 00 00
R=$(xxd -p $W/res | tr -d '\n')
dlen=$((16#${R:20:4}))
[ $dlen -gt 52 ] || die "DTE descriptors of $dlen bytes: no identifier"
for i in 0 1 2 3; do
	off=$(((8 + 8 + i * dlen) * 2))
	addr=$((16#${R:off:4}))
	[ $addr = $((0x100 + i)) ] || die "descriptor $i is element $addr"
	tag=$(echo "${R:off+24:64}" | xxd -r -p | tr -d ' ')
	# code set 2 (ASCII), association 0, type 1 (T10 vendor ID)
	[ "${R:off+96:4}" = 0201 ] || die "drive $i: identifier code set/type ${R:off+96:4}"
	idlen=$((16#${R:off+102:2}))
	id=${R:off+104:idlen*2}
	sg_vpd -p 0x83 -r ${SG[i]} >$W/vpd83 || die "sg_vpd 83 on ${SG[i]}"
	V=$(xxd -p $W/vpd83 | tr -d '\n')
	# walk the designators for the T10 vendor ID one (type 1)
	p=8 vid=
	while [ $p -lt ${#V} ]; do
		dl=$((16#${V:p+6:2}))
		if [ $((16#${V:p+2:2} & 0x3f)) = 1 ]; then
			vid=${V:p+8:dl*2}
			break
		fi
		p=$((p + 8 + dl * 2))
	done
	[ -n "$vid" ] || die "drive $i: no T10 vendor ID designator in VPD 83h"
	[ "${id:0:${#vid}}" = "$vid" ] || die "drive $i: DVCID $id != VPD 83h $vid"
	[ -z "$(tr -d 0 <<<"${id:${#vid}}")" ] || die "drive $i: DVCID padding not zero: $id"
	echo "    drive $i ($tag): $(echo "$vid" | xxd -r -p)"
done
ok "each drive's DVCID is its VPD 83h T10 vendor ID designator"

step "the state across a daemon restart"
for i in 0 1 2 3; do run mt -f ${NST[i]} rewind; done
S=$(mtx_status $SCH) || exit 1
vtl_stop || die "scstu-vtl did not exit cleanly"
vtl_start $W/lib0.conf
# the drives come back loaded: NOT READY TO READY CHANGE
expect_sense UNIT_ATTENTION 0x28 0x00 -- sg_raw ${SG[0]} 00 00 00 00 00 00
S2=$(mtx_status $SCH) || exit 1
[ "$S" = "$S2" ] || { diff <(echo "$S") <(echo "$S2"); die "mtx status differs after the restart"; }
run mt -f ${NST[0]} status
run dd if=${NST[0]} of=$W/back bs=64k status=none
cmp $W/data $W/back || die "the data on E01000L8 differs after the restart"
A=$(sg_read_attr ${SG[0]}) || die "sg_read_attr after the restart"
grep -Eq "Barcode: *E01000L8" <<<"$A" || die "the barcode attribute was lost across the restart"
ok "mtx status identical after stop/start; drive 0's cartridge reads back, its MAM kept"
vtl_stop || die "scstu-vtl did not exit cleanly"
