#!/usr/bin/env bash
# Benchmarks `plansite build` / `plansite check` against the Markdown-only "floor".
#
#   bash scripts/bench.sh
#
# Builds release binaries (plansite, examples/gen_corpus, examples/floor), generates corpora
# with N=1000 and N=5000 items in /tmp, and for each corpus (the repository's own site if
# `plansite check` reports 0 errors, then N=1000, N=5000) measures wall time and peak RSS with
# /usr/bin/time (median of RUNS runs), then prints a Markdown table.
#
# The floor also runs with --highlight (the floor plus plansite's syntect highlighter on the
# fenced code blocks): its own column shows how much of the build/floor ratio that one piece
# of required work takes.
#
# Two extra rows (EXTRAS=0 skips them): N=5000 split into documents of at most 250 items
# (`gen_corpus OUT 5000 250`, same items, shorter per-document tables of contents), and
# `plansite check` alone on N=10000 (the issue's check target is stated for 10,000 items).
#
# Then `serve` (SERVE=0 skips it) on N=2000: examples/serve_latency starts the real server,
# listens to the live-reload stream like a browser tab, saves a one-section edit SERVE_RUNS
# times and times save → `reload` event; examples/rebuild times the same edit as a patch and as a compile.
#
# Environment: CARGO_TARGET_DIR (default /tmp/bench-target), RUNS (default 3),
# SIZES (default "1000 5000"), EXTRAS (default 1), SERVE (default 1), SERVE_RUNS (default 15),
# BENCH_TMP (default /tmp).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}
RUNS=${RUNS:-3}
SIZES=${SIZES:-"1000 5000"}
EXTRAS=${EXTRAS:-1}
SERVE=${SERVE:-1}
SERVE_RUNS=${SERVE_RUNS:-15}
TMP=${BENCH_TMP:-/tmp}
# Old outputs are moved here before each timed run and deleted at the end, so that deleting
# gigabytes of HTML never overlaps a measurement.
TRASH="$TMP/plansite-bench-trash"
rm -rf "$TRASH"
mkdir -p "$TRASH"

command -v /usr/bin/time >/dev/null || apt-get install -y time

echo "== building release binaries (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)" >&2
(cd "$ROOT" && cargo build --release --quiet --bin plansite --example gen_corpus --example floor \
  --example serve_latency --example rebuild)
BIN=$CARGO_TARGET_DIR/release/plansite
GEN=$CARGO_TARGET_DIR/release/examples/gen_corpus
FLOOR=$CARGO_TARGET_DIR/release/examples/floor

for n in $SIZES; do
  echo "== generating N=$n into $TMP/plansite-bench-$n" >&2
  "$GEN" "$TMP/plansite-bench-$n" "$n"
done
if [ "$EXTRAS" = 1 ]; then
  echo "== generating N=5000 (at most 250 items per document) into $TMP/plansite-bench-5000v" >&2
  "$GEN" "$TMP/plansite-bench-5000v" 5000 250
  echo "== generating N=10000 (check only) into $TMP/plansite-bench-10000" >&2
  "$GEN" "$TMP/plansite-bench-10000" 10000
fi

TIMEFILE=$(mktemp)
trap 'rm -f "$TIMEFILE"; rm -rf "$TRASH"' EXIT

# run_timed OUT_DIR_TO_CLEAR CMD... -> prints "wall_s peak_kb" (one run; output dir removed first).
# Peak RSS is /usr/bin/time's %M. Wall time is /usr/bin/time's %e (10 ms resolution) unless
# the nanosecond clock around it is available, which resolves the floor's ~20 ms runs better.
run_timed() {
  local clear=$1; shift
  if [ -n "$clear" ] && [ -e "$clear" ]; then mv "$clear" "$(mktemp -d "$TRASH/old.XXXXXX")/"; fi
  sync
  sleep 1
  local t0 t1
  t0=$(date +%s%N)
  if ! /usr/bin/time -f '%e %M' -o "$TIMEFILE" "$@" >/dev/null 2>&1; then
    echo "command failed: $*" >&2
    return 1
  fi
  t1=$(date +%s%N)
  local e m
  read -r e m < <(tail -n 1 "$TIMEFILE")
  if [[ $t0 =~ ^[0-9]+$ && $t1 =~ ^[0-9]+$ ]]; then
    awk -v a="$t0" -v b="$t1" -v m="$m" 'BEGIN { printf "%.3f %s\n", (b - a) / 1e9, m }'
  else
    echo "$e $m"
  fi
}

# median_of CLEAR CMD... -> "median_wall_s median_peak_kb" over RUNS runs
median_of() {
  local walls=() mems=() line
  for _ in $(seq "$RUNS"); do
    line=$(run_timed "$@")
    walls+=("${line% *}")
    mems+=("${line#* }")
  done
  local mid=$(( (RUNS + 1) / 2 ))
  local w m
  echo "   runs: wall ${walls[*]} s; peak ${mems[*]} KB :: ${*:2}" >&2
  w=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p")
  m=$(printf '%s\n' "${mems[@]}" | sort -n | sed -n "${mid}p")
  echo "$w $m"
}

ROWS=()
NOTES=()

