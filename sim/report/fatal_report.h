// weft::sim::FatalReporter: what is printed when the process dies in the
// middle of a simulated run (a segfault, an abort, a sanitizer report,
// std::terminate, a test timeout's SIGTERM), so that a crash is never the
// end of the evidence.
//
// A sweep makes one before its first run and tells it each run's identity;
// everything that can be formatted is formatted then, because at the crash
// only async-signal-safe work is allowed. The fatal handlers
// (fatal_handlers.h) reach it through the thread's hooks. It prints:
//
//   weft: the process is dying of SIGSEGV (segmentation fault) in the
//   middle of a simulated run
//     test Suite.Name, strategy random, seed 7, run 12 of the sweep, step 345
//     decision file: <dir>/weft-Suite.Name.crash.decisions
//   replay: bazel test //pkg:t --test_filter=Suite.Name
//       --test_env=WEFT_DECISIONS='*;pick@17/3=1;hold@4.2/5=2'
//   replay (as found): ... --test_env=WEFT_SEED=7 ...
//
// and then, when the sweep allows it (a GoogleTest sweep with shrinking
// on), starts the test binary again in its place with WEFT_CRASH_RESUME
// set, so that the crash is shrunk in child processes and reported like any
// other failure (crash_shrink.h).
//
// In a child process of that shrinking, it instead writes a binary record
// of the crash (child_record.h) to a pipe and exits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/decision/decision.h"
#include "sim/report/failure.h"
#include "sim/report/replay_command.h"
#include "sim/report/trace.h"

namespace weft::sim {

// What a fatal report reads of the run in flight (the simulator's state,
// by reference: nothing is copied at the crash).
struct RunInFlight {
  const DecisionList& decisions;
  std::uint64_t step;
  const std::vector<TraceEvent>& events;
  const std::optional<Failure>& failure;
  // What was running when the process began to die (0: nothing).
  std::uint64_t polled_task = 0;
  SourceLocation polled_spawned_at{};
  std::uint32_t running_thread = 0;
  SourceLocation thread_site{};  // its last weft::sync operation
};

class FatalReporter {
 public:
  struct Setup {
    std::string test_name;  // "Suite.Name", or empty outside GoogleTest
    std::string strategy;   // as WEFT_STRATEGY spells it
    ReplayCommand replay;
    std::string output_stem;  // "<dir>/<artifact>", or empty: no file
    // Where a person finds the crash's decision file (under Bazel, in the
    // test's outputs after it ends); empty: the written path.
    std::string file_display;
    // Start the binary again to shrink the crash (GoogleTest sweeps).
    bool shrink_in_new_process = false;
    // Which sweep of the test this is (a test may sweep several times).
    std::uint32_t sweep_ordinal = 0;
  };

  explicit FatalReporter(Setup setup);
  FatalReporter(const FatalReporter&) = delete;
  FatalReporter& operator=(const FatalReporter&) = delete;

  // Before each run: what identifies it.
  void begin_run(std::optional<std::uint64_t> seed,
                 std::uint64_t run_number) noexcept {
    seed_ = seed;
    run_number_ = run_number;
  }

  // In a crash-shrinking child: report crashes to `fd` and exit.
  void report_to_parent(int fd) noexcept { child_pipe_ = fd; }

  // Async-signal-safe; may not return (see above).
  void report(int fd, const char* cause, const RunInFlight& run) noexcept;

  // The variable that tells a restarted process to shrink a crash.
  static constexpr const char* kResumeVariable = "WEFT_CRASH_RESUME";

 private:
  void write_child_record(const char* cause, const RunInFlight& run) noexcept;
  void restart_to_shrink(const char* cause, const RunInFlight& run) noexcept;

  Setup setup_;
  std::optional<std::uint64_t> seed_;
  std::uint64_t run_number_ = 0;
  int child_pipe_ = -1;
  // Formatted before any run.
  std::string replay_head_;        // up to the opening quote of the list
  std::string replay_tail_;        // after the closing quote
  std::string as_found_head_;      // up to the seed
  std::string as_found_tail_;      // after it
  std::string user_file_path_;     // positional list for the user
  std::string user_file_display_;  // where a person finds it
  std::string resume_file_stem_;   // labelled list for the new process
  std::vector<std::string> argv_storage_;
  std::vector<char*> argv_;
  std::vector<std::string> env_storage_;
  std::vector<char*> envp_;  // the last two entries are filled at the crash
  char resume_value_[768] = {};
  char resume_path_[512] = {};
};

}  // namespace weft::sim
