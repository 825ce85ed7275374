// The environment knobs of a simulated test, so that
// `bazel test --test_env=WEFT_SEED=42` and friends work:
//
//   WEFT_STRATEGY=<s>         fifo, random, pct:<d>, exhaustive:<k>
//   WEFT_SEED=<n>             run just this seed (decimal or 0x hex);
//                             random and pct only
//   WEFT_ITERATIONS=<n>       seeds to sweep (1 to 100000000); random and
//                             pct only, not with WEFT_SEED
//   WEFT_DECISIONS=<list>     replay a sparse decision list (a report's
//                             replay line)
//   WEFT_REPLAY=<path>        replay a decision file
//   WEFT_DETERMINISM=0|1      run each schedule twice and compare traces
//   WEFT_SHRINK=0|1           shrink a failure before reporting (default 1)
//   WEFT_SHRINK_ATTEMPTS=<n>  runs the shrinker may try (default 2000)
//   WEFT_TRACE_DIR=<dir>      where failure files go (the decision file,
//                             the trace, the HTML page); must exist and be
//                             writable. Default: Bazel's
//                             TEST_UNDECLARED_OUTPUTS_DIR under Bazel, else
//                             $TMPDIR/weft-reports (made when needed, kept
//                             to its newest 300 files and 256 MiB)
//   WEFT_JOBS=<n>             threads for random and pct seeds (0 or unset:
//                             one per core; 1 to 256); same outcome as 1.
//                             A machine setting: accepted with every
//                             strategy, and a sweep that cannot use it
//                             says so in its summary line
// plus Bazel's TEST_TOTAL_SHARDS / TEST_SHARD_INDEX (a seed sweep is split
// across shards), TEST_TARGET (for the replay command) and
// TEST_UNDECLARED_OUTPUTS_DIR, and WEFT_CRASH_RESUME, which weft sets
// itself when it restarts a test to shrink a crash (fatal_report.h).
//
// Nothing else is silently ignored: a bad value, an empty one, a knob
// spelt in lower case (weft_seed), a knob that has
// no effect with the others (a seed with fifo, a list with a strategy, an
// iteration count with a seed), an unknown WEFT_ variable, or a shard
// layout that leaves shards without seeds is an error naming the variable,
// the value and what is accepted.
#pragma once

#include <functional>
#include <string>
#include <variant>

#include "sim/sweep/sweep.h"

namespace weft::sim {

// $TMPDIR/weft-reports (/tmp/weft-reports when TMPDIR is unset): where a
// failure's files go outside Bazel unless WEFT_TRACE_DIR says otherwise.
std::string default_report_folder();

// Looks a variable up; nullptr when it is not set.
using EnvironmentLookup = std::function<const char*(const char* name)>;

// `defaults` (what the test's code asked for) refined by the environment,
// or an error message. `weft_variables_set` names every variable set whose
// name starts with WEFT_ in any case.
std::variant<SweepConfig, std::string> sweep_config_from_environment(
    SweepConfig defaults);
std::variant<SweepConfig, std::string> sweep_config_from(
    SweepConfig defaults, const EnvironmentLookup& lookup,
    const std::vector<std::string>& weft_variables_set);

// Every WEFT_* variable weft reads.
const std::vector<std::string>& known_weft_variables();

inline constexpr std::uint64_t kIterationsMax = 100'000'000;
inline constexpr std::uint64_t kShardsMax = 100'000;
inline constexpr std::uint64_t kJobsMax = 256;
inline constexpr std::uint64_t kThreadsMaxKnob = 4096;

}  // namespace weft::sim
