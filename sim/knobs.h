// The environment knobs of a simulated test, so that
// `bazel test --test_env=WEFT_SEED=42` and friends work:
//
//   WEFT_SEED=<n>             run just this seed (decimal or 0x hex)
//   WEFT_ITERATIONS=<n>       seeds to sweep (1 to 100000000)
//   WEFT_STRATEGY=<s>         fifo, random, pct:<d>, exhaustive:<k>
//   WEFT_REPLAY=<path>        replay a decision file
//   WEFT_DECISIONS=<list>     replay a sparse decision list
//   WEFT_DETERMINISM=0|1      run each schedule twice and compare traces
//   WEFT_SHRINK=0|1           shrink a failure before reporting (default 1)
//   WEFT_SHRINK_ATTEMPTS=<n>  runs the shrinker may try (default 2000)
//   WEFT_TRACE_DIR=<dir>      where failure files go (default: Bazel's
//                             TEST_UNDECLARED_OUTPUTS_DIR)
// plus Bazel's TEST_TOTAL_SHARDS / TEST_SHARD_INDEX (a seed sweep is split
// across shards) and TEST_TARGET (for the replay command).
//
// A bad value is an error naming the variable, the value and the accepted
// forms; it never silently falls back to a default.
#pragma once

#include <string>
#include <variant>

#include "sim/sweep.h"

namespace weft::sim {

// `defaults` filled in from the environment, or an error message.
std::variant<SweepConfig, std::string> sweep_config_from_environment(
    SweepConfig defaults);

}  // namespace weft::sim
