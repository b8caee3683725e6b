#!/usr/bin/env bash
# Search benchmark: plansite's search against Pagefind on the same built site.
#
#   bash scripts/search-bench.sh
#
# 1. builds the release binary and the real site (into $BENCH_TMP/search-bench/site);
# 2. installs Pagefind from the npm registry (package `pagefind`, version $PAGEFIND_VERSION,
#    which brings its binary as `@pagefind/linux-x64`) into $BENCH_TMP/search-bench/pagefind,
#    and indexes two copies of the site: out of the box, and with `--root-selector main` (only
#    the page content, as plansite indexes it);
# 3. runs scripts/search-bench.mjs in headless Chromium (Debian's /usr/bin/chromium, driven by
#    playwright-core from tests/browser; run `npm ci` there first, or tests/browser/run.sh):
#    relevance (scripts/search-relevance.json), bytes per query, query time cold and warm;
# 4. index sizes and build times for the real site and, unless CORPUS=0, the generated N=5000
#    corpus (examples/gen_corpus.rs), with the time `plansite build` takes and Pagefind's own.
#
# Environment: BENCH_TMP (/tmp), PAGEFIND_VERSION (1.6.0), CORPUS (5000; 0 skips),
# BASE_BIN (a plansite binary to compare build time with, e.g. one built from main).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
tmp="${BENCH_TMP:-/tmp}/search-bench"
version="${PAGEFIND_VERSION:-1.6.0}"
corpus="${CORPUS:-5000}"
mkdir -p "$tmp"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

(cd "$root" && cargo build --release --quiet --bin plansite --example gen_corpus)
bin="$CARGO_TARGET_DIR/release/plansite"
[ -d "$root/tests/browser/node_modules/playwright-core" ] ||
  (cd "$root/tests/browser" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
if [ ! -x "$tmp/pagefind/node_modules/.bin/pagefind" ]; then
  mkdir -p "$tmp/pagefind"
  (cd "$tmp/pagefind" && npm init -y >/dev/null && npm install "pagefind@$version" --no-audit --no-fund --loglevel=error)
fi
pagefind="$tmp/pagefind/node_modules/.bin/pagefind"

# Wall time of a command in milliseconds (median of 3).
ms() {
  local runs=()
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    runs+=($(((t1 - t0) / 1000000)))
  done
  printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p
}
# Files and bytes of a folder, and of its files gzip-compressed one by one (as a server sends
# them; Pagefind's index files are gzip already and count as they are).
sizes() {
  node -e '
    const fs = require("fs"), path = require("path"), zlib = require("zlib");
    let n = 0, raw = 0, gz = 0;
    (function walk(d) {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) { walk(p); continue; }
        const b = fs.readFileSync(p);
        n++; raw += b.length;
        gz += b[0] === 0x1f && b[1] === 0x8b ? b.length : zlib.gzipSync(b, { level: 6 }).length;
      }
    })(process.argv[1]);
    console.log(`${n} files, ${Math.round(raw / 1024)} KB, ${Math.round(gz / 1024)} KB gzip`);
  ' "$1"
}

site_report() { # NAME ROOT
  local name="$1" src="$2" out="$tmp/$1"
  rm -rf "$out" "$out-main"
  local build
  build=$(ms "$bin" build --root "$src" --output "$out")
  "$bin" build --root "$src" --output "$out" >/dev/null 2>&1
  local base=""
  if [ -n "${BASE_BIN:-}" ]; then
    base=" (BASE_BIN: $(ms "$BASE_BIN" build --root "$src" --output "$tmp/base-$name") ms)"
    rm -rf "$tmp/base-$name"
  fi
  cp -r "$out" "$out-main"
  local t0 t1 t2
  t0=$(date +%s%N)
  "$pagefind" --site "$out" --quiet >/dev/null
  t1=$(date +%s%N)
  "$pagefind" --site "$out-main" --root-selector main --quiet >/dev/null
  t2=$(date +%s%N)
  echo "### $name"
  echo "- plansite build (whole site, median of 3): $build ms$base"
  echo "- plansite search index: $(sizes "$out/search")"
  echo "- Pagefind index: $(sizes "$out/pagefind"), $(((t1 - t0) / 1000000)) ms (out of the box); $(sizes "$out-main/pagefind"), $(((t2 - t1) / 1000000)) ms (--root-selector main)"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
site_report real "$root"
node "$here/search-bench.mjs" "$here/search-relevance.json" "default=$tmp/real" "main=$tmp/real-main"
if [ "$corpus" != 0 ]; then
  gen="$tmp/corpus-$corpus"
  [ -f "$gen/plansite.toml" ] || "$CARGO_TARGET_DIR/release/examples/gen_corpus" "$gen" "$corpus" >/dev/null
  site_report "N=$corpus" "$gen"
fi
