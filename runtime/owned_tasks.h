// weft::OwnedTasks: the unfinished tasks of one executor, in spawn order,
// threaded through the tasks (TaskHeader::previous_owned / next_owned). The
// executor holds one reference per listed task; shutdown walks this list to
// cancel everything (newest first: a task spawned by another often borrows
// from its parent's frame, so it must go before the parent), and reports
// about stuck tasks walk it in a stable order. Not thread safe.
#pragma once

#include <cstddef>

#include "runtime/task.h"

namespace weft {

class OwnedTasks {
 public:
  OwnedTasks() = default;
  OwnedTasks(const OwnedTasks&) = delete;
  OwnedTasks& operator=(const OwnedTasks&) = delete;

  void push_back(TaskHeader* task) noexcept {
    task->previous_owned = tail_;
    task->next_owned = nullptr;
    if (tail_ == nullptr) {
      head_ = task;
    } else {
      tail_->next_owned = task;
    }
    tail_ = task;
    ++size_;
  }

  void remove(TaskHeader* task) noexcept {
    if (task->previous_owned != nullptr) {
      task->previous_owned->next_owned = task->next_owned;
    } else {
      head_ = task->next_owned;
    }
    if (task->next_owned != nullptr) {
      task->next_owned->previous_owned = task->previous_owned;
    } else {
      tail_ = task->previous_owned;
    }
    task->previous_owned = nullptr;
    task->next_owned = nullptr;
    --size_;
  }

  TaskHeader* front() const noexcept { return head_; }
  TaskHeader* back() const noexcept { return tail_; }
  static TaskHeader* next(const TaskHeader* task) noexcept {
    return task->next_owned;
  }
  bool empty() const noexcept { return head_ == nullptr; }
  std::size_t size() const noexcept { return size_; }

 private:
  TaskHeader* head_ = nullptr;
  TaskHeader* tail_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace weft
