#!/bin/bash
# Smoke test of the TCMU comparator, run inside the VM:
#   bash tests/vm/vm.sh tests/bench/tcmu-null-check.sh
# LIO tcm_loop + target_core_user with build/bench/tcmu_null behind it:
# sg_inq (standard and VPD), sg_readcap, MODE SENSE, an unsupported
# opcode, a READ that must return zeros, and a short fio run.
. "$(dirname "$0")/../integration/lib.sh"
set -u

TN=$ROOT/build/bench/tcmu_null
LIO=/sys/kernel/config/target
TPG=$LIO/loopback/naa.50014050deadbe11/tpgt_1
DEV=$LIO/core/user_0/tnull0
fails=0

check() {
	local what=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then
		echo "ok   $what"
	else
		echo "FAIL $what: $*"
		sed 's/^/     /' /tmp/check.out | head -20
		fails=$((fails + 1))
	fi
}

[ -x "$TN" ] || die "$TN not built (make -C tests/bench)"
modprobe target_core_user && modprobe tcm_loop || die "modprobe failed"
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
modprobe sd_mod
modprobe sg

rm -f /tmp/tnull.ready
"$TN" -s 1G -r /tmp/tnull.ready tnull0 >/tmp/tnull.log 2>&1 &
pid=$!
for ((i = 0; i < 100; i++)); do
	[ -s /tmp/tnull.ready ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
cat /tmp/tnull.log
[ -s /tmp/tnull.ready ] || die "tcmu_null did not come up"

before=$(ls /sys/class/scsi_host)
mkdir -p "$TPG" && echo naa.50014050deadbe12 >"$TPG/nexus" &&
	mkdir -p "$TPG/lun/lun_0" && ln -s "$DEV" "$TPG/lun/lun_0/port0" ||
	die "configfs setup failed"
h=
for ((i = 0; i < 100; i++)); do
	for x in /sys/class/scsi_host/host*; do
		grep -qx "${x##*/}" <<<"$before" || h=${x##*host}
	done
	[ -n "$h" ] && break
	sleep 0.1
done
sd=$(sd_of_lun "$h" 0 1) || die "no /dev/sdX for tcmu_null"
sg=/dev/$(ls /sys/block/"${sd#/dev/}"/device/scsi_generic)
echo "tcmu_null is $sd ($sg)"
grep -H . /sys/block/"${sd#/dev/}"/queue/{max_sectors_kb,logical_block_size} \
	/sys/block/"${sd#/dev/}"/device/queue_depth

check "standard INQUIRY" bash -c "sg_inq $sd | grep -q 'Vendor identification: TCMUNULL'"
check "VPD 00" bash -c "sg_vpd -p 0 $sd | grep -q 'Block limits'"
check "VPD 80" bash -c "sg_vpd -p sn $sd | grep -q tnull0"
check "VPD 83" bash -c "sg_vpd -p di $sd | grep -q 'vendor id: TCMUNULL'"
check "VPD B0" bash -c "sg_vpd -p bl $sd | grep -q 'Maximum transfer length: 2048'"
check "READ CAPACITY 10" bash -c "sg_readcap $sd | grep -q 'Last LBA=2097151'"
check "READ CAPACITY 16" bash -c "sg_readcap -l $sd | grep -q 'Last LBA=2097151'"
check "MODE SENSE 6 caching" sg_modes -6 -p 8 "$sd"
check "MODE SENSE 10 all" sg_modes -p 0x3f "$sd"
check "TEST UNIT READY" sg_turs "$sd"
check "SYNCHRONIZE CACHE" sg_sync "$sd"
check "unsupported opcode" bash -c "sg_raw $sg 0xd0 0 0 0 0 0 2>&1 | grep -qi 'Illegal Request'"
check "LBA out of range" bash -c "! sg_dd if=$sg of=/dev/null bs=512 skip=2097151 count=2 2>/dev/null"
check "READ returns zeros" bash -c "dd if=/dev/urandom of=$sd bs=1M count=4 oflag=direct 2>/dev/null &&
	cmp -n 4194304 $sd /dev/zero"
check "READ 16" bash -c "sg_dd if=$sg of=/dev/null bs=512 count=8 cdbsz=16"
check "fio randread" fio --name=r --filename="$sd" --direct=1 --ioengine=libaio \
	--rw=randread --bs=4k --iodepth=32 --runtime=3 --time_based
check "fio 1M write+read" fio --name=w --filename="$sd" --direct=1 \
	--ioengine=libaio --rw=write --bs=1M --iodepth=8 --size=256M
check "fio verify (zeros)" fio --name=v --filename="$sd" --direct=1 \
	--ioengine=libaio --rw=read --bs=64k --iodepth=8 --size=64M \
	--verify=pattern --verify_pattern=0 --verify_only=1 --do_verify=1

rm -f "$TPG/lun/lun_0/port0"
rmdir "$TPG/lun/lun_0" "$TPG" "$(dirname "$TPG")"
kill $pid
wait $pid
cat /tmp/tnull.log
[ -d "$DEV" ] && { echo "FAIL tcmu_null left $DEV"; fails=$((fails + 1)); }
rmmod tcm_loop target_core_user target_core_mod 2>/dev/null
dmesg >/tmp/dmesg.txt
bash "$ROOT/tests/vm/guest-runner.sh" --check-dmesg /tmp/dmesg.txt ||
	{ echo "FAIL kernel problems in dmesg"; fails=$((fails + 1)); }
echo "tcmu-null-check: $fails failure(s)"
[ $fails -eq 0 ]
