// The private state of weft::sim::SimThreads, shared by its .cc files
// (sim_threads.cc, sync_ops.cc, race.cc, thread_text.cc): one
// simulated thread's record, the exception that unwinds a thread, and the
// C++ runtime's per-thread exception state each fiber keeps.
#pragma once

#include <cxxabi.h>

#include <cstdint>
#include <functional>
#include <memory>

#include "sim/report/trace.h"
#include "sim/threads/fiber.h"
#include "sim/threads/sim_threads.h"
#include "sim/threads/vector_clock.h"

namespace weft::sim {

// Thrown into a simulated thread to unwind it when its run has ended.
struct ThreadUnwind {};

// The C++ runtime's per-thread exception state (libstdc++ and libc++abi
// share this layout: the stack of caught exceptions and the count of
// uncaught ones). Fibers share one real thread, so each keeps its own.
struct ExceptionState {
  void* caught = nullptr;
  unsigned int uncaught = 0;
};

inline ExceptionState& exception_state() noexcept {
  return *reinterpret_cast<ExceptionState*>(abi::__cxa_get_globals());
}

struct SimThreads::Thread {
  enum class State : std::uint8_t { kRunnable, kBlocked, kFinished };
  SimThreads* owner = nullptr;
  std::uint32_t id = 0;
  State state = State::kRunnable;
  Wait wait = Wait::kNone;
  const void* waiting_on = nullptr;
  std::uint32_t waiting_for = 0;  // the holder or the joined thread
  SourceLocation wait_site{};
  SourceLocation spawned_at{};
  // The weft::sync operation it stopped at last (where it resumes).
  ThreadOp stopped_op = ThreadOp::kStart;
  SourceLocation stopped_site{};
  std::uint64_t finished_step = 0;
  sync::UniqueFunction body;
  std::unique_ptr<Fiber> fiber;                 // threads 1..
  std::unique_ptr<FiberContext> stack_context;  // thread 0
  FiberContext* context = nullptr;
  bool started = false;
  // Consecutive decision points where it could have run and did not.
  std::uint32_t passed_over = 0;
  // This thread's runtime state while another one runs.
  Executor* current_executor = nullptr;
  const void* worker_of = nullptr;
  std::uint32_t no_unwind_depth = 0;
  ExceptionState exceptions;
  VectorClock clock;
  // The memory model: what the relaxed loads so far read (an acquire fence
  // takes it), what the last release fence published (relaxed stores
  // after it carry it), and the atomic loads so far (stale@T.N labels).
  VectorClock fence_acquire;
  VectorClock fence_release;
  bool fence_released = false;
  std::uint32_t loads = 0;
};

}  // namespace weft::sim
