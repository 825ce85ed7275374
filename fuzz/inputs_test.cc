// Fuzz targets on inputs chosen to break them, through the standalone
// driver (the same binary `bazel test` replays corpora with):
//   - bytes that perturb every decision (1 MiB of 0xFF) or none, on the
//     correct scenarios: they must not trip a budget checker (the
//     simulator's fairness bounds keep a correct program progressing);
//   - special and oversized files, and missing ones: refused with a
//     message naming the file, never read or waited on.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "sim/testing/subprocess.h"

namespace weft::fuzz {
namespace {

using weft::testing::ProcessResult;
using weft::testing::run_process;

std::string temporary(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  return std::string(base != nullptr ? base : "/tmp") + "/" + name;
}

std::string file_of(const std::string& name, std::size_t bytes, char fill) {
  const std::string path = temporary(name);
  std::ofstream(path, std::ios::binary) << std::string(bytes, fill);
  return path;
}

ProcessResult run_target(const std::string& target, const std::string& input) {
  return run_process({"fuzz/" + target, input}, {}, {},
                     std::chrono::seconds(120));
}

constexpr const char* kScenarioTargets[] = {
    "channel_fuzz",     "executor_fuzz", "notify_fuzz", "mutex_fuzz",
    "semaphore_fuzz",   "join_set_fuzz", "timer_fuzz",  "bug_twins_fuzz",
    "thread_pool_fuzz", "net_fuzz",      "storage_fuzz"};

TEST(FuzzInputs, SaturatedBytesDoNotTripABudgetOnCorrectScenarios) {
  const std::string all_ones = file_of("ff", 1u << 20, '\xff');
  const std::string all_zeros = file_of("zeros", 1u << 20, '\0');
  const std::string all_twos = file_of("twos", 64u << 10, '\x02');
  for (const char* target : kScenarioTargets) {
    for (const std::string& input : {all_ones, all_zeros, all_twos}) {
      SCOPED_TRACE(std::string(target) + " on " + input);
      ProcessResult result = run_target(target, input);
      EXPECT_FALSE(result.timed_out);
      EXPECT_TRUE(result.exited && result.exit_code == 0) << result.output;
    }
  }
}

TEST(FuzzInputs, SpecialAndOversizedFilesAreRefusedByName) {
  const std::string fifo = temporary("driver-fifo");
  ::unlink(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const std::string oversized = file_of("oversized", (1u << 20) + 1, 'a');
  struct Bad {
    std::string path;
    std::string says;
  };
  const Bad cases[] = {
      {"/dev/zero", "not a regular file"},
      {fifo, "not a regular file"},
      {oversized, "above the limit"},
      {"/nonexistent/input", "cannot open"},
  };
  for (const Bad& bad : cases) {
    SCOPED_TRACE(bad.path);
    ProcessResult result = run_target("channel_fuzz", bad.path);
    EXPECT_FALSE(result.timed_out);
    EXPECT_TRUE(result.exited && result.exit_code != 0) << result.output;
    EXPECT_NE(result.output.find(bad.says), std::string::npos) << result.output;
    EXPECT_NE(result.output.find(bad.path), std::string::npos) << result.output;
  }
}

TEST(FuzzInputs, NoInputAtAllIsAnError) {
  const std::string empty_folder = temporary("empty-corpus");
  ::mkdir(empty_folder.c_str(), 0755);
  ProcessResult result = run_target("channel_fuzz", empty_folder);
  EXPECT_TRUE(result.exited && result.exit_code != 0) << result.output;
  EXPECT_NE(result.output.find("no input files"), std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace weft::fuzz
