#!/usr/bin/env python3
"""SmechDeploy's engine: reads recipes, fetches and verifies sources, orders the graph, builds each
recipe in a bubblewrap sandbox and packs it with `spk mkpkg`. Called by deploy/smechdeploy; the
command line and the recipe format are described in docs/deploy.md.

Invariants:
- A source is used only after its SHA-256 matched the recipe; the cache (CACHE/sources/<sha256>)
  holds only verified blobs, written to a temp name and renamed.
- out/packages/ only ever gains whole files: mkpkg writes into out/tmp/, then rename(2).
- A recipe is rebuilt only when its build key changed: sha256 over the recipe directory, the source
  hashes, the packages of its makedepends closure, this driver and the stage-0 host toolchain.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

PROG = "smechdeploy"
SRC = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
LIB = os.path.join(SRC, "deploy", "lib")
RECIPES = os.path.abspath(os.environ.get("SMECH_RECIPES") or os.path.join(SRC, "deploy", "recipes"))
OUT = os.path.abspath(os.environ.get("SMECH_OUT") or os.path.join(SRC, "out"))
CACHE = os.path.abspath(os.environ.get("SMECH_CACHE") or os.path.join(SRC, ".cache"))
# Where "shared:FILE" sources are looked for, in order (deploy/sources/README.md).
SHARED_DIRS = [os.path.abspath(d) for d in (
    os.environ.get("SMECH_SHARED_SOURCES") or "",
    os.path.join(SRC, "..", "shared", "sources"),
    os.path.join(SRC, "deploy", "sources"),
) if d]
CARCH = "x86_64"
NPROC = os.cpu_count() or 1
SLOTS = int(os.environ.get("SMECH_JOBS") or NPROC)
MAKE_JOBS = int(os.environ.get("SMECH_MAKE_JOBS") or NPROC)
BUILD_UID = 65534  # "nobody": builds never run as root, even when the driver does

VARS = ("pkgname pkgver pkgrel pkgdesc url license arch depends makedepends provides source "
        "sha256sums source_date_epoch options").split()
FUNCS = ("prepare", "build", "check", "package")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
VER_RE = re.compile(r"^[0-9][0-9A-Za-z._]*$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")


class RecipeError(Exception):
    """One line: 'NAME: STEP: what is wrong'."""

    def __init__(self, name, step, why):
        super().__init__(f"{name}: {step}: {why}")
        self.name, self.step, self.why = name, step, why


def err(line):
    sys.stderr.write(f"{PROG}: error: {line}\n")
    sys.stderr.flush()


def note(line):
    sys.stderr.write(f"{PROG}: {line}\n")
    sys.stderr.flush()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def rel_name(item):
    """'musl>=1.2' -> 'musl' (relation items: name [OP version])."""
    return re.split(r"[<>=\s]", item.strip(), maxsplit=1)[0]


# ---------------------------------------------------------------- sandbox

def sandbox_argv(binds, env, writable_build=True, pkg_only=False, work=None):
    """The bwrap command line: no network, read-only host /usr, private /tmp, an unprivileged uid,
    a clear environment. binds: (host, inside, 'ro'|'rw') in mount order."""
    argv = []
    if os.geteuid() == 0:
        argv += ["setpriv", f"--reuid={BUILD_UID}", f"--regid={BUILD_UID}", "--clear-groups", "--"]
    argv += ["bwrap", "--unshare-user", "--uid", "1000", "--gid", "1000", "--unshare-net",
             "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
             "--hostname", "smech-build", "--die-with-parent", "--new-session", "--clearenv"]
    base_env = {"PATH": "/sysroot/usr/bin:/usr/bin:/bin", "LC_ALL": "C.UTF-8", "TZ": "UTC",
                "HOME": "/build", "SHELL": "/bin/sh", "USER": "build", "LOGNAME": "build"}
    base_env.update(env)
    for k in sorted(base_env):
        argv += ["--setenv", k, str(base_env[k])]
    argv += ["--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib",
             "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
             "--ro-bind", "/etc/alternatives", "/etc/alternatives", "--proc", "/proc",
             "--dev", "/dev", "--tmpfs", "/tmp"]
    for host, inside, mode in binds:
        argv += ["--ro-bind" if mode == "ro" else "--bind", host, inside]
    argv += ["--remount-ro", "/", "--chdir", "/"]
    return argv


def can_drop_to_nobody(path):
    """As root, the build runs as uid 65534: it must be able to reach its work directory."""
    p = os.path.realpath(path)
    while p != "/":
        st = os.stat(p)
        if not (st.st_mode & 0o001):
            return False
        p = os.path.dirname(p)
    return True


# ---------------------------------------------------------------- recipes

class Recipe:
    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(RECIPES, name)
        self.path = os.path.join(self.dir, "RECIPE")
        self.v = {}
        self.funcs = set()

    def __getattr__(self, k):
        if k in VARS:
            return self.v.get(k, "")
        raise AttributeError(k)

    @property
    def version(self):
        return f"{self.pkgver}-r{self.pkgrel}"

    @property
    def pkgfile(self):
        return f"{self.pkgname}-{self.version}-{self.arch}.tar.xz"

    def deps(self, which):
        return [rel_name(x) for x in re.split(r"[,\s]+", self.v.get(which, "")) if x.strip()]

    def sources(self):
        return self.source.split()

    def sums(self):
        return [ln.split() for ln in self.sha256sums.splitlines() if ln.strip()]


PARSE_SH = r"""
set -e
. /recipe/RECIPE
for _v in %s; do eval "printf '%%s=%%s\0' \$_v \"\${$_v-}\""; done
for _f in prepare build check package; do
	if command -v $_f >/dev/null 2>&1; then printf 'func=%%s\0' $_f; fi
