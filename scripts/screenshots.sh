#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png: the home page, a county, an article and
# the query page of a store built from seeds/, as headless Chromium draws
# them (1200x900), shrunk with pngquant when it is
# installed. Chinese text needs a CJK font (apt-get install -y fonts-wqy-zenhei).
#
#   bash scripts/screenshots.sh            # needs chromium (apt-get install -y chromium)
#
# The store and the server are temporary; the server listens on loopback
# on a free port and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "screenshots: install chromium (apt-get install -y chromium)" >&2; exit 1; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zhkg/target}"
cargo build --quiet
zhkg="$CARGO_TARGET_DIR/debug/zhkg"
work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"$zhkg" build seeds/ --store "$work/store" >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$zhkg" serve --store "$work/store" --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
  sleep 0.2
done
base="http://127.0.0.1:$port"
query() {
  curl -fsG "$base/query" -H 'Accept: text/csv' --data-urlencode "query=$1" | sed -n 2p | tr -d '\r'
}
article="$(query 'SELECT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle } } ORDER BY ?a LIMIT 1')"
article="/id/${article#https://w3id.org/zhkg/id/}"
sparql="/sparql?query=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote_plus(sys.argv[1]))' \
  'SELECT ?county ?located WHERE { GRAPH <https://w3id.org/zhkg/graph/facts> { ?located zhkg:locatedIn ?county } ?county zhkg:level "county" } ORDER BY ?county ?located LIMIT 12')"
mkdir -p docs/screenshots
shot() {
  local name="$1" path="$2"
  chromium --headless --disable-gpu --no-sandbox --no-first-run --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size=1200,900 \
    --screenshot="docs/screenshots/$name.png" "$base$path" >/dev/null 2>&1
  if command -v pngquant >/dev/null; then
    pngquant --force --skip-if-larger --quality=40-80 --output "docs/screenshots/$name.png" "docs/screenshots/$name.png" || true
  fi
  echo "docs/screenshots/$name.png: $(wc -c <"docs/screenshots/$name.png") bytes"
}
shot home /
shot county /id/place/130529
shot article "$article"
shot query "$sparql"
