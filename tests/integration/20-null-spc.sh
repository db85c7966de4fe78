#!/bin/bash
# scstu_null SPC/SBC identification and capacity through the real Linux
# initiator (scstu_local): INQUIRY standard data and every VPD page,
# READ CAPACITY(10/16) for 512 and 4096 byte blocks and beyond 2^32 blocks,
# capacity change -> UNIT ATTENTION 2A/09, INQUIRY DATA HAS CHANGED 3F/03,
# stable NAA/serial identifiers, configfs attribute validation, and the
# negative cases: unknown opcode, invalid fields (with the sense-key
# specific field pointer), LBA out of range.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/t0

trap cfs_teardown EXIT

# mkdev BACKEND NAME [ATTR=VALUE...]: create, configure and enable a device
mkdev() {
	local be=$1 n=$2 kv
	shift 2
	run mkdir "$CFS/devices/$be/$n"
	for kv in "$@"; do
		cfs_write "$CFS/devices/$be/$n/${kv%%=*}" "${kv#*=}"
	done
	cfs_write "$CFS/devices/$be/$n/enable" 1
}

# maplun LUN BACKEND/NAME
maplun() {
	run mkdir "$T/luns/$1"
	run ln -s "$CFS/devices/$2" "$T/luns/$1/device"
}

# rawin LEN sg_raw-ARGS...: the data-in bytes as one hex string
rawin() {
	local n=$1
	shift
	rm -f /tmp/rawin.bin
	sg_raw -o /tmp/rawin.bin -r "$n" "$@" >/tmp/rawin.log 2>&1 ||
		{ cat /tmp/rawin.log; die "sg_raw failed: $*"; }
	[ -f /tmp/rawin.bin ] || return 0
	od -An -tx1 -v /tmp/rawin.bin | tr -d ' \n'
}

