#!/bin/sh
# Installs the Debian packages the build and the tests need (ours, plus every list in
# scripts/deps/*.apt), and nothing that is already there. Safe to run again.
set -eu
cd "$(dirname "$0")/.."
base="meson ninja-build gcc clang libclang-rt-14-dev pkg-config git python3 xz-utils
 libarchive-dev libsodium-dev liblzma-dev libcurl4-openssl-dev libsolv-dev
 busybox-static time"
want=$(printf '%s\n' $base $(cat scripts/deps/*.apt 2>/dev/null | sed 's/#.*//') | sort -u)
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo -n"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq </dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing </dev/null
