# Shared helpers for bench/bench_*.sh (sourced by bash).
#
# Environment knobs (all optional):
#   SPK=path           spk binary (default: build-bench/spk/spk, else build*/spk/spk)
#   BENCH_RUNS=N       runs per install figure / cold query figure (default 3)
#   BENCH_QUICK=1      smaller sets: 200 packages x 10 and x 50 files
#   BENCH_CACHE=dir    generated package sets (default /var/tmp/spk-bench/cache)
#   BENCH_WORK=dir     roots and results (default /var/tmp/spk-bench/work);
#                      must be on the filesystem you want to measure
#   BENCH_DPKG_UNSAFE=0  skip the dpkg --force-unsafe-io runs
#   BENCH_TOOLS="..."  subset of: spk-nosync spk-sync pacman dpkg dpkg-unsafe
#                      (bench_query.sh: spk pacman dpkg)
#   BENCH_SIZES="10"   files per package to run (default "10 100", quick "10 50")
#   BENCH_RESULTS=f    install results TSV (default $BENCH_WORK/install.tsv)
#   BENCH_KEEP_ALL=1   keep every tool's last root (default: only those queried)

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH_DIR/.." && pwd)
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_CACHE=${BENCH_CACHE:-/var/tmp/spk-bench/cache}
BENCH_WORK=${BENCH_WORK:-/var/tmp/spk-bench/work}
BENCH_DPKG_UNSAFE=${BENCH_DPKG_UNSAFE:-1}
BENCH_KEEP_ALL=${BENCH_KEEP_ALL:-0}

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	NPKG=200; SIZES="10 50"
else
	NPKG=1000; SIZES="10 100"
fi
# smoke tests only: BENCH_NPKG=20 BENCH_SIZES="3 5"
NPKG=${BENCH_NPKG:-$NPKG}
SIZES=${BENCH_SIZES:-$SIZES}

die() { echo "bench: $*" >&2; exit 1; }

find_spk() {
	if [ -n "${SPK:-}" ]; then :
	elif [ -x "$TOP/build-bench/spk/spk" ]; then SPK=$TOP/build-bench/spk/spk
	else
		for s in "$TOP"/build*/spk/spk; do [ -x "$s" ] && SPK=$s && break; done
	fi
	[ -n "${SPK:-}" ] && [ -x "$SPK" ] || die "no spk binary: build with
  meson setup build-bench --buildtype=release && ninja -C build-bench spk/spk
or set SPK=path"
	SPK=$(cd "$(dirname "$SPK")" && pwd)/$(basename "$SPK")
}

check_tools() {
	for t in pacman dpkg dpkg-query hyperfine python3 xz; do
		command -v "$t" >/dev/null || die "missing $t (apt-get install \$(cat $TOP/scripts/deps/bench.apt))"
	done
	[ -x /usr/bin/time ] || die "missing /usr/bin/time (apt-get install time)"
}

# gen_set FILES -> prints the set directory (generated once, cached)
gen_set() {
	python3 "$BENCH_DIR/gen_packages.py" -n "$NPKG" -f "$1" --spk "$SPK" "$BENCH_CACHE"
}

# Private pacman configuration (no signatures, no hooks, own cache and log).
pacman_conf() {
	PACCONF=$BENCH_WORK/pacman.conf
	mkdir -p "$BENCH_WORK/pacman-cache" "$BENCH_WORK/pacman-hooks"
	cat >"$PACCONF" <<EOF
[options]
Architecture = auto
SigLevel = Never
LocalFileSigLevel = Never
CacheDir = $BENCH_WORK/pacman-cache/
LogFile = $BENCH_WORK/pacman.log
HookDir = $BENCH_WORK/pacman-hooks/
GPGDir = $BENCH_WORK/pacman-gnupg/
EOF
}

# prep_root TOOL ROOT: an empty root ready for TOOL
prep_root() {
	rm -rf "$2"
	mkdir -p "$2"
	case $1 in
	pacman) mkdir -p "$2/var/lib/pacman" ;;
	dpkg*)  mkdir -p "$2/var/lib/dpkg/updates" "$2/var/lib/dpkg/info"
		: >"$2/var/lib/dpkg/status"; : >"$2/var/lib/dpkg/available" ;;
	esac
}

# install_argv TOOL ROOT: set the array CMD to the install command (files follow)
install_argv() {
	case $1 in
	spk-nosync) CMD=("$SPK" --quiet --root "$2" --sync=no install) ;;
	spk-sync)   CMD=("$SPK" --quiet --root "$2" --sync=yes install) ;;
	pacman)     CMD=(pacman --noconfirm --config "$PACCONF" --root "$2"
			--dbpath "$2/var/lib/pacman" -U) ;;
	dpkg)       CMD=(dpkg --root="$2" -i) ;;
	dpkg-unsafe) CMD=(dpkg --root="$2" --force-unsafe-io -i) ;;
	*) die "unknown tool $1" ;;
	esac
}

# pkg_glob TOOL SETDIR [extra] -> glob of the tool's package files
pkg_glob() {
	d=$2${3:+/$3}
	case $1 in
	spk*)   echo "$d/spk/*.tar.xz" ;;
	pacman) echo "$d/pacman/*.pkg.tar.xz" ;;
	dpkg*)  echo "$d/deb/*.deb" ;;
	esac
}

# wall clock in microseconds, no fork (bash 5)
now_us() { echo "${EPOCHREALTIME/./}"; }

machine_info() {
	echo "date:       $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine:    $(nproc) CPU, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo)"
	echo "kernel:     $(uname -sr)"
	mkdir -p "$BENCH_WORK"
	echo "filesystem: $(df -T "$BENCH_WORK" | awk 'NR==2 {print $2 " (" $1 ") at " $7}') for $BENCH_WORK"
	echo "spk:        $SPK ($(cd "$TOP" && git describe --always --dirty 2>/dev/null || echo '?'))"
	echo "pacman:     $(pacman --version 2>/dev/null | sed -n 's/.*\(Pacman v[^ ]*\).*/\1/p')"
	echo "dpkg:       $(dpkg --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')"
	echo "hyperfine:  $(hyperfine --version | cut -d' ' -f2)"
	echo "load avg:   $(cut -d' ' -f1-3 /proc/loadavg) at start (2 cores shared with other work: expect noise)"
}
