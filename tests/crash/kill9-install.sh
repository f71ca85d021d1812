#!/bin/sh
# kill -9 at random instants of one `spk install` transaction (new packages, upgrades that drop
# and add files, a Replaces takeover): after recovery by the next spk command, the root is
# exactly the state before or exactly the state after, every installed file matches its record
# byte for byte, nothing unowned is left behind, and no staging file or journal remains.
. "${0%/*}/../lib/testlib.sh"
KILLS=${SPK_CRASH_KILLS:-50}

mk() { # NAME VERSION NFILES [KEY=VALUE...]: files with version-specific content
	_n=$1 _v=$2 _f=$3; shift 3
	d="$TMP/src/$_n-$_v"
	mkdir -p "$d/usr/share/$_n" "$d/usr/bin"
	i=0
	while [ $i -lt "$_f" ]; do
		printf '%s %s %s\n' "$_n" "$_v" "$i" >"$d/usr/share/$_n/f$i"
		head -c $((1000 + i * 37)) /dev/zero >>"$d/usr/share/$_n/f$i"
		i=$((i + 1))
	done
	printf '#!/bin/sh\necho %s %s\n' "$_n" "$_v" >"$d/usr/bin/$_n"
	chmod 755 "$d/usr/bin/$_n"
	make_tree "$d" "$_n" "$_v" "$@"
	"$SPK" mkpkg "$d" "$TMP/pkgs" >/dev/null || fail "mkpkg $_n $_v"
}
mkdir -p "$TMP/pkgs"
for p in a b c d; do mk "$p" 1.0-r0 40; done
for p in a b c d; do mk "$p" 2.0-r0 60 "Depends=base>=1"; done
mk base 1.0-r0 30
mk e 1.0-r0 80 "Depends=a>=2.0"
mk old 1.0-r0 5
mkdir -p "$TMP/src/f-1.0-r0/usr/bin"
printf '#!/bin/sh\necho taken over\n' >"$TMP/src/f-1.0-r0/usr/bin/old"
chmod 755 "$TMP/src/f-1.0-r0/usr/bin/old"
make_tree "$TMP/src/f-1.0-r0" f 1.0-r0 "Replaces=old"
"$SPK" mkpkg "$TMP/src/f-1.0-r0" "$TMP/pkgs" >/dev/null || fail "mkpkg f"

P=$TMP/pkgs
BEFORE="$P/a-1.0-r0-x86_64.tar.xz $P/b-1.0-r0-x86_64.tar.xz $P/c-1.0-r0-x86_64.tar.xz $P/old-1.0-r0-x86_64.tar.xz"
TXN="$P/a-2.0-r0-x86_64.tar.xz $P/b-2.0-r0-x86_64.tar.xz $P/c-2.0-r0-x86_64.tar.xz
     $P/d-2.0-r0-x86_64.tar.xz $P/e-1.0-r0-x86_64.tar.xz $P/base-1.0-r0-x86_64.tar.xz
     $P/f-1.0-r0-x86_64.tar.xz"

# The two states every run must end in, recorded from uninterrupted runs.
snapshot() { # ROOT OUT: list, every path with its type, every file's content hash
	"$SPK" --root "$1" list >"$2.list" || return 1
	(cd "$1" && find . -path ./var/lib/spk -prune -o -printf '%y %m %p\n' | LC_ALL=C sort &&
		find . -path ./var/lib/spk -prune -o -type f -exec sha256sum {} + | LC_ALL=C sort) \
		>"$2.tree"
}
TEMPLATE=$TMP/template
mkdir -p "$TEMPLATE"
# shellcheck disable=SC2086
"$SPK" --root "$TEMPLATE" install $BEFORE >/dev/null || fail "install the starting state"
snapshot "$TEMPLATE" "$TMP/before"
R=$TMP/r
cp -a "$TEMPLATE" "$R"
start=$(date +%s%N)
# shellcheck disable=SC2086
"$SPK" --root "$R" install $TXN >/dev/null || fail "uninterrupted transaction"
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
snapshot "$R" "$TMP/after"
check test "$(wc -l <"$TMP/after.list")" -eq 8
rm -rf "$R"

window=$((took_ms + took_ms / 4 + 2))
before=0 after=0 bad=0 k=0
while [ $k -lt "$KILLS" ]; do
	k=$((k + 1))
	cp -a "$TEMPLATE" "$R"
	# shellcheck disable=SC2086
	"$SPK" --root "$R" install $TXN >/dev/null 2>&1 &
	pid=$!
	delay=$(awk -v s="$k$$" -v w="$window" 'BEGIN { srand(s); printf "%.4f", rand() * w / 1000 }')
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	# any command recovers; list is the lightest
	if ! "$SPK" --root "$R" list >"$TMP/list.out" 2>"$TMP/list.err"; then
		fail "kill $k after ${delay}s: recovery failed: $(cat "$TMP/list.err")"
		bad=$((bad + 1))
		rm -rf "$R"
		continue
	fi
	snapshot "$R" "$TMP/now"
	if cmp -s "$TMP/now.list" "$TMP/before.list" && cmp -s "$TMP/now.tree" "$TMP/before.tree"; then
		before=$((before + 1))
	elif cmp -s "$TMP/now.list" "$TMP/after.list" && cmp -s "$TMP/now.tree" "$TMP/after.tree"; then
		after=$((after + 1))
	else
		bad=$((bad + 1))
		fail "kill $k after ${delay}s: neither the state before nor after"
		diff "$TMP/before.tree" "$TMP/now.tree" | head -5
		diff "$TMP/after.tree" "$TMP/now.tree" | head -5
	fi
	if ! "$SPK" --root "$R" verify >"$TMP/verify.out" 2>&1; then
		bad=$((bad + 1))
		fail "kill $k: verify after recovery: $(head -3 "$TMP/verify.out")"
	fi
	if [ -e "$R/var/lib/spk/journal" ] || [ -n "$(find "$R" -name '.spk-*' | head -1)" ]; then
		bad=$((bad + 1))
		fail "kill $k: journal or staging files left behind"
	fi
	rm -rf "$R"
done
echo "# $KILLS kills in a ${window} ms window: $before rolled back, $after rolled forward, $bad bad"
check test "$bad" -eq 0
# Both outcomes must have been exercised, or the kills missed the transaction.
check test "$before" -gt 0
check test "$after" -gt 0
done_testing
