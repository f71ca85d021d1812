#!/bin/sh
# spk keygen writes a minisign key pair (secret key 0600, unencrypted) and never overwrites one.
. "${0%/*}/../lib/testlib.sh"

# one_error FILE PATTERN: FILE holds exactly one line, "spk: error: ..." matching PATTERN
one_error() {
	if [ "$(wc -l <"$1")" -eq 1 ] && grep -q "^spk: error: .*$2" "$1"; then
		pass "one error line matching '$2'"
	else
		fail "one error line matching '$2': got: $(cat "$1")"
	fi
}

must_pass spk keygen "$TMP/k"
check test -f "$TMP/k.pub"
check test -f "$TMP/k.key"
check test "$(stat -c %a "$TMP/k.key")" = 600
check grep -q '^untrusted comment: minisign public key [0-9A-F]\{16\}$' "$TMP/k.pub"
check test "$(wc -l <"$TMP/k.pub")" -eq 2
check test "$(wc -l <"$TMP/k.key")" -eq 2
# the key ID in the comment is the one encoded in the key (bytes 2..9, little-endian)
id=$(sed -n 2p "$TMP/k.pub" | base64 -d | od -An -tx1 -j2 -N8 | tr -d ' \n' |
	sed 's/\(..\)/\1 /g' | awk '{for (i = NF; i > 0; i--) printf "%s", toupper($i)}')
check grep -q " $id\$" "$TMP/k.pub"
# the secret key is unencrypted: kdf bytes are zero, checksum algorithm "B2"
check test "$(sed -n 2p "$TMP/k.key" | base64 -d | od -An -c -N6 | tr -d ' ')" = 'Ed\0\0B2'

cp "$TMP/k.pub" "$TMP/k.pub.orig"
cp "$TMP/k.key" "$TMP/k.key.orig"
must_fail spk keygen "$TMP/k" 2>"$TMP/err"
check test "$rc" -eq 1
one_error "$TMP/err" "k.key: already exists"
check cmp -s "$TMP/k.pub" "$TMP/k.pub.orig"
check cmp -s "$TMP/k.key" "$TMP/k.key.orig"

# only the .pub exists: refused, and no .key appears
echo keep >"$TMP/p.pub"
must_fail spk keygen "$TMP/p" 2>"$TMP/err"
one_error "$TMP/err" "p.pub: already exists"
check test ! -e "$TMP/p.key"
check test "$(cat "$TMP/p.pub")" = keep

# a directory that does not exist
must_fail spk keygen "$TMP/nodir/k" 2>"$TMP/err"
one_error "$TMP/err" "nodir/k.key: No such file"

must_fail spk keygen 2>"$TMP/err"
check test "$rc" -eq 2
done_testing
