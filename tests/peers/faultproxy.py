#!/usr/bin/env python3
"""TEST PEER, not part of spk: a loopback HTTP forwarder that injects faults by rule.

It sits in front of the test nginx (tests/lib/nginx.sh) and forwards every request to it,
unless a rule says otherwise. Rules are added at run time over HTTP, on the proxy's own port:

  POST /_fault/rule    JSON {"match": "SUBSTRING", "action": ACTION, "times": N, ...}
  POST /_fault/reset   forget the rules, the counters and the log
  GET  /_fault/stats   JSON {"requests": {PATH: N}, "log": [{"path", "range", "auth", "status"}]}

A rule applies to requests whose path contains "match" ("" matches all), "times" times (absent or
-1: always); rules are tried in the order they were added. Actions:
  status    answer "code" (default 500) with an optional "retry_after" header value; no forwarding
  truncate  forward, but send only "bytes" bytes of the body (default: half) and close; with
            "length": "keep" (default) the full Content-Length is announced, with "drop" none is
            (a body that ends early yet cleanly)
  corrupt   forward with the same length, but flip the body's bytes after the first "offset"
  slow      forward, sending "rate" bytes/s (default 1024) after a stall of "stall_ms"
  reset     close the connection without an answer
  norange   forward without the request's Range header (a server that ignores Range)
  latency   sleep "ms" before forwarding (and go on to the next rule)
--latency-ms adds a delay to every forwarded request (the download benchmark).

Only loopback: it listens on 127.0.0.1 and forwards to 127.0.0.1.
"""
import argparse
import http.client
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer",
       "upgrade", "proxy-authorization", "proxy-authenticate"}


class State:
    def __init__(self, upstream_port, latency_ms):
        self.lock = threading.Lock()
        self.upstream_port = upstream_port
        self.latency_ms = latency_ms
        self.reset()

    def reset(self):
        with self.lock:
            self.rules = []
            self.requests = {}
            self.log = []

    def pick(self, path):
        """Counts the request and returns the rules that apply to it, in order."""
        chosen = []
        with self.lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            for r in self.rules:
                if r.get("match", "") not in path or r.get("times", -1) == 0:
                    continue
                if r.get("times", -1) > 0:
                    r["times"] -= 1
                chosen.append(dict(r))
                if r["action"] != "latency":
                    break
        return chosen


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faultproxy"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms stalls

    def log_message(self, fmt, *args):  # quiet: tests read /_fault/stats instead
        pass

    def _json(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _control(self):
        st = self.server.state
        if self.path == "/_fault/reset":
            st.reset()
            return self._json(200, {"ok": True})
        if self.path == "/_fault/stats":
            with st.lock:
                return self._json(200, {"requests": st.requests, "log": st.log})
        if self.path == "/_fault/rule" and self.command == "POST":
            n = int(self.headers.get("Content-Length", "0"))
            rule = json.loads(self.rfile.read(n) or b"{}")
            if rule.get("action") not in ("status", "truncate", "corrupt", "slow", "reset",
                                          "latency", "norange"):
                return self._json(400, {"error": "unknown action"})
            with st.lock:
                st.rules.append(rule)
            return self._json(200, {"ok": True})
        return self._json(404, {"error": "unknown control path"})

    def _record(self, status):
        st = self.server.state
        with st.lock:
            st.log.append({"path": self.path, "range": self.headers.get("Range"),
                           "auth": self.headers.get("Authorization"), "status": status})

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        if self.path.startswith("/_fault/"):
            return self._control()
        return self._json(405, {"error": "only GET and HEAD are forwarded"})

    def do_GET(self):
        if self.path.startswith("/_fault/"):
            return self._control()
        st = self.server.state
        rules = st.pick(self.path.split("?")[0])
        delay = st.latency_ms + sum(r.get("ms", 0) for r in rules if r["action"] == "latency")
        if delay:
            time.sleep(delay / 1000.0)
        rule = next((r for r in rules if r["action"] != "latency"), None)
        action = rule["action"] if rule else None

        if action == "reset":
            self._record(0)
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if action == "status":
            code = int(rule.get("code", 500))
            body = ("injected %d\n" % code).encode()
            self._record(code)
            self.send_response(code)
            if "retry_after" in rule:
                self.send_header("Retry-After", str(rule["retry_after"]))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return

        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        if action == "norange":
            headers = {k: v for k, v in headers.items() if k.lower() != "range"}
        # One kept-alive upstream connection per client connection: forwarding costs little
        # beyond the latency the benchmark adds on purpose.
        for again in (False, True):
            conn = getattr(self, "_upstream", None)
            if conn is None:
                conn = self._upstream = http.client.HTTPConnection(
                    "127.0.0.1", st.upstream_port, timeout=60)
            try:
                conn.request(self.command, self.path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                break
            except (http.client.HTTPException, OSError):
                conn.close()
                self._upstream = None
                if again:
                    raise
        if resp.will_close:
            conn.close()
            self._upstream = None
        self._record(resp.status)

        self.send_response(resp.status)
        length_sent = False
        for k, v in resp.getheaders():
            if k.lower() in HOP or k.lower() == "content-length":
                continue
            self.send_header(k, v)
        send = body
        if action == "truncate":
            cut = int(rule.get("bytes", len(body) // 2))
            send = body[:cut]
            if rule.get("length", "keep") == "keep":
                self.send_header("Content-Length", str(len(body)))
                length_sent = True
            self.send_header("Connection", "close")
            self.close_connection = True
        elif action == "corrupt":
            off = int(rule.get("offset", 0))
            send = body[:off] + bytes(b ^ 0x5A for b in body[off:])
        if not length_sent and not (action == "truncate"):
            self.send_header("Content-Length", str(len(send)))
        self.end_headers()
        if self.command == "HEAD":
            return
        try:
            if action == "slow":
                time.sleep(rule.get("stall_ms", 0) / 1000.0)
                rate = max(1, int(rule.get("rate", 1024)))
                step = max(1, rate // 10)
                for i in range(0, len(send), step):
                    self.wfile.write(send[i:i + step])
                    self.wfile.flush()
                    time.sleep(step / rate)
            else:
                self.wfile.write(send)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True, help="loopback port to listen on")
    ap.add_argument("--upstream", type=int, required=True, help="loopback port of nginx")
    ap.add_argument("--latency-ms", type=int, default=0, help="delay added to every request")
    ap.add_argument("--ready-file", help="written once the proxy listens")
    a = ap.parse_args()
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 128
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.state = State(a.upstream, a.latency_ms)
    if a.ready_file:
        with open(a.ready_file, "w") as f:
            f.write("%d\n" % a.port)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
