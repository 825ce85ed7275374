// A connection pool with a fixed number of slots. acquire() takes a slot,
// then waits for the connection to open. The bug: the slot is taken before
// that wait and given back only when the connection is; a caller cancelled
// while the connection opens (a timeout, a dropped request) never gives it
// back, the pool shrinks, and the next caller waits forever. Reached only
// by cancelling a task while it waits. The fixed twin holds the slot in a
// guard that gives it back however the wait ends.
#pragma once

#include <chrono>

#include "runtime/future/async.h"
#include "runtime/primitives/notify.h"
#include "runtime/seam/assert.h"
#include "runtime/task/executor.h"
#include "runtime/task/join_outcome.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

template <bool kFixed>
class SlotPool {
 public:
  explicit SlotPool(int slots) : free_(slots) {}

  // A slot in use; gives it back when dropped.
  class Slot {
   public:
    explicit Slot(SlotPool* pool) : pool_(pool) {}
    Slot(Slot&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)) {}
    ~Slot() {
      if (pool_ != nullptr) pool_->give_back();
    }

   private:
    SlotPool* pool_;
  };

  Async<Slot> acquire() {
    while (free_ == 0) co_await freed_.notified();
    --free_;
    if constexpr (kFixed) {
      Slot held(this);  // given back if this frame is dropped in the wait
      co_await sleep_for(std::chrono::milliseconds(5));  // the connection opens
      co_return held;
    } else {
      co_await sleep_for(std::chrono::milliseconds(5));
      co_return Slot(this);  // reached only if the wait ends normally
    }
  }

  int free_slots() const { return free_; }

 private:
  void give_back() {
    ++free_;
    freed_.notify_one();
  }

  int free_;
  Notify freed_;
};

template <bool kFixed>
Async<void> use_a_slot(SlotPool<kFixed>* pool) {
  auto slot = co_await pool->acquire();
  co_await sleep_for(std::chrono::milliseconds(1));
}

template <bool kFixed>
Async<void> slot_leak_scenario() {
  SlotPool<kFixed> pool(1);
  // A request that may be dropped while it waits, then one that must run.
  auto dropped = spawn_cancellable(use_a_slot(&pool));
  auto later = spawn(use_a_slot(&pool));
  (void)co_await std::move(dropped).outcome();
  co_await std::move(later);
  WEFT_ASSERT_EQ(pool.free_slots(), 1);
}

}  // namespace weft::zoo
