// weft::JoinSet<T>: a set of spawned tasks whose outputs are collected in
// the order they finish.
//
//   weft::JoinSet<int> set;
//   set.spawn(work(1)); set.spawn(work(2));
//   while (auto next = co_await set.join_next()) use(*next);
//
// join_next() is Ready(value) of a finished task (the oldest of those that
// have finished when it looks), Ready(nullopt) when the set is empty, and
// rethrows a task's exception (TaskCancelled for an aborted task) after
// removing it from the set. Dropping the set aborts every task still in it.
// Spawns onto the current executor unless given a Spawner.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "runtime/executor.h"
#include "runtime/future.h"
#include "runtime/join.h"
#include "runtime/join_handle.h"
#include "runtime/misuse.h"

namespace weft {

template <typename T>
class JoinSet {
 public:
  using ValueType = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

  JoinSet() = default;
  JoinSet(const JoinSet&) = delete;
  JoinSet& operator=(const JoinSet&) = delete;
  ~JoinSet() {
    abort_all();
    handles_.clear();  // detach: the executor drops the aborted futures
  }

  template <Future F>
  void spawn(F future, SourceLocation at = SourceLocation::current()) {
    static_assert(std::is_same_v<OutputOf<F>, T>,
                  "a JoinSet<T> takes futures whose Output is T");
    add(weft::spawn(std::move(future), at));
  }
  template <Future F>
  void spawn_on(Spawner& spawner, F future,
                SourceLocation at = SourceLocation::current()) {
    add(spawner.spawn(std::move(future), at));
  }

  class JoinNext {
   public:
    using Output = std::optional<ValueType>;
    JoinNext(JoinNext&& other) noexcept : set_(other.set_) {}
    JoinNext& operator=(JoinNext&&) = delete;
    ~JoinNext() { set_.waiting_.reset(); }

    Poll<Output> poll(Context& cx) {
      if (set_.handles_.empty()) return finish(Output(std::nullopt));
      if (auto finished = set_.take_finished(cx)) {
        return finish(std::move(*finished));
      }
      // Nothing finished: ask every task to wake us (and tasks spawned
      // later, through waiting_), then look once more so that a task
      // finishing in between is not missed.
      store_waker(set_.waiting_, cx.waker());
      for (JoinHandle<T>& handle : set_.handles_) handle.set_waker(cx.waker());
      if (auto finished = set_.take_finished(cx)) {
        return finish(std::move(*finished));
      }
      return kPending;
    }

   private:
    friend class JoinSet;
    explicit JoinNext(JoinSet& set) : set_(set) {}
    Output finish(Output output) {
      set_.waiting_.reset();
      return output;
    }
    JoinSet& set_;
  };

  JoinNext join_next() { return JoinNext(*this); }

  // Aborts every task; they stay in the set, and join_next() reports each
  // as TaskCancelled (or its output, if it had finished already).
  void abort_all() {
    for (JoinHandle<T>& handle : handles_) handle.abort();
  }
  std::size_t size() const noexcept { return handles_.size(); }
  bool empty() const noexcept { return handles_.empty(); }

 private:
  // A task added while a join_next() waits must be able to wake it.
  void add(JoinHandle<T> handle) {
    if (waiting_) handle.set_waker(waiting_);
    handles_.push_back(std::move(handle));
  }

  // Removes the first finished task and returns its output (rethrowing its
  // exception); nullopt when none has finished.
  std::optional<std::optional<ValueType>> take_finished(Context& cx) {
    for (std::size_t i = 0; i < handles_.size(); ++i) {
      if (!handles_[i].is_finished()) continue;
      JoinHandle<T> handle = std::move(handles_[i]);
      handles_.erase(handles_.begin() + static_cast<std::ptrdiff_t>(i));
      if constexpr (std::is_void_v<T>) {
        (void)handle.poll(cx);
        return std::optional<ValueType>(std::monostate{});
      } else {
        return std::optional<ValueType>(std::move(handle.poll(cx)).take());
      }
    }
    return std::nullopt;
  }

  std::vector<JoinHandle<T>> handles_;
  Waker waiting_;  // the waker of a pending join_next(), if any
};

}  // namespace weft
