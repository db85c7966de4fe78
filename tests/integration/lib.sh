# shellcheck shell=bash
# Helpers for the integration tests (tests/integration/NN-name.sh).  Tests run
# as root inside the test VM, with the repository read-only at its host path:
# write only to /tmp or $SCSTU_RESULTS.
#
#   . "$(dirname "$0")/lib.sh"
#
# See docs/testing.md for the list of helpers.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SCSTUADM="$ROOT/build/scstuadm"
CFS=/sys/kernel/config/scstu
cfs=$CFS
SCSTU_RESULTS=${SCSTU_RESULTS:-/tmp}
export ROOT SCSTUADM CFS SCSTU_RESULTS

die() {
	echo "FAIL: $*" >&2
	exit 1
}

ok() {
	echo "ok: $*"
}

# Run a command, show it in the log, die if it fails.
run() {
	echo "+ $*"
	"$@" || die "command failed ($?): $*"
}

load_modules() {
	local m
	for m in configfs scsi_common scsi_mod sd_mod sg st ch; do
		modprobe "$m" || die "modprobe $m failed"
	done
	mountpoint -q /sys/kernel/config ||
		mount -t configfs configfs /sys/kernel/config ||
		die "cannot mount configfs"
	for m in scstu scstu_null scstu_local scstu_user; do
		grep -q "^$m " /proc/modules && continue
		# scstu_user is optional until it is built
		[ $m = scstu_user ] && [ ! -f "$ROOT/kernel/$m.ko" ] && continue
		[ -f "$ROOT/kernel/$m.ko" ] || die "$ROOT/kernel/$m.ko not built"
		insmod "$ROOT/kernel/$m.ko" || die "insmod $m.ko failed"
	done
	[ -d "$CFS" ] || die "$CFS missing after loading the modules"
}

# user_try_start NAME LOG CMD [ARGS...]: start a userspace handler in the
# background (output appended to LOG), wait until it has registered and
# enabled devices/user/NAME. Sets USER_PID[NAME]; returns 1 if the
# handler exits or does not come up within 30 s.
declare -gA USER_PID
user_try_start() {
	local name=$1 log=$2 i
	shift 2
	"$@" >>"$log" 2>&1 &
	USER_PID[$name]=$!
	for ((i = 0; i < 300; i++)); do
		if [ "$(cat "$CFS/devices/user/$name/enable" 2>/dev/null)" = 1 ] &&
		   [ "$(cat "$CFS/devices/user/$name/state" 2>/dev/null)" = attached ]; then
			return 0
		fi
		kill -0 "${USER_PID[$name]}" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}

# user_start NAME CMD [ARGS...]: user_try_start with the output in
# /tmp/handler-NAME.log; a handler that does not come up ends the test.
user_start() {
	local name=$1
	shift
	user_try_start "$name" "/tmp/handler-$name.log" "$@" && return 0
	cat "/tmp/handler-$name.log" >&2
	die "handler $name did not come up: $*"
}

# user_stop NAME [SIGNAL]: stop a handler started by user_start, wait for it.
user_stop() {
	local name=$1 sig=${2:-TERM} pid=${USER_PID[$1]:-}
	[ -n "$pid" ] || return 0
	kill "-$sig" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "USER_PID[$name]"
	return 0
}

# user_stop_all: stop every handler (for EXIT traps, before cfs_teardown).
user_stop_all() {
	local n
	for n in "${!USER_PID[@]}"; do
		user_stop "$n"
	done
}

# Unload our modules (local target first); status 1 if any stays loaded.
unload_modules() {
	local m rc=0
	for m in scstu_local scstu_null scstu_user scstu; do
		grep -q "^$m " /proc/modules || continue
		rmmod "$m" || rc=1
	done
	return $rc
}

