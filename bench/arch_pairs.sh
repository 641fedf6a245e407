#!/usr/bin/env bash
# Cost of each architecture change of #15, measured against the code just before it.
#
# #15 asks that `bench/run.sh` build and check stay within 5 % of "before". Features landed between
# the architecture merges, so a straight before/after of main says nothing about the rework; this
# script compares every architecture change with its first parent instead, on the same corpus:
#
#   for each pair (parent, change) in PAIRS:
#     - instructions (valgrind cachegrind, --cache-sim=no: the total Ir of all threads, repeatable
#       to ~0.1 % even on a loaded machine, unlike wall time) of `carebook build` and
#       `carebook check --format short` on the gen_corpus.py carebook corpus, per size;
#     - peak RSS and wall time of a native run (/usr/bin/time), for memory (wall is informational);
#     - byte-identity of the output (diff -r) on the 1k corpus and on the shipped site.
#
# usage: bench/arch_pairs.sh [WORKDIR]           (default WORKDIR: /tmp/carebook-arch)
# environment (optional):
#   SIZES="1000 10000"        corpus sizes (peak RSS and check instructions at each)
#   BUILD_IR_SIZES="1000 10000"  sizes whose build is counted under cachegrind (a 10k build runs
#                             ~25 G instructions, 3-5 minutes under valgrind per commit)
#   CHECK_IR_SIZES=$SIZES     sizes whose check is counted under cachegrind
#   PAIRS="label:parent:change ..."   the changes measured (default: the list below)
#   OLD_WT=WORKDIR/old        the one extra git worktree every commit is built in (created when
#                             missing, `git checkout --detach` from commit to commit, its own target/
#                             so each build after the first is incremental); removed at the end
#                             unless KEEP_WT=1
#   BIN=WORKDIR/bin           release binaries, one per commit (<7-hex>); an existing one is reused
#   SHARED=../shared/bench    where gen_corpus.py lives
#   ONLY_BUILT=1              build nothing: measure the commits whose binaries are in BIN, and
#                             the pairs of which both are (to measure while another job builds)
#
# Each commit's binary is `cargo build --release` of that commit. Commits whose src/, Cargo.toml,
# Cargo.lock, build.rs and themes/ are all the same share one binary (a tests- or docs-only change).
# Each commit runs on the corpus with its own themes/ copied in, as bench/run.sh copies the
# repository's (before ae1aec0 the theme was not built in and a site had to bring it); the shipped
# site of a pair is the change's own tree (git archive), built by both binaries (the parent's tree
# when the parent refuses the change's). Every build writes into a new folder.
#
# Output: WORKDIR/arch.tsv (one line per commit and size), WORKDIR/identity.tsv, and the markdown
# section printed on stdout and written into bench/RESULTS.md between <!-- arch:begin --> and
# <!-- arch:end --> (bench/run.sh keeps that section). Cachegrind profiles stay in WORKDIR/cg/ for
# `cg_annotate --diff` (valgrind >= 3.21) or `cg_diff` of a pair.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=$(mkdir -p "${1:-/tmp/carebook-arch}" && cd "${1:-/tmp/carebook-arch}" && pwd)
SHARED=$(cd "${SHARED:-$REPO/../shared/bench}" && pwd) || { echo "no shared bench tools; set SHARED" >&2; exit 2; }
SIZES=${SIZES:-"1000 10000"}
BUILD_IR_SIZES=${BUILD_IR_SIZES:-$SIZES}
CHECK_IR_SIZES=${CHECK_IR_SIZES:-$SIZES}
OLD_WT=${OLD_WT:-$WORK/old}
BIN=${BIN:-$WORK/bin}
# label:parent:change — each change on main with the commit it was made on (a merge's first
# parent). Picked from `git log --first-parent main` and the merges' branches: the commits and
# merges of #15 that change src/ (docs- and tests-only ones build the same binary); render-to-run
# is the three commits before it at once (the same change, in one step, for a shorter run).
PAIRS=${PAIRS:-"
arch-edges:aaaf47a:1391d0e
tests-ci:ae1aec0:4bdcf82
render-split:475a0e6:c74b5c3
output-sink:c74b5c3:55a4715
run-entry:55a4715:19c6239
render-to-run:475a0e6:19c6239
core-helpers:3c10ac3:3e5022b
core2-split:45755f2:3e955bb
typed-model:beb05ba:cb91f07
slot-offsets:cd571b0:00406a6
arch-pubcrate:9c4aa15:bd8e6fe
pubcrate-main:5c763b7:fa5ac28
helpers-once:9cf597e:e3dd488
parse-folder:091e021:36e192a
hash-of:67d9685:fb5e697
usize-names:6c095b4:a103c50
"}
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
mkdir -p "$BIN" "$WORK/cg" "$WORK/out" "$WORK/bykey"

short() { git -C "$REPO" rev-parse --short=7 "$1"; }
# What the binary is made from: a commit whose key equals another's builds the same program.
binkey() {
  for p in src Cargo.toml Cargo.lock build.rs themes; do
    git -C "$REPO" rev-parse -q --verify "$1:$p" 2>/dev/null || echo none
  done | sha1sum | cut -c1-12
}

# 1. Binaries, built oldest first so each build is incremental.
COMMITS=$(for p in $PAIRS; do IFS=: read -r _ a b <<<"$p"; echo "$a"; echo "$b"; done \
  | while read -r c; do echo "$(git -C "$REPO" log -1 --format=%ct "$c") $(short "$c")"; done | sort -n | uniq | cut -d" " -f2)
for c in $COMMITS; do  # binaries already there stand for every commit of the same key
  [ ! -x "$BIN/$c" ] || [ -x "$WORK/bykey/$(binkey "$c")" ] || ln -f "$BIN/$c" "$WORK/bykey/$(binkey "$c")"
done
for c in $COMMITS; do
  [ -x "$BIN/$c" ] && continue
  k=$(binkey "$c")
  if [ -x "$WORK/bykey/$k" ]; then ln -f "$WORK/bykey/$k" "$BIN/$c"; continue; fi
  [ -z "${ONLY_BUILT:-}" ] || continue
  [ -d "$OLD_WT" ] || git -C "$REPO" worktree add --detach "$OLD_WT" "$c" >/dev/null
  git -C "$OLD_WT" checkout -q --detach "$c"
  echo "building $c ($(git -C "$REPO" log -1 --format=%s "$c" | cut -c1-60))" >&2
  (cd "$OLD_WT" && nice -n 19 cargo build --release --quiet)
  cp "$OLD_WT/target/release/carebook" "$BIN/$c"
  ln -f "$BIN/$c" "$WORK/bykey/$k"
done

# 2. Corpora: one per size, and per commit a hard-linked copy with that commit's themes/.
corpus() {  # corpus N COMMIT -> path
  local base="$WORK/corpus-$1" t
  [ -d "$base" ] || python3 "$SHARED/gen_corpus.py" --flavor carebook --n "$1" --out "$base" >/dev/null
  t=$(git -C "$REPO" rev-parse "$2:themes" | cut -c1-12)
  if [ ! -d "$base-theme-$t" ]; then
    cp -al "$base" "$base-theme-$t.tmp"
    git -C "$REPO" archive "$2" themes | tar -x -C "$base-theme-$t.tmp"
    mv "$base-theme-$t.tmp" "$base-theme-$t"
  fi
  echo "$base-theme-$t"
}
ir() {  # ir PROFILE CMD... -> total instructions (the command's own status is not checked here)
  local prof=$1; shift
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$prof" "$@" 2>&1 >/dev/null \
    | sed -n 's/.*I *refs: *//p' | tr -d ,
}
rss() {  # rss CMD... -> "peak_KiB wall_s"
  /usr/bin/time -f '%M %e' -o "$WORK/time.txt" "$@" >/dev/null 2>&1 || true
  tail -1 "$WORK/time.txt"
}

# 3. Measurements, one line per commit and size (already measured lines are kept).
TSV="$WORK/arch.tsv"
[ -f "$TSV" ] || printf 'commit\tn\tbuild_ir\tcheck_ir\tbuild_kib\tbuild_s\tcheck_kib\tcheck_s\tload\n' > "$TSV"
for c in $COMMITS; do
  [ -x "$BIN/$c" ] || continue
  for n in $SIZES; do
    # A line stays unless this run counts instructions the line lacks ("-").
    if line=$(grep "^$c	$n	" "$TSV"); then
      IFS=$'\t' read -r _ _ had_b had_c _ <<<"$line"
      { [ "$had_b" = - ] && [[ " $BUILD_IR_SIZES " == *" $n "* ]]; } ||
        { [ "$had_c" = - ] && [[ " $CHECK_IR_SIZES " == *" $n "* ]]; } || continue
      grep -v "^$c	$n	" "$TSV" > "$TSV.tmp"; mv "$TSV.tmp" "$TSV"
    fi
    root=$(corpus "$n" "$c")
    bir=-; cir=-
    case " $BUILD_IR_SIZES " in *" $n "*)
      bir=$(ir "$WORK/cg/build-$n-$c.out" "$BIN/$c" build --root "$root" --out "$WORK/out/build-$n-$c");; esac
    case " $CHECK_IR_SIZES " in *" $n "*)
      cir=$(ir "$WORK/cg/check-$n-$c.out" "$BIN/$c" check --root "$root" --format short);; esac
    read -r bk bs <<<"$(rss "$BIN/$c" build --root "$root" --out "$WORK/out/rss-$n-$c")"
    read -r ck cs <<<"$(rss "$BIN/$c" check --root "$root" --format short)"
    # The native output is only for memory; the counted build's output (or this one) is diffed.
    [ -d "$WORK/out/build-$n-$c" ] || mv "$WORK/out/rss-$n-$c" "$WORK/out/build-$n-$c"
    rm -rf "$WORK/out/rss-$n-$c"
    [ "$n" = "$(echo $SIZES | tr ' ' '\n' | sort -n | head -1)" ] || rm -rf "$WORK/out/build-$n-$c"  # only the smallest is diffed
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$n" "$bir" "$cir" "$bk" "$bs" "$ck" "$cs" \
      "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$TSV"
    echo "measured $c at $n: build $bir Ir, check $cir Ir, build peak $bk KiB" >&2
  done
