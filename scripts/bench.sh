#!/usr/bin/env bash
# Benchmarks zhkg on a synthetic corpus and prints a Markdown report:
# extract and build throughput at 1 and 2 threads, peak memory, store size,
# incremental rebuilds, the latency of every named query, quads and store
# bytes per article, and the two references set side by side in the same
# run: bare jieba-rs segmentation and tagging over the same text (for
# extract), and Oxigraph's bulk loader alone on zhkg's own N-Quads (for
# build).
#
#   bash scripts/bench.sh                  # 2,000 articles (about 7.7 MB)
#   BENCH_LARGE=1 bash scripts/bench.sh    # 20,000 articles (about 77 MB)
#
# Environment (all optional):
#   BENCH_N           number of articles (overrides BENCH_LARGE)
#   BENCH_THREADS     thread counts, default "1 2" (RAYON_NUM_THREADS)
#   BENCH_GEN         corpus generator, default ../shared/bench/gen_corpus.py
#   BENCH_SEEDS       seed articles, default seeds/
#   BENCH_NO_JIEBA=1  skip the bare jieba-rs reference (it is built with cargo bench)
#   BENCH_NO_LOADER=1 skip Oxigraph's bulk loader alone (pyoxigraph, pip-installed
#                     into ~/.cache/zhkg/bench-venv when the system Python lacks it)
#   BENCH_PYOXIGRAPH  its version, default 0.5.13 (the oxigraph zhkg links)
#   BENCH_KEEP=1      keep the work folder (corpus, stores, raw timings)
#   BENCH_RUNS        runs of `extract` and of its whole-process jieba reference,
#                     default 3; the best of each is the table's figure and the
#                     spread is noted (a first touch of memory on a virtual
#                     machine can double one run's wall time)
#   BENCH_QUERY_TIMEOUT  seconds per query before it is reported as a timeout (300);
#                     a query is run three times (best kept) unless it takes over 10 s
#   ZHKG_BIN          the zhkg binary to measure; default: the release build,
#                     built first (cargo build --release) if needed
#   JIEBA_BASELINE_BIN  a built benches/jieba_baseline executable (default:
#                     cargo bench --bench jieba_baseline, with the release deps)
#   BENCH_BUILD       how the binaries were built, for the report ("release build")
#
# It needs python3 and GNU time (/usr/bin/time, installed with apt-get when
# missing). Timings are wall clock; each command is one process, so they
# include start-up (loading the dictionary and lexicons, opening the store).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# Messages go to the script's own standard error (fd 3), also from commands
# whose stderr is redirected to a log.
exec 3>&2
die() { echo "bench: $*" >&3; exit 1; }
note() { echo "bench: $*" >&3; }

N=${BENCH_N:-}
if [ -z "$N" ]; then
  if [ "${BENCH_LARGE:-0}" = 1 ]; then N=20000; else N=2000; fi
fi
THREADS=${BENCH_THREADS:-1 2}
GEN=${BENCH_GEN:-$ROOT/../shared/bench/gen_corpus.py}
SEEDS=${BENCH_SEEDS:-$ROOT/seeds}
QUERY_TIMEOUT=${BENCH_QUERY_TIMEOUT:-300}
RUNS=${BENCH_RUNS:-3}

command -v python3 >/dev/null || die "python3 is needed (corpus generator and report)"
[ -f "$GEN" ] || die "corpus generator not found at $GEN (set BENCH_GEN to gen_corpus.py)"
[ -d "$SEEDS" ] || die "seed articles not found at $SEEDS (set BENCH_SEEDS)"
if [ ! -x /usr/bin/time ]; then
  note "installing GNU time (for peak memory)"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi
[ -x /usr/bin/time ] || die "/usr/bin/time is still missing; install GNU time by hand"

