// weft::WakeFlag: a reference-counted "someone woke me" flag with a Waker,
// for polling a future that is not a task (the root future of block_on).
// Its wakers stay valid after the WakeFlag's owner is gone.
#pragma once

#include "runtime/future/waker.h"

namespace weft {

class WakeFlag {
 public:
  // Starts woken, so the first poll happens.
  WakeFlag();
  ~WakeFlag();
  WakeFlag(const WakeFlag&) = delete;
  WakeFlag& operator=(const WakeFlag&) = delete;

  Waker waker() const;
  // Returns whether a wake arrived since the last call, and clears it.
  bool take_woken() noexcept;

  // What a wake must rouse besides setting the flag: the executor that may
  // be parked waiting for it (a wake can come from another thread).
  class Waiter {
   public:
    virtual void rouse() noexcept = 0;

   protected:
    ~Waiter() = default;
  };
  // Sets (or, with nullptr, clears) the waiter; it must stay alive until
  // cleared.
  void set_waiter(Waiter* waiter) noexcept;

  // The reference-counted state the wakers point at (defined in the .cc).
  struct Shared;

 private:
  Shared* shared_;
};

}  // namespace weft
