#include "runtime/task/timer_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <vector>

#include "runtime/future/test_wakers.h"

namespace weft {
namespace {

Instant at_ms(int ms) {
  return Instant::from_nanoseconds(static_cast<std::int64_t>(ms) * 1000000);
}

// Records which counter each fired timer woke.
struct Timers {
  ManualClock clock;
  TimerService service{clock};
  CountingWaker wakers[4];
  TimerEntry entries[4];

  void arm(int index, int deadline_ms) {
    Waker waker = wakers[index].waker();
    service.arm(entries[index], at_ms(deadline_ms), waker, {});
  }
  std::vector<int> fired() const {
    std::vector<int> out;
    for (int i = 0; i < 4; ++i) {
      if (wakers[i].wakes() > 0) out.push_back(i);
    }
    return out;
  }
};

TEST(TimerService, FiresDueTimersInDeadlineOrder) {
  Timers timers;
  timers.arm(0, 30);
  timers.arm(1, 10);
  timers.arm(2, 20);
  EXPECT_EQ(timers.service.next_deadline(), at_ms(10));
  EXPECT_EQ(timers.service.fire_due(at_ms(20)), 2u);
  EXPECT_EQ(timers.fired(), (std::vector<int>{1, 2}));
  EXPECT_EQ(timers.service.next_deadline(), at_ms(30));
  EXPECT_EQ(timers.service.armed_count(), 1u);
  timers.service.disarm(timers.entries[0]);
}

TEST(TimerService, DisarmedTimerNeverFires) {
  Timers timers;
  timers.arm(0, 10);
  timers.arm(1, 10);
  timers.service.disarm(timers.entries[0]);
  EXPECT_EQ(timers.service.fire_due(at_ms(100)), 1u);
  EXPECT_EQ(timers.fired(), (std::vector<int>{1}));
  EXPECT_EQ(timers.wakers[0].live(), 0);
}

TEST(TimerService, CheckReportsFiredAndKeepsTheNewestWaker) {
  Timers timers;
  timers.arm(0, 10);
  Waker newer = timers.wakers[1].waker();
  EXPECT_FALSE(timers.service.check(timers.entries[0], newer));
  timers.service.fire_due(at_ms(10));
  EXPECT_EQ(timers.wakers[0].wakes(), 0u);
  EXPECT_EQ(timers.wakers[1].wakes(), 1u);
  EXPECT_TRUE(timers.service.check(timers.entries[0], newer));
}

// Wakers that record which timer woke them, in order.
class WakeOrder {
 public:
  WakeOrder() { recording = &order_; }
  ~WakeOrder() { recording = nullptr; }

  Waker waker_for(int id) {
    ids_.push_back(id);
    return Waker::from_raw(RawWaker{&ids_.back(), &kVTable});
  }
  const std::vector<int>& order() const { return order_; }

 private:
  static inline thread_local std::vector<int>* recording = nullptr;
  static void record(const void* data) {
    recording->push_back(*static_cast<const int*>(data));
  }
  static RawWaker clone(const void* data) { return RawWaker{data, &kVTable}; }
  static void ignore(const void*) {}
  static constexpr WakerVTable kVTable{&clone, &record, &record, &ignore};

  std::deque<int> ids_;  // stable addresses for the wakers' data
  std::vector<int> order_;
};

// Fires same-deadline timers in reverse registration order, the way a
// simulator may decide to.
class ReversedTies final : public TimerService {
 public:
  using TimerService::TimerService;
  int tie_batches = 0;

 private:
  void order_ties(std::span<TimerEntry*> batch) override {
    if (batch.size() > 1) ++tie_batches;
    std::reverse(batch.begin(), batch.end());
  }
};

TEST(TimerService, TiesAreOrderedByTheOverridableHook) {
  ManualClock clock;
  ReversedTies service(clock);
  TimerEntry entries[3];
  WakeOrder wakes;
  for (int i = 0; i < 3; ++i) {
    service.arm(entries[i], at_ms(5), wakes.waker_for(i), {});
  }
  service.fire_due(at_ms(5));
  EXPECT_EQ(wakes.order(), (std::vector<int>{2, 1, 0}));
  EXPECT_EQ(service.tie_batches, 1);
}

TEST(TimerService, RegistrationOrderBreaksTiesByDefault) {
  ManualClock clock;
  TimerService service(clock);
  TimerEntry entries[3];
  WakeOrder wakes;
  for (int id : {2, 0, 1}) {
    service.arm(entries[id], at_ms(5), wakes.waker_for(id), {});
  }
  service.fire_due(at_ms(5));
  EXPECT_EQ(wakes.order(), (std::vector<int>{2, 0, 1}));
}

TEST(TimerServiceDeathTest, ArmingAfterShutdownIsReported) {
  Timers timers;
  timers.service.shut_down();
  EXPECT_DEATH(timers.arm(0, 5),
               "a timer was armed on an executor that has shut down");
}

}  // namespace
}  // namespace weft
