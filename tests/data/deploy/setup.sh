# Sourced by tests/deploy/*.sh after tests/lib/testlib.sh: a private out/, cache and copy of the
# fixture recipes, so a test can edit recipes and never touches the developer's out/.
# Builds run as uid 65534 when the test runs as root: it must be able to reach $TMP.
chmod 755 "$TMP"
export SMECH_OUT="$TMP/out" SMECH_CACHE="$TMP/cache" SMECH_RECIPES="$TMP/recipes"
cp -R "$SRC/tests/data/deploy/recipes" "$TMP/recipes"
chmod -R a+rX "$TMP/recipes"
PKGS="$SMECH_OUT/packages/x86_64"

smechdeploy() { "$SRC/deploy/smechdeploy" "$@"; }

# has_line FILE REGEX: FILE has a line matching the extended REGEX (shown when it does not).
has_line() {
	if grep -Eq "$2" "$1"; then
		pass "$1 has /$2/"
	else
		fail "$1 has /$2/"
		sed 's/^/# /' "$1"
	fi
}