# cfs_teardown: remove everything under $CFS in the documented order
# (sessions, LUN links, LUNs, groups, targets, devices); best effort,
# status 1 if something is left.
cfs_teardown() {
	local t g l x d left=0
	[ -d "$CFS" ] || return 0
	# delayed commands would make every session removal wait
	for d in "$CFS"/devices/*/*/; do
		[ -f "$d/delay_ms" ] && echo 0 >"$d/delay_ms"
	done
	for t in "$CFS"/targets/*/*/; do
		[ -d "$t" ] || continue
		for x in "$t"sessions/*/; do
			[ -d "$x" ] && rmdir "$x"
		done
		for g in "$t"ini_groups/*/; do
			[ -d "$g" ] || continue
			for l in "$g"luns/*/; do
				[ -d "$l" ] || continue
				find "$l" -maxdepth 1 -type l -exec rm -f {} +
				rmdir "$l"
			done
			for x in "$g"initiators/*/; do
				[ -d "$x" ] && rmdir "$x"
			done
			rmdir "$g"
		done
		for l in "$t"luns/*/; do
			[ -d "$l" ] || continue
			find "$l" -maxdepth 1 -type l -exec rm -f {} +
			rmdir "$l"
		done
		rmdir "$t" || left=1
	done
	for d in "$CFS"/devices/*/*/; do
		[ -d "$d" ] || continue
		[ -f "$d/enable" ] && echo 0 >"$d/enable"
		rmdir "$d" || left=1
	done
	return $left
}

# wait_for_path PATH [TIMEOUT]: wait until PATH exists (no udev here: the
# kernel's devtmpfs creates device nodes, sometimes a little later).
wait_for_path() {
	local p=$1 t=${2:-20} i
	for ((i = 0; i < t * 10; i++)); do
		[ -e "$p" ] && return 0
		sleep 0.1
	done
	return 1
}

# udev_settle [TIMEOUT]: wait until every SCSI device's sg/sd node exists.
udev_settle() {
	local t=${1:-20} i d n missing
	for ((i = 0; i < t * 10; i++)); do
		missing=0
		for d in /sys/class/scsi_device/*/device; do
			[ -d "$d" ] || continue
			for n in "$d"/scsi_generic/* "$d"/block/*; do
				[ -e "$n" ] || continue
				[ -e "/dev/$(basename "$n")" ] || missing=1
			done
		done
		[ $missing = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_for_scsi_devices N [TIMEOUT]: wait until at least N SCSI devices exist
# (on any host) and their device nodes are there.
wait_for_scsi_devices() {
	local want=$1 t=${2:-30} i n
	for ((i = 0; i < t * 10; i++)); do
		n=$(find /sys/class/scsi_device/ -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
		if [ "$n" -ge "$want" ]; then
			udev_settle "$t" && return 0
		fi
		sleep 0.1
	done
	echo "wait_for_scsi_devices: want $want, have $n" >&2
	return 1
}

# _node_of H:C:T:L CLASS: device node of a SCSI device (sg or block).
_node_of() {
	local d=/sys/class/scsi_device/$1/device/$2 n i
	for ((i = 0; i < 100; i++)); do
		for n in "$d"/*; do
			if [ -e "$n" ]; then
				n=/dev/$(basename "$n")
				wait_for_path "$n" 10 || return 1
				echo "$n"
				return 0
			fi
		done
		sleep 0.1
	done
	return 1
}

# sg_of_lun HOSTNO LUN [TARGET]: print /dev/sgN of HOSTNO:0:TARGET:LUN.
sg_of_lun() {
	_node_of "$1:0:${3:-0}:$2" scsi_generic
}

# sd_of_lun HOSTNO LUN [TARGET]: print /dev/sdX of HOSTNO:0:TARGET:LUN.
sd_of_lun() {
	_node_of "$1:0:${3:-0}:$2" block
}

# Sense key names accepted by expect_sense (or give the number): sets _KEY.
_sense_key_num() {
	case "${1^^}" in
	NO_SENSE) _KEY=0 ;;
	RECOVERED_ERROR) _KEY=1 ;;
	NOT_READY) _KEY=2 ;;
	MEDIUM_ERROR) _KEY=3 ;;
	HARDWARE_ERROR) _KEY=4 ;;
	ILLEGAL_REQUEST) _KEY=5 ;;
	UNIT_ATTENTION) _KEY=6 ;;
	DATA_PROTECT) _KEY=7 ;;
	BLANK_CHECK) _KEY=8 ;;
	ABORTED_COMMAND) _KEY=11 ;;
	VOLUME_OVERFLOW) _KEY=13 ;;
	MISCOMPARE) _KEY=14 ;;
	*) _KEY=$((16#${1#0x})) ;;
	esac
}

# _with_raw_sense CMD...: run CMD (sg_raw gets -v so that it prints the raw
# sense bytes), output in $_OUT, exit code in $_RC. Pure bash below this
# point: under TCG every extra process costs a noticeable fraction of a second.
_with_raw_sense() {
	local cmd=("$@") line
	if [ "${cmd[0]##*/}" = sg_raw ]; then
		cmd=("${cmd[0]}" -v "${cmd[@]:1}")
	fi
	echo "+ ${cmd[*]}"
	_OUT=$("${cmd[@]}" 2>&1)
	_RC=$?
	while IFS= read -r line; do
		printf '    %s\n' "$line"
	done <<<"$_OUT"
}

