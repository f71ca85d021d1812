#!/bin/sh
# Interoperability with the real minisign, both ways and both signature kinds, and every refusal
# of spk's signature check.
. "${0%/*}/../lib/testlib.sh"

one_error() {
	if [ "$(wc -l <"$1")" -eq 1 ] && grep -q "^spk: error: .*$2" "$1"; then
		pass "one error line matching '$2'"
	else
		fail "one error line matching '$2': got: $(cat "$1")"
	fi
}

command -v minisign >/dev/null || { fail "minisign is not installed (scripts/deps/sig.apt)"; done_testing; exit; }
cd "$TMP" || exit 1
minisign -G -W -p m.pub -s m.key >/dev/null || fail "minisign -G -W"
spk keygen s >/dev/null || fail "spk keygen"
head -c 100000 /dev/urandom >data

# minisign signs, spk verifies: prehashed (minisign's default) and legacy
minisign -S -s m.key -m data >/dev/null || fail "minisign -S"
must_pass spk sign --verify --key m.pub data
check grep -q '^RU' data.minisig # "ED": prehashed
minisign -S -l -s m.key -m data >/dev/null || fail "minisign -S -l"
check grep -q '^RW' data.minisig # "Ed": legacy
must_pass spk sign --verify --key m.pub data

# spk signs, minisign verifies: prehashed by default, and legacy
must_pass spk sign --key s.key data
check grep -q '^RU' data.minisig
check minisign -V -q -p s.pub -m data
must_pass spk sign --legacy --key s.key data
check grep -q '^RW' data.minisig
check minisign -V -q -l -p s.pub -m data

# spk signs with minisign's key, minisign signs with spk's key
must_pass spk sign --key m.key data
check minisign -V -q -p m.pub -m data
minisign -S -s s.key -m data >/dev/null 2>&1 </dev/null || fail "minisign -S with spk's key"
must_pass spk sign --verify --key s.pub data

# the trusted keys of a root, matched by key ID
mkdir -p root/etc/spk/keys
cp s.pub root/etc/spk/keys/smech.pub
must_pass spk --root root sign --verify data
minisign -S -s m.key -m data >/dev/null
must_fail spk --root root sign --verify data 2>err
one_error err "data: unknown key ID [0-9A-F]\{16\} (not among the 1 trusted keys)"
cp m.pub root/etc/spk/keys/m.pub
must_pass spk --root root sign --verify data

# a changed byte in the file, in the trusted comment, or in the signature
cp data data.orig
printf x | dd of=data bs=1 seek=5000 conv=notrunc 2>/dev/null
must_fail spk --root root sign --verify data 2>err
one_error err "data: bad signature"
cp data.orig data
sed -i '3s/file:data/file:evil/' data.minisig
must_fail spk --root root sign --verify data 2>err
one_error err "data: bad trusted comment signature"
minisign -S -s m.key -m data >/dev/null
sed -i '2s/^\(RU..........\)./\1A/' data.minisig
must_fail spk --root root sign --verify data 2>err
check grep -q "^spk: error: data: " err
head -n 2 data.minisig >short.minisig && mv short.minisig data.minisig
must_fail spk --root root sign --verify data 2>err
one_error err "data: no 'trusted comment:' line"
rm -f data.minisig
must_fail spk --root root sign --verify data 2>err
one_error err "data.minisig: No such file"
# a malformed key among the trusted keys is an error, not skipped
echo garbage >root/etc/spk/keys/bad.pub
minisign -S -s m.key -m data >/dev/null
must_fail spk --root root sign --verify data 2>err
one_error err "etc/spk/keys/bad.pub: not a minisign public key"
rm root/etc/spk/keys/bad.pub

# keys spk cannot use: an encrypted minisign key (spk never prompts), a missing one
printf 'pw\npw\n' | minisign -G -p e.pub -s e.key >/dev/null 2>&1 || fail "minisign -G (encrypted)"
must_fail spk sign --key e.key data 2>err
one_error err "e.key: encrypted secret key"
must_fail spk sign --key nokey data 2>err
one_error err "nokey: No such file"
must_fail spk sign --key s.pub data 2>err
one_error err "s.pub: not a minisign secret key"
must_fail spk sign data 2>err
check test "$rc" -eq 2

# reproducible: with SOURCE_DATE_EPOCH the same file and key give the same bytes
SOURCE_DATE_EPOCH=1700000000 spk sign --key s.key data && cp data.minisig one.minisig
SOURCE_DATE_EPOCH=1700000000 spk sign --key s.key data
check cmp -s one.minisig data.minisig
check grep -q '^trusted comment: timestamp:1700000000	file:data	hashed$' data.minisig
done_testing
