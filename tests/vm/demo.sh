#!/bin/bash
# `make run`: boot the test VM, load the scstu modules, start the userspace
# handlers the default configuration names (the scstu-ramdisk and scstu-file
# samples of libscstuser, and the tape library scstu-vtl with
# tools/vtl0.conf), apply the default configuration (tools/default.conf),
# show the SCSI devices and the scstuadm tree, then on the in-kernel ramdisk
# LUN and on both userspace LUNs put an ext4 filesystem, copy files onto it
# and check it; then the tape library: `mtx status`, `vtlctl list`, load a
# cartridge with mtx, write a tar archive to the drive's /dev/nstN, rewind,
# read it back and compare, unload it (mt offline, mtx unload).  Then, when
# stdin is a terminal, a root shell in the VM (leave it with `exit` or
# Ctrl-D; the VM powers off); otherwise exit 0, or 1 if a step failed.
#
#   tests/vm/demo.sh            on the host
#   tests/vm/demo.sh --guest    the part that runs inside the VM
#
# Environment: SCSTU_DEMO_CONF (default tools/default.conf), and the
# SCSTU_VM_* variables of tests/vm/vm.sh.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

if [ "${1:-}" != "--guest" ]; then
	# ---- host side ----
	for f in kernel/scstu.ko kernel/scstu_null.ko kernel/scstu_local.ko \
		kernel/scstu_user.ko build/scstuadm build/samples/scstu-ramdisk \
		build/samples/scstu-file build/vtl/scstu-vtl build/vtl/vtlctl; do
		[ -e "$ROOT/$f" ] || { echo "demo: $f missing: run 'make' first" >&2; exit 1; }
	done
	export SCSTU_VM_CONSOLE=1
	# errors and worse on the console, not every SCSI notice
	export SCSTU_VM_APPEND=${SCSTU_VM_APPEND:-loglevel=4}
	if [ -t 0 ] && [ -t 1 ]; then
		export SCSTU_DEMO_SHELL=1
		read -r rows cols < <(stty size 2>/dev/null || echo "24 80")
		export SCSTU_TTY_ROWS=$rows SCSTU_TTY_COLS=$cols
		# an interactive session may last; still end a forgotten one
		export SCSTU_VM_TIMEOUT=${SCSTU_VM_TIMEOUT:-28800}
		echo "demo: booting the VM (TCG, takes a few seconds); Ctrl-A x kills it"
	else
		export SCSTU_DEMO_SHELL=0
	fi
	exec bash "$ROOT/tests/vm/vm.sh" "$ROOT/tests/vm/demo.sh" --guest
fi

# ---- guest side ----
. "$ROOT/tests/integration/lib.sh"
set +e
CONF=${SCSTU_DEMO_CONF:-$ROOT/tools/default.conf}
VTL_CONF=$ROOT/tools/vtl0.conf
VTLCTL=$ROOT/build/vtl/vtlctl
MNT=/tmp/mnt
failed=0

step() {
	echo
	echo "==== $*"
}

fail() {
	echo "demo: FAILED: $*"
	failed=1
}

