#include "runtime/executors/local_executor.h"

#include <cstdio>

#include "runtime/task/task_poll.h"
#include "runtime/task/task_waker.h"

namespace weft {

LocalExecutor::LocalExecutor(Clock& clock)
    : Executor(std::make_shared<TimerService>(clock)) {}

LocalExecutor::LocalExecutor(IoDriver& driver, Clock& clock)
    : Executor(std::make_shared<TimerService>(clock)), driver_(&driver) {}

LocalExecutor::~LocalExecutor() {
  begin_shutdown();
  // Drop every unfinished future first (their destructors may wake or abort
  // other tasks, which only queues them), then empty the queue.
  cancel_owned_tasks(owned_, [this](TaskHeader* task) { finish_task(task); });
  while (TaskHeader* task = queue_.pop_front()) task->release();
}

void LocalExecutor::schedule(TaskHeader* task) { queue_.push_back(task); }

void LocalExecutor::submit(TaskHeader* task) {
  task->bind(this, next_task_id_++);
  owned_.push_back(*task);  // adopts the creator's reference
  task->retain();           // and one for the run queue
  queue_.push_back(task);
}

bool LocalExecutor::run_one() {
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
    driver_->park(deadline, timers()->clock());
    timers()->fire_due(timers()->now());
    return true;
  }
  if (!deadline) return false;
  timers()->clock().sleep_until(*deadline);
  timers()->fire_due(timers()->now());
  return true;
}

std::size_t LocalExecutor::run_until_stalled() {
  timers()->fire_due(timers()->now());
  std::size_t polls = 0;
  while (run_one()) ++polls;
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
