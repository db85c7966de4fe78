#!/bin/bash
# Task attributes (SAM-5 8.6): an ORDERED command waits for everything before
# it and holds back everything after it; HEAD OF QUEUE starts at once. The
# local driver's per-session task_attr attribute makes a session send its
# commands with a given attribute; the nullio device delays every command.
. "$(dirname "$0")/lib.sh"
set -u

load_modules
T=$CFS/targets/local/t0
D=$CFS/devices/nullio/n0
DELAY=6000

run mkdir "$D"
cfs_write "$D/size" $((64 << 20))
cfs_write "$D/enable" 1
run mkdir "$T" "$T/luns/0"
run ln -s "$D" "$T/luns/0/device"
for s in simple ordered hoq; do run mkdir "$T/sessions/iqn.test:$s"; done
cfs_write "$T/sessions/iqn.test:ordered/task_attr" ordered
cfs_write "$T/sessions/iqn.test:hoq/task_attr" head_of_queue
wait_for_scsi_devices 3 || die "SCSI devices did not appear"
for s in simple ordered hoq; do
	h=$(cat "$T/sessions/iqn.test:$s/host")
	eval "sg_$s=\$(sg_of_lun $h 0)" || die "no sg node for $s"
done
for d in $sg_simple $sg_ordered $sg_hoq; do sg_turs -n 3 "$d" >/dev/null 2>&1; done
cfs_write "$D/delay_ms" $DELAY

# read_state: IN_FLIGHT and WAITING from the device stats (no fork: TCG is slow)
read_state() {
	local k v
	while read -r k v; do
		case $k in
		in_flight) IN_FLIGHT=$v ;;
		waiting) WAITING=$v ;;
		esac
	done <"$D/stats"
}
order=/tmp/task-attr-order
: >"$order"
# job NAME DEV CDB...: run the command in the background, log NAME at the end
job() {
	local name=$1 dev=$2
	shift 2
	( sg_raw -t 60 -r 512 -o /dev/null "$dev" "$@" >"/tmp/ta-$name.log" 2>&1 && echo "$name" >>"$order" ) &
}
# wait_state IN_FLIGHT WAITING: the device reaches that state within 3 s
wait_state() {
	local end=$((SECONDS + 3))
	while :; do
		read_state
		[ "$IN_FLIGHT" = "$1" ] && [ "$WAITING" = "$2" ] && return 0
		[ $SECONDS -lt $end ] || break
		sleep 0.05
	done
	die "device state: in_flight $IN_FLIGHT waiting $WAITING, want $1 $2"
}

job read1 "$sg_simple" 28 00 00 00 00 00 00 00 01 00
wait_state 1 0
job ordered "$sg_ordered" 00 00 00 00 00 00
wait_state 1 1
ok "ORDERED waits behind the running SIMPLE command"
job read2 "$sg_simple" 28 00 00 00 00 08 00 00 01 00
wait_state 1 2
ok "a later SIMPLE command waits behind the ORDERED one"
job hoq "$sg_hoq" 00 00 00 00 00 00
wait_state 2 2
ok "HEAD OF QUEUE starts at once"
wait
got=$(tr '\n' ' ' <"$order")
cat /tmp/ta-*.log
[ "$got" = "read1 hoq ordered read2 " ] || die "completion order '$got', want 'read1 hoq ordered read2'"
ok "completion order read1, hoq, ordered, read2"
read_state
[ "$IN_FLIGHT $WAITING" = "0 0" ] || die "device not idle: $IN_FLIGHT $WAITING" 

cfs_write "$D/delay_ms" 0
for s in simple ordered hoq; do run rmdir "$T/sessions/iqn.test:$s"; done
run rm "$T/luns/0/device"
run rmdir "$T/luns/0" "$T"
cfs_write "$D/enable" 0
run rmdir "$D"
unload_modules || die "modules did not unload"
ok "all done"