# The /dev/sdX that shows the LUN backed by device BACKEND/NAME, through
# the first session of a local target.
device_sd() {
	local t l h dev
	for t in "$CFS"/targets/local/*/; do
		for h in "$t"sessions/*/host; do
			[ -f "$h" ] || continue
			h=$(cat "$h")
			for l in "$t"luns/*/; do
				dev=$(readlink -f "$l"* 2>/dev/null | grep -m1 "/devices/$1\$")
				[ -n "$dev" ] || continue
				sd_of_lun "$h" "$(basename "$l")" && return 0
			done
			break
		done
	done
	return 1
}

# fs_check BACKEND/NAME: ext4 on that device's LUN, copy files, fsck
fs_check() {
	local sd
	step "filesystem on $1"
	sd=$(device_sd "$1") || { fail "no /dev/sdX for $1"; return; }
	echo "$1 is $sd"
	mkfs.ext4 -F -q -L scstu-demo "$sd" || { fail "mkfs.ext4 $sd"; return; }
	mkdir -p "$MNT"
	mount "$sd" "$MNT" || { fail "mount $sd"; return; }
	cp -r "$ROOT/docs" "$ROOT/README.md" "$MNT/" || fail "copying files"
	sync
	ls -l "$MNT"
	df -h "$MNT"
	umount "$MNT" || { fail "umount"; return; }
	e2fsck -f -n "$sd" || fail "e2fsck -f -n $sd"
}

# Wait until every LUN that a session sees exists as a SCSI device with its
# /dev node (the scan after session creation is asynchronous).
wait_for_luns() {
	local s h l rc=0
	for s in "$CFS"/targets/*/*/sessions/*/; do
		[ -f "$s/host" ] || continue
		h=$(cat "$s/host")
		for l in $(cat "$s/luns" 2>/dev/null); do
			sg_of_lun "$h" "$l" >/dev/null || rc=1
		done
	done
	udev_settle 20
	return $rc
}

# vtl_start: scstu-vtl with tools/vtl0.conf, until its five devices (the
# changer and four drives) are registered and attached
vtl_start() {
	local d i
	user_start vtl0-ch "$ROOT/build/vtl/scstu-vtl" -c "$VTL_CONF"
	for d in vtl0-d0 vtl0-d1 vtl0-d2 vtl0-d3; do
		for ((i = 0; i < 100; i++)); do
			[ "$(cat "$CFS/devices/user/$d/state" 2>/dev/null)" = attached ] && break
			sleep 0.1
		done
		[ "$(cat "$CFS/devices/user/$d/state" 2>/dev/null)" = attached ] || return 1
	done
}

# tape_demo: the library of tools/vtl0.conf (target vtl0: LUN 0 the
# changer, LUNs 1..4 the drives) through the ch/sg and st drivers
tape_demo() {
	local s h chg nst i d=/tmp/tape-restore
	step "the tape library (target vtl0)"
	s=$(ls -d "$CFS"/targets/local/vtl0/sessions/*/ 2>/dev/null | head -1)
	[ -n "$s" ] || { fail "no session on the target vtl0"; return; }
	h=$(cat "$s/host")
	chg=$(sg_of_lun "$h" 0) || { fail "no sg node for the changer"; return; }
	for ((i = 0; i < 100; i++)); do
		nst=$(ls "/sys/class/scsi_device/$h:0:0:1/device/scsi_tape" 2>/dev/null |
			grep -m1 '^nst[0-9]*$') && break
		sleep 0.1
	done
	[ -n "$nst" ] || { fail "no st device for drive 0 (LUN 1)"; return; }
	nst=/dev/$nst
	wait_for_path "$nst" 10 || { fail "$nst did not appear"; return; }
	echo "changer $chg, drive 0 is $nst"

	step "mtx -f $chg status"
	mtx -f "$chg" status || { fail "mtx status"; return; }

	step "vtlctl list"
	"$VTLCTL" -c "$VTL_CONF" list || fail "vtlctl list"

	step "mtx -f $chg load 1 0: cartridge of slot 1 into drive 0"
	mtx -f "$chg" load 1 0 || { fail "mtx load 1 0"; return; }
	# the drive reports the new medium (unit attention) once, then is ready
	for ((i = 0; i < 25; i++)); do
		mt -f "$nst" status >/dev/null 2>&1 && break
		sleep 0.2
	done
	mt -f "$nst" status || { fail "mt status"; return; }
	"$VTLCTL" -c "$VTL_CONF" drives || fail "vtlctl drives"

	step "tar to $nst (256 KiB records), rewind, read back, compare"
	tar -c -b 512 -f "$nst" -C "$ROOT" README.md docs || { fail "tar -c to $nst"; return; }
	mt -f "$nst" rewind || { fail "mt rewind"; return; }
	tar -t -b 512 -f "$nst" | tail -3
	mt -f "$nst" rewind || { fail "mt rewind"; return; }
	rm -rf "$d" && mkdir -p "$d"
	tar -x -b 512 -f "$nst" -C "$d" || { fail "tar -x from $nst"; return; }
	if diff -r "$ROOT/docs" "$d/docs" && cmp "$ROOT/README.md" "$d/README.md"; then
		echo "read back $(find "$d" -type f | wc -l) files, identical"
	else
		fail "what tar read back differs"
	fi
	mt -f "$nst" status | head -3

	step "mt offline + mtx unload 1 0: back to slot 1"
	mt -f "$nst" offline || { fail "mt offline"; return; }
	mtx -f "$chg" unload 1 0 || { fail "mtx unload 1 0"; return; }
	mtx -f "$chg" status | grep -E "Data Transfer Element 0|Storage Element 1:" |
		tee /tmp/mtx-after
	grep -q "Storage Element 1:Full.*E01000L8" /tmp/mtx-after ||
		fail "E01000L8 is not back in slot 1"
	"$VTLCTL" -c "$VTL_CONF" list | head -4
}

