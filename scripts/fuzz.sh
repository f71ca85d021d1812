#!/bin/sh
# Runs every libFuzzer target of a clang build (-Dfuzz=true) for a short time on a copy of its
# seed corpus (tests/fuzz/corpus/NAME); prints TAP lines and "N passed, N failed".
# Usage: scripts/fuzz.sh BUILD_DIR [SECONDS]
set -u
BUILD=${1:?usage: scripts/fuzz.sh BUILD_DIR [SECONDS]}
SECONDS_EACH=${2:-${FUZZ_SECONDS:-20}}
SRC=$(cd "${0%/*}/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0 passed=0 failed=0
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for f in "$BUILD"/tests/fuzz/fuzz_*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	name=${f##*/fuzz_}
	n=$((n + 1))
	mkdir -p "$work/$name"
	[ -d "$SRC/tests/fuzz/corpus/$name" ] && cp -r "$SRC/tests/fuzz/corpus/$name/." "$work/$name/"
	if "$f" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix="$work/" "$work/$name" >"$work/$name.log" 2>&1; then
		runs=$(grep -o 'Done [0-9]* runs' "$work/$name.log" | tail -n 1)
		echo "ok $n - fuzz_$name: ${runs:-ran} in ${SECONDS_EACH}s, no crash"
		passed=$((passed + 1))
	else
		echo "not ok $n - fuzz_$name found a crash:"
		tail -n 30 "$work/$name.log" | sed 's/^/    /'
		for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
			[ -f "$a" ] && { mkdir -p "$SRC/.cache/fuzz"; cp "$a" "$SRC/.cache/fuzz/"; \
				echo "    input kept in .cache/fuzz/${a##*/}"; }
		done
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
