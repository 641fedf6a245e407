#!/usr/bin/env python3
"""How long `carebook serve` takes to show an edit: the live-preview benchmark.

usage: bench/serve_edit.py CAREBOOK SITE [--edits 7]

Starts `CAREBOOK serve --root SITE --port 0`, opens the reload event stream, then edits one guide's
title EDITS times. For each edit it measures, from the moment the file is written:
  reload   until the server sends its `reload` event (watcher debounce + rebuild);
  shown    until a GET of the guide's page returns the new title (what a reader waits for);
  rebuild  the rebuild time the server reports (`elapsed_ms`: check, model, a few probe pages).
Prints one TSV line per measure: name, median ms, min, max. The first (full) build is also shown.
The site's files are restored afterwards.
"""
import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time


def events(port):
    """Yields (event, data) from the server-sent event stream."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__carebook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
    buf = b""
    name, data = None, None
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            line = line.rstrip(b"\r").decode("utf-8", "replace")
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data = line[5:].strip()
            elif line == "" and name:
                yield name, data
                name, data = None, None


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read().decode("utf-8", "replace")
    c.close()
    return r.status, body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("carebook")
    ap.add_argument("site")
    ap.add_argument("--edits", type=int, default=7)
    a = ap.parse_args()

    guides = os.path.join(a.site, "content", "guides")
    name = sorted(f for f in os.listdir(guides) if f.endswith(".md"))[len(os.listdir(guides)) // 2]
    path = os.path.join(guides, name)
    page = "/guides/" + name[:-3] + ".html"
    original = open(path, encoding="utf-8").read()

    proc = subprocess.Popen([a.carebook, "serve", "--root", a.site, "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in proc.stderr:
            m = re.search(r"serving http://[^:]+:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
            if "built" in line:
                print("# first build: " + line.strip(), file=sys.stderr)
        if port is None:
            sys.exit("serve did not start")
        stream = events(port)
        first = next(stream)  # the current status
        print(f"# first build: {json.loads(first[1]).get('elapsed_ms')} ms", file=sys.stderr)
        get(port, page)
        reload_ms, shown_ms, rebuild_ms = [], [], []
        for i in range(a.edits):
            title = f"Edited {i} {time.time_ns()}"
            text = re.sub(r"(?m)^title: .*$", f"title: {title}", original, count=1)
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            for ev, data in stream:
                if ev == "reload":
                    break
                if ev == "errors":
                    sys.exit(f"rebuild failed: {data}")
            t1 = time.perf_counter()
            status, body = get(port, page)
            t2 = time.perf_counter()
            if status != 200 or f"<title>{title}" not in body:
                sys.exit(f"edit {i}: the page does not show the new title (status {status})")
            reload_ms.append((t1 - t0) * 1e3)
            shown_ms.append((t2 - t0) * 1e3)
            rebuild_ms.append(float(json.loads(data)["elapsed_ms"]))
            time.sleep(0.3)
        for label, xs in (("reload", reload_ms), ("shown", shown_ms), ("rebuild", rebuild_ms)):
            print(f"{label}\t{statistics.median(xs):.0f}\t{min(xs):.0f}\t{max(xs):.0f}")
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
