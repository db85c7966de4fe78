#!/bin/bash
# Run the kernel's checkpatch.pl (default level, not --strict) on every .c and
# .h file under kernel/.  Prints the findings; exits 1 if any file has an
# ERROR or a WARNING, 2 if checkpatch.pl itself is missing.
#
#   tests/checkpatch.sh [FILE...]      default: kernel/**/*.[ch]
#
# checkpatch.pl comes from Debian's linux-source package, unpacked into
# build/ksrc by tests/deps.sh.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2

CP=$(ls -d "$ROOT"/build/ksrc/*/scripts/checkpatch.pl 2>/dev/null | sort -V | tail -1)
if [ -z "$CP" ]; then
	bash "$ROOT/tests/deps.sh" --quiet || exit 2
	CP=$(ls -d "$ROOT"/build/ksrc/*/scripts/checkpatch.pl 2>/dev/null | sort -V | tail -1)
fi
[ -n "$CP" ] || { echo "checkpatch: checkpatch.pl not found (run make deps)" >&2; exit 2; }

if [ $# -gt 0 ]; then
	files=("$@")
else
	mapfile -t files < <(find kernel -type f \( -name '*.c' -o -name '*.h' \) \
		! -name '*.mod.c' | sort)
fi
if [ ${#files[@]} -eq 0 ]; then
	echo "checkpatch: no kernel sources"
	exit 0
fi

bad=0
nerr=0
nwarn=0
for f in "${files[@]}"; do
	out=$(perl "$CP" --no-tree --no-summary --terse --show-types \
		--ignore FILE_PATH_CHANGES -f "$f" 2>&1)
	rc=$?
	if [ -n "$out" ]; then
		echo "$out"
	fi
	e=$(grep -c ': ERROR:' <<<"$out")
	w=$(grep -c ': WARNING:' <<<"$out")
	nerr=$((nerr + e))
	nwarn=$((nwarn + w))
	if [ "$rc" != 0 ] || [ "$e" != 0 ] || [ "$w" != 0 ]; then
		bad=$((bad + 1))
	fi
done
echo "checkpatch: ${#files[@]} files, $nerr errors, $nwarn warnings, $bad files with problems"
[ "$bad" = 0 ]
