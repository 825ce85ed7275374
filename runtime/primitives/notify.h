// weft::Notify: wakes tasks that wait for "something changed".
//
//   notify_one()      wakes the oldest waiter; with no waiter it stores one
//                     permit (at most one), which the next notified() takes
//                     at once, so a notify that comes before the wait is
//                     not lost.
//   notify_waiters()  wakes every waiter that is waiting now (a Notified
//                     that was polled and is pending); stores no permit.
//
// Cancellation safety: dropping a Notified while it waits unlinks it;
// dropping one that notify_one() already chose, before it saw Ready, passes
// that notification on to the next waiter (or back as the permit), so a
// notify is never swallowed by a cancelled waiter. A Notified re-polled with
// a new waker wakes the new one. Thread safe; wakers are woken after the
// lock is released.
#pragma once

#include <cstdint>
#include <mutex>

#include "runtime/future/context.h"
#include "runtime/future/intrusive_list.h"
#include "runtime/future/poll.h"
#include "runtime/future/wake_list.h"
#include "runtime/future/waker.h"
#include "runtime/seam/source_location.h"
#include "runtime/sync/mutex.h"

namespace weft {

class Notify {
 public:
  class Notified;

  Notify() = default;
  // Destroying a Notify that still has waiters is a misuse (reported
  // without unwinding); the waiters are cut loose first, so that dropping
  // them later touches nothing of the destroyed Notify.
  ~Notify();
  Notify(const Notify&) = delete;
  Notify& operator=(const Notify&) = delete;

  // `at`: the caller's line, which a simulation's report names as the
  // wake's site.
  void notify_one(SourceLocation at = SourceLocation::current());
  void notify_waiters(SourceLocation at = SourceLocation::current());
  Notified notified(SourceLocation at = SourceLocation::current());

  std::size_t waiter_count() const;
  bool has_permit() const;

 private:
  enum class WaiterState : std::uint8_t {
    kWaiting,
    kChosenByOne,
    kChosenByAll,
    kOrphaned,  // its Notify was destroyed while it waited
  };
  struct Waiter : ListLinks<Waiter> {
    Waker waker;
    WaiterState state = WaiterState::kWaiting;
  };

  // Chooses the oldest waiter (or stores the permit); its waker goes to
  // `wakes`, woken once the lock is released.
  void notify_one_locked(WakeList& wakes);

  mutable sync::mutex mutex_;
  IntrusiveList<Waiter> waiters_;
  bool permit_ = false;
};

class Notify::Notified {
 public:
  using Output = void;

  Notified(Notified&& other) noexcept;
  Notified& operator=(Notified&&) = delete;
  ~Notified();

  Poll<void> poll(Context& cx);

 private:
  friend class Notify;
  enum class Phase : std::uint8_t { kNew, kWaiting, kDone };
  Notified(Notify& notify, SourceLocation at) : notify_(&notify), at_(at) {}

  Notify* notify_;
  SourceLocation at_;
  Phase phase_ = Phase::kNew;
  Waiter waiter_;
};

}  // namespace weft
