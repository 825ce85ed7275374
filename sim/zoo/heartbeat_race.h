// A failure detector: a monitor declares its peer dead when no heartbeat
// arrives within the timeout. The bug: the timeout equals the heartbeat
// period, so a beat and the deadline fall on the same instant, and when the
// monitor happens to run before the peer at that instant it declares a
// live peer dead. (Under FIFO the peer, whose timer was armed first, always
// runs first, so it never shows.) The fixed twin allows a margin beyond
// the period.
#pragma once

#include <chrono>

#include "runtime/future/async.h"
#include "runtime/future/select.h"
#include "runtime/future/yield_now.h"
#include "runtime/primitives/mpsc.h"
#include "runtime/seam/assert.h"
#include "runtime/task/executor.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

template <bool kFixed>
Async<void> heartbeat_race_scenario() {
  using namespace std::chrono_literals;
  auto [beats, inbox] = mpsc::unbounded<int>();
  auto peer = spawn([](mpsc::Sender<int> beats) -> Async<void> {
    for (int beat = 0; beat < 3; ++beat) {
      co_await sleep_for(5ms);
      (void)beats.try_send(beat);
    }
  }(std::move(beats)));
  co_await yield_now();  // the peer's timer is armed first
  const auto deadline = kFixed ? 6ms : 5ms;
  for (int seen = 0; seen < 3;) {
    auto event = co_await select(inbox.recv(), sleep_for(deadline));
    WEFT_ASSERT(event.index() == 0, "a live peer was declared dead");
    ++seen;
  }
  co_await std::move(peer);
}

}  // namespace weft::zoo
