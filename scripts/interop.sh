#!/usr/bin/env bash
# Interop tests: zhkg's exports, query results and SHACL validation checked by
# independent tools. Builds the seeds into a throwaway store, exports every
# format, then:
#   1. rdflib parses Turtle, N-Triples, RDF/XML (triple counts), N-Quads, TriG
#      and JSON-LD (quad counts) and gets zhkg's counts;
#   2. rdflib runs every named query (queries/*.rq) on the N-Quads export and
#      gets zhkg's results (compared as sets of normalised rows);
#   3. pyshacl and `zhkg validate` agree on ontology/shapes.ttl, for the seeds
#      (both conform) and for a deliberately broken copy (both find the same
#      violations);
#   4. rapper (raptor2) and Jena riot --validate accept Turtle, N-Triples and
#      RDF/XML;
#   5. Virtuoso Open Source, started on loopback ports with a throwaway
#      database, bulk-loads the N-Quads and runs the named queries; results
#      must equal zhkg's (Virtuoso deviations are listed in
#      scripts/interop/check.py with their reasons).
# Installs what is missing (apt-get: raptor2-utils, libapache-jena-java,
# virtuoso-opensource; pip: rdflib, pyshacl). Fails loudly: a missing tool is
# an error, never a skip. Idempotent; about 3–5 minutes on two cores once the
# tools are installed.
#
# Usage: bash scripts/interop.sh            (builds zhkg with cargo)
#        ZHKG=/path/to/zhkg bash scripts/interop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HERE=$ROOT/scripts/interop

