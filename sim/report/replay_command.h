// weft::sim::ReplayCommand: the one line a person pastes to run a failure
// again, in the form that fits where the test ran:
//
//   under Bazel (TEST_TARGET is set):
//     bazel test //pkg:target --test_filter=Suite.Name
//         --test_env=WEFT_DECISIONS='...'
//   anywhere else (a test binary run by hand, by ctest or by a script):
//     WEFT_DECISIONS='...' /absolute/path/to/binary --gtest_filter=Suite.Name
//
// Values are shell-quoted, so the line works as pasted. A binary built with
// a sanitizer adds the Bazel configuration of that name (--config=asan or
// --config=tsan, as weft's own .bazelrc and its examples define them).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft::sim {

struct ReplayCommand {
  std::string head;        // before the variables
  std::string env_prefix;  // before each NAME=value
  std::string env_suffix;  // after each NAME=value
  std::string tail;        // after the variables

  // `target` is a Bazel label; `filter` a GoogleTest filter (may be empty).
  static ReplayCommand for_bazel(std::string_view target,
                                 std::string_view filter);
  // `binary` is the test program's path; `filter` as above.
  static ReplayCommand for_binary(std::string_view binary,
                                  std::string_view filter);
  // From the environment: Bazel's TEST_TARGET if set, else this process's
  // own executable (/proc/self/exe).
  static ReplayCommand for_this_process(std::string_view filter);

  std::string with(
      const std::vector<std::pair<std::string, std::string>>& variables) const;
};

// `text` quoted for a POSIX shell if it needs to be.
std::string shell_quote(std::string_view text);

}  // namespace weft::sim
