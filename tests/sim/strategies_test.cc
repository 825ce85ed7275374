// The generator, the strategies, strategy names and exhaustive search.
#include "sim/search/strategies.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "sim/core/coverage.h"
#include "sim/decision/prng.h"
#include "sim/search/exhaustive.h"
#include "sim/search/strategy_spec.h"

namespace weft::sim {
namespace {

TEST(Prng, ASeedGivesTheSameSequenceEverywhere) {
  // Golden values: if these change, every recorded seed changes meaning.
  Prng prng(1);
  EXPECT_EQ(prng.next_u64(), 0xb3f2af6d0fc710c5ULL);
  EXPECT_EQ(prng.next_u64(), 0x853b559647364ceaULL);
  Prng other(1);
  EXPECT_EQ(other.next_u64(), 0xb3f2af6d0fc710c5ULL);
}

TEST(Prng, UniformStaysInRangeAndCoversIt) {
  Prng prng(7);
  std::map<std::uint32_t, int> counts;
  for (int i = 0; i < 60000; ++i) {
    const std::uint32_t value = prng.uniform(6);
    ASSERT_LT(value, 6u);
    ++counts[value];
  }
  for (const auto& [value, count] : counts) {
    EXPECT_GT(count, 9000) << value;
    EXPECT_LT(count, 11000) << value;
  }
}

TEST(Prng, ChanceHonoursItsEnds) {
  Prng prng(3);
  int never = 0;
  int always = 0;
  for (int i = 0; i < 1000; ++i) {
    never += prng.chance(0) ? 1 : 0;
    always += prng.chance(Prng::probability_to_chance(1.0)) ? 1 : 0;
  }
  EXPECT_EQ(never, 0);
  EXPECT_GT(always, 990);
  EXPECT_EQ(Prng::probability_to_chance(-1), 0u);
}

TEST(RandomWalkSource, PerturbsOnlyWithItsChance) {
  RandomWalkSource source(11);
  DecisionContext context;
  context.perturb_chance = 0;
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(source.choose(DecisionKind::kHoldWake, 5, context), 0u);
    EXPECT_EQ(source.choose(DecisionKind::kPickTask, 5, context), 0u);
  }
  context.perturb_chance = Prng::probability_to_chance(1.0);
  int non_zero = 0;
  for (int i = 0; i < 100; ++i) {
    const std::uint32_t hold =
        source.choose(DecisionKind::kHoldWake, 5, context);
    EXPECT_GE(hold, 1u);
    EXPECT_LT(hold, 5u);
    non_zero += source.choose(DecisionKind::kPickTask, 5, context) != 0;
  }
  EXPECT_GT(non_zero, 60);
}

TEST(PctSource, DepthOneAlwaysRunsTheSameHighestPriorityTask) {
  PctSource source(5, 1, 100);
  const std::vector<std::uint64_t> ids = {1, 2, 3, 4};
  DecisionContext context;
  context.runnable_task_ids = ids;
  const std::uint32_t first =
      source.choose(DecisionKind::kPickTask, 4, context);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(source.choose(DecisionKind::kPickTask, 4, context), first);
  }
}

TEST(PctSource, ChangePointsDemoteTheRunningTask) {
  // With depth 2 and k = 10, within 10 steps the favourite changes once.
  PctSource source(9, 2, 10);
  const std::vector<std::uint64_t> ids = {1, 2, 3};
  DecisionContext context;
  context.runnable_task_ids = ids;
  std::set<std::uint32_t> chosen;
  for (int i = 0; i < 12; ++i) {
    context.step = static_cast<std::uint64_t>(i);
    chosen.insert(source.choose(DecisionKind::kPickTask, 3, context));
  }
  EXPECT_EQ(chosen.size(), 2u);
}

TEST(StrategySpec, ParsesEveryAcceptedForm) {
  for (const char* text :
       {"fifo", "random", "pct:1", "pct:16", "exhaustive:0", "exhaustive:8",
        "cancel-sweep:1", "cancel-sweep:2", "coverage"}) {
    auto parsed = parse_strategy(text);
    ASSERT_TRUE(std::holds_alternative<StrategySpec>(parsed)) << text;
    EXPECT_EQ(std::get<StrategySpec>(parsed).to_string(), text);
  }
  for (const char* text :
       {"", "pct", "pct:", "pct:17", "exhaustive:9", "pct:2x", "Random",
        "cancel-sweep:0", "cancel-sweep:3", "coverage:1", "Coverage"}) {
    auto parsed = parse_strategy(text);
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << text;
    EXPECT_NE(std::get<std::string>(parsed).find("accepted: fifo, random"),
              std::string::npos);
  }
}

