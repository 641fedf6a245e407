#!/usr/bin/env python3
"""Cold and warm builds: how long `carebook build` takes with the build cache of the last build.

usage: bench/warm.py CAREBOOK SITE OUT [--runs 5]

Removes OUT, its cache (`.<name>.cache` beside it) and its parse store (`.<name>.parsed`), then
times, RUNS times each:
  cold       a build with no earlier output, cache or parse store (removed before each run; the
             memo `.<name>.memo` stays, as before the parse store);
  warm-none  a build with nothing changed since the last one;
  warm-one   a build after one guide's body changed (a sentence added, alternately removed).
Prints one TSV line per measure: name, median ms, min, max, what the build said it took again
(`not rendered again`), the median CPU time (user + sys) in ms and the load average (1 min) before
the measure's first run. Wall time of the whole process, as a user sees it; CPU time, for a machine
shared with other work (on 2 busy cores the wall time is mostly waiting).
The site's files are restored afterwards.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import resource
import time


def build(carebook, site, out):
    def cpu():
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    c0, t0 = cpu(), time.perf_counter()
    p = subprocess.run([carebook, "build", "--root", site, "--out", out], capture_output=True, text=True)
    ms, cpu_ms = (time.perf_counter() - t0) * 1e3, (cpu() - c0) * 1e3
    if p.returncode != 0:
        sys.exit(f"build failed: {p.stderr}")
    m = re.search(r"(\d+) of them not rendered again", p.stderr)
    return ms, int(m.group(1)) if m else -1, cpu_ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("carebook")
    ap.add_argument("site")
    ap.add_argument("out")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    beside = [os.path.join(os.path.dirname(out), "." + os.path.basename(out) + e) for e in (".cache", ".parsed")]

    def clean():
        shutil.rmtree(out, ignore_errors=True)
        for path in beside:
            if os.path.exists(path):
                os.remove(path)

    guides = os.path.join(a.site, "content", "guides")
    names = sorted(f for f in os.listdir(guides) if f.endswith(".md"))
    path = os.path.join(guides, names[len(names) // 2])
    original = open(path, encoding="utf-8").read()
    results = {"cold": [], "warm-none": [], "warm-one": []}
    cpus = {k: [] for k in results}
    reused, load = {}, {}

    def timed(label):
        load.setdefault(label, os.getloadavg()[0])
        ms, r, cpu_ms = build(a.carebook, a.site, out)
        results[label].append(ms)
        cpus[label].append(cpu_ms)
        reused[label] = r

    try:
        for _ in range(a.runs):
            clean()
            timed("cold")
            reused["cold"] = 0
        for _ in range(a.runs):
            timed("warm-none")
        for i in range(a.runs):
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + (f"\nA sentence added for run {i}.\n" if i % 2 == 0 else ""))
            timed("warm-one")
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    for label, xs in results.items():
        print(f"{label}\t{statistics.median(xs):.0f}\t{min(xs):.0f}\t{max(xs):.0f}\t{reused[label]}"
              f"\t{statistics.median(cpus[label]):.0f}\t{load[label]:.1f}")


if __name__ == "__main__":
    main()
