#include "sim/report/replay_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "sim/report/sanitizers.h"

namespace weft::sim {
namespace {

bool plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
         c == '/' || c == ':' || c == '@' || c == '%' || c == '+' || c == '=' ||
         c == ',';
}

const char* sanitizer_config() {
  if (kBuiltWithAsan) return " --config=asan";
  if (kBuiltWithTsan) return " --config=tsan";
  return "";
}

}  // namespace

std::string shell_quote(std::string_view text) {
  bool needs = text.empty();
  for (char c : text) needs |= !plain(c);
  if (!needs) return std::string(text);
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

ReplayCommand ReplayCommand::for_bazel(std::string_view target,
                                       std::string_view filter) {
  ReplayCommand command;
  command.head = "bazel test " + shell_quote(target) + sanitizer_config();
  if (!filter.empty()) {
    command.head += " --test_filter=" + shell_quote(filter);
  }
  command.env_prefix = " --test_env=";
  return command;
}

ReplayCommand ReplayCommand::for_binary(std::string_view binary,
                                        std::string_view filter) {
  ReplayCommand command;
  command.env_suffix = " ";
  command.tail = shell_quote(binary);
  if (!filter.empty()) {
    command.tail += " --gtest_filter=" + shell_quote(filter);
  }
  return command;
}

namespace {

std::string invoked_binary() {
  char path[PATH_MAX];
  const ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);
  std::string binary = "<test binary>";
  if (length > 0) binary.assign(path, static_cast<std::size_t>(length));
  // The name the user typed (argv[0]), when it names this same program
  // from here: a path under bazel-bin or a build folder reads better, and
  // pastes the same, than the resolved one in Bazel's cache.
  char typed[PATH_MAX];
  const int file = ::open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  if (file < 0) return binary;
  const ssize_t read_length = ::read(file, typed, sizeof typed - 1);
  ::close(file);
  if (read_length <= 0) return binary;
  typed[read_length] = '\0';  // argv[0] ends at its own NUL
  const std::string_view name(typed);
  if (name.find('/') == std::string_view::npos) return binary;  // via PATH
  struct stat as_typed {};
  struct stat as_run {};
  if (::stat(typed, &as_typed) != 0 || ::stat("/proc/self/exe", &as_run) != 0 ||
      as_typed.st_dev != as_run.st_dev || as_typed.st_ino != as_run.st_ino) {
    return binary;
  }
  return std::string(name);
}

}  // namespace

ReplayCommand ReplayCommand::for_this_process(std::string_view filter) {
  if (const char* target = std::getenv("TEST_TARGET")) {
    if (*target != '\0') return for_bazel(target, filter);
  }
  return for_binary(invoked_binary(), filter);
}

std::string ReplayCommand::with(
    const std::vector<std::pair<std::string, std::string>>& variables) const {
  std::string out = head;
  for (const auto& [name, value] : variables) {
    out += env_prefix + name + "=" + shell_quote(value) + env_suffix;
  }
  return out + tail;
}

}  // namespace weft::sim
