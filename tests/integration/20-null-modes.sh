#!/bin/bash
# scstu_null mode parameters: MODE SENSE(6/10) (caching and control pages,
# current/changeable/default, saved refused, DBD, LLBAA, subpages,
# truncation, WP for a read-only LUN) and MODE SELECT(6/10) (WCE and
# D_SENSE stick, MODE PARAMETERS CHANGED on the other I_T nexus only, strict
# parameter list validation with exact field pointers), plus the Linux sd
# cache_type switch (a real initiator's MODE SELECT) and the write_cache
# attribute.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/t0

trap cfs_teardown EXIT

# rawin LEN sg_raw-ARGS...: the data-in bytes, hex, space separated
rawin() {
	local n=$1
	shift
	rm -f /tmp/rawin.bin
	sg_raw -o /tmp/rawin.bin -r "$n" "$@" >/tmp/rawin.log 2>&1 ||
		{ cat /tmp/rawin.log; die "sg_raw failed: $*"; }
	[ -f /tmp/rawin.bin ] || return 0
	od -An -tx1 -v /tmp/rawin.bin | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}

# want_hex WHAT GOT WANT
want_hex() {
	[ "$2" = "$3" ] || die "$1: got '$2', want '$3'"
	ok "$1"
}

# plist FILE HEX...: write a parameter list
plist() {
	local f=$1
	shift
	printf "$(printf '\\x%s' "$@")" >"$f"
}

# select10 DEV HEX...: MODE SELECT(10), PF=1, with this parameter list
select10() {
	local d=$1
	shift
	plist /tmp/ms.bin "$@"
	echo "sg_raw -s $# -i /tmp/ms.bin $d 55 10 00 00 00 00 00 $(printf '%02x %02x' $(($# >> 8)) $(($# & 255))) 00"
	sg_raw -v -s $# -i /tmp/ms.bin "$d" 55 10 00 00 00 00 00 \
		"$(printf %02x $(($# >> 8)))" "$(printf %02x $(($# & 255)))" 00
}

