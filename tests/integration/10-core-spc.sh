#!/bin/bash
# Core SPC behaviour: REPORT LUNS (every SELECT REPORT, allocation length),
# REQUEST SENSE (unit attentions, fixed and descriptor format), SPC-2
# RESERVE/RELEASE between two initiators, reservation release by LU reset,
# MODE PARAMETERS CHANGED to the other nexus, and per-device/LUN statistics.
. "$(dirname "$0")/lib.sh"
set -u

load_modules
T=$CFS/targets/local/t0

run mkdir "$CFS/devices/ramdisk/rd0"
cfs_write "$CFS/devices/ramdisk/rd0/size" $((64 << 20))
cfs_write "$CFS/devices/ramdisk/rd0/enable" 1
run mkdir "$CFS/devices/nullio/n0"
cfs_write "$CFS/devices/nullio/n0/size" $((1 << 30))
cfs_write "$CFS/devices/nullio/n0/enable" 1
run mkdir "$T"
run mkdir "$T/luns/0" "$T/luns/5"
run ln -s "$CFS/devices/ramdisk/rd0" "$T/luns/0/device"
run ln -s "$CFS/devices/nullio/n0" "$T/luns/5/device"
# ini2 is masked: it sees rd0 as LUN 0 and n0 as LUN 3
run mkdir "$T/ini_groups/g2"
run mkdir "$T/ini_groups/g2/initiators/iqn.test:ini2"
run mkdir "$T/ini_groups/g2/luns/0" "$T/ini_groups/g2/luns/3"
run ln -s "$CFS/devices/ramdisk/rd0" "$T/ini_groups/g2/luns/0/device"
run ln -s "$CFS/devices/nullio/n0" "$T/ini_groups/g2/luns/3/device"
run mkdir "$T/sessions/iqn.test:ini1" "$T/sessions/iqn.test:ini2"
h1=$(cat "$T/sessions/iqn.test:ini1/host")
h2=$(cat "$T/sessions/iqn.test:ini2/host")
wait_for_scsi_devices 4 || die "SCSI devices did not appear"
a0=$(sg_of_lun "$h1" 0) || die "no sg for $h1:0"
a5=$(sg_of_lun "$h1" 5) || die "no sg for $h1:5"
b0=$(sg_of_lun "$h2" 0) || die "no sg for $h2:0"
b3=$(sg_of_lun "$h2" 3) || die "no sg for $h2:3"
# consume any unit attention left from session creation
for d in $a0 $a5 $b0 $b3; do sg_turs -n 3 "$d" >/dev/null 2>&1; sg_turs "$d" >/dev/null 2>&1; done

# received_hex CMD...: the data bytes sg_raw received, as one hex string
received_hex() {
	sg_raw "$@" 2>&1 | awk '/Received [0-9]+ bytes/ { on = 1; next }
		on && /^ +[0-9a-f]+ +/ { for (i = 2; i <= NF && i <= 17; i++) if ($i ~ /^[0-9a-f][0-9a-f]$/) printf "%s", $i }'
}

echo "== REPORT LUNS"
got=$(sg_luns "$a0" | sed -n 's/^ *\([0-9a-f]\{16\}\).*/\1/p' | tr '\n' ' ')
[ "$got" = "0000000000000000 0005000000000000 " ] || die "ini1 LUNs: '$got'"
got=$(sg_luns "$b0" | sed -n 's/^ *\([0-9a-f]\{16\}\).*/\1/p' | tr '\n' ' ')
[ "$got" = "0000000000000000 0003000000000000 " ] || die "ini2 LUNs (masked): '$got'"
ok "LUN inventories: ini1 {0,5}, ini2 {0,3}"
for sel in 02; do
	hex=$(received_hex -r 64 "$a0" a0 00 $sel 00 00 00 00 00 00 40 00 00)
	[ "${hex:0:8}" = 00000010 ] || die "SELECT REPORT $sel: list length ${hex:0:8}"
done
for sel in 01 10 11; do
	hex=$(received_hex -r 64 "$a0" a0 00 $sel 00 00 00 00 00 00 40 00 00)
	[ "${hex:0:8}" = 00000000 ] || die "SELECT REPORT $sel: list length ${hex:0:8}, want 0"
