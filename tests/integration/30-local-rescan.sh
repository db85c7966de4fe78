#!/bin/bash
# scstu_local: LUN changes reach the Linux initiator.
#  auto_rescan=1: a new LUN appears as /dev/sdX within seconds, a removed one
#    disappears; moving the initiator into a group swaps its LUN set.
#  auto_rescan=0: nothing is rescanned; existing LUNs get REPORTED LUNS DATA
#    HAS CHANGED (3F/0E); a removed LUN's stale /dev/sgN answers INQUIRY with
#    peripheral qualifier 3 and TEST UNIT READY with 05/25/00.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/rt
A=iqn.2026-11.org.scstu:rescan-a

luns_of() {
	local d found=()
	for d in /sys/class/scsi_device/"$1":*; do
		[ -e "$d" ] && found+=("${d##*:}")
	done
	[ ${#found[@]} -gt 0 ] || return 0
	printf "%s\n" "${found[@]}" | sort -n | tr '\n' ' '
}

# wait_luns HOSTNO "L1 L2 ... " [TIMEOUT]: until the host has exactly these
# LUNs; prints how long it took (tenths of seconds) in $WAITED
wait_luns() {
	local i
	for ((i = 0; i < ${3:-30} * 10; i++)); do
		if [ "$(luns_of "$1")" = "$2" ]; then
			WAITED=$i
			return 0
		fi
		sleep 0.1
	done
	echo "host$1 has LUNs '$(luns_of "$1")', want '$2'" >&2
	return 1
}

# inquiry_byte0 SG: first byte of the standard INQUIRY data, two hex digits
inquiry_byte0() {
	sg_raw -r 36 "$1" 12 00 00 00 24 00 2>&1 |
		awk '/Received [0-9]+ bytes/ { on = 1; next } on && /^ +[0-9a-f]+ +[0-9a-f][0-9a-f]/ { print $2; exit }'
}

# clear_uas SG: eat the unit attentions pending on a LUN
clear_uas() {
	local i
	for i in 1 2 3 4 5 6; do
		sg_turs "$1" >/dev/null 2>&1 && return 0
	done
	return 1
}

load_modules

echo "== setup"
for d in rd0 rd1 rd2; do
	run mkdir "$CFS/devices/ramdisk/$d"
	cfs_write "$CFS/devices/ramdisk/$d/size" $((8 << 20))
	cfs_write "$CFS/devices/ramdisk/$d/enable" 1
done
run mkdir "$T" "$T/luns/0"
run ln -s "$CFS/devices/ramdisk/rd0" "$T/luns/0/device"
run mkdir "$T/sessions/$A"
h=$(cat "$T/sessions/$A/host") || die "no host attribute"
wait_luns "$h" "0 " || die "initial scan"
s0=$(sg_of_lun "$h" 0) || die "no sg for LUN 0"
clear_uas "$s0" || die "LUN 0 not ready"
ok "host$h with LUN 0 ($s0)"

echo "== auto_rescan=1: hot add and hot remove"
[ "$(cat "$T/auto_rescan")" = 1 ] || die "auto_rescan is not 1 by default"
run mkdir "$T/luns/3"
run ln -s "$CFS/devices/ramdisk/rd1" "$T/luns/3/device"
wait_luns "$h" "0 3 " 10 || die "LUN 3 did not appear"
sd3=$(sd_of_lun "$h" 3) || die "no /dev/sdX for LUN 3"
ok "LUN 3 appeared as $sd3 after $((WAITED / 10)).$((WAITED % 10)) s"
run dd if="$sd3" of=/dev/null bs=64k count=4 iflag=direct status=none
sg3=$(sg_of_lun "$h" 3) || die "no sg for LUN 3"
run rm "$T/luns/3/device"
wait_luns "$h" "0 " 10 || die "LUN 3 did not go away"
ok "LUN 3 disappeared after $((WAITED / 10)).$((WAITED % 10)) s"
for i in $(seq 50); do [ -e "$sd3" ] || [ -e "$sg3" ] || break; sleep 0.1; done
[ -e "$sd3" ] && die "$sd3 still exists"
[ -e "$sg3" ] && die "$sg3 still exists"
ok "$sd3 and $sg3 are gone"
run rmdir "$T/luns/3"
# the LUN 0 device was not touched by the rescans
[ "$(sg_of_lun "$h" 0)" = "$s0" ] || die "LUN 0 was re-created"
clear_uas "$s0" || die "LUN 0 unusable after the rescans"
ok "LUN 0 kept its device"

echo "== auto_rescan=1: a LUN above 255 (flat space addressing)"
run mkdir "$T/luns/300"
run ln -s "$CFS/devices/ramdisk/rd1" "$T/luns/300/device"
# Linux names it by its integer form, 0x4000 | 300
wait_luns "$h" "0 $((0x4000 | 300)) " 10 || die "LUN 300 did not appear"
sd300=$(sd_of_lun "$h" $((0x4000 | 300))) || die "no /dev/sdX for LUN 300"
head -c 65536 /dev/urandom >/tmp/30-rescan.pat
run dd if=/tmp/30-rescan.pat of="$sd300" bs=64k count=1 oflag=direct status=none
run dd if="$sd300" of=/tmp/30-rescan.back bs=64k count=1 iflag=direct status=none
cmp -s /tmp/30-rescan.pat /tmp/30-rescan.back || die "data mismatch on LUN 300"
got=$(sg_luns "$s0" | sed -n 's/^ *\([0-9a-f]\{16\}\).*/\1/p' | tr '\n' ' ')
[ "$got" = "0000000000000000 412c000000000000 " ] || die "REPORT LUNS: '$got'"
run rm "$T/luns/300/device"
wait_luns "$h" "0 " 10 || die "LUN 300 did not go away"
run rmdir "$T/luns/300"
clear_uas "$s0" || die "LUN 0 not ready"
ok "LUN 300 came and went as $h:0:0:$((0x4000 | 300)), REPORT LUNS entry 412c..."

echo "== auto_rescan=1: an initiator group swaps the LUN set"
run mkdir "$T/ini_groups/g" "$T/ini_groups/g/luns/5"
run ln -s "$CFS/devices/ramdisk/rd2" "$T/ini_groups/g/luns/5/device"
run mkdir "$T/ini_groups/g/initiators/$A"
wait_luns "$h" "5 " 10 || die "joining the group did not switch to LUN 5"
ok "in the group: LUN 0 removed, LUN 5 added"
run rmdir "$T/ini_groups/g/initiators/$A"
wait_luns "$h" "0 " 10 || die "leaving the group did not switch back to LUN 0"
ok "out of the group: back to LUN 0"
run rm "$T/ini_groups/g/luns/5/device"
run rmdir "$T/ini_groups/g/luns/5" "$T/ini_groups/g"
s0=$(sg_of_lun "$h" 0) || die "no sg for LUN 0"
clear_uas "$s0" || die "LUN 0 not ready"

echo "== auto_rescan=0: unit attentions instead of rescans"
cfs_write "$T/auto_rescan" 0
[ "$(cat "$T/auto_rescan")" = 0 ] || die "auto_rescan reads back $(cat "$T/auto_rescan")"
if echo 2 >"$T/auto_rescan" 2>/dev/null; then die "auto_rescan accepted 2"; fi
run mkdir "$T/luns/4"
run ln -s "$CFS/devices/ramdisk/rd1" "$T/luns/4/device"
sleep 3
[ "$(luns_of "$h")" = "0 " ] || die "LUN set changed with auto_rescan=0: $(luns_of "$h")"
ok "no rescan: host$h still has only LUN 0"
expect_sense UNIT_ATTENTION 0x3f 0x0e -- sg_raw "$s0" 00 00 00 00 00 00
expect_good -- sg_raw "$s0" 00 00 00 00 00 00
ok "LUN 0 got REPORTED LUNS DATA HAS CHANGED once"
got=$(sg_luns "$s0" | sed -n 's/^ *\([0-9a-f]\{16\}\).*/\1/p' | tr '\n' ' ')
[ "$got" = "0000000000000000 0004000000000000 " ] || die "REPORT LUNS: '$got'"
ok "REPORT LUNS lists the new LUN 4"
# the administrator rescans by hand
echo "- - -" >/sys/class/scsi_host/host$h/scan || die "manual scan failed"
wait_luns "$h" "0 4 " 10 || die "manual scan did not add LUN 4"
s4=$(sg_of_lun "$h" 4) || die "no sg for LUN 4"
clear_uas "$s4" || die "LUN 4 not ready"
ok "manual scan added LUN 4 ($s4)"
run rm "$T/luns/4/device"
sleep 2
[ "$(luns_of "$h")" = "0 4 " ] || die "LUN 4's device was removed with auto_rescan=0"
[ "$(inquiry_byte0 "$s4")" = 7f ] || die "INQUIRY on stale $s4: byte 0 is $(inquiry_byte0 "$s4"), want 7f"
out=$(sg_inq "$s4" 2>&1)
echo "$out" | sed 's/^/    /'
echo "$out" | grep -q 'PQual=3' || die "sg_inq on stale $s4 does not show PQual=3"
ok "stale $s4: INQUIRY peripheral qualifier 3, device type 1f"
expect_sense ILLEGAL_REQUEST 0x25 0x00 -- sg_raw "$s4" 00 00 00 00 00 00
expect_sense ILLEGAL_REQUEST 0x25 0x00 -- sg_raw -r 512 "$s4" 28 00 00 00 00 00 00 00 01 00
ok "stale $s4: LOGICAL UNIT NOT SUPPORTED"
expect_sense UNIT_ATTENTION 0x3f 0x0e -- sg_raw "$s0" 00 00 00 00 00 00
expect_good -- sg_raw "$s0" 00 00 00 00 00 00
ok "removing LUN 4 raised 3F/0E on LUN 0"
echo 1 >/sys/class/scsi_device/"$h":0:0:4/device/delete || die "deleting the stale device failed"
wait_luns "$h" "0 " 10 || die "stale device did not go away"
run rmdir "$T/luns/4"

echo "== races: sessions removed while scanning and rescanning"
cfs_write "$T/auto_rescan" 1
for i in 1 2 3 4 5; do
	mkdir "$T/sessions/$A-race" "$T/luns/9" || die "mkdir"
	ln -s "$CFS/devices/ramdisk/rd1" "$T/luns/9/device" || die "ln"
	rmdir "$T/sessions/$A-race" || die "rmdir session"
	rm "$T/luns/9/device" && rmdir "$T/luns/9" || die "rm LUN 9"
done
nh=0
for d in /sys/class/scsi_host/host*; do
	[ "$(cat "$d/proc_name")" = scstu_local ] && nh=$((nh + 1))
done
[ $nh = 1 ] || die "$nh scstu_local hosts, want 1"
wait_luns "$h" "0 " 10 || die "host$h did not settle on LUN 0"
s0=$(sg_of_lun "$h" 0) || die "no sg for LUN 0"
clear_uas "$s0" || die "LUN 0 unusable"
ok "5 sessions created and removed during scans and LUN changes; host$h settled"

echo "== teardown"
run rmdir "$T/sessions/$A"
run rm "$T/luns/0/device"
run rmdir "$T/luns/0" "$T"
for d in rd0 rd1 rd2; do
	cfs_write "$CFS/devices/ramdisk/$d/enable" 0
	run rmdir "$CFS/devices/ramdisk/$d"
done
unload_modules || die "modules did not unload"
ok "all done"
