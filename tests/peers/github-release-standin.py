#!/usr/bin/env python3
"""TEST STAND-IN for GitHub's release REST endpoints -- not GitHub, never used outside tests.

Serves on 127.0.0.1 only, in memory, the few endpoints `spk publish` uses, answering the way
GitHub's documentation describes them (status codes, JSON fields):

  POST  /repos/O/R/releases                      201 {"id", "upload_url", "tag_name", "draft", ...}
                                                 422 if the tag is already used
  POST  /uploads/repos/O/R/releases/ID/assets?name=N   201; 422 if N exists in the release
  PATCH /repos/O/R/releases/ID                   200; {"draft": false, "make_latest": "true"}
  GET   /repos/O/R/releases/latest               200 newest published release made latest; 404
  GET   /O/R/releases/download/TAG/NAME          the asset bytes (published releases only)
  GET   /O/R/releases/latest/download/NAME       302 to the tag's download URL

Every request is appended to --log as "METHOD PATH" (query kept) as it arrives, so a test can
assert the order (SPKCHANNEL uploaded last, publish after every upload). --token T makes every
API and upload request without "Authorization: Bearer T" fail with 401. --fail-upload NAME
answers 500 to the upload of NAME (a failure halfway). The chosen port is written to
--port-file once listening.
"""
import argparse
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

STATE = {"next_id": 1, "releases": {}, "latest": {}}  # latest: "O/R" -> release id
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet; the --log file is the record
        pass

    def record(self):
        with LOCK, open(self.server.opts.log, "a") as f:
            f.write(f"{self.command} {self.path}\n")

    def body(self):
        n = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(n) if n else b""

    def send(self, status, obj=None, raw=None, headers=()):
        data = raw if raw is not None else json.dumps(obj if obj is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream" if raw is not None
                         else "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        tok = self.server.opts.token
        if tok and self.headers.get("Authorization") != f"Bearer {tok}":
            self.send(401, {"message": "Bad credentials"})
            return False
        return True

    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def release_json(self, rel):
        # "author" (with its own "id") comes first, as nested ids do in GitHub's answers
        return {
            "url": f"{self.base()}/repos/{rel['repo']}/releases/{rel['id']}",
            "author": {"login": "smech-bot", "id": 4242},
            "id": rel["id"],
            "upload_url": f"{self.base()}/uploads/repos/{rel['repo']}/releases/{rel['id']}/assets{{?name,label}}",
            "tag_name": rel["tag"],
            "name": rel["tag"],
            "draft": rel["draft"],
            "assets": [{"name": n, "size": len(b), "state": "uploaded"}
                       for n, b in rel["assets"].items()],
        }

    def do_POST(self):
        self.record()
        u = urlsplit(self.path)
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)/releases", u.path)
        if m:
            req = json.loads(self.body() or b"{}")
            if not self.authorized():
                return
            with LOCK:
                if any(r["tag"] == req.get("tag_name") and r["repo"] == m[1]
                       for r in STATE["releases"].values()):
                    return self.send(422, {"message": "Validation Failed",
                                           "errors": [{"code": "already_exists"}]})
                rid = STATE["next_id"]
                STATE["next_id"] += 1
                rel = {"id": rid, "repo": m[1], "tag": req["tag_name"],
                       "draft": bool(req.get("draft")), "assets": {}}
                STATE["releases"][rid] = rel
            return self.send(201, self.release_json(rel))
        m = re.fullmatch(r"/uploads/repos/([^/]+/[^/]+)/releases/(\d+)/assets", u.path)
        if m:
            data = self.body()
            if not self.authorized():
                return
            name = parse_qs(u.query).get("name", [""])[0]
            rel = STATE["releases"].get(int(m[2]))
            if not rel or rel["repo"] != m[1]:
                return self.send(404, {"message": "Not Found"})
            if name == self.server.opts.fail_upload:
                return self.send(500, {"message": "injected failure"})
            if not name or name in rel["assets"]:
                return self.send(422, {"message": "Validation Failed",
                                       "errors": [{"code": "already_exists"}]})
            rel["assets"][name] = data
            return self.send(201, {"name": name, "size": len(data), "state": "uploaded"})
        self.send(404, {"message": "Not Found"})

    def do_PATCH(self):
        self.record()
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)/releases/(\d+)", urlsplit(self.path).path)
        req = json.loads(self.body() or b"{}")
        if not self.authorized():
            return
        rel = STATE["releases"].get(int(m[2])) if m else None
        if not rel:
            return self.send(404, {"message": "Not Found"})
        if "draft" in req:
            rel["draft"] = bool(req["draft"])
        if req.get("make_latest") == "true" and not rel["draft"]:
            STATE["latest"][rel["repo"]] = rel["id"]
        self.send(200, self.release_json(rel))

    def do_GET(self):
        self.record()
        path = urlsplit(self.path).path
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)/releases/latest", path)
        if m:
            rid = STATE["latest"].get(m[1])
            if rid is None:
                return self.send(404, {"message": "Not Found"})
            return self.send(200, self.release_json(STATE["releases"][rid]))
        m = re.fullmatch(r"/([^/]+/[^/]+)/releases/latest/download/([^/]+)", path)
        if m:
            rid = STATE["latest"].get(m[1])
            if rid is None:
                return self.send(404, {"message": "Not Found"})
            tag = STATE["releases"][rid]["tag"]
            return self.send(302, {}, headers=[
                ("Location", f"{self.base()}/{m[1]}/releases/download/{tag}/{m[2]}")])
        m = re.fullmatch(r"/([^/]+/[^/]+)/releases/download/([^/]+)/([^/]+)", path)
        if m:
            for rel in STATE["releases"].values():
                if rel["repo"] == m[1] and rel["tag"] == m[2] and not rel["draft"] \
                        and m[3] in rel["assets"]:
                    return self.send(200, raw=rel["assets"][m[3]])
        self.send(404, {"message": "Not Found"})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--token", default="")
    ap.add_argument("--fail-upload", default=None)
    opts = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.opts = opts
    open(opts.log, "w").close()
    with open(opts.port_file + ".tmp", "w") as f:
        f.write(f"{srv.server_address[1]}\n")
    import os
    os.rename(opts.port_file + ".tmp", opts.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
