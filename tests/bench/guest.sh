#!/bin/bash
# Runs inside the VM (started by tests/bench/run.sh): the same fio workloads on
#   scstu       scstu nullio (8 GiB) as LUN 0 of a scstu_local target, one session
#   lio         LIO tcm_loop + rd_mcp (1 GiB of RAM), configured through configfs
#   scsi_debug  modprobe scsi_debug dev_size_mb=1024 (all else default)
# one at a time, each torn down before the next.  Writes to $SCSTU_RESULTS:
# results.csv (target,workload,iops,mb_s,lat_mean_us), <target>-<workload>.terse
# and .txt (fio output), <target>.info (device queue settings).
#
#   scsi_debug_nodelay  the same with delay=0 (no artificial 1-jiffy delay)
#
#   guest.sh [TARGET...]       default: scsi_debug scsi_debug_nodelay lio scstu
#
# Environment: SCSTU_BENCH_RUNTIME (seconds per workload, default 20),
# SCSTU_BENCH_RAMP (default 3).
. "$(dirname "$0")/../integration/lib.sh"
set -u

RES=$SCSTU_RESULTS
RUNTIME=${SCSTU_BENCH_RUNTIME:-20}
RAMP=${SCSTU_BENCH_RAMP:-3}
CSV=$RES/results.csv
echo "target,workload,iops,mb_s,lat_mean_us" >"$CSV"
status=0

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

# prepare DEV NAME: same block-layer settings for every target, and a record
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
	sed 's/^/  /' "$RES/$name.info"
}

# run_fio TARGET WORKLOAD DEV fio-args...
run_fio() {
	local tgt=$1 wl=$2 dev=$3 line iops bw lat
	shift 3
	echo "-- $tgt $wl: fio $* ($dev)"
	fio --name="$tgt-$wl" --filename="$dev" --direct=1 --ioengine=libaio \
		--time_based --runtime="$RUNTIME" --ramp_time="$RAMP" --numjobs=1 \
		--group_reporting "$@" --output-format=terse --terse-version=3 \
		>"$RES/$tgt-$wl.terse" 2>"$RES/$tgt-$wl.err"
	line=$(grep '^3;' "$RES/$tgt-$wl.terse" | head -1)
	if [ -z "$line" ]; then
		echo "   fio failed: $(head -5 "$RES/$tgt-$wl.err")"
		echo "$tgt,$wl,,," >>"$CSV"
		status=1
		return
	fi
	iops=$(cut -d';' -f8 <<<"$line")
	bw=$(cut -d';' -f7 <<<"$line")
	lat=$(cut -d';' -f40 <<<"$line")
	read -r mbs lat < <(awk -v b="$bw" -v l="$lat" 'BEGIN { printf "%.1f %.0f\n", b * 1024 / 1e6, l }')
	echo "   $iops IOPS, $mbs MB/s, mean latency $lat us"
	echo "$tgt,$wl,$iops,$mbs,$lat" >>"$CSV"
}

workloads() {
	local tgt=$1 dev=$2
	prepare "$dev" "$tgt"
	run_fio "$tgt" randread-4k-qd32 "$dev" --rw=randread --bs=4k --iodepth=32
	run_fio "$tgt" seqread-1m-qd8 "$dev" --rw=read --bs=1M --iodepth=8
}

fail_target() {
	echo "!! $1: $2"
	echo "$1,randread-4k-qd32,,," >>"$CSV"
	echo "$1,seqread-1m-qd8,,," >>"$CSV"
	status=1
}

modprobe sd_mod
modprobe sg

