#!/bin/sh
# STYLE.md bans strcpy strcat sprintf strtok atoi gets (git's banned.h): none in our C sources.
. "${0%/*}/../lib/testlib.sh"
cd "$SRC" || exit 1
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.c' -o -name '*.h')
for fn in strcpy strcat sprintf vsprintf strtok atoi gets; do
	# shellcheck disable=SC2086
	if grep -nE "(^|[^a-z_])$fn[[:space:]]*\(" $files >"$TMP/hits" 2>/dev/null; then
		fail "$fn used: $(head -3 "$TMP/hits" | tr '\n' ' ')"
	else
		pass "no $fn"
	fi
done
done_testing
