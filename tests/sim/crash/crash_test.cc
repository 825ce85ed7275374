// A crash in the middle of a simulated sweep (a null read, an abort(), an
// assertion thrown out of a destructor) is never the end of the evidence:
// the dying process prints the run's replay line, starts the test again,
// and the new process shrinks the crash in child processes and reports it
// as a `crash` failure whose replay line, pasted into a shell, crashes the
// same way again.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "sim/testing/subprocess.h"

namespace weft::sim {
namespace {

using testing::last_line_after;
using testing::ProcessResult;
using testing::run_process;

constexpr const char* kCrasher = "tests/sim/crash/crasher";

// The crasher must not think it is this test (its replay lines name the
// crasher binary, not this target) nor write this test's XML.
const std::vector<std::string> kUnset = {
    "TEST_TARGET",       "XML_OUTPUT_FILE",  "TESTBRIDGE_TEST_ONLY",
    "TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS",
    "GTEST_SHARD_INDEX", "GTEST_OUTPUT"};

std::string absolute(const std::string& relative) {
  char here[4096];
  return std::string(::getcwd(here, sizeof here)) + "/" + relative;
}

ProcessResult run_crasher(
    const std::string& test,
    std::vector<std::pair<std::string, std::string>> set) {
  bool shrinking = true;
  for (const auto& [name, value] : set) shrinking &= name != "WEFT_SHRINK";
  if (shrinking) set.emplace_back("WEFT_SHRINK_ATTEMPTS", "150");
  return run_process({absolute(kCrasher), "--gtest_filter=Crasher." + test},
                     set, kUnset);
}

void expect_crash_found_shrunk_and_replayable(const std::string& test,
                                              const std::string& cause) {
  SCOPED_TRACE(test);
  ProcessResult found = run_crasher(test, {});
  const std::string& out = found.output;
  ASSERT_FALSE(found.timed_out) << out;
  EXPECT_TRUE(found.exited && found.exit_code == 1) << out;
  // The dying process said what replays it.
  EXPECT_NE(out.find("weft: the process is dying of " + cause),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("replay (as found): "), std::string::npos) << out;
  EXPECT_NE(out.find("WEFT_SEED="), std::string::npos) << out;
  // Then the restarted test shrank it and reported it like any failure.
  EXPECT_NE(out.find("weft: starting the test again to shrink this crash"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("weft: crash checker fired"), std::string::npos) << out;
  EXPECT_NE(out.find("no single perturbation can be removed"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("timeline of the shrunk run"), std::string::npos) << out;
  const std::string line = last_line_after(out, "\nreplay: ");
  ASSERT_NE(line.find("WEFT_DECISIONS='"), std::string::npos) << out;
  ASSERT_NE(line.find("--gtest_filter=Crasher." + test), std::string::npos)
      << line;

  // Pasted into a shell, the line crashes the same way, at once.
  ProcessResult again = run_process({"/bin/sh", "-c", line}, {}, kUnset);
  ASSERT_FALSE(again.timed_out) << again.output;
  EXPECT_FALSE(again.exited && again.exit_code == 0) << again.output;
  EXPECT_NE(again.output.find("weft: the process is dying of " + cause),
            std::string::npos)
      << line << "\n"
      << again.output;
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// A sanitizer handles the fault itself and then calls weft's handler.
constexpr const char* kNullReadCause = "a sanitizer report";
#else
constexpr const char* kNullReadCause = "SIGSEGV";
#endif

TEST(Crash, ANullReadIsReportedShrunkAndReplayable) {
  expect_crash_found_shrunk_and_replayable("ReadsThroughANullPointer",
                                           kNullReadCause);
}

TEST(Crash, ANullReadOnASimulatedThreadIsReportedShrunkAndReplayable) {
  expect_crash_found_shrunk_and_replayable(
      "ReadsThroughANullPointerOnASimulatedThread", kNullReadCause);
}

TEST(Crash, AnAbortIsReportedShrunkAndReplayable) {
  expect_crash_found_shrunk_and_replayable("Aborts", "SIGABRT");
}

TEST(Crash, AnAssertionThrownOutOfADestructorIsReportedWithItsMessage) {
  expect_crash_found_shrunk_and_replayable("AssertsInADestructor",
                                           "std::terminate");
  ProcessResult found = run_crasher("AssertsInADestructor", {});
  // First as the process dies, then in the shrunk report.
  for (const char* said :
       {"the run had already failed: invariant: WEFT_ASSERT(false) failed: "
        "checked in a destructor",
        "the run had already failed before it died: invariant: "
        "WEFT_ASSERT(false) failed: checked in a destructor"}) {
    EXPECT_NE(found.output.find(said), std::string::npos) << found.output;
  }
}

TEST(Crash, WithShrinkingOffTheProcessDiesWithItsReplayLine) {
  ProcessResult found = run_crasher("Aborts", {{"WEFT_SHRINK", "0"}});
  ASSERT_FALSE(found.timed_out);
  EXPECT_EQ(found.signal, SIGABRT) << found.output;
  EXPECT_NE(found.output.find("weft: the process is dying of SIGABRT"),
            std::string::npos);
  EXPECT_EQ(found.output.find("starting the test again"), std::string::npos);
  const std::string line = last_line_after(found.output, "replay (as found): ");
  EXPECT_NE(line.find("WEFT_STRATEGY=random WEFT_SEED="), std::string::npos)
      << found.output;
}

// A timeout's SIGTERM reaches the process while a run hangs: on one thread
// or on a parallel sweep's workers (where the signal lands on a thread
// that runs nothing and is passed to the one running the oldest run), the
// dying process names the hung run and prints its replay line.
TEST(Crash, ATerminatedHangIsReportedOnAnyNumberOfThreads) {
  for (const char* jobs : {"1", "2", "3"}) {
    SCOPED_TRACE(jobs);
    ProcessResult found = run_crasher(
        "HangsUntilTerminated", {{"WEFT_SHRINK", "0"}, {"WEFT_JOBS", jobs}});
    ASSERT_FALSE(found.timed_out) << found.output;
    EXPECT_EQ(found.signal, SIGTERM) << found.output;
    EXPECT_NE(found.output.find("weft: the process is dying of SIGTERM"),
              std::string::npos)
        << found.output;
    const std::string line =
        last_line_after(found.output, "replay (as found): ");
    EXPECT_NE(line.find("WEFT_STRATEGY=random WEFT_SEED="), std::string::npos)
        << found.output;
  }
}

// A test that hangs until its timeout: timeout(1) sends SIGTERM after 3 s
// and SIGKILL 15 s later (Bazel's grace period). Within the grace the dying
// process prints the hung run's replay line, the restarted test shrinks
// the hang with timed children, and it ends with a final report that says
// where the run hung, and a replay line.
TEST(Crash, AHungTestEndsWithAReportWithinItsGracePeriod) {
  const auto started = std::chrono::steady_clock::now();
  ProcessResult found = run_process(
      {"/usr/bin/timeout", "-s", "TERM", "-k", "15", "3", absolute(kCrasher),
       "--gtest_filter=Crasher.HangsUntilATimeout"},
      {}, kUnset, std::chrono::seconds(60));
  const auto took = std::chrono::steady_clock::now() - started;
  const std::string& out = found.output;
  ASSERT_FALSE(found.timed_out) << out;
  EXPECT_LT(took, std::chrono::seconds(3 + 15)) << out;
  EXPECT_FALSE(found.exited && found.exit_code == 137) << "killed: " << out;
  EXPECT_NE(out.find("weft: the process is dying of SIGTERM"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("  running: task "), std::string::npos) << out;
  EXPECT_NE(out.find("weft: crash checker fired"), std::string::npos) << out;
  EXPECT_NE(out.find("the run hung: it was still running when SIGTERM"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("was being polled (its poll began at step"),
            std::string::npos)
      << out;
  const std::string line = last_line_after(out, "\nreplay: ");
  EXPECT_NE(line.find("WEFT_DECISIONS='"), std::string::npos) << out;
}

}  // namespace
}  // namespace weft::sim
