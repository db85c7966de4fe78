#!/bin/bash
# Real backup software against the VTL: Bacula's tape test tool, btape
# (the test every Bacula site runs on a new drive: write, rewind,
# re-read, append files, backspace/forward space files and records, EOD,
# fast forward space), on a drive of scstu-vtl through the Linux st
# driver, after mtx loaded the cartridge through the ch/sg driver. Then
# the library's own view: the cartridge holds what btape left, and mtx
# unloads it again after mt offline.
# scstu-test-timeout: 1200
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/74-bacula
T=$CFS/targets/local/bac
LIB=bac
mkdir -p $W/lib $W/bacula
cd $W

trap 'user_stop_all; cfs_teardown' EXIT

load_modules
modprobe st
modprobe ch
modprobe sg

cat >$W/bac.conf <<EOF
[library]
name = $LIB
dir = $W/lib
socket = $W/bac.sock
slots = 4
mailslots = 1

[drive 0]
personality = ibm-lto8
serial = BAC0000001

[cartridges]
create = BAC001L8-BAC004L8
capacity = 512M
EOF

user_start $LIB-d0 "$ROOT/build/vtl/scstu-vtl" -c $W/bac.conf
for ((i = 0; i < 100; i++)); do
	[ "$(cat "$CFS/devices/user/$LIB-ch/state" 2>/dev/null)" = attached ] && break
	sleep 0.1
done
[ "$(cat "$CFS/devices/user/$LIB-ch/state")" = attached ] || die "no changer"
run mkdir "$T"
run mkdir "$T/luns/0" "$T/luns/1"
run ln -s "$CFS/devices/user/$LIB-ch" "$T/luns/0/device"
run ln -s "$CFS/devices/user/$LIB-d0" "$T/luns/1/device"
run mkdir "$T/sessions/iqn.test:bacula"
h=$(cat "$T/sessions/iqn.test:bacula/host")
wait_for_scsi_devices 2 || die "SCSI devices did not appear"
chg=$(sg_of_lun "$h" 0) || die "no sg node for the changer"
d=/sys/class/scsi_device/$h:0:0:1/device/scsi_tape
for ((i = 0; i < 100; i++)); do
	nst=$(ls "$d" 2>/dev/null | grep -m1 '^nst[0-9]*$') && break
	sleep 0.1
done
[ -n "${nst:-}" ] || die "no st device for the drive"
nst=/dev/$nst
wait_for_path "$nst" 10 || die "$nst did not appear"
ok "changer $chg, drive $nst"

run mtx -f "$chg" load 1 0
# the drive reports the new medium (unit attention) once, then is ready
for ((i = 0; i < 20; i++)); do
	mt -f "$nst" status >/dev/null 2>&1 && break
	sleep 0.2
done
mt -f "$nst" status | tee $W/mt-status.txt
grep -q "ONLINE" $W/mt-status.txt || die "drive not online after mtx load"

cat >$W/bacula-sd.conf <<EOF
Storage {
  Name = scstu-sd
  WorkingDirectory = $W/bacula
  Pid Directory = $W/bacula
}
Director {
  Name = scstu-dir
  Password = "scstu"
}
Device {
  Name = LTO8-0
  Media Type = LTO-8
  Archive Device = $nst
  AutomaticMount = yes
  AlwaysOpen = yes
  RemovableMedia = yes
  RandomAccess = no
}
Messages {
  Name = Standard
  console = all
}
EOF

echo "== btape test on $nst"
printf 'test\nquit\n' | timeout 1000 btape -c $W/bacula-sd.conf "$nst" \
	>$W/btape.log 2>&1
rc=$?
tail -40 $W/btape.log
[ $rc = 0 ] || die "btape exited with $rc"
! grep -qi "test failed\|ERR=" $W/btape.log ||
	die "btape: $(grep -i -m3 'test failed\|ERR=' $W/btape.log)"
n=$(grep -c "Test Succeeded\|Test succeeded" $W/btape.log)
[ "$n" -ge 3 ] || die "btape: only $n tests reported success"
ok "btape test: $n tests succeeded, no failure, no I/O error"

echo "== the library after btape"
"$ROOT/build/vtl/vtlctl" -c $W/bac.conf drives | tee $W/drives.txt
grep -q "BAC001L8" $W/drives.txt || die "vtlctl does not show BAC001L8 in the drive"
run mt -f "$nst" rewind
run mt -f "$nst" offline
run mtx -f "$chg" unload 1 0
mtx -f "$chg" status | tee $W/mtx.txt
grep -q "Storage Element 1:Full.*BAC001L8" $W/mtx.txt ||
	die "BAC001L8 not back in slot 1"
ok "cartridge back in slot 1"
