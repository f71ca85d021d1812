#!/usr/bin/env python3
"""Summarise bench results
(TSV: size, op, tool, run, wall microseconds, rss_kib or -, cpu microseconds or -)
into one table: operation | spk | pacman | dpkg | goal | met?

usage: report.py install TSV NPKG SIZE...
       report.py query TSV
"""

import statistics
import sys
from collections import defaultdict


def load(path):
    t = defaultdict(list)
    rss = defaultdict(list)
    with open(path) as f:
        for line in f:
            size, op, tool, _run, us, kib, cpu = line.rstrip("\n").split("\t")
            t[(size, op, tool)].append(int(us) / 1e6)
            if kib not in ("", "-"):
                rss[(size, op, tool)].append(int(kib))
            if cpu not in ("", "-"):
                CPU[(size, op, tool)].append(int(cpu) / 1e6)
    return t, rss


def fmt_s(v):
    if v >= 1:
        return "%.2f s" % v
    if v >= 0.01:
        return "%.0f ms" % (v * 1e3)
    return "%.1f ms" % (v * 1e3)


CPU = defaultdict(list)


def cell(xs, mean=False, key=None):
    if not xs:
        return "-"
    med = statistics.median(xs)
    s = "%s (%s–%s" % (fmt_s(med), fmt_s(min(xs)), fmt_s(max(xs)))
    if not mean:
        s += ", n=%d" % len(xs)
    if mean:
        s += ", mean %s" % fmt_s(statistics.fmean(xs))
    s += ")"
    if key and CPU.get(key):
        s += " cpu %s" % fmt_s(statistics.median(CPU[key]))
    return s


def mb(kib):
    return "%.1f MB" % (kib / 1024)


