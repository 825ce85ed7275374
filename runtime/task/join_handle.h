// weft::JoinHandle<T>: the spawner's handle to a task, and itself a future
// whose output is the task's output. Awaiting it rethrows the task's
// exception, or throws TaskCancelled if the task was cancelled.
//
// abort() asks the executor to drop the task's future at the next safe point
// (before its next poll or right after the current one). Dropping the handle
// detaches the task: it keeps running and its output is discarded.
#pragma once

#include <utility>

#include "runtime/future/cancelled.h"
#include "runtime/future/future.h"
#include "runtime/seam/misuse.h"
#include "runtime/task/abort_handle.h"
#include "runtime/task/task.h"
#include "runtime/task/task_waker.h"

namespace weft {

template <typename T>
class JoinOutcomeFuture;

template <typename T>
class JoinHandle {
 public:
  using Output = T;

  JoinHandle() noexcept = default;
  // Adopts one reference to `task`.
  template <Future F>
  static JoinHandle adopt(TaskCell<F>* task) noexcept {
    static_assert(std::is_same_v<OutputOf<F>, T>);
    JoinHandle handle;
    handle.task_ = task;
    handle.take_output_ = [](TaskHeader* header) {
      return static_cast<TaskCell<F>*>(header)->take_output();
    };
    return handle;
  }

  JoinHandle(JoinHandle&& other) noexcept
      : task_(std::exchange(other.task_, nullptr)),
        take_output_(other.take_output_),
        finished_(std::exchange(other.finished_, false)) {}
  JoinHandle& operator=(JoinHandle&& other) noexcept {
    if (this != &other) {
      detach();
      task_ = std::exchange(other.task_, nullptr);
      take_output_ = other.take_output_;
      finished_ = std::exchange(other.finished_, false);
    }
    return *this;
  }
  ~JoinHandle() { detach(); }

  Poll<T> poll(Context& cx) {
    if (task_ == nullptr) {
      report_misuse(finished_ ? "poll of a JoinHandle after it returned Ready"
                              : "poll of an empty or moved-from JoinHandle");
    }
    if (!task_->state().load().is_terminal()) {
      // Not stored means the task finished in between; stored, look again
      // all the same, so no finish can be missed.
      if (task_->set_join_waker(cx.waker()) &&
          !task_->state().load().is_terminal()) {
        return kPending;
      }
    }
    const bool cancelled =
        task_->state().load().phase() == TaskPhase::kCancelled;
    const TaskId id = task_->id();
    TaskHeader* task = std::exchange(task_, nullptr);
    finished_ = true;
    if (cancelled) {
      task->release();
      throw TaskCancelled(id);
    }
    Outcome<T> outcome = take_output_(task);
    task->release();
    if constexpr (std::is_void_v<T>) {
      std::move(outcome).take();
      return ready();
    } else {
      return std::move(outcome).take();
    }
  }

  // Asks to be woken (with `waker`) when the task finishes, without
  // polling; for collections of handles such as JoinSet. Returns false if
  // the task has already finished (then no wake will come: the caller
  // acts on the finish itself); a stored waker is woken exactly once.
  [[nodiscard]] bool set_waker(const Waker& waker) {
    return task_ != nullptr && task_->set_join_waker(waker);
  }

  // A future of how the task ended, as a value (join_outcome.h): its
  // output, cancelled, or the exception it threw; never throws them.
  JoinOutcomeFuture<T> outcome() &&;

  void abort() {
    if (task_ != nullptr) abort_task(task_);
  }
  bool is_finished() const noexcept {
    return task_ == nullptr || task_->state().load().is_terminal();
  }
  TaskId id() const noexcept { return task_ != nullptr ? task_->id() : 0; }
  // A second reference that can only abort the task (abort_handle.h).
  AbortHandle abort_handle() const noexcept { return AbortHandle(task_); }

  // Lets the task run on unobserved; its output is discarded.
  void detach() noexcept {
    if (task_ != nullptr) std::exchange(task_, nullptr)->release();
  }

 private:
  TaskHeader* task_ = nullptr;
  Outcome<T> (*take_output_)(TaskHeader*) = nullptr;
  bool finished_ = false;
};

}  // namespace weft

// Defines outcome(); included here so that every user of JoinHandle has it.
#include "runtime/task/join_outcome.h"
