// Compiling a test below C++20 (a plain cc_test under Bazel 4's default
// -std=c++0x, or -std=c++17) must fail with weft's own first line, "weft
// needs C++20", not with an error deep inside a weft header.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "sim/testing/subprocess.h"

namespace weft::sim {
namespace {

// Where weft's sources are: the working directory under Bazel (runfiles),
// TEST_SOURCE_ROOT under CMake (cmake/tests.cmake sets it).
std::string source_root() {
  const char* root = std::getenv("TEST_SOURCE_ROOT");
  return root != nullptr && *root != '\0' ? root : ".";
}

std::string first_error(const std::string& standard) {
  const std::string source =
      std::string(std::getenv("TEST_TMPDIR")) + "/old_standard.cc";
  std::ofstream(source) << "#include \"sim/weft_sim.h\"\nint main() {}\n";
  const testing::ProcessResult result =
      testing::run_process({"/usr/bin/g++", "-std=" + standard, "-fsyntax-only",
                            "-I" + source_root(), source});
  const std::size_t at = result.output.find("error:");
  if (at == std::string::npos) return "no error in: " + result.output;
  return result.output.substr(at, result.output.find('\n', at) - at);
}

TEST(Cxx20Error, BelowCxx20TheFirstErrorSaysWeftNeedsCxx20) {
  for (const char* standard : {"c++0x", "c++17"}) {
    SCOPED_TRACE(standard);
    const std::string error = first_error(standard);
    EXPECT_NE(error.find("weft needs C++20: compile with -std=c++20"),
              std::string::npos)
        << error;
  }
}

}  // namespace
}  // namespace weft::sim
