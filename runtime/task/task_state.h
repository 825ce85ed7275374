// weft::TaskState: the life of a task as a small value with verb
// transitions, kept apart from any executor so that every transition can be
// tested exhaustively; AtomicTaskState applies them with compare-and-swap so
// that the same rules hold when wakes come from other threads.
//
// Phases (exactly one at a time):
//   kIdle          pending, not queued; a wake queues it.
//   kScheduled     in a run queue (the queue owns one reference).
//   kRunning       being polled right now.
//   kRunningWoken  woken during its own poll; re-queued once when it ends.
//   kComplete      the future returned Ready; its output waits for the
//                  JoinHandle.
//   kCancelled     the future was dropped before finishing (abort, or the
//                  executor shut down).
// Plus one flag, abort_requested, that asks for the future to be dropped at
// the next safe point: before its next poll, or right after the current one.
//
// Who acts on what a transition returns:
//   wake:        kEnqueue -> the waker pushes the task to its scheduler.
//   start_poll:  kPoll -> poll it; kCancel -> drop the future instead;
//                kSkip -> a misuse was reported; leave the task alone.
//   finish_poll: kDone/kIdle -> nothing; kEnqueue -> push it back once;
//                kCancel -> drop the future.
//   abort:       kEnqueue -> push it so the executor drops it soon.
#pragma once

#include <atomic>
#include <cstdint>
#include <type_traits>

namespace weft {

enum class TaskPhase : std::uint8_t {
  kIdle,
  kScheduled,
  kRunning,
  kRunningWoken,
  kComplete,
  kCancelled,
};

const char* to_string(TaskPhase phase) noexcept;

enum class [[nodiscard]] WakeAction : std::uint8_t{kNothing, kEnqueue};
enum class [[nodiscard]] StartAction : std::uint8_t{
    kPoll,    // poll it
    kCancel,  // abort was requested: drop the future instead
    kSkip,    // it was not scheduled (a misuse, reported): leave it alone
};
enum class [[nodiscard]] FinishAction : std::uint8_t{
    kDone,     // became kComplete
    kIdle,     // pending and no wake arrived
    kEnqueue,  // woken while running: queue it again, once
    kCancel,   // abort was requested: drop the future now
};

class TaskState {
 public:
  constexpr TaskState() noexcept = default;
  constexpr TaskState(TaskPhase phase, bool abort_requested) noexcept
      : bits_(static_cast<std::uint8_t>(static_cast<std::uint8_t>(phase) |
                                        (abort_requested ? kAbortBit : 0))) {}

  // A freshly spawned task is queued at once.
  static constexpr TaskState spawned() noexcept {
    return TaskState(TaskPhase::kScheduled, false);
  }

  constexpr TaskPhase phase() const noexcept {
    return static_cast<TaskPhase>(bits_ & kPhaseMask);
  }
  constexpr bool abort_requested() const noexcept {
    return (bits_ & kAbortBit) != 0;
  }
  constexpr bool is_terminal() const noexcept {
    return phase() == TaskPhase::kComplete || phase() == TaskPhase::kCancelled;
  }

  // Each transition rewrites *this and says what the caller must do next.
  WakeAction transition_on_wake() noexcept;
  // Precondition: phase is kScheduled.
  StartAction transition_to_running() noexcept;
  // Precondition: phase is kRunning or kRunningWoken.
  FinishAction transition_after_poll(bool ready) noexcept;
  // Precondition: not terminal (the future is alive); leaves kCancelled.
  // Used after kCancel, and by an executor dropping its tasks at shutdown.
  void transition_to_cancelled() noexcept;
  WakeAction transition_on_abort() noexcept;

  constexpr std::uint8_t bits() const noexcept { return bits_; }
  static constexpr TaskState from_bits(std::uint8_t bits) noexcept {
    TaskState state;
    state.bits_ = bits;
    return state;
  }
  friend constexpr bool operator==(TaskState, TaskState) = default;

 private:
  static constexpr std::uint8_t kPhaseMask = 0x0f;
  static constexpr std::uint8_t kAbortBit = 0x80;

  void set_phase(TaskPhase phase) noexcept {
    bits_ = static_cast<std::uint8_t>((bits_ & ~kPhaseMask) |
                                      static_cast<std::uint8_t>(phase));
  }

  std::uint8_t bits_ = static_cast<std::uint8_t>(TaskPhase::kIdle);
};

// The state word shared by the executor and every waker of one task.
class AtomicTaskState {
 public:
  AtomicTaskState() noexcept : bits_(TaskState::spawned().bits()) {}

  TaskState load() const noexcept {
    // Acquire: a terminal state seen here comes with the output (or the
    // dropped future) the finishing thread wrote before its transition.
    return TaskState::from_bits(bits_.load(std::memory_order_acquire));
  }
  WakeAction wake() noexcept {
    return apply([](TaskState& s) { return s.transition_on_wake(); });
  }
  StartAction start_poll() noexcept {
    return apply([](TaskState& s) { return s.transition_to_running(); });
  }
  FinishAction finish_poll(bool ready) noexcept {
    return apply(
        [ready](TaskState& s) { return s.transition_after_poll(ready); });
  }
  void cancel() noexcept {
    apply([](TaskState& s) {
      s.transition_to_cancelled();
      return 0;
    });
  }
  WakeAction abort() noexcept {
    return apply([](TaskState& s) { return s.transition_on_abort(); });
  }

 private:
  template <typename Transition>
  std::invoke_result_t<Transition, TaskState&> apply(
      Transition transition) noexcept {
    // Acquire-release on success: each transition publishes what the
    // thread did before it (a finished poll's output) and sees what the
    // previous transition published. Acquire on failure: the retry reads
    // the newest state.
    std::uint8_t current = bits_.load(std::memory_order_acquire);
    while (true) {
      TaskState next = TaskState::from_bits(current);
      auto action = transition(next);
      if (bits_.compare_exchange_weak(current, next.bits(),
                                      std::memory_order_acq_rel,
                                      std::memory_order_acquire)) {
        return action;
      }
    }
  }

  std::atomic<std::uint8_t> bits_;
};

}  // namespace weft
