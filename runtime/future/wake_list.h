// weft::WakeList: wakers collected while a primitive holds its lock and
// woken after it lets go, so that a waker that re-enters the primitive (or
// takes a lock of its own) cannot deadlock, and no lock is held while an
// executor runs its wake path. Holds 16 wakers without allocating; more go
// to a vector.
//
//   WakeList wakes;
//   {
//     std::lock_guard lock(mutex_);
//     wakes.push(std::move(waiter->waker));
//   }
//   wakes.wake_all();  // also done by the destructor
#pragma once

#include <array>
#include <cstddef>
#include <utility>
#include <vector>

#include "runtime/future/waker.h"

namespace weft {

class WakeList {
 public:
  // `site`: where the wakes are issued (the primitive's caller), for the
  // reports of a simulation.
  explicit WakeList(SourceLocation site = SourceLocation::current())
      : site_(site) {}
  WakeList(const WakeList&) = delete;
  WakeList& operator=(const WakeList&) = delete;
  ~WakeList() { wake_all(); }

  void push(Waker waker) {
    if (waker.empty()) return;
    if (inline_count_ < inline_.size()) {
      inline_[inline_count_++] = std::move(waker);
    } else {
      overflow_.push_back(std::move(waker));
    }
  }

  // Wakes every collected waker, in the order they were pushed.
  void wake_all() {
    for (std::size_t i = 0; i < inline_count_; ++i) {
      std::move(inline_[i]).wake(site_);
    }
    inline_count_ = 0;
    for (Waker& waker : overflow_) std::move(waker).wake(site_);
    overflow_.clear();
  }

  bool empty() const noexcept {
    return inline_count_ == 0 && overflow_.empty();
  }

 private:
  SourceLocation site_;
  std::array<Waker, 16> inline_;
  std::size_t inline_count_ = 0;
  std::vector<Waker> overflow_;
};

}  // namespace weft
