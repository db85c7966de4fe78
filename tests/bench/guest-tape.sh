#!/bin/bash
# Runs inside the VM, after the disk workloads of tests/bench/guest.sh (it
# calls this in the same boot).  The tape bench: 256 KiB-block streaming
# write and read through the Linux st driver (/dev/nstN, variable-block
# mode, compression off) on a drive of scstu-vtl, against the userspace
# null disk sample (samples/null, one queue) with the same 256 KiB
# sequential I/O, one command at a time, through the same stack
# (scstu_local + scstu_user, one session, one target with both LUNs).
#
#   tape   scstu-vtl, one IBM LTO-8 drive, its library directory and
#          cartridges in the guest's /tmp (tmpfs: the cartridge's disk is
#          RAM, so this measures the path, CRC32C and the copies, not a
#          disk); dd if=/dev/zero of=/dev/nstN bs=256k, then rewind and
#          dd if=/dev/nstN of=/dev/null bs=256k.  The write's time
#          includes the close, where st writes the filemark (the
#          cartridge's sync point).
#   disk   the null sample's /dev/sdX: dd ... bs=256k oflag=direct /
#          iflag=direct (st also moves the user's buffer directly).
#
# Each round runs both, the order swapped every round; MB/s per run,
# ratios are the median of the per-round ratios tape/disk (run.sh).
# Writes $SCSTU_RESULTS/tape.csv (round,target,workload,iops,mb_s,
# lat_mean_us,clat_p99_us; lat is the mean time per 256 KiB command, no
# p99), tape.info, vtl.log, tape-null.log.
#
# Environment: SCSTU_BENCH_TAPE_ROUNDS (3), SCSTU_BENCH_TAPE_MIB (64 per
# run), SCSTU_BENCH_USER_NULL (as guest.sh), SCSTU_BENCH_TAPE_PERF=1:
# run the tape's dd under `perf record -a -g` (perf from linux-perf on
# the host, whose root the guest mounts) and write the profiles of the
# last round to tape-perf-<workload>.txt (flat, then call graphs); the
# tape MB/s of such a run mean nothing (perf's start-up is timed too).
. "$(dirname "$0")/../integration/lib.sh"
set -u

RES=$SCSTU_RESULTS
ROUNDS=${SCSTU_BENCH_TAPE_ROUNDS:-3}
MIB=${SCSTU_BENCH_TAPE_MIB:-64}
N=$((MIB * 4))				# 256 KiB blocks per run
CSV=$RES/tape.csv
W=/tmp/tape-bench
LIB=tbench
T=$CFS/targets/local/tbench
S=$T/sessions/iqn.2026-11.org.scstu:tbench
status=0
echo "round,target,workload,iops,mb_s,lat_mean_us,clat_p99_us" >"$CSV"

fail() {
	echo "!! tape: $*"
	status=1
}

USER_NULL=${SCSTU_BENCH_USER_NULL:-}
if [ -z "$USER_NULL" ]; then
	for f in "$ROOT/build/samples/scstu-null" \
		 "$ROOT/build/samples/null/scstu-null" "$ROOT/build/samples/null"; do
		[ -f "$f" ] && [ -x "$f" ] && { USER_NULL=$f; break; }
	done
fi
VTL=$ROOT/build/vtl/scstu-vtl

teardown() {
	[ -d "$S" ] && rmdir "$S"
	user_stop_all
	cfs_teardown
	unload_modules || echo "!! tape: modules would not unload"
}

setup() {
	local h d i
	[ -x "$VTL" ] || { echo "-- tape: skipped, $VTL not built"; return 2; }
	[ -n "$USER_NULL" ] || { echo "-- tape: skipped, no userspace null binary"; return 2; }
	( load_modules ) || { fail "cannot load the scstu modules"; return 1; }
	modprobe st && modprobe sg && modprobe sd_mod || { fail "modprobe st/sg/sd_mod"; return 1; }
	mkdir -p $W/lib
	cat >$W/tbench.conf <<EOF
[library]
name = $LIB
dir = $W/lib
socket = $W/tbench.sock
slots = 2
mailslots = 0

[drive 0]
personality = ibm-lto8
serial = TB00000001

[cartridges]
create = TB0001L8
capacity = $((MIB * 2))M
EOF
	# the library's devices: wait for the drive, then for the changer
	user_try_start $LIB-d0 "$RES/vtl.log" "$VTL" -c $W/tbench.conf ||
		{ fail "scstu-vtl did not come up: $(tail -3 "$RES/vtl.log")"; return 1; }
	for ((i = 0; i < 100; i++)); do
		[ "$(cat "$CFS/devices/user/$LIB-ch/state" 2>/dev/null)" = attached ] && break
		sleep 0.1
	done
	user_try_start tbench-null "$RES/tape-null.log" "$USER_NULL" \
		--name tbench-null --size $((8 << 30)) --queues 1 ||
		{ fail "the null sample did not come up: $(tail -3 "$RES/tape-null.log")"; return 1; }
	{
		mkdir "$T" && mkdir "$T/luns/0" "$T/luns/1" "$T/luns/2" &&
		ln -s "$CFS/devices/user/tbench-null" "$T/luns/0/device" &&
		ln -s "$CFS/devices/user/$LIB-ch" "$T/luns/1/device" &&
		ln -s "$CFS/devices/user/$LIB-d0" "$T/luns/2/device" &&
		mkdir "$S"
	} || { fail "configfs setup failed"; return 1; }
	h=$(cat "$S/host")
	wait_for_scsi_devices 3 || { fail "the SCSI devices did not appear"; return 1; }
	SD=$(sd_of_lun "$h" 0) || { fail "no /dev/sdX for the null disk"; return 1; }
	CHG=$(sg_of_lun "$h" 1) || { fail "no sg node for the changer"; return 1; }
	d=/sys/class/scsi_device/$h:0:0:2/device/scsi_tape
	NST=
	for ((i = 0; i < 100; i++)); do
		NST=$(ls "$d" 2>/dev/null | grep -m1 '^nst[0-9]*$') && break
		sleep 0.1
	done
	[ -n "$NST" ] || { fail "no st device for the drive"; return 1; }
	NST=/dev/$NST
	wait_for_path "$NST" 10 || { fail "$NST did not appear"; return 1; }
	echo none >"/sys/block/$(basename "$SD")/queue/scheduler" 2>/dev/null
	mtx -f "$CHG" load 1 0 >"$RES/tape-mtx.log" 2>&1 || { fail "mtx load: $(cat "$RES/tape-mtx.log")"; return 1; }
	for ((i = 0; i < 25; i++)); do
		mt -f "$NST" status >/dev/null 2>&1 && break
		sleep 0.2
	done
	{ mt -f "$NST" setblk 0 && mt -f "$NST" compression 0; } ||
		{ fail "mt setblk 0 / compression 0 failed"; return 1; }
	{
		echo "disk $SD (the null sample, 1 queue), changer $CHG, drive $NST"
		echo "$MIB MiB per run in 256 KiB blocks, $ROUNDS rounds"
		echo "cartridges in $W/lib: $(df -h --output=fstype,size $W | tail -1)"
		mt -f "$NST" status
		echo "data compression page (DCE must be 0):"
		sg_modes -p 0x0f -H "$NST" 2>&1 | tail -3
		for f in max_sectors_kb max_hw_sectors_kb; do
			echo "$SD $f $(cat "/sys/block/$(basename "$SD")/queue/$f")"
		done
	} >"$RES/tape.info" 2>&1
	sed 's/^/  /' "$RES/tape.info"
	return 0
}

