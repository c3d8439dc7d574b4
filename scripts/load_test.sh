#!/usr/bin/env bash
# Load test of the SPARQL endpoint with a real HTTP client: wrk holds
# CONNECTIONS (200) connections open on loopback for DURATION seconds (12), each
# sending the next query as soon as the last one is answered, against
# `zhkg serve` with its default limits (4 queries evaluated at once, 256
# more requests waiting up to 10 s) on a store of the seed articles. The
# queries are named queries from queries/ (joins, aggregates, property paths)
# and a lookup, in turn.
#
# Fails when wrk saw any socket error (connect, read, write, timeout), any
# reply that is not 2xx, or any reply without result rows, or when the
# server's status page says more queries were evaluated at once than
# --workers allows. Prints requests/s and latency percentiles.
#
# Installs wrk (Debian package) when it is missing.
#
# Usage: bash scripts/load_test.sh              (builds zhkg with cargo)
#        ZHKG=/path/to/zhkg bash scripts/load_test.sh
#        CONNECTIONS=200 DURATION=12 bash scripts/load_test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CONNECTIONS=${CONNECTIONS:-200}
DURATION=${DURATION:-12}
WORKERS=4

say() { printf 'load test: %s\n' "$*" >&2; }
die() { printf 'load test: FAIL: %s\n' "$*" >&2; exit 1; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if ! command -v wrk >/dev/null; then
  say "installing wrk (apt-get)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
command -v wrk >/dev/null || die "wrk is missing after installing it"
command -v curl >/dev/null || die "curl is needed to read the status page"

TMP=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

if [ -z "${ZHKG:-}" ]; then
  cargo build --quiet
  TARGET=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
  # A private copy: another build sharing the target directory may replace
  # the binary while the test runs.
  cp "$TARGET/debug/zhkg" "$TMP/zhkg"
  ZHKG=$TMP/zhkg
fi
"$ZHKG" --version >/dev/null || die "$ZHKG does not run"

say "building the seeds into a throwaway store"
"$ZHKG" --store "$TMP/store" build "$ROOT/seeds" >/dev/null

# Port 0: the server picks a free port and names it on its first line.
"$ZHKG" --store "$TMP/store" serve --bind 127.0.0.1:0 --workers "$WORKERS" 2>"$TMP/serve.log" &
SERVER_PID=$!
ADDR=""
for _ in $(seq 100); do
  ADDR=$(sed -n 's|.*http://\([0-9.:]*\)/query.*|\1|p' "$TMP/serve.log" | head -1)
  [ -n "$ADDR" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "zhkg serve stopped: $(cat "$TMP/serve.log")"
  sleep 0.1
done
[ -n "$ADDR" ] || die "zhkg serve did not start: $(cat "$TMP/serve.log")"
URL=http://$ADDR/query
curl -sf -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?n { ?c zhkg:divisionCode "130529" ; rdfs:label ?n }' "$URL" \
  | grep -q 巨鹿县 || die "the warm-up query did not answer 巨鹿县"

Q=$ROOT/queries
printf '%s\n' 'SELECT ?name WHERE { ?c zhkg:divisionCode "130529" ; rdfs:label ?name }' >"$TMP/lookup.rq"
QUERIES=("$Q/organisations-per-county.rq" "$Q/programmes.rq" "$Q/outcomes-by-county.rq" "$Q/wages.rq" "$TMP/lookup.rq")
for f in "${QUERIES[@]}"; do [ -f "$f" ] || die "missing $f"; done
say "wrk: $CONNECTIONS connections for ${DURATION} s on $URL ($(basename -a "${QUERIES[@]}" | tr '\n' ' ' | sed 's/ $//'))"
# wrk's own timeout is above the server's worst case (10 s waiting, then a
# 10 s time limit), so every answer the server gives is counted as such.
wrk --threads 2 --connections "$CONNECTIONS" --duration "${DURATION}s" --timeout 25s --latency \
  --script "$ROOT/scripts/load_test/queries.lua" "$URL" -- "${QUERIES[@]}" | tee "$TMP/wrk.out"

STATUS=$(curl -sf "http://$ADDR/")
printf '%s\n' "$STATUS" | sed -n '/^evaluating/,$p'
LINE=$(grep '^LOAD ' "$TMP/wrk.out") || die "wrk printed no summary"
val() { printf '%s\n' "$LINE" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
for k in connect read write timeout non2xx no_rows; do
  [ "$(val $k)" = 0 ] || die "$k errors: $(val $k) ($LINE)"
done
[ "$(val requests)" -gt 0 ] || die "no requests were made"
PEAK=$(printf '%s\n' "$STATUS" | sed -n 's/^evaluating: [0-9]* (most at once: \([0-9]*\)).*/\1/p')
[ -n "$PEAK" ] && [ "$PEAK" -le "$WORKERS" ] || die "evaluated $PEAK queries at once, over --workers $WORKERS"
printf '%s\n' "$STATUS" | grep -q '^refused: 0 (queue full), 0 (waited too long)$' || die "the server refused requests: $STATUS"
say "ok: $(val requests) requests in $(val seconds) s, $(val rps) requests/s; latency p50 $(val p50_ms) ms, p90 $(val p90_ms) ms, p99 $(val p99_ms) ms, max $(val max_ms) ms; no errors; at most $PEAK queries evaluated at once"
