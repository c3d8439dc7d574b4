#!/usr/bin/env bash
# Lint gate of CI: formatting (rustfmt) and clippy, warnings denied, over
# every crate and target of the workspace (library, binary, tests, benches).
# The lints themselves are set in Cargo.toml ([workspace.lints]) and
# clippy.toml; a deliberate exception carries an #[allow(…, reason = "…")]
# where it applies.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zhkg/target}"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "lint: rustfmt and clippy clean" >&2
