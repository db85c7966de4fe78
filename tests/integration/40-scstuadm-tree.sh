#!/bin/bash
# scstuadm tree / tree --json / clear, with the default configuration of
# `make run` (tools/default.conf) plus a second session:
#  - default.conf applies and converges (its userspace devices served by
#    the scstu-ramdisk and scstu-file samples and the tape library
#    scstu-vtl with tools/vtl0.conf, started first);
#  - after I/O through a session, `tree` shows devices, LUNs, sessions with
#    their SCSI host and visible LUNs, and non-zero statistics;
#  - `tree --json` is valid JSON (python3 -m json.tool) with the same facts;
#  - `clear` leaves configfs empty and the tree says so.
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/scstuadm-tree
rm -rf "$W"
mkdir -p "$W"
DEMO=iqn.2026-11.org.scstu:demo
X=iqn.2026-11.org.scstu:tree-x
T=$CFS/targets/local/local0

trap 'user_stop_all; cfs_teardown' EXIT
load_modules
[ -x "$SCSTUADM" ] || die "$SCSTUADM not built"
user_start urd0 "$ROOT/build/samples/scstu-ramdisk" --name urd0 --size 256M
truncate -s 64M "$W/ufile0.img"
user_start ufile0 "$ROOT/build/samples/scstu-file" --name ufile0 --file "$W/ufile0.img" --size 64M
# the library of the target vtl0: the changer is created after the drives
rm -rf /tmp/vtl0
user_start vtl0-ch "$ROOT/build/vtl/scstu-vtl" -c "$ROOT/tools/vtl0.conf"

echo "== tools/default.conf"
run "$SCSTUADM" check "$ROOT/tools/default.conf"
run "$SCSTUADM" apply "$ROOT/tools/default.conf"
out=$("$SCSTUADM" apply --dry-run "$ROOT/tools/default.conf")
[ -z "$out" ] || { echo "$out"; die "default.conf does not converge"; }
[ "$(cat "$CFS/devices/ramdisk/rd0/size")" = $((256 << 20)) ] || die "rd0 size"
[ "$(cat "$CFS/devices/nullio/null0/block_size")" = 4096 ] || die "null0 block size"
[ "$(cat "$CFS/devices/nullio/null0/size")" = $((1 << 40)) ] || die "null0 size"
[ -d "$T/sessions/$DEMO" ] || die "no demo session"
ok "default.conf applied"

# a second session, added by a file derived from a dump
"$SCSTUADM" dump | sed "s/^sessions = $DEMO\$/sessions = $DEMO;$X/" >"$W/two.conf"
run "$SCSTUADM" apply "$W/two.conf"
host=$(cat "$T/sessions/$DEMO/host")
wait_for_scsi_devices 8 || die "SCSI devices did not appear"
sd=$(sd_of_lun "$host" 0) || die "no sd for host$host LUN 0"
echo "session $DEMO is host$host, LUN 0 is $sd"
run dd if="$sd" of=/dev/null bs=64k count=16 iflag=direct status=none
run dd if=/dev/zero of="$sd" bs=4k count=8 oflag=direct status=none

echo "== tree"
"$SCSTUADM" tree >"$W/tree" || die "tree failed"
cat "$W/tree"
grep -q "^  rd0 (ramdisk) enabled, type 0, size 256.0 MiB, block 512$" "$W/tree" || die "tree: rd0 line"
grep -q "^  null0 (nullio) enabled, type 0, size 1.0 TiB, block 4096$" "$W/tree" || die "tree: null0 line"
grep -q "^  local0 (local) auto_rescan=1$" "$W/tree" || die "tree: target line"
grep -q "^      0 -> rd0$" "$W/tree" || die "tree: LUN 0"
grep -q "^      1 -> null0$" "$W/tree" || die "tree: LUN 1"
grep -q "^      2 -> urd0$" "$W/tree" || die "tree: LUN 2"
grep -q "^      3 -> ufile0$" "$W/tree" || die "tree: LUN 3"
grep -q "^  urd0 (user) enabled, type 0, attached, handler pid ${USER_PID[urd0]}, 1 queue x 248$" "$W/tree" || die "tree: urd0 line"
grep -q "^      $DEMO: luns 0,1,2,3, host $host, task_attr simple$" "$W/tree" || die "tree: demo session"
grep -q "^      $X: luns 0,1,2,3, host [0-9]*, task_attr simple$" "$W/tree" || die "tree: second session"
grep -A3 "^  rd0 " "$W/tree" | grep -q "stats: commands=[1-9]" || die "tree: rd0 has no commands"
ok "tree shows devices, LUNs, both sessions (hosts, LUNs) and statistics"

