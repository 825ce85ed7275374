#include "sim/sweep/crash_shrink.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sim/decision/decision_io.h"
#include "sim/report/child_record.h"
#include "sim/report/fatal_report.h"
#include "sim/sweep/sweep_report.h"

namespace weft::sim {
namespace {

constexpr std::size_t kErrorOutputBytesMax = 1u << 20;
constexpr std::size_t kSanitizerLinesMax = 8;

std::string temporary_folder() {
  const char* folder = std::getenv("TEST_TMPDIR");
  return folder != nullptr && *folder != '\0' ? folder : "/tmp";
}

[[noreturn]] void run_as_child(const Scenario& scenario,
                               const SimOptions& options,
                               const Candidate& candidate, int pipe_fd,
                               int error_fd) {
  // What the scenario prints would only interleave with the parent's
  // output; a capture file or /dev/null takes it.
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  ::dup2(error_fd >= 0 ? error_fd : null_fd, STDERR_FILENO);
  ::dup2(null_fd, STDOUT_FILENO);
  struct rlimit cpu {};
  cpu.rlim_cur = kChildSeconds;
  cpu.rlim_max = kChildSeconds + 1;
  ::setrlimit(RLIMIT_CPU, &cpu);
  ::alarm(kChildSeconds * 4);  // for a child that blocks without spinning
  FatalReporter reporter(FatalReporter::Setup{});
  reporter.report_to_parent(pipe_fd);
  RunResult run = run_candidate(scenario, options, candidate, &reporter);
  ChildRecordHeader header;
  header.crashed = 0;
  header.failed = run.failure ? 1 : 0;
  header.checker =
      run.failure ? static_cast<std::uint8_t>(run.failure->checker) : 0;
  header.steps = run.steps;
  write_child_record(pipe_fd, header, run.decisions, {},
                     run.failure ? run.failure->message : std::string());
  ::_exit(0);
}

std::string read_capped(const std::string& path) {
  FileContents contents = read_bounded_file(path, kErrorOutputBytesMax);
  return contents.error.empty() ? contents.bytes : std::string();
}

// The lines of a sanitizer's report that name it and what it found.
std::string sanitizer_lines(const std::string& output) {
  std::string lines;
  std::size_t kept = 0;
  std::size_t start = 0;
  while (start < output.size() && kept < kSanitizerLinesMax) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(start, end - start);
    if (line.find("Sanitizer") != std::string::npos ||
        line.find("runtime error:") != std::string::npos ||
        line.find("SUMMARY:") != std::string::npos) {
      lines += "  " + line + "\n";
      ++kept;
    }
    start = end + 1;
  }
  return lines;
}

// "AddressSanitizer: heap-use-after-free" from a report's SUMMARY line.
std::string sanitizer_name(const std::string& output) {
  const std::size_t summary = output.find("SUMMARY: ");
  if (summary == std::string::npos) return {};
  const std::size_t start = summary + 9;
  std::size_t end = output.find_first_of("\n(", start);
  if (end == std::string::npos) end = output.size();
  std::string name = output.substr(start, end - start);
  // "AddressSanitizer: heap-use-after-free /path/file.cc:12 in f" -> keep
  // the sanitizer and the kind of error.
  const std::size_t colon = name.find(": ");
  if (colon != std::string::npos) {
    const std::size_t after_kind = name.find(' ', colon + 2);
    if (after_kind != std::string::npos) name.resize(after_kind);
  }
  return name;
}

// Where a run that hung was: the task being polled and the simulated
// thread running when it was stopped, read off its last events.
std::string hang_location(const std::vector<TraceEvent>& events) {
  std::uint64_t polled = 0;
  std::uint64_t since = 0;
  std::uint64_t thread = 0;
  for (const TraceEvent& event : events) {
    if (event.kind == EventKind::kPollStart) {
      polled = event.task;
      since = event.step;
    } else if (event.kind == EventKind::kPollEnd && event.task == polled) {
      polled = 0;
    } else if (event.kind == EventKind::kThreadSwitch) {
      thread = event.task;
    }
  }
  std::string out;
  if (polled != 0) {
    out = "task " + std::to_string(polled) +
          " was being polled (its poll began at step " + std::to_string(since) +
          ") and never returned";
  } else {
    out =
        "no task was being polled (the simulator's own loop, or code "
        "outside a poll)";
  }
  if (thread != 0) {
    out += "; simulated thread " + std::to_string(thread) + " was running";
  }
  return out;
}

Failure crash_failure(const std::string& cause) {
  Failure failure;
  failure.checker = Checker::kCrash;
  failure.crash_kind = cause;
  failure.message = "the run crashed: " + cause;
  return failure;
}

}  // namespace

