#!/usr/bin/env python3
"""Markdown section for bench/RESULTS.md from bench/arch_pairs.sh's measurements.

usage: arch_report.py ARCH_TSV IDENTITY_TSV "label:parent:change ..."

One row per architecture change: its commit and parent, the instructions of build and check at
each size (parent -> change, and the ratio change/parent), the peak RSS of the native build, and
whether the output stayed byte-identical. A change passes when every ratio measured is at most
1.05 (#15: "build and check times within 5 % of before").
"""

import csv
import subprocess
import sys
from datetime import datetime, timezone

LIMIT = 1.05

# Which commits are pairs and why (written by hand; the default PAIRS of bench/arch_pairs.sh).
NOTES = """
Pairs: every merge of #15's branches on main (arch-edges 1391d0e, tests-ci 4bdcf82, core
3e5022b, core2 3e955bb, arch cb91f07, 00406a6 and bd8e6fe) against its first parent, and the
#15 commits made straight on main: the render/ split (c74b5c3), the output sink (55a4715) and
the one run() entry (19c6239), each against its parent and the three at once (render-to-run);
0532f77-fa5ac28 (pub(crate), the last functions over 80 lines, LinkNo: five commits in a row),
db19162-e3dd488 (one decoder and escaper, FsContext, one span helper: five in a row),
74b5a98-36e192a (parse/ as a folder), fb5e697 (one hash_of for cache keys: not tagged #15, but
a one-helper change of #15's kind) and a103c50 (no bare usize across modules). Left out:
commits that change no binary (docs and tests: 0dff6c8, 81daf04, 24bd4c8, 8025418, 6c095b4,
the scratch field 34dd420 and its revert), 1f2a23f (tagged #15 but a speed change of the speed
branch: the front matter read only up to its closing ---), clippy-only type names (fee8065,
3aee4cb) and cargo fmt (9b51d42). "Before" for #15 is aaaf47a, the parent of its first merge.
Build instructions at 10k are counted only where a counted 10k build takes minutes: before the
speed work a 1k build ran ~9 G instructions (~90 G at 10k, tens of minutes under valgrind on
this shared machine); elsewhere the 1k ratio stands for the build and the 10k check and peak RSS
are given. The ratios multiply to the rework's whole effect; the cost between aaaf47a and today
is later features (search index, print books, build cache, languages, service worker) and the
speed work, which no pair contains. A pair "not measured" was not built in the session that
wrote this table (a release build took 4-10 minutes on the shared 2 cores); the script measures
it when given the time.
"""


def short(rev):
    return subprocess.run(["git", "rev-parse", "--short=7", rev], capture_output=True, text=True,
                          check=True).stdout.strip()


def giga(ir):
    return f"{int(ir) / 1e9:.3f}"


def main():
    tsv, identity, pairs = sys.argv[1], sys.argv[2], sys.argv[3].split()
    rows = {}
    loads = []
    with open(tsv) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            rows[(r["commit"], int(r["n"]))] = r
            loads.append(r["load"])
    ident = {}
    with open(identity) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            ident[r["label"]] = r
    sizes = sorted({n for (_, n) in rows})
    out = ["<!-- arch:begin -->", "## Architecture changes (#15), each against the code before it", ""]
    out.append(
        "`bench/arch_pairs.sh`: each #15 change on main against its first parent, same corpus "
        "(gen_corpus.py carebook, each commit's own themes/). Instructions: valgrind cachegrind, all "
        "threads, in G (10^9), parent → change (ratio); repeat runs agree to ~0.1 %. Peak RSS: "
        "native build, MiB. Identical: `diff -r` of the outputs, 1k corpus / shipped site. "
        f"Written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; load average during the runs "
        f"{min(float(l.split()[0]) for l in loads):.1f}-{max(float(l.split()[0]) for l in loads):.1f} "
        "(instruction counts do not depend on it). Peak RSS is one run's: four runs of one binary "
        "at 1k spread over 54-62 MiB here, so only a larger change in it means something.")
    out.append("")
    head = ["change", "commit ← parent"]
    for kind in ("build", "check"):
        for n in sizes:
            head.append(f"{kind} Ir {n // 1000}k")
    head += [f"build peak RSS {n // 1000}k" for n in sizes]
    head += ["identical", "≤ 5 %"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    worst, fails, unmeasured, product = [], [], [], {}
    steps = [tuple(short(x) for x in p.split(":")[1:]) for p in pairs]

    def covered(a, b, kind, n):
        """True when other measured pairs lead from a to b (a pair that sums them up is not
        multiplied into the product twice)."""
        def ok(c):
            r = rows.get((c, n))
            return r is not None and r[kind] != "-"
        here = a
        while here != b:
            nxt = [y for (x, y) in steps if x == here and (x, y) != (a, b) and ok(x) and ok(y)]
            if not nxt:
                return False
            here = nxt[0]
        return True
    for p in pairs:
        label, a, b = p.split(":")
        a, b = short(a), short(b)
        cells = [label, f"{b} ← {a}"]
        ok, measured = True, False
        for kind in ("build_ir", "check_ir"):
            for n in sizes:
                ra, rb = rows.get((a, n)), rows.get((b, n))
                if not ra or not rb or ra[kind] == "-" or rb[kind] == "-":
                    cells.append("–")
                    continue
                ratio = int(rb[kind]) / int(ra[kind])
                measured = True
                if not covered(a, b, kind, n):
                    product[(kind, n)] = product.get((kind, n), 1.0) * ratio
                worst.append((ratio, label, kind, n))
                if ratio > LIMIT:
                    ok = False
                cells.append(f"{giga(ra[kind])} → {giga(rb[kind])} ({ratio:.3f})")
        for n in sizes:
            ra, rb = rows.get((a, n)), rows.get((b, n))
            if ra and rb and ra["build_kib"].isdigit() and rb["build_kib"].isdigit():
                cells.append(f"{int(ra['build_kib']) // 1024} → {int(rb['build_kib']) // 1024}")
            else:
                cells.append("–")
        i = ident.get(label, {})
        cells.append(f"{i.get('corpus', '?')} / {i.get('shipped_site', '?')}")
        cells.append("**fail**" if not ok else "pass" if measured else "not measured")
        if not measured:
            unmeasured.append(label)
        if not ok:
            fails.append(label)
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    if worst:
        r, label, kind, n = max(worst)
        prod = ", ".join(f"{k.split('_')[0]} {n // 1000}k {v:.3f}" for (k, n), v in sorted(product.items()))
        verdict = "pass" if not fails else "fail (" + ", ".join(fails) + ")"
        out.append(f"**Within 5 %: {verdict}.** Largest ratio {r:.3f} ({label}, {kind.split('_')[0]} at "
                   f"{n // 1000}k). Product of the ratios over all changes measured (the rework's "
                   f"own share of today's cost): {prod}."
                   + (f" Not measured: {', '.join(unmeasured)}." if unmeasured else ""))
    out.append("")
    out.append(NOTES.strip())
    out.append("<!-- arch:end -->")
    print("\n".join(out))


if __name__ == "__main__":
    main()