# expect_ptr BYTE BIT C/D: field pointer of the last expect_sense
expect_ptr() {
	local b want
	b=($(echo "$_OUT" | awk '/Raw sense data/ { on = 1; next }
		on && /^[ \t]+([0-9a-fA-F][0-9a-fA-F][ \t]*)+$/ { print; next }
		on { on = 0 }'))
	[ ${#b[@]} -ge 18 ] || die "no sense-key specific bytes"
	if [ "$2" = - ]; then
		want=$(printf '%02x%04x' $((0x80 | $3 << 6)) "$1")
	else
		want=$(printf '%02x%04x' $((0x88 | $3 << 6 | $2)) "$1")
	fi
	[ "${b[15]}${b[16]}${b[17]}" = "$want" ] ||
		die "field pointer ${b[15]}${b[16]}${b[17]}, want $want"
	ok "field pointer byte $1 bit $2 (C/D=$3)"
}

CACHE_WCE1="08 12 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
CACHE_WCE0="08 12 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
CTRL="0a 0a 00 10 00 00 00 00 00 00 00 00"
CTRL_DS="0a 0a 04 10 00 00 00 00 00 00 00 00"

load_modules
run mkdir "$CFS/devices/nullio/n0"
cfs_write "$CFS/devices/nullio/n0/enable" 1
run mkdir "$CFS/devices/ramdisk/rd0"
cfs_write "$CFS/devices/ramdisk/rd0/block_size" 4096
cfs_write "$CFS/devices/ramdisk/rd0/size" $((32 << 20))
cfs_write "$CFS/devices/ramdisk/rd0/enable" 1
run mkdir "$T"
run mkdir "$T/luns/0" "$T/luns/1" "$T/luns/2"
run ln -s "$CFS/devices/nullio/n0" "$T/luns/0/device"
run ln -s "$CFS/devices/ramdisk/rd0" "$T/luns/1/device"
cfs_write "$T/luns/2/read_only" 1
run ln -s "$CFS/devices/nullio/n0" "$T/luns/2/device"
run mkdir "$T/sessions/iqn.test:ini0" "$T/sessions/iqn.test:ini1"
h0=$(cat "$T/sessions/iqn.test:ini0/host")
h1=$(cat "$T/sessions/iqn.test:ini1/host")
wait_for_scsi_devices 6 || die "SCSI devices did not appear"
a=$(sg_of_lun "$h0" 0) || die "no sg"
r=$(sg_of_lun "$h0" 1) || die "no sg"
w=$(sg_of_lun "$h0" 2) || die "no sg"
b=$(sg_of_lun "$h1" 0) || die "no sg"
for d in $a $r $w $b; do
	sg_turs -n 3 "$d" >/dev/null 2>&1
	run sg_turs "$d"
done

echo "== MODE SENSE"
run sg_modes -a "$a"
run sg_modes -6 -a "$r"
want_hex "MODE SENSE(10) all pages, current" "$(rawin 255 "$a" 5a 00 3f 00 00 00 00 00 ff 00)" \
	"00 2e 00 10 00 00 00 08 00 20 00 00 00 00 02 00 $CACHE_WCE1 $CTRL"
want_hex "MODE SENSE(6) all pages, 4096-byte ramdisk" "$(rawin 255 "$r" 1a 00 3f 00 ff 00)" \
	"2b 00 10 08 00 00 20 00 00 00 10 00 $CACHE_WCE1 $CTRL"
want_hex "DBD: no block descriptor" "$(rawin 255 "$a" 1a 08 08 00 ff 00)" \
	"17 00 10 00 $CACHE_WCE1"
want_hex "LLBAA: long LBA block descriptor" "$(rawin 255 "$a" 5a 10 0a 00 00 00 00 00 ff 00)" \
	"00 22 00 10 01 00 00 10 00 00 00 00 00 20 00 00 00 00 00 00 00 00 02 00 $CTRL"
want_hex "changeable values: WCE and D_SENSE only" "$(rawin 255 "$a" 5a 00 7f 00 00 00 00 00 ff 00)" \
	"00 2e 00 10 00 00 00 08 00 00 00 00 00 00 00 00 $CACHE_WCE1 0a 0a 04 00 00 00 00 00 00 00 00 00"
want_hex "default values" "$(rawin 255 "$a" 1a 08 bf 00 ff 00)" \
	"23 00 10 00 $CACHE_WCE1 $CTRL"
want_hex "page 08h, subpage FFh (all subpages: none)" "$(rawin 255 "$a" 1a 08 08 ff ff 00)" \
	"17 00 10 00 $CACHE_WCE1"
want_hex "page 3Fh, subpage FFh" "$(rawin 255 "$a" 1a 08 3f ff ff 00)" \
	"23 00 10 00 $CACHE_WCE1 $CTRL"
want_hex "allocation length 4 truncates, mode data length kept" "$(rawin 4 "$a" 1a 00 3f 00 04 00)" \
	"2b 00 10 08"
want_hex "read-only LUN: WP set" "$(rawin 4 "$w" 1a 00 3f 00 04 00)" "2b 00 90 08"
sg_modes -p 8 "$w" | grep -q "WP=1" || die "sg_modes does not show WP=1 on the read-only LUN"
expect_sense ILLEGAL_REQUEST 0x39 0x00 -- sg_raw -r 255 "$a" 1a 00 ff 00 ff 00
expect_sense ILLEGAL_REQUEST 0x39 0x00 -- sg_raw -r 255 "$a" 5a 00 c8 00 00 00 00 00 ff 00
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 255 "$a" 1a 00 1c 00 ff 00
expect_ptr 2 5 1
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 255 "$a" 1a 00 0a 01 ff 00
expect_ptr 3 - 1
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 255 "$a" 1a 10 3f 00 ff 00
expect_ptr 1 4 1
ok "saved values: 39/00; unknown page or subpage, LLBAA in MODE SENSE(6): 24/00"

echo "== MODE SELECT: WCE"
_with_raw_sense select10 "$a" 00 00 00 00 00 00 00 00 $CACHE_WCE0
[ "$_RC" = 0 ] || die "MODE SELECT(10) WCE=0 failed"
want_hex "WCE=0 sticks" "$(rawin 255 "$a" 1a 08 08 00 ff 00)" "17 00 10 00 $CACHE_WCE0"
[ "$(cat "$CFS/devices/nullio/n0/write_cache")" = 0 ] || die "write_cache attribute not 0"
expect_good -- sg_raw "$a" 00 00 00 00 00 00
expect_sense UNIT_ATTENTION 0x2a 0x01 -- sg_raw "$b" 00 00 00 00 00 00
expect_good -- sg_raw "$b" 00 00 00 00 00 00
ok "MODE PARAMETERS CHANGED for the other nexus only; write_cache follows"
# MODE SELECT(6) with a block descriptor restores WCE
plist /tmp/ms6.bin 00 00 00 08 00 20 00 00 00 00 02 00 $CACHE_WCE1
expect_good -- sg_raw -s 32 -i /tmp/ms6.bin "$a" 15 10 00 00 20 00
want_hex "MODE SELECT(6) with block descriptor: WCE=1" "$(rawin 255 "$a" 1a 08 08 00 ff 00)" \
	"17 00 10 00 $CACHE_WCE1"
expect_sense UNIT_ATTENTION 0x2a 0x01 -- sg_raw "$b" 00 00 00 00 00 00
# the same values again change nothing: no unit attention
expect_good -- sg_raw -s 32 -i /tmp/ms6.bin "$a" 15 10 00 00 20 00
expect_good -- sg_raw "$b" 00 00 00 00 00 00
# parameter list length 0: nothing happens
expect_good -- sg_raw "$a" 55 10 00 00 00 00 00 00 00 00
ok "MODE SELECT(6) and no-op MODE SELECTs"

echo "== MODE SELECT: D_SENSE"
_with_raw_sense select10 "$a" 00 00 00 00 00 00 00 00 $CTRL_DS
[ "$_RC" = 0 ] || die "MODE SELECT(10) D_SENSE=1 failed"
want_hex "D_SENSE=1 sticks" "$(rawin 255 "$a" 1a 08 0a 00 ff 00)" "0f 00 10 00 $CTRL_DS"
_with_raw_sense sg_raw -r 36 "$a" 12 02 00 00 24 00
echo "$_OUT" | grep -A1 "Raw sense" | tail -1 | grep -q "^ *72 05 24 00" ||
	die "descriptor format sense expected after D_SENSE=1"
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 36 "$a" 12 02 00 00 24 00
expect_sense UNIT_ATTENTION 0x2a 0x01 -- sg_raw "$b" 00 00 00 00 00 00
_with_raw_sense select10 "$a" 00 00 00 00 00 00 00 00 $CTRL
[ "$_RC" = 0 ] || die "MODE SELECT(10) D_SENSE=0 failed"
_with_raw_sense sg_raw -r 36 "$a" 12 02 00 00 24 00
echo "$_OUT" | grep -A1 "Raw sense" | tail -1 | grep -q "^ *70 00 05" ||
	die "fixed format sense expected after D_SENSE=0"
sg_turs "$b" >/dev/null 2>&1
ok "D_SENSE switches the sense data format"

echo "== MODE SELECT: validation"
HDR10="00 00 00 00 00 00 00 00"
plist /tmp/ms.bin $HDR10 $CACHE_WCE1
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -s 28 -i /tmp/ms.bin "$a" 55 00 00 00 00 00 00 00 1c 00
expect_ptr 1 4 1
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -s 28 -i /tmp/ms.bin "$a" 55 11 00 00 00 00 00 00 1c 00
expect_ptr 1 0 1
ok "PF=0 and SP=1 refused"
expect_sense ILLEGAL_REQUEST 0x1a 0x00 -- select10 "$a" 00 00 00 00 00 00
expect_sense ILLEGAL_REQUEST 0x1a 0x00 -- select10 "$a" $HDR10 08 12 04 00 00 00 00 00 00 00
expect_sense ILLEGAL_REQUEST 0x1a 0x00 -- select10 "$a" 00 00 00 00 00 00 00 08 00 20 00 00
expect_sense ILLEGAL_REQUEST 0x1a 0x00 -- select10 "$a" $HDR10 08
ok "truncated header, page, block descriptor, page header: PARAMETER LIST LENGTH ERROR"
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" $HDR10 08 10 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
expect_ptr 9 - 0
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" $HDR10 08 12 05 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
expect_ptr 10 0 0
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" $HDR10 08 12 04 00 00 00 00 00 00 00 00 00 40 00 00 00 00 00 00 00
expect_ptr 20 6 0
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" $HDR10 0a 0a 00 00 00 00 00 00 00 00 00 00
expect_ptr 11 4 0
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" $HDR10 1c 0a 00 00 00 00 00 00 00 00 00 00
expect_ptr 8 5 0
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" $HDR10 48 12 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
expect_ptr 8 6 0
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" 00 00 05 00 00 00 00 00 $CACHE_WCE1
expect_ptr 2 - 0
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" 00 00 00 00 00 00 00 04 00 00 00 00 $CACHE_WCE1
expect_ptr 6 - 0
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" 00 00 00 00 00 00 00 08 00 00 00 00 00 00 10 00 $CACHE_WCE1
expect_ptr 13 - 0
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" 00 00 00 00 00 00 00 08 00 10 00 00 00 00 02 00 $CACHE_WCE1
expect_ptr 8 - 0
# a valid page followed by an invalid one changes nothing
expect_sense ILLEGAL_REQUEST 0x26 0x00 -- select10 "$a" $HDR10 $CACHE_WCE0 0a 0a 00 00 00 00 00 00 00 00 00 00
want_hex "nothing half-applied" "$(rawin 255 "$a" 1a 08 08 00 ff 00)" "17 00 10 00 $CACHE_WCE1"
expect_good -- sg_raw "$b" 00 00 00 00 00 00
ok "page length, non-changeable bits, subpage format, unknown page, medium type, block descriptor: INVALID FIELD IN PARAMETER LIST"

echo "== real initiator: sd cache_type, configfs write_cache"
sd=$(basename "$(sd_of_lun "$h0" 0)") || die "no sd"
ct=/sys/class/scsi_disk/$h0:0:0:0/cache_type
run cat "$ct"
cfs_write "$ct" "write through"
[ "$(cat "$CFS/devices/nullio/n0/write_cache")" = 0 ] || die "sd's MODE SELECT did not clear WCE"
grep -q "write through" "$ct" || die "sd does not report write through"
expect_sense UNIT_ATTENTION 0x2a 0x01 -- sg_raw "$b" 00 00 00 00 00 00
cfs_write "$ct" "write back"
[ "$(cat "$CFS/devices/nullio/n0/write_cache")" = 1 ] || die "sd's MODE SELECT did not set WCE"
sg_turs "$b" >/dev/null 2>&1
ok "sd ($sd) switched the write cache off and on through MODE SELECT"
cfs_write "$CFS/devices/nullio/n0/write_cache" 0
expect_sense UNIT_ATTENTION 0x2a 0x01 -- sg_raw "$a" 00 00 00 00 00 00
expect_sense UNIT_ATTENTION 0x2a 0x01 -- sg_raw "$b" 00 00 00 00 00 00
want_hex "write_cache=0 in MODE SENSE" "$(rawin 255 "$a" 1a 08 08 00 ff 00)" "17 00 10 00 $CACHE_WCE0"
cfs_write "$CFS/devices/nullio/n0/write_cache" 1
ok "configfs write_cache: MODE PARAMETERS CHANGED on every nexus"