def table(rows):
    head = ("operation", "spk", "pacman", "dpkg", "goal", "met?")
    rows = [head] + rows
    w = [max(len(r[i]) for r in rows) for i in range(len(head))]
    out = []
    for n, r in enumerate(rows):
        out.append("| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(r)) + " |")
        if n == 0:
            out.append("|" + "|".join("-" * (x + 2) for x in w) + "|")
    return "\n".join(out)


def med(xs):
    return statistics.median(xs) if xs else None


def faster(a, b, factor, ka=None, kb=None):
    """a (spk) must be >= factor x faster than b (peer); medians of wall
    time; the CPU-time ratio is shown beside it when known."""
    if a is None or b is None:
        return "n/a"
    r = b / a
    out = "%s (%.1f×" % ("yes" if r >= factor else "NO", r)
    ca, cb = med(CPU.get(ka, [])), med(CPU.get(kb, []))
    if ca and cb:
        out += "; cpu %.1f×" % (cb / ca)
    return out + ")"


def install(path, npkg, sizes):
    t, rss = load(path)
    rows = []
    goals = []
    for f in sizes:
        size = "%sx%s" % (npkg, f)
        if not any(k[0] == size for k in t):
            continue
        lbl = "%s pkgs / %s files" % (f"{int(npkg):,}", f"{int(npkg) * int(f):,}")
        k = lambda tool, op="install": t.get((size, op, tool), [])
        sn, ss, pm, dp, du = (k("spk-nosync"), k("spk-sync"), k("pacman"),
                              k("dpkg"), k("dpkg-unsafe"))
        c = lambda xs, tool, op="install": cell(xs, key=(size, op, tool))
        rows.append(("install %s, spk --sync=no" % lbl, c(sn, "spk-nosync"), c(pm, "pacman"), c(dp, "dpkg"),
                     "≥ 1.5× faster than pacman", faster(med(sn), med(pm), 1.5,
                                                          (size, "install", "spk-nosync"),
                                                          (size, "install", "pacman"))))
        rows.append(("install %s, spk --sync=yes" % lbl, c(ss, "spk-sync"), c(pm, "pacman"), c(dp, "dpkg"),
                     "≥ 5× faster than dpkg", faster(med(ss), med(dp), 5,
                                                      (size, "install", "spk-sync"),
                                                      (size, "install", "dpkg"))))
        if du:
            rows.append(("  (dpkg --force-unsafe-io) %s" % lbl, c(ss, "spk-sync"), "", c(du, "dpkg-unsafe"),
                         "info: spk --sync=yes vs it", faster(med(ss), med(du), 1,
                                                            (size, "install", "spk-sync"),
                                                            (size, "install", "dpkg-unsafe"))))
        r = lambda tool: rss.get((size, "install", tool), [])
        rsn, rss_, rpm, rdp = r("spk-nosync"), r("spk-sync"), r("pacman"), r("dpkg")
        if rsn and rpm:
            spk_peak = max(max(rsn), max(rss_ or [0]))
            rows.append(("peak RSS, install %s" % lbl,
                         "%s / %s (no / yes)" % (mb(max(rsn)), mb(max(rss_ or [0]))),
                         mb(max(rpm)), mb(max(rdp)) if rdp else "-",
                         "≤ pacman's", "%s" % ("yes" if spk_peak <= max(rpm) else "NO")))
        one = [(tool, k(tool, "install1")) for tool in ("spk-nosync", "spk-sync", "pacman", "dpkg")]
        one = dict(one)
        if one["spk-nosync"]:
            for tool, lab in (("spk-nosync", "--sync=no"), ("spk-sync", "--sync=yes")):
                m = med(one[tool])
                rows.append(("install 1 pkg into the %s root, spk %s" % (lbl, lab),
                             c(one[tool], tool, "install1"), c(one["pacman"], "pacman", "install1"),
                             c(one["dpkg"], "dpkg", "install1"),
                             "≤ 30 ms (§5.2 G4)",
                             "n/a" if m is None else ("yes" if m <= 0.030 else "NO")))
        # §5.2 absolute targets
        if f == sizes[0]:
            if med(sn) is not None and med(pm) is not None:
                goals.append("G1 install %s --sync=no ≤ 1.5 s and ≤ pacman: %s (%s vs pacman %s)" % (
                    lbl, "yes" if med(sn) <= 1.5 and med(sn) <= med(pm) else "NO",
                    fmt_s(med(sn)), fmt_s(med(pm))))
            if med(ss) is not None and med(sn) and med(dp) is not None:
                goals.append("G3 --sync=yes ≤ 2× --sync=no and ≤ 1/5 of dpkg: %s (%s = %.1f× of --sync=no; dpkg/spk %.1f×)" % (
                    "yes" if med(ss) <= 2 * med(sn) and med(ss) * 5 <= med(dp) else "NO",
                    fmt_s(med(ss)), med(ss) / med(sn), med(dp) / med(ss)))
        else:
            if med(sn) is not None and med(pm) is not None:
                goals.append("G2 install %s --sync=no ≤ 5 s and ≤ pacman: %s (%s vs pacman %s)" % (
                    lbl, "yes" if med(sn) <= 5 and med(sn) <= med(pm) else "NO",
                    fmt_s(med(sn)), fmt_s(med(pm))))
            if rsn and rpm:
                goals.append("G10 peak RSS %s ≤ pacman: %s (spk %s, pacman %s)" % (
                    lbl, "yes" if max(max(rsn), max(rss_ or [0])) <= max(rpm) else "NO",
                    mb(max(max(rsn), max(rss_ or [0]))), mb(max(rpm))))
    print("Wall time: median (min–max, n=runs); RSS: highest peak over the runs.")
    print("cpu = median user+system CPU time of the process tree (/usr/bin/time, 10 ms resolution).")
    print("\"yes (N×)\": spk's median is N× faster than the peer's median in this run.\n")
    print(table(rows))
    print("\n§5.2 targets:")
    for g in goals:
        print("  " + g)


def query(path):
    t, _ = load(path)
    rows = []
    labels = {"owner": "owner of a file", "list": "list installed"}
    peer = {"owner": ("pacman -Qo", "dpkg -S"), "list": ("pacman -Q", "dpkg-query -W")}
    keys = sorted({(s, op) for (s, op, _tool) in t},
                  key=lambda k: (k[1].split("-")[0] != "owner", k[0], k[1]))
    for size, op in keys:
        what, temp = op.split("-")
        g = lambda tool: t.get((size, op, tool), [])
        sp, pm, dp = g("spk"), g("pacman"), g("dpkg")
        limit = {("owner", "warm"): 0.005, ("owner", "cold"): 0.050,
                 ("list", "warm"): 0.005, ("list", "cold"): 0.020}[(what, temp)]
        src = {("list", "cold"): " (§5.2 G5)"}.get((what, temp), "")
        m = med(sp)
        rows.append(("%s, %s, %s (%s / %s)" % (labels[what], size, temp, *peer[what]),
                     cell(sp, temp == "warm", (size, op, "spk")),
                     cell(pm, temp == "warm", (size, op, "pacman")),
                     cell(dp, temp == "warm", (size, op, "dpkg")),
                     "≤ %s%s" % (fmt_s(limit), src),
                     "n/a" if m is None else "%s" % ("yes" if m <= limit else "NO")))
    print("Warm: median (min–max, mean) of hyperfine runs; cold: median (min–max) of single")
    print("runs each after `sync; echo 3 > /proc/sys/vm/drop_caches`. Goals judged on the median.")
    print("cpu (warm) = hyperfine's mean user+system time per call.\n")
    print(table(rows))


if __name__ == "__main__":
    if sys.argv[1] == "install":
        install(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        query(sys.argv[2])
