// Runs to find each zoo bug, per strategy: the number a user cares about
// when choosing a strategy (how many schedules until the bug shows).
//
// For each buggy component of the zoo, and for the pool-exhaustion bug at
// depths 4 to 6 (the number of cancellations it needs), and each strategy
// (random, pct:3, coverage),
// ten independent searches (base seeds 1, 1001, 2001, ...) each run until
// the first failure or kRunsMax runs; the counters are the mean and the
// median runs to the first failure over the searches that found it, and
// how many of the ten missed within kRunsMax. Time per benchmark is just
// the cost of those searches. Run with
//   bazel run -c opt //bench:runs_to_find
// and see bench/README.md for the table and what it says.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/search/strategy_spec.h"
#include "sim/sweep/sweep.h"
#include "sim/zoo/catalogue.h"
#include "sim/zoo/pool_exhaustion.h"

namespace {

using namespace weft;

constexpr std::uint64_t kRunsMax = 2000;
constexpr int kSearches = 10;

// Runs until the first failure, or nullopt if none within kRunsMax.
std::optional<std::uint64_t> runs_to_find(const sim::Scenario& scenario,
                                          const char* strategy,
                                          std::uint64_t base_seed) {
  sim::SweepConfig config;
  config.strategy = std::get<sim::StrategySpec>(sim::parse_strategy(strategy));
  config.first_seed = base_seed;
  config.iterations = kRunsMax;
  config.shrink = false;
  sim::SweepOutcome outcome =
      sim::run_sweep(scenario, sim::SimOptions{}, config);
  if (!outcome.failure) return std::nullopt;
  return outcome.runs;
}

void search(benchmark::State& state, const sim::Scenario* scenario,
            const char* strategy) {
  std::vector<double> found;
  int missed = 0;
  for (auto _ : state) {
    found.clear();
    missed = 0;
    for (int k = 0; k < kSearches; ++k) {
      const auto runs = runs_to_find(*scenario, strategy,
                                     1 + 1000 * static_cast<std::uint64_t>(k));
      if (runs) {
        found.push_back(static_cast<double>(*runs));
      } else {
        ++missed;
      }
    }
  }
  double mean = 0;
  for (double runs : found) mean += runs;
  std::sort(found.begin(), found.end());
  state.counters["runs_mean"] = found.empty() ? 0 : mean / found.size();
  state.counters["runs_median"] = found.empty() ? 0 : found[found.size() / 2];
  state.counters["missed"] = missed;
}

struct Target {
  std::string name;
  sim::Scenario buggy;
};

const std::vector<Target>& targets() {
  static const std::vector<Target> all = [] {
    std::vector<Target> list;
    for (const zoo::Component& component : zoo::catalogue()) {
      if (component.needs_unoptimised_build) continue;
      list.push_back({component.name, component.buggy});
    }
    // Deeper: the same leak with more connections to lose.
    list.push_back(
        {"pool_exhaustion_4", zoo::pool_exhaustion_scenario<false, 4>});
    list.push_back(
        {"pool_exhaustion_5", zoo::pool_exhaustion_scenario<false, 5>});
    list.push_back(
        {"pool_exhaustion_6", zoo::pool_exhaustion_scenario<false, 6>});
    return list;
  }();
  return all;
}

int register_all() {
  for (const Target& target : targets()) {
    for (const char* strategy : {"random", "pct:3", "coverage"}) {
      benchmark::RegisterBenchmark(
          (target.name + "/" + strategy).c_str(),
          [&target, strategy](benchmark::State& state) {
            search(state, &target.buggy, strategy);
          })
          ->Iterations(1)
          ->Unit(benchmark::kMillisecond);
    }
  }
  return 0;
}

const int registered = register_all();

}  // namespace

BENCHMARK_MAIN();
