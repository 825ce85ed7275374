// weft::ThreadPoolExecutor: runs tasks on N worker threads, on the real
// clock. Tasks may be spawned and woken from any thread.
//
// Guarantees: a task is polled by at most one thread at a time (the state
// transitions in task_state.h are atomic: only the wake that moves a task
// out of kIdle queues it, and a wake during a poll re-queues it once after
// the poll); a wake is never lost; idle workers sleep until the next timer
// deadline or a wake, never spin. shutdown() (also run by the destructor)
// stops the workers, then drops every remaining task's future on the
// calling thread: destructors run and JoinHandles report TaskCancelled.
//
// Made inside a simulation, its workers are simulated threads and its
// locks scheduling points (weft::sync): the simulator explores the pool's
// own interleavings. Its timers stay on the real clock there, so a
// simulated pool's tasks should not sleep.
//
// A waker may outlive the executor: tasks keep its queue (the core) alive,
// and a wake that arrives after shutdown, even one racing it from another
// thread, releases the task instead of queueing it.
#pragma once

#include <cstddef>
#include <vector>

#include "runtime/executors/thread_parker.h"
#include "runtime/future/future.h"
#include "runtime/sync/thread.h"
#include "runtime/task/executor.h"
#include "runtime/task/owned_tasks.h"
#include "runtime/task/task_queue.h"

namespace weft {

class ThreadPoolExecutor final : public Executor {
 public:
  // `at`: where the pool is made (a simulation names its workers' threads
  // by it).
  explicit ThreadPoolExecutor(std::size_t worker_count,
                              SourceLocation at = SourceLocation::current());
  ~ThreadPoolExecutor();

  // Spawns `future` and blocks the calling thread (which must not be one of
  // the workers) until it finishes; returns its output or rethrows.
  template <Future F>
  OutputOf<F> block_on(F future, SourceLocation at = SourceLocation::current());

  // Stops the workers and cancels every unfinished task. Idempotent.
  void shutdown();

  std::size_t worker_count() const noexcept { return workers_.size(); }
  std::size_t task_count() const;

 private:
  class Core;
  class Timers;

  ThreadPoolExecutor(std::size_t worker_count, Core* core, SourceLocation at);
  void schedule(TaskHeader* task) override;
  void submit(TaskHeader* task) override;
  void run_worker();
  void poll_task(TaskHeader* task);
  bool on_worker_thread() const;

  Core* core_;  // one counted reference, dropped by the destructor
  std::vector<sync::thread> workers_;
  bool shut_down_ = false;
};

template <Future F>
OutputOf<F> ThreadPoolExecutor::block_on(F future, SourceLocation at) {
  if (on_worker_thread()) {
    report_misuse(
        "ThreadPoolExecutor::block_on called from one of its own "
        "workers (it would block the thread that must run it)",
        at);
  }
  auto handle = spawn(std::move(future), at);
  ThreadParker parker;
  const Waker waker = parker.waker();
  Context cx(waker);
  while (true) {
    auto poll = handle.poll(cx);
    if (poll.is_ready()) {
      if constexpr (std::is_void_v<OutputOf<F>>) {
        return;
      } else {
        return std::move(poll).take();
      }
    }
    parker.park();
  }
}

}  // namespace weft
