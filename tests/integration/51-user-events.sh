#!/bin/bash
# scstu_user: events and edge paths, each with an exact expected result,
# through the raw-ABI rawdisk handler (--events --ctl FIFO) and two
# sessions (two initiators) on one LUN:
#  - UA CQE 2A/09: the next command of each nexus gets UNIT ATTENTION
#    2A/09 once; with except_session, the excepted session's does not;
#  - SET_PARAM D_SENSE=1: the kernel's sense is descriptor format (0x72),
#    and fixed (0x70) again after D_SENSE=0;
#  - a 32-byte variable-length CDB (0x7f) reaches the handler intact, with
#    and without data-out; a longer CDB cannot be sent through
#    scstu_local (max_cmd_len 32) and never reaches the handler;
#  - WAKE returns a thread sleeping in ENTER(WAIT) promptly;
#  - TARGET RESET (sg_reset -t), I_T NEXUS RESET (sg_reset -H and the
#    session tmf attribute) reach the handler as RESET with fn, session
#    and lun (~0 for target reset);
#  - a buffer larger than the data area (data_size 64 KiB, READ/WRITE of
#    128 KiB): ILLEGAL REQUEST 24/00 without reaching the handler;
#  - rmdir of a session and removal of the LUN mapping each give DETACH
#    for exactly the nexuses that were announced.
# scstu-test-timeout: 400
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/t51
D=$CFS/devices/user/ev0
RAWDISK=$ROOT/build/user-abi/rawdisk
W=/tmp/51-events
CTL=$W/ctl
LOG=$W/rawdisk.log
mkdir -p $W
pid=
nctl=0

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	cfs_teardown
}
trap cleanup EXIT

start_rawdisk() {
	: >$LOG
	"$RAWDISK" --name ev0 --size-mb 16 --events --ctl $CTL "$@" >>$LOG 2>&1 &
	pid=$!
	nctl=0
	for ((i = 0; i < 100; i++)); do
		grep -q '^ready' $LOG && { cat $LOG; return 0; }
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	cat $LOG
	die "rawdisk did not start"
}

stop_rawdisk() {
	kill "$pid"
	wait "$pid" 2>/dev/null
	pid=
}

# wait_log PATTERN: until the handler's log has a line matching PATTERN
wait_log() {
	for ((i = 0; i < 200; i++)); do
		grep -q "$1" $LOG && return 0
		sleep 0.1
	done
	cat $LOG
	die "rawdisk never logged '$1'"
}

# ctl CMD...: send a control command, wait until the handler logged it done
ctl() {
	echo "+ ctl $*"
	echo "$*" >$CTL
	nctl=$((nctl + 1))
	wait_log "^ctl $nctl: "
	grep "^ctl $nctl: " $LOG
	grep -q "^ctl $nctl: .*: ok" $LOG || die "ctl $* failed"
	grep -q "^ctl $nctl: .*rejected [1-9]" $LOG && die "ctl $*: CQE rejected"
	return 0
}

# sense_format: first byte of the raw sense of the last expect_sense
sense_format() {
	local line on=0
	while IFS= read -r line; do
		if [ $on = 0 ]; then
			[[ $line == *"Raw sense data"* ]] && on=1
			continue
		fi
		set -- $line
		echo "$1"
		return 0
	done <<<"$_OUT"
	return 1
}

# expect_sense_fmt FMT KEY ASC ASCQ -- CMD: expect_sense, and the sense
# data's response code is FMT (70 or 72)
expect_sense_fmt() {
	local fmt=$1 f
	shift
	expect_sense "$@"
	f=$(sense_format) || die "no raw sense"
	[ "$f" = "$fmt" ] || die "sense response code $f, want $fmt"
	ok "sense format $fmt"
}

# count PATTERN: lines of the handler's log matching PATTERN
count() {
	grep -c "$1" $LOG
}

TUR=(00 00 00 00 00 00)

load_modules
[ -x "$RAWDISK" ] || die "$RAWDISK not built"
rm -f $CTL
mkfifo $CTL
run mkdir "$D"
start_rawdisk
[ "$(cat $D/state)" = attached ] || die "state $(cat $D/state)"
grep -q "^ready: ev0, 1 queue(s) of 256 entries, data 33554432, features 0xf" $LOG ||
	die "features not all granted"

