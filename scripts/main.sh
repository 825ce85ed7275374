#!/usr/bin/env bash
# The main job: installs what is missing, then runs the hunt: every bug of
# the zoo (sim/zoo/) under each strategy, shrunk and replayable, next
# to stress-testing the same code on the real thread pool. Arguments go to
# the hunt (for example --json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "weft: building and running //examples:hunt"
exec bazel run //examples:hunt -- "$@"
