#!/bin/sh
# G7/G8 (package-managers.md §5.2, §5.3): resolve one target (p4999) and all targets (the meta-package
# "all") of a generated 5,000-package index: p_i depends on p_{i/2} and p_{i/3}. spk is timed from an
# already parsed index (libsolv pool built + solved, tests/tools/spk-solve-bench; the index parse is
# shown beside it); pacman -Sp on a generated sync db and apt-get -s on a flat file: repo, same graph,
# same run, wall clock per command. Goals: <= 10 ms and <= 150 ms. Median of RUNS (default 5) for the
# peers, of 4*RUNS+1 for spk (milliseconds each, and noisy on a shared machine).
# Usage: bench/bench_resolve.sh [BUILD_DIR] [N] [RUNS]   (BUILD_DIR: a non-sanitized build)
set -eu
SRC=$(cd "${0%/*}/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
N=${2:-5000}
RUNS=${3:-5}
DRIVER="$BUILD/tests/tools/spk-solve-bench"
[ -x "$DRIVER" ] || { echo "bench_resolve: build $DRIVER first (ninja -C $BUILD)" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ---- the same graph three ways ----
python3 - "$TMP" "$N" <<'PY'
import io, os, sys, tarfile
tmp, n = sys.argv[1], int(sys.argv[2])
deps = {}
for i in range(n):
    d = []
    for j in (i // 2, i // 3):
        if i and ("p%d" % j) not in d:
            d.append("p%d" % j)
    deps["p%d" % i] = d
deps["all"] = ["p%d" % i for i in range(n)]
names = sorted(deps)
# spk: SPKINDEX text (what the client holds after update)
with open(os.path.join(tmp, "SPKINDEX"), "w") as f:
    for name in names:
        f.write("Name: %s\nVersion: 1.0-r0\nArch: noarch\n" % name)
        if deps[name]:
            f.write("Depends: %s\n" % ", ".join(deps[name]))
        f.write("Size: 1\nSHA256: %s\nAsset: %s-1.0-r0-noarch.tar.xz\nAsset-Tag: bench\n\n"
                % ("0" * 64, name))
# pacman: sync db, a tar.gz of NAME-VER/desc
os.makedirs(os.path.join(tmp, "R/var/lib/pacman/sync"))
os.makedirs(os.path.join(tmp, "R/var/lib/pacman/local"))
with open(os.path.join(tmp, "R/var/lib/pacman/local/ALPM_DB_VERSION"), "w") as f:
    f.write("9\n")
with tarfile.open(os.path.join(tmp, "R/var/lib/pacman/sync/bench.db"), "w:gz") as t:
    for name in names:
        desc = ("%%FILENAME%%\n%s-1.0-1-any.pkg.tar.xz\n\n%%NAME%%\n%s\n\n%%VERSION%%\n1.0-1\n\n"
                "%%ARCH%%\nany\n\n%%CSIZE%%\n1\n\n" % (name, name))
        if deps[name]:
            desc += "%%DEPENDS%%\n%s\n\n" % "\n".join(deps[name])
        data = desc.encode()
        ti = tarfile.TarInfo("%s-1.0-1/desc" % name)
        ti.size, ti.mtime = len(data), 0
        t.addfile(ti, io.BytesIO(data))
# apt: flat repository
os.makedirs(os.path.join(tmp, "apt"))
with open(os.path.join(tmp, "apt/Packages"), "w") as f:
    for name in names:
        f.write("Package: %s\nVersion: 1.0-1\nArchitecture: all\nMaintainer: bench <b@b>\n" % name)
        if deps[name]:
            f.write("Depends: %s\n" % ", ".join(deps[name]))
        f.write("Filename: ./%s_1.0-1_all.deb\nSize: 1\nDescription: bench\n\n" % name)
PY

R="$TMP/R"
mkdir -p "$R/cache" "$R/hooks"
cat >"$TMP/pacman.conf" <<CONF
[options]
RootDir = $R
DBPath = $R/var/lib/pacman/
CacheDir = $R/cache/
LogFile = $R/pacman.log
HookDir = $R/hooks/
Architecture = auto
SigLevel = Never
LocalFileSigLevel = Never

[bench]
Server = file://$TMP/repo
CONF
A="$TMP/A"
mkdir -p "$A/etc/apt/apt.conf.d" "$A/etc/apt/preferences.d" "$A/etc/apt/sources.list.d" \
	"$A/var/lib/apt/lists/partial" "$A/var/cache/apt/archives/partial" "$A/var/lib/dpkg"
: >"$A/var/lib/dpkg/status"
echo "deb [trusted=yes] file:$TMP/apt ./" >"$A/etc/apt/sources.list"

pacman_run() { pacman --config "$TMP/pacman.conf" --root "$R" --dbpath "$R/var/lib/pacman" \
	-Sp --print-format %n "$1"; }
apt_run() { apt-get -o Dir="$A" -o Dir::State::status="$A/var/lib/dpkg/status" \
	-o Dir::Etc="$A/etc/apt" -o Debug::NoLocking=1 -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root "$@"; }
apt_run -qq update >/dev/null

# median_ms CMD...: RUNS timed calls (after one unmeasured call), median wall ms
median_ms() {
	"$@" >/dev/null 2>&1 || true
	i=0
	: >"$TMP/times"
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000 )) >>"$TMP/times"
		i=$((i + 1))
	done
	sort -n "$TMP/times" | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000 }'
}

echo "machine: $(uname -srm), $(nproc) cpus,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "peers: $(pacman -V 2>/dev/null | grep -o 'Pacman v[0-9.]*' | head -1), $(apt-get -v | head -1)"
echo "libsolv $(pkg-config --modversion libsolv 2>/dev/null || echo '?'); $N packages + all; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-12s | %-8s | %-22s | %-24s | %-20s | %-20s | %-8s |\n' target packages \
	"spk pool+solve (ms)" "spk parse+solve (ms)" "pacman -Sp (ms)" "apt-get -s (ms)" goal
echo "|--------------|----------|------------------------|--------------------------|----------------------|----------------------|----------|"
for target in "p$((N - 1))" all; do
	# shellcheck disable=SC2046
	set -- $("$DRIVER" "$TMP/SPKINDEX" "$target" $((RUNS * 4 + 1)))
	spk_n=$2 spk_solve=$3 spk_both=$4
	pac_n=$(pacman_run "$target" 2>/dev/null | wc -l)
	pac=$(median_ms pacman_run "$target")
	apt_n=$(apt_run -s install "$target" 2>/dev/null | grep -c '^Inst' || true)
	apt=$(median_ms apt_run -s install "$target")
	goal=10
	[ "$target" = all ] && goal=150
	ok=$(awk -v a="$spk_solve" -v g="$goal" 'BEGIN { print (a <= g) ? "met" : "MISSED" }')
	printf '| %-12s | %-8s | %-22s | %-24s | %-20s | %-20s | %-8s |\n' "$target" \
		"$spk_n/$pac_n/$apt_n" "$spk_solve" "$spk_both" "$pac" "$apt" "<=$goal $ok"
done
echo
echo "packages: spk/pacman/apt counts of packages selected (they must agree)."
