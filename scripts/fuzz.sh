#!/usr/bin/env bash
# Coverage-guided fuzzing of `check` and `build` with cargo-fuzz (libFuzzer) on the nightly
# toolchain: random front matter, items YAML, Markdown and glossary terms, seeded from the
# test fixture and the real content. Usage: bash scripts/fuzz.sh [SECONDS] (default 600).
# A crash leaves its input in fuzz/artifacts/site/; `cargo +nightly fuzz run site FILE` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
rustup toolchain list | grep -q '^nightly' || { echo "fuzz.sh needs the nightly toolchain (rustup toolchain install nightly)" >&2; exit 2; }
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
corpus=fuzz/corpus/site
mkdir -p "$corpus"
# Seeds: real files in the target's layout (parts separated by 0xFF bytes).
seed() { # name items front body terms second
  { cat "$2"; printf '\xff'; printf '%s' "$3"; printf '\xff'; awk 'n>=2{print} /^---$/{n++}' "$4"; printf '\xff'; cat "$5"; printf '\xff'; cat "$6"; } > "$corpus/seed-$1"
}
fx=tests/fixtures/minimal/content
seed fixture "$fx/plan/items.yaml" "slug: a" "$fx/plan/010-ch1.ja.md" "$fx/glossary/terms.yaml" "$fx/plan/010-ch1.en.md"
seed real content/basic-plan-1/items.yaml "parent: D" content/basic-plan-1/051-central-government-local-governments.ja.md content/glossary/terms.yaml content/basic-plan-1/051-central-government-local-governments.en.md
cd fuzz
exec cargo +nightly fuzz run site "../$corpus" -- -max_total_time="$secs" -rss_limit_mb=4096 -timeout=30 -max_len=65536