bool is_hang(const std::string& cause) {
  return cause.rfind("SIGTERM", 0) == 0;
}

namespace {

// Waits up to `time_max` for the child's record to be readable; past it,
// sends SIGTERM (the child's handler writes where it was and exits), then
// after a moment more SIGKILL. True if the child had to be stopped.
bool wait_or_stop(pid_t pid, int fd, std::chrono::milliseconds time_max) {
  auto readable_within = [fd](std::chrono::milliseconds wait) {
    const auto until = std::chrono::steady_clock::now() + wait;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd watch{fd, POLLIN, 0};
      const int ready = ::poll(&watch, 1, static_cast<int>(left.count()));
      if (ready > 0) return true;
      if (ready < 0 && errno != EINTR) return true;  // let the read decide
    }
  };
  if (readable_within(time_max)) return false;
  ::kill(pid, SIGTERM);
  if (!readable_within(std::chrono::milliseconds(1000))) ::kill(pid, SIGKILL);
  return true;
}

}  // namespace

ChildOutcome run_candidate_in_child(
    const Scenario& scenario, const SimOptions& options,
    const Candidate& candidate, bool capture_error_output,
    std::optional<std::chrono::milliseconds> time_max) {
  ChildOutcome outcome;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    outcome.cause = "could not make a pipe to a child process";
    return outcome;
  }
  std::string error_path;
  int error_fd = -1;
  if (capture_error_output) {
    error_path = temporary_folder() + "/weft-child-XXXXXX";
    error_fd = ::mkstemp(error_path.data());
  }
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    run_as_child(scenario, options, candidate, fds[1], error_fd);
  }
  ::close(fds[1]);
  if (error_fd >= 0) ::close(error_fd);
  if (pid < 0) {
    ::close(fds[0]);
    outcome.cause = "could not start a child process";
    return outcome;
  }
  if (time_max) (void)wait_or_stop(pid, fds[0], *time_max);
  std::optional<ChildRecord> record = read_child_record(fds[0]);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!error_path.empty()) {
    outcome.error_output = read_capped(error_path);
    ::unlink(error_path.c_str());
  }
  if (!record) {
    outcome.kind = ChildOutcome::Kind::kLost;
    if (WIFSIGNALED(status)) {
      const int signal_number = WTERMSIG(status);
      outcome.cause = signal_number == SIGXCPU || signal_number == SIGALRM
                          ? "ran out of time"
                          : "killed by signal " + std::to_string(signal_number);
    } else {
      outcome.cause =
          "exited with status " +
          std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
          " without a report";
    }
    return outcome;
  }
  outcome.recorded = std::move(record->decisions);
  outcome.steps = record->header.steps;
  outcome.events = std::move(record->events);
  if (record->header.crashed != 0) {
    outcome.kind = ChildOutcome::Kind::kCrashed;
    outcome.cause = record->header.cause;
    outcome.failure = crash_failure(outcome.cause);
    if (record->header.failed != 0) {
      // The run had failed before it died (a report thrown where no
      // exception may pass): that failure says what went wrong.
      outcome.earlier_failure =
          std::string(to_string(static_cast<Checker>(record->header.checker))) +
          ": " + record->message;
    }
    return outcome;
  }
  outcome.kind = ChildOutcome::Kind::kFinished;
  if (record->header.failed != 0) {
    Failure failure;
    failure.checker = static_cast<Checker>(record->header.checker);
    failure.message = "the run failed with another checker";
    outcome.failure = std::move(failure);
  }
  return outcome;
}

