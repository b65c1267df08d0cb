#!/usr/bin/env python3
"""Serve's own rebuild time for one edit made back and forth.

    serve_swap.py REFBOOK BOOK FILE A B [--times N] [--page P] [--pause S] [--all]

Starts `REFBOOK serve BOOK --port 0` with page P open (an event stream, as
the reload script opens it; default: the home page), then N times replaces
the text A in BOOK/FILE by B (its first occurrence; with --all, every one)
and, PAUSE seconds later, B by A; after each
write it prints what serve reported (the change seen and "rebuilt in ..."),
each line with the milliseconds since the write. For edits no field of
serve_bench.py makes (a line of model.yaml, say). The file is put back at
the end. A timing is never a test.
"""

import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_bench  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    for arg in ("refbook", "book", "file", "a", "b"):
        ap.add_argument(arg)
    ap.add_argument("--times", type=int, default=3)
    ap.add_argument("--page", default="index.html")
    ap.add_argument("--pause", type=float, default=2.5)
    ap.add_argument("--all", action="store_true", help="replace every occurrence, not the first")
    o = ap.parse_args()
    path = os.path.join(o.book, o.file)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    if o.a not in original:
        sys.exit(f"no {o.a!r} in {path}")
    proc, url, _ = serve_bench.start(o.refbook, o.book)
    lines = []

    def read():
        for line in proc.stdout:
            lines.append((time.perf_counter(), line.rstrip()))
    threading.Thread(target=read, daemon=True).start()
    serve_bench.keep_open(url, o.page)
    time.sleep(1.5)
    try:
        text = original
        for _ in range(o.times):
            for x, y in ((o.a, o.b), (o.b, o.a)):
                text = text.replace(x, y, -1 if o.all else 1)
                t0, seen = time.perf_counter(), len(lines)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                time.sleep(o.pause)
                for t, line in lines[seen:]:
                    if line.startswith(("changed", "rebuilt", "build failed")):
                        print(f"{(t - t0) * 1000:7.0f} ms  {line}")
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()


if __name__ == "__main__":
    main()
