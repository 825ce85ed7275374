// weft::Clock: where an executor gets the time and how it waits for it.
// Instant is a point on one clock's own timeline (nanoseconds since that
// clock's origin); Duration is std::chrono::nanoseconds.
//
//   SystemClock  the real monotonic clock; the only place runtime/ reads
//                time. sleep_until blocks the thread.
//   ManualClock  time moves only when a test calls advance(), or when an
//                executor with nothing to do "sleeps" to its next timer,
//                which jumps there at once. Deterministic, for tests.
// The simulator supplies a third, virtual clock driven by its decisions.
#pragma once

#include <atomic>
#include <chrono>
#include <compare>
#include <cstdint>

namespace weft {

using Duration = std::chrono::nanoseconds;

class Instant {
 public:
  constexpr Instant() noexcept = default;
  static constexpr Instant from_nanoseconds(std::int64_t ns) noexcept {
    Instant instant;
    instant.ns_ = ns;
    return instant;
  }
  constexpr std::int64_t nanoseconds() const noexcept { return ns_; }

  friend constexpr Instant operator+(Instant at, Duration d) noexcept {
    return from_nanoseconds(at.ns_ + d.count());
  }
  friend constexpr Duration operator-(Instant a, Instant b) noexcept {
    return Duration(a.ns_ - b.ns_);
  }
  friend constexpr auto operator<=>(Instant, Instant) = default;

 private:
  std::int64_t ns_ = 0;
};

class Clock {
 public:
  virtual Instant now() const = 0;
  // Returns once now() >= deadline (or at once if it already is).
  virtual void sleep_until(Instant deadline) = 0;

 protected:
  ~Clock() = default;
};

class SystemClock final : public Clock {
 public:
  Instant now() const override;
  void sleep_until(Instant deadline) override;
};

// The process's SystemClock.
Clock& system_clock();

class ManualClock final : public Clock {
 public:
  Instant now() const override {
    // Acquire/release (sequentially consistent below): a thread that sees
    // the advanced time sees what the advancing thread did before.
    return Instant::from_nanoseconds(ns_.load(std::memory_order_acquire));
  }
  void sleep_until(Instant deadline) override {
    if (deadline > now()) set(deadline);
  }
  // Sequentially consistent: a test that moves time from one thread sees
  // it from every other in the same order.
  void advance(Duration by) { ns_.fetch_add(by.count()); }
  void set(Instant at) { ns_.store(at.nanoseconds()); }

 private:
  std::atomic<std::int64_t> ns_{0};
};

}  // namespace weft
