"""local_coverage_tools: a stand-in for Bazel's @remote_coverage_tools.

Bazel 4.2.3 points every test's coverage attributes at
@remote_coverage_tools, a download, so even `bazel query 'deps(...)'`
tries to fetch it offline. This repository provides the two targets it
must have, as small shell scripts that merge lcov files, so that queries
work and `bazel coverage` produces a report without any download.
"""

_LCOV_MERGER = """#!/bin/sh
# Bazel's coverage merger, minimal: every .dat (lcov) file under
# --coverage_dir, concatenated into --output_file.
set -eu
coverage_dir=""
output_file=""
for argument in "$@"; do
  case "$argument" in
    --coverage_dir=*) coverage_dir="${argument#*=}" ;;
    --output_file=*) output_file="${argument#*=}" ;;
  esac
done
if [ -z "$coverage_dir" ] || [ -z "$output_file" ]; then
  echo "lcov_merger: needs --coverage_dir and --output_file" >&2
  exit 1
fi
: > "$output_file"
find "$coverage_dir" -name '*.dat' -type f | sort | while read -r report; do
  cat "$report" >> "$output_file"
done
"""

_REPORT_GENERATOR = """#!/bin/sh
# Bazel's combined coverage report, minimal: the files listed in
# --reports_file, concatenated into --output_file.
set -eu
reports_file=""
output_file=""
for argument in "$@"; do
  case "$argument" in
    --reports_file=*) reports_file="${argument#*=}" ;;
    --output_file=*) output_file="${argument#*=}" ;;
  esac
done
if [ -z "$reports_file" ] || [ -z "$output_file" ]; then
  echo "coverage_report_generator: needs --reports_file and --output_file" >&2
  exit 1
fi
: > "$output_file"
while read -r report; do
  [ -f "$report" ] && cat "$report" >> "$output_file"
done < "$reports_file"
"""

_BUILD = """package(default_visibility = ["//visibility:public"])

sh_binary(
    name = "lcov_merger",
    srcs = ["lcov_merger.sh"],
)

sh_binary(
    name = "coverage_report_generator",
    srcs = ["coverage_report_generator.sh"],
)
"""

def _local_coverage_tools_impl(repository_ctx):
    repository_ctx.file("lcov_merger.sh", _LCOV_MERGER, executable = True)
    repository_ctx.file(
        "coverage_report_generator.sh",
        _REPORT_GENERATOR,
        executable = True,
    )
    repository_ctx.file("BUILD.bazel", _BUILD)

local_coverage_tools = repository_rule(
    implementation = _local_coverage_tools_impl,
    local = True,
)
