#!/bin/bash
# scstu_user: tests/user-abi/abuse registers and writes garbage on purpose
# (bad REGISTER/mmap/ENTER arguments, bad/duplicate/event ids, sense_len
# > 96, resid > xfer_len, unknown kinds, cq_tail out of range, answers to
# aborted commands); every rejection is checked by the program and the
# counter in configfs. Then rawdisk takes over again and serves data.
# scstu-test-timeout: 300
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/ua
D=$CFS/devices/user/ab0
W=/tmp/50-abuse
mkdir -p $W
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	cfs_teardown
}
trap cleanup EXIT

start_rawdisk() {
	"$ROOT/build/user-abi/rawdisk" --name ab0 --size-mb 16 "$@" >$W/rawdisk.log 2>&1 &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		grep -q '^ready' $W/rawdisk.log && return 0
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	cat $W/rawdisk.log
	die "rawdisk did not start"
}

load_modules
grep -q "^scstu_user " /proc/modules || run insmod "$ROOT/kernel/scstu_user.ko"
start_rawdisk
run mkdir "$T" "$T/luns/0"
run ln -s "$D" "$T/luns/0/device"
run mkdir "$T/sessions/iqn.test:abuse"
h=$(cat "$T/sessions/iqn.test:abuse/host")
wait_for_scsi_devices 1 || die "SCSI device did not appear"
sg=$(sg_of_lun "$h" 0) || die "no sg"
sg_turs "$sg" >/dev/null 2>&1
expect_good -- sg_turs "$sg"
kill "$pid"
wait "$pid" 2>/dev/null
pid=
[ "$(cat $D/state)" = detached ] || die "state $(cat $D/state)"
cfs_write "$D/tmf_timeout_ms" 20000

echo "== abuse"
"$ROOT/build/user-abi/abuse" --name ab0 --sg "$sg" >$W/abuse.log 2>&1
rc=$?
cat $W/abuse.log
[ $rc = 0 ] || die "abuse failed (exit $rc)"
grep -q "^FAIL" $W/abuse.log && die "abuse printed failures"
n=$(grep -c "^ok:" $W/abuse.log)
[ "$n" -ge 40 ] || die "only $n checks ran"
ok "abuse: $n checks held"
[ "$(cat $D/state)" = detached ] || die "state $(cat $D/state) after abuse"

echo "== a correct handler serves the LUN again"
start_rawdisk
sg_turs "$sg" >/dev/null 2>&1
run dd if=/dev/urandom of=$W/p bs=64k count=16 status=none
run sg_dd if=$W/p of="$sg" bs=512 count=2048 2>/dev/null
run sg_dd if="$sg" of=$W/b bs=512 count=2048 2>/dev/null
cmp $W/p $W/b || die "data differs"
ok "1 MiB round trip after the abuse"