run mkdir "$T" "$T/luns/0"
run ln -s "$D" "$T/luns/0/device"
run mkdir "$T/sessions/iqn.test:a"
wait_log "^ATTACH session [0-9]* lun 0 initiator iqn.test:a target t51"
run mkdir "$T/sessions/iqn.test:b"
wait_log "^ATTACH session [0-9]* lun 0 initiator iqn.test:b target t51"
sa=$(sed -n 's/^ATTACH session \([0-9]*\) lun 0 initiator iqn.test:a .*/\1/p' $LOG)
sb=$(sed -n 's/^ATTACH session \([0-9]*\) lun 0 initiator iqn.test:b .*/\1/p' $LOG)
[ -n "$sa" ] && [ -n "$sb" ] && [ "$sa" != "$sb" ] ||
	die "session ids '$sa' '$sb'"
ha=$(cat "$T/sessions/iqn.test:a/host")
hb=$(cat "$T/sessions/iqn.test:b/host")
wait_for_scsi_devices 2 || die "SCSI devices did not appear"
sga=$(sg_of_lun "$ha" 0) && sgb=$(sg_of_lun "$hb" 0) || die "no sg nodes"
echo "session a: id $sa $sga; session b: id $sb $sgb"
# the power-on unit attention of each nexus
for s in "$sga" "$sgb"; do
	for ((i = 0; i < 4; i++)); do sg_turs "$s" >/dev/null 2>&1 && break; done
done
expect_good -- sg_raw "$sga" "${TUR[@]}"
expect_good -- sg_raw "$sgb" "${TUR[@]}"

echo "== UA CQE: 2A/09 on every nexus"
ctl ua 2a 09
expect_sense_fmt 70 UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$sga" "${TUR[@]}"
expect_good -- sg_raw "$sga" "${TUR[@]}"
expect_sense_fmt 70 UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$sgb" "${TUR[@]}"
expect_good -- sg_raw "$sgb" "${TUR[@]}"
ok "2A/09 once on each nexus"

echo "== UA CQE with except_session = session a"
ctl ua 2a 09 "$sa"
expect_good -- sg_raw "$sga" "${TUR[@]}"
expect_sense UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$sgb" "${TUR[@]}"
expect_good -- sg_raw "$sgb" "${TUR[@]}"
expect_good -- sg_raw "$sga" "${TUR[@]}"
ok "the excepted session got no unit attention, the other one did"

echo "== SET_PARAM D_SENSE"
ctl dsense 1
ctl ua 2a 09
expect_sense_fmt 72 UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$sga" "${TUR[@]}"
expect_sense_fmt 72 UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$sgb" "${TUR[@]}"
ctl dsense 0
ctl ua 2a 09
expect_sense_fmt 70 UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$sga" "${TUR[@]}"
expect_sense_fmt 70 UNIT_ATTENTION 0x2a 0x09 -- sg_raw "$sgb" "${TUR[@]}"
ok "D_SENSE=1: descriptor sense; D_SENSE=0: fixed again"

echo "== variable-length CDBs (opcode 0x7f)"
cat /sys/class/scsi_host/host$ha/max_cmd_len 2>/dev/null |
	sed 's/^/scstu_local max_cmd_len: /'
# 32 bytes: 8-byte header, additional CDB length 24, service action 0xfff0
cdb=(7f 00 00 00 00 00 00 18 ff f0)
for ((i = 10; i < 32; i++)); do cdb+=("$(printf %02x $((0xa0 + i)))"); done
hex=$(printf %s "${cdb[@]}")
expect_good -- sg_raw "$sga" "${cdb[@]}"
grep -q "^VARLEN len 32 in_data 0 dir 0 xfer 0 sum 0 cdb $hex\$" $LOG ||
	die "CDB not intact: $(grep VARLEN $LOG)"
ok "32-byte CDB arrived intact (inline)"
head -c 4096 /dev/urandom >$W/out
sum=$(od -An -v -tu1 $W/out | tr -s ' ' '\n' | awk '{s += $1} END {print s}')
cdb[9]=f1
hex=$(printf %s "${cdb[@]}")
expect_good -- sg_raw -s 4096 -i $W/out "$sga" "${cdb[@]}"
grep -q "^VARLEN len 32 in_data 0 dir 1 xfer 4096 sum $sum cdb $hex\$" $LOG ||
	die "CDB with data-out not intact (sum $sum): $(grep VARLEN $LOG)"
ok "32-byte CDB with 4 KiB data-out arrived intact"
n=$(count "^VARLEN")
long=("${cdb[@]}" 01 02 03 04 05 06 07 08)
long[7]=20
echo "+ sg_raw ${long[*]}"
if sg_raw "$sga" "${long[@]}" >$W/long.out 2>&1; then
	cat $W/long.out
	die "a 40-byte CDB succeeded through scstu_local"
