#include "runtime/primitives/join_set_ready.h"

#include <utility>

#include "runtime/seam/check.h"
#include "runtime/sync/mutex.h"

namespace weft::detail {

void JoinSetReady::reserve_slots(std::size_t slots) {
  sync::lock_guard lock(mutex_);
  if (slots <= slots_.size()) return;
  slots_.resize(slots);
  if (slots <= ring_.size()) return;
  // Lay the queue out from the start of a ring with room for every slot.
  std::vector<std::uint32_t> bigger(slots_.capacity());
  for (std::size_t i = 0; i < count_; ++i) {
    bigger[i] = ring_[(head_ + i) % ring_.size()];
  }
  ring_.swap(bigger);
  head_ = 0;
}

std::uint32_t JoinSetReady::arm(std::size_t slot) {
  sync::lock_guard lock(mutex_);
  WEFT_CHECK_LT(slot, slots_.size());
  Slot& s = slots_[slot];
  WEFT_CHECK(!s.armed && !s.queued, "a JoinSet slot is reused while in use");
  s.armed = true;
  return ++s.generation;
}

void JoinSetReady::wake(std::size_t slot, std::uint32_t generation) {
  Waker to_wake;
  {
    sync::lock_guard lock(mutex_);
    if (slot >= slots_.size()) return;
    Slot& s = slots_[slot];
    if (!s.armed || s.generation != generation || s.queued) return;
    s.queued = true;
    WEFT_CHECK_LT(count_, ring_.size());
    ring_[(head_ + count_) % ring_.size()] = static_cast<std::uint32_t>(slot);
    ++count_;
    to_wake = std::move(waiting_);
  }
  // Woken outside the lock: the waker may run the joining task here.
  std::move(to_wake).wake_if_set();
}

std::optional<std::size_t> JoinSetReady::pop() {
  sync::lock_guard lock(mutex_);
  if (count_ == 0) return std::nullopt;
  const std::size_t slot = ring_[head_];
  head_ = (head_ + 1) % ring_.size();
  --count_;
  slots_[slot].queued = false;
  return slot;
}

void JoinSetReady::disarm(std::size_t slot) {
  sync::lock_guard lock(mutex_);
  WEFT_CHECK_LT(slot, slots_.size());
  WEFT_CHECK(!slots_[slot].queued, "a queued JoinSet slot is emptied");
  slots_[slot].armed = false;
}

void JoinSetReady::set_waiting(const Waker& waker) {
  sync::lock_guard lock(mutex_);
  store_waker(waiting_, waker);
}

void JoinSetReady::clear_waiting() {
  Waker dropped;
  {
    sync::lock_guard lock(mutex_);
    dropped = std::move(waiting_);
  }
}

}  // namespace weft::detail
