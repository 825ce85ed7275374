#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh on this machine with the settings OSS-Fuzz
# would give it for libFuzzer + AddressSanitizer, to prove it builds.
#
#   fuzz/oss_fuzz_local.sh [output folder, default a temporary one]
set -euo pipefail
cd "$(dirname "$0")/.."
export CC=clang CXX=clang++
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export OUT="${1:-$(mktemp -d)}"
export WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "weft: OSS-Fuzz style build into $OUT"
.clusterfuzzlite/build.sh
# Each binary must be a working libFuzzer target.
for target in "$OUT"/*_fuzz; do
  "$target" -runs=10 > /dev/null 2>&1 || {
    status=$?
    # The canary may find its bug even in ten runs; anything else must pass.
    [[ "$(basename "$target")" == canary_fuzz ]] || {
      echo "weft: $target failed its first runs (exit $status)"; exit 1; }
  }
done
ls "$OUT"
