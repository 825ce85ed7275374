// Hit rates: for each buggy component of the zoo (threads, tasks and the
// simulated network), the fraction of seeds whose single run fails, under
// random, pct:3 and the portfolio; and from it the chance that the
// default budget of 200 runs misses the bug: (1 - hit rate)^200. A hit
// rate is what makes a strategy good for a bug; the miss chance is what a
// user of `bazel test` feels.
//
//   bazel run -c opt //bench:hit_rates [-- <seeds per cell, default 500>]
//
// Prints a Markdown table (bench/README.md keeps one). Not a timing
// benchmark: each cell is a count of failing seeds.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/search/strategy_spec.h"
#include "sim/sweep/sweep.h"
#include "sim/zoo/pool_exhaustion.h"
#include "sim/zoo/whole_zoo.h"

namespace {

using namespace weft;

constexpr std::uint64_t kBudget = 200;  // the default WEFT_ITERATIONS

// Seeds 1..seeds, one run each: how many fail.
std::uint64_t failing_seeds(const sim::Scenario& scenario,
                            const sim::StrategySpec& strategy,
                            std::uint64_t seeds) {
  std::uint64_t failing = 0;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    sim::SweepConfig config;
    config.strategy = strategy;
    config.only_seed = seed;
    config.shrink = false;
    config.jobs = 1;
    const sim::SweepOutcome outcome =
        sim::run_sweep(scenario, sim::SimOptions{}, config);
    if (outcome.failure) ++failing;
  }
  return failing;
}

std::string cell(std::uint64_t failing, std::uint64_t seeds) {
  const double rate = static_cast<double>(failing) / static_cast<double>(seeds);
  const double miss = std::pow(1.0 - rate, static_cast<double>(kBudget));
  char text[96];
  if (failing == 0) {
    std::snprintf(text, sizeof text, "0/%llu (miss: ~1)",
                  static_cast<unsigned long long>(seeds));
  } else {
    std::snprintf(text, sizeof text, "%.1f%% (miss: %.0e)", rate * 100.0, miss);
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t seeds =
      argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 500;
  const std::vector<sim::StrategySpec> strategies = {
      {sim::StrategySpec::Kind::kRandom, 0},
      {sim::StrategySpec::Kind::kPct, 3},
      {sim::StrategySpec::Kind::kPortfolio, 0}};
  const auto row = [&](const std::string& name, const sim::Scenario& scenario) {
    std::string line = "| `" + name + "` ";
    for (const sim::StrategySpec& strategy : strategies) {
      line +=
          "| " + cell(failing_seeds(scenario, strategy, seeds), seeds) + " ";
    }
    std::printf("%s|\n", line.c_str());
    std::fflush(stdout);
  };
  std::printf("| component | random | pct:3 | portfolio |\n");
  std::printf("| --- | --- | --- | --- |\n");
  for (const zoo::Component& component : zoo::whole_zoo()) {
    if (!zoo::reported_by_checker(component) || component.fifo_finds) continue;
    row(component.name, component.buggy);
  }
  // Deep bugs: the connection pool emptied by 4 and 5 cancelled requests
  // in one run (each cancellation one change).
  row("pool_exhaustion_4", zoo::pool_exhaustion_scenario<false, 4>);
  row("pool_exhaustion_5", zoo::pool_exhaustion_scenario<false, 5>);
  return 0;
}
