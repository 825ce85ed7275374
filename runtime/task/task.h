// weft::TaskHeader and weft::TaskCell<F>: a spawned task is one allocation
// holding a reference-counted header and the whole future by value; when the
// future finishes, its output (value or exception) takes its place.
//
// References: the executor holds one while the task is unfinished, the run
// queue one while the task is queued, every Waker one, the JoinHandle one.
// The last release frees the cell. The future itself is dropped as soon as
// the task completes or is cancelled, not when the memory goes, so dropping
// a task (cancellation) runs every destructor in its tree at once.
//
// Who touches what: the future and the output only by the executor thread
// that holds the task in kRunning (or, after completion, by the JoinHandle);
// the join waker only through its lock; the state only through its atomic
// transitions (task_state.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <new>
#include <optional>
#include <utility>

#include "runtime/future/context.h"
#include "runtime/future/future.h"
#include "runtime/future/intrusive_list.h"
#include "runtime/future/outcome.h"
#include "runtime/future/waker.h"
#include "runtime/seam/check.h"
#include "runtime/seam/hooks.h"
#include "runtime/seam/memory_hooks.h"
#include "runtime/seam/source_location.h"
#include "runtime/sync/mutex.h"
#include "runtime/task/task_state.h"

namespace weft {

class TaskHeader;

// Where a woken task goes: the executor (real or simulated) that owns it.
// schedule() receives a task in kScheduled together with one reference,
// which the scheduler now owns.
//
// A counted scheduler (a thread pool's core) is kept alive by every task
// bound to it, so that a wake from another thread racing the executor's
// shutdown finds it and is told "closed" instead of touching freed memory:
// then a waker may outlive its executor everywhere. Single-threaded
// executors are not counted; all their tasks are finished when they go,
// and waking a finished task does nothing.
class TaskScheduler {
 public:
  virtual void schedule(TaskHeader* task) = 0;
  // For counted schedulers: one reference per bound task.
  virtual void retain_scheduler() noexcept {}
  virtual void release_scheduler() noexcept {}

 protected:
  ~TaskScheduler() = default;
};

// The type-erased operations on a TaskCell<F>.
struct TaskVTable {
  // Polls the future once; on Ready stores the output and drops the future.
  // Exceptions become the output. Returns true when Ready.
  bool (*poll)(TaskHeader* task, Context& cx);
  // Drops the future without finishing it (cancellation).
  void (*drop_future)(TaskHeader* task);
  // Frees the cell; called by the last release.
  void (*destroy)(TaskHeader* task);
};

// A TaskHeader is also the node of its executor's list of owned tasks.
class TaskHeader : public ListLinks<TaskHeader> {
 public:
  TaskHeader(const TaskHeader&) = delete;
  TaskHeader& operator=(const TaskHeader&) = delete;

  TaskId id() const noexcept { return id_; }
  SourceLocation spawned_at() const noexcept { return spawned_at_; }
  AtomicTaskState& state() noexcept { return state_; }
  const AtomicTaskState& state() const noexcept { return state_; }

  void retain() noexcept {
    // Relaxed: a new reference is made from one the caller already holds,
    // so the count cannot reach zero meanwhile and nothing is published.
    const std::uint32_t before =
        references_.fetch_add(1, std::memory_order_relaxed);
    WEFT_CHECK_LT(0u, before);  // retaining a freed task
  }
  void release() noexcept {
    // Acquire-release: every use of the cell through other references
    // happens before the last release frees it.
    const std::uint32_t before =
        references_.fetch_sub(1, std::memory_order_acq_rel);
    WEFT_CHECK_LT(0u, before);  // more releases than references
    if (before == 1) vtable_->destroy(this);
  }
  std::uint32_t references() const noexcept {
    // Acquire: pairs with the releases, for tests that look at the count.
    return references_.load(std::memory_order_acquire);
  }

  // Binds the task to the executor that will run it. Done once, before the
  // task is first scheduled. A counted scheduler is retained until the
  // task's memory goes (see TaskScheduler).
  void bind(TaskScheduler* scheduler, TaskId id,
            bool counted = false) noexcept {
    WEFT_CHECK(scheduler_ == nullptr, "a task is bound to one executor, once");
    WEFT_CHECK(scheduler != nullptr, "binding a task to no executor");
    scheduler_ = scheduler;
    id_ = id;
    scheduler_counted_ = counted;
    if (counted) scheduler->retain_scheduler();
  }
  TaskScheduler* scheduler() const noexcept { return scheduler_; }

