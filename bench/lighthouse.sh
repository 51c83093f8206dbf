#!/usr/bin/env bash
# Lighthouse (npm lighthouse@12.2.3, Debian's chromium) on the main pages of a running portal.
#   make run        # in another shell (or any server), then:
#   bench/lighthouse.sh [BASE_URL]      # default http://127.0.0.1:5000
# Prints the performance and accessibility scores per page; reports go to bench/results/lighthouse/.
set -euo pipefail
base="${1:-http://127.0.0.1:5000}"
out="$(dirname "$0")/results/lighthouse"
mkdir -p "$out"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-zygote --disable-background-networking --disable-component-update --no-first-run --disable-sync"
for page in / /vorschlaege /vorschlaege/1 /massnahmen /massnahmen/1 /statistik /leichte-sprache; do
  name="$(echo "$page" | tr '/' '_')"
  npx --yes lighthouse@12.2.3 "$base$page" --quiet --chrome-flags="$flags" \
    --only-categories=performance,accessibility --output=json --output-path="$out/${name:-_}.json" >/dev/null
  node -e '
    const r = require(process.argv[1]);
    const s = (c) => Math.round(r.categories[c].score * 100);
    console.log(`${process.argv[2].padEnd(18)} performance ${s("performance")}  accessibility ${s("accessibility")}  LCP ${Math.round(r.audits["largest-contentful-paint"].numericValue)} ms  transferred ${Math.round(r.audits["total-byte-weight"].numericValue / 1024)} KB`);
  ' "$(realpath "$out/${name:-_}.json")" "$page"
done
