#!/usr/bin/env python3
"""bench/search/run.sh's results as the Markdown "Search" section of bench/RESULTS.md."""
import json
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
print(f"\nIn headless Chromium ({browser[0]['browser'] if browser else 'not run'}), a guide page of {int(n):,} generated guides opened from file://,", end=" ")
print("every judged query typed a letter at a time into the page's search box (`bench/search/browser.mjs`; median of the runs):\n")
print("| engine | cold: first result after the first letter (ms) | its main-thread CPU (ms) | scripts loaded before it (bytes) | keystroke median (ms) | keystroke p95 (ms) | keystroke max (ms) | p95 of keystrokes that loaded a file (ms) | keystroke main-thread CPU median / p95 (ms) | JS heap of the page before searching (MiB) | JS heap after all queries (MiB) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for key, name in ENGINES:
    rows = [r for r in browser if r["engine"] == key]
    if not rows:
        continue
    print(
        f"| {name} | {med(rows, lambda r: r['cold_first_result_ms']):.0f} | {med(rows, lambda r: r.get('cold_first_result_cpu_ms', float('nan'))):.0f} | {med(rows, lambda r: r['bytes_before_first_result']):,.0f} | "
        f"{med(rows, lambda r: r['keystroke_ms']['median']):.2f} | {med(rows, lambda r: r['keystroke_ms']['p95']):.1f} | {med(rows, lambda r: r['keystroke_ms']['max']):.0f} | "
        f"{med(rows, lambda r: r['keystrokes_loading_files_ms']['p95'] or float('nan')):.1f} | {med(rows, lambda r: r.get('keystroke_cpu_ms', {}).get('median', float('nan'))):.1f} / {med(rows, lambda r: r.get('keystroke_cpu_ms', {}).get('p95', float('nan'))):.1f} | {med(rows, lambda r: r['heap_page_mib']):.1f} | {med(rows, lambda r: r['heap_after_all_queries_mib']):.1f} |"
    )
print("\nKeystroke: from the moment the search runs (after the box's 40 ms debounce) to its results in the page. Main-thread CPU:")
print("all the page's main thread did from the key press to the results (key events, the bench's DevTools calls, the search, the")
print("list), by Performance.getMetrics ThreadTime, which a busy machine does not lengthen: an upper bound of the search's own work.")
print("MiniSearch's page only lists titles (no snippets). nan: not measured.")

print(f"\nThe same in Node (`bench/search/bench.js`, no DOM: files read and run synchronously; each row the median of {len(runs) // 6 or 1} fresh processes):")
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
print("Goals (issue #16): first result < 150 ms cold, each keystroke < 16 ms, ≤ 500 KB loaded before the first result, < 50 MB memory.\n")
