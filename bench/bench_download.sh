#!/bin/sh
# 200 package downloads through the fault proxy adding 20 ms to every request (a far server on a
# near network): spk's transport with 6 parallel transfers, the same with --parallel=1, and
# pacman -Sw with ParallelDownloads = 6 from a sync repository of the same files, served by the
# same nginx through the same proxy, in the same run. Median of RUNS runs (default 3), each into
# an empty cache.
#
# spk's side is tests/tools/spk-fetch-test (libspk/fetch.c, the transport spk install uses) until
# `spk install` fetches from repositories.
#
# Usage: bench/bench_download.sh [BUILD_DIR]   (env: RUNS, COUNT, SIZE, LATENCY_MS)
set -u
SRC=$(cd "${0%/*}/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
export SRC BUILD
. "$SRC/tests/lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"
RUNS=${RUNS:-3}
COUNT=${COUNT:-200}
SIZE=${SIZE:-65536}
LATENCY_MS=${LATENCY_MS:-20}

[ -x "$FETCH" ] || { echo "bench_download: build $FETCH first (ninja -C $BUILD)" >&2; exit 2; }
command -v pacman >/dev/null || { echo "bench_download: pacman missing (pacman-package-manager)" >&2; exit 2; }

# The same COUNT files, as release assets and as a pacman sync repository.
www="$TMP/www"
rel="$www/smech/bench/releases/download/snap1"
repo="$www/pacman/bench/os/x86_64"
mkdir -p "$rel" "$repo"
"$PYTHON" - "$rel" "$repo" "$COUNT" "$SIZE" <<'PY'
import hashlib, io, os, sys, tarfile
rel, repo, count, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
db = io.BytesIO()
with tarfile.open(fileobj=db, mode="w:gz") as t:
    for i in range(1, count + 1):
        name = "bench%03d" % i
        fname = "%s-1.0-1-x86_64.pkg.tar.zst" % name
        data = os.urandom(size)
        with open(os.path.join(rel, fname), "wb") as f:
            f.write(data)
        os.link(os.path.join(rel, fname), os.path.join(repo, fname))
        desc = ("%%FILENAME%%\n%s\n\n%%NAME%%\n%s\n\n%%BASE%%\n%s\n\n%%VERSION%%\n1.0-1\n\n"
                "%%DESC%%\nbenchmark package\n\n%%CSIZE%%\n%d\n\n%%ISIZE%%\n%d\n\n"
                "%%SHA256SUM%%\n%s\n\n%%ARCH%%\nx86_64\n\n%%BUILDDATE%%\n1700000000\n\n"
                "%%PACKAGER%%\nbench\n\n") % (fname, name, name, size, size,
                                              hashlib.sha256(data).hexdigest())
        d = tarfile.TarInfo(name + "-1.0-1")
        d.type = tarfile.DIRTYPE
        d.mode = 0o755
        t.addfile(d)
        ti = tarfile.TarInfo(name + "-1.0-1/desc")
        ti.size = len(desc)
        ti.mode = 0o644
        t.addfile(ti, io.BytesIO(desc.encode()))
        with open(os.path.join(rel, "..", "snap1.list"), "a") as f:
            f.write("%s %d %s\n" % (fname, size, hashlib.sha256(data).hexdigest()))
with open(os.path.join(repo, "bench.db"), "wb") as f:
    f.write(db.getvalue())
PY

nginx_start "$www" || exit 1
faultproxy_start --latency-ms "$LATENCY_MS" || exit 1

mkdir -p "$TMP/spk"
while read -r f s h; do
	echo "$PROXY_URL/smech/bench/releases/download/snap1/$f $TMP/spk/$f $s $h"
done <"$www/smech/bench/releases/download/snap1.list" >"$TMP/list"

pacroot="$TMP/pacroot"
mkdir -p "$pacroot/var/lib/pacman" "$TMP/paccache" "$TMP/gnupg"
cat >"$TMP/pacman.conf" <<EOF
[options]
RootDir = $pacroot
DBPath = $pacroot/var/lib/pacman/
CacheDir = $TMP/paccache/
LogFile = $TMP/pacman.log
GPGDir = $TMP/gnupg/
HookDir = $TMP/hooks/
Architecture = x86_64
SigLevel = Never
ParallelDownloads = 6

[bench]
Server = $PROXY_URL/pacman/bench/os/x86_64
EOF
pacman --config "$TMP/pacman.conf" -Sy --noconfirm >"$TMP/pacman-sync.log" 2>&1 ||
	{ cat "$TMP/pacman-sync.log" >&2; echo "bench_download: pacman -Sy failed" >&2; exit 1; }
pkgs=$(cut -d' ' -f1 "$www/smech/bench/releases/download/snap1.list" | sed 's/-1.0-1-x86_64.pkg.tar.zst//')

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

run_spk() { # PARALLEL
	rm -rf "$TMP/spk"
	mkdir "$TMP/spk"
	t0=$(now_ms)
	"$FETCH" --quiet --parallel "$1" "$TMP/list" >"$TMP/spk.out" || { echo "spk-fetch-test failed" >&2; exit 1; }
	t1=$(now_ms)
	[ "$(grep -c ' ok ' "$TMP/spk.out")" -eq "$COUNT" ] || { echo "spk: not all $COUNT fetched" >&2; exit 1; }
	echo $((t1 - t0))
}

run_pacman() {
	rm -rf "$TMP/paccache"
	mkdir "$TMP/paccache"
	t0=$(now_ms)
	# shellcheck disable=SC2086
	pacman --config "$TMP/pacman.conf" -Sw --noconfirm --noprogressbar $pkgs \
		>"$TMP/pacman.out" 2>&1 || { cat "$TMP/pacman.out" >&2; echo "pacman failed" >&2; exit 1; }
	t1=$(now_ms)
	[ "$(ls "$TMP/paccache" | grep -c '\.pkg\.tar\.zst$')" -eq "$COUNT" ] ||
		{ echo "pacman: not all $COUNT fetched" >&2; exit 1; }
	echo $((t1 - t0))
}

: >"$TMP/t.par" ; : >"$TMP/t.one" ; : >"$TMP/t.pac"
i=1
while [ "$i" -le "$RUNS" ]; do
	run_spk 6 >>"$TMP/t.par" || exit 1
	run_spk 1 >>"$TMP/t.one" || exit 1
	run_pacman >>"$TMP/t.pac" || exit 1
	i=$((i + 1))
done
par=$(median <"$TMP/t.par")
one=$(median <"$TMP/t.one")
pac=$(median <"$TMP/t.pac")

echo "bench_download: $COUNT files of $SIZE bytes, +${LATENCY_MS} ms per request (faultproxy), nginx on loopback"
echo "spk side: tests/tools/spk-fetch-test over libspk/fetch.c (spk install does not fetch from repositories yet)"
printf '%-34s %10s   runs (ms)\n' "" "median ms"
printf '%-34s %10s   %s\n' "spk, 6 parallel (default)" "$par" "$(tr '\n' ' ' <"$TMP/t.par")"
printf '%-34s %10s   %s\n' "spk, --parallel=1" "$one" "$(tr '\n' ' ' <"$TMP/t.one")"
printf '%-34s %10s   %s\n' "pacman -Sw, ParallelDownloads = 6" "$pac" "$(tr '\n' ' ' <"$TMP/t.pac")"
awk -v p="$par" -v o="$one" -v q="$pac" 'BEGIN {
	printf "speed-up of parallel over --parallel=1: %.1fx (goal >= 4x): %s\n", o / p, ((o / p) >= 4) ? "met" : "NOT met"
	printf "pacman time / spk time: %.2f (spk %s)\n", q / p, (q >= p) ? "faster" : "slower"
}'
