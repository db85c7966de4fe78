#!/bin/bash
# Runs inside the VM (started by tests/bench/run.sh).  Sets up, side by side:
#   scstu               scstu nullio (8 GiB, in-kernel), LUN 0 of a
#                       scstu_local target, one session
#   user1, user2        the userspace null sample (samples/null, 8 GiB)
#                       through scstu_user with 1 and 2 handler queues, each
#                       LUN 0 of its own scstu_local target
#   tcmu                LIO TCMU (target_core_user) with tests/bench/tcmu_null
#                       (8 GiB) behind its own tcm_loop target
#   lio                 LIO tcm_loop + rd_mcp (1 GiB of RAM) through configfs
#   scsi_debug          modprobe scsi_debug dev_size_mb=1024, all else default
#                       (delay=1: each command completes one jiffy later)
#   scsi_debug_nodelay  the same device with delay=0 (set through sysfs)
# then runs each fio workload on each target in ROUNDS short rounds, the
# target order rotating every round, so that a change in host load (TCG on a
# shared machine) hits every target alike.  Writes to $SCSTU_RESULTS:
# results.csv (round,target,workload,iops,mb_s,lat_mean_us,clat_p99_us),
# the fio terse output, <target>.info (device queue settings),
# scsi_debug.params, handler logs, dmesg.
#
#   guest.sh [TARGET...]       default: all seven, in the order above,
#                              and "tape"
#   tape                the tape bench, tests/bench/guest-tape.sh: 256 KiB
#                       streaming through st on a scstu-vtl drive vs the
#                       userspace null disk (run after the others, with
#                       its own setup and teardown)
#
# The Foundation workloads (randread-4k-qd32, seqread-1m-qd8) run on every
# target; the userspace-path ones (randread-4k-qd1, seqwrite-1m-qd8) only
# on scstu, user1, user2 and tcmu unless SCSTU_BENCH_FULL=1.
#
# Environment: SCSTU_BENCH_ROUNDS (default 4), SCSTU_BENCH_RUNTIME (seconds
# per run, default 5), SCSTU_BENCH_RAMP (default 1), SCSTU_BENCH_WORKLOADS
# (space-separated subset of the four below), SCSTU_BENCH_FULL (every
# workload on every target), SCSTU_BENCH_BUSY_POLL (busy
# poll of both userspace handlers in us, default 0), SCSTU_BENCH_ZC_MIN
# (zero_copy_min of the user devices; SCSTU_ZERO_COPY=0 turns zero copy
# off in the SDK), SCSTU_BENCH_USER_NULL
# (the userspace null binary; default build/samples/scstu-null or the first
# that exists of build/samples/null/scstu-null, build/samples/null).
. "$(dirname "$0")/../integration/lib.sh"
set -u

RES=$SCSTU_RESULTS
ROUNDS=${SCSTU_BENCH_ROUNDS:-4}
RUNTIME=${SCSTU_BENCH_RUNTIME:-5}
RAMP=${SCSTU_BENCH_RAMP:-1}
CSV=$RES/results.csv
BUSY=${SCSTU_BENCH_BUSY_POLL:-0}
echo "round,target,workload,iops,mb_s,lat_mean_us,clat_p99_us" >"$CSV"
status=0
declare -A DEV=()
read -r -a WORKLOADS <<<"${SCSTU_BENCH_WORKLOADS:-randread-4k-qd32 randread-4k-qd1 seqread-1m-qd8 seqwrite-1m-qd8}"
FULL=${SCSTU_BENCH_FULL:-0}

