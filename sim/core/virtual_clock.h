// weft::sim::VirtualClock: simulated time. It moves only when the simulator
// moves it (to the next timer when nothing can run, or by a decided time
// step); nothing in a simulated run ever reads the real clock.
#pragma once

#include "runtime/task/clock.h"

namespace weft::sim {

class VirtualClock final : public Clock {
 public:
  Instant now() const override { return now_; }
  // The simulator never blocks: "sleeping" jumps to the deadline.
  void sleep_until(Instant deadline) override {
    if (deadline > now_) now_ = deadline;
  }
  void advance_to(Instant at) noexcept {
    if (at > now_) now_ = at;
  }

 private:
  Instant now_;
};

}  // namespace weft::sim
