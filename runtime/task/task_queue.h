// weft::TaskQueue: a FIFO run queue threaded through the tasks themselves
// (TaskHeader::next_queued), so that queueing never allocates. Not thread
// safe; each queued task carries the reference the queue owns.
#pragma once

#include <cstddef>

#include "runtime/seam/check.h"
#include "runtime/task/task.h"

namespace weft {

class TaskQueue {
 public:
  TaskQueue() = default;
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  void push_back(TaskHeader* task) noexcept {
    WEFT_CHECK(task != nullptr, "queueing no task");
    WEFT_CHECK(task != tail_, "a task is queued once at a time");
    task->next_queued = nullptr;
    if (tail_ == nullptr) {
      head_ = task;
    } else {
      tail_->next_queued = task;
    }
    tail_ = task;
    ++size_;
  }

  // Returns nullptr when empty.
  TaskHeader* pop_front() noexcept {
    TaskHeader* task = head_;
    if (task == nullptr) return nullptr;
    WEFT_CHECK_LT(0u, size_);
    head_ = task->next_queued;
    if (head_ == nullptr) tail_ = nullptr;
    task->next_queued = nullptr;
    --size_;
    return task;
  }

  // Removes and returns the task at `index` (0 is the front); for
  // schedulers that choose a task other than the first.
  TaskHeader* remove_at(std::size_t index) noexcept {
    WEFT_CHECK_LT(index, size_);
    if (index == 0) return pop_front();
    TaskHeader* before = head_;
    for (std::size_t i = 1; i < index; ++i) before = before->next_queued;
    TaskHeader* task = before->next_queued;
    before->next_queued = task->next_queued;
    if (tail_ == task) tail_ = before;
    task->next_queued = nullptr;
    --size_;
    return task;
  }

  bool empty() const noexcept { return head_ == nullptr; }
  std::size_t size() const noexcept { return size_; }

 private:
  TaskHeader* head_ = nullptr;
  TaskHeader* tail_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace weft
