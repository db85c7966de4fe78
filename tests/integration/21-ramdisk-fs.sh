#!/bin/bash
# An ext4 filesystem on scstu_null ramdisks (512 and 4096-byte blocks)
# through the Linux initiator: mkfs.ext4, mount, write files, umount,
# fsck.ext4 -f -n must be clean, remount, every file's checksum matches.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/t0
MNT=/tmp/scstu-mnt

trap 'mountpoint -q "$MNT" && umount "$MNT"; cfs_teardown' EXIT

load_modules
for n in rd512 rd4k; do
	run mkdir "$CFS/devices/ramdisk/$n"
	cfs_write "$CFS/devices/ramdisk/$n/size" $((256 << 20))
done
cfs_write "$CFS/devices/ramdisk/rd4k/block_size" 4096
run mkdir "$T"
i=0
for n in rd512 rd4k; do
	cfs_write "$CFS/devices/ramdisk/$n/enable" 1
	run mkdir "$T/luns/$i"
	run ln -s "$CFS/devices/ramdisk/$n" "$T/luns/$i/device"
	i=$((i + 1))
done
run mkdir "$T/sessions/iqn.test:ini0"
h=$(cat "$T/sessions/iqn.test:ini0/host")
wait_for_scsi_devices 2 || die "SCSI devices did not appear"
mkdir -p "$MNT" /tmp/scstu-src

# source files: random data of assorted sizes, and a directory tree
for s in 1 511 4096 65537 1048576 7340033; do
	head -c $s /dev/urandom >/tmp/scstu-src/f$s
done
cp -r /usr/share/doc/fio /tmp/scstu-src/doc 2>/dev/null ||
	mkdir -p /tmp/scstu-src/doc/a/b/c
(cd /tmp/scstu-src && find . -type f -exec sha256sum {} + | sort -k2) >/tmp/scstu-src.sums

for lun in 0 1; do
	dev=$(sd_of_lun "$h" $lun) || die "no sd for LUN $lun"
	bs=$(cat "/sys/block/$(basename "$dev")/queue/logical_block_size")
	echo "== $dev ($bs-byte blocks)"
	run mkfs.ext4 -q -F "$dev"
	run mount "$dev" "$MNT"
	run cp -a /tmp/scstu-src/. "$MNT/"
	run mkdir "$MNT/many"
	for f in $(seq 1 200); do
		echo "file $f" >"$MNT/many/$f"
	done
	run umount "$MNT"
	echo 3 >/proc/sys/vm/drop_caches
	run fsck.ext4 -f -n "$dev"
	run mount -o ro "$dev" "$MNT"
	(cd "$MNT" && find . -path ./lost+found -prune -o -path ./many -prune -o \
		-type f -exec sha256sum {} + | sort -k2) >/tmp/scstu-got.sums
	diff /tmp/scstu-src.sums /tmp/scstu-got.sums || die "checksums differ on $dev"
	[ "$(ls "$MNT/many" | wc -l)" = 200 ] || die "files missing in $MNT/many"
	[ "$(cat "$MNT/many/137")" = "file 137" ] || die "bad content in many/137"
	run umount "$MNT"
	ok "ext4 on $dev ($bs-byte blocks): fsck clean, $(wc -l </tmp/scstu-src.sums) checksums match after remount"
done
