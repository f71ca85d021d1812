#!/usr/bin/env python3
"""Deterministic benchmark package sets for spk, pacman and dpkg.

For N packages x F files, p_i depends on p_{i//2} (p0 on nothing) and owns
usr/share/p_i/f_j (j < F), 1 KiB of fixed content each. From the same bytes:

  CACHE/nN-fF/spk-src/p_i/      .SPKINFO + tree, built into spk/ by `spk mkpkg`
  CACHE/nN-fF/spk/              p_i-1.0-r0-x86_64.tar.xz
  CACHE/nN-fF/pacman/           p_i-1.0-1-any.pkg.tar.xz  (.PKGINFO + tree, pax, xz -6)
  CACHE/nN-fF/deb/              p_i_1.0-1_all.deb  (ar: debian-binary, control.tar.xz,
                                                    data.tar.xz; pax, xz -6)
  CACHE/nN-fF/extra/{spk,pacman,deb}/   one more package "extra" (F files, depends on
                                        p_{N-1}) for "install 1 package into the
                                        populated root"

A set is reused when its stamp matches (generator version, N, F, and the spk
binary's SHA-256 for the spk part).  Prints the set directory on stdout.

usage: gen_packages.py [-n N] [-f F] [-j JOBS] --spk SPK CACHEDIR
"""

import argparse
import hashlib
import io
import lzma
import multiprocessing
import os
import shutil
import subprocess
import sys
import tarfile

GEN_VERSION = "1"
MTIME = 1700000000          # fixed mtime / build date of every entry
BLOCK = 1024                # bytes per file


