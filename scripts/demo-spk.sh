#!/bin/sh
# The newcomer's tour of spk: makes a few packages with `spk mkpkg`, installs them into a
# temporary root in one transaction, then lists, queries, verifies, upgrades and removes.
set -eu
SPK=${SPK:-$(cd "$(dirname "$0")/.." && pwd)/build/spk/spk}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

mkdir -p "$work/libgreet/usr/lib" "$work/hello/usr/bin" "$work/hello2/usr/bin" "$work/out"
printf 'Name: libgreet\nVersion: 2.1-r0\nArch: x86_64\nDescription: greeting library\n' \
	>"$work/libgreet/.SPKINFO"
echo "hello, world" >"$work/libgreet/usr/lib/greeting.txt"
printf 'Name: hello\nVersion: 1.0-r0\nArch: x86_64\nDescription: says hello\nDepends: libgreet >= 2.0\n' \
	>"$work/hello/.SPKINFO"
printf '#!/bin/sh\ncat /usr/lib/greeting.txt\n' >"$work/hello/usr/bin/hello"
chmod 755 "$work/hello/usr/bin/hello"
ln -s hello "$work/hello/usr/bin/hi"
sed 's/1.0-r0/1.1-r0/' "$work/hello/.SPKINFO" >"$work/hello2/.SPKINFO"
printf '#!/bin/sh\necho "hello again"\n' >"$work/hello2/usr/bin/hello"
chmod 755 "$work/hello2/usr/bin/hello"

say "$SPK" mkpkg "$work/libgreet" "$work/out"
say "$SPK" mkpkg "$work/hello" "$work/out"
say "$SPK" mkpkg "$work/hello2" "$work/out"
mkdir -p "$work/root"
# Dependencies among the given files are resolved whatever their order: one transaction.
say "$SPK" --root "$work/root" install "$work/out/hello-1.0-r0-x86_64.tar.xz" \
	"$work/out/libgreet-2.1-r0-x86_64.tar.xz"
say "$SPK" --root "$work/root" list
say "$SPK" --root "$work/root" info hello
say "$SPK" --root "$work/root" files hello
say "$SPK" --root "$work/root" owner /usr/bin/hi /usr/lib/greeting.txt
say "$SPK" --root "$work/root" verify
echo "(verify: clean)"
say "$SPK" --root "$work/root" install "$work/out/hello-1.1-r0-x86_64.tar.xz"
echo "tampering with /usr/lib/greeting.txt ..."
echo "tampered" >"$work/root/usr/lib/greeting.txt"
printf '\n\033[1m$ %s\033[0m\n' "$SPK --root ROOT verify"
"$SPK" --root "$work/root" verify || echo "(verify found the change and exited $?)"
printf '\n\033[1m$ %s\033[0m\n' "$SPK --root ROOT remove libgreet"
"$SPK" --root "$work/root" remove libgreet || echo "(refused: hello needs it; exit $?)"
say "$SPK" --root "$work/root" remove --cascade libgreet
say "$SPK" --root "$work/root" list
echo "(empty: both removed in one transaction)"
