#!/usr/bin/env bash
# Lint gate of CI: formatting (rustfmt) and clippy over every crate and
# target of the workspace (library, binary, tests, benches); any warning
# fails. The lints themselves are set in Cargo.toml ([workspace.lints]) and
# clippy.toml; a deliberate exception carries an #[allow(…, reason = "…")]
# where it applies.
#
# Clippy runs as the compiler of the workspace's own crates in an ordinary
# build (RUSTC_WORKSPACE_WRAPPER=clippy-driver) rather than as
# `cargo clippy`: `cargo clippy` checks in check mode, whose RocksDB build
# script output differs from the test build's, so a cold run would compile
# RocksDB's C++ a second time (10 minutes or more on two cores). This way
# the dependencies are the ones `cargo test` built.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zhkg/target}"
export CARGO_TERM_COLOR=never
cargo fmt --all --check
driver=$(command -v clippy-driver) || {
  echo "lint: clippy-driver not found; install it with: rustup component add clippy" >&2
  exit 1
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
RUSTC_WORKSPACE_WRAPPER="$driver" cargo test --workspace --all-targets --no-run >"$log" 2>&1 || {
  cat "$log" >&2
  echo "lint: the build under clippy failed" >&2
  exit 1
}
if grep -qE '^(warning|error)' "$log"; then
  grep -vE '^\s+(Compiling|Finished|Executable)' "$log" >&2
  echo "lint: clippy or rustc warned (above); fix the code or allow the lint with a reason" >&2
  exit 1
fi
echo "lint: rustfmt and clippy clean" >&2
