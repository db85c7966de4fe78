#!/bin/bash
# scstu_local: load and unload the modules 12 times with a ramdisk, a nullio
# device, a target with two LUNs and two sessions configured and torn down
# each time. rmmod while sessions (or targets) exist is refused with EBUSY
# and leaves everything working. Nothing may be left behind (hosts, root
# device, configfs entries, slab caches) and the kernel log must stay clean
# (the harness fails the test on any warning).
#
# Every program started costs ~0.1 s under TCG: the loop uses shell builtins
# where it can, and checks I/O in the first, middle and last round.
. "$(dirname "$0")/lib.sh"
set -u

ROUNDS=${SCSTU_MODLOAD_ROUNDS:-12}
T=$CFS/targets/local/mt
A=iqn.2026-11.org.scstu:mod-a
B=iqn.2026-11.org.scstu:mod-b
RD=$CFS/devices/ramdisk/rd0
N0=$CFS/devices/nullio/n0

# loaded MODULE: is it in /proc/modules (builtin only)
loaded() {
	local m rest
	while read -r m rest; do
		[ "$m" = "$1" ] && return 0
	done </proc/modules
	return 1
}

# our_hosts: number of SCSI hosts with proc_name scstu_local
our_hosts() {
	local h n=0 p
	for h in /sys/class/scsi_host/host*; do
		[ -e "$h/proc_name" ] || continue
		read -r p <"$h/proc_name"
		[ "$p" = scstu_local ] && n=$((n + 1))
	done
	echo $n
}

# nr_sdevs: number of SCSI devices (builtin only)
nr_sdevs() {
	local d n=0
	for d in /sys/class/scsi_device/*; do
		[ -e "$d" ] && n=$((n + 1))
	done
	echo $n
}

# wait_sdevs N: until there are N SCSI devices (20 s)
wait_sdevs() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(nr_sdevs)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# rmmod_busy MODULE: rmmod must fail because the module is in use
rmmod_busy() {
	local err
	err=$(rmmod "$1" 2>&1) && die "rmmod $1 succeeded while in use"
	echo "   rmmod $1: $err"
	case "$err" in
	*"in use"*) ;;
	*) die "rmmod $1: '$err', want 'in use' (EBUSY)" ;;
	esac
	loaded "$1" || die "$1 is gone after a refused rmmod"
}

setup() {
	mkdir "$RD" "$N0" || die "mkdir devices"
	echo $((8 << 20)) >"$RD/size" && echo $((1 << 30)) >"$N0/size" &&
		echo 1 >"$RD/enable" && echo 1 >"$N0/enable" || die "device setup"
	mkdir "$T" "$T/luns/0" "$T/luns/1" || die "mkdir target"
	ln -s "$RD" "$T/luns/0/device" || die "LUN 0 link"
	ln -s "$N0" "$T/luns/1/device" || die "LUN 1 link"
	mkdir "$T/sessions/$A" "$T/sessions/$B" || die "mkdir sessions"
	read -r ha <"$T/sessions/$A/host" && read -r hb <"$T/sessions/$B/host" ||
		die "host attributes"
}

teardown() {
	rmdir "$T/sessions/$A" "$T/sessions/$B" || die "rmdir sessions"
	rm "$T/luns/0/device" "$T/luns/1/device" || die "rm LUN links"
	rmdir "$T/luns/0" "$T/luns/1" "$T" || die "rmdir target"
	echo 0 >"$RD/enable" && echo 0 >"$N0/enable" || die "disable devices"
	rmdir "$RD" "$N0" || die "rmdir devices"
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
[ "$(nr_sdevs)" = 0 ] || die "SCSI devices exist before the test"

for ((r = 1; r <= ROUNDS; r++)); do
	for m in scstu scstu_null scstu_local; do
		insmod "$ROOT/kernel/$m.ko" || die "round $r: insmod $m"
	done
	setup
	wait_sdevs 4 || die "round $r: $(nr_sdevs) SCSI devices, want 4"
	if [ $r = 1 ] || [ $r = $((ROUNDS / 2)) ] || [ $r = "$ROUNDS" ]; then
		io "$ha"
		io "$hb"
	fi
	if [ $r = 1 ] || [ $r = "$ROUNDS" ]; then
		# everything is pinned while sessions exist
		rmmod_busy scstu_local
		rmmod_busy scstu_null
		rmmod_busy scstu
		io "$ha"
		io "$hb"
		[ "$(our_hosts)" = 2 ] || die "round $r: $(our_hosts) scstu_local hosts after refused rmmods"
		# a target without sessions still pins the driver
		rmdir "$T/sessions/$A" "$T/sessions/$B" || die "rmdir sessions"
		[ "$(nr_sdevs)" = 0 ] || die "round $r: devices left after removing the sessions"
		rmmod_busy scstu_local
		mkdir "$T/sessions/$A" "$T/sessions/$B" || die "mkdir sessions again"
		read -r ha <"$T/sessions/$A/host" && read -r hb <"$T/sessions/$B/host" ||
			die "host attributes"
		wait_sdevs 4 || die "round $r: devices did not come back"
		io "$ha"
		io "$hb"
		ok "round $r: rmmod refused with EBUSY while configured, I/O still works"
	fi
	teardown
	[ "$(nr_sdevs)" = 0 ] || die "round $r: SCSI devices left after teardown"
	[ "$(our_hosts)" = 0 ] || die "round $r: scstu_local hosts left after teardown"
	rmmod scstu_local scstu_null scstu || die "round $r: rmmod failed"
	for m in scstu_local scstu_null scstu; do
		loaded $m && die "round $r: $m still loaded"
	done
	[ -e /sys/devices/scstu_local ] && die "round $r: root device left behind"
	[ -e "$CFS" ] && die "round $r: $CFS left behind"
	echo "round $r ok (uptime $(cut -d' ' -f1 /proc/uptime))"
done
slabs_after=$(grep -c -i scstu /proc/slabinfo)
[ "$slabs_after" = "$slabs_before" ] || die "slab caches: $slabs_before before, $slabs_after after"
ok "$ROUNDS load/configure/unload rounds, nothing left behind"
