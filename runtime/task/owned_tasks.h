// weft::OwnedTasks: the unfinished tasks of one executor, in spawn order,
// threaded through the tasks themselves (TaskHeader is a list node). The
// executor holds one reference per listed task; shutdown walks this list to
// cancel everything (newest first: a task spawned by another often borrows
// from its parent's frame, so it must go before the parent), and reports
// about stuck tasks walk it in a stable order. Not thread safe.
#pragma once

#include "runtime/future/intrusive_list.h"
#include "runtime/task/task.h"

namespace weft {

using OwnedTasks = IntrusiveList<TaskHeader>;

}  // namespace weft
