#!/usr/bin/env bash
# Real-browser quality tests of the built site: axe-core (WCAG 2.1 AA, light and dark), 360 px
# layout, Japanese fonts, no external requests, page weight, screenshots, and the Nu Html Checker
# over the whole site. Installs what it needs (Debian chromium + fonts-noto-cjk, npm packages
# pinned in package-lock.json) and is safe to run again. Usage: bash tests/browser/run.sh
set -euo pipefail
start=$SECONDS
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# 1. System packages: Debian's Chromium and a Japanese font (no browser download of our own).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! { command -v fc-list >/dev/null && fc-list ':lang=ja' family | grep -q .; }; then
  missing+=(fonts-noto-cjk)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "browser: installing ${missing[*]} from Debian"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for tool in node npm java; do
  command -v "$tool" >/dev/null || { echo "browser: $tool is required" >&2; exit 2; }
done

# 2. npm packages, exactly as locked (install scripts off: vnu-jar's would fetch a JRE; Java 17 is here).
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

# 3. The real site, built into a temporary folder.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && cargo run --release --quiet -- build --root "$root" --output "$tmp/site")

# 4. The checks (they serve the site on 127.0.0.1 themselves).
status=0
node "$here/test.mjs" "$tmp/site" || status=$?
echo "browser: total run time $((SECONDS - start)) s"
exit "$status"
