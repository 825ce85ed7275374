// A passing sweep says how much it saw: the Good-Turing estimate of the
// chance that one more run shows new behaviour (schedule coverage features
// seen in exactly one run, over runs), a hint when it is high, and
// WEFT_ITERATIONS=auto, which runs until the estimate falls below
// WEFT_AUTO_THRESHOLD or a cap and says which ended it. Checked on a
// scenario with a known number of behaviours: four tasks finishing in one
// of 24 orders, each order a coverage mark.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <variant>

#include "runtime/seam/mark.h"
#include "runtime/sync/sync.h"
#include "runtime/weft.h"
#include "sim/gtest/gtest_sim.h"
#include "sim/sweep/knobs.h"

namespace weft::sim {
namespace {

constexpr int kTasks = 4;
constexpr std::uint64_t kOrders = 24;  // 4!

Async<void> four_tasks_finish_in_some_order() {
  std::string order;
  JoinSet<void> tasks;
  for (int i = 0; i < kTasks; ++i) {
    tasks.spawn([](std::string* out, int me) -> Async<void> {
      co_await yield_now();
      co_await yield_now();
      *out += static_cast<char>('1' + me);
    }(&order, i));
  }
  while (co_await tasks.join_next()) {
  }
  mark("order " + order);
}

// The sweep configuration these knobs give, or the error naming one.
std::variant<SweepConfig, std::string> from_knobs(const char* iterations,
                                                  const char* threshold,
                                                  const char* strategy) {
  return sweep_config_from(SweepConfig{},
                           [=](const char* name) -> const char* {
                             const std::string n = name;
                             if (n == "WEFT_ITERATIONS") return iterations;
                             if (n == "WEFT_AUTO_THRESHOLD") return threshold;
                             if (n == "WEFT_STRATEGY") return strategy;
                             return nullptr;
                           },
                           {});
}

SweepConfig configured(const char* iterations, const char* threshold) {
  auto parsed = from_knobs(iterations, threshold, nullptr);
  EXPECT_TRUE(std::holds_alternative<SweepConfig>(parsed))
      << std::get<std::string>(parsed);
  SweepConfig config = std::get<SweepConfig>(parsed);
  config.jobs = 1;
  return config;
}

std::uint64_t orders_seen(const SweepOutcome& outcome) {
  std::uint64_t seen = 0;
  for (const MarkStats& mark : outcome.stats.marks) {
    seen += mark.name.starts_with("order ") && mark.runs_reached > 0 ? 1 : 0;
  }
  return seen;
}

TEST(Saturation, AShortSweepSaysMoreRunsWouldExploreMore) {
  const SweepOutcome outcome = find_failure(
      four_tasks_finish_in_some_order, SimOptions{}, configured("20", nullptr));
  ASSERT_FALSE(outcome.failure);
  std::printf("%s\n", outcome.summary.c_str());
  const std::optional<double> chance = outcome.stats.new_behaviour_chance();
  ASSERT_TRUE(chance);
  // 20 runs cannot have seen each of 24 orders twice.
  EXPECT_LT(orders_seen(outcome), kOrders);
  EXPECT_GE(*chance, 0.05) << outcome.summary;
  EXPECT_NE(outcome.summary.find("new behaviour in "), std::string::npos)
      << outcome.summary;
  EXPECT_NE(outcome.summary.find("more runs would explore more: "
                                 "WEFT_ITERATIONS=2000"),
            std::string::npos)
      << outcome.summary;
}

TEST(Saturation, AutoRunsUntilNewBehaviourIsRareAndSaysSo) {
  const SweepOutcome outcome =
      find_failure(four_tasks_finish_in_some_order, SimOptions{},
                   configured("auto", "0.01"));
  ASSERT_FALSE(outcome.failure);
  std::printf("%s\n", outcome.summary.c_str());
  EXPECT_TRUE(outcome.saturated) << outcome.summary;
  EXPECT_LT(outcome.runs, kAutoRunsDefaultCap) << outcome.summary;
  EXPECT_GE(outcome.runs, kAutoRunsMin);
  EXPECT_LT(*outcome.stats.new_behaviour_chance(), 0.01);
  // Saturated: every order the scenario has was seen.
  EXPECT_EQ(orders_seen(outcome), kOrders) << outcome.summary;
  EXPECT_NE(outcome.summary.find("WEFT_ITERATIONS=auto stopped there"),
            std::string::npos)
      << outcome.summary;
  EXPECT_EQ(outcome.summary.find("more runs would explore more"),
            std::string::npos)
      << outcome.summary;
}

TEST(Saturation, AutoStopsAtItsCapAndSaysSo) {
  // A threshold no sweep of 100 runs reaches on this scenario.
  const SweepOutcome outcome =
      find_failure(four_tasks_finish_in_some_order, SimOptions{},
                   configured("auto:100", "1e-9"));
  ASSERT_FALSE(outcome.failure);
  EXPECT_FALSE(outcome.saturated);
  EXPECT_EQ(outcome.runs, 100u);
  EXPECT_NE(outcome.summary.find("stopped at its cap of 100 runs"),
            std::string::npos)
      << outcome.summary;
}

// All behaviour inside simulated threads (the task only spawns and
// joins): switches and what each atomic load read are features too, so
// a short sweep does not look saturated.
Async<void> threads_interleave() {
  sync::atomic<int> x{0};
  sync::atomic<int> y{0};
  int seen = 0;
  sync::thread a([&] {
    x.store(1, std::memory_order_relaxed);
    seen += y.load(std::memory_order_relaxed);
    x.store(2, std::memory_order_relaxed);
  });
  sync::thread b([&] {
    y.store(1, std::memory_order_relaxed);
    seen += x.load(std::memory_order_relaxed);
    y.store(2, std::memory_order_relaxed);
  });
  a.join();
  b.join();
  co_return;
}

TEST(Saturation, ThreadSchedulesAreBehaviourToo) {
  const SweepOutcome outcome =
      find_failure(threads_interleave, SimOptions{}, configured("40", nullptr));
  ASSERT_FALSE(outcome.failure);
  std::printf("%s\n", outcome.summary.c_str());
  EXPECT_GE(outcome.stats.features, 10u) << outcome.summary;
  EXPECT_GE(*outcome.stats.new_behaviour_chance(), 0.05) << outcome.summary;
}

TEST(Saturation, BadAutoSettingsAreRefusedByName) {
  const auto refused = [](const char* iterations, const char* threshold,
                          const char* strategy) {
    auto parsed = from_knobs(iterations, threshold, strategy);
    return std::holds_alternative<std::string>(parsed)
               ? std::get<std::string>(parsed)
               : std::string();
  };
  EXPECT_NE(refused("auto:5", nullptr, nullptr).find("auto:<cap>"),
            std::string::npos);
  EXPECT_NE(refused("auto", "2", nullptr).find("WEFT_AUTO_THRESHOLD"),
            std::string::npos);
  EXPECT_NE(
      refused("200", "0.01", nullptr).find("without WEFT_ITERATIONS=auto"),
      std::string::npos);
  EXPECT_NE(
      refused("auto", nullptr, "coverage").find("random, pct or portfolio"),
      std::string::npos);
}

}  // namespace
}  // namespace weft::sim
