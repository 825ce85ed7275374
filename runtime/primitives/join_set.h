// weft::JoinSet<T>: a set of spawned tasks whose outputs are collected in
// the order they finish.
//
//   weft::JoinSet<int> set;
//   set.spawn(work(1)); set.spawn(work(2));
//   while (auto next = co_await set.join_next()) use(*next);
//
// join_next() is Ready(value) of a finished task (the first to finish of
// those not yet taken: completions are queued in the order they woke the
// set), Ready(nullopt) when the set is empty, and rethrows a task's
// exception (TaskCancelled for an aborted task) after removing it from the
// set. Dropping the set aborts every task still in it. Spawns onto the
// current executor unless given a Spawner.
//
// Work per completion is O(1), whatever the size of the set: each member's
// join waker queues its own slot (join_set_ready.h), and join_next() takes
// from that queue instead of looking at every member. (tokio's JoinSet,
// with its idle and notified lists, is the model.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "runtime/future/future.h"
#include "runtime/future/join.h"
#include "runtime/future/waker_fn.h"
#include "runtime/primitives/join_set_ready.h"
#include "runtime/seam/check.h"
#include "runtime/seam/misuse.h"
#include "runtime/task/executor.h"
#include "runtime/task/join_handle.h"

namespace weft {

template <typename T>
class JoinSet {
 public:
  using ValueType = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

  JoinSet() : ready_(std::make_shared<detail::JoinSetReady>()) {}
  JoinSet(const JoinSet&) = delete;
  JoinSet& operator=(const JoinSet&) = delete;
  ~JoinSet() {
    abort_all();
    members_.clear();  // detach: the executor drops the aborted futures
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
    ~JoinNext() { set_.ready_->clear_waiting(); }

    Poll<Output> poll(Context& cx) {
      if (set_.size_ == 0) return finish(Output(std::nullopt));
      // Registered before looking, so a member finishing in between is
      // not missed.
      set_.ready_->set_waiting(cx.waker());
      if (auto finished = set_.take_finished(cx)) {
        return finish(std::move(*finished));
      }
      return kPending;
    }

   private:
    friend class JoinSet;
    explicit JoinNext(JoinSet& set) : set_(set) {}
    Output finish(Output output) {
      set_.ready_->clear_waiting();
      return output;
    }
    JoinSet& set_;
  };

  JoinNext join_next() { return JoinNext(*this); }

  // Aborts every task; they stay in the set, and join_next() reports each
  // as TaskCancelled (or its output, if it had finished already).
  void abort_all() {
    for (Member& member : members_) {
      if (member.handle) member.handle->abort();
    }
  }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

 private:
  void add(JoinHandle<T> handle) {
    std::size_t slot = members_.size();
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      members_.emplace_back();
      ready_->reserve_slots(members_.size());
    }
    Member& member = members_[slot];
    member.generation = ready_->arm(slot);
    member.handle.emplace(std::move(handle));
    watch(slot);
    ++size_;
  }

  // Gives the member of `slot` a join waker that queues the slot.
  void watch(std::size_t slot) {
    Member& member = members_[slot];
    const std::uint32_t generation = member.generation;
    // Exactly one of the two queues the slot: the waker, when the task
    // finishes later, or this call, when it already had (both, racing on a
    // thread pool, queued it twice: tests/sim/thread_pool_sim_test.cc).
    if (!member.handle->set_waker(
            waker_from_fn([ready = ready_, slot, generation] {
              ready->wake(slot, generation);
            }))) {
      ready_->wake(slot, generation);
    }
  }

  // Removes the first queued finished member and returns its output
  // (rethrowing its exception); nullopt when none is queued.
  std::optional<std::optional<ValueType>> take_finished(Context& cx) {
    while (std::optional<std::size_t> slot = ready_->pop()) {
      std::optional<JoinHandle<T>>& member = members_[*slot].handle;
      WEFT_CHECK(member.has_value(), "a JoinSet slot woke without a member");
      if (!member->is_finished()) {
        // A wake without a finish: watch the member again.
        watch(*slot);
        continue;
      }
      JoinHandle<T> handle = std::move(*member);
      member.reset();
      ready_->disarm(*slot);
      free_slots_.push_back(*slot);
      --size_;
      if constexpr (std::is_void_v<T>) {
        (void)handle.poll(cx);
        return std::optional<ValueType>(std::monostate{});
      } else {
        return std::optional<ValueType>(std::move(handle.poll(cx)).take());
      }
    }
    return std::nullopt;
  }

  struct Member {
    std::optional<JoinHandle<T>> handle;  // empty while the slot is free
    std::uint32_t generation = 0;         // what the member's waker carries
  };

  std::shared_ptr<detail::JoinSetReady> ready_;
  std::vector<Member> members_;  // by slot
  std::vector<std::size_t> free_slots_;
  std::size_t size_ = 0;
};

}  // namespace weft