demo() {
	step "load the modules"
	( load_modules ) || { fail "loading the modules"; return; }
	lsmod | grep -E '^(scstu|Module)'

	step "start the userspace handlers (libscstuser samples)"
	truncate -s 256M /tmp/ufile0.img
	( user_start urd0 "$ROOT/build/samples/scstu-ramdisk" --name urd0 --size 256M ) ||
		{ fail "starting scstu-ramdisk"; return; }
	( user_start ufile0 "$ROOT/build/samples/scstu-file" --name ufile0 --file /tmp/ufile0.img --size 256M ) ||
		{ fail "starting scstu-file"; return; }

	step "start the tape library: scstu-vtl -c tools/vtl0.conf"
	( vtl_start ) || { fail "starting scstu-vtl: $(tail -5 /tmp/handler-vtl0-ch.log)"; return; }
	pgrep -a scstu-

	step "scstuadm apply $CONF"
	"$SCSTUADM" apply "$CONF" || { fail "scstuadm apply"; return; }
	wait_for_luns || fail "not every configured LUN showed up"

	step "lsscsi -g"
	lsscsi -g

	step "scstuadm tree"
	"$SCSTUADM" tree || fail "scstuadm tree"

	fs_check ramdisk/rd0
	fs_check user/urd0
	fs_check user/ufile0
	tape_demo
}

demo
if [ $failed = 0 ]; then
	echo "==== demo: all steps passed"
else
	echo "==== demo: some steps FAILED"
fi
echo "$failed" >"$SCSTU_RESULTS/demo.failed"

if [ "${SCSTU_DEMO_SHELL:-0}" = 1 ] && [ -c /dev/ttyS0 ]; then
	cat >/tmp/demo-rc <<EOF
PS1='scstu-vm:\w# '
cd "$ROOT"
alias scstuadm="$SCSTUADM"
alias vtlctl="$VTLCTL -c $VTL_CONF"
EOF
	cat <<EOF

==== A root shell in the VM. The repository is read-only at $ROOT;
     /tmp is writable.  Try: scstuadm tree, lsscsi -g, sg_inq /dev/sdX,
     ls $CFS, mtx -f /dev/sgN status (the changer), mt -f /dev/nst0
     status, vtlctl -c tools/vtl0.conf list (alias vtlctl).  'exit' or Ctrl-D powers the VM off.
EOF
	stty -F /dev/ttyS0 sane rows "${SCSTU_TTY_ROWS:-24}" cols "${SCSTU_TTY_COLS:-80}" 2>/dev/null
	TERM=${TERM:-vt100} setsid -w -c bash --rcfile /tmp/demo-rc -i \
		</dev/ttyS0 >/dev/ttyS0 2>&1
fi
exit $failed
