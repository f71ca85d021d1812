# A signed repository served by a real nginx, for the client tests: sourced after testlib.sh and
# nginx.sh, never run.
#
#   repo_init            keys ($TMP/key.{pub,key}), an empty web tree ($WWW), nginx started,
#                        $ROOT configured with "github:smech/os" (SPK_GITHUB_URL=$NGINX_URL)
#                        and the public key in $ROOT/etc/spk/keys/
#   repo_pkg NAME VERSION [KEY=VALUE...]   a package in $PKGS (one file usr/share/NAME/VERSION)
#   repo_publish TAG SERIAL [INDEX-OPTIONS...] -- PKGFILE...   index, sign, publish --to-dir $WWW
PKGS=$TMP/pkgs
WWW=$TMP/www

repo_init() {
	setup_root
	mkdir -p "$PKGS" "$WWW" "$ROOT/etc/spk/keys"
	"$SPK" keygen "$TMP/key" >/dev/null || fail "keygen"
	cp "$TMP/key.pub" "$ROOT/etc/spk/keys/smech.pub"
	nginx_start "$WWW" || return 1
	SPK_GITHUB_URL=$NGINX_URL
	export SPK_GITHUB_URL
	echo "github:smech/os" >"$ROOT/etc/spk/repositories"
	# Failures should be quick in tests: two attempts, short back-off.
	SPK_FETCH_ATTEMPTS=${SPK_FETCH_ATTEMPTS:-2}
	SPK_FETCH_BACKOFF_MS=${SPK_FETCH_BACKOFF_MS:-50}
	export SPK_FETCH_ATTEMPTS SPK_FETCH_BACKOFF_MS
}

repo_pkg() {
	_n=$1 _v=$2; shift 2
	_d="$TMP/src/$_n-$_v"
	mkdir -p "$_d/usr/share/$_n"
	echo "$_n $_v" >"$_d/usr/share/$_n/$_v"
	make_tree "$_d" "$_n" "$_v" "$@"
	"$SPK" mkpkg "$_d" "$PKGS" >/dev/null || fail "mkpkg $_n $_v"
}

repo_publish() {
	_tag=$1 _serial=$2; shift 2
	_opts=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do _opts="$_opts $1"; shift; done
	shift
	rm -rf "$TMP/snap-$_tag"
	mkdir -p "$TMP/snap-$_tag"
	# shellcheck disable=SC2086
	"$SPK" index --repository smech/os --snapshot "$_tag" --serial "$_serial" \
		--key "$TMP/key.key" $_opts "$TMP/snap-$_tag" "$@" >/dev/null ||
		{ fail "spk index $_tag"; return 1; }
	for _p in "$@"; do cp "$_p" "$TMP/snap-$_tag/"; done
	"$SPK" publish --to-dir "$WWW" "$TMP/snap-$_tag" >/dev/null ||
		{ fail "spk publish $_tag"; return 1; }
	# GitHub answers latest/download/X with a redirect to storage: the fixture's storage
	# server follows a symlink to the snapshot (tests/lib/nginx.conf.in).
	nginx_set_latest "$WWW" smech os "$_tag"
}
