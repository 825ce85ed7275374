// weft::LocalExecutor: a single-threaded executor. Tasks run on the thread
// that calls block_on / run_until_stalled, in FIFO order of their wakes.
// Time comes from the Clock it is given (the real clock by default; a
// ManualClock makes timer tests deterministic).
//
// Wakes may come from any thread (a worker that finished a request, a
// thread pool, a callback), as with tokio's current-thread runtime: a
// wake on the executor's own thread while it runs goes straight to its
// queue; one from elsewhere goes to a locked queue of its own and rouses
// the executor if it is parked (on its condition variable, or through the
// IoDriver's unpark()). The executor must outlive the threads that wake
// its tasks.
//
// With an IoDriver (runtime/net/reactor.h), a block_on with nothing to run
// parks on the driver until I/O or the next timer, and every 61 polls the
// driver is checked without waiting, so sockets are served while tasks are
// busy.
//
// Stalled: with nothing queued, no timer armed and nothing waiting on the
// driver, only another thread can wake it; block_on waits stall_timeout()
// (1 s by default) for such a wake before it throws Stalled, and
// set_stall_timeout(Duration::max()) waits for one forever.
//
// Guarantees: a task is polled only after a wake (or once at spawn); a task
// woken during its own poll is queued again exactly once; abort() drops the
// task's future before its next poll; destroying the executor drops every
// unfinished task's future (their JoinHandles then report cancellation).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/executors/io_driver.h"
#include "runtime/future/context.h"
#include "runtime/future/future.h"
#include "runtime/future/outcome.h"
#include "runtime/sync/sync.h"
#include "runtime/task/clock.h"
#include "runtime/task/executor.h"
#include "runtime/task/owned_tasks.h"
#include "runtime/task/stalled.h"
#include "runtime/task/task_queue.h"
#include "runtime/task/wake_flag.h"

namespace weft {

class LocalExecutor final : public Executor, private WakeFlag::Waiter {
 public:
  explicit LocalExecutor(Clock& clock = system_clock());
  // Waits on `driver` for I/O (it must outlive the executor).
  explicit LocalExecutor(IoDriver& driver, Clock& clock = system_clock());
  ~LocalExecutor();

  // Polls `future` on the calling thread, running spawned tasks in between
  // and sleeping until the next timer (or, with an IoDriver, until I/O)
  // when nothing can run, until it is Ready; returns its output or
  // rethrows its exception. Throws Stalled if the future is pending, no
  // task can run, no timer is armed and no future waits on the driver.
  template <Future F>
  OutputOf<F> block_on(F future, SourceLocation at = SourceLocation::current());

  // Fires the timers that are due now, then polls queued tasks until none
  // is queued; returns how many polls ran. Never sleeps.
  std::size_t run_until_stalled();
  // Polls the first queued task, if any; returns whether one ran.
  bool run_one() {
    Driving driving(this);
    return run_next();
  }

  // Unfinished tasks (spawned, neither complete nor cancelled).
  std::size_t task_count() const noexcept { return owned_.size(); }
  std::size_t queued_count() const noexcept { return queue_.size(); }

  // One line per unfinished task: id, phase, where it was spawned and the
  // await sites of its latest poll.
  std::string describe_tasks() const;

  // How long block_on waits, with nothing else that could wake it, for a
  // wake from another thread before it throws Stalled.
  Duration stall_timeout() const noexcept { return stall_timeout_; }
  void set_stall_timeout(Duration timeout) noexcept {
    stall_timeout_ = timeout;
  }

 private:
  // Marks the calling thread as the one running this executor, for the
  // length of a block_on or run_until_stalled (wakes there are local).
  class Driving {
   public:
    explicit Driving(const LocalExecutor* executor) noexcept;
    ~Driving();
    Driving(const Driving&) = delete;
    Driving& operator=(const Driving&) = delete;

   private:
    const LocalExecutor* previous_;
  };

  // run_one() on a thread already marked as driving this executor.
  bool run_next();
  void schedule(TaskHeader* task) override;
  // A wake from another thread (or from outside block_on).
  void schedule_remote(TaskHeader* task);
  // Moves the tasks woken from elsewhere into the run queue.
  void take_remote();
  // WakeFlag::Waiter: block_on's future was woken; rouse a park.
  void rouse() noexcept override;
  // Waits until a wake from elsewhere arrives, or until `deadline` of the
  // executor's clock passes (none: up to `at_most` of real time). Returns
  // whether a wake arrived.
  bool wait_for_remote(std::optional<Instant> deadline, Duration at_most);
  void submit(TaskHeader* task) override;
  void poll_task(TaskHeader* task);
  void finish_task(TaskHeader* task);
  // With nothing queued: sleeps until the next timer and fires it. Returns
  // false when no timer is armed.
  bool wait_for_timers();
  [[noreturn]] void throw_stalled(SourceLocation at,
                                  const AwaitTrace& root_trace) const;

  TaskQueue queue_;
  OwnedTasks owned_;
  TaskId next_task_id_ = 1;
  IoDriver* driver_ = nullptr;
  // Polls since the driver was last checked.
  std::uint32_t polls_since_io_ = 0;
  Duration stall_timeout_ = std::chrono::seconds(1);

  // Wakes from other threads. `pending` lets the executor's thread skip
  // the lock when there are none.
  struct Remote {
    sync::mutex mutex;
    sync::condition_variable roused;
    std::vector<TaskHeader*> tasks;  // each holds the queue's reference
    bool parked = false;             // the executor waits for a wake
    bool woken = false;              // a wake came since it last looked
  };
  Remote remote_;
  // A plain atomic, not weft::sync's: it is only a hint that spares the
  // executor's thread the lock (the lock orders the queue itself), read
  // on every poll.
  std::atomic<bool> remote_pending_{false};
};

template <Future F>
OutputOf<F> LocalExecutor::block_on(F future, SourceLocation at) {
  WakeFlag flag;
  const Waker waker = flag.waker();
  AwaitTrace trace;
  Driving driving(this);
  // A wake of the future from another thread rouses the executor.
  struct WaiterScope {
    WakeFlag& flag;
    ~WaiterScope() { flag.set_waiter(nullptr); }
  } waiter_scope{flag};
  flag.set_waiter(this);
  while (true) {
    if (flag.take_woken()) {
      trace.clear();
      Context cx(waker, &trace);
      std::optional<Outcome<OutputOf<F>>> outcome;
      {
        CurrentScope scope(this);
        outcome = poll_into_outcome(future, cx);
      }
      if (outcome) return std::move(*outcome).take();
      continue;  // a wake during the poll means poll again at once
    }
    if (run_next()) continue;
    if (timers()->fire_due(timers()->now()) > 0) continue;
    if (!wait_for_timers()) throw_stalled(at, trace);
  }
}

}  // namespace weft
