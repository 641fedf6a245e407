#!/usr/bin/env bash
# Search benchmark: carebook's sharded index against MiniSearch and lunr, on the shipped site
# (ranking quality on the judged queries of tests/search/queries.json) and on a generated site of
# N guides (typing speed, bytes loaded, memory). Writes the "Search" section of bench/RESULTS.md.
#
# usage: bench/search/run.sh [WORKDIR]       (default WORKDIR: /tmp/carebook-search-bench)
# environment: N=10000 (guides), SHARED=../shared/bench (where gen_corpus.py lives), RUNS=3
#              (fresh Node processes per engine and site; the table shows their median),
#              CAREBOOK (default: target/release/carebook, built when missing),
#              NODE_PEERS_BIG=0 (skip MiniSearch and lunr in Node on the N guides: tens of minutes),
#              BROWSER_PEER_RUNS=1 (fresh browsers for MiniSearch, 6-20 minutes each here: BROWSER_RUNS is carebook's),
#              BROWSER_PEERS=0 (skip MiniSearch in Chromium: 6-20 minutes by the load; the section then shows
#              the earlier run kept in bench/search/minisearch-chromium-2026-12-02.json, marked so)
# MiniSearch, lunr and puppeteer-core are installed into bench/search/node_modules (npm ci); the
# tests do not need them. The browser part drives headless Chromium (CAREBOOK_CHROMIUM, default
# /usr/bin/chromium) on the generated site: BROWSER_RUNS=1 fresh browsers for carebook (BROWSER_PEER_RUNS for MiniSearch).
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_START BENCH_LOAD_START BENCH_END RUNS="${RUNS:-3}" BROWSER_RUNS="${BROWSER_RUNS:-1}"
export NODE_PEERS_BIG="${NODE_PEERS_BIG:-1}" BROWSER_PEERS="${BROWSER_PEERS:-1}" BROWSER_PEER_RUNS="${BROWSER_PEER_RUNS:-1}"
BENCH_START=$(date -u '+%Y-%m-%d %H:%M UTC')
BENCH_LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
REPO=$(pwd)
WORK=$(mkdir -p "${1:-/tmp/carebook-search-bench}" && cd "${1:-/tmp/carebook-search-bench}" && pwd)
SHARED=$(cd "${SHARED:-$REPO/../shared/bench}" && pwd) || { echo "no shared bench tools; set SHARED" >&2; exit 2; }
N=${N:-10000}
CAREBOOK=${CAREBOOK:-$REPO/target/release/carebook}
[ -x "$CAREBOOK" ] || cargo build --release --quiet
[ -d bench/search/node_modules/puppeteer-core ] || (cd bench/search && npm ci --no-audit --no-fund --silent)

# The shipped site, and a generated one of N guides.
rm -rf "$WORK/shipped" "$WORK/big-public"
"$CAREBOOK" build --root "$REPO" --out "$WORK/shipped" >/dev/null
[ -d "$WORK/big/content" ] || python3 "$SHARED/gen_corpus.py" --flavor carebook --n "$N" --out "$WORK/big" >/dev/null
"$CAREBOOK" build --root "$WORK/big" --out "$WORK/big-public" >/dev/null

node bench/search/bench.js quality "$WORK/shipped" > "$WORK/quality.json"
: > "$WORK/speed.jsonl"
for site in shipped big-public; do
  for engine in carebook minisearch lunr; do
    [ "$engine" = carebook ] || [ "$site" = shipped ] || [ "$NODE_PEERS_BIG" != 0 ] || continue
    # The peers' serialized index is made once, outside the timed processes.
    [ "$engine" = carebook ] || node bench/search/bench.js prepare "$engine" "$WORK/$site"
    for run in $(seq 1 "$RUNS"); do
      node --expose-gc bench/search/bench.js speed "$engine" "$WORK/$site" | sed "s/^{/{\"site\":\"$site\",\"run\":$run,/" >> "$WORK/speed.jsonl"
    done
  done
done
: > "$WORK/browser.jsonl"
for engine in carebook minisearch; do
  [ "$engine" = carebook ] || [ "$BROWSER_PEERS" != 0 ] || continue
  runs=$BROWSER_RUNS
  [ "$engine" = carebook ] || runs=$BROWSER_PEER_RUNS
  for run in $(seq 1 "$runs"); do
    node bench/search/browser.mjs "$engine" "$WORK/big-public" | sed "s/^{/{\"run\":$run,/" >> "$WORK/browser.jsonl"
  done
done
BENCH_END=$(date -u '+%H:%M UTC')
python3 bench/search/report.py "$WORK/quality.json" "$WORK/speed.jsonl" "$N" "$(du -sb "$WORK/big-public/search" | cut -f1)" \
  "$(ls "$WORK/big-public/search" | wc -l)" "$WORK/browser.jsonl" "$(cut -d' ' -f1-3 /proc/loadavg)" > "$WORK/section.md"
python3 - "$REPO/bench/RESULTS.md" "$WORK/section.md" <<'PY'
import sys
path, section = sys.argv[1], open(sys.argv[2]).read()
begin, end = "<!-- search:begin -->", "<!-- search:end -->"
text = open(path).read() if __import__("os").path.exists(path) else ""
block = f"{begin}\n{section}{end}\n"
if begin in text and end in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end) + 1 :]
else:
    text = text.rstrip("\n") + "\n\n" + block
open(path, "w").write(text)
PY
cat "$WORK/section.md"