# applies TARGET WORKLOAD: does this pair run (see the header)?
applies() {
	[ "$FULL" = 1 ] && return 0
	case "$2" in
	randread-4k-qd32 | seqread-1m-qd8) return 0 ;;
	esac
	case "$1" in
	scstu | user1 | user2 | tcmu) return 0 ;;
	esac
	return 1
}
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
	local r=$1 tgt=$2 wl=$3 dev=${DEV[$2]} line f i iops bw lat p99 mbs out args
	case "$wl" in
	randread-4k-qd32) args=(--rw=randread --bs=4k --iodepth=32) ;;
	randread-4k-qd1) args=(--rw=randread --bs=4k --iodepth=1) ;;
	seqread-1m-qd8) args=(--rw=read --bs=1M --iodepth=8) ;;
	seqwrite-1m-qd8) args=(--rw=write --bs=1M --iodepth=8) ;;
	*) echo "   unknown workload $wl"; status=1; return ;;
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
		echo "$r,$tgt,$wl,,,," >>"$CSV"
		status=1
		return
	fi
	# terse v3: read bw KiB/s 7, IOPS 8, clat percentiles 18-37, lat mean
	# 40; the write fields are the same 41 further on
	f=0
	[[ $wl == seqwrite* ]] && f=41
	IFS=';' read -r -a line <<<"$line"
	bw=${line[6 + f]} iops=${line[7 + f]} lat=${line[39 + f]} p99=
	for ((i = 17 + f; i <= 36 + f; i++)); do
		[[ ${line[i]} == 99.000000%=* ]] && p99=${line[i]#*=}
	done
	read -r mbs lat < <(awk -v b="$bw" -v l="$lat" 'BEGIN { printf "%.1f %.0f\n", b * 1024 / 1e6, l }')
	printf '   round %s %-19s %-17s %7s IOPS %8s MB/s %7s us p99 %7s us\n' \
		"$r" "$tgt" "$wl" "$iops" "$mbs" "$lat" "$p99"
	echo "$r,$tgt,$wl,$iops,$mbs,$lat,$p99" >>"$CSV"
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

# Userspace handlers: the null sample through scstu_user, tcmu_null
# through target_core_user.
USER_NULL=${SCSTU_BENCH_USER_NULL:-}
if [ -z "$USER_NULL" ]; then
	for f in "$ROOT/build/samples/scstu-null" \
		 "$ROOT/build/samples/null/scstu-null" "$ROOT/build/samples/null"; do
		[ -f "$f" ] && [ -x "$f" ] && { USER_NULL=$f; break; }
	done
fi
TCMU_NULL=$ROOT/build/bench/tcmu_null
declare -A SKIP=()

setup_skipped() {
	echo "-- $1: skipped, $2"
	SKIP[$1]=$2
}

# setup_user TARGET QUEUES: the null sample with QUEUES handler queues
setup_user() {
	local tg=$1 q=$2 name=bench-$1 t=$CFS/targets/local/bench-$1 h dev
	local args=(--name "bench-$1" --size $((8 << 30)) --queues "$q")
	[ -n "$USER_NULL" ] || { setup_skipped "$tg" "no userspace null binary (build/samples)"; return; }
	( load_modules ) || { setup_failed "$tg" "cannot load the scstu modules"; return; }
	[ -d "$CFS/devices/user" ] || { setup_skipped "$tg" "scstu_user.ko not built"; return; }
	[ "$BUSY" = 0 ] || args+=(--busy-poll "$BUSY")
	echo "  $tg: $USER_NULL ${args[*]}"
	user_try_start "$name" "$RES/$tg.log" "$USER_NULL" "${args[@]}" ||
		{ setup_failed "$tg" "handler did not come up: $(tail -3 "$RES/$tg.log")"; return; }
	# zero copy: the smallest transfer given as pages (default 0: all)
	[ -z "${SCSTU_BENCH_ZC_MIN:-}" ] ||
		echo "$SCSTU_BENCH_ZC_MIN" >"$CFS/devices/user/$name/zero_copy_min"
	{
		mkdir "$t" && mkdir "$t/luns/0" &&
		ln -s "$CFS/devices/user/$name" "$t/luns/0/device" &&
		mkdir "$t/sessions/iqn.2026-11.org.scstu:bench-$tg"
	} || { setup_failed "$tg" "configfs setup failed"; return; }
	h=$(cat "$t/sessions/iqn.2026-11.org.scstu:bench-$tg/host") ||
		{ setup_failed "$tg" "no host attribute"; return; }
	dev=$(sd_of_lun "$h" 0) || { setup_failed "$tg" "no /dev/sdX"; return; }
	prepare "$dev" "$tg"
	DEV[$tg]=$dev
}

TCMU_TPG=$LIO/loopback/naa.50014050deadbe03/tpgt_1
TCMU_DEV=$LIO/core/user_0/bench-tcmu
TCMU_PID=

setup_tcmu() {
	local before h dev i args=(-s 8G -r /tmp/tcmu.ready)
	[ -x "$TCMU_NULL" ] || { setup_skipped tcmu "$TCMU_NULL not built"; return; }
	before=$(hosts_now)
	modprobe target_core_user && modprobe tcm_loop ||
		{ setup_failed tcmu "modprobe failed"; return; }
	[ "$BUSY" = 0 ] || args+=(-p "$BUSY")
	echo "  tcmu: $TCMU_NULL ${args[*]} bench-tcmu"
	rm -f /tmp/tcmu.ready
	"$TCMU_NULL" "${args[@]}" bench-tcmu >>"$RES/tcmu.log" 2>&1 &
	TCMU_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -s /tmp/tcmu.ready ] && break
		kill -0 $TCMU_PID 2>/dev/null || break
		sleep 0.1
	done
	[ -s /tmp/tcmu.ready ] ||
		{ setup_failed tcmu "tcmu_null did not come up: $(tail -3 "$RES/tcmu.log")"; return; }
	{
		mkdir -p "$TCMU_TPG" &&
		echo naa.50014050deadbe04 >"$TCMU_TPG/nexus" &&
		mkdir -p "$TCMU_TPG/lun/lun_0" &&
		ln -s "$TCMU_DEV" "$TCMU_TPG/lun/lun_0/port0"
	} || { setup_failed tcmu "configfs setup failed"; return; }
	h=$(new_host "$before") || { setup_failed tcmu "no SCSI host"; return; }
	dev=$(sd_of_lun "$h" 0 1) || { setup_failed tcmu "no /dev/sdX"; return; }
	prepare "$dev" tcmu
	DEV[tcmu]=$dev
}

