// join, select, yield_now.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <tuple>
#include <variant>

#include "runtime/executors/local_executor.h"
#include "runtime/future/async.h"
#include "runtime/future/join.h"
#include "runtime/future/select.h"
#include "runtime/future/yield_now.h"
#include "runtime/primitives/mpsc.h"
#include "runtime/time/sleep.h"
#include "tests/support/counted.h"
#include "tests/support/hand_poller.h"
#include "tests/support/manual_event.h"

namespace weft {
namespace {

using namespace std::chrono_literals;
using testing::Counted;
using testing::HandPoller;
using testing::ManualEvent;

Async<int> after(ManualEvent::Wait wait, int value) {
  co_await std::move(wait);
  co_return value;
}

TEST(Join, WaitsForAllAndReturnsEveryOutput) {
  HandPoller poller;  // first: it outlives the wakers others keep
  ManualEvent a;
  ManualEvent b;
  auto both = join(
      after(a.wait(), 1), []() -> Async<void> { co_return; }(),
      after(b.wait(), 3));
  ASSERT_TRUE(poller.poll(both).is_pending());
  b.fire();
  ASSERT_TRUE(poller.poll(both).is_pending());
  a.fire();
  auto result = poller.poll(both);
  ASSERT_TRUE(result.is_ready());
  EXPECT_EQ(std::get<0>(result.value()), 1);
  EXPECT_EQ(std::get<2>(result.value()), 3);
}

TEST(Join, FinishedBranchesAreNotPolledAgain) {
  HandPoller poller;  // first: it outlives the wakers others keep
  ManualEvent a;
  ManualEvent b;
  auto both = join(a.wait(), b.wait());
  a.fire();
  ASSERT_TRUE(poller.poll(both).is_pending());
  ASSERT_TRUE(poller.poll(both).is_pending());
  EXPECT_EQ(a.polls(), 1);
  EXPECT_EQ(b.polls(), 2);
}

TEST(Select, FirstReadyBranchWinsAndSaysWhich) {
  HandPoller poller;  // first: it outlives the wakers others keep
  ManualEvent a;
  ManualEvent b;
  auto race = select(after(a.wait(), 1), after(b.wait(), 2));
  ASSERT_TRUE(poller.poll(race).is_pending());
  b.fire();
  auto result = poller.poll(race);
  ASSERT_TRUE(result.is_ready());
  EXPECT_EQ(result.value().index(), 1u);
  EXPECT_EQ(std::get<1>(result.value()), 2);
}

TEST(Select, LosersAreDroppedTheMomentTheWinnerIsFound) {
  HandPoller poller;  // first: it outlives the wakers others keep
  int live = 0;
  ManualEvent win;
  ManualEvent lose;
  auto guarded = [](Counted, ManualEvent::Wait wait) -> Async<void> {
    co_await std::move(wait);
  };
  auto race =
      select(after(win.wait(), 1), guarded(Counted(&live), lose.wait()));
  ASSERT_TRUE(poller.poll(race).is_pending());
  EXPECT_EQ(live, 1);
  win.fire();
  ASSERT_TRUE(poller.poll(race).is_ready());
  EXPECT_EQ(live, 0);  // the race object still exists; the loser does not
}

TEST(Select, TimeoutBranchAgainstAChannel) {
  ManualClock clock;
  LocalExecutor executor(clock);
  auto [tx, rx] = mpsc::unbounded<std::string>();
  auto result = executor.block_on(
      [](mpsc::Receiver<std::string>* rx)
          -> Async<std::variant<std::optional<std::string>, std::monostate>> {
        co_return co_await select(rx->recv(), sleep_for(5ms));
      }(&rx));
  EXPECT_EQ(result.index(), 1u);  // nothing was sent: the sleep won
  EXPECT_EQ(clock.now().nanoseconds(), 5000000);
  EXPECT_TRUE(tx.try_send("after").ok());
  EXPECT_EQ(rx.try_recv(), "after");  // the cancelled recv lost nothing
}

TEST(YieldNow, LetsOtherTasksRunInBetween) {
  LocalExecutor executor;
  std::string log;
  auto worker = [](std::string* log, char name) -> Async<void> {
    for (int i = 0; i < 3; ++i) {
      *log += name;
      co_await yield_now();
    }
  };
  executor.spawn(worker(&log, 'a')).detach();
  executor.spawn(worker(&log, 'b')).detach();
  executor.run_until_stalled();
  EXPECT_EQ(log, "ababab");
}

TEST(CombinatorDeathTest, PollAfterReadyIsReported) {
  HandPoller poller;  // first: it outlives the wakers others keep
  auto both = join(yield_now());
  while (poller.poll(both).is_pending()) {
  }
  EXPECT_DEATH((void)poller.poll(both),
               "poll of a weft::join after it returned Ready");
}

}  // namespace
}  // namespace weft
