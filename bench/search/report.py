#!/usr/bin/env python3
"""bench/search/run.sh's results as the Markdown "Search" section of bench/RESULTS.md."""
import json
import os
import statistics
import sys

quality_file, speed_file, n, index_bytes, index_files, browser_file, load = sys.argv[1:8]
quality = json.load(open(quality_file))
runs = [json.loads(line) for line in open(speed_file) if line.strip()]
ENGINES = [("carebook", "carebook (sharded BM25F)"), ("minisearch", "MiniSearch 7.2 (fuzzy 0.2 + prefix)"), ("lunr", "lunr 2.3.9 (default)")]

print("## Search (issue #16)\n")
print("Written by `bench/search/run.sh` (do not edit by hand), on this machine", end=" ")
print(f"(load average at the end: {load}; 2 cores shared with other work, so times are upper bounds).\n")
print("Ranking on the shipped site, judged queries of `tests/search/queries.json`", end=" ")
q = quality["carebook"]
print(f"({q['queries']} queries: {q['answerable']} answerable, {q['no_answer']} the site cannot answer):\n")
print("| engine | hit@1 | hit@3 | MRR | answerable with no result | no-answer queries showing junk |")
print("|---|---:|---:|---:|---:|---:|")
for key, name in ENGINES:
    m = quality[key]
    print(f"| {name} | {m['hit1']} % | {m['hit3']} % | {m['mrr']:.3f} | {m['empty_answerable']} of {m['answerable']} | {m['junk_no_answer']} of {m['no_answer']} |")

def med(rows, f):
    values = [v for v in (f(r) for r in rows) if v == v]  # NaN: not measured in that run
    return statistics.median(values) if values else float("nan")

browser = [json.loads(line) for line in open(browser_file) if line.strip()]
# BROWSER_PEERS=0 (run.sh): MiniSearch was not run in Chromium this time; its row is the earlier
# run kept in this folder, marked as such.
EARLIER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "minisearch-chromium-2026-12-02.json")
earlier = None
if os.environ.get("BROWSER_PEERS", "1") == "0" and not any(r["engine"] == "minisearch" for r in browser):
    earlier = json.load(open(EARLIER))
