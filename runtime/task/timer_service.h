// weft::TimerService: the timers of one executor. Futures that wait for a
// deadline (Sleep, and through it timeout and Interval) keep a TimerEntry
// inside themselves and arm it here; the executor asks for the next
// deadline when it has nothing to run and fires what is due.
//
// Guarantees: thread safe (one lock); arming and disarming never allocate
// once the heap has grown to the number of live timers; a disarmed entry
// (its future was dropped) never fires; timers fire in deadline order, and
// timers with the same deadline are handed to order_ties(), which an
// implementation overrides to choose their order (registration order by
// default; the simulator decides). Arming after shut_down() is a misuse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "runtime/future/waker.h"
#include "runtime/seam/source_location.h"
#include "runtime/sync/mutex.h"
#include "runtime/task/clock.h"

namespace weft {

class TimerService;

// Lives inside a waiting future; touched only through its TimerService.
class TimerEntry {
 public:
  TimerEntry() = default;
  TimerEntry(const TimerEntry&) = delete;
  TimerEntry& operator=(const TimerEntry&) = delete;

  Instant deadline() const noexcept { return deadline_; }
  SourceLocation armed_at() const noexcept { return armed_at_; }

 private:
  friend class TimerService;
  static constexpr std::size_t kNotArmed = static_cast<std::size_t>(-1);

  Instant deadline_;
  std::uint64_t sequence_ = 0;
  std::size_t heap_index_ = kNotArmed;
  bool fired_ = false;
  Waker waker_;
  SourceLocation armed_at_;
};

class TimerService {
 public:
  explicit TimerService(Clock& clock) : clock_(clock) {}
  virtual ~TimerService();
  TimerService(const TimerService&) = delete;
  TimerService& operator=(const TimerService&) = delete;

  Instant now() const { return clock_.now(); }
  Clock& clock() const noexcept { return clock_; }

  // Arms `entry` to wake `waker` at `deadline`. The entry must not be armed.
  void arm(TimerEntry& entry, Instant deadline, const Waker& waker,
           SourceLocation at);
  // True once the entry fired; otherwise stores `waker` (the newest).
  bool check(TimerEntry& entry, const Waker& waker);
  // Removes the entry if it is still armed; safe to call at any time.
  void disarm(TimerEntry& entry) noexcept;

  std::optional<Instant> next_deadline() const;
  // Fires every timer with deadline <= now; returns how many fired.
  std::size_t fire_due(Instant now);
  std::size_t armed_count() const;
  // Where each armed timer was armed, earliest deadline first; for leak
  // reports.
  std::vector<SourceLocation> armed_sites() const;

  // No arming after this; entries already armed may still be disarmed.
  void shut_down();

 protected:
  // Orders timers that share one deadline before they fire; `batch` comes
  // in registration order. The default keeps that order.
  virtual void order_ties(std::span<TimerEntry*> batch);
  // Lets an implementation move a deadline as it is armed (the simulator
  // fires timers early or late within a window). Default: unchanged.
  virtual Instant adjust_deadline(Instant requested) { return requested; }
  // Called (under the service's lock) when an arm makes the earliest
  // deadline earlier, so an executor sleeping until the old one can wake.
  // Must not call back into this service.
  virtual void on_earlier_deadline() {}

 private:
  static bool earlier(const TimerEntry* a, const TimerEntry* b) noexcept;
  void sift_up(std::size_t index) noexcept;
  void sift_down(std::size_t index) noexcept;
  void place(std::size_t index, TimerEntry* entry) noexcept;
  TimerEntry* pop_min() noexcept;
  void remove_at(std::size_t index) noexcept;

  Clock& clock_;
  mutable sync::mutex mutex_;
  std::vector<TimerEntry*> heap_;
  std::vector<TimerEntry*> batch_;  // reused by fire_due
  std::uint64_t next_sequence_ = 0;
  bool shut_down_ = false;
};

}  // namespace weft
