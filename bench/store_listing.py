"""What listing the store costs a page run, by the number of model folders: a full scan (every folder looked at, none
read again) against the process's kept listing (ae_core/store/cached_listing.cached_scan). Prints one JSON line.

For each size, a fresh temporary trained folder holds copies of the shipped dense-64 (hard links, under other names)
beside the six shipped models; the first scan reads them all, then the script waits out RACY_SECONDS (a listing made
in the tick of a change is not kept) and times warm listings: the median of --repeats full scans and of 1,000
cached_scan() calls, and the file-system calls each makes (os.stat, os.lstat, os.scandir, os.open). `ratio` is the
largest size's time over the smallest's.

Usage: `.venv/bin/python bench/store_listing.py [--sizes 12 1000] [--repeats 20]`
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ae_core import store
from ae_core.store import cached_listing

COUNTED = ("stat", "lstat", "scandir", "open", "listdir")
CACHED_CALLS = 1000


def fill(trained: Path, count: int) -> None:
    source = store.shipped_dir() / "dense-64"
    for number in range(count):
        folder = trained / f"stored-{number:04d}"
        folder.mkdir()
        for path in source.iterdir():
            try:
                os.link(path, folder / path.name)
            except OSError:  # another file system
                shutil.copy2(path, folder / path.name)


def calls_of(function) -> Counter:
    counts = Counter()
    originals = {name: getattr(os, name) for name in COUNTED}

    def counting(name):
        def call(*args, **kwargs):
            counts[name] += 1
            return originals[name](*args, **kwargs)
        return call

    for name in COUNTED:
        setattr(os, name, counting(name))
    try:
        function()
    finally:
        for name, original in originals.items():
            setattr(os, name, original)
    return counts


def median_ms(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(size: int, repeats: int) -> dict:
    shipped = len(store.scan().models)
    with tempfile.TemporaryDirectory(prefix="ae-lab-listing-") as scratch:
        os.environ[store.TRAINED_DIR_ENV] = scratch
        fill(Path(scratch), size - shipped)
        assert len(store.scan().models) == size  # every folder read once
        time.sleep(cached_listing.RACY_SECONDS + 0.1)
        store.cached_scan()  # now kept
        result = {"folders": size, "scan_ms": round(median_ms(store.scan, repeats), 3),
                  "cached_scan_ms": round(median_ms(store.cached_scan, CACHED_CALLS), 4),
                  "scan_calls": dict(calls_of(store.scan)), "cached_scan_calls": dict(calls_of(store.cached_scan))}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[12, 1000], help="model folders in the store")
    parser.add_argument("--repeats", type=int, default=20, help="full scans timed per size")
    args = parser.parse_args()
    if min(args.sizes) < 6 or args.repeats < 1:
        parser.error("a size is at least the six shipped models; --repeats at least 1")
    results = [measure(size, args.repeats) for size in args.sizes]
    first, last = results[0], results[-1]
    print(json.dumps({"sizes": results,
                      "scan_ratio": round(last["scan_ms"] / first["scan_ms"], 2),
                      "cached_scan_ratio": round(last["cached_scan_ms"] / first["cached_scan_ms"], 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
