#!/bin/sh
# spk publish against a stand-in for GitHub's release endpoints (tests/peers/
# github-release-standin.py): draft first, every asset, SPKCHANNEL last, then publish as latest;
# a failure halfway leaves latest untouched. And --to-dir for a mirror: layout, immutability,
# rollback refusal.
. "${0%/*}/../lib/testlib.sh"

one_error() {
	if [ "$(wc -l <"$1")" -eq 1 ] && grep -q "^spk: error: .*$2" "$1"; then
		pass "one error line matching '$2'"
	else
		fail "one error line matching '$2': got: $(cat "$1")"
	fi
}

# standin NAME [ARGS...]: starts a stand-in; its port in $PORT, its request log in $TMP/NAME.log
standin() {
	_n=$1; shift
	python3 "$SRC/tests/peers/github-release-standin.py" --port-file "$TMP/$_n.port" \
		--log "$TMP/$_n.log" --token sekrit "$@" &
	on_exit "kill $!"
	for _i in $(seq 100); do [ -s "$TMP/$_n.port" ] && break; sleep 0.1; done
	PORT=$(cat "$TMP/$_n.port") || fail "stand-in $_n did not start"
}

cd "$TMP" || exit 1
export SOURCE_DATE_EPOCH=1790000000
make_pkg pk alpha 1.0-r0 usr/bin/alpha
make_pkg pk beta 2.0-r1 usr/lib/beta
spk keygen k >/dev/null
spk keygen other >/dev/null
spk index --repository smech/os --snapshot s1 --serial 1 --key k.key snap1 pk/*.tar.xz >/dev/null ||
	fail "spk index"

# --- GitHub ----------------------------------------------------------------------------------
standin gh
export SPK_GITHUB_API_URL="http://127.0.0.1:$PORT"
must_pass env GITHUB_TOKEN=sekrit "$SPK" publish --key k.pub snap1
cat >want.log <<'EOT'
POST /repos/smech/os/releases
POST /uploads/repos/smech/os/releases/1/assets?name=alpha-1.0-r0-x86_64.tar.xz
POST /uploads/repos/smech/os/releases/1/assets?name=beta-2.0-r1-x86_64.tar.xz
POST /uploads/repos/smech/os/releases/1/assets?name=SPKINDEX.xz
POST /uploads/repos/smech/os/releases/1/assets?name=SPKCHANNEL.minisig
POST /uploads/repos/smech/os/releases/1/assets?name=SPKCHANNEL
PATCH /repos/smech/os/releases/1
GET /repos/smech/os/releases/latest
EOT
check cmp -s want.log gh.log
# what the stand-in now serves through latest is what spk index wrote
curl -sfL -o got.channel "http://127.0.0.1:$PORT/smech/os/releases/latest/download/SPKCHANNEL"
check cmp -s got.channel snap1/SPKCHANNEL
curl -sf -o got.pkg "http://127.0.0.1:$PORT/smech/os/releases/download/s1/beta-2.0-r1-x86_64.tar.xz"
check cmp -s got.pkg snap1/beta-2.0-r1-x86_64.tar.xz

# a second snapshot uploads only what changed
make_pkg pk alpha 1.1-r0 usr/bin/alpha
spk index --repository smech/os --snapshot s2 --serial 2 --previous snap1/SPKINDEX.xz --key k.key \
	snap2 pk/alpha-1.1-r0-x86_64.tar.xz pk/beta-2.0-r1-x86_64.tar.xz >/dev/null
: >gh.log
must_pass env GITHUB_TOKEN=sekrit "$SPK" publish snap2
check test "$(grep -c '/assets?name=' gh.log)" -eq 4
check test "$(grep '/assets?name=' gh.log | tail -n 1)" = \
	"POST /uploads/repos/smech/os/releases/2/assets?name=SPKCHANNEL"
check test "$(tail -n 2 gh.log | head -n 1)" = "PATCH /repos/smech/os/releases/2"

# the same tag again: GitHub's 422 is reported, latest stays s2
must_fail env GITHUB_TOKEN=sekrit "$SPK" publish snap2 2>err
one_error err "POST http://127.0.0.1:$PORT/repos/smech/os/releases: HTTP 422: Validation Failed"
# no token, a wrong token
must_fail env -u GITHUB_TOKEN "$SPK" publish snap2 2>err
one_error err "GITHUB_TOKEN: not set"
must_fail env GITHUB_TOKEN=wrong "$SPK" publish snap2 2>err
one_error err "HTTP 401: Bad credentials"

# a failure halfway (the index upload answers 500): nothing is published, SPKCHANNEL never sent
standin half --fail-upload SPKINDEX.xz
must_fail env GITHUB_TOKEN=sekrit SPK_GITHUB_API_URL="http://127.0.0.1:$PORT" "$SPK" publish snap1 2>err
one_error err "assets?name=SPKINDEX.xz: HTTP 500: injected failure"
check test "$(grep -c 'name=SPKCHANNEL$' half.log)" -eq 0
check test "$(grep -c '^PATCH' half.log)" -eq 0
check test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/repos/smech/os/releases/latest")" = 404

# snapshots that are refused before any request
: >gh.log
must_fail env GITHUB_TOKEN=sekrit "$SPK" publish --key other.pub snap1 2>err
one_error err "SPKCHANNEL: unknown key ID"
cp -r snap1 unsigned && rm unsigned/SPKCHANNEL.minisig
must_fail env GITHUB_TOKEN=sekrit "$SPK" publish unsigned 2>err
one_error err "SPKCHANNEL.minisig: missing"
cp -r snap1 tampered && printf x >>tampered/alpha-1.0-r0-x86_64.tar.xz
must_fail env GITHUB_TOKEN=sekrit "$SPK" publish tampered 2>err
one_error err "alpha-1.0-r0-x86_64.tar.xz: differs from its SPKINDEX.xz entry"
cp -r snap1 noindex && printf x >>noindex/SPKINDEX.xz
must_fail env GITHUB_TOKEN=sekrit "$SPK" publish noindex 2>err
one_error err "SPKINDEX.xz: SHA-256 [0-9a-f]*, but the channel says"
cp -r snap1 missing && rm missing/beta-2.0-r1-x86_64.tar.xz
must_fail env GITHUB_TOKEN=sekrit "$SPK" publish missing 2>err
one_error err "beta-2.0-r1-x86_64.tar.xz: missing (SPKINDEX.xz places it in this snapshot)"
check test ! -s gh.log

# --- a mirror directory ----------------------------------------------------------------------
must_pass spk publish --to-dir mirror snap1
for f in SPKCHANNEL SPKCHANNEL.minisig SPKINDEX.xz alpha-1.0-r0-x86_64.tar.xz \
	beta-2.0-r1-x86_64.tar.xz; do
	check cmp -s "snap1/$f" "mirror/smech/os/releases/download/s1/$f"
done
check cmp -s snap1/SPKCHANNEL mirror/smech/os/releases/latest/download/SPKCHANNEL
must_pass spk publish --to-dir mirror snap1 # a re-run changes nothing
must_pass spk publish --to-dir mirror snap2
check cmp -s snap2/SPKCHANNEL mirror/smech/os/releases/latest/download/SPKCHANNEL
check test ! -e mirror/smech/os/releases/download/s2/beta-2.0-r1-x86_64.tar.xz
check test -z "$(find mirror -name '.*spk-tmp*')"
# back to an older serial: refused, latest unchanged
must_fail spk publish --to-dir mirror snap1 2>err
one_error err "latest has serial 2, this snapshot 1 (lower, refused)"
check cmp -s snap2/SPKCHANNEL mirror/smech/os/releases/latest/download/SPKCHANNEL
# a published snapshot never changes
spk index --repository smech/os --snapshot s2 --serial 3 --key k.key snap2x \
	pk/alpha-1.0-r0-x86_64.tar.xz >/dev/null
must_fail spk publish --to-dir mirror snap2x 2>err
one_error err "s2/SPKINDEX.xz: already published with other content"
check test ! -e mirror/smech/os/releases/download/s2/alpha-1.0-r0-x86_64.tar.xz
check cmp -s snap2/SPKCHANNEL mirror/smech/os/releases/latest/download/SPKCHANNEL
done_testing
