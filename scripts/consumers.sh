#!/usr/bin/env bash
# Uses weft the way a new user would, from workspaces outside this one:
#
#   bazel   copies examples/consumer/ to a temporary folder, points its
#           local_repository at this checkout, runs `bazel test //...`
#           (the fixed mailbox passes), runs the planted-bug twin (it must
#           fail with a weft report), then pastes the report's replay line
#           in that workspace (it must fail the same way);
#   cmake   builds and installs weft's libraries with CMake, then builds
#           examples/consumer-cmake/ against the installed package, runs
#           ctest (passes), runs the planted-bug twin (fails with a
#           report) and pastes its replay line (fails the same way);
#   cmake-suite   the same, and first builds and runs weft's whole test
#           suite under CMake (ctest). CI runs `all`: the suite's sources
#           are Bazel's (scripts/cmake_sources.sh --check) and Bazel runs
#           them; building them twice cost CI nine minutes.
#
#   scripts/consumers.sh [bazel|cmake|cmake-suite|all]     (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
which="${1:-all}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "weft consumers: $*" >&2
  exit 1
}

# The checker named in a report, and the report's last replay line.
checker_of() { grep -o 'weft: [a-z-]* checker fired' "$1" | head -1; }
replay_line_of() { grep '^replay: ' "$1" | tail -1 | sed 's/^replay: //'; }

expect_report_and_replay() {  # log, folder to paste the line in
  local log="$1" folder="$2"
  local checker line
  checker="$(checker_of "$log")"
  [[ -n "$checker" ]] || fail "the planted bug was not reported by weft (see $log)"
  line="$(replay_line_of "$log")"
  [[ -n "$line" ]] || fail "the report has no replay line"
  echo "  found: $checker"
  echo "  replay: $line"
  if (cd "$folder" && bash -c "$line") > "$work/replayed.log" 2>&1; then
    fail "the pasted replay line passed; it must reproduce the failure"
  fi
  # Bazel keeps the test's output in its log; a binary prints it.
  local replayed="$work/replayed.log"
  if grep -q '^bazel test' <<<"$line"; then
    replayed="$(cd "$folder" && bazel info bazel-testlogs 2>/dev/null)/mailbox_planted_bug_test/test.log"
  fi
  [[ "$(checker_of "$replayed")" == "$checker" ]] ||
    fail "the pasted replay line did not fail with the same checker ($checker)"
  echo "  the pasted line reproduced it"
}

bazel_consumer() {
  echo "weft consumers: Bazel workspace outside the repository"
  local folder="$work/bazel-consumer"
  cp -r examples/consumer "$folder"
  sed -i "s#path = \"../..\"#path = \"$root\"#" "$folder/WORKSPACE"
  sed -i "s#%workspace%/../../bazel/#$root/bazel/#" "$folder/.bazelrc"
  (cd "$folder" && bazel test //...) || fail "bazel test //... failed in the consumer"
  # weft's sanitizer configurations, imported as a user would.
  (cd "$folder" && bazel test --config=asan //:mailbox_test) ||
    fail "bazel test --config=asan //:mailbox_test failed in the consumer"
  echo "  --config=asan works from outside (bazel/sanitizers.bazelrc imported)"
  # What the consumer can see of weft: exactly the public API.
  (cd "$folder" && bazel query --noshow_progress \
      'kind(rule, visible(//:mailbox_test, @weft//runtime/... + @weft//sim/... + @weft//check/... + @weft//props:* + @weft//fuzz:* + @weft//tests/... + @weft//examples:* + @weft//bench:* + @weft//bazel:*))' \
      2>/dev/null | sort > "$work/visible.txt")
  diff -u examples/consumer/public_targets.txt "$work/visible.txt" ||
    fail "the targets visible outside weft are not the public API listed in examples/consumer/public_targets.txt"
  echo "  visible outside weft: $(tr '\n' ' ' < "$work/visible.txt")"
  if (cd "$folder" && bazel test //:mailbox_planted_bug_test); then
    fail "the planted-bug twin passed; weft must find its bug"
  fi
  expect_report_and_replay \
    "$(cd "$folder" && bazel info bazel-testlogs)/mailbox_planted_bug_test/test.log" \
    "$folder"
  # Each temporary workspace has an output base of its own: remove it.
  (cd "$folder" && bazel clean --expunge)
}

cmake_consumer() {  # ON to build and run weft's own suite too
  local suite="$1"
  echo "weft consumers: CMake build, install and a project that uses it"
  local build="$work/weft-build" prefix="$work/weft-install"
  # -g1 as in Bazel's build (line tables for backtraces): full debug
  # information doubles the time to compile and link the suite.
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
    -DWEFT_BUILD_TESTS="$suite"
  cmake --build "$build" -j"$(nproc)"
  if [[ "$suite" == ON ]]; then
    ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
  fi
  cmake --install "$build" --prefix "$prefix"
  local consumer="$work/cmake-consumer"
  cmake -S examples/consumer-cmake -B "$consumer" -DCMAKE_PREFIX_PATH="$prefix"
  cmake --build "$consumer" -j"$(nproc)"
  ctest --test-dir "$consumer" --output-on-failure
  if "$consumer/mailbox_planted_bug_test" > "$work/buggy.log" 2>&1; then
    fail "the planted-bug twin passed under CMake; weft must find its bug"
  fi
  expect_report_and_replay "$work/buggy.log" "$consumer"
}

case "$which" in
  bazel) bazel_consumer ;;
  cmake) cmake_consumer OFF ;;
  cmake-suite) cmake_consumer ON ;;
  all)
    bazel_consumer
    cmake_consumer OFF
    ;;
  *)
    echo "usage: scripts/consumers.sh [bazel|cmake|cmake-suite|all]" >&2
    exit 2
    ;;
esac
echo "weft consumers: done ($which)"
