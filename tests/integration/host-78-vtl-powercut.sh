#!/bin/bash
# Power cut under a writing VTL, over two boots (run on the host by
# tests/run-all.sh after the VM stage; it boots the VM twice itself).
# Cartridges live on ext4 on a virtio disk (SCSTU_VM_DISK) that survives
# the VM. Boot 1 writes files to /dev/nstN (st closes each with WRITE
# FILEMARKS, not IMMED: a commit point), keeps writing a large file and
# cuts the power (sysrq b; qemu -no-reboot exits at once). Boot 2: ext4
# replays its journal, scstu-vtl reloads the cartridge the state puts in
# the drive, every file before the last completed filemark reads back
# byte for byte, the interrupted file is a whole-block prefix, the tape
# ends at a valid EOD, the library state is sane and appending works.
#
#   tests/integration/host-78-vtl-powercut.sh           on the host
#   (inside the VM it is run as  ... boot1 / boot2)
# Environment: SCSTU_HOST_TEST_DIR (work directory, default
# build/vm/host-78).
# scstu-test-timeout: 700
set -u

if [ "${SCSTU_IN_VM:-0}" != 1 ]; then
	# ---- host side ----------------------------------------------------
	ROOT=$(cd "$(dirname "$0")/../.." && pwd)
	D=${SCSTU_HOST_TEST_DIR:-$ROOT/build/vm/host-78}
	rm -rf "$D"
	mkdir -p "$D/boot1" "$D/boot2"
	D=$(readlink -f "$D")
	fail() { echo "FAIL: $*"; exit 1; }
	truncate -s 256M "$D/disk.img" || fail "cannot make the disk image"
	mkfs.ext4 -q -F "$D/disk.img" || fail "mkfs.ext4"
	export SCSTU_VM_DISK=$D/disk.img SCSTU_PC_BOOT1=$D/boot1
	export SCSTU_VM_KEEP=$D SCSTU_VM_TIMEOUT=${SCSTU_PC_VM_TIMEOUT:-320}
	echo "== boot 1: write, then cut the power"
	SCSTU_RESULTS=$D/boot1 bash "$ROOT/tests/vm/vm.sh" "$0" boot1
	echo "vm.sh exit $? (no exit code is expected: the power was cut)"
	sed 's/^/  boot1: /' "$D/boot1/boot1.log" 2>/dev/null | tail -30
	[ "$(cat "$D/boot1/stage" 2>/dev/null)" = cut ] ||
		fail "boot 1 did not reach the power cut (see $D/boot1)"
	[ ! -s "$D/boot1/.vm/rc" ] || fail "boot 1 ended normally: the power cut did not happen"
	echo "== boot 2: recover and check"
	SCSTU_RESULTS=$D/boot2 bash "$ROOT/tests/vm/vm.sh" "$0" boot2
	rc=$?
	sed 's/^/  boot2: /' "$D/boot2/boot2.log" 2>/dev/null
	[ $rc = 0 ] || fail "boot 2 failed (exit $rc; see $D/boot2)"
	echo "ok: power cut survived"
	exit 0
fi

# ---- guest side ---------------------------------------------------------
. "$(dirname "$0")/lib.sh"
stage=$1
exec >"$SCSTU_RESULTS/$stage.log" 2>&1
B1=$SCSTU_PC_BOOT1	# boot 1's results, read-only in boot 2
M=/tmp/pc
mkdir -p $M
modprobe virtio_blk || die "modprobe virtio_blk"
wait_for_path /dev/vda 20 || die "no /dev/vda"
run mount /dev/vda $M
load_modules
vtlr_conf $M p78 128M