fi
cat $W/long.out
[ "$(count "^VARLEN")" = "$n" ] || die "a 40-byte CDB reached the handler"
ok "a 40-byte CDB is refused on the initiator side (SCSI max_cmd_len 32); F_LONG_CDB cannot be exercised through scstu_local"

echo "== WAKE wakes ENTER(WAIT)"
sleep 1
ctl wake
wait_log "^queue 0: woken after"
ms=$(sed -n 's/^queue 0: woken after \([0-9]*\) ms/\1/p' $LOG | tail -1)
[ "$ms" -lt 1000 ] || die "ENTER returned $ms ms after WAKE"
ok "ENTER(WAIT, no timeout) returned $ms ms after WAKE"

echo "== TARGET RESET (sg_reset -t) through session a"
n=$(count "^RESET")
run sg_reset -t "$sga"
wait_log "^RESET TARGET"
[ "$(count "^RESET")" = $((n + 1)) ] || die "RESETs: $(grep ^RESET $LOG)"
grep -q "^RESET TARGET session $sa lun -1\$" $LOG ||
	die "$(grep ^RESET $LOG), want RESET TARGET session $sa lun -1"
ok "RESET TARGET session $sa lun ~0"

echo "== I_T NEXUS RESET (sg_reset -H) through session a"
run sg_reset -H "$sga"
wait_log "^RESET NEXUS"
[ "$(count "^RESET")" = $((n + 2)) ] || die "RESETs: $(grep ^RESET $LOG)"
grep -q "^RESET NEXUS session $sa lun 0\$" $LOG ||
	die "$(grep ^RESET $LOG), want RESET NEXUS session $sa lun 0"
ok "RESET NEXUS session $sa lun 0"

echo "== I_T NEXUS RESET (session tmf attribute) through session b"
cfs_write "$T/sessions/iqn.test:b/tmf" it_nexus_reset
[ "$(count "^RESET")" = $((n + 3)) ] || die "RESETs: $(grep ^RESET $LOG)"
grep -q "^RESET NEXUS session $sb lun 0\$" $LOG ||
	die "$(grep ^RESET $LOG), want RESET NEXUS session $sb lun 0"
ok "RESET NEXUS session $sb lun 0"
[ "$(count "^ABORT")" = 0 ] || die "ABORTs without commands: $(grep ^ABORT $LOG)"
# the resets' unit attentions
for s in "$sga" "$sgb"; do
	for ((i = 0; i < 4; i++)); do sg_turs "$s" >/dev/null 2>&1 && break; done
done

echo "== a buffer larger than the data area"
stop_rawdisk
start_rawdisk --data-size 65536
grep -q "^ready: ev0, 1 queue(s) of 256 entries, data 65536," $LOG ||
	die "data_size not granted"
# announced again at REGISTER
wait_log "^ATTACH session $sb lun 0 initiator iqn.test:b"
wait_log "^ATTACH session $sa lun 0 initiator iqn.test:a"
[ "$(count "^ATTACH")" = 2 ] || die "ATTACHes: $(grep ^ATTACH $LOG)"
expect_good -- sg_raw -r 65536 "$sga" 28 00 00 00 00 00 00 00 80 00
expect_sense_fmt 70 ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 131072 "$sga" 28 00 00 00 00 00 00 01 00 00
head -c 131072 /dev/zero >$W/zero
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -s 131072 -i $W/zero "$sga" 2a 00 00 00 00 00 00 01 00 00
ctl dsense 1
expect_sense_fmt 72 ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 131072 "$sgb" 28 00 00 00 00 00 00 01 00 00
ctl dsense 0
expect_good -- sg_raw -r 65536 "$sgb" 28 00 00 00 00 00 00 00 80 00
ok "64 KiB fits a 64 KiB data area; 128 KiB READ/WRITE end 24/00"

echo "== DETACH"
[ "$(count "^DETACH")" = 0 ] || die "early DETACH: $(grep ^DETACH $LOG)"
run rmdir "$T/sessions/iqn.test:b"
wait_log "^DETACH session $sb lun 0\$"
[ "$(count "^DETACH")" = 1 ] || die "DETACHes: $(grep ^DETACH $LOG)"
ok "rmdir session b: DETACH session $sb lun 0"
run rm "$T/luns/0/device"
wait_log "^DETACH session $sa lun 0\$"
sleep 0.5
[ "$(count "^DETACH")" = 2 ] || die "DETACHes: $(grep ^DETACH $LOG)"
ok "LUN mapping removed: DETACH session $sa lun 0"

[ "$(cat $D/protocol_errors)" = 0 ] || die "protocol_errors $(cat $D/protocol_errors)"
ok "no protocol errors"
stop_rawdisk
cat $LOG
