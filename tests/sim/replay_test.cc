// Replay: a failure found by a sweep replays exactly, from a file or from
// the sparse line in its report; lists that no longer fit the program and
// malformed files are reported clearly, never run as something else.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "examples/zoo/check_then_act.h"
#include "examples/zoo/lost_wakeup.h"
#include "sim/decision_io.h"
#include "sim/replay_source.h"
#include "sim/strategies.h"
#include "sim/sweep.h"
#include "tests/sim/support/json_check.h"
#include "tests/sim/support/sweeps.h"

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
  config.replay_target = "//tests/sim:replay_test";
  return find_failure(zoo::check_then_act_scenario<false>, SimOptions{},
                      config);
}

TEST(Replay, AFailureReplaysFromItsDecisionFileAndItsSparseLine) {
  const std::string dir = temporary_dir();
  SweepOutcome found = find_check_then_act(dir);
  ASSERT_TRUE(found.failure);
  const FailureReport& report = *found.failure;
  ASSERT_FALSE(report.decisions_path.empty());

  auto from_file = read_decision_file(report.decisions_path);
  ASSERT_TRUE(std::holds_alternative<DecisionList>(from_file))
      << std::get<std::string>(from_file);
  EXPECT_EQ(std::get<DecisionList>(from_file), report.decisions);

  auto from_line =
      parse_sparse_decisions(format_sparse_decisions(report.decisions), "line");
  ASSERT_TRUE(std::holds_alternative<DecisionList>(from_line));

  for (const DecisionList& list :
       {std::get<DecisionList>(from_file), std::get<DecisionList>(from_line)}) {
    SweepConfig replay;
    replay.replay = list;
    replay.replay_origin = "test";
    SweepOutcome again =
        find_failure(zoo::check_then_act_scenario<false>, SimOptions{}, replay);
    ASSERT_TRUE(again.failure);
    EXPECT_TRUE(again.failure->failure.same_kind_as(report.failure));
    EXPECT_EQ(again.failure->failure.step, report.failure.step);
    EXPECT_EQ(again.failure->failure.message, report.failure.message);
    EXPECT_EQ(again.runs, 1u);
  }
}

TEST(Replay, TheReportCarriesTheCommandThatReplaysIt) {
  SweepOutcome found = find_check_then_act("");
  ASSERT_TRUE(found.failure);
  const std::string& command = found.failure->replay_command;
  EXPECT_EQ(command.rfind("bazel test //tests/sim:replay_test", 0), 0u)
      << command;
  EXPECT_NE(command.find("--test_env=WEFT_SEED=" +
                         std::to_string(*found.failure->seed)),
            std::string::npos)
      << command;
  EXPECT_NE(command.find("--test_filter=Replay."), std::string::npos)
      << command;
  const std::string text = found.failure->to_string();
  EXPECT_NE(text.find("invariant checker fired"), std::string::npos) << text;
  EXPECT_NE(text.find("last events of the shrunk run:"), std::string::npos)
      << text;
  EXPECT_NE(text.find("replay (shrunk): bazel test //tests/sim:replay_test"),
            std::string::npos)
      << text;
}

TEST(Replay, TheTraceFileIsValidTraceEventJson) {
  SweepOutcome found = find_check_then_act(temporary_dir());
  ASSERT_TRUE(found.failure);
  ASSERT_FALSE(found.failure->trace_path.empty());
  const std::string json = read(found.failure->trace_path);
  EXPECT_TRUE(testing::JsonCheck::valid(json)) << json.substr(0, 400);
  EXPECT_NE(json.find("\"traceEvents\""), std::string::npos);
  EXPECT_NE(json.find("\"ph\":\"B\""), std::string::npos);  // poll slices
  EXPECT_NE(json.find("\"ph\":\"s\""), std::string::npos);  // wake arrows
  EXPECT_NE(json.find("checker fired: invariant"), std::string::npos);
}

