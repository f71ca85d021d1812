#!/bin/sh
# spk index writes a complete, reproducible, signed snapshot directory; --previous keeps the
# Asset-Tag of unchanged packages; every refusal is one line and writes nothing.
. "${0%/*}/../lib/testlib.sh"

one_error() {
	if [ "$(wc -l <"$1")" -eq 1 ] && grep -q "^spk: error: .*$2" "$1"; then
		pass "one error line matching '$2'"
	else
		fail "one error line matching '$2': got: $(cat "$1")"
	fi
}

cd "$TMP" || exit 1
export SOURCE_DATE_EPOCH=1790000000
make_pkg pk alpha 1.0-r0 usr/bin/alpha 'Description=the first' 'Depends=beta >= 2.0, gamma'
make_pkg pk beta 2.0-r1 usr/lib/beta
spk keygen k >/dev/null

must_pass spk index --repository smech/os --snapshot s1 --serial 1 --key k.key out1 \
	pk/alpha-1.0-r0-x86_64.tar.xz pk/beta-2.0-r1-x86_64.tar.xz
for f in SPKINDEX.xz SPKCHANNEL SPKCHANNEL.minisig alpha-1.0-r0-x86_64.tar.xz \
	beta-2.0-r1-x86_64.tar.xz; do
	check test -f "out1/$f"
done
check cmp -s pk/alpha-1.0-r0-x86_64.tar.xz out1/alpha-1.0-r0-x86_64.tar.xz
xz -dc out1/SPKINDEX.xz >index1 || fail "xz -dc SPKINDEX.xz"
check grep -qx 'Name: alpha' index1
check grep -qx 'Description: the first' index1
check grep -qx 'Depends: beta>=2.0, gamma' index1
check grep -qx "SHA256: $(sha256sum pk/beta-2.0-r1-x86_64.tar.xz | cut -d' ' -f1)" index1
check grep -qx "Size: $(stat -c %s pk/beta-2.0-r1-x86_64.tar.xz)" index1
check grep -qx 'Asset: beta-2.0-r1-x86_64.tar.xz' index1
check test "$(grep -c '^Asset-Tag: s1$' index1)" -eq 2
check test "$(grep -c '^$' index1)" -eq 1 # two stanzas, one blank line between
# the channel
check grep -qx 'Repository: smech/os' out1/SPKCHANNEL
check grep -qx 'Snapshot: s1' out1/SPKCHANNEL
check grep -qx 'Serial: 1' out1/SPKCHANNEL
check grep -qx 'Date: 2026-09-21T14:13:20Z' out1/SPKCHANNEL
check grep -qx 'Valid-Until: 2026-10-21T14:13:20Z' out1/SPKCHANNEL
check grep -qx "Index-SHA256: $(sha256sum out1/SPKINDEX.xz | cut -d' ' -f1)" out1/SPKCHANNEL
check test "$(wc -l <out1/SPKCHANNEL)" -eq 6
if command -v minisign >/dev/null; then
	check minisign -V -q -p k.pub -m out1/SPKCHANNEL
fi
must_pass spk sign --verify --key k.pub out1/SPKCHANNEL

# reproducible: the same inputs give the same bytes
spk index --repository smech/os --snapshot s1 --serial 1 --key k.key out1b \
	pk/beta-2.0-r1-x86_64.tar.xz pk/alpha-1.0-r0-x86_64.tar.xz >/dev/null
for f in SPKINDEX.xz SPKCHANNEL SPKCHANNEL.minisig; do
	check cmp -s "out1/$f" "out1b/$f"
done

# --valid-days, and no --key: no signature (and a stale one removed)
must_pass spk index --repository smech/os --snapshot s1 --serial 1 --valid-days 2 out1b \
	pk/alpha-1.0-r0-x86_64.tar.xz
check grep -qx 'Valid-Until: 2026-09-23T14:13:20Z' out1b/SPKCHANNEL
check test ! -e out1b/SPKCHANNEL.minisig

# --previous: beta unchanged keeps tag s1 and is not copied; alpha's new version goes to s2
make_pkg pk alpha 1.1-r0 usr/bin/alpha
must_pass spk index --repository smech/os --snapshot s2 --serial 2 --previous out1/SPKINDEX.xz \
	--key k.key out2 pk/alpha-1.1-r0-x86_64.tar.xz pk/beta-2.0-r1-x86_64.tar.xz
xz -dc out2/SPKINDEX.xz >index2
stanza() { awk -v n="Name: $1" '$0 == n { p = 1 } p && /^$/ { exit } p' index2; }
check test "$(stanza beta | grep -c '^Asset-Tag: s1$')" -eq 1
check test "$(stanza alpha | grep -c '^Asset-Tag: s2$')" -eq 1
check test -f out2/alpha-1.1-r0-x86_64.tar.xz
check test ! -e out2/beta-2.0-r1-x86_64.tar.xz

# refusals: exit 1 (or 2 for usage), one line, nothing written
must_fail spk index --repository smech/os --snapshot s3 out3 pk/beta-2.0-r1-x86_64.tar.xz 2>err
check test "$rc" -eq 2
must_fail spk index --repository smech --snapshot s3 --serial 3 out3 pk/beta-2.0-r1-x86_64.tar.xz 2>err
check test "$rc" -eq 2
check grep -q '^spk: error: index: bad --repository or --snapshot' err
must_fail spk index --repository smech/os --snapshot ../s3 --serial 3 out3 pk/beta-2.0-r1-x86_64.tar.xz 2>err
check test "$rc" -eq 2
must_fail spk index --repository smech/os --snapshot s3 --serial -3 out3 pk/beta-2.0-r1-x86_64.tar.xz 2>err
check test "$rc" -eq 2
echo 'not a package' >bogus.tar.xz
must_fail spk index --repository smech/os --snapshot s3 --serial 3 out3 bogus.tar.xz 2>err
check test "$rc" -eq 1
one_error err "bogus.tar.xz"
cp pk/beta-2.0-r1-x86_64.tar.xz beta-copy.tar.xz
must_fail spk index --repository smech/os --snapshot s3 --serial 3 out3 \
	pk/beta-2.0-r1-x86_64.tar.xz beta-copy.tar.xz 2>err
one_error err "beta 2.0-r1 x86_64 given twice"
must_fail spk index --repository smech/os --snapshot s3 --serial 3 --key nokey out3 \
	pk/beta-2.0-r1-x86_64.tar.xz 2>err
one_error err "nokey: No such file"
must_fail spk index --repository smech/os --snapshot s3 --serial 3 --key k.pub out3 \
	pk/beta-2.0-r1-x86_64.tar.xz 2>err
one_error err "k.pub: not a minisign secret key"
printf 'this is not an xz file at all' >old.xz
must_fail spk index --repository smech/os --snapshot s3 --serial 3 --previous old.xz out3 \
	pk/beta-2.0-r1-x86_64.tar.xz 2>err
one_error err "old.xz: not xz data"
check test ! -e out3
done_testing
