#!/bin/bash
# scstu_null REPORT SUPPORTED OPERATION CODES: the exact list of commands
# (sg_opcodes), command timeouts descriptors (RCTD), one-command reports for
# every listed command, the reporting option rules, and a sweep that proves
# the CDB usage maps and the command decoder agree: every bit a usage map
# reports as unused is refused with INVALID FIELD IN CDB pointing at exactly
# that byte and bit.
. "$(dirname "$0")/lib.sh"
set -u

T=$CFS/targets/local/t0

trap cfs_teardown EXIT

# bytes FILE: the file as hex bytes separated by spaces
bytes() {
	local b
	b=($(od -An -tx1 -v "$1"))
	echo "${b[*]}"
}

# fast_invalid_field BYTE BIT CDB...: sg_raw -v must report ILLEGAL REQUEST,
# INVALID FIELD IN CDB, field pointer BYTE/BIT (fixed format). Parsed in
# bash: every process started costs a lot under TCG, and this runs ~80 times.
fast_invalid_field() {
	local byte=$1 bit=$2 out line on=0 s=() want
	shift 2
	out=$(sg_raw -v "$@" 2>&1)
	while IFS= read -r line; do
		if [[ $line == *"Raw sense data"* ]]; then
			on=1
		elif ((on)) && [[ $line =~ ^[[:space:]]+[0-9a-f]{2}([[:space:]]+[0-9a-f]{2})*[[:space:]]*$ ]]; then
			s+=($line)
		else
			on=0
		fi
	done <<<"$out"
	printf -v want '70 05 24 00 %02x %02x %02x' $((0xc8 | bit)) $((byte >> 8)) $((byte & 255))
	[ "${s[0]:-} ${s[2]:-} ${s[12]:-} ${s[13]:-} ${s[15]:-} ${s[16]:-} ${s[17]:-}" = "$want" ] ||
		{ echo "$out"; die "$*: want sense 5/24/00 at byte $byte bit $bit"; }
}

