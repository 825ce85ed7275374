// Runs the hunt (with a short stress baseline) and checks what its --json
// output promises: every component is found by at least one perturbing
// strategy, no fixed twin fails, and every trace file is valid Trace Event
// Format JSON.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "examples/zoo/catalogue.h"
#include "tests/sim/support/json_check.h"

namespace {

std::string run_command(const std::string& command, int* status) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  std::array<char, 4096> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    output.append(buffer.data(), n);
  }
  *status = pclose(pipe);
  return output;
}

TEST(Hunt, FindsEveryBugAndWritesValidTraces) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the zoo's memory bugs are real; under a sanitizer they stop "
                  "the hunt (the simulator tests cover them there)";
#endif
  const std::string traces =
      std::string(std::getenv("TEST_TMPDIR")) + "/traces";
  int status = 0;
  const std::string json =
      run_command("examples/hunt --json --stress-ms=100 --trace-dir=" + traces +
                      " 2>/dev/null",
                  &status);
  ASSERT_EQ(status, 0) << json;
  ASSERT_TRUE(weft::sim::testing::JsonCheck::valid(json)) << json;
  for (const auto& component : weft::zoo::catalogue()) {
    const std::size_t at = json.find("\"name\": \"" + component.name + "\"");
    ASSERT_NE(at, std::string::npos) << component.name;
    const std::size_t end = json.find("\"thread_pool_stress\"", at);
    const std::string entry = json.substr(at, end - at);
    EXPECT_NE(entry.find("\"fixed_twin_clean\": true"), std::string::npos)
        << component.name;
    const bool perturbing_found =
        entry.find("\"random\": {\"found\": true") != std::string::npos ||
        entry.find("\"pct:3\": {\"found\": true") != std::string::npos ||
        entry.find("\"exhaustive:2\": {\"found\": true") != std::string::npos;
    EXPECT_TRUE(perturbing_found) << component.name << ": " << entry;
  }
  int trace_files = 0;
  for (const auto& file : std::filesystem::directory_iterator(traces)) {
    if (file.path().string().find(".trace.json") == std::string::npos) continue;
    std::ifstream in(file.path());
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_TRUE(weft::sim::testing::JsonCheck::valid(text.str()))
        << file.path();
    EXPECT_NE(text.str().find("\"traceEvents\""), std::string::npos);
    ++trace_files;
  }
  EXPECT_GE(trace_files, 13);
}

}  // namespace
