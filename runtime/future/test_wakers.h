// Wakers for tests and for polling by hand:
//   noop_waker()   a Waker whose wake does nothing (no state, no counting).
//   CountingWaker  counts wakes and live Waker references, so a test can
//                  check that a future woke exactly once and that every
//                  clone it made was dropped again.
#pragma once

#include <cstdint>

#include "runtime/future/waker.h"

namespace weft {

Waker noop_waker();

class CountingWaker {
 public:
  CountingWaker() = default;
  // Destroying a CountingWaker whose Wakers are still alive is reported as a
  // misuse (those Wakers would point at freed memory).
  ~CountingWaker();
  CountingWaker(const CountingWaker&) = delete;
  CountingWaker& operator=(const CountingWaker&) = delete;

  // A new Waker reference (counted as live until dropped or consumed).
  Waker waker();

  std::uint64_t wakes() const noexcept { return wakes_; }
  std::uint64_t clones() const noexcept { return clones_; }
  std::int64_t live() const noexcept { return live_; }

 private:
  static const WakerVTable kVTable;
  static RawWaker clone(const void* data);
  static void wake(const void* data);
  static void wake_by_ref(const void* data);
  static void drop(const void* data);

  std::uint64_t wakes_ = 0;
  std::uint64_t clones_ = 0;
  std::int64_t live_ = 0;
};

}  // namespace weft
