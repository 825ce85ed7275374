#!/usr/bin/env bash
# The main job: installs what is missing, then runs weft's example program.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "weft: building and running //examples:sensor_pipeline"
exec bazel run //examples:sensor_pipeline -- "$@"
