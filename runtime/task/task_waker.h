// weft::task_waker: the Waker an executor hands to the task it polls. Its
// data is the TaskHeader; cloning retains the task, dropping releases it,
// and waking runs the wake transition and, when that says so, gives the
// task to its scheduler. Waking a finished or cancelled task does nothing,
// so wakers may outlive their task's future (and even its executor) safely.
#pragma once

#include "runtime/future/waker.h"
#include "runtime/task/task.h"

namespace weft {

// The vtable of task wakers; executors that need to observe waker traffic
// (the simulator) supply their own instead.
extern const WakerVTable kTaskWakerVTable;

// A new Waker owning a fresh reference to `task`.
Waker make_task_waker(TaskHeader* task);

// Wakes `task` without consuming a reference: the shared body of wake and
// wake_by_ref, also used by abort().
void wake_task(TaskHeader* task);

// Requests cancellation and queues the task if it was idle.
void abort_task(TaskHeader* task);

}  // namespace weft
