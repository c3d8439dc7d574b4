#!/usr/bin/env bash
# Fuzzes zhkg with cargo-fuzz (libFuzzer) on the stable toolchain
# (RUSTC_BOOTSTRAP=1 lets it pass the -Z flags cargo-fuzz needs).
#
#   bash scripts/fuzz.sh                      # CI: each target 30 s
#   FUZZ_SECONDS=600 bash scripts/fuzz.sh     # a longer run
#   FUZZ_TARGETS=numbers bash scripts/fuzz.sh # one target
#
# The targets (crates/zhkg-text/fuzz/fuzz_targets): decode_normalize (bytes → article
# text: encodings, markup, normalisation, furniture), numbers (numerals and
# quantities) and extract_article (the whole extraction of one article).
# First each input in crates/zhkg-text/fuzz/regressions/TARGET (crashes found earlier)
# is replayed, then each target runs for FUZZ_SECONDS on a corpus seeded
# from seeds/, tests/data/, generated articles and their GBK, Big5, UTF-16,
# HTML and front-matter variants (scripts/fuzz_corpus.py).
#
# Environment: FUZZ_SECONDS (30), FUZZ_TARGETS (all three), FUZZ_SANITIZER
# (none; `address` for AddressSanitizer, slower), FUZZ_WORK (corpora, logs
# and crash inputs; ~/.cache/zhkg/fuzz), FUZZ_KEEP_CORPUS (0: each run starts
# from the seeds, so that replaying a grown corpus never exceeds the time
# budget; 1 to go on from the corpus of the last run), FUZZ_TARGET_DIR (the
# build, ~/.cache/zhkg/fuzz-target, outside the checkout so that CI caches it).
# Exits 1 naming the crashing input when a target crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
FUZZ_TARGETS=${FUZZ_TARGETS:-decode_normalize numbers extract_article}
FUZZ_SANITIZER=${FUZZ_SANITIZER:-none}
FUZZ_WORK=${FUZZ_WORK:-$HOME/.cache/zhkg/fuzz}
FUZZ_KEEP_CORPUS=${FUZZ_KEEP_CORPUS:-0}
FUZZ_TARGET_DIR=${FUZZ_TARGET_DIR:-$HOME/.cache/zhkg/fuzz-target}
GEN_CORPUS=${ZHKG_GEN_CORPUS:-$ROOT/../shared/bench/gen_corpus.py}
export RUSTC_BOOTSTRAP=1 CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz" >&2
  # In a temporary target dir, not the CARGO_TARGET_DIR of the main build.
  env -u CARGO_TARGET_DIR cargo install cargo-fuzz --locked
fi

fuzz() {
  cargo fuzz "$1" --fuzz-dir crates/zhkg-text/fuzz --target-dir "$FUZZ_TARGET_DIR" \
    --sanitizer "$FUZZ_SANITIZER" "${@:2}"
}

# Seeds, rebuilt each run (small); the corpora that libFuzzer grows stay in
# FUZZ_WORK between runs.
rm -rf "$FUZZ_WORK/seeds" "$FUZZ_WORK/generated"
mkdir -p "$FUZZ_WORK/seeds"
if [ -f "$GEN_CORPUS" ]; then
  python3 "$GEN_CORPUS" --seeds seeds --out "$FUZZ_WORK/generated" -n 16 --seed 11 >&2
else
  echo "fuzz: $GEN_CORPUS not found: seeding without generated articles (set ZHKG_GEN_CORPUS)" >&2
fi
python3 scripts/fuzz_corpus.py "$FUZZ_WORK/seeds" --generated "$FUZZ_WORK/generated"

fuzz build
status=0
for target in $FUZZ_TARGETS; do
  case $target in
    numbers) seeds=$FUZZ_WORK/seeds/sentences max_len=1024 ;;
    *) seeds=$FUZZ_WORK/seeds/articles max_len=16384 ;;
  esac
  corpus=$FUZZ_WORK/corpus/$target
  artifacts=$FUZZ_WORK/artifacts/$target/
  log=$FUZZ_WORK/logs/$target.log
  [ "$FUZZ_KEEP_CORPUS" = 1 ] || rm -rf "$corpus"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  # Crash inputs kept from earlier runs: each must pass now.
  regressions=(crates/zhkg-text/fuzz/regressions/"$target"/*)
  if [ -e "${regressions[0]}" ]; then
    if ! fuzz run "$target" "${regressions[@]}" -- -artifact_prefix="$artifacts" \
      >"$log.regressions" 2>&1; then
      tail -n 30 "$log.regressions" >&2
      echo "fuzz: $target fails on a kept crash input in crates/zhkg-text/fuzz/regressions/$target (log: $log.regressions)" >&2
      status=1
      continue
    fi
    echo "fuzz: $target: ${#regressions[@]} kept crash input(s) pass" >&2
  fi
  started=$(date +%s)
  if fuzz run "$target" "$corpus" "$seeds" -- \
    -max_total_time="$FUZZ_SECONDS" -max_len="$max_len" -timeout=30 \
    -dict=crates/zhkg-text/fuzz/zh.dict -artifact_prefix="$artifacts" -print_final_stats=1 \
    >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' || true)
    echo "fuzz: $target: ${runs:-?} runs in $(($(date +%s) - started)) s, ${last:-no stats} (log: $log)" >&2
  else
    tail -n 40 "$log" >&2
    crash=$(grep -oE "(Test unit written to|artifact_prefix.*Test unit written to) [^ ]+" "$log" | awk '{print $NF}' | tail -n 1)
    echo "fuzz: $target crashed on ${crash:-an input (see $log)}" >&2
    echo "fuzz: reproduce with: RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir crates/zhkg-text/fuzz $target ${crash:-INPUT}" >&2
    echo "fuzz: then fix it, add a test, and keep the input in crates/zhkg-text/fuzz/regressions/$target/" >&2
    status=1
  fi
done
exit $status