say() { printf '\ninterop: %s\n' "$*" >&2; }
die() { printf 'interop: FAIL: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------ tools
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
JENA_CMDS=/usr/share/java/jena-cmds.jar
missing=()
command -v rapper >/dev/null || missing+=(raptor2-utils)
{ [ -f "$JENA_CMDS" ] && command -v java >/dev/null; } || missing+=(libapache-jena-java default-jre-headless)
{ command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; } || missing+=(virtuoso-opensource)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (apt-get)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v rapper >/dev/null || die "rapper is missing after installing raptor2-utils"
[ -f "$JENA_CMDS" ] || die "$JENA_CMDS is missing after installing libapache-jena-java"
command -v virtuoso-t >/dev/null || die "virtuoso-t is missing after installing virtuoso-opensource"
PY=${PYTHON:-python3}
VENV=$HOME/.cache/zhkg/interop-venv
if ! "$PY" -c 'import rdflib, pyshacl' 2>/dev/null; then
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import rdflib, pyshacl' 2>/dev/null; then
    PY=$VENV/bin/python
  else
    say "installing rdflib and pyshacl (pip)"
    # A Debian system Python refuses pip installs (PEP 668): use a venv then.
    if ! "$PY" -m pip install -q rdflib pyshacl; then
      "$PY" -m venv "$VENV" 2>/dev/null || {
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
        "$PY" -m venv "$VENV"
      }
      "$VENV/bin/python" -m pip install -q rdflib pyshacl
      PY=$VENV/bin/python
    fi
  fi
fi
"$PY" -c 'import rdflib, pyshacl' || die "rdflib/pyshacl cannot be imported after pip install"

# ------------------------------------------------------------- zhkg, data
if [ -n "${ZHKG:-}" ]; then
  ZHKG_CMD=("$ZHKG")
else
  # The built executable itself, not `cargo run`: a server started in the
  # background must be the process its PID names, or stopping it leaves
  # zhkg running (see serve_check).
  ZHKG_BIN=$(cargo build --quiet --bin zhkg --message-format=json | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "zhkg":
        print(m["executable"])') || die "zhkg did not build"
  [ -x "$ZHKG_BIN" ] || die "no zhkg executable at '$ZHKG_BIN'"
  ZHKG_CMD=("$ZHKG_BIN")
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/zhkg-interop.XXXXXX")
VIRTUOSO_PID=""
cleanup() {
  if [ -n "${SERVE_PID:-}" ]; then kill "$SERVE_PID" 2>/dev/null || true; fi
  if [ -n "$VIRTUOSO_PID" ] && kill -0 "$VIRTUOSO_PID" 2>/dev/null; then
    kill "$VIRTUOSO_PID" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$VIRTUOSO_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$VIRTUOSO_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
zhkg() { "${ZHKG_CMD[@]}" --store "$WORK/store" "$@"; }

say "building the seeds into $WORK/store"
zhkg build seeds >/dev/null
EXPORT=$WORK/export
mkdir -p "$EXPORT" "$WORK/results"
for f in turtle:ttl ntriples:nt nquads:nq trig:trig rdfxml:rdf jsonld:jsonld; do
  zhkg export --include-ontology --format "${f%%:*}" -o "$EXPORT/zhkg.${f##*:}"
done
scalar() { zhkg query "$1" --format tsv | sed -n 2p | sed -E 's/^"?([0-9]+).*/\1/'; }
QUADS=$(scalar 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }')
TRIPLES=$(scalar 'SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }')
[ -n "$QUADS" ] && [ -n "$TRIPLES" ] || die "cannot count the store's quads"
NAMES=()
for q in queries/*.rq; do
  n=$(basename "$q" .rq)
  NAMES+=("$n")
  zhkg query "$n" --format json >"$WORK/results/$n.json"
done
say "zhkg: $QUADS quads, $TRIPLES distinct triples, ${#NAMES[@]} named queries"

status=0
step() { # name, command…: runs a check, remembers a failure, goes on
  local name=$1; shift
  say "$name"
  if ! "$@"; then
    printf 'interop: FAIL: %s\n' "$name" >&2
    status=1
  fi
}

# ----------------------------------------------------------------- rdflib
step "rdflib parses every export format" \
  timeout 300 "$PY" "$HERE/check.py" counts "$EXPORT" "$QUADS" "$TRIPLES"
step "rdflib runs the named queries on the N-Quads export" \
  timeout 600 "$PY" "$HERE/check.py" rdflib-queries "$EXPORT/zhkg.nq" queries "$WORK/results" "$EXPORT/zhkg.ttl"

# ------------------------------------------------------------------ SHACL
shacl_pair() { # data file, expected zhkg exit code, minimum number of results
  local data=$1 want=$2 at_least=${3:-0} got=0
  zhkg validate --data "$data" --format json >"$data.report.json" || got=$?
  if [ "$got" != "$want" ]; then
    echo "zhkg validate --data $data exited $got, expected $want" >&2
    return 1
  fi
  timeout 300 "$PY" "$HERE/check.py" shacl "$data" ontology/shapes.ttl "$data.report.json" "$at_least"
}
step "zhkg validate (store) finds no violations in the seeds" zhkg validate
step "pyshacl and zhkg validate agree on the seeds (both conform)" shacl_pair "$EXPORT/zhkg.ttl" 0
"$PY" "$HERE/break_graph.py" "$EXPORT/zhkg.ttl" "$WORK/broken.ttl"
step "pyshacl and zhkg validate agree on a broken copy (both find the defects)" shacl_pair "$WORK/broken.ttl" 1 7

# ------------------------------------------------------- rapper and riot
rapper_check() {
  local fmt=$1 file=$2 out n
  out=$(rapper -q -i "$fmt" -c "$file" 2>&1) || { echo "$out" >&2; return 1; }
  n=$(rapper -i "$fmt" -c "$file" 2>&1 | sed -nE 's/.*returned ([0-9]+) triples.*/\1/p')
  echo "  rapper -i $fmt accepts $(basename "$file"): $n triples"
  [ "$n" = "$TRIPLES" ] || { echo "rapper counts $n triples, zhkg $TRIPLES" >&2; return 1; }
}
step "rapper accepts Turtle" rapper_check turtle "$EXPORT/zhkg.ttl"
step "rapper accepts N-Triples" rapper_check ntriples "$EXPORT/zhkg.nt"
step "rapper accepts RDF/XML" rapper_check rdfxml "$EXPORT/zhkg.rdf"

# Debian's libapache-jena-java has no `riot` script: run riotcmd.riot with the
# jars of the package and its Java dependencies. Its Jena 4.5 moves the
# bundled Xerces classes to the package `xerces` but leaves their message
# resources under org/apache/jena/ext/xerces, and Jena's start-up then fails
# with "RuntimeException: internal error" in XSSimpleTypeDecl: copying the
# resources to xerces/ fixes that. slf4j-simple makes riot's warnings visible.
JENA_CP=$WORK/jena-fix
mkdir -p "$JENA_CP"
(cd "$JENA_CP" && unzip -q -o /usr/share/java/jena-core.jar 'org/apache/jena/ext/xerces/*.properties' \
  && mkdir -p xerces && cp -r org/apache/jena/ext/xerces/. xerces/)
for p in $(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances libapache-jena-java 2>/dev/null | grep -E '^lib.*java$' | sort -u); do
  for j in $(dpkg -L "$p" 2>/dev/null | grep -E '^/usr/share/java/[^/]*\.jar$' \
    | grep -vE -- '-[0-9][0-9.]*(-[A-Za-z0-9.]+)?\.jar$' \
    | grep -vE 'log4j-over-slf4j|slf4j-(log4j12|jdk14|nop|simple|jcl|reload|migrator|ext)|jcl-over-slf4j'); do
    JENA_CP=$JENA_CP:$j
  done
done
JENA_CP=$JENA_CP:/usr/share/java/slf4j-simple.jar
riot_check() {
  local file=$1 log=$WORK/riot.log rc=0
  timeout 300 java -cp "$JENA_CP" riotcmd.riot --validate "$file" >"$log" 2>&1 || rc=$?
  # The seeds contain characters lost in the source, which zhkg keeps as
  # U+FFFD (see README): riot warns about each, and exits 1 on warnings.
  # Any other message, or a failure without messages, is an error.
  local other
  other=$(grep -v -e 'Unicode replacement character U+FFFD' -e '^SLF4J' "$log" || true)
  local warned
  warned=$(grep -c 'Unicode replacement character U+FFFD' "$log" || true)
  if [ -n "$other" ] || { [ "$rc" != 0 ] && [ "$warned" = 0 ]; }; then
    echo "riot --validate $(basename "$file") exited $rc:" >&2
    head -20 "$log" >&2
    return 1
  fi
  echo "  riot --validate accepts $(basename "$file") ($warned warnings about U+FFFD in literals)"
}
step "Jena riot --validate accepts Turtle" riot_check "$EXPORT/zhkg.ttl"
step "Jena riot --validate accepts N-Triples" riot_check "$EXPORT/zhkg.nt"
step "Jena riot --validate accepts RDF/XML" riot_check "$EXPORT/zhkg.rdf"

# --------------------------------------------------------------- Virtuoso
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
virtuoso_check() {
  local db=$WORK/virtuoso sql_port http_port ini
  mkdir -p "$db"
  sql_port=$(free_port)
  http_port=$(free_port)
  ini=$db/virtuoso.ini
  local template=/etc/virtuoso-opensource-7/virtuoso.ini
  [ -f "$template" ] || template=/usr/share/virtuoso-opensource-7/virtuoso.ini
  [ -f "$template" ] || { echo "no virtuoso.ini template found" >&2; return 1; }
  # The packaged configuration with our database directory, loopback ports,
  # the export folder allowed for ld_dir, and no periodic checkpoints.
  sed -E \
    -e "s#/var/lib/virtuoso-opensource-7/db/#$db/#" \
    -e "/^\[Parameters\]/,/^\[/ s#^ServerPort[[:space:]]*=.*#ServerPort = 127.0.0.1:$sql_port#" \
    -e "/^\[HTTPServer\]/,/^\[/ s#^ServerPort[[:space:]]*=.*#ServerPort = 127.0.0.1:$http_port#" \
    -e "s#^DirsAllowed[[:space:]]*=.*#DirsAllowed = ., $EXPORT, /usr/share/virtuoso-opensource-7/vad#" \
    -e "s#^CheckpointInterval[[:space:]]*=.*#CheckpointInterval = 0#" \
    "$template" >"$ini"
  grep -q "127.0.0.1:$sql_port" "$ini" && grep -q "127.0.0.1:$http_port" "$ini" \
    || { echo "could not set the ports in $ini" >&2; return 1; }
  (cd "$db" && exec virtuoso-t +configfile "$ini" +foreground >"$db/stdout.log" 2>&1) &
  VIRTUOSO_PID=$!
  local isql=(isql-vt "127.0.0.1:$sql_port" dba dba)
  for _ in $(seq 120); do
    "${isql[@]}" exec="SELECT 1;" >/dev/null 2>&1 && break
    kill -0 "$VIRTUOSO_PID" 2>/dev/null || { echo "virtuoso-t exited:" >&2; tail -20 "$db/virtuoso.log" >&2; return 1; }
    sleep 0.5
  done
  "${isql[@]}" exec="SELECT 1;" >/dev/null 2>&1 || { echo "Virtuoso did not start within 60 s" >&2; return 1; }
  echo "  Virtuoso $(virtuoso-t -? 2>&1 | sed -n 's/.*Version \([^ ]*\).*/\1/p' | head -1) on 127.0.0.1:$sql_port (SQL), :$http_port (HTTP)"
  # Bulk load: N-Quads keep their graph names (the third argument is only
  # the graph for triple files).
  timeout 300 "${isql[@]}" exec="ld_dir('$EXPORT', 'zhkg.nq', 'urn:zhkg:unused'); rdf_loader_run(); checkpoint;" >"$db/load.log" 2>&1 \
    || { cat "$db/load.log" >&2; return 1; }
  local errors
  errors=$("${isql[@]}" exec="SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;" 2>&1 | awk '/^_+$/{getline; getline; print; exit}' | tr -d ' ')
  [ "$errors" = 0 ] || { "${isql[@]}" exec="SELECT ll_file, ll_error FROM DB.DBA.load_list;" >&2; return 1; }
  local loaded
  loaded=$("${isql[@]}" exec="SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), 'https://w3id.org/zhkg/')) };" 2>&1 | awk '/^_+$/{getline; getline; print; exit}' | tr -d ' ')
  echo "  Virtuoso loaded $loaded quads into zhkg's graphs (zhkg: $QUADS)"
  [ "$loaded" = "$QUADS" ] || { echo "Virtuoso loaded $loaded quads, zhkg has $QUADS" >&2; return 1; }
  timeout 300 "$PY" "$HERE/check.py" sparql-endpoint "http://127.0.0.1:$http_port/sparql" queries "$WORK/results" "$EXPORT/zhkg.ttl" || return 1
  "${isql[@]}" exec="shutdown;" >/dev/null 2>&1 || true
  for _ in $(seq 40); do kill -0 "$VIRTUOSO_PID" 2>/dev/null || break; sleep 0.5; done
}
step "Virtuoso loads the N-Quads export and answers the named queries like zhkg" virtuoso_check

# zhkg serve, spoken to by curl: the SPARQL 1.1 Protocol on loopback.
SERVE_PID=""
serve_check() {
  local port url out code
  port=$(free_port)
  url="http://127.0.0.1:$port"
  # Started directly, not through the zhkg function: in the background a
  # function runs in a subshell, and its PID is not the server's.
  "${ZHKG_CMD[@]}" --store "$WORK/store" serve --bind "127.0.0.1:$port" >"$WORK/serve.log" 2>&1 &
  SERVE_PID=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "$url/query?query=ASK%7B%7D" && break
    kill -0 "$SERVE_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; return 1; }
    sleep 0.2
  done
  # GET with content negotiation: JSON results, the seeds' five articles.
  out=$(curl -sf -H 'Accept: application/sparql-results+json' --get \
    --data-urlencode 'query=SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://schema.org/NewsArticle> }' \
    "$url/query") || { echo "GET /query failed" >&2; return 1; }
  echo "$out" | "$PY" -c 'import json,sys; n=int(json.load(sys.stdin)["results"]["bindings"][0]["n"]["value"]); print(f"  GET /query (JSON): {n} articles"); sys.exit(n != 5)' || return 1
  # POST a query body, CSV back.
  out=$(curl -sf -H 'Accept: text/csv' -H 'Content-Type: application/sparql-query' \
    --data-binary 'SELECT ?c WHERE { ?c <https://w3id.org/zhkg/ontology#divisionCode> "130529" }' \
    "$url/query") || { echo "POST /query failed" >&2; return 1; }
  echo "$out" | grep -q '/place/130529' || { echo "POST /query: 巨鹿县 130529 not in $out" >&2; return 1; }
  echo "  POST /query (CSV): 130529 found"
  # Read-only: an update is refused, and so is SERVICE.
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/sparql-update' \
    --data-binary 'INSERT DATA { <urn:x> <urn:y> <urn:z> }' "$url/update")
  [ "$code" = 403 ] || { echo "update: want 403, got $code" >&2; return 1; }
  echo "  POST /update refused: $code"
  code=$(curl -s -o /dev/null -w '%{http_code}' --get \
    --data-urlencode 'query=SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }' "$url/query")
  [ "$code" = 400 ] || { echo "SERVICE: want 400, got $code" >&2; return 1; }
  echo "  SERVICE refused: $code"
  kill "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
}
step "zhkg serve answers curl over the SPARQL protocol, read-only" serve_check

if [ "$status" != 0 ]; then
  say "FAILED: see the messages above"
  exit 1
fi
say "all interop checks passed"