  // The executor's operations (see TaskVTable).
  bool poll_future(Context& cx) { return vtable_->poll(this, cx); }
  void drop_future() noexcept { vtable_->drop_future(this); }

  // The await sites of the latest poll, for reports about stuck tasks.
  AwaitTrace& await_trace() noexcept { return await_trace_; }
  const AwaitTrace& await_trace() const noexcept { return await_trace_; }

  // The JoinHandle's waker: stored while it waits, woken when the task
  // reaches a terminal phase. set_join_waker returns false, storing
  // nothing, once wake_join_waker has run: then the task is finished and
  // nothing will wake the waker, so the caller acts on the finish itself.
  // Each stored waker is woken at most once, by wake_join_waker alone.
  bool set_join_waker(const Waker& waker) {
    sync::lock_guard lock(join_mutex_);
    if (join_waker_fired_) return false;
    store_waker(join_waker_, waker);
    return true;
  }
  void wake_join_waker() {
    Waker waker;
    {
      sync::lock_guard lock(join_mutex_);
      join_waker_fired_ = true;
      waker = std::move(join_waker_);
    }
    std::move(waker).wake_if_set();
  }

  // Task cells currently allocated in this process, for leak checks.
  static std::int64_t allocated_count() noexcept {
    // Relaxed: a statistic; tests read it after joining every thread.
    return allocated_count_.load(std::memory_order_relaxed);
  }

  // One pointer an executor may use for its own per-task bookkeeping (the
  // simulator keeps its task record here).
  void* executor_data = nullptr;

  // The run queue's link (see task_queue.h), so that queueing a task never
  // allocates. Owned by the task's executor.
  TaskHeader* next_queued = nullptr;

 protected:
  TaskHeader(const TaskVTable* vtable, SourceLocation spawned_at) noexcept
      : vtable_(vtable), spawned_at_(spawned_at) {
    allocated_count_.fetch_add(1, std::memory_order_relaxed);  // a statistic
  }
  ~TaskHeader() {
    if (scheduler_counted_) scheduler_->release_scheduler();
    allocated_count_.fetch_sub(1, std::memory_order_relaxed);  // a statistic
  }

 private:
  const TaskVTable* vtable_;
  std::atomic<std::uint32_t> references_{1};
  AtomicTaskState state_;
  TaskScheduler* scheduler_ = nullptr;
  bool scheduler_counted_ = false;
  TaskId id_ = 0;
  SourceLocation spawned_at_;
  AwaitTrace await_trace_;
  sync::mutex join_mutex_;
  bool join_waker_fired_ = false;  // guarded by join_mutex_
  Waker join_waker_;

  static inline std::atomic<std::int64_t> allocated_count_{0};
};

template <Future F>
class TaskCell final : public TaskHeader {
 public:
  using Output = OutputOf<F>;

  // Task memory comes through the MemoryHooks (see memory_hooks.h).
  static void* operator new(std::size_t size) {
    return allocate_block(size, MemoryKind::kTaskCell);
  }
  static void operator delete(void* block, std::size_t size) noexcept {
    deallocate_block(block, size, MemoryKind::kTaskCell);
  }

  // Returns a cell with one reference, owned by the caller.
  static TaskCell* create(F future, SourceLocation spawned_at) {
    return new TaskCell(std::move(future), spawned_at);
  }

  // Takes the output; only after the state reached kComplete.
  Outcome<Output> take_output() {
    Outcome<Output> outcome = std::move(*output_);
    output_.reset();
    return outcome;
  }
  bool has_output() const noexcept { return output_.has_value(); }

 private:
  TaskCell(F future, SourceLocation spawned_at)
      : TaskHeader(&kVTable, spawned_at), future_(std::move(future)) {}

  static bool poll(TaskHeader* header, Context& cx) {
    auto* self = static_cast<TaskCell*>(header);
    std::optional<Outcome<Output>> outcome =
        poll_into_outcome(*self->future_, cx);
    if (!outcome) return false;
    self->future_.reset();
    self->output_.emplace(std::move(*outcome));
    return true;
  }
  static void drop_future(TaskHeader* header) noexcept {
    // Cancellation runs user destructors; reports there must not unwind.
    NoUnwindScope no_unwind;
    static_cast<TaskCell*>(header)->future_.reset();
  }
  static void destroy(TaskHeader* header) noexcept {
    delete static_cast<TaskCell*>(header);
  }

  static constexpr TaskVTable kVTable{&poll, &drop_future, &destroy};

  std::optional<F> future_;
  std::optional<Outcome<Output>> output_;
};

}  // namespace weft
