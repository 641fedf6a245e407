#!/usr/bin/env bash
# The build with two languages (#20): the benchmark corpus (gen_corpus.py) at N guides in English,
# against the same corpus with a copy of every file under content/ru/ and a [languages.ru] table:
# twice the pages. Time and memory per guide built must be no worse with two languages than with
# one. The copy's function words ("the", "and") are Russian ones ("и", "в"), as in a real
# translation: Cyrillic text that the Russian index folds and then drops as stop words. (A copy of
# the English text alone kept the English stop words in the Russian index, more terms than either
# language has, and had no Cyrillic for the index to read: it hid the cost of reading Russian.)
# Its other words stay English, so they go through the Russian stemmer without Cyrillic vowels to
# strip: stemming costs less than real Russian text.
# Each copy is marked with `carebook translate mark` (as a translated site's files are), so the
# build checks every translation's drift and finds it up to date: no warning.
#
# usage: bench/languages.sh [WORKDIR]   (default WORKDIR: /tmp/carebook-bench)
# environment (optional): N=10000 RUNS=5 WARMUP=1 SHARED=../shared/bench (as bench/run.sh);
#   INSTR_N=1000: the corpus size for counting instructions with valgrind (0: not counted)
#
# Writes the section between <!-- languages:begin --> and <!-- languages:end --> of
# bench/RESULTS.md (bench/run.sh keeps it), keeping the notes written by hand after
# `<!-- languages:notes -->` in it.
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
# corpus N: makes $C/carebook-N (one language), $C/carebook-N-ru-stop-marked (two) and
# $C/carebook-N-ru-alone (the Russian copy alone, a site in Russian only) once.
corpus() {
  local one="$C/carebook-$1" two="$C/carebook-$1-ru-stop-marked" ru="$C/carebook-$1-ru-alone"
  [ -d "$one" ] || python3 "$SHARED/gen_corpus.py" --flavor carebook --n "$1" --out "$one" >/dev/null
  if [ ! -d "$two" ]; then
    rm -rf "$two.tmp"; mkdir -p "$two.tmp/content/ru"
    cp -r "$one/content/." "$two.tmp/content/"
    for d in "$one"/content/*/; do cp -r "$d" "$two.tmp/content/ru/"; done
    rm -rf "$two.tmp/content/ru/ru"
    # Function words as Russian text has them: each English stop word of the copy becomes a Russian
    # stop word (src/search/text.rs), so that the Russian index drops as many words as a real
    # translation's does (the copy's English ones were indexed: more terms than either language
    # has). Ids, links, keys and marks are left as they are.
    python3 - "$two.tmp/content/ru" "$REPO/src/search/text.rs" <<'PY'
import pathlib, re, sys
text = pathlib.Path(sys.argv[2]).read_text()
words = lambda name: re.findall(r'"([^"]+)"', re.search(name + r": &\[&str\] = &\[(.*?)\];", text, re.S).group(1))
en, ru = words("STOP_EN"), words("STOP_RU")
to_ru = {w: ru[i * 7 % len(ru)] for i, w in enumerate(en)}
pattern = re.compile(r"(?<![\w\-/.=])(" + "|".join(sorted(en, key=len, reverse=True)) + r")(?![\w\-/:=])", re.I)
def russian(m):
    w = to_ru[m.group(1).lower()]
    return w[:1].upper() + w[1:] if m.group(1)[:1].isupper() else w
for f in pathlib.Path(sys.argv[1]).rglob("*.md"):
    f.write_text(pattern.sub(russian, f.read_text()))
PY
    cp "$one/carebook.toml" "$two.tmp/carebook.toml"
    # The table `carebook init --lang ru` writes: every per-language word in Russian.
    cat "$REPO/src/init/ru/languages.toml" >> "$two.tmp/carebook.toml"
    # Every translation up to date (shared blocks have no mark of their own: their guides' cover them).
    (cd "$two.tmp/content" && find ru -name '*.md' -not -path 'ru/shared/*' | sort \
      | xargs -n 2000 "$CAREBOOK" translate mark --root "$two.tmp" >/dev/null 2>&1)
    mv "$two.tmp" "$two"
  fi
  # The Russian copy alone, as a site in one language, Russian: the files of content/ru/ in
  # content/, and the `[languages.ru]` table that `carebook init --lang ru` writes raised to the
  # top level (its `name` as `language_name`, its urgency tables as `[urgency.<tier>]`) with
  # `language = "ru"`. The two-language build against this one and English alone added up asks
  # whether a second language costs more than its own pages.
  if [ ! -d "$ru" ]; then
    rm -rf "$ru.tmp"; mkdir -p "$ru.tmp"
    cp -r "$two/content/ru" "$ru.tmp/content"
    python3 - "$REPO/src/init/ru/languages.toml" "$ru.tmp/carebook.toml" <<'PY'
import sys
lines = ['language = "ru"']
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    if line.startswith("#") or line.strip() == "[languages.ru]":
        continue
    line = line.replace("[languages.ru.urgency.", "[urgency.")
    lines.append("language_name =" + line[len("name ="):] if line.startswith("name =") else line)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
    mv "$ru.tmp" "$ru"
  fi
  for s in "$one" "$two" "$ru"; do rm -rf "$s/themes" && cp -r "$REPO/themes" "$s/themes"; done
}
ONE="$C/carebook-$N"
TWO="$C/carebook-$N-ru-stop-marked"
RU="$C/carebook-$N-ru-alone"
corpus "$N"

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
  --cmd "build-russian-alone-$N" "$CAREBOOK build --root $RU --out {out}" \
  --ratio "build-2-languages-$N/build-1-language-$N"

LOAD=$(uptime | sed 's/.*load average: //')

# Instructions (valgrind's callgrind, threads run one at a time): the same for a build whatever the
# machine's load, so a small per-guide difference shows where wall times at a high load do not.
INSTR_N=${INSTR_N:-1000}
INSTR_ONE=0; INSTR_TWO=0; INSTR_RU=0
if [ "$INSTR_N" -gt 0 ] && command -v valgrind >/dev/null; then
  corpus "$INSTR_N"
  instructions() {
    valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind-$1.out" \
      "$CAREBOOK" build --root "$2" --out "$OUT/instructions-$1" 2>&1 >/dev/null \
      | sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | tail -n 1
  }
  INSTR_ONE=$(instructions "1-language-$INSTR_N" "$C/carebook-$INSTR_N")
  INSTR_TWO=$(instructions "2-languages-$INSTR_N" "$C/carebook-$INSTR_N-ru-stop-marked")
  INSTR_RU=$(instructions "russian-alone-$INSTR_N" "$C/carebook-$INSTR_N-ru-alone")
fi

FS=$(df --output=fstype "$WORK" | tail -n 1)
SECTION=$(python3 - "$RESULTS" "$RATIOS" "$N" "$LOAD" "$INSTR_N" "$INSTR_ONE" "$INSTR_TWO" "$FS" "$INSTR_RU" <<'PY'
import csv, sys
results, ratios, n, load = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
instr_n, instr_one, instr_two = int(sys.argv[5]), int(sys.argv[6] or 0), int(sys.argv[7] or 0)
fs = sys.argv[8]
instr_ru = int(sys.argv[9] or 0)
rows = {r["label"]: r for r in csv.DictReader(open(results), delimiter="\t")}
ratio = next(csv.DictReader(open(ratios), delimiter="\t"))
one, two = rows[f"build-1-language-{n}"], rows[f"build-2-languages-{n}"]
ru = rows[f"build-russian-alone-{n}"]
per = lambda r, k, guides: float(r[k]) / guides
print("<!-- languages:begin -->")
print("## Two languages (`bench/languages.sh`, #20)\n")
print(f"The corpus at {n} guides (with its symptoms and causes), then the same with a copy of every file in")
print("`content/ru/` and a `[languages.ru]` table: twice the guides. Per guide built (target: two languages no")
print(f"worse than one); outputs on {fs}; load average at the end: {load}. The copy is the English text with its stop")
print("words made Russian ones (Cyrillic, dropped by the Russian index as a translation's are), marked as translated")
print("(`carebook translate mark`); its other words are English, which the Russian stemmer leaves as they are.\n")
print("| build | guides built | median wall (s) | ms per guide | peak RSS (MiB) | KiB per guide | files |")
print("|---|---:|---:|---:|---:|---:|---:|")
for r, g in ((one, n), (two, 2 * n), (ru, n)):
    print(f"| {r['label']} | {g} | {float(r['wall_median_s']):.3f} | {1000 * per(r, 'wall_median_s', g):.3f} "
          f"| {float(r['rss_median_mib']):.1f} | {1024 * per(r, 'rss_median_mib', g):.1f} | {r['out_files']} |")
wall_ratio = float(ratio["wall_ratio_median"])
mem_ratio = float(two["rss_median_mib"]) / float(one["rss_median_mib"])
print(f"\nTwo languages / one, per guide: wall {wall_ratio / 2:.2f}× (paired median over rounds, "
      f"{ratio['wall_ratio_min']}–{ratio['wall_ratio_max']} for the whole build), peak memory {mem_ratio / 2:.2f}×.")
if instr_one and instr_two:
    print(f"\nInstructions (valgrind callgrind, at {instr_n} guides: the same at any load): one language "
          f"{instr_one / instr_n / 1e6:.2f} M per guide, two {instr_two / (2 * instr_n) / 1e6:.2f} M per guide: "
          f"{instr_two / (2 * instr_one):.3f}×.")
verdict = lambda ok: "yes" if ok else "no"
met = f"wall {verdict(wall_ratio / 2 <= 1)}, memory {verdict(mem_ratio / 2 <= 1)}"
if instr_one and instr_two:
    met += f", instructions {verdict(instr_two / (2 * instr_one) <= 1)}"
print(f"Target (no worse per guide) met: {met}.")
# The fair question: does the second language cost more than its own pages? The two-language build
# against the English site and the Russian copy built alone as a site in Russian only (the
# `[languages.ru]` table raised to the top level, `language = "ru"`), added up: as many guides.
wall_sum = float(two["wall_median_s"]) / (float(one["wall_median_s"]) + float(ru["wall_median_s"]))
mem_sum = float(two["rss_median_mib"]) / (float(one["rss_median_mib"]) + float(ru["rss_median_mib"]))
print(f"\nAgainst each language built alone (`build-russian-alone`: the Russian copy as a site in Russian only), "
      f"per guide: two languages / (English alone + Russian alone): wall {wall_sum:.2f}× (medians), peak memory {mem_sum:.2f}×"
      + (f", instructions {instr_two / (instr_one + instr_ru):.3f}× (Russian alone {instr_ru / instr_n / 1e6:.2f} M per guide)"
         if instr_one and instr_two and instr_ru else "") + ".")
met = f"wall {verdict(wall_sum <= 1)}, memory {verdict(mem_sum <= 1)}"
if instr_one and instr_two and instr_ru:
    met += f", instructions {verdict(instr_two / (instr_one + instr_ru) <= 1)}"
print(f"Second language no dearer than its own pages built alone: {met}.")
print("<!-- languages:end -->")
PY
)
python3 - "$REPO/bench/RESULTS.md" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
pattern = re.compile(r"<!-- languages:begin -->.*?<!-- languages:end -->", re.S)
# Written by hand after `<!-- languages:notes -->` (what the figures were run on, what they show):
# kept, after the new figures, until edited.
old = pattern.search(text)
notes = re.search(r"\n<!-- languages:notes -->.*?(?=<!-- languages:end -->)", old.group(0), re.S) if old else None
if notes:
    section = section.replace("<!-- languages:end -->", notes.group(0).lstrip("\n") + "<!-- languages:end -->")
text = pattern.sub(lambda _: section, text) if old else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
echo "$SECTION"
