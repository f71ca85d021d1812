# A real nginx on loopback for tests and benchmarks: sourced after testlib.sh, never run.
#
#   nginx_start DIR    serve DIR (laid out as OWNER/REPO/releases/download/TAG/ASSET) on
#                      $NGINX_URL (http://127.0.0.1:$NGINX_PORT); OWNER/REPO/releases/latest/
#                      download/X answers 302 to the storage server on $NGINX_STORE_PORT
#   nginx_set_latest DIR OWNER REPO TAG    point "latest" at TAG (an atomic symlink flip)
#   nginx_stop         also run by the test's exit trap
#   faultproxy_start   the fault-injecting test peer in front of nginx: $PROXY_URL
#   faultproxy_rule JSON / faultproxy_reset / faultproxy_stats FILE
#
# nginx runs as the invoking user in the foreground (master_process off): no root-owned paths,
# its config, pid, logs and temp files live in $TMP/nginx. Logs: $NGINX_STATE/access.log.

NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
# The system interpreter: a version-manager shim costs a second per start.
if [ -z "${PYTHON:-}" ]; then
	if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi

# _wait_port PORT: until something accepts on 127.0.0.1:PORT (5 s at most).
_wait_port() {
	"$PYTHON" - "$1" <<'PY'
import socket, sys, time
end = time.time() + 5
while time.time() < end:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.02)
sys.exit(1)
PY
}

nginx_start() {
	NGINX_ROOT=$(cd "$1" && pwd)
	NGINX_STATE="$TMP/nginx"
	mkdir -p "$NGINX_STATE"
	NGINX_PORT=$(free_port)
	NGINX_STORE_PORT=$(free_port)
	while [ "$NGINX_STORE_PORT" = "$NGINX_PORT" ]; do NGINX_STORE_PORT=$(free_port); done
	sed -e "s|@PORT@|$NGINX_PORT|g" -e "s|@STORE_PORT@|$NGINX_STORE_PORT|g" \
		-e "s|@ROOT@|$NGINX_ROOT|g" -e "s|@STATE@|$NGINX_STATE|g" \
		"$SRC/tests/lib/nginx.conf.in" >"$NGINX_STATE/nginx.conf"
	"$NGINX" -p "$NGINX_STATE" -c "$NGINX_STATE/nginx.conf" -e "$NGINX_STATE/error.log" \
		</dev/null >"$NGINX_STATE/stdout" 2>&1 &
	NGINX_PID=$!
	on_exit nginx_stop
	if ! _wait_port "$NGINX_PORT" || ! _wait_port "$NGINX_STORE_PORT"; then
		cat "$NGINX_STATE/stdout" "$NGINX_STATE/error.log" >&2 2>/dev/null
		fail "nginx did not start"
		return 1
	fi
	NGINX_URL="http://127.0.0.1:$NGINX_PORT"
	NGINX_STORE_URL="http://127.0.0.1:$NGINX_STORE_PORT"
	export NGINX_URL NGINX_STORE_URL NGINX_PORT NGINX_STORE_PORT NGINX_STATE
}

nginx_stop() {
	if [ -n "${NGINX_PID:-}" ]; then
		kill "$NGINX_PID" 2>/dev/null
		wait "$NGINX_PID" 2>/dev/null
		NGINX_PID=
	fi
}

nginx_set_latest() { # DIR OWNER REPO TAG
	ln -sfn "download/$4" "$1/$2/$3/releases/latest-download.new" &&
		mv -T "$1/$2/$3/releases/latest-download.new" "$1/$2/$3/releases/latest-download"
}

# faultproxy_start [ARGS...]: e.g. --latency-ms 20
faultproxy_start() {
	PROXY_PORT=$(free_port)
	rm -f "$TMP/faultproxy.ready"
	"$PYTHON" "$SRC/tests/peers/faultproxy.py" --port "$PROXY_PORT" --upstream "$NGINX_PORT" \
		--ready-file "$TMP/faultproxy.ready" "$@" >"$TMP/faultproxy.log" 2>&1 &
	PROXY_PID=$!
	on_exit faultproxy_stop
	if ! _wait_port "$PROXY_PORT"; then
		cat "$TMP/faultproxy.log" >&2
		fail "faultproxy did not start"
		return 1
	fi
	PROXY_URL="http://127.0.0.1:$PROXY_PORT"
	export PROXY_URL PROXY_PORT
}

faultproxy_stop() {
	if [ -n "${PROXY_PID:-}" ]; then
		kill "$PROXY_PID" 2>/dev/null
		wait "$PROXY_PID" 2>/dev/null
		PROXY_PID=
	fi
}

_faultproxy_post() { # PATH [JSON]
	"$PYTHON" - "$PROXY_PORT" "$1" "${2:-}" <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
c.request("POST" if sys.argv[3] or sys.argv[2].endswith("reset") else "GET", sys.argv[2],
          body=sys.argv[3].encode() or None, headers={"Content-Type": "application/json"})
r = c.getresponse()
sys.stdout.write(r.read().decode())
sys.exit(0 if r.status == 200 else 1)
PY
}

faultproxy_rule() { _faultproxy_post /_fault/rule "$1" >/dev/null; }
faultproxy_reset() { _faultproxy_post /_fault/reset >/dev/null; }
faultproxy_stats() { _faultproxy_post /_fault/stats >"$1"; }

# faultproxy_count STATSFILE PATH-SUBSTRING: requests whose path contains the substring.
faultproxy_count() {
	"$PYTHON" -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(sum(n for p,n in d["requests"].items() if sys.argv[2] in p))' "$1" "$2"
}

# make_release DIR OWNER REPO TAG COUNT SIZE: COUNT assets of SIZE random bytes (asset-1.bin ...)
# in DIR/OWNER/REPO/releases/download/TAG; appends "NAME SIZE SHA256" lines to DIR/OWNER/REPO/TAG.sums
make_release() {
	_rd="$1/$2/$3/releases/download/$4"
	mkdir -p "$_rd"
	_i=1
	while [ "$_i" -le "$5" ]; do
		head -c "$6" /dev/urandom >"$_rd/asset-$_i.bin"
		printf 'asset-%s.bin %s %s\n' "$_i" "$6" \
			"$(sha256sum "$_rd/asset-$_i.bin" | cut -d' ' -f1)" >>"$1/$2/$3/$4.sums"
		_i=$((_i + 1))
	done
}

# fetch_list SUMS BASEURL OUTDIR >LIST: a spk-fetch-test list for the assets of a make_release.
fetch_list() {
	while read -r _n _s _h; do
		printf '%s/%s %s/%s %s %s\n' "$2" "$_n" "$3" "$_n" "$_s" "$_h"
	done <"$1"
}

FETCH=${FETCH:-$BUILD/tests/tools/spk-fetch-test}

# to_file FILE CMD...: runs CMD with stdout into FILE (for must_pass/must_fail, whose own TAP
# line must stay on the test's stdout).
to_file() {
	_tf=$1; shift
	"$@" >"$_tf"
}
