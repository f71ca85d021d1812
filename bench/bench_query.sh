#!/bin/bash
# Query benchmark: `spk owner` and `spk list`, warm and cold, beside
# `pacman -Qo` / `pacman -Q` and `dpkg -S` / `dpkg-query -W` on the same
# installed data (1,000 packages with 100,000 and with 10,000 files).
#
#   bench/bench_query.sh              (reuses bench_install.sh's roots if current)
#   BENCH_RUNS=5 BENCH_WARM_RUNS=50 bench/bench_query.sh
#
# Warm: hyperfine -N (no shell), --warmup 3, --runs $BENCH_WARM_RUNS (20),
#       times read back from its JSON export.
# Cold: $BENCH_RUNS single runs per tool, each after
#       `sync; echo 3 > /proc/sys/vm/drop_caches` (needs root), tools interleaved.
set -eu
. "$(dirname "$0")/lib.sh"
find_spk
check_tools
BENCH_WARM_RUNS=${BENCH_WARM_RUNS:-20}
QTOOLS=${BENCH_TOOLS:-spk pacman dpkg}
[ -w /proc/sys/vm/drop_caches ] || die "cold figures need root (/proc/sys/vm/drop_caches)"

RES=${BENCH_RESULTS:-$BENCH_WORK/query.tsv}
mkdir -p "$BENCH_WORK/roots"
pacman_conf
machine_info
echo "runs:       warm $BENCH_WARM_RUNS (hyperfine), cold $BENCH_RUNS"
echo

# ensure_root SIZE F TOOL: an installed root for the set, reused if current
ensure_root() {
	local size=$1 f=$2 tool=$3 set_dir root ok
	set_dir=$(gen_set "$f")
	root=$BENCH_WORK/roots/$size/$tool
	ok=$BENCH_WORK/roots/$size/$tool.ok
	if [ -f "$ok" ] && cat "$set_dir/peers.stamp" "$set_dir/spk.stamp" | cmp -s - "$ok"; then
		return 0
	fi
	echo "  installing $size for $tool (not left by bench_install.sh)"
	rm -f "$ok"
	prep_root "$tool" "$root"
	local t=$tool
	[ "$tool" = dpkg ] && t=dpkg-unsafe   # same resulting state, faster
	install_argv "$t" "$root"
	# shellcheck disable=SC2046
	"${CMD[@]}" $(pkg_glob "$tool" "$set_dir") >/dev/null 2>"$BENCH_WORK/err.$$" ||
		{ tail -5 "$BENCH_WORK/err.$$" >&2; die "$tool install of $size failed"; }
	cat "$set_dir/peers.stamp" "$set_dir/spk.stamp" >"$ok"
}

# query_argv TOOL OP ROOT PATH: set CMD
query_argv() {
	local tool=$1 op=$2 root=$3 path=$4
	case $tool/$op in
	spk/owner)    CMD=("$SPK" --root "$root" owner "$path") ;;
	spk/list)     CMD=("$SPK" --root "$root" list) ;;
	pacman/owner) CMD=(pacman --config "$PACCONF" --root "$root" --dbpath "$root/var/lib/pacman" -Qo "$root$path") ;;
	pacman/list)  CMD=(pacman --config "$PACCONF" --root "$root" --dbpath "$root/var/lib/pacman" -Q) ;;
	dpkg/owner)   CMD=(dpkg-query --admindir="$root/var/lib/dpkg" -S "$path") ;;
	dpkg/list)    CMD=(dpkg-query --admindir="$root/var/lib/dpkg" -W) ;;
	esac
}

# bench_op SIZE OP PATH EXPECT
bench_op() {
	local size=$1 op=$2 path=$3 expect=$4 tool root json names=() cmds=()
	for tool in $QTOOLS; do
		root=$BENCH_WORK/roots/$size/$([ $tool = spk ] && echo spk-nosync || echo $tool)
		query_argv "$tool" "$op" "$root" "$path"
		# correctness first: the answer must name the expected package
		"${CMD[@]}" >"$BENCH_WORK/out.$$" 2>&1 || die "$tool $op failed: $(head -3 "$BENCH_WORK/out.$$")"
		grep -q "$expect" "$BENCH_WORK/out.$$" || die "$tool $op: no '$expect' in: $(head -3 "$BENCH_WORK/out.$$")"
		names+=(-n "$tool")
		cmds+=("${CMD[*]}")
	done
	echo "== $op $size ($path): warm, hyperfine"
	json=$BENCH_WORK/hf-$size-$op.json
	hyperfine -N --style basic --warmup 3 --runs "$BENCH_WARM_RUNS" \
		--export-json "$json" "${names[@]}" "${cmds[@]}" 2>&1 |
		grep -E '^Benchmark|Time \(mean' || true
	python3 - "$json" "$size" "$op-warm" >>"$RES" <<-'EOF'
	import json, sys
	for r in json.load(open(sys.argv[1]))["results"]:
	    for i, t in enumerate(r["times"]):
	        print("%s\t%s\t%s\t%d\t%d\t-\t%d" % (sys.argv[2], sys.argv[3], r["command"], i + 1,
	              round(t * 1e6), round((r["user"] + r["system"]) * 1e6)))
	EOF
	echo "== $op $size: cold, $BENCH_RUNS x (sync; drop_caches; one call)"
	local run order t0 t1
	for run in $(seq 1 "$BENCH_RUNS"); do
		order=$(echo $QTOOLS | tr ' ' '\n' | awk -v r="$run" \
			'{a[NR-1]=$0} END {for (i=0;i<NR;i++) print a[(i+r-1)%NR]}')
		for tool in $order; do
			root=$BENCH_WORK/roots/$size/$([ $tool = spk ] && echo spk-nosync || echo $tool)
			query_argv "$tool" "$op" "$root" "$path"
			sync
			echo 3 >/proc/sys/vm/drop_caches
			t0=${EPOCHREALTIME/./}
			"${CMD[@]}" >/dev/null 2>&1
			t1=${EPOCHREALTIME/./}
			printf '%s\t%s\t%s\t%s\t%s\t-\t-\n' "$size" "$op-cold" "$tool" "$run" "$((t1 - t0))" >>"$RES"
			printf '  %-7s run %s: %7.1f ms\n' "$tool" "$run" "$(echo "$((t1 - t0))" | awk '{print $1/1000}')"
		done
	done
}

: >"$RES"
start=$(date +%s)
largest=${SIZES##* }
for f in $SIZES; do
	size=${NPKG}x$f
	for tool in $QTOOLS; do
		[ "$tool" = spk ] && tool=spk-nosync
		ensure_root "$size" "$f" "$tool"
	done
	last=p$((NPKG - 1))
	bench_op "$size" owner "/usr/share/$last/f$((f - 1))" "$last"
	if [ "$f" = "$largest" ]; then
		bench_op "$size" list "" "$last"
	fi
done
echo "total benchmark time: $(( $(date +%s) - start )) s; load avg now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 "$BENCH_DIR/report.py" query "$RES"
