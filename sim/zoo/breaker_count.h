// A client's circuit breaker: after three timeouts in a row it stops
// calling the server (it "trips"). The bug: a success does not reset the
// count, so three timeouts spread over a long healthy run trip it too, and
// the client gives up on a server that is fine. Here a timeout is a reply
// that arrives exactly at the deadline and loses the tie to the timer, so
// the bug needs three separate perturbations: random search finds it, but
// no schedule with two perturbations does (exhaustive:2 proves it). The
// fixed twin resets the count on every success.
#pragma once

#include <chrono>

#include "runtime/future/async.h"
#include "runtime/future/yield_now.h"
#include "runtime/primitives/oneshot.h"
#include "runtime/seam/assert.h"
#include "runtime/task/executor.h"
#include "runtime/time/sleep.h"
#include "runtime/time/timeout.h"

namespace weft::zoo {

inline constexpr int kBreakerTrip = 3;

template <bool kFixed>
class Breaker {
 public:
  bool allows() const { return failures_ < kBreakerTrip; }
  void record(bool ok) {
    if (!ok) {
      ++failures_;
    } else if (kFixed) {
      failures_ = 0;
    }
  }

 private:
  int failures_ = 0;
};

// A server that answers in exactly 1 ms.
inline Async<void> answer(oneshot::Sender<int> reply) {
  co_await sleep_for(std::chrono::milliseconds(1));
  (void)reply.send(7);
}

template <bool kFixed>
Async<void> breaker_count_scenario() {
  Breaker<kFixed> breaker;
  int timeouts_in_a_row = 0;
  for (int call = 0; call < 6 && breaker.allows(); ++call) {
    auto [reply, response] = oneshot::channel<int>();
    auto server = spawn(answer(std::move(reply)));
    co_await yield_now();  // the request reaches the server first
    auto result =
        co_await timeout(std::chrono::milliseconds(1), std::move(response));
    const bool ok = !result.timed_out();
    breaker.record(ok);
    timeouts_in_a_row = ok ? 0 : timeouts_in_a_row + 1;
    co_await std::move(server);
  }
  WEFT_ASSERT(breaker.allows() || timeouts_in_a_row >= kBreakerTrip,
              "the breaker tripped without three timeouts in a row");
}

}  // namespace weft::zoo
