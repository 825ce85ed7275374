// weft::Waker: a cheap, copyable handle that tells whoever polls a task that
// the task can make progress. It is a data pointer plus a table of four
// functions (clone, wake, wake_by_ref, drop), so executors, the simulator,
// tests and users can each supply their own kind.
//
// Ownership: a Waker owns one "reference" of whatever its data points to.
// Copying clones (a new reference), moving transfers it, destruction drops
// it, and wake() consumes it. A default-constructed Waker is empty: waking
// it does nothing, which lets a slot say "no one waits yet".
#pragma once

#include <utility>

#include "runtime/seam/hooks.h"
#include "runtime/seam/source_location.h"

namespace weft {

struct WakerVTable;

// The untyped pair a Waker is made of.
struct RawWaker {
  const void* data = nullptr;
  const WakerVTable* vtable = nullptr;
};

struct WakerVTable {
  // Returns a new reference to the same wake target.
  RawWaker (*clone)(const void* data);
  // Wakes and releases the reference.
  void (*wake)(const void* data);
  // Wakes and keeps the reference.
  void (*wake_by_ref)(const void* data);
  // Releases the reference without waking.
  void (*drop)(const void* data);
};

class Waker {
 public:
  Waker() noexcept = default;

  // Takes ownership of one reference described by `raw`.
  static Waker from_raw(RawWaker raw) noexcept { return Waker(raw); }

  Waker(const Waker& other) : raw_(other.cloned_raw()) {}
  Waker(Waker&& other) noexcept : raw_(std::exchange(other.raw_, {})) {}
  Waker& operator=(const Waker& other) {
    if (this != &other) {
      reset();
      raw_ = other.cloned_raw();
    }
    return *this;
  }
  Waker& operator=(Waker&& other) noexcept {
    if (this != &other) {
      reset();
      raw_ = std::exchange(other.raw_, {});
    }
    return *this;
  }
  ~Waker() { reset(); }

  // Wakes the target and gives up this reference; the Waker is then empty.
  // `at` (the caller's line) is what a simulation's report shows; waking
  // an empty Waker is reported to the hooks as a wake nobody waited for.
  void wake(SourceLocation at = SourceLocation::current()) && {
    RawWaker raw = std::exchange(raw_, {});
    if (raw.vtable == nullptr) {
      report_empty_wake(at);
      return;
    }
    this_thread_runtime().wake_site = at;
    raw.vtable->wake(raw.data);
  }
  // The same, where "nobody waits yet" is normal (a channel's send, a
  // task's end): an empty Waker does nothing and is not reported.
  void wake_if_set(SourceLocation at = SourceLocation::current()) && {
    if (raw_.vtable != nullptr) std::move(*this).wake(at);
  }
  void wake_by_ref(SourceLocation at = SourceLocation::current()) const {
    if (raw_.vtable == nullptr) {
      report_empty_wake(at);
      return;
    }
    this_thread_runtime().wake_site = at;
    raw_.vtable->wake_by_ref(raw_.data);
  }

  // Releases the reference without waking; the Waker is then empty.
  void reset() noexcept {
    RawWaker raw = std::exchange(raw_, {});
    if (raw.vtable != nullptr) raw.vtable->drop(raw.data);
  }

  // Gives up ownership without dropping: the caller now owns the reference.
  [[nodiscard]] RawWaker into_raw() && noexcept {
    return std::exchange(raw_, {});
  }

  // True when waking either one wakes the same target, so a future may keep
  // the waker it already stored instead of cloning the new one.
  bool will_wake(const Waker& other) const noexcept {
    return raw_.data == other.raw_.data && raw_.vtable == other.raw_.vtable;
  }

  bool empty() const noexcept { return raw_.vtable == nullptr; }
  explicit operator bool() const noexcept { return !empty(); }

  const RawWaker& raw() const noexcept { return raw_; }

 private:
  explicit Waker(RawWaker raw) noexcept : raw_(raw) {}
  RawWaker cloned_raw() const {
    return raw_.vtable != nullptr ? raw_.vtable->clone(raw_.data) : RawWaker{};
  }

  RawWaker raw_;
};

// A Waker over a reference that someone else owns (an executor's run-queue
// reference, for the length of one poll): it can be passed, cloned and
// woken by reference like any Waker, and it never drops the reference, not
// even when an exception leaves the scope.
class BorrowedWaker {
 public:
  explicit BorrowedWaker(RawWaker raw) noexcept
      : waker_(Waker::from_raw(raw)) {}
  ~BorrowedWaker() { (void)std::move(waker_).into_raw(); }
  BorrowedWaker(const BorrowedWaker&) = delete;
  BorrowedWaker& operator=(const BorrowedWaker&) = delete;

  const Waker& get() const noexcept { return waker_; }

 private:
  Waker waker_;
};

// Stores `incoming` in `slot` unless the slot already wakes the same target:
// the "use the waker of the latest poll" rule, without a clone per poll.
inline void store_waker(Waker& slot, const Waker& incoming) {
  if (!slot.will_wake(incoming)) slot = incoming;
}

}  // namespace weft
