// A hand-written "read" future that assumes it is polled again only after
// it was woken, so on its second poll it takes the data without checking
// it arrived. A spurious poll (allowed by the future protocol) makes it
// return an empty reading. The fixed twin checks on every poll.
#pragma once

#include <chrono>
#include <optional>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/seam/assert.h"
#include "runtime/task/executor.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

template <bool kFixed>
class Sensor {
 public:
  void publish(int value) {
    value_ = value;
    std::move(waker_).wake();
  }
  class Read {
   public:
    using Output = int;
    explicit Read(Sensor* sensor) : sensor_(sensor) {}
    Poll<int> poll(Context& cx) {
      const bool assume_ready = !kFixed && polled_before_;
      polled_before_ = true;
      if (sensor_->value_ || assume_ready) {
        // Buggy path: "I was polled again, so the value must be there".
        return sensor_->value_.value_or(-1);
      }
      store_waker(sensor_->waker_, cx.waker());
      return kPending;
    }

   private:
    Sensor* sensor_;
    bool polled_before_ = false;
  };
  Read read() { return Read(this); }

 private:
  std::optional<int> value_;
  Waker waker_;
};

template <bool kFixed>
Async<void> spurious_poll_scenario() {
  using namespace std::chrono_literals;
  Sensor<kFixed> sensor;
  auto publisher = spawn([](Sensor<kFixed>* sensor) -> Async<void> {
    co_await sleep_for(1ms);
    sensor->publish(42);
  }(&sensor));
  const int value = co_await sensor.read();
  WEFT_ASSERT(value == 42, "a read returned before the value arrived");
  co_await std::move(publisher);
}

}  // namespace weft::zoo
