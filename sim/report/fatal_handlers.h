// weft::sim::install_fatal_handlers: the process-wide handlers that make a
// crash during a simulated run print what replays it. Installed once, the
// first time a simulator runs; each asks the hooks of the thread it fires
// on (runtime/seam/hooks.h, RuntimeHooks::describe_fatal) what to print, so a
// crash outside any simulation, or on another thread, goes on as before.
//
//   SIGSEGV, SIGBUS, SIGILL, SIGFPE  only in builds without a sanitizer
//                                    (a sanitizer handles these itself and
//                                    then calls its death callback)
//   SIGABRT, SIGTERM                 always (SIGTERM is how a test timeout
//                                    ends a hung run)
//   the sanitizers' death callback   when a sanitizer runtime is linked
//   std::terminate                   always
//
// After printing, each passes the event on: the previous signal action is
// restored and the signal raised again, the previous terminate handler
// runs. Handlers on their own alternate stack, so that a stack overflow
// is reported too.
//
// A SIGTERM is sent to the process, not to a thread, so during a parallel
// sweep it may land on a thread that runs nothing (the one waiting for the
// workers, or a worker between runs). The workers say which run each is
// in (RunningThreads); the SIGTERM is passed on to the thread running the
// oldest run, the one a hang holds up, which describes it.
#pragma once

#include <pthread.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace weft::sim {

void install_fatal_handlers();

// One worker of a parallel sweep, as the fatal handlers see it.
struct RunningThread {
  static constexpr std::uint64_t kIdle = ~std::uint64_t{0};
  std::atomic<std::uint64_t> run_index{kIdle};  // kIdle between runs
  std::atomic<bool> started{false};             // `thread` is set
  pthread_t thread{};
};

// While set (a parallel sweep runs), SIGTERM goes to the worker running
// the lowest run index; nullptr, 0 unsets.
void set_running_threads(RunningThread* threads, std::size_t count) noexcept;

// Sets up an alternate signal stack for the calling thread if it has none
// (a stack overflow can only be reported from one).
void ensure_alternate_signal_stack();

}  // namespace weft::sim
