// Helpers for tests of the checkers: sweep a scenario with a named
// strategy and a seed budget, and say what was found.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "sim/gtest/gtest_sim.h"
#include "sim/search/strategy_spec.h"
#include "sim/sweep/sweep.h"

namespace weft::sim::testing {

// The seed budget within which the default (random) strategy must find
// each buggy twin, and which each fixed twin must pass.
inline constexpr std::uint64_t kSeedBudget = 200;

inline SweepOutcome sweep(const Scenario& scenario, const std::string& strategy,
                          std::uint64_t iterations = kSeedBudget,
                          SimOptions options = {}) {
  SweepConfig config;
  auto parsed = parse_strategy(strategy);
  EXPECT_TRUE(std::holds_alternative<StrategySpec>(parsed)) << strategy;
  config.strategy = std::get<StrategySpec>(parsed);
  config.iterations = iterations;
  return find_failure(scenario, std::move(options), config);
}

// "found <checker> after N runs" or "clean after N runs", for messages.
inline std::string describe(const SweepOutcome& outcome) {
  if (!outcome.failure) {
    return "clean after " + std::to_string(outcome.runs) + " runs" +
           (outcome.exhausted ? " (space exhausted)" : "");
  }
  return "found " + std::string(to_string(outcome.failure->failure.checker)) +
         " after " + std::to_string(outcome.runs) + " runs:\n" +
         outcome.failure->to_string();
}

inline void expect_found(const SweepOutcome& outcome, Checker checker) {
  ASSERT_TRUE(outcome.failure.has_value()) << describe(outcome);
  EXPECT_EQ(outcome.failure->failure.checker, checker) << describe(outcome);
}

inline void expect_clean(const SweepOutcome& outcome) {
  EXPECT_FALSE(outcome.failure.has_value()) << describe(outcome);
}

}  // namespace weft::sim::testing
