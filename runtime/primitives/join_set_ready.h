// weft::detail::JoinSetReady: which members of a JoinSet have finished, in
// the order their completions woke it, plus the waker of a waiting
// join_next(). Each member's join waker names its slot and the slot's
// generation, so a wake is O(1) and a wake for a slot that has since been
// emptied or reused is ignored.
//
// Shared (by shared_ptr) between the set and its members' wakers, which
// may fire on any thread (a member spawned on a ThreadPoolExecutor), so
// every field is guarded by one mutex.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "runtime/future/waker.h"
#include "runtime/sync/mutex.h"

namespace weft::detail {

class JoinSetReady {
 public:
  // Makes room for slots [0, slots); the set calls it before using a slot.
  void reserve_slots(std::size_t slots);
  // A new member took `slot`: its generation from now on, which the
  // member's waker must carry.
  std::uint32_t arm(std::size_t slot);
  // The member of `slot` (of `generation`) finished: queue it, once, and
  // wake a waiting join_next().
  void wake(std::size_t slot, std::uint32_t generation);
  // The oldest queued slot, or nullopt.
  std::optional<std::size_t> pop();
  // The slot was emptied: later wakes for its generation are ignored.
  void disarm(std::size_t slot);
  // join_next() is waiting with this waker (replaces an earlier one).
  void set_waiting(const Waker& waker);
  void clear_waiting();

 private:
  struct Slot {
    std::uint32_t generation = 0;
    bool armed = false;
    bool queued = false;
  };

  sync::mutex mutex_;
  std::vector<Slot> slots_;
  // Queued slots as a ring over `ring_` (each slot is queued at most once,
  // so the ring never needs more room than there are slots).
  std::vector<std::uint32_t> ring_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  Waker waiting_;
};

}  // namespace weft::detail
