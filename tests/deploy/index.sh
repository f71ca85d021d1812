#!/bin/sh
# After a successful build the driver writes a signed snapshot index with spk index: SPKINDEX.xz,
# SPKCHANNEL and its signature, verifiable with the public key; the next index has a higher serial.
. "${0%/*}/../lib/testlib.sh"
. "$SRC/tests/data/deploy/setup.sh"

must_pass smechdeploy build hello greet
for f in SPKINDEX.xz SPKCHANNEL SPKCHANNEL.minisig; do
	check test -f "$PKGS/$f"
done
check grep -qx "Serial: 1" "$PKGS/SPKCHANNEL"
must_pass spk sign --verify --key "$SMECH_CACHE/keys/smechdeploy-dev.pub" "$PKGS/SPKCHANNEL"
xz -dc "$PKGS/SPKINDEX.xz" >"$TMP/index"
check grep -q "hello-1.0-r0-x86_64.tar.xz" "$TMP/index"
check grep -q "greet-1.0-r0-x86_64.tar.xz" "$TMP/index"
must_pass smechdeploy index
check grep -qx "Serial: 2" "$PKGS/SPKCHANNEL"
ls -A "$SMECH_OUT/tmp" >"$TMP/left"
check test ! -s "$TMP/left"
done_testing
