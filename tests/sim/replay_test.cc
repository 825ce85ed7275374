// Replay: a failure found by a sweep replays exactly, from its decision
// file (by position) and from the sparse line of its report (by label);
// lists that no longer fit the program, including entries the run never
// reaches, are reported as replay-mismatch, never run as something else.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/decision/decision_io.h"
#include "sim/decision/replay_source.h"
#include "sim/search/strategies.h"
#include "sim/sweep/sweep.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/check_then_act.h"
#include "sim/zoo/lost_wakeup.h"

namespace weft::sim {
namespace {

std::string temporary_dir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string dir =
      std::string(base != nullptr ? base : "/tmp") + "/weft-replay";
  std::filesystem::create_directories(dir);
  return dir;
}

std::string read(const std::string& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

SweepOutcome find_check_then_act(const std::string& output_dir) {
  SweepConfig config;
  config.iterations = testing::kSeedBudget;
  config.output_dir = output_dir;
  config.replay_command =
      ReplayCommand::for_bazel("//tests/sim:replay_test", "Replay.X");
  return find_failure(zoo::check_then_act_scenario<false>, SimOptions{},
                      config);
}

SweepOutcome replay(const Scenario& scenario, ReplayRequest request) {
  SweepConfig config;
  request.origin = "test";
  config.replay = std::move(request);
  return find_failure(scenario, SimOptions{}, config);
}

TEST(Replay, AFailureReplaysFromItsDecisionFileAndItsSparseLine) {
  const std::string dir = temporary_dir();
  SweepOutcome found = find_check_then_act(dir);
  ASSERT_TRUE(found.failure);
  const FailureReport& report = *found.failure;
  ASSERT_FALSE(report.decisions_path.empty());

  // The file holds the run as found, replayed by position.
  auto from_file = read_decision_file(report.decisions_path);
  ASSERT_TRUE(std::holds_alternative<DecisionList>(from_file))
      << std::get<std::string>(from_file);
  ReplayRequest by_position;
  by_position.positional = std::get<DecisionList>(from_file);
  SweepOutcome again = replay(zoo::check_then_act_scenario<false>, by_position);
  ASSERT_TRUE(again.failure);
  EXPECT_EQ(again.failure->found.count, report.found.count);
  EXPECT_EQ(again.failure->steps, report.steps);

  // The shrunk run, replayed by label from the line the report prints,
  // is the run the report's header describes, with the same count.
  ASSERT_TRUE(report.shrunk);
  auto from_line = parse_sparse_decisions(
      format_sparse_decisions(report.shrunk->decisions), "line");
  ASSERT_TRUE(std::holds_alternative<SparseDecisions>(from_line));
  ReplayRequest by_label;
  by_label.sparse = std::get<SparseDecisions>(from_line);
  SweepOutcome shrunk = replay(zoo::check_then_act_scenario<false>, by_label);
  ASSERT_TRUE(shrunk.failure);
  EXPECT_TRUE(shrunk.failure->failure.same_kind_as(report.failure));
  EXPECT_EQ(shrunk.failure->failure.step, report.failure.step);
  EXPECT_EQ(shrunk.failure->failure.message, report.failure.message);
  EXPECT_EQ(shrunk.failure->found.count, report.shrunk->decisions.count);
  EXPECT_EQ(shrunk.runs, 1u);
}

TEST(Replay, TheReportEndsWithTheLineThatReplaysTheShrunkRun) {
  SweepOutcome found = find_check_then_act("");
  ASSERT_TRUE(found.failure);
  const FailureReport& report = *found.failure;
  EXPECT_EQ(report.replay_as_found_command.rfind(
                "bazel test //tests/sim:replay_test", 0),
            0u)
      << report.replay_as_found_command;
  EXPECT_NE(report.replay_as_found_command.find(" --test_filter=Replay.X"),
            std::string::npos);
  EXPECT_NE(report.replay_as_found_command.find("--test_env=WEFT_SEED=" +
                                                std::to_string(*report.seed)),
            std::string::npos);
  ASSERT_TRUE(report.shrunk);
  EXPECT_NE(report.replay_command.find(
                "--test_env=WEFT_DECISIONS='" +
                format_sparse_decisions(report.shrunk->decisions) + "'"),
            std::string::npos)
      << report.replay_command;
  const std::string text = report.to_string();
  EXPECT_NE(
      text.find("invariant checker fired at step " +
                std::to_string(report.failure.step) + " of the shrunk run"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("timeline of the shrunk run"), std::string::npos);
  const std::string last_line = "replay: " + report.replay_command + "\n";
  ASSERT_GE(text.size(), last_line.size());
  EXPECT_EQ(text.substr(text.size() - last_line.size()), last_line) << text;
}

TEST(Replay, TheTraceFileIsValidTraceEventJson) {
  SweepOutcome found = find_check_then_act(temporary_dir());
  ASSERT_TRUE(found.failure);
  ASSERT_FALSE(found.failure->trace_path.empty());
  const std::string json = read(found.failure->trace_path);
  EXPECT_FALSE(nlohmann::json::parse(json, nullptr, false).is_discarded())
      << json.substr(0, 400);
  EXPECT_NE(json.find("\"traceEvents\""), std::string::npos);
  EXPECT_NE(json.find("\"ph\":\"B\""), std::string::npos);  // poll slices
  EXPECT_NE(json.find("checker fired: invariant"), std::string::npos);
}

TEST(Replay, AnUnwritableOutputFolderIsReportedNotSilent) {
  SweepOutcome found = find_check_then_act("/nonexistent/weft-folder");
  ASSERT_TRUE(found.failure);
  EXPECT_TRUE(found.failure->trace_path.empty());
  ASSERT_FALSE(found.failure->file_problems.empty());
  EXPECT_NE(found.failure->to_string().find(
                "not written: cannot create /nonexistent/weft-folder/"),
            std::string::npos)
      << found.failure->to_string();
}

TEST(Replay, AListThatNoLongerFitsTheProgramIsReportedNotRun) {
  // Decisions recorded from one program, replayed on another.
  SweepOutcome found = find_check_then_act("");
  ASSERT_TRUE(found.failure);
  ReplayRequest request;
  request.positional = found.failure->decisions;
  SweepOutcome other = replay(zoo::lost_wakeup_scenario<true>, request);
  testing::expect_found(other, Checker::kReplayMismatch);
  ASSERT_TRUE(other.failure);
  EXPECT_NE(
      other.failure->failure.message.find("changed since it was recorded"),
      std::string::npos)
      << other.failure->failure.message;
}

TEST(Replay, AnEntryTheRunNeverReachesIsAMismatchNamingIt) {
  // The fixed twin runs clean; a list with an entry at a step it never
  // reaches must not pass as a clean replay.
  SparseDecisions list;
  Decision unreachable;
  unreachable.kind = DecisionKind::kPickTask;
  unreachable.bound = 2;
  unreachable.value = 1;
  unreachable.label = {999'999, 0};
  list.perturbed.push_back(unreachable);
  ReplayRequest request;
  request.sparse = list;
  SweepOutcome outcome = replay(zoo::lost_wakeup_scenario<true>, request);
  testing::expect_found(outcome, Checker::kReplayMismatch);
  ASSERT_TRUE(outcome.failure);
  EXPECT_NE(outcome.failure->failure.message.find(
                "the entry pick@999999/2=1 was never reached"),
            std::string::npos)
      << outcome.failure->failure.message;
}

TEST(Replay, AWholeListLongerThanTheRunIsAMismatch) {
  SweepOutcome found = find_check_then_act("");
  ASSERT_TRUE(found.failure);
  ReplayRequest request;
  request.positional = found.failure->decisions;
  for (int i = 0; i < 5; ++i) {
    request.positional->push_back(Decision{DecisionKind::kPickTask, 2, 0, {}});
  }
  // The fixed twin asks fewer questions than the buggy run recorded.
  SweepOutcome outcome = replay(zoo::check_then_act_scenario<false>, request);
  ASSERT_TRUE(outcome.failure);
  EXPECT_NE(outcome.failure->failure.message.find("was never reached"),
            std::string::npos)
      << outcome.failure->failure.message;
}

TEST(Replay, ACountThatDiffersFromTheRunIsAMismatch) {
  SparseDecisions list;
  list.count = 7;  // the fixed lost-wakeup run makes a different number
  ReplayRequest request;
  request.sparse = list;
  SweepOutcome outcome = replay(zoo::lost_wakeup_scenario<true>, request);
  testing::expect_found(outcome, Checker::kReplayMismatch);
  EXPECT_NE(outcome.failure->failure.message.find(
                "recorded from a run of 7 decisions"),
            std::string::npos)
      << outcome.failure->failure.message;
  list.count.reset();  // '*': any count
  request.sparse = list;
  testing::expect_clean(replay(zoo::lost_wakeup_scenario<true>, request));
}

TEST(ReplaySource, ZeroesPastTheEndOfAShorterList) {
  const DecisionList list = {{DecisionKind::kCancel, 2, 0, {}},
                             {DecisionKind::kHoldWake, 4, 3, {}}};
  ReplaySource source(list);
  DecisionContext context;
  EXPECT_EQ(source.choose(DecisionKind::kCancel, 2, context), 0u);
  EXPECT_EQ(source.choose(DecisionKind::kHoldWake, 4, context), 3u);
  EXPECT_EQ(source.choose(DecisionKind::kPickTask, 9, context), 0u);
  source.run_ended(3);
  EXPECT_EQ(source.mismatch(), nullptr);
}

TEST(LabelledReplaySource, AnswersByLabelAndClampsWhenLenient) {
  Decision hold;
  hold.kind = DecisionKind::kHoldWake;
  hold.bound = 5;
  hold.value = 4;
  hold.label = {3, 2};
  DecisionContext at_label;
  at_label.label = {3, 2};
  DecisionContext elsewhere;
  elsewhere.label = {3, 1};
  LabelledReplaySource strict({hold}, std::nullopt,
                              LabelledReplaySource::Mode::kStrict);
  EXPECT_EQ(strict.choose(DecisionKind::kHoldWake, 5, elsewhere), 0u);
  EXPECT_EQ(strict.choose(DecisionKind::kPickTask, 5, at_label), 0u);
  EXPECT_EQ(strict.choose(DecisionKind::kHoldWake, 5, at_label), 4u);
  strict.run_ended(3);
  EXPECT_EQ(strict.mismatch(), nullptr);

  LabelledReplaySource lenient({hold}, std::nullopt,
                               LabelledReplaySource::Mode::kLenient);
  EXPECT_EQ(lenient.choose(DecisionKind::kHoldWake, 3, at_label), 2u);
  LabelledReplaySource other_bound({hold}, std::nullopt,
                                   LabelledReplaySource::Mode::kStrict);
  EXPECT_EQ(other_bound.choose(DecisionKind::kHoldWake, 3, at_label), 0u);
  ASSERT_NE(other_bound.mismatch(), nullptr);
  EXPECT_NE(std::string(other_bound.mismatch()).find("hold@3.2/5=4"),
            std::string::npos);
}

}  // namespace
}  // namespace weft::sim
