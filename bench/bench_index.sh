#!/bin/sh
# G7b (package-managers.md §5.2): spk update's work for a 5,000-entry index, network excluded
# (channel signature + rules, Index-SHA256, xz-decompress, parse). Goal: <= 50 ms.
# Usage: bench/bench_index.sh [BUILD_DIR] [ENTRIES]   (BUILD_DIR: a non-sanitized build)
set -eu
SRC=$(cd "${0%/*}/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
N=${2:-5000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck disable=SC2046
cc -std=c17 -O2 -D_GNU_SOURCE -I"$SRC" "$SRC/bench/bench_index_load.c" "$BUILD/libspk/libspk.a" \
	$(pkg-config --libs libsodium liblzma libarchive libcurl) -o "$TMP/bench_index_load"
echo "machine: $(uname -srm), $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
"$TMP/bench_index_load" "$N"
