#!/bin/bash
# scstu_local: task management.
#  - sg_reset -d/-t/-b/-H (no escalation) each succeed, the unit attention
#    the core defines follows on exactly the nexuses it should, and the
#    device stays usable;
#  - a LUN reset while sd I/O is outstanding: the aborted commands come back
#    as TASK ABORTED, sd retries them, the I/O succeeds long before any
#    timeout;
#  - the session's tmf attribute: ABORT TASK SET aborts only this nexus's
#    outstanding commands, CLEAR TASK SET everybody's (the other initiator
#    then gets COMMANDS CLEARED BY ANOTHER INITIATOR), bad requests fail.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/tt
A=iqn.2026-11.org.scstu:tmf-a
B=iqn.2026-11.org.scstu:tmf-b
N0=$CFS/devices/nullio/n0
W=/tmp/30-tmf
mkdir -p $W

clear_uas() {
	local i
	for i in 1 2 3 4 5 6; do
		sg_turs "$1" >/dev/null 2>&1 && return 0
	done
	return 1
}

in_flight() { sed -n 's/^in_flight //p' "$N0/stats"; }

# wait_in_flight N [TIMEOUT]: until n0 has N commands in flight
wait_in_flight() {
	local i
	for ((i = 0; i < ${2:-10} * 10; i++)); do
		[ "$(in_flight)" = "$1" ] && return 0
		sleep 0.1
	done
	echo "n0 in_flight is $(in_flight), want $1" >&2
	return 1
}

# bg_read NAME SG: READ(10) of one block in the background; when it ends,
# $W/NAME.out has sg_raw's output and $W/NAME.ms its end time
bg_read() {
	(
		sg_raw -t 60 -r 512 "$2" 28 00 00 00 00 00 00 00 01 00 >$W/$1.out 2>&1
		echo "exit $?" >>$W/$1.out
		now_ms >$W/$1.ms
	) &
}

# bg_status NAME: the SCSI status sg_raw printed
bg_status() { sed -n 's/^SCSI Status: *//p' $W/$1.out | head -1 | sed 's/[[:space:]]*$//'; }

load_modules

echo "== setup"
run mkdir "$CFS/devices/ramdisk/rd0" "$N0"
cfs_write "$CFS/devices/ramdisk/rd0/size" $((32 << 20))
cfs_write "$N0/size" $((1 << 30))
cfs_write "$CFS/devices/ramdisk/rd0/enable" 1
cfs_write "$N0/enable" 1
run mkdir "$T" "$T/luns/0" "$T/luns/1"
run ln -s "$CFS/devices/ramdisk/rd0" "$T/luns/0/device"
run ln -s "$N0" "$T/luns/1/device"
run mkdir "$T/sessions/$A" "$T/sessions/$B"
ha=$(cat "$T/sessions/$A/host") && hb=$(cat "$T/sessions/$B/host") || die "host attributes"
wait_for_scsi_devices 4 || die "SCSI devices did not appear"
a0=$(sg_of_lun "$ha" 0) && a1=$(sg_of_lun "$ha" 1) || die "sg of host$ha"
b0=$(sg_of_lun "$hb" 0) && b1=$(sg_of_lun "$hb" 1) || die "sg of host$hb"
sa0=$(sd_of_lun "$ha" 0) && sa1=$(sd_of_lun "$ha" 1) || die "sd of host$ha"
for d in $a0 $a1 $b0 $b1; do clear_uas "$d" || die "$d not ready"; done
ok "A = host$ha ($a0 $a1), B = host$hb ($b0 $b1)"

# usable SGA SDA: TUR good and a write/read round trip on the ramdisk works
usable() {
	expect_good -- sg_raw "$1" 00 00 00 00 00 00
	head -c 8192 /dev/urandom >$W/pat
	dd if=$W/pat of="$2" bs=8k count=1 seek=7 oflag=direct status=none || die "write to $2 failed"
	dd if="$2" of=$W/back bs=8k count=1 skip=7 iflag=direct status=none || die "read from $2 failed"
	cmp -s $W/pat $W/back || die "data mismatch on $2"
}