// A stand-in program that always asks three questions of bound 3.
DecisionList run_fixed_program(const DecisionList& prefix) {
  DecisionList recorded;
  for (std::size_t i = 0; i < 3; ++i) {
    const std::uint32_t value = i < prefix.size() ? prefix[i].value : 0;
    recorded.push_back(Decision{DecisionKind::kPickTask, 3, value, {}});
  }
  return recorded;
}

TEST(ExhaustiveExplorer, EnumeratesEachListOnceAndStops) {
  // Lists of 3 decisions with values 0..2 and at most k non-zero:
  // k=1 -> 1 + 3*2 = 7; k=2 -> 7 + 3*4 = 19; k=3 -> 27.
  for (const auto& [k, expected] :
       std::vector<std::pair<std::uint32_t, std::size_t>>{
           {0, 1}, {1, 7}, {2, 19}, {3, 27}}) {
    ExhaustiveExplorer explorer(k, 100);
    std::set<std::vector<std::uint32_t>> seen;
    while (true) {
      const DecisionList run = run_fixed_program(explorer.next_prefix());
      std::vector<std::uint32_t> values;
      for (const Decision& d : run) values.push_back(d.value);
      EXPECT_TRUE(seen.insert(values).second) << "a list came twice";
      if (!explorer.advance(run)) break;
    }
    EXPECT_EQ(seen.size(), expected) << "k=" << k;
  }
}

}  // namespace
}  // namespace weft::sim

namespace weft::sim {
namespace {

TEST(StrategySpec, ThePortfolioSplitsSeedsAmongRandomAndPctDepths) {
  auto parsed = parse_strategy("portfolio");
  ASSERT_TRUE(std::holds_alternative<StrategySpec>(parsed));
  EXPECT_EQ(std::get<StrategySpec>(parsed).to_string(), "portfolio");
  std::size_t random = 0;
  std::size_t pct3 = 0;
  std::size_t deep = 0;
  for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
    const StrategySpec part = portfolio_part(seed);
    EXPECT_EQ(part, portfolio_part(seed)) << "the same seed, the same part";
    if (part.kind == StrategySpec::Kind::kRandom) {
      ++random;
    } else if (part.kind == StrategySpec::Kind::kPct && part.parameter == 3) {
      ++pct3;
    } else {
      ASSERT_EQ(part.kind, StrategySpec::Kind::kPct);
      EXPECT_GE(part.parameter, 4u);
      EXPECT_LE(part.parameter, 8u);
      ++deep;
    }
  }
  // About a third each.
  for (std::size_t share : {random, pct3, deep}) {
    EXPECT_GT(share, 900u);
    EXPECT_LT(share, 1100u);
  }
}

TEST(StrategySpec, CancelSweepAloneMeansOneCancellation) {
  auto parsed = parse_strategy("cancel-sweep");
  ASSERT_TRUE(std::holds_alternative<StrategySpec>(parsed));
  EXPECT_EQ(std::get<StrategySpec>(parsed).to_string(), "cancel-sweep:1");
}

TEST(CoverageSeen, CountsASlotOncePerHitCountBucket) {
  CoverageSeen seen;
  CoverageMap run(kCoverageSlots, 0);
  run[7] = 1;
  EXPECT_EQ(seen.merge(run), 1u);
  EXPECT_EQ(seen.merge(run), 0u);  // nothing new
  run[7] = 2;
  EXPECT_EQ(seen.merge(run), 1u);  // the same slot, hit twice: new
  run[7] = 5;
  EXPECT_EQ(seen.merge(run), 1u);  // 4-7
  run[7] = 6;
  EXPECT_EQ(seen.merge(run), 0u);  // still 4-7
  run[9] = 200;
  EXPECT_EQ(seen.merge(run), 1u);  // 128+
  EXPECT_EQ(seen.size(), 4u);
}

TEST(CoverageFeatures, SitesHashByNameAndLineNotAddress) {
  const std::string a = "pkg/file.h";
  const std::string b = "pkg/file.h";  // another copy, another address
  EXPECT_EQ(site_hash(a.c_str(), 10), site_hash(b.c_str(), 10));
  EXPECT_NE(site_hash(a.c_str(), 10), site_hash(a.c_str(), 11));
  EXPECT_NE(feature_of(1, 2), feature_of(2, 1));
}

}  // namespace
}  // namespace weft::sim