# lio_remove TPG: unlink and remove a tcm_loop target with one LUN
lio_remove() {
	[ -d "$1" ] || return 0
	rm -f "$1/lun/lun_0/port0"
	rmdir "$1/lun/lun_0" "$1" "$(dirname "$1")"
}

teardown() {
	local d
	if [ -d "$CFS" ]; then
		cat "$CFS/devices/nullio/null0/stats" >"$RES/scstu.stats" 2>/dev/null
		for d in "$CFS"/devices/user/*/; do
			[ -f "$d/stats" ] && cat "$d/stats" >"$RES/$(basename "$d").stats"
		done
		# sessions and LUNs first, then the handlers, then the devices
		for d in "$CFS"/targets/local/*/; do
			[ -d "$d" ] && rmdir "$d"sessions/*/ 2>/dev/null
		done
		user_stop_all
		cfs_teardown
		unload_modules || echo "!! scstu: modules would not unload"
	fi
	lio_remove "$TCMU_TPG"
	if [ -n "$TCMU_PID" ]; then
		kill "$TCMU_PID" 2>/dev/null
		wait "$TCMU_PID"
		[ -d "$TCMU_DEV" ] && echo "!! tcmu: tcmu_null left $TCMU_DEV"
	fi
	if lio_remove "$LIO_TPG" && [ -d "$LIO_RD" ]; then
		rmdir "$LIO_RD" "$(dirname "$LIO_RD")"
	fi
	rmmod tcm_loop target_core_user target_core_mod 2>/dev/null
	rmmod scsi_debug 2>/dev/null
}

# "tape" is the tape bench (guest-tape.sh), run after the others
targets=()
TAPE=0
for tg in "$@"; do
	if [ "$tg" = tape ]; then
		TAPE=1
	else
		targets+=("$tg")
	fi
done
if [ $# = 0 ]; then
	targets=(scstu user1 user2 tcmu lio scsi_debug scsi_debug_nodelay)
	TAPE=1
fi

modprobe sd_mod
modprobe sg
echo "== setup"
for tg in "${targets[@]}"; do
	case "$tg" in
	scsi_debug | scsi_debug_nodelay) setup_scsi_debug "$tg" ;;
	lio) setup_lio ;;
	scstu) setup_scstu ;;
	user1) setup_user user1 1 ;;
	user2) setup_user user2 2 ;;
	tcmu) setup_tcmu ;;
	*) setup_failed "$tg" "unknown target" ;;
	esac
done
# skipped targets (a part not built yet) leave the table
run_targets=()
for tg in "${targets[@]}"; do
	[ -n "${SKIP[$tg]:-}" ] || run_targets+=("$tg")
done
{
	echo "kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)"
	echo "$(fio --version), $ROUNDS rounds of ${RUNTIME}s after ${RAMP}s ramp per target and workload"
	echo "targets: ${run_targets[*]}; userspace handlers busy-poll ${BUSY} us"
	for tg in "${!SKIP[@]}"; do
		echo "skipped: $tg (${SKIP[$tg]})"
	done
} | tee "$RES/env.txt"
targets=("${run_targets[@]}")

n=${#targets[@]}
for ((r = 1; r <= ROUNDS; r++)); do
	echo "== round $r of $ROUNDS"
	for wl in "${WORKLOADS[@]}"; do
		for ((i = 0; i < n; i++)); do
			tg=${targets[$(((i + r - 1) % n))]}
			applies "$tg" "$wl" || continue
			if [ -z "${DEV[$tg]:-}" ]; then
				echo "$r,$tg,$wl,,,," >>"$CSV"
				continue
			fi
			run_fio "$r" "$tg" "$wl"
		done
	done
done

echo "== teardown"
teardown
if [ $TAPE = 1 ]; then
	bash "$ROOT/tests/bench/guest-tape.sh" || status=1
fi
dmesg >"$RES/dmesg.txt"
if ! bash "$ROOT/tests/vm/guest-runner.sh" --check-dmesg "$RES/dmesg.txt"; then
	echo "!! kernel problems in dmesg (see dmesg.txt)"
	status=1
fi
exit $status
