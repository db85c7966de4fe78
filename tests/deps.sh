#!/bin/bash
# Install every Debian package that the build, the tests, the benchmarks and
# the demo need, idempotently, and unpack checkpatch.pl from linux-source into
# build/ksrc.  Safe to run unattended (CI: no stdin).
#
#   tests/deps.sh           install what is missing, say what was done
#   tests/deps.sh --quiet   print nothing when everything is already there
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

say() { [ "$quiet" = 1 ] || echo "deps: $*"; }

PACKAGES=(
	gcc make libc6-dev pkg-config
	linux-headers-amd64 linux-image-amd64 linux-source-6.1
	qemu-system-x86 busybox-static cpio kmod xz-utils
	sg3-utils libsgutils2-dev fio lsscsi
	check libglib2.0-dev liburing-dev libgoogle-perftools-dev linux-libc-dev
	e2fsprogs util-linux procps valgrind
	liblz4-dev libzstd-dev libssl-dev libisal-dev libjson-glib-dev
	mt-st mtx tar stenc bacula-sd
)

missing=()
for p in "${PACKAGES[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$st" in
	ii*) ;;
	*) missing+=("$p") ;;
	esac
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing: ${missing[*]}"
	if [ "$(id -u)" != 0 ]; then
		SUDO=sudo
	else
		SUDO=
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -q </dev/null
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		-o Dpkg::Options::=--force-confdef \
		-o Dpkg::Options::=--force-confold \
		--no-install-recommends "${missing[@]}" </dev/null
else
	say "all ${#PACKAGES[@]} packages present"
fi

# checkpatch.pl and the data files it reads, from Debian's linux-source.
KSRC="$ROOT/build/ksrc"
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$tarball" ]; then
	echo "deps: no /usr/src/linux-source-*.tar.xz (linux-source-6.1 not installed?)" >&2
	exit 1
fi
top=$(basename "$tarball" .tar.xz)
if [ ! -f "$KSRC/$top/scripts/checkpatch.pl" ] ||
   [ ! -f "$KSRC/$top/scripts/spelling.txt" ] ||
   [ ! -f "$KSRC/$top/scripts/const_structs.checkpatch" ]; then
	say "extracting checkpatch.pl from $tarball into build/ksrc"
	mkdir -p "$KSRC"
	tmp=$(mktemp -d "$KSRC/.x.XXXXXX")
	tar -xJf "$tarball" -C "$tmp" \
		"$top/scripts/checkpatch.pl" \
		"$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
	rm -rf "${KSRC:?}/$top"
	mv "$tmp/$top" "$KSRC/$top"
	rmdir "$tmp"
fi
exit 0
