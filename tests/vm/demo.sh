#!/bin/bash
# `make run`: boot the test VM, load the scstu modules, start the userspace
# handlers the default configuration names (the scstu-ramdisk and scstu-file
# samples of libscstuser), apply the default configuration
# (tools/default.conf), show the SCSI devices and the scstuadm tree, then on
# the in-kernel ramdisk LUN and on both userspace LUNs put an ext4
# filesystem, copy files onto it and check it.  Then, when stdin is a terminal, a root shell in the VM (leave it
# with `exit` or Ctrl-D; the VM powers off); otherwise exit 0, or 1 if a
# step failed.
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
		build/samples/scstu-file; do
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
EOF
	cat <<EOF

==== A root shell in the VM. The repository is read-only at $ROOT;
     /tmp is writable.  Try: scstuadm tree, lsscsi -g, sg_inq /dev/sdX,
     ls $CFS.  'exit' or Ctrl-D powers the VM off.
EOF
	stty -F /dev/ttyS0 sane rows "${SCSTU_TTY_ROWS:-24}" cols "${SCSTU_TTY_COLS:-80}" 2>/dev/null
	TERM=${TERM:-vt100} setsid -w -c bash --rcfile /tmp/demo-rc -i \
		</dev/ttyS0 >/dev/ttyS0 2>&1
fi
exit $failed
