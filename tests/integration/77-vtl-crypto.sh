#!/bin/bash
# Tape encryption end to end with stenc: a key set on the drive, tar
# writes files carrying a marker string, the cartridge files hold no
# plaintext, the data reads back with the key; with encryption off (no
# key) READ gives DATA PROTECT 74/01 and with a wrong key 74/03, and no
# data comes back; stenc --detail shows the status.
# scstu-test-timeout: 300
. "$(dirname "$0")/lib.sh"
set -u

W=/tmp/77-crypto
mkdir -p $W
trap 'user_stop_all; cfs_teardown' EXIT
MARK=SCSTU-PLAINTEXT-MARKER-77

mkkey() {	# mkkey FILE: a stenc key file (256 bits in hex)
	od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$1"
	echo >>"$1"
}

load_modules
vtlr_conf $W c77 64M
vtlr_start
vtlr_map c77
run mtx -f "$VTLR_SGC" load 1 0
vtlr_ready
run mt -f "$VTLR_NST" setblk 0
mkkey $W/key1
mkkey $W/key2

echo "== encryption on with key1"
run stenc -f "$VTLR_NST" -e on -k $W/key1 -a 1
out=$(stenc -f "$VTLR_NST" --detail 2>&1) || die "stenc --detail: $out"
echo "$out"
echo "$out" | grep -q "Drive Output:.*Decrypting" || die "stenc: not decrypting"
echo "$out" | grep -q "Drive Input:.*Encrypting" || die "stenc: not encrypting"
ok "stenc --detail: encrypting and decrypting"

mkdir -p $W/src
for i in 1 2 3 4; do
	for j in $(seq 200); do echo "$MARK line $j of file $i"; done >$W/src/f$i.txt
done
head -c 300000 /dev/urandom >$W/src/rand.bin
(cd $W && run tar -cf "$VTLR_NST" -b 128 src)
# page cache or disk: grep sees what the daemon wrote
if grep -r -q -a "$MARK" "$VTLR_DIR/VR0000L8"; then
	die "the plaintext marker is in the cartridge files"
fi
grep -q -a "$MARK" $W/src/f1.txt || die "the marker check itself is broken"
ok "no plaintext in $(du -sb "$VTLR_DIR/VR0000L8" | cut -f1) bytes of cartridge"

echo "== read back with the key"
run mt -f "$VTLR_NST" rewind
out=$(stenc -f "$VTLR_NST" --detail 2>&1)
echo "$out"
echo "$out" | grep -q "Volume Encryption:.*Encrypted and able to decrypt" ||
	die "stenc: the next block is not reported as decryptable"
run mt -f "$VTLR_NST" rewind
rm -rf $W/out && mkdir -p $W/out
(cd $W/out && run tar -xf "$VTLR_NST" -b 128)
diff -r $W/src $W/out/src || die "read back differs"
ok "tar reads back identical data with the key"

echo "== without a key"
run stenc -f "$VTLR_NST" -e off -a 1
run mt -f "$VTLR_NST" rewind
expect_sense DATA_PROTECT 0x74 0x01 -- sg_raw -r 65536 -o $W/nokey "$VTLR_SGT" 08 00 01 00 00 00
[ ! -s $W/nokey ] || die "data came back without a key"
run mt -f "$VTLR_NST" rewind
rm -rf $W/out2 && mkdir -p $W/out2
(cd $W/out2 && tar -xf "$VTLR_NST" -b 128 2>$W/tar2.err) && die "tar read without a key"
cat $W/tar2.err
[ ! -e $W/out2/src/f1.txt ] || die "tar extracted a file without a key"
ok "no key: 74/01, st read fails, nothing extracted"

echo "== wrong key"
run stenc -f "$VTLR_NST" -e on -k $W/key2 -a 1
run mt -f "$VTLR_NST" rewind
out=$(stenc -f "$VTLR_NST" --detail 2>&1)
echo "$out"
echo "$out" | grep -q "Volume Encryption:.*Encrypted, but unable to decrypt due to invalid key" ||
	die "stenc: the wrong key is not reported"
run mt -f "$VTLR_NST" rewind
expect_sense DATA_PROTECT 0x74 0x03 -- sg_raw -r 65536 -o $W/wrong "$VTLR_SGT" 08 00 01 00 00 00
[ ! -s $W/wrong ] || die "data came back with a wrong key"
ok "wrong key: 74/03, no data"

echo "== the right key again"
run stenc -f "$VTLR_NST" -e on -k $W/key1 -a 1
run mt -f "$VTLR_NST" rewind
rm -rf $W/out && mkdir -p $W/out
(cd $W/out && run tar -xf "$VTLR_NST" -b 128)
diff -r $W/src $W/out/src || die "read back differs"
ok "key1 reads it again"
vtlr_kill TERM
