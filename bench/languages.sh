#!/usr/bin/env bash
# The build with two languages (#20): the benchmark corpus (gen_corpus.py) at N guides in English,
# against the same corpus with a copy of every file under content/ru/ and a [languages.ru] table:
# twice the pages. Time and memory per guide built must be no worse with two languages than with
# one. The copy keeps the English text (only the folder makes it Russian), so its words go through
# the Russian stemmer without Cyrillic vowels to strip: stemming costs less than real Russian text.
# The copies carry no `translated_from`, so `check` warns once per file; the warnings are printed
# as in any build.
#
# usage: bench/languages.sh [WORKDIR]   (default WORKDIR: /tmp/carebook-bench)
# environment (optional): N=10000 RUNS=5 WARMUP=1 SHARED=../shared/bench (as bench/run.sh)
#
# Writes the section between <!-- languages:begin --> and <!-- languages:end --> of
# bench/RESULTS.md (bench/run.sh keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=$(mkdir -p "${1:-/tmp/carebook-bench}" && cd "${1:-/tmp/carebook-bench}" && pwd)
SHARED=$(cd "${SHARED:-$REPO/../shared/bench}" && pwd) || { echo "no shared bench tools; set SHARED" >&2; exit 2; }
N=${N:-10000}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
CAREBOOK="$REPO/target/release/carebook"

C="$WORK/corpus"
ONE="$C/carebook-$N"
TWO="$C/carebook-$N-ru"
[ -d "$ONE" ] || python3 "$SHARED/gen_corpus.py" --flavor carebook --n "$N" --out "$ONE" >/dev/null
if [ ! -d "$TWO" ]; then
  mkdir -p "$TWO/content/ru"
  cp -r "$ONE/content/." "$TWO/content/"
  for d in "$ONE"/content/*/; do cp -r "$d" "$TWO/content/ru/"; done
  rm -rf "$TWO/content/ru/ru"
  cp "$ONE/carebook.toml" "$TWO/carebook.toml"
  # The table `carebook init --lang ru` writes: every per-language word in Russian.
  cat "$REPO/src/init/ru/languages.toml" >> "$TWO/carebook.toml"
fi
for S in "$ONE" "$TWO"; do rm -rf "$S/themes" && cp -r "$REPO/themes" "$S/themes"; done

OUT="$WORK/out-languages"
if [ -e "$OUT" ]; then
  rm -rf "$OUT"; sync
  echo "waiting ${SETTLE:-390} s after deleting old outputs (ext4 inode reuse)"; sleep "${SETTLE:-390}"
fi
RESULTS="$WORK/languages.tsv"; RATIOS="$WORK/languages-ratios.tsv"; rm -f "$RESULTS" "$RATIOS"
python3 "$SHARED/measure.py" --n "$N" --runs "$RUNS" --warmup "$WARMUP" --out-base "$OUT" \
  --results "$RESULTS" --ratios "$RATIOS" \
  --cmd "build-1-language-$N" "$CAREBOOK build --root $ONE --out {out}" \
  --cmd "build-2-languages-$N" "$CAREBOOK build --root $TWO --out {out}" \
  --ratio "build-2-languages-$N/build-1-language-$N"

SECTION=$(python3 - "$RESULTS" "$RATIOS" "$N" "$(uptime | sed 's/.*load average: //')" <<'PY'
import csv, sys
results, ratios, n, load = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = {r["label"]: r for r in csv.DictReader(open(results), delimiter="\t")}
ratio = next(csv.DictReader(open(ratios), delimiter="\t"))
one, two = rows[f"build-1-language-{n}"], rows[f"build-2-languages-{n}"]
per = lambda r, k, guides: float(r[k]) / guides
print("<!-- languages:begin -->")
print("## Two languages (`bench/languages.sh`, #20)\n")
print(f"The corpus at {n} guides (with its symptoms and causes), then the same with a copy of every file in")
print("`content/ru/` and a `[languages.ru]` table: twice the guides. Per guide built (target: two languages no")
print(f"worse than one); load average at the end: {load}.\n")
print("| build | guides built | median wall (s) | ms per guide | peak RSS (MiB) | KiB per guide | files |")
print("|---|---:|---:|---:|---:|---:|---:|")
for r, g in ((one, n), (two, 2 * n)):
    print(f"| {r['label']} | {g} | {float(r['wall_median_s']):.3f} | {1000 * per(r, 'wall_median_s', g):.3f} "
          f"| {float(r['rss_median_mib']):.1f} | {1024 * per(r, 'rss_median_mib', g):.1f} | {r['out_files']} |")
wall_ratio = float(ratio["wall_ratio_median"])
mem_ratio = float(two["rss_median_mib"]) / float(one["rss_median_mib"])
print(f"\nTwo languages / one, per guide: wall {wall_ratio / 2:.2f}× (paired median over rounds, "
      f"{ratio['wall_ratio_min']}–{ratio['wall_ratio_max']} for the whole build), peak memory {mem_ratio / 2:.2f}×.")
print(f"Target met: {'yes' if wall_ratio / 2 <= 1 and mem_ratio / 2 <= 1 else 'no'}.")
print("<!-- languages:end -->")
PY
)
python3 - "$REPO/bench/RESULTS.md" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
pattern = re.compile(r"<!-- languages:begin -->.*?<!-- languages:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
echo "$SECTION"
