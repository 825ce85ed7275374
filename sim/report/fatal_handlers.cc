#include "sim/report/fatal_handlers.h"

#include <dlfcn.h>
#include <link.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>

#include "runtime/seam/hooks.h"
#include "sim/report/sanitizers.h"

// Present when a sanitizer runtime is linked; weak, so that plain builds
// link without it.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void))
    __attribute__((weak));

namespace weft::sim {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTERM};
constexpr bool kSanitizerHandlesFaults = kBuiltWithAsan || kBuiltWithTsan;

struct sigaction previous_actions[NSIG];
std::terminate_handler previous_terminate = nullptr;
// Only the first fatal event of the process is described; a crash while
// describing one must not loop.
std::atomic<bool> describing{false};
thread_local bool describing_here = false;
std::atomic<RunningThread*> running_threads{nullptr};
std::atomic<std::size_t> running_thread_count{0};

// A SIGTERM on a thread with no run to describe (the thread waiting for a
// parallel sweep's workers, or a worker between runs) goes to the worker
// running the oldest run, the one a hang holds up; this thread then waits
// for that one to end the process (at most five seconds, in case that run
// ended just before the signal reached it), and then ends it itself. A
// thread in a run describes its own.
void pass_terminate_to_oldest_run() {
  RunningThread* threads = running_threads.load();
  const std::size_t count = running_thread_count.load();
  if (threads == nullptr || this_thread_runtime().hooks != nullptr) return;
  RunningThread* oldest = nullptr;
  for (std::size_t i = 0; i < count; ++i) {
    RunningThread& candidate = threads[i];
    if (!candidate.started.load() ||
        ::pthread_equal(candidate.thread, ::pthread_self())) {
      continue;
    }
    const std::uint64_t index = candidate.run_index.load();
    if (index == RunningThread::kIdle) continue;
    if (oldest == nullptr || index < oldest->run_index.load()) {
      oldest = &candidate;
    }
  }
  if (oldest == nullptr || ::pthread_kill(oldest->thread, SIGTERM) != 0) {
    return;
  }
  // Until a deadline, not for a count of sleeps: a sleep ends early when
  // a signal arrives.
  struct timespec now {};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const time_t deadline = now.tv_sec + 5;
  while (now.tv_sec < deadline) {
    struct timespec tenth {
      0, 100'000'000
    };
    ::nanosleep(&tenth, nullptr);
    ::clock_gettime(CLOCK_MONOTONIC, &now);
  }
}

const char* signal_cause(int signal_number) {
  switch (signal_number) {
    case SIGSEGV:
      return "SIGSEGV (segmentation fault)";
    case SIGBUS:
      return "SIGBUS (bus error)";
    case SIGILL:
      return "SIGILL (illegal instruction)";
    case SIGFPE:
      return "SIGFPE (arithmetic fault)";
    case SIGABRT:
      return "SIGABRT (abort)";
    case SIGTERM:
      return "SIGTERM (terminated, for example by a test timeout)";
  }
  return "a fatal signal";
}

void describe(const char* cause) {
  // Only this thread's own hooks: a crash on a thread that is not
  // simulating has nothing to add.
  RuntimeHooks* hooks = this_thread_runtime().hooks;
  if (hooks == nullptr) return;
  // Sequentially consistent exchange: exactly one fatal event, on
  // whichever thread, is described.
  if (describing.exchange(true)) {
    // A crash while this thread describes one ends the process as usual;
    // a crash on another thread (a parallel sweep's other worker) waits,
    // so the first description is neither cut short nor mixed with a
    // second. The describing thread ends the process either way: it
    // starts the test again in its place, or passes its signal on.
    if (describing_here) return;
    for (;;) ::pause();
  }
  describing_here = true;
  hooks->describe_fatal(2, cause);
}

void on_fatal_signal(int signal_number, siginfo_t*, void*) {
  if (signal_number == SIGTERM) pass_terminate_to_oldest_run();
  describe(signal_cause(signal_number));
  // Pass it on: the previous action, or the default one, ends the process
  // as it would have without weft.
  ::sigaction(signal_number, &previous_actions[signal_number], nullptr);
  ::raise(signal_number);
}

void on_sanitizer_death() { describe("a sanitizer report (printed above)"); }

void on_terminate() {
  describe(
      "std::terminate (an exception escaped a destructor or noexcept code)");
  if (previous_terminate != nullptr) previous_terminate();
  std::abort();
}

using SetDeathCallback = void (*)(void (*)(void));

// Registers the death callback with every sanitizer runtime in the
// process. GCC links each sanitizer as its own shared library with its own
// copy of the common code (ASan's and UBSan's under -fsanitize=address,
// undefined), so one registration through the symbol this binary sees is
// not enough: each loaded runtime is asked by name.
void register_death_callbacks() {
  if (__sanitizer_set_death_callback != nullptr) {
    __sanitizer_set_death_callback(&on_sanitizer_death);
  }
  ::dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void*) -> int {
        const char* name = info->dlpi_name;
        if (name == nullptr || std::strstr(name, "san.so") == nullptr) {
          return 0;
        }
        void* library = ::dlopen(name, RTLD_NOW | RTLD_NOLOAD);
        if (library == nullptr) return 0;
        auto set = reinterpret_cast<SetDeathCallback>(
            ::dlsym(library, "__sanitizer_set_death_callback"));
        if (set != nullptr) set(&on_sanitizer_death);
        ::dlclose(library);
        return 0;
      },
      nullptr);
}

void install_signal(int signal_number) {
  struct sigaction action {};
  action.sa_sigaction = &on_fatal_signal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  ::sigaction(signal_number, &action, &previous_actions[signal_number]);
}

}  // namespace

void install_fatal_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int signal_number : kSignals) {
      const bool fault = signal_number != SIGABRT && signal_number != SIGTERM;
      if (fault && kSanitizerHandlesFaults) continue;
      install_signal(signal_number);
    }
    register_death_callbacks();
    previous_terminate = std::set_terminate(&on_terminate);
  });
}

namespace {

// This thread's alternate signal stack, given back when the thread ends
// (a parallel sweep starts workers for every sweep).
struct AlternateStack {
  void* memory = nullptr;
  ~AlternateStack() {
    if (memory == nullptr) return;
    stack_t off{};
    off.ss_flags = SS_DISABLE;
    ::sigaltstack(&off, nullptr);
    std::free(memory);
  }
};

}  // namespace

void set_running_threads(RunningThread* threads, std::size_t count) noexcept {
  running_thread_count.store(threads == nullptr ? 0 : count);
  running_threads.store(threads);
}

void ensure_alternate_signal_stack() {
  if (kSanitizerHandlesFaults) return;  // sanitizers keep their own
  thread_local AlternateStack alternate;
  if (alternate.memory != nullptr) return;
  stack_t current{};
  if (::sigaltstack(nullptr, &current) == 0 &&
      !(current.ss_flags & SS_DISABLE)) {
    return;  // someone set one up already
  }
  constexpr std::size_t kStackBytes = 1u << 16;
  alternate.memory = std::malloc(kStackBytes);
  if (alternate.memory == nullptr) return;
  stack_t stack{};
  stack.ss_sp = alternate.memory;
  stack.ss_size = kStackBytes;
  ::sigaltstack(&stack, nullptr);
}

}  // namespace weft::sim