echo "== sg_reset levels"
# level  expected UA on A's LUNs / on B's LUNs (- = none)
for spec in "d 29/03 29/03" "t 29/03 29/03" "b 29/07 -" "H 29/07 -"; do
	set -- $spec
	lvl=$1 ua_a=$2 ua_b=$3
	t0=$(now_ms)
	run sg_reset -N -$lvl "$a0"
	echo "   sg_reset -$lvl took $(($(now_ms) - t0)) ms"
	expect_sense UNIT_ATTENTION 0x${ua_a%/*} 0x${ua_a#*/} -- sg_raw "$a0" 00 00 00 00 00 00
	if [ "$ua_b" = - ]; then
		expect_good -- sg_raw "$b0" 00 00 00 00 00 00
	else
		expect_sense UNIT_ATTENTION 0x${ua_b%/*} 0x${ua_b#*/} -- sg_raw "$b0" 00 00 00 00 00 00
	fi
	# LUN 1 (another device): only the target- and nexus-wide resets reach it
	case $lvl in
	d) expect_good -- sg_raw "$a1" 00 00 00 00 00 00 ;;
	*) expect_sense UNIT_ATTENTION 0x${ua_a%/*} 0x${ua_a#*/} -- sg_raw "$a1" 00 00 00 00 00 00 ;;
	esac
	for d in $a0 $a1 $b0 $b1; do clear_uas "$d" || die "$d not ready after -$lvl"; done
	usable "$a0" "$sa0"
	[ "$(cat /sys/class/scsi_device/"$ha":0:0:0/device/state)" = running ] || die "device not running after -$lvl"
	ok "sg_reset -$lvl: success, UA $ua_a on A, ${ua_b/-/none} on B, device usable"
done

echo "== LUN reset with sd I/O outstanding"
cfs_write "$N0/delay_ms" 300
t0=$(now_ms)
pids=()
for i in 1 2 3; do
	dd if="$sa1" of=/dev/null bs=4k count=10 skip=$((i * 100)) iflag=direct status=none &
	pids+=($!)
done
wait_in_flight 3 || die "the reads did not reach the device"
run sg_reset -N -d "$a1"
for p in "${pids[@]}"; do
	wait "$p" || die "dd failed after the LUN reset"
done
el=$(($(now_ms) - t0))
echo "   3 x 10 reads of 300 ms with a LUN reset took $el ms"
[ $el -lt 25000 ] || die "reads took $el ms: aborted commands waited for a timeout?"
cfs_write "$N0/delay_ms" 0
for d in $a1 $b1; do clear_uas "$d" || die "$d not ready"; done
ok "aborted sd commands were retried and succeeded"

