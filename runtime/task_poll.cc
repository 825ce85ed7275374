#include "runtime/task_poll.h"

namespace weft {

TaskPollResult poll_scheduled_task(TaskHeader* task, Executor* executor,
                                   RawWaker borrowed_waker) {
  if (task->state().load().is_terminal()) return TaskPollResult::kStale;
  switch (task->state().start_poll()) {
    case StartAction::kPoll:
      break;
    case StartAction::kCancel:
      task->state().cancel();
      task->drop_future();
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
      task->state().cancel();
      task->drop_future();
      return TaskPollResult::kRetire;
  }
  return TaskPollResult::kIdle;
}

bool cancel_idle_task(TaskHeader* task) {
  if (task->state().load().is_terminal()) return false;
  task->state().cancel();
  task->drop_future();
  return true;
}

}  // namespace weft
