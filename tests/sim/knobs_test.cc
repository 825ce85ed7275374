// Environment knobs: good values configure the sweep; bad, empty,
// conflicting or ignored ones are errors that name the variable, the value
// and what is accepted. (The full matrix of bad inputs is in
// bad_input_test.cc.)
#include "sim/sweep/knobs.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "runtime/weft.h"
#include "sim/sweep/sweep.h"

namespace weft::sim {
namespace {

using Environment = std::map<std::string, std::string>;

std::variant<SweepConfig, std::string> configure(const Environment& env,
                                                 SweepConfig defaults = {}) {
  std::vector<std::string> weft;
  for (const auto& [name, value] : env) {
    if (name.rfind("WEFT_", 0) == 0) weft.push_back(name);
  }
  return sweep_config_from(
      std::move(defaults),
      [&env](const char* name) -> const char* {
        auto found = env.find(name);
        return found == env.end() ? nullptr : found->second.c_str();
      },
      weft);
}

std::string error_of(const Environment& env, SweepConfig defaults = {}) {
  auto result = configure(env, std::move(defaults));
  if (auto* error = std::get_if<std::string>(&result)) return *error;
  return "(accepted)";
}

TEST(Knobs, GoodValuesConfigureTheSweep) {
  auto result = configure({{"WEFT_SEED", "0x2a"},
                           {"WEFT_STRATEGY", "pct:4"},
                           {"WEFT_DETERMINISM", "1"},
                           {"WEFT_SHRINK_ATTEMPTS", "50"},
                           {"WEFT_TRACE_DIR", "/tmp"}});
  ASSERT_TRUE(std::holds_alternative<SweepConfig>(result))
      << std::get<std::string>(result);
  const SweepConfig& config = std::get<SweepConfig>(result);
  EXPECT_EQ(config.only_seed, 42u);
  EXPECT_EQ(config.strategy.to_string(), "pct:4");
  EXPECT_TRUE(config.check_determinism);
  EXPECT_EQ(config.shrink_budget.attempts_max, 50u);
  EXPECT_EQ(config.output_dir, "/tmp");
}

TEST(Knobs, JobsSetTheThreadsOfASeedSweep) {
  auto result = configure({{"WEFT_JOBS", "3"}});
  ASSERT_TRUE(std::holds_alternative<SweepConfig>(result))
      << std::get<std::string>(result);
  EXPECT_EQ(std::get<SweepConfig>(result).jobs, 3u);
  // 0 asks for one thread per core, as leaving it unset does.
  auto zero = configure({{"WEFT_JOBS", "0"}});
  ASSERT_TRUE(std::holds_alternative<SweepConfig>(zero));
  EXPECT_EQ(std::get<SweepConfig>(zero).jobs, 0u);
  EXPECT_NE(error_of({{"WEFT_JOBS", "1000"}}).find("from 1 to 256"),
            std::string::npos);
}

TEST(Knobs, ASparseListReplaysByLabel) {
  auto result = configure({{"WEFT_DECISIONS", "12;pick@3/2=1;hold@2.1/5=4"}});
  ASSERT_TRUE(std::holds_alternative<SweepConfig>(result))
      << std::get<std::string>(result);
  const SweepConfig& config = std::get<SweepConfig>(result);
  ASSERT_TRUE(config.replay && config.replay->sparse);
  EXPECT_EQ(config.replay->sparse->count, 12u);
  ASSERT_EQ(config.replay->sparse->perturbed.size(), 2u);
  EXPECT_EQ(config.replay->sparse->perturbed[1].label.first, 2u);
  EXPECT_EQ(config.replay->sparse->perturbed[1].label.second, 1u);
}

TEST(Knobs, KnobsThatWouldBeIgnoredAreRefused) {
  EXPECT_NE(error_of({{"WEFT_SEED", "3"}, {"WEFT_STRATEGY", "fifo"}})
                .find("WEFT_SEED=3 has no effect with the strategy fifo"),
            std::string::npos);
  EXPECT_NE(error_of({{"WEFT_SEED", "3"}, {"WEFT_STRATEGY", "exhaustive:2"}})
                .find("has no effect with the strategy exhaustive:2"),
            std::string::npos);
  EXPECT_NE(error_of({{"WEFT_SEED", "3"}, {"WEFT_ITERATIONS", "9"}})
                .find("WEFT_ITERATIONS=9 has no effect with WEFT_SEED"),
            std::string::npos);
  EXPECT_NE(error_of({{"WEFT_DECISIONS", "*"}, {"WEFT_STRATEGY", "random"}})
                .find("WEFT_STRATEGY='random' has no effect with "
                      "WEFT_DECISIONS"),
            std::string::npos);
  EXPECT_NE(error_of({{"WEFT_DECISIONS", "*"}, {"WEFT_SEED", "1"}})
                .find("WEFT_SEED='1' has no effect with WEFT_DECISIONS"),
            std::string::npos);
  EXPECT_NE(error_of({{"WEFT_SHRINK", "0"}, {"WEFT_SHRINK_ATTEMPTS", "5"}})
                .find("WEFT_SHRINK_ATTEMPTS has no effect with WEFT_SHRINK=0"),
            std::string::npos);
  EXPECT_NE(error_of({{"WEFT_ITERATIONS", "9"}, {"WEFT_STRATEGY", "fifo"}})
                .find("WEFT_ITERATIONS=9 has no effect with the strategy fifo"),
            std::string::npos);
  // The code's own strategy counts as much as the variable's.
  SweepConfig fifo;
  fifo.strategy = StrategySpec{StrategySpec::Kind::kFifo, 0};
  EXPECT_NE(error_of({{"WEFT_SEED", "3"}}, fifo).find("no effect"),
            std::string::npos);
}

TEST(Knobs, EmptyAndUnknownVariablesAreRefused) {
  EXPECT_NE(error_of({{"WEFT_SEED", ""}})
                .find("WEFT_SEED is set but empty; unset it or give it a "
                      "value"),
            std::string::npos);
  EXPECT_NE(error_of({{"WEFT_SEEDS", "4"}})
                .find("unknown variable WEFT_SEEDS (weft reads WEFT_STRATEGY"),
            std::string::npos);
}

TEST(Knobs, ShardsSplitASeedSweepWithoutOverlap) {
  std::set<std::uint64_t> seen;
  std::uint64_t total_runs = 0;
  for (int shard = 0; shard < 3; ++shard) {
    SweepConfig defaults;
    defaults.iterations = 30;
    auto result = configure({{"TEST_TOTAL_SHARDS", "3"},
                             {"TEST_SHARD_INDEX", std::to_string(shard)}},
                            defaults);
    ASSERT_TRUE(std::holds_alternative<SweepConfig>(result));
    const SweepConfig& config = std::get<SweepConfig>(result);
    EXPECT_EQ(config.shard_count, 3u);
    EXPECT_EQ(config.shard_index, static_cast<std::uint32_t>(shard));
    for (std::uint64_t i = 0; i < config.iterations; ++i) {
      if (i % config.shard_count == config.shard_index) {
        EXPECT_TRUE(seen.insert(config.first_seed + i).second);
      }
    }
    // And a real sweep runs exactly this shard's seeds.
    total_runs +=
        run_sweep([]() -> Async<void> { co_return; }, SimOptions{}, config)
            .runs;
  }
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_EQ(total_runs, 30u);
}

TEST(Knobs, ShardLayoutsThatRunNothingAreRefused) {
  EXPECT_NE(error_of({{"TEST_TOTAL_SHARDS", "2"}, {"TEST_SHARD_INDEX", "2"}})
                .find("do not make a shard"),
            std::string::npos);
  EXPECT_NE(
      error_of({{"TEST_TOTAL_SHARDS", "4294967297"}, {"TEST_SHARD_INDEX", "0"}})
          .find("do not make a shard"),
      std::string::npos);
  EXPECT_NE(error_of({{"TEST_TOTAL_SHARDS", "3"}}).find("set together"),
            std::string::npos);
  EXPECT_NE(error_of({{"TEST_TOTAL_SHARDS", "10"},
                      {"TEST_SHARD_INDEX", "7"},
                      {"WEFT_ITERATIONS", "5"}})
                .find("the sweep has 5 runs but the test has 10 shards"),
            std::string::npos);
}

TEST(Knobs, BazelOutputsAreShownWhereBazelLeavesThem) {
  auto result =
      configure({{"TEST_UNDECLARED_OUTPUTS_DIR",
                  "/sandbox/execroot/w/bazel-out/k8-fastbuild/testlogs/pkg/t/"
                  "test.outputs"},
                 {"TEST_TARGET", "//pkg:t"}});
  ASSERT_TRUE(std::holds_alternative<SweepConfig>(result));
  const SweepConfig& config = std::get<SweepConfig>(result);
  EXPECT_EQ(config.output_display_dir, "bazel-testlogs/pkg/t/test.outputs");
  ASSERT_TRUE(config.replay_command);
  EXPECT_EQ(config.replay_command->head,
            "bazel test //pkg:t" + std::string(
#if defined(__SANITIZE_ADDRESS__)
                                       " --config=asan"
#elif defined(__SANITIZE_THREAD__)
                                       " --config=tsan"
#else
                                       ""
#endif
                                       ));
}

}  // namespace
}  // namespace weft::sim
