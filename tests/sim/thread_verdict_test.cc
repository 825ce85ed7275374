// The right verdict with simulated threads: the first failure of a run is
// the one reported. An assertion that fails in the scenario while another
// simulated thread can still run (and uses the scenario's locals) is an
// invariant failure, not the crash or use-after-drop that running that
// thread over the unwound frame would cause; more threads than
// limits.threads_max is the limit, under every strategy, and the limit is
// a knob too.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/sync/sync.h"
#include "runtime/weft.h"
#include "sim/gtest/gtest_sim.h"
#include "sim/sweep/knobs.h"

namespace weft::sim {
namespace {

// A thread keeps writing through a local of the scenario while the
// scenario fails an assertion: the thread must be unwound before the
// scenario's frame (whose unique_ptr would be null by then: a crash).
Async<void> fails_while_a_thread_uses_its_locals() {
  auto samples = std::make_unique<std::vector<int>>(64, 0);
  sync::atomic<bool> stop{false};
  sync::thread writer([&samples, &stop] {
    for (int i = 0;; ++i) {
      sync::yield_now();
      // Resumed here after a yield: the scenario's frame must still be.
      (*samples)[static_cast<std::size_t>(i) % samples->size()] = i;
      if (stop.load()) break;
    }
  });
  sync::yield_now();
  WEFT_ASSERT((*samples)[0] < 0, "the scenario's own check fails first");
  stop.store(true);
  writer.join();
  co_return;
}

TEST(ThreadVerdict, AnAssertionWhileAThreadRunsIsReportedAsTheAssertion) {
  for (const auto kind :
       {StrategySpec::Kind::kFifo, StrategySpec::Kind::kRandom,
        StrategySpec::Kind::kPct}) {
    SweepConfig config;
    config.strategy =
        StrategySpec{kind, kind == StrategySpec::Kind::kPct ? 3u : 0u};
    config.iterations = 50;
    config.shrink = false;
    SweepOutcome outcome =
        find_failure(fails_while_a_thread_uses_its_locals, {}, config);
    ASSERT_TRUE(outcome.failure) << outcome.summary;
    SCOPED_TRACE(config.strategy.to_string());
    EXPECT_EQ(outcome.failure->failure.checker, Checker::kInvariant)
        << outcome.failure->to_string();
    EXPECT_NE(outcome.failure->failure.message.find(
                  "the scenario's own check fails first"),
              std::string::npos);
  }
}

Async<void> spawns_too_many_threads() {
  std::vector<sync::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([] { sync::yield_now(); });
  }
  for (sync::thread& thread : threads) thread.join();
  co_return;
}

TEST(ThreadVerdict, TooManyThreadsIsTheLimitUnderEveryStrategy) {
  SimOptions options;
  options.limits.threads_max = 4;
  for (const auto kind :
       {StrategySpec::Kind::kFifo, StrategySpec::Kind::kRandom,
        StrategySpec::Kind::kPct, StrategySpec::Kind::kExhaustive}) {
    SweepConfig config;
    config.strategy =
        StrategySpec{kind, kind == StrategySpec::Kind::kPct          ? 3u
                           : kind == StrategySpec::Kind::kExhaustive ? 1u
                                                                     : 0u};
    config.iterations = 50;
    config.accept_partial_search = true;
    config.shrink = false;
    SweepOutcome outcome =
        find_failure(spawns_too_many_threads, options, config);
    SCOPED_TRACE(config.strategy.to_string());
    ASSERT_TRUE(outcome.failure) << outcome.summary;
    EXPECT_EQ(outcome.failure->failure.checker, Checker::kTaskBudget)
        << outcome.failure->to_string();
    EXPECT_NE(outcome.failure->failure.message.find(
                  "more than 4 simulated threads (limits.threads_max)"),
              std::string::npos)
        << outcome.failure->failure.message;
  }
}

TEST(ThreadVerdict, TheThreadLimitIsAKnob) {
  auto configured = sweep_config_from(
      SweepConfig{},
      [](const char* name) -> const char* {
        return std::string(name) == "WEFT_THREADS_MAX" ? "128" : nullptr;
      },
      {"WEFT_THREADS_MAX"});
  ASSERT_TRUE(std::holds_alternative<SweepConfig>(configured));
  EXPECT_EQ(std::get<SweepConfig>(configured).threads_max, 128u);
  auto refused = sweep_config_from(
      SweepConfig{},
      [](const char* name) -> const char* {
        return std::string(name) == "WEFT_THREADS_MAX" ? "0" : nullptr;
      },
      {"WEFT_THREADS_MAX"});
  ASSERT_TRUE(std::holds_alternative<std::string>(refused));
  EXPECT_NE(std::get<std::string>(refused).find("WEFT_THREADS_MAX"),
            std::string::npos);
}

}  // namespace
}  // namespace weft::sim
