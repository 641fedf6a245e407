#!/usr/bin/env python3
"""Cold and warm builds: how long `carebook build` takes with the build cache of the last build.

usage: bench/warm.py CAREBOOK SITE OUT [--runs 5]

Removes OUT and its cache (`.<name>.cache` beside it), then times, RUNS times each:
  cold       a build with no earlier output and no cache (both removed before each run);
  warm-none  a build with nothing changed since the last one;
  warm-one   a build after one guide's body changed (a sentence added, alternately removed).
Prints one TSV line per measure: name, median ms, min, max, and what the build said it took again
(`not rendered again`). Wall time of the whole process, as a user sees it.
The site's files are restored afterwards.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time


def build(carebook, site, out):
    t0 = time.perf_counter()
    p = subprocess.run([carebook, "build", "--root", site, "--out", out], capture_output=True, text=True)
    ms = (time.perf_counter() - t0) * 1e3
    if p.returncode != 0:
        sys.exit(f"build failed: {p.stderr}")
    m = re.search(r"(\d+) of them not rendered again", p.stderr)
    return ms, int(m.group(1)) if m else -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("carebook")
    ap.add_argument("site")
    ap.add_argument("out")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    cache = os.path.join(os.path.dirname(out), "." + os.path.basename(out) + ".cache")

    def clean():
        shutil.rmtree(out, ignore_errors=True)
        if os.path.exists(cache):
            os.remove(cache)

    guides = os.path.join(a.site, "content", "guides")
    names = sorted(f for f in os.listdir(guides) if f.endswith(".md"))
    path = os.path.join(guides, names[len(names) // 2])
    original = open(path, encoding="utf-8").read()
    results = {"cold": [], "warm-none": [], "warm-one": []}
    reused = {}
    try:
        for _ in range(a.runs):
            clean()
            results["cold"].append(build(a.carebook, a.site, out)[0])
        for _ in range(a.runs):
            ms, r = build(a.carebook, a.site, out)
            results["warm-none"].append(ms)
            reused["warm-none"] = r
        for i in range(a.runs):
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + (f"\nA sentence added for run {i}.\n" if i % 2 == 0 else ""))
            ms, r = build(a.carebook, a.site, out)
            results["warm-one"].append(ms)
            reused["warm-one"] = r
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    for label, xs in results.items():
        print(f"{label}\t{statistics.median(xs):.0f}\t{min(xs):.0f}\t{max(xs):.0f}\t{reused.get(label, 0)}")


if __name__ == "__main__":
    main()
