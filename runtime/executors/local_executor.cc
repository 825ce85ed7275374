#include "runtime/executors/local_executor.h"

#include <cstdio>

#include "runtime/task/task_poll.h"
#include "runtime/task/task_waker.h"

namespace weft {
namespace {

// The LocalExecutor running on this thread (in block_on or
// run_until_stalled), whose wakes here go straight to its queue.
thread_local constinit const LocalExecutor* driving_here = nullptr;

}  // namespace

LocalExecutor::Driving::Driving(const LocalExecutor* executor) noexcept
    : previous_(driving_here) {
  driving_here = executor;
}

LocalExecutor::Driving::~Driving() { driving_here = previous_; }

LocalExecutor::LocalExecutor(Clock& clock)
    : Executor(std::make_shared<TimerService>(clock)) {}

LocalExecutor::LocalExecutor(IoDriver& driver, Clock& clock)
    : Executor(std::make_shared<TimerService>(clock)), driver_(&driver) {}

LocalExecutor::~LocalExecutor() {
  begin_shutdown();
  // Drop every unfinished future first (their destructors may wake or abort
  // other tasks, which only queues them), then empty the queue.
  cancel_owned_tasks(owned_, [this](TaskHeader* task) { finish_task(task); });
  take_remote();
  while (TaskHeader* task = queue_.pop_front()) task->release();
}

void LocalExecutor::schedule(TaskHeader* task) {
  // The fast path: woken on the executor's own thread while it runs.
  if (driving_here == this) [[likely]] {
    queue_.push_back(task);
    return;
  }
  schedule_remote(task);
}

void LocalExecutor::schedule_remote(TaskHeader* task) {
  bool parked = false;
  {
    sync::lock_guard lock(remote_.mutex);
    remote_.tasks.push_back(task);
    remote_.woken = true;
    parked = remote_.parked;
    remote_pending_.store(true, std::memory_order_release);
  }
  if (!parked) return;
  if (driver_ != nullptr) driver_->unpark();
  remote_.roused.notify_one();
}

void LocalExecutor::rouse() noexcept {
  bool parked = false;
  {
    sync::lock_guard lock(remote_.mutex);
    remote_.woken = true;
    parked = remote_.parked;
  }
  if (!parked) return;
  if (driver_ != nullptr) driver_->unpark();
  remote_.roused.notify_one();
}

void LocalExecutor::take_remote() {
  if (!remote_pending_.load(std::memory_order_acquire)) return;
  std::vector<TaskHeader*> woken;
  {
    sync::lock_guard lock(remote_.mutex);
    woken.swap(remote_.tasks);
    remote_pending_.store(false, std::memory_order_relaxed);
  }
  for (TaskHeader* task : woken) queue_.push_back(task);
}

bool LocalExecutor::wait_for_remote(std::optional<Instant> deadline,
                                    Duration at_most) {
  sync::unique_lock lock(remote_.mutex);
  if (remote_.woken) {
    remote_.woken = false;
    return true;
  }
  remote_.parked = true;
  const bool forever = at_most >= std::chrono::hours(24 * 365);
  if (driver_ != nullptr) {
    // The driver's park returns on I/O, at the deadline, or when a wake
    // from elsewhere unparks it.
    std::optional<Instant> until = deadline;
    if (!until && !forever) until = timers()->clock().now() + at_most;
    lock.unlock();
    driver_->park(until, timers()->clock());
    lock.lock();
  } else if (deadline && &timers()->clock() != &system_clock()) {
    // A clock of the test's (ManualClock): time moves without waiting.
    lock.unlock();
    timers()->clock().sleep_until(*deadline);
    lock.lock();
  } else {
    const auto limit = deadline ? std::chrono::steady_clock::now() +
                                      (*deadline - timers()->clock().now())
                                : std::chrono::steady_clock::now() +
                                      (forever ? Duration::zero() : at_most);
    if (!deadline && forever) {
      remote_.roused.wait(lock, [this] { return remote_.woken; });
    } else {
      (void)remote_.roused.wait_until(lock, limit,
                                      [this] { return remote_.woken; });
    }
  }
  remote_.parked = false;
  const bool woken = remote_.woken;
  remote_.woken = false;
  return woken;
}

void LocalExecutor::submit(TaskHeader* task) {
  task->bind(this, next_task_id_++);
  owned_.push_back(*task);  // adopts the creator's reference
  task->retain();           // and one for the run queue
  queue_.push_back(task);
}

bool LocalExecutor::run_next() {
  take_remote();
  // A busy executor still serves I/O: tasks woken by it join the queue.
  constexpr std::uint32_t kPollsBetweenIoChecks = 61;
  if (driver_ != nullptr && ++polls_since_io_ >= kPollsBetweenIoChecks) {
    polls_since_io_ = 0;
    driver_->park(timers()->now(), timers()->clock());
  }
  TaskHeader* task = queue_.pop_front();
  if (task == nullptr) return false;
  poll_task(task);
  return true;
}

bool LocalExecutor::wait_for_timers() {
  const std::optional<Instant> deadline = timers()->next_deadline();
  if (driver_ != nullptr && driver_->has_waiters()) {
    polls_since_io_ = 0;
    (void)wait_for_remote(deadline, Duration::max());
    timers()->fire_due(timers()->now());
    return true;
  }
  if (deadline) {
    (void)wait_for_remote(deadline, Duration::max());
    timers()->fire_due(timers()->now());
    return true;
  }
  // Nothing here can wake anything: only another thread can.
  return wait_for_remote(std::nullopt, stall_timeout_);
}

std::size_t LocalExecutor::run_until_stalled() {
  Driving driving(this);
  timers()->fire_due(timers()->now());
  std::size_t polls = 0;
  while (run_next()) ++polls;
  return polls;
}

void LocalExecutor::poll_task(TaskHeader* task) {
  switch (poll_scheduled_task(task, this, RawWaker{task, &kTaskWakerVTable})) {
    case TaskPollResult::kRetire:
      finish_task(task);
      break;
    case TaskPollResult::kRequeue:
      task->retain();
      queue_.push_back(task);
      break;
    case TaskPollResult::kIdle:
    case TaskPollResult::kStale:
      break;
  }
  task->release();  // the run queue's reference
}

void LocalExecutor::finish_task(TaskHeader* task) {
  owned_.remove(*task);
  task->wake_join_waker();
  task->release();  // the executor's reference
}

std::string LocalExecutor::describe_tasks() const {
  std::string out;
  char line[512];
  for (TaskHeader* task = owned_.front(); task != nullptr;
       task = OwnedTasks::next(*task)) {
    const SourceLocation spawned = task->spawned_at();
    std::snprintf(line, sizeof line, "  task %llu (%s), spawned at %s:%u\n",
                  static_cast<unsigned long long>(task->id()),
                  to_string(task->state().load().phase()), spawned.file,
                  spawned.line);
    out += line;
    const AwaitTrace& trace = task->await_trace();
    for (std::uint32_t i = 0; i < trace.kept(); ++i) {
      std::snprintf(line, sizeof line, "    waiting at %s:%u in %s\n",
                    trace.frame(i).file, trace.frame(i).line,
                    trace.frame(i).function);
      out += line;
    }
  }
  return out;
}

void LocalExecutor::throw_stalled(SourceLocation at,
                                  const AwaitTrace& root_trace) const {
  std::string report =
      "weft: block_on stalled: its future is pending, no task is queued, no "
      "timer is armed, and nothing can wake it (deadlock or lost wakeup)";
  char line[512];
  std::snprintf(line, sizeof line, "\n  block_on called at %s:%u\n", at.file,
                at.line);
  report += line;
  for (std::uint32_t i = 0; i < root_trace.kept(); ++i) {
    std::snprintf(line, sizeof line, "    waiting at %s:%u in %s\n",
                  root_trace.frame(i).file, root_trace.frame(i).line,
                  root_trace.frame(i).function);
    report += line;
  }
  report += describe_tasks();
  throw Stalled(report);
}

}  // namespace weft
