# Shared by the shell tests: sourced, never run. Each test prints TAP lines ("ok N - title",
# "not ok N - title") and ends with done_testing; the runner counts them.
#
# Environment (set by tests/run): SPK (the spk binary), BUILD (the meson build dir), SRC (the
# source tree). Running a test by hand: SPK=build/spk/spk BUILD=build SRC=. sh tests/spk/x.sh
set -u

: "${SRC:=$(cd "${0%/*}/../.." && pwd)}"
: "${BUILD:=$SRC/build}"
: "${SPK:=$BUILD/spk/spk}"
export SRC BUILD SPK
export LC_ALL=C TZ=UTC

_t_count=0
_t_failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/spktest.XXXXXX")
_t_cleanups=""

# Run "$@" at exit (pids to kill, servers to stop), last registered first.
on_exit() { _t_cleanups="$*; $_t_cleanups"; }
_t_exit() {
	eval "$_t_cleanups" 2>/dev/null
	rm -rf "$TMP"
}
trap _t_exit EXIT
trap 'exit 130' INT TERM

spk() { "$SPK" "$@"; }

pass() { _t_count=$((_t_count + 1)); echo "ok $_t_count - $*"; }
fail() {
	_t_count=$((_t_count + 1)); _t_failed=$((_t_failed + 1))
	echo "not ok $_t_count - $*"
}

# check CMD...: passes if CMD succeeds; the title is the command itself.
check() {
	if "$@"; then pass "$*"; else fail "$*"; fi
}

# Sanitizer reports go to stderr; a program that printed one has failed whatever its exit code.
_t_sanitizer_report() {
	[ -f "$1" ] && grep -qE '^(==[0-9]+==ERROR: |SUMMARY: (Address|UndefinedBehavior|Leak)Sanitizer|.*runtime error: )' "$1"
}

# must_fail CMD...: passes on exit 1 or 2; fails on 0, a signal, or a sanitizer report.
# stderr is kept in $TMP/must_fail.err (and still shown if the caller redirected it).
must_fail() {
	"$@" 2>"$TMP/must_fail.err"
	rc=$?
	cat "$TMP/must_fail.err" >&2
	if _t_sanitizer_report "$TMP/must_fail.err"; then
		fail "must_fail $*: sanitizer report"
	elif [ $rc -eq 1 ] || [ $rc -eq 2 ]; then
		pass "must_fail $* (exit $rc)"
	else
		fail "must_fail $*: exit $rc"
	fi
}

# must_pass CMD...: passes on exit 0 without a sanitizer report.
must_pass() {
	"$@" 2>"$TMP/must_pass.err"
	rc=$?
	cat "$TMP/must_pass.err" >&2
	if _t_sanitizer_report "$TMP/must_pass.err"; then
		fail "$*: sanitizer report"
	elif [ $rc -eq 0 ]; then
		pass "$*"
	else
		fail "$*: exit $rc"
	fi
}

# setup_root: $ROOT is a fresh, empty target root inside $TMP.
setup_root() {
	ROOT="$TMP/root"
	rm -rf "$ROOT"
	mkdir -p "$ROOT"
}

# make_tree DIR NAME VERSION [KEY=VALUE...]: a package source dir with a .SPKINFO
# (Arch x86_64 unless ARCH= is given); add files under DIR yourself.
make_tree() {
	_d=$1 _n=$2 _v=$3; shift 3
	mkdir -p "$_d"
	_arch=x86_64
	{
		echo "Name: $_n"
		echo "Version: $_v"
		for kv in "$@"; do
			case $kv in
			ARCH=*) _arch=${kv#ARCH=} ;;
			*) echo "${kv%%=*}: ${kv#*=}" ;;
			esac
		done
		echo "Arch: $_arch"
	} >"$_d/.SPKINFO"
}

# make_pkg OUTDIR NAME VERSION [FILE...] [KEY=VALUE...]: builds OUTDIR/NAME-VERSION-x86_64.tar.xz
# with spk mkpkg. Each FILE (a relative path) holds "NAME VERSION FILE\n".
make_pkg() {
	_o=$1 _n=$2 _v=$3; shift 3
	_src="$TMP/src.$_n-$_v"
	rm -rf "$_src"
	_kvs=""
	mkdir -p "$_src"
	for a in "$@"; do
		case $a in
		*=*) _kvs="$_kvs
$a" ;;
		*) mkdir -p "$_src/$(dirname "$a")"; printf '%s %s %s\n' "$_n" "$_v" "$a" >"$_src/$a" ;;
		esac
	done
	_old_ifs=$IFS; IFS='
'
	# shellcheck disable=SC2086
	make_tree "$_src" "$_n" "$_v" $_kvs
	IFS=$_old_ifs
	mkdir -p "$_o"
	"$SPK" mkpkg "$_src" "$_o" >/dev/null || { fail "mkpkg $_n $_v"; return 1; }
}

# free_port: a loopback TCP port nobody listens on now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

done_testing() {
	echo "1..$_t_count"
	[ "$_t_failed" -eq 0 ]
}
