#!/usr/bin/env bash
# A short libFuzzer campaign for every target (CI runs it): each must run
# its time budget without a checker firing, and the canary must find its
# planted bug within the same budget, which proves the harness can fuzz.
#
#   fuzz/smoke.sh [seconds per target, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
targets=(executor_fuzz notify_fuzz mutex_fuzz semaphore_fuzz channel_fuzz
         join_set_fuzz timer_fuzz bug_twins_fuzz thread_pool_fuzz net_fuzz storage_fuzz
         decision_text_fuzz)

echo "weft fuzz smoke: building with --config=fuzz"
bazel build --config=fuzz //fuzz/...
bin="$(bazel info --config=fuzz bazel-bin)/fuzz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

run() {  # target -> exit code of a bounded campaign on a copy of its corpus
  local target="$1"
  mkdir -p "$work/$target/corpus" "$work/$target/artifacts"
  cp fuzz/corpus/"$target"/* "$work/$target/corpus/" 2>/dev/null || true
  (cd "$work/$target" && "$bin/$target" -max_total_time="$seconds" \
      -timeout=10 -print_final_stats=1 -artifact_prefix=artifacts/ corpus \
      > log.txt 2>&1)
}

failed=0
for target in "${targets[@]}"; do
  if run "$target"; then
    echo "  $target: clean for ${seconds}s ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$work/$target/log.txt" | grep -o '[0-9]*$') runs)"
  else
    echo "  $target: FAILED"
    sed -n '/weft: /,$p' "$work/$target/log.txt" | head -60
    failed=1
  fi
done

if run canary_fuzz; then
  echo "  canary_fuzz: the planted bug was NOT found in ${seconds}s: the fuzzing setup is broken"
  failed=1
elif grep -q "checker fired in fuzz target canary_fuzz" "$work/canary_fuzz/log.txt"; then
  echo "  canary_fuzz: found its planted bug, as it must"
  grep -m1 "checker fired" "$work/canary_fuzz/log.txt" | sed 's/^/    /'
else
  echo "  canary_fuzz: crashed without a weft report"
  tail -40 "$work/canary_fuzz/log.txt"
  failed=1
fi
exit "$failed"