bench_corpus() {
  local name=$1 site=$2
  local key
  key=$(basename "$site")
  local out="$TMP/plansite-bench-out-$key" fout="$TMP/plansite-bench-floor-$key"
  echo "== $name: $site" >&2
  local items mdfiles
  items=$(find "$site/content" -name '*.yaml' ! -name document.yaml -exec grep -h -c '^- id:' {} + | awk '{s+=$1} END {print s+0}')
  mdfiles=$(find "$site/content" -name '*.md' | wc -l)

  local b c f
  b=$(median_of "$out" "$BIN" build --root "$site" --output "$out")
  local pages outmb
  pages=$(find "$out" -name '*.html' | wc -l)
  outmb=$(du -sm "$out" | cut -f1)
  c=$(median_of "" "$BIN" check --root "$site")
  f=$(median_of "$fout" "$FLOOR" "$site" "$fout")
  # The floor plus plansite's syntect highlighter on the fenced code blocks.
  local h
  h=$(median_of "$fout" "$FLOOR" --highlight "$site" "$fout")
  local bw=${b% *} bm=${b#* } cw=${c% *} cm=${c#* } fw=${f% *} hw=${h% *}
  ROWS+=("$(awk -v n="$name" -v it="$items" -v md="$mdfiles" -v pg="$pages" -v om="$outmb" \
      -v bw="$bw" -v bm="$bm" -v cw="$cw" -v cm="$cm" -v fw="$fw" -v hw="$hw" 'BEGIN {
    ratio = (fw > 0) ? sprintf("%.1f×", bw / fw) : "n/a";
    hratio = (fw > 0) ? sprintf("%.1f×", hw / fw) : "n/a";
    printf "| %s | %d | %d | %d | %d | %.3f | %.0f | %.3f | %.0f | %.3f | %s | %.3f | %s |", n, it, md, pg, om, bw, bm / 1024, cw, cm / 1024, fw, ratio, hw, hratio
  }')")
  # Free the disk space now (outside any measurement).
  mv "$out" "$fout" "$(mktemp -d "$TRASH/done.XXXXXX")/" 2>/dev/null || true
  rm -rf "${TRASH:?}"/*
}

# check only (no build / floor columns)
bench_check_only() {
  local name=$1 site=$2
  echo "== $name (check only): $site" >&2
  local items mdfiles c
  items=$(find "$site/content" -name '*.yaml' ! -name document.yaml -exec grep -h -c '^- id:' {} + | awk '{s+=$1} END {print s+0}')
  mdfiles=$(find "$site/content" -name '*.md' | wc -l)
  c=$(median_of "" "$BIN" check --root "$site")
  ROWS+=("$(awk -v n="$name" -v it="$items" -v md="$mdfiles" -v cw="${c% *}" -v cm="${c#* }" 'BEGIN {
    printf "| %s | %d | %d | — | — | — | — | %.3f | %.0f | — | — | — | — |", n, it, md, cw, cm / 1024
  }')")
}

# The repository's own site, only if it checks clean.
errors=$("$BIN" check --root "$ROOT" --format json 2>/dev/null | grep -o '"errors": *[0-9]*' | grep -o '[0-9]*$' || true)
if [ "${errors:-x}" = "0" ]; then
  bench_corpus real "$ROOT"
else
  NOTES+=("real site skipped: \`plansite check\` reports ${errors:-unknown} error(s)")
fi
for n in $SIZES; do
  bench_corpus "N=$n" "$TMP/plansite-bench-$n"
done
if [ "$EXTRAS" = 1 ]; then
  bench_corpus "N=5000, ≤250 items/doc" "$TMP/plansite-bench-5000v"
  bench_check_only "N=10000" "$TMP/plansite-bench-10000"
fi

echo
echo "Median of $RUNS runs; wall = clock around /usr/bin/time (ns; %e as fallback), peak = /usr/bin/time %M (max RSS). Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $(date -u +%Y-%m-%dT%H:%MZ); source: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
echo
echo "| corpus | items (incl. terms) | .md files (ja+en) | HTML pages | output MB | build wall s | build peak MB | check wall s | check peak MB | floor wall s | build/floor | floor+highlight wall s | floor+highlight/floor |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
for note in "${NOTES[@]+"${NOTES[@]}"}"; do echo; echo "Note: $note"; done

if [ "$SERVE" = 1 ]; then
  echo "== serve on N=2000 into $TMP/plansite-bench-2000" >&2
  "$GEN" "$TMP/plansite-bench-2000" 2000 >/dev/null
  echo
  echo "serve, N=2000 (one-section edit, save → reload event in the browser's event stream):"
  echo
  echo '```'
  "$CARGO_TARGET_DIR/release/examples/serve_latency" "$TMP/plansite-bench-2000" "$SERVE_RUNS" "$BIN"
  echo
  PLANSITE_TIMINGS=1 "$CARGO_TARGET_DIR/release/examples/rebuild" "$TMP/plansite-bench-2000" 5 2>&1 \
    | grep -v '^timing' | tail -14
  echo '```'
fi

if command -v hyperfine >/dev/null; then
  last=${SIZES##* }
  echo
  echo "hyperfine (N=$last):"
  hyperfine --warmup 1 --runs 5 \
    --prepare "rm -rf $TMP/plansite-bench-out-hf $TMP/plansite-bench-floor-hf" \
    "$BIN build --root $TMP/plansite-bench-$last --output $TMP/plansite-bench-out-hf" \
    "$BIN check --root $TMP/plansite-bench-$last" \
    "$FLOOR $TMP/plansite-bench-$last $TMP/plansite-bench-floor-hf"
else
  echo
  echo "(hyperfine not installed: skipped the optional hyperfine comparison)"
fi