done
ok "SELECT REPORT 00/02 list both LUNs, 01/10/11 list none"
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 64 "$a0" a0 00 12 00 00 00 00 00 00 40 00 00
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 64 "$a0" a0 00 03 00 00 00 00 00 00 40 00 00
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 8 "$a0" a0 00 00 00 00 00 00 00 00 08 00 00
# a short allocation length truncates but reports the full list length
hex=$(received_hex -r 16 "$a0" a0 00 00 00 00 00 00 00 00 10 00 00)
[ "$hex" = 00000010000000000000000000000000 ] || die "truncated REPORT LUNS: $hex"
ok "REPORT LUNS truncation keeps the full LUN LIST LENGTH"

echo "== REQUEST SENSE and unit attentions"
hex=$(received_hex -r 18 "$a0" 03 00 00 00 12 00)
[ "${hex:0:2}" = 70 ] && [ "${hex:4:2}" = 00 ] || die "REQUEST SENSE without UA: $hex"
ok "REQUEST SENSE with nothing pending: NO SENSE"
cfs_write "$CFS/devices/ramdisk/rd0/size" $((128 << 20))
hex=$(received_hex -r 18 "$a0" 03 00 00 00 12 00)
[ "${hex:0:2}" = 70 ] && [ "${hex:4:2}" = 06 ] && [ "${hex:24:4}" = 2a09 ] ||
	die "REQUEST SENSE should return UA 2A/09 in fixed format: $hex"
expect_good -- sg_raw "$a0" 00 00 00 00 00 00
ok "REQUEST SENSE returned and cleared CAPACITY DATA HAS CHANGED"
# ini2 still has its own copy of that UA (per I_T_L queue); descriptor format
hex=$(received_hex -r 32 "$b0" 03 01 00 00 20 00)
[ "${hex:0:2}" = 72 ] && [ "${hex:2:2}" = 06 ] && [ "${hex:4:4}" = 2a09 ] ||
	die "descriptor-format REQUEST SENSE on ini2: $hex"
ok "ini2 got the same UA, in descriptor format"
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 18 "$a0" 03 02 00 00 12 00
# a UA is reported to the next command other than INQUIRY/REPORT LUNS/REQUEST SENSE
cfs_write "$CFS/devices/ramdisk/rd0/size" $((64 << 20))
expect_good -- sg_raw -r 36 "$a0" 12 00 00 00 24 00
expect_sense UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$a0" 00 00 00 00 00 00
expect_good -- sg_raw "$a0" 00 00 00 00 00 00
expect_sense UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$b0" 00 00 00 00 00 00
ok "UA survives INQUIRY, is reported once per I_T_L"

echo "== RESERVE / RELEASE (SPC-2)"
expect_good -- sg_raw "$a0" 16 00 00 00 00 00
expect_status "Reservation Conflict" -- sg_raw "$b0" 00 00 00 00 00 00
expect_status "Reservation Conflict" -- sg_raw -r 512 "$b0" 28 00 00 00 00 00 00 00 01 00
expect_good -- sg_raw -r 36 "$b0" 12 00 00 00 24 00
expect_good -- sg_raw -r 64 "$b0" a0 00 00 00 00 00 00 00 00 40 00 00
expect_status "Reservation Conflict" -- sg_raw "$b0" 16 00 00 00 00 00
# RELEASE from the other nexus succeeds but releases nothing
expect_good -- sg_raw "$b0" 17 00 00 00 00 00
expect_status "Reservation Conflict" -- sg_raw "$b0" 00 00 00 00 00 00
# the holder is unaffected, also on another device
expect_good -- sg_raw "$a0" 00 00 00 00 00 00
expect_good -- sg_raw "$b3" 00 00 00 00 00 00
expect_good -- sg_raw "$a0" 17 00 00 00 00 00
expect_good -- sg_raw "$b0" 00 00 00 00 00 00
ok "reservation conflicts for the other initiator only, RELEASE by holder frees it"
expect_good -- sg_raw "$b0" 56 00 00 00 00 00 00 00 00 00
expect_status "Reservation Conflict" -- sg_raw "$a0" 00 00 00 00 00 00
expect_good -- sg_raw "$b0" 57 00 00 00 00 00 00 00 00 00
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw "$a0" 56 10 00 00 00 00 00 00 00 00
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw "$a0" 16 01 00 00 00 00
ok "RESERVE(10)/RELEASE(10); third-party and extent reservations refused"
# a LOGICAL UNIT RESET releases the reservation and raises 29/03 everywhere
expect_good -- sg_raw "$a0" 16 00 00 00 00 00
run sg_reset -d "$b0"
expect_sense UNIT_ATTENTION 0x29 0x03 -- sg_raw "$b0" 00 00 00 00 00 00
expect_good -- sg_raw "$b0" 00 00 00 00 00 00
expect_sense UNIT_ATTENTION 0x29 0x03 -- sg_raw "$a0" 00 00 00 00 00 00
expect_good -- sg_raw "$a0" 00 00 00 00 00 00
ok "LU reset released the reservation; BUS DEVICE RESET FUNCTION OCCURRED on both nexuses"

