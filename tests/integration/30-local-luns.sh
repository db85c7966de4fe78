#!/bin/bash
# scstu_local: two sessions (= two SCSI hosts) with different initiator names
# on one target, one of them in an initiator group with another LUN set.
# Each host sees exactly its LUNs (sysfs, lsscsi, REPORT LUNS, the session's
# luns attribute), a group LUN really reaches the group's device, and
# read-only mappings refuse writes with DATA PROTECT / WRITE PROTECTED (07/27/00)
# and report WP in MODE SENSE.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/lt
A=iqn.2026-11.org.scstu:luns-a
B=iqn.2026-11.org.scstu:luns-b

# luns_of HOSTNO: the LUN numbers of the host's SCSI devices, sorted, one line
luns_of() {
	local d found=()
	for d in /sys/class/scsi_device/"$1":*; do
		[ -e "$d" ] && found+=("${d##*:}")
	done
	[ ${#found[@]} -gt 0 ] || return 0
	printf "%s\n" "${found[@]}" | sort -n | tr '\n' ' '
}

# wait_luns HOSTNO "L1 L2 ... " [TIMEOUT]: until the host has exactly these LUNs
wait_luns() {
	local i
	for ((i = 0; i < ${3:-30} * 10; i++)); do
		[ "$(luns_of "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	echo "host$1 has LUNs '$(luns_of "$1")', want '$2'" >&2
	return 1
}

# report_luns SG: the LUN numbers in the REPORT LUNS answer, one line
report_luns() {
	sg_luns "$1" | sed -n 's/^ *\([0-9a-f]\{16\}\).*/\1/p' |
		while read -r l; do echo $((16#${l:0:4} & 0x3fff)); done |
		tr '\n' ' '
}

load_modules
grep -q "^scstu_local " /proc/modules || die "scstu_local not loaded"
[ -d "$CFS/targets/local" ] || die "no targets/local in configfs"

echo "== setup"
run mkdir "$CFS/devices/ramdisk/rd0" "$CFS/devices/ramdisk/rd1" "$CFS/devices/nullio/n0"
cfs_write "$CFS/devices/ramdisk/rd0/size" $((16 << 20))
cfs_write "$CFS/devices/ramdisk/rd1/size" $((16 << 20))
cfs_write "$CFS/devices/nullio/n0/size" $((1 << 30))
for d in ramdisk/rd0 ramdisk/rd1 nullio/n0; do
	cfs_write "$CFS/devices/$d/enable" 1
done
run mkdir "$T"
[ "$(cat "$T/auto_rescan")" = 1 ] || die "auto_rescan default is not 1"
# default LUN set: 0 -> rd0, 1 -> n0 (read-only), 7 -> rd1
run mkdir "$T/luns/0" "$T/luns/1" "$T/luns/7"
run ln -s "$CFS/devices/ramdisk/rd0" "$T/luns/0/device"
run ln -s "$CFS/devices/nullio/n0" "$T/luns/1/device"
run ln -s "$CFS/devices/ramdisk/rd1" "$T/luns/7/device"
cfs_write "$T/luns/1/read_only" 1
# group gb (initiator B): 0 -> rd1, 2 -> rd0 (read-only)
run mkdir "$T/ini_groups/gb" "$T/ini_groups/gb/initiators/$B"
run mkdir "$T/ini_groups/gb/luns/0" "$T/ini_groups/gb/luns/2"
run ln -s "$CFS/devices/ramdisk/rd1" "$T/ini_groups/gb/luns/0/device"
run ln -s "$CFS/devices/ramdisk/rd0" "$T/ini_groups/gb/luns/2/device"
cfs_write "$T/ini_groups/gb/luns/2/read_only" 1
run mkdir "$T/sessions/$A" "$T/sessions/$B"

ha=$(cat "$T/sessions/$A/host") || die "cannot read host of $A"
hb=$(cat "$T/sessions/$B/host") || die "cannot read host of $B"
echo "session A = host$ha, session B = host$hb"
[ "$ha" != "$hb" ] || die "both sessions report host$ha"
for h in $ha $hb; do
	[ "$(cat /sys/class/scsi_host/host$h/proc_name)" = scstu_local ] ||
		die "host$h proc_name is not scstu_local"
	readlink -f /sys/class/scsi_host/host$h | grep -q '^/sys/devices/scstu_local/host' ||
		die "host$h is not below /sys/devices/scstu_local"
done
ok "one SCSI host per session, below /sys/devices/scstu_local"
# writing to the read-only host attribute must fail
if echo 5 >"$T/sessions/$A/host" 2>/dev/null; then die "host attribute is writable"; fi

echo "== each host sees exactly its LUNs"
wait_luns "$ha" "0 1 7 " || die "host$ha LUNs"
wait_luns "$hb" "0 2 " || die "host$hb LUNs"
udev_settle || die "device nodes missing"
ok "sysfs: host$ha has LUNs 0 1 7, host$hb has LUNs 0 2"
lsscsi >/tmp/30-luns.lsscsi
cat /tmp/30-luns.lsscsi
got=$(sed -n "s/^\[$ha:0:0:\([0-9]*\)\].*/\1/p" /tmp/30-luns.lsscsi | sort -n | tr '\n' ' ')
[ "$got" = "0 1 7 " ] || die "lsscsi: host$ha LUNs '$got'"
got=$(sed -n "s/^\[$hb:0:0:\([0-9]*\)\].*/\1/p" /tmp/30-luns.lsscsi | sort -n | tr '\n' ' ')
[ "$got" = "0 2 " ] || die "lsscsi: host$hb LUNs '$got'"
ok "lsscsi agrees"
[ "$(tr '\n' ' ' <"$T/sessions/$A/luns")" = "0 1 7 " ] || die "luns attribute of $A: $(cat "$T/sessions/$A/luns")"
[ "$(tr '\n' ' ' <"$T/sessions/$B/luns")" = "0 2 " ] || die "luns attribute of $B: $(cat "$T/sessions/$B/luns")"
ok "session luns attributes agree"

a0=$(sg_of_lun "$ha" 0) && a1=$(sg_of_lun "$ha" 1) && a7=$(sg_of_lun "$ha" 7) || die "sg nodes of host$ha"
b0=$(sg_of_lun "$hb" 0) && b2=$(sg_of_lun "$hb" 2) || die "sg nodes of host$hb"
for d in $a0 $a1 $a7 $b0 $b2; do
	sg_turs -n 3 "$d" >/dev/null 2>&1
	got=$(report_luns "$d")
	case $d in
	"$a0" | "$a1" | "$a7") want="0 1 7 " ;;
	*) want="0 2 " ;;
	esac
	[ "$got" = "$want" ] || die "REPORT LUNS on $d: '$got', want '$want'"
done
ok "REPORT LUNS (sg_luns) on every LUN agrees with what the host sees"

echo "== a group LUN reaches the group's device"
sda7=$(sd_of_lun "$ha" 7) && sdb0=$(sd_of_lun "$hb" 0) && sda0=$(sd_of_lun "$ha" 0) &&
	sdb2=$(sd_of_lun "$hb" 2) || die "sd nodes"
head -c 65536 /dev/urandom >/tmp/30-luns.pat
run dd if=/tmp/30-luns.pat of="$sda7" bs=64k count=1 oflag=direct status=none
run dd if="$sdb0" of=/tmp/30-luns.back bs=64k count=1 iflag=direct status=none
cmp /tmp/30-luns.pat /tmp/30-luns.back || die "data written through $A LUN 7 not read back through $B LUN 0"
head -c 65536 /dev/urandom >/tmp/30-luns.pat
run dd if=/tmp/30-luns.pat of="$sda0" bs=64k count=1 oflag=direct status=none
run dd if="$sdb2" of=/tmp/30-luns.back bs=64k count=1 iflag=direct status=none
cmp /tmp/30-luns.pat /tmp/30-luns.back || die "data written through $A LUN 0 not read back through $B LUN 2"
ok "A:7 and B:0 are rd1, A:0 and B:2 are rd0"

echo "== read-only mappings"
for d in $a1 $b2; do
	expect_sense DATA_PROTECT 0x27 0x00 -- sg_raw -s 512 -i /dev/zero "$d" 2a 00 00 00 00 00 00 00 01 00
	expect_sense DATA_PROTECT 0x27 0x00 -- sg_raw -s 512 -i /dev/zero "$d" 8a 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00
	expect_good -- sg_raw -o /dev/null -r 512 "$d" 28 00 00 00 00 00 00 00 01 00
	out=$(sg_modes "$d" 2>&1)
	echo "$out" | grep -q 'WP=1' || { echo "$out"; die "sg_modes on $d does not show WP=1"; }
done
ok "WRITE(10)/WRITE(16) refused with 07/27/00, reads work, sg_modes shows WP=1"
# the same device read-write through another mapping
expect_good -- sg_raw -s 512 -i /dev/zero "$a0" 2a 00 00 00 00 00 00 00 01 00
out=$(sg_modes "$a0" 2>&1)
echo "$out" | grep -q 'WP=0' || { echo "$out"; die "sg_modes on $a0 does not show WP=0"; }
ok "rd0 is writable through $A LUN 0 (WP=0)"
sdb2n=$(basename "$sdb2")
[ "$(cat /sys/block/"$sdb2n"/ro)" = 1 ] || die "sd did not mark $sdb2 read-only"
sda0n=$(basename "$sda0")
[ "$(cat /sys/block/"$sda0n"/ro)" = 0 ] || die "$sda0 is marked read-only"
ok "sd marked $sdb2 read-only from the WP bit, $sda0 read-write"
if dd if=/dev/zero of="$sdb2" bs=4k count=1 oflag=direct status=none 2>/dev/null; then
	die "dd write to read-only $sdb2 succeeded"
fi
ok "a block-layer write to the read-only disk fails"

echo "== teardown"
run rmdir "$T/sessions/$A" "$T/sessions/$B"
[ -d /sys/class/scsi_host/host$ha ] && die "host$ha still there after rmdir of its session"
[ -d /sys/class/scsi_host/host$hb ] && die "host$hb still there after rmdir of its session"
[ -z "$(luns_of "$ha")$(luns_of "$hb")" ] || die "SCSI devices left behind"
ok "session rmdir removed the hosts and their devices"
run rm "$T/luns/0/device" "$T/luns/1/device" "$T/luns/7/device"
run rm "$T/ini_groups/gb/luns/0/device" "$T/ini_groups/gb/luns/2/device"
run rmdir "$T/luns/0" "$T/luns/1" "$T/luns/7" "$T/ini_groups/gb/luns/0" "$T/ini_groups/gb/luns/2"
run rmdir "$T/ini_groups/gb/initiators/$B" "$T/ini_groups/gb" "$T"
for d in ramdisk/rd0 ramdisk/rd1 nullio/n0; do
	cfs_write "$CFS/devices/$d/enable" 0
	run rmdir "$CFS/devices/$d"
done
unload_modules || die "modules did not unload"
ok "all done"
