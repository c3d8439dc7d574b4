#!/usr/bin/env bash
# Installs what building zhkg needs on a fresh Debian machine: libclang for
# RocksDB's bindgen (oxigraph's on-disk store). Idempotent: does nothing when
# libclang itself is there (libclang-cpp, which some images ship, is not enough).
set -euo pipefail
has_libclang() {
  ls /usr/lib/llvm-*/lib/libclang.so >/dev/null 2>&1 && return 0
  ldconfig -p 2>/dev/null | grep -qE 'libclang(-[0-9.]+)?\.so' && return 0
  return 1
}
if ! has_libclang; then
  echo "setup: installing libclang-dev (needed by RocksDB's bindgen)" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libclang-dev >/dev/null
fi
has_libclang || { echo "setup: libclang is still missing; install libclang-dev by hand" >&2; exit 1; }