TEST(Replay, AListThatNoLongerFitsTheProgramIsReportedNotRun) {
  // Decisions recorded from one program, replayed on another.
  SweepOutcome found = find_check_then_act("");
  ASSERT_TRUE(found.failure);
  SweepConfig replay;
  replay.replay = found.failure->decisions;
  replay.replay_origin = "test";
  SweepOutcome other =
      find_failure(zoo::lost_wakeup_scenario<true>, SimOptions{}, replay);
  testing::expect_found(other, Checker::kReplayMismatch);
  ASSERT_TRUE(other.failure);
  EXPECT_NE(other.failure->failure.message.find("decision #"),
            std::string::npos)
      << other.failure->failure.message;
  EXPECT_NE(
      other.failure->failure.message.find("changed since it was recorded"),
      std::string::npos);
}

TEST(DecisionFiles, RoundTrip) {
  const DecisionList list = {{DecisionKind::kPickTask, 3, 2},
                             {DecisionKind::kHoldWake, 5, 0},
                             {DecisionKind::kBuggifyFire, 2, 1}};
  auto parsed = parse_decision_file(format_decision_file(list), "x");
  ASSERT_TRUE(std::holds_alternative<DecisionList>(parsed));
  EXPECT_EQ(std::get<DecisionList>(parsed), list);
}

TEST(DecisionFiles, MalformedFilesNameTheLineAndWhatWasExpected) {
  struct Bad {
    const char* text;
    const char* expected_message;
  };
  const Bad cases[] = {
      {"", "not a decision file"},
      {"hello\n", "f:1: expected the header 'weft-decisions 1'"},
      {"weft-decisions 1\ncount x\n", "f:2: expected 'count <number"},
      {"weft-decisions 1\ncount 1\nteleport 3 1\n",
       "f:3: expected '<kind> <bound> <value>' with kind one of pick, hold"},
      {"weft-decisions 1\ncount 1\npick 3 3\n",
       "f:3: value 3 is not below bound 3"},
      {"weft-decisions 1\ncount 2\npick 3 1\n",
       "the count line says 2 decisions but the file holds 1"},
      {"weft-decisions 1\ncount 1\npick 3 1\npick 3 1\n",
       "f:4: more decisions than the count line says"},
  };
  for (const Bad& bad : cases) {
    auto parsed = parse_decision_file(bad.text, "f");
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << bad.text;
    EXPECT_NE(std::get<std::string>(parsed).find(bad.expected_message),
              std::string::npos)
        << std::get<std::string>(parsed);
  }
  auto missing = read_decision_file("/nonexistent/weft.decisions");
  ASSERT_TRUE(std::holds_alternative<std::string>(missing));
  EXPECT_NE(std::get<std::string>(missing).find("cannot open"),
            std::string::npos);
}

TEST(DecisionFiles, MalformedSparseListsSayWhere) {
  const char* bad[] = {"x",
                       "3;0:pick/3",
                       "3;5:pick/3=1",
                       "3;1:pick/3=1;0:pick/3=1",
                       "3;0:warp/3=1",
                       "3;0:pick/3=0"};
  for (const char* text : bad) {
    auto parsed = parse_sparse_decisions(text, "WEFT_DECISIONS");
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << text;
    EXPECT_NE(
        std::get<std::string>(parsed).find("WEFT_DECISIONS: at character"),
        std::string::npos)
        << std::get<std::string>(parsed);
  }
}

TEST(ReplaySource, ZeroesPastTheEndAndWildcardsMatchAnything) {
  const DecisionList list = {{DecisionKind::kPickTask, 0, 0},
                             {DecisionKind::kHoldWake, 4, 3}};
  ReplaySource source(list);
  DecisionContext context;
  EXPECT_EQ(source.choose(DecisionKind::kCancel, 2, context), 0u);  // wildcard
  EXPECT_EQ(source.choose(DecisionKind::kHoldWake, 4, context), 3u);
  EXPECT_EQ(source.choose(DecisionKind::kPickTask, 9, context),
            0u);  // past end
  EXPECT_EQ(source.mismatch(), nullptr);
}

}  // namespace
}  // namespace weft::sim