# sdebug NAME PARAMS...: scsi_debug loaded with PARAMS, benchmarked as NAME
sdebug() {
	local name=$1 before h dev
	shift
	before=$(hosts_now)
	modprobe scsi_debug "$@" || { fail_target "$name" "modprobe failed"; return; }
	h=$(new_host "$before") || { fail_target "$name" "no SCSI host"; return; }
	dev=$(sd_of_lun "$h" 0) || { fail_target "$name" "no /dev/sdX"; return; }
	grep -H . /sys/module/scsi_debug/parameters/* 2>/dev/null |
		sed 's|/sys/module/scsi_debug/parameters/||' >"$RES/$name.params"
	workloads "$name" "$dev"
	rmmod scsi_debug
}

# Debian's defaults: every command completes after delay=1 jiffy (4 ms)
bench_scsi_debug() {
	sdebug scsi_debug dev_size_mb=1024
}

# the same without the artificial delay (a stronger baseline)
bench_scsi_debug_nodelay() {
	sdebug scsi_debug_nodelay dev_size_mb=1024 delay=0
}

bench_lio() {
	local before h dev T=/sys/kernel/config/target
	local rd=$T/core/rd_mcp_0/rd0 tpg=$T/loopback/naa.50014050deadbe01/tpgt_1
	before=$(hosts_now)
	modprobe target_core_mod && modprobe tcm_loop ||
		{ fail_target lio "modprobe failed"; return; }
	# the nexus before the LUN, so that the initiator's scan finds it
	{
		mkdir -p "$rd" &&
		echo "rd_pages=262144" >"$rd/control" &&	# 262144 x 4 KiB = 1 GiB
		echo 1 >"$rd/enable" &&
		mkdir -p "$tpg" &&
		echo naa.50014050deadbe02 >"$tpg/nexus" &&
		mkdir -p "$tpg/lun/lun_0" &&
		ln -s "$rd" "$tpg/lun/lun_0/port0"
	} || { fail_target lio "configfs setup failed"; return; }
	h=$(new_host "$before") || { fail_target lio "no SCSI host"; return; }
	# tcm_loop puts the LUNs on SCSI target id = tpgt (1)
	dev=$(sd_of_lun "$h" 0 1) || { fail_target lio "no /dev/sdX"; return; }
	workloads lio "$dev"
	rm -f "$tpg/lun/lun_0/port0"
	rmdir "$tpg/lun/lun_0" "$tpg" "$(dirname "$tpg")" "$rd" "$(dirname "$rd")"
	rmmod tcm_loop target_core_mod 2>/dev/null
}

bench_scstu() {
	local h dev t=$CFS/targets/local/bench
	( load_modules ) || { fail_target scstu "cannot load the scstu modules"; return; }
	{
		mkdir "$CFS/devices/nullio/null0" &&
		echo $((8 << 30)) >"$CFS/devices/nullio/null0/size" &&
		echo 1 >"$CFS/devices/nullio/null0/enable" &&
		mkdir "$t" && mkdir "$t/luns/0" &&
		ln -s "$CFS/devices/nullio/null0" "$t/luns/0/device" &&
		mkdir "$t/sessions/iqn.2026-11.org.scstu:bench"
	} || { fail_target scstu "configfs setup failed"; return; }
	h=$(cat "$t/sessions/iqn.2026-11.org.scstu:bench/host") ||
		{ fail_target scstu "no host attribute"; return; }
	dev=$(sd_of_lun "$h" 0) || { fail_target scstu "no /dev/sdX"; return; }
	workloads scstu "$dev"
	cat "$CFS/devices/nullio/null0/stats" >"$RES/scstu.stats" 2>/dev/null
	rmdir "$t/sessions/iqn.2026-11.org.scstu:bench"
	rm -f "$t/luns/0/device"
	rmdir "$t/luns/0" "$t"
	echo 0 >"$CFS/devices/nullio/null0/enable"
	rmdir "$CFS/devices/nullio/null0"
	unload_modules
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scsi_debug scsi_debug_nodelay lio scstu)
{
	echo "kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)"
	echo "fio $(fio --version), runtime ${RUNTIME}s after ${RAMP}s ramp"
} | tee "$RES/env.txt"
for tg in "${targets[@]}"; do
	echo "== $tg"
	"bench_$tg"
done
dmesg >"$RES/dmesg.txt"
if bash "$ROOT/tests/vm/guest-runner.sh" --check-dmesg "$RES/dmesg.txt"; then
	:
else
	echo "!! kernel problems in dmesg (see dmesg.txt)"
	status=1
fi
exit $status