# xsense KEY ASC ASCQ [BYTE BIT] -- sg_raw-ARGS...: CHECK CONDITION with this
# fixed-format sense (hex KEY/ASC/ASCQ) and, if given, the field pointer
# (C/D = 1; BIT - for none). Parsed in bash: processes are slow under TCG.
xsense() {
	local key=$1 asc=$2 ascq=$3 ptr= out line on=0 s=() want got
	shift 3
	if [ "$1" != -- ]; then
		if [ "$2" = - ]; then
			printf -v ptr ' c0 %02x %02x' $(($1 >> 8)) $(($1 & 255))
		else
			printf -v ptr ' %02x %02x %02x' $((0xc8 | $2)) $(($1 >> 8)) $(($1 & 255))
		fi
		shift 2
	fi
	shift
	out=$(sg_raw -v "$@" 2>&1)
	while IFS= read -r line; do
		if [[ $line == *"Raw sense data"* ]]; then
			on=1
		elif ((on)) && [[ $line =~ ^[[:space:]]+[0-9a-f]{2}([[:space:]]+[0-9a-f]{2})*[[:space:]]*$ ]]; then
			s+=($line)
		else
			on=0
		fi
	done <<<"$out"
	printf -v want '70 %02x %02x %02x' $((16#$key)) $((16#$asc)) $((16#$ascq))
	got="${s[0]:-} ${s[2]:-} ${s[12]:-} ${s[13]:-}"
	if [ -n "$ptr" ]; then
		want+=$ptr
		got+=" ${s[15]:-} ${s[16]:-} ${s[17]:-}"
	fi
	[ "$got" = "$want" ] || { echo "$out"; die "sg_raw $*: sense '$got', want '$want'"; }
	echo "ok: sg_raw $*: $want"
}

load_modules

echo "== configfs attributes: defaults and validation"
run mkdir "$CFS/devices/nullio/n0"
D=$CFS/devices/nullio/n0
[ "$(cat $D/size)" = 1073741824 ] || die "default size $(cat $D/size)"
[ "$(cat $D/block_size)" = 512 ] || die "default block_size"
[ "$(cat $D/vendor_id)" = SCSTU ] || die "default vendor_id"
[ "$(cat $D/product_id)" = NULLIO ] || die "default product_id"
[ "$(cat $D/write_cache)" = 1 ] || die "default write_cache"
[ "$(cat $D/delay_ms)" = 0 ] || die "default delay_ms"
[ "$(cat $D/type)" = 0 ] || die "type $(cat $D/type)"
ok "defaults: 1 GiB, 512, SCSTU/NULLIO, WCE 1, type 0"
for bad in "size=abc" "size=100" "size=1000000001" "size=-1" "block_size=1024" \
	"block_size=x" "vendor_id=123456789" "vendor_id=" \
	"product_id=12345678901234567" "revision=12345" "serial=has space" \
	"delay_ms=9999999" "write_cache=maybe" "vendor_id=$(printf 'a\tb')"; do
	if echo "${bad#*=}" >"$D/${bad%%=*}" 2>/dev/null; then
		die "junk accepted: ${bad%%=*} <- '${bad#*=}'"
	fi
done
ok "junk values refused (EINVAL)"
cfs_write $D/enable 1
if echo 4096 >$D/block_size 2>/dev/null; then
	die "block_size changed while enabled"
fi
ok "block_size refused while enabled"
cfs_write $D/enable 0
cfs_write $D/block_size 4096
cfs_write $D/block_size 512
cfs_write $D/enable 1

ser0=$(cat "$CFS/devices/nullio/n0/serial")
mkdev nullio n4k block_size=4096 size=$((8 << 30))
mkdev nullio nbig size=$((4 << 40))
mkdev ramdisk rd0 size=$((64 << 20)) vendor_id="ACME CO" product_id="Disk 1" revision=9.1
run mkdir "$T"
maplun 0 nullio/n0
maplun 1 nullio/n4k
maplun 2 nullio/nbig
maplun 3 ramdisk/rd0
run mkdir "$T/sessions/iqn.test:ini0"
h=$(cat "$T/sessions/iqn.test:ini0/host")
wait_for_scsi_devices 4 || die "SCSI devices did not appear"
a=$(sg_of_lun "$h" 0) || die "no sg for LUN 0"
b=$(sg_of_lun "$h" 1) || die "no sg for LUN 1"
c=$(sg_of_lun "$h" 2) || die "no sg for LUN 2"
r=$(sg_of_lun "$h" 3) || die "no sg for LUN 3"
for d in $a $b $c $r; do
	sg_turs -n 2 "$d" >/dev/null 2>&1
	run sg_turs "$d"
done

echo "== standard INQUIRY"
hex=$(rawin 96 "$a" 12 00 00 00 60 00)
[ ${#hex} = 192 ] || die "INQUIRY returned $((${#hex} / 2)) bytes, want 96"
[ "${hex:0:10}" = 000006125b ] || die "INQUIRY bytes 0-4: ${hex:0:10}"
[ "${hex:14:2}" = 02 ] || die "CmdQue not set: byte 7 ${hex:14:2}"
[ "${hex:16:16}" = 5343535455202020 ] || die "vendor: ${hex:16:16}"
[ "${hex:32:32}" = 4e554c4c494f20202020202020202020 ] || die "product: ${hex:32:32}"
[ "${hex:116:12}" = 00a0046004c0 ] || die "version descriptors: ${hex:116:12}"
ok "INQUIRY: disk, SPC-4, HiSup, format 2, CmdQue, SCSTU/NULLIO, SAM-5/SPC-4/SBC-3"
out=$(sg_inq "$r") || die "sg_inq failed"
echo "$out" | grep -q "Vendor identification: ACME CO" || die "vendor_id not applied"
echo "$out" | grep -q "Product identification: Disk 1" || die "product_id not applied"
echo "$out" | grep -q "Product revision level: 9.1" || die "revision not applied"
ok "sg_inq shows the configured vendor/product/revision"
hex=$(rawin 5 "$a" 12 00 00 00 05 00)
[ "$hex" = 000006125b ] || die "INQUIRY with allocation length 5: $hex"
ok "allocation length truncates (5 bytes, additional length still 0x5b)"

echo "== VPD pages"
out=$(sg_vpd -a "$a" 2>&1) || { echo "$out"; die "sg_vpd -a failed"; }
echo "$out"
for p in "Supported VPD pages" "Unit serial number: $ser0" "designator type: NAA" \
	"T10 vendor identification" "Block limits VPD page" \
	"Block device characteristics VPD page" "Non-rotating medium"; do
	echo "$out" | grep -q "$p" || die "sg_vpd -a lacks '$p'"
done
hex=$(rawin 255 "$a" 12 01 00 00 ff 00)
[ "$hex" = 00000005008083b0b1 ] || die "VPD 00: $hex"
hex=$(rawin 255 "$a" 12 01 83 00 ff 00)
naa=${hex:16:16}
[ "${hex:8:8}" = 01030008 ] && [ "${naa:0:1}" = 3 ] || die "VPD 83 NAA descriptor: $hex"
[ "${naa:1}" = "${ser0:1}" ] || die "NAA $naa not derived like serial $ser0"
ok "VPD 0x83: NAA 3 (locally assigned) designator 0x$naa + T10 vendor ID"
hex=$(rawin 255 "$a" 12 01 b0 00 ff 00)
[ "${hex:0:8}" = 00b0003c ] || die "VPD b0 header ${hex:0:8}"
[ "${hex:12:4}" = 0008 ] || die "optimal granularity ${hex:12:4} (want 8 blocks = 4 KiB)"
[ "${hex:16:8}" = 00004000 ] || die "max transfer length ${hex:16:8} (want 16384 blocks = 8 MiB)"
hex=$(rawin 255 "$b" 12 01 b0 00 ff 00)
[ "${hex:12:4}" = 0001 ] && [ "${hex:16:8}" = 00000800 ] || die "VPD b0 for 4096-byte blocks: $hex"
hex=$(rawin 255 "$a" 12 01 b1 00 ff 00)
[ "${hex:0:12}" = 00b1003c0001 ] || die "VPD b1: ${hex:0:12}"
ok "block limits (8 MiB max, 4 KiB granularity) and non-rotating characteristics"
hex=$(rawin 6 "$a" 12 01 80 00 06 00)
[ "$hex" = "00800010$(printf %s "${ser0:0:2}" | od -An -tx1 | tr -d ' \n')" ] ||
	die "VPD 80 truncated to 6 bytes: $hex"
ok "VPD allocation length truncates"
# the identifiers are derived from the name: stable across re-creation
s4k=$(cat "$CFS/devices/nullio/n4k/serial")
[ "$s4k" != "$ser0" ] || die "two devices with the same serial $ser0"
run mkdir "$CFS/devices/nullio/ntmp"
s1=$(cat "$CFS/devices/nullio/ntmp/serial")
run rmdir "$CFS/devices/nullio/ntmp"
run mkdir "$CFS/devices/nullio/ntmp"
[ "$(cat "$CFS/devices/nullio/ntmp/serial")" = "$s1" ] || die "serial not stable"
run rmdir "$CFS/devices/nullio/ntmp"
ok "serial/NAA: unique per device name, stable across re-creation"

echo "== INQUIRY DATA HAS CHANGED"
cfs_write "$CFS/devices/nullio/n0/serial" "SER-12345"
xsense 6 3f 03 -- "$a" 00 00 00 00 00 00
expect_good -- sg_raw "$a" 00 00 00 00 00 00
sg_vpd -p sn "$a" | grep -q "Unit serial number: SER-12345" || die "new serial not in VPD 0x80"
hex=$(rawin 255 "$a" 12 01 83 00 ff 00)
echo "$hex" | grep -q "$(printf 'SER-12345' | od -An -tx1 | tr -d ' \n')" ||
	die "new serial not in the T10 vendor ID designator"
[ "${hex:16:16}" = "$naa" ] || die "NAA changed with the serial"
ok "serial change: UA 3F/03, VPD 80/83 updated, NAA kept"

echo "== READ CAPACITY"
check_cap() { # DEV BLOCKS BLOCKLEN
	local o
	o=$(sg_readcap "$1") || die "sg_readcap $1"
	if [ "$2" -le 4294967296 ]; then
		echo "$o" | grep -q "Number of logical blocks=$2\$" || { echo "$o"; die "RC10 blocks"; }
		echo "$o" | grep -q "Logical block length=$3 bytes" || { echo "$o"; die "RC10 block length"; }
	fi
	o=$(sg_readcap -l "$1") || die "sg_readcap -l $1"
	echo "$o" | grep -q "Number of logical blocks=$2\$" || { echo "$o"; die "RC16 blocks"; }
	echo "$o" | grep -q "Logical block length=$3 bytes" || { echo "$o"; die "RC16 block length"; }
	echo "$o" | grep -q "Logical blocks per physical block exponent=0" || die "RC16 exponent"
	echo "$o" | grep -q "lbpme=0, lbprz=0" || die "RC16 LBPME"
	ok "$1: $2 blocks of $3 bytes (RC10 and RC16)"
}
check_cap "$a" 2097152 512
check_cap "$b" 2097152 4096
check_cap "$c" 8589934592 512
hex=$(rawin 8 "$c" 25 00 00 00 00 00 00 00 00 00)
[ "$hex" = ffffffff00000200 ] || die "RC10 beyond 2^32 blocks: $hex"
hex=$(rawin 8 "$a" 25 00 00 00 00 00 00 00 00 00)
[ "$hex" = 001fffff00000200 ] || die "RC10: $hex"
hex=$(rawin 8 "$a" 25 00 00 00 10 00 00 00 01 00)
[ "$hex" = 001fffff00000200 ] || die "RC10 with PMI: $hex"
xsense 5 24 00 2 - -- -r 8 "$a" 25 00 00 00 10 00 00 00 00 00
hex=$(rawin 12 "$a" 9e 10 00 00 00 00 00 00 00 00 00 00 00 0c 00 00)
[ "$hex" = 00000000001fffff00000200 ] || die "RC16 allocation length 12: $hex"
ok "RC10 0xFFFFFFFF for huge LUNs, PMI rules, RC16 allocation length"
# capacity change while enabled: UA 2A/09, then the new size
cfs_write "$CFS/devices/nullio/n0/size" $((2 << 30))
xsense 6 2a 09 -- "$a" 00 00 00 00 00 00
expect_good -- sg_raw "$a" 00 00 00 00 00 00
check_cap "$a" 4194304 512
cfs_write "$CFS/devices/nullio/n0/size" $((1 << 30))
xsense 6 2a 09 -- -r 8 "$a" 25 00 00 00 00 00 00 00 00 00
check_cap "$a" 2097152 512

echo "== TEST UNIT READY, START STOP UNIT, SYNCHRONIZE CACHE"
run sg_turs -n 5 "$a"
expect_good -- sg_raw "$a" 1b 00 00 00 01 00
expect_good -- sg_raw "$a" 1b 01 00 00 00 00
expect_good -- sg_raw "$a" 1b 00 00 00 05 00
xsense 5 24 00 4 1 -- "$a" 1b 00 00 00 03 00
xsense 5 24 00 4 7 -- "$a" 1b 00 00 00 20 00
xsense 5 24 00 3 3 -- "$a" 1b 00 00 01 01 00
ok "START STOP: START/STOP/NO_FLUSH/IMMED accepted; LOEJ, power conditions refused"
expect_good -- sg_raw "$a" 35 00 00 00 00 00 00 00 00 00
expect_good -- sg_raw "$a" 35 02 00 1f ff ff 00 00 01 00
expect_good -- sg_raw "$a" 91 00 00 00 00 00 00 1f ff ff 00 00 00 01 00 00
xsense 5 21 00 -- "$a" 35 00 00 1f ff ff 00 00 02 00
xsense 5 21 00 -- "$a" 91 00 00 00 00 00 00 20 00 01 00 00 00 00 00 00
ok "SYNCHRONIZE CACHE(10/16): range checked"

echo "== negative cases"
xsense 5 20 00 -- "$a" 02 00 00 00 00 00
xsense 5 20 00 -- "$a" 1e 00 00 00 01 00
for op in 41 42 4d; do
	xsense 5 20 00 -- "$a" $op 00 00 00 00 00 00 00 00 00
done
xsense 5 20 00 -- "$a" 93 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00
ok "unknown opcodes: INVALID COMMAND OPERATION CODE"
xsense 5 24 00 1 1 -- -r 36 "$a" 12 02 00 00 24 00
xsense 5 24 00 2 - -- -r 36 "$a" 12 00 80 00 24 00
xsense 5 24 00 2 - -- -r 36 "$a" 12 01 89 00 24 00
xsense 5 24 00 5 2 -- -r 36 "$a" 12 00 00 00 24 04
ok "INQUIRY: CmdDt, page code without EVPD, unknown VPD page, NACA"
xsense 5 24 00 1 2 -- -r 512 "$a" 28 04 00 00 00 00 00 00 01 00
xsense 5 24 00 1 5 -- -r 512 "$a" 28 20 00 00 00 00 00 00 01 00
xsense 5 24 00 6 7 -- -r 512 "$a" 28 00 00 00 00 00 80 00 01 00
xsense 5 24 00 9 2 -- -r 512 "$a" 28 00 00 00 00 00 00 00 01 04
xsense 5 24 00 9 0 -- -r 512 "$a" 28 00 00 00 00 00 00 00 01 01
expect_good -- sg_raw -r 512 "$a" 28 18 00 00 00 00 1f 00 01 00
ok "READ(10): reserved bit, RDPROTECT, reserved byte 6 bit, NACA, LINK refused; DPO/FUA/group accepted"
xsense 5 21 00 -- -r 1024 "$a" 28 00 00 1f ff ff 00 00 02 00
xsense 5 21 00 -- -r 512 "$a" 28 00 00 20 00 00 00 00 01 00
xsense 5 21 00 -- -r 512 "$a" 88 00 ff ff ff ff ff ff ff ff 00 00 00 01 00 00
xsense 5 21 00 -- -r 512 "$a" 88 00 00 00 00 00 00 20 00 01 00 00 00 00 00 00
xsense 5 21 00 -- -r 512 "$r" 08 1f ff ff 01 00
xsense 5 21 00 -- -r 512 "$b" a8 00 00 20 00 00 00 00 00 01 00 00
expect_good -- sg_raw -r 512 "$a" 28 00 00 1f ff ff 00 00 01 00
expect_good -- sg_raw "$a" 28 00 00 20 00 00 00 00 00 00
ok "LBA OUT OF RANGE past the end (READ 6/10/12/16); last block and 0 blocks at the end are fine"
xsense 5 24 00 7 - -- -r 512 "$a" 28 00 00 00 00 00 00 40 01 00
ok "transfer length above the block limits maximum: INVALID FIELD IN CDB"
xsense 5 24 00 1 4 -- -r 32 "$a" 9e 11 00 00 00 00 00 00 00 00 00 00 00 20 00 00
xsense 5 24 00 1 4 -- -r 32 "$a" a3 0a 00 00 00 00 00 00 00 20 00 00
xsense 5 24 00 2 - -- -r 32 "$a" 9e 10 00 00 00 00 00 00 00 01 00 00 00 20 00 00
ok "unsupported service actions, RC16 PMI rule"

echo "== data length mismatches"
hex=$(rawin 131072 "$a" 08 00 00 00 00 00)
[ ${#hex} = 262144 ] || die "READ(6) length 0 should read 256 blocks, got $((${#hex} / 2)) bytes"
expect_good -- sg_raw -r 4096 "$a" 28 00 00 00 00 00 00 00 00 00
hex=$(rawin 4096 "$a" 28 00 00 00 00 00 00 00 01 00)
[ ${#hex} = 1024 ] || die "READ(10) of 1 block with 4096 expected: got $((${#hex} / 2)) bytes"
hex=$(rawin 1000 "$a" 28 00 00 00 00 00 00 00 04 00)
[ ${#hex} = 2000 ] || die "READ(10) of 4 blocks with 1000 expected: got $((${#hex} / 2)) bytes"
ok "READ(6) 0 = 256 blocks; READ(10) 0 = none; residuals both ways"