echo "== MODE PARAMETERS CHANGED goes to the other nexus"
# MODE SENSE(6) caching page, then MODE SELECT(6) it back with WCE toggled
hex=$(received_hex -r 252 "$a0" 1a 08 08 00 fc 00)
[ -n "$hex" ] || die "MODE SENSE(6) caching page returned nothing"
page=${hex:8}        # after the 4-byte header (DBD=1: no block descriptor)
plen=$((16#${page:2:2} + 2))
page=${page:0:$((plen * 2))}
wce=$((16#${page:4:2} & 0x04))
pc=$(printf '%02x' $((16#${page:0:2} & 0x3f)))
b2=$(printf '%02x' $((16#${page:4:2} ^ 0x04)))
echo "00000000${pc}${page:2:2}${b2}${page:6}" | xxd -r -p >/tmp/ms.bin
n=$((4 + plen))
[ "$(stat -c %s /tmp/ms.bin)" = $n ] || die "MODE SELECT parameter list is $(stat -c %s /tmp/ms.bin) bytes, want $n"
expect_good -- sg_raw -s $n -i /tmp/ms.bin "$a0" 15 10 00 00 $(printf '%02x' $n) 00
expect_good -- sg_raw "$a0" 00 00 00 00 00 00
expect_sense UNIT_ATTENTION 0x2a 0x01 -- sg_raw "$b0" 00 00 00 00 00 00
hex=$(received_hex -r 252 "$b0" 1a 08 08 00 fc 00)
[ $((16#${hex:12:2} & 0x04)) != "$wce" ] || die "WCE did not change"
ok "MODE SELECT by ini1 changed WCE, ini2 got 2A/01, ini1 did not"

echo "== statistics"
before=$(sed -n 's/^read_bytes //p' "$CFS/devices/nullio/n0/stats")
lbefore=$(sed -n 's/^read_bytes //p' "$T/luns/5/stats")
d=$(sd_of_lun "$h1" 5) || die "no sd for $h1:5"
run dd if="$d" of=/dev/null bs=64k count=16 iflag=direct status=none
after=$(sed -n 's/^read_bytes //p' "$CFS/devices/nullio/n0/stats")
lafter=$(sed -n 's/^read_bytes //p' "$T/luns/5/stats")
[ $((after - before)) = 1048576 ] || die "device read_bytes grew by $((after - before)), want 1048576"
[ $((lafter - lbefore)) = 1048576 ] || die "LUN read_bytes grew by $((lafter - lbefore)), want 1048576"
grep -q '^commands [1-9]' "$T/sessions/iqn.test:ini1/stats" || die "session stats empty"
grep -q '^latency_avg_us [0-9]' "$CFS/devices/nullio/n0/stats" || die "no latency in stats"
ok "device and LUN statistics count exactly the bytes read"

echo "== teardown"
run rmdir "$T/sessions/iqn.test:ini1" "$T/sessions/iqn.test:ini2"
run rm "$T/luns/0/device" "$T/luns/5/device" "$T/ini_groups/g2/luns/0/device" "$T/ini_groups/g2/luns/3/device"
run rmdir "$T/luns/0" "$T/luns/5" "$T/ini_groups/g2/luns/0" "$T/ini_groups/g2/luns/3"
run rmdir "$T/ini_groups/g2/initiators/iqn.test:ini2" "$T/ini_groups/g2" "$T"
cfs_write "$CFS/devices/ramdisk/rd0/enable" 0
run rmdir "$CFS/devices/ramdisk/rd0" "$CFS/devices/nullio/n0"
unload_modules || die "modules did not unload"
ok "all done"
