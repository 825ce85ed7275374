// weft::sim::SimThreads: the simulated threads of one run, and the
// simulator's answer to weft::sync (runtime/sync/sync_hooks.h).
//
// Thread 0 is the executor thread: the simulator's loop and every task
// poll run on it, on the real stack. Threads 1.. are fibers (fiber.h)
// made by weft::sync::thread inside the run. Exactly one runs at a time;
// control passes only at weft::sync operations (atomics, lock, unlock,
// wait, notify, spawn, join, yield) and at the top of the simulator's loop.
// Each such point with more than one thread able to run is a kThreadSwitch
// decision: 0 keeps the running thread, so an unperturbed run switches only
// when a thread blocks, finishes or yields. Blocking (a held mutex, a
// condition variable, a join) parks the simulated thread, never the real
// one; when no thread can run and the executor has nothing to poll, the
// run is stuck and the report says who holds what and who waits where.
//
// Memory model: one operation at a time, in the order the decisions give;
// stores to an atomic enter its modification order as they run, and a
// relaxed or acquire load may read an older store the C++ model still lets
// it see (memory_model.cc, store_history.h), each such read a kStaleRead
// decision. Happens-before is tracked with vector clocks: locks,
// acquire/release atomics and their release sequences, fences, spawn, join
// and wakes order accesses; relaxed atomics do not. The data-race check
// follows the same clocks: two accesses to one weft::sync::Cell, at least
// one a write, that are not ordered fail the run naming both sites.
//
// After a failure no more decisions are made: the running thread goes on
// while it can, so a poll in progress ends. At the end of the run,
// unwind_all() resumes every unfinished thread once more: a blocked one
// gives up its wait by throwing from it (where an exception may pass), so
// its destructors run; a preempted one runs alone until it finishes or
// blocks. A thread that cannot be unwound is abandoned (its stack is not
// destroyed).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/seam/hooks.h"
#include "runtime/sync/sync_hooks.h"
#include "sim/decision/decision.h"
#include "sim/threads/fiber.h"
#include "sim/threads/store_history.h"
#include "sim/threads/thread_host.h"
#include "sim/threads/vector_clock.h"

namespace weft::sim {

class SimThreads final : public sync::SyncHooks {
 public:
  SimThreads(ThreadHost& host, std::uint32_t threads_max,
             std::uint64_t operations_max, std::uint32_t switch_chance,
             std::uint64_t run_id);
  // The memory model's knobs: the chance that a load with older stores it
  // may read takes one (kStaleRead), and the stores kept per atomic.
  void set_memory_model(std::uint32_t stale_chance,
                        std::uint32_t atomic_history) noexcept {
    stale_chance_ = stale_chance;
    atomic_history_ = atomic_history;
  }
  ~SimThreads();
  SimThreads(const SimThreads&) = delete;
  SimThreads& operator=(const SimThreads&) = delete;

  // --- for the simulator's loop (thread 0) ---
  // Whether any simulated thread besides the executor is unfinished.
  bool others_unfinished() const noexcept { return unfinished_ > 0; }
  // A scheduling point at the top of the loop; true if another thread ran.
  bool at_loop_top();
  // The executor has nothing to poll: run other threads until one wakes a
  // task or none can run. False if none could run.
  bool run_while_idle();
  // The simulated thread running now (0: the executor).
  std::uint32_t running() const noexcept { return current_; }
  // Where the running thread was at its last weft::sync operation.
  SourceLocation running_site() const noexcept;
  // A task is woken from thread running() (for the race check's clocks).
  void on_wake(std::uint64_t task_id);
  // The executor is about to poll `record`'s task.
  void before_poll(std::uint64_t task_id);
  // Every unfinished thread and what it waits for, one per line.
  // `executor_runnable`: how to say that the executor's thread is runnable
  // (in a stuck report it is, yet no task can run).
  std::string describe_threads(
      std::string_view executor_runnable = "runnable") const;
  // The weft::sync mutexes still locked, one per line with where each was
  // locked and by which thread (empty when none is): at the end of a run
  // they outlive it locked.
  std::string describe_held_mutexes() const;
  bool spawned_any() const noexcept { return threads_.size() > 1; }
  bool any_finished() const noexcept;
  // After the run ended: resume each suspended thread and unwind it (a
  // blocked one from its wait, a preempted one at its next operation that
  // may throw).
  void unwind_all() noexcept;
  // The executor (thread 0) is about to throw out of the run's code (a
  // failed assertion, a misuse, a deadlock): the other threads are unwound
  // first, while the objects the run's frame holds for them are alive, and
  // then it throws RunAborted. Elsewhere it throws ThreadUnwind.
  [[noreturn]] void abort_running_thread();
  bool unwinding() const noexcept { return unwinding_; }
  // Switches between simulated threads so far (for benchmarks).
  std::uint64_t switches() const noexcept { return switches_; }

