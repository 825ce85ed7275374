// weft::testing::run_process: runs a program with some variables set or
// unset, collects what it writes to stdout and stderr (together), and
// kills it if it outlives a time limit; for tests of whole binaries
// (crashes, command-line tools).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace weft::testing {

struct ProcessResult {
  bool exited = false;  // exited normally (see exit_code)
  int exit_code = -1;
  int signal = 0;  // the signal that ended it, if any
  bool timed_out = false;
  std::string output;  // stdout and stderr, interleaved
};

inline ProcessResult run_process(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& set = {},
    const std::vector<std::string>& unset = {},
    std::chrono::seconds limit = std::chrono::seconds(240)) {
  ProcessResult result;
  int fds[2];
  if (::pipe(fds) != 0) return result;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    for (const std::string& name : unset) ::unsetenv(name.c_str());
    for (const auto& [name, value] : set) {
      ::setenv(name.c_str(), value.c_str(), 1);
    }
    std::vector<char*> args;
    for (const std::string& arg : argv) {
      args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    pollfd ready{fds[0], POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t got = ::read(fds[0], buffer, sizeof buffer);
    if (got <= 0) break;
    result.output.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

// The text after the last occurrence of `marker` up to the end of its line.
inline std::string last_line_after(const std::string& text,
                                   const std::string& marker) {
  const std::size_t at = text.rfind(marker);
  if (at == std::string::npos) return {};
  const std::size_t start = at + marker.size();
  const std::size_t end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? end : end - start);
}

}  // namespace weft::testing
