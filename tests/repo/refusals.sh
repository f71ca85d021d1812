#!/bin/sh
# Every refusal of `spk update` / `install NAME` (issue 4 item 3): one error line, exit 1, nothing
# changed: the stored state and the installed set stay as they were.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/lib/nginx.sh"
. "$SRC/tests/lib/repo.sh"
repo_init
repo_pkg a 1.0-r0
repo_pkg a 2.0-r0
repo_publish s1 5 -- "$PKGS/a-1.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" update
state() { (cd "$ROOT" && find var/lib/spk etc -type f -exec sha256sum {} + | LC_ALL=C sort); }
state >"$TMP/state0"

refused() { # TITLE PATTERN CMD...: exit 1, one line matching PATTERN, no state change
	title=$1 pattern=$2; shift 2
	"$@" >/dev/null 2>"$TMP/err"
	rc=$?
	lines=$(grep -c . "$TMP/err")
	if [ $rc -eq 1 ] && [ "$lines" -eq 1 ] && grep -qE "^spk: error: .*$pattern" "$TMP/err"; then
		pass "$title: $(cat "$TMP/err")"
	else
		fail "$title: exit $rc, $lines lines: $(cat "$TMP/err")"
	fi
	state >"$TMP/state1"
	check cmp -s "$TMP/state0" "$TMP/state1"
}
S=$WWW/smech/os/releases/download

# bad signature: a byte of the signature changed
repo_publish s2 6 -- "$PKGS/a-2.0-r0-x86_64.tar.xz"
cp "$S/s2/SPKCHANNEL.minisig" "$TMP/sig"
python3 - "$S/s2/SPKCHANNEL.minisig" <<'PY'
import sys
p = sys.argv[1]
lines = open(p).read().split("\n")
s = list(lines[1]); s[20] = "A" if s[20] != "A" else "B"; lines[1] = "".join(s)
open(p, "w").write("\n".join(lines))
PY
refused "bad signature" "signature" spk --root "$ROOT" update
# missing signature
rm "$S/s2/SPKCHANNEL.minisig"
refused "missing signature" "signature" spk --root "$ROOT" update
cp "$TMP/sig" "$S/s2/SPKCHANNEL.minisig"
# unknown key: the root trusts another key only
mv "$ROOT/etc/spk/keys/smech.pub" "$TMP/smech.pub"
"$SPK" keygen "$TMP/other" >/dev/null
cp "$TMP/other.pub" "$ROOT/etc/spk/keys/other.pub"
state >"$TMP/state0"
refused "unknown key" "key" spk --root "$ROOT" update
rm "$ROOT/etc/spk/keys/other.pub"
mv "$TMP/smech.pub" "$ROOT/etc/spk/keys/smech.pub"
state >"$TMP/state0"
# index SHA-256 mismatch: the index replaced after signing
cp "$S/s2/SPKINDEX.xz" "$TMP/index"
printf 'junk' >>"$S/s2/SPKINDEX.xz"
refused "index SHA-256 mismatch" "SHA-256|index" spk --root "$ROOT" update
cp "$TMP/index" "$S/s2/SPKINDEX.xz"
# rollback: a lower Serial than the one accepted (5)
# (spk publish itself refuses to put a lower Serial on latest: the attacker lays it out by hand)
mkdir -p "$TMP/snap-old" "$S/old"
"$SPK" index --repository smech/os --snapshot old --serial 4 --key "$TMP/key.key" \
	"$TMP/snap-old" "$PKGS/a-1.0-r0-x86_64.tar.xz" >/dev/null || fail "index old"
cp "$TMP/snap-old/"* "$S/old/"
nginx_set_latest "$WWW" smech os old
refused "rollback" "[Ss]erial|rollback" spk --root "$ROOT" update
# freeze: Valid-Until in the past (a channel signed long ago, replayed)
repo_publish frozen 7 --valid-days 1 -- "$PKGS/a-2.0-r0-x86_64.tar.xz"
python3 - "$S/frozen/SPKCHANNEL" <<'PY'
import sys, re
p = sys.argv[1]
t = open(p).read()
t = re.sub(r"Valid-Until: .*", "Valid-Until: 2020-01-01T00:00:00Z", t)
t = re.sub(r"Date: .*", "Date: 2019-12-01T00:00:00Z", t)
open(p, "w").write(t)
PY
"$SPK" sign --key "$TMP/key.key" "$S/frozen/SPKCHANNEL" >/dev/null || fail "re-sign"
refused "expired Valid-Until" "expired|Valid-Until" spk --root "$ROOT" update
# a package whose bytes differ from the index's SHA-256
repo_publish s3 8 -- "$PKGS/a-2.0-r0-x86_64.tar.xz"
must_pass spk --root "$ROOT" update
state >"$TMP/state0"
cp "$PKGS/a-1.0-r0-x86_64.tar.xz" "$S/s3/a-2.0-r0-x86_64.tar.xz"
refused "package SHA-256 mismatch" "SHA-256|mismatch|size" spk --root "$ROOT" install a
check test ! -e "$ROOT/usr/share/a"
# offline: the server is gone
nginx_stop
refused "offline" "connect|offline" spk --root "$ROOT" update
done_testing