  // --- weft::sync ---
  void on_atomic(const void* object, sync::AccessKind kind,
                 std::memory_order order, SourceLocation site) override;
  bool atomic_read(const void* object, std::memory_order order,
                   SourceLocation site, std::uint64_t* value) override;
  void atomic_written(const void* object, sync::AccessKind kind,
                      std::memory_order order, SourceLocation site, bool stored,
                      std::uint64_t previous, std::uint64_t value) override;
  void fence(std::memory_order order, SourceLocation site) override;
  void mutex_lock(const void* mutex, SourceLocation site) override;
  bool mutex_try_lock(const void* mutex, SourceLocation site) override;
  void mutex_unlock(const void* mutex, SourceLocation site) override;
  void condvar_wait(const void* condvar, const void* mutex,
                    SourceLocation site) override;
  void condvar_notify(const void* condvar, bool all,
                      SourceLocation site) override;
  std::uint32_t thread_spawn(sync::UniqueFunction body,
                             SourceLocation site) override;
  void thread_join(std::uint32_t thread, SourceLocation site) override;
  void thread_detach(std::uint32_t thread) override;
  void thread_dropped_joinable(std::uint32_t thread,
                               SourceLocation site) override;
  void yield(SourceLocation site) override;
  void atomic_values(const void* object, bool is_signed, bool loaded,
                     std::uint64_t load_value, bool stored,
                     std::uint64_t store_value) override;
  void on_cell_access(const void* cell, bool write,
                      SourceLocation site) override;
  void forget(const void* object) noexcept override;

 private:
  struct Thread;
  struct RaceReport;
  struct Object {
    VectorClock clock;  // what releases on it published (a mutex)
    // As an atomic: the stores a load may still read (memory_model.cc).
    StoreHistory history;
    // As a mutex.
    bool locked = false;
    std::uint32_t holder = 0;
    SourceLocation locked_at{};
    // As a condition variable: waiting threads, in wait order.
    std::vector<std::uint32_t> waiters;
    // As a Cell (race.cc).
    bool written = false;
    Epoch write;
    SourceLocation write_site{};
    std::uint64_t write_step = 0;
    struct Read {
      Epoch epoch;
      SourceLocation site;
      std::uint64_t step;
    };
    std::vector<Read> reads;  // the last read of each thread since the write
  };

  enum class Wait : std::uint8_t { kNone, kMutex, kCondvar, kJoin, kIdle };

