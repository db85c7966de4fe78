#!/bin/bash
# scstuadm apply / dump idempotency against the real configfs:
#  - apply a config with two devices, a target, LUNs (one read-only), an
#    initiator group and two sessions; check configfs and what each session
#    sees;
#  - dump it; applying the dump plans nothing and changes nothing (configfs
#    listing compared before/after); applying the original again neither;
#  - change one attribute in the file: the plan is exactly that write, and
#    only that value changes;
#  - change block_size (only while disabled): the device is re-created and
#    its LUN links come back;
#  - drop the group and a session from the file: they are removed.
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/scstuadm-apply
rm -rf "$W"
mkdir -p "$W"
A=iqn.2026-11.org.scstu:apply-a
B=iqn.2026-11.org.scstu:apply-b
T=$CFS/targets/local/lt


# plan FILE: scstuadm apply --dry-run output
plan() {
	"$SCSTUADM" apply --dry-run "$1" >"$W/plan.out" 2>"$W/plan.err" ||
		{ cat "$W/plan.err"; die "apply --dry-run $1 failed"; }
}

sess_luns() {
	local v
	IFS= read -r -d '' v <"$T/sessions/$1/luns"
	echo ${v}	# one line, single spaces
}

load_modules
[ -x "$SCSTUADM" ] || die "$SCSTUADM not built"

cat >"$W/a.conf" <<CONF
# two devices, one target, an initiator group, two sessions
[device rd0]
backend = ramdisk
size = 64M
block_size = 512
vendor_id = TESTV

[device n0]
backend = nullio
size = 1G                    # 1 GiB
block_size = 4096

[target lt]
driver = local
lun.0 = rd0
lun.1 = n0
lun.1.read_only = true
sessions = $A;$B

[group lt gb]
initiators = $B
lun.0 = n0
lun.3 = rd0
lun.3.read_only = yes
CONF

echo "== apply"
run "$SCSTUADM" apply -v "$W/a.conf"
[ "$(cat "$CFS/devices/ramdisk/rd0/size")" = $((64 << 20)) ] || die "rd0 size"
[ "$(cat "$CFS/devices/ramdisk/rd0/enable")" = 1 ] || die "rd0 not enabled"
[ "$(cat "$CFS/devices/ramdisk/rd0/vendor_id")" = TESTV ] || die "rd0 vendor_id"
[ "$(cat "$CFS/devices/nullio/n0/block_size")" = 4096 ] || die "n0 block_size"
[ "$(cat "$CFS/devices/nullio/n0/size")" = $((1 << 30)) ] || die "n0 size"
[ "$(readlink -f "$T/luns/0/device")" = "$(readlink -f "$CFS/devices/ramdisk/rd0")" ] ||
	die "lun 0 does not link to rd0"
[ "$(cat "$T/luns/1/read_only")" = 1 ] || die "lun 1 not read-only"
[ "$(cat "$T/luns/0/read_only")" = 0 ] || die "lun 0 read-only"
[ -d "$T/ini_groups/gb/initiators/$B" ] || die "initiator B not in group gb"
[ "$(cat "$T/ini_groups/gb/luns/3/read_only")" = 1 ] || die "group lun 3 not read-only"
[ "$(sess_luns "$A")" = "0 1" ] || die "session A sees '$(sess_luns "$A")', want '0 1'"
[ "$(sess_luns "$B")" = "0 3" ] || die "session B sees '$(sess_luns "$B")', want '0 3'"
ok "configfs matches the file; A sees LUNs 0 1, B (group gb) sees 0 3"

echo "== the same file again: nothing to do"
plan "$W/a.conf"
[ -s "$W/plan.out" ] && { cat "$W/plan.out"; die "re-applying the same file plans operations"; }
ok "apply --dry-run of the applied file prints nothing"

