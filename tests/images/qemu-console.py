#!/usr/bin/env python3
"""Drives a qemu guest through its serial console, like a tiny expect(1).

Usage: qemu-console.py [--log FILE] [--timeout SECONDS] [--script FILE] [STEP...] -- QEMU-COMMAND...

Steps come from --script FILE (one per line) and then from the arguments; they run in order:
  expect:REGEX   wait until REGEX (Python re, multiline) matches the console output after the
                 previous match; prints "+T.Ts matched REGEX" (seconds since qemu started)
  send:TEXT      write TEXT to the console; \\n and \\r escapes are decoded
  mark:NAME      print "+T.Ts mark NAME" (to time an interval)
After the last step the guest must end qemu by itself (e.g. after `poweroff`) within the
timeout; qemu's exit status is then ours. On a timeout the last 2000 bytes of output are
printed, qemu is killed and we exit 1. The whole console output goes to --log.
"""
import os
import re
import select
import signal
import subprocess
import sys
import time


def main(argv):
    log_path, timeout = None, 120.0
    steps = []
    i = 0
    while i < len(argv) and argv[i] != "--":
        a = argv[i]
        if a == "--log":
            log_path = argv[i + 1]
            i += 2
            continue
        if a == "--script":
            with open(argv[i + 1]) as f:
                for line in f.read().splitlines():
                    if line:
                        kind, _, arg = line.partition(":")
                        steps.append((kind, arg))
            i += 2
            continue
        if a == "--timeout":
            timeout = float(argv[i + 1])
            i += 2
            continue
        kind, _, arg = a.partition(":")
        if kind not in ("expect", "send", "mark"):
            print(f"qemu-console: unknown step '{a}'", file=sys.stderr)
            return 2
        steps.append((kind, arg))
        i += 1
    cmd = argv[i + 1:]
    for kind, arg in steps:
        if kind not in ("expect", "send", "mark"):
            print(f"qemu-console: unknown step '{kind}:{arg}'", file=sys.stderr)
            return 2
    if not cmd:
        print("qemu-console: no qemu command after --", file=sys.stderr)
        return 2

    log = open(log_path, "wb") if log_path else None
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    out = b""
    pos = 0

    def elapsed():
        return time.monotonic() - t0

    def pump(deadline):
        """Reads what qemu wrote until deadline; returns False at EOF."""
        nonlocal out
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        r, _, _ = select.select([p.stdout], [], [], min(left, 0.5))
        if not r:
            return True
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            return False
        out += chunk
        if log:
            log.write(chunk)
            log.flush()
        return True

    def give_up(why):
        tail = out[-2000:].decode("utf-8", "replace")
        print(f"qemu-console: {why} after {elapsed():.1f}s; last output:\n{tail}", file=sys.stderr)
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
        return 1

    deadline = t0 + timeout
    for kind, arg in steps:
        if kind == "mark":
            print(f"+{elapsed():.1f}s mark {arg}", flush=True)
        elif kind == "send":
            text = arg.replace("\\n", "\n").replace("\\r", "\r")
            try:
                p.stdin.write(text.encode())
                p.stdin.flush()
            except BrokenPipeError:
                return give_up(f"qemu exited before send:{arg}")
        else:
            rx = re.compile(arg.encode(), re.M)
            while True:
                m = rx.search(out, pos)
                if m:
                    pos = m.end()
                    print(f"+{elapsed():.1f}s matched {arg}", flush=True)
                    break
                if time.monotonic() >= deadline:
                    return give_up(f"timeout waiting for /{arg}/")
                if not pump(deadline):
                    return give_up(f"qemu exited while waiting for /{arg}/")
    while p.poll() is None:
        if time.monotonic() >= deadline:
            return give_up("timeout waiting for qemu to exit")
        if not pump(deadline):
            break
    rc = p.wait()
    print(f"+{elapsed():.1f}s qemu exited with status {rc}", flush=True)
    if log:
        log.close()
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
