#!/usr/bin/env bash
# Times the pages of `zhkg serve` on a cold file cache: drops the system's
# file cache (as root; otherwise says so and goes on warm), starts a fresh
# server over STORE, waits until it answers (and SETTLE more seconds, for
# its start-up reads of the home page's counts and the search's labels),
# then asks each page twice with a browser's Accept header and prints
# status, first and second time in seconds.
#
#   bash scripts/page-times.sh STORE [PATH...]
#
# Default paths: the home page, two county pages, two organisations, a
# programme, the query page with the county query and two searches (names
# the generated corpora of ../shared/bench/gen_corpus.py hold), and the
# first article of the store.
#
# Environment: ZHKG_BIN (default target/release/zhkg), PORT (7999),
# SETTLE (seconds to wait after the server answers, default 3).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STORE=${1:?usage: page-times.sh STORE [PATH...]}
shift
BIN=${ZHKG_BIN:-$ROOT/target/release/zhkg}
PORT=${PORT:-7999}
SETTLE=${SETTLE:-3}
[ -x "$BIN" ] || { echo "page-times: no zhkg at $BIN (cargo build --release, or set ZHKG_BIN)" >&2; exit 1; }
[ -d "$STORE" ] || { echo "page-times: no store at $STORE (zhkg build --store $STORE FILES)" >&2; exit 1; }
command -v curl >/dev/null || { echo "page-times: curl is needed" >&2; exit 1; }
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/?=&"))' "$1"; }

if [ $# -eq 0 ]; then
  article=$("$BIN" query --store "$STORE" --format csv \
    'SELECT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle } } LIMIT 1' | sed -n 2p | tr -d '\r')
  set -- / /id/place/130529 /id/place/330824 /id/org/淘宝 /id/org/阿里巴巴集团 \
    /id/programme/数字化就业项目 "/sparql?named=county&param.county=巨鹿县" \
    "/search?q=淘寶" "/search?q=中心"
  [ -n "$article" ] && set -- "$@" "/id/article/${article##*/id/article/}"
fi

if [ "$(id -u)" = 0 ]; then
  sync
  echo 3 > /proc/sys/vm/drop_caches
else
  echo "page-times: not root, so the file cache stays warm (first visits will look faster)" >&2
fi
LOG=$(mktemp)
"$BIN" serve --store "$STORE" --bind "127.0.0.1:$PORT" 2> "$LOG" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 150); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.2
done
sleep "$SETTLE"
ask() { curl -s -H 'Accept: text/html' -o /dev/null -w '%{http_code} %{time_total}' "http://127.0.0.1:$PORT$1"; }
printf '%-60s %s\n' page "status first again"
for p in "$@"; do
  u=$(enc "$p")
  a=$(ask "$u")
  b=$(ask "$u")
  printf '%-60s %s %s\n' "$p" "$a" "${b#* }"
done
grep 'pages ready' "$LOG" >&2 || true