done
""" % " ".join(VARS)


def parse_recipe(name):
    """Reads a RECIPE by sourcing it in a sandbox (no network, nothing writable): a recipe's top
    level must only set variables, and a syntax error is reported with its line."""
    r = Recipe(name)
    if not os.path.isfile(r.path):
        raise RecipeError(name, "parse", f"no such recipe: {r.path}")
    argv = sandbox_argv([(r.dir, "/recipe", "ro")], {}) + ["sh", "-c", PARSE_SH]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        msg = p.stderr.decode(errors="replace").strip().splitlines()
        msg = msg[-1] if msg else f"exit status {p.returncode}"
        msg = msg.replace("/recipe/RECIPE", r.path)
        m = re.match(r"^sh: (\d+): (.*?): (.*)$", msg)  # dash: "sh: LINE: FILE: message"
        if m:
            msg = f"{m.group(2)}: line {m.group(1)}: {m.group(3)}"
        raise RecipeError(name, "parse", msg)
    for item in p.stdout.decode().split("\0"):
        if not item:
            continue
        k, _, val = item.partition("=")
        if k == "func":
            r.funcs.add(val)
        else:
            r.v[k] = val.strip()
    check_recipe(r)
    return r


def check_recipe(r):
    def bad(why):
        raise RecipeError(r.name, "parse", why)
    if r.pkgname != r.name:
        bad(f"pkgname '{r.pkgname}' differs from the directory name")
    if not NAME_RE.match(r.pkgname):
        bad(f"invalid pkgname '{r.pkgname}'")
    if not VER_RE.match(r.pkgver):
        bad(f"invalid pkgver '{r.pkgver}' (digits first, then [0-9A-Za-z._])")
    if not r.pkgrel.isdigit():
        bad(f"invalid pkgrel '{r.pkgrel}' (an integer)")
    if r.arch not in ("x86_64", "noarch"):
        bad(f"arch '{r.arch}' is not x86_64 or noarch")
    if not r.source_date_epoch.isdigit():
        bad("source_date_epoch must be an integer (seconds since 1970)")
    if "package" not in r.funcs:
        bad("no package() function")
    for which in ("depends", "makedepends"):
        for d in r.deps(which):
            if not NAME_RE.match(d):
                bad(f"invalid name '{d}' in {which}")
    plain = [s for s in r.sources() if not s.startswith("repo:")]
    sums = r.sums()
    if len(sums) != len(plain):
        bad(f"{len(plain)} sources need sha256 lines but sha256sums has {len(sums)} "
            f"(run '{PROG} checksum {r.name}')")
    for s in sums:
        if len(s) != 2 or not SHA_RE.match(s[0]):
            bad(f"sha256sums line '{' '.join(s)}' is not '<sha256>  <file>'")


def all_recipe_names():
    if not os.path.isdir(RECIPES):
        return []
    return sorted(d for d in os.listdir(RECIPES) if os.path.isfile(os.path.join(RECIPES, d, "RECIPE")))


# ---------------------------------------------------------------- sources

APT_LIST = ("deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
            "http://deb.debian.org/debian bookworm main\n")
_apt_lock = threading.Lock()
_apt_updated = [False]


def apt_opts():
    d = os.path.join(CACHE, "apt")
    for sub in ("lists/partial", "cache/archives/partial"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    lst = os.path.join(d, "sources.list")
    if not os.path.exists(lst) or open(lst).read() != APT_LIST:
        with open(lst, "w") as f:
            f.write(APT_LIST)
    # Our own list, lists and cache: the system's apt configuration is never read or touched.
    opts = ["-o", f"Dir::Etc::SourceList={lst}", "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", f"Dir::State::Lists={d}/lists", "-o", f"Dir::Cache={d}/cache"]
    if os.geteuid() == 0:
        opts += ["-o", "APT::Sandbox::User=root"]  # our private dirs are not _apt's
    return opts


def apt_update(log):
    if _apt_updated[0]:
        return
    log.write(f"$ apt-get update (private sources list)\n")
    log.flush()
    p = subprocess.run(["apt-get", "-q"] + apt_opts() + ["update"], stdout=log, stderr=log)
    if p.returncode != 0:
        raise RuntimeError("apt-get update failed")
    _apt_updated[0] = True


def fetch_debian(r, spec, log):
    """debian:PKG=VERSION -> path of the downloaded .orig.tar.* (in a temp dir the caller removes)."""
    pkgver = spec[len("debian:"):]
    if "=" not in pkgver:
        raise RecipeError(r.name, "fetch", f"{spec}: pin a version (debian:PKG=VERSION)")
    tmp = tempfile.mkdtemp(prefix="apt.", dir=CACHE)
    with _apt_lock:
        try:
            apt_update(log)
        except RuntimeError as e:
            raise RecipeError(r.name, "fetch", f"{spec}: {e}")
        log.write(f"$ apt-get source --download-only {pkgver}\n")
        log.flush()
        p = subprocess.run(["apt-get", "-q"] + apt_opts() + ["source", "--download-only", pkgver],
                           cwd=tmp, stdout=log, stderr=subprocess.PIPE)
    if p.returncode != 0:
        why = [ln for ln in p.stderr.decode(errors="replace").splitlines() if ln.startswith("E:")]
        log.write(p.stderr.decode(errors="replace"))
        shutil.rmtree(tmp, ignore_errors=True)
        raise RecipeError(r.name, "fetch", f"{spec}: " + (why[0] if why else "apt-get source failed"))
    origs = [f for f in sorted(os.listdir(tmp))
             if re.search(r"\.orig\.tar\.[a-z0-9]+$", f) and ".orig-" not in f]
    if len(origs) != 1:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RecipeError(r.name, "fetch", f"{spec}: expected one .orig.tar.*, found {origs or 'none'}")
    # Keep the .dsc for provenance: it names the hashes apt verified through the signed Release.
    prov = os.path.join(CACHE, "sources", "debian")
    os.makedirs(prov, exist_ok=True)
    for f in os.listdir(tmp):
        if f.endswith(".dsc"):
            shutil.copyfile(os.path.join(tmp, f), os.path.join(prov, f))
    return tmp, os.path.join(tmp, origs[0])


def locate_source(r, spec, log):
    """Returns (filename, path, tmpdir-or-None) of one source before verification."""
    if spec.startswith("debian:"):
        tmp, path = fetch_debian(r, spec, log)
        return os.path.basename(path), path, tmp
    if spec.startswith("shared:"):
        fn = spec[len("shared:"):]
        for d in SHARED_DIRS:
            path = os.path.join(d, fn)
            if os.path.isfile(path):
                return fn, path, None
        raise RecipeError(r.name, "fetch",
                          f"{spec}: missing source: not in {', '.join(SHARED_DIRS)}")
    path = os.path.join(r.dir, spec)
    if not os.path.isfile(path):
        raise RecipeError(r.name, "fetch", f"{spec}: missing source: {path}")
    return os.path.basename(spec), path, None


def cache_put(path, digest):
    d = os.path.join(CACHE, "sources")
    os.makedirs(d, exist_ok=True)
    dst = os.path.join(d, digest)
    if not os.path.exists(dst):
        fd, tmp = tempfile.mkstemp(prefix=".in.", dir=d)
        os.close(fd)
        shutil.copyfile(path, tmp)
        os.chmod(tmp, 0o644)
        os.rename(tmp, dst)
    return dst


def repo_source(r, spec):
    """repo:PREFIX: this repository's committed tree (HEAD) as PREFIX.tar with top dir PREFIX/.
    Keyed by the tree id, so the same content is archived once."""
    prefix = spec[len("repo:"):] or r.name
    try:
        tree = subprocess.run(["git", "-C", SRC, "rev-parse", "HEAD^{tree}"], check=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout.decode().strip()
    except subprocess.CalledProcessError as e:
        raise RecipeError(r.name, "fetch", f"{spec}: git: {e.stderr.decode().strip()}")
    d = os.path.join(CACHE, "sources", "repo")
    os.makedirs(d, exist_ok=True)
    dst = os.path.join(d, f"{prefix}-{tree}.tar")
    if not os.path.exists(dst):
        fd, tmp = tempfile.mkstemp(prefix=".in.", dir=d)
        with os.fdopen(fd, "wb") as f:
            subprocess.run(["git", "-C", SRC, "archive", "--format=tar", f"--prefix={prefix}/",
                            "HEAD"], check=True, stdout=f)
        os.chmod(tmp, 0o644)
        os.rename(tmp, dst)
    return f"{prefix}.tar", dst, "git-tree:" + tree


def get_sources(r, log):
    """Every source of r, verified: [(filename, cache path, hash)], in recipe order."""
    out = []
    sums = iter(r.sums())
    for spec in r.sources():
        if spec.startswith("repo:"):
            out.append(repo_source(r, spec))
            continue
        want, want_fn = next(sums)
        cached = os.path.join(CACHE, "sources", want)
        if os.path.exists(cached) and spec.startswith("debian:"):
            # Verified when it entered the cache, keyed by that hash: no network needed.
            out.append((want_fn, cached, want))
            continue
        fn, path, tmp = locate_source(r, spec, log)
        try:
            got = sha256_file(path)
            if got != want:
                raise RecipeError(r.name, "fetch", f"{spec}: {fn}: sha256 mismatch "
                                  f"(recipe {want[:16]}…, file {got[:16]}…)")
            if fn != want_fn:
                raise RecipeError(r.name, "fetch", f"{spec}: sha256sums names '{want_fn}', "
                                  f"the source is '{fn}'")
            out.append((fn, cache_put(path, got), got))
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)
    return out


def compute_sums(r, log):
    """For `checksum`: the sha256sums block for r's current sources (fetching as needed)."""
    lines = []
    for spec in r.sources():
        if spec.startswith("repo:"):
            continue
        fn, path, tmp = locate_source(r, spec, log)
        try:
            digest = sha256_file(path)
            cache_put(path, digest)
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)
        lines.append(f"{digest}  {fn}")
    return lines


