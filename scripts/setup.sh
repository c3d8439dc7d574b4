#!/usr/bin/env bash
# Installs what building zhkg needs on a fresh Debian machine: libclang for
# RocksDB's bindgen (oxigraph's on-disk store). Idempotent: does nothing when
# libclang is already there.
set -euo pipefail
if ! ls /usr/lib/llvm-*/lib/libclang*.so* >/dev/null 2>&1 && ! ldconfig -p 2>/dev/null | grep -q 'libclang\(-[0-9.]*\)\?\.so'; then
  echo "setup: installing libclang-dev (needed by RocksDB's bindgen)" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libclang-dev >/dev/null
fi