  static void fiber_entry(void* argument);
  [[noreturn]] void finish_running_thread();
  // A scheduling point: maybe run another thread (`may_stay`: the running
  // thread may go on). Returns when the running thread runs again, or at
  // once when no thread can run (the caller, if blocked, gives up). Once
  // the run failed or is being unwound it decides nothing: the running
  // thread goes on while it can.
  void reschedule(bool may_stay);
  // The running thread is at operation `op` (where a switch stops it).
  void stopping_at(ThreadOp op, SourceLocation site) noexcept;
  // The running thread goes on with the operation it stopped at: a report's
  // run records it here, after any switch, so the timeline shows each
  // operation where it took effect.
  void proceeding() noexcept;
  std::uint32_t choose_candidate();
  void switch_to(std::uint32_t next);
  // Parks the running thread on `wait` until something makes it runnable.
  // If the run ends meanwhile it throws out of the code under test where
  // an exception may pass, and otherwise returns false: the caller stops
  // waiting and goes on.
  bool block(Wait wait, const void* object, std::uint32_t thread,
             SourceLocation site);
  void make_runnable(std::uint32_t thread) noexcept;
  // The run failed or is being unwound: no more decisions.
  bool stopping() const noexcept;
  // Counts one weft::sync operation; over the limit, fails the run, and a
  // quarter past it stops the thread that still spins (throwing when
  // `may_throw` and an exception may pass, else abandoning it).
  void count_operation(bool may_throw = true);
  // Alone mode: until the first thread is spawned (or the executor waits
  // on a condition variable), the facade keeps held locks in the list of
  // SyncHooks and skips atomics and Cells (sync_hooks.h), so runs that
  // never spawn a thread pay almost nothing for the runtime's locks.
  bool alone() const noexcept { return !threads_started_; }
  // Takes over the locks the alone-mode list holds, as the executor's.
  void leave_alone_mode();
  bool any_other_runnable() const noexcept;  // besides the executor
  bool any_runnable_besides(std::uint32_t id) const noexcept;
  void lock_now(const void* mutex, SourceLocation site);
  void unlock_now(const void* mutex, SourceLocation site);
  Object& object(const void* address);
  void acquire(const VectorClock& from);
  void release(VectorClock& into, bool replace);
  const VectorClock& running_clock() const noexcept;
  // The memory model (memory_model.cc).
  StoreHistory& history_of(const void* atomic, std::uint64_t current);
  std::size_t stale_choice(StoreHistory& history, std::memory_order order,
                           bool modelled);
  void took_effect(StoreRecord& read, std::memory_order order);
  void describe_stale_read(StoreHistory& history, std::size_t chosen,
                           std::memory_order order, SourceLocation site);
  void report_race(const RaceReport& earlier, const RaceReport& later);
  std::string describe(const Thread& thread,
                       std::string_view executor_runnable) const;
  std::string thread_name(std::uint32_t id) const;

  // A runnable thread passed over at this many points in a row runs next.
  static constexpr std::uint32_t kPassedOverMax = 64;

  ThreadHost& host_;
  std::uint32_t threads_max_;
  std::uint64_t operations_max_;
  std::uint32_t switch_chance_;
  std::uint32_t stale_chance_ = 0;
  std::uint32_t atomic_history_ = 1;
  // Seq_cst fences and stores, in the order they ran (memory_model.cc).
  VectorClock seq_cst_clock_;
  VectorClock release_scratch_;  // reused: no allocation per store
  std::vector<std::unique_ptr<Thread>> threads_;  // by id; 0 = executor
  std::uint32_t current_ = 0;
  std::uint32_t unfinished_ = 0;  // threads 1.. not finished
  std::uint64_t operations_ = 0;
  std::uint64_t switches_ = 0;
  std::uint64_t point_step_ = 0;   // the step of the last point
  std::uint32_t point_index_ = 0;  // points so far in that step
  bool unwinding_ = false;
  // The event of the running thread's last operation (a report's run).
  std::size_t op_event_ = static_cast<std::size_t>(-1);
  // Lookup only, never iterated into a decision.
  std::unordered_map<const void*, Object> objects_;
  // What the threads that woke each task had done (by task id).
  std::unordered_map<std::uint64_t, VectorClock> task_clocks_;
  std::vector<std::uint32_t> candidates_;
  std::vector<std::uint64_t> candidate_ids_;
};

}  // namespace weft::sim
