// weft::poll_scheduled_task: the one poll step every executor takes with a
// task it popped from its run queue: check for an abort, poll with a waker
// of the executor's kind, and apply the after-poll transition. Executors
// differ only in what they do with the result (queue it again, or retire
// a finished task), so this stays in one place.
#pragma once

#include "runtime/future/waker.h"
#include "runtime/task/executor.h"
#include "runtime/task/owned_tasks.h"
#include "runtime/task/task.h"

namespace weft {

enum class [[nodiscard]] TaskPollResult{
    kRetire,   // complete or cancelled now: remove from the owned list, wake
               // the JoinHandle, drop the executor's reference
    kIdle,     // pending; a later wake will queue it
    kRequeue,  // woken during the poll: queue it again (needs a reference)
    kStale,    // already finished before this poll (shut down while queued)
};

// `task` comes with the run queue's reference, which stays the caller's to
// release afterwards. `borrowed_waker` is the Context's waker, of the
// executor's kind; it is not dropped (the queue's reference backs it for the
// duration of the poll).
TaskPollResult poll_scheduled_task(TaskHeader* task, Executor* executor,
                                   RawWaker borrowed_waker);

// Retires a task that is not running: marks it cancelled and drops its
// future now (executor shutdown). Returns false if it had already finished.
bool cancel_idle_task(TaskHeader* task);

// An executor's shutdown: cancels every task of `owned`, newest first (a
// task spawned by another often borrows from its parent's frame), handing
// each to `retire`, which must remove it from the list.
template <typename Retire>
void cancel_owned_tasks(OwnedTasks& owned, Retire retire) {
  while (TaskHeader* task = owned.back()) {
    (void)cancel_idle_task(task);
    retire(task);
  }
}

}  // namespace weft