SweepOutcome shrink_crash(const Scenario& scenario, const SimOptions& options,
                          const SweepConfig& config) {
  const CrashResume& resume = *config.crash_resume;
  // A hang: every child run is timed, and the whole shrink too.
  const bool hang = is_hang(resume.cause);
  const std::optional<std::chrono::milliseconds> child_time =
      hang ? std::optional(kHangCandidateTime) : std::nullopt;
  const auto started = std::chrono::steady_clock::now();
  SweepOutcome outcome;
  FailureReport report;
  report.strategy = resume.strategy;
  report.seed = resume.seed;
  report.found = resume.decisions;
  const Failure target = crash_failure(resume.cause);
  report.failure = target;
  report.replay_as_found_command =
      resume.seed
          ? seed_replay_line(config, resume.strategy, *resume.seed)
          : sparse_replay_line(config, resume.decisions, Checker::kCrash);
  report.replay_command = report.replay_as_found_command;

  // Confirm first: the crash must happen again in a child.
  ChildOutcome confirm = run_candidate_in_child(
      scenario, options, Candidate(resume.decisions), false, child_time);
  ++outcome.runs;
  if (confirm.kind != ChildOutcome::Kind::kCrashed ||
      confirm.cause != resume.cause) {
    report.failure.message +=
        "\n(the run crashed in the first process, but replaying its "
        "decisions in a child process " +
        (confirm.kind == ChildOutcome::Kind::kCrashed
             ? "crashed differently: " + confirm.cause
         : confirm.kind == ChildOutcome::Kind::kLost
             ? "was lost: " + confirm.cause
             : std::string("did not crash")) +
        "; the crash may depend on something outside the decisions: state "
        "kept in a static or a global, which the runs of a sweep share and "
        "run at once on several threads (WEFT_JOBS=1 tells), the wall "
        "clock, real threads or I/O)";
    report.runs = resume.run_number;
    outcome.failure = std::move(report);
    return outcome;
  }
  report.found = SparseDecisions::of(confirm.recorded);
  report.steps = confirm.steps;
  SparseDecisions shown = report.found;
  std::uint64_t shown_steps = confirm.steps;
  if (config.shrink) {
    CandidateOracle oracle = [&](const Candidate& candidate) {
      ChildOutcome child = run_candidate_in_child(scenario, options, candidate,
                                                  false, child_time);
      CandidateRun run;
      run.failure = child.failure;
      run.recorded = std::move(child.recorded);
      run.steps = child.steps;
      return run;
    };
    ShrinkBudget budget = config.shrink_budget;
    if (hang) {
      const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      budget.time_max =
          std::max(std::chrono::milliseconds(0), kHangShrinkTime - spent);
    }
    ShrinkResult shrunk =
        shrink_with(oracle, Candidate(confirm.recorded), target, budget);
    if (hang && shrunk.budget_ran_out) {
      report.notes +=
          "(shrinking a hang stops after " +
          std::to_string(kHangShrinkTime.count() / 1000) +
          " s, so that this report comes inside the test's grace period "
          "after its timeout; it ran " +
          std::to_string(shrunk.attempts) + " candidates)\n";
    }
    outcome.runs += shrunk.attempts;
    FailureReport::Shrunk summary;
    summary.decisions = shrunk.decisions;
    summary.steps = shrunk.steps;
    summary.attempts = shrunk.attempts;
    summary.budget_ran_out = shrunk.budget_ran_out;
    summary.one_minimal = shrunk.one_minimal;
    shown = shrunk.decisions;
    shown_steps = shrunk.steps;
    report.shrunk = std::move(summary);
    // A run cut short by a crash never reaches its count; once the bug is
    // fixed the run goes further, so the line leaves the count open.
    SparseDecisions line = shown;
    line.count.reset();
    report.replay_command = sparse_replay_line(config, line, Checker::kCrash);
  }
  // The run shown, once more, for its timeline and the sanitizer's words.
  // With detail, so its events say where each decision was taken.
  SimOptions detailed = options;
  detailed.record_detail = true;
  ChildOutcome final_run = run_candidate_in_child(
      scenario, detailed, Candidate(shown), true, child_time);
  ++outcome.runs;
  if (hang) {
    report.failure.message =
        "the run hung: it was still running when SIGTERM arrived (a test "
        "timeout, or a kill); " +
        hang_location(final_run.events.empty() ? confirm.events
                                               : final_run.events);
  }
  const Trace trace(std::move(final_run.events));
  report.failure.step = shown_steps;
  const std::string named = sanitizer_name(final_run.error_output);
  if (!named.empty()) {
    report.failure.message = "the run crashed: " + named;
    report.failure.crash_kind = named;
  }
  report.notes += sanitizer_lines(final_run.error_output);
  if (!final_run.earlier_failure.empty()) {
    report.notes += "the run had already failed before it died: " +
                    final_run.earlier_failure + "\n";
  }
  report.runs = resume.run_number;
  explain_and_write(config, options, report, trace, final_run.recorded);
  outcome.failure = std::move(report);
  return outcome;
}

}  // namespace weft::sim
