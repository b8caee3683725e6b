#!/usr/bin/env bash
# Benchmarks `plansite build` / `plansite check` against Zola 0.22.1 on the same pages and
# against the Markdown-only "floor".
#
#   bash scripts/bench.sh
#
# Builds release binaries (plansite, examples/gen_corpus, examples/floor), generates corpora
# with N items (SIZES) in $BENCH_TMP, converts each to a Zola site with
# ../shared/bench/to_zola.py, and for each corpus (the repository's own site if `plansite
# check` reports 0 errors, then each N) measures, RUNS times, plansite build and Zola build
# PAIRED (A B A B …: the two alternate, so drift of this shared machine hits both alike), then
# `plansite check` and the floor. Each figure is the median: wall time, CPU (user + system)
# and peak RSS from /usr/bin/time. Output goes to tmpfs (/dev/shm) when there is one, as in
# the issue's measurements: the disk of these machines is noisier than the programs.
#
# `plansite check` is paired with `zola check --skip-external-links` on the same pages (Zola's
# own check: every page loaded and parsed, internal links and anchors checked), and compared
# with the scan floor (`floor --scan`: the Markdown and YAML only parsed by pulldown-cmark and
# serde-saphyr, nothing checked): the least any checker built on those two crates must do.
#
# The floor also runs with --highlight (the floor plus plansite's syntect highlighter on the
# fenced code blocks): its own column shows what that one piece of required work costs.
#
# Zola columns are measured on sizes in ZOLA_SIZES (default: every size up to 20000); above
# that only plansite runs (the scaling rows). Zola is unpacked from
# $BENCH_SHARED/zola-0.22.1-linux-x86_64.gz; without it the Zola columns show "—".
#
# Extra rows (EXTRAS=0 skips them): N=5000 split into documents of at most 250 items
# (`gen_corpus OUT 5000 250`), and `plansite check` alone on N=10000.
#
# Then `serve` (SERVE=0 skips it) on N=2000: examples/serve_latency starts the real server,
# listens to the live-reload stream like a browser tab, saves a one-section edit SERVE_RUNS
# times and times save → `reload` event; examples/rebuild times the same edit as a patch and as a compile.
#
# Environment: CARGO_TARGET_DIR (default /tmp/bench-target), RUNS (default 3),
# SIZES (default "1000 5000 20000 50000"), ZOLA_SIZES (default "1000 5000 20000"), EXTRAS
# (default 1), SERVE (default 1), SERVE_RUNS (default 15), BENCH_TMP (corpora; default /tmp),
# BENCH_OUT (outputs; default /dev/shm if present, else BENCH_TMP), BENCH_SHARED (default
# ../shared/bench next to the repository).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}
RUNS=${RUNS:-3}
SIZES=${SIZES:-"1000 5000 20000 50000"}
ZOLA_SIZES=${ZOLA_SIZES:-"1000 5000 20000"}
EXTRAS=${EXTRAS:-1}
SERVE=${SERVE:-1}
SERVE_RUNS=${SERVE_RUNS:-15}
TMP=${BENCH_TMP:-/tmp}
if [ -z "${BENCH_OUT:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_OUT=/dev/shm; else BENCH_OUT=$TMP; fi
fi
SHARED=${BENCH_SHARED:-$ROOT/../shared/bench}
# Old outputs are moved here before each timed run and deleted at the end, so that deleting
# gigabytes of HTML never overlaps a measurement.
TRASH="$BENCH_OUT/plansite-bench-trash"
rm -rf "$TRASH"
mkdir -p "$TRASH"

command -v /usr/bin/time >/dev/null || apt-get install -y time

echo "== building release binaries (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)" >&2
(cd "$ROOT" && cargo build --release --quiet --bin plansite --example gen_corpus --example floor \
  --example serve_latency --example rebuild)
BIN=$CARGO_TARGET_DIR/release/plansite
GEN=$CARGO_TARGET_DIR/release/examples/gen_corpus
FLOOR=$CARGO_TARGET_DIR/release/examples/floor

ZOLA=""
if [ -f "$SHARED/zola-0.22.1-linux-x86_64.gz" ] && [ -f "$SHARED/to_zola.py" ]; then
  ZOLA="$TMP/plansite-bench-zola"
  gunzip -c "$SHARED/zola-0.22.1-linux-x86_64.gz" > "$ZOLA"
  chmod +x "$ZOLA"
  echo "== $("$ZOLA" --version)" >&2
else
  echo "== no Zola in $SHARED: the Zola columns stay empty" >&2
fi

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

# run_timed OUT_DIR_TO_CLEAR CMD... -> prints "wall_s cpu_s peak_kb" (one run; output dir
# moved aside first). CPU is /usr/bin/time's %U + %S, peak its %M. Wall time is the nanosecond
# clock around it (%e has 10 ms resolution, too coarse for the floor's ~20 ms runs).
run_timed() {
  local clear=$1; shift
  if [ -n "$clear" ] && [ -e "$clear" ]; then mv "$clear" "$(mktemp -d "$TRASH/old.XXXXXX")/"; fi
  sync
  sleep 1
  local t0 t1
  t0=$(date +%s%N)
  if ! /usr/bin/time -f '%e %U %S %M' -o "$TIMEFILE" "$@" >/dev/null 2>&1; then
    echo "command failed: $*" >&2
    return 1
  fi
  t1=$(date +%s%N)
  # The output moved aside is deleted now, after the measurement: three 50,000-item outputs
  # (5.7 GB each) left until the end of a row would fill the memory behind tmpfs.
  rm -rf "${TRASH:?}"/*
  local e u s m
  read -r e u s m < <(tail -n 1 "$TIMEFILE")
  awk -v a="$t0" -v b="$t1" -v e="$e" -v u="$u" -v s="$s" -v m="$m" 'BEGIN {
    w = (a ~ /^[0-9]+$/ && b ~ /^[0-9]+$/) ? (b - a) / 1e9 : e
    printf "%.3f %.2f %s\n", w, u + s, m
  }'
}

# median LIST... -> the median of the numbers
median() {
  printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"
}

# median_of CLEAR CMD... -> "wall cpu peak", each the median over RUNS runs
median_of() {
  local walls=() cpus=() mems=() w c m
  for _ in $(seq "$RUNS"); do
    read -r w c m < <(run_timed "$@")
    walls+=("$w"); cpus+=("$c"); mems+=("$m")
  done
  echo "   runs: wall ${walls[*]} s; cpu ${cpus[*]} s; peak ${mems[*]} KB :: ${*:2}" >&2
  echo "$(median "${walls[@]}") $(median "${cpus[@]}") $(median "${mems[@]}")"
}

# paired CLEAR_A CLEAR_B -- CMD_A... -- CMD_B... -> "wall cpu peak wall cpu peak": A and B
# alternate RUNS times (A B A B …), medians of each.
paired() {
  local ca=$1 cb=$2; shift 3
  local a=() b=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done
  shift
  b=("$@")
  local aw=() ac=() am=() bw=() bc=() bm=() w c m
  for _ in $(seq "$RUNS"); do
    read -r w c m < <(run_timed "$ca" "${a[@]}"); aw+=("$w"); ac+=("$c"); am+=("$m")
    read -r w c m < <(run_timed "$cb" "${b[@]}"); bw+=("$w"); bc+=("$c"); bm+=("$m")
  done
  echo "   paired runs: A wall ${aw[*]} s, cpu ${ac[*]} s, peak ${am[*]} KB :: ${a[*]}" >&2
  echo "                B wall ${bw[*]} s, cpu ${bc[*]} s, peak ${bm[*]} KB :: ${b[*]}" >&2
  echo "$(median "${aw[@]}") $(median "${ac[@]}") $(median "${am[@]}") $(median "${bw[@]}") $(median "${bc[@]}") $(median "${bm[@]}")"
}

ROWS=()
NOTES=()

# with_zola N -> whether the Zola columns are measured for size N
with_zola() {
  [ -n "$ZOLA" ] && [[ " $ZOLA_SIZES " == *" $1 "* ]]
}

bench_corpus() {
  local name=$1 site=$2 zola_ok=$3
  local key
  key=$(basename "$site")
  local out="$BENCH_OUT/plansite-bench-out-$key" fout="$BENCH_OUT/plansite-bench-floor-$key"
  local zsite="$TMP/plansite-bench-zsite-$key" zout="$BENCH_OUT/plansite-bench-zola-$key"
  echo "== $name: $site" >&2
  local items mdfiles
  items=$(find "$site/content" -name '*.yaml' ! -name document.yaml -exec grep -h -c '^- id:' {} + | awk '{s+=$1} END {print s+0}')
  mdfiles=$(find "$site/content" -name '*.md' | wc -l)

  local bw bc bm zw="" zc="" zm="" zpages="" zmb=""
  if [ "$zola_ok" = 1 ]; then
    rm -rf "$zsite"
    python3 "$SHARED/to_zola.py" "$site" "$zsite" >&2
    read -r bw bc bm zw zc zm < <(paired "$out" "$zout" -- "$BIN" build --root "$site" --output "$out" \
      -- "$ZOLA" --root "$zsite" build -o "$zout" --force)
    zpages=$(find "$zout" -name '*.html' | wc -l)
    zmb=$(du -sm "$zout" | cut -f1)
  else
    read -r bw bc bm < <(median_of "$out" "$BIN" build --root "$site" --output "$out")
  fi
  local pages outmb
  pages=$(find "$out" -name '*.html' | wc -l)
  outmb=$(du -sm "$out" | cut -f1)
  local cw cc cm zcw="" zcc zcm sw sc sm fw fc fm hw hc hm
  if [ "$zola_ok" = 1 ]; then
    read -r cw cc cm zcw zcc zcm < <(paired "" "" -- "$BIN" check --root "$site" \
      -- "$ZOLA" --root "$zsite" check --skip-external-links)
  else
    read -r cw cc cm < <(median_of "" "$BIN" check --root "$site")
  fi
  read -r sw sc sm < <(median_of "" "$FLOOR" --scan "$site" "$fout")
  read -r fw fc fm < <(median_of "$fout" "$FLOOR" "$site" "$fout")
  # The floor plus plansite's syntect highlighter on the fenced code blocks.
  read -r hw hc hm < <(median_of "$fout" "$FLOOR" --highlight "$site" "$fout")
  ROWS+=("$(awk -v n="$name" -v it="$items" -v md="$mdfiles" -v pg="$pages" -v om="$outmb" \
      -v bw="$bw" -v bc="$bc" -v bm="$bm" -v zw="$zw" -v zc="$zc" -v zm="$zm" -v zp="$zpages" -v zo="$zmb" \
      -v cw="$cw" -v zcw="$zcw" -v sw="$sw" -v fw="$fw" -v hw="$hw" 'BEGIN {
    z = (zw != "")
    printf "| %s | %d | %d | %d | %d | %.3f | %.2f | %.0f |", n, it, md, pg, om, bw, bc, bm / 1024
    if (z) printf " %d | %d | %.3f | %.2f | %.0f | **%.2f** | %.2f | **%.2f** |", zp, zo, zw, zc, zm / 1024, bw / zw, bc / zc, bm / zm
    else printf " — | — | — | — | — | — | — | — |"
    printf " %.3f |", cw
    if (zcw != "") printf " %.3f | **%.2f** |", zcw, cw / zcw
    else printf " — | — |"
    printf " %.3f | %.1f× | %.3f | %.1f× | %.3f |", sw, (sw > 0 ? cw / sw : 0), fw, (fw > 0 ? bw / fw : 0), hw
  }')")
  # Free the space now (outside any measurement).
  mv "$out" "$fout" "$zout" "$(mktemp -d "$TRASH/done.XXXXXX")/" 2>/dev/null || true
  rm -rf "${TRASH:?}"/* "$zsite"
}

# check only (no build / floor columns)
bench_check_only() {
  local name=$1 site=$2
  echo "== $name (check only): $site" >&2
  local items mdfiles
  items=$(find "$site/content" -name '*.yaml' ! -name document.yaml -exec grep -h -c '^- id:' {} + | awk '{s+=$1} END {print s+0}')
  mdfiles=$(find "$site/content" -name '*.md' | wc -l)
  local cw cc cm zcw="" zcc zcm sw sc sm
  local zsite="$TMP/plansite-bench-zsite-$(basename "$site")"
  if [ -n "$ZOLA" ]; then
    rm -rf "$zsite"
    python3 "$SHARED/to_zola.py" "$site" "$zsite" >&2
    read -r cw cc cm zcw zcc zcm < <(paired "" "" -- "$BIN" check --root "$site" \
      -- "$ZOLA" --root "$zsite" check --skip-external-links)
    rm -rf "$zsite"
  else
    read -r cw cc cm < <(median_of "" "$BIN" check --root "$site")
  fi
  read -r sw sc sm < <(median_of "" "$FLOOR" --scan "$site" "$BENCH_OUT/unused")
  ROWS+=("$(awk -v n="$name" -v it="$items" -v md="$mdfiles" -v cw="$cw" -v zcw="$zcw" -v sw="$sw" 'BEGIN {
    printf "| %s | %d | %d | — | — | — | — | — | — | — | — | — | — | — | — | — | %.3f |", n, it, md, cw
    if (zcw != "") printf " %.3f | **%.2f** |", zcw, cw / zcw
    else printf " — | — |"
    printf " %.3f | %.1f× | — | — | — |", sw, (sw > 0 ? cw / sw : 0)
  }')")
}

# The repository's own site, only if it checks clean.
errors=$("$BIN" check --root "$ROOT" --format json 2>/dev/null | grep -o '"errors": *[0-9]*' | grep -o '[0-9]*$' || true)
if [ "${errors:-x}" = "0" ]; then
  bench_corpus real "$ROOT" "$([ -n "$ZOLA" ] && echo 1 || echo 0)"
else
  NOTES+=("real site skipped: \`plansite check\` reports ${errors:-unknown} error(s)")
fi
for n in $SIZES; do
  bench_corpus "N=$n" "$TMP/plansite-bench-$n" "$(with_zola "$n" && echo 1 || echo 0)"
done
if [ "$EXTRAS" = 1 ]; then
  bench_corpus "N=5000, ≤250 items/doc" "$TMP/plansite-bench-5000v" "$(with_zola 5000 && echo 1 || echo 0)"
  bench_check_only "N=10000" "$TMP/plansite-bench-10000"
fi

echo
echo "Median of $RUNS runs (plansite and Zola paired: A B A B …); wall = nanosecond clock around /usr/bin/time, CPU = user + system, peak = max RSS (MiB); outputs into $BENCH_OUT. Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $(date -u +%Y-%m-%dT%H:%MZ); source: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
echo
echo "| corpus | items | .md files | plansite pages | plansite MB | plansite wall s | plansite CPU s | plansite peak MiB | Zola pages | Zola MB | Zola wall s | Zola CPU s | Zola peak MiB | wall plansite/Zola | CPU plansite/Zola | peak plansite/Zola | check wall s | Zola check wall s | check plansite/Zola | scan floor wall s | check/scan floor | floor wall s | build/floor | floor+highlight wall s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
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

if command -v hyperfine >/dev/null && [ -d "$TMP/plansite-bench-5000" ]; then
  last=5000
  echo
  echo "hyperfine (N=$last):"
  hyperfine --warmup 1 --runs 5 \
    --prepare "rm -rf $BENCH_OUT/plansite-bench-out-hf $BENCH_OUT/plansite-bench-floor-hf" \
    "$BIN build --root $TMP/plansite-bench-$last --output $BENCH_OUT/plansite-bench-out-hf" \
    "$BIN check --root $TMP/plansite-bench-$last" \
    "$FLOOR $TMP/plansite-bench-$last $BENCH_OUT/plansite-bench-floor-hf"
else
  echo
  echo "(hyperfine not installed: skipped the optional hyperfine comparison)"
fi