def content(name, j):
    """1 KiB of fixed, per-file distinct content."""
    line = ("%s/f%d: spk benchmark payload, fixed content.\n" % (name, j)).encode()
    data = (line * (BLOCK // len(line) + 1))[:BLOCK - 1] + b"\n"
    return data


def pkg_files(name, nfiles):
    """[(relpath, bytes)] and the directories above them, sorted."""
    dirs = ["usr", "usr/share", "usr/share/" + name]
    files = [("usr/share/%s/f%d" % (name, j), content(name, j))
             for j in range(nfiles)]
    files.sort()
    return dirs, files


def dep_of(i):
    return None if i == 0 else "p%d" % (i // 2)


def tar_add(tf, path, data=None, mode=None):
    ti = tarfile.TarInfo(path)
    ti.mtime = MTIME
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = "root"
    if data is None:
        ti.type = tarfile.DIRTYPE
        ti.mode = 0o755 if mode is None else mode
        tf.addfile(ti)
    else:
        ti.type = tarfile.REGTYPE
        ti.mode = 0o644 if mode is None else mode
        ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data))


def tar_xz(entries):
    """entries: [(path, bytes|None)] -> xz-compressed PAX tar bytes."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for path, data in entries:
            tar_add(tf, path, data)
    return lzma.compress(raw.getvalue(), format=lzma.FORMAT_XZ, preset=6,
                         check=lzma.CHECK_CRC64)


def ar_member(name, data):
    hdr = "%-16s%-12d%-6d%-6d%-8s%-10d`\n" % (name, MTIME, 0, 0, "100644",
                                              len(data))
    out = hdr.encode() + data
    if len(data) % 2:
        out += b"\n"
    return out


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def make_pacman(outdir, name, dep, nfiles):
    dirs, files = pkg_files(name, nfiles)
    size = sum(len(d) for _, d in files)
    info = ["pkgname = %s" % name, "pkgbase = %s" % name,
            "pkgver = 1.0-1", "pkgdesc = spk benchmark package %s" % name,
            "url = https://example.invalid/", "builddate = %d" % MTIME,
            "packager = spk bench", "size = %d" % size, "arch = any",
            "license = MIT"]
    if dep:
        info.append("depend = %s" % dep)
    entries = [(".PKGINFO", ("\n".join(info) + "\n").encode())]
    entries += [(d, None) for d in dirs] + files
    write_atomic(os.path.join(outdir, "%s-1.0-1-any.pkg.tar.xz" % name),
                 tar_xz(entries))


def make_deb(outdir, name, dep, nfiles):
    dirs, files = pkg_files(name, nfiles)
    size_kib = (sum(len(d) for _, d in files) + 1023) // 1024
    ctl = ["Package: %s" % name, "Version: 1.0-1", "Architecture: all",
           "Maintainer: spk bench <bench@example.invalid>",
           "Installed-Size: %d" % size_kib]
    if dep:
        ctl.append("Depends: %s" % dep)
    ctl += ["Section: misc", "Priority: optional",
            "Description: spk benchmark package %s" % name]
    control = tar_xz([("./", None), ("./control",
                                     ("\n".join(ctl) + "\n").encode())])
    data = tar_xz([("./", None)] + [("./" + d + "/", None) for d in dirs]
                  + [("./" + p, b) for p, b in files])
    deb = (b"!<arch>\n" + ar_member("debian-binary", b"2.0\n")
           + ar_member("control.tar.xz", control)
           + ar_member("data.tar.xz", data))
    write_atomic(os.path.join(outdir, "%s_1.0-1_all.deb" % name), deb)


def make_spk_src(srcroot, name, dep, nfiles):
    d = os.path.join(srcroot, name)
    if os.path.exists(d):
        shutil.rmtree(d)
    dirs, files = pkg_files(name, nfiles)
    for sub in dirs:
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    for p, b in files:
        with open(os.path.join(d, p), "wb") as f:
            f.write(b)
    info = ["Name: %s" % name, "Version: 1.0-r0", "Arch: x86_64",
            "Description: spk benchmark package %s" % name,
            "Build-Date: %d" % MTIME]
    if dep:
        info.append("Depends: %s" % dep)
    with open(os.path.join(d, ".SPKINFO"), "w") as f:
        f.write("\n".join(info) + "\n")
    return d


def job_peers(args):
    setdir, name, dep, nfiles, sub = args
    make_pacman(os.path.join(setdir, sub, "pacman"), name, dep, nfiles)
    make_deb(os.path.join(setdir, sub, "deb"), name, dep, nfiles)
    return name


def job_spk(args):
    spk, srcroot, outdir, name, dep, nfiles = args
    d = make_spk_src(srcroot, name, dep, nfiles)
    r = subprocess.run([spk, "mkpkg", d, outdir], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError("spk mkpkg %s: %s" % (d, r.stderr.decode().strip()))
    return name


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def spk_still_same(spk, setdir):
    """A rebuilt spk whose mkpkg still writes the same bytes for p0 keeps the
    cached set (mkpkg is reproducible)."""
    old = os.path.join(setdir, "spk", "p0-1.0-r0-x86_64.tar.xz")
    if not os.path.exists(old):
        return False
    tmp = os.path.join(setdir, "spk-check")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    r = subprocess.run([os.path.abspath(spk), "mkpkg",
                        os.path.join(setdir, "spk-src", "p0"), tmp],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    same = (r.returncode == 0 and
            sha256_file(old) == sha256_file(os.path.join(tmp, os.path.basename(old))))
    shutil.rmtree(tmp, ignore_errors=True)
    return same


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="packages (1000)")
    ap.add_argument("-f", type=int, default=10, help="files per package (10)")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2, help="jobs")
    ap.add_argument("--spk", required=True, help="spk binary for mkpkg")
    ap.add_argument("cache")
    a = ap.parse_args()

    setdir = os.path.abspath(os.path.join(a.cache, "n%d-f%d" % (a.n, a.f)))
    pkgs = [("p%d" % i, dep_of(i), a.f, "") for i in range(a.n)]
    pkgs.append(("extra", "p%d" % (a.n - 1), a.f, "extra"))

    peer_stamp = "gen %s n %d f %d\n" % (GEN_VERSION, a.n, a.f)
    spk_stamp = peer_stamp + "spk mkpkg %s\n" % sha256_file(a.spk)

    with multiprocessing.Pool(a.j) as pool:
        if read(os.path.join(setdir, "peers.stamp")) != peer_stamp:
            for sub in ("", "extra"):
                for t in ("pacman", "deb"):
                    p = os.path.join(setdir, sub, t)
                    shutil.rmtree(p, ignore_errors=True)
                    os.makedirs(p)
            print("gen: writing %d pacman + deb packages to %s" % (len(pkgs), setdir),
                  file=sys.stderr)
            list(pool.imap_unordered(
                job_peers, [(setdir, n, d, f, s) for n, d, f, s in pkgs], 16))
            write_atomic(os.path.join(setdir, "peers.stamp"), peer_stamp.encode())

        if read(os.path.join(setdir, "spk.stamp")) == spk_stamp:
            pass
        elif (read(os.path.join(setdir, "spk.stamp")) is not None
              and spk_still_same(a.spk, setdir)):
            write_atomic(os.path.join(setdir, "spk.stamp"), spk_stamp.encode())
        else:
            # An interrupted build (no stamp) is resumed when this spk still
            # writes the same bytes: mkpkg renames complete files into place.
            resume = spk_still_same(a.spk, setdir)
            src = os.path.join(setdir, "spk-src")
            if not resume:
                for p in (src, os.path.join(setdir, "spk"),
                          os.path.join(setdir, "extra", "spk")):
                    shutil.rmtree(p, ignore_errors=True)
                    os.makedirs(p)
            out = lambda s, n: os.path.join(setdir, s, "spk", "%s-1.0-r0-x86_64.tar.xz" % n)
            todo = [p for p in pkgs if not (resume and os.path.exists(out(p[3], p[0])))]
            print("gen: building %d spk packages with %s mkpkg" % (len(todo), a.spk),
                  file=sys.stderr)
            spk = os.path.abspath(a.spk)
            list(pool.imap_unordered(job_spk, [
                (spk, src, os.path.join(setdir, s, "spk"), n, d, f)
                for n, d, f, s in todo], 8))
            write_atomic(os.path.join(setdir, "spk.stamp"), spk_stamp.encode())
    print(setdir)


if __name__ == "__main__":
    main()