echo "== dump, apply the dump"
"$SCSTUADM" dump >"$W/dump.conf" || die "dump failed"
cat "$W/dump.conf"
grep -qx "lun.1.read_only = true" "$W/dump.conf" || die "dump lacks lun.1.read_only"
grep -qx "sessions = $A;$B" "$W/dump.conf" || die "dump lacks the sessions"
grep -qx "size = 1G" "$W/dump.conf" || die "dump lacks n0 size = 1G"
grep -q "stats\|^type\|^enable " "$W/dump.conf" && die "dump contains read-only attributes"
run "$SCSTUADM" check "$W/dump.conf"
plan "$W/dump.conf"
[ -s "$W/plan.out" ] && { cat "$W/plan.out"; die "the dump plans operations"; }
ok "apply --dry-run of the dump prints nothing"
cfs_listing "$W/before"
run "$SCSTUADM" apply "$W/dump.conf"
cfs_listing "$W/after"
diff -u "$W/before" "$W/after" || die "applying the dump changed configfs"
"$SCSTUADM" dump >"$W/dump2.conf"
diff -u "$W/dump.conf" "$W/dump2.conf" || die "dump after applying the dump differs"
ok "applying the dump changed nothing; dump is stable"

echo "== one attribute changed"
sed 's/^size = 64M$/size = 128M/' "$W/a.conf" >"$W/b.conf"
plan "$W/b.conf"
cat "$W/plan.out"
[ "$(cat "$W/plan.out")" = "write devices/ramdisk/rd0/size = 134217728 (was 67108864)" ] ||
	die "plan for one changed size is not exactly that one write"
run "$SCSTUADM" apply "$W/b.conf"
cfs_listing "$W/after2"
diff "$W/after" "$W/after2" >"$W/diff" && die "nothing changed"
cat "$W/diff"
[ "$(grep -c '^[<>]' "$W/diff")" = 2 ] || die "more than one line changed"
grep -q "^> ./devices/ramdisk/rd0/size = 134217728$" "$W/diff" || die "rd0 size not changed"
ok "only devices/ramdisk/rd0/size changed"

echo "== block_size changed: device re-created, links back"
sed 's/^block_size = 4096$/block_size = 512/' "$W/b.conf" >"$W/c.conf"
plan "$W/c.conf"
cat "$W/plan.out"
grep -qx "rmdir devices/nullio/n0" "$W/plan.out" || die "n0 not re-created"
grep -qx "write devices/nullio/n0/block_size = 512" "$W/plan.out" || die "no block_size write"
run "$SCSTUADM" apply "$W/c.conf"
[ "$(cat "$CFS/devices/nullio/n0/block_size")" = 512 ] || die "n0 block_size not 512"
[ "$(readlink -f "$T/luns/1/device")" = "$(readlink -f "$CFS/devices/nullio/n0")" ] ||
	die "lun 1 not linked to n0 again"
[ "$(readlink -f "$T/ini_groups/gb/luns/0/device")" = "$(readlink -f "$CFS/devices/nullio/n0")" ] ||
	die "group lun 0 not linked to n0 again"
[ "$(cat "$T/luns/1/read_only")" = 1 ] || die "lun 1 lost read_only"
[ "$(sess_luns "$A")" = "0 1" ] || die "session A sees '$(sess_luns "$A")'"
[ "$(sess_luns "$B")" = "0 3" ] || die "session B sees '$(sess_luns "$B")'"
plan "$W/c.conf"
[ -s "$W/plan.out" ] && { cat "$W/plan.out"; die "not converged after block_size change"; }
ok "block_size change re-created n0 with its LUNs"

echo "== group and session B dropped, LUN 1 moved to 2"
sed -e '/^\[group/,$d' -e "s/^sessions = .*/sessions = $A/" \
	-e 's/^lun\.1/lun.2/' "$W/c.conf" >"$W/d.conf"
cat "$W/d.conf"
plan "$W/d.conf"
cat "$W/plan.out"
run "$SCSTUADM" apply "$W/d.conf"
[ -e "$T/sessions/$B" ] && die "session B still there"
[ -e "$T/ini_groups/gb" ] && die "group gb still there"
[ -e "$T/luns/1" ] && die "LUN 1 still there"
[ "$(cat "$T/luns/2/read_only")" = 1 ] || die "LUN 2 not read-only"
[ "$(sess_luns "$A")" = "0 2" ] || die "session A sees '$(sess_luns "$A")', want '0 2'"
plan "$W/d.conf"
[ -s "$W/plan.out" ] && { cat "$W/plan.out"; die "not converged"; }
ok "removals applied; session A sees 0 2"

echo "== clear"
run "$SCSTUADM" clear
n=$(find "$CFS/devices" "$CFS/targets" -mindepth 2 | wc -l)
[ "$n" = 0 ] || { find "$CFS" -mindepth 3; die "clear left $n entries"; }
ok "clear left no device or target"
