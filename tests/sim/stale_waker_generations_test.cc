// The stale-waker checker tells a waker from an earlier poll from the
// current one even when the two are many polls apart: 64 polls (where a
// 6-bit generation tag wrapped around and passed an old waker as current)
// and more.
#include <gtest/gtest.h>

#include "runtime/weft.h"
#include "sim/core/sim_task.h"
#include "sim/testing/sweeps.h"

namespace weft::sim {
namespace {

// Keeps only the waker of its first poll, then makes its task be polled
// `extra_polls` more times (by waking the current waker) before it stops
// asking; the event arrives later through the first waker only.
class FirstWakerOnly {
 public:
  using Output = void;
  FirstWakerOnly(Waker* slot, bool* fired, int extra_polls)
      : slot_(slot), fired_(fired), extra_polls_(extra_polls) {}
  Poll<void> poll(Context& cx) {
    if (*fired_) return ready();
    if (polls_ == 0) *slot_ = cx.waker();
    if (polls_++ < extra_polls_) cx.waker().wake_by_ref();
    return kPending;
  }

 private:
  Waker* slot_;
  bool* fired_;
  int extra_polls_;
  int polls_ = 0;
};

Async<void> waits(Waker* slot, bool* fired, int extra_polls) {
  co_await FirstWakerOnly(slot, fired, extra_polls);
}

Async<void> fires_later(Waker* slot, bool* fired) {
  co_await sleep_for(std::chrono::seconds(1));
  *fired = true;
  slot->wake_by_ref();
}

template <int kExtraPolls>
Async<void> stale_after() {
  Waker slot;
  bool fired = false;
  auto waiter = spawn(waits(&slot, &fired, kExtraPolls));
  auto firer = spawn(fires_later(&slot, &fired));
  co_await std::move(firer);
  co_await std::move(waiter);
}

void expect_stale(const Scenario& scenario) {
  testing::expect_found(testing::sweep(scenario, "fifo", 1),
                        Checker::kStaleWaker);
}

TEST(StaleWakerGenerations, OnePollApart) { expect_stale(stale_after<1>); }
TEST(StaleWakerGenerations, SixtyFourPollsApart) {
  expect_stale(stale_after<64>);
}
TEST(StaleWakerGenerations, SixtyFiveAndThousandsOfPollsApart) {
  expect_stale(stale_after<65>);
  expect_stale(stale_after<4096>);
}

TEST(StaleWakerGenerations, TheTagRoundTripsEveryGeneration) {
  SimTask record;
  for (std::uint32_t generation :
       {0u, 1u, 63u, 64u, 65u, 4095u, 4096u, (1u << 22) - 1}) {
    record.generation = generation;
    const RawWaker raw = record.waker_for_current_poll();
    EXPECT_EQ(SimTask::from_waker_data(raw.data), &record);
    EXPECT_EQ(SimTask::generation_of(raw.data), generation);
  }
}

}  // namespace
}  // namespace weft::sim
