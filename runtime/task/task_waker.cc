#include "runtime/task/task_waker.h"

namespace weft {
namespace {

TaskHeader* as_task(const void* data) {
  return static_cast<TaskHeader*>(const_cast<void*>(data));
}

RawWaker clone_task_waker(const void* data) {
  as_task(data)->retain();
  return RawWaker{data, &kTaskWakerVTable};
}

void wake_task_waker(const void* data) {
  TaskHeader* task = as_task(data);
  wake_task(task);
  task->release();
}

void wake_task_waker_by_ref(const void* data) { wake_task(as_task(data)); }

void drop_task_waker(const void* data) { as_task(data)->release(); }

void hand_to_scheduler(TaskHeader* task) {
  // The reference travels with the task into the run queue.
  task->retain();
  task->scheduler()->schedule(task);
}

}  // namespace

const WakerVTable kTaskWakerVTable{&clone_task_waker, &wake_task_waker,
                                   &wake_task_waker_by_ref, &drop_task_waker};

Waker make_task_waker(TaskHeader* task) {
  task->retain();
  return Waker::from_raw(RawWaker{task, &kTaskWakerVTable});
}

void wake_task(TaskHeader* task) {
  if (task->state().wake() == WakeAction::kEnqueue) hand_to_scheduler(task);
}

void abort_task(TaskHeader* task) {
  if (task->state().abort() == WakeAction::kEnqueue) hand_to_scheduler(task);
}

}  // namespace weft
