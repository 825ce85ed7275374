// The zoo's storage components (sim/zoo/storage_catalogue.h): each bug is
// found by the default strategy within the usual budget (200 random runs)
// with the checker that should report it, shrinks to one or two storage
// decisions that replay the same failure, and is missed by FIFO (which
// keeps everything at a crash and injects no fault); each fixed twin is
// clean under random, pct:3 and coverage.
#include <gtest/gtest.h>

#include <string>

#include "sim/decision/decision_io.h"
#include "sim/decision/replay_source.h"
#include "sim/sweep/single_run.h"
#include "sim/sweep/sweep.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/storage_catalogue.h"

namespace weft::sim {
namespace {

using testing::expect_clean;
using testing::expect_found;
using testing::sweep;
using zoo::Component;
using zoo::storage_catalogue;

bool is_storage_kind(DecisionKind kind) {
  return kind == DecisionKind::kDiskCrash || kind == DecisionKind::kDiskFault;
}

TEST(StorageZoo, EachBugIsFoundShrunkAndReplayed) {
  for (const Component& c : storage_catalogue()) {
    SCOPED_TRACE(c.name);
    SweepOutcome outcome = sweep(c.buggy, "random");
    expect_found(outcome, c.expected);
    ASSERT_TRUE(outcome.failure.has_value());
    const FailureReport& report = *outcome.failure;
    ASSERT_TRUE(report.shrunk.has_value());
    const SparseDecisions& shrunk = report.shrunk->decisions;
    EXPECT_GE(shrunk.perturbed.size(), 1u);
    EXPECT_LE(shrunk.perturbed.size(), 2u) << report.to_string();
    bool storage_decision = false;
    for (const Decision& d : shrunk.perturbed) {
      storage_decision = storage_decision || is_storage_kind(d.kind);
    }
    EXPECT_TRUE(storage_decision) << report.to_string();
    // The report says what the decision did to the disk, in words.
    const std::string text = report.to_string();
    EXPECT_TRUE(text.find("crashed: ") != std::string::npos ||
                text.find("(injected)") != std::string::npos)
        << text;
    RunResult again = replay_sparse(c.buggy, SimOptions{}, shrunk,
                                    LabelledReplaySource::Mode::kStrict);
    ASSERT_TRUE(again.failure.has_value());
    EXPECT_TRUE(again.failure->same_kind_as(report.failure));
    EXPECT_EQ(again.failure->message, report.failure.message);
    std::printf("%-16s found after %llu runs, shrunk to %s\n", c.name.c_str(),
                static_cast<unsigned long long>(report.runs),
                format_sparse_decisions(shrunk).c_str());
  }
}

TEST(StorageZoo, FifoMissesEachBug) {
  for (const Component& c : storage_catalogue()) {
    SCOPED_TRACE(c.name);
    expect_clean(sweep(c.buggy, "fifo", 1));
  }
}

TEST(StorageZoo, EachFixedTwinIsClean) {
  for (const Component& c : storage_catalogue()) {
    SCOPED_TRACE(c.name);
    expect_clean(sweep(c.fixed, "fifo", 1));
    expect_clean(sweep(c.fixed, "random", 1000));
    expect_clean(sweep(c.fixed, "pct:3"));
    expect_clean(sweep(c.fixed, "coverage"));
  }
}

}  // namespace
}  // namespace weft::sim