echo "== tree --json"
"$SCSTUADM" tree --json >"$W/tree.json" || die "tree --json failed"
python3 -m json.tool "$W/tree.json" >/dev/null || { cat "$W/tree.json"; die "invalid JSON"; }
ok "python3 -m json.tool accepts it"
python3 - "$W/tree.json" "$DEMO" "$X" "$host" <<'PY' || die "JSON content check failed"
import json, sys
t = json.load(open(sys.argv[1]))
demo, x, host = sys.argv[2], sys.argv[3], int(sys.argv[4])
devs = {d["name"]: d for d in t["devices"]}
assert set(devs) == {"rd0", "null0", "urd0", "ufile0", "vtl0-ch", "vtl0-d0",
                     "vtl0-d1", "vtl0-d2", "vtl0-d3"}, devs.keys()
assert devs["urd0"]["backend"] == "user", devs["urd0"]
rd0 = devs["rd0"]
assert rd0["backend"] == "ramdisk" and rd0["enabled"] is True, rd0
assert rd0["attributes"]["size"] == 256 << 20, rd0["attributes"]
assert rd0["stats"]["commands"] > 0, rd0["stats"]
assert rd0["stats"]["write_bytes"] >= 32768, rd0["stats"]
tgts = {x["name"]: x for x in t["targets"]}
assert set(tgts) == {"local0", "vtl0"}, tgts.keys()
vtl = {l["lun"]: l["device"] for l in tgts["vtl0"]["luns"]}
assert vtl == {0: "vtl0-ch", 1: "vtl0-d0", 2: "vtl0-d1", 3: "vtl0-d2",
               4: "vtl0-d3"}, vtl
tgt = tgts["local0"]
assert tgt["driver"] == "local", tgt
luns = {l["lun"]: l for l in tgt["luns"]}
assert luns[0]["device"] == "rd0" and luns[1]["device"] == "null0", luns
assert luns[2]["device"] == "urd0" and luns[3]["device"] == "ufile0", luns
assert luns[0]["read_only"] is False
sess = {s["initiator"]: s for s in tgt["sessions"]}
assert set(sess) == {demo, x}, sess.keys()
assert sess[demo]["luns"] == [0, 1, 2, 3], sess[demo]
assert sess[demo]["attributes"]["host"] == host, sess[demo]
assert sess[demo]["stats"]["commands"] > 0, sess[demo]["stats"]
print("json: %d devices, %d sessions, rd0 commands %d" %
      (len(devs), len(sess), rd0["stats"]["commands"]))
PY
ok "JSON has the devices, LUNs, sessions with host and statistics"

echo "== clear"
# handlers first: clear removes their devices (they would see ENODEV)
user_stop_all
run "$SCSTUADM" clear
n=$(find "$CFS/devices" "$CFS/targets" -mindepth 2 | wc -l)
[ "$n" = 0 ] || { find "$CFS" -mindepth 3; die "clear left $n entries"; }
"$SCSTUADM" tree >"$W/tree2" || die "tree failed"
cat "$W/tree2"
grep -qx "devices: none" "$W/tree2" || die "tree after clear shows devices"
grep -qx "targets: none" "$W/tree2" || die "tree after clear shows targets"
"$SCSTUADM" tree --json | python3 -c '
import json, sys
t = json.load(sys.stdin)
assert t["devices"] == [] and t["targets"] == [], t' || die "JSON after clear not empty"
out=$("$SCSTUADM" dump | grep -v "^#")
[ -z "$out" ] || { echo "$out"; die "dump after clear not empty"; }
run "$SCSTUADM" clear
ok "clear left configfs empty; clear again is a no-op"
