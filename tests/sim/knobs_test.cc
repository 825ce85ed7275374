// Environment knobs: good values configure the sweep; bad ones are errors
// that name the variable, the value and what is accepted.
#include "sim/knobs.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "runtime/weft.h"
#include "sim/sweep.h"

namespace weft::sim {
namespace {

class Knobs : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kNames) unsetenv(name);
  }
  void TearDown() override {
    for (const char* name : kNames) unsetenv(name);
  }
  static std::string error_for(const char* name, const char* value) {
    setenv(name, value, 1);
    auto result = sweep_config_from_environment(SweepConfig{});
    unsetenv(name);
    if (auto* error = std::get_if<std::string>(&result)) return *error;
    return "";
  }
  static constexpr const char* kNames[] = {
      "WEFT_SEED",        "WEFT_ITERATIONS",
      "WEFT_STRATEGY",    "WEFT_REPLAY",
      "WEFT_DECISIONS",   "WEFT_DETERMINISM",
      "WEFT_TRACE_DIR",   "TEST_TOTAL_SHARDS",
      "TEST_SHARD_INDEX", "TEST_SHARD_STATUS_FILE"};
};

TEST_F(Knobs, GoodValuesConfigureTheSweep) {
  setenv("WEFT_SEED", "0x2a", 1);
  setenv("WEFT_ITERATIONS", "77", 1);
  setenv("WEFT_STRATEGY", "pct:4", 1);
  setenv("WEFT_DETERMINISM", "1", 1);
  setenv("WEFT_TRACE_DIR", "/tmp/weft-traces", 1);
  auto result = sweep_config_from_environment(SweepConfig{});
  ASSERT_TRUE(std::holds_alternative<SweepConfig>(result))
      << std::get<std::string>(result);
  const SweepConfig& config = std::get<SweepConfig>(result);
  EXPECT_EQ(config.only_seed, 42u);
  EXPECT_EQ(config.iterations, 77u);
  EXPECT_EQ(config.strategy.to_string(), "pct:4");
  EXPECT_TRUE(config.check_determinism);
  EXPECT_EQ(config.output_dir, "/tmp/weft-traces");
}

TEST_F(Knobs, BadValuesNameTheVariableAndTheAcceptedForms) {
  EXPECT_NE(error_for("WEFT_STRATEGY", "dfs")
                .find("WEFT_STRATEGY='dfs' is not a strategy (unknown name); "
                      "accepted: fifo, random, pct:<depth 1-16>"),
            std::string::npos);
  EXPECT_NE(
      error_for("WEFT_STRATEGY", "pct:0").find("PCT depth must be 1 to 16"),
      std::string::npos);
  EXPECT_NE(error_for("WEFT_STRATEGY", "exhaustive:x").find("whole number"),
            std::string::npos);
  EXPECT_NE(error_for("WEFT_SEED", "abc")
                .find("WEFT_SEED='abc' is not valid: a seed is a whole number"),
            std::string::npos);
  EXPECT_NE(error_for("WEFT_SEED", "-1").find("WEFT_SEED='-1'"),
            std::string::npos);
  EXPECT_NE(error_for("WEFT_ITERATIONS", "0").find("from 1 to"),
            std::string::npos);
  EXPECT_NE(error_for("WEFT_DETERMINISM", "yes").find("0 (off) or 1 (on)"),
            std::string::npos);
  EXPECT_NE(error_for("WEFT_REPLAY", "/nonexistent/x.decisions")
                .find("WEFT_REPLAY: cannot open the decision file"),
            std::string::npos);
  EXPECT_NE(
      error_for("WEFT_DECISIONS", "3;zz").find("WEFT_DECISIONS: at character"),
      std::string::npos);
}

TEST_F(Knobs, ReplayFileAndInlineListTogetherAreRefused) {
  setenv("WEFT_REPLAY", "/tmp/a", 1);
  setenv("WEFT_DECISIONS", "0", 1);
  auto result = sweep_config_from_environment(SweepConfig{});
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  EXPECT_NE(std::get<std::string>(result).find("both set"), std::string::npos);
}

TEST_F(Knobs, ShardsSplitASeedSweepWithoutOverlap) {
  std::set<std::uint64_t> seen;
  std::uint64_t total_runs = 0;
  for (int shard = 0; shard < 3; ++shard) {
    setenv("TEST_TOTAL_SHARDS", "3", 1);
    setenv("TEST_SHARD_INDEX", std::to_string(shard).c_str(), 1);
    SweepConfig defaults;
    defaults.iterations = 30;
    auto result = sweep_config_from_environment(defaults);
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

TEST_F(Knobs, BadShardVariablesAreRefused) {
  setenv("TEST_TOTAL_SHARDS", "2", 1);
  setenv("TEST_SHARD_INDEX", "2", 1);
  auto result = sweep_config_from_environment(SweepConfig{});
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  EXPECT_NE(std::get<std::string>(result).find("do not make a shard"),
            std::string::npos);
}

}  // namespace
}  // namespace weft::sim
