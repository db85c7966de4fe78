#!/bin/bash
# Runs inside the VM (started by tests/bench/run.sh).  Sets up, side by side:
#   scstu               scstu nullio (8 GiB), LUN 0 of a scstu_local target,
#                       one session
#   lio                 LIO tcm_loop + rd_mcp (1 GiB of RAM) through configfs
#   scsi_debug          modprobe scsi_debug dev_size_mb=1024, all else default
#                       (delay=1: each command completes one jiffy later)
#   scsi_debug_nodelay  the same device with delay=0 (set through sysfs)
# then runs each fio workload on each target in ROUNDS short rounds, the
# target order rotating every round, so that a change in host load (TCG on a
# shared machine) hits every target alike.  Writes to $SCSTU_RESULTS:
# results.csv (round,target,workload,iops,mb_s,lat_mean_us), the fio terse
# output, <target>.info (device queue settings), scsi_debug.params, dmesg.
#
#   guest.sh [TARGET...]       default: scsi_debug scsi_debug_nodelay lio scstu
#
# Environment: SCSTU_BENCH_ROUNDS (default 4), SCSTU_BENCH_RUNTIME (seconds
# per run, default 5), SCSTU_BENCH_RAMP (default 1).
. "$(dirname "$0")/../integration/lib.sh"
set -u

RES=$SCSTU_RESULTS
ROUNDS=${SCSTU_BENCH_ROUNDS:-4}
RUNTIME=${SCSTU_BENCH_RUNTIME:-5}
RAMP=${SCSTU_BENCH_RAMP:-1}
CSV=$RES/results.csv
echo "round,target,workload,iops,mb_s,lat_mean_us" >"$CSV"
status=0
declare -A DEV=()
WORKLOADS=(randread-4k-qd32 seqread-1m-qd8)
SDEBUG=/sys/bus/pseudo/drivers/scsi_debug

# hosts_now: the SCSI host numbers that exist, sorted
hosts_now() {
	local h
	for h in /sys/class/scsi_host/host*; do
		[ -e "$h" ] && echo "${h##*host}"
	done | sort -n
}

# new_host BEFORE: the first host number not in BEFORE (waits a little)
new_host() {
	local before=$1 h i
	for ((i = 0; i < 100; i++)); do
		for h in $(hosts_now); do
			grep -qx "$h" <<<"$before" || { echo "$h"; return 0; }
		done
		sleep 0.1
	done
	return 1
}

# prepare DEV NAME: the same block-layer settings for every target, recorded
prepare() {
	local dev=$1 name=$2 b q
	b=$(basename "$dev")
	q=/sys/block/$b/queue
	echo none >"$q/scheduler" 2>/dev/null
	{
		echo "device $dev"
		echo "vendor $(cat /sys/block/"$b"/device/vendor) model $(cat /sys/block/"$b"/device/model)"
		echo "size_bytes $(($(cat /sys/block/"$b"/size) * 512))"
		for f in scheduler nr_requests max_sectors_kb max_hw_sectors_kb logical_block_size rotational; do
			echo "$f $(cat "$q/$f" 2>/dev/null)"
		done
		echo "queue_depth $(cat /sys/block/"$b"/device/queue_depth 2>/dev/null)"
		echo "nr_hw_queues $(ls -d /sys/block/"$b"/mq/*/ 2>/dev/null | wc -l)"
	} >"$RES/$name.info"
	echo "  $name: $(tr '\n' ' ' <"$RES/$name.info")"
}

# run_fio ROUND TARGET WORKLOAD
run_fio() {
	local r=$1 tgt=$2 wl=$3 dev=${DEV[$2]} line iops bw lat mbs out args
	case "$wl" in
	randread-4k-qd32) args=(--rw=randread --bs=4k --iodepth=32) ;;
	seqread-1m-qd8) args=(--rw=read --bs=1M --iodepth=8) ;;
	esac
	case "$tgt" in
	scsi_debug) echo 1 >"$SDEBUG/delay" ;;
	scsi_debug_nodelay) echo 0 >"$SDEBUG/delay" ;;
	esac
	out=$RES/$tgt-$wl-r$r
	fio --name="$tgt-$wl" --filename="$dev" --direct=1 --ioengine=libaio \
		--time_based --runtime="$RUNTIME" --ramp_time="$RAMP" --numjobs=1 \
		--group_reporting "${args[@]}" --output-format=terse --terse-version=3 \
		>"$out.terse" 2>"$out.err"
	line=$(grep '^3;' "$out.terse" | head -1)
	if [ -z "$line" ]; then
		echo "   round $r $tgt $wl: fio failed: $(head -3 "$out.err")"
		echo "$r,$tgt,$wl,,," >>"$CSV"
		status=1
		return
	fi
	iops=$(cut -d';' -f8 <<<"$line")
	bw=$(cut -d';' -f7 <<<"$line")
	lat=$(cut -d';' -f40 <<<"$line")
	read -r mbs lat < <(awk -v b="$bw" -v l="$lat" 'BEGIN { printf "%.1f %.0f\n", b * 1024 / 1e6, l }')
	printf '   round %s %-19s %-17s %7s IOPS %8s MB/s %7s us\n' "$r" "$tgt" "$wl" "$iops" "$mbs" "$lat"
	echo "$r,$tgt,$wl,$iops,$mbs,$lat" >>"$CSV"
}

setup_failed() {
	echo "!! $1: $2"
	status=1
}

