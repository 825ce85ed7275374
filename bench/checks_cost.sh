#!/usr/bin/env bash
# What weft's always-on invariant checks (runtime/seam/check.h) cost: the
# simulator and executor benchmarks built with the checks and without
# (--copt=-DWEFT_NO_CHECKS, which exists for this measurement only), run
# alternately in one sitting; prints each benchmark's time with checks
# over its time without.
#
#   bench/checks_cost.sh [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
benchmarks=(BM_LocalExecutorRing BM_SimRingRandom BM_SimSchedules)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bazel build -c opt //bench:sim_bench
cp bazel-bin/bench/sim_bench "$work/with_checks"
bazel build -c opt --copt=-DWEFT_NO_CHECKS //bench:sim_bench
cp bazel-bin/bench/sim_bench "$work/without_checks"
# One benchmark per process: Google Benchmark's CSV wants the same
# counters in every row.
for ((round = 0; round < rounds; ++round)); do
  for benchmark in "${benchmarks[@]}"; do
    for variant in with_checks without_checks; do
      "$work/$variant" --benchmark_filter="^$benchmark\$" \
          --benchmark_format=csv 2>/dev/null | grep '^"BM_' |
          cut -d, -f1,4 | tr -d '"' | sed "s/^/$variant,/" >> "$work/times.csv"
    done
  done
done
# Median of the rounds per benchmark and variant, then the ratio.
median() {  # variant, benchmark
  grep "^$1,$2," "$work/times.csv" | cut -d, -f3 | sort -g |
      awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
for name in $(cut -d, -f2 "$work/times.csv" | sort -u); do
  with="$(median with_checks "$name")"
  without="$(median without_checks "$name")"
  awk -v n="$name" -v a="$with" -v b="$without" \
      'BEGIN { printf "%-26s with checks %10.1f  without %10.1f  ratio %.3f\n", n, a, b, a / b }'
done
