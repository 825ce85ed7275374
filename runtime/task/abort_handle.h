// weft::AbortHandle: a reference to a task that can abort it and ask
// whether it finished, without owning its output (JoinHandle does that).
// For collections that must be able to drop tasks they did not join: a
// simulated host that crashes aborts every task it started.
#pragma once

#include <utility>

#include "runtime/task/task.h"
#include "runtime/task/task_waker.h"

namespace weft {

class AbortHandle {
 public:
  AbortHandle() noexcept = default;
  // Takes a new reference to `task`.
  explicit AbortHandle(TaskHeader* task) noexcept : task_(task) {
    if (task_ != nullptr) task_->retain();
  }
  AbortHandle(AbortHandle&& other) noexcept
      : task_(std::exchange(other.task_, nullptr)) {}
  AbortHandle& operator=(AbortHandle&& other) noexcept {
    if (this != &other) {
      reset();
      task_ = std::exchange(other.task_, nullptr);
    }
    return *this;
  }
  AbortHandle(const AbortHandle&) = delete;
  AbortHandle& operator=(const AbortHandle&) = delete;
  ~AbortHandle() { reset(); }

  // Asks the executor to drop the task's future (no effect once finished).
  void abort() {
    if (task_ != nullptr && !is_finished()) abort_task(task_);
  }
  bool is_finished() const noexcept {
    return task_ == nullptr || task_->state().load().is_terminal();
  }
  TaskId id() const noexcept { return task_ != nullptr ? task_->id() : 0; }
  void reset() noexcept {
    if (task_ != nullptr) std::exchange(task_, nullptr)->release();
  }

 private:
  TaskHeader* task_ = nullptr;
};

}  // namespace weft