# The binary: the release build unless ZHKG_BIN says otherwise.
if [ -z "${ZHKG_BIN:-}" ]; then
  TARGET_DIR=$(cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  ZHKG_BIN=$TARGET_DIR/release/zhkg
  if [ ! -x "$ZHKG_BIN" ]; then
    note "building the release binary (the first build compiles RocksDB: 20-30 min on two cores)"
  fi
  bash scripts/setup.sh
  cargo build --release --quiet
fi
[ -x "$ZHKG_BIN" ] || die "no zhkg binary at $ZHKG_BIN"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/zhkg-bench.XXXXXX")
if [ "${BENCH_KEEP:-0}" = 1 ]; then
  note "work folder kept: $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
CORPUS=$WORK/corpus
RESULTS=$WORK/results.tsv   # kind label threads nanoseconds [extra]
mkdir -p "$WORK/time"
: > "$RESULTS"

note "generating $N articles (--seed 1)"
python3 "$GEN" --seeds "$SEEDS" --out "$CORPUS" -n "$N" --seed 1 >&2
ARTICLES=$(find "$CORPUS" -type f \( -name '*.txt' -o -name '*.html' -o -name '*.md' \) | wc -l)
BYTES=$(find "$CORPUS" -type f \( -name '*.txt' -o -name '*.html' -o -name '*.md' \) -printf '%s\n' \
  | awk '{s += $1} END {print s + 0}')
[ "$ARTICLES" -gt 0 ] || die "the generator wrote no articles into $CORPUS"
find "$CORPUS" -type f \( -name '*.txt' -o -name '*.html' -o -name '*.md' \) | sort \
  | python3 -c 'import json,os,sys
for l in sys.stdin: print(json.dumps({"path": os.path.abspath(l.rstrip("\n"))}))' \
  > "$WORK/records.jsonl"

# measure KIND LABEL THREADS CMD...: runs CMD under GNU time (peak memory in
# $WORK/time/LABEL) and appends its wall time to $RESULTS. Standard input and
# output are the caller's.
measure() {
  local kind=$1 label=$2 threads=$3
  shift 3
  local t0 t1
  t0=$(date +%s%N)
  if ! RAYON_NUM_THREADS=$threads /usr/bin/time -v -o "$WORK/time/$label" "$@"; then
    tail -n 20 "$WORK/$label.err" >&3 2>/dev/null || true
    die "$label failed: $* (its messages: $WORK/$label.err)"
  fi
  t1=$(date +%s%N)
  printf '%s\t%s\t%s\t%s\n' "$kind" "$label" "$threads" "$((t1 - t0))" >> "$RESULTS"
}

note "start-up: one tiny record through zhkg extract --jsonl"
echo '{"id": "startup", "text": "巨鹿县。"}' > "$WORK/one.jsonl"
measure startup startup 1 "$ZHKG_BIN" extract --jsonl < "$WORK/one.jsonl" > /dev/null 2> "$WORK/startup.err"

for t in $THREADS; do
  for run in $(seq "$RUNS"); do
    note "extract --jsonl, $t thread(s), run $run of $RUNS"
    measure extract "extract-$t" "$t" "$ZHKG_BIN" extract --jsonl \
      < "$WORK/records.jsonl" > /dev/null 2> "$WORK/extract-$t.err"
  done
  tail -n 1 "$WORK/extract-$t.err" >&2
done

# zhkg's own N-Quads of the corpus: what the graph costs per article, and
# the input of the loader-alone reference below.
note "writing the corpus's N-Quads (extract --jsonl)"
"$ZHKG_BIN" extract --jsonl < "$WORK/records.jsonl" > "$WORK/graph.nq" 2> "$WORK/nq.err" \
  || die "extract --jsonl failed: $(tail -n 5 "$WORK/nq.err")"
printf 'nquads\tnquads\t1\t%s\t%s\n' "$(wc -l < "$WORK/graph.nq")" \
  "$(LC_ALL=C sort -u "$WORK/graph.nq" | wc -l)" >> "$RESULTS"

# Oxigraph's bulk loader alone on those N-Quads (pyoxigraph bulk_load and
# optimize, one process): the store's own speed, which zhkg build is set
# against. pyoxigraph goes into a cached venv when the system Python lacks it.
if [ "${BENCH_NO_LOADER:-0}" != 1 ]; then
  PYOXIGRAPH=${BENCH_PYOXIGRAPH:-0.5.13}
  LOADER_PY=python3
  if ! python3 -c "import pyoxigraph, sys; sys.exit(pyoxigraph.__version__ != '$PYOXIGRAPH')" 2>/dev/null; then
    VENV=$HOME/.cache/zhkg/bench-venv
    if ! "$VENV/bin/python" -c "import pyoxigraph, sys; sys.exit(pyoxigraph.__version__ != '$PYOXIGRAPH')" 2>/dev/null; then
      note "installing pyoxigraph $PYOXIGRAPH into $VENV"
      python3 -m venv "$VENV" || die "python3 -m venv failed (install python3-venv)"
      "$VENV/bin/python" -m pip install -q "pyoxigraph==$PYOXIGRAPH" || die "pip install pyoxigraph failed"
    fi
    LOADER_PY=$VENV/bin/python
  fi
  CORES=$(nproc)
  note "Oxigraph's bulk loader alone (pyoxigraph $PYOXIGRAPH bulk_load + optimize)"
  measure loader "loader-$CORES" "$CORES" "$LOADER_PY" "$ROOT/scripts/bulk_load.py" \
    "$WORK/loader-store" "$WORK/graph.nq" > "$WORK/loader.out" 2> "$WORK/loader-$CORES.err"
  printf 'loadersize\tloader\t%s\t%s\t%s\n' "$CORES" "$(du -sb "$WORK/loader-store" | cut -f1)" \
    "$(awk '$1 == "quads" {print $2}' "$WORK/loader.out")" >> "$RESULTS"
fi

if [ "${BENCH_NO_JIEBA:-0}" != 1 ]; then
  note "bare jieba-rs over the same text; the first run compiles it (cargo bench --bench jieba_baseline)"
  if [ -z "${JIEBA_BASELINE_BIN:-}" ]; then
    JIEBA_BASELINE_BIN=$(cargo bench --quiet --no-run --bench jieba_baseline --message-format=json \
      | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "jieba_baseline":
        print(m["executable"])') || die "the jieba baseline did not build"
  fi
  [ -x "$JIEBA_BASELINE_BIN" ] || die "no jieba baseline executable at '$JIEBA_BASELINE_BIN'"
  # The tagging loop alone, warm, dictionary loaded before the clock.
  ZHKG_BENCH_CORPUS=$CORPUS ZHKG_BENCH_THREADS=${THREADS// /,} \
    "$JIEBA_BASELINE_BIN" > "$WORK/jieba.tsv" || die "the jieba baseline failed"
  awk -F'\t' '{printf "jieba\t%s-%s\t%s\t%d\n", $1, $2, $2, $5 * 1e9}' "$WORK/jieba.tsv" >> "$RESULTS"
  # The whole process, as zhkg extract is timed: start-up, dictionary, reading
  # the files and one cold tagging pass. The reference for extract.
  for t in $THREADS; do
    for run in $(seq "$RUNS"); do
      measure jiebawhole "jieba-tag-whole-$t" "$t" env ZHKG_BENCH_WHOLE=1 ZHKG_BENCH_CORPUS="$CORPUS" \
        ZHKG_BENCH_THREADS="$t" "$JIEBA_BASELINE_BIN" > "$WORK/jieba-whole-$t.tsv" \
        2> "$WORK/jieba-tag-whole-$t.err"
    done
  done
fi

for t in $THREADS; do
  store=$WORK/store-$t
  note "build into a new store, $t thread(s)"
  measure build "build-$t" "$t" "$ZHKG_BIN" build --store "$store" "$CORPUS" \
    > "$WORK/build-$t.out" 2> "$WORK/build-$t.err"
  grep -E '^(articles|quads)' "$WORK/build-$t.out" >&2 || true
  printf 'size\tstore-%s\t%s\t%s\t%s\n' "$t" "$t" "$(du -sb "$store" | cut -f1)" \
    "$(awk '$1 == "quads" {print $2}' "$WORK/build-$t.out")" >> "$RESULTS"
  note "build again, nothing changed, $t thread(s)"
  measure unchanged "unchanged-$t" "$t" "$ZHKG_BIN" build --store "$store" "$CORPUS" \
    > "$WORK/unchanged-$t.out" 2> "$WORK/unchanged-$t.err"
  grep -qE '^articles .* 0 written' "$WORK/unchanged-$t.out" \
    || die "the unchanged rebuild wrote articles: $(grep '^articles' "$WORK/unchanged-$t.out")"
  # RocksDB compacts in the background: the size once a later run has
  # reopened the store is the lasting one.
  printf 'compacted\tstore-%s\t%s\t%s\n' "$t" "$t" "$(du -sb "$store" | cut -f1)" >> "$RESULTS"
done

# One article changed: a sentence appended to the first text article.
# (sed, not head: head would close the pipe early and pipefail stop the script)
CHANGED=$(find "$CORPUS" -type f -name '*.txt' | sort | sed -n 1p)
printf '\n义乌市人社局举办直播电商培训会，学员300人。\n' >> "$CHANGED"
for t in $THREADS; do
  note "build again after changing one article, $t thread(s)"
  measure changed "changed-$t" "$t" "$ZHKG_BIN" build --store "$WORK/store-$t" "$CORPUS" \
    > "$WORK/changed-$t.out" 2> "$WORK/changed-$t.err"
  grep -qE '^articles .* 1 written' "$WORK/changed-$t.out" \
    || die "the rebuild after one change did not write one article: $(grep '^articles' "$WORK/changed-$t.out")"
done

# Every graph re-extracted and replaced, as after an upgrade of zhkg: only
# the difference between each old and new graph is written.
for t in $THREADS; do
  note "build again with --force, $t thread(s)"
  measure forced "forced-$t" "$t" "$ZHKG_BIN" build --force --store "$WORK/store-$t" "$CORPUS" \
    > "$WORK/forced-$t.out" 2> "$WORK/forced-$t.err"
  grep -qE "^articles .* $ARTICLES written" "$WORK/forced-$t.out" \
    || die "the forced rebuild did not write every article: $(grep '^articles' "$WORK/forced-$t.out")"
done

# Queries against the last store (it holds the changed article too). Each
# query is run three times; the report keeps the fastest (warm page cache).
QSTORE=$WORK/store-$(echo "$THREADS" | awk '{print $NF}')
run_query() {
  local label=$1
  shift
  local best="" t0 t1 rc
  for _ in 1 2 3; do
    t0=$(date +%s%N)
    rc=0
    timeout "$QUERY_TIMEOUT" "$ZHKG_BIN" query --store "$QSTORE" "$@" --format tsv \
      > "$WORK/query.out" 2> "$WORK/query.err" || rc=$?
    t1=$(date +%s%N)
    if [ "$rc" = 124 ]; then best=timeout; break; fi
    [ "$rc" = 0 ] || die "query $label failed: $(head -c 500 "$WORK/query.err")"
    if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then best=$((t1 - t0)); fi
    # A query slower than 10 s is measured once.
    [ $((t1 - t0)) -lt 10000000000 ] || break
  done
  local rows=$(($(wc -l < "$WORK/query.out") - 1))
  [ "$best" = timeout ] && rows=""
  printf 'query\t%s\t1\t%s\t%s\n' "$label" "$best" "$rows" >> "$RESULTS"
}
note "queries"
QUERIES=$("$ZHKG_BIN" query --store "$QSTORE" --list | awk '{print $1}')
[ -n "$QUERIES" ] || die "zhkg query --list named no query"
for q in $QUERIES; do
  run_query "$q" "$q"
done
# Lookups of one thing that the generated corpus names often, and the
# first page (1,000 rows) of every query.
run_query "county --param county=义乌市" county --param county=义乌市
run_query "person --param person=刘琳" person --param person=刘琳
run_query "organisation --param organisation=淘宝" organisation --param organisation=淘宝
for q in $QUERIES; do
  run_query "$q --limit 1000" "$q" --limit 1000
done

python3 "$ROOT/scripts/bench_report.py" \
  --results "$RESULTS" --times "$WORK/time" \
  --articles "$ARTICLES" --bytes "$BYTES" --seed 1 \
  --command "${BENCH_COMMAND:-bash scripts/bench.sh}" \
  --build "${BENCH_BUILD:-release build}"
