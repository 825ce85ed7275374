// Runs the hunt (with a short stress baseline) and checks what its --json
// output promises: every component is found by the default strategy with
// the checker that should report it, no fixed twin fails, and every trace
// file is valid Trace Event Format JSON. Then its command line: every bad
// flag is refused with exit status 2 and a message naming it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "sim/testing/subprocess.h"
#include "sim/zoo/whole_zoo.h"

namespace {

using weft::testing::ProcessResult;
using weft::testing::run_process;

constexpr const char* kHunt = "examples/hunt";

TEST(Hunt, FindsEveryBugAndWritesValidTraces) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the zoo's memory bugs are real; under a sanitizer they stop "
                  "the hunt (the simulator tests cover them there)";
#endif
  const std::string traces =
      std::string(std::getenv("TEST_TMPDIR")) + "/traces\twith a tab";
  ProcessResult result = run_process(
      {kHunt, "--json", "--stress-ms=100", "--trace-dir=" + traces});
  ASSERT_TRUE(result.exited) << result.output;
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // stdout and stderr are interleaved; the JSON is the object at the end.
  const std::string text = result.output.substr(result.output.find("{\n"));
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << text;
  for (const auto& component : weft::zoo::whole_zoo()) {
    SCOPED_TRACE(component.name);
    const nlohmann::json* entry = nullptr;
    for (const nlohmann::json& row : json["components"]) {
      if (row["name"] == component.name) entry = &row;
    }
    ASSERT_NE(entry, nullptr);
    EXPECT_TRUE((*entry)["fixed_twin_clean"].get<bool>());
    const nlohmann::json& random = (*entry)["strategies"]["random"];
    EXPECT_TRUE(random["found"].get<bool>());
    EXPECT_EQ(random["checker"], (*entry)["expected_checker"]);
  }
  int trace_files = 0;
  for (const auto& file : std::filesystem::directory_iterator(traces)) {
    if (file.path().string().find(".trace.json") == std::string::npos) continue;
    std::ifstream in(file.path());
    std::stringstream contents;
    contents << in.rdbuf();
    const nlohmann::json trace =
        nlohmann::json::parse(contents.str(), nullptr, false);
    EXPECT_FALSE(trace.is_discarded()) << file.path();
    EXPECT_TRUE(trace.contains("traceEvents")) << file.path();
    ++trace_files;
  }
  EXPECT_GE(trace_files, 13);
}

TEST(Hunt, BadFlagsAreRefusedByName) {
  const std::string file = std::string(std::getenv("TEST_TMPDIR")) + "/a-file";
  std::ofstream(file) << "x";
  struct Case {
    std::vector<std::string> flags;
    std::string says;
  };
  const Case cases[] = {
      {{"--json", "--replay=lost_wakeup", "--decisions=*"}, "--json"},
      {{"--decisions=*"}, "--replay"},
      {{"--replay=lost_wakeup"}, "--decisions"},
      {{"--replay=", "--decisions=*"}, "--replay"},
      {{"--replay=lost_wakeup", "--decisions="}, "--decisions"},
      {{"--trace-dir="}, "--trace-dir"},
      {{"--trace-dir=" + file + "/below"}, "--trace-dir"},
      {{"--replay=lost_wakeup", "--decisions=*", "--trace-dir=/tmp"},
       "--trace-dir"},
      {{"--stress-ms=abc"}, "--stress-ms"},
      {{"--stress-ms=-1"}, "--stress-ms"},
      {{"--stress-ms=600001"}, "--stress-ms"},
      {{"--frobnicate"}, "--frobnicate"},
      {{"--replay=no_such_component", "--decisions=*"}, "no component named"},
      {{"--replay=lost_wakeup", "--decisions=garbage"}, "--decisions"},
      {{"--replay=lost_wakeup", "--decisions=3;pick@1/2=5"}, "--decisions"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {kHunt};
    argv.insert(argv.end(), c.flags.begin(), c.flags.end());
    std::string shown;
    for (const std::string& flag : c.flags) shown += flag + " ";
    SCOPED_TRACE(shown);
    ProcessResult result = run_process(argv, {}, {}, std::chrono::seconds(60));
    EXPECT_TRUE(result.exited) << result.output;
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find(c.says), std::string::npos) << result.output;
  }
}

}  // namespace