# sense_sks: "byte bit" of the fixed-format field pointer in $_OUT
sense_sks() {
	local b
	b=($(echo "$_OUT" | awk '/Raw sense data/ { on = 1; next }
		on && /^[ \t]+([0-9a-fA-F][0-9a-fA-F][ \t]*)+$/ { print; next }
		on { on = 0 }'))
	[ ${#b[@]} -ge 18 ] || return 1
	if ((16#${b[15]} & 0x08)); then
		echo "$((16#${b[16]}${b[17]})) $((16#${b[15]} & 7))"
	else
		echo "$((16#${b[16]}${b[17]})) -"
	fi
}

load_modules
run mkdir "$CFS/devices/ramdisk/rd0"
cfs_write "$CFS/devices/ramdisk/rd0/size" $((16 << 20))
cfs_write "$CFS/devices/ramdisk/rd0/enable" 1
run mkdir "$T"
run mkdir "$T/luns/0"
run ln -s "$CFS/devices/ramdisk/rd0" "$T/luns/0/device"
run mkdir "$T/sessions/iqn.test:ini0"
h=$(cat "$T/sessions/iqn.test:ini0/host")
wait_for_scsi_devices 1 || die "SCSI device did not appear"
a=$(sg_of_lun "$h" 0) || die "no sg"
sg_turs -n 2 "$a" >/dev/null 2>&1
run sg_turs "$a"

echo "== all commands"
run sg_opcodes "$a"
sg_opcodes -r "$a" >/tmp/rsoc.bin || die "sg_opcodes -r failed"
B=($(bytes /tmp/rsoc.bin))
len=$((16#${B[0]}${B[1]}${B[2]}${B[3]}))
[ $((len + 4)) = ${#B[@]} ] || die "COMMAND DATA LENGTH $len, got ${#B[@]} bytes"
list=()
for ((i = 4; i < ${#B[@]}; i += 8)); do
	op=${B[i]}
	sa=$((16#${B[i + 2]}${B[i + 3]}))
	flags=$((16#${B[i + 5]}))
	cdblen=$((16#${B[i + 6]}${B[i + 7]}))
	[ $((flags & 2)) = 0 ] || die "CTDP set without RCTD"
	if ((flags & 1)); then
		list+=("$op,$(printf %02x $sa):$cdblen")
	else
		[ $sa = 0 ] || die "service action $sa without SERVACTV for $op"
		list+=("$op:$cdblen")
	fi
done
want="00:6 03:6 08:6 0a:6 12:6 15:6 16:6 17:6 1a:6 1b:6 25:10 28:10 2a:10 2f:10 35:10 55:10 56:10 57:10 5a:10 88:16 8a:16 8f:16 91:16 9e,10:16 a0:12 a3,0c:12 a8:12 aa:12 af:12"
[ "${list[*]}" = "$want" ] || die "command list: ${list[*]}"
ok "the command list is exactly the implemented set (${#list[@]} commands)"

sg_opcodes -R -r "$a" >/tmp/rsoct.bin || die "sg_opcodes -R failed"
B=($(bytes /tmp/rsoct.bin))
[ $(((${#B[@]} - 4) / 20)) = ${#list[@]} ] && [ $(((${#B[@]} - 4) % 20)) = 0 ] ||
	die "RCTD: ${#B[@]} bytes for ${#list[@]} commands"
for ((i = 4; i < ${#B[@]}; i += 20)); do
	[ $((16#${B[i + 5]} & 2)) = 2 ] || die "CTDP not set for ${B[i]}"
	[ "${B[i + 8]}${B[i + 9]}" = 000a ] || die "timeouts descriptor length for ${B[i]}"
	[ $((16#${B[i + 16]}${B[i + 17]}${B[i + 18]}${B[i + 19]})) = 30 ] ||
		die "recommended timeout for ${B[i]}"
done
ok "RCTD: every descriptor carries a command timeouts descriptor"

echo "== one command at a time, and the usage map sweep"
core=" 03 16 17 56 57 a0 "	# answered by the core
swept=0
for e in "${list[@]}"; do
	id=${e%%:*}
	cdblen=${e#*:}
	op=${id%%,*}
	if [ "$id" != "$op" ]; then
		sa=${id#*,}
		sg_opcodes -r -o "0x$op,0x$sa" "$a" >/tmp/one.bin || die "sg_opcodes -o $id"
	else
		sa=
		sg_opcodes -r -o "0x$op" "$a" >/tmp/one.bin || die "sg_opcodes -o $op"
	fi
	U=($(bytes /tmp/one.bin))
	[ $((16#${U[1]} & 7)) = 3 ] || die "$id: SUPPORT ${U[1]}"
	[ $((16#${U[2]}${U[3]})) = "$cdblen" ] || die "$id: CDB SIZE"
	[ ${#U[@]} = $((4 + cdblen)) ] || die "$id: ${#U[@]} bytes"
	usage=("${U[@]:4}")
	[ "${usage[0]}" = "$op" ] || die "$id: usage byte 0 ${usage[0]}"
	[ -z "$sa" ] || [ $((16#${usage[1]} & 0x1f)) = $((16#$sa)) ] ||
		die "$id: usage byte 1 ${usage[1]}"
	echo "  $id usage: ${usage[*]}"
	case "$core" in *" $op "*) continue ;; esac
	# every bit the map does not claim must be refused, pointing at it
	for ((i = 1; i < cdblen; i++)); do
		allowed=$((16#${usage[i]}))
		[ -n "$sa" ] && [ $i = 1 ] && allowed=$((allowed | 0x1f))
		unused=$((~allowed & 0xff))
		[ $unused = 0 ] && continue
		# the highest and the lowest unused bit of the byte
		for ((hi = 7; hi >= 0; hi--)); do
			((unused & (1 << hi))) && break
		done
		for ((lo = 0; lo < 7; lo++)); do
			((unused & (1 << lo))) && break
		done
		bits=$hi
		[ $lo = $hi ] || bits="$hi $lo"
		for bit in $bits; do
			cdb=()
			for ((j = 0; j < cdblen; j++)); do
				v=0
				[ $j = 0 ] && v=$((16#$op))
				[ $j = 1 ] && [ -n "$sa" ] && v=$((16#$sa))
				[ $j = $i ] && v=$((v | (1 << bit)))
				printf -v v %02x $v
				cdb+=("$v")
			done
			fast_invalid_field $i $bit "$a" "${cdb[@]}"
			swept=$((swept + 1))
		done
	done
done
ok "one-command reports agree with the list; $swept unused CDB bits refused with exact field pointers"

echo "== reporting options"
# option 1 on an opcode with service actions; option 2 on one without
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 64 "$a" a3 0c 01 9e 00 00 00 00 00 40 00 00
[ "$(sense_sks)" = "3 -" ] || die "field pointer $(sense_sks)"
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 64 "$a" a3 0c 02 28 00 00 00 00 00 40 00 00
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 64 "$a" a3 0c 04 28 00 00 00 00 00 40 00 00
[ "$(sense_sks)" = "2 2" ] || die "field pointer $(sense_sks)"
expect_sense ILLEGAL_REQUEST 0x24 0x00 -- sg_raw -r 64 "$a" a3 0c 07 28 00 00 00 00 00 40 00 00
# unsupported: SUPPORT 001b, no usage data
sg_raw -o /tmp/one.bin -r 64 "$a" a3 0c 01 42 00 00 00 00 00 40 00 00 >/dev/null 2>&1 ||
	die "RSOC for an unsupported opcode failed"
[ "$(bytes /tmp/one.bin)" = "00 01 00 00" ] || die "unsupported opcode: $(bytes /tmp/one.bin)"
sg_raw -o /tmp/one.bin -r 64 "$a" a3 0c 02 9e 00 12 00 00 00 40 00 00 >/dev/null 2>&1 ||
	die "RSOC for an unsupported service action failed"
[ "$(bytes /tmp/one.bin)" = "00 01 00 00" ] || die "unsupported SA: $(bytes /tmp/one.bin)"
# option 3: service action used if the opcode has them, ignored otherwise
sg_raw -o /tmp/one.bin -r 64 "$a" a3 0c 03 28 00 55 00 00 00 40 00 00 >/dev/null 2>&1 ||
	die "option 3 without SA failed"
[ "$(bytes /tmp/one.bin | cut -c1-17)" = "00 03 00 0a 28 1a" ] || die "option 3, READ(10): $(bytes /tmp/one.bin)"
sg_raw -o /tmp/one.bin -r 64 "$a" a3 0c 03 9e 00 10 00 00 00 40 00 00 >/dev/null 2>&1 ||
	die "option 3 with SA failed"
[ "$(bytes /tmp/one.bin | cut -c1-17)" = "00 03 00 10 9e 10" ] || die "option 3, RC16: $(bytes /tmp/one.bin)"
# RCTD with one command: CTDP and the descriptor after the usage data
sg_raw -o /tmp/one.bin -r 64 "$a" a3 0c 81 12 00 00 00 00 00 40 00 00 >/dev/null 2>&1 ||
	die "RCTD one command failed"
U=($(bytes /tmp/one.bin))
[ "${U[1]}" = 83 ] && [ ${#U[@]} = 22 ] && [ "${U[10]}${U[11]}" = 000a ] ||
	die "RCTD one command: ${U[*]}"
# allocation length truncates
sg_raw -o /tmp/one.bin -r 6 "$a" a3 0c 00 00 00 00 00 00 00 06 00 00 >/dev/null 2>&1 ||
	die "RSOC with allocation length 6 failed"
[ "$(bytes /tmp/one.bin)" = "00 00 00 e8 00 00" ] || die "truncated list: $(bytes /tmp/one.bin)"
ok "reporting options 0-3, RCTD, unsupported opcode/SA, invalid options, truncation"