setup_scsi_debug() {
	local before h dev
	[ -d "$SDEBUG" ] && { DEV[$1]=${DEV[scsi_debug]:-${DEV[scsi_debug_nodelay]}}; return; }
	before=$(hosts_now)
	modprobe scsi_debug dev_size_mb=1024 || { setup_failed "$1" "modprobe failed"; return; }
	grep -H . /sys/module/scsi_debug/parameters/* 2>/dev/null |
		sed 's|/sys/module/scsi_debug/parameters/||' >"$RES/scsi_debug.params"
	h=$(new_host "$before") || { setup_failed "$1" "no SCSI host"; return; }
	dev=$(sd_of_lun "$h" 0) || { setup_failed "$1" "no /dev/sdX"; return; }
	prepare "$dev" scsi_debug
	DEV[$1]=$dev
}

LIO=/sys/kernel/config/target
LIO_RD=$LIO/core/rd_mcp_0/rd0
LIO_TPG=$LIO/loopback/naa.50014050deadbe01/tpgt_1

setup_lio() {
	local before h dev
	before=$(hosts_now)
	modprobe target_core_mod && modprobe tcm_loop ||
		{ setup_failed lio "modprobe failed"; return; }
	# the nexus before the LUN, so that the initiator's scan finds it
	{
		mkdir -p "$LIO_RD" &&
		echo "rd_pages=262144" >"$LIO_RD/control" &&	# x 4 KiB = 1 GiB
		echo 1 >"$LIO_RD/enable" &&
		mkdir -p "$LIO_TPG" &&
		echo naa.50014050deadbe02 >"$LIO_TPG/nexus" &&
		mkdir -p "$LIO_TPG/lun/lun_0" &&
		ln -s "$LIO_RD" "$LIO_TPG/lun/lun_0/port0"
	} || { setup_failed lio "configfs setup failed"; return; }
	h=$(new_host "$before") || { setup_failed lio "no SCSI host"; return; }
	# tcm_loop puts the LUNs on SCSI target id = tpgt (1)
	dev=$(sd_of_lun "$h" 0 1) || { setup_failed lio "no /dev/sdX"; return; }
	prepare "$dev" lio
	DEV[lio]=$dev
}

SCSTU_T=$CFS/targets/local/bench
SCSTU_SESS=$SCSTU_T/sessions/iqn.2026-11.org.scstu:bench

setup_scstu() {
	local h dev
	( load_modules ) || { setup_failed scstu "cannot load the scstu modules"; return; }
	{
		mkdir "$CFS/devices/nullio/null0" &&
		echo $((8 << 30)) >"$CFS/devices/nullio/null0/size" &&
		echo 1 >"$CFS/devices/nullio/null0/enable" &&
		mkdir "$SCSTU_T" && mkdir "$SCSTU_T/luns/0" &&
		ln -s "$CFS/devices/nullio/null0" "$SCSTU_T/luns/0/device" &&
		mkdir "$SCSTU_SESS"
	} || { setup_failed scstu "configfs setup failed"; return; }
	h=$(cat "$SCSTU_SESS/host") || { setup_failed scstu "no host attribute"; return; }
	dev=$(sd_of_lun "$h" 0) || { setup_failed scstu "no /dev/sdX"; return; }
	prepare "$dev" scstu
	DEV[scstu]=$dev
}

teardown() {
	if [ -d "$SCSTU_T" ]; then
		cat "$CFS/devices/nullio/null0/stats" >"$RES/scstu.stats" 2>/dev/null
		cfs_teardown
		unload_modules || echo "!! scstu: modules would not unload"
	fi
	if [ -d "$LIO_TPG" ]; then
		rm -f "$LIO_TPG/lun/lun_0/port0"
		rmdir "$LIO_TPG/lun/lun_0" "$LIO_TPG" "$(dirname "$LIO_TPG")" \
			"$LIO_RD" "$(dirname "$LIO_RD")"
		rmmod tcm_loop target_core_mod 2>/dev/null
	fi
	rmmod scsi_debug 2>/dev/null
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scsi_debug scsi_debug_nodelay lio scstu)
{
	echo "kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)"
	echo "$(fio --version), $ROUNDS rounds of ${RUNTIME}s after ${RAMP}s ramp per target and workload"
	echo "targets: ${targets[*]}"
} | tee "$RES/env.txt"

modprobe sd_mod
modprobe sg
echo "== setup"
for tg in "${targets[@]}"; do
	case "$tg" in
	scsi_debug | scsi_debug_nodelay) setup_scsi_debug "$tg" ;;
	lio) setup_lio ;;
	scstu) setup_scstu ;;
	*) setup_failed "$tg" "unknown target" ;;
	esac
done

n=${#targets[@]}
for ((r = 1; r <= ROUNDS; r++)); do
	echo "== round $r of $ROUNDS"
	for wl in "${WORKLOADS[@]}"; do
		for ((i = 0; i < n; i++)); do
			tg=${targets[$(((i + r - 1) % n))]}
			if [ -z "${DEV[$tg]:-}" ]; then
				echo "$r,$tg,$wl,,," >>"$CSV"
				continue
			fi
			run_fio "$r" "$tg" "$wl"
		done
	done
done

echo "== teardown"
teardown
dmesg >"$RES/dmesg.txt"
if ! bash "$ROOT/tests/vm/guest-runner.sh" --check-dmesg "$RES/dmesg.txt"; then
	echo "!! kernel problems in dmesg (see dmesg.txt)"
	status=1
fi
exit $status
