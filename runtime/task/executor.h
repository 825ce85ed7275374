// weft::Executor: what every executor (LocalExecutor, ThreadPoolExecutor,
// the simulator's) has in common: spawning a future as a task, knowing which
// executor is polling the current thread's task, its timers, and a Spawner
// handle that outlives the executor and fails clearly once it is gone.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <utility>

#include "runtime/future/co_invoke.h"
#include "runtime/future/future.h"
#include "runtime/seam/hooks.h"
#include "runtime/seam/misuse.h"
#include "runtime/seam/source_location.h"
#include "runtime/sync/mutex.h"
#include "runtime/task/join_handle.h"
#include "runtime/task/task.h"
#include "runtime/task/timer_service.h"

namespace weft {

class Executor;

// A spawn handle that may outlive its executor: spawning through it after
// the executor is gone is reported as a misuse instead of touching freed
// memory.
class Spawner {
 public:
  template <Future F>
  JoinHandle<OutputOf<F>> spawn(F future,
                                SourceLocation at = SourceLocation::current());

 private:
  friend class Executor;
  struct Link {
    sync::mutex mutex;
    Executor* executor = nullptr;
  };
  explicit Spawner(std::shared_ptr<Link> link) : link_(std::move(link)) {}
  std::shared_ptr<Link> link_;
};

class Executor : public TaskScheduler {
 public:
  explicit Executor(std::shared_ptr<TimerService> timers)
      : link_(std::make_shared<Spawner::Link>()), timers_(std::move(timers)) {
    link_->executor = this;
  }
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Spawns a callable that returns a future (a coroutine lambda, captures
  // and all): the task owns the callable (see co_invoke.h).
  template <FutureFactory F>
  auto spawn(F function, SourceLocation at = SourceLocation::current()) {
    return spawn(co_invoke(std::move(function)), at);
  }

  // Spawns `future` as a task, queued to run. Spawning on an executor that
  // is shutting down is a misuse.
  template <Future F>
  JoinHandle<OutputOf<F>> spawn(F future,
                                SourceLocation at = SourceLocation::current()) {
    if (shutting_down_) {
      report_misuse("spawn on an executor that is shutting down", at);
    }
    auto* cell = TaskCell<F>::create(std::move(future), at);
    cell->retain();  // the JoinHandle's reference
    auto handle = JoinHandle<OutputOf<F>>::adopt(cell);
    submit(cell);
    return handle;
  }

  Spawner spawner() const { return Spawner(link_); }

  // The executor's timers (shared with the futures that arm them, so that a
  // future outliving its executor can still disarm safely).
  const std::shared_ptr<TimerService>& timers() const noexcept {
    return timers_;
  }

  // The executor polling a task on this thread, or nullptr outside a poll.
  static Executor* current() noexcept;

  // Marks an executor as the current one for the scope of a poll.
  class CurrentScope {
   public:
    explicit CurrentScope(Executor* executor) noexcept;
    ~CurrentScope();
    CurrentScope(const CurrentScope&) = delete;
    CurrentScope& operator=(const CurrentScope&) = delete;

   private:
    Executor* previous_;
  };

 protected:
  ~Executor();

  // Takes a new task holding one reference (the executor's), binds it,
  // records it as owned and queues it.
  virtual void submit(TaskHeader* task) = 0;

  // Called first by a derived destructor: later spawns (through a Spawner,
  // or from destructors of dropped futures) are reported as misuse.
  void begin_shutdown();
  bool shutting_down() const noexcept { return shutting_down_; }

 private:
  std::shared_ptr<Spawner::Link> link_;
  std::shared_ptr<TimerService> timers_;
  // Sequentially consistent (plain loads and stores): set once by
  // begin_shutdown, read by spawns on any thread; a spawn that misses it
  // races the shutdown, which the Spawner link's mutex settles.
  std::atomic<bool> shutting_down_{false};
};

template <Future F>
JoinHandle<OutputOf<F>> Spawner::spawn(F future, SourceLocation at) {
  sync::lock_guard lock(link_->mutex);
  if (link_->executor == nullptr) {
    report_misuse("spawn on a destroyed executor", at);
  }
  return link_->executor->spawn(std::move(future), at);
}

// Spawns onto the executor that is polling the calling task. A callable
// that returns a future may be given instead (see co_invoke.h).
template <FutureFactory F>
auto spawn(F function, SourceLocation at = SourceLocation::current());

template <Future F>
JoinHandle<OutputOf<F>> spawn(F future,
                              SourceLocation at = SourceLocation::current()) {
  Executor* executor = Executor::current();
  if (executor == nullptr) {
    report_misuse("weft::spawn called outside a task (no current executor)",
                  at);
  }
  return executor->spawn(std::move(future), at);
}

template <FutureFactory F>
auto spawn(F function, SourceLocation at) {
  return spawn(co_invoke(std::move(function)), at);
}

// Spawns onto the current executor and lets a simulation cancel the task
// at any point where it waits, as a recorded decision (its JoinHandle then
// throws TaskCancelled). Outside a simulation it is plain spawn(), so
// production code can mark the tasks it must survive losing.
template <Future F>
JoinHandle<OutputOf<F>> spawn_cancellable(
    F future, SourceLocation at = SourceLocation::current()) {
  JoinHandle<OutputOf<F>> handle = spawn(std::move(future), at);
  if (RuntimeHooks* hooks = current_hooks()) {
    hooks->mark_cancellable(handle.id());
  }
  return handle;
}

template <FutureFactory F>
auto spawn_cancellable(F function,
                       SourceLocation at = SourceLocation::current()) {
  return spawn_cancellable(co_invoke(std::move(function)), at);
}

}  // namespace weft