if [ "$stage" = boot1 ]; then
	trap 'echo "boot1: exit before the cut"' EXIT
	B1=$SCSTU_RESULTS	# writable here; boot 2 reads it at its host path
	vtlr_start
	vtlr_map p78
	run mtx -f "$VTLR_SGC" load 1 0
	vtlr_ready
	run mt -f "$VTLR_NST" setblk 0
	mkdir -p "$B1/src"
	sizes=(262144 1048576 65536 655360 2097152)
	for i in 0 1 2 3 4; do
		head -c "${sizes[$i]}" /dev/urandom >"$B1/src/f$i"
		sync -f "$B1/src/f$i"
		run dd if="$B1/src/f$i" of="$VTLR_NST" bs=64k status=none
		echo $((i + 1)) >"$B1/committed"
		sync -f "$B1/committed"
	done
	ok "5 files written, each closed by a synchronous filemark"
	head -c $((64 << 20)) /dev/urandom >"$B1/src/f5"
	sync -f "$B1/src/f5"
	st=$CFS/devices/user/p78-d0/stats
	w0=$(sed -n 's/^write_commands //p' $st)
	dd if="$B1/src/f5" of="$VTLR_NST" bs=64k status=none &
	for ((i = 0; i < 300; i++)); do
		w=$(sed -n 's/^write_commands //p' $st)
		[ $((w - w0)) -ge 20 ] && break
		sleep 0.05
	done
	echo "power cut after $((w - w0)) WRITE commands of file 5"
	echo cut >"$SCSTU_RESULTS/stage"
	sync -f "$SCSTU_RESULTS/stage"
	sync -f "$SCSTU_RESULTS/boot1.log"
	echo b >/proc/sysrq-trigger
	sleep 30
	die "still alive after sysrq b"
fi

# boot 2
trap 'user_stop_all; cfs_teardown' EXIT
n=$(cat "$B1/committed") || die "boot 1 left no count"
echo "boot 1 committed $n files"
vtlr_start
vtlr_map p78
out=$(mtx -f "$VTLR_SGC" status) || die "mtx status: $out"
echo "$out"
echo "$out" | grep -q "Data Transfer Element 0:Full (Storage Element 1 Loaded):VolumeTag = VR0000L8" ||
	die "the library does not have VR0000L8 in drive 0"
for s in 2 3 4; do
	echo "$out" | grep -q "Storage Element $s:Full :VolumeTag=VR000$((s - 1))L8" ||
		die "slot $s is not as before the cut"
done
ok "library state: VR0000L8 in drive 0 (from slot 1), the rest in their slots"
vtlr_ready
run mt -f "$VTLR_NST" rewind
for ((i = 0; i < n; i++)); do
	rm -f /tmp/r
	run dd if="$VTLR_NST" of=/tmp/r bs=64k status=none
	cmp "$B1/src/f$i" /tmp/r || die "file $i differs after the power cut"
done
ok "the $n committed files read back byte for byte"
rm -f /tmp/r
dd if="$VTLR_NST" of=/tmp/r bs=64k status=none
p=$(stat -c %s /tmp/r)
cmp -n "$p" "$B1/src/f5" /tmp/r || die "file 5 is not a prefix of what was written"
[ $((p % 65536)) = 0 ] || die "file 5 ends in half a block ($p bytes)"
ok "the interrupted file is a whole-block prefix ($p bytes)"
run mt -f "$VTLR_NST" rewind
run mt -f "$VTLR_NST" eod
out=$(mt -f "$VTLR_NST" status)
fe=$(echo "$out" | sed -n 's/^File number=\([0-9]*\),.*/\1/p')
# file 5 ends unterminated, or (if all of it and its filemark made it to
# the disk before the cut) with its filemark
if [ "$fe" = "$n" ]; then
	:
elif [ "$fe" = $((n + 1)) ] && [ "$p" = $((64 << 20)) ]; then
	echo "(file 5 was complete with its filemark before the cut)"
else
	die "mt eod: $out"
fi
expect_sense BLANK_CHECK 0x00 0x05 -- sg_raw -r 65536 "$VTLR_SGT" 08 00 01 00 00 00
ok "valid EOD in file $fe"
head -c 200000 /dev/urandom >/tmp/f6
run mt -f "$VTLR_NST" eod
run dd if=/tmp/f6 of="$VTLR_NST" bs=64k status=none
run mt -f "$VTLR_NST" rewind
run mt -f "$VTLR_NST" fsf "$fe"
if [ "$fe" = "$n" ]; then
	{ head -c "$p" "$B1/src/f5"; cat /tmp/f6; } >/tmp/f56
else
	cp /tmp/f6 /tmp/f56
fi
rm -f /tmp/r
run dd if="$VTLR_NST" of=/tmp/r bs=64k status=none
cmp /tmp/f56 /tmp/r || die "data appended after the recovery differs"
ok "appending after the recovery works"
run vtlr_ctl list
vtlr_kill TERM
run umount $M
dmesg >/tmp/dmesg
bash "$ROOT/tests/vm/guest-runner.sh" --check-dmesg /tmp/dmesg ||
	die "kernel problem in dmesg"
trap - EXIT
ok "boot 2 done"
echo 0 >/dev/null
