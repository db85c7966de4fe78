#!/bin/bash
# scstuadm: bad config files and failed applies change nothing.
#  - a file with a syntax error, and one with many kinds of errors: exit 1,
#    every error as FILE:LINE: message, configfs unchanged;
#  - an unknown backend/driver (checked against configfs): same;
#  - usage errors exit 2;
#  - a file whose apply fails midway in the kernel (block_size = 1000 is
#    valid for scstuadm, only the backend rejects it) after sessions, LUNs,
#    a group and a whole device were already removed and attributes
#    changed: everything is rolled back, configfs is exactly as before.
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/scstuadm-errors
rm -rf "$W"
mkdir -p "$W"
A=iqn.2026-11.org.scstu:err-a
B=iqn.2026-11.org.scstu:err-b
T=$CFS/targets/local/lt

# expect_fail RC FILE: scstuadm apply FILE exits RC; output in $W/err
expect_apply_fail() {
	local want=$1 rc
	shift
	echo "+ scstuadm $*"
	"$SCSTUADM" "$@" >"$W/out" 2>"$W/err"
	rc=$?
	sed 's/^/    /' "$W/err"
	[ "$rc" = "$want" ] || die "scstuadm $* exited $rc, want $want"
}

# has MSG: stderr of the last command has this line
has() {
	grep -qxF "$1" "$W/err" || die "missing message: $1"
	ok "reported: $1"
}

unchanged() {
	cfs_listing "$W/now"
	diff -u "$W/before" "$W/now" || die "configfs changed: $*"
	ok "configfs unchanged ($*)"
}

load_modules
[ -x "$SCSTUADM" ] || die "$SCSTUADM not built"

cat >"$W/base.conf" <<CONF
[device rd0]
backend = ramdisk
size = 32M
[device n0]
backend = nullio
size = 1G
block_size = 4096
serial = n0serial
[target lt]
driver = local
lun.0 = rd0
lun.1 = n0
lun.1.read_only = true
sessions = $A;$B
[group lt gb]
initiators = $B
lun.0 = n0
CONF
run "$SCSTUADM" apply "$W/base.conf"
# a non-default value that only the rollback of a device removal restores
cfs_write "$CFS/devices/nullio/n0/delay_ms" 3
cfs_listing "$W/before"

