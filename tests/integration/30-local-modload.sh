#!/bin/bash
# scstu_local: load and unload the modules 20 times with a ramdisk, a nullio
# device, a target with two LUNs and two sessions configured and torn down
# each time. rmmod while sessions (or targets) exist is refused with EBUSY
# and leaves everything working. Nothing may be left behind (hosts, root
# device, configfs entries, slab caches) and the kernel log must stay clean
# (the harness fails the test on any warning).
. "$(dirname "$0")/lib.sh"
set -u

ROUNDS=${SCSTU_MODLOAD_ROUNDS:-20}
T=$CFS/targets/local/mt
A=iqn.2026-11.org.scstu:mod-a
B=iqn.2026-11.org.scstu:mod-b

our_hosts() {
	local h n=0
	for h in /sys/class/scsi_host/host*; do
		[ -e "$h/proc_name" ] || continue
		[ "$(cat "$h/proc_name")" = scstu_local ] && n=$((n + 1))
	done
	echo $n
}

# rmmod_busy MODULE: rmmod must fail because the module is in use
rmmod_busy() {
	local err
	err=$(rmmod "$1" 2>&1) && die "rmmod $1 succeeded while in use"
	echo "$err" | grep -qi "in use" || die "rmmod $1: '$err', want 'in use' (EBUSY)"
	grep -q "^$1 " /proc/modules || die "$1 is gone after a refused rmmod"
}

setup() {
	mkdir "$CFS/devices/ramdisk/rd0" "$CFS/devices/nullio/n0" || die "mkdir devices"
	echo $((8 << 20)) >"$CFS/devices/ramdisk/rd0/size" &&
		echo $((1 << 30)) >"$CFS/devices/nullio/n0/size" &&
		echo 1 >"$CFS/devices/ramdisk/rd0/enable" &&
		echo 1 >"$CFS/devices/nullio/n0/enable" || die "device setup"
	mkdir "$T" "$T/luns/0" "$T/luns/1" || die "mkdir target"
	ln -s "$CFS/devices/ramdisk/rd0" "$T/luns/0/device" &&
		ln -s "$CFS/devices/nullio/n0" "$T/luns/1/device" || die "LUN links"
	mkdir "$T/sessions/$A" "$T/sessions/$B" || die "mkdir sessions"
}

teardown() {
	rmdir "$T/sessions/$A" "$T/sessions/$B" || die "rmdir sessions"
	rm "$T/luns/0/device" "$T/luns/1/device" || die "rm LUN links"
	rmdir "$T/luns/0" "$T/luns/1" "$T" || die "rmdir target"
	echo 0 >"$CFS/devices/ramdisk/rd0/enable" &&
		echo 0 >"$CFS/devices/nullio/n0/enable" || die "disable devices"
	rmdir "$CFS/devices/ramdisk/rd0" "$CFS/devices/nullio/n0" || die "rmdir devices"
}

# io HOSTNO: a write/read round trip on LUN 0 and a read on LUN 1
io() {
	local sd0 sd1
	sd0=$(sd_of_lun "$1" 0) && sd1=$(sd_of_lun "$1" 1) || die "sd nodes of host$1"
	head -c 4096 /dev/urandom >/tmp/30-mod.pat
	dd if=/tmp/30-mod.pat of="$sd0" bs=4k count=1 oflag=direct status=none &&
		dd if="$sd0" of=/tmp/30-mod.back bs=4k count=1 iflag=direct status=none &&
		cmp -s /tmp/30-mod.pat /tmp/30-mod.back || die "I/O on $sd0 failed"
	dd if="$sd1" of=/dev/null bs=64k count=4 iflag=direct status=none || die "read from $sd1 failed"
}

load_modules
unload_modules || die "cannot unload the modules before the loop"
slabs_before=$(grep -c -i scstu /proc/slabinfo)

for ((r = 1; r <= ROUNDS; r++)); do
	load_modules
	setup
	ha=$(cat "$T/sessions/$A/host") && hb=$(cat "$T/sessions/$B/host") || die "host attributes"
	wait_for_scsi_devices 4 || die "round $r: devices did not appear"
	io "$ha"
	io "$hb"
	if [ $r = 1 ] || [ $r = $ROUNDS ]; then
		# everything is pinned while sessions exist
		rmmod_busy scstu_local
		rmmod_busy scstu_null
		rmmod_busy scstu
		io "$ha"
		io "$hb"
		[ "$(our_hosts)" = 2 ] || die "round $r: $(our_hosts) scstu_local hosts after refused rmmods"
		# a target without sessions still pins the driver
		rmdir "$T/sessions/$A" "$T/sessions/$B" || die "rmdir sessions"
		rmmod_busy scstu_local
		mkdir "$T/sessions/$A" "$T/sessions/$B" || die "mkdir sessions again"
		ha=$(cat "$T/sessions/$A/host") && hb=$(cat "$T/sessions/$B/host") || die "host attributes"
		wait_for_scsi_devices 4 || die "round $r: devices did not come back"
		io "$ha"
		io "$hb"
		ok "round $r: rmmod refused with EBUSY while configured, I/O still works"
	fi
	teardown
	[ "$(our_hosts)" = 0 ] || die "round $r: scstu_local hosts left after teardown"
	unload_modules || die "round $r: modules did not unload"
	for m in scstu_local scstu_null scstu; do
		grep -q "^$m " /proc/modules && die "round $r: $m still loaded"
	done
	[ -e /sys/devices/scstu_local ] && die "round $r: root device left behind"
	[ -e "$CFS" ] && die "round $r: $CFS left behind"
	echo "round $r ok"
done
slabs_after=$(grep -c -i scstu /proc/slabinfo)
[ "$slabs_after" = "$slabs_before" ] || die "slab caches: $slabs_before before, $slabs_after after"
left=$(find /sys/class/scsi_device/ -mindepth 1 -maxdepth 1 2>/dev/null)
[ -z "$left" ] || die "SCSI devices left: $left"
ok "$ROUNDS load/configure/unload rounds, nothing left behind"
