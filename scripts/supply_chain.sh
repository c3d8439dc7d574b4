#!/usr/bin/env bash
# Supply-chain check with cargo-deny (config: .ci/deny.toml):
#   - licences: only the permissive licences listed there (and two
#     per-crate exceptions, each justified there);
#   - bans: no wildcard version requirements;
#   - sources: crates.io only;
#   - advisories: no crate with a RustSec advisory (vulnerability, unsound,
#     unmaintained) or a yanked version, apart from the ignores justified
#     in .ci/deny.toml.
# Licences, bans and sources need nothing but Cargo.lock and the crates.io
# index. The advisory check needs the RustSec advisory database, a git
# repository on GitHub: it runs when GitHub is reachable, or from a local
# copy of the database named by ZHKG_ADVISORY_DB (any git clone of
# rustsec/advisory-db); otherwise the script says plainly that advisories
# were NOT checked, and still fails on any other finding.
#
# Installs cargo-deny (cargo install --locked) when it is missing.
#
# Usage: bash scripts/supply_chain.sh
#        ZHKG_ADVISORY_DB=/path/to/advisory-db bash scripts/supply_chain.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=.ci/deny.toml
DB_URL=https://github.com/rustsec/advisory-db
DENY_VERSION=0.20.2

say() { printf 'supply chain: %s\n' "$*" >&2; }
die() { printf 'supply chain: FAIL: %s\n' "$*" >&2; exit 1; }

if ! command -v cargo-deny >/dev/null; then
  say "installing cargo-deny $DENY_VERSION (cargo install --locked; several minutes on two cores)"
  # Its own temporary target directory, not the project's.
  env -u CARGO_TARGET_DIR cargo install cargo-deny --locked --version "$DENY_VERSION" --quiet
fi
say "$(cargo deny --version)"

cargo deny --config "$CONFIG" check --hide-inclusion-graph licenses bans sources \
  || die "cargo deny found licence, ban or source problems (above)"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
if timeout 30 git ls-remote --exit-code "$DB_URL" HEAD >/dev/null 2>&1; then
  say "checking advisories against $DB_URL"
  cargo deny --config "$CONFIG" check --hide-inclusion-graph advisories \
    || die "cargo deny found advisories (above)"
elif [ -n "${ZHKG_ADVISORY_DB:-}" ]; then
  [ -d "$ZHKG_ADVISORY_DB" ] || die "ZHKG_ADVISORY_DB=$ZHKG_ADVISORY_DB is not a folder"
  # cargo-deny reads its database from <db-path>/advisory-db-<hash of the
  # URL>: ask it where (an offline run on an empty db-path names the
  # folder), put a clone of the local copy there, and check offline.
  sed "s|^db-urls = .*|&\ndb-path = \"$TMP/dbs\"|" "$CONFIG" >"$TMP/deny.toml"
  DIR=$(cargo deny --offline --config "$TMP/deny.toml" check advisories 2>&1 \
    | grep -o "$TMP/dbs/advisory-db-[0-9a-f]*" | head -1) || true
  [ -n "$DIR" ] || die "cannot tell where cargo-deny $DENY_VERSION looks for its database"
  git clone --quiet "$ZHKG_ADVISORY_DB" "$DIR"
  SNAPSHOT=$(git -C "$DIR" log -1 --format='%h of %cs')
  say "checking advisories against the local copy $ZHKG_ADVISORY_DB (commit $SNAPSHOT: advisories published since are not seen)"
  cargo deny --offline --config "$TMP/deny.toml" check --hide-inclusion-graph advisories \
    || die "cargo deny found advisories (above)"
else
  say "NOTICE: advisories were NOT checked: the RustSec database ($DB_URL) is not reachable from this machine, and ZHKG_ADVISORY_DB names no local copy. Licences, bans and sources were checked."
fi
say "ok"
