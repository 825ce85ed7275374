#include "examples/stress_baseline.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "runtime/weft.h"

namespace weft::hunt {
namespace {

struct StressFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// On every thread of the child (the pool's workers too): an assertion or
// a misuse becomes an exception that ends the run instead of aborting.
class ThrowingHooks final : public DefaultHooks {
 public:
  bool on_misuse(std::string_view, SourceLocation) override {
    throw StressFailure("misuse");
  }
  bool on_invariant_failure(std::string_view, std::string_view,
                            SourceLocation) override {
    throw StressFailure("assertion");
  }
};

// In the child: run until the budget is used; exit 0 (nothing), 3
// (assertion or misuse) or 4 (a run hung); the run count goes to `pipe`.
[[noreturn]] void run_child(const sim::Scenario& scenario,
                            std::chrono::milliseconds budget, int pipe) {
  static ThrowingHooks hooks;
  install_process_hooks(&hooks);
  const auto end = std::chrono::steady_clock::now() + budget;
  long runs = 0;
  int code = 0;
  {
    ThreadPoolExecutor pool(2);
    while (std::chrono::steady_clock::now() < end) {
      ++runs;
      try {
        auto result =
            pool.block_on(timeout(std::chrono::seconds(1), scenario()));
        if (result.timed_out()) {
          code = 4;
          break;
        }
      } catch (const std::exception&) {
        code = 3;
        break;
      }
    }
    (void)!write(pipe, &runs, sizeof runs);
    if (code == 4) _exit(code);  // a hung task would block the shutdown
  }
  _exit(code);
}

}  // namespace

StressResult stress_on_thread_pool(const sim::Scenario& scenario,
                                   std::chrono::milliseconds budget) {
  StressResult result;
  int fds[2];
  if (pipe(fds) != 0) return result;
  std::fflush(stdout);
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    run_child(scenario, budget, fds[1]);
  }
  close(fds[1]);
  int status = 0;
  waitpid(child, &status, 0);
  (void)!read(fds[0], &result.runs, sizeof result.runs);
  close(fds[0]);
  if (WIFSIGNALED(status)) {
    result.found = true;
    result.how = "crash (signal " + std::to_string(WTERMSIG(status)) + ")";
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 3) {
    result.found = true;
    result.how = "assertion";
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 4) {
    result.found = true;
    result.how = "hang";
  }
  return result;
}

}  // namespace weft::hunt
