#include "runtime/executors/thread_pool_executor.h"

#include <chrono>

#include "runtime/seam/hooks.h"
#include "runtime/seam/misuse.h"
#include "runtime/sync/atomic.h"
#include "runtime/sync/mutex.h"
#include "runtime/sync/spin_pause.h"
#include "runtime/sync/thread.h"
#include "runtime/task/clock.h"
#include "runtime/task/task_poll.h"
#include "runtime/task/task_waker.h"

namespace weft {
namespace {

std::chrono::steady_clock::time_point to_steady(Instant instant) {
  // SystemClock's instants count from steady_clock's epoch.
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          Duration(instant.nanoseconds())));
}

}  // namespace

// The part of the pool that tasks point at: its run queue, the list of
// unfinished tasks, and the lock and condition variable around them. It is
// reference counted (the executor holds one reference, every task bound
// to it one more), so it outlives the executor while any task's memory
// does; after shutdown it refuses new work.
//
// Its locks, atomics and workers are weft::sync's: plain std:: in
// production, simulated threads when a pool is made inside a simulation,
// so the simulator explores the pool's own interleavings.
class ThreadPoolExecutor::Core final : public TaskScheduler {
 public:
  void schedule(TaskHeader* task) override {
    {
      sync::lock_guard lock(mutex_);
      if (!closed_) {
        push(task);
        return;
      }
    }
    // A wake after shutdown: the task is finished or about to be; the
    // reference that came with it is the only thing left to drop.
    task->release();
  }
  void retain_scheduler() noexcept override {
    // Relaxed: a new reference is made from one the caller already holds.
    references_.fetch_add(1, std::memory_order_relaxed);
  }
  void release_scheduler() noexcept override {
    // Acquire-release: the last release must see every use of the core
    // before it deletes it.
    if (references_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // Queues a task (the lock held) and wakes a sleeping worker, if any: a
  // worker that is awake finds it by itself.
  void push(TaskHeader* task) {
    queue_.push_back(task);
    // Relaxed: a hint for spinning workers; they take the task under the
    // lock, which orders everything else.
    queued_.store(queue_.size(), std::memory_order_relaxed);
    if (sleeping_workers_ > 0) work_available_.notify_one();
  }
  TaskHeader* pop() {
    TaskHeader* task = queue_.pop_front();
    queued_.store(queue_.size(), std::memory_order_relaxed);
    return task;
  }
  // Whether a spinning worker should take the lock and look.
  bool may_have_news() const noexcept {
    return queued_.load(std::memory_order_relaxed) != 0 ||
           news_.load(std::memory_order_relaxed);
  }
  void announce_news() noexcept {
    news_.store(true, std::memory_order_relaxed);
  }

  sync::mutex mutex_;
  sync::condition_variable work_available_;
  TaskQueue queue_;
  std::size_t sleeping_workers_ = 0;
  sync::atomic<std::size_t> queued_{0};
  // stopping_ or timers_changed_ was set (a hint, as queued_).
  sync::atomic<bool> news_{false};
  // A worker is spinning before it sleeps (relaxed: it only limits
  // spinning, it orders nothing).
  sync::atomic<bool> spinning_{false};
  OwnedTasks owned_;
  TaskId next_task_id_ = 1;
  bool stopping_ = false;  // workers leave
  bool closed_ = false;    // schedule() releases instead of queueing
  bool timers_changed_ = false;

 private:
  ~Core() = default;
  sync::atomic<std::uint64_t> references_{1};
};

// Tells sleeping workers when a new timer is due sooner than the one they
// sleep towards. Holds a reference to the core: a Sleep may keep the
// timers alive after the pool is gone.
class ThreadPoolExecutor::Timers final : public TimerService {
 public:
  explicit Timers(Core* core) : TimerService(system_clock()), core_(core) {
    core_->retain_scheduler();
  }
  ~Timers() override { core_->release_scheduler(); }

 private:
  void on_earlier_deadline() override {
    {
      sync::lock_guard lock(core_->mutex_);
      core_->timers_changed_ = true;
      core_->announce_news();
    }
    core_->work_available_.notify_all();
  }
  Core* core_;
};

ThreadPoolExecutor::ThreadPoolExecutor(std::size_t worker_count,
                                       SourceLocation at)
    : ThreadPoolExecutor(worker_count, new Core(), at) {}

ThreadPoolExecutor::ThreadPoolExecutor(std::size_t worker_count, Core* core,
                                       SourceLocation at)
    : Executor(std::make_shared<Timers>(core)), core_(core) {
  if (worker_count == 0) {
    report_misuse("ThreadPoolExecutor needs at least one worker");
  }
  workers_.reserve(worker_count);
  for (std::size_t i = 0; i < worker_count; ++i) {
    workers_.emplace_back([this] { run_worker(); }, at);
  }
}

ThreadPoolExecutor::~ThreadPoolExecutor() {
  shutdown();
  core_->release_scheduler();
}

void ThreadPoolExecutor::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  begin_shutdown();
  {
    sync::lock_guard lock(core_->mutex_);
    core_->stopping_ = true;
    core_->announce_news();
  }
  core_->work_available_.notify_all();
  for (sync::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  // No worker runs now: drop every unfinished future on this thread. A
  // foreign wake may still queue a task until the queue is closed below.
  sync::unique_lock lock(core_->mutex_);
  while (TaskHeader* task = core_->owned_.back()) {
    core_->owned_.remove(*task);
    lock.unlock();
    (void)cancel_idle_task(task);
    task->wake_join_waker();
    task->release();  // the executor's reference
    lock.lock();
  }
  core_->closed_ = true;
  TaskQueue left;
  while (TaskHeader* task = core_->pop()) left.push_back(task);
  lock.unlock();
  while (TaskHeader* task = left.pop_front()) task->release();
}

std::size_t ThreadPoolExecutor::task_count() const {
  sync::lock_guard lock(core_->mutex_);
  return core_->owned_.size();
}

bool ThreadPoolExecutor::on_worker_thread() const {
  return this_thread_runtime().worker_of == this;
}

void ThreadPoolExecutor::schedule(TaskHeader* task) { core_->schedule(task); }

void ThreadPoolExecutor::submit(TaskHeader* task) {
  {
    sync::lock_guard lock(core_->mutex_);
    task->bind(core_, core_->next_task_id_++, /*counted=*/true);
    core_->owned_.push_back(*task);  // adopts the creator's reference
    task->retain();                  // and one for the run queue
    core_->push(task);
  }
}

void ThreadPoolExecutor::run_worker() {
  this_thread_runtime().worker_of = this;
  Core& core = *core_;
  while (true) {
    // Timers are handled without the pool's lock held: firing one wakes a
    // task, which takes the pool's lock (the order is timers, then pool).
    // (The clock is read only when a timer is armed: a simulated pool
    // without timers never touches the real clock.)
    std::optional<Instant> deadline = timers()->next_deadline();
    if (deadline) {
      timers()->fire_due(timers()->now());
      deadline = timers()->next_deadline();
    }
    TaskHeader* task = nullptr;
    {
      sync::unique_lock lock(core.mutex_);
      auto has_news = [&core] {
        return core.stopping_ || !core.queue_.empty() || core.timers_changed_;
      };
      if (!has_news()) {
        // Work often arrives within microseconds (a task woken by another
        // worker, the next spawn): look for it a moment, without the
        // lock, before sleeping, which would cost a wake-up.
        // One worker spins at a time (tokio limits its searching workers
        // the same way): more would take the cores from the threads that
        // make the work.
        lock.unlock();
        bool expected = false;
        if (core.spinning_.compare_exchange_strong(expected, true,
                                                   std::memory_order_relaxed)) {
          const int spins = sync::spin_limit(kSpinsBeforeSleep);
          for (int i = 0; i < spins && !core.may_have_news(); ++i) {
            sync::spin_loop_hint();
          }
          core.spinning_.store(false, std::memory_order_relaxed);
        }
        lock.lock();
      }
      if (!has_news()) {
        ++core.sleeping_workers_;
        if (deadline) {
          core.work_available_.wait_until(lock, to_steady(*deadline), has_news);
        } else {
          core.work_available_.wait(lock, has_news);
        }
        --core.sleeping_workers_;
      }
      if (core.stopping_) return;
      core.timers_changed_ = false;
      core.news_.store(core.stopping_, std::memory_order_relaxed);
      task = core.pop();
    }
    if (task != nullptr) poll_task(task);
  }
}

void ThreadPoolExecutor::poll_task(TaskHeader* task) {
  switch (poll_scheduled_task(task, this, RawWaker{task, &kTaskWakerVTable})) {
    case TaskPollResult::kRetire: {
      sync::lock_guard lock(core_->mutex_);
      core_->owned_.remove(*task);
    }
      task->wake_join_waker();
      task->release();  // the executor's reference
      break;
    case TaskPollResult::kRequeue:
      task->retain();
      core_->schedule(task);
      break;
    case TaskPollResult::kIdle:
    case TaskPollResult::kStale:
      break;
  }
  task->release();  // the run queue's reference
}

}  // namespace weft
