#!/usr/bin/env python3
"""What a guide page costs to download, and what the whole output weighs: the page-bytes benchmark.

usage: bench/page_bytes.py LABEL N OUT_DIR

For every guide page of a built site (carebook: guides/<id>.html; Hugo: guides/<id>/index.html)
it measures, gzip level 6 as web servers send it:
  html        the page itself
  first       the page with every style sheet and script it loads up front (a first visit)
  repeated    the page outside <main> (header, navigation, footer): what every page repeats
and prints one TSV row: label, n, the medians of html, first and repeated (gzip bytes), the raw
median html bytes, total output bytes and files (as measure.py counts them), the largest file, and
the bytes of the parts Hugo's output has no counterpart for: the print books (print-N.html) and the
offline search index (search/), and the build cache (.carebook-build), so that the output can be
compared with and without them.
"""
import gzip
import os
import re
import statistics
import sys

label, n, out = sys.argv[1], sys.argv[2], sys.argv[3]


def gz(data):
    return len(gzip.compress(data, 6))


def guide_pages():
    g = os.path.join(out, "guides")
    for name in sorted(os.listdir(g)):
        p = os.path.join(g, name)
        if name.endswith(".html") and name != "index.html":
            yield p
        elif os.path.isdir(p) and os.path.exists(os.path.join(p, "index.html")):
            yield os.path.join(p, "index.html")


asset_gz = {}


def asset(page, href):
    """The gzip size of a local file the page loads up front (0 for a remote or missing one)."""
    if "://" in href:
        return 0
    p = os.path.normpath(os.path.join(os.path.dirname(page), href.split("#")[0].split("?")[0]))
    if p not in asset_gz:
        asset_gz[p] = gz(open(p, "rb").read()) if os.path.isfile(p) else 0
    return asset_gz[p]


LOADED = re.compile(rb'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"')
html, first, repeated, raw = [], [], [], []
for page in guide_pages():
    data = open(page, "rb").read()
    raw.append(len(data))
    html.append(gz(data))
    head = data.split(b"</head>", 1)[0]
    first.append(html[-1] + sum(asset(page, (m.group(1) or m.group(2)).decode()) for m in LOADED.finditer(head)))
    start, end = data.find(b"<main"), data.find(b"</main>")
    repeated.append(gz(data[:start] + data[end:]) if start >= 0 and end > start else 0)

total, files, largest, extra = 0, 0, (0, ""), 0
EXTRA = re.compile(r"print(-\d+)?\.html$|search/|\.carebook-build$")
for root, _dirs, names in os.walk(out):
    for name in names:
        p = os.path.join(root, name)
        if os.path.isfile(p) and not os.path.islink(p):
            size = os.path.getsize(p)
            total += size
            files += 1
            rel = os.path.relpath(p, out).replace(os.sep, "/")
            largest = max(largest, (size, rel))
            extra += size if EXTRA.match(rel) else 0

med = lambda xs: int(statistics.median(xs)) if xs else 0
print("\t".join(map(str, [label, n, med(html), med(first), med(repeated), med(raw), total, files,
                          f"{largest[1]} ({largest[0]})", extra])))