echo "== syntax errors"
cat >"$W/syntax.conf" <<'CONF'
[device rd0]
backend = ramdisk
this line is junk
[device x
backend = nullio
CONF
expect_apply_fail 1 apply "$W/syntax.conf"
F=$W/syntax.conf
has "scstuadm: $F:3: expected '[section]', 'key = value' or a '#' comment"
has "scstuadm: $F:4: section header does not end with ']'"
unchanged "syntax errors"

echo "== many kinds of errors in one file"
cat >"$W/bad.conf" <<CONF
[device rd0]
backend = ramdisk
size = 12Q
[device bad/name]
backend = nullio
[device x]
backend = nosuch
[target lt]
driver = local
lun.0 = rd0
lun.16384 = rd0
lun.00 = rd0
lun.2 = ghost
lun.1.read_only = maybe
sessions = $A;$A
[group lt g1]
initiators = i1
[group lt g2]
initiators = i1
[group nowhere g]
[frobnicate x]
[target t2]
driver = iscsi
CONF
F=$W/bad.conf
expect_apply_fail 1 apply "$F"
has "scstuadm: $F:3: invalid size '12Q' for 'size' (bytes, or a number with a K/M/G/T suffix)"
has "scstuadm: $F:4: invalid device name 'bad/name': name contains '/'"
has "scstuadm: $F:7: device 'x': unknown backend 'nosuch' (available: nullio, ramdisk, user)"
has "scstuadm: $F:11: LUN 16384 out of range (0..16383)"
has "scstuadm: $F:12: duplicate LUN 0 (first at line 10)"
has "scstuadm: $F:13: LUN 2: unknown device 'ghost' (no [device ghost] section)"
has "scstuadm: $F:14: invalid boolean 'maybe' for 'lun.1.read_only' (true/false, yes/no, on/off, 1/0)"
has "scstuadm: $F:15: session '$A' listed twice"
has "scstuadm: $F:19: initiator 'i1' is in two groups of target 'lt': 'g1' (line 17) and 'g2'"
has "scstuadm: $F:20: group 'g': unknown target 'nowhere' (no [target nowhere] section)"
has "scstuadm: $F:21: unknown section kind 'frobnicate' (expected device, target or group)"
has "scstuadm: $F:23: target 't2': unknown driver 'iscsi' (available: local)"
has "scstuadm: $F: 12 errors, nothing changed"
unchanged "file with 12 errors"
expect_apply_fail 1 check "$F"
has "scstuadm: $F: 12 errors, nothing changed"
expect_apply_fail 1 apply --dry-run "$F"
[ -s "$W/out" ] && die "dry-run of a bad file printed a plan"
unchanged "check and dry-run of the bad file"

echo "== an attribute the backend does not have"
sed 's/^serial = n0serial$/colour = blue/' "$W/base.conf" >"$W/attr.conf"
expect_apply_fail 1 apply "$W/attr.conf"
has "scstuadm: $W/attr.conf:8: device 'n0': backend 'nullio' has no attribute 'colour'"
unchanged "unknown attribute"

echo "== usage errors"
expect_apply_fail 2
expect_apply_fail 2 apply
expect_apply_fail 2 frobnicate
expect_apply_fail 2 tree --dry-run
expect_apply_fail 2 dump --json
expect_apply_fail 1 apply /nonexistent.conf
grep -q "^scstuadm: /nonexistent.conf: cannot read: " "$W/err" || die "no read error"
unchanged "usage errors"

echo "== apply fails in the kernel midway: rollback"
# removes session B, the group, LUN 1 and device n0 (all removal steps
# run first), changes rd0 and the target, then creates device rz with a
# block size only the kernel rejects (after rd0 was changed: devices are
# created in name order)
cat >"$W/rb.conf" <<CONF
[device rd0]
backend = ramdisk
size = 64M
vendor_id = ROLLBACK
[device rz]
backend = nullio
size = 1M
block_size = 1000
[device zz]
backend = ramdisk
size = 1M
[target lt]
driver = local
auto_rescan = 0
lun.0 = rd0
lun.5 = rd0
sessions = $A
CONF
run "$SCSTUADM" check "$W/rb.conf"
"$SCSTUADM" apply --dry-run "$W/rb.conf" | tee "$W/plan"
grep -qx "rmdir devices/nullio/n0" "$W/plan" || die "plan does not remove n0"
grep -qx "rmdir targets/local/lt/sessions/$B" "$W/plan" || die "plan does not remove session B"
expect_apply_fail 1 apply "$W/rb.conf"
has "scstuadm: $W/rb.conf:8: write devices/nullio/rz/block_size = 1000: Invalid argument"
has "scstuadm: rolled back: the running configuration is unchanged"
unchanged "after a kernel-rejected write and rollback"
[ "$(cat "$CFS/devices/nullio/n0/serial")" = n0serial ] || die "n0 serial not restored"
[ "$(cat "$CFS/devices/nullio/n0/delay_ms")" = 3 ] || die "n0 delay_ms not restored"
[ -d "$T/sessions/$B" ] || die "session B not re-created"
v=$(cat "$T/sessions/$B/luns")
[ "$v" = 0 ] || die "re-created session B sees '$v', want 0 (group gb)"
ok "session B, group gb, LUN 1 and device n0 (serial, delay_ms) restored"
plan_out=$("$SCSTUADM" apply --dry-run "$W/base.conf")
[ -z "$plan_out" ] || { echo "$plan_out"; die "base.conf no longer matches"; }
ok "base.conf still applies with no operations"

echo "== the same file without the bad block size applies"
sed 's/^block_size = 1000$/block_size = 4096/' "$W/rb.conf" >"$W/rb2.conf"
run "$SCSTUADM" apply "$W/rb2.conf"
[ -d "$CFS/devices/nullio/rz" ] || die "rz not created"
[ -e "$CFS/devices/nullio/n0" ] && die "n0 still there"
[ "$(cat "$T/auto_rescan")" = 0 ] || die "auto_rescan not 0"
plan_out=$("$SCSTUADM" apply --dry-run "$W/rb2.conf")
[ -z "$plan_out" ] || { echo "$plan_out"; die "rb2.conf not converged"; }
ok "corrected file applied and converged"
run "$SCSTUADM" clear
