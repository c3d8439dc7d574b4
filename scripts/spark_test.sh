#!/usr/bin/env bash
# Proof that zhkg's map step works under Spark: PySpark in local mode pipes a
# generated corpus through `zhkg extract --jsonl` (scripts/spark_map.py), and
# the union of what comes out must equal, line for line, the N-Quads export of
# a `zhkg build` of the same articles. The shards Spark saves (partitioned by
# graph) are then loaded into a new store with `zhkg load`, whose export must
# be the same again. Exits non-zero with a sample of the differing lines
# otherwise.
#
#   bash scripts/spark_test.sh          # 200 articles, local[2]
#
# Environment (all optional):
#   SPARK_TEST_N     number of articles (200)
#   SPARK_MASTER     Spark master (local[2])
#   BENCH_GEN        corpus generator, default ../shared/bench/gen_corpus.py
#   ZHKG_BIN         the zhkg binary; default: the debug build (cargo build)
#
# It installs pyspark with pip when it is missing, and a Java runtime with
# apt-get when there is none (Spark 4 needs Java 17 or later).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

die() { echo "spark_test: $*" >&2; exit 1; }
note() { echo "spark_test: $*" >&2; }

N=${SPARK_TEST_N:-200}
MASTER=${SPARK_MASTER:-local[2]}
GEN=${BENCH_GEN:-$ROOT/../shared/bench/gen_corpus.py}
[ -f "$GEN" ] || die "corpus generator not found at $GEN (set BENCH_GEN to gen_corpus.py)"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if ! command -v java >/dev/null; then
  note "installing a Java runtime (Spark needs one)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
fi
if ! python3 -c 'import pyspark' 2>/dev/null; then
  note "installing pyspark (pip)"
  python3 -m pip install --quiet pyspark || die "pip install pyspark failed"
fi

if [ -z "${ZHKG_BIN:-}" ]; then
  TARGET_DIR=$(cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  cargo build --quiet
  ZHKG_BIN=$TARGET_DIR/debug/zhkg
fi
[ -x "$ZHKG_BIN" ] || die "no zhkg binary at $ZHKG_BIN"
ZHKG_BIN=$(cd "$(dirname "$ZHKG_BIN")" && pwd)/$(basename "$ZHKG_BIN")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/zhkg-spark.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

note "generating $N articles (--seed 1)"
python3 "$GEN" --seeds "$ROOT/seeds" --out "$WORK/corpus" -n "$N" --seed 1 >&2
find "$WORK/corpus" -type f \( -name '*.txt' -o -name '*.html' -o -name '*.md' \) | sort \
  | python3 -c 'import json,os,sys
for l in sys.stdin: print(json.dumps({"path": os.path.abspath(l.rstrip("\n"))}))' \
  > "$WORK/records.jsonl"

note "Spark ($MASTER): RDD.pipe through $ZHKG_BIN extract --jsonl"
python3 "$ROOT/scripts/spark_map.py" --zhkg "$ZHKG_BIN" --master "$MASTER" \
  --input "$WORK/records.jsonl" --output "$WORK/spark.nq" --save "$WORK/shards" \
  2> "$WORK/spark.log" \
  || { tail -n 40 "$WORK/spark.log" >&2; die "the Spark job failed"; }
grep '^spark_map:' "$WORK/spark.log" >&2 || true

note "zhkg build and export of the same corpus"
"$ZHKG_BIN" build --store "$WORK/store" "$WORK/corpus" > "$WORK/build.out" \
  || die "zhkg build failed: $(cat "$WORK/build.out")"
"$ZHKG_BIN" export --store "$WORK/store" --format nquads -o "$WORK/export.nq"
# The resolution graph links programme variants across the whole corpus: the
# build makes it, the per-article map step cannot.
grep -v '<https://w3id.org/zhkg/graph/resolved> \.$' "$WORK/export.nq" > "$WORK/export.tmp" || true
mv "$WORK/export.tmp" "$WORK/export.nq"

# same_lines NAME FILE [FILTER]: FILE has the same lines as the build's
# export (both passed through the sed script FILTER when given).
[ -s "$WORK/export.nq" ] || die "the build's export is empty"
same_lines() {
  local name=$1 file=$2 filter=${3:-}
  local only_a only_b
  sed -e "$filter" "$WORK/export.nq" | LC_ALL=C sort -u > "$WORK/built"
  sed -e "$filter" "$file" | LC_ALL=C sort -u > "$WORK/other"
  only_a=$(LC_ALL=C comm -23 "$WORK/other" "$WORK/built" | wc -l)
  only_b=$(LC_ALL=C comm -13 "$WORK/other" "$WORK/built" | wc -l)
  if [ "$only_a" != 0 ] || [ "$only_b" != 0 ]; then
    echo "spark_test: FAILED: $only_a lines only in $name, $only_b only in the build's export" >&2
    echo "--- only in $name (first 5):" >&2
    LC_ALL=C comm -23 "$WORK/other" "$WORK/built" | sed -n 1,5p >&2
    echo "--- only in the build's export (first 5):" >&2
    LC_ALL=C comm -13 "$WORK/other" "$WORK/built" | sed -n 1,5p >&2
    exit 1
  fi
}
same_lines "the Spark output" "$WORK/spark.nq"

note "zhkg load of the Spark shards into a new store"
"$ZHKG_BIN" load --store "$WORK/loaded" --format nquads "$WORK"/shards/part-* > "$WORK/load.out" \
  || die "zhkg load of the shards failed: $(cat "$WORK/load.out")"
"$ZHKG_BIN" export --store "$WORK/loaded" --format nquads -o "$WORK/loaded.nq"
# Language tags are case-insensitive in RDF; Oxigraph's parser lowercases
# them (zhkg writes "…"@zh-Hant, a loaded file gives "…"@zh-hant): compare
# them lowercased.
same_lines "the export of the loaded shards" "$WORK/loaded.nq" 's/"@\([A-Za-z0-9-]*\) </"@\L\1 </'


echo "spark_test: ok: $N articles, $(wc -l < "$WORK/built") distinct quads;" \
  "Spark output = build export = export of the loaded shards" >&2
