#!/bin/bash
# Install benchmark: spk (--sync=no, --sync=yes) beside pacman and dpkg, same
# generated packages, same run, interleaved.  See bench/README.md.
#
#   bench/bench_install.sh            1,000 pkgs x 10 and x 100 files, 3 runs
#   BENCH_RUNS=5 bench/bench_install.sh
#   BENCH_QUICK=1 bench/bench_install.sh   200 pkgs x 10 and x 50 files
#
# For each size and run, each tool installs the whole set into a fresh empty
# root in ONE command (wall clock around the command, `sync` before it; peak
# RSS from /usr/bin/time -f %M); then, on the 10-file set, the package "extra"
# is installed into that populated root.  The order of the tools rotates from
# run to run.  The last run's roots are kept for bench_query.sh.
set -eu
. "$(dirname "$0")/lib.sh"
find_spk
check_tools

RES=${BENCH_RESULTS:-$BENCH_WORK/install.tsv}
mkdir -p "$BENCH_WORK/roots"
pacman_conf
machine_info
echo "runs:       $BENCH_RUNS per figure"
echo

TOOLS="spk-nosync spk-sync pacman dpkg"
[ "$BENCH_DPKG_UNSAFE" = 1 ] && TOOLS="$TOOLS dpkg-unsafe"
TOOLS=${BENCH_TOOLS:-$TOOLS}

declare -A SET
for f in $SIZES; do
	SET[$f]=$(gen_set "$f")
done

# timed LABEL OP TOOL RUN ROOT FILES...: run one install, append a result row
timed() {
	local size=$1 op=$2 tool=$3 run=$4 root=$5
	shift 5
	local rssf=$BENCH_WORK/rss.$$ t0 t1 rc=0
	install_argv "$tool" "$root"
	sync
	t0=${EPOCHREALTIME/./}
	/usr/bin/time -o "$rssf" -f "%M %U %S" "${CMD[@]}" "$@" \
		>/dev/null 2>"$BENCH_WORK/err.$$" || rc=$?
	t1=${EPOCHREALTIME/./}
	if [ "$rc" != 0 ]; then
		echo "bench: $tool $op ($size) failed, exit $rc:" >&2
		tail -5 "$BENCH_WORK/err.$$" >&2
		exit 1
	fi
	local rss cpu
	read -r rss cpu <<<"$(tail -1 "$rssf" | awk '{printf "%d %d", $1, ($2 + $3) * 1e6}')"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$op" "$tool" "$run" \
		"$(( t1 - t0 ))" "$rss" "$cpu" >>"$RES"
	printf '  %-8s %-9s %-12s run %s: %6d ms wall %6d ms cpu %6d KiB\n' "$size" "$op" \
		"$tool" "$run" "$(( (t1 - t0) / 1000 ))" "$(( cpu / 1000 ))" "$rss"
}

: >"$RES"
start=$(date +%s)
for f in $SIZES; do
	size="${NPKG}x$f"
	set_dir=${SET[$f]}
	echo "== install $NPKG packages x $f files ($set_dir)"
	for run in $(seq 1 "$BENCH_RUNS"); do
		# rotate the order so no tool always runs first (or last)
		order=$(echo $TOOLS | tr ' ' '\n' | awk -v r="$run" \
			'{a[NR-1]=$0} END {for (i=0;i<NR;i++) print a[(i+r-1)%NR]}')
		for tool in $order; do
			root=$BENCH_WORK/roots/$size/$tool
			rm -f "$BENCH_WORK/roots/$size/$tool.ok"
			prep_root "$tool" "$root"
			# shellcheck disable=SC2046
			timed "$size" install "$tool" "$run" "$root" $(pkg_glob "$tool" "$set_dir")
			if [ "$f" = "${SIZES%% *}" ]; then
				timed "$size" install1 "$tool" "$run" "$root" \
					$(pkg_glob "$tool" "$set_dir" extra)
			fi
			cat "$set_dir/peers.stamp" "$set_dir/spk.stamp" \
				>"$BENCH_WORK/roots/$size/$tool.ok"
		done
	done
done
# Only these roots are used by bench_query.sh.
for f in $SIZES; do
	[ "$BENCH_KEEP_ALL" = 1 ] && break
	rm -rf "$BENCH_WORK/roots/${NPKG}x$f/spk-sync" "$BENCH_WORK/roots/${NPKG}x$f/dpkg-unsafe"
	rm -f "$BENCH_WORK/roots/${NPKG}x$f/spk-sync.ok" "$BENCH_WORK/roots/${NPKG}x$f/dpkg-unsafe.ok"
done
echo "total benchmark time: $(( $(date +%s) - start )) s; load avg now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 "$BENCH_DIR/report.py" install "$RES" "$NPKG" $SIZES
