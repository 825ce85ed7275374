#include "runtime/thread_pool_executor.h"

#include <chrono>

#include "runtime/clock.h"
#include "runtime/hooks.h"
#include "runtime/misuse.h"
#include "runtime/task_poll.h"
#include "runtime/task_waker.h"

namespace weft {
namespace {

std::chrono::steady_clock::time_point to_steady(Instant instant) {
  // SystemClock's instants count from steady_clock's epoch.
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          Duration(instant.nanoseconds())));
}

}  // namespace

// Tells sleeping workers when a new timer is due sooner than the one they
// sleep towards.
class ThreadPoolExecutor::Timers final : public TimerService {
 public:
  explicit Timers(ThreadPoolExecutor& pool)
      : TimerService(system_clock()), pool_(pool) {}

 private:
  void on_earlier_deadline() override { pool_.timers_changed(); }
  ThreadPoolExecutor& pool_;
};

ThreadPoolExecutor::ThreadPoolExecutor(std::size_t worker_count)
    : Executor(std::make_shared<Timers>(*this)) {
  if (worker_count == 0) {
    report_misuse("ThreadPoolExecutor needs at least one worker");
  }
  workers_.reserve(worker_count);
  for (std::size_t i = 0; i < worker_count; ++i) {
    workers_.emplace_back([this] { run_worker(); });
  }
}

ThreadPoolExecutor::~ThreadPoolExecutor() { shutdown(); }

void ThreadPoolExecutor::shutdown() {
  begin_shutdown();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_available_.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  // No worker runs now: drop every unfinished future on this thread.
  std::unique_lock<std::mutex> lock(mutex_);
  while (TaskHeader* task = owned_.back()) {
    owned_.remove(*task);
    lock.unlock();
    (void)cancel_idle_task(task);
    task->wake_join_waker();
    task->release();  // the executor's reference
    lock.lock();
  }
  while (TaskHeader* task = queue_.pop_front()) {
    lock.unlock();
    task->release();
    lock.lock();
  }
}

std::size_t ThreadPoolExecutor::task_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return owned_.size();
}

bool ThreadPoolExecutor::on_worker_thread() const {
  return this_thread_runtime().worker_of == this;
}

void ThreadPoolExecutor::schedule(TaskHeader* task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(task);
  }
  work_available_.notify_one();
}

void ThreadPoolExecutor::submit(TaskHeader* task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task->bind(this, next_task_id_++);
    owned_.push_back(*task);  // adopts the creator's reference
    task->retain();           // and one for the run queue
    queue_.push_back(task);
  }
  work_available_.notify_one();
}

void ThreadPoolExecutor::timers_changed() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    timers_changed_ = true;
  }
  work_available_.notify_all();
}

void ThreadPoolExecutor::run_worker() {
  this_thread_runtime().worker_of = this;
  while (true) {
    // Timers are handled without the pool's lock held: firing one wakes a
    // task, which takes the pool's lock (the order is timers, then pool).
    timers()->fire_due(timers()->now());
    const std::optional<Instant> deadline = timers()->next_deadline();
    TaskHeader* task = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      auto has_news = [this] {
        return stopping_ || !queue_.empty() || timers_changed_;
      };
      if (!has_news()) {
        if (deadline) {
          work_available_.wait_until(lock, to_steady(*deadline), has_news);
        } else {
          work_available_.wait(lock, has_news);
        }
      }
      if (stopping_) return;
      timers_changed_ = false;
      task = queue_.pop_front();
    }
    if (task != nullptr) poll_task(task);
  }
}

void ThreadPoolExecutor::poll_task(TaskHeader* task) {
  switch (poll_scheduled_task(task, this, RawWaker{task, &kTaskWakerVTable})) {
    case TaskPollResult::kRetire:
      retire(task);
      break;
    case TaskPollResult::kRequeue:
      task->retain();
      schedule(task);
      break;
    case TaskPollResult::kIdle:
    case TaskPollResult::kStale:
      break;
  }
  task->release();  // the run queue's reference
}

void ThreadPoolExecutor::retire(TaskHeader* task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    owned_.remove(*task);
  }
  task->wake_join_waker();
  task->release();  // the executor's reference
}

}  // namespace weft
