#!/usr/bin/env python3
"""Hostile spk packages for the refusal tests, and a snapshot of a directory tree.

Python 3 stdlib only (tarfile + lzma). Subcommands:

  hostile.py edit IN OUT OP... rewrites the valid package IN (made by spk mkpkg) into OUT.
      Members keep their order; new ones are appended. Unless 'keep-record' is given, the
      .SPKMANIFEST is recomputed from the tree members, so that the one thing each test makes
      wrong is the only thing wrong. OPs (each followed by its fixed arguments):
        file PATH TEXT          add a regular file (mode 0644)
        dir PATH                add a directory (mode 0755)
        symlink PATH TARGET     add a symlink
        hardlink PATH TARGET    add a hard link to TARGET
        chardev PATH            add a character device node (1,3), recorded as an empty file
        fifo PATH               add a FIFO, recorded as an empty file
        mode PATH OCTAL         change a member's permission bits
        dup PATH                a second copy of member PATH, right after it
        alter PATH              change one byte of PATH's content (same size), record kept
        drop PATH               remove member PATH (and so its record line)
        unlisted PATH           leave PATH out of the recomputed record
        first NAME              move member NAME to the front of the archive
        spkinfo TEXT            replace .SPKINFO's content ('\\n' in TEXT is a newline)
        keep-record             keep the original .SPKMANIFEST bytes
  hostile.py truncate IN OUT      the first half of IN's bytes
  hostile.py flip IN OUT          IN with bytes flipped in the middle of the xz stream
  hostile.py tree DIR [EXCLUDE...] one line per entry under DIR: path, type, mode, size,
      SHA-256 or link target; paths (relative to DIR) in EXCLUDE are skipped. Sorted, so two runs
      compare with cmp.
"""
import hashlib
import io
import lzma
import os
import stat
import sys
import tarfile

TOP = {".SPKINFO", ".SPKMANIFEST", ".pre-install", ".post-install", ".pre-upgrade",
       ".post-upgrade", ".pre-remove", ".post-remove"}


def escape(path):
    out = []
    for b in path.encode():
        if b <= 0x20 or b == 0x7F or b == 0x5C:
            out.append("\\x%02x" % b)
        else:
            out.append(chr(b))
    return "".join(out)


class Member:
    def __init__(self, info, data=b""):
        self.info = info
        self.data = data
        self.recorded = True


def read_pkg(path):
    members = []
    with tarfile.open(path, "r:xz") as tf:
        for ti in tf:
            data = tf.extractfile(ti).read() if ti.isreg() else b""
            members.append(Member(ti, data))
    return members


def find(members, path):
    for m in members:
        if m.info.name.rstrip("/") == path:
            return m
    sys.exit("hostile.py: no member %r" % path)


def new_info(path, kind, mode, data=b"", link=""):
    ti = tarfile.TarInfo(path)
    ti.type = kind
    ti.mode = mode
    ti.size = len(data) if kind == tarfile.REGTYPE else 0
    ti.linkname = link
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = ""
    ti.mtime = 0
    if kind == tarfile.CHRTYPE:
        ti.devmajor, ti.devminor = 1, 3
    return ti


def record(members):
    """The .SPKMANIFEST the tree members call for (manifest.h)."""
    lines = {}
    for m in members:
        ti, name = m.info, m.info.name.rstrip("/")
        if name in TOP or not m.recorded or name in lines:
            continue
        perm = ti.mode & 0o7777
        if ti.isdir():
            line = "d %04o 0 - %s" % (perm, escape(name))
        elif ti.issym():
            line = "l 0777 0 - %s %s" % (escape(name), escape(ti.linkname))
        elif ti.islnk():
            # a target outside the package is recorded as an empty file
            data = next((t.data for t in members if t.info.name == ti.linkname), b"")
            line = "h %04o %d %s %s %s" % (perm, len(data), hashlib.sha256(data).hexdigest(),
                                           escape(name), escape(ti.linkname))
        else:  # regular files, and device nodes/FIFOs dressed up as empty files
            line = "f %04o %d %s %s" % (perm, len(m.data), hashlib.sha256(m.data).hexdigest(),
                                        escape(name))
        lines[name] = line
    text = "".join(lines[k] + "\n" for k in sorted(lines, key=lambda s: s.encode()))
    return text.encode()