# ---------------------------------------------------------------- graph

def find_cycle(graph, start):
    """A dependency cycle reachable from start, as a list of names, or None."""
    path, on_path, done = [], set(), set()

    def visit(n):
        if n in on_path:
            return path[path.index(n):] + [n]
        if n in done:
            return None
        on_path.add(n)
        path.append(n)
        for d in sorted(graph.get(n, ())):
            c = visit(d)
            if c:
                return c
        path.pop()
        on_path.discard(n)
        done.add(n)
        return None
    return visit(start)


# ---------------------------------------------------------------- state

def state_path(name):
    return os.path.join(OUT, "state", name + ".json")


def load_state(name):
    try:
        with open(state_path(name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def atomic_write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp.", dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as f:
        f.write(data)
    mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644
    os.chmod(tmp, mode)
    os.rename(tmp, path)


def driver_hash():
    h = hashlib.sha256()
    for fn in ("driver.py", "phase.sh"):
        with open(os.path.join(LIB, fn), "rb") as f:
            h.update(f.read())
    return h.hexdigest()


_toolchain = []


def toolchain_id():
    """Stage 0 is the host's gcc and binutils: their versions are part of every build key."""
    if not _toolchain:
        ids = []
        for cmd in (["gcc", "--version"], ["ld", "--version"], ["make", "--version"]):
            try:
                p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                ids.append(p.stdout.decode().splitlines()[0])
            except (OSError, IndexError):
                ids.append(cmd[0] + " missing")
        _toolchain.append(ids)
    return _toolchain[0]


def recipe_dir_hash(r):
    h = hashlib.sha256()
    for base, dirs, files in os.walk(r.dir):
        dirs.sort()
        for fn in sorted(files):
            p = os.path.join(base, fn)
            h.update(os.path.relpath(p, r.dir).encode() + b"\0")
            h.update(sha256_file(p).encode() + b"\0")
    return h.hexdigest()


# ---------------------------------------------------------------- spk

def find_spk():
    spk = os.environ.get("SPK")
    if spk:
        return spk
    for cand in (os.path.join(SRC, "build", "spk", "spk"),):
        if os.access(cand, os.X_OK):
            return cand
    note("no spk found ($SPK, build/spk/spk): building it with meson into build/")
    b = os.path.join(SRC, "build")
    if not os.path.isdir(os.path.join(b, "meson-info")):
        subprocess.run(["meson", "setup", b, SRC], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", b, "spk/spk"], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(b, "spk", "spk")


def spk_has(spk, command):
    p = subprocess.run([spk, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return re.search(rf"^\s*spk {command}\b", p.stdout.decode(errors="replace"), re.M) is not None


# ---------------------------------------------------------------- one build

class Builder:
    def __init__(self, recipes, force=False, spk=None, out=None):
        self.recipes = recipes      # name -> Recipe
        self.force = force
        self.spk = spk
        self.out = out or OUT
        self.pkgdir = os.path.join(self.out, "packages", CARCH)
        self.status = {}            # name -> (phase, start time)
        self.lock = threading.Lock()

    def dep_closure(self, r):
        """Packages to install into r's sysroot: makedepends and their runtime depends."""
        seen, todo = [], list(r.deps("makedepends"))
        while todo:
            n = todo.pop(0)
            if n in seen:
                continue
            seen.append(n)
            todo += self.recipes[n].deps("depends")
        return sorted(seen)

    def key(self, r, sources):
        # spk mkpkg writes the package format: a new spk may write other bytes.
        k = {"recipe": recipe_dir_hash(r), "sources": [s[2] for s in sources],
             "deps": {}, "driver": driver_hash(), "toolchain": toolchain_id(), "arch": CARCH,
             "spk": sha256_file(self.spk)}
        for d in self.dep_closure(r):
            st = load_state(d)
            k["deps"][d] = st.get("sha256", "")
        return hashlib.sha256(json.dumps(k, sort_keys=True).encode()).hexdigest()

    def set_phase(self, name, phase):
        with self.lock:
            self.status[name] = (phase, time.time())

    def run_phase(self, r, phase, work, sources, sysroot, log):
        self.set_phase(r.name, phase)
        binds = [(r.dir, "/recipe", "ro"), (LIB, "/smech", "ro"), (sysroot, "/sysroot", "ro")]
        for fn, path, _ in sources:
            binds.append((path, "/sources/" + fn, "ro"))
        if phase == "package":
            # Only the destination is writable: a step writing anywhere else fails (EROFS).
            binds += [(work, "/build", "ro"), (os.path.join(work, "pkg"), "/build/pkg", "rw")]
        else:
            binds.append((work, "/build", "rw"))
        env = {"SOURCE_DATE_EPOCH": r.source_date_epoch, "JOBS": MAKE_JOBS,
               "MAKEFLAGS": f"-j{MAKE_JOBS}", "CARCH": CARCH, "SYSROOT": "/sysroot",
               "_smech_sources": " ".join(s[0] for s in sources)}
        argv = sandbox_argv(binds, env) + ["sh", "/smech/phase.sh", phase]
        log.write(f"==> {r.name}: {phase} ({time.strftime('%H:%M:%S')})\n")
        log.flush()
        t0 = time.time()
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.write(f"==> {r.name}: {phase} exit {p.returncode} after {time.time() - t0:.1f} s\n")
        log.flush()
        if p.returncode != 0:
            why = f"failed (exit {p.returncode}), see {log.name}"
            if phase == "package":
                with open(log.name, errors="replace") as f:
                    ro = [ln.strip() for ln in f if "Read-only file system" in ln]
                if ro:
                    why = f"wrote outside $pkgdir: {ro[-1]}"
            raise RecipeError(r.name, phase, why)

    def spkinfo(self, r):
        lines = [f"Name: {r.pkgname}", f"Version: {r.version}", f"Arch: {r.arch}"]
        for key, val in (("Description", r.pkgdesc), ("URL", r.url), ("License", r.license)):
            if val:
                lines.append(f"{key}: {val}")
        lines += [f"Origin: {r.name}", f"Build-Date: {r.source_date_epoch}"]
        for key, var in (("Depends", "depends"), ("Provides", "provides")):
            items = [x for x in re.split(r"[,\s]+", r.v.get(var, "")) if x]
            if items:
                lines.append(f"{key}: {', '.join(items)}")
        return "\n".join(lines) + "\n"

    def build(self, r):
        """Builds r if its key changed. Returns 'built' or 'up to date'; raises RecipeError."""
        os.makedirs(os.path.join(self.out, "logs"), exist_ok=True)
        logpath = os.path.join(self.out, "logs", r.name + ".log")
        with open(logpath, "w") as log:
            return self._build(r, log, logpath)

    def state_path(self, name):
        return os.path.join(self.out, "state", name + ".json")

    def _build(self, r, log, logpath):
        self.set_phase(r.name, "fetch")
        sources = get_sources(r, log)
        key = self.key(r, sources)
        st = load_state(r.name)
        final = os.path.join(self.pkgdir, r.pkgfile)
        if not self.force and st.get("key") == key and os.path.exists(final):
            log.write(f"==> {r.name}: up to date (key {key[:16]})\n")
            return "up to date"
        t0 = time.time()
        work_root = os.path.join(CACHE, "work")
        os.makedirs(work_root, exist_ok=True)
        os.chmod(work_root, 0o755)
        work = tempfile.mkdtemp(prefix=r.name + ".", dir=work_root)
        ok = False
        try:
            os.chmod(work, 0o755)
            for sub in ("src", "pkg", "sysroot"):
                os.mkdir(os.path.join(work, sub))
            if os.geteuid() == 0:
                for sub in ("", "src", "pkg"):
                    os.chown(os.path.join(work, sub), BUILD_UID, BUILD_UID)
            if os.geteuid() == 0 and not can_drop_to_nobody(work):
                raise RecipeError(r.name, "sandbox", f"uid {BUILD_UID} cannot reach {work}: "
                                  "give its parents o+x or set SMECH_CACHE elsewhere")
            sysroot = os.path.join(work, "sysroot")
            self.set_phase(r.name, "sysroot")
            for d in self.dep_closure(r):
                dst = load_state(d)
                pkg = os.path.join(self.pkgdir, dst.get("package", ""))
                if not dst or not os.path.isfile(pkg):
                    raise RecipeError(r.name, "sysroot", f"dependency {d} has no package")
                log.write(f"==> {r.name}: sysroot: {os.path.basename(pkg)}\n")
                p = subprocess.run(["tar", "-xJf", pkg, "-C", sysroot, "--no-same-owner",
                                    "--exclude=.SPK*", "--exclude=./.SPK*",
                                    "--exclude=.pre-*", "--exclude=.post-*"],
                                   stdout=log, stderr=log)
                if p.returncode != 0:
                    raise RecipeError(r.name, "sysroot", f"cannot unpack {pkg}")
            phases = ["prepare", "build"]
            if "check" in r.funcs and "!check" not in r.options.split():
                phases.append("check")
            phases.append("package")
            for phase in phases:
                self.run_phase(r, phase, work, sources, sysroot, log)
            self.set_phase(r.name, "mkpkg")
            pkgtree = os.path.join(work, "pkg")
            with open(os.path.join(pkgtree, ".SPKINFO"), "w") as f:
                f.write(self.spkinfo(r))
            tmpout = os.path.join(self.out, "tmp")
            os.makedirs(tmpout, exist_ok=True)
            tmpdir = tempfile.mkdtemp(prefix=r.name + ".", dir=tmpout)
            try:
                log.write(f"$ spk mkpkg {pkgtree} {tmpdir}\n")
                log.flush()
                p = subprocess.run([self.spk, "mkpkg", pkgtree, tmpdir], stdout=log, stderr=log)
                made = os.path.join(tmpdir, r.pkgfile)
                if p.returncode != 0 or not os.path.isfile(made):
                    raise RecipeError(r.name, "mkpkg", f"spk mkpkg failed, see {logpath}")
                digest = sha256_file(made)
                os.makedirs(self.pkgdir, exist_ok=True)
                os.rename(made, os.path.join(self.pkgdir, r.pkgfile))
            finally:
                shutil.rmtree(tmpdir, ignore_errors=True)
            old = st.get("package")
            if old and old != r.pkgfile:
                try:
                    os.unlink(os.path.join(self.pkgdir, old))
                except FileNotFoundError:
                    pass
            secs = round(time.time() - t0, 1)
            atomic_write(self.state_path(r.name),
                         json.dumps({"key": key, "package": r.pkgfile, "sha256": digest,
                                     "seconds": secs, "version": r.version}, indent=1) + "\n")
            log.write(f"==> {r.name}: built {r.pkgfile} in {secs} s, sha256 {digest}\n")
            ok = True
            return "built"
        finally:
            if ok or os.environ.get("SMECH_KEEP_WORK") != "1":
                shutil.rmtree(work, ignore_errors=True)
            else:
                log.write(f"==> {r.name}: work directory kept: {work}\n")


# ---------------------------------------------------------------- scheduling

class Progress:
    """One status line on a terminal, refreshed each second; plain event lines otherwise."""

    def __init__(self, builder, total):
        self.b, self.total, self.done = builder, total, 0
        self.tty = sys.stderr.isatty()
        self.stop = threading.Event()
        if self.tty:
            self.t = threading.Thread(target=self.loop, daemon=True)
            self.t.start()

    def line(self):
        now = time.time()
        with self.b.lock:
            running = ", ".join(f"{n} ({ph} {now - t0:.0f}s)" for n, (ph, t0) in
                                sorted(self.b.status.items()))
        return f"[{self.done}/{self.total}] {running}"

    def loop(self):
        while not self.stop.wait(1):
            sys.stderr.write("\r\033[K" + self.line()[:160])
            sys.stderr.flush()

    def event(self, text):
        if self.tty:
            sys.stderr.write("\r\033[K")
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def finish(self):
        self.stop.set()
        if self.tty:
            sys.stderr.write("\r\033[K")


def load_recipes(names):
    """Parses names and everything they depend on. Returns (recipes, errors{name: RecipeError})."""
    recipes, errors = {}, {}
    known = set(all_recipe_names())
    todo = list(names)
    while todo:
        n = todo.pop(0)
        if n in recipes or n in errors:
            continue
        try:
            r = parse_recipe(n)
        except RecipeError as e:
            errors[n] = e
            continue
        recipes[n] = r
        for d in r.deps("makedepends") + r.deps("depends"):
            if d not in known:
                errors[n] = RecipeError(n, "graph", f"unknown dependency '{d}' (no recipe)")
            else:
                todo.append(d)
    return recipes, errors


def build_many(names, force=False, quiet=False):
    """Builds names (and what they need) in dependency order, SLOTS at a time. Returns the
    number of recipes that failed or were skipped."""
    recipes, errors = load_recipes(names)
    graph = {n: set(r.deps("makedepends") + r.deps("depends")) for n, r in recipes.items()}
    for n in sorted(recipes):
        if n in errors:
            continue
        c = find_cycle(graph, n)
        if c and n in c:
            errors[n] = RecipeError(n, "graph", "dependency cycle " + " -> ".join(c))
    if os.geteuid() == 0:
        os.makedirs(os.path.join(CACHE, "sources"), exist_ok=True)
        for path in (RECIPES, LIB, os.path.join(CACHE, "sources")):
            if not can_drop_to_nobody(path):
                for n in recipes:
                    errors.setdefault(n, RecipeError(n, "sandbox", f"uid {BUILD_UID} cannot "
                                                     f"reach {path}: give its parents o+x"))
    for e in sorted(errors.values(), key=lambda e: e.name):
        err(str(e))
    needs_spk = [n for n in recipes if n not in errors]
    spk = find_spk() if needs_spk else None
    b = Builder(recipes, force=force, spk=spk)
    pending = {n for n in recipes if n not in errors}
    done, failed = set(), set(errors)
    prog = Progress(b, len(pending))
    cond = threading.Condition()
    running = set()
    times = {}

    def worker(n):
        t0 = time.time()
        try:
            res = b.build(recipes[n])
            ok = True
        except RecipeError as e:
            res, ok = str(e), False
        except Exception as e:  # a driver bug or an OS error: still one line, naming the recipe
            res, ok = f"{n}: driver: {e}", False
        with cond:
            with b.lock:
                b.status.pop(n, None)
            running.discard(n)
            prog.done += 1
            times[n] = time.time() - t0
            if ok:
                done.add(n)
                if not quiet or res == "built":
                    prog.event(f"{PROG}: {n}: {res} ({times[n]:.1f} s)")
            else:
                failed.add(n)
                prog.event(f"{PROG}: error: {res}")
            cond.notify_all()

    with cond:
        while pending or running:
            # Recipes whose dependency failed can never start: skip them with a reason.
            for n in sorted(pending):
                bad = sorted(graph[n] & failed)
                if bad:
                    pending.discard(n)
                    failed.add(n)
                    prog.done += 1
                    prog.event(f"{PROG}: error: {n}: graph: skipped, dependency {bad[0]} failed")
            ready = sorted(n for n in pending if graph[n] <= done)
            while ready and len(running) < SLOTS:
                n = ready.pop(0)
                pending.discard(n)
                running.add(n)
                threading.Thread(target=worker, args=(n,), daemon=True).start()
            if not running and pending and not ready:
                for n in sorted(pending):  # unreachable with the cycle check; kept as a guard
                    failed.add(n)
                    prog.event(f"{PROG}: error: {n}: graph: cannot be ordered")
                pending.clear()
            if running:
                cond.wait()
    prog.finish()
    return len(failed), spk


# ---------------------------------------------------------------- index

def index(spk):
    if not spk or not spk_has(spk, "index"):
        note("spk index is not available yet: the signed snapshot index was not written")
        return 0
    pkgdir = os.path.join(OUT, "packages", CARCH)
    pkgs = sorted(os.path.join(pkgdir, f) for f in os.listdir(pkgdir) if f.endswith(".tar.xz"))
    key = os.environ.get("SMECH_SIGNING_KEY")
    if not key:
        base = os.path.join(CACHE, "keys", "smechdeploy-dev")
        key = base + ".key"
        if not os.path.exists(key):
            os.makedirs(os.path.dirname(base), exist_ok=True)
            note(f"no SMECH_SIGNING_KEY: making a development key {key}")
            subprocess.run([spk, "keygen", base], check=True)
    serial = 1
    chan = os.path.join(pkgdir, "SPKCHANNEL")
    if os.path.exists(chan):
        m = re.search(r"^Serial:\s*(\d+)", open(chan).read(), re.M)
        serial = int(m.group(1)) + 1 if m else 1
    repo = os.environ.get("SMECH_REPOSITORY", "smech-labs/smechos-packages")
    snap = os.environ.get("SMECH_SNAPSHOT", f"snapshot-{serial}")
    argv = [spk, "index", "--repository", repo, "--snapshot", snap, "--serial", str(serial),
            "--key", key]
    prev = os.path.join(pkgdir, "SPKINDEX.xz")
    if os.path.exists(prev):
        argv += ["--previous", prev]
    tmp = tempfile.mkdtemp(prefix="index.", dir=os.path.join(OUT, "tmp"))
    try:
        if os.path.exists(prev):
            shutil.copyfile(prev, os.path.join(tmp, "previous.xz"))
            argv[-1] = os.path.join(tmp, "previous.xz")
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        p = subprocess.run(argv + [out] + pkgs)
        if p.returncode != 0:
            err("index: spk index failed")
            return 1
        for f in sorted(os.listdir(out)):
            os.rename(os.path.join(out, f), os.path.join(pkgdir, f))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    note(f"index: {len(pkgs)} packages, serial {serial}, signed with {key}")
    return 0


# ---------------------------------------------------------------- commands

def cmd_build(args):
    force = "--force" in args
    quiet = "--quiet" in args
    names = [a for a in args if not a.startswith("--")]
    if "--all" in args:
        names = all_recipe_names()
    if not names:
        err("build: name recipes or give --all")
        return 2
    os.makedirs(os.path.join(OUT, "tmp"), exist_ok=True)
    t0 = time.time()
    nfailed, spk = build_many(names, force=force, quiet=quiet)
    rc = 1 if nfailed else 0
    if not nfailed and "--no-index" not in args:
        rc = index(spk) or rc
    note(f"{'failed' if nfailed else 'done'}: {nfailed} recipe(s) failed, "
         f"{time.time() - t0:.1f} s")
    return rc


def cmd_fetch(args):
    names = all_recipe_names() if "--all" in args or not args else args
    bad = 0
    for n in names:
        try:
            r = parse_recipe(n)
            with open(os.devnull, "w") as log:
                get_sources(r, log)
            note(f"{n}: sources verified")
        except RecipeError as e:
            err(str(e))
            bad += 1
    return 1 if bad else 0


def cmd_checksum(args):
    if len(args) != 1:
        err("usage: smechdeploy checksum NAME")
        return 2
    name = args[0]
    try:
        r = parse_recipe_loose(name)
        lines = compute_sums(r, sys.stderr)
    except RecipeError as e:
        err(str(e))
        return 1
    text = open(r.path).read()
    block = 'sha256sums="\n' + "".join(ln + "\n" for ln in lines) + '"\n'
    new, n = re.subn(r'(?ms)^sha256sums="[^"]*"\n?', lambda m: block, text)
    if n == 0:
        new = text.rstrip("\n") + "\n\n" + block
    atomic_write(r.path, new)
    note(f"{name}: {len(lines)} sha256sums written to {r.path}")
    return 0


def parse_recipe_loose(name):
    """parse_recipe without the sha256sums count check (checksum fills them)."""
    global check_recipe
    strict = check_recipe

    def loose(r):
        saved = r.v.get("sha256sums", "")
        plain = [s for s in r.sources() if not s.startswith("repo:")]
        r.v["sha256sums"] = "\n".join(f"{'0' * 64}  x" for _ in plain)
        strict(r)
        r.v["sha256sums"] = saved
    check_recipe = loose
    try:
        return parse_recipe(name)
    finally:
        check_recipe = strict


def cmd_verify_reproducible(args):
    """Builds NAME a second time from scratch into a private out dir (its makedepends taken from
    out/) and compares the bytes with out/packages/."""
    if len(args) != 1:
        err("usage: smechdeploy verify-reproducible NAME")
        return 2
    name = args[0]
    nfailed, spk = build_many([name], quiet=True)
    if nfailed:
        return 1
    recipes, errors = load_recipes([name])
    r = recipes[name]
    first = os.path.join(OUT, "packages", CARCH, r.pkgfile)
    tmp = tempfile.mkdtemp(prefix="repro.", dir=os.path.join(OUT, "tmp"))
    try:
        b = Builder(recipes, force=True, spk=spk, out=os.path.join(tmp, "out"))
        # The second build sees the same dependency packages as the first one did.
        for d in b.dep_closure(r):
            st = load_state(d)
            os.makedirs(b.pkgdir, exist_ok=True)
            shutil.copyfile(os.path.join(OUT, "packages", CARCH, st["package"]),
                            os.path.join(b.pkgdir, st["package"]))
        try:
            b.build(r)
        except RecipeError as e:
            err(str(e))
            return 1
        second = os.path.join(b.pkgdir, r.pkgfile)
        a, c = sha256_file(first), sha256_file(second)
        if a == c:
            note(f"{name}: reproducible: {r.pkgfile} sha256 {a}")
            return 0
        err(f"{name}: verify-reproducible: {r.pkgfile} differs (sha256 {a[:16]}… vs {c[:16]}…)")
        report_diff(first, second, tmp)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report_diff(a, b, tmp):
    if shutil.which("diffoscope"):
        subprocess.run(["diffoscope", "--text", "-", a, b])
        return
    listings = []
    for n, p in (("first", a), ("second", b)):
        d = os.path.join(tmp, n)
        os.makedirs(d)
        subprocess.run(["tar", "-xJf", p, "-C", d])
        ls = subprocess.run(["tar", "-tvJf", p], stdout=subprocess.PIPE).stdout.decode()
        listings.append(ls.splitlines())
    la, lb = listings
    for x in sorted(set(la) ^ set(lb)):
        sys.stderr.write(("- " if x in la else "+ ") + x + "\n")
    subprocess.run(["diff", "-r", "-q", os.path.join(tmp, "first"), os.path.join(tmp, "second")],
                   stdout=sys.stderr)


def cmd_index(args):
    try:
        spk = find_spk()
    except (subprocess.CalledProcessError, OSError) as e:
        err(f"index: no spk: {e}")
        return 1
    return index(spk)


def cmd_times(args):
    for n in all_recipe_names():
        st = load_state(n)
        if st:
            print(f"{n}\t{st.get('version', '')}\t{st.get('seconds', '')} s\t{st.get('package', '')}")
    return 0


COMMANDS = {"build": cmd_build, "fetch": cmd_fetch, "checksum": cmd_checksum,
            "verify-reproducible": cmd_verify_reproducible, "index": cmd_index,
            "times": cmd_times}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        err(f"unknown command '{argv[0] if argv else ''}' (see {PROG} --help)")
        return 2
    try:
        return COMMANDS[argv[0]](argv[1:])
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
