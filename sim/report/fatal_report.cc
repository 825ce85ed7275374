#include "sim/report/fatal_report.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "sim/report/child_record.h"
#include "sim/report/signal_safe_writer.h"

extern char** environ;

namespace weft::sim {
namespace {

// Writes the run's perturbed decisions as a sparse labelled list ("*;..."):
// the count is left open, as a run cut short by a crash never reached its
// end.
void write_sparse(SignalSafeWriter& out, const DecisionList& decisions) {
  out.text("*");
  for (const Decision& d : decisions) {
    if (!d.perturbed()) continue;
    out.text(";").text(to_string(d.kind)).text("@").number(d.label.first);
    if (label_parts(d.kind) == 2) out.text(".").number(d.label.second);
    out.text("/").number(d.bound).text("=").number(d.value);
  }
}

void write_positional_file(const char* path, const DecisionList& decisions) {
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  {
    SignalSafeWriter out(fd);
    out.text("weft-decisions 1\ncount ").number(decisions.size()).text("\n");
    for (const Decision& d : decisions) {
      out.text(to_string(d.kind)).text(" ").number(d.bound).text(" ");
      out.number(d.value).text("\n");
    }
  }
  ::close(fd);
}

// Copies `text` into `into` (NUL-terminated), from offset `at`; returns
// the new offset. Never writes past `size`.
std::size_t append(char* into, std::size_t size, std::size_t at,
                   const char* text) {
  while (text != nullptr && *text != '\0' && at + 1 < size)
    into[at++] = *text++;
  into[at] = '\0';
  return at;
}

std::size_t append_number(char* into, std::size_t size, std::size_t at,
                          std::uint64_t value) {
  char digits[21];
  std::size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  char text[21];
  for (std::size_t i = 0; i < count; ++i) text[i] = digits[count - 1 - i];
  text[count] = '\0';
  return append(into, size, at, text);
}

std::vector<std::string> own_command_line() {
  std::ifstream file("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(file)),
                        std::istreambuf_iterator<char>());
  std::vector<std::string> arguments;
  std::size_t start = 0;
  while (start < all.size()) {
    const std::size_t end = all.find('\0', start);
    arguments.push_back(all.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return arguments;
}

bool starts_with(const char* text, const char* prefix) {
  return std::strncmp(text, prefix, std::strlen(prefix)) == 0;
}

// Perturbations written on the replay line at the most.
constexpr std::size_t kInlinePerturbationsMax = 2'000;

}  // namespace

FatalReporter::FatalReporter(Setup setup) : setup_(std::move(setup)) {
  const ReplayCommand& replay = setup_.replay;
  replay_head_ = replay.head + replay.env_prefix + "WEFT_DECISIONS='";
  replay_tail_ = "'" + replay.env_suffix + replay.tail;
  as_found_head_ = replay.head + replay.env_prefix +
                   "WEFT_STRATEGY=" + shell_quote(setup_.strategy) +
                   replay.env_suffix + replay.env_prefix + "WEFT_SEED=";
  as_found_tail_ = replay.env_suffix + replay.env_prefix + "WEFT_SHRINK=0" +
                   replay.env_suffix + replay.tail;
  if (!setup_.output_stem.empty()) {
    user_file_path_ = setup_.output_stem + ".crash.decisions";
    user_file_display_ =
        setup_.file_display.empty() ? user_file_path_ : setup_.file_display;
  }
  if (!setup_.shrink_in_new_process) return;
  const char* temporary = std::getenv("TEST_TMPDIR");
  if (temporary == nullptr || *temporary == '\0') temporary = "/tmp";
  resume_file_stem_ = std::string(temporary) + "/weft-crash-";
  argv_storage_ = own_command_line();
  if (argv_storage_.empty()) {
    setup_.shrink_in_new_process = false;
    return;
  }
  argv_storage_.push_back("--gtest_filter=" + setup_.test_name);
  for (std::string& argument : argv_storage_) argv_.push_back(argument.data());
  argv_.push_back(nullptr);
  for (char** variable = environ; *variable != nullptr; ++variable) {
    // A restarted test runs alone: not as one shard of many, and not
    // restarting again.
    if (starts_with(*variable, "GTEST_TOTAL_SHARDS=") ||
        starts_with(*variable, "GTEST_SHARD_INDEX=") ||
        starts_with(*variable, "WEFT_CRASH_RESUME=")) {
      continue;
    }
    env_storage_.push_back(*variable);
  }
  for (std::string& variable : env_storage_) envp_.push_back(variable.data());
  envp_.push_back(resume_value_);
  envp_.push_back(nullptr);
}

void FatalReporter::report(int fd, const char* cause,
                           const RunInFlight& run) noexcept {
  if (child_pipe_ >= 0) {
    write_child_record(cause, run);
    ::_exit(86);
  }
  const DecisionList& decisions = run.decisions;
  if (!user_file_path_.empty()) {
    write_positional_file(user_file_path_.c_str(), decisions);
  }
  {
    SignalSafeWriter out(fd);
    out.text("\nweft: the process is dying of ").text(cause);
    out.text(" in the middle of a simulated run\n  ");
    if (!setup_.test_name.empty())
      out.text("test ").text(setup_.test_name).text(", ");
    out.text("strategy ").text(setup_.strategy);
    if (seed_) out.text(", seed ").number(*seed_);
    out.text(", run ").number(run_number_).text(" of the sweep, step ");
    out.number(run.step).text("\n  decisions so far: ");
    out.number(decisions.size()).text(" (");
    out.number(count_perturbations(decisions)).text(" perturbed)\n");
    if (run.polled_task != 0) {
      out.text("  running: task ").number(run.polled_task);
      if (run.polled_task == 1) {
        out.text(" (the root)");
      } else if (run.polled_spawned_at.known()) {
        out.text(" (spawned at ").text(run.polled_spawned_at.file);
        out.text(":").number(run.polled_spawned_at.line).text(")");
      }
      out.text(" was being polled\n");
    }
    if (run.running_thread != 0) {
      out.text("  running: simulated thread ").number(run.running_thread);
      if (run.thread_site.known()) {
        out.text(", last at ").text(run.thread_site.file);
        out.text(":").number(run.thread_site.line);
      }
      out.text("\n");
    }
    if (const std::optional<Failure>& failure = run.failure) {
      out.text("  the run had already failed: ")
          .text(to_string(failure->checker))
          .text(": ")
          .text(failure->message.c_str())
          .text("\n");
    }
    if (!user_file_path_.empty()) {
      out.text("  decision file: ").text(user_file_display_.c_str()).text("\n");
    }
    // A list too long for a command line (a shell refuses an argument over
    // 128 KiB) is left to the seed, which replays the same run.
    if (seed_ && count_perturbations(decisions) > kInlinePerturbationsMax) {
      out.text("replay: ").number(count_perturbations(decisions));
      out.text(
          " perturbed decisions are too many for one line; the line "
          "below replays the same run from its seed\n");
    } else {
      out.text("replay: ").text(replay_head_.c_str());
      write_sparse(out, decisions);
      out.text(replay_tail_.c_str()).text("\n");
    }
    if (seed_) {
      out.text("replay (as found): ").text(as_found_head_.c_str());
      out.number(*seed_).text(as_found_tail_.c_str()).text("\n");
    }
  }
  if (setup_.shrink_in_new_process) restart_to_shrink(cause, run);
}

void FatalReporter::write_child_record(const char* cause,
                                       const RunInFlight& run) noexcept {
  ChildRecordHeader header;
  header.crashed = 1;
  std::size_t i = 0;
  for (; cause[i] != '\0' && i + 1 < sizeof header.cause; ++i) {
    header.cause[i] = cause[i];
  }
  header.cause[i] = '\0';
  header.steps = run.step;
  static const std::string kNone;
  if (run.failure) {
    header.failed = 1;
    header.checker = static_cast<std::uint8_t>(run.failure->checker);
  }
  sim::write_child_record(child_pipe_, header, run.decisions, run.events,
                          run.failure ? run.failure->message : kNone);
}

void FatalReporter::restart_to_shrink(const char* cause,
                                      const RunInFlight& run) noexcept {
  // The list goes to a file: it may be longer than a variable may be.
  std::size_t at =
      append(resume_path_, sizeof resume_path_, 0, resume_file_stem_.c_str());
  at = append_number(resume_path_, sizeof resume_path_, at,
                     static_cast<std::uint64_t>(::getpid()));
  append(resume_path_, sizeof resume_path_, at, ".decisions");
  const int fd =
      ::open(resume_path_, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  {
    SignalSafeWriter out(fd);
    write_sparse(out, run.decisions);
  }
  ::close(fd);
  // WEFT_CRASH_RESUME=<sweep>|<cause>|<file>|<strategy>|<seed or ->|<run>
  const std::size_t size = sizeof resume_value_;
  at = append(resume_value_, size, 0, "WEFT_CRASH_RESUME=");
  at = append_number(resume_value_, size, at, setup_.sweep_ordinal);
  at = append(resume_value_, size, at, "|");
  at = append(resume_value_, size, at, cause);
  at = append(resume_value_, size, at, "|");
  at = append(resume_value_, size, at, resume_path_);
  at = append(resume_value_, size, at, "|");
  at = append(resume_value_, size, at, setup_.strategy.c_str());
  at = append(resume_value_, size, at, "|");
  at = seed_ ? append_number(resume_value_, size, at, *seed_)
             : append(resume_value_, size, at, "-");
  at = append(resume_value_, size, at, "|");
  append_number(resume_value_, size, at, run_number_);
  {
    SignalSafeWriter out(2);
    out.text(
        "weft: starting the test again to shrink this crash in child "
        "processes\n");
  }
  // A termination request often comes twice (timeout(1) signals the test
  // and then its process group): the second waits, blocked, behind this
  // handler and would end the new process as soon as the mask is cleared.
  // Ignoring a signal discards what is pending of it.
  // The second may also come late (timeout(1) descheduled between its two
  // kill calls, on a loaded machine): SIGTERM stays ignored across execve,
  // which keeps an ignored disposition, until the new process installs
  // weft's handler for it (install_fatal_handlers, at its first sweep);
  // SIGINT and SIGHUP, which weft does not handle, get their defaults.
  for (int request : {SIGTERM, SIGINT, SIGHUP}) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(request, &ignore, nullptr);
    if (request == SIGTERM) continue;
    struct sigaction by_default {};
    by_default.sa_handler = SIG_DFL;
    ::sigaction(request, &by_default, nullptr);
  }
  // A signal handler runs with its signal blocked, and execve keeps the
  // mask: unblock everything, or the new process could not catch a crash.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execve("/proc/self/exe", argv_.data(), envp_.data());
  // execve returned: it failed; the crash ends the process as it would,
  // with the replay line printed above.
  const int error = errno;
  SignalSafeWriter out(2);
  out.text("weft: could not start the test again (execve failed, errno ")
      .number(static_cast<std::uint64_t>(error))
      .text("): the replay line above reproduces the crash unshrunk\n");
}

}  // namespace weft::sim