nq = browser[0].get("queries", quality["carebook"]["queries"]) if browser else 0
print(f"\nIn headless Chromium ({browser[0]['browser'] if browser else 'not run'}), a guide page of {int(n):,} generated guides opened from file://,", end=" ")
print(f"every judged query ({nq}) typed a letter at a time into the page's search box (`bench/search/browser.mjs`; median of {len([r for r in browser if r['engine'] == 'carebook'])} fresh browsers):\n")
print("| engine | cold: first result after the key press (ms) | cold, from the focus (ms) | its main-thread CPU (ms) | scripts loaded before it (bytes) | keystroke median (ms) | keystroke p95 (ms) | keystroke max (ms) | p95 of keystrokes that loaded a file (ms) | keystroke main-thread CPU median / p95 (ms) | JS heap of the page before searching (MiB) | JS heap after all queries (MiB) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
NAN = float("nan")
for key, name in ENGINES:
    rows = [r for r in browser if r["engine"] == key]
    if key == "minisearch" and earlier:
        rows, name = [earlier], f"{name}, earlier run ({earlier['when']}, load {earlier['load']})"
    if not rows:
        continue
    print(
        f"| {name} | {med(rows, lambda r: r['cold_first_result_ms']):.0f} | {med(rows, lambda r: r.get('cold_first_result_from_focus_ms', NAN)):.0f} | "
        f"{med(rows, lambda r: r.get('cold_first_result_cpu_ms', NAN)):.0f} | {med(rows, lambda r: r['bytes_before_first_result']):,.0f} | "
        f"{med(rows, lambda r: r['keystroke_ms']['median']):.2f} | {med(rows, lambda r: r['keystroke_ms']['p95']):.1f} | {med(rows, lambda r: r['keystroke_ms']['max']):.0f} | "
        f"{med(rows, lambda r: r.get('keystrokes_loading_files_ms', {}).get('p95') or NAN):.1f} | {med(rows, lambda r: r.get('keystroke_cpu_ms', {}).get('median', NAN)):.1f} / {med(rows, lambda r: r.get('keystroke_cpu_ms', {}).get('p95', NAN)):.1f} | "
        f"{med(rows, lambda r: r['heap_page_mib']):.1f} | {med(rows, lambda r: r['heap_after_all_queries_mib']):.1f} |"
    )
print("\nCold: the box focused and the first letter typed at once (as fast as DevTools sends them; a reader's finger is slower,")
print("so this is the worst case); focusing loads search.js and then the index's root, the key press the rest. Keystroke: from")
print("the moment the search runs (after the box's 40 ms debounce, during which the key press has started loading the query's")
print("shards and the pages it will show) to its results in the page. Main-thread CPU: all the page's main thread did from the")
print("key press to the results (key events, the bench's DevTools calls, the search, the list, layout), by Performance.getMetrics")
print("ThreadTime, which a busy machine does not lengthen: an upper bound of the search's own work.")
print("MiniSearch's page only lists titles (no snippets). nan: not measured.")
loads = [x for r in browser for x in (r.get("load_start"), r.get("load_end")) if x is not None]
if loads:
    print(f"Load average (1 minute) during the Chromium runs: {min(loads):.1f} to {max(loads):.1f}.")

print(f"\nThe same in Node (`bench/search/bench.js`, no DOM: files read and run synchronously; each row the median of {len([r for r in runs if r['site'] == 'shipped' and r['engine'] == 'carebook']) or 1} fresh processes):")
for site, title in [("shipped", "the shipped site (62 pages)"), ("big-public", f"{int(n):,} generated guides (plus symptoms and causes)")]:
    print(f"\nTyping every judged query a letter at a time on {title}:\n")
    print("| engine | cold: first result after the first letter (ms) | bytes loaded before it | keystroke median (ms) | keystroke p95 (ms) | keystroke max (ms) | heap after the first result (MiB) | heap after all queries (MiB) | RSS (MiB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, name in ENGINES:
        rows = [r for r in runs if r["site"] == site and r["engine"] == key]
        if not rows:
            continue
        print(
            f"| {name} | {med(rows, lambda r: r['cold_first_result_ms']):.0f} | {med(rows, lambda r: r['bytes_before_first_result']):,.0f} | "
            f"{med(rows, lambda r: r['keystroke_ms']['median']):.2f} | {med(rows, lambda r: r['keystroke_ms']['p95']):.1f} | "
            f"{med(rows, lambda r: r['keystroke_ms']['max']):.0f} | {med(rows, lambda r: r.get('heap_after_first_mib', float('nan'))):.1f} | {med(rows, lambda r: r['heap_mib']):.1f} | {med(rows, lambda r: r['rss_mib']):.0f} |"
        )
print(f"\ncarebook's index at {int(n):,} guides: {int(index_bytes) / 1048576:.1f} MiB in {int(index_files):,} files under `search/`;")
print("a query reads `index.js`, the shards of its words and the documents it shows.")
print("Goals (issue #16): first result < 150 ms cold, each keystroke < 16 ms, ≤ 500 KB loaded before the first result, < 50 MB memory.")

# How this run was made, from what run.sh passed on (BENCH_START, BENCH_LOAD_START, the options).
env = os.environ.get
print(f"\n**How this run was made**: `bench/search/run.sh` from {env('BENCH_START', '?')} to {env('BENCH_END', '?')},", end=" ")
print(f"load average {env('BENCH_LOAD_START', '?')} at the start and {load} at the end, RUNS={env('RUNS', '3')}, BROWSER_RUNS={env('BROWSER_RUNS', '1')} (carebook), BROWSER_PEER_RUNS={env('BROWSER_PEER_RUNS', '1')} (MiniSearch).")
if env("NODE_PEERS_BIG", "1") == "0":
    print(f"MiniSearch and lunr in Node at {int(n):,} guides were not run (NODE_PEERS_BIG=0: they take tens of minutes on this machine).")
if earlier:
    print(f"MiniSearch in Chromium was not run (BROWSER_PEERS=0: 6-20 minutes here by the load); its row is the earlier run of {earlier['when']}")
    print(f"with the same generator (gen_corpus.py, {earlier['guides']:,} guides; all {earlier['queries']} queries, load {earlier['load']}), made before the CPU and from-focus columns existed.")
cb = [r for r in browser if r["engine"] == "carebook"]
if cb:
    cold = med(cb, lambda r: r["cold_first_result_ms"])
    focus = med(cb, lambda r: r.get("cold_first_result_from_focus_ms", NAN))
    cold_cpu = med(cb, lambda r: r.get("cold_first_result_cpu_ms", NAN))
    p95 = med(cb, lambda r: r["keystroke_ms"]["p95"])
    cpu95 = med(cb, lambda r: r.get("keystroke_cpu_ms", {}).get("p95", NAN))
    kb = med(cb, lambda r: r["bytes_before_first_result"]) / 1000
    heap = med(cb, lambda r: r["heap_after_all_queries_mib"])
    ok = lambda good: "met" if good else "NOT met"
    print(f"Against the goals, carebook in Chromium at {int(n):,} guides: cold first result {cold:.0f} ms from the key press ({focus:.0f} ms from")
    print(f"the focus; {cold_cpu:.0f} ms of main-thread CPU), goal < 150 ms: {ok(cold < 150)}; keystroke p95 {p95:.1f} ms, goal < 16 ms: {ok(p95 < 16)}")
    print(f"(main-thread CPU p95 {cpu95:.1f} ms, key events and DevTools calls included); {kb:.0f} KB of scripts before the first result, goal")
    print(f"≤ 500 KB: {ok(kb <= 500)}; JS heap {heap:.1f} MiB after all queries, goal < 50 MB: {ok(heap * 1.048576 < 50)}. Wall-clock times on a loaded machine")
    print("are upper bounds of an idle one's; the CPU columns are not lengthened by the load.")
print()