def write_pkg(path, members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for m in members:
            if m.info.isreg():
                m.info.size = len(m.data)
                tf.addfile(m.info, io.BytesIO(m.data))
            else:
                tf.addfile(m.info)
    with open(path, "wb") as f:
        f.write(lzma.compress(buf.getvalue(), format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64))


def edit(src, dst, ops):
    members = read_pkg(src)
    keep = False
    i = 0

    def arg():
        nonlocal i
        if i >= len(ops):
            sys.exit("hostile.py: missing argument after %r" % ops[i - 1])
        i += 1
        return ops[i - 1]

    while i < len(ops):
        op = arg()
        if op == "file":
            p, text = arg(), arg().encode()
            members.append(Member(new_info(p, tarfile.REGTYPE, 0o644, text), text))
        elif op == "dir":
            members.append(Member(new_info(arg(), tarfile.DIRTYPE, 0o755)))
        elif op == "symlink":
            p = arg()
            members.append(Member(new_info(p, tarfile.SYMTYPE, 0o777, link=arg())))
        elif op == "hardlink":
            p = arg()
            members.append(Member(new_info(p, tarfile.LNKTYPE, 0o644, link=arg())))
        elif op == "chardev":
            members.append(Member(new_info(arg(), tarfile.CHRTYPE, 0o644)))
        elif op == "fifo":
            members.append(Member(new_info(arg(), tarfile.FIFOTYPE, 0o644)))
        elif op == "mode":
            m = find(members, arg())
            m.info.mode = int(arg(), 8)
        elif op == "dup":
            m = find(members, arg())
            members.insert(members.index(m) + 1, Member(m.info.replace(), m.data))
        elif op == "alter":
            m = find(members, arg())
            if not m.data:
                sys.exit("hostile.py: alter: %s is empty" % m.info.name)
            mid = len(m.data) // 2
            m.data = m.data[:mid] + bytes([m.data[mid] ^ 0x01]) + m.data[mid + 1:]
        elif op == "drop":
            members.remove(find(members, arg()))
        elif op == "unlisted":
            find(members, arg()).recorded = False
        elif op == "first":
            m = find(members, arg())
            members.remove(m)
            members.insert(0, m)
        elif op == "spkinfo":
            m = find(members, ".SPKINFO")
            m.data = arg().replace("\\n", "\n").encode()
        elif op == "keep-record":
            keep = True
        else:
            sys.exit("hostile.py: unknown op %r" % op)
    if not keep:
        find(members, ".SPKMANIFEST").data = record(members)
    write_pkg(dst, members)


def truncate(src, dst):
    data = open(src, "rb").read()
    open(dst, "wb").write(data[:len(data) // 2])


def flip(src, dst):
    data = bytearray(open(src, "rb").read())
    mid = len(data) // 2
    for k in range(mid, min(mid + 16, len(data) - 12)):
        data[k] ^= 0xFF
    open(dst, "wb").write(bytes(data))


def tree(top, exclude):
    out = []
    for dirpath, dirnames, filenames in os.walk(top):
        rel_dir = os.path.relpath(dirpath, top)

        def keep(name):
            return os.path.normpath(os.path.join(rel_dir, name)) not in exclude
        dirnames[:] = [d for d in dirnames if keep(d)]
        for name in sorted(dirnames + [f for f in filenames if keep(f)]):
            p = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(rel_dir, name))
            st = os.lstat(p)
            perm = "%04o" % stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                desc = "l %s -> %s" % (perm, os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                desc = "d %s" % perm
            elif stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    desc = "f %s %d %s" % (perm, st.st_size,
                                           hashlib.sha256(f.read()).hexdigest())
            else:
                desc = "? %s %o" % (perm, stat.S_IFMT(st.st_mode))
            out.append("%s %s" % (escape(rel), desc))
    sys.stdout.write("".join(line + "\n" for line in sorted(out)))


def main(argv):
    if len(argv) >= 4 and argv[1] == "edit":
        edit(argv[2], argv[3], argv[4:])
    elif len(argv) == 4 and argv[1] == "truncate":
        truncate(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "flip":
        flip(argv[2], argv[3])
    elif len(argv) >= 3 and argv[1] == "tree":
        tree(argv[2], set(argv[3:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