# _parse_sense: from $_OUT's "Raw sense data (in hex)" dump, set _SENSE to
# "KEY ASC ASCQ" in decimal; status 1 if there is no sense.
_parse_sense() {
	local line on=0 b=() w
	while IFS= read -r line; do
		if [ $on = 0 ]; then
			[[ $line == *"Raw sense data"* ]] && on=1
			continue
		fi
		[[ $line =~ ^[[:space:]]+([0-9a-fA-F]{2}[[:space:]]*)+$ ]] || break
		for w in $line; do b+=("$w"); done
	done <<<"$_OUT"
	[ ${#b[@]} -ge 4 ] || return 1
	case $((16#${b[0]} & 0x7f)) in
	$((0x72)) | $((0x73))) # descriptor format
		_SENSE="$((16#${b[1]} & 0xf)) $((16#${b[2]})) $((16#${b[3]}))" ;;
	*) # fixed format
		[ ${#b[@]} -ge 14 ] || return 1
		_SENSE="$((16#${b[2]} & 0xf)) $((16#${b[12]})) $((16#${b[13]}))" ;;
	esac
}

# _scsi_status: the "SCSI Status:" sg_raw printed in $_OUT, into _STATUS
_scsi_status() {
	local line
	_STATUS=
	while IFS= read -r line; do
		if [[ $line == "SCSI Status: "* ]]; then
			_STATUS=${line#SCSI Status: }
			_STATUS=${_STATUS%"${_STATUS##*[![:space:]]}"}
			return 0
		fi
	done <<<"$_OUT"
	return 1
}

# expect_sense KEY ASC ASCQ -- CMD...: CMD (an sg3_utils command, best sg_raw)
# must end in CHECK CONDITION with exactly this sense key / ASC / ASCQ.
# KEY is a number (hex) or a name (ILLEGAL_REQUEST, ...); ASC/ASCQ are hex.
# Example: expect_sense ILLEGAL_REQUEST 0x20 0x00 -- sg_raw /dev/sg1 ff 00 00 00 00 00
expect_sense() {
	local key asc ascq exp cmdline g
	_sense_key_num "$1"
	key=$_KEY
	asc=$((16#${2#0x}))
	ascq=$((16#${3#0x}))
	shift 3
	[ "${1:-}" = "--" ] && shift
	cmdline="$*"
	printf -v exp '%x/%02x/%02x' "$key" "$asc" "$ascq"
	_with_raw_sense "$@"
	_parse_sense ||
		die "expected sense $exp, got no sense data (exit $_RC): $cmdline"
	if [ "$_SENSE" != "$key $asc $ascq" ]; then
		g=($_SENSE)
		die "expected sense $exp, got $(printf '%x/%02x/%02x' "${g[@]}"): $cmdline"
	fi
	ok "sense $exp as expected"
}

# expect_status STATUS -- sg_raw ...: the SCSI status printed by sg_raw must
# be STATUS (e.g. "Reservation Conflict", "Good", "Busy"; case-insensitive).
expect_status() {
	local want=$1
	shift
	[ "${1:-}" = "--" ] && shift
	_with_raw_sense "$@"
	_scsi_status
	[ "${_STATUS,,}" = "${want,,}" ] || die "expected SCSI status '$want', got '${_STATUS:-none}' (exit $_RC): $*"
	ok "SCSI status $want as expected"
}

# expect_good -- CMD...: CMD must succeed (for sg_raw: status GOOD too).
expect_good() {
	[ "${1:-}" = "--" ] && shift
	_with_raw_sense "$@"
	[ "$_RC" = 0 ] || die "expected success, got exit $_RC: $*"
	if [ "${1##*/}" = sg_raw ]; then
		_scsi_status && [ "$_STATUS" = Good ] ||
			die "expected SCSI status Good, got '${_STATUS:-none}': $*"
	fi
	ok "${1##*/} succeeded"
}

# cfs_write FILE VALUE: write VALUE to a configfs attribute, die on error.
cfs_write() {
	echo "+ echo $2 > $1"
	echo "$2" >"$1" || die "writing '$2' to $1 failed"
}

# cfs_listing FILE: every configfs entry under $CFS, link targets, and the value
# of every readable attribute except statistics and the (volatile) SCSI
# host number of a session. Built-ins only per entry (TCG: forks are slow).
cfs_listing() {
	local type mode path link v
	(cd "$CFS" && find . -mindepth 1 -printf '%y %m %p %l\n' | sort -k3) |
	while read -r type mode path link; do
		case "$type" in
		d) echo "$path/" ;;
		l) echo "$path -> ${link##*/scstu/}" ;;
		f)
			case "$path" in
			*/stats | */sessions/*/host) echo "$path"; continue ;;
			esac
			if [ $((8#$mode & 0444)) = 0 ]; then
				echo "$path (write-only)"
				continue
			fi
			v=
			IFS= read -r -d '' v <"$CFS/$path"
			v=${v%$'\n'}
			echo "$path = ${v//$'\n'/ }"
			;;
		esac
	done >"$1"
}

# ---- VTL robustness helpers (tests 75..79, host-78) -------------------------
# vtlr_conf DIR NAME [CAPACITY] [EXTRA_CARTS]: write DIR/NAME.conf for a
# library of one LTO-8 drive, 8 slots, 2 mailslots, cartridges
# VR0000L8..VR0003L8 (+ EXTRA_CARTS) of CAPACITY (default 64M) in
# DIR/NAME, socket DIR/NAME.sock.  Sets VTLR_CONF, VTLR_DIR, VTLR_NAME.
vtlr_conf() {
	local dir=$1 name=$2 cap=${3:-64M} extra=${4:-}
	VTLR_NAME=$name
	VTLR_DIR=$dir/$name
	VTLR_CONF=$dir/$name.conf
	mkdir -p "$dir"
	cat >"$VTLR_CONF" <<EOC
[library]
name = $name
dir = $VTLR_DIR
socket = $dir/$name.sock
slots = 8
mailslots = 2
compression = lz4

[drive 0]
personality = ibm-lto8
serial = VR$name

[cartridges]
create = VR0000L8-VR0003L8 $extra
capacity = $cap
EOC
}

# vtlr_start: start scstu-vtl on $VTLR_CONF (pid in USER_PID[$VTLR_NAME-ch]),
# wait until its changer and drive are attached.
vtlr_start() {
	user_start "$VTLR_NAME-ch" "$ROOT/build/vtl/scstu-vtl" -c "$VTLR_CONF" -v "$@"
	local i
	for ((i = 0; i < 300; i++)); do
		[ "$(cat "$CFS/devices/user/$VTLR_NAME-d0/state" 2>/dev/null)" = attached ] &&
			return 0
		sleep 0.1
	done
	die "drive $VTLR_NAME-d0 did not attach"
}

# vtlr_kill [SIG]: signal the daemon (default KILL) and wait for it.
vtlr_kill() {
	user_stop "$VTLR_NAME-ch" "${1:-KILL}"
}

# vtlr_map TARGET: LUN 0 the changer, LUN 1 the drive, one session; sets
# VTLR_HOST, VTLR_SCH (/dev/schN), VTLR_NST (/dev/nstN), VTLR_SGT (the
# drive's /dev/sgN), VTLR_SGC (the changer's /dev/sgN).
vtlr_map() {
	local t=$CFS/targets/local/$1 d n
	run mkdir "$t" "$t/luns/0" "$t/luns/1"
	run ln -s "$CFS/devices/user/$VTLR_NAME-ch" "$t/luns/0/device"
	run ln -s "$CFS/devices/user/$VTLR_NAME-d0" "$t/luns/1/device"
	run mkdir "$t/sessions/iqn.test:$1"
	VTLR_HOST=$(cat "$t/sessions/iqn.test:$1/host")
	wait_for_scsi_devices 2 || die "changer and drive did not appear"
	VTLR_SGC=$(sg_of_lun "$VTLR_HOST" 0) || die "no sg for the changer"
	VTLR_SGT=$(sg_of_lun "$VTLR_HOST" 1) || die "no sg for the drive"
	d=/sys/class/scsi_device/$VTLR_HOST:0:0:1/device
	n=$(ls "$d/scsi_tape" 2>/dev/null | grep -m1 '^nst[0-9]*$') ||
		die "no nst device under $d"
	VTLR_NST=/dev/$n
	d=/sys/class/scsi_device/$VTLR_HOST:0:0:0/device
	n=$(ls "$d/scsi_changer" 2>/dev/null | head -1) ||
		die "no changer device under $d"
	VTLR_SCH=/dev/$n
	wait_for_path "$VTLR_NST" && wait_for_path "$VTLR_SCH" ||
		die "no $VTLR_NST / $VTLR_SCH"
	export VTLR_NST VTLR_SCH
}

# vtlr_ready: wait (up to 60 s) until st opens the drive (st itself must
# see the unit attention of a newly loaded cartridge, or it keeps the old
# tape's position and EOF state) and TEST UNIT READY gives GOOD.
vtlr_ready() {
	local i
	for ((i = 0; i < 120; i++)); do
		mt -f "$VTLR_NST" status >/dev/null 2>&1 &&
			sg_turs "$VTLR_SGT" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	sg_turs -v "$VTLR_SGT"
	die "the drive did not become ready"
}

# vtlr_ctl ARGS...: vtlctl on this library
vtlr_ctl() {
	"$ROOT/build/vtl/vtlctl" -c "$VTLR_CONF" "$@"
}
# ---- end of VTL robustness helpers ------------------------------------------

# now_ms: milliseconds since the epoch
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# check_fio LOG: fio succeeded without verification errors
check_fio() {
	grep -q "err= 0" "$1" || die "fio reported errors: $(grep -m3 'err=' "$1")"
	! grep -qi "verify.*fail\|bad magic\|crc32c.*mismatch" "$1" || die "fio verification failed"
}

# VTL helpers (scstu-vtl, docs/vtl.md): start a library from a
# configuration, map its changer and drives to LUNs of a local target, find
# the st/ch/sg nodes of a LUN.

VTL="$ROOT/build/vtl/scstu-vtl"
VTLCTL="$ROOT/build/vtl/vtlctl"
VTL_PID=
VTL_CONF=
VTL_NAME=
VTL_DRIVES=0

# vtl_start CONFIG [ARGS...]: start scstu-vtl on CONFIG in the background
# (log /tmp/vtl-NAME.log, appended; more daemon options in ARGS) and wait
# until its changer and every drive are enabled and attached and its control
# socket answers. Sets VTL_PID, VTL_CONF, VTL_NAME, VTL_DRIVES.
vtl_start() {
	local conf=$1 i d all
	shift
	VTL_CONF=$conf
	VTL_NAME=$(sed -n 's/^[[:space:]]*name[[:space:]]*=[[:space:]]*\([^[:space:]#]*\).*/\1/p' "$conf" | head -n1)
	VTL_DRIVES=$(grep -c '^[[:space:]]*\[drive [0-9]*\]' "$conf")
	[ -n "$VTL_NAME" ] || die "vtl_start: no name in $conf"
	echo "+ scstu-vtl -c $conf $* &"
	"$VTL" -c "$conf" "$@" >>"/tmp/vtl-$VTL_NAME.log" 2>&1 &
	VTL_PID=$!
	for ((i = 0; i < 600; i++)); do
		all=1
		for d in ch $(seq -f 'd%g' 0 $((VTL_DRIVES - 1))); do
			if [ "$(cat "$CFS/devices/user/$VTL_NAME-$d/enable" 2>/dev/null)" != 1 ] ||
			   [ "$(cat "$CFS/devices/user/$VTL_NAME-$d/state" 2>/dev/null)" != attached ]; then
				all=0
				break
			fi
		done
		if [ $all = 1 ] && "$VTLCTL" -c "$conf" status >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$VTL_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "/tmp/vtl-$VTL_NAME.log" >&2
	die "scstu-vtl did not come up on $conf"
}

# vtl_stop [SIGNAL]: stop the daemon vtl_start started (TERM) and wait for
# it; status of the daemon (0 after a clean TERM).
vtl_stop() {
	local sig=${1:-TERM} pid=$VTL_PID rc
	[ -n "$pid" ] || return 0
	echo "+ kill -$sig scstu-vtl ($pid)"
	kill "-$sig" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	VTL_PID=
	return $rc
}

# vtlctl ARGS...: vtlctl on the running library's configuration.
vtlctl() {
	"$VTLCTL" -c "$VTL_CONF" "$@"
}

# vtl_map TARGET: map the library to the local target directory TARGET
# (made if missing): LUN 0 the changer, LUN N+1 drive N. Existing LUNs are
# kept (the same devices again after a daemon restart).
vtl_map() {
	local t=$1 i
	[ -d "$t" ] || run mkdir "$t"
	if [ ! -d "$t/luns/0" ]; then
		run mkdir "$t/luns/0"
		run ln -s "$CFS/devices/user/$VTL_NAME-ch" "$t/luns/0/device"
	fi
	for ((i = 0; i < VTL_DRIVES; i++)); do
		[ -d "$t/luns/$((i + 1))" ] && continue
		run mkdir "$t/luns/$((i + 1))"
		run ln -s "$CFS/devices/user/$VTL_NAME-d$i" "$t/luns/$((i + 1))/device"
	done
}

# vtl_session TARGET NAME: open a session (a SCSI host) on TARGET, wait for
# the changer and drives; prints the SCSI host number.
vtl_session() {
	local t=$1 h
	run mkdir "$t/sessions/$2" >&2
	h=$(cat "$t/sessions/$2/host")
	wait_for_scsi_devices $((VTL_DRIVES + 1)) >&2 || die "the library's LUNs did not appear"
	echo "$h"
}

# _class_node H:C:T:L CLASS PATTERN: the /dev node of the first entry of
# the device's CLASS directory whose name matches PATTERN (waits for it).
_class_node() {
	local d=/sys/class/scsi_device/$1/device/$2 n i
	for ((i = 0; i < 100; i++)); do
		for n in "$d"/*; do
			[ -e "$n" ] || continue
			n=${n##*/}
			[[ $n =~ ^$3$ ]] || continue
			wait_for_path "/dev/$n" 10 || return 1
			echo "/dev/$n"
			return 0
		done
		sleep 0.1
	done
	return 1
}

# sch_of_lun H LUN: /dev/schN of the changer at H:0:0:LUN.
sch_of_lun() {
	_class_node "$1:0:0:$2" scsi_changer 'sch[0-9]+'
}

# nst_of_lun H LUN / st_of_lun H LUN: /dev/nstN (no rewind) / /dev/stN of
# the tape drive at H:0:0:LUN.
nst_of_lun() {
	_class_node "$1:0:0:$2" scsi_tape 'nst[0-9]+'
}
st_of_lun() {
	_class_node "$1:0:0:$2" scsi_tape 'st[0-9]+'
}

# mtx_status SCH: `mtx status` of the changer; dies if mtx fails.
mtx_status() {
	mtx -f "$1" status || die "mtx -f $1 status failed"
}

# _sense_bytes: the raw sense bytes sg_raw -v printed in $_OUT, as hex
# strings in the array _SB (empty if none).
_sense_bytes() {
	local line on=0 w
	_SB=()
	while IFS= read -r line; do
		if [ $on = 0 ]; then
			[[ $line == *"Raw sense data"* ]] && on=1
			continue
		fi
		[[ $line =~ ^[[:space:]]+([0-9a-fA-F]{2}[[:space:]]*)+$ ]] || break
		for w in $line; do _SB+=("$w"); done
	done <<<"$_OUT"
}

# expect_field ASC ASCQ BYTE BIT [CD] -- sg_raw ...: ILLEGAL REQUEST, ASC/ASCQ
# and a valid field pointer (fixed format bytes 15-17: SKSV, C/D = CD
# (default 1: the CDB; 0: the parameter list), BPV and BIT unless BIT is
# -, FIELD POINTER = BYTE).
expect_field() {
	local asc=$1 ascq=$2 byte=$3 bit=$4 cd=1 want got
	shift 4
	if [ "${1:-}" != "--" ]; then
		cd=$1
		shift
	fi
	[ "${1:-}" = "--" ] && shift
	expect_sense ILLEGAL_REQUEST "$asc" "$ascq" -- "$@"
	_sense_bytes
	[ ${#_SB[@]} -ge 18 ] || die "sense without sense-key specific bytes: $*"
	want=$((0x80 | cd << 6))
	[ "$bit" != - ] && want=$((want | 0x08 | bit))
	want=$(printf '%02x %04x' $want "$byte")
	got=$(printf '%02x %04x' $((16#${_SB[15]})) $((16#${_SB[16]}${_SB[17]})))
	[ "$got" = "$want" ] || die "field pointer: expected '$want', got '$got': $*"
	ok "field pointer byte $byte bit $bit (C/D $cd)"
}