echo "== tmf attribute: ABORT TASK SET"
cfs_write "$N0/delay_ms" 4000
rm -f $W/*.ms
t0=$(now_ms)
bg_read ra1 "$a1"
bg_read ra2 "$a1"
bg_read rb1 "$b1"
wait_in_flight 3 || die "the reads did not reach the device"
cfs_write "$T/sessions/$A/tmf" "abort_task_set 1"
ta=$(now_ms)
echo "   abort_task_set took $((ta - t0)) ms after the start"
wait
for r in ra1 ra2 rb1; do
	echo "   $r: $(bg_status $r), ended after $(($(cat $W/$r.ms) - t0)) ms"
done
for r in ra1 ra2; do
	[ "$(bg_status $r)" = "Task Aborted" ] || { cat $W/$r.out; die "$r: status '$(bg_status $r)', want Task Aborted"; }
	[ $(($(cat $W/$r.ms) - t0)) -lt 3500 ] || die "$r was not aborted early"
done
[ "$(bg_status rb1)" = Good ] || { cat $W/rb1.out; die "B's read: status '$(bg_status rb1)', want Good"; }
[ $(($(cat $W/rb1.ms) - t0)) -ge 3500 ] || die "B's read ended early: it was aborted too"
wait_in_flight 0 || die "commands left in flight"
expect_good -- sg_raw "$b1" 00 00 00 00 00 00
ok "ABORT TASK SET aborted A's two reads only; B's read completed; no UA for B"

echo "== tmf attribute: CLEAR TASK SET"
rm -f $W/*.ms
t0=$(now_ms)
bg_read ca1 "$a1"
bg_read cb1 "$b1"
wait_in_flight 2 || die "the reads did not reach the device"
cfs_write "$T/sessions/$A/tmf" "clear_task_set 1"
wait
for r in ca1 cb1; do
	echo "   $r: $(bg_status $r), ended after $(($(cat $W/$r.ms) - t0)) ms"
	[ "$(bg_status $r)" = "Task Aborted" ] || { cat $W/$r.out; die "$r: status '$(bg_status $r)', want Task Aborted"; }
	[ $(($(cat $W/$r.ms) - t0)) -lt 3500 ] || die "$r was not aborted early"
done
cfs_write "$N0/delay_ms" 0
wait_in_flight 0 || die "commands left in flight"
expect_sense UNIT_ATTENTION 0x2f 0x00 -- sg_raw "$b1" 00 00 00 00 00 00
expect_good -- sg_raw "$b1" 00 00 00 00 00 00
expect_good -- sg_raw "$a1" 00 00 00 00 00 00
ok "CLEAR TASK SET aborted both nexuses' reads; B got 2F/00, A no UA"

echo "== tmf attribute: other functions and errors"
cfs_write "$T/sessions/$A/tmf" "lun_reset 0"
expect_sense UNIT_ATTENTION 0x29 0x03 -- sg_raw "$a0" 00 00 00 00 00 00
expect_sense UNIT_ATTENTION 0x29 0x03 -- sg_raw "$b0" 00 00 00 00 00 00
expect_good -- sg_raw "$a1" 00 00 00 00 00 00
cfs_write "$T/sessions/$B/tmf" "it_nexus_reset"
expect_sense UNIT_ATTENTION 0x29 0x07 -- sg_raw "$b0" 00 00 00 00 00 00
expect_sense UNIT_ATTENTION 0x29 0x07 -- sg_raw "$b1" 00 00 00 00 00 00
expect_good -- sg_raw "$a1" 00 00 00 00 00 00
cfs_write "$T/sessions/$B/tmf" "target_reset"
for d in $a0 $a1 $b0 $b1; do
	expect_sense UNIT_ATTENTION 0x29 0x03 -- sg_raw "$d" 00 00 00 00 00 00
done
for d in $a0 $a1 $b0 $b1; do clear_uas "$d" || die "$d not ready"; done
ok "lun_reset, it_nexus_reset, target_reset through the attribute"
# expect_write_error FILE TEXT ERRNO-MESSAGE
expect_write_error() {
	local err
	err=$( { echo "$2" >"$1"; } 2>&1) && die "writing '$2' to $1 succeeded"
	echo "   '$2': $err"
	echo "$err" | grep -q "$3" || die "writing '$2': '$err', want '$3'"
}
expect_write_error "$T/sessions/$A/tmf" "bogus 1" "Invalid argument"
expect_write_error "$T/sessions/$A/tmf" "abort_task_set" "Invalid argument"
expect_write_error "$T/sessions/$A/tmf" "abort_task_set 99999" "Invalid argument"
expect_write_error "$T/sessions/$A/tmf" "abort_task_set 9" "No such device or address"
ok "bad requests fail with EINVAL, an unmapped LUN with ENXIO"
usable "$a0" "$sa0"

echo "== teardown"
run rmdir "$T/sessions/$A" "$T/sessions/$B"
run rm "$T/luns/0/device" "$T/luns/1/device"
run rmdir "$T/luns/0" "$T/luns/1" "$T"
cfs_write "$CFS/devices/ramdisk/rd0/enable" 0
cfs_write "$N0/enable" 0
run rmdir "$CFS/devices/ramdisk/rd0" "$N0"
unload_modules || die "modules did not unload"
ok "all done"