PERF=()
if [ "${SCSTU_BENCH_TAPE_PERF:-0}" = 1 ]; then
	if perf version >/dev/null 2>&1; then
		PERF=(perf record -q -a -g -o)
	else
		echo "-- tape: SCSTU_BENCH_TAPE_PERF=1 but no perf (linux-perf)"
	fi
fi

# run_dd ROUND TARGET WORKLOAD dd-args...: time one dd, record MB/s
run_dd() {
	local r=$1 tg=$2 wl=$3 t0 t1 us mbs iops lat pre=()
	shift 3
	[ "$tg" = tape ] && [ ${#PERF[@]} -gt 0 ] &&
		pre=("${PERF[@]}" "/tmp/tape-perf-$wl.data" --)
	t0=$(date +%s%N)
	if ! "${pre[@]}" dd "$@" bs=256k count=$N status=none 2>"$RES/tape-dd.err"; then
		fail "round $r $tg $wl: dd $*: $(head -2 "$RES/tape-dd.err")"
		echo "$r,$tg,$wl,,,," >>"$CSV"
		return 1
	fi
	t1=$(date +%s%N)
	us=$(((t1 - t0) / 1000))
	read -r mbs iops lat < <(awk -v us="$us" -v n="$N" 'BEGIN {
		printf "%.1f %.0f %.0f\n", n * 262144 / us, n * 1e6 / us, us / n }')
	printf '   round %s %-5s %-15s %7s IOPS %8s MB/s %7s us/cmd\n' \
		"$r" "$tg" "$wl" "$iops" "$mbs" "$lat"
	echo "$r,$tg,$wl,$iops,$mbs,$lat," >>"$CSV"
}

tape_round() {
	mt -f "$NST" rewind || fail "rewind before writing"
	run_dd "$1" tape seqwrite-256k if=/dev/zero of="$NST"
	mt -f "$NST" rewind || fail "rewind before reading"
	run_dd "$1" tape seqread-256k if="$NST" of=/dev/null
}

disk_round() {
	run_dd "$1" disk seqwrite-256k if=/dev/zero of="$SD" oflag=direct
	run_dd "$1" disk seqread-256k if="$SD" of=/dev/null iflag=direct
}

echo "== tape bench"
setup
rc=$?
if [ $rc = 0 ]; then
	for ((r = 1; r <= ROUNDS; r++)); do
		if ((r % 2)); then
			tape_round "$r"
			disk_round "$r"
		else
			disk_round "$r"
			tape_round "$r"
		fi
	done
	# the profiles of the last round (SCSTU_BENCH_TAPE_PERF=1)
	for f in /tmp/tape-perf-*.data; do
		[ -f "$f" ] || continue
		w=$(basename "$f" .data)
		{
			perf report -i "$f" --no-children --sort comm,dso,sym \
				-g none --percent-limit 0.2
			perf report -i "$f" --no-children --sort comm,dso,sym \
				--percent-limit 1 -g caller,0.5,callee
		} >"$RES/$w.txt" 2>/dev/null
	done
	# the library's own account of the last round
	"$ROOT/build/vtl/vtlctl" -c $W/tbench.conf drives >>"$RES/tape.info" 2>&1
	mt -f "$NST" offline || fail "mt offline"
	mtx -f "$CHG" unload 1 0 >>"$RES/tape-mtx.log" 2>&1 || fail "mtx unload"
elif [ $rc = 2 ]; then
	rm -f "$CSV"
fi
teardown
exit $status
