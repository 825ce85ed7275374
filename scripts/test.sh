#!/usr/bin/env bash
# The whole test suite: installs what is missing, then runs every test under
# the default configuration. Extra arguments go to `bazel test` (for
# example --config=asan).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "weft: running bazel test //... $*"
exec bazel test "$@" //...
