#!/usr/bin/env python3
"""How long `carebook serve` takes to show an edit: the live-preview benchmark.

usage: bench/serve_edit.py CAREBOOK SITE [--edits 7] [--kinds body,title,flag]

Starts `CAREBOOK serve --root SITE --port 0`, opens the reload event stream, then edits one guide
EDITS times for each kind of edit:
  body     a sentence added to the body: shown when the guide's page has it;
  title    the title changed: shown when the guide's page has the new title;
  flag     the first red flag's sign reworded: shown when the doctor index
           (when-to-see-a-doctor.html, which lists every guide's signs) has it.
For each edit it measures, from the moment the file is written:
  reload   until the server sends its `reload` event (the rebuild, started 5 ms after the save,
           shown once no change came for the 25 ms debounce);
  shown    until a GET of the page returns the edit (what a reader waits for);
  rebuild  the rebuild time the server reports (`elapsed_ms`: check, model, a few probe pages).
Prints one TSV line per measure: `<kind>-<measure>`, median ms, min, max. The first (full) build
is also shown. The site's files are restored afterwards.
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
    ap.add_argument("--kinds", default="body,title,flag")
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
        get(port, "/when-to-see-a-doctor.html")
        for kind in a.kinds.split(","):
            reload_ms, shown_ms, rebuild_ms = [], [], []
            for i in range(a.edits):
                mark = f"Edited {kind} {i} {time.time_ns()}"
                if kind == "title":
                    text, target, want = re.sub(r"(?m)^title: .*$", f"title: {mark}", original, count=1), page, f"<title>{mark}"
                elif kind == "body":
                    text, target, want = original.rstrip("\n") + f"\n\n{mark}.\n", page, mark
                elif kind == "flag":
                    text = re.sub(r"(?m)^(\s*- sign: ).*$", lambda m: m.group(1) + mark, original, count=1)
                    target, want = "/when-to-see-a-doctor.html", mark
                else:
                    sys.exit(f"unknown kind of edit: {kind}")
                if text == original:
                    sys.exit(f"{kind}: nothing to edit in {path}")
                t0 = time.perf_counter()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                # A save can come as two bursts (the file emptied, then written), and a reload of
                # the last edit's second one may still be on its way: the edit is shown once a
                # reload's page has it (never more than a few reloads).
                for attempt in range(5):
                    for ev, data in stream:
                        if ev == "reload":
                            break
                        if ev == "errors" and attempt == 0 and "empty" not in data:
                            sys.exit(f"rebuild failed: {data}")
                    t1 = time.perf_counter()
                    status, body = get(port, target)
                    t2 = time.perf_counter()
                    if status == 200 and want in body:
                        break
                else:
                    sys.exit(f"{kind} edit {i}: {target} does not show it (status {status})")
                reload_ms.append((t1 - t0) * 1e3)
                shown_ms.append((t2 - t0) * 1e3)
                rebuild_ms.append(float(json.loads(data)["elapsed_ms"]))
                time.sleep(0.3)
            for label, xs in (("reload", reload_ms), ("shown", shown_ms), ("rebuild", rebuild_ms)):
                print(f"{kind}-{label}\t{statistics.median(xs):.0f}\t{min(xs):.0f}\t{max(xs):.0f}", flush=True)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