done

# 4. Byte-identity of each pair's output: the smallest corpus, and the shipped site.
ID="$WORK/identity.tsv"; printf 'label\tcorpus\tshipped_site\tsite_tree\n' > "$ID"
N1=$(echo $SIZES | tr ' ' '\n' | sort -n | head -1)
same() { if diff -r -q "$1" "$2" > "$3" 2>&1; then echo yes; else echo "no ($(wc -l < "$3") files)"; fi; }
for p in $PAIRS; do
  IFS=: read -r label a b <<<"$p"; a=$(short "$a"); b=$(short "$b")
  [ -x "$BIN/$a" ] && [ -x "$BIN/$b" ] || continue
  site=""; site_tree=""
  corp=$(same "$WORK/out/build-$N1-$a" "$WORK/out/build-$N1-$b" "$WORK/diff-corpus-$label.txt")
  for t in "$b" "$a"; do   # the change's tree; the parent's when the parent binary refuses it
    s="$WORK/site-$t"
    [ -d "$s" ] || { mkdir -p "$s.tmp" && git -C "$REPO" archive "$t" | tar -x -C "$s.tmp" && mv "$s.tmp" "$s"; }
    rm -rf "$WORK/out/site-$label-$t-"{a,b} "$WORK/out/.site-$label-$t-"{a,b}.cache
    if "$BIN/$a" build --root "$s" --out "$WORK/out/site-$label-$t-a" >/dev/null 2>&1 &&
       "$BIN/$b" build --root "$s" --out "$WORK/out/site-$label-$t-b" >/dev/null 2>&1; then
      site=$(same "$WORK/out/site-$label-$t-a" "$WORK/out/site-$label-$t-b" "$WORK/diff-site-$label.txt")
      site_tree=$t; break
    fi
  done
  printf '%s\t%s\t%s\t%s\n' "$label" "$corp" "${site:-not built}" "${site_tree:-}" >> "$ID"
done

# 5. The report.
python3 "$REPO/bench/arch_report.py" "$TSV" "$ID" "$PAIRS" > "$WORK/arch.md"
cat "$WORK/arch.md"
if [ -f "$REPO/bench/RESULTS.md" ] && grep -q '<!-- arch:begin -->' "$REPO/bench/RESULTS.md"; then
  python3 - "$REPO/bench/RESULTS.md" "$WORK/arch.md" <<'PY'
import re, sys
path, new = sys.argv[1], open(sys.argv[2]).read().strip()
text = open(path).read()
text = re.sub(r"<!-- arch:begin -->.*?<!-- arch:end -->", lambda m: new, text, flags=re.S)
open(path, "w").write(text)
PY
else
  printf '\n%s\n' "$(cat "$WORK/arch.md")" >> "$REPO/bench/RESULTS.md"
fi
[ -n "${KEEP_WT:-}" ] || { [ ! -d "$OLD_WT" ] || git -C "$REPO" worktree remove --force "$OLD_WT"; }
