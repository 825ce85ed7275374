#include "runtime/task/task_poll.h"

namespace weft {
namespace {

// The future goes first: a JoinHandle on another thread that sees the task
// cancelled may let its owner destroy what the future points at, so the
// future must be gone by then. (The other order was a use-after-free the
// simulated thread pool found: tests/sim/thread_pool_sim_test.cc.)
void drop_then_cancel(TaskHeader* task) {
  task->drop_future();
  task->state().cancel();
}

}  // namespace

TaskPollResult poll_scheduled_task(TaskHeader* task, Executor* executor,
                                   RawWaker borrowed_waker) {
  if (task->state().load().is_terminal()) return TaskPollResult::kStale;
  switch (task->state().start_poll()) {
    case StartAction::kPoll:
      break;
    case StartAction::kCancel:
      drop_then_cancel(task);
      return TaskPollResult::kRetire;
    case StartAction::kSkip:
      return TaskPollResult::kStale;
  }
  // Borrow the queue's reference for the Context's waker; wakers the future
  // clones from it take references of their own.
  const BorrowedWaker waker(borrowed_waker);
  task->await_trace().clear();
  Context cx(waker.get(), &task->await_trace());
  bool ready = false;
  {
    Executor::CurrentScope scope(executor);
    ready = task->poll_future(cx);
  }
  switch (task->state().finish_poll(ready)) {
    case FinishAction::kDone:
      return TaskPollResult::kRetire;
    case FinishAction::kIdle:
      return TaskPollResult::kIdle;
    case FinishAction::kEnqueue:
      return TaskPollResult::kRequeue;
    case FinishAction::kCancel:
      drop_then_cancel(task);
      return TaskPollResult::kRetire;
  }
  return TaskPollResult::kIdle;
}

bool cancel_idle_task(TaskHeader* task) {
  if (task->state().load().is_terminal()) return false;
  drop_then_cancel(task);
  return true;
}

}  // namespace weft
